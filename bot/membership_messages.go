package bot

import (
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

func pauseModal(until time.Time) slack.ModalViewRequest {
	return modal(callbackPause, "Take a break", "Pause", "",
		paragraph("Out of office, or a busy quarter? While you're paused you won't be matched and won't get reminders. If you have a partner, they're told you're away until then, not why."),
		dateInput(mentorbot.FieldPauseUntil, "Back on", until.Format(time.DateOnly),
			hint("You're back by yourself that morning, and we'll tell you.")),
	)
}

func pausedText(p mentorbot.Participant) string {
	return fmt.Sprintf("You're paused until %s. No matching and no reminders until then; you're back by yourself that morning. Enjoy the break.", localDate(p.PausedUntil, p.TimeZone))
}

func resumedText() string {
	return "Welcome back! You're in the programme again: matching and reminders are back on."
}

func leaveButton() *slack.ButtonBlockElement {
	return dangerButton(actionLeave, "Leave the programme", "Leave the programme?",
		"You won't be matched again. If you have a partner, your pairing ends and they're told kindly. Your profile is kept, so you can come back with `/mentor join`.", "Leave")
}

func leaveOffer() message {
	text := "Leaving takes you out of future matching. If you have a partner, your pairing ends and they're told kindly, without a reason. You can come back any time with `/mentor join`; to erase your data as well, use `/mentor forget-me`."
	return message{text: text, blocks: []slack.Block{paragraph(text), buttons("leave", leaveButton())}}
}

func leftMessage() message {
	return textMessage("You've left the programme. Thank you for taking part. Your profile is kept, so you can come back any time with `/mentor join`; to erase it, type `/mentor forget-me`.")
}

func forgetOffer() message {
	text := "Erasing removes your profile, topics, availability and goals, and the record of what you did in the programme, for good. If you're in a pair, you leave it first and your partner is told kindly. Only anonymous counts stay (such as how many people joined). This can't be undone."
	return message{text: text, blocks: []slack.Block{
		paragraph(text),
		buttons("forget_me", dangerButton(actionForgetMe, "Erase my data", "Erase your data?", "Your profile, goals and history are deleted for good. This can't be undone.", "Erase")),
	}}
}

func forgottenText() string {
	return "Done: mentorbot no longer holds your profile, goals or history; only anonymous counts remain. Our messages in this conversation stay in Slack; you can delete them there. You're welcome back any time with `/mentor join`."
}
