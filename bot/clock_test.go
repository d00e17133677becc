package bot

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a sender's clock that moves only when its test moves it.
// A sender waiting for a turn or a pause sleeps on it until the test
// advances past that time, so a test sees what the sender waits for, and
// for how long, without waiting itself.
type fakeClock struct {
	mu       sync.Mutex
	now      time.Time
	sleepers map[*sleeper]bool
	// changed is closed and replaced whenever a sleeper comes or goes.
	changed chan struct{}
}

// sleeper is one wait on a fakeClock: a sender's sleep, or a context's
// deadline.
type sleeper struct {
	until time.Time
	wake  func()
	timer bool // a context's deadline, not a sender asleep
}

// clockStart is where every fakeClock starts: far enough from the
// machine's time that nothing can mistake the one for the other.
var clockStart = time.Date(2031, 1, 6, 9, 0, 0, 0, time.UTC)

func newFakeClock() *fakeClock {
	return &fakeClock{now: clockStart, sleepers: map[*sleeper]bool{}, changed: make(chan struct{})}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) SleepUntil(ctx context.Context, until time.Time) error {
	woken := make(chan struct{})
	sl := &sleeper{until: until, wake: func() { close(woken) }}
	if !c.add(sl) {
		return nil // that time has come
	}
	select {
	case <-woken:
		return nil
	case <-ctx.Done():
		c.remove(sl)
		return ctx.Err()
	}
}

// add adds a sleeper, or reports that its time has already come.
func (c *fakeClock) add(sl *sleeper) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !sl.until.After(c.now) {
		return false
	}
	c.sleepers[sl] = true
	c.changedLocked()
	return true
}

func (c *fakeClock) remove(sl *sleeper) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sleepers[sl] {
		delete(c.sleepers, sl)
		c.changedLocked()
	}
}

func (c *fakeClock) changedLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// advance moves the clock on by d, waking everyone whose time comes.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []*sleeper
	for sl := range c.sleepers {
		if !sl.until.After(c.now) {
			due = append(due, sl)
			delete(c.sleepers, sl)
		}
	}
	if len(due) > 0 {
		c.changedLocked()
	}
	c.mu.Unlock()
	for _, sl := range due {
		sl.wake()
	}
}

// advanceToWake moves the clock to when the next sleeper wakes, waking
// it, and returns that time; the test fails when nobody sleeps.
func (c *fakeClock) advanceToWake(t *testing.T) time.Time {
	t.Helper()
	c.mu.Lock()
	var next time.Time
	for sl := range c.sleepers {
		if !sl.timer && (next.IsZero() || sl.until.Before(next)) {
			next = sl.until
		}
	}
	now := c.now
	c.mu.Unlock()
	if next.IsZero() {
		t.Fatal("nobody sleeps on the clock")
	}
	c.advance(next.Sub(now))
	return next
}

// asleep is how many senders sleep on the clock now.
func (c *fakeClock) asleep() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for sl := range c.sleepers {
		if !sl.timer {
			n++
		}
	}
	return n
}

// waitAsleep returns once n senders sleep on the clock. It fails the test
// if done is closed first: what was to wait for the clock finished without.
func (c *fakeClock) waitAsleep(t *testing.T, n int, done <-chan struct{}) {
	t.Helper()
	stuck := stuckAfter(t)
	for {
		c.mu.Lock()
		changed := c.changed
		c.mu.Unlock()
		if c.asleep() >= n {
			return
		}
		select {
		case <-changed:
		case <-done:
			if c.asleep() < n {
				t.Fatalf("finished with %d senders asleep on the clock, want %d to wait", c.asleep(), n)
			}
		case <-stuck.Done():
			t.Fatalf("%d senders asleep on the clock, want %d", c.asleep(), n)
		}
	}
}

// start runs fn on its own and returns a channel closed once fn returns.
func start(fn func()) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	return done
}

// finished waits for done, failing the test if it is stuck.
func finished(t *testing.T, done <-chan struct{}) {
	t.Helper()
	select {
	case <-done:
	case <-stuckAfter(t).Done():
		t.Fatal("a send never finished")
	}
}

// context is a context whose deadline is d from now on this clock, and
// which ends when the clock gets there.
func (c *fakeClock) context(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	parent, cancel := context.WithCancel(stuckAfter(t))
	ctx := &clockContext{Context: parent, deadline: c.Now().Add(d)}
	sl := &sleeper{until: ctx.deadline, timer: true, wake: func() {
		ctx.expired.Store(true)
		cancel()
	}}
	if !c.add(sl) {
		sl.wake()
	}
	t.Cleanup(func() {
		c.remove(sl)
		cancel()
	})
	return ctx
}

// clockContext is a context with a deadline on a fakeClock.
type clockContext struct {
	context.Context
	deadline time.Time
	expired  atomic.Bool
}

func (c *clockContext) Deadline() (time.Time, bool) { return c.deadline, true }

func (c *clockContext) Err() error {
	if c.expired.Load() {
		return context.DeadlineExceeded
	}
	return c.Context.Err()
}

// stuckAfter is a context without a deadline a sender could read, which
// ends if the test is still running a minute on: a sender that never
// returns fails the test instead of hanging it.
func stuckAfter(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(t.Context())
	timer := time.AfterFunc(time.Minute, cancel)
	t.Cleanup(func() {
		timer.Stop()
		cancel()
	})
	return ctx
}

// SkippingClock is a sender's clock for a whole bot under test: it runs
// with the machine's time, but a sleep on it returns at once and puts the
// clock forward to when the sleep would have ended. Retry-After pauses
// and backoffs are kept, in its time, without anyone waiting for them.
// Deadlines set by the machine's clock come that much sooner to it, as
// they would had the bot really slept.
type SkippingClock struct {
	mu    sync.Mutex
	ahead time.Duration // how far it is ahead of the machine's time
}

func NewSkippingClock() *SkippingClock { return &SkippingClock{} }

func (c *SkippingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.ahead)
}

func (c *SkippingClock) SleepUntil(ctx context.Context, until time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// Sleepers waiting for the same time move the clock once.
	c.ahead = max(c.ahead, time.Until(until))
	return nil
}

// UseClock makes the bot's sender tell the time by c; call it before Run.
func (b *Bot) UseClock(c *SkippingClock) { b.send.clock = c }
