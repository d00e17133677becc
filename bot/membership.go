package bot

import (
	"context"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// People pause until a date, resume early, leave, or erase their data.
// Whoever else a change affects is told.
const (
	actionOpenPause = "pause_open"
	actionResume    = "resume"
	actionLeave     = "leave"
	actionForgetMe  = "forget_me"
	callbackPause   = "pause"
)

func (b *Bot) preparePause(ctx context.Context, userID, _ string) (slack.ModalViewRequest, error) {
	until, err := b.programme.PauseDraft(ctx, userID)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	return pauseModal(until), nil
}

func (b *Bot) submitPause(ctx context.Context, ic slack.InteractionCallback) reply {
	saveCtx, cancel := beforeAck(ctx)
	p, err := b.programme.Pause(saveCtx, ic.User.ID, stateOf(ic.View).date(mentorbot.FieldPauseUntil))
	cancel()
	if err != nil {
		return b.rejectSubmission(ic, err, mentorbot.FieldPauseUntil)
	}
	return reply{
		ack:   doneView("You're paused", pausedText(p)),
		after: func(ctx context.Context) { b.refreshHome(ctx, ic.User.ID) },
	}
}

// resumeCommand and resumeButton bring a paused person back early.
func (b *Bot) resumeCommand(ctx context.Context, cmd slack.SlashCommand, _ []string) reply {
	saveCtx, cancel := beforeAck(ctx)
	_, err := b.programme.Resume(saveCtx, cmd.UserID, mentorbot.ReplyInPlace)
	cancel()
	if err != nil {
		return reply{ack: ephemeral(textMessage(b.problem(err, cmd.UserID)))}
	}
	return reply{ack: ephemeral(textMessage(resumedText())), after: func(ctx context.Context) { b.refreshHome(ctx, cmd.UserID) }}
}

func (b *Bot) resumeButton(ctx context.Context, userID string) error {
	_, err := b.programme.Resume(ctx, userID, mentorbot.ReplyByDM)
	return err
}

// leaveCommand asks for confirmation before anyone leaves.
func (b *Bot) leaveCommand(context.Context, slack.SlashCommand, []string) reply {
	return reply{ack: ephemeral(leaveOffer())}
}

func (b *Bot) leave(ctx context.Context, userID string) error {
	return b.programme.Leave(ctx, userID)
}

// forgetCommand explains what erasing means and asks for confirmation.
func (b *Bot) forgetCommand(context.Context, slack.SlashCommand, []string) reply {
	return reply{ack: ephemeral(forgetOffer())}
}

func (b *Bot) forget(_ context.Context, ic slack.InteractionCallback, _ *slack.BlockAction) reply {
	userID := ic.User.ID
	return reply{
		// Erasing takes longer than an ack may wait; a click lost to a
		// crash leaves the data in place, and the person can press again.
		after: func(ctx context.Context) {
			// Noted first, so no request of theirs recorded meanwhile keeps them.
			b.rememberErased(userID)
			if err := b.programme.Forget(ctx, userID); err != nil {
				b.tell(ctx, userID, textMessage(b.problem(err, userID)))
				return
			}
			b.tell(ctx, userID, textMessage(forgottenText()))
			b.refreshHome(ctx, userID)
		},
		// The record of this request must not name the person it erased.
		anonymous: true,
	}
}
