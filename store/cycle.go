package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/mentorbot/mentorbot"
)

// OpenCycle returns the cycle that is open, or an ENOTFOUND error.
func (s *DB) OpenCycle(ctx context.Context) (mentorbot.Cycle, error) {
	cs, err := s.cycles(ctx, `closed_at IS NULL`)
	if err == nil && len(cs) == 0 {
		err = mentorbot.Errorf(mentorbot.ENOTFOUND, "No cycle is open.")
	}
	if err != nil {
		return mentorbot.Cycle{}, err
	}
	return cs[0], nil
}

// Cycle returns the cycle with this ID, or an ENOTFOUND error.
func (s *DB) Cycle(ctx context.Context, id int64) (mentorbot.Cycle, error) {
	cs, err := s.cycles(ctx, `id = ?`, id)
	if err == nil && len(cs) == 0 {
		err = mentorbot.Errorf(mentorbot.ENOTFOUND, "That cycle doesn't exist.")
	}
	if err != nil {
		return mentorbot.Cycle{}, err
	}
	return cs[0], nil
}

// Cycles lists every cycle, newest first.
func (s *DB) Cycles(ctx context.Context) ([]mentorbot.Cycle, error) {
	return s.cycles(ctx, `TRUE`)
}

// cycles loads the cycles matching where, newest first, with their topics.
func (s *DB) cycles(ctx context.Context, where string, args ...any) ([]mentorbot.Cycle, error) {
	var out []mentorbot.Cycle
	err := s.each(ctx, func(rows *sql.Rows) error {
		var (
			c                                      mentorbot.Cycle
			startsOn, endsOn, createdAt, updatedAt string
			minutes                                int
			closedAt, surveyedAt                   sql.NullString
		)
		err := rows.Scan(&c.ID, &c.Name, &startsOn, &endsOn, &c.Cadence, &minutes, &c.GroundRules, &c.CreatedBy, &createdAt, &updatedAt, &closedAt,
			&c.Matching.CrossDepartment, &c.Matching.WeightTopics, &c.Matching.WeightOverlap, &c.Matching.WeightDepartment, &c.Matching.AnswerDays, &surveyedAt)
		if err != nil {
			return err
		}
		c.SessionLength = time.Duration(minutes) * time.Minute
		if c.StartsOn, err = time.Parse(time.DateOnly, startsOn); err != nil {
			return fmt.Errorf("stored date %q: %w", startsOn, err)
		}
		if c.EndsOn, err = time.Parse(time.DateOnly, endsOn); err != nil {
			return fmt.Errorf("stored date %q: %w", endsOn, err)
		}
		for _, t := range []struct {
			raw  sql.NullString
			into *time.Time
		}{{sql.NullString{String: createdAt, Valid: true}, &c.CreatedAt}, {sql.NullString{String: updatedAt, Valid: true}, &c.UpdatedAt}, {closedAt, &c.ClosedAt}, {surveyedAt, &c.SurveyedAt}} {
			if *t.into, err = parseNullTime(t.raw); err != nil {
				return err
			}
		}
		out = append(out, c)
		return nil
	}, `SELECT id, name, starts_on, ends_on, cadence, session_minutes, ground_rules, created_by, created_at, updated_at, closed_at,
			cross_department, weight_topics, weight_overlap, weight_department, answer_days, surveyed_at
		FROM cycles WHERE `+where+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("load cycles: %w", err)
	}
	for i := range out {
		c := &out[i]
		err = s.each(ctx, func(rows *sql.Rows) error {
			var topic string
			if err := rows.Scan(&topic); err != nil {
				return err
			}
			c.Topics = append(c.Topics, topic)
			return nil
		}, `SELECT topic FROM cycle_topics WHERE cycle_id = ? ORDER BY position`, c.ID)
		if err != nil {
			return nil, fmt.Errorf("load topics of cycle %d: %w", c.ID, err)
		}
	}
	return out, nil
}

// SaveCycle inserts a cycle whose ID is 0 and returns it with its ID, or
// replaces the cycle with that ID. Saving a second open cycle is an
// ECONFLICT error.
func (s *DB) SaveCycle(ctx context.Context, c mentorbot.Cycle) (mentorbot.Cycle, error) {
	if c.Matching == (mentorbot.MatchSettings{}) {
		c.Matching = mentorbot.DefaultMatchSettings
	}
	var saved mentorbot.Cycle
	err := s.inTx(ctx, func(tx handle) error {
		var err error
		saved, err = saveCycle(ctx, tx, c)
		return err
	})
	if err != nil {
		return mentorbot.Cycle{}, cycleConflict(fmt.Errorf("save cycle %q: %w", c.Name, err))
	}
	return saved, nil
}

// cycleConflict turns a broken one_open_cycle into the conflict it is.
// It is the only unique constraint saving a cycle can break: IDs come
// from the database and topics are deleted before they are inserted.
func cycleConflict(err error) error {
	if isUniqueViolation(err) {
		return mentorbot.Errorf(mentorbot.ECONFLICT, "Another cycle is already open; close it before opening a new one.")
	}
	return err
}

// saveCycle inserts or replaces a cycle in tx and returns it with its ID.
func saveCycle(ctx context.Context, tx handle, c mentorbot.Cycle) (mentorbot.Cycle, error) {
	args := []any{c.Name, c.StartsOn.Format(time.DateOnly), c.EndsOn.Format(time.DateOnly), string(c.Cadence),
		int(c.SessionLength / time.Minute), c.GroundRules, c.CreatedBy, formatTime(c.CreatedAt), formatTime(c.UpdatedAt),
		nullTime(c.ClosedAt), string(c.Matching.CrossDepartment), c.Matching.WeightTopics, c.Matching.WeightOverlap,
		c.Matching.WeightDepartment, c.Matching.AnswerDays, nullTime(c.SurveyedAt)}
	if c.ID == 0 {
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO cycles (name, starts_on, ends_on, cadence, session_minutes, ground_rules, created_by, created_at, updated_at, closed_at,
				cross_department, weight_topics, weight_overlap, weight_department, answer_days, surveyed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, args...).Scan(&c.ID); err != nil {
			return c, err
		}
	} else if err := updateOne(ctx, tx, `
		UPDATE cycles SET name = ?, starts_on = ?, ends_on = ?, cadence = ?, session_minutes = ?, ground_rules = ?,
			created_by = ?, created_at = ?, updated_at = ?, closed_at = ?,
			cross_department = ?, weight_topics = ?, weight_overlap = ?, weight_department = ?, answer_days = ?, surveyed_at = ?
		WHERE id = ?`, append(args, c.ID)...); err != nil {
		return c, err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM cycle_topics WHERE cycle_id = ?`, c.ID); err != nil {
		return c, err
	}
	for i, topic := range c.Topics {
		if _, err := tx.ExecContext(ctx, `INSERT INTO cycle_topics (cycle_id, position, topic) VALUES (?, ?, ?)`,
			c.ID, i, topic); err != nil {
			return c, err
		}
	}
	return c, nil
}
