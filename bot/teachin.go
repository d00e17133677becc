package bot

import (
	"context"
	"strconv"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// Teach-ins: a mentor offers a one-off group session, people browse and
// sign up, the host moves or cancels it, and everyone who came answers a
// two-tap pulse.
const (
	actionOpenTeachIn            = "teachin_open"
	callbackTeachIn              = "teachin"
	actionTeachInSignUp          = "teachin_sign_up"
	actionTeachInLeave           = "teachin_leave"
	actionTeachInMove            = "teachin_move"
	callbackTeachInMove          = "teachin_move"
	actionTeachInCancel          = "teachin_cancel"
	actionTeachInUsefulPrefix    = "teachin_useful_"    // then the score: teachin_useful_4
	actionTeachInRecommendPrefix = "teachin_recommend_" // then the answer: teachin_recommend_yes
)

// teachInRoutes answers the teach-in buttons: the pulse's scores and
// answers each have their own action ID, as Slack wants them distinct.
func (b *Bot) teachInRoutes(actions map[string]actionHandler) {
	actions[actionOpenTeachIn] = b.buttonOpens(b.prepareTeachIn)
	actions[actionTeachInSignUp] = b.teachInButton(b.programme.SignUp)
	actions[actionTeachInLeave] = b.teachInButton(b.programme.LeaveTeachIn)
	actions[actionTeachInCancel] = b.teachInButton(b.programme.CancelTeachIn)
	actions[actionTeachInMove] = b.buttonOpens(b.prepareTeachInMove)
	for _, score := range mentorbot.PulseScores {
		actions[teachInUsefulActionID(score)] = b.teachInPulse(score, mentorbot.RecommendUnanswered)
	}
	for _, r := range mentorbot.Recommends {
		actions[actionTeachInRecommendPrefix+string(r)] = b.teachInPulse(0, r)
	}
}

func teachInUsefulActionID(score int) string { return actionTeachInUsefulPrefix + strconv.Itoa(score) }

// teachInCommand answers /mentor teach-in with the upcoming teach-ins, and
// /mentor teach-in offer with the form to offer one.
func (b *Bot) teachInCommand(ctx context.Context, cmd slack.SlashCommand, args []string) reply {
	if len(args) > 0 && args[0] == "offer" {
		return b.commandOpens(actionOpenTeachIn, b.prepareTeachIn)(ctx, cmd, args[1:])
	}
	readCtx, cancel := beforeAck(ctx)
	defer cancel()
	list, err := b.programme.UpcomingTeachIns(readCtx, cmd.UserID)
	if err != nil {
		return reply{ack: ephemeral(textMessage(b.problem(err, cmd.UserID)))}
	}
	p, err := b.programme.Participant(readCtx, cmd.UserID)
	if err != nil {
		return reply{ack: ephemeral(textMessage(b.problem(err, cmd.UserID)))}
	}
	return reply{ack: ephemeral(teachInsMessage(list, p, mentorbot.CanHost(p) == nil))}
}

func (b *Bot) prepareTeachIn(ctx context.Context, userID, _ string) (slack.ModalViewRequest, error) {
	draft, err := b.programme.TeachInDraft(ctx, userID)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	return teachInModal(draft, b.clock.Now()), nil
}

func (b *Bot) submitTeachIn(ctx context.Context, ic slack.InteractionCallback) reply {
	form := stateOf(ic.View)
	saveCtx, cancel := beforeAck(ctx)
	t, err := b.programme.OfferTeachIn(saveCtx, ic.User.ID, mentorbot.TeachInForm{
		Topic: form.choice(mentorbot.FieldTeachInTopic), Title: form.text(mentorbot.FieldTeachInTitle),
		Date: form.date(mentorbot.FieldTeachInDate), Time: form.time(mentorbot.FieldTeachInTime),
		Length: form.choice(mentorbot.FieldTeachInLength), Places: form.text(mentorbot.FieldTeachInPlaces),
		JoinHow: form.text(mentorbot.FieldTeachInJoin), Description: form.text(mentorbot.FieldTeachInDescription),
	})
	cancel()
	if err != nil {
		return b.rejectSubmission(ic, err, mentorbot.FieldTeachInTitle)
	}
	return reply{
		ack:   doneView("Teach-in offered", teachInOfferedText(t)),
		after: func(ctx context.Context) { b.refreshHome(ctx, ic.User.ID) },
	}
}

// teachInButton answers a button that changes where the person stands
// with a teach-in, as buttonDoes does: saved before the click is
// acknowledged, told through the outbox, a refusal in a DM. The host's
// Home tab follows too, since it lists who signed up.
func (b *Bot) teachInButton(do func(ctx context.Context, userID string, teachInID int64) (mentorbot.TeachInView, error)) actionHandler {
	return func(ctx context.Context, ic slack.InteractionCallback, a *slack.BlockAction) reply {
		id, err := readTeachInValue(a.Value)
		if err != nil {
			return reply{after: func(ctx context.Context) { b.tellOld(ctx, ic.User.ID, err) }}
		}
		var host string
		r := b.buttonDoes(func(ctx context.Context, userID string) error {
			v, err := do(ctx, userID, id)
			if err == nil {
				host = v.TeachIn.HostID
			}
			return err
		})(ctx, ic, a)
		if after := r.after; host != ic.User.ID && !mentorbot.Erased(host) && host != "" {
			r.after = func(ctx context.Context) {
				after(ctx)
				b.refreshHome(ctx, host)
			}
		}
		return r
	}
}

// teachInPulse records one tap of a teach-in's pulse, saved before the
// click is acknowledged, and shows it chosen in place.
func (b *Bot) teachInPulse(useful int, recommend mentorbot.Recommend) actionHandler {
	return func(ctx context.Context, ic slack.InteractionCallback, a *slack.BlockAction) reply {
		id, err := readTeachInValue(a.Value)
		if err != nil {
			return reply{after: func(ctx context.Context) { b.tellOld(ctx, ic.User.ID, err) }}
		}
		saveCtx, cancel := beforeAck(ctx)
		v, err := b.programme.AnswerTeachInPulse(saveCtx, ic.User.ID, id, useful, recommend)
		cancel()
		return reply{after: func(ctx context.Context) {
			if err != nil {
				b.tell(ctx, ic.User.ID, textMessage(b.problem(err, ic.User.ID)))
				return
			}
			b.replaceAnswered(ctx, ic.Channel.ID, ic.Message.Timestamp, teachInPulseMessage(v))
		}}
	}
}

// prepareTeachInMove opens the form that moves the host's teach-in.
func (b *Bot) prepareTeachInMove(ctx context.Context, userID, value string) (slack.ModalViewRequest, error) {
	id, err := readTeachInValue(value)
	if err != nil {
		return slack.ModalViewRequest{}, b.oldButton(userID, err)
	}
	v, err := b.programme.TeachIn(ctx, userID, id)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	if !v.Hosting(userID) {
		return slack.ModalViewRequest{}, mentorbot.Errorf(mentorbot.EFORBIDDEN, "Only the teach-in's host can change it.")
	}
	return teachInMoveModal(v, teachInValue(id)), nil
}

func (b *Bot) submitTeachInMove(ctx context.Context, ic slack.InteractionCallback) reply {
	id, err := readTeachInValue(ic.View.PrivateMetadata)
	if err != nil {
		return b.rejectSubmission(ic, b.oldForm(ic.User.ID, err), mentorbot.FieldTeachInDate)
	}
	form := stateOf(ic.View)
	saveCtx, cancel := beforeAck(ctx)
	v, err := b.programme.MoveTeachIn(saveCtx, ic.User.ID, id, mentorbot.TeachInMoveForm{
		Date: form.date(mentorbot.FieldTeachInDate), Time: form.time(mentorbot.FieldTeachInTime),
	})
	cancel()
	if err != nil {
		return b.rejectSubmission(ic, err, mentorbot.FieldTeachInDate)
	}
	return reply{
		ack:   doneView("Teach-in moved", teachInMovedText(v)),
		after: func(ctx context.Context) { b.refreshHome(ctx, ic.User.ID) },
	}
}
