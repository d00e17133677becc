package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/mentorbot/mentorbot"
)

const sessionColumns = `pair_id, occurrence, starts_at, ends_at, state, revision, moved_by, skipped_by, skip_reason,
	mentor_coming, mentee_coming, mentor_held, mentee_held, mentor_held_at, mentee_held_at, declined_by, version`

// Session returns one session of a pair, or an ENOTFOUND error.
func (s *DB) Session(ctx context.Context, pairID int64, occurrence time.Time) (mentorbot.Session, error) {
	ss, err := s.sessions(ctx, `pair_id = ? AND occurrence = ?`, pairID, formatTime(occurrence))
	if err != nil {
		return mentorbot.Session{}, err
	}
	if len(ss) == 0 {
		return mentorbot.Session{}, mentorbot.Errorf(mentorbot.ENOTFOUND, "That session no longer exists.")
	}
	return ss[0], nil
}

// SessionsOf lists a pair's sessions, earliest occurrence first.
func (s *DB) SessionsOf(ctx context.Context, pairID int64) ([]mentorbot.Session, error) {
	return s.sessions(ctx, `pair_id = ?`, pairID)
}

// SessionsIn lists the sessions of a cycle's pairs, by pair and occurrence.
func (s *DB) SessionsIn(ctx context.Context, cycleID int64) ([]mentorbot.Session, error) {
	return s.sessions(ctx, `pair_id IN (SELECT id FROM pairs WHERE cycle_id = ?)`, cycleID)
}

// LastOccurrences maps each pair with sessions to its latest occurrence.
func (s *DB) LastOccurrences(ctx context.Context) (map[int64]time.Time, error) {
	last := map[int64]time.Time{}
	err := s.each(ctx, func(rows *sql.Rows) error {
		var id int64
		var raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return err
		}
		at, err := parseTime(raw)
		last[id] = at
		return err
	}, `SELECT pair_id, MAX(occurrence) FROM sessions GROUP BY pair_id`)
	if err != nil {
		return nil, fmt.Errorf("load last sessions: %w", err)
	}
	return last, nil
}

func (s *DB) sessions(ctx context.Context, where string, args ...any) ([]mentorbot.Session, error) {
	var out []mentorbot.Session
	err := s.each(ctx, func(rows *sql.Rows) error {
		ss, err := scanSession(rows)
		out = append(out, ss)
		return err
	}, `SELECT `+sessionColumns+` FROM sessions WHERE `+where+` ORDER BY pair_id, occurrence`, args...)
	if err != nil {
		return nil, fmt.Errorf("load sessions: %w", err)
	}
	return out, nil
}

func scanSession(rows *sql.Rows) (mentorbot.Session, error) {
	var (
		ss                         mentorbot.Session
		occurrence, starts, ends   string
		mentorHeldAt, menteeHeldAt sql.NullString
	)
	err := rows.Scan(&ss.PairID, &occurrence, &starts, &ends, &ss.State, &ss.Revision, &ss.MovedBy, &ss.SkippedBy, &ss.SkipReason,
		&ss.MentorComing, &ss.MenteeComing, &ss.MentorHeld, &ss.MenteeHeld, &mentorHeldAt, &menteeHeldAt, &ss.DeclinedBy, &ss.Version)
	if err != nil {
		return ss, err
	}
	for _, t := range []struct {
		raw  string
		into *time.Time
	}{{occurrence, &ss.Occurrence}, {starts, &ss.StartsAt}, {ends, &ss.EndsAt}} {
		if *t.into, err = parseTime(t.raw); err != nil {
			return ss, err
		}
	}
	if ss.MentorHeldAt, err = parseNullTime(mentorHeldAt); err != nil {
		return ss, err
	}
	ss.MenteeHeldAt, err = parseNullTime(menteeHeldAt)
	return ss, err
}

// saveSessions inserts the sessions whose Version is 0, leaving one that
// is already stored as it is, and updates the others while their stored
// version is still the one they were loaded at. It returns each session's
// version as stored: 1 when inserted, one more when updated, and 0 when an
// existing session was left alone. Planning writes thousands at once, so
// each statement is prepared once.
func saveSessions(ctx context.Context, tx handle, sessions []mentorbot.Session) ([]int, error) {
	if len(sessions) == 0 {
		return nil, nil
	}
	versions := make([]int, len(sessions))
	var insert, update *sql.Stmt
	defer func() {
		for _, st := range []*sql.Stmt{insert, update} {
			if st != nil {
				st.Close()
			}
		}
	}()
	for i := range sessions {
		ss := sessions[i]
		args := []any{formatTime(ss.StartsAt), formatTime(ss.EndsAt), string(ss.State), ss.Revision, ss.MovedBy, ss.SkippedBy, ss.SkipReason,
			ss.MentorComing, ss.MenteeComing, string(ss.MentorHeld), string(ss.MenteeHeld), nullTime(ss.MentorHeldAt), nullTime(ss.MenteeHeldAt),
			ss.DeclinedBy, ss.PairID, formatTime(ss.Occurrence)}
		var err error
		if ss.Version == 0 {
			if insert == nil {
				if insert, err = tx.PrepareContext(ctx, `
					INSERT INTO sessions (starts_at, ends_at, state, revision, moved_by, skipped_by, skip_reason,
						mentor_coming, mentee_coming, mentor_held, mentee_held, mentor_held_at, mentee_held_at, declined_by, pair_id, occurrence, version)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
					ON CONFLICT (pair_id, occurrence) DO NOTHING`); err != nil {
					return nil, fmt.Errorf("save sessions: %w", err)
				}
			}
			res, err := insert.ExecContext(ctx, args...)
			if err != nil {
				return nil, fmt.Errorf("save session of pair %d at %s: %w", ss.PairID, formatTime(ss.Occurrence), err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return nil, err
			} else if n == 1 {
				versions[i] = 1
			}
			continue
		}
		if update == nil {
			if update, err = tx.PrepareContext(ctx, `
				UPDATE sessions SET starts_at = ?, ends_at = ?, state = ?, revision = ?, moved_by = ?, skipped_by = ?, skip_reason = ?,
					mentor_coming = ?, mentee_coming = ?, mentor_held = ?, mentee_held = ?, mentor_held_at = ?, mentee_held_at = ?,
					declined_by = ?, version = version + 1
				WHERE pair_id = ? AND occurrence = ? AND version = ?`); err != nil {
				return nil, fmt.Errorf("save sessions: %w", err)
			}
		}
		res, err := update.ExecContext(ctx, append(args, ss.Version)...)
		if err != nil {
			return nil, fmt.Errorf("save session of pair %d at %s: %w", ss.PairID, formatTime(ss.Occurrence), err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return nil, mentorbot.Errorf(mentorbot.ECONFLICT, "This session changed a moment ago; please try again.")
		}
		versions[i] = ss.Version + 1
	}
	return versions, nil
}
