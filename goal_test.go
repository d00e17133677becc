package mentorbot

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestGoalFormParse(t *testing.T) {
	aim := "Use an AI assistant to draft my board updates"
	signal := "Next update drafted with it"
	tests := []struct {
		name string
		form GoalForm
		want []Goal
	}{
		{"one goal", GoalForm{Aims: []string{aim}, Signals: []string{signal}}, []Goal{{aim, signal}}},
		{"three goals", GoalForm{
			Aims:    []string{aim, "Post on LinkedIn every week", "Build a dashboard in Looker"},
			Signals: []string{signal, "Four posts in a month", "Team uses it on Monday"},
		}, []Goal{{aim, signal}, {"Post on LinkedIn every week", "Four posts in a month"}, {"Build a dashboard in Looker", "Team uses it on Monday"}}},
		{"blank row between goals skipped", GoalForm{
			Aims:    []string{aim, " ", "Build a dashboard in Looker"},
			Signals: []string{signal, "", "Team uses it on Monday"},
		}, []Goal{{aim, signal}, {"Build a dashboard in Looker", "Team uses it on Monday"}}},
		{"first rows blank", GoalForm{Aims: []string{"", "", aim}, Signals: []string{"", "", signal}}, []Goal{{aim, signal}}},
		{"short lists read as blank rows", GoalForm{Aims: []string{aim}, Signals: []string{signal, ""}}, []Goal{{aim, signal}}},
		{"spaces collapsed", GoalForm{Aims: []string{"  Use   an AI\nassistant  "}, Signals: []string{"\tI use it\tdaily "}},
			[]Goal{{"Use an AI assistant", "I use it daily"}}},
		{"shortest aim and signal", GoalForm{Aims: []string{strings.Repeat("a", MinGoalChars)}, Signals: []string{strings.Repeat("s", MinGoalSignalChar)}},
			[]Goal{{strings.Repeat("a", MinGoalChars), strings.Repeat("s", MinGoalSignalChar)}}},
		{"longest aim and signal", GoalForm{Aims: []string{strings.Repeat("ä", MaxGoalChars)}, Signals: []string{strings.Repeat("ß", MaxGoalChars)}},
			[]Goal{{strings.Repeat("ä", MaxGoalChars), strings.Repeat("ß", MaxGoalChars)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, role := range []Role{RoleMentor, RoleMentee} {
				got, err := tt.form.Parse(role)
				if err != nil {
					t.Fatalf("Parse(%s) of %+v: %v", role, tt.form, err)
				}
				if !slices.Equal(got, tt.want) {
					t.Fatalf("Parse(%s) = %q, want %q", role, got, tt.want)
				}
			}
		})
	}
}

// TestGoalFormFieldErrors checks that each problem is reported on the field
// of the goal that has it, and on no other.
func TestGoalFormFieldErrors(t *testing.T) {
	aim := "Use an AI assistant to draft my board updates"
	signal := "Next update drafted with it"
	tests := []struct {
		name  string
		role  Role
		form  GoalForm
		field string
		says  string
	}{
		{"empty form for a mentor", RoleMentor, GoalForm{}, FieldGoalAim(0), "at least one goal: what you want to teach"},
		{"empty form for a mentee", RoleMentee, GoalForm{}, FieldGoalAim(0), "at least one goal: what you want to learn"},
		{"only spaces", RoleMentee, GoalForm{Aims: []string{" ", "\n", "\t"}, Signals: []string{" ", " ", " "}}, FieldGoalAim(0), "at least one goal"},
		{"signal without an aim", RoleMentee, GoalForm{Aims: []string{aim, ""}, Signals: []string{signal, signal}}, FieldGoalAim(1), "Write the goal this is the signal for"},
		{"aim without a signal", RoleMentee, GoalForm{Aims: []string{aim, "", aim}, Signals: []string{signal}}, FieldGoalSignal(2), "Say how you'll know"},
		{"short aim for a mentor", RoleMentor, GoalForm{Aims: []string{"TikTok"}, Signals: []string{signal}}, FieldGoalAim(0), "Say a bit more: what you want to teach"},
		{"short aim for a mentee", RoleMentee, GoalForm{Aims: []string{strings.Repeat("a", MinGoalChars-1)}, Signals: []string{signal}}, FieldGoalAim(0), "Say a bit more: what you want to learn"},
		{"long aim", RoleMentee, GoalForm{Aims: []string{strings.Repeat("a", MaxGoalChars+1)}, Signals: []string{signal}}, FieldGoalAim(0), "under 150 characters (this one has 151)"},
		{"short signal", RoleMentee, GoalForm{Aims: []string{aim}, Signals: []string{"done"}}, FieldGoalSignal(0), "Say how you'll know"},
		{"long signal", RoleMentee, GoalForm{Aims: []string{aim, aim}, Signals: []string{signal, strings.Repeat("s", MaxGoalChars+1)}}, FieldGoalSignal(1), "under 150 characters (this one has 151)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.form.Parse(tt.role)
			fields := ErrorFields(err)
			if ErrorCode(err) != EINVALID || !strings.Contains(fields[tt.field], tt.says) {
				t.Fatalf("Parse: err %v, want field %q saying %q", err, tt.field, tt.says)
			}
			if len(fields) != 1 {
				t.Fatalf("Parse: fields %v, want a message on %q only", fields, tt.field)
			}
		})
	}
}

func TestGoalFormReportsEveryGoal(t *testing.T) {
	form := GoalForm{Aims: []string{"short", "", "Use an AI assistant daily"}, Signals: []string{"I know", "A signal with no aim", ""}}
	fields := ErrorFields(func() error { _, err := form.Parse(RoleMentee); return err }())
	for _, field := range []string{FieldGoalAim(0), FieldGoalAim(1), FieldGoalSignal(2)} {
		if fields[field] == "" {
			t.Errorf("no message on %q in %v", field, fields)
		}
	}
	if len(fields) != 3 {
		t.Errorf("fields %v, want messages on exactly three fields", fields)
	}
}

// FuzzGoalForm checks that whatever lands in the goals form is either
// refused with a message on a goal's field or gives goals within limits.
func FuzzGoalForm(f *testing.F) {
	f.Add("Use an AI assistant to draft my board updates", "Next update drafted with it", "", "", "Post on LinkedIn weekly", "Four posts", true)
	f.Add("", "signal only", "short", "", " ", "\t", false)
	f.Add("Lerne KI-Werkzeuge für Präsentationen 🎤", "Drei Folien mit KI gemacht", "カタカナで発表を作る", "一回", strings.Repeat("é", MaxGoalChars+1), "x", true)
	f.Add("Post\u00a0on\u2003LinkedIn  weekly", "\n99999999999999999999 posts\n", "", "", "", "", false)
	f.Fuzz(func(t *testing.T, aim0, signal0, aim1, signal1, aim2, signal2 string, mentor bool) {
		role := RoleMentee
		if mentor {
			role = RoleMentor
		}
		form := GoalForm{Aims: []string{aim0, aim1, aim2}, Signals: []string{signal0, signal1, signal2}}
		goals, err := form.Parse(role)
		if err != nil {
			fields := ErrorFields(err)
			if ErrorCode(err) != EINVALID || len(fields) == 0 {
				t.Fatalf("refused without field messages: %v", err)
			}
			for field, msg := range fields {
				known := false
				for i := range MaxGoals {
					known = known || field == FieldGoalAim(i) || field == FieldGoalSignal(i)
				}
				if !known || msg == "" {
					t.Fatalf("refused on field %q with message %q", field, msg)
				}
			}
			return
		}
		if len(goals) == 0 || len(goals) > MaxGoals {
			t.Fatalf("accepted %d goals", len(goals))
		}
		for _, g := range goals {
			if n := utf8.RuneCountInString(g.Aim); n < MinGoalChars || n > MaxGoalChars || g.Aim != collapseSpaces(g.Aim) {
				t.Fatalf("accepted the aim %q", g.Aim)
			}
			if n := utf8.RuneCountInString(g.Signal); n < MinGoalSignalChar || n > MaxGoalChars || g.Signal != collapseSpaces(g.Signal) {
				t.Fatalf("accepted the signal %q", g.Signal)
			}
		}
	})
}
