package mentorbot

import (
	"context"
	"fmt"
)

// EndedCycleOver is why a pair that met to the end of its cycle ended.
const EndedCycleOver = "cycle_over"

// CloseCycle closes the open cycle on an admin's word, before or after
// its last day, and closes it out.
func (pr *Programme) CloseCycle(ctx context.Context, actor string) (Cycle, error) {
	open, err := pr.CycleToClose(ctx, actor)
	if err != nil {
		return Cycle{}, err
	}
	return pr.closeOut(ctx, open, actor)
}

// CycleToClose returns the open cycle, for an admin about to close it.
func (pr *Programme) CycleToClose(ctx context.Context, actor string) (Cycle, error) {
	if err := pr.RequireAdmin(actor, "close a cycle"); err != nil {
		return Cycle{}, err
	}
	open, err := pr.openCycle(ctx)
	if err != nil {
		return Cycle{}, err
	}
	if open == nil {
		return Cycle{}, Errorf(ENOTFOUND, "No cycle is open, so there is nothing to close.")
	}
	return *open, nil
}

// CloseDueCycle closes the open cycle once its last day is over in the
// programme's time zone.
func (pr *Programme) CloseDueCycle(ctx context.Context) error {
	open, err := pr.openCycle(ctx)
	if err != nil || open == nil || !pr.today().After(open.EndsOn) {
		return err
	}
	_, err = pr.closeOut(ctx, *open, "")
	return err
}

// closeOut ends a cycle in one change: its pairs end, everyone who took
// part is thanked and asked to review their goals and whether to join the
// next cycle, and the HR channel gets the cycle's report. Goals for it can
// no longer change, and a new cycle can open. The admin who closed it,
// if one did, is told it is closed.
func (pr *Programme) closeOut(ctx context.Context, cycle Cycle, closedBy string) (Cycle, error) {
	now := pr.now()
	cycle.ClosedAt, cycle.UpdatedAt = now, now
	c := Change{Cycle: &cycle}

	pairs, err := pr.Store.PairsIn(ctx, OpenPairStates...)
	if err != nil {
		return cycle, fmt.Errorf("load pairs: %w", err)
	}
	pairOf := map[string]int64{}
	for _, p := range pairs {
		if p.CycleID != cycle.ID {
			continue
		}
		if p.State == PairActive {
			p.State, p.EndedAt, p.EndReason = PairEnded, now, EndedCycleOver
			pairOf[p.MentorID], pairOf[p.MenteeID] = p.ID, p.ID
		} else {
			p.State, p.EndedAt, p.EndReason = PairWithdrawn, now, EndedCycleOver
		}
		c.Pairs = append(c.Pairs, p)
	}

	for _, state := range []State{StateTrained, StateMatched, StatePaused} {
		people, err := pr.Store.ParticipantsIn(ctx, state)
		if err != nil {
			return cycle, fmt.Errorf("load participants: %w", err)
		}
		for _, p := range people {
			if p.State == StatePaused {
				if p.ResumeState != StateMatched && p.ResumeState != StateTrained {
					continue
				}
				// Back from a pause, they opt in like everyone else.
				p.ResumeState = StateFinished
			} else {
				c.Moves = append(c.Moves, pr.move(&p, StateFinished, System, &cycle))
			}
			c.Participants = append(c.Participants, p)
			c.Outbox = append(c.Outbox, surveyItem(OutboxCloseOut, p.ID, cycle.ID, pairOf[p.ID], now))
		}
	}
	if pr.HRChannel != "" {
		c.Outbox = append(c.Outbox, surveyItem(OutboxCycleReport, pr.HRChannel, cycle.ID, 0, now))
	}
	if closedBy != "" {
		closed := noticeItem(OutboxCycleClosed, closedBy, 0, now)
		closed.CycleID = cycle.ID
		c.Outbox = append(c.Outbox, closed)
	}
	if err := pr.apply(ctx, c); err != nil {
		return cycle, fmt.Errorf("close the cycle: %w", err)
	}
	return cycle, nil
}

// OptIn counts a person who finished a cycle in for the next one: they
// are matched again once it opens, without training again.
func (pr *Programme) OptIn(ctx context.Context, id string) (Participant, error) {
	p, err := pr.joined(ctx, id)
	if err != nil {
		return p, err
	}
	switch {
	case p.State == StatePaused && p.ResumeState == StateFinished:
		p.ResumeState = StateTrained
		p.UpdatedAt = pr.now()
		return p, pr.apply(ctx, Change{Participants: []Participant{p}, Outbox: []OutboxItem{noticeItem(OutboxOptedIn, id, 0, pr.now())}})
	case p.State != StateFinished:
		return p, Errorf(ECONFLICT, "You're already in: there's nothing to opt in to.")
	}
	cycle, err := pr.openCycle(ctx)
	if err != nil {
		return p, err
	}
	c := Change{
		Moves:        []Transition{pr.move(&p, StateTrained, id, cycle)},
		Participants: []Participant{p},
		Outbox:       []OutboxItem{noticeItem(OutboxOptedIn, id, 0, pr.now())},
	}
	if err := pr.apply(ctx, c); err != nil {
		return p, fmt.Errorf("opt in: %w", err)
	}
	return p, nil
}
