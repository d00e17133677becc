package store

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
)

func nudge(pair int64, to string, occurrence time.Time, lead time.Duration) mentorbot.OutboxItem {
	return mentorbot.OutboxItem{
		Key: fmt.Sprintf("pair/%d/session/%d/r0/nudge/%dm/%s", pair, occurrence.Unix(), int(lead/time.Minute), to),
		To:  to, Kind: mentorbot.OutboxNudge, PairID: pair, Occurrence: occurrence, Lead: lead, DueAt: occurrence.Add(-lead),
	}
}

func TestOutboxAddedOnceByKey(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		p := activePair(t, db, "UA", "UX")
		at := time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC)
		invite := mentorbot.OutboxItem{Key: fmt.Sprintf("pair/%d/calendar/2/invite/UX", p.ID), To: "UX", Kind: mentorbot.OutboxInvite,
			PairID: p.ID, Sequence: 2, DueAt: day}
		c := mentorbot.Change{Outbox: []mentorbot.OutboxItem{nudge(p.ID, "UX", at, 24*time.Hour), invite}}
		if err := db.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
		if c.Outbox[0].ID == 0 || c.Outbox[1].ID <= c.Outbox[0].ID {
			t.Fatalf("added messages have IDs %d, %d; want two, in order", c.Outbox[0].ID, c.Outbox[1].ID)
		}
		want := []mentorbot.OutboxItem{c.Outbox[0], c.Outbox[1]}
		for i := range want {
			want[i].State = mentorbot.OutboxPending
		}
		if got, err := db.OutboxOf(ctx, p.ID); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("OutboxOf =\n%+v, %v\nwant\n%+v", got, err, want)
		}

		// The same reminder planned again is owed once; a new one is added.
		again := nudge(p.ID, "UX", at, 24*time.Hour)
		again.DueAt = day
		c = mentorbot.Change{Outbox: []mentorbot.OutboxItem{again, nudge(p.ID, "UX", at, time.Hour)}}
		if err := db.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
		if c.Outbox[0].ID != 0 || c.Outbox[1].ID == 0 {
			t.Fatalf("IDs written back %d, %d; want 0 for the one owed already", c.Outbox[0].ID, c.Outbox[1].ID)
		}
		got, err := db.OutboxOf(ctx, p.ID)
		if err != nil || len(got) != 3 || !reflect.DeepEqual(got[0], want[0]) {
			t.Fatalf("after planning again: %+v, %v", got, err)
		}
		if got, err := db.OutboxOf(ctx, p.ID+1); err != nil || len(got) != 0 {
			t.Fatalf("another pair's outbox: %+v, %v", got, err)
		}
	})
}

func TestDueOutbox(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		p := activePair(t, db, "UA", "UX")
		now := day.Add(10 * time.Hour)
		item := func(key string, due time.Time) mentorbot.OutboxItem {
			return mentorbot.OutboxItem{Key: key, To: "UX", Kind: mentorbot.OutboxCheck, PairID: p.ID, DueAt: due}
		}
		c := mentorbot.Change{Outbox: []mentorbot.OutboxItem{
			item("late", now.Add(-time.Hour)),
			item("tie-1", now.Add(-2*time.Hour)),
			item("tie-2", now.Add(-2*time.Hour)),
			item("now", now),
			item("future", now.Add(time.Minute)),
			item("retry-later", now.Add(-3*time.Hour)),
			item("retry-due", now.Add(-3*time.Hour)),
			item("sent", now.Add(-4*time.Hour)),
			item("early", now.Add(-5*time.Hour)),
		}}
		if err := db.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
		byKey := map[string]mentorbot.OutboxItem{}
		for _, it := range c.Outbox {
			it.State = mentorbot.OutboxPending
			byKey[it.Key] = it
		}
		for key, change := range map[string]func(*mentorbot.OutboxItem){
			"retry-later": func(it *mentorbot.OutboxItem) {
				it.Attempts, it.NextTry, it.Error = 1, now.Add(time.Second), "ratelimited"
			},
			"retry-due": func(it *mentorbot.OutboxItem) { it.Attempts, it.NextTry, it.Error = 1, now, "ratelimited" },
			"sent": func(it *mentorbot.OutboxItem) {
				it.State, it.SentAt, it.Channel, it.TS = mentorbot.OutboxSent, now, "D1", "1.2"
			},
		} {
			it := byKey[key]
			change(&it)
			if err := db.SaveOutboxItem(ctx, it); err != nil {
				t.Fatal(err)
			}
			byKey[key] = it
		}

		order := []string{"early", "retry-due", "tie-1", "tie-2", "late", "now"}
		all, err := db.DueOutbox(ctx, now, mentorbot.OutboxCursor{}, 100)
		if err != nil {
			t.Fatal(err)
		}
		var want []mentorbot.OutboxItem
		for _, key := range order {
			want = append(want, byKey[key])
		}
		if !reflect.DeepEqual(all, want) {
			t.Fatalf("DueOutbox =\n%+v\nwant\n%+v", all, want)
		}

		// Pages of two, each after the last one seen, walk the same list.
		var walked []string
		cursor := mentorbot.OutboxCursor{}
		for range 10 {
			page, err := db.DueOutbox(ctx, now, cursor, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, it := range page {
				walked = append(walked, it.Key)
			}
			last := page[len(page)-1]
			cursor = mentorbot.OutboxCursor{DueAt: last.DueAt, ID: last.ID}
		}
		if !reflect.DeepEqual(walked, order) {
			t.Fatalf("paging walked %v, want %v", walked, order)
		}

		// The worker's query is served by the partial index, not a scan.
		// (SQLite's plan; PostgreSQL's planner rightly scans a table this
		// small.)
		if db.dialect == sqliteDialect {
			var plan strings.Builder
			err = db.each(ctx, func(rows *sql.Rows) error {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					return err
				}
				plan.WriteString(detail + "\n")
				return nil
			}, `EXPLAIN QUERY PLAN SELECT `+outboxColumns+` FROM outbox WHERE `+dueOutbox, formatTime(now), formatTime(day), 0, 10)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(plan.String(), "outbox_due") || strings.Contains(plan.String(), "TEMP B-TREE") {
				t.Fatalf("DueOutbox plan:\n%s\nwant it to walk outbox_due in order", plan.String())
			}
		}
	})
}

func TestSaveOutboxItem(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		p := activePair(t, db, "UA", "UX")
		c := mentorbot.Change{Outbox: []mentorbot.OutboxItem{nudge(p.ID, "UA", day.AddDate(0, 0, 1), time.Hour), nudge(p.ID, "UX", day.AddDate(0, 0, 1), time.Hour)}}
		if err := db.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
		it := c.Outbox[0]
		berlin, _ := time.LoadLocation("Europe/Berlin")
		it.State, it.Attempts, it.NextTry, it.Error = mentorbot.OutboxFailed, 5, time.Date(2026, 3, 3, 8, 0, 0, 0, berlin), "channel_not_found"
		it.SentAt, it.Channel, it.TS = day, "D0123", "1700000000.000100"
		// Only what becomes of a message is saved; what it is for stays.
		changed := it
		changed.Key, changed.To, changed.DueAt = "other", "UB", day
		if err := db.SaveOutboxItem(ctx, changed); err != nil {
			t.Fatal(err)
		}
		it.NextTry = it.NextTry.UTC()
		if got, err := db.OutboxOf(ctx, p.ID); err != nil || len(got) != 2 || !reflect.DeepEqual(got[0], it) {
			t.Fatalf("after saving: %+v, %v\nwant %+v", got, err, it)
		}
		// What became of a message is saved once: a message no longer pending
		// (dropped as its reader erased their data, say) stays as it is.
		again := it
		again.State, again.Channel = mentorbot.OutboxSent, "DAGAIN"
		wantCode(t, db.SaveOutboxItem(ctx, again), mentorbot.ENOTFOUND)
		if got, err := db.OutboxOf(ctx, p.ID); err != nil || !reflect.DeepEqual(got[0], it) {
			t.Fatalf("after saving a message no longer pending: %+v, %v\nwant %+v", got, err, it)
		}
		it.ID = 9999
		wantCode(t, db.SaveOutboxItem(ctx, it), mentorbot.ENOTFOUND)
		bad := c.Outbox[1]
		bad.State = "lost"
		if err := db.SaveOutboxItem(ctx, bad); err == nil {
			t.Fatal("saving an unknown state succeeded")
		}
	})
}

// BenchmarkApplyPlanning applies what planning a large programme writes in
// one change: 5,000 sessions and three reminders for each.
func BenchmarkApplyPlanning(b *testing.B) {
	const pairs, perPair = 500, 10
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		db, err := Open(ctx, b.TempDir()+"/bench.db")
		if err != nil {
			b.Fatal(err)
		}
		ps := make([]mentorbot.Pair, pairs)
		for i := range ps {
			ps[i] = mentorbot.Pair{CycleID: 1, MentorID: fmt.Sprintf("UM%04d", i), MenteeID: fmt.Sprintf("UE%04d", i),
				Origin: mentorbot.OriginRound, State: mentorbot.PairActive, CreatedAt: day, StartedAt: day}
		}
		if err := db.Apply(ctx, mentorbot.Change{Pairs: ps}); err != nil {
			b.Fatal(err)
		}
		var c mentorbot.Change
		for _, p := range ps {
			for n := range perPair {
				at := day.AddDate(0, 0, 7*n)
				c.Sessions = append(c.Sessions, mentorbot.Session{PairID: p.ID, Occurrence: at, StartsAt: at, EndsAt: at.Add(time.Hour),
					State: mentorbot.SessionScheduled})
				c.Outbox = append(c.Outbox, nudge(p.ID, p.MenteeID, at, 24*time.Hour), nudge(p.ID, p.MenteeID, at, time.Hour),
					nudge(p.ID, p.MentorID, at, time.Hour))
			}
		}
		b.StartTimer()
		if err := db.Apply(ctx, c); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if len(c.Sessions) != 5000 || len(c.Outbox) != 15000 || c.Outbox[14999].ID == 0 {
			b.Fatalf("applied %d sessions and %d messages", len(c.Sessions), len(c.Outbox))
		}
		db.Close()
		b.StartTimer()
	}
}

func TestOutboxCycleID(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		cycle, p := cyclePair(t, db)
		for _, tc := range []struct {
			name    string
			cycleID int64
			null    bool // cycle_id is stored as NULL
		}{
			{"about a cycle", cycle.ID, false},
			{"about no cycle", 0, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				item := mentorbot.OutboxItem{Key: "cycle/" + tc.name + "/UX", To: "UX", Kind: mentorbot.OutboxSurvey, PairID: p.ID, CycleID: tc.cycleID, DueAt: day}
				c := mentorbot.Change{Outbox: []mentorbot.OutboxItem{item}}
				if err := db.Apply(ctx, c); err != nil {
					t.Fatal(err)
				}
				want := c.Outbox[0]
				want.State = mentorbot.OutboxPending
				got, err := db.OutboxOf(ctx, p.ID)
				if err != nil || len(got) == 0 || !reflect.DeepEqual(got[len(got)-1], want) {
					t.Fatalf("OutboxOf = %+v, %v; want last\n%+v", got, err, want)
				}
				var null bool
				if err := db.db.QueryRow(`SELECT cycle_id IS NULL FROM outbox WHERE id = ?`, want.ID).Scan(&null); err != nil || null != tc.null {
					t.Fatalf("cycle_id NULL = %v, %v; want %v", null, err, tc.null)
				}
			})
		}
		// A message names a cycle that exists.
		orphan := mentorbot.OutboxItem{Key: "orphan", To: "UX", Kind: mentorbot.OutboxSurvey, CycleID: cycle.ID + 100, DueAt: day}
		if err := db.Apply(ctx, mentorbot.Change{Outbox: []mentorbot.OutboxItem{orphan}}); err == nil {
			t.Fatal("a message about no cycle that exists was saved")
		}
	})
}

// BenchmarkReadParticipantAndPair is the read every outbox message and
// most requests start with: a person, then their active pair.
func BenchmarkReadParticipantAndPair(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, b.TempDir()+"/bench.db")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	p := mentorbot.Participant{ID: "UE0001", State: mentorbot.StateMatched, JoinedAt: day, StateSince: day, UpdatedAt: day,
		Profile: mentorbot.Profile{Role: mentorbot.RoleMentee, JobLevel: 3, TimeZone: "UTC"}}
	pair := mentorbot.Pair{CycleID: 1, MentorID: "UM0001", MenteeID: p.ID, Origin: mentorbot.OriginRound, State: mentorbot.PairActive, CreatedAt: day, StartedAt: day}
	if err := db.Apply(ctx, mentorbot.Change{Participants: []mentorbot.Participant{p}, Pairs: []mentorbot.Pair{pair}}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := db.Participant(ctx, p.ID); err != nil {
			b.Fatal(err)
		}
		if _, err := db.ActivePair(ctx, p.ID); err != nil {
			b.Fatal(err)
		}
	}
}
