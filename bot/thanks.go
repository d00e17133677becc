package bot

import (
	"context"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// At close-out each of a pair may offer a one-line thank-you for the
// celebration channel; both are shown it exactly as it would be posted and
// it goes only once both say yes. Either can take a yes back until then.
const (
	actionOpenThanks     = "thanks_open"
	callbackThanks       = "thanks"
	actionThanksYes      = "thanks_yes"
	actionThanksNo       = "thanks_no"
	actionThanksWithdraw = "thanks_withdraw"
)

// thanksRoutes answers the three buttons on a thank-you's message.
func (b *Bot) thanksRoutes(actions map[string]actionHandler) {
	actions[actionThanksYes] = b.answerThanks(mentorbot.ThanksYes)
	actions[actionThanksNo] = b.answerThanks(mentorbot.ThanksNo)
	actions[actionThanksWithdraw] = b.answerThanks(mentorbot.ThanksWithdraw)
}

func (b *Bot) prepareThanks(ctx context.Context, userID, value string) (slack.ModalViewRequest, error) {
	pairID, err := readPairValue(value)
	if err != nil {
		return slack.ModalViewRequest{}, b.oldButton(userID, err)
	}
	v, err := b.programme.ThanksDraft(ctx, userID, pairID)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	return thanksModal(v), nil
}

func (b *Bot) submitThanks(ctx context.Context, ic slack.InteractionCallback) reply {
	pairID, err := readPairValue(ic.View.PrivateMetadata)
	if err != nil {
		return b.rejectSubmission(ic, b.oldForm(ic.User.ID, err), mentorbot.FieldThanks)
	}
	saveCtx, cancel := beforeAck(ctx)
	v, err := b.programme.OfferThanks(saveCtx, ic.User.ID, pairID, stateOf(ic.View).text(mentorbot.FieldThanks))
	cancel()
	if err != nil {
		return b.rejectSubmission(ic, err, mentorbot.FieldThanks)
	}
	return reply{ack: doneView("Thank-you offered", thanksOfferedText(v, ic.User.ID))}
}

// answerThanks records a yes, a no or a yes taken back before the click is
// acknowledged, then shows the message as it now stands.
func (b *Bot) answerThanks(answer mentorbot.ThanksAnswer) actionHandler {
	return func(ctx context.Context, ic slack.InteractionCallback, a *slack.BlockAction) reply {
		thanksID, err := readThanksValue(a.Value)
		if err != nil {
			return reply{after: func(ctx context.Context) { b.tellOld(ctx, ic.User.ID, err) }}
		}
		saveCtx, cancel := beforeAck(ctx)
		v, err := b.programme.AnswerThanks(saveCtx, ic.User.ID, thanksID, answer)
		cancel()
		return reply{after: func(ctx context.Context) {
			if err != nil {
				b.tell(ctx, ic.User.ID, textMessage(b.problem(err, ic.User.ID)))
				if v.Thanks.ID == 0 {
					return
				}
			}
			b.replaceAnswered(ctx, ic.Channel.ID, ic.Message.Timestamp, thanksAskMessage(v, ic.User.ID))
		}}
	}
}
