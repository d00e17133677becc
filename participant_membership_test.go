package mentorbot

import (
	"strings"
	"testing"
	"time"
)

// pauseTodays are days a pause may be asked on: a clock change in London,
// a leap day and the turn of a year.
var pauseTodays = []time.Time{date(2026, 3, 29), date(2028, 2, 29), date(2026, 12, 31)}

// FuzzPauseUntil checks that the pause form's date is either refused on its
// field or is the day typed, after today and within the pause limit.
func FuzzPauseUntil(f *testing.F) {
	f.Add("2026-04-12", uint8(0))
	f.Add(" 2026-03-30\n", uint8(0))
	f.Add("2026-03-29", uint8(0))
	f.Add("2028-08-30", uint8(1))
	f.Add("2028-08-31", uint8(1))
	f.Add("2029-02-29", uint8(1))
	f.Add("2027-01-01", uint8(2))
	f.Add("2026-3-30", uint8(0))
	f.Add("30/03/2026", uint8(0))
	f.Add("99999-01-01", uint8(2))
	f.Add("２０２６-０４-１２", uint8(0))
	f.Add("", uint8(0))
	f.Fuzz(func(t *testing.T, until string, which uint8) {
		today := pauseTodays[int(which)%len(pauseTodays)]
		day, err := parsePauseUntil(until, today)
		if err != nil {
			refusedOn(t, err, FieldPauseUntil)
			return
		}
		if day.Format(time.DateOnly) != strings.TrimSpace(until) || !day.Equal(Day(day)) {
			t.Fatalf("read %q as %v", until, day)
		}
		if !day.After(today) || day.After(today.AddDate(0, 0, maxPauseDays)) {
			t.Fatalf("accepted a pause until %v on %v", day, today)
		}
	})
}
