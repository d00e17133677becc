package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/mentorbot/mentorbot"
)

const outboxColumns = `id, key, recipient, kind, pair_id, occurrence, revision, lead_minutes, sequence, due_at,
	state, attempts, next_try, error, sent_at, channel, ts, cycle_id, form, note, lease_owner, lease_until, teach_in_id`

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

// claimOutbox leases the earliest due messages after a cursor to readers
// nobody else holds a message of: ?1 is the owner, ?2 the lease's end,
// ?3 now, (?4, ?5) the cursor, ?6 the limit. A lease that ran out holds
// nothing, nor does one of a replica gone. The candidate itself is among
// the messages NOT EXISTS looks at, so one leased by another owner is
// passed over; one the owner holds already is leased to it afresh. The
// dialect says which replicas live, and adds row locks.
const claimOutbox = `UPDATE outbox SET lease_owner = ?1, lease_until = ?2
	WHERE id IN (
		SELECT id FROM outbox AS due
		WHERE due.state = 'pending' AND due.due_at <= ?3 AND (due.next_try IS NULL OR due.next_try <= ?3)
			AND (due.due_at, due.id) > (?4, ?5)
			AND NOT EXISTS (
				SELECT 1 FROM outbox AS held
				WHERE held.recipient = due.recipient AND held.state = 'pending'
					AND held.lease_until IS NOT NULL AND held.lease_until > ?3 AND held.lease_owner <> ?1
					AND %s)
		ORDER BY due.due_at, due.id LIMIT ?6 %s)
	RETURNING ` + outboxColumns

// ClaimOutbox leases to owner up to limit due messages after the cursor,
// earliest due first, passing over those, and the readers, that another
// owner holds a live lease on. Claims take turns: on SQLite the immediate
// transaction's write lock sees to it; on PostgreSQL FOR UPDATE SKIP
// LOCKED alone would let two claims lease different messages of one
// reader, each unseen by the other until both commit, so a
// transaction-level advisory lock makes them wait for each other, and
// each then reads the other's leases in its own statement's snapshot
// (READ COMMITTED). SKIP LOCKED passes over a message whose owner is
// recording it just then.
func (s *DB) ClaimOutbox(ctx context.Context, now time.Time, owner string, lease time.Duration, after mentorbot.OutboxCursor, limit int) ([]mentorbot.OutboxItem, error) {
	if owner == "" {
		return nil, errors.New("claim outbox: no owner")
	}
	lock := ""
	if s.dialect == postgresDialect {
		lock = "FOR UPDATE SKIP LOCKED"
	}
	var out []mentorbot.OutboxItem
	err := s.claimTx(ctx, func(tx handle) error {
		rows, err := tx.QueryContext(ctx, fmt.Sprintf(claimOutbox, s.dialect.liveReplica("held.lease_owner"), lock),
			owner, formatTime(now.Add(lease)), formatTime(now), formatTime(after.DueAt), after.ID, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			item, err := scanOutboxItem(rows)
			if err != nil {
				return err
			}
			out = append(out, item)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", unsaved(err))
	}
	// RETURNING keeps no order.
	slices.SortFunc(out, func(a, b mentorbot.OutboxItem) int {
		return cmp.Or(a.DueAt.Compare(b.DueAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// ReleaseOutbox ends every lease owner holds on a message still pending,
// so other replicas send them at once, and returns how many it ended.
func (s *DB) ReleaseOutbox(ctx context.Context, owner string) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? AND state = 'pending'`, owner)
	if err != nil {
		return 0, fmt.Errorf("release outbox: %w", unsaved(err))
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// outboxClaimLock is the PostgreSQL advisory lock claims take turns on.
var outboxClaimLock = lockKey("mentorbot outbox claim")

// claimTx runs fn in a transaction that no other claim runs beside.
func (s *DB) claimTx(ctx context.Context, fn func(handle) error) error {
	tx, err := s.pool.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	h := handle{run: tx, dialect: s.dialect}
	if s.dialect == postgresDialect {
		if _, err := h.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, outboxClaimLock); err != nil {
			return errors.Join(err, tx.Rollback())
		}
	}
	if err := fn(h); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}

// PendingOutboxItems lists up to limit messages not yet sent, dropped or
// given up on, earliest due first.
func (s *DB) PendingOutboxItems(ctx context.Context, limit int) ([]mentorbot.OutboxItem, error) {
	return s.outbox(ctx, `state = 'pending' ORDER BY due_at, id LIMIT ?`, limit)
}

// OutboxOf lists the messages about a pair, oldest first.
func (s *DB) OutboxOf(ctx context.Context, pairID int64) ([]mentorbot.OutboxItem, error) {
	return s.outbox(ctx, `pair_id = ? ORDER BY id`, pairID)
}

// SaveOutboxItem records a message's state, attempts, error, when it was
// sent and where, and ends its lease; the rest of it never changes once
// owed. Only a pending message changes: one dropped meanwhile, because its
// reader erased their data, stays dropped, and gets no DM channel that
// leads back to them. Only the item's lease owner changes it: once its
// lease ran out and another replica claimed it, the message is theirs.
func (s *DB) SaveOutboxItem(ctx context.Context, item mentorbot.OutboxItem) error {
	res, err := s.db.ExecContext(ctx, `
		UPDATE outbox SET state = ?, attempts = ?, next_try = ?, error = ?, sent_at = ?, channel = ?, ts = ?,
			lease_owner = NULL, lease_until = NULL
		WHERE id = ? AND state = 'pending' AND COALESCE(lease_owner, '') = ?`,
		string(item.State), item.Attempts, nullTime(item.NextTry), item.Error, nullTime(item.SentAt), item.Channel, item.TS, item.ID, item.LeaseOwner)
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
		item                                    mentorbot.OutboxItem
		pairID, cycleID, teachInID              sql.NullInt64
		occurrence, nextTry, sentAt, leaseUntil sql.NullString
		leaseOwner                              sql.NullString
		dueAt                                   string
		leadMinutes                             int
	)
	err := rows.Scan(&item.ID, &item.Key, &item.To, &item.Kind, &pairID, &occurrence, &item.Revision, &leadMinutes, &item.Sequence, &dueAt,
		&item.State, &item.Attempts, &nextTry, &item.Error, &sentAt, &item.Channel, &item.TS, &cycleID, &item.Form, &item.Note, &leaseOwner, &leaseUntil, &teachInID)
	if err != nil {
		return item, err
	}
	item.PairID, item.CycleID, item.TeachInID, item.Lead = pairID.Int64, cycleID.Int64, teachInID.Int64, time.Duration(leadMinutes)*time.Minute
	item.LeaseOwner = leaseOwner.String
	if item.DueAt, err = parseTime(dueAt); err != nil {
		return item, err
	}
	for _, t := range []struct {
		raw  sql.NullString
		into *time.Time
	}{{occurrence, &item.Occurrence}, {nextTry, &item.NextTry}, {sentAt, &item.SentAt}, {leaseUntil, &item.LeaseUntil}} {
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
