package bot

import (
	"context"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// Admins open a programme cycle, edit it while it runs, and close it.
const (
	actionOpenCycle  = "cycle_open"
	actionCloseCycle = "cycle_close"
	callbackCycle    = "cycle"
)

// cycleCommand opens the cycle form, or with "close" offers to close the
// open cycle.
func (b *Bot) cycleCommand(ctx context.Context, cmd slack.SlashCommand, args []string) reply {
	if len(args) > 0 && args[0] == "close" {
		lookupCtx, cancel := beforeAck(ctx)
		cycle, err := b.programme.CycleToClose(lookupCtx, cmd.UserID)
		cancel()
		if err != nil {
			return reply{ack: ephemeral(textMessage(b.problem(err, cmd.UserID)))}
		}
		return reply{ack: ephemeral(closeCycleOffer(cycle))}
	}
	return b.commandOpens(actionOpenCycle, b.prepareCycle)(ctx, cmd, args)
}

func (b *Bot) prepareCycle(ctx context.Context, userID, _ string) (slack.ModalViewRequest, error) {
	form, editing, err := b.programme.CycleDraft(ctx, userID)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	return cycleModal(form, editing), nil
}

func (b *Bot) submitCycle(ctx context.Context, ic slack.InteractionCallback) reply {
	st := stateOf(ic.View)
	form := mentorbot.CycleForm{
		Name:          st.text(mentorbot.FieldCycleName),
		StartsOn:      st.date(mentorbot.FieldStartsOn),
		EndsOn:        st.date(mentorbot.FieldEndsOn),
		Cadence:       st.choice(mentorbot.FieldCadence),
		SessionLength: st.choice(mentorbot.FieldSessionLength),
		GroundRules:   st.text(mentorbot.FieldGroundRules),
		Topics:        st.text(mentorbot.FieldCatalogue),

		CrossDepartment:  st.choice(mentorbot.FieldCrossDept),
		WeightTopics:     st.choice(mentorbot.FieldWeightTopics),
		WeightOverlap:    st.choice(mentorbot.FieldWeightOverlap),
		WeightDepartment: st.choice(mentorbot.FieldWeightDept),
		AnswerDays:       st.choice(mentorbot.FieldAnswerDays),
	}
	saveCtx, cancel := beforeAck(ctx)
	cycle, err := b.programme.SaveCycle(saveCtx, ic.User.ID, form)
	cancel()
	if err != nil {
		return b.rejectSubmission(ic, err, mentorbot.FieldCatalogue)
	}
	return reply{
		ack:   doneView("Cycle saved", cycleSavedText(cycle)),
		after: func(ctx context.Context) { b.refreshHome(ctx, ic.User.ID) },
	}
}

func (b *Bot) closeCycle(ctx context.Context, userID string) error {
	_, err := b.programme.CloseCycle(ctx, userID)
	return err
}
