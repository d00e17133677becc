package mentorbot

import "time"

// PairState is where a pair stands. A pair starts as a draft in HR's
// round (or as a mentee's request), is proposed to both people, and is
// active once both accept.
type PairState string

const (
	PairDraft     PairState = "draft"     // in a round HR has not published
	PairRemoved   PairState = "removed"   // taken out of a draft by HR
	PairProposed  PairState = "proposed"  // published; waiting for both answers
	PairRequested PairState = "requested" // a mentee asked a mentor; waiting for the mentor
	PairActive    PairState = "active"    // both agreed; meeting
	PairDeclined  PairState = "declined"  // one of them said no
	PairLapsed    PairState = "lapsed"    // not answered in time
	PairWithdrawn PairState = "withdrawn" // called off before it started, e.g. one left
	PairEnded     PairState = "ended"     // was active, and is over
)

// OpenPairStates are the states in which a pair holds both its people.
var OpenPairStates = []PairState{PairProposed, PairRequested, PairActive}

// PairOrigin is how a pair came about.
type PairOrigin string

const (
	OriginRound   PairOrigin = "round"   // HR published a matching round
	OriginRematch PairOrigin = "rematch" // matched again after a pair fell through
	OriginRequest PairOrigin = "request" // the mentee picked the mentor
)

// Why a pair ended or was called off.
const (
	EndedPartnerLeft = "partner_left"
)

// Answer is what a person said to a proposed pair.
type Answer string

const (
	AnswerNone     Answer = ""
	AnswerAccepted Answer = "accepted"
	AnswerDeclined Answer = "declined"
)

// Pair is a mentor and a mentee in a cycle, from HR's draft to the end.
type Pair struct {
	ID       int64
	CycleID  int64
	RoundID  int64 // the round that proposed it; 0 for a request
	Origin   PairOrigin
	MentorID string
	MenteeID string
	State    PairState
	Fit      Fit
	Locked   bool // HR keeps it when the round runs again
	// The two answers, and when each was given.
	MentorAnswer, MenteeAnswer         Answer
	MentorAnsweredAt, MenteeAnsweredAt time.Time
	AnswerBy                           time.Time // when an unanswered proposal lapses
	// DeclineReason is what the person who declined told HR; nobody else
	// ever sees it.
	DeclineReason string
	CreatedAt     time.Time
	StartedAt     time.Time // when both had accepted
	EndedAt       time.Time
	EndReason     string
	// Slot is the regular time both agreed; nil until they have.
	Slot *Slot
	// SlotOffer is the times offered while the pair agrees its slot.
	SlotOffer SlotOffer
	// CalendarSequence counts changes to the pair's calendar invite, as
	// iCalendar's SEQUENCE does, so calendars apply the latest.
	CalendarSequence int
	// CalendarEvent is the series' ID in the senior's calendar once the
	// calendar service took it; empty with .ics invites.
	CalendarEvent string
	// Version counts the pair's saves. Saving a copy loaded before someone
	// else's save is an ECONFLICT error, so no answer is overwritten.
	Version int
}

// SlotOffer is the times offered to a pair for its slot, best first, and
// which each person picked: an index into Options plus one, 0 for none.
type SlotOffer struct {
	Options                []Slot
	MentorPick, MenteePick int
	// FreeBusy names the calendar service whose free/busy the options were
	// checked against, over the cycle's first FreeBusyWeeks weeks, for
	// both people; empty when they were not.
	FreeBusy string
}

// Fit is why matching put a pair together.
type Fit struct {
	Score           float64 // 0 to 1
	Topics          float64 // each part 0 to 1
	Overlap         float64
	Department      float64
	Shared          []SharedTopic
	OverlapMinutes  int // a week, both free
	CrossDepartment bool
}

// SharedTopic is a topic the mentor teaches and the mentee wants, with
// both levels.
type SharedTopic struct {
	Topic                    string
	MentorLevel, MenteeLevel Level
}

// Partner returns the other person in the pair.
func (p Pair) Partner(id string) string {
	if id == p.MentorID {
		return p.MenteeID
	}
	return p.MentorID
}

// AnswerOf returns what the person with this ID answered.
func (p Pair) AnswerOf(id string) Answer {
	if id == p.MentorID {
		return p.MentorAnswer
	}
	return p.MenteeAnswer
}

// answer records what the person with this ID said.
func (p *Pair) answer(id string, a Answer, at time.Time) {
	if id == p.MentorID {
		p.MentorAnswer, p.MentorAnsweredAt = a, at
		return
	}
	p.MenteeAnswer, p.MenteeAnsweredAt = a, at
}

// DontPair keeps two people apart: one of them asked, or HR took their
// pair out of a draft.
type DontPair struct {
	PersonID, OtherID string
	By                string
	CycleID           int64 // 0: for good; otherwise only in that cycle
	CreatedAt         time.Time
}
