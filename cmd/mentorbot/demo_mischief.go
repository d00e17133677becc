package main

import (
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// mischief is what a person with -mischief adds to every free-text answer:
// a broadcast, a mention, a disguised link and markup, so the transcripts
// show each arriving as the words typed, never as live Slack markup.
var mischief = []string{"<!channel>", "<!here>", "<@U0EVIL>", "<#C0EVIL>", "*bold*", "<https://evil.example|click>", "&", "<!everyone>"}

// freeTextFields are the forms' answers that are kept as written, rather
// than read as dates, times or lists.
var freeTextFields = map[string]bool{
	mentorbot.FieldCycleName: true, mentorbot.FieldGroundRules: true, mentorbot.FieldDepartment: true,
	mentorbot.FieldPitch: true, mentorbot.FieldScreeningNote: true, mentorbot.FieldDeclineReason: true,
	mentorbot.FieldSkipReason: true, mentorbot.FieldPulseNote: true, mentorbot.FieldSurveyChange: true, mentorbot.FieldThanks: true,
	mentorbot.FieldGoalAim(0): true, mentorbot.FieldGoalSignal(0): true,
	mentorbot.FieldGoalAim(1): true, mentorbot.FieldGoalSignal(1): true,
	mentorbot.FieldGoalAim(2): true, mentorbot.FieldGoalSignal(2): true,
}

// withMischief adds the mischief to each free-text answer of the form, as
// much of it as the field has room for, whole pieces only; a free-text
// field the person leaves as it was gets it added to what it holds.
func withMischief(form *fakeslack.View, values map[string]string) map[string]string {
	if form == nil {
		return values
	}
	out := make(map[string]string, len(values))
	for k, v := range values {
		out[k] = v
	}
	for _, b := range form.Blocks {
		in, ok := b.(*slack.InputBlock)
		if !ok || !freeTextFields[in.BlockID] {
			continue
		}
		el, ok := in.Element.(*slack.PlainTextInputBlockElement)
		if !ok {
			continue
		}
		value, typed := out[in.BlockID]
		if !typed {
			value = el.InitialValue
		}
		if value == "" {
			continue
		}
		room := el.MaxLength
		if room == 0 {
			room = 3000
		}
		for _, piece := range mischief {
			if utf8.RuneCountInString(value)+1+utf8.RuneCountInString(piece) > room {
				break
			}
			if !strings.Contains(value, piece) {
				value += " " + piece
			}
		}
		out[in.BlockID] = value
	}
	return out
}
