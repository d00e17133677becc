package mentorbot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Calendar is the calendar service people live in (Google Workspace,
// Microsoft 365): the programme writes each pair's series into the
// senior's calendar through it and reads free/busy from it. The calendar
// package implements it; without one, people get an .ics file instead.
type Calendar interface {
	// Name is what people call the service: "Google Calendar", "Outlook".
	Name() string
	// Busy returns when each person, by email, is busy from from to to.
	// A person the service has no calendar for has a CalendarRefusal in
	// the map instead of busy times; the error is for the call as a whole.
	Busy(ctx context.Context, emails []string, from, to time.Time) (map[string]BusyTimes, error)
	// WriteSeries makes the organiser's calendar hold the series as it
	// stands and returns the event's ID. Writing the same series again
	// changes nothing: the event is found by the pair, never made twice.
	WriteSeries(ctx context.Context, s CalendarSeries) (eventID string, err error)
}

// BusyTimes is one person's answer to a free/busy question.
type BusyTimes struct {
	Busy []Interval
	// Refused, when not nil, says why the service could not answer for
	// this person (no such mailbox, say); Busy is empty then.
	Refused *CalendarRefusal
}

// Interval is a span of time, from Start up to End.
type Interval struct {
	Start, End time.Time
}

// Overlaps reports whether the two spans share a moment.
func (i Interval) Overlaps(o Interval) bool { return i.Start.Before(o.End) && o.Start.Before(i.End) }

// CalendarSeries is a pair's sessions as the senior's calendar should show
// them: one recurring private event, the mentor invited.
type CalendarSeries struct {
	PairID int64
	// EventID is the event as written before; empty the first time.
	EventID   string
	Organizer Contact // the senior, whose calendar holds the series
	// Attendee is the mentor; an empty Email leaves the event without
	// them (their calendar is not one the service knows).
	Attendee Contact
	Slot     Slot
	// Sessions are the pair's sessions: moved ones move their instance,
	// skipped ones cancel it.
	Sessions []Session
	// Cancelled cancels the whole series: the pair ended.
	Cancelled bool
}

// CalendarTitle is the series' title: colleagues may see calendars, and
// seniors must not be seen depending on juniors, so it says what the time
// is for, never who teaches whom.
const CalendarTitle = "Mentoring session"

// CalendarDescription is the series' description.
const CalendarDescription = "This time is protected for your mentoring session. Reminders come in Slack."

// CalendarRefusal is a calendar service's no for good: a person it has no
// mailbox for, credentials it refuses, a request it will not take. Trying
// again will not help; the people it concerns get an .ics file instead.
type CalendarRefusal struct {
	// Email is whose calendar was refused; empty when the refusal is not
	// about one person.
	Email string
	// Reason says why, in a line a person can read.
	Reason string
}

func (r *CalendarRefusal) Error() string {
	if r.Email == "" {
		return "calendar refused: " + r.Reason
	}
	return fmt.Sprintf("calendar refused for %s: %s", r.Email, r.Reason)
}

// Refusal returns the calendar refusal err carries, or nil when err is one
// worth trying again (a timeout, 429, 5xx).
func Refusal(err error) *CalendarRefusal {
	r, _ := errors.AsType[*CalendarRefusal](err)
	return r
}
