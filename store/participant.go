package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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
func saveParticipant(ctx context.Context, tx *sql.Tx, p mentorbot.Participant) error {
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
	// GLOB, unlike LIKE, is case-sensitive and so can use the index.
	if err := s.db.QueryRowContext(ctx, `
		SELECT COUNT(DISTINCT participant_id) FROM transitions WHERE participant_id GLOB 'erased-*'`).Scan(&c.Erased); err != nil {
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

func insertTransition(ctx context.Context, tx *sql.Tx, t mentorbot.Transition) error {
	res, err := tx.ExecContext(ctx, `
		INSERT INTO transitions (participant_id, role, from_state, to_state, by_id, cycle_id, at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		t.ParticipantID, string(t.Role), string(t.From), string(t.To), t.By, t.CycleID, formatTime(t.At))
	if err != nil {
		return fmt.Errorf("save transition of %s: %w", t.ParticipantID, err)
	}
	if t.Screening == nil {
		return nil
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("save screening of %s: %w", t.ParticipantID, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO screenings (transition_id, checks, note) VALUES (?, ?, ?)`,
		id, strings.Join(t.Screening.Checks, ","), nullString(t.Screening.Note)); err != nil {
		return fmt.Errorf("save screening of %s: %w", t.ParticipantID, err)
	}
	return nil
}

// Apply writes a change in one transaction, or nothing of it. The
// transaction takes the write lock first (see Open), so no other writer can
// move a participant between the check of their state and the write.
func (s *DB) Apply(ctx context.Context, c mentorbot.Change) error {
	var (
		versions []int
		ids      []int64
		flagIDs  []int64
		cycle    mentorbot.Cycle
	)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, m := range c.Moves {
			var state mentorbot.State
			err := tx.QueryRowContext(ctx, `SELECT state FROM participants WHERE id = ?`, m.ParticipantID).Scan(&state)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("check state of %s: %w", m.ParticipantID, err)
			}
			if state != m.From {
				return mentorbot.Errorf(mentorbot.ECONFLICT, "Someone changed this at the same moment; please try again.")
			}
		}
		for _, p := range c.Participants {
			if err := saveParticipant(ctx, tx, p); err != nil {
				return err
			}
		}
		for _, t := range c.Moves {
			if err := insertTransition(ctx, tx, t); err != nil {
				return err
			}
		}
		if c.Cycle != nil {
			var err error
			if cycle, err = saveCycle(ctx, tx, *c.Cycle); err != nil {
				return cycleConflict(fmt.Errorf("save cycle %q: %w", c.Cycle.Name, err))
			}
		}
		roundID := int64(0)
		if c.Round != nil {
			var err error
			if roundID, err = saveRound(ctx, tx, *c.Round); err != nil {
				return err
			}
		}
		for i := range c.Pairs {
			p := &c.Pairs[i]
			if p.RoundID == 0 && c.Round != nil && p.Origin != mentorbot.OriginRequest {
				p.RoundID = roundID
			}
			id, err := savePair(ctx, tx, *p)
			if err != nil {
				return err
			}
			if p.ID != 0 {
				p.Version++
			}
			p.ID = id
		}
		for _, g := range c.Goals {
			if err := saveGoals(ctx, tx, g); err != nil {
				return err
			}
		}
		for _, d := range c.DroppedDontPairs {
			if err := dropDontPair(ctx, tx, d); err != nil {
				return err
			}
		}
		for _, d := range c.DontPairs {
			if err := saveDontPair(ctx, tx, d); err != nil {
				return err
			}
		}
		var err error
		if versions, err = saveSessions(ctx, tx, c.Sessions); err != nil {
			return err
		}
		if err := savePulseAnswers(ctx, tx, c.PulseAnswers); err != nil {
			return err
		}
		if err := addSurveys(ctx, tx, c.Surveys); err != nil {
			return err
		}
		if flagIDs, err = saveRiskFlags(ctx, tx, c.RiskFlags); err != nil {
			return err
		}
		for i := range c.Outbox {
			if n := c.Outbox[i].NewPair; n > 0 {
				c.Outbox[i].PairID = c.Pairs[n-1].ID
			}
		}
		ids, err = addOutbox(ctx, tx, c.Outbox)
		return err
	})
	if err != nil {
		return fmt.Errorf("apply change: %w", err)
	}
	// Written back only once committed, so a change that failed can be
	// applied again as it was.
	for i, v := range versions {
		c.Sessions[i].Version = v
	}
	for i, id := range ids {
		c.Outbox[i].ID = id
	}
	for i, id := range flagIDs {
		if id != 0 {
			c.RiskFlags[i].ID = id
		}
	}
	if c.Cycle != nil {
		c.Cycle.ID = cycle.ID
	}
	return nil
}

// Erase deletes every personal detail of the participant with this ID and
// puts token in place of their ID wherever a row must stay for anonymous
// counts, in one transaction; then it checkpoints the write-ahead log, so
// the erased words are on disk nowhere: secure_delete (see connect) zeroes
// what the transaction freed, and the checkpoint copies those zeroed pages
// over the old ones and empties the log that still held them. Other
// people's manager_id may still name them: that is the other person's
// profile.
func (s *DB) Erase(ctx context.Context, id, token string) error {
	steps := []struct {
		query string
		args  []any
	}{
		// Topics, availability and goals cascade; goals go explicitly too,
		// since they hold the person's own words.
		{`DELETE FROM goals WHERE participant_id = ?`, []any{id}},
		{`DELETE FROM participants WHERE id = ?`, []any{id}},
		{`UPDATE transitions SET participant_id = ? WHERE participant_id = ?`, []any{token, id}},
		{`UPDATE transitions SET by_id = ? WHERE by_id = ?`, []any{token, id}},
		{`UPDATE screenings SET checks = '', note = NULL
			WHERE transition_id IN (SELECT id FROM transitions WHERE participant_id = ?)`, []any{token}},
		// HR's unpublished draft forgets them; what was proposed stays.
		{`DELETE FROM pairs WHERE state IN ('draft', 'removed') AND (mentor_id = ?1 OR mentee_id = ?1)`, []any{id}},
		{`UPDATE pairs SET mentor_id = ? WHERE mentor_id = ?`, []any{token, id}},
		{`UPDATE pairs SET mentee_id = ? WHERE mentee_id = ?`, []any{token, id}},
		{`UPDATE pairs SET fit = NULL, decline_reason = NULL WHERE mentor_id = ?1 OR mentee_id = ?1`, []any{token}},
		{`UPDATE cycles SET created_by = ? WHERE created_by = ?`, []any{token, id}},
		{`UPDATE rounds SET created_by = ? WHERE created_by = ?`, []any{token, id}},
		{`DELETE FROM round_unmatched WHERE participant_id = ?`, []any{id}},
		{`DELETE FROM dont_pair WHERE person_id = ?1 OR other_id = ?1`, []any{id}},
		{`UPDATE dont_pair SET by_id = ? WHERE by_id = ?`, []any{token, id}},
		// Sessions stay for the counts; why someone skipped is their own.
		{`UPDATE sessions SET skipped_by = ?2, skip_reason = '' WHERE skipped_by = ?1`, []any{id, token}},
		{`UPDATE sessions SET moved_by = ?2 WHERE moved_by = ?1`, []any{id, token}},
		// Nothing more goes to them; what went stays counted under the
		// token. A key names its reader, and a DM channel leads back to them.
		{`UPDATE outbox SET state = 'dropped', error = 'erased' WHERE recipient = ? AND state = 'pending'`, []any{id}},
		{`UPDATE outbox SET recipient = ?2, key = replace(key, ?1, ?2), channel = '', ts = '', note = '' WHERE recipient = ?1`, []any{id, token}},
		// A form button for someone else's form (an applicant's screening) names them.
		{`UPDATE outbox SET form = replace(form, ?1, ?2) WHERE instr(form, ?1) > 0`, []any{id, token}},
		// Pulses and surveys stay for the counts, under the token; notes,
		// what they would change and the goals they answered about are
		// their own writing. Goals become blanks, as many as there were,
		// so progress still lines up with them.
		{`UPDATE pulses SET participant_id = ?2, note = '' WHERE participant_id = ?1`, []any{id, token}},
		{`UPDATE surveys SET participant_id = ?2, change = '',
			goals = (SELECT json_group_array(json_object('aim', '', 'signal', '')) FROM json_each(surveys.goals))
			WHERE participant_id = ?1`, []any{id, token}},
		{`UPDATE risk_flags SET resolved_by = ? WHERE resolved_by = ?`, []any{token, id}},
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// Read before the steps blank them: answers quoting these go too.
		words, err := ownWords(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := forgetAnswersAbout(ctx, tx, id, words); err != nil {
			return err
		}
		for _, step := range steps {
			if _, err := tx.ExecContext(ctx, step.query, step.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("erase participant %s: %w", id, err)
	}
	if err := s.checkpoint(ctx); err != nil {
		return fmt.Errorf("erase participant %s: the erasure is saved, but %w", id, err)
	}
	return nil
}

// ownWords returns what the person wrote, and what HR wrote about them,
// wherever it is kept: their sentence, goals (also as copied into their
// surveys), notes, reasons and HR's screening note.
func ownWords(ctx context.Context, tx *sql.Tx, id string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT pitch FROM participants WHERE id = ?1
		UNION SELECT aim FROM goals WHERE participant_id = ?1
		UNION SELECT signal FROM goals WHERE participant_id = ?1
		UNION SELECT note FROM pulses WHERE participant_id = ?1
		UNION SELECT change FROM surveys WHERE participant_id = ?1
		UNION SELECT g.value ->> 'aim' FROM surveys, json_each(surveys.goals) g WHERE participant_id = ?1
		UNION SELECT g.value ->> 'signal' FROM surveys, json_each(surveys.goals) g WHERE participant_id = ?1
		UNION SELECT decline_reason FROM pairs WHERE (mentor_id = ?1 OR mentee_id = ?1) AND decline_reason IS NOT NULL
		UNION SELECT skip_reason FROM sessions WHERE skipped_by = ?1
		UNION SELECT s.note FROM screenings s JOIN transitions t ON t.id = s.transition_id
			WHERE t.participant_id = ?1 AND s.note IS NOT NULL`, id)
	if err != nil {
		return nil, fmt.Errorf("read what %s wrote: %w", id, err)
	}
	defer rows.Close()
	var words []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, err
		}
		words = append(words, w)
	}
	return words, rows.Err()
}

// minQuoted is the shortest text whose quotation is looked for: shorter
// ones ("ok", "no") say nothing of anyone and are in every answer.
const minQuoted = 4

// forgetAnswersAbout deletes the recorded answers to the person's own
// requests and to anyone's that name them or quote their words, such as a
// partner's profile reply that names their pair. Answers are JSON, so
// words are looked for as typed and as JSON writes them.
func forgetAnswersAbout(ctx context.Context, tx *sql.Tx, id string, words []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM handled_requests WHERE user_id = ? OR instr(answer, ?) > 0`, id, []byte(id)); err != nil {
		return fmt.Errorf("forget answers naming %s: %w", id, err)
	}
	quoted := map[string]bool{}
	for _, w := range words {
		if len(w) < minQuoted {
			continue
		}
		escaped, err := json.Marshal(w)
		if err != nil {
			return err
		}
		quoted[w], quoted[string(escaped[1:len(escaped)-1])] = true, true
	}
	for q := range quoted {
		if _, err := tx.ExecContext(ctx, `DELETE FROM handled_requests WHERE instr(answer, ?) > 0`, []byte(q)); err != nil {
			return fmt.Errorf("forget answers quoting %s: %w", id, err)
		}
	}
	return nil
}
