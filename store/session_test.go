package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
)

// activePair stores an active pair of mentor and mentee and returns it
// with its ID.
func activePair(t testing.TB, db *DB, mentor, mentee string) mentorbot.Pair {
	t.Helper()
	c := mentorbot.Change{Pairs: []mentorbot.Pair{{CycleID: 1, MentorID: mentor, MenteeID: mentee, Origin: mentorbot.OriginRound,
		State: mentorbot.PairActive, CreatedAt: day, StartedAt: day}}}
	if err := db.Apply(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c.Pairs[0]
}

func sampleSlot() mentorbot.Slot {
	return mentorbot.Slot{Weekday: time.Tuesday, Minute: 10 * 60, Length: 45 * time.Minute, Zone: "Europe/Berlin",
		Cadence: mentorbot.CadenceFortnightly, From: time.Date(2026, 3, 17, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 6, 12, 0, 0, 0, 0, time.UTC)}
}

func TestPairSlotOfferAndSequence(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		p := activePair(t, db, "UA", "UX")
		if p.Slot != nil || p.SlotOffer.Options != nil || p.CalendarSequence != 0 {
			t.Fatalf("a new pair has %+v, %+v, %d; want no slot, no offer", p.Slot, p.SlotOffer, p.CalendarSequence)
		}
		var nulls bool
		if err := db.db.QueryRow(`SELECT slot IS NULL AND slot_offer IS NULL FROM pairs`).Scan(&nulls); err != nil || !nulls {
			t.Fatalf("slot and slot_offer NULL = %v, %v; want both", nulls, err)
		}

		monthly := sampleSlot()
		monthly.Weekday, monthly.Minute, monthly.Length, monthly.Zone, monthly.Cadence = time.Thursday, 17*60+30, 90*time.Minute, "America/New_York", mentorbot.CadenceMonthly
		p.SlotOffer = mentorbot.SlotOffer{Options: []mentorbot.Slot{sampleSlot(), monthly}, MentorPick: 2, MenteePick: 1}
		if err := db.Apply(ctx, mentorbot.Change{Pairs: []mentorbot.Pair{p}}); err != nil {
			t.Fatal(err)
		}
		p.Version++
		if got, err := db.Pair(ctx, p.ID); err != nil || !reflect.DeepEqual(got, p) {
			t.Fatalf("with an offer loaded\n%+v, %v\nwant\n%+v", got, err, p)
		}

		agreed := sampleSlot()
		p.Slot, p.SlotOffer, p.CalendarSequence = &agreed, mentorbot.SlotOffer{}, 3
		if err := db.Apply(ctx, mentorbot.Change{Pairs: []mentorbot.Pair{p}}); err != nil {
			t.Fatal(err)
		}
		p.Version++
		got, err := db.Pair(ctx, p.ID)
		if err != nil || !reflect.DeepEqual(got, p) {
			t.Fatalf("with a slot loaded\n%+v, %v\nwant\n%+v", got, err, p)
		}
		// The stored shape is the store's own, not whatever mentorbot.Slot
		// marshals to today.
		var slot string
		var offerNull bool
		if err := db.db.QueryRow(`SELECT slot, slot_offer IS NULL FROM pairs`).Scan(&slot, &offerNull); err != nil {
			t.Fatal(err)
		}
		const want = `{"weekday":2,"minute":600,"length_minutes":45,"zone":"Europe/Berlin","cadence":"fortnightly","from":"2026-03-17","until":"2026-06-12"}`
		if slot != want || !offerNull {
			t.Fatalf("stored slot %s, offer NULL %v; want %s and NULL", slot, offerNull, want)
		}
	})
}

func TestSessionsInsertIgnoreUpdateConflict(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		p := activePair(t, db, "UA", "UX")
		occurrence := time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC)
		planned := mentorbot.Session{PairID: p.ID, Occurrence: occurrence, StartsAt: occurrence, EndsAt: occurrence.Add(45 * time.Minute),
			State: mentorbot.SessionScheduled}

		c := mentorbot.Change{Sessions: []mentorbot.Session{planned}}
		if err := db.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
		if c.Sessions[0].Version != 1 {
			t.Fatalf("inserted session's version = %d, want 1", c.Sessions[0].Version)
		}
		stored := c.Sessions[0]
		if got, err := db.Session(ctx, p.ID, occurrence); err != nil || !reflect.DeepEqual(got, stored) {
			t.Fatalf("Session =\n%+v, %v\nwant\n%+v", got, err, stored)
		}

		// Planning again leaves the stored session alone, whatever it says.
		again := planned
		again.EndsAt = occurrence.Add(time.Hour)
		c = mentorbot.Change{Sessions: []mentorbot.Session{again}}
		if err := db.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
		if c.Sessions[0].Version != 0 {
			t.Fatalf("a session planned twice came back at version %d, want 0 (not written)", c.Sessions[0].Version)
		}
		if got, err := db.Session(ctx, p.ID, occurrence); err != nil || !reflect.DeepEqual(got, stored) {
			t.Fatalf("after planning twice =\n%+v, %v\nwant\n%+v", got, err, stored)
		}

		moved := stored
		berlin, _ := time.LoadLocation("Europe/Berlin")
		moved.StartsAt = time.Date(2026, 3, 18, 14, 0, 0, 0, berlin)
		moved.EndsAt = moved.StartsAt.Add(45 * time.Minute)
		moved.Revision, moved.MovedBy = 1, "UX"
		moved.MentorComing, moved.MenteeHeld, moved.MenteeHeldAt = true, mentorbot.HeldMoved, day.Add(time.Hour)
		c = mentorbot.Change{Sessions: []mentorbot.Session{moved}}
		if err := db.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
		if c.Sessions[0].Version != 2 {
			t.Fatalf("updated session's version = %d, want 2", c.Sessions[0].Version)
		}
		want := c.Sessions[0]
		want.StartsAt, want.EndsAt = want.StartsAt.UTC(), want.EndsAt.UTC()
		if got, err := db.Session(ctx, p.ID, occurrence); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("after moving =\n%+v, %v\nwant\n%+v", got, err, want)
		}

		// A copy loaded before the move cannot overwrite it, and nothing else
		// in its change is written, nor any version or ID written back.
		stale := stored
		stale.State, stale.SkippedBy, stale.SkipReason = mentorbot.SessionSkipped, "UA", "Board meeting"
		other := planned
		other.Occurrence = occurrence.AddDate(0, 0, 14)
		item := mentorbot.OutboxItem{Key: "k", To: "UA", Kind: mentorbot.OutboxSessionSkipped, PairID: p.ID, DueAt: day}
		c = mentorbot.Change{Sessions: []mentorbot.Session{other, stale}, Outbox: []mentorbot.OutboxItem{item}}
		wantCode(t, db.Apply(ctx, c), mentorbot.ECONFLICT)
		if c.Sessions[0].Version != 0 || c.Sessions[1].Version != stored.Version || c.Outbox[0].ID != 0 {
			t.Fatalf("a failed change wrote back versions %d, %d and ID %d", c.Sessions[0].Version, c.Sessions[1].Version, c.Outbox[0].ID)
		}
		if got, err := db.SessionsOf(ctx, p.ID); err != nil || len(got) != 1 || got[0].State != mentorbot.SessionScheduled {
			t.Fatalf("after a stale save: %+v, %v", got, err)
		}
		if got, err := db.OutboxOf(ctx, p.ID); err != nil || len(got) != 0 {
			t.Fatalf("outbox after a failed change: %+v, %v", got, err)
		}

		_, err := db.Session(ctx, p.ID, occurrence.Add(time.Minute))
		wantCode(t, err, mentorbot.ENOTFOUND)
		// A session belongs to a pair that exists.
		orphan := planned
		orphan.PairID = p.ID + 100
		if err := db.Apply(ctx, mentorbot.Change{Sessions: []mentorbot.Session{orphan}}); err == nil {
			t.Fatal("a session of no pair was saved")
		}
	})
}

func TestSessionsOfAndLastOccurrences(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if last, err := db.LastOccurrences(ctx); err != nil || len(last) != 0 {
			t.Fatalf("LastOccurrences with no sessions = %v, %v", last, err)
		}
		a := activePair(t, db, "UA", "UX")
		b := activePair(t, db, "UB", "UY")
		activePair(t, db, "UC", "UZ") // no sessions yet
		session := func(pair int64, weeks int) mentorbot.Session {
			at := time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC).AddDate(0, 0, 7*weeks)
			return mentorbot.Session{PairID: pair, Occurrence: at, StartsAt: at, EndsAt: at.Add(time.Hour), State: mentorbot.SessionScheduled}
		}
		// Out of order, so the order comes from the query.
		c := mentorbot.Change{Sessions: []mentorbot.Session{session(a.ID, 2), session(b.ID, 10), session(a.ID, 0), session(a.ID, 1)}}
		if err := db.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, err := db.SessionsOf(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var weeks []int
		for _, s := range got {
			weeks = append(weeks, int(s.Occurrence.Sub(session(a.ID, 0).Occurrence)/(7*24*time.Hour)))
		}
		if !reflect.DeepEqual(weeks, []int{0, 1, 2}) {
			t.Fatalf("SessionsOf weeks = %v, want 0, 1, 2", weeks)
		}
		last, err := db.LastOccurrences(ctx)
		want := map[int64]time.Time{a.ID: session(a.ID, 2).Occurrence, b.ID: session(b.ID, 10).Occurrence}
		if err != nil || !reflect.DeepEqual(last, want) {
			t.Fatalf("LastOccurrences = %v, %v; want %v", last, err, want)
		}
	})
}

// TestMigrationToSessions upgrades pairs from the matching schema: they
// have no slot yet. Going down again keeps them.
func TestMigrationToSessions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		provider := migrator(t, db)
		ctx := context.Background()
		if _, err := provider.DownTo(ctx, 3); err != nil {
			t.Fatal(err)
		}
		if _, err := db.db.Exec(`INSERT INTO pairs (cycle_id, origin, mentor_id, mentee_id, state, mentor_answer, mentee_answer, created_at, started_at, version)
		VALUES (1, 'round', 'UA', 'UX', 'active', 'accepted', 'accepted', ?1, ?1, 4)`, formatTime(day)); err != nil {
			t.Fatal(err)
		}
		if _, err := provider.Up(ctx); err != nil {
			t.Fatal(err)
		}
		p, err := db.ActivePair(ctx, "UX")
		if err != nil || p.Slot != nil || p.SlotOffer.Options != nil || p.CalendarSequence != 0 || p.Version != 4 {
			t.Fatalf("migrated pair = %+v, %v; want it as it was, with no slot", p, err)
		}
		slot := sampleSlot()
		p.Slot, p.CalendarSequence = &slot, 1
		at := time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC)
		err = db.Apply(ctx, mentorbot.Change{
			Pairs:    []mentorbot.Pair{p},
			Sessions: []mentorbot.Session{{PairID: p.ID, Occurrence: at, StartsAt: at, EndsAt: at.Add(time.Hour), State: mentorbot.SessionScheduled}},
			Outbox:   []mentorbot.OutboxItem{{Key: "k", To: "UX", Kind: mentorbot.OutboxNudge, PairID: p.ID, Occurrence: at, DueAt: at.Add(-time.Hour)}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := provider.DownTo(ctx, 3); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.db.QueryRow(`SELECT COUNT(*) FROM pairs WHERE state = 'active' AND version = 5`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("after going down again: %d active pairs, %v", n, err)
		}
		if _, err := provider.Up(ctx); err != nil {
			t.Fatal(err)
		}
		if p, err := db.ActivePair(ctx, "UX"); err != nil || p.Slot != nil {
			t.Fatalf("after going up again: %+v, %v", p, err)
		}
	})
}
