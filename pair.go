package mentorbot

import "time"

// PairState is where a pair stands.
type PairState string

const (
	PairActive PairState = "active"
	PairEnded  PairState = "ended"
)

// Why a pair ended.
const (
	EndedPartnerLeft = "partner_left"
)

// Pair is a mentor and a mentee working together in a cycle.
type Pair struct {
	ID        int64
	CycleID   int64
	MentorID  string
	MenteeID  string
	State     PairState
	StartedAt time.Time
	EndedAt   time.Time
	EndReason string
}

// Partner returns the other person in the pair.
func (p Pair) Partner(id string) string {
	if id == p.MentorID {
		return p.MenteeID
	}
	return p.MentorID
}
