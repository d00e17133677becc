package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/store/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if err := pgtest.DropTemplate(); err != nil {
		fmt.Fprintln(os.Stderr, "drop the PostgreSQL template:", err)
	}
	os.Exit(code)
}

// emptyDatabase is the file of a migrated database with nothing in it,
// made once: each test starts from a copy, as migrating from nothing costs
// more than most tests do. (The store's own tests cannot use storetest,
// which imports the store.)
var emptyDatabase = sync.OnceValues(func() ([]byte, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "mentorbot-empty-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db, err := Open(ctx, filepath.Join(dir, "migrated.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	copied := filepath.Join(dir, "copy.db")
	if err := db.Backup(ctx, copied); err != nil {
		return nil, err
	}
	return os.ReadFile(copied)
})

// openTest opens a fresh copy of the empty database.
func openTest(t *testing.T) (*DB, string) {
	t.Helper()
	empty, err := emptyDatabase()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "mentorbot.db")
	if err := os.WriteFile(path, empty, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

// forEachBackend runs the test on a fresh empty database of each backend:
// SQLite, and PostgreSQL when MENTORBOT_TEST_POSTGRES names a server.
func forEachBackend(t *testing.T, test func(t *testing.T, db *DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		db, _ := openTest(t)
		test(t, db)
	})
	t.Run("postgres", func(t *testing.T) { test(t, openPostgresTest(t)) })
}

// openPostgresTest opens a fresh empty PostgreSQL database, dropped when
// the test ends.
func openPostgresTest(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, postgresTestDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// postgresTestDSN is the URL of a fresh empty PostgreSQL database.
func postgresTestDSN(t *testing.T) string {
	t.Helper()
	return pgtest.Fresh(t, func(ctx context.Context, dsn string) error {
		db, err := Open(ctx, dsn)
		if err != nil {
			return err
		}
		return db.Close()
	})
}

// Tests read and write tables directly, in the store's own dialect.

func (h handle) QueryRow(query string, args ...any) *sql.Row {
	return h.QueryRowContext(context.Background(), query, args...)
}

func (h handle) Query(query string, args ...any) (*sql.Rows, error) {
	return h.QueryContext(context.Background(), query, args...)
}

func (h handle) Exec(query string, args ...any) (sql.Result, error) {
	return h.ExecContext(context.Background(), query, args...)
}

func TestOpenSetsPragmasAndMigrates(t *testing.T) {
	db, path := openTest(t)
	var mode string
	var fk, timeout int
	if err := db.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
	if err := db.db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d, %v; want 1", fk, err)
	}
	if err := db.db.QueryRow(`PRAGMA busy_timeout`).Scan(&timeout); err != nil || timeout != 5000 {
		t.Fatalf("busy_timeout = %d, %v; want 5000", timeout, err)
	}
	// On every connection of the pool, not only the first: each is held
	// open until all were asked, so the next is another.
	held := make([]*sql.Conn, 0, maxConnections)
	for range maxConnections {
		conn, err := db.pool.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, conn)
		var secure int
		if err := conn.QueryRowContext(context.Background(), `PRAGMA secure_delete`).Scan(&secure); err != nil || secure != 1 {
			t.Fatalf("secure_delete on connection %d = %d, %v; want 1", len(held), secure, err)
		}
	}
	for _, conn := range held {
		conn.Close()
	}
	var version int
	if err := db.db.QueryRow(`SELECT MAX(version_id) FROM goose_db_version`).Scan(&version); err != nil || version < 1 {
		t.Fatalf("schema version = %d, %v", version, err)
	}
	// Opening an up-to-date database again migrates nothing and fails nothing.
	again, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
}

func sampleParticipant() mentorbot.Participant {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	joined := time.Date(2026, 3, 2, 10, 30, 0, 0, berlin)
	return mentorbot.Participant{
		ID: "U1",
		Profile: mentorbot.Profile{
			Role:         mentorbot.RoleMentor,
			Topics:       []mentorbot.TopicInterest{{Topic: "Social media", Level: 4}, {Topic: "TikTok", Level: 5}},
			JobLevel:     2,
			Department:   "Support",
			ManagerID:    "U9",
			TimeZone:     "Europe/Berlin",
			Availability: mentorbot.Availability{{Day: time.Monday, Start: 540, End: 660}, {Day: time.Sunday, Start: 600, End: 1440}},
			Pitch:        "I make short videos people watch.",
		},
		State:     mentorbot.StateApplied,
		JoinedAt:  joined,
		UpdatedAt: joined,
	}
}

// save writes participants through Apply, as the programme does.
func save(ctx context.Context, db *DB, ps ...mentorbot.Participant) error {
	return db.Apply(ctx, mentorbot.Change{Participants: ps})
}

func TestSaveAndLoadParticipant(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		want := sampleParticipant()
		if err := save(ctx, db, want); err != nil {
			t.Fatal(err)
		}
		got, err := db.Participant(ctx, "U1")
		if err != nil {
			t.Fatal(err)
		}
		if got.JoinedAt.Location() != time.UTC || !got.JoinedAt.Equal(want.JoinedAt) {
			t.Fatalf("joined_at came back as %v, want %v in UTC", got.JoinedAt, want.JoinedAt)
		}
		want.JoinedAt, want.UpdatedAt = want.JoinedAt.UTC(), want.UpdatedAt.UTC()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("loaded\n%+v\nwant\n%+v", got, want)
		}
		var raw string
		if err := db.db.QueryRow(`SELECT joined_at FROM participants WHERE id = 'U1'`).Scan(&raw); err != nil || raw != "2026-03-02T09:30:00.000Z" {
			t.Fatalf("stored joined_at %q, %v; want UTC text", raw, err)
		}

		// Saving again replaces topics and windows rather than adding to them.
		want.Topics = want.Topics[:1]
		want.Availability = want.Availability[1:]
		want.ManagerID = ""
		if err := save(ctx, db, want); err != nil {
			t.Fatal(err)
		}
		got, err = db.Participant(ctx, "U1")
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("after update got %+v, %v; want %+v", got, err, want)
		}
	})
}

func TestParticipantNotFound(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		_, err := db.Participant(context.Background(), "U404")
		if mentorbot.ErrorCode(err) != mentorbot.ENOTFOUND {
			t.Fatalf("err = %v, want ENOTFOUND", err)
		}
	})
}

func TestSavingParticipantIsAllOrNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		p := sampleParticipant()
		if err := save(ctx, db, p); err != nil {
			t.Fatal(err)
		}
		broken := p
		broken.Department = "Sales"
		broken.Topics = []mentorbot.TopicInterest{{Topic: "AI", Level: 9}} // breaks the level check
		if err := save(ctx, db, broken); err == nil {
			t.Fatal("saving a level of 9 succeeded")
		}
		got, err := db.Participant(ctx, "U1")
		if err != nil || got.Department != "Support" || len(got.Topics) != 2 {
			t.Fatalf("a failed save changed the participant: %+v, %v", got, err)
		}
	})
}

func TestRequestLog(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		if _, handled, err := db.HandledRequest(ctx, "k1"); err != nil || handled {
			t.Fatalf("fresh key handled=%v err=%v", handled, err)
		}
		if err := db.RecordRequest(ctx, "k1", "U1", []byte(`{"a":1}`), at); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordRequest(ctx, "k1", "U1", []byte(`{"a":2}`), at.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		answer, handled, err := db.HandledRequest(ctx, "k1")
		if err != nil || !handled || !strings.Contains(string(answer), `"a":1`) {
			t.Fatalf("HandledRequest = %s, %v, %v; want the first answer", answer, handled, err)
		}
		if err := db.RecordRequest(ctx, "k2", "", nil, at.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		n, err := db.ForgetRequestsBefore(ctx, at.Add(time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("ForgetRequestsBefore removed %d, %v; want 1", n, err)
		}
		if _, handled, _ := db.HandledRequest(ctx, "k2"); !handled {
			t.Fatal("a recent request was forgotten")
		}
	})
}

// A database locked by another process, or full, refuses a change as a
// whole with a message a person can act on; once the fault clears, the
// same change goes in.
func TestALockedOrFullDatabaseSavesNothingAndSaysTryAgain(t *testing.T) {
	tests := []struct {
		name  string
		fault func(t *testing.T, db *DB, path string) (clear func())
	}{
		{"locked by another process", func(t *testing.T, _ *DB, path string) func() {
			other, err := sql.Open("sqlite", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { other.Close() })
			conn, err := other.Conn(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := conn.ExecContext(context.Background(), `BEGIN EXCLUSIVE`); err != nil {
				t.Fatal(err)
			}
			return func() {
				if _, err := conn.ExecContext(context.Background(), `ROLLBACK`); err != nil {
					t.Fatal(err)
				}
				conn.Close()
			}
		}},
		{"disk full", func(t *testing.T, db *DB, _ string) func() {
			var pages int
			if err := db.db.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
				t.Fatal(err)
			}
			if _, err := db.db.Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
				t.Fatal(err)
			}
			return func() {
				if _, err := db.db.Exec(`PRAGMA max_page_count = 1073741823`); err != nil {
					t.Fatal(err)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, path := openTest(t)
			// One connection, so the pragmas below hold for every statement;
			// a short busy timeout keeps the test quick.
			db.pool.SetMaxOpenConns(1)
			if _, err := db.db.Exec(`PRAGMA busy_timeout = 50`); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			// Enough rows that a full disk stops the change part way.
			var many []mentorbot.Participant
			for i := range 50 {
				p := sampleParticipant()
				p.ID = fmt.Sprintf("U%03d", i)
				many = append(many, p)
			}

			clear := tt.fault(t, db, path)
			err := save(ctx, db, many...)
			if mentorbot.ErrorCode(err) != mentorbot.EUNAVAILABLE || mentorbot.ErrorMessage(err) != unsavedMessage {
				t.Fatalf("save = %v; want EUNAVAILABLE saying %q", err, unsavedMessage)
			}
			clear()
			if stored, err := db.ParticipantsIn(ctx, mentorbot.StateApplied); err != nil || len(stored) != 0 {
				t.Fatalf("after the failed save %d participants are stored (%v); want none", len(stored), err)
			}
			if err := save(ctx, db, many...); err != nil {
				t.Fatalf("after the fault cleared: %v", err)
			}
			if stored, err := db.ParticipantsIn(ctx, mentorbot.StateApplied); err != nil || len(stored) != len(many) {
				t.Fatalf("%d participants stored (%v), want %d", len(stored), err, len(many))
			}
		})
	}
}
