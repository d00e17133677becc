package bot

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// score is a 0–1 score as people read it: out of 100.
func score(s float64) string { return fmt.Sprintf("%.0f", 100*s) }

// fitText says why a pair fits: what they share, when they are both free,
// and whether they cross departments.
func fitText(f mentorbot.Fit) string {
	var shared []string
	for _, t := range f.Shared {
		shared = append(shared, fmt.Sprintf("%s (mentor %s, mentee %s)", typed(t.Topic), strings.ToLower(t.MentorLevel.String()), strings.ToLower(t.MenteeLevel.String())))
	}
	parts := []string{"Shared: " + strings.Join(shared, ", "), hoursText(f.OverlapMinutes) + " a week free together"}
	if f.CrossDepartment {
		parts = append(parts, "different departments")
	} else {
		parts = append(parts, "same department")
	}
	return strings.Join(parts, " · ")
}

func hoursText(minutes int) string {
	if minutes%60 == 0 {
		return fmt.Sprintf("%d h", minutes/60)
	}
	return fmt.Sprintf("%.1f h", float64(minutes)/60)
}

// scoreParts is the score broken down, for HR.
func scoreParts(f mentorbot.Fit) string {
	return fmt.Sprintf("score %s (topics %s, time %s, departments %s)", score(f.Score), score(f.Topics), score(f.Overlap), score(f.Department))
}

// maxDraftPairsShown keeps the draft modal within Slack's 100 blocks: two
// blocks a pair, the weakest first, since those are the ones to review.
const maxDraftPairsShown = 30

// maxUnmatchedShown keeps the list of people left out within one section.
const maxUnmatchedShown = 20

func matchingModal() slack.ModalViewRequest {
	return noticeModal("Matching", "Matching everyone who is waiting… this takes a moment.")
}

// draftModal is HR's private draft of a round: the quality report, every
// pair with why and its buttons, and everyone left out with the reason.
// shortages are the topics where demand outruns supply, which explain
// many of those left out.
func draftModal(r mentorbot.Round, shortages []mentorbot.TopicSupply) slack.ModalViewRequest {
	rep := r.Report
	var drafted, removed []mentorbot.Pair
	for _, p := range r.Pairs {
		if p.State == mentorbot.PairRemoved {
			removed = append(removed, p)
		} else {
			drafted = append(drafted, p)
		}
	}
	slices.SortStableFunc(drafted, func(a, b mentorbot.Pair) int { return cmp.Compare(a.Fit.Score, b.Fit.Score) })
	locked := len(drafted) - rep.Pairs
	rate := 0.0
	if rep.Mentees+locked > 0 {
		rate = float64(len(drafted)) / float64(rep.Mentees+locked)
	}
	report := fmt.Sprintf("*%s* for %s waiting: %.0f %% matched · mean score %s · lowest %s",
		plural(len(drafted), "pair"), plural(rep.Mentees+locked, "mentee"), 100*rate, score(rep.MeanScore), score(rep.LowestScore))
	var load []string
	for k, n := range rep.Load {
		switch {
		case n == 0:
		case k == 0:
			load = append(load, fmt.Sprintf("%d get none", n))
		default:
			load = append(load, fmt.Sprintf("%d take %s", n, plural(k, "mentee")))
		}
	}
	report += fmt.Sprintf("\nMentors waiting: %d (%s)", rep.Mentors, strings.Join(load, ", "))
	greedy := rep.Greedy
	switch gain, points := rep.Pairs-greedy.Pairs, 100*(rep.MeanScore-greedy.MeanScore); {
	case gain == 0 && points < 0.5:
		report += "\nFirst come, first served would do as well with these people."
	case gain > 0:
		report += fmt.Sprintf("\nFirst come, first served would leave %s more unmatched (%s, mean score %s).", plural(gain, "mentee"), plural(greedy.Pairs, "pair"), score(greedy.MeanScore))
	default:
		report += fmt.Sprintf("\nFirst come, first served would match as many, scoring %.0f points lower on average.", points)
	}

	blocks := []slack.Block{
		paragraph(report),
		note("Only you see this draft. *Lock* keeps a pair when you run again; *Remove* keeps two people apart for this cycle. Publishing asks both people in each pair to accept."),
		buttons("draft_actions", button(actionRerun, "Run again")),
		divider(),
	}
	for i, p := range drafted {
		if i == maxDraftPairsShown {
			blocks = append(blocks, note(fmt.Sprintf("…and %d more pairs, each scoring %s or more.", len(drafted)-i, score(p.Fit.Score))))
			break
		}
		lock := valueButton(actionLockPair, "Lock", pairValue(p.ID))
		title := fmt.Sprintf("%s teaches %s", mention(p.MentorID), mention(p.MenteeID))
		if p.Locked {
			lock = valueButton(actionUnlockPair, "Unlock", pairValue(p.ID))
			title = "🔒 " + title
		}
		blocks = append(blocks,
			paragraph(fmt.Sprintf("*%s* · %s\n%s", title, scoreParts(p.Fit), fitText(p.Fit))),
			buttons(fmt.Sprintf("pair_%d", p.ID), lock, valueButton(actionRemovePair, "Remove", pairValue(p.ID))))
	}
	if len(r.Unmatched) > 0 {
		lines := []string{fmt.Sprintf("*Not matched (%d)*", len(r.Unmatched))}
		for i, u := range r.Unmatched {
			if i == maxUnmatchedShown {
				lines = append(lines, fmt.Sprintf("…and %d more.", len(r.Unmatched)-i))
				break
			}
			lines = append(lines, fmt.Sprintf("• %s (%s): %s", mention(u.ParticipantID), u.Role, typed(u.Why)))
		}
		if len(shortages) > 0 {
			lines = append(lines, "_Someone left out for a topic no mentor teaches? The shortages are below, and under *Skills supply and demand* on your Home tab._")
		}
		blocks = append(blocks, divider())
		blocks = append(blocks, paragraphs(strings.Join(lines, "\n"))...)
		blocks = append(blocks, supplyBlocks(shortages, "every topic is on your Home tab")...)
	}
	if len(removed) > 0 {
		var names []string
		for _, p := range removed {
			names = append(names, mention(p.MentorID)+" and "+mention(p.MenteeID))
		}
		blocks = append(blocks, note("Removed, kept apart this cycle: "+strings.Join(names, "; ")))
	}
	v := modal(callbackDraft, "Matching draft", "Publish", "", blocks...)
	v.Close = plain("Close")
	return v
}

func publishedText(r mentorbot.Round, dropped int) string {
	text := fmt.Sprintf("%s proposed. Each person gets an introduction in a DM with Accept and Decline; pairs start once both accept.", plural(len(r.Pairs), "pair"))
	if dropped > 0 {
		text += fmt.Sprintf(" %s left out: someone in it was paired elsewhere since the draft was made.", plural(dropped, "pair"))
	}
	return text + " Anyone who declines or doesn't answer in time is matched again by themselves."
}

// introMessage introduces a proposed partner: why they were matched, the
// partner's topics and sentence, and the answer buttons.
func introMessage(d mentorbot.Delivery) message {
	p, about := d.Pair, d.Partner
	var headline string
	switch {
	case d.Item.Kind == mentorbot.OutboxRequested:
		headline = fmt.Sprintf("%s would like you to mentor them", mention(about.ID))
	case d.Reader.ID == p.MentorID:
		headline = fmt.Sprintf("Meet your match: %s would like to learn from you", mention(about.ID))
	default:
		headline = fmt.Sprintf("Meet your match: %s can teach you", mention(about.ID))
	}
	var topics []string
	for _, t := range about.Topics {
		topics = append(topics, fmt.Sprintf("%s (%s)", typed(t.Topic), strings.ToLower(t.Level.String())))
	}
	verb := "wants to learn"
	if about.Role == mentorbot.RoleMentor {
		verb = "teaches"
	}
	id := pairValue(p.ID)
	blocks := []slack.Block{
		paragraph("*" + headline + "*"),
		paragraph(fmt.Sprintf("*Why you two:* %s", fitText(p.Fit))),
		paragraph(fmt.Sprintf("*%s %s:* %s\n%s", mention(about.ID), verb, strings.Join(topics, ", "), quoted(about.Pitch))),
		buttons("answer_"+id, valueButton(actionAcceptPair, "Accept", id).WithStyle(slack.StylePrimary), valueButton(actionDeclinePair, "Decline", id)),
		note(fmt.Sprintf("Please answer by %s. If you decline, nobody but HR learns why, and you'll be matched again.", localTime(p.AnswerBy, d.Reader.TimeZone))),
	}
	return message{text: headline, blocks: blocks}
}

// answeredMessage replaces an introduction once the person has answered.
func answeredMessage(p mentorbot.Pair, by string, accepted bool) message {
	partner := mention(p.Partner(by))
	if !accepted {
		return textMessage(fmt.Sprintf("You declined the match with %s. Thanks for saying so: they're told only that it can't go ahead.", partner))
	}
	if p.State == mentorbot.PairActive {
		return textMessage(fmt.Sprintf("You accepted, and so did %s: you're a pair. Say hello in your group conversation.", partner))
	}
	return textMessage(fmt.Sprintf("You accepted the match with %s. You'll hear as soon as they answer.", partner))
}

// pairStartedMessage greets a new pair in their own conversation, with the
// cycle's ground rules.
func pairStartedMessage(p mentorbot.Pair, groundRules string) message {
	text := fmt.Sprintf("%s and %s, you're a pair! %s teaches, %s learns.", mention(p.MentorID), mention(p.MenteeID), mention(p.MentorID), mention(p.MenteeID))
	blocks := []slack.Block{paragraph("*" + text + "*"), paragraph("*Your ground rules*")}
	blocks = append(blocks, paragraphs(typed(groundRules))...)
	blocks = append(blocks,
		paragraph("*First thing to agree:* one or two goals for the pair. Each of you set goals on the mentorbot Home tab; pick the ones you'll work on together, and how you'll know they happened."),
		note("This conversation is just for the two of you. mentorbot posts here only about your sessions."))
	return message{text: text, blocks: blocks}
}

func declineModal(p mentorbot.Pair, userID, metadata string) slack.ModalViewRequest {
	return modal(callbackDeclinePair, "Decline the match", "Decline", metadata,
		paragraph(fmt.Sprintf("You're declining the match with %s. They'll be told only that it can't go ahead, and you'll both be matched again.", mention(p.Partner(userID)))),
		textInput(mentorbot.FieldDeclineReason, "Anything HR should know?", "", "Optional", mentorbot.MaxDeclineReasonChars, true, optional,
			hint("Only the programme's admins see this. It helps them match you better.")),
	)
}

func declinedText() string {
	return "Thanks for letting us know. You stay in the programme, and you'll be matched again."
}

// findModal lists the mentors a mentee may ask, best first.
func findModal(f mentorbot.Finding, flash string) slack.ModalViewRequest {
	intro := "Mentors who fit you, best first: they teach what you want, are free when you are, and are outside your reporting line."
	if f.Topic != "" {
		intro = fmt.Sprintf("Mentors who teach “%s” and fit you, best first.", typed(f.Topic))
	}
	blocks := []slack.Block{paragraph(intro),
		note(fmt.Sprintf("You can ask up to %d at once; you have %d waiting. The first to accept becomes your mentor, and the others are told you're sorted.", mentorbot.MaxOpenRequests, f.OpenRequests))}
	if flash != "" {
		blocks = append(blocks, paragraph(flash))
	}
	for _, o := range f.Options {
		m := o.Mentor
		text := fmt.Sprintf("*%s* · %s · %s free\n%s\n%s", mention(m.ID), "match "+score(o.Fit.Score), placesText(o.Room, m.Capacity), fitText(o.Fit), quoted(m.Pitch))
		if o.Requested {
			blocks = append(blocks, paragraph(text+"\n_Asked: waiting for their answer._"))
			continue
		}
		blocks = append(blocks, paragraphWithButton("mentor_"+m.ID, text, valueButton(actionAskMentor, "Ask", m.ID)))
	}
	v := modal(callbackFind, "Find a mentor", "", f.Topic, blocks...)
	v.Close = plain("Done")
	return v
}

func placesText(room, capacity int) string {
	return fmt.Sprintf("%d of %d places", room, max(capacity, 1))
}

func askedText(mentor string) string {
	return fmt.Sprintf("✅ You asked %s. They have a few days to answer; you'll get a DM either way.", mention(mentor))
}

func avoidModal(avoided []string) slack.ModalViewRequest {
	return modal(callbackAvoid, "Don't pair me with", "Save", "",
		paragraph("Anyone you'd rather not be paired with: someone you report to indirectly, a close friend, anyone you couldn't be open with. Nobody else sees this list, HR included; matching simply never pairs you."),
		usersInput(mentorbot.FieldAvoided, "People", "Choose people", avoided, mentorbot.MaxAvoided, optional),
	)
}

func avoidSavedText() string {
	return "Saved. Matching will never pair you with anyone on your list. Change it any time with `/mentor avoid`."
}
