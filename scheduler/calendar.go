package scheduler

import (
	"cmp"
	"context"
	"time"

	"github.com/mentorbot/mentorbot"
)

// probeSpan is the free/busy window that tells whether the calendar
// service knows a person before the series is written with them in it.
const probeSpan = 15 * time.Minute

// writeCalendar writes a pair's series into the senior's calendar, the
// mentor invited, and records it. A person the service does not know, or
// a refusal, sends the .ics instead with a line saying why; throttling
// and outages are returned, to be tried again on the outbox's schedule,
// and fall back once the last try fails.
func (o *Outbox) writeCalendar(ctx context.Context, d mentorbot.Delivery) error {
	cal := o.programme.Calendar
	p := d.Pair
	mentee, mentor := p.MenteeID, p.MentorID
	if cal == nil {
		return o.programme.CalendarWritten(ctx, d.Item, mentorbot.CalendarOutcome{Fallback: map[string]string{
			mentee: "the bot no longer writes to calendars", mentor: "the bot no longer writes to calendars",
		}})
	}
	unreachable := "your partner's calendar isn't one " + cal.Name() + " lets the bot reach"
	series := mentorbot.CalendarSeries{PairID: p.ID, EventID: p.CalendarEvent, Slot: *p.Slot, Sessions: d.Sessions, Cancelled: p.State != mentorbot.PairActive}
	fallback := map[string]string{}
	for _, who := range []struct {
		id      string
		contact *mentorbot.Contact
	}{{mentee, &series.Organizer}, {mentor, &series.Attendee}} {
		if mentorbot.Erased(who.id) {
			continue
		}
		c, err := o.deliverer.Contact(ctx, who.id)
		if err != nil {
			return err
		}
		*who.contact = c
		if c.Email == "" {
			fallback[who.id] = "Slack has no email address for you"
		}
	}
	everyone := func(why string) map[string]string {
		return map[string]string{mentee: why, mentor: unreachable}
	}
	switch {
	case series.Organizer.Email == "":
		fallback = everyone(cmp.Or(fallback[mentee], "the senior's calendar is gone"))
	case !series.Cancelled:
		emails := []string{series.Organizer.Email}
		if series.Attendee.Email != "" {
			emails = append(emails, series.Attendee.Email)
		}
		now := o.programme.Clock.Now()
		busy, err := cal.Busy(ctx, emails, now, now.Add(probeSpan))
		if r := mentorbot.Refusal(err); r != nil {
			fallback = everyone(r.Reason)
			break
		} else if err != nil {
			return o.lastTry(ctx, d, err)
		}
		if r := busy[series.Organizer.Email].Refused; r != nil {
			fallback = everyone(r.Reason)
			break
		}
		if r := busy[series.Attendee.Email].Refused; r != nil && series.Attendee.Email != "" {
			fallback[mentor] = r.Reason
		}
	}
	if _, off := fallback[mentor]; off {
		series.Attendee = mentorbot.Contact{}
	}
	out := mentorbot.CalendarOutcome{Fallback: fallback}
	if _, off := fallback[mentee]; !off {
		id, err := cal.WriteSeries(ctx, series)
		if r := mentorbot.Refusal(err); r != nil {
			out.Fallback = everyone(r.Reason)
		} else if err != nil {
			return o.lastTry(ctx, d, err)
		} else {
			out.EventID = id
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return o.programme.CalendarWritten(context.WithoutCancel(ctx), d.Item, out)
}

// lastTry returns a failure worth trying again, unless this was the last
// try: then both people get the .ics, saying the calendar did not answer.
func (o *Outbox) lastTry(ctx context.Context, d mentorbot.Delivery, err error) error {
	if ctx.Err() != nil || !o.programme.LastAttempt(d.Item) {
		return err
	}
	o.log.Warn("outbox: the calendar service kept failing; sending .ics files instead", "outbox", d.Item.Key, "err", err)
	why := o.programme.Calendar.Name() + " didn't answer"
	return o.programme.CalendarWritten(ctx, d.Item, mentorbot.CalendarOutcome{Fallback: map[string]string{d.Pair.MenteeID: why, d.Pair.MentorID: why}})
}
