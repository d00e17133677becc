package scheduler

import (
	"bytes"
	"context"
	"fmt"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/mentorbot/mentorbot"
)

// TeachInInvite is one person's calendar invite to a teach-in: its host
// organises it, and the reader is its only attendee on the invite, since
// nobody but the host sees who signed up.
type TeachInInvite struct {
	TeachIn      mentorbot.TeachIn
	Host, Reader Attendee
	Cancel       bool      // the teach-in is off, or off for the reader
	Stamp        time.Time // DTSTAMP, from the injected clock
}

// TeachInUID is the invite's stable UID for a teach-in, so each update
// and the cancellation replace the event instead of adding one.
func TeachInUID(id int64) string { return fmt.Sprintf("teach-in-%d@mentorbot", id) }

// TeachInCalendarFile renders a teach-in's invite as .ics bytes: one
// event, in UTC, with how to join as its location.
func TeachInCalendarFile(in TeachInInvite) ([]byte, error) {
	t := in.TeachIn
	cal, status := newCalendar(in.Cancel)
	e := cal.AddEvent(TeachInUID(t.ID))
	e.SetDtStampTime(in.Stamp)
	e.SetSequence(t.CalendarSequence)
	e.SetSummary("Teach-in: " + t.Title)
	e.SetDescription(t.Description)
	if t.JoinHow != "" {
		e.SetLocation(t.JoinHow)
	}
	e.SetProperty(ics.ComponentPropertyDtStart, t.StartsAt.UTC().Format(utcLayout))
	e.SetProperty(ics.ComponentPropertyDtEnd, t.EndsAt.UTC().Format(utcLayout))
	// Private and busy, as a pair's sessions are.
	e.SetClass(ics.ClassificationPrivate)
	e.SetTimeTransparency(ics.TransparencyOpaque)
	e.SetStatus(status)
	e.SetProperty(ics.ComponentPropertyOrganizer, address(in.Host), named(in.Host)...)
	attendance := ics.ParticipationStatusNeedsAction
	if in.Reader.ID == in.Host.ID {
		attendance = ics.ParticipationStatusAccepted
	}
	e.AddProperty(ics.ComponentPropertyAttendee, address(in.Reader),
		named(in.Reader, ics.ParticipationRoleReqParticipant, attendance, noReply)...)
	var b bytes.Buffer
	if err := cal.SerializeTo(&b, ics.WithNewLineWindows); err != nil {
		return nil, fmt.Errorf("calendar invite for teach-in %d: %w", t.ID, err)
	}
	return b.Bytes(), nil
}

// teachInCalendar renders the reader's invite to a teach-in. A host who
// erased their data has no contact; the invite still goes.
func (o *Outbox) teachInCalendar(ctx context.Context, d mentorbot.Delivery) ([]byte, error) {
	t := d.TeachIn.TeachIn
	people, err := o.attendees(ctx, t.HostID, d.Item.To)
	if err != nil {
		return nil, err
	}
	return TeachInCalendarFile(TeachInInvite{
		TeachIn: t, Host: people[0], Reader: people[1],
		Cancel: d.Item.Kind == mentorbot.OutboxTeachInCalendarCancel, Stamp: o.programme.Clock.Now(),
	})
}
