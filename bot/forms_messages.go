package bot

import (
	"github.com/slack-go/slack"
)

// maxButtonValue is the most characters a button's value may hold.
const maxButtonValue = 2000

// formButtonMessage gives a person the form that did not open in time,
// one click away: the button brings a fresh trigger.
func formButtonMessage(again formAgain) message {
	text := "That form didn't open in time: Slack was busy for a moment. It's one click away now."
	return message{text: text, blocks: []slack.Block{
		paragraph(text),
		buttons("form_again", valueButton(again.action, "Open the form", cut(again.value, maxButtonValue)).WithStyle(slack.StylePrimary)),
	}}
}

// formLostMessage stands in for a form's button that could not be
// written: the person opens the form again from where they first did.
func formLostMessage() message {
	return textMessage("That form didn't open in time: Slack was busy for a moment. Open it again from mentorbot's Home tab.")
}

// formQueuedMessage tells a person their form is queued behind others,
// and that the button to open it will come here.
func formQueuedMessage() message {
	return textMessage("Lots of people are opening forms right now, so yours is queued. A button that opens it will be here in a minute or two; nothing else to do.")
}

// formRefusedMessage owns up to a form Slack refused: the mistake is ours,
// and trying again would not help until it is fixed.
func formRefusedMessage() message {
	return textMessage("Sorry, something went wrong on our side and that form couldn't open. We've logged what happened; please let your programme's HR team know if it keeps happening.")
}
