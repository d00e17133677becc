package mentorbot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// CheckDelay is how long after a session ends both are asked whether it
// happened: time to get back to their desks, while it is fresh.
const CheckDelay = time.Hour

// planMargin is how far past the longest lead planning looks, so a tick
// that runs late still finds the reminders it owes.
const planMargin = time.Hour

// planBatch bounds how many sessions one planning transaction writes.
const planBatch = 1000

// maxPlannedPerPair bounds the sessions planned for one pair at once, so a
// bot that was down for months catches up without a flood.
const maxPlannedPerPair = 26

// MaxSkipReasonChars bounds the private note that goes with a skip.
const MaxSkipReasonChars = 300

// Names of the session forms' fields, used as keys of FieldErrors.
const (
	FieldMoveDate   = "move_date"
	FieldMoveTime   = "move_time"
	FieldSkipReason = "skip_reason"
)

// leads are the reminder lead times, longest first.
func (pr *Programme) leads() []time.Duration {
	leads := slices.Clone(pr.ReminderLeads)
	if len(leads) == 0 {
		leads = slices.Clone(DefaultReminderLeads)
	}
	slices.SortFunc(leads, func(a, b time.Duration) int { return int(b - a) })
	return leads
}

// plan adds to c the pair's sessions starting at or after after that are
// close enough to need a reminder, each with its reminders and the check
// afterwards.
func (pr *Programme) plan(p Pair, after, now time.Time, c *Change) {
	horizon := now.Add(pr.leads()[0] + planMargin)
	n, start, ok := p.Slot.Next(after)
	for planned := 0; ok && !start.After(horizon) && planned < maxPlannedPerPair; planned++ {
		s := Session{PairID: p.ID, Occurrence: start, StartsAt: start, EndsAt: start.Add(p.Slot.Length), State: SessionScheduled}
		c.Sessions = append(c.Sessions, s)
		c.Outbox = append(c.Outbox, pr.sessionItems(s, p, time.Time{})...)
		n++
		start, ok = p.Slot.Session(n)
	}
}

// sessionItems owes both people a session's reminders and the check after
// it. Reminders due before notBefore are left out: nobody needs reminding
// of a time they arranged a moment ago.
func (pr *Programme) sessionItems(s Session, p Pair, notBefore time.Time) []OutboxItem {
	var items []OutboxItem
	for _, who := range []string{p.MenteeID, p.MentorID} {
		for _, lead := range pr.leads() {
			if due := s.StartsAt.Add(-lead); !due.Before(notBefore) {
				items = append(items, sessionItem(OutboxNudge, who, s, lead, due))
			}
		}
		items = append(items, sessionItem(OutboxCheck, who, s, 0, s.EndsAt.Add(CheckDelay)))
	}
	return items
}

// PlanSessions plans, for every pair with a slot, the sessions coming close
// enough to remind, carrying on after the last one planned. After downtime
// it plans the sessions missed too: their reminders are dropped when due,
// their checks still go.
func (pr *Programme) PlanSessions(ctx context.Context) error {
	pairs, err := pr.Store.PairsIn(ctx, PairActive)
	if err != nil {
		return err
	}
	last, err := pr.Store.LastOccurrences(ctx)
	if err != nil {
		return err
	}
	now := pr.now()
	var c Change
	for _, p := range pairs {
		if p.Slot == nil {
			continue
		}
		var after time.Time
		if t, ok := last[p.ID]; ok {
			after = t.Add(time.Second)
		}
		pr.plan(p, after, now, &c)
		if len(c.Sessions) >= planBatch {
			if err := pr.apply(ctx, c); err != nil {
				return fmt.Errorf("plan sessions: %w", err)
			}
			c = Change{}
		}
	}
	if len(c.Sessions) == 0 {
		return nil
	}
	if err := pr.apply(ctx, c); err != nil {
		return fmt.Errorf("plan sessions: %w", err)
	}
	return nil
}

// SessionView is a session with its pair, for the person acting on it.
type SessionView struct {
	Pair    Pair
	Session Session
}

// Session returns a session of the person's pair.
func (pr *Programme) Session(ctx context.Context, id string, pairID int64, occurrence time.Time) (SessionView, error) {
	p, err := pr.pairFor(ctx, id, pairID)
	if err != nil {
		return SessionView{}, err
	}
	s, err := pr.Store.Session(ctx, pairID, occurrence)
	if ErrorCode(err) == ENOTFOUND {
		return SessionView{}, Errorf(ENOTFOUND, "That session isn't in your pair's calendar any more.")
	}
	return SessionView{Pair: p, Session: s}, err
}

// changingSession loads a session the person may change, lets decide work
// out the change, and saves it; when the session or pair was saved in
// between, as when both answer at once, it starts again from what was saved.
func (pr *Programme) changingSession(ctx context.Context, id string, pairID int64, occurrence time.Time, decide func(v *SessionView) (Change, error)) (SessionView, error) {
	for attempt := 1; ; attempt++ {
		v, err := pr.Session(ctx, id, pairID, occurrence)
		if err != nil {
			return v, err
		}
		if v.Pair.State != PairActive {
			return v, Errorf(ECONFLICT, "Your pair has ended, so its sessions are off.")
		}
		c, err := decide(&v)
		if err != nil || len(c.Sessions) == 0 {
			return v, err
		}
		err = pr.apply(ctx, c)
		if ErrorCode(err) == ECONFLICT && attempt < maxAnswerAttempts {
			continue
		}
		if err != nil {
			return v, fmt.Errorf("save session: %w", err)
		}
		v.Session = c.Sessions[0]
		return v, nil
	}
}

// upcoming refuses a change to a session that is off or over.
func upcoming(s Session, now time.Time) error {
	switch {
	case s.State == SessionSkipped:
		return Errorf(ECONFLICT, "That session was called off.")
	case !s.EndsAt.After(now):
		return Errorf(ECONFLICT, "That session is over. You'll be asked whether it happened.")
	}
	return nil
}

// Coming records that the person will be at the session.
func (pr *Programme) Coming(ctx context.Context, id string, pairID int64, occurrence time.Time) (SessionView, error) {
	return pr.changingSession(ctx, id, pairID, occurrence, func(v *SessionView) (Change, error) {
		if err := upcoming(v.Session, pr.now()); err != nil {
			return Change{}, err
		}
		if v.Session.ComingOf(id, v.Pair) {
			return Change{}, nil
		}
		if id == v.Pair.MentorID {
			v.Session.MentorComing = true
		} else {
			v.Session.MenteeComing = true
		}
		return Change{Sessions: []Session{v.Session}}, nil
	})
}

// MoveForm is the reschedule form as a person filled it in: a date and a
// time in their own time zone.
type MoveForm struct {
	Date string // YYYY-MM-DD
	Time string // HH:MM
}

// MoveSession moves one session to another time. The partner is told,
// reminders follow the new time and both calendars are updated.
func (pr *Programme) MoveSession(ctx context.Context, id string, pairID int64, occurrence time.Time, form MoveForm) (SessionView, error) {
	person, err := pr.Store.Participant(ctx, id)
	if err != nil {
		return SessionView{}, err
	}
	return pr.changingSession(ctx, id, pairID, occurrence, func(v *SessionView) (Change, error) {
		now := pr.now()
		s, p := &v.Session, &v.Pair
		if err := upcoming(*s, now); err != nil {
			return Change{}, err
		}
		start, err := form.parse(Zone(person.TimeZone), now, p.Slot, s.StartsAt)
		if err != nil {
			return Change{}, err
		}
		s.StartsAt, s.EndsAt = start, start.Add(s.EndsAt.Sub(s.StartsAt))
		s.Revision++
		s.MovedBy, s.DeclinedBy = id, ""
		s.MentorComing, s.MenteeComing = false, false
		p.CalendarSequence++
		c := Change{Pairs: []Pair{*p}, Sessions: []Session{*s}}
		c.Outbox = append(c.Outbox, sessionItem(OutboxSessionMoved, p.Partner(id), *s, 0, now))
		c.Outbox = append(c.Outbox, pr.sessionItems(*s, *p, now)...)
		c.Outbox = append(c.Outbox, pr.calendarItems(OutboxInvite, *p, now)...)
		return c, nil
	})
}

// parse checks the new time: ahead, within the cycle, and a change.
func (f MoveForm) parse(loc *time.Location, now time.Time, slot *Slot, current time.Time) (time.Time, error) {
	errs := FieldErrors{}
	start, ok := readStart(f.Date, f.Time, loc, now, FieldMoveDate, FieldMoveTime, errs)
	switch {
	case !ok:
	case start.Equal(current):
		errs.Add(FieldMoveTime, "That's when it is already. Pick another time, or close this.")
	case slot != nil && Day(start.In(slot.Location())).After(slot.Until):
		errs.Add(FieldMoveDate, fmt.Sprintf("The cycle ends on %s. Pick a day before then.", FormatDate(slot.Until)))
	}
	return start, errs.Err()
}

// readStart reads a date and a time a person picked in their own zone as
// a moment ahead of now, adding to errs, next to dateField or timeField,
// what is wrong; ok is false when it could not.
func readStart(date, clockText string, loc *time.Location, now time.Time, dateField, timeField string, errs FieldErrors) (start time.Time, ok bool) {
	// A calendar date, read without a zone: where the clocks change at
	// midnight, that day's midnight does not exist and would slip back a day.
	day, dayErr := time.Parse(time.DateOnly, strings.TrimSpace(date))
	if dayErr != nil {
		errs.Add(dateField, "Pick the day.")
	}
	clock, err := parseClock(strings.TrimSpace(clockText))
	badClock := strings.TrimSpace(clockText) == "" || err != nil || clock.minutes() >= 24*60
	if badClock {
		errs.Add(timeField, "Pick the time to start, like 14:00.")
	}
	if dayErr != nil || badClock {
		return time.Time{}, false
	}
	m := clock.minutes()
	local := time.Date(day.Year(), day.Month(), day.Day(), m/60, m%60, 0, 0, loc)
	start = local.UTC()
	localNow := now.In(loc)
	switch {
	case !Day(local).Equal(day) || local.Hour()*60+local.Minute() != m:
		errs.Add(timeField, fmt.Sprintf("The clocks change then where you are, so %s doesn't exist on %s. Pick another time.", formatMinutes(m), FormatDate(day)))
	case !start.After(now):
		errs.Add(dateField, fmt.Sprintf("That's already past: it's %s on %s where you are. Pick a time ahead.", localNow.Format("15:04"), FormatDate(localNow)))
	default:
		return start, true
	}
	return start, false
}

// SkipSession calls one session off. The partner is told it is off, never
// why; both calendars drop it.
func (pr *Programme) SkipSession(ctx context.Context, id string, pairID int64, occurrence time.Time, reason string) (SessionView, error) {
	reason, err := optionalNote(FieldSkipReason, reason, MaxSkipReasonChars)
	if err != nil {
		return SessionView{}, err
	}
	return pr.changingSession(ctx, id, pairID, occurrence, func(v *SessionView) (Change, error) {
		now := pr.now()
		s, p := &v.Session, &v.Pair
		if err := upcoming(*s, now); err != nil {
			return Change{}, err
		}
		s.State, s.SkippedBy, s.SkipReason = SessionSkipped, id, reason
		p.CalendarSequence++
		c := Change{Pairs: []Pair{*p}, Sessions: []Session{*s}}
		c.Outbox = append(c.Outbox, sessionItem(OutboxSessionSkipped, p.Partner(id), *s, 0, now))
		c.Outbox = append(c.Outbox, pr.calendarItems(OutboxInvite, *p, now)...)
		return c, nil
	})
}

// AnswerHeld records the person's answer to "did it happen?". Answers may
// change; the pair's two answers are kept side by side, never merged.
func (pr *Programme) AnswerHeld(ctx context.Context, id string, pairID int64, occurrence time.Time, held Held) (SessionView, error) {
	if !slices.Contains(Helds, held) {
		return SessionView{}, Errorf(EINVALID, "That answer isn't one of the choices.")
	}
	return pr.changingSession(ctx, id, pairID, occurrence, func(v *SessionView) (Change, error) {
		now := pr.now()
		s := &v.Session
		switch {
		case s.State == SessionSkipped:
			return Change{}, Errorf(ECONFLICT, "That session was called off, so there's nothing to answer.")
		case s.StartsAt.After(now):
			return Change{}, Errorf(ECONFLICT, "That session hasn't happened yet. You'll be asked after it.")
		case s.HeldOf(id, v.Pair) == held:
			return Change{}, nil
		}
		if id == v.Pair.MentorID {
			s.MentorHeld, s.MentorHeldAt = held, now
		} else {
			s.MenteeHeld, s.MenteeHeldAt = held, now
		}
		c := Change{Sessions: []Session{*s}}
		if held == HeldYes {
			// Keyed per session and person, so a second "yes" owes nothing more.
			c.Outbox = pulseItems(*s, v.Pair, now)
		}
		return c, nil
	})
}

// NextSession returns the first session of the pair's slot starting after
// t, zero when none is left.
func NextSession(p Pair, t time.Time) time.Time {
	if p.Slot == nil {
		return time.Time{}
	}
	_, start, _ := p.Slot.Next(t.Add(time.Second))
	return start
}
