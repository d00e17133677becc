package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
)

// Every way a claim can find the request log, on both backends.
func TestClaimRequest(t *testing.T) {
	const stale = 30 * time.Second
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	claim := func(t *testing.T, db *DB, owner string, now time.Time) mentorbot.RequestClaim {
		t.Helper()
		c, err := db.ClaimRequest(context.Background(), "k1", owner, now, stale)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// claimLive claims the request for a replica that is running.
	claimLive := func(t *testing.T, db *DB, owner string, now time.Time) {
		t.Helper()
		present(t, db, owner)
		claim(t, db, owner, now)
	}
	record := func(t *testing.T, db *DB, answer []byte) {
		t.Helper()
		if err := db.RecordRequest(context.Background(), "k1", "U1", answer, at); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, db *DB)
		now   time.Time
		want  mentorbot.RequestClaim
	}{
		{"a request nobody claimed is ours", func(*testing.T, *DB) {}, at,
			mentorbot.RequestClaim{Outcome: mentorbot.RequestClaimed}},
		{"a request another claimed just now is held", func(t *testing.T, db *DB) { claimLive(t, db, "replica-b", at) }, at.Add(stale - time.Second),
			mentorbot.RequestClaim{Outcome: mentorbot.RequestHeld, Owner: "replica-b"}},
		{"a claim older than stale is taken over", func(t *testing.T, db *DB) { claimLive(t, db, "replica-b", at) }, at.Add(stale + time.Second),
			mentorbot.RequestClaim{Outcome: mentorbot.RequestTakenOver}},
		{"our own claim is still ours", func(t *testing.T, db *DB) { claim(t, db, "replica-a", at) }, at.Add(time.Second),
			mentorbot.RequestClaim{Outcome: mentorbot.RequestClaimed}},
		{"an answered claim gives the answer", func(t *testing.T, db *DB) {
			claim(t, db, "replica-b", at)
			record(t, db, []byte(`{"a":1}`))
		}, at.Add(time.Hour), mentorbot.RequestClaim{Outcome: mentorbot.RequestAnswered, Answer: []byte(`{"a":1}`)}},
		{"an empty answer is an answer", func(t *testing.T, db *DB) {
			claim(t, db, "replica-b", at)
			record(t, db, nil)
		}, at.Add(time.Hour), mentorbot.RequestClaim{Outcome: mentorbot.RequestAnswered}},
		{"an answer recorded without a claim is an answer", func(t *testing.T, db *DB) { record(t, db, []byte(`{"a":1}`)) }, at,
			mentorbot.RequestClaim{Outcome: mentorbot.RequestAnswered, Answer: []byte(`{"a":1}`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, db *DB) {
				tt.setup(t, db)
				if got := claim(t, db, "replica-a", tt.now); !reflect.DeepEqual(got, tt.want) {
					t.Errorf("ClaimRequest = %+v, want %+v", got, tt.want)
				}
			})
		})
	}
}

// present makes owner a replica that runs, until the test ends.
func present(t *testing.T, db *DB, owner string) *Leadership {
	t.Helper()
	l := db.Leadership(owner)
	if _, err := l.TryLead(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Release)
	return l
}

// endSession ends the replica's own PostgreSQL session from db, as the
// server does when the replica's process dies.
func endSession(t *testing.T, db *DB, l *Leadership) {
	t.Helper()
	ctx := context.Background()
	var pid int
	if err := l.session().QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	var ended bool
	if err := db.db.QueryRowContext(ctx, `SELECT pg_terminate_backend(?, 10000)`, pid).Scan(&ended); err != nil || !ended {
		t.Fatalf("end %s's session: %v, %v", l.owner, ended, err)
	}
}

// A request claimed by a replica that died is taken over at once, long
// before its claim is stale: on PostgreSQL as soon as the replica's
// session ends, on SQLite when the next process starts on the file.
func TestClaimOfAReplicaGone(t *testing.T) {
	const stale = time.Hour
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	claim := func(t *testing.T, db *DB, owner string) mentorbot.RequestClaim {
		t.Helper()
		c, err := db.ClaimRequest(ctx, "k1", owner, at, stale)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	t.Run("postgres", func(t *testing.T) {
		for _, gone := range []struct {
			name string
			end  func(t *testing.T, db *DB, l *Leadership)
		}{
			{"released", func(_ *testing.T, _ *DB, l *Leadership) { l.Release() }},
			{"killed", endSession},
		} {
			t.Run(gone.name, func(t *testing.T) {
				db := openPostgresTest(t)
				b := present(t, db, "replica-b")
				present(t, db, "replica-a")
				claim(t, db, "replica-b")
				if c := claim(t, db, "replica-a"); c.Outcome != mentorbot.RequestHeld {
					t.Fatalf("while replica-b runs: %+v, want held", c)
				}
				gone.end(t, db, b)
				if c := claim(t, db, "replica-a"); c.Outcome != mentorbot.RequestTakenOver {
					t.Fatalf("once replica-b is gone: %+v, want taken over", c)
				}
			})
		}
	})
	t.Run("sqlite", func(t *testing.T) {
		db, _ := openTest(t)
		present(t, db, "process-1")
		claim(t, db, "process-1")
		present(t, db, "process-2")
		if c := claim(t, db, "process-2"); c.Outcome != mentorbot.RequestClaimed {
			t.Fatalf("the next process on the file: %+v, want claimed", c)
		}
	})
}

// A takeover is a claim like any other: the first owner, coming back,
// finds the request held, and the first answer recorded is the one kept.
func TestTakenOverClaim(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		present(t, db, "replica-a")
		present(t, db, "replica-b")
		ctx := context.Background()
		at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		if _, err := db.ClaimRequest(ctx, "k1", "replica-a", at, time.Second); err != nil {
			t.Fatal(err)
		}
		if c, err := db.ClaimRequest(ctx, "k1", "replica-b", at.Add(time.Minute), time.Second); err != nil || c.Outcome != mentorbot.RequestTakenOver {
			t.Fatalf("replica b's claim = %+v, %v; want taken over", c, err)
		}
		if c, err := db.ClaimRequest(ctx, "k1", "replica-a", at.Add(time.Minute), time.Hour); err != nil || c.Outcome != mentorbot.RequestHeld || c.Owner != "replica-b" {
			t.Fatalf("replica a's claim again = %+v, %v; want held by replica-b", c, err)
		}
		if _, handled, err := db.HandledRequest(ctx, "k1"); err != nil || handled {
			t.Fatalf("a claimed request reads as handled=%v, %v", handled, err)
		}
		for _, answer := range []string{`{"by":"b"}`, `{"by":"a"}`} {
			if err := db.RecordRequest(ctx, "k1", "U1", []byte(answer), at.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		if answer, handled, err := db.HandledRequest(ctx, "k1"); err != nil || !handled || string(answer) != `{"by":"b"}` {
			t.Fatalf("HandledRequest = %s, %v, %v; want the first answer", answer, handled, err)
		}
	})
}

// Housekeeping forgets a claim nobody answered with the answered
// requests of its time.
func TestForgetRequestsForgetsClaims(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		present(t, db, "replica-a")
		present(t, db, "replica-b")
		ctx := context.Background()
		at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		if _, err := db.ClaimRequest(ctx, "dead", "replica-a", at, time.Minute); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ClaimRequest(ctx, "live", "replica-a", at.Add(2*time.Hour), time.Minute); err != nil {
			t.Fatal(err)
		}
		if n, err := db.ForgetRequestsBefore(ctx, at.Add(time.Hour)); err != nil || n != 1 {
			t.Fatalf("ForgetRequestsBefore removed %d, %v; want 1", n, err)
		}
		if c, err := db.ClaimRequest(ctx, "live", "replica-b", at.Add(2*time.Hour), time.Minute); err != nil || c.Outcome != mentorbot.RequestHeld {
			t.Fatalf("the recent claim: %+v, %v; want it held", c, err)
		}
		if c, err := db.ClaimRequest(ctx, "dead", "replica-b", at.Add(2*time.Hour), time.Minute); err != nil || c.Outcome != mentorbot.RequestClaimed {
			t.Fatalf("the forgotten claim: %+v, %v; want it claimed afresh", c, err)
		}
	})
}
