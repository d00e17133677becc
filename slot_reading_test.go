package mentorbot

import (
	"strings"
	"testing"
	"time"
)

// reading is a SlotReading in a few words, for comparing in a table:
// "Wed 11:00 ordinal 0; shifts Wed 1 Apr 10:00; dates 2 Jan".
func (r SlotReading) String() string {
	var b strings.Builder
	b.WriteString(r.Start.Format("Mon 15:04"))
	if r.Cadence == CadenceMonthly {
		b.WriteString(" ordinal " + map[int]string{1: "1", 2: "2", 3: "3", 4: "4", -1: "last", 0: "varies"}[r.Ordinal])
	}
	for i, t := range r.Shifts {
		b.WriteString(map[bool]string{true: "; shifts ", false: ", "}[i == 0] + t.Format("Mon 2 Jan 15:04"))
	}
	for i, t := range r.Dates {
		b.WriteString(map[bool]string{true: "; dates ", false: ", "}[i == 0] + t.Format("2 Jan"))
	}
	return b.String()
}

// Pairs whose zones sit on different days, or change their clocks on
// different dates (or not at all), read their slot in their own calendar.
func TestASlotReadsInThePersonsOwnCalendar(t *testing.T) {
	for _, tc := range []struct {
		name   string
		slot   Slot
		reader string
		want   string
	}{
		{"the senior's own zone never shifts",
			Slot{Weekday: time.Tuesday, Minute: 9 * 60, Length: 45 * time.Minute, Zone: "Europe/London", Cadence: CadenceWeekly, From: date(2027, 3, 16), Until: date(2027, 4, 13)},
			"Europe/London", "Tue 09:00"},
		{"Auckland and London change their clocks a week apart",
			Slot{Weekday: time.Tuesday, Minute: 9 * 60, Length: 45 * time.Minute, Zone: "Europe/London", Cadence: CadenceWeekly, From: date(2027, 3, 16), Until: date(2027, 4, 13)},
			"Pacific/Auckland", "Tue 22:00; shifts Tue 30 Mar 21:00, Tue 6 Apr 20:00"},
		{"Kiritimati is a day ahead of Pago Pago",
			Slot{Weekday: time.Tuesday, Minute: 10 * 60, Length: time.Hour, Zone: "Pacific/Pago_Pago", Cadence: CadenceFortnightly, From: date(2027, 3, 2), Until: date(2027, 5, 31)},
			"Pacific/Kiritimati", "Wed 11:00"},
		{"Lord Howe moves half an hour against Sydney",
			Slot{Weekday: time.Monday, Minute: 10 * 60, Length: time.Hour, Zone: "Australia/Sydney", Cadence: CadenceWeekly, From: date(2027, 3, 22), Until: date(2027, 4, 12)},
			"Australia/Lord_Howe", "Mon 10:00; shifts Mon 5 Apr 10:30"},
		{"Tehran keeps its clocks while London moves them",
			Slot{Weekday: time.Wednesday, Minute: 14 * 60, Length: time.Hour, Zone: "Asia/Tehran", Cadence: CadenceFortnightly, From: date(2027, 3, 17), Until: date(2027, 4, 14)},
			"Europe/London", "Wed 10:30; shifts Wed 31 Mar 11:30"},
		{"a Kathmandu mentor's Saturday is not always the first",
			Slot{Weekday: time.Friday, Minute: 20 * 60, Length: 90 * time.Minute, Zone: "America/Port-au-Prince", Cadence: CadenceMonthly, From: date(2027, 4, 2), Until: date(2027, 6, 30)},
			"Asia/Kathmandu", "Sat 05:45 ordinal varies; dates 3 Apr, 8 May, 5 Jun"},
		{"Port-au-Prince's clock change moves a Kathmandu mentor's hour",
			Slot{Weekday: time.Friday, Minute: 20 * 60, Length: 90 * time.Minute, Zone: "America/Port-au-Prince", Cadence: CadenceMonthly, From: date(2027, 1, 1), Until: date(2027, 4, 30)},
			"Asia/Kathmandu", "Sat 06:45 ordinal 1; shifts Sat 3 Apr 05:45"},
		{"a St John's mentor meets on the last Thursday of the month before",
			Slot{Weekday: time.Friday, Minute: 60, Length: time.Hour, Zone: "Europe/London", Cadence: CadenceMonthly, From: date(2027, 1, 1), Until: date(2027, 3, 31)},
			"America/St_Johns", "Thu 21:30 ordinal varies; dates 31 Dec, 4 Feb, 4 Mar"},
		{"a second Tuesday stays the second, and misses the weeks the clocks disagree",
			Slot{Weekday: time.Tuesday, Minute: 15 * 60, Length: time.Hour, Zone: "Europe/London", Cadence: CadenceMonthly, From: date(2027, 1, 12), Until: date(2027, 6, 30)},
			"America/New_York", "Tue 10:00 ordinal 2"},
		{"New York and London change their clocks two weeks apart",
			Slot{Weekday: time.Tuesday, Minute: 15 * 60, Length: time.Hour, Zone: "Europe/London", Cadence: CadenceWeekly, From: date(2027, 3, 9), Until: date(2027, 4, 6)},
			"America/New_York", "Tue 10:00; shifts Tue 16 Mar 11:00, Tue 30 Mar 10:00"},
		{"a last Friday stays the last",
			Slot{Weekday: time.Friday, Minute: 9 * 60, Length: time.Hour, Zone: "Asia/Tokyo", Cadence: CadenceMonthly, From: date(2027, 1, 29), Until: date(2027, 4, 30)},
			"Asia/Kolkata", "Fri 05:30 ordinal last"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.slot.ReadIn(tc.reader).String(); got != tc.want {
				t.Errorf("read in %s: %s\nwant %s", tc.reader, got, tc.want)
			}
		})
	}
}
