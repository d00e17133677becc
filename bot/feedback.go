package bot

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/chart"
)

// After sessions each person answers a private pulse; the cycle asks a
// survey halfway and a goal review at its end; admins hear of pairs at
// risk and get summaries and the export.
const (
	actionPulsePrefix = "pulse_" // then the question and the score: pulse_useful_4
	actionPulseNote   = "pulse_note"
	callbackPulseNote = "pulse_note"
	actionOpenSurvey  = "survey_open"
	callbackSurvey    = "survey"
	actionOptIn       = "opt_in"
	actionRiskPrefix  = "risk_" // then the action: risk_nudge
)

// pulseRoutes answers every pulse button: Slack wants the action IDs in a
// block distinct, so each score has its own.
func (b *Bot) pulseRoutes(actions map[string]actionHandler) {
	for _, q := range mentorbot.PulseQuestions {
		for _, score := range mentorbot.PulseScores {
			actions[pulseActionID(q, score)] = b.sessionAction(b.answerPulse(q, score))
		}
	}
}

func pulseActionID(q mentorbot.PulseQuestion, score int) string {
	return fmt.Sprintf("%s%s_%d", actionPulsePrefix, q, score)
}

// answerPulse records one click of a pulse and shows it chosen in place.
func (b *Bot) answerPulse(q mentorbot.PulseQuestion, score int) func(context.Context, slack.InteractionCallback, sessionRef) {
	return func(ctx context.Context, ic slack.InteractionCallback, ref sessionRef) {
		v, err := b.programme.AnswerPulse(ctx, ic.User.ID, ref.pairID, ref.occurrence, q, score)
		if err != nil {
			b.tell(ctx, ic.User.ID, textMessage(b.problem(err, ic.User.ID)))
			return
		}
		b.replaceAnswered(ctx, ic.Channel.ID, ic.Message.Timestamp, pulseMessage(v, ic.User.ID, b.zoneOf(ctx, ic.User.ID), false))
	}
}

// openPulseNote opens the private note about a session.
func (b *Bot) openPulseNote(ctx context.Context, ic slack.InteractionCallback, a *slack.BlockAction) reply {
	metadata := originValue(ic, a)
	return b.buttonOpens(func(ctx context.Context, userID, value string) (slack.ModalViewRequest, error) {
		ref, err := readSessionValue(value)
		if err != nil {
			return slack.ModalViewRequest{}, b.oldButton(userID, err)
		}
		v, err := b.programme.PulseDraft(ctx, userID, ref.pairID, ref.occurrence)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		return pulseNoteModal(v, metadata), nil
	})(ctx, ic, a)
}

func (b *Bot) submitPulseNote(ctx context.Context, ic slack.InteractionCallback) reply {
	from, err := readOrigin(ic.View.PrivateMetadata, readSessionValue)
	if err != nil {
		return b.rejectSubmission(ic, b.oldForm(ic.User.ID, err), mentorbot.FieldPulseNote)
	}
	saveCtx, cancel := beforeAck(ctx)
	v, err := b.programme.SavePulseNote(saveCtx, ic.User.ID, from.value.pairID, from.value.occurrence, stateOf(ic.View).text(mentorbot.FieldPulseNote))
	cancel()
	if err != nil {
		return b.rejectSubmission(ic, err, mentorbot.FieldPulseNote)
	}
	return reply{
		ack: doneView("Note kept", "Your note is kept for you alone. You'll see it again when you review your goals at the end of the cycle."),
		after: func(ctx context.Context) {
			b.replaceAnswered(ctx, from.channel, from.ts, pulseMessage(v, ic.User.ID, b.zoneOf(ctx, ic.User.ID), false))
		},
	}
}

// openSurvey opens a survey or the goal review.
func (b *Bot) openSurvey(ctx context.Context, ic slack.InteractionCallback, a *slack.BlockAction) reply {
	metadata := originValue(ic, a)
	return b.buttonOpens(func(ctx context.Context, userID, value string) (slack.ModalViewRequest, error) {
		survey, err := readSurveyValue(value)
		if err != nil {
			return slack.ModalViewRequest{}, b.oldButton(userID, err)
		}
		d, err := b.programme.SurveyDraft(ctx, userID, survey.cycleID, survey.kind)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		return surveyModal(d, b.zoneOf(ctx, userID), metadata), nil
	})(ctx, ic, a)
}

func (b *Bot) submitSurvey(ctx context.Context, ic slack.InteractionCallback) reply {
	from, err := readOrigin(ic.View.PrivateMetadata, readSurveyValue)
	if err != nil {
		return b.rejectSubmission(ic, b.oldForm(ic.User.ID, err), mentorbot.FieldSurveyContinue)
	}
	form := stateOf(ic.View)
	answers := mentorbot.SurveyForm{Continue: form.choice(mentorbot.FieldSurveyContinue), Change: form.text(mentorbot.FieldSurveyChange)}
	for i := range mentorbot.MaxGoals {
		answers.Progress = append(answers.Progress, form.choice(mentorbot.FieldGoalProgress(i)))
	}
	answers.Ratings = map[string]string{}
	for _, role := range mentorbot.Roles {
		for _, q := range mentorbot.QualitiesOf(role) {
			for _, rated := range []mentorbot.Rated{mentorbot.RatedPartner, mentorbot.RatedSelf} {
				if v := form.choice(mentorbot.FieldQualityRating(rated, q.ID)); v != "" {
					answers.Ratings[mentorbot.FieldQualityRating(rated, q.ID)] = v
				}
			}
		}
	}
	saveCtx, cancel := beforeAck(ctx)
	answered, err := b.programme.AnswerSurvey(saveCtx, ic.User.ID, from.value.cycleID, from.value.kind, answers)
	cancel()
	if err != nil {
		return b.rejectSubmission(ic, err, mentorbot.FieldSurveyContinue)
	}
	if from.value.kind == mentorbot.SurveyClosing {
		return reply{ack: doneView("Thank you", reviewThanksText(answered.SelfRatings))}
	}
	return reply{ack: doneView("Thank you", surveyThanksText(from.value.kind))}
}

// optIn counts a person in for the next cycle.
func (b *Bot) optIn(ctx context.Context, userID string) error {
	_, err := b.programme.OptIn(ctx, userID)
	return err
}

// riskRoutes answers the buttons on an admin's flag.
func (b *Bot) riskRoutes(actions map[string]actionHandler) {
	for _, action := range mentorbot.RiskActions {
		actions[actionRiskPrefix+string(action)] = b.actOnRisk(action)
	}
}

// actOnRisk does what an admin chose about a flagged pair, and replaces
// the flag's buttons with what was done.
func (b *Bot) actOnRisk(action mentorbot.RiskAction) actionHandler {
	return func(_ context.Context, ic slack.InteractionCallback, a *slack.BlockAction) reply {
		return reply{after: func(ctx context.Context) {
			pairID, err := readPairValue(a.Value)
			if err != nil {
				b.tellOld(ctx, ic.User.ID, err)
				return
			}
			v, err := b.programme.ActOnRisk(ctx, ic.User.ID, pairID, action)
			if err != nil {
				b.tell(ctx, ic.User.ID, textMessage(b.problem(err, ic.User.ID)))
				return
			}
			b.replaceAnswered(ctx, ic.Channel.ID, ic.Message.Timestamp, riskHandledMessage(v))
		}}
	}
}

// summaryCommand posts the programme's summary to the HR channel, or to
// the admin's DM when no HR channel is set.
func (b *Bot) summaryCommand(ctx context.Context, cmd slack.SlashCommand, _ []string) reply {
	prepCtx, cancel := beforeAck(ctx)
	s, err := b.programme.Summary(prepCtx, cmd.UserID)
	cancel()
	if err != nil {
		return reply{ack: ephemeral(textMessage(b.problem(err, cmd.UserID)))}
	}
	channel := b.programme.HRChannel
	if channel == "" {
		return reply{ack: ephemeral(textMessage("No HR channel is set (MENTORBOT_HR_CHANNEL), so the summary comes to your DMs.")),
			after: func(ctx context.Context) {
				if err := b.postSummaryToPerson(ctx, cmd.UserID, s); err != nil {
					b.log.Error("could not send the summary", "err", err)
					b.tell(ctx, cmd.UserID, apologyMessage())
				}
			}}
	}
	return reply{ack: ephemeral(textMessage(fmt.Sprintf("Posting the summary of %s to <#%s>.", typed(s.Cycle.Name), channel))),
		after: func(ctx context.Context) {
			if err := b.postSummary(ctx, channel, s); err != nil {
				b.log.Error("could not post the summary", "err", err)
				b.tell(ctx, cmd.UserID, apologyMessage())
			}
		}}
}

// postSummary shares the summary in a channel, with its chart.
func (b *Bot) postSummary(ctx context.Context, channel string, s mentorbot.Summary) error {
	png, err := chart.Trend(chartTitle(s), s.Trend)
	if err != nil {
		return fmt.Errorf("draw the trend chart: %w", err)
	}
	return b.send.share(ctx, channel, chartFileName(s), png, summaryMessage(s))
}

// postSummaryToPerson shares the summary in an admin's DM.
func (b *Bot) postSummaryToPerson(ctx context.Context, userID string, s mentorbot.Summary) error {
	channel, err := b.send.dmChannel(ctx, userID)
	if err != nil {
		return err
	}
	return b.postSummary(ctx, channel, s)
}

// exportCommand DMs the admin the programme's records as CSV.
func (b *Bot) exportCommand(ctx context.Context, cmd slack.SlashCommand, _ []string) reply {
	if err := b.programme.RequireAdmin(cmd.UserID, "export the programme's data"); err != nil {
		return reply{ack: ephemeral(textMessage(b.problem(err, cmd.UserID)))}
	}
	return reply{ack: ephemeral(textMessage("Preparing the export; it comes to your DMs in a moment.")),
		after: func(ctx context.Context) {
			data, err := b.programme.Export(ctx, cmd.UserID)
			if err == nil {
				name := "mentorbot-export-" + b.clock.Now().Format("2006-01-02") + ".csv"
				err = b.send.upload(ctx, cmd.UserID, name, data, exportMessage())
			}
			if err != nil {
				b.tell(ctx, cmd.UserID, textMessage(b.problem(err, cmd.UserID)))
			}
		}}
}
