package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mentorbot/mentorbot"
)

// UnpublishedRound returns the cycle's unpublished round with its pairs and the
// people it left out, or an ENOTFOUND error.
func (s *DB) UnpublishedRound(ctx context.Context, cycleID int64) (mentorbot.Round, error) {
	var (
		r                 mentorbot.Round
		createdAt, report string
		publishedAt       sql.NullString
	)
	err := s.db.QueryRowContext(ctx, `
		SELECT id, cycle_id, state, created_by, created_at, published_at, report
		FROM rounds WHERE cycle_id = ? AND state = 'draft'`, cycleID).
		Scan(&r.ID, &r.CycleID, &r.State, &r.CreatedBy, &createdAt, &publishedAt, &report)
	if errors.Is(err, sql.ErrNoRows) {
		return r, mentorbot.Errorf(mentorbot.ENOTFOUND, "There is no draft round. Type /mentor match to make one.")
	}
	if err != nil {
		return r, fmt.Errorf("load draft round: %w", unread(err))
	}
	if r.CreatedAt, err = parseTime(createdAt); err != nil {
		return r, err
	}
	if r.PublishedAt, err = parseNullTime(publishedAt); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(report), &r.Report); err != nil {
		return r, fmt.Errorf("read report of round %d: %w", r.ID, err)
	}
	if r.Pairs, err = s.pairs(ctx, `round_id = ? AND state IN ('draft', 'removed')`, r.ID); err != nil {
		return r, err
	}
	err = s.each(ctx, func(rows *sql.Rows) error {
		var u mentorbot.Unmatched
		if err := rows.Scan(&u.ParticipantID, &u.Role, &u.Why); err != nil {
			return err
		}
		r.Unmatched = append(r.Unmatched, u)
		return nil
	}, `SELECT participant_id, role, why FROM round_unmatched WHERE round_id = ? ORDER BY role DESC, participant_id`, r.ID)
	if err != nil {
		return r, fmt.Errorf("load who round %d left out: %w", r.ID, err)
	}
	return r, nil
}

// saveRound inserts a round whose ID is 0 or updates it, replaces the
// people it left out, and clears a draft's unlocked draft pairs so the
// change's pairs replace them. It returns the round's ID.
func saveRound(ctx context.Context, tx handle, r mentorbot.Round) (int64, error) {
	report, err := json.Marshal(r.Report)
	if err != nil {
		return 0, fmt.Errorf("write report: %w", err)
	}
	args := []any{r.CycleID, string(r.State), r.CreatedBy, formatTime(r.CreatedAt), nullTime(r.PublishedAt), string(report)}
	if r.ID == 0 {
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO rounds (cycle_id, state, created_by, created_at, published_at, report) VALUES (?, ?, ?, ?, ?, ?)
			RETURNING id`, args...).Scan(&r.ID); err != nil {
			return 0, fmt.Errorf("save round: %w", err)
		}
	} else if err := updateOne(ctx, tx, `
		UPDATE rounds SET cycle_id = ?, state = ?, created_by = ?, created_at = ?, published_at = ?, report = ? WHERE id = ?`,
		append(args, r.ID)...); err != nil {
		return 0, fmt.Errorf("save round %d: %w", r.ID, err)
	}
	if r.State == mentorbot.RoundDraft {
		if _, err := tx.ExecContext(ctx, `DELETE FROM pairs WHERE round_id = ? AND state = 'draft' AND NOT locked`, r.ID); err != nil {
			return 0, fmt.Errorf("clear draft of round %d: %w", r.ID, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM round_unmatched WHERE round_id = ?`, r.ID); err != nil {
		return 0, fmt.Errorf("clear who round %d left out: %w", r.ID, err)
	}
	for _, u := range r.Unmatched {
		if _, err := tx.ExecContext(ctx, `INSERT INTO round_unmatched (round_id, participant_id, role, why) VALUES (?, ?, ?, ?)`,
			r.ID, u.ParticipantID, string(u.Role), u.Why); err != nil {
			return 0, fmt.Errorf("save who round %d left out: %w", r.ID, err)
		}
	}
	return r.ID, nil
}

// DontPairs lists the entries in force in a cycle: its own and those for good.
func (s *DB) DontPairs(ctx context.Context, cycleID int64) ([]mentorbot.DontPair, error) {
	return s.dontPairs(ctx, `cycle_id IN (0, ?)`, cycleID)
}

// DontPairsBy lists the entries a person made for themselves.
func (s *DB) DontPairsBy(ctx context.Context, personID string) ([]mentorbot.DontPair, error) {
	return s.dontPairs(ctx, `person_id = ?1 AND by_id = ?1`, personID)
}

func (s *DB) dontPairs(ctx context.Context, where string, arg any) ([]mentorbot.DontPair, error) {
	var out []mentorbot.DontPair
	err := s.each(ctx, func(rows *sql.Rows) error {
		var d mentorbot.DontPair
		var at string
		if err := rows.Scan(&d.PersonID, &d.OtherID, &d.By, &d.CycleID, &at); err != nil {
			return err
		}
		var err error
		d.CreatedAt, err = parseTime(at)
		out = append(out, d)
		return err
	}, `SELECT person_id, other_id, by_id, cycle_id, created_at FROM dont_pair WHERE `+where+` ORDER BY id`, arg)
	if err != nil {
		return nil, fmt.Errorf("load don't-pair entries: %w", err)
	}
	return out, nil
}

func dropDontPair(ctx context.Context, tx handle, d mentorbot.DontPair) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM dont_pair WHERE person_id = ? AND other_id = ? AND cycle_id = ?`, d.PersonID, d.OtherID, d.CycleID)
	if err != nil {
		return fmt.Errorf("drop don't-pair entry: %w", err)
	}
	return nil
}

func saveDontPair(ctx context.Context, tx handle, d mentorbot.DontPair) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO dont_pair (person_id, other_id, by_id, cycle_id, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, d.PersonID, d.OtherID, d.By, d.CycleID, formatTime(d.CreatedAt))
	if err != nil {
		return fmt.Errorf("save don't-pair entry: %w", err)
	}
	return nil
}
