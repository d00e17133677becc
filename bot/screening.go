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

func screeningModal(p mentorbot.Participant) slack.ModalViewRequest {
	checks := make([]choice, len(mentorbot.ScreeningChecks))
	for i, q := range mentorbot.ScreeningChecks {
		checks[i] = choice{value: q.ID, label: q.Label}
	}
	blocks := []slack.Block{
		paragraph("*" + mention(p.ID) + " applied to mentor* on " + mentorbot.FormatDate(p.StateSince) + ". Being young isn't the same as being able to teach: approve the people who will be patient with a senior colleague and keep to what they're asked."),
	}
	blocks = append(blocks, profileBlocks(p, false)...)
	blocks = append(blocks,
		divider(),
		checkboxInput(mentorbot.FieldChecks, "What you've confirmed, from their manager or a short chat", checks, nil, optional),
		radioInput(mentorbot.FieldDecision, "Your decision", []choice{
			{value: "approve", label: "Approve: they can mentor this cycle"},
			{value: "decline", label: "Decline: not this cycle"},
		}, ""),
		textInput(mentorbot.FieldScreeningNote, "A note to the applicant", "", "e.g. Thanks for applying! Your TikTok know-how is just what we need.", mentorbot.MaxScreeningNoteChars, true, optional,
			hint("They read it with your decision. Specific and kind works best.")),
	)
	return modal(callbackScreening, "Screen a mentor", "Send decision", p.ID, blocks...)
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
