package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/mentorbot/mentorbot"
)

const pulseColumns = `pair_id, occurrence, participant_id, role, cycle_id, useful, comfort, note, answered_at`

// Pulse returns a person's pulse about a session, or an ENOTFOUND error.
func (s *DB) Pulse(ctx context.Context, pairID int64, occurrence time.Time, participantID string) (mentorbot.Pulse, error) {
	ps, err := s.pulses(ctx, `pair_id = ? AND occurrence = ? AND participant_id = ?`, pairID, formatTime(occurrence), participantID)
	if err != nil {
		return mentorbot.Pulse{}, err
	}
	if len(ps) == 0 {
		return mentorbot.Pulse{}, mentorbot.Errorf(mentorbot.ENOTFOUND, "You haven't answered anything about that session yet.")
	}
	return ps[0], nil
}

// Pulses lists a cycle's pulses, oldest answer first (unanswered ones,
// holding only a note, before them), as risk rules read them.
func (s *DB) Pulses(ctx context.Context, cycleID int64) ([]mentorbot.Pulse, error) {
	return s.pulses(ctx, `cycle_id = ? ORDER BY answered_at NULLS FIRST, pair_id, occurrence, participant_id`, cycleID)
}

// PulsesBy lists a person's pulses in a cycle, oldest session first.
func (s *DB) PulsesBy(ctx context.Context, participantID string, cycleID int64) ([]mentorbot.Pulse, error) {
	return s.pulses(ctx, `participant_id = ? AND cycle_id = ? ORDER BY occurrence, pair_id`, participantID, cycleID)
}

// pulses loads the pulses matching the clause, which ends with their order.
func (s *DB) pulses(ctx context.Context, whereOrder string, args ...any) ([]mentorbot.Pulse, error) {
	var out []mentorbot.Pulse
	err := s.each(ctx, func(rows *sql.Rows) error {
		var (
			p          mentorbot.Pulse
			occurrence string
			answeredAt sql.NullString
		)
		err := rows.Scan(&p.PairID, &occurrence, &p.ParticipantID, &p.Role, &p.CycleID, &p.Useful, &p.Comfort, &p.Note, &answeredAt)
		if err != nil {
			return err
		}
		if p.Occurrence, err = parseTime(occurrence); err != nil {
			return err
		}
		if p.AnsweredAt, err = parseNullTime(answeredAt); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	}, `SELECT `+pulseColumns+` FROM pulses WHERE `+whereOrder, args...)
	if err != nil {
		return nil, fmt.Errorf("load pulses: %w", err)
	}
	return out, nil
}

// savePulseAnswers writes each answer's own part of its pulse, inserting
// the pulse when new: a score sets its question's column and answered_at,
// a note-only answer the note, and nothing else is touched, so two quick
// clicks on different questions never undo each other. A new pulse starts
// with the other parts unanswered.
func savePulseAnswers(ctx context.Context, tx handle, answers []mentorbot.PulseAnswer) error {
	for _, a := range answers {
		p := a.Pulse
		var (
			useful, comfort int
			note            string
			answeredAt      sql.NullString
			set             string
		)
		switch {
		case a.NoteOnly:
			note, set = p.Note, `note = excluded.note`
		case a.Question == mentorbot.PulseUseful:
			useful, answeredAt, set = p.Useful, nullTime(p.AnsweredAt), `useful = excluded.useful, answered_at = excluded.answered_at`
		case a.Question == mentorbot.PulseComfort:
			comfort, answeredAt, set = p.Comfort, nullTime(p.AnsweredAt), `comfort = excluded.comfort, answered_at = excluded.answered_at`
		default:
			return fmt.Errorf("save pulse of %s: unknown question %q", p.ParticipantID, a.Question)
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO pulses (`+pulseColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (pair_id, occurrence, participant_id) DO UPDATE SET `+set,
			p.PairID, formatTime(p.Occurrence), p.ParticipantID, string(p.Role), p.CycleID, useful, comfort, note, answeredAt); err != nil {
			return fmt.Errorf("save pulse of %s about pair %d at %s: %w", p.ParticipantID, p.PairID, formatTime(p.Occurrence), err)
		}
	}
	return nil
}

const surveyColumns = `participant_id, role, cycle_id, kind, goals, progress, continue, change, answered_at`

// Survey returns a person's answers to a survey, or an ENOTFOUND error.
func (s *DB) Survey(ctx context.Context, participantID string, cycleID int64, kind mentorbot.SurveyKind) (mentorbot.Survey, error) {
	ss, err := s.surveys(ctx, `participant_id = ? AND cycle_id = ? AND kind = ?`, participantID, cycleID, string(kind))
	if err != nil {
		return mentorbot.Survey{}, err
	}
	if len(ss) == 0 {
		return mentorbot.Survey{}, mentorbot.Errorf(mentorbot.ENOTFOUND, "You haven't answered that survey yet.")
	}
	return ss[0], nil
}

// Surveys lists a cycle's survey answers, oldest first.
func (s *DB) Surveys(ctx context.Context, cycleID int64) ([]mentorbot.Survey, error) {
	return s.surveys(ctx, `cycle_id = ?`, cycleID)
}

// goalJSON is how a goal a survey answered about is stored: its own shape,
// as for slots.
type goalJSON struct {
	Aim    string `json:"aim"`
	Signal string `json:"signal"`
}

func (s *DB) surveys(ctx context.Context, where string, args ...any) ([]mentorbot.Survey, error) {
	var out []mentorbot.Survey
	err := s.each(ctx, func(rows *sql.Rows) error {
		var (
			sv                          mentorbot.Survey
			goals, progress, answeredAt string
			stored                      []goalJSON
		)
		err := rows.Scan(&sv.ParticipantID, &sv.Role, &sv.CycleID, &sv.Kind, &goals, &progress, &sv.Continue, &sv.Change, &answeredAt)
		if err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(goals), &stored); err != nil {
			return fmt.Errorf("stored survey goals %q: %w", goals, err)
		}
		for _, g := range stored {
			sv.Goals = append(sv.Goals, mentorbot.Goal{Aim: g.Aim, Signal: g.Signal})
		}
		if err := json.Unmarshal([]byte(progress), &sv.Progress); err != nil {
			return fmt.Errorf("stored survey progress %q: %w", progress, err)
		}
		if len(sv.Progress) == 0 {
			sv.Progress = nil
		}
		if sv.AnsweredAt, err = parseTime(answeredAt); err != nil {
			return err
		}
		out = append(out, sv)
		return nil
	}, `SELECT `+surveyColumns+` FROM surveys WHERE `+where+` ORDER BY answered_at, participant_id, kind`, args...)
	if err != nil {
		return nil, fmt.Errorf("load surveys: %w", err)
	}
	if err := s.attachRatings(ctx, out, where, args...); err != nil {
		return nil, err
	}
	return out, nil
}

type surveyKey struct {
	participant string
	cycle       int64
	kind        mentorbot.SurveyKind
}

// attachRatings loads the ratings of the surveys the clause matched: the
// ratings carry the columns that name their survey.
func (s *DB) attachRatings(ctx context.Context, surveys []mentorbot.Survey, where string, args ...any) error {
	index := map[surveyKey]int{}
	for i, sv := range surveys {
		index[surveyKey{sv.ParticipantID, sv.CycleID, sv.Kind}] = i
	}
	err := s.each(ctx, func(rows *sql.Rows) error {
		var (
			k surveyKey
			r mentorbot.QualityRating
		)
		if err := rows.Scan(&k.participant, &k.cycle, &k.kind, &r.Rated, &r.Role, &r.Quality, &r.Score); err != nil {
			return err
		}
		if i, ok := index[k]; ok {
			r.AnsweredAt = surveys[i].AnsweredAt
			surveys[i].Ratings = append(surveys[i].Ratings, r)
		}
		return nil
	}, `SELECT participant_id, cycle_id, kind, rated, role, quality, score FROM quality_ratings WHERE `+where+` ORDER BY participant_id, cycle_id, kind, rated, quality`, args...)
	if err != nil {
		return fmt.Errorf("load quality ratings: %w", err)
	}
	return nil
}

// addSurveys inserts the surveys. A survey is answered once: a second
// answer to the same one is an ECONFLICT error.
func addSurveys(ctx context.Context, tx handle, surveys []mentorbot.Survey) error {
	for _, sv := range surveys {
		goals := make([]goalJSON, 0, len(sv.Goals))
		for _, g := range sv.Goals {
			goals = append(goals, goalJSON{Aim: g.Aim, Signal: g.Signal})
		}
		rawGoals, err := json.Marshal(goals)
		if err != nil {
			return fmt.Errorf("save survey of %s: %w", sv.ParticipantID, err)
		}
		rawProgress, err := json.Marshal(append([]mentorbot.Progress{}, sv.Progress...))
		if err != nil {
			return fmt.Errorf("save survey of %s: %w", sv.ParticipantID, err)
		}
		res, err := tx.ExecContext(ctx, `
			INSERT INTO surveys (`+surveyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (participant_id, cycle_id, kind) DO NOTHING`,
			sv.ParticipantID, string(sv.Role), sv.CycleID, string(sv.Kind), string(rawGoals), string(rawProgress),
			string(sv.Continue), sv.Change, formatTime(sv.AnsweredAt))
		if err != nil {
			return fmt.Errorf("save survey of %s: %w", sv.ParticipantID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("save survey of %s: %w", sv.ParticipantID, err)
		} else if n == 0 {
			return mentorbot.Errorf(mentorbot.ECONFLICT, "You've answered this survey already. Thank you!")
		}
		for _, r := range sv.Ratings {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO quality_ratings (participant_id, cycle_id, kind, rated, role, quality, score) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				sv.ParticipantID, sv.CycleID, string(sv.Kind), string(r.Rated), string(r.Role), r.Quality, r.Score); err != nil {
				return fmt.Errorf("save rating of %s: %w", sv.ParticipantID, err)
			}
		}
	}
	return nil
}

const riskFlagColumns = `id, pair_id, cycle_id, reasons, evidence, raised_at, resolved_at, action, resolved_by`

// RiskFlags lists a cycle's flags, oldest first.
func (s *DB) RiskFlags(ctx context.Context, cycleID int64) ([]mentorbot.RiskFlag, error) {
	return s.riskFlags(ctx, `cycle_id = ? ORDER BY id`, cycleID)
}

// LatestRiskFlag returns a pair's newest flag, or an ENOTFOUND error.
func (s *DB) LatestRiskFlag(ctx context.Context, pairID int64) (mentorbot.RiskFlag, error) {
	fs, err := s.riskFlags(ctx, `pair_id = ? ORDER BY id DESC LIMIT 1`, pairID)
	if err != nil {
		return mentorbot.RiskFlag{}, err
	}
	if len(fs) == 0 {
		return mentorbot.RiskFlag{}, mentorbot.Errorf(mentorbot.ENOTFOUND, "That pair hasn't been flagged.")
	}
	return fs[0], nil
}

// riskFlags loads the flags matching the clause, which ends with their order.
func (s *DB) riskFlags(ctx context.Context, whereOrder string, args ...any) ([]mentorbot.RiskFlag, error) {
	var out []mentorbot.RiskFlag
	err := s.each(ctx, func(rows *sql.Rows) error {
		var (
			f                 mentorbot.RiskFlag
			reasons, raisedAt string
			resolvedAt        sql.NullString
		)
		err := rows.Scan(&f.ID, &f.PairID, &f.CycleID, &reasons, &f.Evidence, &raisedAt, &resolvedAt, &f.Action, &f.ResolvedBy)
		if err != nil {
			return err
		}
		if reasons != "" {
			for _, r := range strings.Split(reasons, ",") {
				f.Reasons = append(f.Reasons, mentorbot.RiskReason(r))
			}
		}
		if f.RaisedAt, err = parseTime(raisedAt); err != nil {
			return err
		}
		if f.ResolvedAt, err = parseNullTime(resolvedAt); err != nil {
			return err
		}
		out = append(out, f)
		return nil
	}, `SELECT `+riskFlagColumns+` FROM risk_flags WHERE `+whereOrder, args...)
	if err != nil {
		return nil, fmt.Errorf("load risk flags: %w", err)
	}
	return out, nil
}

// saveRiskFlags inserts the flags whose ID is 0, leaving alone one whose
// pair and evidence are flagged already, and records what an admin did
// about the others. It returns each new flag's ID, 0 for one not inserted.
// A flag is acted on once: resolving one that someone resolved a moment
// ago is an ECONFLICT error, so two admins cannot both act on it.
func saveRiskFlags(ctx context.Context, tx handle, flags []mentorbot.RiskFlag) ([]int64, error) {
	if len(flags) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(flags))
	for i, f := range flags {
		if f.ID != 0 {
			res, err := tx.ExecContext(ctx, `
				UPDATE risk_flags SET resolved_at = ?, action = ?, resolved_by = ? WHERE id = ? AND resolved_at IS NULL`,
				nullTime(f.ResolvedAt), string(f.Action), f.ResolvedBy, f.ID)
			if err != nil {
				return nil, fmt.Errorf("save risk flag %d: %w", f.ID, err)
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return nil, mentorbot.Errorf(mentorbot.ECONFLICT, "Someone acted on this flag a moment ago; open it again to see where it stands.")
			}
			continue
		}
		reasons := make([]string, len(f.Reasons))
		for j, r := range f.Reasons {
			reasons[j] = string(r)
		}
		var err error
		ids[i], err = insertedID(tx.QueryRowContext(ctx, `
			INSERT INTO risk_flags (pair_id, cycle_id, reasons, evidence, raised_at, resolved_at, action, resolved_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (pair_id, evidence) DO NOTHING RETURNING id`,
			f.PairID, f.CycleID, strings.Join(reasons, ","), f.Evidence, formatTime(f.RaisedAt),
			nullTime(f.ResolvedAt), string(f.Action), f.ResolvedBy))
		if err != nil {
			return nil, fmt.Errorf("flag pair %d: %w", f.PairID, err)
		}
	}
	return ids, nil
}
