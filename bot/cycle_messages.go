package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/match"
)

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

func cycleSavedText(c mentorbot.Cycle) string {
	return fmt.Sprintf("*%s* runs from %s to %s, with %d-minute sessions %s. Everyone reads its ground rules before matching.",
		typed(c.Name), mentorbot.FormatDate(c.StartsOn), mentorbot.FormatDate(c.EndsOn), int(c.SessionLength/time.Minute), strings.ToLower(c.Cadence.String()))
}

func cycleClosedText(c mentorbot.Cycle) string {
	return fmt.Sprintf("*%s* is closed. Its history is kept, and you can open the next cycle from your mentorbot Home tab or with `/mentor cycle`.", typed(c.Name))
}

// closeCycleQuestion is what an admin confirms before closing a cycle.
func closeCycleQuestion(c mentorbot.Cycle) string {
	return fmt.Sprintf("Close *%s*? Its history stays, goals for it can no longer change, and you can open the next cycle.", typed(c.Name))
}

func closeCycleOffer(c mentorbot.Cycle) message {
	text := closeCycleQuestion(c)
	return message{text: text, blocks: []slack.Block{
		paragraph(text),
		buttons("close_cycle", dangerButton(actionCloseCycle, "Close cycle", "Close the cycle?", text, "Close cycle")),
	}}
}

func crossDepartmentChoices() []choice {
	labels := map[match.CrossDepartment]string{
		match.CrossPreferred: "Prefer pairs from different departments",
		match.CrossRequired:  "Only pair people from different departments",
		match.CrossAny:       "Departments don't matter",
	}
	out := make([]choice, len(mentorbot.CrossDepartments))
	for i, c := range mentorbot.CrossDepartments {
		out[i] = choice{value: string(c), label: labels[c]}
	}
	return out
}

func weightChoices() []choice {
	labels := []string{"Not at all", "A little", "Somewhat", "A lot", "Very much", "Most of all"}
	out := make([]choice, len(mentorbot.Weights))
	for i, w := range mentorbot.Weights {
		out[i] = choice{value: strconv.Itoa(w), label: labels[w]}
	}
	return out
}

func answerDayChoices() []choice {
	out := make([]choice, len(mentorbot.AnswerDayChoices))
	for i, d := range mentorbot.AnswerDayChoices {
		out[i] = choice{value: strconv.Itoa(d), label: plural(d, "day")}
	}
	return out
}
