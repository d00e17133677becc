package store

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
)

// cyclePair stores the sample cycle, which a fresh database gives ID 1,
// and an active pair of it, for rows that must name a cycle that exists.
func cyclePair(t *testing.T, db *DB) (mentorbot.Cycle, mentorbot.Pair) {
	t.Helper()
	c, err := db.SaveCycle(context.Background(), sampleCycle())
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != 1 {
		t.Fatalf("first cycle has ID %d, want 1 as activePair assumes", c.ID)
	}
	return c, activePair(t, db, "UA", "UX")
}

func TestPulseAnswersKeepEachOther(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		_, p := cyclePair(t, db)
		at := func(minutes int) time.Time { return day.Add(time.Duration(minutes) * time.Minute) }
		// Each answer is built from a pulse as a click loads it: a new one,
		// knowing nothing of what other clicks saved since.
		score := func(q mentorbot.PulseQuestion, n, minutes int) mentorbot.PulseAnswer {
			a := mentorbot.PulseAnswer{Question: q, Pulse: mentorbot.Pulse{AnsweredAt: at(minutes)}}
			if q == mentorbot.PulseComfort {
				a.Pulse.Comfort = n
			} else {
				a.Pulse.Useful = n
			}
			return a
		}
		note := func(text string) mentorbot.PulseAnswer {
			return mentorbot.PulseAnswer{NoteOnly: true, Pulse: mentorbot.Pulse{Note: text}}
		}
		for i, tc := range []struct {
			name    string
			answers []mentorbot.PulseAnswer
			want    mentorbot.Pulse // scores, note and answered_at
		}{
			{"one score", []mentorbot.PulseAnswer{score(mentorbot.PulseUseful, 4, 1)},
				mentorbot.Pulse{Useful: 4, AnsweredAt: at(1)}},
			{"the other question keeps the first", []mentorbot.PulseAnswer{score(mentorbot.PulseUseful, 4, 1), score(mentorbot.PulseComfort, 2, 2)},
				mentorbot.Pulse{Useful: 4, Comfort: 2, AnsweredAt: at(2)}},
			{"a changed answer replaces only itself", []mentorbot.PulseAnswer{score(mentorbot.PulseComfort, 2, 1), score(mentorbot.PulseUseful, 1, 2), score(mentorbot.PulseUseful, 5, 3)},
				mentorbot.Pulse{Useful: 5, Comfort: 2, AnsweredAt: at(3)}},
			{"a note keeps the scores", []mentorbot.PulseAnswer{score(mentorbot.PulseUseful, 3, 1), score(mentorbot.PulseComfort, 5, 2), note("Ask about pivot tables")},
				mentorbot.Pulse{Useful: 3, Comfort: 5, Note: "Ask about pivot tables", AnsweredAt: at(2)}},
			{"a score keeps the note", []mentorbot.PulseAnswer{note("Too short"), score(mentorbot.PulseUseful, 1, 4)},
				mentorbot.Pulse{Useful: 1, Note: "Too short", AnsweredAt: at(4)}},
			{"a note alone answers nothing", []mentorbot.PulseAnswer{note("first"), note("second")},
				mentorbot.Pulse{Note: "second"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				occurrence := time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC).AddDate(0, 0, 14*i)
				key := mentorbot.Pulse{PairID: p.ID, Occurrence: occurrence, ParticipantID: "UX", Role: mentorbot.RoleMentee, CycleID: 1}
				for _, a := range tc.answers {
					a.Pulse.PairID, a.Pulse.Occurrence, a.Pulse.ParticipantID, a.Pulse.Role, a.Pulse.CycleID =
						key.PairID, key.Occurrence, key.ParticipantID, key.Role, key.CycleID
					if err := db.Apply(ctx, mentorbot.Change{PulseAnswers: []mentorbot.PulseAnswer{a}}); err != nil {
						t.Fatal(err)
					}
				}
				want := key
				want.Useful, want.Comfort, want.Note, want.AnsweredAt = tc.want.Useful, tc.want.Comfort, tc.want.Note, tc.want.AnsweredAt
				if got, err := db.Pulse(ctx, p.ID, occurrence, "UX"); err != nil || !reflect.DeepEqual(got, want) {
					t.Fatalf("Pulse =\n%+v, %v\nwant\n%+v", got, err, want)
				}
				var null bool
				if err := db.db.QueryRow(`SELECT answered_at IS NULL FROM pulses WHERE pair_id = ? AND occurrence = ?`,
					p.ID, formatTime(occurrence)).Scan(&null); err != nil || null != want.AnsweredAt.IsZero() {
					t.Fatalf("answered_at NULL = %v, %v; want %v", null, err, want.AnsweredAt.IsZero())
				}
			})
		}

		_, err := db.Pulse(ctx, p.ID, day, "UX")
		wantCode(t, err, mentorbot.ENOTFOUND)
		odd := score(mentorbot.PulseUseful, 3, 1)
		odd.Question = "vibes"
		odd.Pulse.PairID, odd.Pulse.Occurrence, odd.Pulse.ParticipantID, odd.Pulse.Role, odd.Pulse.CycleID = p.ID, day, "UX", mentorbot.RoleMentee, 1
		if err := db.Apply(ctx, mentorbot.Change{PulseAnswers: []mentorbot.PulseAnswer{odd}}); err == nil {
			t.Fatal("an answer to an unknown question was saved")
		}
	})
}

func TestPulsesListed(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		spring, p := cyclePair(t, db)
		spring.ClosedAt = day
		if _, err := db.SaveCycle(ctx, spring); err != nil {
			t.Fatal(err)
		}
		summer := sampleCycle()
		summer.Name = "Summer 2026"
		summer, err := db.SaveCycle(ctx, summer)
		if err != nil {
			t.Fatal(err)
		}
		occurrence := func(weeks int) time.Time { return time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC).AddDate(0, 0, 7*weeks) }
		pulse := func(who string, role mentorbot.Role, cycle int64, weeks, answeredHours int) mentorbot.PulseAnswer {
			return mentorbot.PulseAnswer{Question: mentorbot.PulseUseful, Pulse: mentorbot.Pulse{
				PairID: p.ID, Occurrence: occurrence(weeks), ParticipantID: who, Role: role, CycleID: cycle,
				Useful: 3, AnsweredAt: day.Add(time.Duration(answeredHours) * time.Hour)}}
		}
		// Out of order, so the order comes from the queries: UX answered the
		// later session first.
		c := mentorbot.Change{PulseAnswers: []mentorbot.PulseAnswer{
			pulse("UX", mentorbot.RoleMentee, spring.ID, 2, 1),
			pulse("UA", mentorbot.RoleMentor, spring.ID, 0, 3),
			pulse("UX", mentorbot.RoleMentee, spring.ID, 0, 2),
			pulse("UX", mentorbot.RoleMentee, summer.ID, 5, 0),
		}}
		if err := db.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
		type key struct {
			who   string
			weeks int
		}
		keys := func(ps []mentorbot.Pulse) []key {
			var out []key
			for _, p := range ps {
				out = append(out, key{p.ParticipantID, int(p.Occurrence.Sub(occurrence(0)) / (7 * 24 * time.Hour))})
			}
			return out
		}
		for _, tc := range []struct {
			name string
			load func() ([]mentorbot.Pulse, error)
			want []key
		}{
			{"a cycle's, oldest answer first", func() ([]mentorbot.Pulse, error) { return db.Pulses(ctx, spring.ID) }, []key{{"UX", 2}, {"UX", 0}, {"UA", 0}}},
			{"another cycle's", func() ([]mentorbot.Pulse, error) { return db.Pulses(ctx, summer.ID) }, []key{{"UX", 5}}},
			{"a person's, oldest session first", func() ([]mentorbot.Pulse, error) { return db.PulsesBy(ctx, "UX", spring.ID) }, []key{{"UX", 0}, {"UX", 2}}},
			{"nobody's", func() ([]mentorbot.Pulse, error) { return db.PulsesBy(ctx, "UZ", spring.ID) }, nil},
		} {
			got, err := tc.load()
			if err != nil || !reflect.DeepEqual(keys(got), tc.want) {
				t.Errorf("%s = %v, %v; want %v", tc.name, keys(got), err, tc.want)
			}
		}
	})
}

func TestSurveyAnsweredOnce(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		cycle, p := cyclePair(t, db)
		midpoint := mentorbot.Survey{
			ParticipantID: "UX", Role: mentorbot.RoleMentee, CycleID: cycle.ID, Kind: mentorbot.SurveyMidpoint,
			Goals:    []mentorbot.Goal{{Aim: "Edit a short video", Signal: "One is posted"}, {Aim: "Read a dashboard", Signal: "I answer my own questions"}},
			Progress: []mentorbot.Progress{mentorbot.ProgressAchieved, mentorbot.ProgressNotStarted},
			Continue: mentorbot.ContinueUnsure, Change: "Meet earlier in the day.", AnsweredAt: day,
			Ratings: []mentorbot.QualityRating{
				{Rated: mentorbot.RatedPartner, Role: mentorbot.RoleMentor, Quality: "patience", Score: 5, AnsweredAt: day},
				{Rated: mentorbot.RatedSelf, Role: mentorbot.RoleMentee, Quality: "listen", Score: 2, AnsweredAt: day},
			},
		}
		// Someone with no goals answers too.
		bare := mentorbot.Survey{ParticipantID: "UA", Role: mentorbot.RoleMentor, CycleID: cycle.ID, Kind: mentorbot.SurveyMidpoint,
			Continue: mentorbot.ContinueYes, AnsweredAt: day.Add(time.Hour)}
		if err := db.Apply(ctx, mentorbot.Change{Surveys: []mentorbot.Survey{midpoint, bare}}); err != nil {
			t.Fatal(err)
		}
		for _, want := range []mentorbot.Survey{midpoint, bare} {
			if got, err := db.Survey(ctx, want.ParticipantID, cycle.ID, mentorbot.SurveyMidpoint); err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("Survey(%s) =\n%+v, %v\nwant\n%+v", want.ParticipantID, got, err, want)
			}
		}
		var goals, progress string
		if err := db.db.QueryRow(`SELECT goals, progress FROM surveys WHERE participant_id = 'UA'`).Scan(&goals, &progress); err != nil ||
			goals != "[]" || progress != "[]" {
			t.Fatalf("no goals stored as %q, %q, %v; want empty arrays", goals, progress, err)
		}
		if got, err := db.Surveys(ctx, cycle.ID); err != nil || !reflect.DeepEqual(got, []mentorbot.Survey{midpoint, bare}) {
			t.Fatalf("Surveys = %+v, %v", got, err)
		}
		_, err := db.Survey(ctx, "UX", cycle.ID, mentorbot.SurveyClosing)
		wantCode(t, err, mentorbot.ENOTFOUND)

		// A second answer is refused, and nothing else of its change is written.
		again := midpoint
		again.Continue, again.AnsweredAt = mentorbot.ContinueNo, day.Add(2*time.Hour)
		item := mentorbot.OutboxItem{Key: "k", To: "UX", Kind: mentorbot.OutboxSurvey, PairID: p.ID, CycleID: cycle.ID, DueAt: day}
		err = db.Apply(ctx, mentorbot.Change{Surveys: []mentorbot.Survey{again}, Outbox: []mentorbot.OutboxItem{item}})
		wantCode(t, err, mentorbot.ECONFLICT)
		if msg := mentorbot.ErrorMessage(err); !strings.Contains(msg, "answered this survey already") {
			t.Errorf("message %q; want it to say the survey was answered", msg)
		}
		if got, err := db.Survey(ctx, "UX", cycle.ID, mentorbot.SurveyMidpoint); err != nil || got.Continue != mentorbot.ContinueUnsure {
			t.Fatalf("after a second answer: %+v, %v; want the first kept", got, err)
		}
		if got, err := db.OutboxOf(ctx, p.ID); err != nil || len(got) != 0 {
			t.Fatalf("outbox after a refused survey: %+v, %v", got, err)
		}

		// The closing survey is another survey.
		closing := midpoint
		closing.Kind, closing.AnsweredAt = mentorbot.SurveyClosing, day.Add(3*time.Hour)
		if err := db.Apply(ctx, mentorbot.Change{Surveys: []mentorbot.Survey{closing}}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRiskFlags(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		cycle, p := cyclePair(t, db)
		other := activePair(t, db, "UB", "UY")
		_, err := db.LatestRiskFlag(ctx, p.ID)
		wantCode(t, err, mentorbot.ENOTFOUND)

		flag := func(pair int64, evidence string, hours int, reasons ...mentorbot.RiskReason) mentorbot.RiskFlag {
			return mentorbot.RiskFlag{PairID: pair, CycleID: cycle.ID, Reasons: reasons, Evidence: evidence, RaisedAt: day.Add(time.Duration(hours) * time.Hour)}
		}
		c := mentorbot.Change{RiskFlags: []mentorbot.RiskFlag{
			flag(p.ID, "missed:1,quiet:1:1", 0, mentorbot.RiskMissed, mentorbot.RiskQuiet),
			flag(other.ID, "pulse:7", 1, mentorbot.RiskLowPulse),
		}}
		if err := db.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
		if c.RiskFlags[0].ID == 0 || c.RiskFlags[1].ID <= c.RiskFlags[0].ID {
			t.Fatalf("flags got IDs %d, %d; want two, in order", c.RiskFlags[0].ID, c.RiskFlags[1].ID)
		}
		first, second := c.RiskFlags[0], c.RiskFlags[1]
		if got, err := db.RiskFlags(ctx, cycle.ID); err != nil || !reflect.DeepEqual(got, []mentorbot.RiskFlag{first, second}) {
			t.Fatalf("RiskFlags =\n%+v, %v\nwant\n%+v", got, err, []mentorbot.RiskFlag{first, second})
		}
		var reasons string
		if err := db.db.QueryRow(`SELECT reasons FROM risk_flags WHERE id = ?`, first.ID).Scan(&reasons); err != nil || reasons != "missed,quiet" {
			t.Fatalf("stored reasons %q, %v; want comma-separated", reasons, err)
		}

		// The same evidence flags a pair once; new evidence flags it again.
		c = mentorbot.Change{RiskFlags: []mentorbot.RiskFlag{flag(p.ID, "missed:1,quiet:1:1", 5, mentorbot.RiskMissed), flag(p.ID, "quiet:1:2", 6, mentorbot.RiskQuiet)}}
		if err := db.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
		if c.RiskFlags[0].ID != 0 || c.RiskFlags[1].ID == 0 {
			t.Fatalf("IDs written back %d, %d; want 0 for the evidence flagged already", c.RiskFlags[0].ID, c.RiskFlags[1].ID)
		}
		latest := c.RiskFlags[1]
		if got, err := db.LatestRiskFlag(ctx, p.ID); err != nil || !reflect.DeepEqual(got, latest) {
			t.Fatalf("LatestRiskFlag =\n%+v, %v\nwant\n%+v", got, err, latest)
		}
		if got, err := db.RiskFlags(ctx, cycle.ID); err != nil || len(got) != 3 || !reflect.DeepEqual(got[0], first) {
			t.Fatalf("after flagging again: %+v, %v", got, err)
		}

		// An admin acts once; a second admin a moment later is refused.
		resolved := latest
		resolved.ResolvedAt, resolved.Action, resolved.ResolvedBy = day.Add(7*time.Hour), mentorbot.RiskNudge, "UHR"
		if err := db.Apply(ctx, mentorbot.Change{RiskFlags: []mentorbot.RiskFlag{resolved}}); err != nil {
			t.Fatal(err)
		}
		if got, err := db.LatestRiskFlag(ctx, p.ID); err != nil || !reflect.DeepEqual(got, resolved) || got.Open() {
			t.Fatalf("after resolving =\n%+v, %v\nwant\n%+v", got, err, resolved)
		}
		late := latest
		late.ResolvedAt, late.Action, late.ResolvedBy = day.Add(8*time.Hour), mentorbot.RiskDismiss, "UHR2"
		wantCode(t, db.Apply(ctx, mentorbot.Change{RiskFlags: []mentorbot.RiskFlag{late}}), mentorbot.ECONFLICT)
		if got, err := db.LatestRiskFlag(ctx, p.ID); err != nil || got.Action != mentorbot.RiskNudge {
			t.Fatalf("after a late resolve: %+v, %v; want the first action kept", got, err)
		}

		// A change that fails writes back no ID.
		c = mentorbot.Change{RiskFlags: []mentorbot.RiskFlag{flag(other.ID, "pulse:8", 9, mentorbot.RiskLowPulse), late}}
		wantCode(t, db.Apply(ctx, c), mentorbot.ECONFLICT)
		if c.RiskFlags[0].ID != 0 {
			t.Fatalf("a failed change wrote back ID %d", c.RiskFlags[0].ID)
		}
		if got, err := db.LatestRiskFlag(ctx, other.ID); err != nil || got.ID != second.ID {
			t.Fatalf("other pair's latest = %+v, %v; want the flag from before the failed change", got, err)
		}
	})
}

func TestApplySavesCycle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		spring, err := db.SaveCycle(ctx, sampleCycle())
		if err != nil {
			t.Fatal(err)
		}
		spring.SurveyedAt = day.Add(90 * time.Minute)
		item := mentorbot.OutboxItem{Key: "cycle/1/survey/UX", To: "UX", Kind: mentorbot.OutboxSurvey, CycleID: spring.ID, DueAt: day}
		if err := db.Apply(ctx, mentorbot.Change{Cycle: &spring, Outbox: []mentorbot.OutboxItem{item}}); err != nil {
			t.Fatal(err)
		}
		if got, err := db.Cycle(ctx, spring.ID); err != nil || !reflect.DeepEqual(got, spring) {
			t.Fatalf("Cycle =\n%+v, %v\nwant\n%+v", got, err, spring)
		}

		spring.ClosedAt = day.AddDate(0, 3, 0)
		summer := sampleCycle()
		summer.Name, summer.Matching = "Summer 2026", mentorbot.DefaultMatchSettings
		if err := db.Apply(ctx, mentorbot.Change{Cycle: &spring}); err != nil {
			t.Fatal(err)
		}
		if err := db.Apply(ctx, mentorbot.Change{Cycle: &summer}); err != nil || summer.ID == 0 {
			t.Fatalf("a new cycle saved through Apply has ID %d, %v", summer.ID, err)
		}
		got, err := db.Cycles(ctx)
		if err != nil || !reflect.DeepEqual(got, []mentorbot.Cycle{summer, spring}) {
			t.Fatalf("Cycles =\n%+v, %v\nwant newest first\n%+v", got, err, []mentorbot.Cycle{summer, spring})
		}
		if !got[0].SurveyedAt.IsZero() || !got[1].SurveyedAt.Equal(day.Add(90*time.Minute)) {
			t.Fatalf("SurveyedAt = %v, %v", got[0].SurveyedAt, got[1].SurveyedAt)
		}

		// A second open cycle breaks one_open_cycle, and the change is undone.
		third := sampleCycle()
		third.Matching = mentorbot.DefaultMatchSettings
		wantCode(t, db.Apply(ctx, mentorbot.Change{Cycle: &third}), mentorbot.ECONFLICT)
		if third.ID != 0 {
			t.Fatalf("a refused cycle got ID %d", third.ID)
		}
	})
}

func TestSessionsIn(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		a := activePair(t, db, "UA", "UX")
		b := activePair(t, db, "UB", "UY")
		later := mentorbot.Change{Pairs: []mentorbot.Pair{{CycleID: 2, MentorID: "UC", MenteeID: "UZ", Origin: mentorbot.OriginRound,
			State: mentorbot.PairActive, CreatedAt: day, StartedAt: day}}}
		if err := db.Apply(ctx, later); err != nil {
			t.Fatal(err)
		}
		c2 := later.Pairs[0]
		session := func(pair int64, weeks int) mentorbot.Session {
			at := time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC).AddDate(0, 0, 7*weeks)
			return mentorbot.Session{PairID: pair, Occurrence: at, StartsAt: at, EndsAt: at.Add(time.Hour), State: mentorbot.SessionScheduled}
		}
		c := mentorbot.Change{Sessions: []mentorbot.Session{session(b.ID, 1), session(c2.ID, 0), session(a.ID, 2), session(b.ID, 0), session(a.ID, 0)}}
		if err := db.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
		type key struct {
			pair  int64
			weeks int
		}
		for _, tc := range []struct {
			cycle int64
			want  []key
		}{
			{1, []key{{a.ID, 0}, {a.ID, 2}, {b.ID, 0}, {b.ID, 1}}},
			{2, []key{{c2.ID, 0}}},
			{3, nil},
		} {
			got, err := db.SessionsIn(ctx, tc.cycle)
			var keys []key
			for _, s := range got {
				keys = append(keys, key{s.PairID, int(s.Occurrence.Sub(session(0, 0).Occurrence) / (7 * 24 * time.Hour))})
			}
			if err != nil || !reflect.DeepEqual(keys, tc.want) {
				t.Errorf("SessionsIn(%d) = %v, %v; want %v", tc.cycle, keys, err, tc.want)
			}
		}
	})
}

// TestMigrationToFeedback upgrades a database from the sessions schema:
// its outbox messages are about no cycle, its cycles not yet surveyed.
// Going down again drops what only the new schema holds.
func TestMigrationToFeedback(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		provider := migrator(t, db)
		ctx := context.Background()
		if _, err := provider.DownTo(ctx, 4); err != nil {
			t.Fatal(err)
		}
		if _, err := db.db.Exec(`INSERT INTO cycles (name, starts_on, ends_on, cadence, session_minutes, ground_rules, created_by, created_at, updated_at)
		VALUES ('Spring', '2026-03-16', '2026-06-12', 'weekly', 60, 'Kindness first, always.', 'UHR', ?1, ?1)`, formatTime(day)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.db.Exec(`INSERT INTO outbox (key, recipient, kind, due_at) VALUES ('k', 'UX', 'pairing', ?)`, formatTime(day)); err != nil {
			t.Fatal(err)
		}
		if _, err := provider.Up(ctx); err != nil {
			t.Fatal(err)
		}
		if c, err := db.Cycle(ctx, 1); err != nil || !c.SurveyedAt.IsZero() {
			t.Fatalf("migrated cycle = %+v, %v; want not surveyed", c, err)
		}
		if items, err := db.DueOutbox(ctx, day, mentorbot.OutboxCursor{}, 10); err != nil || len(items) != 1 || items[0].CycleID != 0 {
			t.Fatalf("migrated outbox = %+v, %v; want one message about no cycle", items, err)
		}

		p := activePair(t, db, "UA", "UX")
		err := db.Apply(ctx, mentorbot.Change{
			PulseAnswers: []mentorbot.PulseAnswer{{Question: mentorbot.PulseUseful, Pulse: mentorbot.Pulse{
				PairID: p.ID, Occurrence: day, ParticipantID: "UX", Role: mentorbot.RoleMentee, CycleID: 1, Useful: 4, AnsweredAt: day}}},
			Surveys: []mentorbot.Survey{{ParticipantID: "UX", Role: mentorbot.RoleMentee, CycleID: 1, Kind: mentorbot.SurveyMidpoint,
				Continue: mentorbot.ContinueYes, AnsweredAt: day}},
			RiskFlags: []mentorbot.RiskFlag{{PairID: p.ID, CycleID: 1, Reasons: []mentorbot.RiskReason{mentorbot.RiskQuiet}, Evidence: "quiet:1:1", RaisedAt: day}},
			Outbox:    []mentorbot.OutboxItem{{Key: "cycle/1/survey/UX", To: "UX", Kind: mentorbot.OutboxSurvey, CycleID: 1, PairID: p.ID, DueAt: day}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := provider.DownTo(ctx, 4); err != nil {
			t.Fatal(err)
		}
		tables := columnsByTable(t, db)
		for _, table := range []string{"pulses", "surveys", "risk_flags"} {
			if _, ok := tables[table]; ok {
				t.Errorf("table %s is still there after going down", table)
			}
		}
		for table, gone := range map[string]string{"outbox": "cycle_id", "cycles": "surveyed_at"} {
			if slices.Contains(tables[table], gone) {
				t.Errorf("%s.%s is still there after going down", table, gone)
			}
		}
		var n int
		if err := db.db.QueryRow(`SELECT COUNT(*) FROM outbox`).Scan(&n); err != nil || n != 2 {
			t.Fatalf("after going down: %d outbox messages, %v; want both kept", n, err)
		}
		if _, err := provider.Up(ctx); err != nil {
			t.Fatal(err)
		}
		if got, err := db.Pulses(ctx, 1); err != nil || len(got) != 0 {
			t.Fatalf("after going up again: pulses %+v, %v", got, err)
		}
	})
}
