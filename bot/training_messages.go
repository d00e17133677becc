package bot

import (
	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

func trainingModal(l mentorbot.Lesson) slack.ModalViewRequest {
	title := "How to mentor well"
	if l.Role == mentorbot.RoleMentee {
		title = "How to learn well"
	}
	blocks := []slack.Block{
		paragraph(l.Guidance),
		divider(),
		paragraph("*Ground rules*"),
	}
	blocks = append(blocks, paragraphs(typed(l.GroundRules))...)
	blocks = append(blocks, divider(), paragraph(l.Confidentiality))
	if !l.Confirmable {
		why := "You've confirmed this already. It's here whenever you want to read it again."
		switch {
		case l.Read:
		case l.State == mentorbot.StateApplied:
			why = "You'll confirm this once HR has approved your application to mentor; reading it now is a good start."
		default:
			why = "You'll confirm this when you're taking part again."
		}
		v := modal(callbackTraining, title, "", "", append(blocks, note(why))...)
		v.Close = plain("Close")
		return v
	}
	blocks = append(blocks, note("Press *I've read this* to confirm you'll follow it: you can be matched once you have."))
	return modal(callbackTraining, title, "I've read this", "", blocks...)
}

func trainedText(p mentorbot.Participant) string {
	if p.Role == mentorbot.RoleMentor {
		return "Thank you! You're ready to be matched with a senior colleague who wants to learn what you teach. Next, set your goals for the cycle from your mentorbot Home tab."
	}
	return "Thank you! You're ready to be matched with a mentor who teaches what you want to learn. Next, set your goals for the cycle from your mentorbot Home tab."
}
