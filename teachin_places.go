package mentorbot

import (
	"context"
	"slices"
	"time"
)

// SignUp gives the person a place at the teach-in, or, when it is full,
// a spot on its waiting list. Signing up again changes nothing.
func (pr *Programme) SignUp(ctx context.Context, id string, teachInID int64) (TeachInView, error) {
	p, err := pr.joined(ctx, id)
	if err != nil {
		return TeachInView{}, err
	}
	if err := inTeachIns(p); err != nil {
		return TeachInView{}, err
	}
	return pr.changingTeachIn(ctx, id, teachInID, func(t *TeachIn, r Roster, now time.Time) (Change, error) {
		switch {
		case t.HostID == id:
			return Change{}, Errorf(ECONFLICT, "You're hosting this teach-in, so your place is kept.")
		case t.State == TeachInCancelled:
			return Change{}, Errorf(ECONFLICT, "That teach-in was cancelled.")
		case !t.StartsAt.After(now):
			return Change{}, Errorf(ECONFLICT, "That teach-in has begun, so sign-ups are closed.")
		}
		if place, ok := r.Of(id); ok && place.Holds() {
			return Change{}, nil
		}
		place := TeachInPlace{TeachInID: t.ID, ParticipantID: id, State: PlaceWaiting, QueuedAt: now}
		c := Change{TeachIns: []TeachIn{*t}}
		if len(r.In(PlaceTaken)) < t.Places {
			place.State = PlaceTaken
			c.Outbox = pr.attending(*t, id, now)
		}
		c.TeachInPlaces = []TeachInPlace{place}
		c.Outbox = append(c.Outbox, teachInItem(OutboxTeachInSignedUp, id, *t, "", now))
		return c, nil
	})
}

// LeaveTeachIn gives up the person's place, or their spot on the waiting
// list. A place given up goes to the first person waiting, who is told.
func (pr *Programme) LeaveTeachIn(ctx context.Context, id string, teachInID int64) (TeachInView, error) {
	if _, err := pr.joined(ctx, id); err != nil {
		return TeachInView{}, err
	}
	return pr.changingTeachIn(ctx, id, teachInID, func(t *TeachIn, r Roster, now time.Time) (Change, error) {
		place, ok := r.Of(id)
		switch {
		case !ok || !place.Holds():
			return Change{}, Errorf(ECONFLICT, "You're not signed up for that teach-in.")
		case t.State == TeachInCancelled:
			return Change{}, Errorf(ECONFLICT, "That teach-in was cancelled, so there's nothing to give up.")
		case !t.StartsAt.After(now):
			return Change{}, Errorf(ECONFLICT, "That teach-in has begun.")
		}
		c := Change{TeachIns: []TeachIn{*t}}
		had := place.State
		place.State = PlaceCancelled
		c.TeachInPlaces = append(c.TeachInPlaces, place)
		c.Outbox = append(c.Outbox, teachInItem(OutboxTeachInLeft, id, *t, "", now))
		if had == PlaceTaken {
			c.Outbox = append(c.Outbox, teachInItem(OutboxTeachInCalendarCancel, id, *t, "", now))
			if waiting := r.In(PlaceWaiting); len(waiting) > 0 {
				next := waiting[0]
				next.State = PlaceTaken
				c.TeachInPlaces = append(c.TeachInPlaces, next)
				c.Outbox = append(c.Outbox, teachInItem(OutboxTeachInMovedUp, next.ParticipantID, *t, "", now))
				c.Outbox = append(c.Outbox, pr.attending(*t, next.ParticipantID, now)...)
			}
		}
		return c, nil
	})
}

// AnswerTeachInPulse records one answer of the person's private pulse
// about a teach-in they had a place at: how useful it was (1–5), or
// whether they would recommend it. Answers may change.
func (pr *Programme) AnswerTeachInPulse(ctx context.Context, id string, teachInID int64, useful int, recommend Recommend) (TeachInView, error) {
	if useful != 0 && !slices.Contains(PulseScores, useful) || recommend != RecommendUnanswered && !slices.Contains(Recommends, recommend) {
		return TeachInView{}, Errorf(EINVALID, "That answer isn't one of the choices.")
	}
	if _, err := pr.joined(ctx, id); err != nil {
		return TeachInView{}, err
	}
	return pr.changingTeachIn(ctx, id, teachInID, func(t *TeachIn, r Roster, now time.Time) (Change, error) {
		place, ok := r.Of(id)
		switch {
		case !ok || place.State != PlaceTaken:
			return Change{}, Errorf(EFORBIDDEN, "Only the people who had a place at that teach-in are asked about it.")
		case t.State == TeachInCancelled:
			return Change{}, Errorf(ECONFLICT, "That teach-in was cancelled, so there's nothing to answer.")
		case t.StartsAt.After(now):
			return Change{}, Errorf(ECONFLICT, "That teach-in hasn't happened yet. You'll be asked after it.")
		}
		if useful != 0 {
			place.Useful = useful
		}
		if recommend != RecommendUnanswered {
			place.Recommend = recommend
		}
		place.AnsweredAt = now
		return Change{TeachIns: []TeachIn{*t}, TeachInPlaces: []TeachInPlace{place}}, nil
	})
}

// TeachInCounts is how a teach-in stands for HR: how many, never who.
type TeachInCounts struct {
	TeachIn TeachIn
	Taken   int
	Waiting int
}

// teachInCounts are the upcoming teach-ins as HR sees them.
func (pr *Programme) teachInCounts(ctx context.Context) ([]TeachInCounts, error) {
	views, err := pr.upcoming(ctx, "")
	if err != nil {
		return nil, err
	}
	out := make([]TeachInCounts, len(views))
	for i, v := range views {
		out[i] = TeachInCounts{TeachIn: v.TeachIn, Taken: v.Taken, Waiting: v.Waiting}
	}
	return out, nil
}
