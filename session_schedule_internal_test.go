package mentorbot

import (
	"strings"
	"testing"
	"time"
)

// The move form's parser is unexported, so it is checked here; the story
// of moving a session is told in session_schedule_test.go.

// fuzzZones are time zones people work in whose clocks change in awkward
// ways: by half an hour (Lord Howe), at midnight (Santiago), or never.
var fuzzZones = []string{"UTC", "Europe/London", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "Asia/Kolkata"}

func TestMoveFormReadsTheDayAndTimeTyped(t *testing.T) {
	now := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name, zone, day, clock string
		want                   string // the start in UTC, RFC 3339, or "" when refused on the time
	}{
		{"an ordinary afternoon", "Europe/London", "2026-03-25", "14:00", "2026-03-25T14:00:00Z"},
		{"summer time", "Europe/London", "2026-04-01", "2pm", "2026-04-01T13:00:00Z"},
		{"the hour the clocks skip", "Europe/London", "2026-03-29", "01:30", ""},
		{"a day whose midnight the clocks skip", "America/Santiago", "2026-09-06", "10:00", "2026-09-06T13:00:00Z"},
		{"the skipped hour after midnight", "America/Santiago", "2026-09-06", "00:30", ""},
		{"half an hour skipped", "Australia/Lord_Howe", "2026-10-04", "02:15", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, err := MoveForm{Date: tt.day, Time: tt.clock}.parse(Zone(tt.zone), now, nil, time.Time{})
			if tt.want == "" {
				if !strings.Contains(ErrorFields(err)[FieldMoveTime], "clocks change") {
					t.Fatalf("parse = %v, %v; want the time refused as skipped by the clocks", start, err)
				}
				return
			}
			if err != nil || start.Format(time.RFC3339) != tt.want {
				t.Fatalf("parse = %v, %v; want %s", start, err, tt.want)
			}
		})
	}
}

// FuzzMoveForm checks that a session moved to a day and time the person
// typed is either refused on the form's fields or starts at that very day
// and time in their zone, ahead, within the cycle and not where it was.
func FuzzMoveForm(f *testing.F) {
	f.Add("2026-03-25", "14:00", uint8(1), true)
	f.Add(" 2026-03-26 ", " 9:30 ", uint8(2), true)
	f.Add("2026-03-29", "01:30", uint8(1), true)
	f.Add("2026-03-29", "00:59", uint8(1), true)
	f.Add("2026-04-05", "02:15", uint8(3), true)
	f.Add("2026-09-06", "00:30", uint8(4), false)
	f.Add("2026-09-06", "10:00", uint8(4), false)
	f.Add("2026-10-25", "01:30", uint8(1), false)
	f.Add("2028-02-29", "9am", uint8(5), false)
	f.Add("2027-02-29", "09:00", uint8(0), false)
	f.Add("2026-03-20", "09:00", uint8(0), true)
	f.Add("2026-03-24", "10:00", uint8(0), true)
	f.Add("2026-07-01", "10:00", uint8(1), true)
	f.Add("2026-04-01", "12am", uint8(0), true)
	f.Add("2026-04-01", "24:00", uint8(0), true)
	f.Add("9999-12-31", "23:59", uint8(2), false)
	f.Add("", "", uint8(0), true)
	f.Fuzz(func(t *testing.T, day, clock string, zoneIndex uint8, inCycle bool) {
		loc := Zone(fuzzZones[int(zoneIndex)%len(fuzzZones)])
		now := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
		current := time.Date(2026, 3, 24, 10, 0, 0, 0, time.UTC)
		var slot *Slot
		if inCycle {
			slot = &Slot{Weekday: time.Tuesday, Minute: 600, Length: time.Hour, Zone: "Europe/London", Cadence: CadenceWeekly, From: date(2026, 3, 24), Until: date(2026, 6, 30)}
		}
		start, err := MoveForm{Date: day, Time: clock}.parse(loc, now, slot, current)
		if err != nil {
			refusedOn(t, err, FieldMoveDate, FieldMoveTime)
			return
		}
		typed, _ := parseClock(strings.TrimSpace(clock))
		local := start.In(loc)
		if start.Location() != time.UTC || local.Format(time.DateOnly) != strings.TrimSpace(day) || local.Hour()*60+local.Minute() != typed.minutes() {
			t.Fatalf("moved to %q at %q in %s, got %v (%v there)", day, clock, loc, start, local)
		}
		if !start.After(now) || start.Equal(current) {
			t.Fatalf("accepted %v with the session at %v and now %v", start, current, now)
		}
		if slot != nil && Day(start.In(slot.Location())).After(slot.Until) {
			t.Fatalf("accepted %v, after the cycle's end %v", start, slot.Until)
		}
	})
}
