package bot

import (
	"context"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// Before anyone is matched they read their role's onboarding, the cycle's
// ground rules and the confidentiality promise, and confirm it.
const (
	actionOpenTraining = "training_open"
	callbackTraining   = "training"
)

func (b *Bot) prepareTraining(ctx context.Context, userID, _ string) (slack.ModalViewRequest, error) {
	lesson, err := b.programme.Lesson(ctx, userID)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	return trainingModal(lesson), nil
}

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

func (b *Bot) submitTraining(ctx context.Context, ic slack.InteractionCallback) reply {
	saveCtx, cancel := beforeAck(ctx)
	p, err := b.programme.Train(saveCtx, ic.User.ID)
	cancel()
	if err != nil {
		// The modal has no field to put an error next to: say it in place.
		return reply{ack: doneView("Not yet", b.problem(err, ic.User.ID))}
	}
	return reply{
		ack:   doneView("Thank you", trainedText(p)),
		after: func(ctx context.Context) { b.refreshHome(ctx, ic.User.ID) },
	}
}
