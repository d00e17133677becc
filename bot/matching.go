package bot

import (
	"context"
	"time"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// Admins draft a matching round privately, adjust it and publish it; both
// people of each pair answer; mentees may also find and ask a mentor.
const (
	actionOpenMatch     = "match_open"
	actionOpenFind      = "find_open"
	actionOpenAvoid     = "avoid_open"
	actionLockPair      = "match_lock"
	actionUnlockPair    = "match_unlock"
	actionRemovePair    = "match_remove"
	actionRerun         = "match_rerun"
	callbackDraft       = "match_draft"
	actionAcceptPair    = "pair_accept"
	actionDeclinePair   = "pair_decline"
	callbackDeclinePair = "pair_decline"
	actionAskMentor     = "mentor_ask"
	callbackFind        = "find"
	callbackAvoid       = "avoid"
)

// matchCommand opens the draft round. A refusal travels in the ack.
func (b *Bot) matchCommand(ctx context.Context, cmd slack.SlashCommand, _ []string) reply {
	if !b.programme.IsAdmin(cmd.UserID) {
		_, err := b.programme.Draft(ctx, cmd.UserID)
		return reply{ack: ephemeral(textMessage(b.problem(err, cmd.UserID)))}
	}
	deadline := b.triggerDeadline()
	return reply{after: func(ctx context.Context) { b.openDraft(ctx, cmd.UserID, cmd.TriggerID, deadline) }}
}

func (b *Bot) openDraftFromButton(_ context.Context, ic slack.InteractionCallback, _ *slack.BlockAction) reply {
	deadline := b.triggerDeadline()
	return reply{after: func(ctx context.Context) { b.openDraft(ctx, ic.User.ID, ic.TriggerID, deadline) }}
}

// openDraft opens a modal at once, while the trigger is fresh, then runs
// the round and shows it there: matching a large pool takes a moment.
func (b *Bot) openDraft(ctx context.Context, userID, triggerID string, deadline time.Time) {
	openCtx, cancel := context.WithDeadline(ctx, deadline)
	view := matchingModal()
	viewID, err := b.send.openModal(openCtx, userID, triggerID, view)
	cancel()
	if err != nil {
		b.formDidNotOpen(ctx, userID, view.CallbackID, formAgain{action: actionOpenMatch}, err)
		return
	}
	round, err := b.programme.DraftRound(ctx, userID)
	b.showDraft(ctx, userID, viewID, round, err)
}

// showDraft puts the round, or what went wrong, in the open modal.
func (b *Bot) showDraft(ctx context.Context, userID, viewID string, round mentorbot.Round, err error) {
	if viewID == "" {
		// A click from outside the draft modal: answer where a button can.
		if err != nil {
			b.tell(ctx, userID, textMessage(b.problem(err, userID)))
		}
		return
	}
	var view slack.ModalViewRequest
	if err == nil {
		var supply []mentorbot.TopicSupply
		supply, err = b.programme.Supply(ctx, userID)
		view = draftModal(round, mentorbot.Shortages(supply))
	}
	if err != nil {
		view = noticeModal("Matching", b.problem(err, userID))
	}
	if err := b.send.updateModal(ctx, viewID, view); err != nil {
		b.log.Error("could not show the matching draft", "user", userID, "err", err)
	}
}

// adjustDraft answers a button in the draft: it changes the round and
// shows it again in place.
func (b *Bot) adjustDraft(do func(ctx context.Context, userID string, pairID int64) (mentorbot.Round, error)) actionHandler {
	return func(_ context.Context, ic slack.InteractionCallback, a *slack.BlockAction) reply {
		return reply{after: func(ctx context.Context) {
			pairID, err := readPairValue(a.Value)
			if err != nil {
				b.showDraft(ctx, ic.User.ID, ic.View.ID, mentorbot.Round{}, b.oldButton(ic.User.ID, err))
				return
			}
			round, err := do(ctx, ic.User.ID, pairID)
			b.showDraft(ctx, ic.User.ID, ic.View.ID, round, err)
		}}
	}
}

func (b *Bot) lockPair(ctx context.Context, userID string, pairID int64) (mentorbot.Round, error) {
	return b.programme.LockPair(ctx, userID, pairID, true)
}

func (b *Bot) unlockPair(ctx context.Context, userID string, pairID int64) (mentorbot.Round, error) {
	return b.programme.LockPair(ctx, userID, pairID, false)
}

// rerunDraft runs the round again; its button names no pair.
func (b *Bot) rerunDraft(_ context.Context, ic slack.InteractionCallback, _ *slack.BlockAction) reply {
	return reply{after: func(ctx context.Context) {
		round, err := b.programme.DraftRound(ctx, ic.User.ID)
		b.showDraft(ctx, ic.User.ID, ic.View.ID, round, err)
	}}
}

// submitDraft publishes the round; introductions go out after the ack.
func (b *Bot) submitDraft(ctx context.Context, ic slack.InteractionCallback) reply {
	saveCtx, cancel := beforeAck(ctx)
	round, dropped, err := b.programme.PublishRound(saveCtx, ic.User.ID)
	cancel()
	if err != nil {
		return reply{ack: doneView("Not published", b.problem(err, ic.User.ID))}
	}
	return reply{
		ack:   doneView("Round published", publishedText(round, dropped)),
		after: func(ctx context.Context) { b.refreshHome(ctx, ic.User.ID) },
	}
}

// acceptPair records an Accept before the click is acknowledged, so a
// crash cannot lose it, then turns the introduction into what was
// answered; whoever else needs to know is told through the outbox.
func (b *Bot) acceptPair(ctx context.Context, ic slack.InteractionCallback, a *slack.BlockAction) reply {
	pairID, err := readPairValue(a.Value)
	if err != nil {
		return reply{after: func(ctx context.Context) { b.tellOld(ctx, ic.User.ID, err) }}
	}
	saveCtx, cancel := beforeAck(ctx)
	pair, err := b.programme.AcceptPair(saveCtx, ic.User.ID, pairID)
	cancel()
	return reply{after: func(ctx context.Context) {
		if err != nil {
			b.tell(ctx, ic.User.ID, textMessage(b.problem(err, ic.User.ID)))
			return
		}
		b.replaceAnswered(ctx, ic.Channel.ID, ic.Message.Timestamp, answeredMessage(pair, ic.User.ID, true))
		b.refreshHome(ctx, ic.User.ID)
	}}
}

// origin is what a form opened from a message's button carries in its
// metadata: the button's value, and where the message is, so the answer
// can replace the message's buttons.
type origin[T any] struct {
	value       T
	channel, ts string
}

// replaceAnswered swaps a message's buttons for the answer given.
func (b *Bot) replaceAnswered(ctx context.Context, channel, ts string, m message) {
	if channel == "" || ts == "" {
		return
	}
	if err := b.send.updateMessage(ctx, channel, ts, m); err != nil {
		b.log.Error("could not mark the introduction answered", "channel", channel, "err", err)
	}
}

// openDecline opens the decline form; the metadata carries the pair and
// where the introduction is, to mark it answered.
func (b *Bot) openDecline(ctx context.Context, ic slack.InteractionCallback, a *slack.BlockAction) reply {
	metadata := originValue(ic, a)
	return b.buttonOpens(func(ctx context.Context, userID, value string) (slack.ModalViewRequest, error) {
		pairID, err := readPairValue(value)
		if err != nil {
			return slack.ModalViewRequest{}, b.oldButton(userID, err)
		}
		pair, err := b.programme.PendingPair(ctx, userID, pairID)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		return declineModal(pair, userID, metadata), nil
	})(ctx, ic, a)
}

func (b *Bot) submitDecline(ctx context.Context, ic slack.InteractionCallback) reply {
	from, err := readOrigin(ic.View.PrivateMetadata, readPairValue)
	if err != nil {
		return b.rejectSubmission(ic, b.oldForm(ic.User.ID, err), mentorbot.FieldDeclineReason)
	}
	saveCtx, cancel := beforeAck(ctx)
	pair, err := b.programme.DeclinePair(saveCtx, ic.User.ID, from.value, stateOf(ic.View).text(mentorbot.FieldDeclineReason))
	cancel()
	if err != nil {
		return b.rejectSubmission(ic, err, mentorbot.FieldDeclineReason)
	}
	return reply{
		ack: doneView("Match declined", declinedText()),
		after: func(ctx context.Context) {
			b.replaceAnswered(ctx, from.channel, from.ts, answeredMessage(pair, ic.User.ID, false))
			b.refreshHome(ctx, ic.User.ID)
		},
	}
}

func (b *Bot) prepareFind(ctx context.Context, userID, topic string) (slack.ModalViewRequest, error) {
	f, err := b.programme.FindMentors(ctx, userID, topic)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	return findModal(f, ""), nil
}

// askMentor sends a mentee's request and shows the list again with it.
func (b *Bot) askMentor(_ context.Context, ic slack.InteractionCallback, a *slack.BlockAction) reply {
	return reply{after: func(ctx context.Context) {
		_, err := b.programme.RequestMentor(ctx, ic.User.ID, a.Value)
		flash := askedText(a.Value)
		if err != nil {
			flash = "⚠️ " + b.problem(err, ic.User.ID)
		}
		if ic.View.ID == "" {
			// A click from outside the mentor list: answer where a button can.
			b.tell(ctx, ic.User.ID, textMessage(flash))
			return
		}
		f, err := b.programme.FindMentors(ctx, ic.User.ID, ic.View.PrivateMetadata)
		view := findModal(f, flash)
		if err != nil {
			view = noticeModal("Find a mentor", flash+"\n\n"+b.problem(err, ic.User.ID))
		}
		if err := b.send.updateModal(ctx, ic.View.ID, view); err != nil {
			b.log.Error("could not update the mentor list", "user", ic.User.ID, "err", err)
		}
		b.refreshHome(ctx, ic.User.ID)
	}}
}

func (b *Bot) prepareAvoid(ctx context.Context, userID, _ string) (slack.ModalViewRequest, error) {
	avoided, err := b.programme.Avoided(ctx, userID)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	return avoidModal(avoided), nil
}

func (b *Bot) submitAvoid(ctx context.Context, ic slack.InteractionCallback) reply {
	saveCtx, cancel := beforeAck(ctx)
	err := b.programme.SetAvoided(saveCtx, ic.User.ID, stateOf(ic.View).users(mentorbot.FieldAvoided))
	cancel()
	if err != nil {
		return b.rejectSubmission(ic, err, mentorbot.FieldAvoided)
	}
	return reply{ack: doneView("Saved", avoidSavedText())}
}
