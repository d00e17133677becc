package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// Erase deletes every personal detail of the participant with this ID and
// puts token in place of their ID wherever a row must stay for anonymous
// counts, in one transaction; then it makes sure the erased words are on
// disk nowhere (see wipeFreed). Other people's manager_id may still name
// them: that is the other person's profile.
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
		// A thank-you names both of the pair, in one's words about the
		// other: it goes whoever of the two is erased.
		{`DELETE FROM thanks WHERE pair_id IN (SELECT id FROM pairs WHERE mentor_id = ?1 OR mentee_id = ?1)`, []any{id}},
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
		{`UPDATE sessions SET declined_by = ?2 WHERE declined_by = ?1`, []any{id, token}},
		// Nothing more goes to them; what went stays counted under the
		// token. A key names its reader, and a DM channel leads back to them.
		{`UPDATE outbox SET state = 'dropped', error = 'erased' WHERE recipient = ? AND state = 'pending'`, []any{id}},
		{`UPDATE outbox SET recipient = ?2, key = replace(key, ?1, ?2), channel = '', ts = '', note = '' WHERE recipient = ?1`, []any{id, token}},
		// A form button for someone else's form (an applicant's screening) names them.
		{`UPDATE outbox SET form = replace(form, ?1, ?2) WHERE replace(form, ?1, ?2) <> form`, []any{id, token}},
		// Pulses and surveys stay for the counts, under the token; notes,
		// what they would change and the goals they answered about are
		// their own writing (blankSurveyGoals blanks the goals first).
		{`UPDATE pulses SET participant_id = ?2, note = '' WHERE participant_id = ?1`, []any{id, token}},
		{`UPDATE surveys SET participant_id = ?2, change = '' WHERE participant_id = ?1`, []any{id, token}},
		{`UPDATE quality_ratings SET participant_id = ?2 WHERE participant_id = ?1`, []any{id, token}},
		{`UPDATE risk_flags SET resolved_by = ? WHERE resolved_by = ?`, []any{token, id}},
		// Teach-ins and places stay for the counts; how to join and what
		// a host wrote about their teach-in are theirs. The title stays:
		// the people who signed up are still told of it by name.
		{`UPDATE teach_ins SET host_id = ?2, join_how = '', description = '' WHERE host_id = ?1`, []any{id, token}},
		{`UPDATE teach_in_places SET participant_id = ?2 WHERE participant_id = ?1`, []any{id, token}},
	}
	err := s.inTx(ctx, func(tx handle) error {
		// A request of theirs being recorded as the erasure begins must be
		// in what it reads, as SQLite's write lock makes it: PostgreSQL's
		// snapshot, taken at the first read, would miss a record committed
		// after it. Taken before that read, the lock waits for the record.
		if tx.dialect == postgresDialect {
			if _, err := tx.ExecContext(ctx, `LOCK TABLE handled_requests IN SHARE ROW EXCLUSIVE MODE`); err != nil {
				return err
			}
		}
		// Read before the steps blank them: answers quoting these go too.
		words, err := ownWords(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := forgetAnswersAbout(ctx, tx, id, words); err != nil {
			return err
		}
		if err := blankSurveyGoals(ctx, tx, id); err != nil {
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
	if err := s.wipeFreed(ctx); err != nil {
		return fmt.Errorf("erase participant %s: the erasure is saved, but %w", id, err)
	}
	return nil
}

// erasedTables are the tables an erasure deletes from or rewrites.
var erasedTables = []string{"goals", "participants", "participant_topics", "availability_windows", "transitions",
	"screenings", "pairs", "cycles", "rounds", "round_unmatched", "dont_pair", "sessions", "outbox", "pulses",
	"surveys", "quality_ratings", "thanks", "risk_flags", "handled_requests", "teach_ins", "teach_in_places"}

// wipeFreed makes the old copies of erased rows unreadable on disk.
// SQLite: secure_delete (see connectSQLite) zeroed what the transaction
// freed, and a checkpoint copies those zeroed pages over the old ones and
// empties the write-ahead log that still held them. PostgreSQL has no
// secure_delete: an update or delete leaves the old row version in its
// page, and a plain VACUUM only marks its space free, leaving the bytes
// there until a later row happens to overwrite them (the erasure test
// finds them). VACUUM FULL writes each touched table and its indexes anew
// and drops the old files. It locks each table while it copies it, which
// for tables this size is a moment, and it cannot run inside a
// transaction, so it follows the erasure's. The server's write-ahead log
// and its backups hold older pages until they are recycled; retiring
// them is the operator's part.
func (s *DB) wipeFreed(ctx context.Context) error {
	if s.dialect != postgresDialect {
		return s.checkpoint(ctx)
	}
	if _, err := s.pool.ExecContext(ctx, `VACUUM FULL `+strings.Join(erasedTables, ", ")); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	return nil
}

// ownWords returns what the person wrote, and what HR wrote about them,
// wherever it is kept: their sentence, goals (also as copied into their
// surveys), notes, reasons and HR's screening note.
func ownWords(ctx context.Context, tx handle, id string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT pitch FROM participants WHERE id = ?1
		UNION SELECT aim FROM goals WHERE participant_id = ?1
		UNION SELECT signal FROM goals WHERE participant_id = ?1
		UNION SELECT note FROM pulses WHERE participant_id = ?1
		UNION SELECT change FROM surveys WHERE participant_id = ?1
		UNION SELECT text FROM thanks WHERE pair_id IN (SELECT id FROM pairs WHERE mentor_id = ?1 OR mentee_id = ?1)
		UNION SELECT decline_reason FROM pairs WHERE (mentor_id = ?1 OR mentee_id = ?1) AND decline_reason IS NOT NULL
		UNION SELECT skip_reason FROM sessions WHERE skipped_by = ?1
		UNION SELECT join_how FROM teach_ins WHERE host_id = ?1
		UNION SELECT description FROM teach_ins WHERE host_id = ?1
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
	if err := rows.Err(); err != nil {
		return nil, err
	}
	surveys, err := surveyGoals(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	for _, sv := range surveys {
		for _, g := range sv.goals {
			words = append(words, g.Aim, g.Signal)
		}
	}
	return words, nil
}

// storedSurveyGoals are the goals one survey answered about, as stored.
type storedSurveyGoals struct {
	cycleID int64
	kind    string
	goals   []goalJSON
}

// surveyGoals reads the goals of each of the person's surveys. JSON is
// read here rather than in SQL, where the two backends spell it apart.
func surveyGoals(ctx context.Context, tx handle, id string) ([]storedSurveyGoals, error) {
	rows, err := tx.QueryContext(ctx, `SELECT cycle_id, kind, goals FROM surveys WHERE participant_id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("read the survey goals of %s: %w", id, err)
	}
	defer rows.Close()
	var out []storedSurveyGoals
	for rows.Next() {
		var (
			sv  storedSurveyGoals
			raw string
		)
		if err := rows.Scan(&sv.cycleID, &sv.kind, &raw); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(raw), &sv.goals); err != nil {
			return nil, fmt.Errorf("stored survey goals %q: %w", raw, err)
		}
		out = append(out, sv)
	}
	return out, rows.Err()
}

// blankSurveyGoals makes the goals the person's surveys answered about
// blanks, as many as there were, so progress still lines up with them.
func blankSurveyGoals(ctx context.Context, tx handle, id string) error {
	surveys, err := surveyGoals(ctx, tx, id)
	if err != nil {
		return err
	}
	for _, sv := range surveys {
		blank, err := json.Marshal(make([]goalJSON, len(sv.goals)))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE surveys SET goals = ? WHERE participant_id = ? AND cycle_id = ? AND kind = ?`,
			string(blank), id, sv.cycleID, sv.kind); err != nil {
			return fmt.Errorf("blank the survey goals of %s: %w", id, err)
		}
	}
	return nil
}

// minQuoted is the shortest text whose quotation is looked for: shorter
// ones ("ok", "no") say nothing of anyone and are in every answer.
const minQuoted = 4

// forgetAnswersAbout deletes the recorded answers to the person's own
// requests and to anyone's that name them or quote their words, such as a
// partner's profile reply that names their pair. Answers are JSON, so
// words are looked for as typed and as JSON writes them.
func forgetAnswersAbout(ctx context.Context, tx handle, id string, words []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM handled_requests WHERE user_id = ? OR `+tx.dialect.bytesContain("answer"), id, []byte(id)); err != nil {
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
		if _, err := tx.ExecContext(ctx, `DELETE FROM handled_requests WHERE `+tx.dialect.bytesContain("answer"), []byte(q)); err != nil {
			return fmt.Errorf("forget answers quoting %s: %w", id, err)
		}
	}
	return nil
}
