// Package pgtest gives tests a fresh, empty, migrated PostgreSQL database
// in milliseconds: the schema is migrated once per test binary into a
// template database, and each test gets a copy of it (CREATE DATABASE ...
// TEMPLATE), dropped when the test ends. The server is named by
// MENTORBOT_TEST_POSTGRES; without it, a test that asks for a database is
// skipped, or fails when MENTORBOT_TEST_REQUIRE_POSTGRES=1.
//
// It does not import the store (the store's own tests use it), so the
// caller says how to migrate.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Names of the environment variables that configure PostgreSQL tests.
const (
	ServerVariable  = "MENTORBOT_TEST_POSTGRES"
	RequireVariable = "MENTORBOT_TEST_REQUIRE_POSTGRES"
)

// Migrate brings the empty database at the URL up to date.
type Migrate func(ctx context.Context, dsn string) error

var (
	mu       sync.Mutex
	template string // the template's name, once made
	failed   error  // why making it failed, for every later test
)

// Fresh returns the URL of a new database with every migration applied,
// dropped when the test ends.
func Fresh(t testing.TB, migrate Migrate) string {
	t.Helper()
	server := serverOf(t)
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatalf("%s: %v", ServerVariable, err)
	}
	defer admin.Close()
	from, err := makeTemplate(context.Background(), admin, server, migrate)
	if err != nil {
		t.Fatalf("make the template database on %s: %v", redacted(server), err)
	}
	return copyOf(t, admin, server, from)
}

// Copy returns the URL of a new database holding what the database at
// the URL from holds, dropped when the test ends. Nothing may be
// connected to from while it is copied.
func Copy(t testing.TB, from string) string {
	t.Helper()
	server := serverOf(t)
	u, err := url.Parse(from)
	if err != nil {
		t.Fatalf("copy a database: %v", err)
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatalf("%s: %v", ServerVariable, err)
	}
	defer admin.Close()
	return copyOf(t, admin, server, strings.TrimPrefix(u.Path, "/"))
}

// serverOf returns the server's URL, or skips the test without one.
func serverOf(t testing.TB) string {
	t.Helper()
	server := os.Getenv(ServerVariable)
	if server == "" {
		if os.Getenv(RequireVariable) == "1" {
			t.Fatalf("%s is not set, and %s=1 requires the PostgreSQL half", ServerVariable, RequireVariable)
		}
		t.Skipf("%s is not set: the PostgreSQL half is skipped", ServerVariable)
	}
	return server
}

// copyOf creates a copy of the database from, dropped when the test ends,
// and returns its URL.
func copyOf(t testing.TB, admin *sql.DB, server, from string) string {
	t.Helper()
	ctx := context.Background()
	name := "test_" + randomSuffix()
	if err := createFrom(ctx, admin, name, from); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", server)
		if err != nil {
			t.Error(err)
			return
		}
		defer admin.Close()
		// WITH (FORCE) ends a connection the test left open.
		if _, err := admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return withDatabase(server, name)
}

// DropTemplate drops this test binary's template, for a TestMain to call
// once every test ran. A template left behind is dropped by the next
// binary that makes one, once this one is gone.
func DropTemplate() error {
	mu.Lock()
	defer mu.Unlock()
	if template == "" {
		return nil
	}
	admin, err := sql.Open("pgx", os.Getenv(ServerVariable))
	if err != nil {
		return err
	}
	defer admin.Close()
	_, err = admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+template+` WITH (FORCE)`)
	template = ""
	return err
}

// makeTemplate migrates the template database the first time it is asked
// for, and returns its name.
func makeTemplate(ctx context.Context, admin *sql.DB, server string, migrate Migrate) (string, error) {
	mu.Lock()
	defer mu.Unlock()
	if template != "" || failed != nil {
		return template, failed
	}
	dropAbandoned(ctx, admin)
	name := fmt.Sprintf("mentorbot_template_%d", os.Getpid())
	failed = func() error {
		if _, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			return err
		}
		if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
			return err
		}
		return migrate(ctx, withDatabase(server, name))
	}()
	if failed == nil {
		template = name
	}
	return template, failed
}

// dropAbandoned drops the templates of test binaries on this machine that
// are no longer running: nothing else would.
func dropAbandoned(ctx context.Context, admin *sql.DB) {
	rows, err := admin.QueryContext(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'mentorbot\_template\_%'`)
	if err != nil {
		return
	}
	var names []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) == nil {
			names = append(names, name)
		}
	}
	rows.Close()
	for _, name := range names {
		pid, err := strconv.Atoi(strings.TrimPrefix(name, "mentorbot_template_"))
		if err != nil {
			continue
		}
		// Signal 0 only asks whether the process is there.
		if err := syscall.Kill(pid, 0); err == nil || errors.Is(err, syscall.EPERM) {
			continue
		}
		admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	}
}

// createFrom copies the template. Two copies made at once from the same
// template can find each other connected to it, so a copy waits its turn.
func createFrom(ctx context.Context, admin *sql.DB, name, template string) error {
	mu.Lock()
	defer mu.Unlock()
	_, err := admin.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE `+template)
	if e, ok := errors.AsType[*pgconn.PgError](err); ok && e.Code == "55006" {
		return fmt.Errorf("%w (is a connection to the template still open?)", err)
	}
	return err
}

func withDatabase(server, name string) string {
	u, err := url.Parse(server)
	if err != nil {
		return server
	}
	u.Path = "/" + name
	return u.String()
}

func redacted(server string) string {
	u, err := url.Parse(server)
	if err != nil {
		return ServerVariable
	}
	return u.Redacted()
}

func randomSuffix() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
