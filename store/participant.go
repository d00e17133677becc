package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/mentorbot/mentorbot"
)

const participantColumns = `id, role, state, state_since, paused_until, resume_state, screened_in_cycle,
	job_level, department, manager_id, time_zone, pitch, joined_at, updated_at, capacity`

// Participant returns the participant with this ID, or an ENOTFOUND error.
func (s *DB) Participant(ctx context.Context, id string) (mentorbot.Participant, error) {
	ps, err := s.participants(ctx, "id = ?", id)
	if err != nil {
		return mentorbot.Participant{}, fmt.Errorf("load participant %s: %w", id, err)
	}
	if len(ps) == 0 {
		return mentorbot.Participant{}, mentorbot.Errorf(mentorbot.ENOTFOUND, "You haven't joined the programme yet.")
	}
	return ps[0], nil
}

// ParticipantsIn lists the participants in a state, longest there first.
func (s *DB) ParticipantsIn(ctx context.Context, state mentorbot.State) ([]mentorbot.Participant, error) {
	ps, err := s.participants(ctx, "state = ?", string(state))
	if err != nil {
		return nil, fmt.Errorf("load participants %s: %w", state, err)
	}
	return ps, nil
}

// participants loads the participants matching the where clause, with their
// topics and availability: three queries however many people match.
func (s *DB) participants(ctx context.Context, where string, arg any) ([]mentorbot.Participant, error) {
	var ps []mentorbot.Participant
	index := map[string]int{}
	err := s.each(ctx, func(rows *sql.Rows) error {
		p, err := scanParticipant(rows)
		if err != nil {
			return err
		}
		index[p.ID] = len(ps)
		ps = append(ps, p)
		return nil
	}, `SELECT `+participantColumns+` FROM participants WHERE `+where+` ORDER BY state_since, id`, arg)
	if err != nil || len(ps) == 0 {
		return nil, err
	}

	matching := `participant_id IN (SELECT id FROM participants WHERE ` + where + `)`
	err = s.each(ctx, func(rows *sql.Rows) error {
		var id string
		var t mentorbot.TopicInterest
		if err := rows.Scan(&id, &t.Topic, &t.Level); err != nil {
			return err
		}
		// A participant saved since the first query has no slot; skip them.
		if i, ok := index[id]; ok {
			ps[i].Topics = append(ps[i].Topics, t)
		}
		return nil
	}, `SELECT participant_id, topic, level FROM participant_topics WHERE `+matching+` ORDER BY participant_id, position`, arg)
	if err != nil {
		return nil, fmt.Errorf("load topics: %w", err)
	}

	err = s.each(ctx, func(rows *sql.Rows) error {
		var id string
		var w mentorbot.Window
		if err := rows.Scan(&id, &w.Day, &w.Start, &w.End); err != nil {
			return err
		}
		if i, ok := index[id]; ok {
			ps[i].Availability = append(ps[i].Availability, w)
		}
		return nil
	}, `SELECT participant_id, weekday, start_minute, end_minute FROM availability_windows WHERE `+matching+`
		ORDER BY participant_id, (weekday + 6) % 7, start_minute`, arg)
	if err != nil {
		return nil, fmt.Errorf("load availability: %w", err)
	}
	return ps, nil
}

func scanParticipant(rows *sql.Rows) (mentorbot.Participant, error) {
	var (
		p                               mentorbot.Participant
		stateSince, joinedAt, updatedAt string
		pausedUntil, resume, manager    sql.NullString
	)
	err := rows.Scan(&p.ID, &p.Role, &p.State, &stateSince, &pausedUntil, &resume, &p.ScreenedInCycle,
		&p.JobLevel, &p.Department, &manager, &p.TimeZone, &p.Pitch, &joinedAt, &updatedAt, &p.Capacity)
	if err != nil {
		return p, err
	}
	p.ResumeState, p.ManagerID = mentorbot.State(resume.String), manager.String
	if p.StateSince, err = parseTime(stateSince); err != nil {
		return p, err
	}
	if p.PausedUntil, err = parseNullTime(pausedUntil); err != nil {
		return p, err
	}
	if p.JoinedAt, err = parseTime(joinedAt); err != nil {
		return p, err
	}
	p.UpdatedAt, err = parseTime(updatedAt)
	return p, err
}

// saveParticipant inserts or replaces a participant with their topics and
// availability.
func saveParticipant(ctx context.Context, tx handle, p mentorbot.Participant) error {
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO participants (`+participantColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			role = excluded.role, state = excluded.state, state_since = excluded.state_since,
			paused_until = excluded.paused_until, resume_state = excluded.resume_state,
			screened_in_cycle = excluded.screened_in_cycle, job_level = excluded.job_level,
			department = excluded.department, manager_id = excluded.manager_id, time_zone = excluded.time_zone,
			pitch = excluded.pitch, updated_at = excluded.updated_at, capacity = excluded.capacity`,
		p.ID, string(p.Role), string(p.State), formatTime(p.StateSince), nullTime(p.PausedUntil),
		nullString(string(p.ResumeState)), p.ScreenedInCycle, int(p.JobLevel), p.Department,
		nullString(p.ManagerID), p.TimeZone, p.Pitch, formatTime(p.JoinedAt), formatTime(p.UpdatedAt), p.Capacity); err != nil {
		return fmt.Errorf("save participant %s: %w", p.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM participant_topics WHERE participant_id = ?`, p.ID); err != nil {
		return fmt.Errorf("save topics of %s: %w", p.ID, err)
	}
	for i, t := range p.Topics {
		if _, err := tx.ExecContext(ctx, `INSERT INTO participant_topics (participant_id, position, topic, level) VALUES (?, ?, ?, ?)`,
			p.ID, i, t.Topic, int(t.Level)); err != nil {
			return fmt.Errorf("save topics of %s: %w", p.ID, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM availability_windows WHERE participant_id = ?`, p.ID); err != nil {
		return fmt.Errorf("save availability of %s: %w", p.ID, err)
	}
	for _, w := range p.Availability {
		if _, err := tx.ExecContext(ctx, `INSERT INTO availability_windows (participant_id, weekday, start_minute, end_minute) VALUES (?, ?, ?, ?)`,
			p.ID, int(w.Day), w.Start, w.End); err != nil {
			return fmt.Errorf("save availability of %s: %w", p.ID, err)
		}
	}
	return nil
}

// ManagerLinks maps each participant who named a manager to that manager.
func (s *DB) ManagerLinks(ctx context.Context) (map[string]string, error) {
	links := map[string]string{}
	err := s.each(ctx, func(rows *sql.Rows) error {
		var id, manager string
		if err := rows.Scan(&id, &manager); err != nil {
			return err
		}
		links[id] = manager
		return nil
	}, `SELECT id, manager_id FROM participants WHERE manager_id IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("load reporting lines: %w", err)
	}
	return links, nil
}

// Census counts participants by state, overall and for each role, and
// the people who erased their data by the distinct tokens their moves now
// carry.
func (s *DB) Census(ctx context.Context) (mentorbot.Census, error) {
	c := mentorbot.Census{States: map[mentorbot.State]int{}, ByRole: map[mentorbot.Role]map[mentorbot.State]int{}}
	err := s.each(ctx, func(rows *sql.Rows) error {
		var (
			role  mentorbot.Role
			state mentorbot.State
			n     int
		)
		if err := rows.Scan(&role, &state, &n); err != nil {
			return err
		}
		c.States[state] += n
		if c.ByRole[role] == nil {
			c.ByRole[role] = map[mentorbot.State]int{}
		}
		c.ByRole[role][state] = n
		return nil
	}, `SELECT role, state, COUNT(*) FROM participants GROUP BY role, state`)
	if err != nil {
		return mentorbot.Census{}, fmt.Errorf("count participants: %w", err)
	}
	if err := s.db.QueryRowContext(ctx, `
		SELECT COUNT(DISTINCT participant_id) FROM transitions WHERE `+s.dialect.hasPrefix("participant_id", "erased-")).Scan(&c.Erased); err != nil {
		return mentorbot.Census{}, fmt.Errorf("count erased participants: %w", unread(err))
	}
	return c, nil
}

// Transitions lists a participant's moves between states, oldest first.
func (s *DB) Transitions(ctx context.Context, participantID string) ([]mentorbot.Transition, error) {
	var ts []mentorbot.Transition
	err := s.each(ctx, func(rows *sql.Rows) error {
		var (
			t            mentorbot.Transition
			at           string
			checks, note sql.NullString
		)
		if err := rows.Scan(&t.ParticipantID, &t.Role, &t.From, &t.To, &t.By, &t.CycleID, &at, &checks, &note); err != nil {
			return err
		}
		var err error
		if t.At, err = parseTime(at); err != nil {
			return err
		}
		if checks.Valid {
			t.Screening = &mentorbot.Screening{Note: note.String}
			if checks.String != "" {
				t.Screening.Checks = strings.Split(checks.String, ",")
			}
		}
		ts = append(ts, t)
		return nil
	}, `
		SELECT t.participant_id, t.role, t.from_state, t.to_state, t.by_id, t.cycle_id, t.at, s.checks, s.note
		FROM transitions t LEFT JOIN screenings s ON s.transition_id = t.id
		WHERE t.participant_id = ? ORDER BY t.id`, participantID)
	if err != nil {
		return nil, fmt.Errorf("load transitions of %s: %w", participantID, err)
	}
	return ts, nil
}

func insertTransition(ctx context.Context, tx handle, t mentorbot.Transition) error {
	var id int64
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO transitions (participant_id, role, from_state, to_state, by_id, cycle_id, at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.ParticipantID, string(t.Role), string(t.From), string(t.To), t.By, t.CycleID, formatTime(t.At)).Scan(&id); err != nil {
		return fmt.Errorf("save transition of %s: %w", t.ParticipantID, err)
	}
	if t.Screening == nil {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO screenings (transition_id, checks, note) VALUES (?, ?, ?)`,
		id, strings.Join(t.Screening.Checks, ","), nullString(t.Screening.Note)); err != nil {
		return fmt.Errorf("save screening of %s: %w", t.ParticipantID, err)
	}
	return nil
}

// EachTopicHolder hands each topic of each participant in any of the
// states to each as it is read, one person's topics together, in the order
// of their profile. Nothing is kept: a summary over many people holds no
// list of them.
func (s *DB) EachTopicHolder(ctx context.Context, states []mentorbot.State, each func(mentorbot.TopicHolder) error) error {
	args := make([]any, len(states))
	for i, st := range states {
		args[i] = string(st)
	}
	var (
		id, role, state, topic string
		h                      mentorbot.TopicHolder
	)
	err := s.each(ctx, func(rows *sql.Rows) error {
		if err := rows.Scan(&id, &role, &state, &h.Capacity, &topic); err != nil {
			return err
		}
		h.ParticipantID, h.Role, h.State, h.Topic = id, mentorbot.Role(role), mentorbot.State(state), topic
		return each(h)
	}, `SELECT p.id, p.role, p.state, p.capacity, t.topic FROM participants p JOIN participant_topics t ON t.participant_id = p.id
		WHERE p.state IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(states)), ", ")+`) ORDER BY p.id, t.position`, args...)
	if err != nil {
		return fmt.Errorf("load topic holders: %w", err)
	}
	return nil
}
