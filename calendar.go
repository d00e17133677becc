package mentorbot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Calendar is the calendar service people live in (Google Workspace,
// Microsoft 365): the programme writes each pair's series into the
// senior's calendar through it and reads free/busy from it. The calendar
// package implements it; without one, people get an .ics file instead.
type Calendar interface {
	// Name is what people call the service: "Google Calendar", "Outlook".
	Name() string
	// Busy returns when each person, by email, is busy from from to to.
	// A person the service has no calendar for has a CalendarRefusal in
	// the map instead of busy times; the error is for the call as a whole.
	Busy(ctx context.Context, emails []string, from, to time.Time) (map[string]BusyTimes, error)
	// WriteSeries makes the organiser's calendar hold the series as it
	// stands and returns the event's ID. Writing the same series again
	// changes nothing: the event is found by the pair, never made twice.
	WriteSeries(ctx context.Context, s CalendarSeries) (eventID string, err error)
	// Declines lists the series' sessions starting from from to to that
	// someone declined in their calendar: the mentor answering no, or the
	// senior removing it from their own calendar.
	Declines(ctx context.Context, s CalendarSeries, from, to time.Time) ([]CalendarDecline, error)
}

// CalendarDecline is one person's no to one session, in their calendar.
type CalendarDecline struct {
	Occurrence time.Time // the session, by when the slot puts it
	Email      string
}

// BusyTimes is one person's answer to a free/busy question.
type BusyTimes struct {
	Busy []Interval
	// Refused, when not nil, says why the service could not answer for
	// this person (no such mailbox, say); Busy is empty then.
	Refused *CalendarRefusal
}

// Interval is a span of time, from Start up to End.
type Interval struct {
	Start, End time.Time
}

// Overlaps reports whether the two spans share a moment.
func (i Interval) Overlaps(o Interval) bool { return i.Start.Before(o.End) && o.Start.Before(i.End) }

// CalendarSeries is a pair's sessions as the senior's calendar should show
// them: one recurring private event, the mentor invited.
type CalendarSeries struct {
	PairID int64
	// EventID is the event as written before; empty the first time.
	EventID   string
	Organizer Contact // the senior, whose calendar holds the series
	// Attendee is the mentor; an empty Email leaves the event without
	// them (their calendar is not one the service knows).
	Attendee Contact
	Slot     Slot
	// Sessions are the pair's sessions: moved ones move their instance,
	// skipped ones cancel it.
	Sessions []Session
	// Cancelled cancels the whole series: the pair ended.
	Cancelled bool
}

// Directory finds people's names and email addresses: the chat edge
// implements it, as chat is where the programme knows people from.
type Directory interface {
	Contact(ctx context.Context, id string) (Contact, error)
}

// FreeBusyWeeks is how far ahead offered times are checked against both
// people's calendars: the first sessions, which a busy calendar threatens
// most, within what the services answer in one call.
const FreeBusyWeeks = 4

// freeBusyWait bounds the free/busy look behind an answer to a match: a
// slow calendar service costs the check, never the person's click.
const freeBusyWait = 5 * time.Second

// busyOf reads when each person is busy in their calendar from from to
// to, in one call; checked is false when there is no calendar service or
// it could not answer for everyone, and then busy holds what it knew.
func (pr *Programme) busyOf(ctx context.Context, ids []string, from, to time.Time) (busy map[string][]Interval, checked bool) {
	if pr.Calendar == nil || pr.Directory == nil {
		return nil, false
	}
	ctx, cancel := context.WithTimeout(ctx, freeBusyWait)
	defer cancel()
	var emails []string
	for _, id := range ids {
		if Erased(id) {
			return nil, false
		}
		c, err := pr.Directory.Contact(ctx, id)
		if err != nil || c.Email == "" {
			return nil, false
		}
		emails = append(emails, c.Email)
	}
	times, err := pr.Calendar.Busy(ctx, emails, from, to)
	if err != nil {
		return nil, false
	}
	busy, checked = map[string][]Interval{}, true
	for i, e := range emails {
		t := times[e]
		if t.Refused != nil {
			checked = false
		}
		busy[ids[i]] = t.Busy
	}
	return busy, checked
}

// clashesWith lists the people of the pair whose calendars now hold
// something else during the session. A busy time that is the session's
// own span is the session itself, in the calendar the bot wrote it to.
func (pr *Programme) clashesWith(ctx context.Context, p Pair, s Session) []string {
	busy, _ := pr.busyOf(ctx, []string{p.MenteeID, p.MentorID}, s.StartsAt, s.EndsAt)
	own := Interval{s.StartsAt, s.EndsAt}
	var who []string
	for _, id := range []string{p.MenteeID, p.MentorID} {
		if slices.ContainsFunc(busy[id], func(b Interval) bool { return b.Overlaps(own) && b != own }) {
			who = append(who, id)
		}
	}
	return who
}

// CalendarTitle is the series' title: colleagues may see calendars, and
// seniors must not be seen depending on juniors, so it says what the time
// is for, never who teaches whom.
const CalendarTitle = "Mentoring session"

// CalendarDescription is the series' description.
const CalendarDescription = "This time is protected for your mentoring session. Reminders come in Slack."

// CalendarRefusal is a calendar service's no for good: a person it has no
// mailbox for, credentials it refuses, a request it will not take. Trying
// again will not help; the people it concerns get an .ics file instead.
type CalendarRefusal struct {
	// Email is whose calendar was refused; empty when the refusal is not
	// about one person.
	Email string
	// Reason says why, in a line a person can read.
	Reason string
}

func (r *CalendarRefusal) Error() string {
	if r.Email == "" {
		return "calendar refused: " + r.Reason
	}
	return fmt.Sprintf("calendar refused for %s: %s", r.Email, r.Reason)
}

// Refusal returns the calendar refusal err carries, or nil when err is one
// worth trying again (a timeout, 429, 5xx).
func Refusal(err error) *CalendarRefusal {
	r, _ := errors.AsType[*CalendarRefusal](err)
	return r
}

// calendarItems owes the pair's calendar as it now stands (kind says an
// update or the cancellation): one write into the senior's calendar
// through the calendar service, or, without one, an .ics file to each.
func (pr *Programme) calendarItems(kind OutboxKind, p Pair, now time.Time) []OutboxItem {
	if pr.Calendar != nil {
		return []OutboxItem{inviteItem(OutboxCalendarWrite, p.MenteeID, p, now)}
	}
	return []OutboxItem{inviteItem(kind, p.MenteeID, p, now), inviteItem(kind, p.MentorID, p, now)}
}

// CalendarOutcome is what writing a pair's series came to.
type CalendarOutcome struct {
	// EventID is the series in the senior's calendar; empty when nothing
	// was written.
	EventID string
	// Fallback maps each person whose calendar did not get the series to
	// why, in a line they can read: they get the .ics file instead.
	Fallback map[string]string
}

// CalendarWritten records what became of a calendar write: the event on
// the pair; word that the sessions are in their calendar for each person
// whose calendar has them, the first time; the .ics with the line why for
// the others. The write is marked done last, so a crash before then
// writes again, which finds the event made instead of making another.
func (pr *Programme) CalendarWritten(ctx context.Context, item OutboxItem, out CalendarOutcome) error {
	now := pr.now()
	for attempt := 1; ; attempt++ {
		p, err := pr.Store.Pair(ctx, item.PairID)
		if err != nil {
			return err
		}
		var c Change
		first := p.CalendarEvent == ""
		if out.EventID != "" && p.CalendarEvent != out.EventID {
			p.CalendarEvent = out.EventID
			c.Pairs = []Pair{p}
		}
		kind := OutboxInvite
		var hadFile map[string]bool
		if p.State != PairActive {
			// Whoever got the sessions as a file takes them out of their
			// calendar with one too.
			kind = OutboxInviteCancel
			if hadFile, err = pr.hadFiles(ctx, p.ID); err != nil {
				return err
			}
		}
		for _, who := range []string{p.MenteeID, p.MentorID} {
			why, fell := out.Fallback[who]
			switch {
			case fell || hadFile[who]:
				invite := sequenceItem(kind, who, p.ID, item.Sequence, now)
				invite.Note = why
				c.Outbox = append(c.Outbox, invite)
			case first && out.EventID != "" && kind == OutboxInvite && pr.Calendar != nil:
				booked := sequenceItem(OutboxCalendarBooked, who, p.ID, 0, now)
				booked.Key = fmt.Sprintf("pair/%d/calendar/booked/%s", p.ID, who)
				booked.Note = pr.Calendar.Name()
				c.Outbox = append(c.Outbox, booked)
			}
		}
		err = pr.apply(ctx, c)
		if ErrorCode(err) == ECONFLICT && attempt < maxAnswerAttempts {
			continue
		}
		if err != nil {
			return fmt.Errorf("record the calendar write: %w", err)
		}
		break
	}
	switch {
	case out.EventID == "" && len(out.Fallback) == 0:
		return pr.Dropped(ctx, item, "nothing in the calendar to write")
	case out.EventID == "":
		return pr.Dropped(ctx, item, "fell back to .ics files")
	}
	return pr.Sent(ctx, item, Receipt{})
}

// hadFiles tells who of a pair was sent its sessions as an .ics file.
func (pr *Programme) hadFiles(ctx context.Context, pairID int64) (map[string]bool, error) {
	items, err := pr.Store.OutboxOf(ctx, pairID)
	if err != nil {
		return nil, err
	}
	had := map[string]bool{}
	for _, item := range items {
		if item.Kind == OutboxInvite && item.State == OutboxSent {
			had[item.To] = true
		}
	}
	return had, nil
}

// LastAttempt reports whether a failure of this attempt at the message
// would be its last, so a calendar write can fall back instead.
func (pr *Programme) LastAttempt(item OutboxItem) bool { return item.Attempts+1 >= maxDeliveryAttempts }

// declineLook is how far ahead declines are looked for: the sessions
// whose reminders are planned, so a no is heard while there is time to
// find another time.
func (pr *Programme) declineLook() time.Duration { return pr.leads()[0] + planMargin }

// CheckDeclines reads, for each pair whose series is in the senior's
// calendar, who declined an upcoming session there since the last look.
// Each new no is recorded on the session, the partner is told and both
// are offered another time. Socket Mode has no public address for the
// services' notifications, so the scheduler's tick asks.
func (pr *Programme) CheckDeclines(ctx context.Context) error {
	if pr.Calendar == nil || pr.Directory == nil {
		return nil
	}
	pairs, err := pr.Store.PairsIn(ctx, PairActive)
	if err != nil {
		return err
	}
	now := pr.now()
	var errs []error
	for _, p := range pairs {
		if p.CalendarEvent == "" || p.Slot == nil {
			continue
		}
		if err := pr.checkDeclines(ctx, p, now); err != nil {
			errs = append(errs, fmt.Errorf("pair %d: %w", p.ID, err))
		}
	}
	return errors.Join(errs...)
}

func (pr *Programme) checkDeclines(ctx context.Context, p Pair, now time.Time) error {
	sessions, err := pr.Store.SessionsOf(ctx, p.ID)
	if err != nil {
		return err
	}
	var ahead []Session
	for _, s := range sessions {
		if s.State == SessionScheduled && s.DeclinedBy == "" && s.StartsAt.After(now) && !s.StartsAt.After(now.Add(pr.declineLook())) {
			ahead = append(ahead, s)
		}
	}
	if len(ahead) == 0 {
		return nil
	}
	people := map[string]string{} // email → participant
	series := CalendarSeries{PairID: p.ID, EventID: p.CalendarEvent, Slot: *p.Slot, Sessions: sessions}
	for _, who := range []struct {
		id      string
		contact *Contact
	}{{p.MenteeID, &series.Organizer}, {p.MentorID, &series.Attendee}} {
		if Erased(who.id) {
			return nil
		}
		c, err := pr.Directory.Contact(ctx, who.id)
		if err != nil {
			return err
		}
		*who.contact = c
		people[strings.ToLower(c.Email)] = who.id
	}
	declines, err := pr.Calendar.Declines(ctx, series, now, now.Add(pr.declineLook()+24*time.Hour))
	if err != nil {
		return err
	}
	var c Change
	for _, d := range declines {
		who, known := people[strings.ToLower(d.Email)]
		i := slices.IndexFunc(ahead, func(s Session) bool { return s.Occurrence.Equal(d.Occurrence) })
		if !known || d.Email == "" || i < 0 || ahead[i].DeclinedBy != "" {
			continue
		}
		s := &ahead[i]
		s.DeclinedBy = who
		c.Sessions = append(c.Sessions, *s)
		for _, to := range []string{p.Partner(who), who} {
			c.Outbox = append(c.Outbox, sessionItem(OutboxSessionDeclined, to, *s, 0, now))
		}
	}
	if len(c.Sessions) == 0 {
		return nil
	}
	// A session changed meanwhile (moved, skipped) is left to the next look.
	if err := pr.apply(ctx, c); err != nil && ErrorCode(err) != ECONFLICT {
		return err
	}
	return nil
}
