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

// lockKey is a PostgreSQL advisory lock's key: the name's 64-bit FNV-1a
// hash, so the key says what it is for wherever it is read.
func lockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return int64(h.Sum64())
}

// Leadership is whether this replica leads the timed work among the
// replicas sharing the database. On PostgreSQL the leader holds a session
// advisory lock on a connection of its own, kept open: when the leader
// dies, its connection drops and the lock with it, and another replica's
// next try takes it. SQLite serves one process, which always leads; as
// the only process on its file, its first try ends the outbox leases a
// process before it left, since that process is gone, so what it held
// goes out now rather than when its leases run out.
type Leadership struct {
	db    *DB
	owner string

	mu   sync.Mutex
	conn *sql.Conn // holds the lock; nil when not leading
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
// nobody holds it. A leader whose connection dropped has lost the lock: a
// cheap query on it finds that out, and the try starts afresh.
func (l *Leadership) TryLead(ctx context.Context) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.db.dialect == sqliteDialect {
		if !l.freed {
			if _, err := l.db.db.ExecContext(ctx, `UPDATE outbox SET lease_owner = NULL, lease_until = NULL
				WHERE state = 'pending' AND lease_owner IS NOT NULL AND lease_owner <> ?`, l.owner); err != nil {
				return true, fmt.Errorf("end the outbox leases of a process gone before: %w", unsaved(err))
			}
			l.freed = true
		}
		return true, nil
	}
	if l.conn != nil {
		if _, err := l.session().ExecContext(ctx, `SELECT 1`); err == nil {
			return true, nil
		} else if ctx.Err() != nil {
			// The caller gave up waiting; the connection may be fine.
			return l.leading.Load(), ctx.Err()
		}
		l.drop()
	}
	conn, err := l.db.pool.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("try to lead: %w", err)
	}
	var took bool
	session := handle{run: conn, dialect: l.db.dialect}
	if err := session.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(?)`, leaderLock).Scan(&took); err != nil {
		discard(conn)
		return false, fmt.Errorf("try to lead: %w", err)
	}
	if !took {
		conn.Close()
		return false, nil
	}
	// Only a connection that leads carries the name; it never goes back
	// to the pool.
	if _, err := session.ExecContext(ctx, `SELECT set_config('application_name', ?, false)`, "mentorbot leader "+l.owner); err != nil {
		discard(conn)
		return false, fmt.Errorf("try to lead: %w", err)
	}
	l.conn = conn
	l.leading.Store(true)
	return true, nil
}

// Leading reports what the last try found, without asking the server.
func (l *Leadership) Leading() bool { return l.leading.Load() }

// Release gives up the lead, so another replica's next try takes it
// without waiting for this one's connection to close.
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
	l.session().ExecContext(context.Background(), `SELECT pg_advisory_unlock(?)`, leaderLock)
	l.drop()
}

// session runs queries on the leader's connection.
func (l *Leadership) session() handle { return handle{run: l.conn, dialect: l.db.dialect} }

// drop closes the leader's connection for good and leads no more.
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
