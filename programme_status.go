package mentorbot

import (
	"context"
	"fmt"
	"slices"
)

// Step is what a person should do next, or what they are waiting for.
type Step string

const (
	StepJoin           Step = "join"             // not in the programme
	StepAwaitScreening Step = "await_screening"  // HR is screening the application
	StepReapply        Step = "reapply"          // declined before; may apply again now
	StepAwaitNextCycle Step = "await_next_cycle" // declined in this cycle
	StepTrain          Step = "train"            // read the onboarding
	StepAwaitCycle     Step = "await_cycle"      // ready, but no cycle is open
	StepSetGoals       Step = "set_goals"        // ready; goals for the cycle missing
	StepAwaitMatch     Step = "await_match"      // ready and waiting to be matched
	StepAnswerMatch    Step = "answer_match"     // a proposed match waits for this person's answer
	StepAwaitAnswer    Step = "await_answer"     // waiting for the other person to answer
	StepMeet           Step = "meet"             // in a pair
	StepPaused         Step = "paused"           // away until a date
	StepRejoin         Step = "rejoin"           // left; may join again
	StepOptIn          Step = "opt_in"           // finished a cycle; may opt in to the next
)

// Status is where a person stands: what the Home tab shows them.
type Status struct {
	Participant *Participant // nil when the person has not joined
	Cycle       *Cycle       // the open cycle, nil when none is
	Goals       []Goal       // for the open cycle
	Pairs       []Pair       // active pairs: one, or more for a mentor with room
	Offers      []Pair       // proposed or requested pairs waiting for answers
	Admin       bool
	// TeachIns are the upcoming teach-ins as this person sees them, for
	// someone taking part; CanHost says whether they may offer one.
	TeachIns []TeachInView
	CanHost  bool
}

// AwaitingAnswer returns the offer waiting for this person's answer, nil when none.
func (s Status) AwaitingAnswer() *Pair {
	if s.Participant == nil {
		return nil
	}
	for i, o := range s.Offers {
		if o.AnswerOf(s.Participant.ID) == AnswerNone && answerable(o, s.Participant.ID) == nil {
			return &s.Offers[i]
		}
	}
	return nil
}

// Next returns what the person should do next.
func (s Status) Next() Step {
	p := s.Participant
	if p == nil {
		return StepJoin
	}
	switch p.State {
	case StateApplied:
		return StepAwaitScreening
	case StateDeclined:
		if s.Cycle != nil && s.Cycle.ID != p.ScreenedInCycle {
			return StepReapply
		}
		return StepAwaitNextCycle
	case StateApproved:
		return StepTrain
	case StatePaused:
		return StepPaused
	case StateLeft:
		return StepRejoin
	case StateFinished:
		return StepOptIn
	}
	switch {
	case s.AwaitingAnswer() != nil:
		return StepAnswerMatch
	case p.State == StateMatched:
		return StepMeet
	case len(s.Offers) > 0:
		return StepAwaitAnswer
	}
	switch {
	case s.Cycle == nil:
		return StepAwaitCycle
	case len(s.Goals) == 0:
		return StepSetGoals
	}
	return StepAwaitMatch
}

// Status returns where the person with this ID stands.
func (pr *Programme) Status(ctx context.Context, id string) (Status, error) {
	s := Status{Admin: pr.IsAdmin(id)}
	var err error
	if s.Cycle, err = pr.openCycle(ctx); err != nil {
		return s, err
	}
	p, err := pr.Store.Participant(ctx, id)
	switch ErrorCode(err) {
	case "":
		s.Participant = &p
	case ENOTFOUND:
		return s, nil
	default:
		return s, fmt.Errorf("load participant: %w", err)
	}
	if s.Cycle != nil {
		if s.Goals, err = pr.Store.Goals(ctx, id, s.Cycle.ID); err != nil {
			return s, fmt.Errorf("load goals: %w", err)
		}
	}
	pairs, err := pr.Store.PairsOf(ctx, id, OpenPairStates...)
	if err != nil {
		return s, fmt.Errorf("load pairs: %w", err)
	}
	for _, pair := range pairs {
		if pair.State == PairActive {
			s.Pairs = append(s.Pairs, pair)
		} else {
			s.Offers = append(s.Offers, pair)
		}
	}
	if p.TakingPart() {
		s.CanHost = s.Cycle != nil && CanHost(p) == nil
		if s.TeachIns, err = pr.upcoming(ctx, id); err != nil {
			return s, err
		}
	}
	return s, nil
}

// Overview is the programme as its admins see it.
type Overview struct {
	Cycle        *Cycle
	Census       Census
	Applicants   []Participant // waiting for screening, longest waiting first
	ActivePairs  int
	WaitingPairs int    // proposed or requested, not yet answered by both
	Declines     []Pair // most recent first, with the reasons only admins see
	TeachIns     []TeachInCounts
	// Supply is every topic's supply and demand, shortages first.
	Supply []TopicSupply
}

// Overview returns the state of the programme, for admins only.
func (pr *Programme) Overview(ctx context.Context, actor string) (Overview, error) {
	var o Overview
	if err := pr.RequireAdmin(actor, "see the programme's overview"); err != nil {
		return o, err
	}
	var err error
	if o.Cycle, err = pr.openCycle(ctx); err != nil {
		return o, err
	}
	if o.Census, err = pr.Store.Census(ctx); err != nil {
		return o, fmt.Errorf("count participants: %w", err)
	}
	if o.Applicants, err = pr.Store.ParticipantsIn(ctx, StateApplied); err != nil {
		return o, fmt.Errorf("load applicants: %w", err)
	}
	pairs, err := pr.Store.PairsIn(ctx, PairProposed, PairRequested, PairActive, PairDeclined)
	if err != nil {
		return o, fmt.Errorf("load pairs: %w", err)
	}
	if o.Supply, err = pr.loadSupply(ctx, pairs); err != nil {
		return o, err
	}
	for _, p := range slices.Backward(pairs) {
		switch p.State {
		case PairActive:
			o.ActivePairs++
		case PairDeclined:
			// A decline with someone erased has nothing left to tell.
			if !Erased(p.MentorID) && !Erased(p.MenteeID) {
				o.Declines = append(o.Declines, p)
			}
		default:
			o.WaitingPairs++
		}
	}
	if o.TeachIns, err = pr.teachInCounts(ctx); err != nil {
		return o, err
	}
	return o, nil
}
