package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/mentorbot/mentorbot"
)

// Apply writes a change in one transaction, or nothing of it. The
// transaction runs as if alone (see inTx), so no other writer can move a
// participant between the check of their state and the write.
func (s *DB) Apply(ctx context.Context, c mentorbot.Change) error {
	var (
		versions []int
		ids      []int64
		flagIDs  []int64
		cycle    mentorbot.Cycle
		pairs    []mentorbot.Pair
		teachIns []mentorbot.TeachIn
		outbox   []mentorbot.OutboxItem
	)
	err := s.inTx(ctx, func(tx handle) error {
		// The pairs and messages get their IDs in copies: the transaction
		// may run again, and must find the change as it was.
		pairs, teachIns, outbox = slices.Clone(c.Pairs), slices.Clone(c.TeachIns), slices.Clone(c.Outbox)
		for _, m := range c.Moves {
			var state mentorbot.State
			err := tx.QueryRowContext(ctx, `SELECT state FROM participants WHERE id = ?`, m.ParticipantID).Scan(&state)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("check state of %s: %w", m.ParticipantID, err)
			}
			if state != m.From {
				return mentorbot.Errorf(mentorbot.ECONFLICT, "Someone changed this at the same moment; please try again.")
			}
		}
		for _, p := range c.Participants {
			if err := saveParticipant(ctx, tx, p); err != nil {
				return err
			}
		}
		for _, t := range c.Moves {
			if err := insertTransition(ctx, tx, t); err != nil {
				return err
			}
		}
		if c.Cycle != nil {
			var err error
			if cycle, err = saveCycle(ctx, tx, *c.Cycle); err != nil {
				return cycleConflict(fmt.Errorf("save cycle %q: %w", c.Cycle.Name, err))
			}
		}
		roundID := int64(0)
		if c.Round != nil {
			var err error
			if roundID, err = saveRound(ctx, tx, *c.Round); err != nil {
				return err
			}
		}
		for i := range pairs {
			p := &pairs[i]
			if p.RoundID == 0 && c.Round != nil && p.Origin != mentorbot.OriginRequest {
				p.RoundID = roundID
			}
			id, err := savePair(ctx, tx, *p)
			if err != nil {
				return err
			}
			if p.ID != 0 {
				p.Version++
			}
			p.ID = id
		}
		for _, g := range c.Goals {
			if err := saveGoals(ctx, tx, g); err != nil {
				return err
			}
		}
		for _, d := range c.DroppedDontPairs {
			if err := dropDontPair(ctx, tx, d); err != nil {
				return err
			}
		}
		for _, d := range c.DontPairs {
			if err := saveDontPair(ctx, tx, d); err != nil {
				return err
			}
		}
		var err error
		if versions, err = saveSessions(ctx, tx, c.Sessions); err != nil {
			return err
		}
		if err := savePulseAnswers(ctx, tx, c.PulseAnswers); err != nil {
			return err
		}
		if err := addSurveys(ctx, tx, c.Surveys); err != nil {
			return err
		}
		if err := saveThanks(ctx, tx, c.Thanks); err != nil {
			return err
		}
		if flagIDs, err = saveRiskFlags(ctx, tx, c.RiskFlags); err != nil {
			return err
		}
		for i := range teachIns {
			t := &teachIns[i]
			id, err := saveTeachIn(ctx, tx, *t)
			if err != nil {
				return err
			}
			if t.ID != 0 {
				t.Version++
			} else {
				t.Version = 1
			}
			t.ID = id
		}
		var newTeachIn int64
		if len(teachIns) > 0 {
			newTeachIn = teachIns[0].ID
		}
		if err := saveTeachInPlaces(ctx, tx, c.TeachInPlaces, newTeachIn); err != nil {
			return err
		}
		for i := range outbox {
			if n := outbox[i].NewPair; n > 0 {
				outbox[i].PairID = pairs[n-1].ID
			}
			if n := outbox[i].NewTeachIn; n > 0 {
				outbox[i].TeachInID = teachIns[n-1].ID
			}
		}
		ids, err = addOutbox(ctx, tx, outbox)
		return err
	})
	if err != nil {
		return fmt.Errorf("apply change: %w", err)
	}
	// Written back only once committed, so a change that failed can be
	// applied again as it was.
	copy(c.Pairs, pairs)
	copy(c.TeachIns, teachIns)
	copy(c.Outbox, outbox)
	for i, v := range versions {
		c.Sessions[i].Version = v
	}
	for i, id := range ids {
		c.Outbox[i].ID = id
	}
	for i, id := range flagIDs {
		if id != 0 {
			c.RiskFlags[i].ID = id
		}
	}
	if c.Cycle != nil {
		c.Cycle.ID = cycle.ID
	}
	return nil
}
