package bot

import (
	"fmt"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// maxQueueShown keeps the screening queue within a message's 50 blocks and
// a Home tab's 100.
const maxQueueShown = 15

func screeningQueueBlocks(applicants []mentorbot.Participant) []slack.Block {
	if len(applicants) == 0 {
		return []slack.Block{paragraph("*Screening queue*\nNo applications are waiting.")}
	}
	blocks := []slack.Block{paragraph(fmt.Sprintf("*Screening queue* (%d waiting, longest first)", len(applicants)))}
	for i, p := range applicants {
		if i == maxQueueShown {
			blocks = append(blocks, note(fmt.Sprintf("And %d more: they appear here as you screen these.", len(applicants)-maxQueueShown)))
			break
		}
		blocks = append(blocks, paragraphWithButton(applicantBlockPrefix+p.ID,
			fmt.Sprintf("%s · %s · %s\nTeaches %s\n_%s_", mention(p.ID), typed(p.Department), p.JobLevel, typedList(p.TopicNames(), ", "), typed(p.Pitch)),
			valueButton(actionReviewApplicant, "Review", p.ID)))
	}
	return blocks
}

func screeningQueueMessage(applicants []mentorbot.Participant) message {
	blocks := screeningQueueBlocks(applicants)
	text := fmt.Sprintf("%d mentor applications are waiting for screening.", len(applicants))
	switch len(applicants) {
	case 0:
		text = "No mentor applications are waiting for screening."
	case 1:
		text = "1 mentor application is waiting for screening."
	}
	return message{text: text, blocks: blocks}
}

func screenedText(applicant string, approved bool) string {
	if approved {
		return fmt.Sprintf("%s is approved. They'll get a DM with your note, asking them to read the mentor onboarding.", mention(applicant))
	}
	return fmt.Sprintf("%s's application is declined for this cycle. They'll get a kind DM with your note, saying they can apply again next cycle.", mention(applicant))
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
