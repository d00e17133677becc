package main

import (
	"context"
	"os"
	"testing"
	"time"
)

// asBinary makes this test binary act as mentorbot itself when the load
// command starts it as `mentorbot run`, so the crash test kills a real
// process without building one.
const asBinary = "MENTORBOT_TEST_AS_BINARY"

func TestMain(m *testing.M) {
	if os.Getenv(asBinary) == "1" {
		main()
	}
	os.Exit(m.Run())
}

func TestLoadDeliversEveryReminderOnceAtThePace(t *testing.T) {
	t.Setenv(asBinary, "1")
	unsetConfig(t)
	// A modest pace, so a bot built with -race on a small machine keeps
	// up; `mentorbot load` measures 10,000 at full speed.
	res, err := runReminders(context.Background(), reminderPlan{Reminders: 400, Rate: 50, Timeout: 2 * time.Minute, Log: testLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Lost != 0 || res.Duplicated != 0 || res.Distinct != 400 {
		t.Errorf("%+v: want all 400, once each", res)
	}
	if res.Rate < 0.9*50 {
		t.Errorf("delivered %.1f a second, under 90 %% of the 50 allowed", res.Rate)
	}
}

func TestLoadSurvivesSIGKILLMidFanOut(t *testing.T) {
	t.Setenv(asBinary, "1")
	unsetConfig(t)
	res, err := runReminders(context.Background(), reminderPlan{Reminders: 400, Rate: 100, KillAfter: 150, Timeout: 2 * time.Minute, Log: testLog(t)})
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
	t.Setenv(asBinary, "1")
	unsetConfig(t)
	res, err := runAcks(context.Background(), ackPlan{People: 3, Commands: 5, Log: testLog(t)})
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
	t.Setenv(asBinary, "1")
	unsetConfig(t)
	res, err := runMemory(context.Background(), memoryPlan{Participants: 100, GoalMB: 50, Log: testLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Pairs != 40 || res.Peak < res.Current || res.Current <= 0 {
		t.Errorf("%+v: want 40 pairs and a peak at least the current resident memory", res)
	}
}

func TestLoadTimesStartsToReady(t *testing.T) {
	t.Setenv(asBinary, "1")
	unsetConfig(t)
	starts, err := runStartups(context.Background(), startupPlan{Starts: 2, Participants: 20, Log: testLog(t)})
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
