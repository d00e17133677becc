package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/mentorbot/mentorbot"
)

// ActivePair returns the participant's active pair, or an ENOTFOUND error.
func (s *DB) ActivePair(ctx context.Context, participantID string) (mentorbot.Pair, error) {
	var (
		p                  mentorbot.Pair
		startedAt          string
		endedAt, endReason sql.NullString
	)
	err := s.db.QueryRowContext(ctx, `
		SELECT id, cycle_id, mentor_id, mentee_id, state, started_at, ended_at, end_reason
		FROM pairs WHERE state = 'active' AND (mentor_id = ?1 OR mentee_id = ?1)
		ORDER BY id DESC LIMIT 1`, participantID).
		Scan(&p.ID, &p.CycleID, &p.MentorID, &p.MenteeID, &p.State, &startedAt, &endedAt, &endReason)
	if errors.Is(err, sql.ErrNoRows) {
		return mentorbot.Pair{}, mentorbot.Errorf(mentorbot.ENOTFOUND, "You're not in a pair right now.")
	}
	if err != nil {
		return mentorbot.Pair{}, fmt.Errorf("load pair of %s: %w", participantID, err)
	}
	p.EndReason = endReason.String
	if p.StartedAt, err = parseTime(startedAt); err != nil {
		return mentorbot.Pair{}, err
	}
	if p.EndedAt, err = parseNullTime(endedAt); err != nil {
		return mentorbot.Pair{}, err
	}
	return p, nil
}

// savePair inserts a pair whose ID is 0, or updates the pair with its ID.
func savePair(ctx context.Context, tx *sql.Tx, p mentorbot.Pair) error {
	args := []any{p.CycleID, p.MentorID, p.MenteeID, string(p.State), formatTime(p.StartedAt),
		nullTime(p.EndedAt), nullString(p.EndReason)}
	if p.ID == 0 {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO pairs (cycle_id, mentor_id, mentee_id, state, started_at, ended_at, end_reason)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, args...); err != nil {
			return fmt.Errorf("save pair of %s and %s: %w", p.MentorID, p.MenteeID, err)
		}
		return nil
	}
	err := updateOne(ctx, tx, `
		UPDATE pairs SET cycle_id = ?, mentor_id = ?, mentee_id = ?, state = ?, started_at = ?, ended_at = ?, end_reason = ?
		WHERE id = ?`, append(args, p.ID)...)
	if err != nil {
		return fmt.Errorf("save pair %d: %w", p.ID, err)
	}
	return nil
}
