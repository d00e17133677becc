package bot

import (
	"context"
	"strconv"
	"time"

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

func cycleModal(f mentorbot.CycleForm, editing bool) slack.ModalViewRequest {
	title, submit := "Open a cycle", "Open cycle"
	intro := "A cycle is one run of the programme: its dates, how often pairs meet, and the ground rules everyone reads before matching. One cycle is open at a time."
	if editing {
		title, submit = "Edit the cycle", "Save"
		intro = "Changes apply from now on. Everyone who reads the onboarding from now sees the new ground rules."
	}
	cadences := make([]choice, len(mentorbot.Cadences))
	for i, c := range mentorbot.Cadences {
		cadences[i] = choice{value: string(c), label: c.String()}
	}
	lengths := make([]choice, len(mentorbot.SessionLengths))
	for i, d := range mentorbot.SessionLengths {
		lengths[i] = choice{value: strconv.Itoa(int(d / time.Minute)), label: strconv.Itoa(int(d/time.Minute)) + " minutes"}
	}
	return modal(callbackCycle, title, submit, "",
		paragraph(intro),
		textInput(mentorbot.FieldCycleName, "Name", f.Name, "e.g. Spring 2026", mentorbot.MaxCycleNameChars, false),
		dateInput(mentorbot.FieldStartsOn, "First day", f.StartsOn),
		dateInput(mentorbot.FieldEndsOn, "Last day", f.EndsOn),
		selectInput(mentorbot.FieldCadence, "Pairs meet", "Choose how often", cadences, f.Cadence),
		selectInput(mentorbot.FieldSessionLength, "Each session lasts", "Choose a length", lengths, f.SessionLength),
		textInput(mentorbot.FieldGroundRules, "Ground rules", f.GroundRules, "", mentorbot.MaxGroundRulesChars, true,
			hint("Every participant reads these before they can be matched.")),
		textInput(mentorbot.FieldCatalogue, "Topics people pick from", f.Topics, "One per line", 2000, true,
			hint("One per line. People can still write their own.")),
		header("Matching"),
		radioInput(mentorbot.FieldCrossDept, "Departments", crossDepartmentChoices(), f.CrossDepartment),
		selectInput(mentorbot.FieldWeightTopics, "How much teaching what the mentee wants counts", "Choose", weightChoices(), f.WeightTopics),
		selectInput(mentorbot.FieldWeightOverlap, "How much free time in common counts", "Choose", weightChoices(), f.WeightOverlap,
			hint("Every pair shares at least one session's length each week; more leaves room to move a session.")),
		selectInput(mentorbot.FieldWeightDept, "How much different departments count", "Choose", weightChoices(), f.WeightDepartment,
			hint("Counts only when departments are preferred to differ.")),
		selectInput(mentorbot.FieldAnswerDays, "Days to accept a match", "Choose", answerDayChoices(), f.AnswerDays,
			hint("After this, an unanswered match lapses and both people are matched again.")),
	)
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
	if _, err := b.programme.CloseCycle(ctx, userID); err != nil {
		return err
	}
	b.refreshHome(ctx, userID)
	return nil
}
