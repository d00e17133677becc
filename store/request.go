package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mentorbot/mentorbot"
)

// HandledRequest returns the answer recorded for a request key; a request
// only claimed so far is not handled yet.
func (s *DB) HandledRequest(ctx context.Context, key string) ([]byte, bool, error) {
	var answer []byte
	err := s.db.QueryRowContext(ctx, `SELECT answer FROM handled_requests WHERE key = ? AND owner IS NULL`, key).Scan(&answer)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("look up handled request: %w", unread(err))
	}
	return answer, true, nil
}

// claimTries bounds how often ClaimRequest looks again when the row it
// found is gone by the time it reads it (forgotten or erased meanwhile).
const claimTries = 3

// ClaimRequest claims a request for owner before it is handled. A claim
// names nobody: the person is recorded with the answer, so an erasure
// while the request is handled has nothing of theirs to miss.
func (s *DB) ClaimRequest(ctx context.Context, key, owner string, now time.Time, stale time.Duration) (mentorbot.RequestClaim, error) {
	for range claimTries {
		res, err := s.db.ExecContext(ctx, `
			INSERT INTO handled_requests (key, owner, claimed_at, handled_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (key) DO NOTHING`,
			key, owner, formatTime(now), formatTime(now))
		if err != nil {
			return mentorbot.RequestClaim{}, fmt.Errorf("claim request: %w", unsaved(err))
		}
		if n, err := res.RowsAffected(); err != nil {
			return mentorbot.RequestClaim{}, fmt.Errorf("claim request: %w", err)
		} else if n == 1 {
			return mentorbot.RequestClaim{Outcome: mentorbot.RequestClaimed}, nil
		}

		// The claim's owner died, or lost its way, long before an answer.
		res, err = s.db.ExecContext(ctx, `
			UPDATE handled_requests SET owner = ?, claimed_at = ?, handled_at = ?
			WHERE key = ? AND owner IS NOT NULL AND owner <> ? AND (claimed_at < ? OR NOT `+s.dialect.liveReplica("handled_requests.owner")+`)`,
			owner, formatTime(now), formatTime(now), key, owner, formatTime(now.Add(-stale)))
		if err != nil {
			return mentorbot.RequestClaim{}, fmt.Errorf("take over request: %w", unsaved(err))
		}
		if n, err := res.RowsAffected(); err != nil {
			return mentorbot.RequestClaim{}, fmt.Errorf("take over request: %w", err)
		} else if n == 1 {
			return mentorbot.RequestClaim{Outcome: mentorbot.RequestTakenOver}, nil
		}

		var holder sql.NullString
		var answer []byte
		err = s.db.QueryRowContext(ctx, `SELECT owner, answer FROM handled_requests WHERE key = ?`, key).Scan(&holder, &answer)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			continue
		case err != nil:
			return mentorbot.RequestClaim{}, fmt.Errorf("look up request claim: %w", unread(err))
		case !holder.Valid:
			return mentorbot.RequestClaim{Outcome: mentorbot.RequestAnswered, Answer: answer}, nil
		case holder.String == owner:
			// Ours from before, its answer never recorded: as without a
			// claim, a redelivery handles it again.
			return mentorbot.RequestClaim{Outcome: mentorbot.RequestClaimed}, nil
		default:
			return mentorbot.RequestClaim{Outcome: mentorbot.RequestHeld, Owner: holder.String}, nil
		}
	}
	return mentorbot.RequestClaim{}, fmt.Errorf("claim request: its record kept vanishing")
}

// RecordRequest records a request's answer, and for whom so that erasing
// the person erases it too, in place of any claim on it; recording it
// again keeps the first answer.
func (s *DB) RecordRequest(ctx context.Context, key, userID string, answer []byte, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO handled_requests (key, user_id, answer, handled_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET user_id = excluded.user_id, answer = excluded.answer,
			handled_at = excluded.handled_at, owner = NULL, claimed_at = NULL
		WHERE handled_requests.owner IS NOT NULL`,
		key, nullString(userID), answer, formatTime(at))
	if err != nil {
		return fmt.Errorf("record handled request: %w", unsaved(err))
	}
	return nil
}

// ForgetRequestsBefore deletes records of requests handled, or claimed,
// before t.
func (s *DB) ForgetRequestsBefore(ctx context.Context, t time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM handled_requests WHERE handled_at < ?`, formatTime(t))
	if err != nil {
		return 0, fmt.Errorf("forget handled requests: %w", unsaved(err))
	}
	return res.RowsAffected()
}
