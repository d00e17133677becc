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
	res, err := runLoad(context.Background(), loadPlan{Reminders: 400, Rate: 50, Timeout: 2 * time.Minute, Log: testLog(t)})
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
	res, err := runLoad(context.Background(), loadPlan{Reminders: 400, Rate: 100, KillAfter: 150, Timeout: 2 * time.Minute, Log: testLog(t)})
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
