package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mentorbot/mentorbot"
)

// Participant returns the participant with this ID, or an ENOTFOUND error.
func (s *DB) Participant(ctx context.Context, id string) (mentorbot.Participant, error) {
	var (
		p                   mentorbot.Participant
		role, state         string
		manager             sql.NullString
		joinedAt, updatedAt string
	)
	err := s.db.QueryRowContext(ctx, `
		SELECT id, role, state, job_level, department, manager_id, time_zone, pitch, joined_at, updated_at
		FROM participants WHERE id = ?`, id).
		Scan(&p.ID, &role, &state, &p.JobLevel, &p.Department, &manager, &p.TimeZone, &p.Pitch, &joinedAt, &updatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return mentorbot.Participant{}, mentorbot.Errorf(mentorbot.ENOTFOUND, "You haven't joined the programme yet.")
	}
	if err != nil {
		return mentorbot.Participant{}, fmt.Errorf("load participant %s: %w", id, err)
	}
	p.Role, p.State, p.ManagerID = mentorbot.Role(role), mentorbot.State(state), manager.String
	if p.JoinedAt, err = parseTime(joinedAt); err != nil {
		return mentorbot.Participant{}, err
	}
	if p.UpdatedAt, err = parseTime(updatedAt); err != nil {
		return mentorbot.Participant{}, err
	}
	if p.Topics, err = s.participantTopics(ctx, id); err != nil {
		return mentorbot.Participant{}, err
	}
	if p.Availability, err = s.participantAvailability(ctx, id); err != nil {
		return mentorbot.Participant{}, err
	}
	return p, nil
}

func (s *DB) participantTopics(ctx context.Context, id string) ([]mentorbot.TopicInterest, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT topic, level FROM participant_topics WHERE participant_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, fmt.Errorf("load topics of %s: %w", id, err)
	}
	defer rows.Close()
	var topics []mentorbot.TopicInterest
	for rows.Next() {
		var t mentorbot.TopicInterest
		if err := rows.Scan(&t.Topic, &t.Level); err != nil {
			return nil, fmt.Errorf("load topics of %s: %w", id, err)
		}
		topics = append(topics, t)
	}
	return topics, rows.Err()
}

func (s *DB) participantAvailability(ctx context.Context, id string) (mentorbot.Availability, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT weekday, start_minute, end_minute FROM availability_windows WHERE participant_id = ?
		ORDER BY (weekday + 6) % 7, start_minute`, id)
	if err != nil {
		return nil, fmt.Errorf("load availability of %s: %w", id, err)
	}
	defer rows.Close()
	var a mentorbot.Availability
	for rows.Next() {
		var w mentorbot.Window
		var day int
		if err := rows.Scan(&day, &w.Start, &w.End); err != nil {
			return nil, fmt.Errorf("load availability of %s: %w", id, err)
		}
		w.Day = time.Weekday(day)
		a = append(a, w)
	}
	return a, rows.Err()
}

// SaveParticipant inserts or replaces a participant with their topics and
// availability, all in one transaction.
func (s *DB) SaveParticipant(ctx context.Context, p mentorbot.Participant) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		manager := sql.NullString{String: p.ManagerID, Valid: p.ManagerID != ""}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO participants (id, role, state, job_level, department, manager_id, time_zone, pitch, joined_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET
				role = excluded.role, state = excluded.state, job_level = excluded.job_level,
				department = excluded.department, manager_id = excluded.manager_id, time_zone = excluded.time_zone,
				pitch = excluded.pitch, updated_at = excluded.updated_at`,
			p.ID, string(p.Role), string(p.State), int(p.JobLevel), p.Department, manager, p.TimeZone, p.Pitch,
			formatTime(p.JoinedAt), formatTime(p.UpdatedAt)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM participant_topics WHERE participant_id = ?`, p.ID); err != nil {
			return err
		}
		for i, t := range p.Topics {
			if _, err := tx.ExecContext(ctx, `INSERT INTO participant_topics (participant_id, position, topic, level) VALUES (?, ?, ?, ?)`,
				p.ID, i, t.Topic, int(t.Level)); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM availability_windows WHERE participant_id = ?`, p.ID); err != nil {
			return err
		}
		for _, w := range p.Availability {
			if _, err := tx.ExecContext(ctx, `INSERT INTO availability_windows (participant_id, weekday, start_minute, end_minute) VALUES (?, ?, ?, ?)`,
				p.ID, int(w.Day), w.Start, w.End); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save participant %s: %w", p.ID, err)
	}
	return nil
}
