package bot

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

func notJoinedMessage() message {
	return textMessage("You haven't joined the programme yet. Type `/mentor join` to start: it takes two minutes.")
}

func roleLabel(r mentorbot.Role) string {
	if r == mentorbot.RoleMentor {
		return "Mentor: you teach"
	}
	return "Mentee: you learn"
}

// stepText tells a person where they stand and what to do next.
func stepText(s mentorbot.Status) string {
	p := s.Participant
	switch s.Next() {
	case mentorbot.StepJoin:
		return "You haven't joined the programme yet."
	case mentorbot.StepAwaitScreening:
		return "Your application to mentor is with HR. Every mentor is screened before matching; you'll get a message here when they've looked at it."
	case mentorbot.StepReapply:
		return "A new cycle is open, so you can apply to mentor again: check your profile and press *Apply again*. You can also switch to learning as a mentee."
	case mentorbot.StepAwaitNextCycle:
		return "HR didn't approve your application to mentor in this cycle. You can apply again when the next cycle opens, or join as a mentee now with `/mentor join`."
	case mentorbot.StepTrain:
		return fmt.Sprintf("*Next: read the short onboarding for %ss* and the ground rules (about 3 minutes). You can be matched once you've confirmed it.", p.Role)
	case mentorbot.StepAwaitCycle:
		return "You're ready to be matched. HR opens the next cycle soon; you'll set your goals for it then."
	case mentorbot.StepSetGoals:
		return fmt.Sprintf("You're ready to be matched. *Next: set one to three goals for %s*: they become the agenda of your sessions.", typed(s.Cycle.Name))
	case mentorbot.StepAwaitMatch:
		return fmt.Sprintf("You're ready and your goals are set. HR matches pairs for %s; you'll get a message introducing your partner.", typed(s.Cycle.Name))
	case mentorbot.StepAnswerMatch:
		offer := s.AwaitingAnswer()
		if offer.State == mentorbot.PairRequested {
			return fmt.Sprintf("*%s has asked you to mentor them.* Accept or decline in your DMs by %s.", mention(offer.MenteeID), localTime(offer.AnswerBy, p.TimeZone))
		}
		return fmt.Sprintf("*You've been matched with %s.* Accept or decline in your DMs by %s.", mention(offer.Partner(p.ID)), localTime(offer.AnswerBy, p.TimeZone))
	case mentorbot.StepAwaitAnswer:
		var names []string
		for _, o := range s.Offers {
			names = append(names, mention(o.Partner(p.ID)))
		}
		return fmt.Sprintf("You've said yes. Waiting for %s to answer; you'll get a message either way.", orNames(names))
	case mentorbot.StepMeet:
		var names []string
		for _, pair := range s.Pairs {
			names = append(names, mention(pair.Partner(p.ID)))
		}
		return fmt.Sprintf("You're paired with %s. Bring your goals to your sessions.", andNames(names))
	case mentorbot.StepPaused:
		return fmt.Sprintf("You're paused until %s: no matching, no reminders. You're back by yourself that morning, or press *Resume now*.", localDate(p.PausedUntil, p.TimeZone))
	case mentorbot.StepRejoin:
		return "You've left the programme. Your profile is kept so you can come back any time with `/mentor join`."
	case mentorbot.StepOptIn:
		return "Your cycle has ended: thank you for taking part. *Take part again?* Opt in and you'll be matched when the next cycle opens."
	}
	return string(p.State)
}

// stepButton is the button for a person's next step, or nil.
func stepButton(s mentorbot.Status) *slack.ButtonBlockElement {
	switch s.Next() {
	case mentorbot.StepJoin:
		return primaryButton(actionOpenJoin, "Join the programme")
	case mentorbot.StepReapply:
		return primaryButton(actionOpenJoin, "Apply again")
	case mentorbot.StepTrain:
		return primaryButton(actionOpenTraining, "Read the onboarding")
	case mentorbot.StepSetGoals:
		return primaryButton(actionOpenGoals, "Set your goals")
	case mentorbot.StepPaused:
		return primaryButton(actionResume, "Resume now")
	case mentorbot.StepRejoin:
		return primaryButton(actionOpenJoin, "Join again")
	case mentorbot.StepOptIn:
		return primaryButton(actionOptIn, "Count me in")
	}
	return nil
}

// stepBlocks is the next step as a paragraph with its button beside it.
func stepBlocks(s mentorbot.Status) slack.Block {
	if btn := stepButton(s); btn != nil {
		return paragraphWithButton("next_step", stepText(s), btn)
	}
	return paragraph(stepText(s))
}

// profileBlocks shows a saved profile: to its owner (the DM after joining,
// /mentor profile, the Home tab) or to HR screening it.
func profileBlocks(p mentorbot.Participant, own bool) []slack.Block {
	topics := make([]string, len(p.Topics))
	for i, t := range p.Topics {
		topics[i] = fmt.Sprintf("%s (%s)", typed(t.Topic), strings.ToLower(t.Level.String()))
	}
	manager := "none given"
	if p.ManagerID != "" {
		manager = mention(p.ManagerID)
	}
	topicsLabel, pitchLabel := "Wants to learn", "In their words"
	switch {
	case own && p.Role == mentorbot.RoleMentor:
		topicsLabel, pitchLabel = "Topics you teach", "What you're great at"
	case own:
		topicsLabel, pitchLabel = "Topics you want to learn", "What you want to learn"
	case p.Role == mentorbot.RoleMentor:
		topicsLabel = "Teaches"
	}
	role := roleLabel(p.Role)
	if !own {
		role = string(p.Role)
	}
	return []slack.Block{
		fields(
			"*Role*\n"+role,
			"*Job level*\n"+p.JobLevel.String(),
			"*Department*\n"+typed(p.Department),
			"*Manager*\n"+manager,
			"*Time zone*\n"+typed(p.TimeZone),
			"*Free in a typical week*\n"+p.Availability.String(),
		),
		paragraph("*" + topicsLabel + "*\n" + strings.Join(topics, ", ")),
		paragraph("*" + pitchLabel + "*\n" + typed(p.Pitch)),
	}
}

func profileMessage(s mentorbot.Status) message {
	blocks := []slack.Block{paragraph("*Your mentorbot profile*\n" + stepText(s))}
	blocks = append(blocks, profileBlocks(*s.Participant, true)...)
	blocks = append(blocks, note("Only you can see this. Change it any time with `/mentor join`."))
	return message{text: "Your mentorbot profile: " + stepText(s), blocks: blocks}
}
