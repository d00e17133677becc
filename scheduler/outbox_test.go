package scheduler

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/store"
)

// recorder is a Deliverer that remembers what it was given, or fails.
type recorder struct {
	mu   sync.Mutex
	got  []mentorbot.OutboxItem
	fail error
}

func (r *recorder) Contact(context.Context, string) (mentorbot.Contact, error) {
	return mentorbot.Contact{}, nil
}

func (r *recorder) Deliver(_ context.Context, d mentorbot.Delivery) (mentorbot.Receipt, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, d.Item)
	return mentorbot.Receipt{Channel: "D" + d.Item.To, TS: fmt.Sprint(len(r.got))}, r.fail
}

// outboxWorld is a programme with people in active pairs, each owed
// messages, and an outbox sending them through a recorder.
func outboxWorld(t *testing.T, pairs, perPerson int) (*mentorbot.Programme, *store.DB, *mentorbot.ManualClock, *recorder, *Outbox) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := mentorbot.NewManualClock(now)
	var c mentorbot.Change
	for i := range pairs {
		mentor, mentee := fmt.Sprintf("UM%03d", i), fmt.Sprintf("US%03d", i)
		for id, role := range map[string]mentorbot.Role{mentor: mentorbot.RoleMentor, mentee: mentorbot.RoleMentee} {
			c.Participants = append(c.Participants, mentorbot.Participant{ID: id, State: mentorbot.StateMatched, Profile: mentorbot.Profile{Role: role, TimeZone: "UTC", JobLevel: 3}, JoinedAt: now, StateSince: now, UpdatedAt: now})
		}
		c.Pairs = append(c.Pairs, mentorbot.Pair{MentorID: mentor, MenteeID: mentee, Origin: mentorbot.OriginRound, State: mentorbot.PairActive, CreatedAt: now, StartedAt: now})
	}
	if err := db.Apply(ctx, c); err != nil {
		t.Fatal(err)
	}
	var owed mentorbot.Change
	for _, p := range c.Pairs {
		for n := range perPerson {
			for _, to := range []string{p.MentorID, p.MenteeID} {
				owed.Outbox = append(owed.Outbox, mentorbot.OutboxItem{
					Key: fmt.Sprintf("test/%d/%d/%s", p.ID, n, to), To: to, Kind: mentorbot.OutboxSlotProposed,
					PairID: p.ID, DueAt: now.Add(time.Duration(n) * time.Second),
				})
			}
		}
	}
	if err := db.Apply(ctx, owed); err != nil {
		t.Fatal(err)
	}
	clock.Set(now.Add(time.Hour))
	pr := &mentorbot.Programme{Store: db, Clock: clock}
	rec := &recorder{}
	return pr, db, clock, rec, NewOutbox(pr, rec, 4, discard)
}

func TestOutboxSendsEachMessageOnceInOrderForEachPerson(t *testing.T) {
	_, _, _, rec, o := outboxWorld(t, 30, 3)
	report := o.Drain(context.Background())
	if report.Sent != 180 || len(rec.got) != 180 {
		t.Fatalf("sent %+v, delivered %d; want 180", report, len(rec.got))
	}
	seen := map[string]bool{}
	last := map[string]time.Time{}
	for _, it := range rec.got {
		if seen[it.Key] {
			t.Errorf("%s delivered twice", it.Key)
		}
		seen[it.Key] = true
		if it.DueAt.Before(last[it.To]) {
			t.Errorf("%s got a message due %s after one due %s", it.To, it.DueAt, last[it.To])
		}
		last[it.To] = it.DueAt
	}
	if again := o.Drain(context.Background()); again.Sent != 0 || len(rec.got) != 180 {
		t.Errorf("a second pass sent %+v", again)
	}
}

func TestOutboxRetriesLaterThenGivesUp(t *testing.T) {
	_, db, clock, rec, o := outboxWorld(t, 1, 1)
	ctx := context.Background()
	rec.fail = errors.New("slack is down")
	for attempt := 1; attempt <= 5; attempt++ {
		report := o.Drain(ctx)
		if len(rec.got) != 2*attempt {
			t.Fatalf("attempt %d: %d deliveries tried, want %d", attempt, len(rec.got), 2*attempt)
		}
		// Right away, nothing is tried again: the retry waits.
		o.Drain(ctx)
		if len(rec.got) != 2*attempt {
			t.Fatalf("attempt %d retried at once", attempt)
		}
		if attempt < 5 && report.Retrying != 2 || attempt == 5 && report.Failed != 2 {
			t.Fatalf("attempt %d: %+v", attempt, report)
		}
		clock.Advance(time.Hour)
	}
	items, _ := db.OutboxOf(ctx, 1)
	for _, it := range items {
		if it.State != mentorbot.OutboxFailed || it.Attempts != 5 || it.Error != "slack is down" {
			t.Errorf("after giving up: %+v", it)
		}
	}
	if report := o.Drain(ctx); report != (DrainReport{}) || len(rec.got) != 10 {
		t.Errorf("a failed message was tried again: %+v", report)
	}
}

func TestOutboxDropsWhatNoLongerApplies(t *testing.T) {
	_, db, _, rec, o := outboxWorld(t, 2, 1)
	ctx := context.Background()
	p, _ := db.Pair(ctx, 1)
	p.State = mentorbot.PairEnded
	if err := db.Apply(ctx, mentorbot.Change{Pairs: []mentorbot.Pair{p}}); err != nil {
		t.Fatal(err)
	}
	report := o.Drain(ctx)
	if report.Dropped != 2 || report.Sent != 2 || slices.ContainsFunc(rec.got, func(it mentorbot.OutboxItem) bool { return it.PairID == 1 }) {
		t.Errorf("%+v, delivered %v; want the ended pair's messages dropped", report, rec.got)
	}
	items, _ := db.OutboxOf(ctx, 1)
	for _, it := range items {
		if it.State != mentorbot.OutboxDropped || it.Error != "the pair is no longer meeting" {
			t.Errorf("%+v", it)
		}
	}
}
