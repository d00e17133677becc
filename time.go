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

// zones keeps every time zone loaded so far, by IANA name: loading one
// reads and parses the zone database, and each tick asks for the zone of
// every pair with a slot.
var zones sync.Map

// Zone loads a time zone by IANA name, UTC when it is unknown; each is
// loaded once.
func Zone(name string) *time.Location {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	zones.Store(name, loc)
	return loc
}

// Day returns t's calendar date as midnight UTC, the way dates are kept.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// FormatDate writes a date the way people read it: "Mon 16 Mar 2026".
func FormatDate(day time.Time) string { return day.Format("Mon 2 Jan 2006") }

// location is the programme's own time zone, for its today and its
// reports; UTC when none is set.
func (pr *Programme) location() *time.Location {
	if pr.Location == nil {
		return time.UTC
	}
	return pr.Location
}
