package mentorbot

import (
	"fmt"
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

func (s Slot) String() string {
	return fmt.Sprintf("%s %s %s for %s in %s from %s", s.Cadence, s.Weekday, formatMinutes(s.Minute), s.Length, s.Zone, s.From.Format(time.DateOnly))
}
