package mentorbot

import (
	"strings"
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

	got := proposeSlots(senior, mentor, cycle, now, nil)
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
	if none := proposeSlots(senior, Participant{Profile: Profile{TimeZone: "Asia/Tokyo", Availability: Availability{{Day: time.Sunday, Start: 0, End: 60}}}}, cycle, now, nil); len(none) != 0 {
		t.Errorf("people never free together got options %v", none)
	}
}

func TestOwnSlotTimeIsTheTimeTyped(t *testing.T) {
	tests := []struct {
		name, picker, senior string
		now                  time.Time
		day, clock           string
		want                 Slot // weekday and minute in the senior's zone
	}{
		{"same zone", "Europe/London", "Europe/London", time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC), "wed", "14:30",
			Slot{Weekday: time.Wednesday, Minute: 14*60 + 30}},
		{"another zone", "America/New_York", "Europe/London", time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC), "Thursday", "10:00",
			Slot{Weekday: time.Thursday, Minute: 15 * 60}},
		{"skipped by the clocks on the first Sunday", "Europe/London", "Europe/London", time.Date(2026, 3, 27, 12, 0, 0, 0, time.UTC), "Sunday", "01:30",
			Slot{Weekday: time.Sunday, Minute: 90}},
		{"half an hour skipped, senior elsewhere", "Australia/Lord_Howe", "Asia/Kolkata", time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC), "Sunday", "02:15",
			Slot{Weekday: time.Saturday, Minute: 20*60 + 45}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := Slot{Length: time.Hour, Zone: tt.senior, Cadence: CadenceWeekly, Until: tt.now.AddDate(0, 3, 0)}
			var offer SlotOffer
			i, err := SlotChoice{Option: -1, Day: tt.day, Time: tt.clock}.option(&offer, tt.picker, base, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			if got := offer.Options[i]; got.Weekday != tt.want.Weekday || got.Minute != tt.want.Minute {
				t.Fatalf("%s %s in %s became %v, want %s %s in %s", tt.day, tt.clock, tt.picker, got, tt.want.Weekday, formatMinutes(tt.want.Minute), tt.senior)
			}
		})
	}
}

// FuzzSlotChoice checks the slot form: a pick among the times offered is
// that time, and a day and time of the person's own is refused on the
// form's fields or becomes a slot in the senior's zone whose sessions fall
// on that day and time where the person is.
func FuzzSlotChoice(f *testing.F) {
	f.Add(int8(0), "", "", uint8(1), uint8(1), uint8(0))
	f.Add(int8(5), "", "", uint8(1), uint8(1), uint8(0))
	f.Add(int8(-1), "Tuesday", "10:00", uint8(1), uint8(1), uint8(0))
	f.Add(int8(-1), "Thursday", "15:00", uint8(2), uint8(1), uint8(2))
	f.Add(int8(-1), "Sunday", "01:30", uint8(1), uint8(1), uint8(0))
	f.Add(int8(-1), "Saturday", "21:30", uint8(2), uint8(1), uint8(0))
	f.Add(int8(-1), "Sunday", "00:30", uint8(4), uint8(0), uint8(1))
	f.Add(int8(-1), "Sunday", "02:15", uint8(3), uint8(5), uint8(2))
	f.Add(int8(-1), " fr. ", "9:30pm", uint8(5), uint8(3), uint8(2))
	f.Add(int8(-1), "s", "24:00", uint8(0), uint8(0), uint8(0))
	f.Add(int8(-1), "Mittwoch", "", uint8(0), uint8(0), uint8(0))
	f.Add(int8(-128), "monday", "99999999999999999999", uint8(0), uint8(0), uint8(0))
	nows := []time.Time{
		time.Date(2026, 3, 27, 12, 0, 0, 0, time.UTC), // before London's clocks go forward
		time.Date(2026, 9, 3, 12, 0, 0, 0, time.UTC),  // before Santiago's go forward at midnight
		time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC), // before Lord Howe's go forward half an hour
	}
	f.Fuzz(func(t *testing.T, option int8, day, clock string, pickerZone, seniorZone, nowIndex uint8) {
		now := nows[int(nowIndex)%len(nows)]
		tz := fuzzZones[int(pickerZone)%len(fuzzZones)]
		base := Slot{Length: 45 * time.Minute, Zone: fuzzZones[int(seniorZone)%len(fuzzZones)], Cadence: CadenceFortnightly, Until: now.AddDate(0, 3, 0)}
		offered := []Slot{base, base}
		offered[0].Weekday, offered[0].Minute = time.Tuesday, 600
		offered[1].Weekday, offered[1].Minute = time.Thursday, 900
		offer := SlotOffer{Options: []Slot{offered[0].StartingFrom(now), offered[1].StartingFrom(now)}}
		i, err := SlotChoice{Option: int(option), Day: day, Time: clock}.option(&offer, tz, base, now)
		if option >= 0 {
			switch {
			case int(option) < len(offered) && (err != nil || i != int(option)):
				t.Fatalf("picking option %d gave %d, %v", option, i, err)
			case int(option) >= len(offered) && (ErrorCode(err) != EINVALID || ErrorMessage(err) == ""):
				t.Fatalf("picking option %d of %d gave %d, %v", option, len(offered), i, err)
			case len(offer.Options) != len(offered):
				t.Fatalf("picking an offered time changed the offer to %v", offer.Options)
			}
			return
		}
		if err != nil {
			refusedOn(t, err, FieldSlotDay, FieldSlotTime)
			return
		}
		if i < 0 || i >= len(offer.Options) || len(offer.Options) > len(offered)+1 {
			t.Fatalf("own time gave option %d of %v", i, offer.Options)
		}
		s := offer.Options[i]
		if s.Zone != base.Zone || s.Length != base.Length || s.Cadence != base.Cadence || !s.Until.Equal(base.Until) || s.Minute < 0 || s.Minute >= 24*60 {
			t.Fatalf("own time gave %v, not on the pair's terms %v", s, base)
		}
		wantDay, _ := parseDay(strings.ToLower(strings.TrimSpace(day)))
		typed, _ := parseClock(strings.TrimSpace(clock))
		// The slot keeps the senior's clock, so where the person's clocks
		// change on another date it drifts for them; within two weeks of
		// now it falls at least once on the time they typed.
		weekly := s
		weekly.Cadence, weekly.Until = CadenceWeekly, now.AddDate(1, 0, 0)
		weekly = weekly.StartingFrom(now)
		for n := range 2 {
			start, _ := weekly.Session(n)
			if local := start.In(Zone(tz)); local.Weekday() == wantDay && local.Hour()*60+local.Minute() == typed.minutes() {
				return
			}
		}
		t.Fatalf("%q at %q in %s gave %v, which never falls then", day, clock, tz, s)
	})
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
		first, again := Zone(tc.name), Zone(tc.name)
		if first.String() != tc.want || first != again {
			t.Errorf("zone(%q) = %v then %v, want %s both times, the same", tc.name, first, again, tc.want)
		}
	}
}

// Times that clash with what either calendar holds are not offered: a
// meeting in one week is enough to rule out a weekly time.
func TestProposeSlotsSkipsBusyTimes(t *testing.T) {
	senior := Participant{ID: "US", Profile: Profile{TimeZone: "Europe/London", Availability: Availability{{Day: time.Tuesday, Start: 9 * 60, End: 12 * 60}}}}
	mentor := Participant{ID: "UM", Profile: Profile{TimeZone: "Europe/London", Availability: Availability{{Day: time.Tuesday, Start: 9 * 60, End: 12 * 60}}}}
	cycle := Cycle{Cadence: CadenceWeekly, SessionLength: time.Hour, StartsOn: date(2026, 2, 2), EndsOn: date(2026, 4, 30)}
	now := time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC)
	free := proposeSlots(senior, mentor, cycle, now, nil)
	if len(free) == 0 || free[0].Minute != 10*60 {
		t.Fatalf("options %v, want Tuesdays 10:00 first", free)
	}
	for _, tc := range []struct {
		name string
		busy []Interval
		not  int // a start the options must not hold, in minutes
	}{
		{"an hour on the third Tuesday", []Interval{{time.Date(2026, 2, 17, 10, 0, 0, 0, time.UTC), time.Date(2026, 2, 17, 11, 0, 0, 0, time.UTC)}}, 10 * 60},
		{"a quarter overlapping its end", []Interval{{time.Date(2026, 2, 3, 10, 45, 0, 0, time.UTC), time.Date(2026, 2, 3, 11, 15, 0, 0, time.UTC)}}, 10 * 60},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := proposeSlots(senior, mentor, cycle, now, tc.busy)
			if len(got) == 0 {
				t.Fatal("no options left")
			}
			for _, s := range got {
				if s.Minute == tc.not {
					t.Errorf("offered %v, which clashes with %v", s, tc.busy)
				}
			}
		})
	}
	// Touching a busy time is not clashing with it.
	touching := []Interval{{time.Date(2026, 2, 3, 11, 0, 0, 0, time.UTC), time.Date(2026, 2, 3, 12, 0, 0, 0, time.UTC)}}
	if got := proposeSlots(senior, mentor, cycle, now, touching); len(got) == 0 || got[0].Minute != 10*60 {
		t.Errorf("options %v beside a meeting from 11:00, want 10:00 still first", got)
	}
}
