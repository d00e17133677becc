package scheduler

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"

	"github.com/mentorbot/mentorbot"
)

// Attendee is a person on the invite.
type Attendee struct {
	ID    string // chat user ID
	Name  string
	Email string // may be empty
}

// Invite is the pair's calendar: what CalendarFile needs.
type Invite struct {
	Pair     mentorbot.Pair      // Slot (non-nil), CalendarSequence, ID
	Sessions []mentorbot.Session // moved or skipped sessions become overrides / EXDATEs; others ignored
	// The mentee (the senior) organises, so the series sits in their
	// calendar as their own commitment.
	Mentee, Mentor Attendee
	Cancel         bool      // the pair ended: cancel the whole series
	Stamp          time.Time // DTSTAMP, from the injected clock
}

const (
	// Colleagues may see calendars, and seniors must not be seen depending
	// on juniors: the event says what the time is for, never who teaches whom.
	inviteSummary     = "Mentoring session"
	inviteDescription = "This time is protected for your mentoring session. Reminders come in Slack."

	localLayout = "20060102T150405"  // DATE-TIME read in the TZID's zone
	utcLayout   = "20060102T150405Z" // DATE-TIME in UTC
)

// CalendarUID is the invite's stable UID for a pair: every update and the
// cancellation carry it, so calendars replace the event instead of adding one.
func CalendarUID(pairID int64) string { return fmt.Sprintf("pair-%d@mentorbot", pairID) }

// CalendarFile renders the invite as .ics bytes: one recurring event at the
// slot's wall time in the slot's zone, so it keeps 10:00 across clock
// changes as the sessions do, with the skipped sessions excluded and the
// moved ones overridden.
func CalendarFile(in Invite) ([]byte, error) {
	slot := in.Pair.Slot
	if slot == nil {
		return nil, fmt.Errorf("calendar invite for pair %d: the pair has no slot yet", in.Pair.ID)
	}
	start, ok := slot.WallStart()
	if !ok {
		return nil, fmt.Errorf("calendar invite for pair %d: the slot has no sessions", in.Pair.ID)
	}
	loc := slot.Location()
	tzid := ics.WithTZID(loc.String())
	rule, err := slot.RRule()
	if err != nil {
		return nil, fmt.Errorf("calendar invite for pair %d: %w", in.Pair.ID, err)
	}

	cal, status := newCalendar(in.Cancel)
	cal.AddVTimezone(timezone(loc, slot.From, slot.Until))

	master := event(in, status)
	master.SetProperty(ics.ComponentPropertyDtStart, start.Format(localLayout), tzid)
	master.SetProperty(ics.ComponentPropertyDtEnd, start.Add(slot.Length).Format(localLayout), tzid)
	master.AddRrule(rule)
	cal.AddVEvent(master)

	// Cancelling the series cancels every session in it: no exceptions.
	sessions := in.Sessions
	if in.Cancel {
		sessions = nil
	}
	for _, s := range sessions {
		switch {
		case s.State == mentorbot.SessionSkipped:
			master.AddExdate(s.Occurrence.In(loc).Format(localLayout), tzid)
		case s.State == mentorbot.SessionScheduled && !s.StartsAt.Equal(s.Occurrence):
			moved := event(in, status)
			moved.SetProperty(ics.ComponentPropertyRecurrenceId, s.Occurrence.In(loc).Format(localLayout), tzid)
			moved.SetProperty(ics.ComponentPropertyDtStart, s.StartsAt.In(loc).Format(localLayout), tzid)
			moved.SetProperty(ics.ComponentPropertyDtEnd, s.EndsAt.In(loc).Format(localLayout), tzid)
			cal.AddVEvent(moved)
		}
	}

	var b bytes.Buffer
	if err := cal.SerializeTo(&b, ics.WithNewLineWindows); err != nil {
		return nil, fmt.Errorf("calendar invite for pair %d: %w", in.Pair.ID, err)
	}
	return b.Bytes(), nil
}

// newCalendar starts a calendar that requests its events, or cancels
// them, and the status its events carry.
func newCalendar(cancel bool) (*ics.Calendar, ics.ObjectStatus) {
	cal := ics.NewCalendar()
	cal.SetProductId("-//mentorbot//mentorbot//EN")
	cal.SetCalscale("GREGORIAN")
	method, status := ics.MethodRequest, ics.ObjectStatusConfirmed
	if cancel {
		method, status = ics.MethodCancel, ics.ObjectStatusCancelled
	}
	cal.SetMethod(method)
	return cal, status
}

// event starts a VEVENT with what the series and its moved sessions share.
func event(in Invite, status ics.ObjectStatus) *ics.VEvent {
	e := ics.NewEvent(CalendarUID(in.Pair.ID))
	e.SetDtStampTime(in.Stamp)
	e.SetSequence(in.Pair.CalendarSequence)
	e.SetSummary(inviteSummary)
	e.SetDescription(inviteDescription)
	// Private and busy: others see the time is taken, not what for.
	e.SetClass(ics.ClassificationPrivate)
	e.SetTimeTransparency(ics.TransparencyOpaque)
	e.SetStatus(status)
	// The ics helpers for ORGANIZER and ATTENDEE would prefix "mailto:"
	// again, so the addresses are set as they are.
	e.SetProperty(ics.ComponentPropertyOrganizer, address(in.Mentee), named(in.Mentee)...)
	e.AddProperty(ics.ComponentPropertyAttendee, address(in.Mentee),
		named(in.Mentee, ics.ParticipationRoleReqParticipant, ics.ParticipationStatusAccepted, noReply)...)
	e.AddProperty(ics.ComponentPropertyAttendee, address(in.Mentor),
		named(in.Mentor, ics.ParticipationRoleReqParticipant, ics.ParticipationStatusNeedsAction, noReply)...)
	return e
}

// noReply asks for no replies: reminders and "I'll be there" happen in
// Slack. Written FALSE as calendars write it (ics.WithRSVP writes "false").
var noReply = &ics.KeyValues{Key: string(ics.ParameterRsvp), Value: []string{"FALSE"}}

// address is a person's calendar address. Without an email it is a mailto
// in the .invalid domain RFC 2606 reserves: a valid CAL-ADDRESS that names
// the person by chat ID and can never deliver mail to a stranger.
func address(a Attendee) string {
	if a.Email != "" {
		return "mailto:" + a.Email
	}
	return "mailto:" + a.ID + "@slack.invalid"
}

// named adds the person's name as CN, when they have one, to params.
func named(a Attendee, params ...ics.PropertyParameter) []ics.PropertyParameter {
	if cn := commonName(a.Name); cn != "" {
		params = append(params, ics.WithCN(cn))
	}
	return params
}

// commonName makes a name safe as a CN parameter. golang-ical escapes
// , ; : " and ' in parameters with backslashes, which RFC 5545 does not
// allow and calendars show as typed, so those become look-alikes or spaces.
func commonName(name string) string {
	name = strings.Map(func(r rune) rune {
		switch {
		case r == '\'':
			return '’'
		case r == '"':
			return '”'
		case r == ',' || r == ';' || r == ':' || unicode.IsControl(r):
			return ' '
		}
		return r
	}, name)
	return strings.Join(strings.Fields(name), " ")
}

// timezone describes loc from a year before from to a year after until:
// one observance per change of offset, starting with the one in force a
// year before. time.Time.ZoneBounds gives each change to the second.
func timezone(loc *time.Location, from, until time.Time) *ics.VTimezone {
	tz := ics.NewTimezone(loc.String())
	end := until.AddDate(1, 0, 0)
	at, _ := from.AddDate(-1, 0, 0).In(loc).ZoneBounds()
	if at.IsZero() {
		// The zone never changed (UTC and the like): one observance.
		at = time.Unix(0, 0).In(loc)
	}
	for ; !at.IsZero() && at.Before(end); _, at = at.ZoneBounds() {
		name, after := at.Zone()
		_, before := at.Add(-time.Second).Zone()
		var o ics.ComponentBase
		// DTSTART is the wall time of the change on the clock before it.
		o.SetProperty(ics.ComponentPropertyDtStart, at.UTC().Add(time.Duration(before)*time.Second).Format(localLayout))
		o.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), utcOffset(before))
		o.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), utcOffset(after))
		o.SetProperty(ics.ComponentProperty(ics.PropertyTzname), name)
		if at.IsDST() {
			tz.Components = append(tz.Components, &ics.Daylight{ComponentBase: o})
		} else {
			tz.Components = append(tz.Components, &ics.Standard{ComponentBase: o})
		}
	}
	return tz
}

// utcOffset writes seconds east of UTC as a UTC-OFFSET, +HHMM, with
// seconds only when there are some (old local mean times have them).
func utcOffset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	s := fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec/60%60)
	if sec%60 != 0 {
		s += fmt.Sprintf("%02d", sec%60)
	}
	return s
}
