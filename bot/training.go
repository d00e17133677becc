package bot

import (
	"context"

	"github.com/slack-go/slack"
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
