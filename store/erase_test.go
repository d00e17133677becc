package store

import (
	"context"
	"testing"
	"time"
)

// A request of the person's that is being recorded as their erasure
// begins is erased with it, rather than left behind naming them.
func TestEraseTakesARequestRecordedAsItBegins(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		recording, err := db.pool.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer recording.Rollback()
		if _, err := (handle{run: recording, dialect: db.dialect}).ExecContext(ctx, `
			INSERT INTO handled_requests (key, user_id, answer, handled_at) VALUES ('command:1', 'U1', NULL, ?)`,
			formatTime(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))); err != nil {
			t.Fatal(err)
		}
		erased := make(chan error, 1)
		go func() { erased <- db.Erase(ctx, "U1", "erased-1") }()
		if db.dialect == postgresDialect {
			// The record commits once the erasure waits for a lock it holds.
			waitForLockWaiter(ctx, t, db, erased)
		}
		if err := recording.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := <-erased; err != nil {
			t.Fatal(err)
		}
		if _, handled, err := db.HandledRequest(ctx, "command:1"); err != nil || handled {
			t.Errorf("the request recorded as the erasure began is still there (%v)", err)
		}
	})
}

// waitForLockWaiter returns once a connection waits for a lock on
// handled_requests, or the erasure is done without waiting (and its
// result put back for the caller).
func waitForLockWaiter(ctx context.Context, t *testing.T, db *DB, erased chan error) {
	t.Helper()
	for {
		select {
		case err := <-erased:
			erased <- err
			return
		default:
		}
		var waiting bool
		if err := db.pool.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks
			WHERE relation = 'handled_requests'::regclass AND NOT granted)`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting {
			return
		}
	}
}
