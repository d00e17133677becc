package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

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
