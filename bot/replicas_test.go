package bot_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/mentorbot/mentorbot/app"
	"github.com/mentorbot/mentorbot/bot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
	"github.com/mentorbot/mentorbot/scheduler"
)

// replica is a second bot process on the world's database and Slack, as a
// second `mentorbot run` would be.
type replica struct {
	bot       *bot.Bot
	scheduler *scheduler.Scheduler
}

// startReplica runs another bot process beside the world's, on its own
// Socket Mode connection, and waits until envelopes go to both.
func (w *world) startReplica() *replica {
	w.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := w.appConfig()
	// Unlike the first bot's hostname-pid-random, never the same.
	cfg.Owner, cfg.Bot.Meter, cfg.WrapStore = "replica-2", nil, nil
	a, err := app.Open(ctx, cfg, w.clock, testLogger(w.t))
	if err != nil {
		cancel()
		w.t.Fatal(err)
	}
	a.Bot.UseClock(w.sends)
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				w.t.Errorf("the replica stopped with an error: %v", err)
			}
		})
	}
	w.t.Cleanup(stop)
	if err := w.slack.WaitUntil(w.ctx(), func() bool { return w.slack.OpenConnections() == 2 }); err != nil {
		stop()
		w.t.Fatalf("%d connections open, want the two bots': %v", w.slack.OpenConnections(), err)
	}
	return &replica{bot: a.Bot, scheduler: a.Scheduler}
}

// finishWith waits until the replica and then the world are idle, the two
// replicas' outbox passes running at once as they would: the leases keep
// them from sending one message twice.
func (w *world) finishWith(r *replica) {
	w.t.Helper()
	ctx := w.ctx()
	select {
	case <-r.bot.Idle():
	case <-ctx.Done():
		w.t.Fatal("the replica was still handling requests after 15s")
	}
	var drained sync.WaitGroup
	drained.Go(func() { r.scheduler.DrainOutbox(ctx) })
	w.finish()
	drained.Wait()
}

// Two bot processes share the database and Slack. Every request is
// delivered again, each attempt to the other process: both acknowledge it
// with the same answer, and it has its effect once.
func TestRequestsRedeliveredToAnotherReplicaHaveOneEffect(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	r := w.startReplica()
	a := w.person(ada)

	a.types("/mentor join", fakeslack.Redelivered(2))
	a.seesModal("Join mentorbot")
	a.submits(adaStep1, fakeslack.Redelivered(1))
	a.seesModal("Your topics")
	a.submits(adaStep2, fakeslack.Redelivered(2))
	a.seesDM("Welcome")
	a.types("/mentor leave")
	a.seesReply("Leaving takes you out")
	if _, err := a.p.Clicks(w.ctx(), "leave", fakeslack.Redelivered(2)); err != nil {
		t.Fatal(err)
	}
	a.seesDM("You've left the programme")
	w.finishWith(r)

	if n := len(w.slack.Calls("views.open")); n != 1 {
		t.Errorf("the join form was opened %d times", n)
	}
	for _, text := range []string{"Welcome", "You've left the programme"} {
		if n := a.countDMs(text); n != 1 {
			t.Errorf("Ada was told %q %d times", text, n)
		}
	}
	if moves, err := w.db.Transitions(w.ctx(), ada); err != nil || len(moves) != 2 {
		t.Errorf("Ada's moves %+v, %v; want joined, left", moves, err)
	}
	answers := map[string][]string{}
	for _, ack := range w.slack.Acks() {
		answers[ack.EnvelopeID] = append(answers[ack.EnvelopeID], string(ack.Payload))
	}
	redelivered := 0
	for id, got := range answers {
		for _, answer := range got[1:] {
			if answer != got[0] {
				t.Errorf("envelope %s answered %q then %q", id, got[0], answer)
			}
		}
		if len(got) == 1 {
			continue
		}
		redelivered++
		if connections := w.slack.AttemptConnections(id); !slices.Contains(connections, 1) || !slices.Contains(connections, 2) {
			t.Errorf("envelope %s went over connections %v, want both bots'", id, connections)
		}
	}
	if redelivered != 4 {
		t.Errorf("%d envelopes were delivered again, want 4", redelivered)
	}
}
