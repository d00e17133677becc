package mentorbot

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Slot is a pair's regular time: a weekday and a time of day in one time
// zone (the senior's), repeating at the cycle's cadence. Every session is
// worked out from it in that zone, so 10:00 stays 10:00 when the clocks
// change, whatever the offset to UTC does.
type Slot struct {
	Weekday time.Weekday
	Minute  int // minutes after local midnight when sessions start
	Length  time.Duration
	Zone    string // IANA name
	Cadence Cadence
	// From is the date of the first session and Until the last date one
	// may fall on (the cycle's last day); both calendar dates at midnight
	// UTC, read as dates in Zone.
	From, Until time.Time
}

// Location is the slot's time zone; an unknown name falls back to UTC so a
// bad stored value never stops reminders.
func (s Slot) Location() *time.Location { return Zone(s.Zone) }

// Same reports whether two slots are the same regular time, whatever the
// date they start from.
func (s Slot) Same(o Slot) bool {
	return s.Weekday == o.Weekday && s.Minute == o.Minute && s.Length == o.Length && s.Zone == o.Zone && s.Cadence == o.Cadence
}

// Session returns when the nth session (from 0) starts, in UTC, and false
// once it would fall after Until.
func (s Slot) Session(n int) (time.Time, bool) {
	if n < 0 {
		return time.Time{}, false
	}
	day := s.day(n)
	if day.After(s.Until) {
		return time.Time{}, false
	}
	return s.startOn(day), true
}

// day is the calendar date of the nth session.
func (s Slot) day(n int) time.Time {
	if s.Cadence != CadenceMonthly {
		return s.Cadence.After(s.From, n)
	}
	// Monthly sessions keep the weekday and its place in the month: the
	// second Tuesday stays the second Tuesday, and a fifth becomes the last.
	ordinal := s.MonthlyOrdinal()
	first := time.Date(s.From.Year(), s.From.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	if ordinal > 0 {
		offset := (int(s.Weekday) - int(first.Weekday()) + 7) % 7
		return first.AddDate(0, 0, offset+7*(ordinal-1))
	}
	last := first.AddDate(0, 1, -1)
	return last.AddDate(0, 0, -((int(last.Weekday()) - int(s.Weekday) + 7) % 7))
}

// MonthlyOrdinal is which of its weekdays in the month the first session
// falls on, 1 to 4, or -1 for the last (a fifth one).
func (s Slot) MonthlyOrdinal() int {
	ordinal := (s.From.Day()-1)/7 + 1
	if ordinal > 4 {
		return -1
	}
	return ordinal
}

// startOn is the start on a calendar date, in UTC.
func (s Slot) startOn(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), s.Minute/60, s.Minute%60, 0, 0, s.Location()).UTC()
}

// Next returns the first session starting at or after t, and its number;
// false when the slot has none left.
func (s Slot) Next(t time.Time) (int, time.Time, bool) {
	for n := 0; ; n++ {
		start, ok := s.Session(n)
		if !ok {
			return 0, time.Time{}, false
		}
		if !start.Before(t) {
			return n, start, true
		}
	}
}

// Sessions lists the starts of every session from..to (both inclusive), in UTC.
func (s Slot) Sessions(from, to time.Time) []time.Time {
	var starts []time.Time
	n, start, ok := s.Next(from)
	for ok && !start.After(to) {
		starts = append(starts, start)
		n++
		start, ok = s.Session(n)
	}
	return starts
}

// StartingFrom returns the slot with its first session on the first of its
// weekdays whose start is at or after t, so a slot agreed today begins at
// the next time it comes round.
func (s Slot) StartingFrom(t time.Time) Slot {
	local := t.In(s.Location())
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	day = day.AddDate(0, 0, (int(s.Weekday)-int(day.Weekday())+7)%7)
	if s.startOn(day).Before(t) {
		day = day.AddDate(0, 0, 7)
	}
	s.From = day
	return s
}

// WallStart is the first session's date at the slot's own time of day: a
// wall clock in the slot's zone, given in UTC's location so no zone
// shifts it. A calendar holds the series at this wall time, so a first
// session in a clock change's gap does not carry its shifted hour to the
// rest. False when the slot has no sessions.
func (s Slot) WallStart() (time.Time, bool) {
	first, ok := s.Session(0)
	if !ok {
		return time.Time{}, false
	}
	day := first.In(s.Location())
	return time.Date(day.Year(), day.Month(), day.Day(), s.Minute/60, s.Minute%60, 0, 0, time.UTC), true
}

// RRule is the slot's recurrence as an iCalendar RRULE value (RFC 5545),
// repeating from the first session until the end of Until's day in the
// slot's zone; UNTIL is in UTC, as it must be beside a zoned start.
func (s Slot) RRule() (string, error) {
	first, ok := s.Session(0)
	if !ok {
		return "", errors.New("the slot has no sessions")
	}
	loc := s.Location()
	byday := strings.ToUpper(first.In(loc).Weekday().String()[:2])
	var rule string
	switch s.Cadence {
	case CadenceWeekly:
		rule = "FREQ=WEEKLY;BYDAY=" + byday
	case CadenceFortnightly:
		rule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=" + byday
	case CadenceMonthly:
		rule = fmt.Sprintf("FREQ=MONTHLY;BYDAY=%d%s", s.MonthlyOrdinal(), byday)
	default:
		return "", errors.New("the slot has no known cadence: " + string(s.Cadence))
	}
	return rule + ";UNTIL=" + s.LastMoment().Format("20060102T150405Z"), nil
}

// LastMoment is the last second of Until's day in the slot's zone, in UTC:
// the latest a session of the slot may start.
func (s Slot) LastMoment() time.Time {
	return time.Date(s.Until.Year(), s.Until.Month(), s.Until.Day()+1, 0, 0, 0, 0, s.Location()).Add(-time.Second).UTC()
}

func (s Slot) String() string {
	return fmt.Sprintf("%s %s %s for %s in %s from %s", s.Cadence, s.Weekday, formatMinutes(s.Minute), s.Length, s.Zone, s.From.Format(time.DateOnly))
}

// SlotReading is a slot as it reads in one person's calendar: their
// weekday, their place in the month and their hours, which can differ from
// the slot's own when the two zones sit on different days or change their
// clocks on different dates.
type SlotReading struct {
	Cadence Cadence
	Weekday time.Weekday // of the first session, in the reader's zone
	// Ordinal is, for a monthly slot, which of the reader's weekdays in
	// the month every session falls on: 1 to 4, -1 for the last, or 0 when
	// that varies from month to month.
	Ordinal int
	Start   time.Time // the first session, in the reader's zone
	Length  time.Duration
	// Shifts are the sessions, in the reader's zone, from which the
	// reader's weekday or hour differs from the session before: a clock
	// change on one side.
	Shifts []time.Time
	// Dates are the first sessions' starts in the reader's zone, for a
	// monthly slot whose place in the reader's month varies.
	Dates []time.Time
}

// readingDates is how many session dates a reading lists when no rule
// describes them.
const readingDates = 3

// ReadIn says the slot in the reader's zone.
func (s Slot) ReadIn(zone string) SlotReading {
	loc := Zone(zone)
	r := SlotReading{Cadence: s.Cadence, Length: s.Length}
	var starts []time.Time
	for n := 0; ; n++ {
		start, ok := s.Session(n)
		if !ok {
			break
		}
		starts = append(starts, start.In(loc))
	}
	if len(starts) == 0 {
		// A slot past its end still has a time of day to show.
		starts = []time.Time{s.startOn(s.From).In(loc)}
	}
	r.Start, r.Weekday = starts[0], starts[0].Weekday()
	for i, t := range starts[1:] {
		prev := starts[i]
		if t.Weekday() != prev.Weekday() || t.Hour() != prev.Hour() || t.Minute() != prev.Minute() {
			r.Shifts = append(r.Shifts, t)
		}
	}
	if s.Cadence == CadenceMonthly {
		r.Ordinal = monthlyOrdinal(starts)
		if r.Ordinal == 0 {
			r.Dates = starts[:min(len(starts), readingDates)]
		}
	}
	return r
}

// monthlyOrdinal is the place in the month all these days share: 1 to 4,
// -1 when each is the last of its weekday in its month, 0 when none.
func monthlyOrdinal(days []time.Time) int {
	nth, last := (days[0].Day()-1)/7+1, true
	for _, d := range days {
		if (d.Day()-1)/7+1 != nth {
			nth = 0
		}
		if d.AddDate(0, 0, 7).Month() == d.Month() {
			last = false
		}
	}
	switch {
	case nth >= 1 && nth <= 4:
		return nth
	case last:
		return -1
	}
	return 0
}
