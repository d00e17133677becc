package bot

import (
	"context"
	"fmt"

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

func goalsModal(role mentorbot.Role, goals []mentorbot.Goal) slack.ModalViewRequest {
	aimLabel, aimExample := "What do you want to learn?", "e.g. Use an AI assistant to draft my board updates"
	signalExample := "e.g. My next board update is drafted with it"
	if role == mentorbot.RoleMentor {
		aimLabel, aimExample = "What do you want to teach?", "e.g. How our customers discover us on TikTok"
		signalExample = "e.g. My mentee posts a short video on their own"
	}
	blocks := []slack.Block{paragraph("Write one to three goals for this cycle, and how you'll know each one happened. They become the agenda of your sessions, and you'll look back at them when the cycle ends. Only you, your partner and HR see them.")}
	for i := range mentorbot.MaxGoals {
		var g mentorbot.Goal
		if i < len(goals) {
			g = goals[i]
		}
		opts := []inputOption{}
		if i > 0 {
			opts = append(opts, optional)
			blocks = append(blocks, divider())
		}
		blocks = append(blocks,
			textInput(mentorbot.FieldGoalAim(i), fmt.Sprintf("Goal %d: %s", i+1, aimLabel), g.Aim, aimExample, mentorbot.MaxGoalChars, false, opts...),
			textInput(mentorbot.FieldGoalSignal(i), "How will you know it happened?", g.Signal, signalExample, mentorbot.MaxGoalChars, false, opts...),
		)
	}
	return modal(callbackGoals, "Your goals", "Save goals", "", blocks...)
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
