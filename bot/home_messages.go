package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// homeBlocks is a person's Home tab; admins also see the programme.
func homeBlocks(s mentorbot.Status, o *mentorbot.Overview) []slack.Block {
	var blocks []slack.Block
	if s.Participant == nil {
		blocks = append(blocks,
			header("Reverse mentoring"),
			paragraph(aboutText),
			paragraph("Mentors teach what they know best (new tools, social media, how younger colleagues work); mentees are senior colleagues who want to learn it. Each pair gets a protected time each week or two, and HR screens and prepares every mentor."),
			buttons("home_actions", primaryButton(actionOpenJoin, "Join the programme")),
		)
	} else {
		blocks = append(blocks, personalHomeBlocks(s)...)
	}
	if o != nil {
		blocks = append(blocks, adminHomeBlocks(*o)...)
	}
	return blocks
}

func personalHomeBlocks(s mentorbot.Status) []slack.Block {
	p := *s.Participant
	blocks := []slack.Block{header("Your reverse mentoring"), stepBlocks(s)}
	for _, pair := range s.Pairs {
		text := fmt.Sprintf("*Your pair*\n%s, since %s", mention(pair.Partner(p.ID)), localDate(pair.StartedAt, p.TimeZone))
		if pair.Slot != nil {
			text += "\nYou meet " + slotText(*pair.Slot, p.TimeZone) + "."
		} else if pair.State == mentorbot.PairActive {
			text += "\nNo regular time yet: confirm one in your DMs with mentorbot."
		}
		blocks = append(blocks, paragraph(text))
	}
	if s.Cycle != nil && p.TakingPart() {
		blocks = append(blocks, divider())
		blocks = append(blocks, goalsBlocks(s)...)
	}
	blocks = append(blocks, teachInHomeBlocks(s)...)
	blocks = append(blocks, divider(), paragraph("*Your profile*"))
	blocks = append(blocks, profileBlocks(p, true)...)

	actions := []*slack.ButtonBlockElement{button(actionOpenJoin, "Edit profile")}
	if s.Cycle != nil && p.TakingPart() {
		actions = append(actions, button(actionOpenGoals, "Goals"))
	}
	if p.TakingPart() {
		actions = append(actions, button(actionOpenTraining, "Onboarding"))
	}
	switch p.State {
	case mentorbot.StatePaused:
		actions = append(actions, button(actionOpenPause, "Change return date"))
	case mentorbot.StateApproved, mentorbot.StateTrained, mentorbot.StateMatched:
		actions = append(actions, button(actionOpenPause, "Pause"))
	}
	if p.State != mentorbot.StateLeft {
		actions = append(actions, leaveButton())
	}
	return append(blocks,
		buttons("home_actions", actions...),
		note("Your answers to feedback pulses are never shown to your partner or to the HR channel. To erase your data, type `/mentor forget-me`."),
	)
}

func adminHomeBlocks(o mentorbot.Overview) []slack.Block {
	blocks := []slack.Block{divider(), header("Programme admin")}
	if o.Cycle == nil {
		blocks = append(blocks,
			paragraph("*No cycle is open.* Open one to set its dates, cadence and ground rules; people can join at any time."),
			buttons("cycle_actions", primaryButton(actionOpenCycle, "Open a cycle")),
		)
	} else {
		c := o.Cycle
		blocks = append(blocks,
			paragraph(fmt.Sprintf("*%s*\n%s to %s · %s · %d-minute sessions", typed(c.Name), mentorbot.FormatDate(c.StartsOn), mentorbot.FormatDate(c.EndsOn),
				strings.ToLower(c.Cadence.String()), int(c.SessionLength/time.Minute))),
			buttons("cycle_actions", button(actionOpenCycle, "Edit cycle"),
				dangerButton(actionCloseCycle, "Close cycle", "Close the cycle?", closeCycleQuestion(*c), "Close cycle")),
		)
	}
	counts := make([]string, 0, len(mentorbot.States))
	for _, st := range mentorbot.States {
		counts = append(counts, fmt.Sprintf("*%s*\n%d", stateName("", st), o.Census.States[st]))
	}
	counts = append(counts, fmt.Sprintf("*Erased their data*\n%d", o.Census.Erased))
	blocks = append(blocks, paragraph("*People by state*"))
	for len(counts) > 0 {
		// A section holds at most 10 fields.
		n := min(len(counts), 10)
		blocks = append(blocks, fields(counts[:n]...))
		counts = counts[n:]
	}
	blocks = append(blocks, screeningQueueBlocks(o.Applicants)...)
	blocks = append(blocks, teachInCountsBlocks(o.TeachIns)...)
	blocks = append(blocks, supplyHomeBlocks(o.Supply)...)
	if o.Cycle != nil {
		blocks = append(blocks, matchingHomeBlocks(o)...)
	}
	return blocks
}

// maxDeclinesShown keeps the recent declines to a glance.
const maxDeclinesShown = 5

// maxReasonShown keeps each decline reason on the Home tab to a glance,
// and five of them within one section once escaped.
const maxReasonShown = 500

func matchingHomeBlocks(o mentorbot.Overview) []slack.Block {
	blocks := []slack.Block{paragraphWithButton("matching", fmt.Sprintf("*Matching*\n%d pairs meeting · %d proposals waiting for answers", o.ActivePairs, o.WaitingPairs),
		primaryButton(actionOpenMatch, "Match people"))}
	if len(o.Declines) == 0 {
		return blocks
	}
	lines := []string{"*Recent declines* (only admins see the reasons)"}
	for i, p := range o.Declines {
		if i == maxDeclinesShown {
			break
		}
		by, other := p.MentorID, p.MenteeID
		if p.MenteeAnswer == mentorbot.AnswerDeclined {
			by, other = other, by
		}
		reason := p.DeclineReason
		if reason == "" {
			reason = "no reason given"
		}
		lines = append(lines, fmt.Sprintf("• %s declined %s: _%s_", mention(by), mention(other), typedWithin(reason, maxReasonShown)))
	}
	return append(blocks, paragraph(strings.Join(lines, "\n")))
}
