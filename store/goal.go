package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/mentorbot/mentorbot"
)

// Goals returns a participant's goals for a cycle, none when unset.
func (s *DB) Goals(ctx context.Context, participantID string, cycleID int64) ([]mentorbot.Goal, error) {
	var goals []mentorbot.Goal
	err := s.each(ctx, func(rows *sql.Rows) error {
		var g mentorbot.Goal
		if err := rows.Scan(&g.Aim, &g.Signal); err != nil {
			return err
		}
		goals = append(goals, g)
		return nil
	}, `SELECT aim, signal FROM goals WHERE participant_id = ? AND cycle_id = ? ORDER BY position`, participantID, cycleID)
	if err != nil {
		return nil, fmt.Errorf("load goals of %s: %w", participantID, err)
	}
	return goals, nil
}

// saveGoals replaces a participant's goals for a cycle.
func saveGoals(ctx context.Context, tx handle, set mentorbot.GoalSet) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM goals WHERE participant_id = ? AND cycle_id = ?`,
		set.ParticipantID, set.CycleID); err != nil {
		return fmt.Errorf("save goals of %s: %w", set.ParticipantID, err)
	}
	for i, g := range set.Goals {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO goals (participant_id, cycle_id, position, aim, signal, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
			set.ParticipantID, set.CycleID, i, g.Aim, g.Signal, formatTime(set.UpdatedAt)); err != nil {
			return fmt.Errorf("save goals of %s: %w", set.ParticipantID, err)
		}
	}
	return nil
}
