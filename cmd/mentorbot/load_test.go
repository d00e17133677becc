package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

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
