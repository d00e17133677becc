package scheduler

import (
	"context"
	"hash/maphash"
	"log/slog"
	"sync"
	"time"

	"github.com/mentorbot/mentorbot"
)

// OutboxPage is how many due messages one claim leases: few enough that
// the lanes send them well within the lease, and that other replicas get
// the rest of a burst.
const OutboxPage = 100

// laneBuffer lets the reader run ahead of the senders a little.
const laneBuffer = 16

// Outbox sends what the programme owes people, from the durable outbox
// that every replica shares: it claims due messages under its owner's
// name, and other replicas leave them, and their readers, to it until its
// lease runs out. Messages to one person go through one lane, in order;
// lanes run side by side so one slow conversation never holds up the
// rest. A message is marked sent right after Slack takes it, so a crash
// repeats at most the messages that were in flight.
type Outbox struct {
	programme *mentorbot.Programme
	deliverer mentorbot.Deliverer
	owner     string // the replica's name on its leases
	log       *slog.Logger
	lanes     int
	seed      maphash.Seed

	wake chan struct{}
	mu   sync.Mutex // one pass at a time, so no message is sent twice by two passes
	// unrecorded holds messages Slack took but the store could not mark
	// sent (the database was locked, say): each pass records them first and
	// never sends them again, and claims them again, so no other replica
	// sends them while this one runs. Guarded by mu.
	unrecorded map[int64]sentItem
}

// sentItem is a message Slack took, and where it landed.
type sentItem struct {
	item    mentorbot.OutboxItem
	receipt mentorbot.Receipt
}

// pass gathers what one Drain's lanes did.
type pass struct {
	mu         sync.Mutex
	report     DrainReport
	unrecorded []sentItem
}

// NewOutbox prepares an outbox sender for the replica named owner, with
// the given number of lanes.
func NewOutbox(programme *mentorbot.Programme, deliverer mentorbot.Deliverer, owner string, lanes int, log *slog.Logger) *Outbox {
	return &Outbox{programme: programme, deliverer: deliverer, owner: owner, log: log, lanes: max(lanes, 1), seed: maphash.MakeSeed(),
		wake: make(chan struct{}, 1), unrecorded: map[int64]sentItem{}}
}

// Wake asks for a pass soon; it never blocks.
func (o *Outbox) Wake() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Run sends due messages whenever woken, until ctx ends. The scheduler's
// tick wakes it too, for messages that came due with time. As it ends it
// lets go of what it claimed and did not send, so another replica, or
// this one restarted, sends it at once.
func (o *Outbox) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			o.release(context.WithoutCancel(ctx))
			return
		case <-o.wake:
			o.Drain(ctx)
		}
	}
}

// releaseTimeout bounds the release at shutdown: a lease that could not be
// let go of runs out by itself.
const releaseTimeout = 5 * time.Second

// release ends this replica's leases, once no pass runs.
func (o *Outbox) release(ctx context.Context) {
	o.mu.Lock()
	defer o.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, releaseTimeout)
	defer cancel()
	n, err := o.programme.ReleaseOutbox(ctx, o.owner)
	if err != nil {
		o.log.Warn("shutdown: could not let go of claimed messages; other replicas send them once the lease runs out", "err", err)
		return
	}
	if n > 0 {
		o.log.Info("shutdown: let go of claimed messages not yet sent", "count", n)
	}
}

// DrainReport counts what one pass did.
type DrainReport struct {
	Sent, Dropped, Retrying, Failed int
}

// Drain sends every message due now that no other replica holds, and
// returns when each is sent, dropped or put off after a failure. Messages
// it claimed and did not finish before ctx ended stay leased to it until
// the lease runs out.
func (o *Outbox) Drain(ctx context.Context) DrainReport {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.recordUnrecorded(ctx)

	var (
		done pass
		wg   sync.WaitGroup
	)
	lanes := make([]chan mentorbot.OutboxItem, o.lanes)
	for i := range lanes {
		lanes[i] = make(chan mentorbot.OutboxItem, laneBuffer)
		wg.Go(func() {
			for item := range lanes[i] {
				if _, sent := o.unrecorded[item.ID]; sent {
					continue
				}
				outcome := o.send(ctx, item)
				done.mu.Lock()
				outcome(&done)
				done.mu.Unlock()
			}
		})
	}

	// The cursor keeps a pass from claiming again what it claimed; the
	// next pass starts afresh, and claims again what this one leased and
	// could not record.
	var cursor mentorbot.OutboxCursor
read:
	for ctx.Err() == nil {
		items, err := o.programme.ClaimOutbox(ctx, o.owner, cursor, OutboxPage)
		if err != nil {
			if ctx.Err() == nil {
				o.log.Error("outbox: could not claim due messages", "err", err)
			}
			break
		}
		for _, item := range items {
			select {
			case lanes[maphash.String(o.seed, item.To)%uint64(len(lanes))] <- item:
			case <-ctx.Done():
				break read
			}
		}
		if len(items) < OutboxPage {
			break
		}
		last := items[len(items)-1]
		cursor = mentorbot.OutboxCursor{DueAt: last.DueAt, ID: last.ID}
	}
	for _, lane := range lanes {
		close(lane)
	}
	wg.Wait()
	for _, sent := range done.unrecorded {
		o.unrecorded[sent.item.ID] = sent
	}
	return done.report
}

// DrainOutbox makes one outbox pass now, as the end of a tick does, and
// says what it did; it waits for a pass already running to end first. A
// pass that finds nothing to send tells a caller that the outbox has
// caught up with every change made so far.
func (s *Scheduler) DrainOutbox(ctx context.Context) DrainReport { return s.outbox.Drain(ctx) }

// recordUnrecorded marks sent what Slack took in earlier passes but the
// store could not record then.
func (o *Outbox) recordUnrecorded(ctx context.Context) {
	for id, sent := range o.unrecorded {
		if err := o.programme.Sent(ctx, sent.item, sent.receipt); err != nil && !noLongerOwed(err) {
			o.log.Error("outbox: still could not record a sent message; it will not be sent again", "outbox", sent.item.Key, "err", err)
			continue
		}
		delete(o.unrecorded, id)
	}
}

// send works out one message, sends it and records what became of it.
func (o *Outbox) send(ctx context.Context, item mentorbot.OutboxItem) func(*pass) {
	log := o.log.With("outbox", item.Key)
	d, drop, err := o.programme.Resolve(ctx, item)
	if err == nil && drop != "" {
		if err := o.programme.Dropped(ctx, item, drop); err != nil && !noLongerOwed(err) {
			log.Error("outbox: could not record a dropped message", "err", err)
		}
		log.Debug("outbox: dropped", "why", drop)
		return func(p *pass) { p.report.Dropped++ }
	}
	if err == nil && item.Kind.WritesCalendar() {
		err = o.writeCalendar(ctx, d)
		if err == nil || noLongerOwed(err) {
			return func(p *pass) { p.report.Sent++ }
		}
	} else if err == nil && (item.Kind == mentorbot.OutboxInvite || item.Kind == mentorbot.OutboxInviteCancel) {
		d.Calendar, err = o.calendar(ctx, d)
	}
	if err == nil && (item.Kind == mentorbot.OutboxTeachInCalendar || item.Kind == mentorbot.OutboxTeachInCalendarCancel) {
		d.Calendar, err = o.teachInCalendar(ctx, d)
	}
	var receipt mentorbot.Receipt
	if err == nil && !item.Kind.WritesCalendar() {
		receipt, err = o.deliverer.Deliver(ctx, d)
	}
	if err != nil {
		if ctx.Err() != nil {
			// Shutting down: the message stays pending for the next start.
			return func(*pass) {}
		}
		final, rerr := o.programme.Failed(ctx, item, err)
		switch {
		case noLongerOwed(rerr):
			log.Debug("outbox: dropped while it was being sent", "err", err)
			return func(p *pass) { p.report.Dropped++ }
		case rerr != nil:
			log.Error("outbox: could not record a failed attempt", "err", rerr)
		}
		if final {
			log.Error("outbox: gave up on a message", "to", item.To, "kind", item.Kind, "attempts", item.Attempts+1, "err", err)
			return func(p *pass) { p.report.Failed++ }
		}
		log.Warn("outbox: sending failed; will try again", "to", item.To, "kind", item.Kind, "err", err)
		return func(p *pass) { p.report.Retrying++ }
	}
	// Recorded even when a shutdown began meanwhile: Slack has it.
	if err := o.programme.Sent(context.WithoutCancel(ctx), item, receipt); err != nil && !noLongerOwed(err) {
		// Slack has it; only the record is missing. The next pass records
		// it; only a restart before then sends it again.
		log.Error("outbox: sent, but could not record it yet", "err", err)
		return func(p *pass) {
			p.report.Sent++
			p.unrecorded = append(p.unrecorded, sentItem{item, receipt})
		}
	}
	return func(p *pass) { p.report.Sent++ }
}

// noLongerOwed reports a message that stopped being this replica's while
// it was sent: its reader erased their data, and what became of it stays
// as the erasure left it, or its lease ran out and another replica
// claimed it.
func noLongerOwed(err error) bool { return mentorbot.ErrorCode(err) == mentorbot.ENOTFOUND }

// calendar renders the pair's invite with both people's contacts. A
// person who erased their data has none: chat no longer knows them by
// their token, and the cancellation their partner is owed still goes.
func (o *Outbox) calendar(ctx context.Context, d mentorbot.Delivery) ([]byte, error) {
	people, err := o.attendees(ctx, d.Pair.MenteeID, d.Pair.MentorID)
	if err != nil {
		return nil, err
	}
	return CalendarFile(Invite{
		Pair: d.Pair, Sessions: d.Sessions, Mentee: people[0], Mentor: people[1],
		Cancel: d.Item.Kind == mentorbot.OutboxInviteCancel, Stamp: o.programme.Clock.Now(),
	})
}

// attendees are the people on an invite with their names and emails from
// chat. One who erased their data is only their token: chat no longer
// knows them by it.
func (o *Outbox) attendees(ctx context.Context, ids ...string) ([]Attendee, error) {
	people := make([]Attendee, len(ids))
	for i, id := range ids {
		if mentorbot.Erased(id) {
			people[i] = Attendee{ID: id}
			continue
		}
		c, err := o.deliverer.Contact(ctx, id)
		if err != nil {
			return nil, err
		}
		people[i] = Attendee{ID: id, Name: c.Name, Email: c.Email}
	}
	return people, nil
}
