package mentorbot

import (
	"time"

	"github.com/mentorbot/mentorbot/match"
)

// RoundState is whether HR has published a round.
type RoundState string

const (
	RoundDraft     RoundState = "draft"
	RoundPublished RoundState = "published"
)

// Round is one matching run in a cycle: a private draft HR can adjust and
// run again, until they publish it and its pairs are proposed.
type Round struct {
	ID          int64
	CycleID     int64
	State       RoundState
	CreatedBy   string
	CreatedAt   time.Time
	PublishedAt time.Time
	Report      match.Report
	Pairs       []Pair      // its draft, removed or proposed pairs
	Unmatched   []Unmatched // who it could not pair
}

// Unmatched is a person a round could not pair, and why.
type Unmatched struct {
	ParticipantID string
	Role          Role
	Why           string
}
