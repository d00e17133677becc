package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mentorbot/mentorbot"
)

const outboxColumns = `id, key, recipient, kind, pair_id, occurrence, revision, lead_minutes, sequence, due_at,
	state, attempts, next_try, error, sent_at, channel, ts, cycle_id, form, note, teach_in_id`

// dueOutbox walks the pending messages by (due_at, id) from a cursor.
// state is a literal, not a parameter, so SQLite can use the partial index
// outbox_due.
const dueOutbox = `state = 'pending' AND due_at <= ?1 AND (next_try IS NULL OR next_try <= ?1)
	AND (due_at, id) > (?2, ?3) ORDER BY due_at, id LIMIT ?4`

// DueOutbox lists up to limit pending messages due by now and not waiting
// to retry, earliest due first, after the one at the cursor. A zero cursor
// formats before every stored time, so it starts from the beginning.
func (s *DB) DueOutbox(ctx context.Context, now time.Time, after mentorbot.OutboxCursor, limit int) ([]mentorbot.OutboxItem, error) {
	return s.outbox(ctx, dueOutbox, formatTime(now), formatTime(after.DueAt), after.ID, limit)
}

// OutboxOf lists the messages about a pair, oldest first.
func (s *DB) OutboxOf(ctx context.Context, pairID int64) ([]mentorbot.OutboxItem, error) {
	return s.outbox(ctx, `pair_id = ? ORDER BY id`, pairID)
}

// SaveOutboxItem records a message's state, attempts, error, when it was
// sent and where; the rest of it never changes once owed. Only a pending
// message changes: one dropped meanwhile, because its reader erased their
// data, stays dropped, and gets no DM channel that leads back to them.
func (s *DB) SaveOutboxItem(ctx context.Context, item mentorbot.OutboxItem) error {
	res, err := s.db.ExecContext(ctx, `
		UPDATE outbox SET state = ?, attempts = ?, next_try = ?, error = ?, sent_at = ?, channel = ?, ts = ?
		WHERE id = ? AND state = 'pending'`,
		string(item.State), item.Attempts, nullTime(item.NextTry), item.Error, nullTime(item.SentAt), item.Channel, item.TS, item.ID)
	if err != nil {
		return fmt.Errorf("save outbox message %d: %w", item.ID, unsaved(err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("save outbox message %d: %w", item.ID, err)
	} else if n != 1 {
		return mentorbot.Errorf(mentorbot.ENOTFOUND, "That message is no longer owed.")
	}
	return nil
}

// outbox loads the messages matching the clause, which ends with their order.
func (s *DB) outbox(ctx context.Context, whereOrder string, args ...any) ([]mentorbot.OutboxItem, error) {
	var out []mentorbot.OutboxItem
	err := s.each(ctx, func(rows *sql.Rows) error {
		item, err := scanOutboxItem(rows)
		out = append(out, item)
		return err
	}, `SELECT `+outboxColumns+` FROM outbox WHERE `+whereOrder, args...)
	if err != nil {
		return nil, fmt.Errorf("load outbox: %w", err)
	}
	return out, nil
}

func scanOutboxItem(rows *sql.Rows) (mentorbot.OutboxItem, error) {
	var (
		item                        mentorbot.OutboxItem
		pairID, cycleID, teachInID  sql.NullInt64
		occurrence, nextTry, sentAt sql.NullString
		dueAt                       string
		leadMinutes                 int
	)
	err := rows.Scan(&item.ID, &item.Key, &item.To, &item.Kind, &pairID, &occurrence, &item.Revision, &leadMinutes, &item.Sequence, &dueAt,
		&item.State, &item.Attempts, &nextTry, &item.Error, &sentAt, &item.Channel, &item.TS, &cycleID, &item.Form, &item.Note, &teachInID)
	if err != nil {
		return item, err
	}
	item.PairID, item.CycleID, item.TeachInID, item.Lead = pairID.Int64, cycleID.Int64, teachInID.Int64, time.Duration(leadMinutes)*time.Minute
	if item.DueAt, err = parseTime(dueAt); err != nil {
		return item, err
	}
	for _, t := range []struct {
		raw  sql.NullString
		into *time.Time
	}{{occurrence, &item.Occurrence}, {nextTry, &item.NextTry}, {sentAt, &item.SentAt}} {
		if *t.into, err = parseNullTime(t.raw); err != nil {
			return item, err
		}
	}
	return item, nil
}

// addOutbox inserts the messages as pending, leaving one whose key is
// already stored as it is, and returns each new row's ID, 0 for one that
// was there already. The statement is prepared once: planning adds
// thousands of reminders in one change.
func addOutbox(ctx context.Context, tx handle, items []mentorbot.OutboxItem) ([]int64, error) {
	if len(items) == 0 {
		return nil, nil
	}
	insert, err := tx.PrepareContext(ctx, `
		INSERT INTO outbox (key, recipient, kind, pair_id, cycle_id, occurrence, revision, lead_minutes, sequence, due_at, form, note, teach_in_id, state)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')
		ON CONFLICT (key) DO NOTHING RETURNING id`)
	if err != nil {
		return nil, fmt.Errorf("add to outbox: %w", err)
	}
	defer insert.Close()
	ids := make([]int64, len(items))
	for i, item := range items {
		ids[i], err = insertedID(insert.QueryRowContext(ctx, item.Key, item.To, string(item.Kind), nullID(item.PairID), nullID(item.CycleID),
			nullTime(item.Occurrence), item.Revision, int(item.Lead/time.Minute), item.Sequence, formatTime(item.DueAt), item.Form, item.Note, nullID(item.TeachInID)))
		if err != nil {
			return nil, fmt.Errorf("add %s to outbox: %w", item.Key, err)
		}
	}
	return ids, nil
}

// insertedID is the ID an INSERT ... ON CONFLICT DO NOTHING RETURNING id
// returned, or 0 when it added no row, and so returned none.
func insertedID(row *sql.Row) (int64, error) {
	var id int64
	err := row.Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}
