package bot

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

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

// goalsBlocks lists a person's goals for the cycle.
func goalsBlocks(s mentorbot.Status) []slack.Block {
	if s.Cycle == nil {
		return nil
	}
	title := "*Your goals for " + typed(s.Cycle.Name) + "*"
	if len(s.Goals) == 0 {
		return []slack.Block{paragraph(title + "\nNone yet. One to three goals make your sessions count.")}
	}
	lines := make([]string, len(s.Goals))
	for i, g := range s.Goals {
		lines[i] = fmt.Sprintf("%d. %s\n      _You'll know when:_ %s", i+1, typed(g.Aim), typed(g.Signal))
	}
	return []slack.Block{paragraph(title + "\n" + strings.Join(lines, "\n"))}
}

func goalsSavedText(goals []mentorbot.Goal) string {
	aims := make([]string, len(goals))
	for i, g := range goals {
		aims[i] = "• " + typed(g.Aim)
	}
	return "Saved. Your goals for this cycle:\n" + strings.Join(aims, "\n") + "\nYou can change them until the cycle ends."
}
