// Package storetest gives tests an empty database with every migration
// applied, in a few milliseconds: migrating from nothing costs more than
// most tests do, many times over under the race detector.
package storetest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/mentorbot/mentorbot/store"
)

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

// Open opens a fresh empty database, closed when the test ends.
func Open(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), Path(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
