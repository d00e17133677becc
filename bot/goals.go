package bot

import (
	"context"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// Each participant records one to three goals for the cycle: the agenda of
// their sessions and what the cycle reviews at its end.
const (
	actionOpenGoals = "goals_open"
	callbackGoals   = "goals"
)

func (b *Bot) prepareGoals(ctx context.Context, userID, _ string) (slack.ModalViewRequest, error) {
	p, goals, err := b.programme.GoalsDraft(ctx, userID)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	return goalsModal(p.Role, goals), nil
}

func (b *Bot) submitGoals(ctx context.Context, ic slack.InteractionCallback) reply {
	st := stateOf(ic.View)
	var form mentorbot.GoalForm
	for i := range mentorbot.MaxGoals {
		form.Aims = append(form.Aims, st.text(mentorbot.FieldGoalAim(i)))
		form.Signals = append(form.Signals, st.text(mentorbot.FieldGoalSignal(i)))
	}
	saveCtx, cancel := beforeAck(ctx)
	goals, err := b.programme.SaveGoals(saveCtx, ic.User.ID, form)
	cancel()
	if err != nil {
		return b.rejectSubmission(ic, err, mentorbot.FieldGoalAim(0))
	}
	return reply{
		ack:   doneView("Goals saved", goalsSavedText(goals)),
		after: func(ctx context.Context) { b.refreshHome(ctx, ic.User.ID) },
	}
}
