package mentorbot

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"
)

// OutboxKind says what an outbox message tells its reader.
type OutboxKind string

const (
	OutboxSlotProposed    OutboxKind = "slot_proposed"    // pick your pair's regular time
	OutboxSlotCounter     OutboxKind = "slot_counter"     // your partner suggests another time
	OutboxInvite          OutboxKind = "invite"           // the calendar invite, new or updated
	OutboxInviteCancel    OutboxKind = "invite_cancel"    // the pair ended: the invite is cancelled
	OutboxCalendarWrite   OutboxKind = "calendar_write"   // the series into the senior's calendar, through the calendar service
	OutboxCalendarBooked  OutboxKind = "calendar_booked"  // your sessions are in your calendar
	OutboxNudge           OutboxKind = "nudge"            // your session is coming up
	OutboxCheck           OutboxKind = "check"            // did your session happen?
	OutboxSessionMoved    OutboxKind = "session_moved"    // your partner moved a session
	OutboxSessionSkipped  OutboxKind = "session_skipped"  // your partner can't make a session
	OutboxSessionDeclined OutboxKind = "session_declined" // a session was declined in a calendar: find another time
	OutboxPulse           OutboxKind = "pulse"            // how was your session? (private)
	OutboxPulseFollowUp   OutboxKind = "pulse_follow_up"  // the one reminder of an unanswered pulse
	OutboxSurvey          OutboxKind = "survey"           // the cycle is halfway: how is it going?
	OutboxCloseOut        OutboxKind = "close_out"        // the cycle ended: thanks, goal review, next cycle
	OutboxCycleReport     OutboxKind = "cycle_report"     // to the HR channel: the cycle's closing summary
	OutboxSummary         OutboxKind = "summary"          // to the HR channel: the programme's summary, on schedule
	OutboxRiskFlag        OutboxKind = "risk_flag"        // to an admin: a pair may be withering
	OutboxPairNudge       OutboxKind = "pair_nudge"       // an admin's friendly nudge to a quiet pair
	OutboxFormButton      OutboxKind = "form_button"      // a form did not open in time: a button opens it
	OutboxFormQueued      OutboxKind = "form_queued"      // a form's button will come in a while: it is queued
	OutboxFormRefused     OutboxKind = "form_refused"     // Slack refused a form: sorry, it's on our side
	OutboxThanksAsk       OutboxKind = "thanks_ask"       // a thank-you to share: here it is exactly; yes or no?
	OutboxThanksPost      OutboxKind = "thanks_post"      // to the celebration channel: a thank-you both agreed to share

	// Told because of a change someone else made, or the programme made
	// by itself.
	OutboxApproved       OutboxKind = "approved"        // HR approved your application to mentor
	OutboxDeclined       OutboxKind = "declined"        // HR declined it, this cycle
	OutboxResumed        OutboxKind = "resumed"         // your pause ended on its date
	OutboxPartnerPaused  OutboxKind = "partner_paused"  // your partner is away until a date
	OutboxPartnerResumed OutboxKind = "partner_resumed" // your partner is back
	OutboxPartnerLeft    OutboxKind = "partner_left"    // your partner left; the pair ended
	OutboxProposed       OutboxKind = "proposed"        // meet your match: accept or decline
	OutboxMatchOff       OutboxKind = "match_off"       // your proposed match can't go ahead
	OutboxAnswerLapsed   OutboxKind = "answer_lapsed"   // you didn't answer in time
	OutboxPairStarted    OutboxKind = "pair_started"    // both accepted: to the pair, in a conversation of their own
	OutboxRequested      OutboxKind = "requested"       // a mentee asks you to mentor them
	OutboxRequestOff     OutboxKind = "request_off"     // the mentor you asked can't take you on
	OutboxRequestDropped OutboxKind = "request_dropped" // the mentee who asked you no longer needs to
	OutboxPairEnded      OutboxKind = "pair_ended"      // the programme ended your pair, kindly
	OutboxThanksKept     OutboxKind = "thanks_kept"     // the thank-you stays between you two

	// Told to a person that their own change went through, where nothing
	// answers them in place: a form that closes, a button on the Home tab.
	OutboxJoined      OutboxKind = "joined"       // welcome, or your profile is updated
	OutboxLeft        OutboxKind = "left"         // you've left the programme
	OutboxBackEarly   OutboxKind = "back_early"   // you ended your break early
	OutboxOptedIn     OutboxKind = "opted_in"     // you're in for the next cycle
	OutboxCycleClosed OutboxKind = "cycle_closed" // to the admin who closed the cycle

	// About a teach-in: a one-off group session a mentor hosts.
	OutboxTeachInInvitation     OutboxKind = "teach_in_invitation"      // a teach-in on a topic you want: sign up?
	OutboxTeachInSignedUp       OutboxKind = "teach_in_signed_up"       // you have a place, or are on the waiting list
	OutboxTeachInMovedUp        OutboxKind = "teach_in_moved_up"        // a place opened up: it's yours
	OutboxTeachInLeft           OutboxKind = "teach_in_left"            // you gave up your place
	OutboxTeachInCalendar       OutboxKind = "teach_in_calendar"        // the teach-in's calendar invite, new or updated
	OutboxTeachInCalendarCancel OutboxKind = "teach_in_calendar_cancel" // the teach-in is off your calendar
	OutboxTeachInReminder       OutboxKind = "teach_in_reminder"        // your teach-in is coming up
	OutboxTeachInPulse          OutboxKind = "teach_in_pulse"           // how was the teach-in? (private)
	OutboxTeachInMoved          OutboxKind = "teach_in_moved"           // the host moved it
	OutboxTeachInCancelled      OutboxKind = "teach_in_cancelled"       // the host cancelled it
)

// OutboxKinds lists every kind of message the programme sends.
var OutboxKinds = []OutboxKind{
	OutboxSlotProposed, OutboxSlotCounter, OutboxInvite, OutboxInviteCancel, OutboxCalendarWrite, OutboxCalendarBooked, OutboxNudge, OutboxCheck,
	OutboxSessionMoved, OutboxSessionSkipped, OutboxSessionDeclined, OutboxPulse, OutboxPulseFollowUp, OutboxSurvey, OutboxCloseOut,
	OutboxCycleReport, OutboxSummary, OutboxRiskFlag, OutboxPairNudge, OutboxFormButton, OutboxFormQueued, OutboxFormRefused,
	OutboxThanksAsk, OutboxThanksPost,
	OutboxApproved, OutboxDeclined, OutboxResumed, OutboxPartnerPaused, OutboxPartnerResumed, OutboxPartnerLeft,
	OutboxProposed, OutboxMatchOff, OutboxAnswerLapsed, OutboxPairStarted, OutboxRequested, OutboxRequestOff,
	OutboxRequestDropped, OutboxPairEnded, OutboxThanksKept,
	OutboxJoined, OutboxLeft, OutboxBackEarly, OutboxOptedIn, OutboxCycleClosed,
	OutboxTeachInInvitation, OutboxTeachInSignedUp, OutboxTeachInMovedUp, OutboxTeachInLeft, OutboxTeachInCalendar,
	OutboxTeachInCalendarCancel, OutboxTeachInReminder, OutboxTeachInPulse, OutboxTeachInMoved, OutboxTeachInCancelled,
}

// Notice reports whether a message of this kind tells its reader of a
// change someone else made, or the programme made by itself.
func (k OutboxKind) Notice() bool {
	switch k {
	case OutboxApproved, OutboxDeclined, OutboxResumed, OutboxPartnerPaused, OutboxPartnerResumed, OutboxPartnerLeft,
		OutboxProposed, OutboxMatchOff, OutboxAnswerLapsed, OutboxPairStarted, OutboxRequested, OutboxRequestOff,
		OutboxRequestDropped, OutboxPairEnded, OutboxThanksKept:
		return true
	}
	return false
}

// Confirms reports whether a message of this kind tells its reader that
// a change of their own went through.
func (k OutboxKind) Confirms() bool {
	switch k {
	case OutboxJoined, OutboxLeft, OutboxBackEarly, OutboxOptedIn, OutboxCycleClosed:
		return true
	}
	return false
}

// AboutTeachIn reports whether a message of this kind is about a
// teach-in, named by the item's TeachInID.
func (k OutboxKind) AboutTeachIn() bool { return strings.HasPrefix(string(k), "teach_in_") }

// WritesCalendar reports whether a message of this kind is written to a
// calendar service rather than sent in chat.
func (k OutboxKind) WritesCalendar() bool { return k == OutboxCalendarWrite }

// Introduces reports whether a message of this kind introduces a match
// its reader must answer.
func (k OutboxKind) Introduces() bool { return k == OutboxProposed || k == OutboxRequested }

// OutboxState is where an outbox message stands.
type OutboxState string

const (
	OutboxPending OutboxState = "pending" // waiting to be sent, perhaps after a failure
	OutboxSent    OutboxState = "sent"
	OutboxDropped OutboxState = "dropped" // no longer worth sending; Error says why
	OutboxFailed  OutboxState = "failed"  // every attempt failed
)

// OutboxItem is one message the programme owes a person. It is written in
// the same transaction as the change that calls for it, so a crash loses
// none, and its key names what it is for, so nothing is owed twice.
type OutboxItem struct {
	ID     int64
	Key    string // unique: pair, occurrence, kind, reader
	To     string
	Kind   OutboxKind
	PairID int64 // 0 for a message about no pair
	// TeachInID is the teach-in a teach-in message is about; its
	// Revision and Sequence are the teach-in's when it was owed.
	TeachInID int64
	// CycleID is the cycle a survey, close-out or report is about.
	CycleID int64
	// Occurrence and Revision name the session a session message is for.
	Occurrence time.Time
	Revision   int
	Lead       time.Duration // for a nudge: how long before the session
	Sequence   int           // for an invite: the calendar sequence it carries
	DueAt      time.Time
	State      OutboxState
	Attempts   int
	NextTry    time.Time // after a failure, when to try again
	Error      string    // why the last attempt failed, or why it was dropped
	SentAt     time.Time
	// Channel and TS locate the message once sent.
	Channel, TS string
	// Form is, for a form message, what the bot needs to open the form
	// again; the programme keeps it without reading it.
	Form string
	// Note is, for a screening decision, HR's note to the applicant; for
	// a welcome, how the person joined (a Joining).
	Note string
	// NewPair, when not 0, names a pair added by the same change, by its
	// place in Change.Pairs from 1: the store sets PairID once it is saved.
	NewPair int
	// LeaseOwner is the replica that claimed the message to send it, and
	// LeaseUntil when its claim runs out; "" and zero when unclaimed. Only
	// the owner records what became of it.
	LeaseOwner string
	LeaseUntil time.Time
	// NewTeachIn, when not 0, names a teach-in added by the same change,
	// by its place in Change.TeachIns from 1: the store sets TeachInID.
	NewTeachIn int
}

// noticeItem is a message owed to one person, now, because of a change.
// The change is made once, so its key need only be unique: two pauses in
// the same second each owe their notice.
func noticeItem(kind OutboxKind, to string, pairID int64, now time.Time) OutboxItem {
	return OutboxItem{
		Key: fmt.Sprintf("notice/%s/%d/%s/%s", kind, pairID, rand.Text(), to),
		To:  to, Kind: kind, PairID: pairID, DueAt: now,
	}
}

// newPairNotice is a message about a pair the same change adds, the nth
// of Change.Pairs counting from 1.
func newPairNotice(kind OutboxKind, to string, n int, now time.Time) OutboxItem {
	item := noticeItem(kind, to, 0, now)
	item.NewPair = n
	return item
}

// sessionItem is an outbox message about one session.
func sessionItem(kind OutboxKind, to string, s Session, lead time.Duration, due time.Time) OutboxItem {
	key := fmt.Sprintf("pair/%d/session/%d/r%d/%s", s.PairID, s.Occurrence.Unix(), s.Revision, kind)
	if kind == OutboxNudge {
		key += fmt.Sprintf("/%dm", int(lead/time.Minute))
	}
	return OutboxItem{
		Key: key + "/" + to, To: to, Kind: kind, PairID: s.PairID,
		Occurrence: s.Occurrence, Revision: s.Revision, Lead: lead, DueAt: due,
	}
}

// slotItem is an outbox message about agreeing a pair's slot; offer counts
// the times offered so far, so each new suggestion is its own message.
func slotItem(kind OutboxKind, to string, p Pair, offer int, due time.Time) OutboxItem {
	return OutboxItem{
		Key: fmt.Sprintf("pair/%d/slot/%d/%s/%s", p.ID, offer, kind, to),
		To:  to, Kind: kind, PairID: p.ID, DueAt: due,
	}
}

// inviteItem is a calendar invite, its update or its cancellation, or
// the write of them to the calendar service, for the pair's calendar as
// it is now.
func inviteItem(kind OutboxKind, to string, p Pair, due time.Time) OutboxItem {
	return sequenceItem(kind, to, p.ID, p.CalendarSequence, due)
}

// sequenceItem is a calendar message for the pair's calendar at sequence.
func sequenceItem(kind OutboxKind, to string, pairID int64, sequence int, due time.Time) OutboxItem {
	return OutboxItem{
		Key: fmt.Sprintf("pair/%d/calendar/%d/%s/%s", pairID, sequence, kind, to),
		To:  to, Kind: kind, PairID: pairID, Sequence: sequence, DueAt: due,
	}
}

// formMessageLife is how long a form message stays worth sending: a
// button to a form asked for yesterday is clutter.
const formMessageLife = 24 * time.Hour

// OweFormMessage owes a person a message about a form they asked for that
// did not open: a button that opens it again (OutboxFormButton), word
// that the button is queued (OutboxFormQueued), or an apology when Slack
// refused the form itself (OutboxFormRefused). form is
// what the bot needs to open it again; the message is due after wait.
func (pr *Programme) OweFormMessage(ctx context.Context, to string, kind OutboxKind, form string, wait time.Duration) error {
	now := pr.now()
	item := OutboxItem{Key: fmt.Sprintf("form/%s/%d/%s", kind, now.UnixNano(), to), To: to, Kind: kind, Form: form, DueAt: now.Add(wait)}
	if err := pr.apply(ctx, Change{Outbox: []OutboxItem{item}}); err != nil {
		return fmt.Errorf("owe a form message: %w", err)
	}
	return nil
}
