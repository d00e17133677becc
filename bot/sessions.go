package bot

import (
	"context"
	"strconv"
	"time"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// A pair agrees its regular time, then is nudged before each session and
// asked afterwards whether it happened; either may move or skip one.
const (
	actionConfirmSlot = "slot_confirm"
	actionPickSlot    = "slot_pick"
	callbackSlot      = "slot"
	actionComing      = "session_coming"
	actionMoveSession = "session_move"
	callbackMove      = "session_move"
	actionSkipSession = "session_skip"
	callbackSkip      = "session_skip"
	actionHeldPrefix  = "session_held_" // then the answer: yes, moved, no
)

// sessionRef names a session in a button's value: the pair, the
// occurrence and the revision the message was written for.
type sessionRef struct {
	pairID     int64
	occurrence time.Time
	revision   int
}

func refOf(s mentorbot.Session) sessionRef {
	return sessionRef{pairID: s.PairID, occurrence: s.Occurrence, revision: s.Revision}
}

// confirmSlot takes the time offered in a message, recorded before the
// click is acknowledged so a crash cannot lose it.
func (b *Bot) confirmSlot(ctx context.Context, ic slack.InteractionCallback, a *slack.BlockAction) reply {
	slot, err := readSlotValue(a.Value)
	if err != nil {
		return reply{after: func(ctx context.Context) { b.tellOld(ctx, ic.User.ID, err) }}
	}
	saveCtx, cancel := beforeAck(ctx)
	answer, err := b.programme.PickSlot(saveCtx, ic.User.ID, slot.pairID, mentorbot.SlotChoice{Option: slot.option})
	cancel()
	return reply{after: func(ctx context.Context) {
		if err != nil {
			b.tell(ctx, ic.User.ID, textMessage(b.problem(err, ic.User.ID)))
			return
		}
		b.replaceAnswered(ctx, ic.Channel.ID, ic.Message.Timestamp, slotAnsweredMessage(answer, ic.User.ID))
		b.refreshPair(ctx, answer)
	}}
}

// refreshPair shows an agreed time on both Home tabs.
func (b *Bot) refreshPair(ctx context.Context, a mentorbot.SlotAnswer) {
	for _, id := range []string{a.Pair.MentorID, a.Pair.MenteeID} {
		b.refreshHome(ctx, id)
	}
}

// openSlotForm opens the times offered and a day and time of one's own.
func (b *Bot) openSlotForm(ctx context.Context, ic slack.InteractionCallback, a *slack.BlockAction) reply {
	metadata := originValue(ic, a)
	return b.buttonOpens(func(ctx context.Context, userID, value string) (slack.ModalViewRequest, error) {
		slot, err := readSlotValue(value)
		if err != nil {
			return slack.ModalViewRequest{}, b.oldButton(userID, err)
		}
		pair, err := b.programme.Pair(ctx, userID, slot.pairID)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		person, err := b.programme.Participant(ctx, userID)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		return slotModal(pair, person, metadata), nil
	})(ctx, ic, a)
}

func (b *Bot) submitSlot(ctx context.Context, ic slack.InteractionCallback) reply {
	from, err := readOrigin(ic.View.PrivateMetadata, readSlotValue)
	if err != nil {
		return b.rejectSubmission(ic, b.oldForm(ic.User.ID, err), mentorbot.FieldSlotOption)
	}
	form := stateOf(ic.View)
	choice := mentorbot.SlotChoice{Option: -1, Day: form.choice(mentorbot.FieldSlotDay), Time: form.time(mentorbot.FieldSlotTime)}
	if picked := form.choice(mentorbot.FieldSlotOption); picked != ownTime {
		if choice.Option, err = strconv.Atoi(picked); err != nil {
			// Only the form's own options come back; anything else is no choice.
			return reply{ack: errorsAck(ic.View, &mentorbot.Error{Code: mentorbot.EINVALID, Message: "Pick a time.",
				Fields: map[string]string{mentorbot.FieldSlotOption: "Pick one of the times, or another day and time below."}}, mentorbot.FieldSlotOption)}
		}
	}
	saveCtx, cancel := beforeAck(ctx)
	answer, err := b.programme.PickSlot(saveCtx, ic.User.ID, from.value.pairID, choice)
	cancel()
	if err != nil {
		return b.rejectSubmission(ic, err, mentorbot.FieldSlotOption)
	}
	return reply{
		ack: doneView("Time picked", slotAnsweredMessage(answer, ic.User.ID).text),
		after: func(ctx context.Context) {
			b.replaceAnswered(ctx, from.channel, from.ts, slotAnsweredMessage(answer, ic.User.ID))
			b.refreshPair(ctx, answer)
		},
	}
}

// sessionAction answers a button on a session message: it checks the
// message is about the session as it is now, then acts.
func (b *Bot) sessionAction(act func(ctx context.Context, ic slack.InteractionCallback, ref sessionRef)) actionHandler {
	return func(_ context.Context, ic slack.InteractionCallback, a *slack.BlockAction) reply {
		return reply{after: func(ctx context.Context) {
			ref, err := readSessionValue(a.Value)
			if err != nil {
				b.tellOld(ctx, ic.User.ID, err)
				return
			}
			v, err := b.programme.Session(ctx, ic.User.ID, ref.pairID, ref.occurrence)
			if err == nil && v.Session.Revision != ref.revision {
				err = mentorbot.Errorf(mentorbot.ECONFLICT, "That session has moved since this message: it's now %s. Use the newer message.", sessionWhen(v.Session, b.zoneOf(ctx, ic.User.ID)))
			}
			if err != nil {
				b.tell(ctx, ic.User.ID, textMessage(b.problem(err, ic.User.ID)))
				return
			}
			act(ctx, ic, ref)
		}}
	}
}

// zoneOf is the person's time zone as they told the programme.
func (b *Bot) zoneOf(ctx context.Context, userID string) string {
	p, err := b.programme.Participant(ctx, userID)
	if err != nil {
		return "UTC"
	}
	return p.TimeZone
}

func (b *Bot) coming(ctx context.Context, ic slack.InteractionCallback, ref sessionRef) {
	v, err := b.programme.Coming(ctx, ic.User.ID, ref.pairID, ref.occurrence)
	if err != nil {
		b.tell(ctx, ic.User.ID, textMessage(b.problem(err, ic.User.ID)))
		return
	}
	b.replaceAnswered(ctx, ic.Channel.ID, ic.Message.Timestamp, comingMessage(v, ic.User.ID, b.zoneOf(ctx, ic.User.ID)))
}

// answerHeld records one answer to "did it happen?".
func (b *Bot) answerHeld(held mentorbot.Held) func(context.Context, slack.InteractionCallback, sessionRef) {
	return func(ctx context.Context, ic slack.InteractionCallback, ref sessionRef) {
		v, err := b.programme.AnswerHeld(ctx, ic.User.ID, ref.pairID, ref.occurrence, held)
		if err != nil {
			b.tell(ctx, ic.User.ID, textMessage(b.problem(err, ic.User.ID)))
			return
		}
		b.replaceAnswered(ctx, ic.Channel.ID, ic.Message.Timestamp, heldAnsweredMessage(v, ic.User.ID, b.zoneOf(ctx, ic.User.ID)))
	}
}

// heldRoutes answers the three did-it-happen buttons; Slack wants a
// block's action IDs distinct, so each answer has its own.
func (b *Bot) heldRoutes(actions map[string]actionHandler) {
	for _, h := range mentorbot.Helds {
		actions[actionHeldPrefix+string(h)] = b.sessionAction(b.answerHeld(h))
	}
}

// openSessionForm opens the move or skip form for the session in a
// message; the metadata carries the session and where the message is.
func (b *Bot) openSessionForm(build func(v mentorbot.SessionView, person mentorbot.Participant, metadata string) slack.ModalViewRequest) actionHandler {
	return func(ctx context.Context, ic slack.InteractionCallback, a *slack.BlockAction) reply {
		metadata := originValue(ic, a)
		return b.buttonOpens(func(ctx context.Context, userID, value string) (slack.ModalViewRequest, error) {
			ref, err := readSessionValue(value)
			if err != nil {
				return slack.ModalViewRequest{}, b.oldButton(userID, err)
			}
			v, err := b.programme.Session(ctx, userID, ref.pairID, ref.occurrence)
			if err != nil {
				return slack.ModalViewRequest{}, err
			}
			person, err := b.programme.Participant(ctx, userID)
			if err != nil {
				return slack.ModalViewRequest{}, err
			}
			return build(v, person, metadata), nil
		})(ctx, ic, a)
	}
}

func (b *Bot) submitMove(ctx context.Context, ic slack.InteractionCallback) reply {
	from, err := readOrigin(ic.View.PrivateMetadata, readSessionValue)
	if err != nil {
		return b.rejectSubmission(ic, b.oldForm(ic.User.ID, err), mentorbot.FieldMoveDate)
	}
	form := stateOf(ic.View)
	saveCtx, cancel := beforeAck(ctx)
	v, err := b.programme.MoveSession(saveCtx, ic.User.ID, from.value.pairID, from.value.occurrence, mentorbot.MoveForm{
		Date: form.date(mentorbot.FieldMoveDate), Time: form.time(mentorbot.FieldMoveTime),
	})
	cancel()
	if err != nil {
		return b.rejectSubmission(ic, err, mentorbot.FieldMoveDate)
	}
	zone := b.zoneOf(ctx, ic.User.ID)
	return reply{
		ack: doneView("Session moved", movedText(v, ic.User.ID, zone)),
		after: func(ctx context.Context) {
			b.replaceAnswered(ctx, from.channel, from.ts, textMessage(movedText(v, ic.User.ID, zone)))
		},
	}
}

func (b *Bot) submitSkip(ctx context.Context, ic slack.InteractionCallback) reply {
	from, err := readOrigin(ic.View.PrivateMetadata, readSessionValue)
	if err != nil {
		return b.rejectSubmission(ic, b.oldForm(ic.User.ID, err), mentorbot.FieldSkipReason)
	}
	saveCtx, cancel := beforeAck(ctx)
	v, err := b.programme.SkipSession(saveCtx, ic.User.ID, from.value.pairID, from.value.occurrence, stateOf(ic.View).text(mentorbot.FieldSkipReason))
	cancel()
	if err != nil {
		return b.rejectSubmission(ic, err, mentorbot.FieldSkipReason)
	}
	zone := b.zoneOf(ctx, ic.User.ID)
	return reply{
		ack: doneView("Session skipped", skippedText(v, ic.User.ID, zone)),
		after: func(ctx context.Context) {
			b.replaceAnswered(ctx, from.channel, from.ts, textMessage(skippedText(v, ic.User.ID, zone)))
		},
	}
}
