package bot

import (
	"fmt"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// noticeMessage tells its reader of a change someone else made, or the
// programme made by itself.
func noticeMessage(d mentorbot.Delivery) message {
	partner := d.Partner.ID
	switch d.Item.Kind {
	case mentorbot.OutboxApproved:
		blocks := []slack.Block{header("You're approved to mentor"),
			paragraph("HR has approved your application to mentor. Thank you for offering your time and know-how to a senior colleague.")}
		blocks = append(blocks, hrNote(d.Item.Note)...)
		blocks = append(blocks, paragraphWithButton("next_step", "*Next: read the short onboarding for mentors* (about 3 minutes). You can be matched once you've confirmed it.",
			primaryButton(actionOpenTraining, "Read the onboarding")))
		return message{text: "You're approved to mentor. Next: read the short onboarding for mentors.", blocks: blocks}
	case mentorbot.OutboxDeclined:
		blocks := []slack.Block{paragraph("Thank you for offering to mentor. HR hasn't approved your application in this cycle.")}
		blocks = append(blocks, hrNote(d.Item.Note)...)
		blocks = append(blocks, paragraph("This isn't a judgement of you or of what you know: mentoring a senior colleague asks for particular things, and each cycle needs a particular mix of topics. You can apply again when the next cycle opens, and you're welcome to join as a mentee meanwhile with `/mentor join`."))
		return message{text: "Thank you for offering to mentor. HR hasn't approved your application in this cycle.", blocks: blocks}
	case mentorbot.OutboxResumed:
		return textMessage("Welcome back! Your break ended today, so you're in the programme again: matching and reminders are back on.")
	case mentorbot.OutboxPartnerPaused:
		return textMessage(fmt.Sprintf("%s is taking a break from the programme until %s, so your sessions are on hold until then. There's nothing for you to do; you'll hear when they're back.", mention(partner), localDate(d.Partner.PausedUntil, d.Reader.TimeZone)))
	case mentorbot.OutboxPartnerResumed:
		return textMessage(fmt.Sprintf("%s is back from their break, so your sessions are on again.", mention(partner)))
	case mentorbot.OutboxPartnerLeft:
		return textMessage(fmt.Sprintf("%s has had to leave the programme, so your pairing has ended. Thank you for the time you put in together. You stay in the programme, with your goals: HR will match you again.", sentenceStart(mention(partner))))
	case mentorbot.OutboxProposed, mentorbot.OutboxRequested:
		return introMessage(d)
	case mentorbot.OutboxPairStarted:
		return pairStartedMessage(d.Pair, d.Cycle.GroundRules)
	case mentorbot.OutboxMatchOff:
		return textMessage(fmt.Sprintf("Your match with %s can't go ahead after all. That happens, and it says nothing about you: you stay in the programme and will be matched again. There's nothing you need to do.", mention(partner)))
	case mentorbot.OutboxAnswerLapsed:
		return textMessage(fmt.Sprintf("The time to answer your match with %s ran out, so it won't go ahead. You stay in the programme and will be matched again. If you're away for a while, `/mentor pause` keeps you out of matching until you're back.", mention(partner)))
	case mentorbot.OutboxRequestOff:
		return textMessage(fmt.Sprintf("%s can't take you on as a mentee right now. Type `/mentor find` to ask someone else, or wait for HR to match you.", sentenceStart(mention(partner))))
	case mentorbot.OutboxPairEnded:
		return textMessage(pairEndedText(partner))
	case mentorbot.OutboxThanksKept:
		return textMessage(thanksKeptText(partner))
	case mentorbot.OutboxRequestDropped:
		return textMessage(fmt.Sprintf("%s has found a mentor, so their request to you is closed. Thank you for considering it.", sentenceStart(mention(partner))))
	}
	return textMessage(string(d.Item.Kind))
}

func hrNote(text string) []slack.Block {
	if text == "" {
		return nil
	}
	return []slack.Block{paragraph("*A note from HR*\n" + quoted(text))}
}
