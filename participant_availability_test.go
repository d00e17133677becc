package mentorbot

import (
	"strings"
	"testing"
	"time"
)

func TestParseAvailability(t *testing.T) {
	w := func(d time.Weekday, start, end string) Window {
		return Window{Day: d, Start: minutesOf(t, start), End: minutesOf(t, end)}
	}
	tests := []struct {
		in   string
		want Availability
	}{
		{"Tue 10:00-12:00", Availability{w(time.Tuesday, "10:00", "12:00")}},
		{"tue 10-12, thu 14:00 - 16:30", Availability{w(time.Tuesday, "10:00", "12:00"), w(time.Thursday, "14:00", "16:30")}},
		{"Mon-Wed 9-11am", Availability{w(time.Monday, "09:00", "11:00"), w(time.Tuesday, "09:00", "11:00"), w(time.Wednesday, "09:00", "11:00")}},
		{"Tue/Thu 2-4pm", Availability{w(time.Tuesday, "14:00", "16:00"), w(time.Thursday, "14:00", "16:00")}},
		{"Fri 11-1pm", Availability{w(time.Friday, "11:00", "13:00")}},
		{"Mon, Wed 9.30 to 11", Availability{w(time.Monday, "09:30", "11:00"), w(time.Wednesday, "09:30", "11:00")}},
		{"Monday 9-10\nmonday 10-11", Availability{w(time.Monday, "09:00", "11:00")}},
		{"Sun 22:00-24:00", Availability{w(time.Sunday, "22:00", "24:00")}},
		{"fri-mon 12pm-1pm", Availability{w(time.Monday, "12:00", "13:00"), w(time.Friday, "12:00", "13:00"), w(time.Saturday, "12:00", "13:00"), w(time.Sunday, "12:00", "13:00")}},
		{"Thursday 8 a.m.-9:30 a.m.", Availability{w(time.Thursday, "08:00", "09:30")}},
		{"Wed 12am-1am", Availability{w(time.Wednesday, "00:00", "01:00")}},
		{"Mon to Wed 9-10", Availability{w(time.Monday, "09:00", "10:00"), w(time.Tuesday, "09:00", "10:00"), w(time.Wednesday, "09:00", "10:00")}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseAvailability(tt.in)
			if err != nil {
				t.Fatalf("ParseAvailability(%q): %v", tt.in, err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestParseAvailabilityRejects(t *testing.T) {
	tests := []struct {
		in, says string
	}{
		{"", "at least one time"},
		{"9-11", "which day"},
		{"Mon", "has no time"},
		{"Mon 9-", "missing the end time"},
		{"Mon 9", "start and an end"},
		{"Mon 11-9", "can't cross midnight"},
		{"Mon 9-9", "same time"},
		{"Mon 9:00-9:15", "shorter than 30 minutes"},
		{"Mon 25-26", "isn't a time"},
		{"Mon 9:75-11", "isn't a time"},
		{"Mon 13pm-2pm", "isn't a time"},
		{"Funday 9-11", "isn't a day"},
		{"M 9-11", "isn't a day"},
		{strings.Repeat("Mon 9-11, ", 60), "longer than"},
		{"Mon 0-1, Mon 2-3, Mon 4-5, Mon 6-7, Mon 8-9, Mon 10-11, Mon 12-13, Mon 14-15, Mon 16-17, Mon 18-19, Mon 20-21, Mon 22-23, Tue 0-1, Tue 2-3, Tue 4-5, Tue 6-7, Tue 8-9, Tue 10-11, Tue 12-13, Tue 14-15, Tue 16-17, Tue 18-19", "at most"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseAvailability(tt.in)
			if ErrorCode(err) != EINVALID {
				t.Fatalf("ParseAvailability(%q) = %v, want an EINVALID error", tt.in, err)
			}
			if !strings.Contains(ErrorMessage(err), tt.says) {
				t.Fatalf("message %q does not say %q", ErrorMessage(err), tt.says)
			}
		})
	}
}

func TestAvailabilityStringGroupsDays(t *testing.T) {
	a, err := ParseAvailability("Mon-Fri 9-11, Wed 14:00-16:30, Sat/Sun 10-11")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.String(), "Mon-Fri 09:00-11:00, Wed 14:00-16:30, Sat/Sun 10:00-11:00"; got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
}

// FuzzParseAvailability checks that anything a person types either fails
// with a person's message or parses into windows that are valid and survive
// a round trip through String.
func FuzzParseAvailability(f *testing.F) {
	for _, seed := range []string{"Mon 9-11", "Mon-Fri 9:30-11am, Wed 2-4pm", "weekdays 9 to 10", "Sun 22:00-24:00", "fri-mon 12pm-1pm", "Mon, Wed 9-11", "x", "Mon 11-1pm", "tue/thu 8 a.m.-9 a.m.",
		"", "Sun 01:30-02:30", "Mon 99999999999999999999-1", "Mön 9-11", "Mon\u00a09–11", "mon 12am-12pm", "Mon 9-11;;; Mon 10-12\n"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		a, err := ParseAvailability(text)
		if err != nil {
			if ErrorCode(err) != EINVALID || ErrorMessage(err) == "" {
				t.Fatalf("ParseAvailability(%q) failed without a person's message: %v", text, err)
			}
			return
		}
		for i, w := range a {
			if w.Start < 0 || w.End > 24*60 || w.End-w.Start < minWindowMinutes {
				t.Fatalf("ParseAvailability(%q) gave an invalid window %+v", text, w)
			}
			if i > 0 && a[i-1].Day == w.Day && a[i-1].End >= w.Start {
				t.Fatalf("ParseAvailability(%q) left overlapping windows %v", text, a)
			}
		}
		again, err := ParseAvailability(a.String())
		if err != nil {
			t.Fatalf("String() of %q gave %q which does not parse: %v", text, a.String(), err)
		}
		if again.String() != a.String() || len(again) != len(a) {
			t.Fatalf("round trip of %q changed %v into %v", text, a, again)
		}
	})
}

func minutesOf(t *testing.T, hhmm string) int {
	t.Helper()
	tm, err := time.Parse("15:04", hhmm)
	if hhmm == "24:00" {
		return 24 * 60
	}
	if err != nil {
		t.Fatal(err)
	}
	return tm.Hour()*60 + tm.Minute()
}
