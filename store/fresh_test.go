package store

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestCheckEmpty(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if err := db.CheckEmpty(ctx); err != nil {
			t.Fatalf("a migrated database with nothing in it: %v", err)
		}
		activePair(t, db, "UA", "UX")
		err := db.CheckEmpty(ctx)
		if _, ok := errors.AsType[NotEmptyError](err); !ok {
			t.Fatalf("with a pair stored: %v, want a NotEmptyError", err)
		}
	})
}

// A run's own database is created once, holds no tables until it is
// opened, and is gone once dropped.
func TestCreateAndDropPostgres(t *testing.T) {
	ctx := context.Background()
	dsn := uncreatedDSN(t, "_own")
	for _, want := range []bool{true, false} {
		created, err := CreatePostgres(ctx, dsn)
		if err != nil || created != want {
			t.Fatalf("CreatePostgres = %v, %v; want %v", created, err, want)
		}
	}
	db, err := OpenExisting(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CheckEmpty(ctx); err != nil {
		t.Errorf("a database just created: %v", err)
	}
	db.Close()
	if err := DropPostgres(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	if created, err := CreatePostgres(ctx, dsn); err != nil || !created {
		t.Errorf("after the drop, CreatePostgres = %v, %v; want it created again", created, err)
	}
}

func TestCreatePostgresRefusesTheServersOwnDatabase(t *testing.T) {
	for _, tc := range []struct{ dsn, says string }{
		{"postgres://u@127.0.0.1:1/postgres", "names the server's own database postgres"},
		{"postgres://u@127.0.0.1:1/template1", "names the server's own database template1"},
		{"postgres://u@127.0.0.1:1", "names no database"},
		{"mentorbot.db", "is not a postgres:// URL"},
	} {
		_, err := CreatePostgres(context.Background(), tc.dsn)
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("CreatePostgres(%q) = %v, want it to say %q", tc.dsn, err, tc.says)
		}
	}
}

// Replicas started together on a new database each migrate it as they
// open it: one applies the migrations while the others wait, and all
// start.
func TestReplicasOpenANewDatabaseTogether(t *testing.T) {
	ctx := context.Background()
	dsn := uncreatedDSN(t, "_new")
	if _, err := CreatePostgres(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	const replicas = 4
	errs := make(chan error, replicas)
	for range replicas {
		go func() {
			db, err := Open(ctx, dsn)
			if err == nil {
				err = db.Close()
			}
			errs <- err
		}()
	}
	for range replicas {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// uncreatedDSN names a database on the test server that does not exist
// yet, after a fresh one with the suffix added; it is dropped, if made,
// when the test ends.
func uncreatedDSN(t *testing.T, suffix string) string {
	t.Helper()
	u, err := url.Parse(postgresTestDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	u.Path += suffix
	dsn := u.String()
	t.Cleanup(func() { DropPostgres(context.Background(), dsn) })
	return dsn
}
