package store

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/mentorbot/mentorbot"
)

func TestRebind(t *testing.T) {
	for _, tt := range []struct {
		name, query, postgres string
	}{
		{"none", `SELECT 1`, `SELECT 1`},
		{"in order", `a = ? AND b IN (?, ?)`, `a = $1 AND b IN ($2, $3)`},
		{"numbered", `x = ?1 OR y = ?1 AND z = ?2`, `x = $1 OR y = $1 AND z = $2`},
		{"plain after numbered counts on", `x = ?2 AND y = ?`, `x = $2 AND y = $3`},
		{"in quotes", `note = '?' AND "odd?" = ?`, `note = '?' AND "odd?" = $1`},
		{"quote left open", `a = ? AND b = 'x?`, `a = $1 AND b = 'x?`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := postgresDialect.rebind(tt.query); got != tt.postgres {
				t.Errorf("rebind(%q) = %q, want %q", tt.query, got, tt.postgres)
			}
			if got := sqliteDialect.rebind(tt.query); got != tt.query {
				t.Errorf("SQLite's rebind(%q) = %q, want it unchanged", tt.query, got)
			}
		})
	}
}

func TestIsPostgres(t *testing.T) {
	for dsn, want := range map[string]bool{
		"postgres://bot@db/mentorbot": true, "postgresql://db/mentorbot?sslmode=require": true,
		"mentorbot.db": false, "/var/lib/mentorbot/postgres.db": false, "postgres.db": false,
	} {
		if got := IsPostgres(dsn); got != want {
			t.Errorf("IsPostgres(%q) = %v, want %v", dsn, got, want)
		}
	}
}

// PostgreSQL's answers that mean "not now" are EUNAVAILABLE, as SQLite's
// busy is; a broken rule is not.
func TestPostgresErrorsThatMeanTryAgain(t *testing.T) {
	for code, want := range map[string]bool{
		"08006": true, "08001": true, "53300": true, "53100": true, "57P01": true, "57P02": true, "57P03": true,
		"40001": true, "40P01": true,
		"23505": false, "42P01": false, "57014": false,
	} {
		err := fmt.Errorf("save: %w", &pgconn.PgError{Code: code})
		if got := isUnavailable(err); got != want {
			t.Errorf("isUnavailable(SQLSTATE %s) = %v, want %v", code, got, want)
		}
	}
}

// A server that cannot be reached refuses a change with the same message
// a busy SQLite file gives.
func TestUnreachablePostgresSaysTryAgain(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := listener.Addr().String()
	listener.Close()
	pool, err := sql.Open("pgx", "postgres://nobody@"+closed+"/mentorbot?sslmode=disable&connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	db := newDB(pool, postgresDialect)
	ctx := context.Background()
	err = save(ctx, db, sampleParticipant())
	if mentorbot.ErrorCode(err) != mentorbot.EUNAVAILABLE || mentorbot.ErrorMessage(err) != unsavedMessage {
		t.Fatalf("save = %v; want EUNAVAILABLE saying %q", err, unsavedMessage)
	}
	_, err = db.Participant(ctx, "U1")
	if mentorbot.ErrorCode(err) != mentorbot.EUNAVAILABLE || mentorbot.ErrorMessage(err) != unreadMessage {
		t.Fatalf("load = %v; want EUNAVAILABLE saying %q", err, unreadMessage)
	}
	// Open is the operator's: it says where it could not connect, with
	// no password.
	if _, err := Open(ctx, "postgres://nobody:hunter2@"+closed+"/mentorbot?sslmode=disable&connect_timeout=1"); err == nil ||
		!strings.Contains(err.Error(), "open database postgres://nobody:xxxxx@"+closed+"/mentorbot") || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("Open = %v; want it to fail naming the server, without the password", err)
	}
}

// Writers that race to move one participant: one moves them, and each
// other finds them moved (ECONFLICT), never a failure to try again later,
// on PostgreSQL too, where the losers' transactions are aborted and run
// again.
func TestConcurrentMovesOneWins(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		if err := save(ctx, db, person("U1", mentorbot.RoleMentee, mentorbot.StateApplied, 0)); err != nil {
			t.Fatal(err)
		}
		const writers = 6
		errs := make([]error, writers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range writers {
			wg.Go(func() {
				moved := person("U1", mentorbot.RoleMentee, mentorbot.StateApproved, i)
				<-start
				errs[i] = db.Apply(ctx, mentorbot.Change{
					Participants: []mentorbot.Participant{moved},
					Moves: []mentorbot.Transition{{ParticipantID: "U1", Role: mentorbot.RoleMentee, From: mentorbot.StateApplied,
						To: mentorbot.StateApproved, By: fmt.Sprintf("UHR%d", i), At: day}},
				})
			})
		}
		close(start)
		wg.Wait()
		won := 0
		for i, err := range errs {
			switch {
			case err == nil:
				won++
			case mentorbot.ErrorCode(err) != mentorbot.ECONFLICT:
				t.Errorf("writer %d: %v; want it to win or find the participant moved", i, err)
			}
		}
		if ts, err := db.Transitions(ctx, "U1"); won != 1 || err != nil || len(ts) != 1 {
			t.Fatalf("%d writers won, %d moves stored (%v); want one of each", won, len(ts), err)
		}
	})
}
