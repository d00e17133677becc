package bot

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// maxMetadata is the most characters Slack keeps in a modal's
// private_metadata.
const maxMetadata = 3000

var occurrence = time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)

// TestValuesReadBackAsWritten writes each kind of value and reads it back.
func TestValuesReadBackAsWritten(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		value string
		read  func(string) (any, error)
		want  any
	}{
		{"pair", pairValue(12), anyOf(readPairValue), int64(12)},
		{"thank-you", thanksValue(7), anyOf(readThanksValue), int64(7)},
		{"the largest pair", pairValue(1<<63 - 1), anyOf(readPairValue), int64(1<<63 - 1)},
		{"slot offered", slotValue(12, 0), anyOf(readSlotValue), slotRef{12, 0}},
		{"slot to pick", slotValue(12, -1), anyOf(readSlotValue), slotRef{12, -1}},
		{"session", sessionValue(sessionRef{12, occurrence, 0}), anyOf(readSessionValue), sessionRef{12, occurrence, 0}},
		{"session moved twice", sessionValue(sessionRef{12, occurrence, 2}), anyOf(readSessionValue), sessionRef{12, occurrence, 2}},
		{"midpoint survey", surveyValue(3, mentorbot.SurveyMidpoint), anyOf(readSurveyValue), surveyRef{3, mentorbot.SurveyMidpoint}},
		{"goal review", surveyValue(3, mentorbot.SurveyClosing), anyOf(readSurveyValue), surveyRef{3, mentorbot.SurveyClosing}},
		{"form again from a command", formAgainValue(formAgain{actionOpenFind, `AI: what\why`}), anyOf(readFormAgain), formAgain{actionOpenFind, `AI: what\why`}},
		{"form again with no value", formAgainValue(formAgain{action: actionOpenJoin}), anyOf(readFormAgain), formAgain{action: actionOpenJoin}},
		{"join form", joinFormValue(joinForm()), anyOf(readJoinFormValue), joinForm()},
		{"join form with no topics picked", joinFormValue(mentorbot.ProfileForm{Role: "mentee", OtherTopics: "Figma"}), anyOf(readJoinFormValue), mentorbot.ProfileForm{Role: "mentee", OtherTopics: "Figma"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.read(tc.value)
			if err != nil {
				t.Fatalf("%q: %v", tc.value, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%q reads as %+v, want %+v", tc.value, got, tc.want)
			}
		})
	}
}

// TestOriginsCarryTheirButtonsValue: a form's metadata gives back the
// button's value and where its message is, empty for a Home tab button.
func TestOriginsCarryTheirButtonsValue(t *testing.T) {
	t.Parallel()
	ref := sessionRef{12, occurrence, 1}
	tests := []struct {
		name        string
		channel, ts string
	}{
		{"from a DM", "D0GRACE", "1772445600.000100"},
		{"from the Home tab", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ic := slack.InteractionCallback{Channel: slack.Channel{GroupConversation: slack.GroupConversation{Conversation: slack.Conversation{ID: tc.channel}}}}
			ic.Message.Timestamp = tc.ts
			metadata := originValue(ic, &slack.BlockAction{Value: sessionValue(ref)})
			got, err := readOrigin(metadata, readSessionValue)
			if err != nil {
				t.Fatalf("%q: %v", metadata, err)
			}
			if want := (origin[sessionRef]{ref, tc.channel, tc.ts}); got != want {
				t.Errorf("%q reads as %+v, want %+v", metadata, got, want)
			}
		})
	}
}

// TestButtonsSentBeforeStillWork: buttons in DMs outlive a release, so
// their values are written as they always were.
func TestButtonsSentBeforeStillWork(t *testing.T) {
	t.Parallel()
	tests := []struct{ got, want string }{
		{pairValue(12), "12"},
		{slotValue(12, 0), "12:0"},
		{slotValue(12, -1), "12:-1"},
		{sessionValue(sessionRef{12, occurrence, 1}), "12:1772532000:1"},
		{surveyValue(3, mentorbot.SurveyClosing), "3:closing"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("written as %q, was %q", tc.got, tc.want)
		}
	}
}

// TestMalformedValuesAreRefused: no value reads as a zero that names
// nothing; each says what is wrong with it.
func TestMalformedValuesAreRefused(t *testing.T) {
	t.Parallel()
	readers := map[string]func(string) (any, error){
		"pair":       anyOf(readPairValue),
		"thank-you":  anyOf(readThanksValue),
		"slot":       anyOf(readSlotValue),
		"session":    anyOf(readSessionValue),
		"survey":     anyOf(readSurveyValue),
		"origin":     anyOf(func(s string) (origin[int64], error) { return readOrigin(s, readPairValue) }),
		"form again": anyOf(readFormAgain),
		"join form":  anyOf(readJoinFormValue),
	}
	tests := []struct {
		kind, value, why string
	}{
		{"pair", "", "empty"},
		{"thank-you", "", "empty"},
		{"thank-you", "0", "ID 0"},
		{"thank-you", "7:8", "2 fields, want 1"},
		{"pair", "abc", "invalid syntax"},
		{"pair", "0", "ID 0"},
		{"pair", "-3", "ID -3"},
		{"pair", " 12", "invalid syntax"},
		{"pair", "1.5", "invalid syntax"},
		{"pair", "99999999999999999999", "out of range"},
		{"pair", "12:0", "2 fields, want 1"},
		{"pair", `12\`, "ends in an escape"},
		{"pair", `1\2`, "'2' escaped"},
		{"slot", "", "empty"},
		{"slot", "12", "1 fields, want 2"},
		{"slot", "12:0:1", "3 fields, want 2"},
		{"slot", "12:x", "invalid syntax"},
		{"slot", "12:", "invalid syntax"},
		{"slot", "0:1", "ID 0"},
		{"slot", "12:-2", "option -2"},
		{"session", "", "empty"},
		{"session", "not-a-session", "1 fields, want 3"},
		{"session", "12:1772532000", "2 fields, want 3"},
		{"session", "12:1772532000:0:1", "4 fields, want 3"},
		{"session", "x:1772532000:0", "invalid syntax"},
		{"session", "-1:1772532000:0", "ID -1"},
		{"session", "12:0:0", "ID 0"},
		{"session", "12:tuesday:0", "invalid syntax"},
		{"session", "12:1772532000:-1", "revision -1"},
		{"session", "12:1772532000:", "invalid syntax"},
		{"survey", "", "empty"},
		{"survey", "3", "1 fields, want 2"},
		{"survey", "3:weekly", `survey kind "weekly"`},
		{"survey", "3:", `survey kind ""`},
		{"survey", "0:midpoint", "ID 0"},
		{"survey", "x:closing", "invalid syntax"},
		{"survey", "3:midpoint:x", "3 fields, want 2"},
		{"origin", "", "empty"},
		{"origin", "12|D0GRACE|1772445600.000100", "1 fields, want 3"},
		{"origin", "12:D0GRACE", "2 fields, want 3"},
		{"origin", "x:D0GRACE:1772445600.000100", "invalid syntax"},
		{"origin", "::", "empty"},
		{"origin", `12:D0GRACE:1772445600.000100\`, "ends in an escape"},
		{"form again", "", "empty"},
		{"form again", "join_open ", "1 fields, want 2"},
		{"form again", ":AI", "no action"},
		{"form again", "find_open:AI:basics", "3 fields, want 2"},
		{"join form", "", "empty"},
		{"join form", `{"Role":"mentee"}`, "2 fields, want at least 7"},
		{"join form", "mentee:::::", "6 fields, want at least 7"},
		{"join form", `mentee:\n::::::`, "'n' escaped"},
	}
	for _, tc := range tests {
		t.Run(tc.kind+" "+tc.value, func(t *testing.T) {
			got, err := readers[tc.kind](tc.value)
			if err == nil {
				t.Fatalf("%q reads as %+v", tc.value, got)
			}
			if !strings.Contains(err.Error(), tc.why) {
				t.Errorf("%q is refused with %q, want it to say %q", tc.value, err, tc.why)
			}
			if ve, ok := errors.AsType[*valueError](err); !ok || ve.value != tc.value {
				t.Errorf("%q is refused with %v, which does not quote the value for the log", tc.value, err)
			}
		})
	}
}

// TestTheLongestValuesFitSlack: a value escaped at every character still
// fits where Slack keeps it.
func TestTheLongestValuesFitSlack(t *testing.T) {
	t.Parallel()
	colons := func(n int) string { return strings.Repeat(":", n) }
	session := sessionValue(sessionRef{1<<63 - 1, time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC), 1<<31 - 1})
	ic := slack.InteractionCallback{Channel: slack.Channel{GroupConversation: slack.GroupConversation{Conversation: slack.Conversation{ID: "C" + strings.Repeat("X", 20)}}}}
	ic.Message.Timestamp = "1772445600.000100"
	topics := make([]string, mentorbot.MaxTopics)
	for i := range topics {
		topics[i] = colons(mentorbot.MaxTopicLength)
	}
	// 200 and 500 are the most the join form's inputs take for other
	// topics and availability.
	join := mentorbot.ProfileForm{Role: "mentor", Topics: topics, OtherTopics: colons(200), JobLevel: "7",
		Department: colons(mentorbot.MaxDepartmentChars), ManagerID: "U" + strings.Repeat("X", 20), TimeZone: colons(40), Availability: colons(500)}
	tests := []struct {
		name  string
		value string
		limit int
	}{
		{"session button", session, maxButtonValue},
		{"session form", originValue(ic, &slack.BlockAction{Value: session}), maxMetadata},
		{"join form", joinFormValue(join), maxMetadata},
	}
	for _, tc := range tests {
		if n := utf8.RuneCountInString(tc.value); n > tc.limit {
			t.Errorf("the longest %s value has %d characters; Slack keeps %d", tc.name, n, tc.limit)
		}
	}
	if got, err := readJoinFormValue(joinFormValue(join)); err != nil || !reflect.DeepEqual(got, join) {
		t.Errorf("the longest join form reads as %+v, %v", got, err)
	}
}

// FuzzFieldsReadBackAsWritten: whatever the fields hold, they come back
// split where they were joined, and no value makes the reader panic.
func FuzzFieldsReadBackAsWritten(f *testing.F) {
	f.Add("12", "1772532000", `a\:b`)
	f.Add("", ":", `\`)
	f.Fuzz(func(t *testing.T, a, b, c string) {
		want := []string{a, b, c}
		got, err := splitFields(joinFields(want...))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%q reads back as %q, %v", want, got, err)
		}
		_, _ = splitFields(a)
	})
}

func anyOf[T any](read func(string) (T, error)) func(string) (any, error) {
	return func(s string) (any, error) { return read(s) }
}

func joinForm() mentorbot.ProfileForm {
	return mentorbot.ProfileForm{Role: "mentor", Topics: []string{"AI assistants", "Spreadsheets: the basics"}, OtherTopics: `Figma, C:\ paths`,
		JobLevel: "3", Department: "Finance", ManagerID: "U0BOSS", TimeZone: "Europe/Paris", Availability: "Tue 10:00-12:00, Thu 14:00-16:00"}
}
