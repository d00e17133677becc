package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
)

const testLease = 5 * time.Minute

// oweChecks adds perReader messages to each reader, due a second apart
// from day, and returns them with their IDs.
func oweChecks(t *testing.T, db *DB, pairID int64, readers []string, perReader int) []mentorbot.OutboxItem {
	t.Helper()
	var c mentorbot.Change
	for n := range perReader {
		for _, to := range readers {
			c.Outbox = append(c.Outbox, mentorbot.OutboxItem{Key: fmt.Sprintf("check/%s/%d", to, n), To: to, Kind: mentorbot.OutboxCheck,
				PairID: pairID, DueAt: day.Add(time.Duration(n) * time.Second)})
		}
	}
	if err := db.Apply(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c.Outbox
}

func keys(items []mentorbot.OutboxItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Key
	}
	return out
}

func TestClaimOutbox(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		p := activePair(t, db, "UA", "UX")
		oweChecks(t, db, p.ID, []string{"UA", "UX"}, 3)
		now := day.Add(time.Hour)
		present(t, db, "a")
		present(t, db, "b")
		claim := func(owner string, at time.Time, limit int, after ...mentorbot.OutboxItem) []mentorbot.OutboxItem {
			t.Helper()
			var cursor mentorbot.OutboxCursor
			if len(after) > 0 {
				cursor = mentorbot.OutboxCursor{DueAt: after[0].DueAt, ID: after[0].ID}
			}
			items, err := db.ClaimOutbox(ctx, at, owner, testLease, cursor, limit)
			if err != nil {
				t.Fatal(err)
			}
			return items
		}

		// The earliest due, in order, each leased to its claimer.
		first := claim("a", now, 3)
		if got, want := keys(first), []string{"check/UA/0", "check/UX/0", "check/UA/1"}; !slices.Equal(got, want) {
			t.Fatalf("a claimed %v, want %v", got, want)
		}
		for _, it := range first {
			if it.LeaseOwner != "a" || !it.LeaseUntil.Equal(now.Add(testLease)) {
				t.Errorf("%s leased to %q until %v", it.Key, it.LeaseOwner, it.LeaseUntil)
			}
		}
		// Another owner gets nothing for readers a holds; a itself gets
		// the next ones after its cursor, and from the start those it
		// holds already too.
		if got := claim("b", now, 10); len(got) != 0 {
			t.Fatalf("b claimed %v while a holds both readers", keys(got))
		}
		if got, want := keys(claim("a", now, 10, first[2])), []string{"check/UX/1", "check/UA/2", "check/UX/2"}; !slices.Equal(got, want) {
			t.Fatalf("a claimed after its cursor %v, want %v", got, want)
		}
		if got := claim("a", now, 10); len(got) != 6 {
			t.Fatalf("a claimed afresh %v, want all six", keys(got))
		}

		// Sent by a, the message is a's no more, and b still waits for UA.
		sent := first[0]
		sent.State, sent.SentAt = mentorbot.OutboxSent, now
		if err := db.SaveOutboxItem(ctx, sent); err != nil {
			t.Fatal(err)
		}
		if got, err := db.OutboxOf(ctx, p.ID); err != nil || got[0].LeaseOwner != "" || !got[0].LeaseUntil.IsZero() {
			t.Fatalf("a sent message keeps its lease: %+v, %v", got[0], err)
		}
		if got := claim("b", now, 10); len(got) != 0 {
			t.Fatalf("b claimed %v while a holds both readers", keys(got))
		}

		// Once a's leases run out, b takes what is still owed, and a may
		// no longer record it.
		later := now.Add(testLease)
		taken := claim("b", later, 10)
		if got, want := keys(taken), []string{"check/UX/0", "check/UA/1", "check/UX/1", "check/UA/2", "check/UX/2"}; !slices.Equal(got, want) {
			t.Fatalf("after a's lease ran out b claimed %v, want %v", got, want)
		}
		stale := first[1]
		stale.State, stale.SentAt = mentorbot.OutboxSent, later
		wantCode(t, db.SaveOutboxItem(ctx, stale), mentorbot.ENOTFOUND)
		unleased := stale
		unleased.LeaseOwner = ""
		wantCode(t, db.SaveOutboxItem(ctx, unleased), mentorbot.ENOTFOUND)
		mine := taken[0]
		mine.State, mine.SentAt = mentorbot.OutboxSent, later
		if err := db.SaveOutboxItem(ctx, mine); err != nil {
			t.Fatalf("b records its own: %v", err)
		}

		// A message waiting to retry is not claimed until its time.
		retry := taken[1]
		retry.Attempts, retry.NextTry, retry.Error = 1, later.Add(2*testLease), "ratelimited"
		if err := db.SaveOutboxItem(ctx, retry); err != nil {
			t.Fatal(err)
		}
		beyond := later.Add(testLease)
		if got := keys(claim("a", beyond, 10)); slices.Contains(got, retry.Key) || len(got) != 3 {
			t.Fatalf("at %v a claimed %v; want the three b no longer holds, not the retry", beyond, got)
		}

		// Released, a's leases are free for b at once.
		if n, err := db.ReleaseOutbox(ctx, "a"); err != nil || n != 3 {
			t.Fatalf("ReleaseOutbox = %d, %v; want the three a holds", n, err)
		}
		if got := claim("b", beyond, 10); len(got) != 3 {
			t.Fatalf("after a let go b claimed %v, want the three", keys(got))
		}

		// The claim walks outbox_due and asks outbox_leased about each
		// reader, however many messages were sent before. (SQLite's plan;
		// PostgreSQL's planner rightly scans a table this small.)
		if db.dialect == sqliteDialect {
			var plan strings.Builder
			err := db.each(ctx, func(rows *sql.Rows) error {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					return err
				}
				plan.WriteString(detail + "\n")
				return nil
			}, `EXPLAIN QUERY PLAN `+fmt.Sprintf(claimOutbox, db.dialect.liveReplica("held.lease_owner"), ""), "a", formatTime(beyond), formatTime(beyond), formatTime(day), 0, 10)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(plan.String(), "USING INDEX outbox_due") || !strings.Contains(plan.String(), "USING INDEX outbox_leased") {
				t.Fatalf("ClaimOutbox plan:\n%s\nwant it to use outbox_due and outbox_leased", plan.String())
			}
		}
	})
}

// TestConcurrentClaimsKeepReadersApart has two owners claim small pages
// at once until nothing is left: no message is claimed twice, and every
// reader's messages all go to one owner, as neither lets go of any.
func TestConcurrentClaimsKeepReadersApart(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		p := activePair(t, db, "UA", "UX")
		var readers []string
		for i := range 40 {
			readers = append(readers, fmt.Sprintf("U%02d", i))
		}
		owed := oweChecks(t, db, p.ID, readers, 5)
		now := day.Add(time.Hour)
		present(t, db, "a")
		present(t, db, "b")

		claimed := map[string][]mentorbot.OutboxItem{}
		var (
			mu    sync.Mutex
			wg    sync.WaitGroup
			start = make(chan struct{})
		)
		for _, owner := range []string{"a", "b"} {
			wg.Go(func() {
				<-start
				var cursor mentorbot.OutboxCursor
				for {
					items, err := db.ClaimOutbox(ctx, now, owner, testLease, cursor, 7)
					if err != nil {
						t.Error(err)
						return
					}
					if len(items) == 0 {
						return
					}
					mu.Lock()
					claimed[owner] = append(claimed[owner], items...)
					mu.Unlock()
					last := items[len(items)-1]
					cursor = mentorbot.OutboxCursor{DueAt: last.DueAt, ID: last.ID}
				}
			})
		}
		close(start)
		wg.Wait()

		byID, readerOwner := map[int64]string{}, map[string]string{}
		for owner, items := range claimed {
			for _, it := range items {
				if other, twice := byID[it.ID]; twice {
					t.Errorf("%s claimed by %s and %s", it.Key, other, owner)
				}
				byID[it.ID] = owner
				if other, ok := readerOwner[it.To]; ok && other != owner {
					t.Errorf("%s's messages claimed by %s and %s", it.To, other, owner)
				}
				readerOwner[it.To] = owner
			}
		}
		if len(byID) != len(owed) {
			t.Errorf("%d of %d messages claimed", len(byID), len(owed))
		}
	})
}

// A replica that died holds its leases no longer: on PostgreSQL another
// claims its messages as soon as its session ends, long before the lease
// would run out.
func TestLeasesOfAReplicaGoneHoldNothing(t *testing.T) {
	ctx := context.Background()
	db := openPostgresTest(t)
	p := activePair(t, db, "UA", "UX")
	oweChecks(t, db, p.ID, []string{"UA", "UX"}, 1)
	now := day.Add(time.Hour)
	a := present(t, db, "a")
	present(t, db, "b")
	if items, err := db.ClaimOutbox(ctx, now, "a", time.Hour, mentorbot.OutboxCursor{}, 1); err != nil || len(items) != 1 {
		t.Fatalf("a claimed %v, %v; want one", items, err)
	}
	if items, err := db.ClaimOutbox(ctx, now, "b", time.Hour, mentorbot.OutboxCursor{}, 10); err != nil || len(items) != 1 || items[0].To != "UX" {
		t.Fatalf("while a runs b claimed %v, %v; want UX's only", keys(items), err)
	}
	endSession(t, db, a)
	if items, err := db.ClaimOutbox(ctx, now, "b", time.Hour, mentorbot.OutboxCursor{}, 10); err != nil || len(items) != 2 {
		t.Fatalf("once a is gone b claimed %v, %v; want both", keys(items), err)
	}
}

func TestLeadershipOnSQLiteAlwaysLeads(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	p := activePair(t, db, "UA", "UX")
	oweChecks(t, db, p.ID, []string{"UA", "UX"}, 1)
	now := day.Add(time.Hour)
	// A process killed holding UA's message, and this one holding UX's.
	for _, owner := range []string{"gone", "only"} {
		if items, err := db.ClaimOutbox(ctx, now, owner, testLease, mentorbot.OutboxCursor{}, 1); err != nil || len(items) != 1 {
			t.Fatalf("%s claimed %v, %v", owner, items, err)
		}
	}
	l := db.Leadership("only")
	if leading, err := l.TryLead(ctx); !leading || err != nil || !l.Leading() {
		t.Fatalf("TryLead = %v, %v; Leading %v", leading, err, l.Leading())
	}
	// The only process on the file ends the gone one's lease, not its own.
	items, err := db.OutboxOf(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if want := map[string]string{"UA": "", "UX": "only"}[it.To]; it.LeaseOwner != want {
			t.Errorf("%s leased to %q, want %q", it.Key, it.LeaseOwner, want)
		}
	}
	l.Release()
	if !l.Leading() {
		t.Fatal("a released SQLite leadership no longer leads")
	}
}

// TestLeadershipOnPostgres has two replicas on one database: one leads,
// and the other takes the lead on its next try once the leader lets go
// or its connection drops.
func TestLeadershipOnPostgres(t *testing.T) {
	ctx := context.Background()
	dsn := postgresTestDSN(t)
	open := func() *DB {
		db, err := Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	dbA, dbB := open(), open()
	a, b := dbA.Leadership("a"), dbB.Leadership("b")
	try := func(l *Leadership, want bool) {
		t.Helper()
		leading, err := l.TryLead(ctx)
		if err != nil || leading != want || l.Leading() != want {
			t.Fatalf("%s: TryLead = %v, %v, Leading %v; want %v", l.owner, leading, err, l.Leading(), want)
		}
	}
	if a.Leading() || b.Leading() {
		t.Fatal("leading before any try")
	}
	try(a, true)
	try(b, false)
	try(a, true)

	a.Release()
	try(b, true)
	try(a, false)

	// The leader's session ends as when its replica dies: the other takes
	// the lead, and the old leader finds out on its next try.
	endSession(t, dbA, b)
	if !b.Leading() {
		t.Fatal("b stopped leading before its next try")
	}
	try(a, true)
	try(b, false)
}
