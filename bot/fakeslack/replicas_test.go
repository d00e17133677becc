package fakeslack_test

import (
	"context"
	"slices"
	"testing"

	"github.com/slack-go/slack/socketmode"

	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// startReplicas runs a fake Slack and two bots against it, a connected
// before b, so a's connection is number 1 and b's number 2.
func startReplicas(t *testing.T, ctx context.Context, handleA, handleB handler) (*fakeslack.Server, *testBot, *testBot) {
	t.Helper()
	srv, a := start(t, handleA)
	waitOpen(t, ctx, srv, 1)
	b := connect(t, srv, handleB)
	waitOpen(t, ctx, srv, 2)
	return srv, a, b
}

func waitOpen(t *testing.T, ctx context.Context, srv *fakeslack.Server, want int) {
	t.Helper()
	if err := srv.WaitUntil(ctx, func() bool { return srv.OpenConnections() == want }); err != nil {
		t.Fatalf("%d connections open, want %d: %v", srv.OpenConnections(), want, err)
	}
}

func envelopeIDs(events []socketmode.Event) []string {
	var ids []string
	for _, evt := range events {
		ids = append(ids, evt.Request.EnvelopeID)
	}
	return ids
}

func TestEnvelopesAlternateOverTheConnections(t *testing.T) {
	ctx := testContext(t)
	srv, a, b := startReplicas(t, ctx, nil, nil)

	var connections []int
	var ids []string
	for range 4 {
		acks, err := srv.Deliver(ctx, "slash_commands", map[string]any{"command": "/mentor"})
		if err != nil {
			t.Fatal(err)
		}
		connections = append(connections, acks[0].Connection)
		ids = append(ids, acks[0].EnvelopeID)
	}
	if !slices.Equal(connections, []int{1, 2, 1, 2}) {
		t.Errorf("acked on connections %v, want 1 2 1 2", connections)
	}
	if got, want := envelopeIDs(a.received()), []string{ids[0], ids[2]}; !slices.Equal(got, want) {
		t.Errorf("bot a received %q, want %q", got, want)
	}
	if got, want := envelopeIDs(b.received()), []string{ids[1], ids[3]}; !slices.Equal(got, want) {
		t.Errorf("bot b received %q, want %q", got, want)
	}
	noViolations(t, srv)
}

func TestRedeliveredGoesToTheOtherConnection(t *testing.T) {
	ctx := testContext(t)
	srv, _, _ := startReplicas(t, ctx, nil, nil)

	acks, err := srv.Deliver(ctx, "slash_commands", map[string]any{"command": "/mentor"}, fakeslack.Redelivered(2))
	if err != nil {
		t.Fatal(err)
	}
	var connections []int
	for _, ack := range acks {
		connections = append(connections, ack.Connection)
	}
	if !slices.Equal(connections, []int{1, 2, 1}) {
		t.Errorf("attempts acked on connections %v, want 1 2 1", connections)
	}
	if got := srv.AttemptConnections(acks[0].EnvelopeID); !slices.Equal(got, connections) {
		t.Errorf("AttemptConnections = %v, want %v", got, connections)
	}
}

// Bot a takes an envelope and never acks it; when Slack sends it again,
// it passes over a, though the round has come back to a, for b.
func TestRedeliverPassesOverTheConnectionThatNeverAcked(t *testing.T) {
	ctx := testContext(t)
	taken := make(chan socketmode.Event, 1)
	silent := func(_ context.Context, _ *testBot, evt socketmode.Event) { taken <- evt }
	srv, a, b := startReplicas(t, ctx, silent, nil)

	giveUp, cancel := context.WithCancel(ctx)
	lost := make(chan error, 1)
	go func() {
		_, err := srv.Deliver(giveUp, "interactive", map[string]any{"type": "block_actions"})
		lost <- err
	}()
	envelopeID := (<-taken).Request.EnvelopeID
	cancel()
	if err := <-lost; err == nil {
		t.Fatal("Deliver returned an ack bot a never sent")
	}
	if acks, err := srv.Deliver(ctx, "slash_commands", map[string]any{"command": "/mentor"}); err != nil || acks[0].Connection != 2 {
		t.Fatalf("the next envelope: %+v, %v; want it acked on connection 2", acks, err)
	}

	acks, err := srv.Redeliver(ctx, envelopeID)
	if err != nil {
		t.Fatal(err)
	}
	if acks[0].RetryAttempt != 1 || acks[0].Connection != 2 {
		t.Errorf("redelivery acked as %+v, want attempt 1 on connection 2", acks[0])
	}
	if got := srv.AttemptConnections(envelopeID); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("AttemptConnections = %v, want 1 2", got)
	}
	if got := envelopeIDs(a.received()); !slices.Equal(got, []string{envelopeID}) {
		t.Errorf("bot a received %q, want the lost envelope once", got)
	}
	if got := b.received(); len(got) != 2 || got[1].Request.EnvelopeID != envelopeID || got[1].Request.RetryReason != "timeout" {
		t.Errorf("bot b received %+v, want the next envelope then the redelivery", got)
	}
	noViolations(t, srv)
}

// Bot a's connection is cut before its ack arrives; the envelope goes
// again to b at once, not to a's next connection.
func TestEnvelopeLostWithAConnectionGoesToTheOther(t *testing.T) {
	ctx := testContext(t)
	srv, _, b := startReplicas(t, ctx, nil, nil)

	srv.DropConnectionAfter(1)
	acks, err := srv.Deliver(ctx, "slash_commands", map[string]any{"command": "/mentor"})
	if err != nil {
		t.Fatal(err)
	}
	if len(acks) != 1 || acks[0].RetryAttempt != 1 || acks[0].Connection != 2 {
		t.Fatalf("acks = %+v, want attempt 1 acked on connection 2", acks)
	}
	envelopeID := acks[0].EnvelopeID
	if got := srv.AttemptConnections(envelopeID); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("AttemptConnections = %v, want 1 2", got)
	}
	if got := b.received(); len(got) != 1 || got[0].Request.EnvelopeID != envelopeID || got[0].Request.RetryAttempt != 1 {
		t.Errorf("bot b received %+v, want the retry alone", got)
	}
	// Bot a comes back on a third connection, and the round goes on.
	if err := srv.WaitUntil(ctx, func() bool { return srv.Connections() == 3 && srv.OpenConnections() == 2 }); err != nil {
		t.Fatalf("%d connections accepted, %d open: %v", srv.Connections(), srv.OpenConnections(), err)
	}
	noViolations(t, srv)
}
