package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/store"
	"github.com/mentorbot/mentorbot/store/storetest"
)

// asBinary makes this test binary act as mentorbot itself when the load
// command starts it as `mentorbot run`, so the crash test kills a real
// process without building one.
const asBinary = "MENTORBOT_TEST_AS_BINARY"

func TestMain(m *testing.M) {
	if os.Getenv(asBinary) == "1" {
		main()
	}
	extraBotEnv = []string{asBinary + "=1"}
	code := m.Run()
	if err := storetest.DropTemplate(); err != nil {
		fmt.Fprintln(os.Stderr, "drop the PostgreSQL template:", err)
	}
	os.Exit(code)
}

// The fan-out keeps within the pace it is given, so Slack never has to
// refuse a reminder. How close to the pace it gets is a figure for
// `mentorbot load`, not a test: a busy machine would fail it.
func TestLoadDeliversEveryReminderOnceWithinThePace(t *testing.T) {
	t.Parallel()
	res, err := runReminders(loadContext(t), reminderPlan{Reminders: 400, Rate: 50, Timeout: 2 * time.Minute, Log: testLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Lost != 0 || res.Duplicated != 0 || res.Distinct != 400 {
		t.Errorf("%+v: want all 400, once each", res)
	}
	if res.RateLimited != 0 {
		t.Errorf("the fake Slack refused %d reminders for going faster than the 50 a second allowed", res.RateLimited)
	}
}

func TestLoadSurvivesSIGKILLMidFanOut(t *testing.T) {
	t.Parallel()
	res, err := runReminders(loadContext(t), reminderPlan{Reminders: 400, Rate: 100, KillAfter: 150, Timeout: 2 * time.Minute, Log: testLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Killed || res.DeliveredAtKill < 150 || res.DeliveredAtKill >= 400 {
		t.Fatalf("%+v: the bot was not killed mid-way", res)
	}
	if res.Lost != 0 || res.Duplicated > res.InFlightBound {
		t.Errorf("%+v: want none lost and at most %d repeated", res, res.InFlightBound)
	}
	// The process started again ends the killed one's leases at once.
	if res.Held > res.HeldArrived && res.HeldTakeover >= res.HeldUntil {
		t.Errorf("%+v: what the killed bot held waited for its lease", res)
	}
}

// A SIGTERM mid fan-out lets the bot finish and record the calls it has on
// the wire: it exits 0 within its drain timeout saying it drained, and
// after a restart every reminder has arrived exactly once.
func TestLoadSurvivesSIGTERMMidFanOut(t *testing.T) {
	t.Parallel()
	log := testLog(t)
	res, err := runReminders(loadContext(t), reminderPlan{Reminders: 100, Rate: 100, KillAfter: 40, Graceful: true, Timeout: time.Minute, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Killed || res.DeliveredAtKill >= 100 {
		t.Fatalf("%+v: the bot was not stopped mid-way", res)
	}
	if res.StopExit != 0 || res.StopTook > loadShutdown {
		t.Errorf("after SIGTERM the bot exited %d in %v; want 0 within the %v drain timeout", res.StopExit, res.StopTook, loadShutdown)
	}
	// Once at the SIGTERM, once when the restarted bot is stopped.
	for _, line := range []string{"shutdown: drained", "shutdown: outbox drained"} {
		if n := strings.Count(log.String(), line); n != 2 {
			t.Errorf("the log says %q %d times, want 2", line, n)
		}
	}
	if res.Lost != 0 || res.Duplicated != 0 {
		t.Errorf("%+v: want none lost and none repeated", res)
	}
}

// loadContext bounds a load run, so a step that never sees what it waits
// for fails the test saying where, instead of holding up the whole suite.
func loadContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func TestLoadLaunchEndsWithEveryoneHoldingTheirForm(t *testing.T) {
	t.Parallel()
	res, err := runLaunch(loadContext(t), launchPlan{People: 4, Within: 100 * time.Millisecond, Log: testLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Silent != 0 || res.AtOnce+res.FromButtons != 4 || res.Unacked != 0 || len(res.Violations) != 0 {
		t.Errorf("%+v: want all 4 with their form, nothing unacknowledged or refused", res)
	}
}

// testLog shows the bot's own log when the test runs verbosely.
func testLog(t *testing.T) *lockedBuffer {
	b := &lockedBuffer{}
	t.Cleanup(func() {
		if t.Failed() || testing.Verbose() {
			t.Log(b.String())
		}
	})
	return b
}

// The other load figures are measured by `mentorbot load` at full size;
// these tiny runs check each one runs the real bot and reads what it says.

func TestLoadTimesEveryAckOfPeopleUsingTheBot(t *testing.T) {
	t.Parallel()
	res, err := runAcks(loadContext(t), ackPlan{People: 3, Commands: 5, Log: testLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Unacked != 0 || res.Failed != 0 || len(res.Violations) != 0 {
		t.Errorf("%+v: want every envelope acked and every step as expected", res)
	}
	if res.Acks.Count < 3*5 || res.Acks.Max <= 0 {
		t.Errorf("acks %s: want one or more for each of the 15 steps", res.Acks)
	}
}

func TestLoadReadsTheBotsMemoryOnALargeProgramme(t *testing.T) {
	t.Parallel()
	res, err := runMemory(loadContext(t), memoryPlan{Participants: 100, GoalMB: 50, Log: testLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Pairs != 40 || res.Peak < res.Current || res.Current <= 0 {
		t.Errorf("%+v: want 40 pairs and a peak at least the current resident memory", res)
	}
}

func TestLoadTimesStartsToReady(t *testing.T) {
	t.Parallel()
	starts, err := runStartups(loadContext(t), startupPlan{Starts: 2, Participants: 20, Log: testLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	if len(starts) != 2 || starts[0] <= 0 || starts[1] <= 0 {
		t.Errorf("starts %v: want two, each timed", starts)
	}
}

func TestPercentileIsTheNearestRank(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		var out []time.Duration
		for _, n := range ns {
			out = append(out, time.Duration(n)*time.Millisecond)
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	for _, tc := range []struct {
		name   string
		sorted []time.Duration
		q      float64
		want   time.Duration
	}{
		{"none", nil, 0.99, 0},
		{"one", ms(7), 0.5, 7 * time.Millisecond},
		{"median of four", ms(1, 2, 3, 4), 0.5, 2 * time.Millisecond},
		{"p99 of a hundred", ms(hundred...), 0.99, 99 * time.Millisecond},
		{"p99 of ten is the slowest", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 0.99, 10 * time.Millisecond},
	} {
		if got := percentile(tc.sorted, tc.q); got != tc.want {
			t.Errorf("%s: percentile(%v) = %v, want %v", tc.name, tc.q, got, tc.want)
		}
	}
}

// Flags that cannot go together are refused before anything starts,
// saying what to do instead.
func TestLoadRefusesWhatABackendCannotServe(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		says string
	}{
		{"replicas on SQLite", []string{"-replicas", "2"}, "-replicas 2 needs -db postgres://"},
		{"replicas on SQLite, ack run", []string{"-people", "3", "-replicas", "2"}, "-replicas 2 needs -db postgres://"},
		{"no replica", []string{"-replicas", "0", "-db", "postgres://u@127.0.0.1:1/loadrun"}, "-replicas must be at least 1"},
		{"a file for -db", []string{"-db", "mentorbot.db", "-people", "3"}, "is not a postgres:// URL"},
		{"a file for -db, draft", []string{"-db", "mentorbot.db", "-draft", "60"}, "is not a postgres:// URL"},
		{"-db for memory", []string{"-db", "postgres://u@127.0.0.1:1/loadrun", "-participants", "100"}, "-db and -replicas are for"},
		{"replicas in a draft", []string{"-db", "postgres://u@127.0.0.1:1/loadrun", "-replicas", "2", "-draft", "60"}, "leave -replicas out"},
		{"the server's own database", []string{"-db", "postgres://u@127.0.0.1:1/postgres", "-people", "3"}, "names the server's own database postgres"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			err := loadCommand(t.Context(), tc.args, &out)
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("load %v: %v, want it to say %q", tc.args, err, tc.says)
			}
		})
	}
}

// A database the run creates is dropped after it; one holding a programme
// is refused, whatever the run.
func TestLoadOnItsOwnPostgresDatabase(t *testing.T) {
	t.Parallel()
	ctx := loadContext(t)
	existing := storetest.PostgresURL(t)
	u, err := url.Parse(existing)
	if err != nil {
		t.Fatal(err)
	}
	u.Path += "_load"
	own := u.String()
	t.Cleanup(func() { store.DropPostgres(context.Background(), own) })

	_, _, cleanup, err := loadWorkspaceOn(ctx, own)
	if err != nil {
		t.Fatal(err)
	}
	cleanup()
	if created, err := store.CreatePostgres(ctx, own); err != nil || !created {
		t.Errorf("after the run, creating its database again = %v, %v; want it gone, so created", created, err)
	}

	db, err := store.Open(ctx, existing)
	if err != nil {
		t.Fatal(err)
	}
	c := mentorbot.Change{Participants: []mentorbot.Participant{{ID: "UHELD01", State: mentorbot.StateApplied, Profile: mentorbot.Profile{Role: mentorbot.RoleMentor, JobLevel: 1, TimeZone: "UTC"}}}}
	if err := db.Apply(ctx, c); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = runReminders(ctx, reminderPlan{Reminders: 2, Rate: 10, DB: existing, Timeout: time.Minute, Log: testLog(t)})
	if err == nil || !strings.Contains(err.Error(), "already holds rows (in table participants)") {
		t.Errorf("a run on a database with a participant: %v, want it refused", err)
	}
}

// Two replicas share the reminders; the leader is killed part way, the
// other takes the lead and sends what the killed one had claimed as soon
// as its session is gone, long before the lease would run out.
func TestLoadReplicaKilledMidFanOutOnPostgres(t *testing.T) {
	t.Parallel()
	plan := reminderPlan{Reminders: 100, Rate: 100, KillAfter: 30, DB: storetest.PostgresURL(t), Replicas: 2, Lease: time.Hour,
		Timeout: 2 * time.Minute, Log: testLog(t)}
	res, err := runReminders(loadContext(t), plan)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Killed || res.Stopped == "" || res.Leader == "" || res.Leader == res.Stopped {
		t.Fatalf("%+v: want the leader killed and the other replica leading", res)
	}
	if res.LeadTakeover <= 0 || res.HeldTakeover <= 0 {
		t.Errorf("%+v: want the takeover timed", res)
	}
	if res.Held > 0 && res.HeldTakeover >= res.HeldUntil {
		t.Errorf("the %d messages the killed replica held waited %v after the kill, until their leases ran out %v after it", res.Held, res.HeldTakeover, res.HeldUntil)
	}
	if res.Lost != 0 || res.Duplicated > res.InFlightBound {
		t.Errorf("%+v: want none lost and at most %d repeated", res, res.InFlightBound)
	}
}

// People use two replicas, which are restarted one after the other as
// they do: every envelope is acknowledged, over both, and nothing is lost.
func TestLoadAcksThroughARollingRestartOnPostgres(t *testing.T) {
	t.Parallel()
	res, err := runAcks(loadContext(t), ackPlan{People: 3, Commands: 4, Think: 200 * time.Millisecond, DB: storetest.PostgresURL(t),
		Replicas: 2, RollingRestart: true, Log: testLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Unacked != 0 || res.NotStored != 0 || res.Unsent != 0 || len(res.Violations) != 0 {
		t.Errorf("%+v: want every envelope acked and nothing lost", res)
	}
	if len(res.Restarts) != 2 || res.Restarts[0].Exit != 0 || res.Restarts[1].Exit != 0 || res.Restarts[0].Replica == res.Restarts[1].Replica {
		t.Errorf("restarts %+v: want each replica stopped cleanly and started again", res.Restarts)
	}
	if len(res.ByConnection) < 2 {
		t.Errorf("acks by connection %v: want them spread over the replicas", res.ByConnection)
	}
}

func TestLoadDraftsARoundOnSQLite(t *testing.T) {
	t.Parallel()
	results, err := runDrafts(loadContext(t), draftPlan{People: 30, Log: testLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	// Each of the 30 is in a pair or left out with the reason.
	if len(results) != 1 || results[0].Backend != "SQLite" || results[0].Pairs == 0 || 2*results[0].Pairs+results[0].Left != 30 || results[0].Drafted <= 0 {
		t.Errorf("%+v: want SQLite's draft with everyone paired or left out, timed", results)
	}
}

// The same pool drafts the same round on either backend.
func TestLoadDraftsARoundOnBothBackends(t *testing.T) {
	t.Parallel()
	results, err := runDrafts(loadContext(t), draftPlan{People: 30, DB: storetest.PostgresURL(t), Log: testLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 || results[1].Backend != "PostgreSQL" {
		t.Fatalf("%+v: want SQLite's and PostgreSQL's", results)
	}
	if results[0].Pairs == 0 || results[1].Pairs != results[0].Pairs || results[1].Left != results[0].Left || results[1].Drafted <= 0 {
		t.Errorf("%+v: want the same pairs and the same left out on each, each timed", results)
	}
}
