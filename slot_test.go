package mentorbot

import (
	"testing"
	"time"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestSlotSessionsKeepLocalTimeAcrossClockChanges(t *testing.T) {
	for _, tc := range []struct {
		name string
		slot Slot
		want []string // UTC starts, RFC 3339
	}{
		{"New York, clocks back on 1 Nov", Slot{Weekday: time.Tuesday, Minute: 600, Length: time.Hour, Zone: "America/New_York", Cadence: CadenceWeekly, From: date(2026, 10, 20), Until: date(2026, 11, 10)},
			[]string{"2026-10-20T14:00:00Z", "2026-10-27T14:00:00Z", "2026-11-03T15:00:00Z", "2026-11-10T15:00:00Z"}},
		{"London, clocks forward on 29 Mar", Slot{Weekday: time.Tuesday, Minute: 600, Length: time.Hour, Zone: "Europe/London", Cadence: CadenceWeekly, From: date(2026, 3, 24), Until: date(2026, 4, 6)},
			[]string{"2026-03-24T10:00:00Z", "2026-03-31T09:00:00Z"}},
		{"Sydney, clocks back on 5 Apr", Slot{Weekday: time.Thursday, Minute: 17 * 60, Length: time.Hour, Zone: "Australia/Sydney", Cadence: CadenceFortnightly, From: date(2026, 3, 26), Until: date(2026, 4, 23)},
			[]string{"2026-03-26T06:00:00Z", "2026-04-09T07:00:00Z", "2026-04-23T07:00:00Z"}},
		{"monthly, second Tuesday", Slot{Weekday: time.Tuesday, Minute: 540, Length: time.Hour, Zone: "UTC", Cadence: CadenceMonthly, From: date(2026, 1, 13), Until: date(2026, 4, 30)},
			[]string{"2026-01-13T09:00:00Z", "2026-02-10T09:00:00Z", "2026-03-10T09:00:00Z", "2026-04-14T09:00:00Z"}},
		{"monthly, a fifth Friday becomes the last", Slot{Weekday: time.Friday, Minute: 540, Length: time.Hour, Zone: "UTC", Cadence: CadenceMonthly, From: date(2026, 1, 30), Until: date(2026, 3, 31)},
			[]string{"2026-01-30T09:00:00Z", "2026-02-27T09:00:00Z", "2026-03-27T09:00:00Z"}},
		{"nothing after the last day", Slot{Weekday: time.Monday, Minute: 540, Length: time.Hour, Zone: "UTC", Cadence: CadenceWeekly, From: date(2026, 1, 5), Until: date(2026, 1, 11)},
			[]string{"2026-01-05T09:00:00Z"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for n := 0; ; n++ {
				start, ok := tc.slot.Session(n)
				if !ok {
					break
				}
				got = append(got, start.Format(time.RFC3339))
			}
			if len(got) != len(tc.want) {
				t.Fatalf("sessions %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("session %d at %s, want %s", i, got[i], tc.want[i])
				}
			}
			if all := tc.slot.Sessions(time.Time{}, tc.slot.Until.AddDate(0, 0, 1)); len(all) != len(tc.want) {
				t.Errorf("Sessions lists %d, want %d", len(all), len(tc.want))
			}
		})
	}
}

func TestSlotStartingFromAndNext(t *testing.T) {
	s := Slot{Weekday: time.Tuesday, Minute: 600, Length: time.Hour, Zone: "America/New_York", Cadence: CadenceWeekly, Until: date(2026, 12, 31)}
	// Tuesday 3 Nov, 09:59 in New York: that morning's session is still ahead.
	if got := s.StartingFrom(time.Date(2026, 11, 3, 14, 59, 0, 0, time.UTC)).From; !got.Equal(date(2026, 11, 3)) {
		t.Errorf("from 09:59 on the day: first session on %s, want 2026-11-03", got.Format(time.DateOnly))
	}
	// A minute after it starts, the next is a week later.
	s = s.StartingFrom(time.Date(2026, 11, 3, 15, 1, 0, 0, time.UTC))
	if !s.From.Equal(date(2026, 11, 10)) {
		t.Errorf("from 10:01 on the day: first session on %s, want 2026-11-10", s.From.Format(time.DateOnly))
	}
	n, start, ok := s.Next(time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC))
	if !ok || n != 1 || !start.Equal(time.Date(2026, 11, 17, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("Next = %d %s %v, want 1 2026-11-17T15:00Z", n, start, ok)
	}
	if _, _, ok := s.Next(date(2027, 1, 1)); ok {
		t.Error("Next after the last day found a session")
	}
}

func TestProposeSlots(t *testing.T) {
	senior := Participant{ID: "US", Profile: Profile{TimeZone: "America/New_York", Availability: Availability{
		{Day: time.Monday, Start: 8 * 60, End: 12 * 60},
		{Day: time.Tuesday, Start: 9 * 60, End: 12 * 60},
		{Day: time.Thursday, Start: 8 * 60, End: 17 * 60},
	}}}
	mentor := Participant{ID: "UM", Profile: Profile{TimeZone: "Europe/London", Availability: Availability{
		{Day: time.Monday, Start: 13 * 60, End: 15 * 60},
		{Day: time.Tuesday, Start: 14 * 60, End: 16 * 60},
		{Day: time.Thursday, Start: 15 * 60, End: 18 * 60},
	}}}
	cycle := Cycle{Cadence: CadenceWeekly, SessionLength: time.Hour, StartsOn: date(2026, 2, 2), EndsOn: date(2026, 4, 30)}
	now := time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC)

	got := proposeSlots(senior, mentor, cycle, now)
	if len(got) != slotOptions {
		t.Fatalf("%d options, want %d: %v", len(got), slotOptions, got)
	}
	days := map[time.Weekday]bool{}
	for _, s := range got {
		days[s.Weekday] = true
		if s.Zone != senior.TimeZone || s.Length != time.Hour || s.Cadence != CadenceWeekly {
			t.Errorf("option %v: not in the senior's zone with the cycle's length and cadence", s)
		}
		// Every session of the cycle suits both, in both zones, through the
		// weeks when only America has changed its clocks.
		for _, start := range s.Sessions(s.From, s.Until) {
			if !freeAt(senior, start, s.Length) || !freeAt(mentor, start, s.Length) {
				t.Errorf("option %v: session at %s does not suit both", s, start)
			}
		}
	}
	if len(days) != slotOptions {
		t.Errorf("options share days: %v", got)
	}
	// Thursday 10:00 New York is 15:00 London, and stays inside both
	// windows with room either side: the best.
	if best := got[0]; best.Weekday != time.Thursday || best.Minute != 11*60 && best.Minute != 10*60 {
		t.Errorf("best option %v, want a round hour on Thursday", best)
	}
	// Monday 8:00 New York is 13:00 London in winter but 12:00 from 9 March,
	// when the mentor isn't free: no Monday option starts at 8:00.
	for _, s := range got {
		if s.Weekday == time.Monday && s.Minute < 9*60 {
			t.Errorf("offered %v, which misses the mentor in March", s)
		}
	}
	if none := proposeSlots(senior, Participant{Profile: Profile{TimeZone: "Asia/Tokyo", Availability: Availability{{Day: time.Sunday, Start: 0, End: 60}}}}, cycle, now); len(none) != 0 {
		t.Errorf("people never free together got options %v", none)
	}
}

func TestZoneIsLoadedOnceAndFallsBackToUTC(t *testing.T) {
	for _, tc := range []struct {
		name, want string
	}{
		{"Asia/Kolkata", "Asia/Kolkata"},
		{"Europe/London", "Europe/London"},
		{"Mars/Olympus_Mons", "UTC"},
		{"", "UTC"},
	} {
		first, again := zone(tc.name), zone(tc.name)
		if first.String() != tc.want || first != again {
			t.Errorf("zone(%q) = %v then %v, want %s both times, the same", tc.name, first, again, tc.want)
		}
	}
}
