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

// Postgres reports whether MENTORBOT_TEST_BACKEND asks for PostgreSQL.
func Postgres(t testing.TB) bool {
	t.Helper()
	switch backend := os.Getenv(BackendVariable); backend {
	case "", "sqlite":
		return false
	case "postgres":
		return true
	default:
		t.Fatalf("%s=%q: want sqlite or postgres", BackendVariable, backend)
		return false
	}
}

// DSN makes a fresh empty database of the backend MENTORBOT_TEST_BACKEND
// names and returns what MENTORBOT_DB would say to open it: a SQLite
// file's path (Path), or a PostgreSQL URL (PostgresURL).
func DSN(t testing.TB) string {
	t.Helper()
	if Postgres(t) {
		return PostgresURL(t)
	}
	return Path(t)
}

// Open opens a fresh empty database of the backend MENTORBOT_TEST_BACKEND
// names, closed when the test ends.
func Open(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Copy makes a database holding what the database dsn names holds, of the
// same backend, and returns its DSN; it is removed when the test ends.
// On PostgreSQL nothing may be connected to dsn's database meanwhile.
func Copy(t testing.TB, dsn string) string {
	t.Helper()
	if store.IsPostgres(dsn) {
		return pgtest.Copy(t, dsn)
	}
	ctx := context.Background()
	db, err := store.OpenExisting(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	path := filepath.Join(t.TempDir(), "mentorbot.db")
	if err := db.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	return path
}

// DropTemplate drops the PostgreSQL template this test binary's databases
// are copied from, for a TestMain to call once every test ran.
func DropTemplate() error { return pgtest.DropTemplate() }
