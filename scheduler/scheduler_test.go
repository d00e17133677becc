package scheduler

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/store/storetest"
)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestHousekeepingRunsAtNightInTheProgrammeZone(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	s, err := New(Config{Owner: "test", Location: tokyo, Tick: time.Minute}, &mentorbot.Programme{Clock: mentorbot.SystemClock{}}, nil, nil, discard)
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
	db := storetest.Open(t)
	now := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	for key, at := range map[string]time.Time{"old": now.Add(-25 * time.Hour), "recent": now.Add(-23 * time.Hour)} {
		if err := db.RecordRequest(ctx, key, "", nil, at); err != nil {
			t.Fatal(err)
		}
	}
	s, err := New(Config{Owner: "test", Location: time.UTC, Tick: time.Minute}, &mentorbot.Programme{Store: db, Clock: mentorbot.NewManualClock(now)}, db, nil, discard)
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
	db := storetest.Open(t)
	heart := &beats{}
	s, err := New(Config{Owner: "test", Location: time.UTC, Tick: time.Second, Heartbeat: heart}, &mentorbot.Programme{Store: db, Clock: mentorbot.SystemClock{}}, db, nil, discard)
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
	db := storetest.Open(t)
	s, err := New(Config{Owner: "test", Location: time.UTC, Tick: time.Minute, Lanes: 1}, &mentorbot.Programme{Store: db, Clock: mentorbot.SystemClock{}}, db, nil, discard)
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

func TestLatestTimeIsWhereTheScheduleLastFired(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	monday9 := time.Date(2026, 3, 2, 9, 0, 0, 0, london)
	tests := []struct {
		name, spec string
		now, want  time.Time
	}{
		{"at the time itself", "0 9 * * MON", monday9, monday9},
		{"while the job runs", "0 9 * * MON", monday9.Add(700 * time.Millisecond), monday9},
		{"later in the week", "0 9 * * MON", time.Date(2026, 3, 7, 18, 0, 0, 0, london), monday9},
		{"just before the next", "0 9 * * MON", monday9.AddDate(0, 0, 7).Add(-time.Second), monday9},
		{"twice a day", "0 9,17 * * *", time.Date(2026, 3, 2, 20, 0, 0, 0, london), time.Date(2026, 3, 2, 17, 0, 0, 0, london)},
		{"monthly", "0 9 1 * *", time.Date(2026, 3, 31, 9, 0, 0, 0, london), time.Date(2026, 3, 1, 9, 0, 0, 0, london)},
		{"across the clock change", "0 9 * * MON", time.Date(2026, 3, 30, 8, 0, 0, 0, time.UTC), time.Date(2026, 3, 30, 9, 0, 0, 0, london)},
		{"yearly", "0 9 1 1 *", time.Date(2026, 12, 31, 9, 0, 0, 0, london), time.Date(2026, 1, 1, 9, 0, 0, 0, london)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			schedule, err := cron.ParseStandard(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			if got := latestTime(schedule, tt.now.In(london)); !got.Equal(tt.want) {
				t.Errorf("latestTime(%q, %v) = %v, want %v", tt.spec, tt.now, got, tt.want)
			}
		})
	}
}

// TestTheSummaryIsOwedOncePerWeek owes the weekly summary as its cron
// would, again after a restart and later that week: one message a week.
func TestTheSummaryIsOwedOncePerWeek(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	monday9 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := mentorbot.NewManualClock(monday9)
	programme := &mentorbot.Programme{Store: db, Clock: clock, HRChannel: "C0HR"}
	start := func() *Scheduler {
		s, err := New(Config{Owner: "test", Location: time.UTC, Tick: time.Minute, SummarySpec: "0 9 * * MON"}, programme, db, nil, discard)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := start()
	s.OweSummary(ctx)
	s = start() // a restart, the same minute
	s.OweSummary(ctx)
	clock.Advance(3 * 24 * time.Hour)
	s.OweSummary(ctx)
	clock.Set(monday9.AddDate(0, 0, 7))
	s.OweSummary(ctx)

	items, err := db.DueOutbox(ctx, clock.Now(), mentorbot.OutboxCursor{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, item := range items {
		if item.Kind == mentorbot.OutboxSummary && item.To == "C0HR" {
			keys = append(keys, item.Key)
		}
	}
	if len(keys) != 2 || len(items) != 2 {
		t.Errorf("two weeks owed %d messages, summaries %v; want one summary a week", len(items), keys)
	}
}

// fixedLeadership leads or follows as a test says, and counts its tries.
type fixedLeadership struct {
	leading bool
	tries   atomic.Int32
}

func (l *fixedLeadership) TryLead(context.Context) (bool, error) {
	l.tries.Add(1)
	return l.leading, nil
}

// TestOnlyTheLeaderRunsTheTimedWork has a replica tick, owe the summary
// and keep house, as leader and as follower: a follower changes nothing,
// yet sends what is owed.
func TestOnlyTheLeaderRunsTheTimedWork(t *testing.T) {
	for _, leading := range []bool{false, true} {
		t.Run(map[bool]string{false: "follower", true: "leader"}[leading], func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t)
			monday9 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			clock := mentorbot.NewManualClock(monday9)
			programme := &mentorbot.Programme{Store: db, Clock: clock, HRChannel: "C0HR"}
			back := mentorbot.Participant{ID: "UBACK", State: mentorbot.StatePaused, PausedUntil: monday9.Add(-time.Hour),
				ResumeState: mentorbot.StateApproved, Profile: mentorbot.Profile{Role: mentorbot.RoleMentee, TimeZone: "UTC", JobLevel: 3},
				JoinedAt: monday9, StateSince: monday9, UpdatedAt: monday9}
			owed := mentorbot.OutboxItem{Key: "test/form", To: "UFORM", Kind: mentorbot.OutboxFormButton, DueAt: monday9}
			if err := db.Apply(ctx, mentorbot.Change{Participants: []mentorbot.Participant{back}, Outbox: []mentorbot.OutboxItem{owed}}); err != nil {
				t.Fatal(err)
			}
			if err := db.RecordRequest(ctx, "old", "", nil, monday9.Add(-25*time.Hour)); err != nil {
				t.Fatal(err)
			}
			lead := &fixedLeadership{leading: leading}
			rec := &recorder{}
			s, err := New(Config{Owner: "test", Location: time.UTC, Tick: time.Minute, SummarySpec: "0 9 * * MON", Leadership: lead},
				programme, db, rec, discard)
			if err != nil {
				t.Fatal(err)
			}
			s.Tick(ctx)
			s.OweSummary(ctx)
			s.ForgetOldRequests(ctx)

			if lead.tries.Load() != 3 {
				t.Errorf("%d tries to lead, want one for each job", lead.tries.Load())
			}
			if !slices.ContainsFunc(rec.got, func(d mentorbot.Delivery) bool { return d.Item.Key == owed.Key }) {
				t.Errorf("the owed message was not sent; delivered %v", rec.got)
			}
			p, err := db.Participant(ctx, back.ID)
			if err != nil {
				t.Fatal(err)
			}
			if resumed := p.State != mentorbot.StatePaused; resumed != leading {
				t.Errorf("the pause that reached its date left the person %s", p.State)
			}
			items, err := db.DueOutbox(ctx, clock.Now(), mentorbot.OutboxCursor{}, 100)
			if err != nil {
				t.Fatal(err)
			}
			summaryOwed := slices.ContainsFunc(items, func(it mentorbot.OutboxItem) bool { return it.Kind == mentorbot.OutboxSummary })
			if summaryOwed != leading {
				t.Errorf("summary owed: %v", summaryOwed)
			}
			if _, remembered, _ := db.HandledRequest(ctx, "old"); remembered == leading {
				t.Errorf("a day-old request remembered: %v", remembered)
			}
		})
	}
}
