package mentorbot

import (
	"context"
	"fmt"
	"time"
)

// TeachInDraft is what the offer form needs: its host, with the topics
// they teach, and the cycle it falls in.
type TeachInDraft struct {
	Host  Participant
	Cycle Cycle
}

// host loads the person and the open cycle for hosting a teach-in,
// refusing whoever may not host one.
func (pr *Programme) host(ctx context.Context, id string) (TeachInDraft, error) {
	p, err := pr.joined(ctx, id)
	if err != nil {
		return TeachInDraft{}, err
	}
	if err := CanHost(p); err != nil {
		return TeachInDraft{}, err
	}
	cycle, err := pr.openCycle(ctx)
	if err != nil {
		return TeachInDraft{}, err
	}
	if cycle == nil {
		return TeachInDraft{}, Errorf(ECONFLICT, "No cycle is open, so there's no time to hold a teach-in in yet.")
	}
	return TeachInDraft{Host: p, Cycle: *cycle}, nil
}

// TeachInDraft returns what the person's offer form starts from.
func (pr *Programme) TeachInDraft(ctx context.Context, id string) (TeachInDraft, error) {
	return pr.host(ctx, id)
}

// OfferTeachIn saves a teach-in and invites, once each, the mentees who
// want its topic and are free then; the host gets its calendar invite
// and a reminder.
func (pr *Programme) OfferTeachIn(ctx context.Context, id string, form TeachInForm) (TeachIn, error) {
	draft, err := pr.host(ctx, id)
	if err != nil {
		return TeachIn{}, err
	}
	now := pr.now()
	t, err := form.parse(draft.Host, draft.Cycle, pr.location(), now)
	if err != nil {
		return TeachIn{}, err
	}
	dont, err := pr.Store.DontPairs(ctx, draft.Cycle.ID)
	if err != nil {
		return TeachIn{}, fmt.Errorf("load don't-pair lists: %w", err)
	}
	c := Change{TeachIns: []TeachIn{t}}
	for _, state := range []State{StateApproved, StateTrained, StateMatched, StatePaused} {
		people, err := pr.Store.ParticipantsIn(ctx, state)
		if err != nil {
			return TeachIn{}, fmt.Errorf("load mentees to invite: %w", err)
		}
		for _, p := range people {
			if invitable(p, t, dont) {
				c.Outbox = append(c.Outbox, teachInItem(OutboxTeachInInvitation, p.ID, t, "", now))
			}
		}
	}
	c.Outbox = append(c.Outbox, pr.attending(t, id, now)...)
	for i := range c.Outbox {
		c.Outbox[i].NewTeachIn = 1
	}
	if err := pr.apply(ctx, c); err != nil {
		return TeachIn{}, fmt.Errorf("save teach-in: %w", err)
	}
	return c.TeachIns[0], nil
}

// attending owes a person who will be at the teach-in, its host included,
// the calendar invite, a reminder before it and, unless they host it, the
// pulse afterwards.
func (pr *Programme) attending(t TeachIn, to string, now time.Time) []OutboxItem {
	items := []OutboxItem{teachInItem(OutboxTeachInCalendar, to, t, "", now)}
	leads := pr.leads()
	if due := t.StartsAt.Add(-leads[len(leads)-1]); !due.Before(now) {
		items = append(items, teachInItem(OutboxTeachInReminder, to, t, fmt.Sprintf("r%d", t.Revision), due))
	}
	if to != t.HostID {
		items = append(items, teachInItem(OutboxTeachInPulse, to, t, fmt.Sprintf("r%d", t.Revision), t.EndsAt.Add(CheckDelay)))
	}
	return items
}

// loadTeachIn returns a teach-in and its sign-ups.
func (pr *Programme) loadTeachIn(ctx context.Context, teachInID int64) (TeachIn, Roster, error) {
	t, err := pr.Store.TeachIn(ctx, teachInID)
	if ErrorCode(err) == ENOTFOUND {
		return t, nil, Errorf(ENOTFOUND, "That teach-in doesn't exist any more.")
	}
	if err != nil {
		return t, nil, fmt.Errorf("load teach-in: %w", err)
	}
	r, err := pr.Store.TeachInPlaces(ctx, teachInID)
	if err != nil {
		return t, nil, fmt.Errorf("load sign-ups: %w", err)
	}
	return t, r, nil
}

// TeachIn returns a teach-in as the person sees it: only its host sees
// who signed up.
func (pr *Programme) TeachIn(ctx context.Context, id string, teachInID int64) (TeachInView, error) {
	if _, err := pr.joined(ctx, id); err != nil {
		return TeachInView{}, err
	}
	t, r, err := pr.loadTeachIn(ctx, teachInID)
	if err != nil {
		return TeachInView{}, err
	}
	return viewOf(t, r, id), nil
}

// changingTeachIn loads a teach-in, lets decide work out the change, and
// saves it with the teach-in, whose version guards every sign-up: when
// another change was saved in between, as when two people take the last
// place at once, it starts again from what was saved.
func (pr *Programme) changingTeachIn(ctx context.Context, id string, teachInID int64, decide func(t *TeachIn, r Roster, now time.Time) (Change, error)) (TeachInView, error) {
	for attempt := 1; ; attempt++ {
		t, r, err := pr.loadTeachIn(ctx, teachInID)
		if err != nil {
			return TeachInView{}, err
		}
		now := pr.now()
		c, err := decide(&t, r, now)
		if err != nil || len(c.TeachIns) == 0 {
			return viewOf(t, r, id), err
		}
		err = pr.apply(ctx, c)
		if ErrorCode(err) == ECONFLICT && attempt < maxAnswerAttempts {
			continue
		}
		if err != nil {
			return TeachInView{}, fmt.Errorf("save teach-in: %w", err)
		}
		for _, p := range c.TeachInPlaces {
			r = withPlace(r, p)
		}
		return viewOf(c.TeachIns[0], r, id), nil
	}
}

// withPlace is the roster with the person's place as saved.
func withPlace(r Roster, p TeachInPlace) Roster {
	out := make(Roster, 0, len(r)+1)
	for _, q := range r {
		if q.ParticipantID != p.ParticipantID {
			out = append(out, q)
		}
	}
	return append(out, p)
}

// hosted refuses anyone but the host a change to the teach-in, and any
// change once it is off or has begun.
func hosted(t TeachIn, id string, now time.Time) error {
	switch {
	case t.HostID != id:
		return Errorf(EFORBIDDEN, "Only the teach-in's host can change it.")
	case t.State == TeachInCancelled:
		return Errorf(ECONFLICT, "That teach-in was cancelled.")
	case !t.StartsAt.After(now):
		return Errorf(ECONFLICT, "That teach-in has begun, so it can't change now.")
	}
	return nil
}

// MoveTeachIn moves a teach-in to another time. Everyone signed up or
// waiting is told; calendars and reminders follow the new time.
func (pr *Programme) MoveTeachIn(ctx context.Context, id string, teachInID int64, form TeachInMoveForm) (TeachInView, error) {
	return pr.changingTeachIn(ctx, id, teachInID, func(t *TeachIn, r Roster, now time.Time) (Change, error) {
		if err := hosted(*t, id, now); err != nil {
			return Change{}, err
		}
		cycle, err := pr.Store.Cycle(ctx, t.CycleID)
		if err != nil {
			return Change{}, fmt.Errorf("load the teach-in's cycle: %w", err)
		}
		start, err := form.parse(*t, cycle, pr.location(), now)
		if err != nil {
			return Change{}, err
		}
		t.StartsAt, t.EndsAt = start, start.Add(t.Length())
		t.Revision++
		t.CalendarSequence++
		c := Change{TeachIns: []TeachIn{*t}}
		c.Outbox = append(c.Outbox, pr.attending(*t, t.HostID, now)...)
		for _, p := range r.In(PlaceTaken) {
			c.Outbox = append(c.Outbox, teachInItem(OutboxTeachInMoved, p.ParticipantID, *t, fmt.Sprintf("r%d", t.Revision), now))
			c.Outbox = append(c.Outbox, pr.attending(*t, p.ParticipantID, now)...)
		}
		for _, p := range r.In(PlaceWaiting) {
			c.Outbox = append(c.Outbox, teachInItem(OutboxTeachInMoved, p.ParticipantID, *t, fmt.Sprintf("r%d", t.Revision), now))
		}
		return c, nil
	})
}

// CancelTeachIn calls a teach-in off. Everyone signed up or waiting is
// told, and the calendars drop it.
func (pr *Programme) CancelTeachIn(ctx context.Context, id string, teachInID int64) (TeachInView, error) {
	return pr.changingTeachIn(ctx, id, teachInID, func(t *TeachIn, r Roster, now time.Time) (Change, error) {
		if err := hosted(*t, id, now); err != nil {
			return Change{}, err
		}
		t.State = TeachInCancelled
		t.CalendarSequence++
		c := Change{TeachIns: []TeachIn{*t}}
		c.Outbox = append(c.Outbox,
			teachInItem(OutboxTeachInCancelled, t.HostID, *t, "cancelled", now),
			teachInItem(OutboxTeachInCalendarCancel, t.HostID, *t, "", now))
		for _, p := range r.In(PlaceTaken) {
			c.Outbox = append(c.Outbox,
				teachInItem(OutboxTeachInCancelled, p.ParticipantID, *t, "cancelled", now),
				teachInItem(OutboxTeachInCalendarCancel, p.ParticipantID, *t, "", now))
		}
		for _, p := range r.In(PlaceWaiting) {
			c.Outbox = append(c.Outbox, teachInItem(OutboxTeachInCancelled, p.ParticipantID, *t, "cancelled", now))
		}
		return c, nil
	})
}

// UpcomingTeachIns lists the teach-ins on and not yet begun, soonest
// first, as the person sees each: anyone in the programme may browse them.
func (pr *Programme) UpcomingTeachIns(ctx context.Context, id string) ([]TeachInView, error) {
	p, err := pr.joined(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := inTeachIns(p); err != nil {
		return nil, err
	}
	return pr.upcoming(ctx, id)
}

// upcoming lists the upcoming teach-ins as the viewer sees each.
func (pr *Programme) upcoming(ctx context.Context, viewer string) ([]TeachInView, error) {
	ts, err := pr.Store.TeachInsFrom(ctx, pr.now())
	if err != nil {
		return nil, fmt.Errorf("load teach-ins: %w", err)
	}
	var out []TeachInView
	for _, t := range ts {
		if t.State != TeachInOpen {
			continue
		}
		r, err := pr.Store.TeachInPlaces(ctx, t.ID)
		if err != nil {
			return nil, fmt.Errorf("load sign-ups: %w", err)
		}
		out = append(out, viewOf(t, r, viewer))
	}
	return out, nil
}

// releaseTeachIns, for someone leaving the programme, cancels the
// upcoming teach-ins they host and gives up their places in others, so
// the people waiting move up; everyone concerned is told.
func (pr *Programme) releaseTeachIns(ctx context.Context, id string) error {
	ts, err := pr.Store.TeachInsFrom(ctx, pr.now())
	if err != nil {
		return fmt.Errorf("load teach-ins: %w", err)
	}
	for _, t := range ts {
		if t.State != TeachInOpen {
			continue
		}
		if t.HostID == id {
			if _, err := pr.CancelTeachIn(ctx, id, t.ID); err != nil && ErrorCode(err) != ECONFLICT {
				return err
			}
			continue
		}
		r, err := pr.Store.TeachInPlaces(ctx, t.ID)
		if err != nil {
			return fmt.Errorf("load sign-ups: %w", err)
		}
		if place, ok := Roster(r).Of(id); ok && place.Holds() {
			if _, err := pr.LeaveTeachIn(ctx, id, t.ID); err != nil && ErrorCode(err) != ECONFLICT {
				return err
			}
		}
	}
	return nil
}
