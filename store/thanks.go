package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/mentorbot/mentorbot"
)

const thanksColumns = `id, pair_id, cycle_id, author_id, text, mentor_yes, mentee_yes, state, version, created_at, post_at`

// Thanks returns the thank-you with this ID, or an ENOTFOUND error.
func (s *DB) Thanks(ctx context.Context, id int64) (mentorbot.Thanks, error) {
	ts, err := s.thanks(ctx, `id = ?`, id)
	if err != nil {
		return mentorbot.Thanks{}, err
	}
	if len(ts) == 0 {
		return mentorbot.Thanks{}, mentorbot.Errorf(mentorbot.ENOTFOUND, "That thank-you no longer exists.")
	}
	return ts[0], nil
}

// ThanksOf lists a pair's thank-yous, oldest first.
func (s *DB) ThanksOf(ctx context.Context, pairID int64) ([]mentorbot.Thanks, error) {
	return s.thanks(ctx, `pair_id = ? ORDER BY id`, pairID)
}

// LastThanksPostAt is when the latest owed post of any thank-you is due.
func (s *DB) LastThanksPostAt(ctx context.Context) (time.Time, error) {
	var last sql.NullString
	err := s.each(ctx, func(rows *sql.Rows) error { return rows.Scan(&last) },
		`SELECT MAX(post_at) FROM thanks WHERE state IN ('agreed', 'posted')`)
	if err != nil {
		return time.Time{}, fmt.Errorf("load the last thank-you post: %w", err)
	}
	return parseNullTime(last)
}

func (s *DB) thanks(ctx context.Context, whereOrder string, args ...any) ([]mentorbot.Thanks, error) {
	var out []mentorbot.Thanks
	err := s.each(ctx, func(rows *sql.Rows) error {
		var (
			t         mentorbot.Thanks
			createdAt string
			postAt    sql.NullString
		)
		err := rows.Scan(&t.ID, &t.PairID, &t.CycleID, &t.AuthorID, &t.Text, &t.MentorYes, &t.MenteeYes, &t.State, &t.Version, &createdAt, &postAt)
		if err != nil {
			return err
		}
		if t.CreatedAt, err = parseTime(createdAt); err != nil {
			return err
		}
		if t.PostAt, err = parseNullTime(postAt); err != nil {
			return err
		}
		out = append(out, t)
		return nil
	}, `SELECT `+thanksColumns+` FROM thanks WHERE `+whereOrder, args...)
	if err != nil {
		return nil, fmt.Errorf("load thanks: %w", err)
	}
	return out, nil
}

// saveThanks inserts a new thank-you, once per author and pair, and
// updates one only at the version it was read at.
func saveThanks(ctx context.Context, tx handle, ts []mentorbot.Thanks) error {
	for _, t := range ts {
		var (
			res sql.Result
			err error
		)
		if t.ID == 0 {
			res, err = tx.ExecContext(ctx, `
				INSERT INTO thanks (pair_id, cycle_id, author_id, text, mentor_yes, mentee_yes, state, version, created_at, post_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT (pair_id, author_id) DO NOTHING`,
				t.PairID, t.CycleID, t.AuthorID, t.Text, t.MentorYes, t.MenteeYes, string(t.State), formatTime(t.CreatedAt), nullTime(t.PostAt))
		} else {
			res, err = tx.ExecContext(ctx, `
				UPDATE thanks SET mentor_yes = ?, mentee_yes = ?, state = ?, post_at = ?, version = version + 1
				WHERE id = ? AND version = ?`,
				t.MentorYes, t.MenteeYes, string(t.State), nullTime(t.PostAt), t.ID, t.Version)
		}
		if err != nil {
			return fmt.Errorf("save thanks of pair %d by %s: %w", t.PairID, t.AuthorID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("save thanks of pair %d by %s: %w", t.PairID, t.AuthorID, err)
		} else if n == 0 && t.ID == 0 {
			return mentorbot.Errorf(mentorbot.ECONFLICT, "You've offered your thank-you already; its message in your DMs shows where it stands.")
		} else if n == 0 {
			return mentorbot.Errorf(mentorbot.ECONFLICT, "Your partner answered at the same moment; please try again.")
		}
	}
	return nil
}
