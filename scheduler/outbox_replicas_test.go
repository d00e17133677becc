package scheduler

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/store"
	"github.com/mentorbot/mentorbot/store/storetest"
)

// chat is the Slack both replicas write to: it remembers who delivered
// each message and in what order each reader got theirs, and finds a
// reader written to by two replicas at once.
type chat struct {
	mu        sync.Mutex
	by        map[string][]string               // message key: owners that delivered it
	got       map[string][]mentorbot.OutboxItem // reader: their messages, in the order delivered
	writing   map[string]string                 // reader: the owner delivering to them now
	problems  []string
	delivered map[string]int // owner: messages delivered
}

// replica is one owner's way into the chat. stopAfter, when set, ends the
// replica's pass (stop) once it delivered that many; started, when set,
// is closed at its first delivery.
type replica struct {
	chat      *chat
	owner     string
	stopAfter int
	stop      context.CancelFunc
	started   chan struct{}
}

func (r *replica) Contact(context.Context, string) (mentorbot.Contact, error) {
	return mentorbot.Contact{}, nil
}

func (r *replica) Deliver(ctx context.Context, d mentorbot.Delivery) (mentorbot.Receipt, error) {
	c, to := r.chat, d.Item.To
	c.mu.Lock()
	if ctx.Err() != nil {
		// The replica is going down: Slack never gets this one.
		c.mu.Unlock()
		return mentorbot.Receipt{}, ctx.Err()
	}
	if other, busy := c.writing[to]; busy {
		c.problems = append(c.problems, fmt.Sprintf("%s written to by %s and %s at once", to, other, r.owner))
	}
	c.writing[to] = r.owner
	c.mu.Unlock()
	// Let the other replica run while this message is on its way.
	runtime.Gosched()
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.writing, to)
	c.by[d.Item.Key] = append(c.by[d.Item.Key], r.owner)
	c.got[to] = append(c.got[to], d.Item)
	c.delivered[r.owner]++
	if r.started != nil && c.delivered[r.owner] == 1 {
		close(r.started)
	}
	if r.stopAfter > 0 && c.delivered[r.owner] == r.stopAfter {
		r.stop()
	}
	return mentorbot.Receipt{Channel: "D" + to, TS: fmt.Sprint(len(c.by))}, nil
}

// TestTwoReplicasShareTheOutbox has two replicas on one PostgreSQL
// database drain 200 messages at once, one of them going down mid-way
// with messages claimed and unsent: each message reaches its reader once,
// in order, from one replica at a time, and what the fallen replica held
// goes out from the other once it is gone, not before.
func TestTwoReplicasShareTheOutbox(t *testing.T) {
	ctx := context.Background()
	url := storetest.PostgresURL(t)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := mentorbot.NewManualClock(now)
	open := func() *store.DB {
		db, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	dbA, dbB := open(), open()
	presenceA := present(t, dbA, "a")
	present(t, dbB, "b")
	owePairs(t, dbA, now, 20, 5) // 40 readers, 5 messages each
	clock.Set(now.Add(time.Hour))

	c := &chat{by: map[string][]string{}, got: map[string][]mentorbot.OutboxItem{}, writing: map[string]string{}, delivered: map[string]int{}}
	ctxA, stopA := context.WithCancel(ctx)
	defer stopA()
	a := &replica{chat: c, owner: "a", stopAfter: 30, stop: stopA, started: make(chan struct{})}
	b := &replica{chat: c, owner: "b"}
	outboxA := NewOutbox(&mentorbot.Programme{Store: dbA, Clock: clock}, a, a.owner, 4, discard)
	outboxB := NewOutbox(&mentorbot.Programme{Store: dbB, Clock: clock}, b, b.owner, 4, discard)

	var wg sync.WaitGroup
	wg.Go(func() { outboxA.Drain(ctxA) })
	// b starts once a holds messages, or a could find every reader b's.
	wg.Go(func() {
		<-a.started
		outboxB.Drain(ctx)
	})
	wg.Wait()

	// a went down holding messages: b's next pass leaves them, and every
	// message to their readers, while a's lease lasts, and sends the rest.
	heldFor, pending := map[string]int{}, 0
	for _, it := range outboxOf(t, dbB, 20) {
		if it.State != mentorbot.OutboxPending {
			continue
		}
		pending++
		if it.LeaseOwner == "a" {
			heldFor[it.To]++
		} else if it.LeaseOwner != "" {
			t.Errorf("%s is pending, leased to %q", it.Key, it.LeaseOwner)
		}
	}
	if len(heldFor) == 0 {
		t.Fatal("a finished everything it claimed before it went down; the test shows nothing")
	}
	waiting := 0
	for _, it := range outboxOf(t, dbB, 20) {
		if it.State == mentorbot.OutboxPending && heldFor[it.To] > 0 {
			waiting++
		}
	}
	if report := outboxB.Drain(ctx); report.Sent != pending-waiting {
		t.Fatalf("while a's lease lasts b sent %+v, want the %d messages to readers a does not hold", report, pending-waiting)
	}
	presenceA.Release()
	if report := outboxB.Drain(ctx); report.Sent != waiting {
		t.Fatalf("once a was gone b sent %+v, want the %d to the readers a held", report, waiting)
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.problems {
		t.Error(p)
	}
	if len(c.by) != 200 {
		t.Errorf("%d of 200 messages delivered", len(c.by))
	}
	for key, owners := range c.by {
		if len(owners) != 1 {
			t.Errorf("%s delivered by %v", key, owners)
		}
	}
	for to, items := range c.got {
		for i := 1; i < len(items); i++ {
			if items[i].DueAt.Before(items[i-1].DueAt) {
				t.Errorf("%s got %s before %s", to, items[i-1].Key, items[i].Key)
			}
		}
	}
	// What a had on its way when it went down still arrived.
	if c.delivered["a"] < a.stopAfter || c.delivered["b"] == 0 {
		t.Errorf("a delivered %d and b %d; want both to send, a at least %d", c.delivered["a"], c.delivered["b"], a.stopAfter)
	}
	for _, it := range outboxOf(t, dbA, 20) {
		if it.State != mentorbot.OutboxSent || it.LeaseOwner != "" {
			t.Errorf("%s is %s, leased to %q", it.Key, it.State, it.LeaseOwner)
		}
	}
}

// present makes owner a running replica on db until the test ends.
func present(t *testing.T, db *store.DB, owner string) *store.Leadership {
	t.Helper()
	l := db.Leadership(owner)
	if _, err := l.TryLead(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Release)
	return l
}

// outboxOf lists the messages of the pairs numbered 1 to pairs.
func outboxOf(t *testing.T, db *store.DB, pairs int64) []mentorbot.OutboxItem {
	t.Helper()
	var all []mentorbot.OutboxItem
	for id := int64(1); id <= pairs; id++ {
		items, err := db.OutboxOf(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, items...)
	}
	return all
}
