// Package mentorbot is the domain of a reverse-mentoring programme run inside
// Slack: participants, their roles, topics and availability, and the rules
// that keep the programme honest. It imports the standard library only; the
// Slack edge lives in bot/, the SQL in store/, everything timed in scheduler/.
package mentorbot

import (
	"sync"
	"time"

	// Every time zone a participant can pick must resolve on any machine,
	// including a minimal container without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// Clock tells the time. Domain code never calls time.Now: production passes
// SystemClock, tests and the demo pass a ManualClock they move.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock, in UTC.
type SystemClock struct{}

// Now returns the current time in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// ManualClock is a clock that only moves when told to.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a clock stopped at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{now: t.UTC()} }

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t.UTC()
}
