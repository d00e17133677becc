package mentorbot_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mentorbot/mentorbot"
)

// at is a moment in March 2026, UTC.
func at(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, time.UTC) }

func session(day int, mentorSaid, menteeSaid mentorbot.Held, skipped bool) mentorbot.Session {
	s := mentorbot.Session{PairID: 1, Occurrence: at(day, 10), StartsAt: at(day, 10), EndsAt: at(day, 11),
		State: mentorbot.SessionScheduled, MentorHeld: mentorSaid, MenteeHeld: menteeSaid}
	if skipped {
		s.State = mentorbot.SessionSkipped
	}
	return s
}

func TestRiskRulesAssess(t *testing.T) {
	weekly := &mentorbot.Slot{Cadence: mentorbot.CadenceWeekly}
	active := mentorbot.Pair{ID: 1, State: mentorbot.PairActive, StartedAt: at(1, 9), Slot: weekly}
	yes, no := mentorbot.HeldYes, mentorbot.HeldNo
	tests := []struct {
		name     string
		h        mentorbot.PairHistory
		now      time.Time
		want     []mentorbot.RiskReason
		evidence string
	}{
		{"meeting well", mentorbot.PairHistory{Pair: active, Sessions: []mentorbot.Session{session(3, yes, yes, false), session(10, yes, "", false)}}, at(12, 9), nil, ""},
		{"one miss is no pattern", mentorbot.PairHistory{Pair: active, Sessions: []mentorbot.Session{session(3, yes, yes, false), session(10, no, no, false)}}, at(12, 9), nil, ""},
		{"two in a row missed or called off", mentorbot.PairHistory{Pair: active, Sessions: []mentorbot.Session{session(3, yes, yes, false), session(10, no, "", false), session(17, "", "", true)}}, at(18, 9),
			[]mentorbot.RiskReason{mentorbot.RiskMissed, mentorbot.RiskQuiet}, fmt.Sprintf("missed:%d,quiet:%d:1", at(17, 10).Unix(), at(3, 10).Unix())},
		{"a future session does not count", mentorbot.PairHistory{Pair: active, Sessions: []mentorbot.Session{session(3, yes, yes, false), session(10, no, "", false), session(17, "", "", true)}}, at(12, 9), nil, ""},
		{"quiet for twice the cadence", mentorbot.PairHistory{Pair: active, Sessions: []mentorbot.Session{session(3, yes, yes, false), session(10, "", "", false)}}, at(17, 11),
			[]mentorbot.RiskReason{mentorbot.RiskQuiet}, fmt.Sprintf("quiet:%d:1", at(3, 10).Unix())},
		{"low pulses", mentorbot.PairHistory{Pair: active, Sessions: []mentorbot.Session{session(3, yes, yes, false)},
			Pulses: []mentorbot.Pulse{{Useful: 2, Comfort: 1, AnsweredAt: at(3, 12)}, {Useful: 3, Comfort: 2, AnsweredAt: at(3, 13)}}}, at(4, 9),
			[]mentorbot.RiskReason{mentorbot.RiskLowPulse}, fmt.Sprintf("pulse:%d", at(3, 13).Unix())},
		{"good pulses", mentorbot.PairHistory{Pair: active, Sessions: []mentorbot.Session{session(3, yes, yes, false)},
			Pulses: []mentorbot.Pulse{{Useful: 4, Comfort: 5, AnsweredAt: at(3, 12)}}}, at(4, 9), nil, ""},
		{"an unanswered proposal past half its time", mentorbot.PairHistory{Pair: mentorbot.Pair{State: mentorbot.PairProposed, CreatedAt: at(1, 9), AnswerBy: at(4, 9), MentorAnswer: mentorbot.AnswerAccepted}}, at(3, 9),
			[]mentorbot.RiskReason{mentorbot.RiskNoConsent}, "consent"},
		{"a fresh proposal", mentorbot.PairHistory{Pair: mentorbot.Pair{State: mentorbot.PairProposed, CreatedAt: at(1, 9), AnswerBy: at(4, 9)}}, at(2, 9), nil, ""},
		{"an ended pair is never at risk", mentorbot.PairHistory{Pair: mentorbot.Pair{State: mentorbot.PairEnded, StartedAt: at(1, 9)}}, at(30, 9), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, evidence := mentorbot.DefaultRiskRules.Assess(tt.h, tt.now)
			if !slices.Equal(got, tt.want) || evidence != tt.evidence {
				t.Errorf("Assess = %v %q, want %v %q", got, evidence, tt.want, tt.evidence)
			}
		})
	}
}

// TestSummarizeHidesFewAnswers: a figure from 2 answers is hidden, from 3
// it shows; and a 4th answer changes nothing until 3 new ones have come,
// so two summaries never single out one answer.
func TestSummarizeHidesFewAnswers(t *testing.T) {
	cycle := mentorbot.Cycle{ID: 1, StartsOn: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}
	pulse := func(id string, useful, minute int) mentorbot.Pulse {
		return mentorbot.Pulse{PairID: 1, ParticipantID: id, Occurrence: at(3, 10), Useful: useful, AnsweredAt: at(3, 12).Add(time.Duration(minute) * time.Minute)}
	}
	tests := []struct {
		name    string
		pulses  []mentorbot.Pulse
		hidden  bool
		value   float64
		answers int
	}{
		{"none", nil, true, 0, 0},
		{"two", []mentorbot.Pulse{pulse("a", 5, 1), pulse("b", 1, 2)}, true, 0, 0},
		{"three", []mentorbot.Pulse{pulse("a", 5, 1), pulse("b", 1, 2), pulse("c", 3, 3)}, false, 3, 3},
		{"a fourth waits for two more", []mentorbot.Pulse{pulse("a", 5, 1), pulse("b", 1, 2), pulse("c", 3, 3), pulse("d", 1, 4)}, false, 3, 3},
		{"six", []mentorbot.Pulse{pulse("a", 5, 1), pulse("b", 1, 2), pulse("c", 3, 3), pulse("d", 1, 4), pulse("e", 2, 5), pulse("f", 3, 6)}, false, 2.5, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mentorbot.Summarize(mentorbot.SummaryData{Cycle: cycle, Pairs: []mentorbot.Pair{{ID: 1, State: mentorbot.PairActive}}, Pulses: tt.pulses}, at(10, 9), time.UTC)
			if s.Useful.Hidden() != tt.hidden || (!tt.hidden && (s.Useful.Value != tt.value || s.Useful.Answers != tt.answers)) {
				t.Errorf("useful = %+v hidden %v; want hidden %v, %v from %d", s.Useful, s.Useful.Hidden(), tt.hidden, tt.value, tt.answers)
			}
			if !s.Comfort.Hidden() {
				t.Errorf("comfort has no answers but shows %+v", s.Comfort)
			}
			week := s.Trend[0]
			if !week.Start.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)) || week.Pulse != s.Useful {
				t.Errorf("first trend week %+v, want Mon 2 Mar with the cycle's figure %+v", week, s.Useful)
			}
		})
	}
}

func TestSummarizeCountsSessionsAndSurveys(t *testing.T) {
	cycle := mentorbot.Cycle{ID: 1, StartsOn: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}
	yes, no := mentorbot.HeldYes, mentorbot.HeldNo
	d := mentorbot.SummaryData{Cycle: cycle,
		Pairs:    []mentorbot.Pair{{ID: 1, State: mentorbot.PairActive}, {ID: 2, State: mentorbot.PairProposed}},
		Sessions: []mentorbot.Session{session(3, yes, yes, false), session(10, no, no, false), session(17, "", "", true), session(24, yes, no, false), session(31, "", "", false)},
		Flags:    []mentorbot.RiskFlag{{PairID: 1}, {PairID: 1, ResolvedAt: at(20, 9)}},
	}
	survey := func(id string, c mentorbot.Continue, p ...mentorbot.Progress) mentorbot.Survey {
		return mentorbot.Survey{ParticipantID: id, Kind: mentorbot.SurveyMidpoint, Continue: c, Progress: p, AnsweredAt: at(20, len(id))}
	}
	d.Surveys = []mentorbot.Survey{survey("a", mentorbot.ContinueYes, mentorbot.ProgressAchieved), survey("bb", mentorbot.ContinueNo, mentorbot.ProgressNotStarted, mentorbot.ProgressProgressing)}
	s := mentorbot.Summarize(d, at(28, 9), time.UTC)
	want := mentorbot.SessionCounts{Due: 3, Held: 1, Missed: 1, Skipped: 1, Disputed: 1}
	if s.Sessions != want || s.Pairs.Active != 1 || s.Pairs.Waiting != 1 || s.AtRisk != 1 {
		t.Errorf("sessions %+v pairs %+v at risk %d; want %+v, 1 active, 1 waiting, 1 at risk", s.Sessions, s.Pairs, s.AtRisk, want)
	}
	if !s.Midpoint.Hidden() {
		t.Errorf("midpoint tally from 2 people shows: %+v", s.Midpoint)
	}
	d.Surveys = append(d.Surveys, survey("ccc", mentorbot.ContinueYes, mentorbot.ProgressAchieved))
	s = mentorbot.Summarize(d, at(28, 9), time.UTC)
	if s.Midpoint.Hidden() || s.Midpoint.Continue[mentorbot.ContinueYes] != 2 || s.Midpoint.Progress[mentorbot.ProgressAchieved] != 2 || s.Midpoint.Goals != 4 {
		t.Errorf("midpoint tally from 3 people: %+v", s.Midpoint)
	}
}

func TestSurveyFormParse(t *testing.T) {
	goals := []mentorbot.Goal{{Aim: "Post on LinkedIn weekly", Signal: "I did"}, {Aim: "Use an AI assistant", Signal: "Drafts"}}
	tests := []struct {
		name   string
		form   mentorbot.SurveyForm
		fields []string
	}{
		{"complete", mentorbot.SurveyForm{Progress: []string{"achieved", "progressing"}, Continue: "yes"}, nil},
		{"a goal without progress", mentorbot.SurveyForm{Progress: []string{"achieved"}, Continue: "unsure"}, []string{mentorbot.FieldGoalProgress(1)}},
		{"a made-up answer", mentorbot.SurveyForm{Progress: []string{"done", "achieved"}, Continue: "maybe"}, []string{mentorbot.FieldGoalProgress(0), mentorbot.FieldSurveyContinue}},
		{"too long a change", mentorbot.SurveyForm{Progress: []string{"achieved", "achieved"}, Continue: "no", Change: string(make([]byte, 501))}, []string{mentorbot.FieldSurveyChange}},
		{"ratings given and left out", mentorbot.SurveyForm{Progress: []string{"achieved", "achieved"}, Continue: "yes", Ratings: map[string]string{rated(0): "5", rated(3): " 1 "}}, nil},
		{"a rating off the scale", mentorbot.SurveyForm{Progress: []string{"achieved", "achieved"}, Continue: "yes", Ratings: map[string]string{rated(0): "6", rated(1): "0", rated(2): "4.5", rated(3): "03"}},
			[]string{rated(0), rated(1), rated(2), rated(3)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.form.Parse(goals, surveyAsks)
			fields := mentorbot.ErrorFields(err)
			if len(fields) != len(tt.fields) {
				t.Fatalf("fields %v, want %v", fields, tt.fields)
			}
			for _, f := range tt.fields {
				if fields[f] == "" {
					t.Errorf("no message for %s: %v", f, fields)
				}
			}
		})
	}
}

// FuzzSurveyForm checks that a survey is either refused on the fields of
// the form the person saw (one progress field per goal) or gives answers
// from the choices offered and a trimmed, short note on what to change.
func FuzzSurveyForm(f *testing.F) {
	f.Add(uint8(2), "achieved", "progressing", "", "yes", "Longer sessions, please.")
	f.Add(uint8(0), "", "", "", " unsure\n", "")
	f.Add(uint8(3), "not_started", " achieved ", "done", "maybe", strings.Repeat("ü", mentorbot.MaxSurveyChangeChar))
	f.Add(uint8(1), "ACHIEVED", "", "", "no", strings.Repeat("x", mentorbot.MaxSurveyChangeChar+1))
	f.Add(uint8(255), "achieved", "achieved", "achieved", "yes", "\u2003 em spaces around \u2003")
	f.Fuzz(func(t *testing.T, goalCount uint8, progress0, progress1, progress2, answer, change string) {
		goals := make([]mentorbot.Goal, int(goalCount)%(mentorbot.MaxGoals+1))
		// The first progress answer stands in for a rating too: any text
		// may come back from a crafted form.
		form := mentorbot.SurveyForm{Progress: []string{progress0, progress1, progress2}, Continue: answer, Change: change,
			Ratings: map[string]string{rated(0): progress0, rated(4): answer}}
		s, err := form.Parse(goals, surveyAsks)
		if err != nil {
			fields := mentorbot.ErrorFields(err)
			if mentorbot.ErrorCode(err) != mentorbot.EINVALID || len(fields) == 0 {
				t.Fatalf("refused without field messages: %v", err)
			}
			for field, msg := range fields {
				known := field == mentorbot.FieldSurveyContinue || field == mentorbot.FieldSurveyChange || field == rated(0) || field == rated(4)
				for i := range goals {
					known = known || field == mentorbot.FieldGoalProgress(i)
				}
				if !known || msg == "" {
					t.Fatalf("refused on field %q with message %q", field, msg)
				}
			}
			return
		}
		if len(s.Progress) != len(goals) || len(s.Goals) != len(goals) {
			t.Fatalf("accepted %d progress answers for %d goals", len(s.Progress), len(goals))
		}
		for _, p := range s.Progress {
			if !slices.Contains(mentorbot.Progresses, p) {
				t.Fatalf("accepted the progress %q", p)
			}
		}
		if !slices.Contains(mentorbot.Continues, s.Continue) {
			t.Fatalf("accepted the answer %q", s.Continue)
		}
		for _, r := range s.Ratings {
			if !slices.Contains(mentorbot.RatingScores, r.Score) {
				t.Fatalf("accepted the rating %+v", r)
			}
		}
		if s.Change != strings.TrimSpace(change) || utf8.RuneCountInString(s.Change) > mentorbot.MaxSurveyChangeChar {
			t.Fatalf("accepted the change %q as %q", change, s.Change)
		}
	})
}

// TestSummarizeCountsPeopleInTheirRolesStates: each role's counts hold the
// states that role has, zeros too, and nothing else.
func TestSummarizeCountsPeopleInTheirRolesStates(t *testing.T) {
	cycle := mentorbot.Cycle{ID: 1, StartsOn: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}
	census := mentorbot.Census{ByRole: map[mentorbot.Role]map[mentorbot.State]int{
		mentorbot.RoleMentor: {mentorbot.StateApplied: 1, mentorbot.StateApproved: 2},
		mentorbot.RoleMentee: {mentorbot.StateApproved: 3, mentorbot.StateTrained: 1},
	}}
	s := mentorbot.Summarize(mentorbot.SummaryData{Cycle: cycle, Census: census}, at(10, 9), time.UTC)
	for _, role := range mentorbot.Roles {
		got := s.People[role]
		if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, slices.Sorted(slices.Values(role.States()))) {
			t.Errorf("%s counts states %v, want %v", role, keys, role.States())
		}
		for state, n := range got {
			if n != census.ByRole[role][state] {
				t.Errorf("%s in %s: %d, want %d", role, state, n, census.ByRole[role][state])
			}
		}
	}
}

// TestTheScheduledSummaryIsOwedOncePerPeriodAndDrawnWhenSent owes the HR
// channel its summary as the schedule does: owing it again in the same
// period owes nothing more, and what it says is worked out when it goes.
func TestTheScheduledSummaryIsOwedOncePerPeriodAndDrawnWhenSent(t *testing.T) {
	ctx := context.Background()
	pr, db, clock := programme(t)
	pr.HRChannel = "C0HR"
	owed := outboxWatch(t, db)
	monday := clock.Now()
	oweOne := func(period time.Time) mentorbot.OutboxItem {
		t.Helper()
		for range 2 {
			if err := pr.OweSummary(ctx, period); err != nil {
				t.Fatal(err)
			}
		}
		items := owed()
		if len(items) != 1 || items[0].Kind != mentorbot.OutboxSummary || items[0].To != "C0HR" {
			t.Fatalf("owing the summary of %v twice owed %+v, want one summary to the HR channel", period, items)
		}
		return items[0]
	}

	if _, drop, err := pr.Resolve(ctx, oweOne(monday)); drop == "" || err != nil {
		t.Errorf("a summary with no cycle run yet resolved to drop %q, %v; want it dropped", drop, err)
	}

	openCycle(t, pr, "Spring 2026")
	item := oweOne(monday.AddDate(0, 0, 7))
	clock.Advance(2 * time.Hour) // Slack was down when it was owed
	d, drop, err := pr.Resolve(ctx, item)
	if err != nil || drop != "" || d.Summary.Cycle.Name != "Spring 2026" || !d.Summary.AsOf.Equal(clock.Now()) {
		t.Errorf("the summary resolved to %q as of %v, drop %q, %v; want Spring 2026 as of %v", d.Summary.Cycle.Name, d.Summary.AsOf, drop, err, clock.Now())
	}

	pr.HRChannel = ""
	if err := pr.OweSummary(ctx, monday.AddDate(0, 0, 14)); err != nil || len(owed()) != 0 {
		t.Errorf("with no HR channel the summary was owed (%v)", err)
	}
}
