package mentorbot

import (
	"context"
	"time"
)

// Store is everything the programme keeps; store.DB implements it over
// SQLite.
type Store interface {
	ParticipantStore
	CycleStore
	GoalStore
	PairStore
	SessionStore
	OutboxStore
	FeedbackStore
	TeachInStore
}

// TeachInStore reads teach-ins and their sign-ups; Apply writes them.
type TeachInStore interface {
	// TeachIn returns the teach-in with this ID, or an ENOTFOUND error.
	TeachIn(ctx context.Context, id int64) (TeachIn, error)
	// TeachInsFrom lists the teach-ins starting after from, soonest first.
	TeachInsFrom(ctx context.Context, from time.Time) ([]TeachIn, error)
	// TeachInPlaces lists a teach-in's sign-ups, first come first.
	TeachInPlaces(ctx context.Context, teachInID int64) ([]TeachInPlace, error)
}

// FeedbackStore reads pulses, surveys and risk flags; Apply writes them.
type FeedbackStore interface {
	// Pulse returns a person's pulse about a session, or an ENOTFOUND error.
	Pulse(ctx context.Context, pairID int64, occurrence time.Time, participantID string) (Pulse, error)
	// Pulses lists a cycle's pulses, oldest answer first.
	Pulses(ctx context.Context, cycleID int64) ([]Pulse, error)
	// PulsesBy lists a person's pulses in a cycle, oldest session first.
	PulsesBy(ctx context.Context, participantID string, cycleID int64) ([]Pulse, error)
	// Survey returns a person's answers to a survey, or an ENOTFOUND error.
	Survey(ctx context.Context, participantID string, cycleID int64, kind SurveyKind) (Survey, error)
	// Surveys lists a cycle's survey answers.
	Surveys(ctx context.Context, cycleID int64) ([]Survey, error)
	// RiskFlags lists a cycle's flags, oldest first.
	RiskFlags(ctx context.Context, cycleID int64) ([]RiskFlag, error)
	// LatestRiskFlag returns a pair's newest flag, or an ENOTFOUND error.
	LatestRiskFlag(ctx context.Context, pairID int64) (RiskFlag, error)
}

// ParticipantStore keeps participants and the history of their states.
type ParticipantStore interface {
	// Participant returns the participant with this ID, or an ENOTFOUND error.
	Participant(ctx context.Context, id string) (Participant, error)
	// ParticipantsIn lists the participants in a state, longest there first.
	ParticipantsIn(ctx context.Context, state State) ([]Participant, error)
	// EachTopicHolder hands each topic of each participant in any of the
	// states to each, without the rest of their profile, one person's
	// topics together; an error from each stops the reading.
	EachTopicHolder(ctx context.Context, states []State, each func(TopicHolder) error) error
	// ManagerLinks maps each participant who named a manager to that manager.
	ManagerLinks(ctx context.Context) (map[string]string, error)
	// Census counts participants by state.
	Census(ctx context.Context) (Census, error)
	// Apply writes a change in one transaction, or nothing of it.
	Apply(ctx context.Context, c Change) error
	// Erase deletes every personal detail of the participant with this ID,
	// and any answer kept for a redelivered request that names or quotes
	// them. What must stay for anonymous counts (their moves between
	// states, their pairs) stays under token, which nothing links back to
	// the person. Once it returns, nothing erased is left on disk, in free
	// space or in a log; an error after the erasure was saved says so.
	Erase(ctx context.Context, id, token string) error
}

// CycleStore keeps programme cycles.
type CycleStore interface {
	// OpenCycle returns the cycle that is open, or an ENOTFOUND error.
	OpenCycle(ctx context.Context) (Cycle, error)
	// Cycle returns the cycle with this ID, or an ENOTFOUND error.
	Cycle(ctx context.Context, id int64) (Cycle, error)
	// Cycles lists every cycle, newest first.
	Cycles(ctx context.Context) ([]Cycle, error)
	// SaveCycle inserts a cycle whose ID is 0 and returns it with its ID,
	// or replaces the cycle with that ID. Saving a second open cycle is an
	// ECONFLICT error.
	SaveCycle(ctx context.Context, c Cycle) (Cycle, error)
}

// GoalStore reads participants' goals; Apply writes them.
type GoalStore interface {
	// Goals returns a participant's goals for a cycle, none when unset.
	Goals(ctx context.Context, participantID string, cycleID int64) ([]Goal, error)
}

// PairStore reads pairs, rounds and don't-pair entries; Apply writes them.
type PairStore interface {
	// ActivePair returns the participant's active pair, or an ENOTFOUND error.
	ActivePair(ctx context.Context, participantID string) (Pair, error)
	// Pair returns the pair with this ID, or an ENOTFOUND error.
	Pair(ctx context.Context, id int64) (Pair, error)
	// PairsIn lists the pairs in any of the states, oldest first.
	PairsIn(ctx context.Context, states ...PairState) ([]Pair, error)
	// PairsOf lists the participant's pairs in any of the states, oldest first.
	PairsOf(ctx context.Context, participantID string, states ...PairState) ([]Pair, error)
	// DontPairs lists the entries in force in a cycle: its own and those for good.
	DontPairs(ctx context.Context, cycleID int64) ([]DontPair, error)
	// DontPairsBy lists the entries a person made for themselves.
	DontPairsBy(ctx context.Context, personID string) ([]DontPair, error)
	// UnpublishedRound returns the cycle's unpublished round with its pairs and
	// the people it left out, or an ENOTFOUND error.
	UnpublishedRound(ctx context.Context, cycleID int64) (Round, error)
	// Thanks returns the thank-you with this ID, or an ENOTFOUND error.
	Thanks(ctx context.Context, id int64) (Thanks, error)
	// ThanksOf lists a pair's thank-yous, oldest first.
	ThanksOf(ctx context.Context, pairID int64) ([]Thanks, error)
	// LastThanksPostAt is when the latest post owed of any thank-you is
	// due, zero when none is.
	LastThanksPostAt(ctx context.Context) (time.Time, error)
}

// SessionStore reads pairs' sessions; Apply writes them.
type SessionStore interface {
	// Session returns one session of a pair, or an ENOTFOUND error.
	Session(ctx context.Context, pairID int64, occurrence time.Time) (Session, error)
	// SessionsOf lists a pair's sessions, earliest occurrence first.
	SessionsOf(ctx context.Context, pairID int64) ([]Session, error)
	// SessionsIn lists the sessions of a cycle's pairs, by pair and
	// occurrence.
	SessionsIn(ctx context.Context, cycleID int64) ([]Session, error)
	// LastOccurrences maps each pair with sessions to its latest occurrence,
	// so planning carries on where it stopped.
	LastOccurrences(ctx context.Context) (map[int64]time.Time, error)
}

// OutboxStore reads the outbox and records what became of its messages;
// Apply adds to it.
type OutboxStore interface {
	// DueOutbox lists up to limit pending messages due by now and not
	// waiting to retry, earliest due first, after the one at (due, id)
	// (a zero due starts from the beginning).
	DueOutbox(ctx context.Context, now time.Time, after OutboxCursor, limit int) ([]OutboxItem, error)
	// ClaimOutbox leases to owner, until now+lease, up to limit pending
	// messages due by now and not waiting to retry, earliest due first
	// after the cursor, and returns them in that order. It passes over a
	// message another owner holds a live lease on, and every message to a
	// reader another owner holds a live lease for, so one replica at a
	// time writes to a person; a message owner holds already is leased
	// afresh. Two claims at once never lease the same message.
	ClaimOutbox(ctx context.Context, now time.Time, owner string, lease time.Duration, after OutboxCursor, limit int) ([]OutboxItem, error)
	// ReleaseOutbox ends owner's leases on the messages still pending, and
	// returns how many it ended.
	ReleaseOutbox(ctx context.Context, owner string) (int, error)
	// OutboxOf lists the messages about a pair, oldest first.
	OutboxOf(ctx context.Context, pairID int64) ([]OutboxItem, error)
	// SaveOutboxItem records a message's state, attempts, error, when it
	// was sent and where, and ends its lease; a message no longer pending,
	// or leased meanwhile by another owner than the item's LeaseOwner, is
	// an ENOTFOUND error.
	SaveOutboxItem(ctx context.Context, item OutboxItem) error
}

// OutboxCursor is where a walk through the due outbox got to.
type OutboxCursor struct {
	DueAt time.Time
	ID    int64
}

// Change is what one action writes, applied all together or not at all.
type Change struct {
	// Moves are checked first: each is applied only while the participant's
	// stored state is still its From ("" for someone not yet stored), so two
	// admins screening the same applicant at once cannot both succeed; the
	// loser gets an ECONFLICT error.
	Moves        []Transition
	Participants []Participant // inserted or replaced, with topics and availability
	// Round is saved before the pairs; a saved draft round loses its
	// unlocked draft pairs, so the change's pairs replace them. Pairs of
	// the round with RoundID 0 get the round's ID.
	Round            *Round
	Pairs            []Pair     // inserted when ID is 0 (the ID is written back), updated otherwise
	Goals            []GoalSet  // replace the participant's goals for the cycle
	DontPairs        []DontPair // added; an existing entry stays as it is
	DroppedDontPairs []DontPair // removed
	// Sessions are inserted when new (by pair and occurrence) and updated
	// otherwise, unless Version is stale (ECONFLICT). Planning inserts with
	// Version 0 and an existing session stays as it is.
	Sessions []Session
	// Outbox is added; a message whose key exists stays as it is, so
	// planning the same reminder twice owes it once.
	Outbox []OutboxItem
	// Cycle, when set, replaces the stored cycle with its ID.
	Cycle        *Cycle
	PulseAnswers []PulseAnswer // each sets its part of a pulse, inserting it when new
	Surveys      []Survey      // inserted; a survey is answered once
	// Thanks are inserted when ID is 0, once per author and pair (a second
	// is an ECONFLICT error), and updated otherwise unless Version is
	// stale (ECONFLICT).
	Thanks []Thanks
	// RiskFlags are inserted when ID is 0 (a flag whose evidence is stored
	// already is left as it is); a flag with an ID is resolved, once: a
	// flag resolved already is an ECONFLICT error.
	RiskFlags []RiskFlag
	// TeachIns are inserted when ID is 0 (the ID is written back) and
	// updated otherwise, unless Version is stale (ECONFLICT).
	TeachIns      []TeachIn
	TeachInPlaces []TeachInPlace // inserted, or replacing the person's place
}

// Census is how many participants are in each state, in all and by role,
// and how many people erased their data, without naming anyone.
type Census struct {
	States map[State]int
	ByRole map[Role]map[State]int
	Erased int
}
