package bot

import (
	"context"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// Admins screen every mentor's application before anyone is matched with
// them: the queue lists applicants, Review opens one.
const (
	actionReviewApplicant = "screen_review"
	callbackScreening     = "screening"
	applicantBlockPrefix  = "applicant_"
)

// screenCommand shows the screening queue, only to the admin who asked.
func (b *Bot) screenCommand(ctx context.Context, cmd slack.SlashCommand, _ []string) reply {
	lookupCtx, cancel := beforeAck(ctx)
	applicants, err := b.programme.ScreeningQueue(lookupCtx, cmd.UserID)
	cancel()
	if err != nil {
		return reply{ack: ephemeral(textMessage(b.problem(err, cmd.UserID)))}
	}
	return reply{ack: ephemeral(screeningQueueMessage(applicants))}
}

func (b *Bot) prepareScreening(ctx context.Context, userID, applicantID string) (slack.ModalViewRequest, error) {
	p, err := b.programme.Applicant(ctx, userID, applicantID)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	return screeningModal(p), nil
}

func (b *Bot) submitScreening(ctx context.Context, ic slack.InteractionCallback) reply {
	st := stateOf(ic.View)
	decision, err := mentorbot.ScreeningForm{
		Decision: st.choice(mentorbot.FieldDecision),
		Checks:   st.choices(mentorbot.FieldChecks),
		Note:     st.text(mentorbot.FieldScreeningNote),
	}.Parse()
	if err != nil {
		return b.rejectSubmission(ic, err, mentorbot.FieldScreeningNote)
	}
	applicant := ic.View.PrivateMetadata
	saveCtx, cancel := beforeAck(ctx)
	err = b.programme.Screen(saveCtx, ic.User.ID, applicant, decision)
	cancel()
	if err != nil {
		return b.rejectSubmission(ic, err, mentorbot.FieldScreeningNote)
	}
	return reply{
		ack:   doneView("Decision saved", screenedText(applicant, decision.Approve)),
		after: func(ctx context.Context) { b.refreshHome(ctx, ic.User.ID) },
	}
}
