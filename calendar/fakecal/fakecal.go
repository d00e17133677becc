// Package fakecal is the calendar both fake calendar servers keep: the
// mailboxes of a directory, their events with recurring series expanded
// into instances, free/busy, and the faults and holds tests inject. Each
// fake speaks its own API's wire format over it.
package fakecal

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Rule is a recurrence the fakes understand: weekly every Interval weeks,
// or monthly on the Ordinal'th Weekday (-1 the last), until Until.
type Rule struct {
	Monthly  bool
	Interval int
	Weekday  time.Weekday
	Ordinal  int
	Until    time.Time // the last moment an instance may start, in UTC
}

// Attendee is a person invited to an event, with their answer.
type Attendee struct {
	Email, Name string
	Response    string // the API's own word: "needsAction", "accepted", "declined"…
}

// Instance is one occurrence of an event.
type Instance struct {
	Original   time.Time // when the rule puts it, in UTC; names it
	Start, End time.Time
	Cancelled  bool
	// Declined lists attendees who declined this instance alone.
	Declined []string
}

// Event is one event in a mailbox: a single one, or a series.
type Event struct {
	ID, Owner      string
	Title, Body    string
	Private        bool
	Start, End     time.Time // of the first instance, in UTC
	Zone           *time.Location
	Rule           *Rule
	Attendees      []Attendee
	Cancelled      bool
	Key            string // the client's idempotency key (Graph's transactionId)
	Overrides      map[time.Time]*Instance
	Created, Saved int // how many times created (always 1) and saved
}

// Instances lists the event's occurrences starting from from and before to,
// cancelled ones included.
func (e *Event) Instances(from, to time.Time) []Instance {
	var out []Instance
	length := e.End.Sub(e.Start)
	for n := 0; ; n++ {
		start, ok := e.occurrence(n)
		if !ok || !start.Before(to) {
			break
		}
		inst := Instance{Original: start, Start: start, End: start.Add(length)}
		if o, ok := e.Overrides[start]; ok {
			inst = *o
		}
		if inst.End.After(from) && inst.Start.Before(to) {
			out = append(out, inst)
		}
		if e.Rule == nil {
			break
		}
	}
	return out
}

// Instance finds the occurrence the rule puts at original, wherever it
// was moved.
func (e *Event) Instance(original time.Time) (Instance, bool) {
	for n := 0; ; n++ {
		start, ok := e.occurrence(n)
		if !ok || start.After(original) {
			return Instance{}, false
		}
		if start.Equal(original) {
			if o, ok := e.Overrides[start]; ok {
				return *o, true
			}
			return Instance{Original: start, Start: start, End: start.Add(e.End.Sub(e.Start))}, true
		}
		if e.Rule == nil {
			return Instance{}, false
		}
	}
}

// occurrence is when the nth instance starts, by the rule, at the first
// instance's wall time in the event's zone.
func (e *Event) occurrence(n int) (time.Time, bool) {
	if e.Rule == nil {
		return e.Start, n == 0
	}
	first := e.Start.In(e.Zone)
	var day time.Time
	if e.Rule.Monthly {
		m := time.Date(first.Year(), first.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
		if e.Rule.Ordinal > 0 {
			day = m.AddDate(0, 0, (int(e.Rule.Weekday)-int(m.Weekday())+7)%7+7*(e.Rule.Ordinal-1))
		} else {
			last := m.AddDate(0, 1, -1)
			day = last.AddDate(0, 0, -((int(last.Weekday()) - int(e.Rule.Weekday) + 7) % 7))
		}
	} else {
		day = time.Date(first.Year(), first.Month(), first.Day()+7*max(e.Rule.Interval, 1)*n, 0, 0, 0, 0, time.UTC)
	}
	start := time.Date(day.Year(), day.Month(), day.Day(), first.Hour(), first.Minute(), 0, 0, e.Zone).UTC()
	return start, !start.After(e.Rule.Until)
}

// declined reports whether email said no to the instance.
func (e *Event) declined(email string, inst Instance) bool {
	if slices.Contains(inst.Declined, email) {
		return true
	}
	for _, a := range e.Attendees {
		if a.Email == email {
			return a.Response == "declined"
		}
	}
	return false
}

// Fault is an error a fake answers instead of doing the work.
type Fault struct {
	Status     int
	RetryAfter int // seconds, for a 429
}

// Call is one API request a fake answered.
type Call struct {
	Method, Path string
	Status       int
}

// Calendar is a directory of mailboxes and their events, safe for use by
// the handlers of a fake server and the test driving it.
type Calendar struct {
	mu        sync.Mutex
	mailboxes map[string]string // email → name
	events    []*Event
	busy      map[string][]Busy
	faults    []Fault
	calls     []Call
	hold      chan struct{} // while set, writes wait for it to close after doing their work
	held      chan struct{} // signalled when a write is held
	nextID    int
}

// Busy is a block of someone's time the bot did not write.
type Busy struct{ Start, End time.Time }

// New starts an empty directory.
func New() *Calendar {
	return &Calendar{mailboxes: map[string]string{}, busy: map[string][]Busy{}}
}

// AddMailbox adds a person to the directory.
func (c *Calendar) AddMailbox(email, name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mailboxes[email] = name
}

// Known reports whether the directory has a mailbox for email.
func (c *Calendar) Known(email string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.mailboxes[email]
	return ok
}

// AddBusy puts a meeting the bot knows nothing of in a person's calendar.
func (c *Calendar) AddBusy(email string, start, end time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.busy[email] = append(c.busy[email], Busy{start.UTC(), end.UTC()})
}

// Storm makes the next n API requests (tokens aside) fail with f.
func (c *Calendar) Storm(n int, f Fault) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for range n {
		c.faults = append(c.faults, f)
	}
}

// Hold makes each write wait, once its work is done and before it
// answers, until Release; held receives once per write held.
func (c *Calendar) Hold() (held <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hold, c.held = make(chan struct{}), make(chan struct{}, 16)
	return c.held
}

// Release lets held writes answer, and later ones go unheld.
func (c *Calendar) Release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.hold != nil {
		close(c.hold)
		c.hold = nil
	}
}

// Calls lists the API requests answered so far.
func (c *Calendar) Calls() []Call {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.calls)
}

// Events lists copies of the events in email's mailbox, cancelled ones too.
func (c *Calendar) Events(email string) []Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Event
	for _, e := range c.events {
		if e.Owner == email {
			out = append(out, *e)
		}
	}
	return out
}

// Invitations lists copies of the events in other mailboxes email is
// invited to.
func (c *Calendar) Invitations(email string) []Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Event
	for _, e := range c.events {
		if e.Owner != email && slices.ContainsFunc(e.Attendees, func(a Attendee) bool { return a.Email == email }) {
			out = append(out, *e)
		}
	}
	return out
}

// Decline records email's no to the whole event, or to the one instance
// at original when that is not zero.
func (c *Calendar) Decline(eventID, email string, original time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.events {
		if e.ID != eventID {
			continue
		}
		if original.IsZero() {
			for i := range e.Attendees {
				if e.Attendees[i].Email == email {
					e.Attendees[i].Response = "declined"
				}
			}
			return nil
		}
		inst, ok := e.Instance(original)
		if !ok {
			return errors.New("no such instance")
		}
		inst.Declined = append(inst.Declined, email)
		e.override(inst)
		return nil
	}
	return errors.New("no such event")
}

// RemoveInstance cancels one instance of an event, as its owner deleting
// it in their calendar app does.
func (c *Calendar) RemoveInstance(eventID string, original time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.events {
		if e.ID != eventID {
			continue
		}
		inst, ok := e.Instance(original)
		if !ok {
			return errors.New("no such instance")
		}
		inst.Cancelled = true
		e.override(inst)
		return nil
	}
	return errors.New("no such event")
}

// Do runs one API request's work under the calendar's lock, after any
// injected fault; work returns the status to answer. A write is held,
// when a test holds writes, after its work and before it answers.
func (c *Calendar) Do(r *http.Request, write bool, work func(*State) int) (int, *Fault) {
	c.mu.Lock()
	if len(c.faults) > 0 {
		f := c.faults[0]
		c.faults = c.faults[1:]
		c.calls = append(c.calls, Call{r.Method, r.URL.Path, f.Status})
		c.mu.Unlock()
		return f.Status, &f
	}
	status := work(&State{c})
	c.calls = append(c.calls, Call{r.Method, r.URL.Path, status})
	hold, held := c.hold, c.held
	c.mu.Unlock()
	if write && hold != nil && status < 300 {
		held <- struct{}{}
		select {
		case <-hold:
		case <-r.Context().Done():
		}
	}
	return status, nil
}

// State is the calendar as a request's work sees it, under the lock.
type State struct{ c *Calendar }

// Mailbox reports whether email is in the directory.
func (s *State) Mailbox(email string) bool { _, ok := s.c.mailboxes[email]; return ok }

// Find returns the event with this ID in owner's mailbox.
func (s *State) Find(owner, id string) *Event {
	for _, e := range s.c.events {
		if e.Owner == owner && e.ID == id {
			return e
		}
	}
	return nil
}

// FindKey returns the event owner's mailbox made for this idempotency key.
func (s *State) FindKey(owner, key string) *Event {
	for _, e := range s.c.events {
		if e.Owner == owner && key != "" && e.Key == key {
			return e
		}
	}
	return nil
}

// Add stores a new event, giving it an ID when it has none.
func (s *State) Add(e *Event) {
	if e.ID == "" {
		s.c.nextID++
		e.ID = "AAMkEvent" + strconv.Itoa(s.c.nextID)
	}
	e.Created, e.Saved = 1, 1
	if e.Overrides == nil {
		e.Overrides = map[time.Time]*Instance{}
	}
	s.c.events = append(s.c.events, e)
}

// Busy lists email's busy times from from to to: the meetings added for
// them and the instances of every event they own or were invited to and
// did not decline.
func (s *State) Busy(email string, from, to time.Time) []Busy {
	var out []Busy
	for _, b := range s.c.busy[email] {
		if b.End.After(from) && b.Start.Before(to) {
			out = append(out, b)
		}
	}
	for _, e := range s.c.events {
		invited := slices.ContainsFunc(e.Attendees, func(a Attendee) bool { return a.Email == email })
		if e.Cancelled || (e.Owner != email && !invited) {
			continue
		}
		for _, inst := range e.Instances(from, to) {
			if !inst.Cancelled && !e.declined(email, inst) {
				out = append(out, Busy{inst.Start, inst.End})
			}
		}
	}
	slices.SortFunc(out, func(a, b Busy) int { return a.Start.Compare(b.Start) })
	return out
}

// override stores a changed instance of the event.
func (e *Event) override(inst Instance) {
	e.Overrides[inst.Original] = &inst
	e.Saved++
}

// Override stores a changed instance of the event.
func (e *Event) Override(inst Instance) { e.override(inst) }
