package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/mentorbot/mentorbot"
)

const teachInColumns = `id, cycle_id, host_id, topic, title, starts_at, ends_at, time_zone, places, join_how, description,
	state, revision, calendar_sequence, created_at, version`

const placeColumns = `teach_in_id, participant_id, state, queued_at, useful, recommend, answered_at`

// TeachIn returns the teach-in with this ID, or an ENOTFOUND error.
func (s *DB) TeachIn(ctx context.Context, id int64) (mentorbot.TeachIn, error) {
	ts, err := s.teachIns(ctx, `id = ?`, id)
	if err != nil {
		return mentorbot.TeachIn{}, err
	}
	if len(ts) == 0 {
		return mentorbot.TeachIn{}, mentorbot.Errorf(mentorbot.ENOTFOUND, "That teach-in no longer exists.")
	}
	return ts[0], nil
}

// TeachInsFrom lists the teach-ins starting after from, soonest first.
func (s *DB) TeachInsFrom(ctx context.Context, from time.Time) ([]mentorbot.TeachIn, error) {
	return s.teachIns(ctx, `starts_at > ?`, formatTime(from))
}

func (s *DB) teachIns(ctx context.Context, where string, args ...any) ([]mentorbot.TeachIn, error) {
	var out []mentorbot.TeachIn
	err := s.each(ctx, func(rows *sql.Rows) error {
		var (
			t                       mentorbot.TeachIn
			starts, ends, createdAt string
		)
		err := rows.Scan(&t.ID, &t.CycleID, &t.HostID, &t.Topic, &t.Title, &starts, &ends, &t.TimeZone, &t.Places, &t.JoinHow, &t.Description,
			&t.State, &t.Revision, &t.CalendarSequence, &createdAt, &t.Version)
		if err != nil {
			return err
		}
		for _, at := range []struct {
			raw  string
			into *time.Time
		}{{starts, &t.StartsAt}, {ends, &t.EndsAt}, {createdAt, &t.CreatedAt}} {
			if *at.into, err = parseTime(at.raw); err != nil {
				return err
			}
		}
		out = append(out, t)
		return nil
	}, `SELECT `+teachInColumns+` FROM teach_ins WHERE `+where+` ORDER BY starts_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("load teach-ins: %w", err)
	}
	return out, nil
}

// TeachInPlaces lists a teach-in's sign-ups, first come first.
func (s *DB) TeachInPlaces(ctx context.Context, teachInID int64) ([]mentorbot.TeachInPlace, error) {
	var out []mentorbot.TeachInPlace
	err := s.each(ctx, func(rows *sql.Rows) error {
		var (
			p        mentorbot.TeachInPlace
			queued   string
			answered sql.NullString
		)
		if err := rows.Scan(&p.TeachInID, &p.ParticipantID, &p.State, &queued, &p.Useful, &p.Recommend, &answered); err != nil {
			return err
		}
		var err error
		if p.QueuedAt, err = parseTime(queued); err != nil {
			return err
		}
		p.AnsweredAt, err = parseNullTime(answered)
		out = append(out, p)
		return err
	}, `SELECT `+placeColumns+` FROM teach_in_places WHERE teach_in_id = ? ORDER BY queued_at, participant_id`, teachInID)
	if err != nil {
		return nil, fmt.Errorf("load sign-ups: %w", err)
	}
	return out, nil
}

// saveTeachIn inserts a teach-in whose ID is 0 and returns its ID, or
// updates it while its stored version is still the one it was loaded at.
func saveTeachIn(ctx context.Context, tx handle, t mentorbot.TeachIn) (int64, error) {
	args := []any{t.CycleID, t.HostID, t.Topic, t.Title, formatTime(t.StartsAt), formatTime(t.EndsAt), t.TimeZone, t.Places, t.JoinHow,
		t.Description, string(t.State), t.Revision, t.CalendarSequence, formatTime(t.CreatedAt)}
	if t.ID == 0 {
		var id int64
		columns := strings.TrimSuffix(strings.TrimPrefix(teachInColumns, "id, "), ", version")
		err := tx.QueryRowContext(ctx, `INSERT INTO teach_ins (`+columns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, args...).Scan(&id)
		if err != nil {
			return 0, fmt.Errorf("save teach-in %q: %w", t.Title, err)
		}
		return id, nil
	}
	res, err := tx.ExecContext(ctx, `
		UPDATE teach_ins SET cycle_id = ?, host_id = ?, topic = ?, title = ?, starts_at = ?, ends_at = ?, time_zone = ?, places = ?,
			join_how = ?, description = ?, state = ?, revision = ?, calendar_sequence = ?, created_at = ?, version = version + 1
		WHERE id = ? AND version = ?`, append(args, t.ID, t.Version)...)
	if err != nil {
		return 0, fmt.Errorf("save teach-in %d: %w", t.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, err
	} else if n != 1 {
		return 0, mentorbot.Errorf(mentorbot.ECONFLICT, "This teach-in changed a moment ago; please try again.")
	}
	return t.ID, nil
}

// saveTeachInPlaces inserts each place, or replaces the person's place.
func saveTeachInPlaces(ctx context.Context, tx handle, places []mentorbot.TeachInPlace, newTeachIn int64) error {
	for _, p := range places {
		if p.TeachInID == 0 {
			p.TeachInID = newTeachIn
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO teach_in_places (`+placeColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (teach_in_id, participant_id) DO UPDATE SET state = excluded.state, queued_at = excluded.queued_at,
				useful = excluded.useful, recommend = excluded.recommend, answered_at = excluded.answered_at`,
			p.TeachInID, p.ParticipantID, string(p.State), formatTime(p.QueuedAt), p.Useful, string(p.Recommend), nullTime(p.AnsweredAt))
		if err != nil {
			return fmt.Errorf("save %s's place at teach-in %d: %w", p.ParticipantID, p.TeachInID, err)
		}
	}
	return nil
}
