package scheduler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/store"
	"github.com/mentorbot/mentorbot/store/storetest"
)

// recorder is a Deliverer that remembers what it was given, or fails.
type recorder struct {
	mu   sync.Mutex
	got  []mentorbot.Delivery
	fail error
	// users, when set, are the only people Contact knows, as chat knows
	// its users by their IDs and nobody else.
	users map[string]bool
}

func (r *recorder) Contact(_ context.Context, id string) (mentorbot.Contact, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.users != nil && !r.users[id] {
		return mentorbot.Contact{}, errors.New("user_not_found")
	}
	return mentorbot.Contact{}, nil
}

func (r *recorder) Deliver(_ context.Context, d mentorbot.Delivery) (mentorbot.Receipt, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, d)
	return mentorbot.Receipt{Channel: "D" + d.Item.To, TS: fmt.Sprint(len(r.got))}, r.fail
}

// outboxWorld is a programme with people in active pairs, each owed
// messages, and an outbox sending them through a recorder.
func outboxWorld(t *testing.T, pairs, perPerson int) (*mentorbot.Programme, *store.DB, *mentorbot.ManualClock, *recorder, *Outbox) {
	t.Helper()
	db := storetest.Open(t)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := mentorbot.NewManualClock(now)
	owePairs(t, db, now, pairs, perPerson)
	clock.Set(now.Add(time.Hour))
	pr := &mentorbot.Programme{Store: db, Clock: clock}
	rec := &recorder{}
	return pr, db, clock, rec, NewOutbox(pr, rec, "test", 4, discard)
}

// owePairs stores people in active pairs, each owed perPerson messages
// due a second apart from now.
func owePairs(t *testing.T, db *store.DB, now time.Time, pairs, perPerson int) {
	t.Helper()
	ctx := context.Background()
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
}

func TestOutboxSendsEachMessageOnceInOrderForEachPerson(t *testing.T) {
	_, _, _, rec, o := outboxWorld(t, 30, 3)
	report := o.Drain(context.Background())
	if report.Sent != 180 || len(rec.got) != 180 {
		t.Fatalf("sent %+v, delivered %d; want 180", report, len(rec.got))
	}
	seen := map[string]bool{}
	last := map[string]time.Time{}
	for _, d := range rec.got {
		it := d.Item
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
	if report.Dropped != 2 || report.Sent != 2 || slices.ContainsFunc(rec.got, func(d mentorbot.Delivery) bool { return d.Item.PairID == 1 }) {
		t.Errorf("%+v, delivered %v; want the ended pair's messages dropped", report, rec.got)
	}
	items, _ := db.OutboxOf(ctx, 1)
	for _, it := range items {
		if it.State != mentorbot.OutboxDropped || it.Error != "the pair is no longer meeting" {
			t.Errorf("%+v", it)
		}
	}
}

// TestErasingOneOfAPairStillCancelsThePartnersCalendar has one of a pair
// with a booked time forget-me while the sender runs, again and again with
// a fresh pair: whether the sender gets to the partner's cancellation and
// word that their partner left before the erasure or after, the partner
// gets each exactly once.
func TestErasingOneOfAPairStillCancelsThePartnersCalendar(t *testing.T) {
	pr, db, clock, rec, o := outboxWorld(t, 0, 0)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	rec.users = map[string]bool{}
	pr.OnOutbox = o.Wake
	go o.Run(ctx)
	now := clock.Now()
	for i := range 50 {
		mentor, mentee := fmt.Sprintf("UM%02d", i), fmt.Sprintf("US%02d", i)
		pair := mentorbot.Pair{MentorID: mentor, MenteeID: mentee, Origin: mentorbot.OriginRound, State: mentorbot.PairActive,
			CreatedAt: now, StartedAt: now, Slot: inviteSlot(mentorbot.CadenceWeekly, date(2026, 3, 10))}
		c := mentorbot.Change{Pairs: []mentorbot.Pair{pair}}
		for id, role := range map[string]mentorbot.Role{mentor: mentorbot.RoleMentor, mentee: mentorbot.RoleMentee} {
			rec.users[id] = true
			c.Participants = append(c.Participants, mentorbot.Participant{ID: id, State: mentorbot.StateMatched,
				Profile: mentorbot.Profile{Role: role, TimeZone: "UTC", JobLevel: 3}, JoinedAt: now, StateSince: now, UpdatedAt: now})
		}
		if err := db.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
		pair = c.Pairs[0]
		booked := mentorbot.Change{}
		for _, to := range []string{mentee, mentor} {
			booked.Outbox = append(booked.Outbox, mentorbot.OutboxItem{Key: fmt.Sprintf("pair/%d/calendar/0/invite/%s", pair.ID, to),
				To: to, Kind: mentorbot.OutboxInvite, PairID: pair.ID, DueAt: now})
		}
		if err := db.Apply(ctx, booked); err != nil {
			t.Fatal(err)
		}
		for _, invite := range booked.Outbox {
			// The running sender may have claimed the invite first: then
			// it sends and records it itself.
			if err := pr.Sent(ctx, invite, mentorbot.Receipt{Channel: "D" + invite.To}); err != nil && mentorbot.ErrorCode(err) != mentorbot.ENOTFOUND {
				t.Fatal(err)
			}
		}

		if err := pr.Forget(ctx, mentor); err != nil {
			t.Fatal(err)
		}
		o.Drain(ctx) // after any pass the erasure raced with
		var cancels, told []mentorbot.Delivery
		for _, d := range rec.got {
			if d.Item.PairID != pair.ID || d.Item.To != mentee {
				continue
			}
			switch d.Item.Kind {
			case mentorbot.OutboxInviteCancel:
				cancels = append(cancels, d)
			case mentorbot.OutboxPartnerLeft:
				told = append(told, d)
			}
		}
		if len(cancels) != 1 || len(told) != 1 {
			t.Fatalf("run %d: the partner got %d cancellations and was told %d times their partner left, want 1 of each", i, len(cancels), len(told))
		}
		if d := cancels[0]; !bytes.Contains(d.Calendar, []byte("METHOD:CANCEL")) || d.Partner.ID != mentor && !mentorbot.Erased(d.Partner.ID) {
			t.Fatalf("run %d: the cancellation names the partner %q and says\n%s", i, d.Partner.ID, d.Calendar)
		}
	}
}
