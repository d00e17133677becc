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

const pairColumns = `id, cycle_id, round_id, origin, mentor_id, mentee_id, state, fit, score, locked,
	mentor_answer, mentee_answer, mentor_answered_at, mentee_answered_at, answer_by, decline_reason,
	created_at, started_at, ended_at, end_reason, slot, slot_offer, calendar_sequence, calendar_event, version`

// ActivePair returns the participant's active pair, or an ENOTFOUND error.
func (s *DB) ActivePair(ctx context.Context, participantID string) (mentorbot.Pair, error) {
	ps, err := s.PairsOf(ctx, participantID, mentorbot.PairActive)
	if err != nil {
		return mentorbot.Pair{}, err
	}
	if len(ps) == 0 {
		return mentorbot.Pair{}, mentorbot.Errorf(mentorbot.ENOTFOUND, "You're not in a pair right now.")
	}
	return ps[len(ps)-1], nil
}

// Pair returns the pair with this ID, or an ENOTFOUND error.
func (s *DB) Pair(ctx context.Context, id int64) (mentorbot.Pair, error) {
	ps, err := s.pairs(ctx, `id = ?`, id)
	if err != nil {
		return mentorbot.Pair{}, err
	}
	if len(ps) == 0 {
		return mentorbot.Pair{}, mentorbot.Errorf(mentorbot.ENOTFOUND, "That match no longer exists.")
	}
	return ps[0], nil
}

// PairsIn lists the pairs in any of the states, oldest first.
func (s *DB) PairsIn(ctx context.Context, states ...mentorbot.PairState) ([]mentorbot.Pair, error) {
	where, args := inStates(states)
	return s.pairs(ctx, where, args...)
}

// PairsOf lists the participant's pairs in any of the states, oldest first.
func (s *DB) PairsOf(ctx context.Context, participantID string, states ...mentorbot.PairState) ([]mentorbot.Pair, error) {
	where, args := inStates(states)
	return s.pairs(ctx, `(mentor_id = ? OR mentee_id = ?) AND `+where, append([]any{participantID, participantID}, args...)...)
}

func inStates(states []mentorbot.PairState) (string, []any) {
	args := make([]any, len(states))
	for i, st := range states {
		args[i] = string(st)
	}
	return `state IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(states)), ", ") + `)`, args
}

func (s *DB) pairs(ctx context.Context, where string, args ...any) ([]mentorbot.Pair, error) {
	var out []mentorbot.Pair
	err := s.each(ctx, func(rows *sql.Rows) error {
		p, err := scanPair(rows)
		out = append(out, p)
		return err
	}, `SELECT `+pairColumns+` FROM pairs WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("load pairs: %w", err)
	}
	return out, nil
}

func scanPair(rows *sql.Rows) (mentorbot.Pair, error) {
	var (
		p                                              mentorbot.Pair
		roundID                                        sql.NullInt64
		fit, reason, endReason, slot, offer            sql.NullString
		mentorAt, menteeAt, answerBy, started, endedAt sql.NullString
		createdAt                                      string
	)
	err := rows.Scan(&p.ID, &p.CycleID, &roundID, &p.Origin, &p.MentorID, &p.MenteeID, &p.State, &fit, &p.Fit.Score, &p.Locked,
		&p.MentorAnswer, &p.MenteeAnswer, &mentorAt, &menteeAt, &answerBy, &reason, &createdAt, &started, &endedAt, &endReason,
		&slot, &offer, &p.CalendarSequence, &p.CalendarEvent, &p.Version)
	if err != nil {
		return p, err
	}
	p.RoundID, p.DeclineReason, p.EndReason = roundID.Int64, reason.String, endReason.String
	if fit.Valid {
		if err := json.Unmarshal([]byte(fit.String), &p.Fit); err != nil {
			return p, fmt.Errorf("read fit of pair %d: %w", p.ID, err)
		}
	}
	if p.Slot, err = readSlot(slot); err != nil {
		return p, fmt.Errorf("read slot of pair %d: %w", p.ID, err)
	}
	if p.SlotOffer, err = readOffer(offer); err != nil {
		return p, fmt.Errorf("read slot offer of pair %d: %w", p.ID, err)
	}
	if p.CreatedAt, err = parseTime(createdAt); err != nil {
		return p, err
	}
	for _, t := range []struct {
		raw  sql.NullString
		into *time.Time
	}{{mentorAt, &p.MentorAnsweredAt}, {menteeAt, &p.MenteeAnsweredAt}, {answerBy, &p.AnswerBy}, {started, &p.StartedAt}, {endedAt, &p.EndedAt}} {
		if *t.into, err = parseNullTime(t.raw); err != nil {
			return p, err
		}
	}
	return p, nil
}

// pairConflict turns a broken one_pair_per_mentee into the conflict it
// is: the mentee was paired by someone else a moment earlier.
func pairConflict(err error) error {
	if isUniqueViolation(err) {
		return mentorbot.Errorf(mentorbot.ECONFLICT, "One of them was paired a moment ago, so this pair can't go ahead.")
	}
	return err
}

// savePair inserts a pair whose ID is 0, or updates the pair with its ID
// while its stored version is still the one it was loaded at, and returns
// the ID.
func savePair(ctx context.Context, tx handle, p mentorbot.Pair) (int64, error) {
	var fit sql.NullString
	if p.Fit.Shared != nil || p.Fit.Score != 0 {
		raw, err := json.Marshal(p.Fit)
		if err != nil {
			return 0, fmt.Errorf("write fit: %w", err)
		}
		fit = sql.NullString{String: string(raw), Valid: true}
	}
	var round sql.NullInt64
	if p.RoundID != 0 {
		round = sql.NullInt64{Int64: p.RoundID, Valid: true}
	}
	slot, err := writeSlot(p.Slot)
	if err != nil {
		return 0, fmt.Errorf("write slot: %w", err)
	}
	offer, err := writeOffer(p.SlotOffer)
	if err != nil {
		return 0, fmt.Errorf("write slot offer: %w", err)
	}
	args := []any{p.CycleID, round, string(p.Origin), p.MentorID, p.MenteeID, string(p.State), fit, p.Fit.Score, p.Locked,
		string(p.MentorAnswer), string(p.MenteeAnswer), nullTime(p.MentorAnsweredAt), nullTime(p.MenteeAnsweredAt),
		nullTime(p.AnswerBy), nullString(p.DeclineReason), formatTime(p.CreatedAt), nullTime(p.StartedAt),
		nullTime(p.EndedAt), nullString(p.EndReason), slot, offer, p.CalendarSequence, p.CalendarEvent}
	if p.ID == 0 {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO pairs (`+strings.TrimPrefix(pairColumns, "id, ")+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) RETURNING id`, args...).Scan(&id); err != nil {
			return 0, pairConflict(fmt.Errorf("save pair of %s and %s: %w", p.MentorID, p.MenteeID, err))
		}
		return id, nil
	}
	res, err := tx.ExecContext(ctx, `
		UPDATE pairs SET cycle_id = ?, round_id = ?, origin = ?, mentor_id = ?, mentee_id = ?, state = ?, fit = ?, score = ?,
			locked = ?, mentor_answer = ?, mentee_answer = ?, mentor_answered_at = ?, mentee_answered_at = ?, answer_by = ?,
			decline_reason = ?, created_at = ?, started_at = ?, ended_at = ?, end_reason = ?, slot = ?, slot_offer = ?,
			calendar_sequence = ?, calendar_event = ?, version = version + 1
		WHERE id = ? AND version = ?`, append(args, p.ID, p.Version)...)
	if err != nil {
		return 0, pairConflict(fmt.Errorf("save pair %d: %w", p.ID, err))
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return 0, mentorbot.Errorf(mentorbot.ECONFLICT, "This match changed a moment ago; please try again.")
	}
	return p.ID, nil
}

// slotJSON is how a slot is stored: its own shape, so renaming a field of
// mentorbot.Slot cannot change what is on disk. Weekday counts from
// Sunday = 0; dates are YYYY-MM-DD.
type slotJSON struct {
	Weekday       int    `json:"weekday"`
	Minute        int    `json:"minute"`
	LengthMinutes int    `json:"length_minutes"`
	Zone          string `json:"zone"`
	Cadence       string `json:"cadence"`
	From          string `json:"from"`
	Until         string `json:"until"`
}

// offerJSON is how a slot offer is stored; picks are 1-based, 0 for none.
type offerJSON struct {
	Options    []slotJSON `json:"options"`
	MentorPick int        `json:"mentor_pick"`
	MenteePick int        `json:"mentee_pick"`
	FreeBusy   string     `json:"free_busy,omitempty"`
}

func toSlotJSON(s mentorbot.Slot) slotJSON {
	return slotJSON{
		Weekday: int(s.Weekday), Minute: s.Minute, LengthMinutes: int(s.Length / time.Minute), Zone: s.Zone,
		Cadence: string(s.Cadence), From: s.From.Format(time.DateOnly), Until: s.Until.Format(time.DateOnly),
	}
}

func (j slotJSON) slot() (mentorbot.Slot, error) {
	s := mentorbot.Slot{
		Weekday: time.Weekday(j.Weekday), Minute: j.Minute, Length: time.Duration(j.LengthMinutes) * time.Minute,
		Zone: j.Zone, Cadence: mentorbot.Cadence(j.Cadence),
	}
	var err error
	if s.From, err = time.Parse(time.DateOnly, j.From); err != nil {
		return s, fmt.Errorf("stored date %q: %w", j.From, err)
	}
	if s.Until, err = time.Parse(time.DateOnly, j.Until); err != nil {
		return s, fmt.Errorf("stored date %q: %w", j.Until, err)
	}
	return s, nil
}

// writeSlot stores no slot as NULL.
func writeSlot(s *mentorbot.Slot) (sql.NullString, error) {
	if s == nil {
		return sql.NullString{}, nil
	}
	raw, err := json.Marshal(toSlotJSON(*s))
	return sql.NullString{String: string(raw), Valid: true}, err
}

func readSlot(raw sql.NullString) (*mentorbot.Slot, error) {
	if !raw.Valid {
		return nil, nil
	}
	var j slotJSON
	if err := json.Unmarshal([]byte(raw.String), &j); err != nil {
		return nil, err
	}
	s, err := j.slot()
	return &s, err
}

// writeOffer stores an offer with no options and no picks as NULL.
func writeOffer(o mentorbot.SlotOffer) (sql.NullString, error) {
	if len(o.Options) == 0 && o.MentorPick == 0 && o.MenteePick == 0 && o.FreeBusy == "" {
		return sql.NullString{}, nil
	}
	j := offerJSON{MentorPick: o.MentorPick, MenteePick: o.MenteePick, FreeBusy: o.FreeBusy}
	for _, s := range o.Options {
		j.Options = append(j.Options, toSlotJSON(s))
	}
	raw, err := json.Marshal(j)
	return sql.NullString{String: string(raw), Valid: true}, err
}

func readOffer(raw sql.NullString) (mentorbot.SlotOffer, error) {
	var o mentorbot.SlotOffer
	if !raw.Valid {
		return o, nil
	}
	var j offerJSON
	if err := json.Unmarshal([]byte(raw.String), &j); err != nil {
		return o, err
	}
	o.MentorPick, o.MenteePick, o.FreeBusy = j.MentorPick, j.MenteePick, j.FreeBusy
	for _, sj := range j.Options {
		s, err := sj.slot()
		if err != nil {
			return o, err
		}
		o.Options = append(o.Options, s)
	}
	return o, nil
}
