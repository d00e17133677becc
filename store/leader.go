package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"hash/fnv"
	"sync"
	"sync/atomic"
)

// leaderLock is the PostgreSQL advisory lock the leading replica holds.
var leaderLock = lockKey("mentorbot leader")

// presenceSpace is the first key of the two-key advisory lock each replica
// holds while it lives; the second is the server's hashtext of its name,
// so a query can find a replica's lock from the name alone.
var presenceSpace = int32(lockKey("mentorbot replica"))

// lockKey is a PostgreSQL advisory lock's key: the name's 64-bit FNV-1a
// hash, so the key says what it is for wherever it is read.
func lockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return int64(h.Sum64())
}

// Leadership is this replica's standing among the replicas sharing the
// database: present, and perhaps leading the timed work. On PostgreSQL a
// replica holds, on a connection of its own kept open, a session advisory
// lock in its own name, and the leader the leader's lock besides: when a
// replica dies its connection drops and its locks with it, so the others
// see at once that it is gone (a request it claimed is taken over) and the
// next try takes the lead. SQLite serves one process, which always leads;
// as the only process on its file, its first try ends the outbox leases
// and the request claims a process before it left, since that process is
// gone, so what it held is done now rather than when it runs out.
type Leadership struct {
	db    *DB
	owner string

	mu   sync.Mutex
	conn *sql.Conn // holds the locks; nil until the first try, or once dropped
	// freed is set once the SQLite leader ended the leases others left.
	freed bool
	// leading is what the last try found, read without waiting for a try.
	leading atomic.Bool
}

// Leadership returns this replica's leadership, not yet tried; owner names
// the replica on the lock's connection, so an operator can see in
// pg_stat_activity which replica leads.
func (s *DB) Leadership(owner string) *Leadership {
	l := &Leadership{db: s, owner: owner}
	l.leading.Store(s.dialect == sqliteDialect)
	return l
}

// TryLead reports whether this replica leads now, taking the lead if
// nobody holds it. The first try makes the replica present to the others;
// App runs it before the bot takes any request. A connection that dropped
// has lost its locks: a cheap query on it finds that out, and the try
// starts afresh.
func (l *Leadership) TryLead(ctx context.Context) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.db.dialect == sqliteDialect {
		if !l.freed {
			if err := l.db.endGoneProcesses(ctx, l.owner); err != nil {
				return true, err
			}
			l.freed = true
		}
		return true, nil
	}
	if l.conn != nil {
		if _, err := l.session().ExecContext(ctx, `SELECT 1`); err != nil {
			if ctx.Err() != nil {
				// The caller gave up waiting; the connection may be fine.
				return l.leading.Load(), ctx.Err()
			}
			l.drop()
		}
	}
	if l.conn == nil {
		if err := l.attend(ctx); err != nil {
			return false, err
		}
	}
	if l.leading.Load() {
		return true, nil
	}
	var took bool
	if err := l.session().QueryRowContext(ctx, `SELECT pg_try_advisory_lock(?)`, leaderLock).Scan(&took); err != nil {
		l.drop()
		return false, fmt.Errorf("try to lead: %w", err)
	}
	if !took {
		return false, nil
	}
	// The name says which replica leads, for an operator reading
	// pg_stat_activity.
	if _, err := l.session().ExecContext(ctx, `SELECT set_config('application_name', ?, false)`, "mentorbot leader "+l.owner); err != nil {
		l.drop()
		return false, fmt.Errorf("try to lead: %w", err)
	}
	l.leading.Store(true)
	return true, nil
}

// attend opens the replica's own connection and takes the lock in its
// name. Only this connection holds the replica's locks; it never goes back
// to the pool.
func (l *Leadership) attend(ctx context.Context) error {
	conn, err := l.db.pool.Conn(ctx)
	if err != nil {
		return fmt.Errorf("join the replicas: %w", err)
	}
	session := handle{run: conn, dialect: l.db.dialect}
	var took bool
	if err := session.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(?, hashtext(?))`, presenceSpace, l.owner).Scan(&took); err != nil {
		discard(conn)
		return fmt.Errorf("join the replicas: %w", err)
	}
	if !took {
		discard(conn)
		return fmt.Errorf("join the replicas: another live replica is named %q", l.owner)
	}
	if _, err := session.ExecContext(ctx, `SELECT set_config('application_name', ?, false)`, "mentorbot "+l.owner); err != nil {
		discard(conn)
		return fmt.Errorf("join the replicas: %w", err)
	}
	l.conn = conn
	return nil
}

// Leading reports what the last try found, without asking the server.
func (l *Leadership) Leading() bool { return l.leading.Load() }

// Release gives up the lead and the replica's presence, so another
// replica's next try takes the lead, and its claims are taken over, without
// waiting for this one's connection to close.
func (l *Leadership) Release() {
	if l.db.dialect == sqliteDialect {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == nil {
		return
	}
	// Unlocked first: the server ends a closed session's locks in its own
	// time.
	l.session().ExecContext(context.Background(), `SELECT pg_advisory_unlock_all()`)
	l.drop()
}

// session runs queries on the leader's connection.
func (l *Leadership) session() handle { return handle{run: l.conn, dialect: l.db.dialect} }

// drop closes the replica's connection for good: it leads no more, and is
// present again only on the next try.
func (l *Leadership) drop() {
	discard(l.conn)
	l.conn = nil
	l.leading.Store(false)
}

// discard closes the connection rather than handing it back to the pool,
// where a session holding the lock would lead unseen.
func discard(conn *sql.Conn) {
	conn.Raw(func(any) error { return driver.ErrBadConn })
	conn.Close()
}

// endGoneProcesses ends the outbox leases and the request claims of the
// processes before this one on a SQLite file: none of them runs any more.
func (s *DB) endGoneProcesses(ctx context.Context, owner string) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE outbox SET lease_owner = NULL, lease_until = NULL
		WHERE state = 'pending' AND lease_owner IS NOT NULL AND lease_owner <> ?`, owner); err != nil {
		return fmt.Errorf("end the outbox leases of a process gone before: %w", unsaved(err))
	}
	// A claim without an answer goes: the request, delivered again, is
	// this process's to handle.
	if _, err := s.db.ExecContext(ctx, `DELETE FROM handled_requests WHERE owner IS NOT NULL AND owner <> ?`, owner); err != nil {
		return fmt.Errorf("end the request claims of a process gone before: %w", unsaved(err))
	}
	return nil
}
