package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
)

// populate writes a small programme that puts rows in every table, with
// truth values set both ways, a score with a fraction, text that needs
// quoting and an answer that is not valid UTF-8.
func populate(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	cycle := sampleCycle()
	cycle.CreatedAt, cycle.UpdatedAt = day, day
	cycle, err := db.SaveCycle(ctx, cycle)
	if err != nil {
		t.Fatal(err)
	}
	mentor := person("UMENTOR", mentorbot.RoleMentor, mentorbot.StateMatched, 0)
	mentor.Pitch = `I say "hello" in emoji; it's fine.`
	mentee := person("UMENTEE", mentorbot.RoleMentee, mentorbot.StateMatched, 1)
	other := person("UOTHER", mentorbot.RoleMentee, mentorbot.StateApproved, 2)
	// A change checks each move against the state stored before it, so
	// the mentor applies in one and is approved in the next.
	applied := mentor
	applied.State = mentorbot.StateApplied
	joining := mentorbot.Change{
		Participants: []mentorbot.Participant{applied, mentee, other},
		Moves:        []mentorbot.Transition{{ParticipantID: "UMENTOR", Role: mentorbot.RoleMentor, To: mentorbot.StateApplied, By: "UMENTOR", At: day}},
		Goals:        []mentorbot.GoalSet{{ParticipantID: "UMENTEE", CycleID: cycle.ID, Goals: []mentorbot.Goal{{Aim: "Post a reel", Signal: "One is up"}}, UpdatedAt: day}},
	}
	screening := mentorbot.Change{
		Participants: []mentorbot.Participant{mentor},
		Moves: []mentorbot.Transition{{ParticipantID: "UMENTOR", Role: mentorbot.RoleMentor, From: mentorbot.StateApplied, To: mentorbot.StateApproved, By: "UHR", CycleID: cycle.ID, At: day,
			Screening: &mentorbot.Screening{Checks: []string{"patience", "manner"}, Note: "Welcome aboard."}}},
	}
	for _, c := range []mentorbot.Change{joining, screening} {
		if err := db.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	round := mentorbot.Round{CycleID: cycle.ID, State: mentorbot.RoundDraft, CreatedBy: "UHR", CreatedAt: day,
		Unmatched: []mentorbot.Unmatched{{ParticipantID: "UOTHER", Role: mentorbot.RoleMentee, Why: "no mentor shares a topic"}}}
	matching := mentorbot.Change{
		Round: &round,
		Pairs: []mentorbot.Pair{
			{CycleID: cycle.ID, MentorID: "UMENTOR", MenteeID: "UMENTEE", Origin: mentorbot.OriginRound, State: mentorbot.PairActive,
				Locked: true, CreatedAt: day, StartedAt: day, Fit: mentorbot.Fit{Score: 0.625, Shared: []mentorbot.SharedTopic{{Topic: "TikTok", MentorLevel: 5, MenteeLevel: 1}}}},
			{CycleID: cycle.ID, MentorID: "UMENTOR", MenteeID: "UOTHER", Origin: mentorbot.OriginRound, State: mentorbot.PairDeclined,
				MentorAnswer: mentorbot.AnswerDeclined, DeclineReason: "We work together.", CreatedAt: day},
		},
		DontPairs: []mentorbot.DontPair{{PersonID: "UOTHER", OtherID: "UMENTOR", By: "UOTHER", CreatedAt: day}},
	}
	if err := db.Apply(ctx, matching); err != nil {
		t.Fatal(err)
	}
	active := matching.Pairs[0]
	first, second := day.AddDate(0, 0, 7), day.AddDate(0, 0, 14)
	meetings := mentorbot.Change{
		Sessions: []mentorbot.Session{
			{PairID: active.ID, Occurrence: first, StartsAt: first, EndsAt: first.Add(time.Hour), State: mentorbot.SessionScheduled,
				MentorComing: true, MentorHeld: mentorbot.HeldYes, MentorHeldAt: first.Add(time.Hour)},
			{PairID: active.ID, Occurrence: second, StartsAt: second, EndsAt: second.Add(time.Hour), State: mentorbot.SessionSkipped,
				SkippedBy: "UMENTEE", SkipReason: "Quarter end."},
		},
		Outbox: []mentorbot.OutboxItem{
			nudge(active.ID, "UMENTOR", first, time.Hour),
			{Key: "cycle/survey/UMENTEE", To: "UMENTEE", Kind: mentorbot.OutboxSurvey, CycleID: cycle.ID, DueAt: day, Note: "Halfway there."},
		},
	}
	if err := db.Apply(ctx, meetings); err != nil {
		t.Fatal(err)
	}
	pulse := mentorbot.Pulse{PairID: active.ID, Occurrence: first, ParticipantID: "UMENTEE", Role: mentorbot.RoleMentee, CycleID: cycle.ID, Useful: 4, AnsweredAt: first, Note: "Ask about captions."}
	feedback := mentorbot.Change{
		PulseAnswers: []mentorbot.PulseAnswer{{Pulse: pulse, Question: mentorbot.PulseUseful}, {Pulse: pulse, NoteOnly: true}},
		Surveys: []mentorbot.Survey{{ParticipantID: "UMENTEE", Role: mentorbot.RoleMentee, CycleID: cycle.ID, Kind: mentorbot.SurveyMidpoint,
			Goals: []mentorbot.Goal{{Aim: "Post a reel", Signal: "One is up"}}, Progress: []mentorbot.Progress{mentorbot.ProgressAchieved},
			Continue: mentorbot.ContinueYes, AnsweredAt: first,
			Ratings: []mentorbot.QualityRating{{Rated: mentorbot.RatedPartner, Role: mentorbot.RoleMentor, Quality: "patience", Score: 4},
				{Rated: mentorbot.RatedSelf, Role: mentorbot.RoleMentee, Quality: "listen", Score: 3}}}},
		RiskFlags: []mentorbot.RiskFlag{{PairID: active.ID, CycleID: cycle.ID, Reasons: []mentorbot.RiskReason{mentorbot.RiskLowPulse}, Evidence: "pulse:1", RaisedAt: second}},
		Thanks: []mentorbot.Thanks{{PairID: active.ID, CycleID: cycle.ID, AuthorID: "UMENTEE", Text: "Thank you for the captions tip.",
			MenteeYes: true, State: mentorbot.ThanksOffered, CreatedAt: second}},
	}
	if err := db.Apply(ctx, feedback); err != nil {
		t.Fatal(err)
	}
	teachIn := mentorbot.TeachIn{CycleID: cycle.ID, HostID: "UMENTOR", Topic: "TikTok", Title: "Reels in an hour", StartsAt: first, EndsAt: first.Add(time.Hour),
		TimeZone: "Europe/London", Places: 2, JoinHow: "Room 4", Description: "Film, cut, post.", State: mentorbot.TeachInOpen, CreatedAt: day}
	teaching := mentorbot.Change{
		TeachIns: []mentorbot.TeachIn{teachIn},
		TeachInPlaces: []mentorbot.TeachInPlace{{ParticipantID: "UMENTEE", State: mentorbot.PlaceTaken, QueuedAt: day, Useful: 5,
			Recommend: mentorbot.RecommendYes, AnsweredAt: first}, {ParticipantID: "UOTHER", State: mentorbot.PlaceWaiting, QueuedAt: day}},
		Outbox: []mentorbot.OutboxItem{{Key: "teachin/new/invitation/UOTHER", To: "UOTHER", Kind: mentorbot.OutboxTeachInInvitation, DueAt: day, NewTeachIn: 1}},
	}
	if err := db.Apply(ctx, teaching); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordRequest(ctx, "command:1", "UMENTEE", []byte{0xff, 0x00, 'o', 'k'}, day); err != nil {
		t.Fatal(err)
	}
	if err := db.Heartbeat(ctx, day); err != nil {
		t.Fatal(err)
	}
}

// dumpAll reads every row of every table, each row as text in which
// both backends write a value alike, rows sorted.
func dumpAll(t *testing.T, db *DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	schema, err := readSchema(ctx, db.db)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for name, table := range schema {
		columns := columnNames(table)
		quoted := make([]string, len(columns))
		for i, c := range columns {
			quoted[i] = `"` + c + `"`
		}
		var dumped []string
		err := eachRow(ctx, db.db, func(rows *sql.Rows) error {
			values := make([]any, len(columns))
			pointers := make([]any, len(columns))
			for i := range values {
				pointers[i] = &values[i]
			}
			if err := rows.Scan(pointers...); err != nil {
				return err
			}
			cells := make([]string, len(values))
			for i, v := range values {
				cells[i] = columns[i] + "=" + cell(v)
			}
			dumped = append(dumped, strings.Join(cells, " "))
			return nil
		}, `SELECT `+strings.Join(quoted, ", ")+` FROM "`+name+`"`)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(dumped)
		out[name] = dumped
	}
	return out
}

// cell writes a value as both backends' drivers give it back alike.
func cell(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case bool:
		if v {
			return "1"
		}
		return "0"
	case []byte:
		return "x'" + hex.EncodeToString(v) + "'"
	case string:
		return fmt.Sprintf("%q", v)
	}
	return fmt.Sprint(v)
}

// TestCopyOrdersEveryTable fails when a table joins the schema that Copy
// cannot put in order: each table must come after those it refers to.
func TestCopyOrdersEveryTable(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		schema, err := readSchema(context.Background(), db.db)
		if err != nil {
			t.Fatal(err)
		}
		if schema["goose_db_version"] != nil {
			t.Error("the migrations' own record is among the tables to copy")
		}
		order, err := copyOrder(schema)
		if err != nil {
			t.Fatal(err)
		}
		if len(order) != len(schema) {
			t.Fatalf("order %v has %d tables, the schema %d", order, len(order), len(schema))
		}
		for i, name := range order {
			for _, parent := range schema[name].parents {
				if !slices.Contains(order[:i], parent) {
					t.Errorf("%s is copied before %s, which it refers to", name, parent)
				}
			}
		}
		if pairs := schema["sessions"]; pairs == nil || !slices.Contains(pairs.parents, "pairs") {
			t.Errorf("the schema does not say that sessions refer to pairs: %+v", pairs)
		}
	})
}

func TestCopyOrder(t *testing.T) {
	tables := func(parents map[string][]string) map[string]*schemaTable {
		out := map[string]*schemaTable{}
		for name, ps := range parents {
			out[name] = &schemaTable{name: name, parents: ps}
		}
		return out
	}
	tests := []struct {
		name    string
		parents map[string][]string
		want    []string
		refused string
	}{
		{"by name when unrelated", map[string][]string{"b": nil, "a": nil}, []string{"a", "b"}, ""},
		{"parents first", map[string][]string{"a": {"c"}, "b": {"a"}, "c": nil}, []string{"c", "a", "b"}, ""},
		{"a table that refers to itself", map[string][]string{"a": {"a"}, "b": nil}, nil, "tables a refer"},
		{"a ring", map[string][]string{"a": {"b"}, "b": {"a"}, "c": {"a"}}, nil, "tables a, b, c refer"},
		{"a parent not in the schema", map[string][]string{"a": {"gone"}}, nil, "refers to gone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := copyOrder(tables(tt.parents))
			if tt.refused != "" {
				if err == nil || !strings.Contains(err.Error(), tt.refused) {
					t.Fatalf("copyOrder = %v, %v; want refused saying %q", got, err, tt.refused)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("copyOrder = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

// openBackend opens a fresh empty database of the named backend.
func openBackend(t *testing.T, backend string) *DB {
	t.Helper()
	if backend == "postgres" {
		return openPostgresTest(t)
	}
	db, _ := openTest(t)
	return db
}

func TestCopyBetweenBackends(t *testing.T) {
	for _, direction := range [][2]string{{"sqlite", "sqlite"}, {"sqlite", "postgres"}, {"postgres", "sqlite"}, {"postgres", "postgres"}} {
		t.Run(direction[0]+" to "+direction[1], func(t *testing.T) {
			ctx := context.Background()
			from, to := openBackend(t, direction[0]), openBackend(t, direction[1])
			populate(t, from)
			want := dumpAll(t, from)
			for name, rows := range want {
				if len(rows) == 0 {
					t.Errorf("populate leaves table %s empty, so its copy goes untested: add rows of it", name)
				}
			}

			report, err := Copy(ctx, from, to)
			if err != nil {
				t.Fatal(err)
			}
			if got := dumpAll(t, to); !reflect.DeepEqual(got, want) {
				for name := range want {
					if !slices.Equal(got[name], want[name]) {
						t.Errorf("table %s copied as\n%s\nwant\n%s", name, strings.Join(got[name], "\n"), strings.Join(want[name], "\n"))
					}
				}
			}
			var total int64
			for _, counted := range report.Tables {
				if counted.Rows != int64(len(want[counted.Table])) {
					t.Errorf("report counts %d rows of %s, the source holds %d", counted.Rows, counted.Table, len(want[counted.Table]))
				}
				total += int64(len(want[counted.Table]))
			}
			if len(report.Tables) != len(want) || report.Total() != total {
				t.Errorf("report %+v (total %d) covers %d tables, want %d with %d rows", report.Tables, report.Total(), len(report.Tables), len(want), total)
			}

			clock := mentorbot.NewManualClock(day.AddDate(0, 0, 21))
			wantSummary, err := (&mentorbot.Programme{Store: from, Clock: clock}).CurrentSummary(ctx)
			if err != nil {
				t.Fatal(err)
			}
			gotSummary, err := (&mentorbot.Programme{Store: to, Clock: clock}).CurrentSummary(ctx)
			if err != nil || !reflect.DeepEqual(gotSummary, wantSummary) {
				t.Errorf("summary of the copy\n%+v, %v\nwant\n%+v", gotSummary, err, wantSummary)
			}

			// New rows draw IDs after the copied ones.
			newcomer := person("UNEW", mentorbot.RoleMentee, mentorbot.StateApproved, 3)
			fresh := mentorbot.Change{
				Participants: []mentorbot.Participant{newcomer},
				Moves:        []mentorbot.Transition{{ParticipantID: "UNEW", Role: mentorbot.RoleMentee, To: mentorbot.StateApplied, By: "UNEW", At: day}},
				Pairs: []mentorbot.Pair{{CycleID: 1, MentorID: "UMENTOR", MenteeID: "UNEW", Origin: mentorbot.OriginRequest,
					State: mentorbot.PairRequested, CreatedAt: day}},
			}
			if err := to.Apply(ctx, fresh); err != nil {
				t.Fatalf("a new participant and pair after the copy: %v", err)
			}
			if pairs := len(want["pairs"]); fresh.Pairs[0].ID != int64(pairs)+1 {
				t.Errorf("the new pair has ID %d, want %d, after the %d copied", fresh.Pairs[0].ID, pairs+1, pairs)
			}
			past := sampleCycle()
			past.ClosedAt = day
			if saved, err := to.SaveCycle(ctx, past); err != nil || saved.ID != 2 {
				t.Errorf("a new cycle after the copy: ID %d, %v; want ID 2", saved.ID, err)
			}
		})
	}
}

func TestCopyRefusesATargetWithRows(t *testing.T) {
	forEachBackend(t, func(t *testing.T, to *DB) {
		ctx := context.Background()
		from, _ := openTest(t)
		populate(t, from)
		if err := to.RecordRequest(ctx, "command:9", "UTARGET", nil, day); err != nil {
			t.Fatal(err)
		}
		before := dumpAll(t, to)
		_, err := Copy(ctx, from, to)
		if want := (NotEmptyError{Table: "handled_requests"}); !errors.Is(err, want) {
			t.Fatalf("Copy into a database with a row: %v, want %v", err, want)
		}
		if after := dumpAll(t, to); !reflect.DeepEqual(after, before) {
			t.Errorf("the refused copy changed the target:\n%v\nwas\n%v", after, before)
		}
	})
}

func TestCopyRefusesAnotherMigration(t *testing.T) {
	forEachBackend(t, func(t *testing.T, to *DB) {
		ctx := context.Background()
		latest, err := to.migrationVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// One migration down, wherever the numbers skip.
		stepDown := func(db *DB) int64 {
			t.Helper()
			if _, err := migrator(t, db).Down(ctx); err != nil {
				t.Fatal(err)
			}
			version, err := db.migrationVersion(ctx)
			if err != nil || version >= latest {
				t.Fatalf("one migration down from %d: at %d, %v", latest, version, err)
			}
			return version
		}
		older, _ := openTest(t)
		previous := stepDown(older)
		if _, err := Copy(ctx, older, to); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("source database is at migration %d, older than the target's %d", previous, latest)) {
			t.Errorf("Copy from an older database: %v", err)
		}
		newer, _ := openTest(t)
		previous = stepDown(to)
		if _, err := Copy(ctx, newer, to); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("source database is at migration %d, newer than the target's %d", latest, previous)) {
			t.Errorf("Copy from a newer database: %v", err)
		}
	})
}
