package scheduler

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/store"
)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestHousekeepingRunsAtNightInTheProgrammeZone(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	s, err := New(Config{Location: tokyo, Tick: time.Minute}, &mentorbot.Programme{Clock: mentorbot.SystemClock{}}, nil, nil, discard)
	if err != nil {
		t.Fatal(err)
	}
	after := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC) // 21:00 in Tokyo
	// cron hands its schedules the time in its own location.
	next := s.cron.Entries()[0].Schedule.Next(after.In(s.cron.Location()))
	if want := time.Date(2026, 3, 3, 3, 0, 0, 0, tokyo); !next.Equal(want) {
		t.Fatalf("next housekeeping %v, want %v", next, want)
	}
}

func TestForgetOldRequestsKeepsADay(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	for key, at := range map[string]time.Time{"old": now.Add(-25 * time.Hour), "recent": now.Add(-23 * time.Hour)} {
		if err := db.RecordRequest(ctx, key, "", nil, at); err != nil {
			t.Fatal(err)
		}
	}
	s, err := New(Config{Location: time.UTC, Tick: time.Minute}, &mentorbot.Programme{Store: db, Clock: mentorbot.NewManualClock(now)}, db, nil, discard)
	if err != nil {
		t.Fatal(err)
	}
	s.ForgetOldRequests(ctx)
	if _, handled, _ := db.HandledRequest(ctx, "old"); handled {
		t.Error("a request from 25 hours ago is still remembered")
	}
	if _, handled, _ := db.HandledRequest(ctx, "recent"); !handled {
		t.Error("a request from 23 hours ago was forgotten")
	}
}

// beats counts a scheduler's heartbeats.
type beats struct{ n atomic.Int32 }

func (b *beats) Ticked() { b.n.Add(1) }

func TestEveryTickBeats(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	heart := &beats{}
	s, err := New(Config{Location: time.UTC, Tick: time.Second, Heartbeat: heart}, &mentorbot.Programme{Store: db, Clock: mentorbot.SystemClock{}}, db, nil, discard)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		s.Run(ctx)
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for heart.n.Load() < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("%d heartbeats in 10s of one-second ticks", heart.n.Load())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
}

func TestArmedOnceRunStartedTheJobs(t *testing.T) {
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := New(Config{Location: time.UTC, Tick: time.Minute, Lanes: 1}, &mentorbot.Programme{Store: db, Clock: mentorbot.SystemClock{}}, db, nil, discard)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.Armed():
		t.Fatal("armed before Run")
	default:
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	select {
	case <-s.Armed():
	case <-time.After(5 * time.Second):
		t.Fatal("not armed 5s after Run")
	}
	stop()
	<-done
}
