package mentorbot

import (
	"context"
	"fmt"
)

// resolveTeachIn works out a teach-in message as things stand when it
// goes: an invitation to a teach-in since cancelled, full of the reader
// or begun is dropped, and so is a reminder or pulse for a time it no
// longer has, or for someone who gave up their place.
func (pr *Programme) resolveTeachIn(ctx context.Context, d Delivery) (Delivery, string, error) {
	var err error
	item := d.Item
	if d.Reader, err = pr.Store.Participant(ctx, item.To); ErrorCode(err) == ENOTFOUND {
		return d, readerErased, nil
	} else if err != nil {
		return d, "", err
	}
	t, r, err := pr.loadTeachIn(ctx, item.TeachInID)
	if err != nil {
		return d, "", fmt.Errorf("resolve %s: %w", item.Key, err)
	}
	d.TeachIn = viewOf(t, r, item.To)
	now := pr.now()
	hosting := t.HostID == item.To
	taken := hosting || d.TeachIn.Place != nil && d.TeachIn.Place.State == PlaceTaken
	switch item.Kind {
	case OutboxTeachInInvitation:
		switch {
		case !t.Upcoming(now):
			return d, "the teach-in is off or has begun", nil
		case d.TeachIn.Place != nil:
			return d, "the reader signed up already", nil
		}
	case OutboxTeachInSignedUp:
		if d.TeachIn.Place == nil {
			return d, "the reader gave it up since", nil
		}
	case OutboxTeachInMovedUp:
		if !taken {
			return d, "the reader no longer has the place", nil
		}
	case OutboxTeachInLeft:
		if d.TeachIn.Place != nil {
			return d, "the reader signed up again since", nil
		}
	case OutboxTeachInCalendar:
		switch {
		case item.Sequence < t.CalendarSequence:
			return d, "a later calendar update replaces it", nil
		case t.State != TeachInOpen || !taken:
			return d, "the reader is no longer going", nil
		}
	case OutboxTeachInCalendarCancel:
		if t.State == TeachInOpen && taken {
			return d, "the reader is going again", nil
		}
	case OutboxTeachInReminder, OutboxTeachInPulse, OutboxTeachInMoved:
		switch {
		case item.Revision != t.Revision:
			return d, "the teach-in moved since", nil
		case t.State != TeachInOpen:
			return d, "the teach-in was cancelled", nil
		case item.Kind == OutboxTeachInMoved && d.TeachIn.Place == nil:
			return d, "the reader gave it up since", nil
		case item.Kind != OutboxTeachInMoved && !taken:
			return d, "the reader no longer has a place", nil
		case item.Kind == OutboxTeachInReminder && !t.StartsAt.After(now):
			return d, "the teach-in has begun", nil
		case item.Kind == OutboxTeachInReminder && d.Reader.State == StatePaused:
			return d, "the reader is paused", nil
		case item.Kind == OutboxTeachInPulse && d.TeachIn.Place != nil && d.TeachIn.Place.Answered():
			return d, "answered already", nil
		}
	}
	return d, "", nil
}
