package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot/store"
	"github.com/mentorbot/mentorbot/store/storetest"
)

// copyDB runs `mentorbot copy-db` with the arguments and returns its exit
// code, standard output and standard error.
func copyDB(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runMain(context.Background(), append([]string{"copy-db"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// stoppedBot leaves a SQLite database as a stopped bot would: one request
// answered and one heartbeat.
func stoppedBot(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "mentorbot.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if err := db.RecordRequest(ctx, "command:1", "U0ADA", []byte(`{}`), at); err != nil {
		t.Fatal(err)
	}
	if err := db.Heartbeat(ctx, at); err != nil {
		t.Fatal(err)
	}
	return path
}

// wantCopied checks the report: one request, one heartbeat, two rows.
func wantCopied(t *testing.T, stdout string) {
	t.Helper()
	for _, line := range []string{`(?m)^handled_requests +1$`, `(?m)^heartbeat +1$`, `(?m)^participants +0$`, `(?m)^total +2 rows copied; point MENTORBOT_DB at the new database`} {
		if !regexp.MustCompile(line).MatchString(stdout) {
			t.Errorf("stdout does not match %s:\n%s", line, stdout)
		}
	}
}

func wantHandled(t *testing.T, dsn string) {
	t.Helper()
	db, err := store.OpenExisting(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, handled, err := db.HandledRequest(context.Background(), "command:1"); err != nil || !handled {
		t.Errorf("the copy lacks the request: %v, %v", handled, err)
	}
}

func TestCopyDBArguments(t *testing.T) {
	live := stoppedBot(t)
	dir := filepath.Dir(live)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		says     string
	}{
		{"nothing given", nil, 2, "copy-db: give the database to copy"},
		{"only FROM", []string{live}, 2, "copy-db: give the database to copy"},
		{"three given", []string{live, "a.db", "b.db"}, 2, "copy-db: give the database to copy"},
		{"a flag", []string{"-h", "b.db"}, 2, "copy-db: give the database to copy"},
		{"TO is FROM", []string{live, live}, 2, "FROM and TO are the same database"},
		{"TO is FROM spelled another way", []string{live, filepath.Join(dir, ".", "..", filepath.Base(dir), "mentorbot.db")}, 2, "FROM and TO are the same database"},
		{"the same server and database", []string{"postgres://a@db:5432/mentorbot", "postgresql://b:secret@DB:5432/mentorbot?sslmode=require"}, 2, "FROM and TO are the same database"},
		{"TO unreachable", []string{live, "postgres://mentorbot@127.0.0.1:1/mentorbot?connect_timeout=5"}, 1, "copy-db: TO: open database postgres://mentorbot@127.0.0.1:1/mentorbot"},
		{"no FROM yet", []string{filepath.Join(dir, "missing.db"), filepath.Join(dir, "never.db")}, 1, filepath.Join(dir, "missing.db") + " does not exist, so there is nothing to copy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := copyDB(t, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d: %s", code, tt.wantCode, stderr)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tt.says) {
				t.Errorf("stderr %q, want one line saying %q", stderr, tt.says)
			}
		})
	}
}

func TestCopyDBToSQLiteAndRefusesItAgain(t *testing.T) {
	live := stoppedBot(t)
	target := filepath.Join(t.TempDir(), "copy.db")
	code, stdout, stderr := copyDB(t, live, target)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	wantCopied(t, stdout)
	wantHandled(t, target)

	code, stdout, stderr = copyDB(t, live, target)
	if code != 1 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "already holds rows (in table handled_requests)") {
		t.Errorf("a second copy into the same target: exit %d, stdout %q, stderr %q; want exit 1 and one line naming the table", code, stdout, stderr)
	}
}

// TestCopyDBToPostgresAndBack moves a programme to PostgreSQL and from
// there into a new SQLite file.
func TestCopyDBToPostgresAndBack(t *testing.T) {
	live := stoppedBot(t)
	server := storetest.PostgresURL(t)
	code, stdout, stderr := copyDB(t, live, server)
	if code != 0 {
		t.Fatalf("to PostgreSQL: exit %d: %s", code, stderr)
	}
	wantCopied(t, stdout)
	wantHandled(t, server)

	back := filepath.Join(t.TempDir(), "back.db")
	code, stdout, stderr = copyDB(t, server, back)
	if code != 0 {
		t.Fatalf("back to SQLite: exit %d: %s", code, stderr)
	}
	wantCopied(t, stdout)
	wantHandled(t, back)
}
