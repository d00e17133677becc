package scheduler

import (
	"bytes"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/mentorbot/mentorbot"
)

func TestATeachInInviteNamesTheHostAndOnlyItsReader(t *testing.T) {
	start := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	ti := mentorbot.TeachIn{ID: 7, Title: "Reels; cuts, captions", StartsAt: start, EndsAt: start.Add(90 * time.Minute),
		JoinHow: "Room 4, 2nd floor", Description: "Film,\nthen post.", CalendarSequence: 2}
	host := Attendee{ID: "UADA", Name: "Ada Osei", Email: "ada@example.com"}
	reader := Attendee{ID: "UGRACE", Name: "Grace Hopper", Email: "grace@example.com"}
	for _, cancel := range []bool{false, true} {
		raw, err := TeachInCalendarFile(TeachInInvite{TeachIn: ti, Host: host, Reader: reader, Cancel: cancel, Stamp: start.Add(-time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		cal, err := ics.ParseCalendar(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		events := cal.Events()
		if len(events) != 1 {
			t.Fatalf("%d events", len(events))
		}
		e := events[0]
		for prop, want := range map[ics.ComponentProperty]string{
			ics.ComponentPropertyUniqueId:    "teach-in-7@mentorbot",
			ics.ComponentPropertyDtStart:     "20260310T150000Z",
			ics.ComponentPropertyDtEnd:       "20260310T163000Z",
			ics.ComponentPropertySequence:    "2",
			ics.ComponentPropertySummary:     "Teach-in: Reels; cuts, captions",
			ics.ComponentPropertyLocation:    "Room 4, 2nd floor",
			ics.ComponentPropertyDescription: "Film,\nthen post.",
			ics.ComponentPropertyOrganizer:   "mailto:ada@example.com",
		} {
			if got := e.GetProperty(prop); got == nil || got.Value != want {
				t.Errorf("cancel %v: %s is %v, want %q", cancel, prop, got, want)
			}
		}
		var attendees []string
		for _, a := range e.Attendees() {
			attendees = append(attendees, a.Email())
		}
		if strings.Join(attendees, ",") != "grace@example.com" {
			t.Errorf("attendees %v, want only the reader", attendees)
		}
		wantMethod := "REQUEST"
		if cancel {
			wantMethod = "CANCEL"
		}
		if !strings.Contains(string(raw), "METHOD:"+wantMethod+"\r\n") {
			t.Errorf("cancel %v: no METHOD:%s in\n%s", cancel, wantMethod, raw)
		}
	}
}
