package bot

import (
	"context"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// prepareView builds the modal a person asked for, reading what it needs;
// value is what the button carried (an applicant's ID, say), or the words
// after a slash command.
type prepareView func(ctx context.Context, userID, value string) (slack.ModalViewRequest, error)

// commandOpens answers a slash command with a modal. The modal is prepared
// before the ack, so a refusal travels in the ack as a reply only the
// person sees.
func (b *Bot) commandOpens(prepare prepareView) func(context.Context, slack.SlashCommand, []string) reply {
	return func(ctx context.Context, cmd slack.SlashCommand, args []string) reply {
		deadline := time.Now().Add(triggerLifetime)
		prepCtx, cancel := beforeAck(ctx)
		view, err := prepare(prepCtx, cmd.UserID, strings.Join(args, " "))
		cancel()
		if err != nil {
			return reply{ack: ephemeral(textMessage(b.problem(err, cmd.UserID)))}
		}
		return reply{after: func(ctx context.Context) { b.openView(ctx, cmd.UserID, cmd.TriggerID, deadline, view) }}
	}
}

// buttonOpens answers a button with a modal. A refusal opens as a small
// modal too: a button has no other place to answer in.
func (b *Bot) buttonOpens(prepare prepareView) actionHandler {
	return func(_ context.Context, ic slack.InteractionCallback, a *slack.BlockAction) reply {
		deadline := time.Now().Add(triggerLifetime)
		return reply{after: func(ctx context.Context) {
			prepCtx, cancel := context.WithDeadline(ctx, deadline)
			view, err := prepare(prepCtx, ic.User.ID, a.Value)
			cancel()
			if err != nil {
				view = noticeModal("mentorbot", b.problem(err, ic.User.ID))
			}
			b.openView(ctx, ic.User.ID, ic.TriggerID, deadline, view)
		}}
	}
}

// buttonDoes answers a button whose work runs after the ack; a refusal
// or failure is told to the person in a DM, the one place a button can
// always answer in.
func (b *Bot) buttonDoes(do func(ctx context.Context, userID string) error) actionHandler {
	return func(_ context.Context, ic slack.InteractionCallback, _ *slack.BlockAction) reply {
		return reply{after: func(ctx context.Context) {
			if err := do(ctx, ic.User.ID); err != nil {
				b.tell(ctx, ic.User.ID, textMessage(b.problem(err, ic.User.ID)))
			}
		}}
	}
}

// openView opens a modal before its trigger expires; when Slack is too
// busy, the person gets a DM saying so instead of nothing at all.
func (b *Bot) openView(ctx context.Context, userID, triggerID string, deadline time.Time, view slack.ModalViewRequest) {
	openCtx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	if _, err := b.send.openModal(openCtx, triggerID, view); err != nil {
		b.log.Error("could not open a modal", "user", userID, "callback_id", view.CallbackID, "err", err)
		if _, _, err := b.send.dm(ctx, userID, formUnavailableMessage()); err != nil {
			b.log.Error("could not tell the person the form did not open", "user", userID, "err", err)
		}
	}
}

// problem is what a person reads about an error, as mrkdwn: the domain's
// words, people as mentions and anything typed escaped, or an apology for
// a failure on our side, whose details go to the log.
func (b *Bot) problem(err error, userID string) string {
	switch mentorbot.ErrorCode(err) {
	case mentorbot.EINTERNAL:
		b.log.Error("request failed", "user", userID, "err", err)
	case mentorbot.EUNAVAILABLE:
		b.log.Warn("request failed; the person was asked to try again", "user", userID, "err", err)
	}
	return mentorbot.RenderError(err, mention, typed)
}

// rejectSubmission keeps a modal open with the error next to its field.
// A failure on our side, or a database busy or full, keeps the answers
// and asks the person to press the button again.
func (b *Bot) rejectSubmission(ic slack.InteractionCallback, err error, fallback string) reply {
	if code := mentorbot.ErrorCode(err); code == mentorbot.EINTERNAL || code == mentorbot.EUNAVAILABLE {
		b.log.Error("could not save a form", "user", ic.User.ID, "callback_id", ic.View.CallbackID, "err", err)
		err = mentorbot.Errorf(mentorbot.EUNAVAILABLE, "We couldn't save this just now. Your answers are still here: press %s again in a moment.", submitLabel(ic.View))
	}
	return reply{ack: errorsAck(ic.View, err, fallback)}
}

// tell DMs a person, logging when that fails.
func (b *Bot) tell(ctx context.Context, userID string, m message) {
	if _, _, err := b.send.dm(ctx, userID, m); err != nil {
		b.log.Error("could not send a DM", "user", userID, "err", err)
	}
}

// beforeAck bounds work done before an acknowledgement, so the ack still
// reaches Slack within its 3 seconds.
func beforeAck(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, beforeAckTimeout)
}

// doneView replaces a submitted modal with a confirmation, so the person
// sees in place that it worked.
func doneView(title, text string) *slack.ViewSubmissionResponse {
	v := noticeModal(title, text)
	return slack.NewUpdateViewSubmissionResponse(&v)
}

// noticeModal is a modal that only says something.
func noticeModal(title, text string) slack.ModalViewRequest {
	v := modal("notice", title, "", "", paragraph(text))
	v.Close = plain("Close")
	return v
}
