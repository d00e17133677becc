package bot

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

const (
	// A trigger_id is good for 3 seconds after Slack sends it; keep a margin.
	triggerLifetime = 2500 * time.Millisecond
	// Work done before an acknowledgement must leave time to send it.
	beforeAckTimeout = 2 * time.Second
	lookupTimeout    = time.Second
)

// prepareView builds the modal a person asked for, reading what it needs;
// value is what the button carried (an applicant's ID, say), or the words
// after a slash command.
type prepareView func(ctx context.Context, userID, value string) (slack.ModalViewRequest, error)

// commandOpens answers a slash command with a modal. The modal is prepared
// before the ack, so a refusal travels in the ack as a reply only the
// person sees.
// twin is the button that opens the same form, for the person to press
// when the command's form could not open in time.
func (b *Bot) commandOpens(twin string, prepare prepareView) func(context.Context, slack.SlashCommand, []string) reply {
	return func(ctx context.Context, cmd slack.SlashCommand, args []string) reply {
		deadline := b.triggerDeadline()
		value := strings.Join(args, " ")
		prepCtx, cancel := beforeAck(ctx)
		view, err := prepare(prepCtx, cmd.UserID, value)
		cancel()
		if err != nil {
			return reply{ack: ephemeral(textMessage(b.problem(err, cmd.UserID)))}
		}
		return reply{after: func(ctx context.Context) {
			b.openView(ctx, cmd.UserID, cmd.TriggerID, deadline, view, formAgain{twin, value})
		}}
	}
}

// buttonOpens answers a button with a modal. A refusal opens as a small
// modal too: a button has no other place to answer in.
func (b *Bot) buttonOpens(prepare prepareView) actionHandler {
	return func(_ context.Context, ic slack.InteractionCallback, a *slack.BlockAction) reply {
		deadline := b.triggerDeadline()
		return reply{after: func(ctx context.Context) {
			prepCtx, cancel := context.WithDeadline(ctx, deadline)
			view, err := prepare(prepCtx, ic.User.ID, a.Value)
			cancel()
			if err != nil {
				view = noticeModal("mentorbot", b.problem(err, ic.User.ID))
			}
			b.openView(ctx, ic.User.ID, ic.TriggerID, deadline, view, formAgain{a.ActionID, a.Value})
		}}
	}
}

// buttonDoes answers a button whose work is a change of the person's:
// the change is stored before the click is acknowledged, so a crash cannot
// lose it (without the ack Slack sends the click again), and the Home tab
// catches up after. A refusal or failure is told to the person in a DM,
// the one place a button can always answer in.
func (b *Bot) buttonDoes(do func(ctx context.Context, userID string) error) actionHandler {
	return func(ctx context.Context, ic slack.InteractionCallback, _ *slack.BlockAction) reply {
		saveCtx, cancel := beforeAck(ctx)
		err := do(saveCtx, ic.User.ID)
		cancel()
		return reply{after: func(ctx context.Context) {
			if err != nil {
				b.tell(ctx, ic.User.ID, textMessage(b.problem(err, ic.User.ID)))
				return
			}
			b.refreshHome(ctx, ic.User.ID)
		}}
	}
}

// triggerDeadline is when a trigger_id received now runs out, by the
// clock the sender keeps its pauses and turns to.
func (b *Bot) triggerDeadline() time.Time { return b.send.clock.Now().Add(triggerLifetime) }

// openView opens a modal before its trigger expires; when it cannot, the
// person is told through the outbox (see formDidNotOpen).
func (b *Bot) openView(ctx context.Context, userID, triggerID string, deadline time.Time, view slack.ModalViewRequest, again formAgain) {
	openCtx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	if _, err := b.send.openModal(openCtx, userID, triggerID, view); err != nil {
		b.formDidNotOpen(ctx, userID, view.CallbackID, again, err)
	}
}

// formAgain is the button that opens a form again with a fresh trigger:
// its action and value.
type formAgain struct{ action, value string }

// formDidNotOpen owes the person a DM about a form that did not open. When
// the trigger ran out first (Slack busy, the bot's turn at views.open late,
// a launch where hundreds press Join in one minute), the DM holds a button
// that opens the form in one click. When Slack refused the form itself,
// that is our mistake: the person reads so, never that Slack was busy, and
// Slack's reasons go to the log.
func (b *Bot) formDidNotOpen(ctx context.Context, userID, callbackID string, again formAgain, err error) {
	kind := mentorbot.OutboxFormButton
	if refusal, ok := slackRefusal(err); ok {
		kind = mentorbot.OutboxFormRefused
		b.log.Error("Slack refused a form", "user", userID, "callback_id", callbackID, "err", err, "slack_says", refusal.ResponseMetadata.Messages)
	} else {
		b.log.Warn("a form did not open in time; the person gets a button to open it", "user", userID, "callback_id", callbackID, "err", err)
	}
	var wait time.Duration
	if kind == mentorbot.OutboxFormButton {
		// The button comes when the person's kept turn does, so it works;
		// a long wait is said at once, so nobody is left wondering.
		wait = b.send.keepTurn(userID)
	}
	ctx = context.WithoutCancel(ctx)
	if wait > formQueuedAfter {
		if err := b.programme.OweFormMessage(ctx, userID, mentorbot.OutboxFormQueued, "", 0); err != nil {
			b.log.Error("could not owe the person word that their form is queued", "user", userID, "err", err)
		}
	}
	if err := b.programme.OweFormMessage(ctx, userID, kind, formAgainValue(again), wait); err != nil {
		b.log.Error("could not owe the person word of a form that did not open", "user", userID, "err", err)
		return
	}
	if wait > 0 && b.programme.OnOutbox != nil {
		time.AfterFunc(wait, b.programme.OnOutbox)
	}
}

// formQueuedAfter is the longest wait for a form's button that goes
// unannounced.
const formQueuedAfter = 5 * time.Second

// slackRefusal is Slack's answer when it refused a request for what it
// held, rather than for being busy or the trigger being stale.
func slackRefusal(err error) (slack.SlackErrorResponse, bool) {
	if errors.Is(err, slack.ErrBlockIDNotUnique) {
		return slack.SlackErrorResponse{Err: err.Error()}, true
	}
	r, ok := errors.AsType[slack.SlackErrorResponse](err)
	if !ok || r.Err == "expired_trigger_id" || r.Err == "internal_error" || r.Err == "fatal_error" || r.Err == "service_unavailable" || r.Err == "request_timeout" {
		return r, false
	}
	return r, true
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
	return mentorbot.RenderError(err, mention, command, typed)
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

func submitLabel(v slack.View) string {
	if v.Submit != nil && v.Submit.Text != "" {
		return v.Submit.Text
	}
	return "Submit"
}

// errorsAck shows a domain error next to the fields it names. A message for
// a field this view does not have goes next to fallback, so nothing a person
// must fix is ever silently dropped.
func errorsAck(v slack.View, err error, fallback string) *slack.ViewSubmissionResponse {
	inputs := map[string]bool{}
	for _, blk := range v.Blocks.BlockSet {
		if in, ok := blk.(*slack.InputBlock); ok {
			inputs[in.BlockID] = true
		}
	}
	fieldErrs := mentorbot.ErrorFields(err)
	if len(fieldErrs) == 0 {
		// A modal's errors are plain text: people by ID, commands as typed.
		fieldErrs = map[string]string{fallback: mentorbot.RenderError(err, plainText, plainCommand, plainText)}
	}
	shown := map[string]string{}
	var elsewhere []string
	for field, msg := range fieldErrs {
		if inputs[field] {
			shown[field] = msg
		} else {
			elsewhere = append(elsewhere, msg)
		}
	}
	if len(elsewhere) > 0 {
		slices.Sort(elsewhere)
		shown[fallback] = strings.TrimSpace(shown[fallback] + " " + strings.Join(elsewhere, " "))
	}
	return slack.NewErrorsViewSubmissionResponse(shown)
}
