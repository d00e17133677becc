package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// HandledRequest returns the answer recorded for a request key.
func (s *DB) HandledRequest(ctx context.Context, key string) ([]byte, bool, error) {
	var answer []byte
	err := s.db.QueryRowContext(ctx, `SELECT answer FROM handled_requests WHERE key = ?`, key).Scan(&answer)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("look up handled request: %w", unread(err))
	}
	return answer, true, nil
}

// RecordRequest records that a request was handled, and for whom so that
// erasing the person erases it too; recording it again keeps the first
// answer.
func (s *DB) RecordRequest(ctx context.Context, key, userID string, answer []byte, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO handled_requests (key, user_id, answer, handled_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO NOTHING`,
		key, nullString(userID), answer, formatTime(at))
	if err != nil {
		return fmt.Errorf("record handled request: %w", unsaved(err))
	}
	return nil
}

// ForgetRequestsBefore deletes records of requests handled before t.
func (s *DB) ForgetRequestsBefore(ctx context.Context, t time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM handled_requests WHERE handled_at < ?`, formatTime(t))
	if err != nil {
		return 0, fmt.Errorf("forget handled requests: %w", unsaved(err))
	}
	return res.RowsAffected()
}
