package scheduler

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	rrulego "github.com/teambition/rrule-go"

	"github.com/mentorbot/mentorbot"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// inviteSlot is Tuesdays 09:30 for 45 minutes in New York, February to
// June 2026: across the clocks going forward on 8 March.
func inviteSlot(cadence mentorbot.Cadence, from time.Time) *mentorbot.Slot {
	return &mentorbot.Slot{
		Weekday: time.Tuesday, Minute: 9*60 + 30, Length: 45 * time.Minute,
		Zone: "America/New_York", Cadence: cadence,
		From: from, Until: date(2026, 6, 30),
	}
}

func testInvite(slot *mentorbot.Slot) Invite {
	return Invite{
		Pair:   mentorbot.Pair{ID: 42, MentorID: "U2", MenteeID: "U1", Slot: slot, CalendarSequence: 3},
		Mentee: Attendee{ID: "U1", Name: "Dana Boss", Email: "dana@example.com"},
		Mentor: Attendee{ID: "U2", Name: "Sam Junior", Email: "sam@example.com"},
		Stamp:  time.Date(2026, 1, 20, 12, 0, 0, 0, time.UTC),
	}
}

// parseInvite renders the invite and reads it back, checking the lines are
// CRLF-terminated and folded to 75 octets on the way.
func parseInvite(t *testing.T, in Invite) *ics.Calendar {
	t.Helper()
	b, err := CalendarFile(in)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatal("the file does not end in CRLF")
	}
	for i, line := range bytes.Split(bytes.TrimSuffix(b, []byte("\r\n")), []byte("\r\n")) {
		if bytes.ContainsAny(line, "\r\n") || len(line) > 75 {
			t.Fatalf("line %d is not a folded CRLF line: %q", i+1, line)
		}
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, b)
	}
	return cal
}

// props is what the tests read of a component: each property's value
// and parameters, by name.
type props []ics.IANAProperty

func (p props) all(name string) []ics.IANAProperty {
	var found []ics.IANAProperty
	for _, prop := range p {
		if prop.IANAToken == name {
			found = append(found, prop)
		}
	}
	return found
}

func (p props) one(t *testing.T, name string) ics.IANAProperty {
	t.Helper()
	found := p.all(name)
	if len(found) != 1 {
		t.Fatalf("%d %s properties, want 1", len(found), name)
	}
	return found[0]
}

func (p props) value(t *testing.T, name string) string {
	t.Helper()
	return p.one(t, name).Value
}

func param(p ics.IANAProperty, name string) string {
	return strings.Join(p.ICalParameters[name], ",")
}

func calendarValue(cal *ics.Calendar, name string) string {
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == name {
			return p.Value
		}
	}
	return ""
}

// master and overrides split the events into the series and its moved
// sessions.
func master(t *testing.T, cal *ics.Calendar) (props, []props) {
	t.Helper()
	var series []props
	var moved []props
	for _, e := range cal.Events() {
		if e.HasProperty(ics.ComponentPropertyRecurrenceId) {
			moved = append(moved, e.Properties)
		} else {
			series = append(series, e.Properties)
		}
	}
	if len(series) != 1 {
		t.Fatalf("%d series events, want 1", len(series))
	}
	return series[0], moved
}

func TestInviteSeries(t *testing.T) {
	in := testInvite(inviteSlot(mentorbot.CadenceWeekly, date(2026, 2, 3)))
	ny, _ := time.LoadLocation("America/New_York")
	at := func(d time.Time, h, m int) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, ny).UTC()
	}
	in.Sessions = []mentorbot.Session{
		// On as planned: nothing to say.
		{Occurrence: at(date(2026, 2, 3), 9, 30), StartsAt: at(date(2026, 2, 3), 9, 30), EndsAt: at(date(2026, 2, 3), 10, 15), State: mentorbot.SessionScheduled},
		{Occurrence: at(date(2026, 2, 17), 9, 30), StartsAt: at(date(2026, 2, 17), 9, 30), EndsAt: at(date(2026, 2, 17), 10, 15), State: mentorbot.SessionSkipped},
		// Moved from the first Tuesday after the clocks change to Thursday afternoon.
		{Occurrence: at(date(2026, 3, 10), 9, 30), StartsAt: at(date(2026, 3, 12), 15, 0), EndsAt: at(date(2026, 3, 12), 15, 45), State: mentorbot.SessionScheduled, Revision: 1},
	}
	cal := parseInvite(t, in)

	for name, want := range map[string]string{
		"VERSION": "2.0", "PRODID": "-//mentorbot//mentorbot//EN", "CALSCALE": "GREGORIAN", "METHOD": "REQUEST",
	} {
		if got := calendarValue(cal, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}

	series, moved := master(t, cal)
	for name, want := range map[string]string{
		"UID":      "pair-42@mentorbot",
		"DTSTAMP":  "20260120T120000Z",
		"SEQUENCE": "3",
		"DTSTART":  "20260203T093000",
		"DTEND":    "20260203T101500",
		"RRULE":    "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260701T035959Z",
		"SUMMARY":  "Mentoring session",
		"CLASS":    "PRIVATE",
		"TRANSP":   "OPAQUE",
		"STATUS":   "CONFIRMED",
		"EXDATE":   "20260217T093000",
	} {
		if got := series.value(t, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	for _, name := range []string{"DTSTART", "DTEND", "EXDATE"} {
		if got := param(series.one(t, name), "TZID"); got != "America/New_York" {
			t.Errorf("%s TZID = %q, want America/New_York", name, got)
		}
	}
	if desc := series.value(t, "DESCRIPTION"); !strings.Contains(desc, "protected") || !strings.Contains(desc, "Slack") {
		t.Errorf("DESCRIPTION = %q, want it to say the time is protected and reminders come in Slack", desc)
	}

	organizer := series.one(t, "ORGANIZER")
	if organizer.Value != "mailto:dana@example.com" || param(organizer, "CN") != "Dana Boss" {
		t.Errorf("ORGANIZER = %q CN=%q, want the mentee", organizer.Value, param(organizer, "CN"))
	}
	attendees := map[string]ics.IANAProperty{}
	for _, a := range series.all("ATTENDEE") {
		attendees[a.Value] = a
	}
	for address, want := range map[string][4]string{
		"mailto:dana@example.com": {"Dana Boss", "REQ-PARTICIPANT", "ACCEPTED", "FALSE"},
		"mailto:sam@example.com":  {"Sam Junior", "REQ-PARTICIPANT", "NEEDS-ACTION", "FALSE"},
	} {
		a, ok := attendees[address]
		got := [4]string{param(a, "CN"), param(a, "ROLE"), param(a, "PARTSTAT"), param(a, "RSVP")}
		if !ok || got != want {
			t.Errorf("ATTENDEE %s: CN, ROLE, PARTSTAT, RSVP = %q (listed %v), want %q", address, got, ok, want)
		}
	}
	if len(attendees) != 2 {
		t.Errorf("%d attendees, want 2", len(attendees))
	}

	if len(moved) != 1 {
		t.Fatalf("%d override events, want 1 (for the moved session)", len(moved))
	}
	override := moved[0]
	for name, want := range map[string]string{
		"UID":           "pair-42@mentorbot",
		"SEQUENCE":      "3",
		"RECURRENCE-ID": "20260310T093000",
		"DTSTART":       "20260312T150000",
		"DTEND":         "20260312T154500",
		"SUMMARY":       "Mentoring session",
		"CLASS":         "PRIVATE",
		"ORGANIZER":     "mailto:dana@example.com",
	} {
		if got := override.value(t, name); got != want {
			t.Errorf("override %s = %q, want %q", name, got, want)
		}
	}
	for _, name := range []string{"RECURRENCE-ID", "DTSTART", "DTEND"} {
		if got := param(override.one(t, name), "TZID"); got != "America/New_York" {
			t.Errorf("override %s TZID = %q, want America/New_York", name, got)
		}
	}
	if n := len(override.all("ATTENDEE")); n != 2 {
		t.Errorf("override has %d attendees, want 2", n)
	}
	if override.all("RRULE") != nil {
		t.Error("the override repeats")
	}
}

func TestInviteRRule(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cadence mentorbot.Cadence
		from    time.Time
		start   string
		rrule   string
	}{
		{"weekly", mentorbot.CadenceWeekly, date(2026, 2, 3), "20260203T093000", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260701T035959Z"},
		{"fortnightly", mentorbot.CadenceFortnightly, date(2026, 2, 3), "20260203T093000", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20260701T035959Z"},
		{"monthly on the second Tuesday", mentorbot.CadenceMonthly, date(2026, 2, 10), "20260210T093000", "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20260701T035959Z"},
		{"monthly on the last Tuesday", mentorbot.CadenceMonthly, date(2026, 3, 31), "20260331T093000", "FREQ=MONTHLY;BYDAY=-1TU;UNTIL=20260701T035959Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			series, _ := master(t, parseInvite(t, testInvite(inviteSlot(tc.cadence, tc.from))))
			if got := series.value(t, "DTSTART"); got != tc.start {
				t.Errorf("DTSTART = %q, want %q", got, tc.start)
			}
			if got := series.value(t, "RRULE"); got != tc.rrule {
				t.Errorf("RRULE = %q, want %q", got, tc.rrule)
			}
		})
	}
}

// The calendar's recurrences, expanded by an RRULE library as a calendar
// that knows the IANA zone expands them, are the sessions the domain plans,
// to the second: across clock changes in both hemispheres and in zones
// without any, at each cadence, up to and including the last day and no
// further, less the skipped session; and each moved session's RECURRENCE-ID
// names one of them.
//
// A wall time that falls in a spring-forward gap is left out: Go reads it
// an hour earlier than RFC 5545 tells calendars to, so a library built on
// the time package would agree with the domain for the wrong reason.
func TestInviteRRuleMatchesSessions(t *testing.T) {
	type slotCase struct {
		name string
		slot mentorbot.Slot
	}
	var slots []slotCase
	zones := []struct {
		zone   string
		minute int
	}{
		{"America/New_York", 9*60 + 30},
		{"Europe/London", 17 * 60},
		{"Australia/Sydney", 8 * 60},        // the evening before in UTC
		{"America/Los_Angeles", 23*60 + 30}, // the morning after in UTC
		{"Asia/Kolkata", 18*60 + 30},        // no clock changes, a half-hour offset
	}
	cadences := []struct {
		cadence mentorbot.Cadence
		from    time.Time
	}{
		{mentorbot.CadenceWeekly, date(2026, 2, 3)},
		{mentorbot.CadenceFortnightly, date(2026, 2, 3)},
		{mentorbot.CadenceMonthly, date(2026, 2, 10)}, // the second Tuesday
		{mentorbot.CadenceMonthly, date(2026, 3, 31)}, // the last Tuesday
	}
	for _, z := range zones {
		for _, c := range cadences {
			slots = append(slots, slotCase{
				fmt.Sprintf("%s/%s from %s", z.zone, c.cadence, c.from.Format(time.DateOnly)),
				mentorbot.Slot{Weekday: time.Tuesday, Minute: z.minute, Length: time.Hour, Zone: z.zone, Cadence: c.cadence, From: c.from},
			})
		}
	}
	// Sunday 01:30 happens twice in New York on 1 November; calendars and
	// the domain both take the first, in daylight time.
	slots = append(slots, slotCase{"America/New_York/weekly through the repeated hour",
		mentorbot.Slot{Weekday: time.Sunday, Minute: 90, Length: 30 * time.Minute, Zone: "America/New_York", Cadence: mentorbot.CadenceWeekly, From: date(2026, 10, 4)}})

	for _, sc := range slots {
		for _, end := range []struct {
			name string
			back int // days before the last session's date that Until falls
		}{
			{"until a session's day", 0},
			{"until the day before a session", 1},
		} {
			t.Run(sc.name+"/"+end.name, func(t *testing.T) {
				slot := sc.slot
				slot.Until = lastSessionDay(t, slot, date(2026, 12, 15)).AddDate(0, 0, -end.back)

				var want []time.Time
				var sessions []mentorbot.Session
				for n := 0; ; n++ {
					start, ok := slot.Session(n)
					if !ok {
						break
					}
					s := mentorbot.Session{Occurrence: start, StartsAt: start, EndsAt: start.Add(slot.Length), State: mentorbot.SessionScheduled}
					switch n {
					case 1:
						s.State = mentorbot.SessionSkipped
					case 2:
						s.StartsAt, s.EndsAt = start.Add(26*time.Hour), s.EndsAt.Add(26*time.Hour)
					}
					sessions = append(sessions, s)
					if s.State != mentorbot.SessionSkipped {
						want = append(want, start)
					}
				}
				if len(sessions) < 3 {
					t.Fatalf("only %d sessions: the case does not skip and move one", len(sessions))
				}
				in := testInvite(&slot)
				in.Sessions = sessions
				series, moved := master(t, parseInvite(t, in))

				got := recurrences(t, series)
				if !slices.EqualFunc(got, want, time.Time.Equal) {
					t.Errorf("the calendar repeats at\n%v\nthe sessions are at\n%v\n(RRULE %s)", got, want, series.value(t, "RRULE"))
				}
				if len(moved) != 1 {
					t.Fatalf("%d overrides, want 1", len(moved))
				}
				id := readDateTime(t, moved[0].one(t, "RECURRENCE-ID"))
				if !id.Equal(sessions[2].Occurrence) || !slices.ContainsFunc(got, id.Equal) {
					t.Errorf("the override's RECURRENCE-ID is %v; want the moved session's occurrence %v, one of the recurrences", id, sessions[2].Occurrence)
				}
			})
		}
	}
}

// lastSessionDay is the date, in the slot's zone, of the last session the
// slot would have up to limit.
func lastSessionDay(t *testing.T, slot mentorbot.Slot, limit time.Time) time.Time {
	t.Helper()
	slot.Until = limit
	var last time.Time
	for n := 0; ; n++ {
		start, ok := slot.Session(n)
		if !ok {
			break
		}
		last = start
	}
	if last.IsZero() {
		t.Fatal("the slot has no sessions")
	}
	local := last.In(slot.Location())
	return date(local.Year(), local.Month(), local.Day())
}

// recurrences expands the series with rrule-go: DTSTART in its TZID, the
// RRULE to its UNTIL, less the EXDATEs, in UTC. The window stops a rule
// that lost its UNTIL from running for ever; it shows as extra sessions.
func recurrences(t *testing.T, series props) []time.Time {
	t.Helper()
	lines := []string{contentLine(series.one(t, "DTSTART")), contentLine(series.one(t, "RRULE"))}
	for _, ex := range series.all("EXDATE") {
		lines = append(lines, contentLine(ex))
	}
	set, err := rrulego.StrSliceToRRuleSet(lines)
	if err != nil {
		t.Fatalf("rrule-go cannot read %q: %v", lines, err)
	}
	start := set.GetDTStart()
	var starts []time.Time
	for _, s := range set.Between(start, start.AddDate(3, 0, 0), true) {
		starts = append(starts, s.UTC())
	}
	return starts
}

// readDateTime reads a DATE-TIME property, TZID and all, as rrule-go does.
func readDateTime(t *testing.T, p ics.IANAProperty) time.Time {
	t.Helper()
	_, value, _ := strings.Cut(contentLine(p), ";")
	at, err := rrulego.StrToDtStart(value, time.UTC)
	if err != nil {
		t.Fatalf("rrule-go cannot read %s %q: %v", p.IANAToken, value, err)
	}
	return at.UTC()
}

// contentLine writes a property back as an unfolded content line, NAME
// then its parameters then the value.
func contentLine(p ics.IANAProperty) string {
	var b strings.Builder
	b.WriteString(p.IANAToken)
	for _, k := range slices.Sorted(maps.Keys(p.ICalParameters)) {
		b.WriteString(";" + k + "=" + strings.Join(p.ICalParameters[k], ","))
	}
	b.WriteString(":" + p.Value)
	return b.String()
}

// The VTIMEZONE tells calendars that don't know the zone the offsets Go
// knows, either side of each change.
func TestInviteTimezone(t *testing.T) {
	for _, tc := range []struct {
		zone    string
		changes []time.Time // in UTC
		emitted []observance
	}{
		// The last Sundays of March and October, at 01:00 UTC.
		{"Europe/London", []time.Time{time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC)}, []observance{
			{true, "20260329T010000", "+0000", "+0100", "BST"},
			{false, "20261025T020000", "+0100", "+0000", "GMT"},
		}},
		// The second Sunday of March and the first of November, at 02:00 local.
		{"America/New_York", []time.Time{time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC), time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)}, []observance{
			{true, "20260308T020000", "-0500", "-0400", "EDT"},
			{false, "20261101T020000", "-0400", "-0500", "EST"},
		}},
	} {
		t.Run(tc.zone, func(t *testing.T) {
			slot := inviteSlot(mentorbot.CadenceWeekly, date(2026, 2, 3))
			slot.Zone, slot.Until = tc.zone, date(2026, 12, 15)
			loc := slot.Location()
			tz := observances(t, parseInvite(t, testInvite(slot)), tc.zone)
			for _, want := range tc.emitted {
				if !slices.Contains(tz, want) {
					t.Errorf("no observance %+v in %+v", want, tz)
				}
			}
			for _, change := range tc.changes {
				for _, d := range []time.Duration{-24 * time.Hour, -time.Hour, -time.Minute, -time.Second, 0, time.Minute, time.Hour, 24 * time.Hour} {
					at := change.Add(d)
					_, want := at.In(loc).Zone()
					if got := tz.offset(t, at); got != want {
						t.Errorf("at %s the VTIMEZONE says %+d s, Go says %+d s", at.Format(time.RFC3339), got, want)
					}
				}
			}
		})
	}
}

// Zones that never change have one standard observance at their offset.
func TestInviteTimezoneFixed(t *testing.T) {
	for _, tc := range []struct {
		zone, offset string
	}{
		{"Asia/Tokyo", "+0900"},
		{"Asia/Kolkata", "+0530"},
		{"UTC", "+0000"},
	} {
		t.Run(tc.zone, func(t *testing.T) {
			slot := inviteSlot(mentorbot.CadenceWeekly, date(2026, 2, 3))
			slot.Zone = tc.zone
			tz := observances(t, parseInvite(t, testInvite(slot)), tc.zone)
			if len(tz) != 1 || tz[0].daylight || tz[0].to != tc.offset {
				t.Errorf("observances %+v, want one STANDARD to %s", tz, tc.offset)
			}
		})
	}
}

type observance struct {
	daylight       bool
	start          string // wall time on the clock before the change
	from, to, name string
}

type vtimezone []observance

// observances reads the calendar's only VTIMEZONE, which must be tzid.
func observances(t *testing.T, cal *ics.Calendar, tzid string) vtimezone {
	t.Helper()
	tzs := cal.Timezones()
	if len(tzs) != 1 {
		t.Fatalf("%d VTIMEZONEs, want 1", len(tzs))
	}
	if got := props(tzs[0].Properties).value(t, "TZID"); got != tzid {
		t.Fatalf("TZID %q, want %q", got, tzid)
	}
	var tz vtimezone
	for _, c := range tzs[0].Components {
		var o observance
		var p props
		switch c := c.(type) {
		case *ics.Standard:
			p = c.Properties
		case *ics.Daylight:
			o.daylight, p = true, c.Properties
		default:
			t.Fatalf("unexpected %T in VTIMEZONE", c)
		}
		o.start, o.from, o.to, o.name = p.value(t, "DTSTART"), p.value(t, "TZOFFSETFROM"), p.value(t, "TZOFFSETTO"), p.value(t, "TZNAME")
		tz = append(tz, o)
	}
	return tz
}

// offset is the offset the VTIMEZONE gives at, in seconds east of UTC:
// that of the last observance begun by then.
func (tz vtimezone) offset(t *testing.T, at time.Time) int {
	t.Helper()
	seconds := func(offset string) int {
		hhmm, err := strconv.Atoi(offset[1:])
		if err != nil || len(offset) != 5 {
			t.Fatalf("bad UTC offset %q", offset)
		}
		s := hhmm/100*3600 + hhmm%100*60
		if offset[0] == '-' {
			return -s
		}
		return s
	}
	found, offset := false, 0
	for _, o := range tz {
		wall, err := time.Parse(localLayout, o.start)
		if err != nil {
			t.Fatal(err)
		}
		if onset := wall.Add(-time.Duration(seconds(o.from)) * time.Second); !onset.After(at) {
			found, offset = true, seconds(o.to)
		}
	}
	if !found {
		t.Fatalf("the VTIMEZONE starts after %s", at)
	}
	return offset
}

func TestInviteCancel(t *testing.T) {
	in := testInvite(inviteSlot(mentorbot.CadenceFortnightly, date(2026, 2, 3)))
	in.Cancel = true
	in.Pair.CalendarSequence = 5
	in.Sessions = []mentorbot.Session{{
		Occurrence: time.Date(2026, 2, 17, 14, 30, 0, 0, time.UTC), StartsAt: time.Date(2026, 2, 18, 14, 30, 0, 0, time.UTC),
		EndsAt: time.Date(2026, 2, 18, 15, 15, 0, 0, time.UTC), State: mentorbot.SessionScheduled,
	}}
	cal := parseInvite(t, in)
	if got := calendarValue(cal, "METHOD"); got != "CANCEL" {
		t.Errorf("METHOD = %q, want CANCEL", got)
	}
	if n := len(cal.Events()); n != 1 {
		t.Errorf("%d events, want the series alone", n)
	}
	series, _ := master(t, cal)
	for name, want := range map[string]string{"UID": "pair-42@mentorbot", "SEQUENCE": "5", "STATUS": "CANCELLED"} {
		if got := series.value(t, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// A person without an email still gets a valid address, and a name with
// characters parameters can't carry keeps its look.
func TestInviteAttendeeWithoutEmail(t *testing.T) {
	in := testInvite(inviteSlot(mentorbot.CadenceWeekly, date(2026, 2, 3)))
	in.Mentor = Attendee{ID: "U2", Name: `Pat "PJ" O'Brien, Jr.`}
	series, _ := master(t, parseInvite(t, in))
	var mentor ics.IANAProperty
	for _, a := range series.all("ATTENDEE") {
		if a.Value == "mailto:U2@slack.invalid" {
			mentor = a
		}
	}
	if got, want := param(mentor, "CN"), "Pat ”PJ” O’Brien Jr."; got != want {
		t.Errorf("mentor CN = %q, want %q (attendees %v)", got, want, series.all("ATTENDEE"))
	}
}

func TestInviteWithoutSlot(t *testing.T) {
	in := testInvite(nil)
	if _, err := CalendarFile(in); err == nil {
		t.Error("an invite for a pair without a slot rendered")
	}
}
