// Package storetest gives tests an empty database with every migration
// applied, in a few milliseconds: migrating from nothing costs more than
// most tests do, many times over under the race detector.
//
// Open gives a SQLite database, or a PostgreSQL one when
// MENTORBOT_TEST_BACKEND=postgres: then MENTORBOT_TEST_POSTGRES names a
// server on which tests may create and drop databases.
package storetest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/mentorbot/mentorbot/store"
	"github.com/mentorbot/mentorbot/store/internal/pgtest"
)

// BackendVariable names the backend Open gives: "postgres", or SQLite
// when unset.
const BackendVariable = "MENTORBOT_TEST_BACKEND"

// empty is the file of a migrated database with nothing in it, made once
// for the test binary and copied for each test.
var empty = sync.OnceValues(func() ([]byte, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "mentorbot-empty-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(ctx, filepath.Join(dir, "migrated.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	// A backup is one self-contained file, with nothing in a write-ahead log.
	copied := filepath.Join(dir, "copy.db")
	if err := db.Backup(ctx, copied); err != nil {
		return nil, err
	}
	return os.ReadFile(copied)
})

// Path writes a fresh empty database into the test's temporary folder
// and returns its path, for a test that opens it as the bot would.
func Path(t testing.TB) string {
	t.Helper()
	raw, err := empty()
	if err != nil {
		t.Fatalf("make the empty database: %v", err)
	}
	path := filepath.Join(t.TempDir(), "mentorbot.db")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// PostgresURL creates a fresh empty PostgreSQL database and returns its
// URL; it is dropped when the test ends. Without MENTORBOT_TEST_POSTGRES
// the test is skipped (fails, with MENTORBOT_TEST_REQUIRE_POSTGRES=1).
func PostgresURL(t testing.TB) string {
	t.Helper()
	return pgtest.Fresh(t, func(ctx context.Context, dsn string) error {
		db, err := store.Open(ctx, dsn)
		if err != nil {
			return err
		}
		return db.Close()
	})
}

// Open opens a fresh empty database of the backend MENTORBOT_TEST_BACKEND
// names, closed when the test ends.
func Open(t testing.TB) *store.DB {
	t.Helper()
	dsn := ""
	switch backend := os.Getenv(BackendVariable); backend {
	case "", "sqlite":
		dsn = Path(t)
	case "postgres":
		dsn = PostgresURL(t)
	default:
		t.Fatalf("%s=%q: want sqlite or postgres", BackendVariable, backend)
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// DropTemplate drops the PostgreSQL template PostgresURL made, for a
// TestMain to call once every test ran.
func DropTemplate() error { return pgtest.DropTemplate() }
