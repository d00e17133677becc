package main

import (
	"context"
	"os"
	"strings"
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

// A SIGTERM mid fan-out lets the bot finish and record the calls it has on
// the wire: it exits 0 within its drain timeout saying it drained, and
// after a restart every reminder has arrived exactly once.
func TestLoadSurvivesSIGTERMMidFanOut(t *testing.T) {
	t.Setenv(asBinary, "1")
	unsetConfig(t)
	log := testLog(t)
	res, err := runLoad(context.Background(), loadPlan{Reminders: 100, Rate: 100, KillAfter: 40, Graceful: true, Timeout: time.Minute, Log: log})
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
