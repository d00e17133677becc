package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
)

func TestPendingOutboxCountsOnlyUnsent(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		p := activePair(t, db, "UA", "UX")
		at := day.Add(48 * time.Hour)
		c := mentorbot.Change{Outbox: []mentorbot.OutboxItem{
			nudge(p.ID, "UX", at, 24*time.Hour), nudge(p.ID, "UX", at, time.Hour), nudge(p.ID, "UA", at, time.Hour),
		}}
		if err := db.Apply(ctx, c); err != nil {
			t.Fatal(err)
		}
		sent := c.Outbox[0]
		sent.State, sent.SentAt = mentorbot.OutboxSent, day
		dropped := c.Outbox[1]
		dropped.State, dropped.Error = mentorbot.OutboxDropped, "pair ended"
		for _, item := range []mentorbot.OutboxItem{sent, dropped} {
			if err := db.SaveOutboxItem(ctx, item); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := db.PendingOutbox(ctx); err != nil || n != 1 {
			t.Fatalf("PendingOutbox = %d, %v; want 1", n, err)
		}
	})
}

func TestHeartbeatWritesAndFailsOnceClosed(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		for _, at := range []time.Time{day, day.Add(time.Minute)} {
			if err := db.Heartbeat(ctx, at); err != nil {
				t.Fatal(err)
			}
		}
		var rows int
		var beat string
		if err := db.db.QueryRow(`SELECT COUNT(*), MAX(beat_at) FROM heartbeat`).Scan(&rows, &beat); err != nil || rows != 1 || beat != formatTime(day.Add(time.Minute)) {
			t.Fatalf("heartbeat table: %d rows, latest %q, %v; want one row at the last beat", rows, beat, err)
		}
		db.Close()
		if err := db.Heartbeat(ctx, day); err == nil {
			t.Fatal("a closed database took a heartbeat")
		}
	})
}

func TestBackupCopiesEveryRowAndTheSchemaVersion(t *testing.T) {
	db, path := openTest(t)
	ctx := context.Background()
	activePair(t, db, "UA", "UX")
	if err := save(ctx, db, sampleParticipant()); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordRequest(ctx, "command:1", "UA", []byte(`{"ok":true}`), day); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, copyPath); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(copyPath); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, %v; want mode 0600", info, err)
	}
	backup, err := OpenExisting(ctx, copyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer backup.Close()
	want, got := dumpTables(t, db.pool), dumpTables(t, backup.pool)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("backup of %s differs:\n got %v\nwant %v", path, got, want)
	}
	if len(want["participants"]) != 1 || len(want["pairs"]) != 1 || len(want["handled_requests"]) != 1 || len(want["goose_db_version"]) == 0 {
		t.Fatalf("the sample data is missing, so the comparison proves little: %v", want)
	}
}

func TestBackupRefusesAnExistingFile(t *testing.T) {
	db, _ := openTest(t)
	ctx := context.Background()
	existing := filepath.Join(t.TempDir(), "keep.db")
	if err := os.WriteFile(existing, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, existing); !errors.Is(err, ErrBackupExists) {
		t.Fatalf("Backup over an existing file: %v, want ErrBackupExists", err)
	}
	if content, _ := os.ReadFile(existing); string(content) != "precious" {
		t.Fatalf("the existing file was changed to %q", content)
	}
}

// PostgreSQL has its own tools for copies; Backup writes no file.
func TestBackupOfPostgresSaysUsePgDump(t *testing.T) {
	db := openPostgresTest(t)
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(context.Background(), path); !errors.Is(err, ErrBackupPostgres) {
		t.Fatalf("Backup of PostgreSQL: %v, want ErrBackupPostgres", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Backup of PostgreSQL left a file: %v", err)
	}
}

// TestBackupWhileWriting copies the database while another connection
// writes: the copy is whole, and holds the writes up to some point.
func TestBackupWhileWriting(t *testing.T) {
	db, path := openTest(t)
	ctx := context.Background()
	bot, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer bot.Close()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := bot.RecordRequest(ctx, fmt.Sprintf("command:%d", i), "UA", nil, day); err != nil {
				t.Error(err)
				return
			}
		}
	})
	copyPath := filepath.Join(t.TempDir(), "backup.db")
	err = db.Backup(ctx, copyPath)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	backup, err := OpenExisting(ctx, copyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer backup.Close()
	var check string
	if err := backup.db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	// Requests are written in order, so a consistent copy has the first n.
	var n, highest int
	if err := backup.db.QueryRow(`SELECT COUNT(*), COALESCE(MAX(CAST(substr(key, 9) AS INTEGER)) + 1, 0) FROM handled_requests`).Scan(&n, &highest); err != nil || n != highest {
		t.Fatalf("backup holds %d requests, the last numbered %d, %v; want an unbroken run", n, highest-1, err)
	}
}

func TestOpenExistingNeedsTheFile(t *testing.T) {
	if _, err := OpenExisting(context.Background(), filepath.Join(t.TempDir(), "missing.db")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("OpenExisting of a missing file: %v, want not-exist", err)
	}
}

// dumpTables reads every row of every table, in rowid order.
func dumpTables(t *testing.T, db *sql.DB) map[string][][]any {
	t.Helper()
	var tables []string
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	out := map[string][][]any{}
	for _, table := range tables {
		rows, err := db.Query(`SELECT * FROM "` + table + `" ORDER BY rowid`)
		if err != nil {
			t.Fatal(err)
		}
		columns, _ := rows.Columns()
		for rows.Next() {
			row := make([]any, len(columns))
			ptrs := make([]any, len(columns))
			for i := range row {
				ptrs[i] = &row[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], row)
		}
		rows.Close()
	}
	return out
}
