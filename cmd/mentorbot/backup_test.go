package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot/store"
)

// TestBackup runs `mentorbot backup` as an operator would: configured by
// MENTORBOT_DB alone, with no Slack tokens.
func TestBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "mentorbot.db")
	db, err := store.Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close() // the bot is still running
	if err := db.RecordRequest(ctx, "command:1", "U0ADA", []byte(`{}`), time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	taken := filepath.Join(dir, "taken.db")
	if err := os.WriteFile(taken, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		db       string
		args     []string
		wantCode int
		says     string
	}{
		{"no file given", live, nil, 2, "backup: give the one file"},
		{"two files given", live, []string{"a.db", "b.db"}, 2, "backup: give the one file"},
		{"a flag instead of a file", live, []string{"-h"}, 2, "backup: give the one file"},
		{"no database yet", filepath.Join(dir, "missing.db"), []string{filepath.Join(dir, "never.db")}, 1, "MENTORBOT_DB: " + filepath.Join(dir, "missing.db") + " does not exist"},
		{"the file exists", live, []string{taken}, 1, "already exists; give a new file name"},
		{"a new file", live, []string{filepath.Join(dir, "backup.db")}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			unsetConfig(t)
			t.Setenv("MENTORBOT_DB", tt.db)
			var stdout, stderr bytes.Buffer
			code := runMain(ctx, append([]string{"backup"}, tt.args...), &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d: %s", code, tt.wantCode, stderr.String())
			}
			if tt.says != "" && (strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), tt.says)) {
				t.Errorf("stderr %q, want one line saying %q", stderr.String(), tt.says)
			}
		})
	}

	if content, _ := os.ReadFile(taken); string(content) != "keep me" {
		t.Errorf("the existing file now holds %q", content)
	}
	copied, err := store.OpenExisting(ctx, filepath.Join(dir, "backup.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer copied.Close()
	if _, handled, err := copied.HandledRequest(ctx, "command:1"); err != nil || !handled {
		t.Errorf("the backup lacks the live database's rows: %v, %v", handled, err)
	}
}
