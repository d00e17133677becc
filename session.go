package mentorbot

import "time"

// SessionState is whether a session is still on.
type SessionState string

const (
	SessionScheduled SessionState = "scheduled" // on, at its slot or where it was moved
	SessionSkipped   SessionState = "skipped"   // one of the pair called this one off
)

// Held is what a person said when asked whether a session happened.
type Held string

const (
	HeldUnanswered Held = ""
	HeldYes        Held = "yes"   // it happened
	HeldMoved      Held = "moved" // it happened, or will, at another time
	HeldNo         Held = "no"    // it didn't happen
)

// Helds lists the answers in the order the buttons show them.
var Helds = []Held{HeldYes, HeldMoved, HeldNo}

// Session is one meeting of a pair: an occurrence of its slot, perhaps
// moved or skipped, and what each person said about it.
type Session struct {
	PairID int64
	// Occurrence is when the slot puts the session, in UTC. It names the
	// session for good, as a calendar's RECURRENCE-ID does, even once moved.
	Occurrence time.Time
	StartsAt   time.Time // when it is: Occurrence, unless moved
	EndsAt     time.Time
	State      SessionState
	// Revision counts moves. Reminders carry the revision they were
	// planned for, so those for a time the session no longer has are
	// dropped instead of sent.
	Revision   int
	MovedBy    string
	SkippedBy  string
	SkipReason string // private to the person who skipped; their partner never sees it
	// DeclinedBy is who declined the session in their calendar, once the
	// bot saw it; cleared when the session moves.
	DeclinedBy string
	// Coming records "I'll be there" from each person.
	MentorComing, MenteeComing bool
	// Held is each person's answer to "did it happen?", and when it came.
	MentorHeld, MenteeHeld     Held
	MentorHeldAt, MenteeHeldAt time.Time
	// Version counts saves; saving a stale copy is an ECONFLICT error.
	Version int
}

// Outcome is what a pair's answers say about a session, without guessing
// when they disagree.
type Outcome string

const (
	OutcomeUnknown  Outcome = "unknown"  // nobody answered yet
	OutcomeHeld     Outcome = "held"     // both said it happened, or one did and the other hasn't answered
	OutcomeMoved    Outcome = "moved"    // took place, or will, at another time
	OutcomeMissed   Outcome = "missed"   // it didn't happen
	OutcomeSkipped  Outcome = "skipped"  // called off beforehand
	OutcomeDisputed Outcome = "disputed" // they answered differently
)

// Outcome reads the two answers: one answer stands until the other comes,
// and different answers are recorded as disputed.
func (s Session) Outcome() Outcome {
	if s.State == SessionSkipped {
		return OutcomeSkipped
	}
	a, b := s.MentorHeld, s.MenteeHeld
	switch {
	case a == HeldUnanswered && b == HeldUnanswered:
		return OutcomeUnknown
	case a == HeldUnanswered:
		a = b
	case b == HeldUnanswered:
		b = a
	case a != b:
		return OutcomeDisputed
	}
	switch a {
	case HeldYes:
		return OutcomeHeld
	case HeldMoved:
		return OutcomeMoved
	}
	return OutcomeMissed
}

// ComingOf reports whether the person said they will be there.
func (s Session) ComingOf(id string, p Pair) bool {
	if id == p.MentorID {
		return s.MentorComing
	}
	return s.MenteeComing
}

// HeldOf is the person's answer to "did it happen?".
func (s Session) HeldOf(id string, p Pair) Held {
	if id == p.MentorID {
		return s.MentorHeld
	}
	return s.MenteeHeld
}
