package mentorbot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Window is a weekly stretch of free time in a person's own time zone.
type Window struct {
	Day   time.Weekday
	Start int // minutes after local midnight
	End   int // minutes after local midnight; after Start, at most 24:00
}

// Availability is a person's free time in a typical week: sorted by day and
// start, with no two windows overlapping or touching.
type Availability []Window

const (
	minWindowMinutes       = 30
	maxAvailabilityWindows = 21
	maxAvailabilityText    = 500
	availabilityExample    = "Tue 10:00-12:00, Thu 14:00-16:00"
)

// ParseAvailability reads availability the way people write it:
// "Mon-Fri 9-11am, Wed 14:00-16:30", "weekdays 9:30 to 11", "Tue/Thu 2-4pm".
// Windows are separated by commas, semicolons or new lines; a window that
// names only days takes the time of the next one ("Mon, Wed 9-11").
func ParseAvailability(text string) (Availability, error) {
	if len(text) > maxAvailabilityText {
		return nil, Errorf(EINVALID, "That's longer than %d characters. Group days that share a time, like Mon-Fri 09:00-11:00.", maxAvailabilityText)
	}
	entries := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == '\n' })
	var windows []Window
	var pendingDays []time.Weekday
	var pendingText string
	for _, raw := range entries {
		entry := strings.TrimSpace(raw)
		if entry == "" {
			continue
		}
		days, clock, err := parseAvailabilityEntry(entry)
		if err != nil {
			return nil, err
		}
		days = append(pendingDays, days...)
		if clock == "" {
			pendingDays, pendingText = days, entry
			continue
		}
		start, end, err := parseTimeRange(clock)
		if err != nil {
			return nil, Errorf(EINVALID, "%q: %s Write each window like %q.", entry, err.Error(), availabilityExample)
		}
		for _, d := range days {
			windows = append(windows, Window{Day: d, Start: start, End: end})
		}
		pendingDays, pendingText = nil, ""
	}
	if len(pendingDays) > 0 {
		return nil, Errorf(EINVALID, "%q has no time. Add one, like %q.", pendingText, "Mon 09:00-11:00")
	}
	if len(windows) == 0 {
		return nil, Errorf(EINVALID, "Add at least one time in a typical week when you could meet, like %q.", availabilityExample)
	}
	a := normalizeWindows(windows)
	if len(a) > maxAvailabilityWindows {
		return nil, Errorf(EINVALID, "That's %d separate windows; %d at most, please. Keep the times you could really protect.", len(a), maxAvailabilityWindows)
	}
	return a, nil
}

// parseAvailabilityEntry splits "mon-fri 9-11" into its days and the time
// text; the time text is "" when the entry names days only.
func parseAvailabilityEntry(entry string) ([]time.Weekday, string, error) {
	lower := strings.ToLower(entry)
	cut := strings.IndexFunc(lower, func(r rune) bool { return r >= '0' && r <= '9' })
	dayText, clock := lower, ""
	if cut >= 0 {
		dayText, clock = lower[:cut], lower[cut:]
	}
	dayText = strings.TrimSpace(dayText)
	if dayText == "" {
		return nil, "", Errorf(EINVALID, "%q: which day? Start each window with a day, like %q.", entry, availabilityExample)
	}
	days, err := parseDays(dayText)
	if err != nil {
		return nil, "", Errorf(EINVALID, "%q: %s", entry, err.Error())
	}
	return days, clock, nil
}

var dayNames = [7]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// parseDays reads "mon-fri", "tue/thu", "mon and wed", "weekdays", "daily".
func parseDays(text string) ([]time.Weekday, error) {
	text = strings.NewReplacer("every day", "daily", " to ", "-", "–", "-", "—", "-", " - ", "-", "- ", "-", " -", "-").Replace(text)
	fields := strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '/' || r == '&' || r == '+' || r == '\t' })
	var days []time.Weekday
	for _, f := range fields {
		switch f {
		case "and", "on", "at", "from":
			continue
		case "weekdays", "weekday":
			days = append(days, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday)
			continue
		case "weekends", "weekend":
			days = append(days, time.Saturday, time.Sunday)
			continue
		case "daily", "everyday":
			days = append(days, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday)
			continue
		}
		first, last, isRange := strings.Cut(f, "-")
		from, ok := parseDay(first)
		if !ok {
			return nil, fmt.Errorf("%q isn't a day. Use Mon, Tue, Wed, Thu, Fri, Sat, Sun or ranges like Mon-Fri.", first)
		}
		if !isRange {
			days = append(days, from)
			continue
		}
		to, ok := parseDay(last)
		if !ok {
			return nil, fmt.Errorf("%q isn't a day. Use Mon, Tue, Wed, Thu, Fri, Sat, Sun or ranges like Mon-Fri.", last)
		}
		// Ranges may wrap the week end: "fri-mon" is Fri, Sat, Sun, Mon.
		for d := from; ; d = (d + 1) % 7 {
			days = append(days, d)
			if d == to {
				break
			}
		}
	}
	if len(days) == 0 {
		return nil, fmt.Errorf("which day? Start with a day, like %q.", availabilityExample)
	}
	return days, nil
}

// parseDay accepts any prefix of a day's name of two letters or more.
func parseDay(s string) (time.Weekday, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if len(s) < 2 {
		return 0, false
	}
	for i, name := range dayNames {
		if strings.HasPrefix(name, s) {
			return time.Weekday(i), true
		}
	}
	return 0, false
}

// parseTimeRange reads "9-11", "09:30 - 11:00", "2-4pm", "9 to 11:30am".
func parseTimeRange(text string) (start, end int, err error) {
	text = strings.NewReplacer("–", "-", "—", "-", " to ", "-", "until", "-").Replace(strings.TrimSpace(text))
	first, second, ok := strings.Cut(text, "-")
	if !ok {
		return 0, 0, fmt.Errorf("needs a start and an end time.")
	}
	if strings.TrimSpace(second) == "" {
		return 0, 0, fmt.Errorf("is missing the end time.")
	}
	s, err := parseClock(first)
	if err != nil {
		return 0, 0, err
	}
	e, err := parseClock(second)
	if err != nil {
		return 0, 0, err
	}
	// "2-4pm" means 14:00-16:00; "11-1pm" means 11:00-13:00.
	if s.meridiem == "" && e.meridiem != "" && s.hour <= 12 {
		s.meridiem = e.meridiem
		if sm, em := s.minutes(), e.minutes(); sm >= em {
			s.meridiem = "am"
		}
	}
	if e.hour == 24 && e.meridiem == "" && e.minute == 0 {
		// 24:00 is the end of the day, allowed as an end only.
	} else if e.hour > 23 {
		return 0, 0, fmt.Errorf("%q isn't a time of day.", strings.TrimSpace(second))
	}
	if s.hour > 23 {
		return 0, 0, fmt.Errorf("%q isn't a time of day.", strings.TrimSpace(first))
	}
	start, end = s.minutes(), e.minutes()
	switch {
	case end == start:
		return 0, 0, fmt.Errorf("starts and ends at the same time.")
	case end < start:
		return 0, 0, fmt.Errorf("ends before it starts; a window can't cross midnight, so split it in two, like %q.", "Mon 22:00-24:00, Tue 00:00-01:00")
	case end-start < minWindowMinutes:
		return 0, 0, fmt.Errorf("is shorter than %d minutes.", minWindowMinutes)
	}
	return start, end, nil
}

type clockTime struct {
	hour, minute int
	meridiem     string // "am", "pm" or "" for a 24-hour time
}

func (c clockTime) minutes() int {
	h := c.hour
	switch c.meridiem {
	case "am":
		if h == 12 {
			h = 0
		}
	case "pm":
		if h != 12 {
			h += 12
		}
	}
	return h*60 + c.minute
}

// parseClock reads "9", "09", "9:30", "9.30", "9am", "9:30 pm".
func parseClock(text string) (clockTime, error) {
	s := strings.ReplaceAll(strings.TrimSpace(text), " ", "")
	var c clockTime
	for _, m := range []string{"am", "pm", "a.m.", "p.m."} {
		if rest, ok := strings.CutSuffix(s, m); ok {
			s, c.meridiem = rest, m[:1]+"m"
			break
		}
	}
	hourText, minuteText, hasMinutes := strings.Cut(strings.ReplaceAll(s, ".", ":"), ":")
	bad := fmt.Errorf("%q isn't a time. Write times like 09:00, 14:30 or 2pm.", strings.TrimSpace(text))
	if len(hourText) == 0 || len(hourText) > 2 || !isDigits(hourText) {
		return c, bad
	}
	c.hour, _ = strconv.Atoi(hourText)
	if hasMinutes {
		if len(minuteText) != 2 || !isDigits(minuteText) {
			return c, bad
		}
		c.minute, _ = strconv.Atoi(minuteText)
		if c.minute > 59 {
			return c, bad
		}
	}
	if c.meridiem != "" && (c.hour < 1 || c.hour > 12) {
		return c, bad
	}
	return c, nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// normalizeWindows sorts windows and merges the ones that overlap or touch,
// so "Mon 9-10, Mon 10-11" is stored once as Mon 09:00-11:00.
func normalizeWindows(windows []Window) Availability {
	// Monday first: people read a week from Monday.
	order := func(d time.Weekday) int { return (int(d) + 6) % 7 }
	slices.SortFunc(windows, func(a, b Window) int {
		if c := order(a.Day) - order(b.Day); c != 0 {
			return c
		}
		return a.Start - b.Start
	})
	var out Availability
	for _, w := range windows {
		if n := len(out); n > 0 && out[n-1].Day == w.Day && w.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, w.End)
			continue
		}
		out = append(out, w)
	}
	return out
}

// String writes availability back in the form ParseAvailability reads,
// grouping days that share a time: "Mon-Fri 09:00-11:00, Wed 14:00-16:30".
func (a Availability) String() string {
	type span struct{ start, end int }
	var spans []span
	daysBySpan := map[span][]time.Weekday{}
	for _, w := range a {
		s := span{w.Start, w.End}
		if _, seen := daysBySpan[s]; !seen {
			spans = append(spans, s)
		}
		daysBySpan[s] = append(daysBySpan[s], w.Day)
	}
	parts := make([]string, 0, len(spans))
	for _, s := range spans {
		parts = append(parts, formatDays(daysBySpan[s])+" "+formatMinutes(s.start)+"-"+formatMinutes(s.end))
	}
	return strings.Join(parts, ", ")
}

// formatDays writes runs of three or more consecutive days as a range.
func formatDays(days []time.Weekday) string {
	var groups []string
	for i := 0; i < len(days); {
		j := i
		for j+1 < len(days) && days[j+1] == (days[j]+1)%7 && days[j+1] != time.Monday {
			j++
		}
		if j-i >= 2 {
			groups = append(groups, shortDay(days[i])+"-"+shortDay(days[j]))
		} else {
			for k := i; k <= j; k++ {
				groups = append(groups, shortDay(days[k]))
			}
		}
		i = j + 1
	}
	return strings.Join(groups, "/")
}

func shortDay(d time.Weekday) string { return d.String()[:3] }

func formatMinutes(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }
