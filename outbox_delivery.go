package mentorbot

import (
	"context"
	"fmt"
	"time"
)

// maxDeliveryAttempts bounds how often a message is tried before it is
// marked failed; each attempt already retries Slack's own hiccups.
const maxDeliveryAttempts = 5

// deliveryBackoff is how long to wait before the next attempt, by attempts
// made: long enough to ride out an outage.
var deliveryBackoff = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour}

// Delivery is an outbox message worked out for sending: everything the
// edge needs to write it for its reader.
type Delivery struct {
	Item   OutboxItem
	Reader Participant
	// Partner is the reader's partner; of a partner who erased their data
	// only the ID is known, their erasure token (see Erased).
	Partner Participant
	Pair    Pair
	Session Session // for session messages
	// Next is when the pair meets after a skipped session; zero when the
	// cycle has no more.
	Next time.Time
	// ReaderGoals and PartnerGoals are a nudge's agenda.
	ReaderGoals, PartnerGoals []Goal
	// Clashes, for the first nudge before a session, are the people of
	// the pair whose calendars now hold something else at its time.
	Clashes []string
	// Sessions and Calendar are for invites: the pair's sessions (moved
	// and skipped ones change the calendar) and the .ics itself, which
	// the scheduler renders.
	Sessions []Session
	Calendar []byte
	// Cycle is what a survey, close-out or report is about.
	Cycle Cycle
	// Pulse is what the reader has answered about the session so far.
	Pulse Pulse
	// Flag is the risk flag an admin is told of.
	Flag RiskFlag
	// Summary is what a cycle report or the scheduled summary says.
	Summary Summary
	// Status is, for a welcome, where its reader stands as it goes.
	Status Status
	// TeachIn is, for a teach-in message, the teach-in as its reader sees
	// it when the message goes.
	TeachIn TeachInView
	// Thanks is the thank-you a message asks about or posts.
	Thanks Thanks
	// Celebrate is the channel thank-yous go to, when a close-out may
	// offer one and a thank-you is about to be posted; "" when off.
	Celebrate string
}

// Contact is how a person appears on a calendar invite.
type Contact struct {
	Name, Email string
}

// Receipt says where a message landed.
type Receipt struct {
	Channel, TS string
}

// Deliverer sends outbox messages: the Slack edge implements it.
type Deliverer interface {
	// Contact returns the person's name and email for a calendar invite.
	Contact(ctx context.Context, id string) (Contact, error)
	// Deliver writes the message for its reader and sends it.
	Deliver(ctx context.Context, d Delivery) (Receipt, error)
}

// Resolve works out what a due outbox message says now, or, as drop, why
// it is no longer worth sending: the pair ended, the session moved, was
// called off or has begun, a later reminder replaces it, someone paused,
// the reader erased their data.
func (pr *Programme) Resolve(ctx context.Context, item OutboxItem) (d Delivery, drop string, err error) {
	now := pr.now()
	d.Item = item
	if item.Kind.AboutTeachIn() {
		return pr.resolveTeachIn(ctx, d)
	}
	if item.Kind.Notice() {
		return pr.resolveNotice(ctx, d)
	}
	if item.Kind.Confirms() {
		return pr.resolveConfirmation(ctx, d)
	}
	switch item.Kind {
	case OutboxCycleReport:
		d.Summary, err = pr.CycleSummary(ctx, item.CycleID)
		return d, "", err
	case OutboxSummary:
		// Drawn when sent rather than when owed: HR reads it as the
		// programme stands when it arrives, dated then, so a summary held
		// up by an outage agrees with one an admin asks for beside it.
		d.Summary, err = pr.CurrentSummary(ctx)
		if ErrorCode(err) == ENOTFOUND {
			return d, "no cycle has run yet", nil
		}
		return d, "", err
	case OutboxRiskFlag:
		return pr.resolveFlag(ctx, d)
	case OutboxSurvey, OutboxCloseOut:
		return pr.resolveSurvey(ctx, d)
	case OutboxThanksAsk, OutboxThanksPost:
		return pr.resolveThanks(ctx, d)
	case OutboxFormButton, OutboxFormQueued, OutboxFormRefused:
		// Sent to someone who may not have joined yet: nothing to look up.
		if now.Sub(item.DueAt) > formMessageLife {
			return d, "the form was asked for too long ago", nil
		}
		return d, "", nil
	}
	if d.Pair, err = pr.Store.Pair(ctx, item.PairID); err != nil {
		return d, "", err
	}
	p := d.Pair
	switch {
	case item.Kind == OutboxPairNudge && (p.State == PairProposed || p.State == PairRequested):
	case item.Kind == OutboxPulse || item.Kind == OutboxPulseFollowUp || item.Kind == OutboxInviteCancel || item.Kind == OutboxCalendarWrite:
		// The last session's pulse still goes once the pair has ended.
	case p.State != PairActive:
		return d, "the pair is no longer meeting", nil
	}
	if d.Reader, err = pr.Store.Participant(ctx, item.To); ErrorCode(err) == ENOTFOUND {
		return d, readerErased, nil
	} else if err != nil {
		return d, "", err
	}
	if d.Partner, err = pr.partnerOf(ctx, &d.Pair, item.To); err != nil {
		return d, "", err
	}
	p = d.Pair

	switch item.Kind {
	case OutboxPairNudge:
		if d.Sessions, err = pr.Store.SessionsOf(ctx, p.ID); err != nil {
			return d, "", err
		}
		return d, "", nil
	case OutboxSlotProposed, OutboxSlotCounter:
		if p.Slot != nil {
			return d, "the pair agreed its time already", nil
		}
		return d, "", nil
	case OutboxCalendarBooked:
		if p.Slot == nil {
			return d, "the pair has no regular time", nil
		}
		return d, "", nil
	case OutboxInvite, OutboxInviteCancel, OutboxCalendarWrite:
		if item.Sequence < p.CalendarSequence {
			return d, "a later calendar update replaces it", nil
		}
		if p.Slot == nil {
			return d, "the pair has no regular time", nil
		}
		d.Sessions, err = pr.Store.SessionsOf(ctx, p.ID)
		return d, "", err
	}

	if d.Session, err = pr.Store.Session(ctx, p.ID, item.Occurrence); err != nil {
		return d, "", err
	}
	s := d.Session
	switch {
	case s.Revision != item.Revision && item.Kind != OutboxSessionSkipped:
		return d, "the session moved since", nil
	case s.State == SessionSkipped && item.Kind != OutboxSessionSkipped:
		return d, "the session was called off", nil
	}
	switch item.Kind {
	case OutboxNudge:
		if drop := pr.stale(d, now); drop != "" {
			return d, drop, nil
		}
		if d.ReaderGoals, err = pr.Store.Goals(ctx, d.Reader.ID, p.CycleID); err != nil {
			return d, "", err
		}
		if d.PartnerGoals, err = pr.Store.Goals(ctx, d.Partner.ID, p.CycleID); err != nil {
			return d, "", err
		}
		// The first reminder is when there is time to move: it defends the
		// session against what the calendars took on since.
		if item.Lead == pr.leads()[0] {
			d.Clashes = pr.clashesWith(ctx, p, s)
		}
		return d, "", nil
	case OutboxCheck:
		if d.Reader.State == StatePaused || d.Partner.State == StatePaused {
			return d, "one of the pair is paused", nil
		}
	case OutboxSessionSkipped:
		d.Next = NextSession(p, s.Occurrence)
	case OutboxPulse, OutboxPulseFollowUp:
		if s.HeldOf(d.Reader.ID, p) == HeldNo {
			return d, "the reader says it didn't happen", nil
		}
		d.Pulse, err = pr.Store.Pulse(ctx, p.ID, s.Occurrence, d.Reader.ID)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			return d, "", nil
		case err != nil:
			return d, "", err
		case d.Pulse.Answered():
			return d, "answered already", nil
		}
	}
	return d, "", nil
}

// resolveNotice works out a message that tells its reader of a change
// someone else made, or the programme made by itself, as things stand
// when it goes: an introduction to a match that was called off meanwhile
// is dropped, and so is word that it can't go ahead, since its reader
// never saw it.
func (pr *Programme) resolveNotice(ctx context.Context, d Delivery) (Delivery, string, error) {
	var err error
	if d.Reader, err = pr.Store.Participant(ctx, d.Item.To); ErrorCode(err) == ENOTFOUND {
		return d, readerErased, nil
	} else if err != nil {
		return d, "", err
	}
	if d.Item.PairID == 0 {
		return d, "", nil
	}
	if d.Pair, err = pr.Store.Pair(ctx, d.Item.PairID); err != nil {
		return d, "", err
	}
	if d.Partner, err = pr.partnerOf(ctx, &d.Pair, d.Reader.ID); err != nil {
		return d, "", err
	}
	p := d.Pair
	switch d.Item.Kind {
	case OutboxProposed, OutboxRequested:
		if p.State != PairProposed && p.State != PairRequested {
			return d, "the match was answered or called off before its introduction went", nil
		}
	case OutboxPairStarted:
		if p.State != PairActive {
			return d, "the pair is no longer meeting", nil
		}
		d.Cycle, err = pr.Store.Cycle(ctx, p.CycleID)
		return d, "", err
	case OutboxPartnerPaused:
		if d.Partner.State != StatePaused {
			return d, "the partner is back already", nil
		}
	case OutboxMatchOff, OutboxAnswerLapsed, OutboxRequestDropped:
		introduced, err := pr.introduced(ctx, p.ID, d.Reader.ID)
		if err != nil {
			return d, "", err
		}
		if !introduced {
			return d, "the reader never saw the match it is about", nil
		}
	}
	return d, "", nil
}

// resolveConfirmation works out a message telling its reader that their
// own change went through. It says how things stand as it goes, which is
// what a welcome held up by an outage should say; later changes send
// confirmations of their own, in order, so none is dropped for them.
func (pr *Programme) resolveConfirmation(ctx context.Context, d Delivery) (Delivery, string, error) {
	var err error
	if d.Item.Kind == OutboxCycleClosed {
		// Admins need not take part themselves.
		d.Cycle, err = pr.Store.Cycle(ctx, d.Item.CycleID)
		return d, "", err
	}
	if d.Reader, err = pr.Store.Participant(ctx, d.Item.To); ErrorCode(err) == ENOTFOUND {
		return d, readerErased, nil
	} else if err != nil {
		return d, "", err
	}
	if d.Item.Kind == OutboxJoined {
		d.Status, err = pr.Status(ctx, d.Item.To)
	}
	return d, "", err
}

// introduced reports whether the reader got the introduction to a pair.
// A pair proposed before introductions went through the outbox has none
// stored, and was introduced then.
func (pr *Programme) introduced(ctx context.Context, pairID int64, reader string) (bool, error) {
	items, err := pr.Store.OutboxOf(ctx, pairID)
	if err != nil {
		return false, err
	}
	owed := false
	for _, item := range items {
		if item.Kind.Introduces() && item.To == reader {
			if item.State == OutboxSent {
				return true, nil
			}
			owed = true
		}
	}
	return !owed, nil
}

// readerErased is why a message to someone who erased their data, read
// from the outbox just before they did, is dropped: no participant is
// left to write it for.
const readerErased = "the reader erased their data"

// partnerOf loads the reader's partner in the pair. A partner who erased
// their data is only their token, and what the reader is still owed (the
// calendar's cancellation, the last pulse, the close-out) goes without
// naming them. A partner erased since the pair was loaded reloads it, so
// the pair carries the token too.
func (pr *Programme) partnerOf(ctx context.Context, pair *Pair, readerID string) (Participant, error) {
	for reloaded := false; ; reloaded = true {
		id := pair.Partner(readerID)
		if Erased(id) {
			return Participant{ID: id}, nil
		}
		partner, err := pr.Store.Participant(ctx, id)
		if ErrorCode(err) != ENOTFOUND || reloaded {
			return partner, err
		}
		if *pair, err = pr.Store.Pair(ctx, pair.ID); err != nil {
			return Participant{}, err
		}
	}
}

// resolveFlag works out an admin's word of a risk flag, dropped once an
// admin acted on it or one of the pair erased their data.
func (pr *Programme) resolveFlag(ctx context.Context, d Delivery) (Delivery, string, error) {
	var err error
	if d.Flag, err = pr.Store.LatestRiskFlag(ctx, d.Item.PairID); err != nil {
		return d, "", err
	}
	if !d.Flag.Open() {
		return d, "an admin acted on it already", nil
	}
	if d.Pair, err = pr.Store.Pair(ctx, d.Item.PairID); err != nil {
		return d, "", err
	}
	if Erased(d.Pair.MentorID) || Erased(d.Pair.MenteeID) {
		return d, "one of the pair erased their data", nil
	}
	d.Sessions, err = pr.Store.SessionsOf(ctx, d.Pair.ID)
	return d, "", err
}

// resolveSurvey works out a survey or close-out for its reader.
func (pr *Programme) resolveSurvey(ctx context.Context, d Delivery) (Delivery, string, error) {
	var err error
	if d.Reader, err = pr.Store.Participant(ctx, d.Item.To); ErrorCode(err) == ENOTFOUND {
		return d, readerErased, nil
	} else if err != nil {
		return d, "", err
	}
	if d.Cycle, err = pr.Store.Cycle(ctx, d.Item.CycleID); err != nil {
		return d, "", err
	}
	if d.Item.PairID != 0 {
		if d.Pair, err = pr.Store.Pair(ctx, d.Item.PairID); err != nil {
			return d, "", err
		}
		if d.Partner, err = pr.partnerOf(ctx, &d.Pair, d.Reader.ID); err != nil {
			return d, "", err
		}
		if d.Sessions, err = pr.Store.SessionsOf(ctx, d.Pair.ID); err != nil {
			return d, "", err
		}
	}
	if d.Item.Kind == OutboxSurvey {
		switch {
		case !d.Cycle.Open():
			return d, "the cycle has closed", nil
		case d.Pair.State != PairActive:
			return d, "the pair is no longer meeting", nil
		}
	}
	if d.ReaderGoals, err = pr.Store.Goals(ctx, d.Reader.ID, d.Cycle.ID); err != nil {
		return d, "", err
	}
	if d.Item.Kind == OutboxCloseOut && d.Pair.State == PairEnded && d.Pair.EndReason == EndedCycleOver && !Erased(d.Partner.ID) {
		d.Celebrate = pr.CelebrateChannel
	}
	return d, "", nil
}

// stale says why a nudge is not worth sending now, or "".
func (pr *Programme) stale(d Delivery, now time.Time) string {
	s := d.Session
	switch {
	case !s.StartsAt.After(now):
		return "the session has begun"
	case d.Reader.State == StatePaused || d.Partner.State == StatePaused:
		return "one of the pair is paused"
	}
	// After downtime several reminders can be due at once: only the one
	// closest to the session goes.
	for _, lead := range pr.leads() {
		if lead < d.Item.Lead && !s.StartsAt.Add(-lead).After(now) {
			return "a later reminder replaces it"
		}
	}
	return ""
}

// OutboxLease is how long a replica holds the messages it claimed, unless
// the programme says otherwise: longer than the sender's attempts at one
// message with their waits, so a message is another replica's only once
// its sender is surely gone.
const OutboxLease = 5 * time.Minute

// ClaimOutbox leases to owner up to limit messages due now after the
// cursor, earliest due first, for the programme's lease; other replicas
// send neither them nor anything else to their readers meanwhile.
func (pr *Programme) ClaimOutbox(ctx context.Context, owner string, after OutboxCursor, limit int) ([]OutboxItem, error) {
	lease := pr.OutboxLease
	if lease <= 0 {
		lease = OutboxLease
	}
	return pr.Store.ClaimOutbox(ctx, pr.now(), owner, lease, after, limit)
}

// ReleaseOutbox lets go of what owner claimed and did not finish, as it
// stops, so other replicas need not wait for the lease to run out.
func (pr *Programme) ReleaseOutbox(ctx context.Context, owner string) (int, error) {
	return pr.Store.ReleaseOutbox(ctx, owner)
}

// Sent records that a message went out, and where.
func (pr *Programme) Sent(ctx context.Context, item OutboxItem, r Receipt) error {
	item.State, item.SentAt, item.Channel, item.TS, item.Error = OutboxSent, pr.now(), r.Channel, r.TS, ""
	item.Attempts++
	return pr.Store.SaveOutboxItem(ctx, item)
}

// Dropped records that a message is no longer worth sending, and why.
func (pr *Programme) Dropped(ctx context.Context, item OutboxItem, why string) error {
	item.State, item.Error = OutboxDropped, why
	return pr.Store.SaveOutboxItem(ctx, item)
}

// Failed records a failed attempt. The message is tried again later, until
// maxDeliveryAttempts, and then marked failed: final says which.
func (pr *Programme) Failed(ctx context.Context, item OutboxItem, cause error) (final bool, err error) {
	item.Attempts++
	item.Error = cause.Error()
	if item.Attempts >= maxDeliveryAttempts {
		item.State = OutboxFailed
	} else {
		item.NextTry = pr.now().Add(deliveryBackoff[min(item.Attempts, len(deliveryBackoff))-1])
	}
	if err := pr.Store.SaveOutboxItem(ctx, item); err != nil {
		return false, fmt.Errorf("record failed delivery: %w", err)
	}
	return item.State == OutboxFailed, nil
}
