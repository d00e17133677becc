package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/mentorbot/mentorbot"
)

// OpenCycle returns the cycle that is open, or an ENOTFOUND error.
func (s *DB) OpenCycle(ctx context.Context) (mentorbot.Cycle, error) {
	var (
		c                                      mentorbot.Cycle
		startsOn, endsOn, createdAt, updatedAt string
		minutes                                int
		closedAt                               sql.NullString
	)
	err := s.db.QueryRowContext(ctx, `
		SELECT id, name, starts_on, ends_on, cadence, session_minutes, ground_rules, created_by, created_at, updated_at, closed_at,
			cross_department, weight_topics, weight_overlap, weight_department, answer_days
		FROM cycles WHERE closed_at IS NULL`).
		Scan(&c.ID, &c.Name, &startsOn, &endsOn, &c.Cadence, &minutes, &c.GroundRules, &c.CreatedBy, &createdAt, &updatedAt, &closedAt,
			&c.Matching.CrossDepartment, &c.Matching.WeightTopics, &c.Matching.WeightOverlap, &c.Matching.WeightDepartment, &c.Matching.AnswerDays)
	if errors.Is(err, sql.ErrNoRows) {
		return mentorbot.Cycle{}, mentorbot.Errorf(mentorbot.ENOTFOUND, "No cycle is open.")
	}
	if err != nil {
		return mentorbot.Cycle{}, fmt.Errorf("load open cycle: %w", err)
	}
	c.SessionLength = time.Duration(minutes) * time.Minute
	if c.StartsOn, err = time.Parse(time.DateOnly, startsOn); err != nil {
		return mentorbot.Cycle{}, fmt.Errorf("stored date %q: %w", startsOn, err)
	}
	if c.EndsOn, err = time.Parse(time.DateOnly, endsOn); err != nil {
		return mentorbot.Cycle{}, fmt.Errorf("stored date %q: %w", endsOn, err)
	}
	if c.CreatedAt, err = parseTime(createdAt); err != nil {
		return mentorbot.Cycle{}, err
	}
	if c.UpdatedAt, err = parseTime(updatedAt); err != nil {
		return mentorbot.Cycle{}, err
	}
	if c.ClosedAt, err = parseNullTime(closedAt); err != nil {
		return mentorbot.Cycle{}, err
	}
	err = s.each(ctx, func(rows *sql.Rows) error {
		var topic string
		if err := rows.Scan(&topic); err != nil {
			return err
		}
		c.Topics = append(c.Topics, topic)
		return nil
	}, `SELECT topic FROM cycle_topics WHERE cycle_id = ? ORDER BY position`, c.ID)
	if err != nil {
		return mentorbot.Cycle{}, fmt.Errorf("load topics of cycle %d: %w", c.ID, err)
	}
	return c, nil
}

// SaveCycle inserts a cycle whose ID is 0 and returns it with its ID, or
// replaces the cycle with that ID. Saving a second open cycle is an
// ECONFLICT error.
func (s *DB) SaveCycle(ctx context.Context, c mentorbot.Cycle) (mentorbot.Cycle, error) {
	if c.Matching == (mentorbot.MatchSettings{}) {
		c.Matching = mentorbot.DefaultMatchSettings
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		args := []any{c.Name, c.StartsOn.Format(time.DateOnly), c.EndsOn.Format(time.DateOnly), string(c.Cadence),
			int(c.SessionLength / time.Minute), c.GroundRules, c.CreatedBy, formatTime(c.CreatedAt), formatTime(c.UpdatedAt),
			nullTime(c.ClosedAt), string(c.Matching.CrossDepartment), c.Matching.WeightTopics, c.Matching.WeightOverlap,
			c.Matching.WeightDepartment, c.Matching.AnswerDays}
		if c.ID == 0 {
			res, err := tx.ExecContext(ctx, `
				INSERT INTO cycles (name, starts_on, ends_on, cadence, session_minutes, ground_rules, created_by, created_at, updated_at, closed_at,
					cross_department, weight_topics, weight_overlap, weight_department, answer_days)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
			if err != nil {
				return err
			}
			if c.ID, err = res.LastInsertId(); err != nil {
				return err
			}
		} else if err := updateOne(ctx, tx, `
			UPDATE cycles SET name = ?, starts_on = ?, ends_on = ?, cadence = ?, session_minutes = ?, ground_rules = ?,
				created_by = ?, created_at = ?, updated_at = ?, closed_at = ?,
				cross_department = ?, weight_topics = ?, weight_overlap = ?, weight_department = ?, answer_days = ?
			WHERE id = ?`, append(args, c.ID)...); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM cycle_topics WHERE cycle_id = ?`, c.ID); err != nil {
			return err
		}
		for i, topic := range c.Topics {
			if _, err := tx.ExecContext(ctx, `INSERT INTO cycle_topics (cycle_id, position, topic) VALUES (?, ?, ?)`,
				c.ID, i, topic); err != nil {
				return err
			}
		}
		return nil
	})
	// one_open_cycle is the only unique constraint a save can break: IDs
	// come from SQLite and topics are deleted before they are inserted.
	if e, ok := errors.AsType[*sqlite.Error](err); ok && e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE {
		return mentorbot.Cycle{}, mentorbot.Errorf(mentorbot.ECONFLICT, "Another cycle is already open; close it before opening a new one.")
	}
	if err != nil {
		return mentorbot.Cycle{}, fmt.Errorf("save cycle %q: %w", c.Name, err)
	}
	return c, nil
}
