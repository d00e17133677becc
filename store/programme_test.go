package store

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/mentorbot/mentorbot"
)

var day = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// person returns a sample participant with this ID, role and state, in it
// since day plus the given hours.
func person(id string, role mentorbot.Role, state mentorbot.State, hours int) mentorbot.Participant {
	p := sampleParticipant()
	p.ID, p.Role, p.State = id, role, state
	p.JoinedAt, p.UpdatedAt = day.UTC(), day.UTC()
	p.StateSince = day.Add(time.Duration(hours) * time.Hour)
	return p
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if mentorbot.ErrorCode(err) != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
}

func TestParticipantProgrammeFields(t *testing.T) {
	for _, tc := range []struct {
		name    string
		change  func(*mentorbot.Participant)
		nullsOK bool // paused_until and resume_state are stored as NULL
	}{
		{"not paused", func(p *mentorbot.Participant) {}, true},
		{"paused", func(p *mentorbot.Participant) {
			p.State, p.PausedUntil, p.ResumeState = mentorbot.StatePaused, day.AddDate(0, 0, 14), mentorbot.StateMatched
		}, false},
		{"screened", func(p *mentorbot.Participant) { p.State, p.ScreenedInCycle = mentorbot.StateDeclined, 7 }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, db *DB) {
				ctx := context.Background()
				want := person("U1", mentorbot.RoleMentor, mentorbot.StateTrained, 5)
				tc.change(&want)
				if err := save(ctx, db, want); err != nil {
					t.Fatal(err)
				}
				got, err := db.Participant(ctx, "U1")
				if err != nil || !reflect.DeepEqual(got, want) {
					t.Fatalf("loaded\n%+v, %v\nwant\n%+v", got, err, want)
				}
				var nulls bool
				if err := db.db.QueryRow(`SELECT paused_until IS NULL AND resume_state IS NULL FROM participants`).Scan(&nulls); err != nil || nulls != tc.nullsOK {
					t.Fatalf("paused_until and resume_state NULL = %v, %v; want %v", nulls, err, tc.nullsOK)
				}
			})
		})
	}
}

func TestParticipantsIn(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		late := person("U1", mentorbot.RoleMentor, mentorbot.StateApplied, 3)
		early := person("U2", mentorbot.RoleMentor, mentorbot.StateApplied, 1)
		early.Topics = early.Topics[1:]
		early.Availability = nil
		tie := person("U0", mentorbot.RoleMentor, mentorbot.StateApplied, 3)
		other := person("U3", mentorbot.RoleMentee, mentorbot.StateApproved, 0)
		if err := save(ctx, db, late, early, tie, other); err != nil {
			t.Fatal(err)
		}
		got, err := db.ParticipantsIn(ctx, mentorbot.StateApplied)
		if want := []mentorbot.Participant{early, tie, late}; err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("ParticipantsIn(applied) =\n%+v, %v\nwant\n%+v", got, err, want)
		}
		if got, err := db.ParticipantsIn(ctx, mentorbot.StatePaused); err != nil || len(got) != 0 {
			t.Fatalf("ParticipantsIn(paused) = %+v, %v; want none", got, err)
		}
	})
}

func TestApplyWritesMovesAndScreenings(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		p := person("U1", mentorbot.RoleMentor, mentorbot.StateApplied, 0)
		join := mentorbot.Transition{ParticipantID: "U1", Role: mentorbot.RoleMentor, To: mentorbot.StateApplied, By: "U1", At: day}
		if err := db.Apply(ctx, mentorbot.Change{Moves: []mentorbot.Transition{join}, Participants: []mentorbot.Participant{p}}); err != nil {
			t.Fatal(err)
		}
		approve := mentorbot.Transition{ParticipantID: "U1", Role: mentorbot.RoleMentor, From: mentorbot.StateApplied, To: mentorbot.StateApproved,
			By: "UHR", CycleID: 3, At: day.Add(time.Hour),
			Screening: &mentorbot.Screening{Checks: []string{"patience", "focus"}, Note: "Welcome aboard."}}
		p.State, p.ScreenedInCycle = mentorbot.StateApproved, 3
		if err := db.Apply(ctx, mentorbot.Change{Moves: []mentorbot.Transition{approve}, Participants: []mentorbot.Participant{p}}); err != nil {
			t.Fatal(err)
		}
		// A screening with nothing ticked and no note still says HR decided.
		decline := mentorbot.Transition{ParticipantID: "U1", Role: mentorbot.RoleMentor, From: mentorbot.StateApproved, To: mentorbot.StateDeclined,
			By: "UHR", CycleID: 3, At: day.Add(2 * time.Hour), Screening: &mentorbot.Screening{}}
		p.State = mentorbot.StateDeclined
		if err := db.Apply(ctx, mentorbot.Change{Moves: []mentorbot.Transition{decline}, Participants: []mentorbot.Participant{p}}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Transitions(ctx, "U1")
		if want := []mentorbot.Transition{join, approve, decline}; err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("Transitions =\n%+v, %v\nwant\n%+v", got, err, want)
		}
		var notes int
		if err := db.db.QueryRow(`SELECT COUNT(note) FROM screenings`).Scan(&notes); err != nil || notes != 1 {
			t.Fatalf("%d notes stored, %v; want the empty one as NULL", notes, err)
		}
	})
}

func TestApplyConflictWritesNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		p := person("U1", mentorbot.RoleMentor, mentorbot.StateApplied, 0)
		if err := save(ctx, db, p); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			move mentorbot.Transition
		}{
			{"stale state", mentorbot.Transition{ParticipantID: "U1", Role: mentorbot.RoleMentor, From: mentorbot.StateApproved, To: mentorbot.StateTrained, By: "U1", At: day}},
			{"joined already", mentorbot.Transition{ParticipantID: "U1", Role: mentorbot.RoleMentor, To: mentorbot.StateApplied, By: "U1", At: day}},
			{"not stored", mentorbot.Transition{ParticipantID: "U2", Role: mentorbot.RoleMentee, From: mentorbot.StateApproved, To: mentorbot.StateTrained, By: "U2", At: day}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				changed := p
				changed.State, changed.Department = tc.move.To, "Sales"
				err := db.Apply(ctx, mentorbot.Change{
					Moves:        []mentorbot.Transition{tc.move},
					Participants: []mentorbot.Participant{changed},
					Pairs:        []mentorbot.Pair{{CycleID: 1, MentorID: "U1", MenteeID: "U2", Origin: mentorbot.OriginRound, State: mentorbot.PairActive, StartedAt: day}},
					Goals:        []mentorbot.GoalSet{{ParticipantID: "U1", CycleID: 1, Goals: []mentorbot.Goal{{Aim: "Teach reels", Signal: "A reel"}}, UpdatedAt: day}},
				})
				wantCode(t, err, mentorbot.ECONFLICT)
				got, err := db.Participant(ctx, "U1")
				if err != nil || got.State != mentorbot.StateApplied || got.Department != "Support" {
					t.Fatalf("a conflicting change was saved: %+v, %v", got, err)
				}
				for _, table := range []string{"transitions", "pairs", "goals"} {
					var n int
					if err := db.db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil || n != 0 {
						t.Fatalf("%d rows in %s, %v; want none", n, table, err)
					}
				}
			})
		}
	})
}

func sampleCycle() mentorbot.Cycle {
	return mentorbot.Cycle{
		Name:          "Spring 2026",
		StartsOn:      time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC),
		EndsOn:        time.Date(2026, 6, 12, 0, 0, 0, 0, time.UTC),
		Cadence:       mentorbot.CadenceFortnightly,
		SessionLength: 45 * time.Minute,
		GroundRules:   "Be kind, be on time, keep what is said private.",
		Topics:        []string{"AI tools", "TikTok", "Spreadsheets"},
		CreatedBy:     "UHR",
		CreatedAt:     day,
		UpdatedAt:     day,
	}
}

func TestCycles(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		_, err := db.OpenCycle(ctx)
		wantCode(t, err, mentorbot.ENOTFOUND)

		spring, err := db.SaveCycle(ctx, sampleCycle())
		if err != nil || spring.ID == 0 {
			t.Fatalf("SaveCycle = %+v, %v; want an ID", spring, err)
		}
		if got, err := db.OpenCycle(ctx); err != nil || !reflect.DeepEqual(got, spring) {
			t.Fatalf("OpenCycle =\n%+v, %v\nwant\n%+v", got, err, spring)
		}
		var starts string
		if err := db.db.QueryRow(`SELECT starts_on FROM cycles`).Scan(&starts); err != nil || starts != "2026-03-16" {
			t.Fatalf("stored starts_on %q, %v; want a date", starts, err)
		}

		_, err = db.SaveCycle(ctx, sampleCycle())
		wantCode(t, err, mentorbot.ECONFLICT)

		spring.Topics, spring.Cadence, spring.UpdatedAt = []string{"Podcasts"}, mentorbot.CadenceWeekly, day.Add(time.Hour)
		if _, err := db.SaveCycle(ctx, spring); err != nil {
			t.Fatal(err)
		}
		if got, err := db.OpenCycle(ctx); err != nil || !reflect.DeepEqual(got, spring) {
			t.Fatalf("after edit OpenCycle =\n%+v, %v\nwant\n%+v", got, err, spring)
		}

		spring.ClosedAt = day.AddDate(0, 3, 0)
		if _, err := db.SaveCycle(ctx, spring); err != nil {
			t.Fatal(err)
		}
		_, err = db.OpenCycle(ctx)
		wantCode(t, err, mentorbot.ENOTFOUND)

		summer := sampleCycle()
		summer.Name = "Summer 2026"
		if summer, err = db.SaveCycle(ctx, summer); err != nil || summer.ID == spring.ID {
			t.Fatalf("opening a cycle after closing one: %+v, %v", summer, err)
		}
		if got, err := db.OpenCycle(ctx); err != nil || got.ID != summer.ID {
			t.Fatalf("OpenCycle = %+v, %v; want %d", got, err, summer.ID)
		}
	})
}

func TestGoalsReplaced(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if err := save(ctx, db, person("U1", mentorbot.RoleMentee, mentorbot.StateTrained, 0)); err != nil {
			t.Fatal(err)
		}
		three := []mentorbot.Goal{
			{Aim: "Draft board updates with AI", Signal: "I send one"},
			{Aim: "Edit a short video", Signal: "One is posted"},
			{Aim: "Read a dashboard", Signal: "I answer my own questions"},
		}
		one := []mentorbot.Goal{{Aim: "Understand how our customers use TikTok", Signal: "I can explain it to my team"}}
		for _, set := range []mentorbot.GoalSet{
			{ParticipantID: "U1", CycleID: 1, Goals: three, UpdatedAt: day},
			{ParticipantID: "U1", CycleID: 2, Goals: three, UpdatedAt: day},
			{ParticipantID: "U1", CycleID: 1, Goals: one, UpdatedAt: day.Add(time.Hour)},
		} {
			if err := db.Apply(ctx, mentorbot.Change{Goals: []mentorbot.GoalSet{set}}); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			cycle int64
			want  []mentorbot.Goal
		}{{1, one}, {2, three}, {3, nil}} {
			if got, err := db.Goals(ctx, "U1", tc.cycle); err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Goals(cycle %d) = %+v, %v; want %+v", tc.cycle, got, err, tc.want)
			}
		}
	})
}

func TestActivePair(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		pair := mentorbot.Pair{CycleID: 1, MentorID: "U1", MenteeID: "U2", Origin: mentorbot.OriginRound, State: mentorbot.PairActive, StartedAt: day}
		if err := db.Apply(ctx, mentorbot.Change{Pairs: []mentorbot.Pair{pair}}); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"U1", "U2"} {
			got, err := db.ActivePair(ctx, id)
			pair.ID = got.ID
			if err != nil || got.ID == 0 || !reflect.DeepEqual(got, pair) {
				t.Fatalf("ActivePair(%s) = %+v, %v; want %+v", id, got, err, pair)
			}
		}
		_, err := db.ActivePair(ctx, "U3")
		wantCode(t, err, mentorbot.ENOTFOUND)

		pair.State, pair.EndedAt, pair.EndReason = mentorbot.PairEnded, day.AddDate(0, 0, 10), mentorbot.EndedPartnerLeft
		if err := db.Apply(ctx, mentorbot.Change{Pairs: []mentorbot.Pair{pair}}); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"U1", "U2"} {
			_, err := db.ActivePair(ctx, id)
			wantCode(t, err, mentorbot.ENOTFOUND)
		}
		var ended, reason string
		if err := db.db.QueryRow(`SELECT ended_at, end_reason FROM pairs`).Scan(&ended, &reason); err != nil ||
			ended != formatTime(pair.EndedAt) || reason != mentorbot.EndedPartnerLeft {
			t.Fatalf("ended pair stored as %q, %q, %v", ended, reason, err)
		}

		gone := pair
		gone.ID = 99
		if err := db.Apply(ctx, mentorbot.Change{Pairs: []mentorbot.Pair{gone}}); err == nil {
			t.Fatal("updating a pair that does not exist succeeded")
		}
	})
}

func TestCensus(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		err := save(ctx, db,
			person("U1", mentorbot.RoleMentor, mentorbot.StateApplied, 0),
			person("U2", mentorbot.RoleMentor, mentorbot.StateApplied, 0),
			person("U3", mentorbot.RoleMentee, mentorbot.StateTrained, 0),
			person("U4", mentorbot.RoleMentee, mentorbot.StateApplied, 0),
		)
		if err != nil {
			t.Fatal(err)
		}
		// Two erased people, one of them with two moves; IDs that merely look
		// alike do not count.
		for _, id := range []string{"erased-aaaa", "erased-aaaa", "erased-bbbb", "ERASED-cccc", "Uerased-dddd"} {
			if _, err := db.db.Exec(`INSERT INTO transitions (participant_id, role, from_state, to_state, by_id, at) VALUES (?, 'mentee', '', 'approved', ?, ?)`,
				id, id, formatTime(day)); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.Census(ctx)
		want := mentorbot.Census{
			States: map[mentorbot.State]int{mentorbot.StateApplied: 3, mentorbot.StateTrained: 1},
			ByRole: map[mentorbot.Role]map[mentorbot.State]int{
				mentorbot.RoleMentor: {mentorbot.StateApplied: 2},
				mentorbot.RoleMentee: {mentorbot.StateApplied: 1, mentorbot.StateTrained: 1},
			},
			Erased: 2,
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("Census = %+v, %v; want %+v", got, err, want)
		}
	})
}

func TestEraseLeavesNoPersonalDetail(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		const (
			id         = "UERASEME"
			token      = "erased-TOKEN0000000001"
			pitch      = "I explain group chats to grown-ups."
			department = "Secret Skunkworks"
			aim        = "Show my mentee how reels are made"
			reason     = "My cousin works with that team."
			ownTopic   = "Reels for grown-ups"
			skipReason = "My therapist moved our appointment."
			theirSkip  = "Quarterly close."
			pulseNote  = `Felt judged about my "spelling" & grammar.`
			theirNote  = "Ask about captions next time."
			change     = "Pair me with someone less pushy."
		)
		admin := person("UHR", mentorbot.RoleMentee, mentorbot.StateTrained, 0)
		if _, err := db.SaveCycle(ctx, mentorbot.Cycle{Name: "Spring", StartsOn: day, EndsOn: day.AddDate(0, 3, 0),
			Cadence: mentorbot.CadenceWeekly, SessionLength: time.Hour, GroundRules: "Kindness first, always.", CreatedBy: id, CreatedAt: day, UpdatedAt: day}); err != nil {
			t.Fatal(err)
		}
		me := person(id, mentorbot.RoleMentor, mentorbot.StateMatched, 0)
		me.Pitch, me.Department, me.ManagerID = pitch, department, "UBOSS"
		partner := person("UPARTNER", mentorbot.RoleMentee, mentorbot.StateMatched, 0)
		moves := []mentorbot.Transition{
			{ParticipantID: id, Role: mentorbot.RoleMentor, To: mentorbot.StateApplied, By: id, At: day},
			{ParticipantID: id, Role: mentorbot.RoleMentor, From: mentorbot.StateApplied, To: mentorbot.StateApproved, By: "UHR", CycleID: 1, At: day,
				Screening: &mentorbot.Screening{Checks: []string{"patience"}, Note: "Lovely to have you, " + department + " needs you."}},
			{ParticipantID: id, Role: mentorbot.RoleMentor, From: mentorbot.StateApproved, To: mentorbot.StateMatched, By: id, CycleID: 1, At: day},
			// Their action moved someone else too.
			{ParticipantID: "UPARTNER", Role: mentorbot.RoleMentee, To: mentorbot.StateMatched, By: id, CycleID: 1, At: day},
		}
		people := map[string]mentorbot.Participant{id: me, "UPARTNER": partner}
		for _, m := range moves {
			p := people[m.ParticipantID]
			p.State = m.To
			if err := db.Apply(ctx, mentorbot.Change{Moves: []mentorbot.Transition{m}, Participants: []mentorbot.Participant{p}}); err != nil {
				t.Fatal(err)
			}
		}
		err := db.Apply(ctx, mentorbot.Change{
			Participants: []mentorbot.Participant{admin},
			Pairs:        []mentorbot.Pair{{CycleID: 1, MentorID: id, MenteeID: "UPARTNER", Origin: mentorbot.OriginRound, State: mentorbot.PairActive, StartedAt: day}},
			Goals: []mentorbot.GoalSet{
				{ParticipantID: id, CycleID: 1, Goals: []mentorbot.Goal{{Aim: aim, Signal: "We make one"}}, UpdatedAt: day},
				{ParticipantID: "UPARTNER", CycleID: 1, Goals: []mentorbot.Goal{{Aim: "Learn how reels are made", Signal: "I post one"}}, UpdatedAt: day},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		// Matching: a round that left them out, a pair they declined with a
		// reason and a fit naming their own topic, and their don't-pair list.
		round := mentorbot.Round{CycleID: 1, State: mentorbot.RoundDraft, CreatedBy: id, CreatedAt: day,
			Unmatched: []mentorbot.Unmatched{{ParticipantID: id, Role: mentorbot.RoleMentor, Why: "no mentee wants " + ownTopic}}}
		err = db.Apply(ctx, mentorbot.Change{
			Round: &round,
			Pairs: []mentorbot.Pair{{CycleID: 1, MentorID: id, MenteeID: "UHR", Origin: mentorbot.OriginRound, State: mentorbot.PairDeclined,
				MentorAnswer: mentorbot.AnswerDeclined, DeclineReason: reason, CreatedAt: day,
				Fit: mentorbot.Fit{Score: 0.5, Shared: []mentorbot.SharedTopic{{Topic: ownTopic, MentorLevel: 5, MenteeLevel: 1}}}},
				{CycleID: 1, MentorID: id, MenteeID: "UHR", Origin: mentorbot.OriginRound, State: mentorbot.PairDraft, CreatedAt: day}},
			DontPairs: []mentorbot.DontPair{{PersonID: id, OtherID: "UHR", By: id, CreatedAt: day}, {PersonID: "UPARTNER", OtherID: id, By: "UPARTNER", CreatedAt: day}},
		})
		if err != nil {
			t.Fatal(err)
		}
		// Sessions: one they skipped with a reason, one they moved, one their
		// partner skipped; and messages to both of them, pending and sent.
		active, err := db.ActivePair(ctx, "UPARTNER")
		if err != nil {
			t.Fatal(err)
		}
		session := func(weeks int) mentorbot.Session {
			at := day.AddDate(0, 0, 7*weeks)
			return mentorbot.Session{PairID: active.ID, Occurrence: at, StartsAt: at, EndsAt: at.Add(time.Hour), State: mentorbot.SessionScheduled}
		}
		skipped, moved, partnerSkipped := session(1), session(2), session(3)
		skipped.State, skipped.SkippedBy, skipped.SkipReason = mentorbot.SessionSkipped, id, skipReason
		moved.StartsAt, moved.Revision, moved.MovedBy = moved.StartsAt.Add(time.Hour), 1, id
		partnerSkipped.State, partnerSkipped.SkippedBy, partnerSkipped.SkipReason = mentorbot.SessionSkipped, "UPARTNER", theirSkip
		outbox := mentorbot.Change{
			Sessions: []mentorbot.Session{skipped, moved, partnerSkipped},
			Outbox: []mentorbot.OutboxItem{
				nudge(active.ID, id, moved.Occurrence, time.Hour),
				nudge(active.ID, id, partnerSkipped.Occurrence, time.Hour),
				nudge(active.ID, "UPARTNER", partnerSkipped.Occurrence, time.Hour),
			},
		}
		if err := db.Apply(ctx, outbox); err != nil {
			t.Fatal(err)
		}
		sent := outbox.Outbox[0]
		sent.State, sent.SentAt, sent.Channel, sent.TS = mentorbot.OutboxSent, day, "DERASEME", "1.1"
		if err := db.SaveOutboxItem(ctx, sent); err != nil {
			t.Fatal(err)
		}
		// Feedback: both rated the moved session with a private note, both
		// answered the midpoint survey, and they resolved a flag on a pair.
		pulse := func(who string, role mentorbot.Role, note string) []mentorbot.PulseAnswer {
			p := mentorbot.Pulse{PairID: active.ID, Occurrence: moved.Occurrence, ParticipantID: who, Role: role, CycleID: 1, Useful: 2, AnsweredAt: day, Note: note}
			return []mentorbot.PulseAnswer{{Pulse: p, Question: mentorbot.PulseUseful}, {Pulse: p, NoteOnly: true}}
		}
		survey := func(who string, role mentorbot.Role, aim, change string) mentorbot.Survey {
			return mentorbot.Survey{ParticipantID: who, Role: role, CycleID: 1, Kind: mentorbot.SurveyMidpoint,
				Goals: []mentorbot.Goal{{Aim: aim, Signal: "We make one"}}, Progress: []mentorbot.Progress{mentorbot.ProgressAchieved},
				Continue: mentorbot.ContinueNo, Change: change, AnsweredAt: day,
				Ratings: []mentorbot.QualityRating{{Rated: mentorbot.RatedSelf, Role: role, Quality: mentorbot.QualitiesOf(role)[0].ID, Score: 3, AnsweredAt: day}}}
		}
		flag := mentorbot.Change{RiskFlags: []mentorbot.RiskFlag{{PairID: active.ID, CycleID: 1, Reasons: []mentorbot.RiskReason{mentorbot.RiskLowPulse},
			Evidence: "pulse:1", RaisedAt: day}}}
		if err := db.Apply(ctx, flag); err != nil {
			t.Fatal(err)
		}
		resolved := flag.RiskFlags[0]
		resolved.ResolvedAt, resolved.Action, resolved.ResolvedBy = day, mentorbot.RiskDismiss, id
		err = db.Apply(ctx, mentorbot.Change{
			PulseAnswers: append(pulse(id, mentorbot.RoleMentor, pulseNote), pulse("UPARTNER", mentorbot.RoleMentee, theirNote)...),
			Surveys:      []mentorbot.Survey{survey(id, mentorbot.RoleMentor, aim, change), survey("UPARTNER", mentorbot.RoleMentee, "Learn how reels are made", theirNote)},
			RiskFlags:    []mentorbot.RiskFlag{resolved},
		})
		if err != nil {
			t.Fatal(err)
		}
		// Their own request went through a claim, as the bot's do.
		if _, err := db.ClaimRequest(ctx, "k1", "replica-a", day, time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordRequest(ctx, "k1", id, []byte(`{"pitch":"`+pitch+`"}`), day); err != nil {
			t.Fatal(err)
		}
		// The partner's answers: one names them, one quotes their note as
		// JSON writes it, one is the partner's own.
		quoted, _ := json.Marshal(pulseNote)
		for key, answer := range map[string]string{
			"k2": `{}`, "k3": `{"text":"You're paired with \u003c@` + id + `\u003e"}`, "k4": `{"text":` + string(quoted) + `}`,
		} {
			if err := db.RecordRequest(ctx, key, "UPARTNER", []byte(answer), day); err != nil {
				t.Fatal(err)
			}
		}

		if err := db.Erase(ctx, id, token); err != nil {
			t.Fatal(err)
		}
		secrets := []string{id, pitch, department, aim, reason, ownTopic, skipReason, "DERASEME", pulseNote, change}
		tables := columnsByTable(t, db)
		if len(tables) < 10 {
			t.Fatalf("found only tables %v", tables)
		}
		for table, columns := range tables {
			for _, column := range columns {
				for _, secret := range secrets {
					var n int
					q := `SELECT COUNT(*) FROM "` + table + `" WHERE instr(CAST("` + column + `" AS TEXT), ?) > 0`
					if db.dialect == postgresDialect {
						q = `SELECT COUNT(*) FROM "` + table + `" WHERE strpos(CAST("` + column + `" AS TEXT), ?) > 0`
					}
					if err := db.db.QueryRow(q, secret).Scan(&n); err != nil {
						t.Fatal(err)
					}
					if n > 0 {
						t.Errorf("%s.%s still holds %q in %d rows", table, column, secret, n)
					}
				}
			}
		}
		if db.dialect == postgresDialect {
			noOldRowVersions(t, db, secrets)
		} else {
			noWriteAheadLog(t, db)
		}

		got, err := db.Transitions(ctx, token)
		if err != nil || len(got) != 3 {
			t.Fatalf("transitions of the token = %d, %v; want 3", len(got), err)
		}
		if s := got[1].Screening; s == nil || len(s.Checks) != 0 || s.Note != "" {
			t.Fatalf("screening after erasure = %+v; want kept but emptied", s)
		}
		if c, err := db.Census(ctx); err != nil || c.Erased != 1 || c.States[mentorbot.StateMatched] != 1 {
			t.Fatalf("Census = %+v, %v; want one erased, the partner still matched", c, err)
		}
		// The declined pair stays for the counts; the draft is gone.
		if ps, err := db.PairsOf(ctx, token, mentorbot.PairDraft, mentorbot.PairDeclined, mentorbot.PairActive); err != nil || len(ps) != 2 ||
			ps[0].State == mentorbot.PairDraft || ps[1].State == mentorbot.PairDraft {
			t.Fatalf("their pairs after erasure = %+v, %v; want the declined and the active one", ps, err)
		}
		if p, err := db.ActivePair(ctx, "UPARTNER"); err != nil || p.MentorID != token {
			t.Fatalf("partner's pair = %+v, %v; want the token as mentor", p, err)
		}
		if g, err := db.Goals(ctx, "UPARTNER", 1); err != nil || len(g) != 1 {
			t.Fatalf("partner's goals = %+v, %v; want them kept", g, err)
		}
		if _, handled, err := db.HandledRequest(ctx, "k2"); err != nil || !handled {
			t.Fatalf("partner's request record was lost: %v, %v", handled, err)
		}
		for _, key := range []string{"k1", "k3", "k4"} {
			if _, handled, err := db.HandledRequest(ctx, key); err != nil || handled {
				t.Errorf("the answer %s, which holds them, is kept: %v, %v", key, handled, err)
			}
		}
		// Sessions stay for the counts, under the token; the partner's own
		// reason stays theirs.
		sessions, err := db.SessionsOf(ctx, active.ID)
		if err != nil || len(sessions) != 3 {
			t.Fatalf("sessions after erasure = %+v, %v; want all three kept", sessions, err)
		}
		if s := sessions[0]; s.State != mentorbot.SessionSkipped || s.SkippedBy != token || s.SkipReason != "" {
			t.Errorf("their skipped session = %+v; want kept under the token, without the reason", s)
		}
		if s := sessions[1]; s.MovedBy != token || s.Revision != 1 {
			t.Errorf("their moved session = %+v; want kept under the token", s)
		}
		if s := sessions[2]; s.SkippedBy != "UPARTNER" || s.SkipReason != theirSkip {
			t.Errorf("the partner's skipped session = %+v; want it untouched", s)
		}
		// Nothing more goes to them; what was sent stays counted.
		items, err := db.OutboxOf(ctx, active.ID)
		if err != nil || len(items) != 3 {
			t.Fatalf("outbox after erasure = %+v, %v", items, err)
		}
		for i, want := range []struct {
			to    string
			state mentorbot.OutboxState
			error string
		}{{token, mentorbot.OutboxSent, ""}, {token, mentorbot.OutboxDropped, "erased"}, {"UPARTNER", mentorbot.OutboxPending, ""}} {
			if it := items[i]; it.To != want.to || it.State != want.state || it.Error != want.error {
				t.Errorf("message %d after erasure = %+v; want to %s, %s %q", i, it, want.to, want.state, want.error)
			}
		}
		if due, err := db.DueOutbox(ctx, day.AddDate(1, 0, 0), mentorbot.OutboxCursor{}, 10); err != nil || len(due) != 1 || due[0].To != "UPARTNER" {
			t.Fatalf("due after erasure = %+v, %v; want only the partner's", due, err)
		}
		// Pulses and surveys stay for the counts under the token, without
		// their writing; the partner's stay as they were.
		if ps, err := db.PulsesBy(ctx, token, 1); err != nil || len(ps) != 1 || ps[0].Note != "" || ps[0].Useful != 2 || ps[0].Role != mentorbot.RoleMentor {
			t.Errorf("their pulses after erasure = %+v, %v; want one kept under the token, without the note", ps, err)
		}
		if ps, err := db.PulsesBy(ctx, "UPARTNER", 1); err != nil || len(ps) != 1 || ps[0].Note != theirNote {
			t.Errorf("the partner's pulses after erasure = %+v, %v; want the note kept", ps, err)
		}
		wantSurvey := survey(token, mentorbot.RoleMentor, "", "")
		wantSurvey.Goals[0].Signal = ""
		if sv, err := db.Survey(ctx, token, 1, mentorbot.SurveyMidpoint); err != nil || !reflect.DeepEqual(sv, wantSurvey) {
			t.Errorf("their survey after erasure =\n%+v, %v\nwant\n%+v", sv, err, wantSurvey)
		}
		if sv, err := db.Survey(ctx, "UPARTNER", 1, mentorbot.SurveyMidpoint); err != nil ||
			!reflect.DeepEqual(sv, survey("UPARTNER", mentorbot.RoleMentee, "Learn how reels are made", theirNote)) {
			t.Errorf("the partner's survey after erasure = %+v, %v; want it untouched", sv, err)
		}
		if f, err := db.LatestRiskFlag(ctx, active.ID); err != nil || f.ResolvedBy != token || f.Action != mentorbot.RiskDismiss {
			t.Errorf("flag after erasure = %+v, %v; want resolved by the token", f, err)
		}
		_, err = db.Participant(ctx, id)
		wantCode(t, err, mentorbot.ENOTFOUND)
	})
}

// noWriteAheadLog checks that SQLite's write-ahead log, which held every
// page as it was, is empty.
func noWriteAheadLog(t *testing.T, db *DB) {
	t.Helper()
	var seq int
	var name, path string
	if err := db.db.QueryRow(`PRAGMA database_list`).Scan(&seq, &name, &path); err != nil {
		t.Fatal(err)
	}
	if wal, err := os.Stat(path + "-wal"); err != nil || wal.Size() != 0 {
		t.Fatalf("write-ahead log after erasure: %v, %v; want it empty", wal, err)
	}
}

// noOldRowVersions reads every page of every table, index and TOAST
// table, as PostgreSQL would write it to disk, and checks no secret is in
// any: an old row version is not visible to SELECT, but stays in its page
// until the page is rewritten.
func noOldRowVersions(t *testing.T, db *DB, secrets []string) {
	t.Helper()
	if _, err := db.db.Exec(`CREATE EXTENSION IF NOT EXISTS pageinspect`); err != nil {
		t.Fatalf("the check reads raw pages with pageinspect, which the test server must offer: %v", err)
	}
	rows, err := db.db.Query(`
		SELECT c.oid::regclass::text FROM pg_class c
		WHERE c.relkind IN ('r', 'i', 't') AND c.relpersistence = 'p'
			AND (c.relnamespace = current_schema()::regnamespace
				OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE relnamespace = current_schema()::regnamespace)
				OR c.oid IN (SELECT i.indexrelid FROM pg_index i JOIN pg_class r ON r.reltoastrelid = i.indrelid
					WHERE r.relnamespace = current_schema()::regnamespace))`)
	if err != nil {
		t.Fatal(err)
	}
	var relations []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		relations = append(relations, name)
	}
	rows.Close()
	if len(relations) < 20 {
		t.Fatalf("found only relations %v", relations)
	}
	for _, relation := range relations {
		for _, secret := range secrets {
			var pages int
			if err := db.db.QueryRow(`
				SELECT COUNT(*) FROM generate_series(0, pg_relation_size(?::regclass) / current_setting('block_size')::int - 1) AS block
				WHERE position(convert_to(?, 'UTF8') IN get_raw_page(?, block::int)) > 0`, relation, secret, relation).Scan(&pages); err != nil {
				t.Fatal(err)
			}
			if pages > 0 {
				t.Errorf("%d pages of %s still hold %q", pages, relation, secret)
			}
		}
	}
}

// columnsByTable lists every column of every table in the database, in
// their order.
func columnsByTable(t *testing.T, db *DB) map[string][]string {
	t.Helper()
	query := `SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY m.name, c.cid`
	if db.dialect == postgresDialect {
		query = `SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`
	}
	rows, err := db.db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	tables := map[string][]string{}
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			t.Fatal(err)
		}
		tables[table] = append(tables[table], column)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return tables
}

// migrator gives the migrations of the database's dialect at hand, to
// move it down and up.
func migrator(t *testing.T, db *DB) *goose.Provider {
	t.Helper()
	folder, dialect := "migrations/sqlite", goose.DialectSQLite3
	if db.dialect == postgresDialect {
		folder, dialect = "migrations/postgres", goose.DialectPostgres
	}
	files, err := fs.Sub(migrations, folder)
	if err != nil {
		t.Fatal(err)
	}
	provider, err := goose.NewProvider(dialect, db.pool, files)
	if err != nil {
		t.Fatal(err)
	}
	return provider
}

// TestDialectsMigrateToTheSameSchema holds the two dialects' migrations
// to one schema: the same tables, with the same columns in the same order.
func TestDialectsMigrateToTheSameSchema(t *testing.T) {
	sqliteDB, _ := openTest(t)
	postgresDB := openPostgresTest(t)
	if got, want := columnsByTable(t, postgresDB), columnsByTable(t, sqliteDB); !reflect.DeepEqual(got, want) {
		t.Errorf("PostgreSQL's schema\n%v\nSQLite's\n%v", got, want)
	}
}

// TestMigrations upgrades a database holding a participant from the first
// schema, then migrates all the way down and up again.
func TestMigrations(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		provider := migrator(t, db)
		ctx := context.Background()
		if _, err := provider.DownTo(ctx, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := db.db.Exec(`INSERT INTO participants (id, role, state, job_level, department, time_zone, pitch, joined_at, updated_at)
		VALUES ('U1', 'mentee', 'approved', 5, 'Finance', 'Europe/London', 'I want to learn AI tools.', ?, ?)`,
			formatTime(day), formatTime(day.Add(time.Hour))); err != nil {
			t.Fatal(err)
		}
		if _, err := provider.Up(ctx); err != nil {
			t.Fatal(err)
		}
		p, err := db.Participant(ctx, "U1")
		if err != nil || !p.StateSince.Equal(day) || !p.PausedUntil.IsZero() || p.ResumeState != "" || p.ScreenedInCycle != 0 {
			t.Fatalf("migrated participant = %+v, %v; want in their state since joining", p, err)
		}
		if _, err := provider.DownTo(ctx, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := provider.Up(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRoundsKeepLockedPairsAndHistory(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if _, err := db.SaveCycle(ctx, mentorbot.Cycle{Name: "Spring", StartsOn: day, EndsOn: day.AddDate(0, 3, 0),
			Cadence: mentorbot.CadenceWeekly, SessionLength: time.Hour, GroundRules: "Kindness first, always.", CreatedAt: day, UpdatedAt: day}); err != nil {
			t.Fatal(err)
		}
		_, err := db.UnpublishedRound(ctx, 1)
		wantCode(t, err, mentorbot.ENOTFOUND)

		fit := mentorbot.Fit{Score: 0.8, Topics: 1, Overlap: 0.5, Shared: []mentorbot.SharedTopic{{Topic: "Figma", MentorLevel: 5, MenteeLevel: 1}}, OverlapMinutes: 90, CrossDepartment: true}
		draft := func(mentor, mentee string) mentorbot.Pair {
			return mentorbot.Pair{CycleID: 1, Origin: mentorbot.OriginRound, MentorID: mentor, MenteeID: mentee, State: mentorbot.PairDraft, Fit: fit, CreatedAt: day}
		}
		round := mentorbot.Round{CycleID: 1, State: mentorbot.RoundDraft, CreatedBy: "UHR", CreatedAt: day}
		round.Report.Pairs, round.Report.Load = 2, []int{0, 2}
		c := mentorbot.Change{Round: &round, Pairs: []mentorbot.Pair{draft("UA", "UX"), draft("UB", "UY")}}
		if err := db.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
		if c.Pairs[0].ID == 0 || c.Pairs[1].ID == 0 {
			t.Fatalf("inserted pairs have no IDs: %+v", c.Pairs)
		}
		got, err := db.UnpublishedRound(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID == 0 || len(got.Pairs) != 2 || got.Report.Pairs != 2 || !reflect.DeepEqual(got.Report.Load, []int{0, 2}) {
			t.Fatalf("draft = %+v", got)
		}
		if p := got.Pairs[0]; p.RoundID != got.ID || !reflect.DeepEqual(p.Fit, fit) {
			t.Errorf("pair = %+v, want the round's ID and the fit", p)
		}

		locked := got.Pairs[0]
		locked.Locked = true
		if err := db.Apply(ctx, mentorbot.Change{Pairs: []mentorbot.Pair{locked}}); err != nil {
			t.Fatal(err)
		}
		got.Unmatched = []mentorbot.Unmatched{{ParticipantID: "UY", Role: mentorbot.RoleMentee, Why: "no mentor is free then"}}
		if err := db.Apply(ctx, mentorbot.Change{Round: &got, Pairs: []mentorbot.Pair{draft("UC", "UZ")}}); err != nil {
			t.Fatal(err)
		}
		again, err := db.UnpublishedRound(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		var mentees []string
		for _, p := range again.Pairs {
			mentees = append(mentees, p.MenteeID)
		}
		if !reflect.DeepEqual(mentees, []string{"UX", "UZ"}) || len(again.Unmatched) != 1 {
			t.Fatalf("after running again: mentees %v, unmatched %+v; want the locked pair kept and the other replaced", mentees, again.Unmatched)
		}

		proposed := again.Pairs[1]
		proposed.State, proposed.AnswerBy = mentorbot.PairProposed, day.Add(72*time.Hour)
		again.State, again.PublishedAt = mentorbot.RoundPublished, day
		if err := db.Apply(ctx, mentorbot.Change{Round: &again, Pairs: []mentorbot.Pair{proposed}}); err != nil {
			t.Fatal(err)
		}
		_, err = db.UnpublishedRound(ctx, 1)
		wantCode(t, err, mentorbot.ENOTFOUND)
		open, err := db.PairsIn(ctx, mentorbot.OpenPairStates...)
		if err != nil || len(open) != 1 || !open[0].AnswerBy.Equal(day.Add(72*time.Hour)) {
			t.Fatalf("open pairs = %+v, %v", open, err)
		}
		mine, err := db.PairsOf(ctx, "UZ", mentorbot.PairProposed, mentorbot.PairDraft)
		if err != nil || len(mine) != 1 {
			t.Fatalf("UZ's pairs = %+v, %v", mine, err)
		}
		// A copy loaded before someone else saved the pair cannot overwrite it.
		if proposed, err = db.Pair(ctx, proposed.ID); err != nil {
			t.Fatal(err)
		}
		fresh, stale := proposed, proposed
		fresh.MentorAnswer = mentorbot.AnswerAccepted
		if err := db.Apply(ctx, mentorbot.Change{Pairs: []mentorbot.Pair{fresh}}); err != nil {
			t.Fatal(err)
		}
		stale.MenteeAnswer = mentorbot.AnswerAccepted
		wantCode(t, db.Apply(ctx, mentorbot.Change{Pairs: []mentorbot.Pair{stale}}), mentorbot.ECONFLICT)
		if p, err := db.Pair(ctx, proposed.ID); err != nil || p.MentorAnswer != mentorbot.AnswerAccepted || p.MenteeAnswer != "" || p.Version != fresh.Version+1 {
			t.Fatalf("after a stale save: %+v, %v", p, err)
		}
		// A second proposal for the same mentee is a conflict, whoever races.
		twice := draft("UD", "UZ")
		twice.State = mentorbot.PairProposed
		wantCode(t, db.Apply(ctx, mentorbot.Change{Pairs: []mentorbot.Pair{twice}}), mentorbot.ECONFLICT)
	})
}

func TestDontPairEntries(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		entries := []mentorbot.DontPair{
			{PersonID: "UA", OtherID: "UX", By: "UA", CreatedAt: day},
			{PersonID: "UB", OtherID: "UY", By: "UHR", CycleID: 1, CreatedAt: day},
			{PersonID: "UC", OtherID: "UZ", By: "UHR", CycleID: 2, CreatedAt: day},
		}
		if err := db.Apply(ctx, mentorbot.Change{DontPairs: append(entries, entries[0])}); err != nil {
			t.Fatal(err)
		}
		inForce, err := db.DontPairs(ctx, 1)
		if err != nil || len(inForce) != 2 {
			t.Fatalf("in cycle 1: %+v, %v; want the one for good and cycle 1's", inForce, err)
		}
		own, err := db.DontPairsBy(ctx, "UA")
		if err != nil || len(own) != 1 || own[0].OtherID != "UX" {
			t.Fatalf("UA's own: %+v, %v", own, err)
		}
		if err := db.Apply(ctx, mentorbot.Change{DroppedDontPairs: own}); err != nil {
			t.Fatal(err)
		}
		if own, _ := db.DontPairsBy(ctx, "UA"); len(own) != 0 {
			t.Errorf("dropped entry still there: %+v", own)
		}
	})
}

// TestMigrationKeepsPairs upgrades pairs made before matching existed: they
// stay, as pairs both people agreed to.
func TestMigrationKeepsPairs(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		provider := migrator(t, db)
		ctx := context.Background()
		if _, err := provider.DownTo(ctx, 2); err != nil {
			t.Fatal(err)
		}
		if _, err := db.db.Exec(`INSERT INTO pairs (cycle_id, mentor_id, mentee_id, state, started_at) VALUES (1, 'UA', 'UX', 'active', ?)`, formatTime(day)); err != nil {
			t.Fatal(err)
		}
		if _, err := provider.Up(ctx); err != nil {
			t.Fatal(err)
		}
		p, err := db.ActivePair(ctx, "UX")
		if err != nil || p.Origin != mentorbot.OriginRound || p.MentorAnswer != mentorbot.AnswerAccepted || !p.StartedAt.Equal(day) || !p.CreatedAt.Equal(day) {
			t.Fatalf("migrated pair = %+v, %v", p, err)
		}
		if _, err := provider.DownTo(ctx, 2); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.db.QueryRow(`SELECT COUNT(*) FROM pairs WHERE state = 'active'`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("after going down again: %d active pairs, %v", n, err)
		}
	})
}
