package fakeslack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

func TestClientConnectsAndGetsHello(t *testing.T) {
	srv, b := start(t, nil)
	ctx := testContext(t)

	if err := srv.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	if got := srv.Connections(); got != 1 {
		t.Errorf("Connections() = %d, want 1", got)
	}
	// The bot's side is not server state, so poll it.
	for b.helloCount() == 0 {
		select {
		case <-ctx.Done():
			t.Fatal("client never saw hello")
		case <-time.After(5 * time.Millisecond):
		}
	}
	if got := srv.Calls("apps.connections.open"); len(got) != 1 || got[0].Status != 200 || got[0].Error != "" {
		t.Errorf("apps.connections.open calls = %+v", got)
	}
}

func TestSlashCommandIsDeliveredAndAckedWithPayload(t *testing.T) {
	srv, b := start(t, func(_ context.Context, b *testBot, evt socketmode.Event) {
		b.ack(evt, map[string]any{"text": "Welcome aboard"})
	})
	addPeople(srv)
	ctx := testContext(t)
	ada := srv.Person("U1ADA")

	ack, err := ada.Types(ctx, "/mentor join me")
	if err != nil {
		t.Fatal(err)
	}
	if got := string(ack.Payload); got != `{"text":"Welcome aboard"}` {
		t.Errorf("ack payload = %s", got)
	}
	if ack.RetryAttempt != 0 || ack.EnvelopeID == "" {
		t.Errorf("ack = %+v", ack)
	}
	cmd := b.received()[0].Data.(slack.SlashCommand)
	if cmd.Command != "/mentor" || cmd.Text != "join me" || cmd.UserID != "U1ADA" || cmd.ChannelID != "DU1ADA" || cmd.TriggerID == "" || cmd.UserName != "ada" {
		t.Errorf("slash command = %+v", cmd)
	}
	if acks := srv.Acks(); len(acks) != 1 || acks[0].EnvelopeID != ack.EnvelopeID {
		t.Errorf("Acks() = %+v", acks)
	}
	// The ack's message is shown to the person alone.
	eph := ada.Ephemerals()
	if len(eph) != 1 || eph[0].Rendered() != "Welcome aboard" || eph[0].Channel != "DU1ADA" {
		t.Errorf("ephemerals = %+v", eph)
	}
	kinds := []string{}
	for _, e := range srv.Transcript("U1ADA") {
		kinds = append(kinds, e.Kind+":"+e.Text)
	}
	if strings.Join(kinds, "|") != "typed:/mentor join me|ephemeral:Welcome aboard" {
		t.Errorf("transcript = %q", kinds)
	}
	noViolations(t, srv)
}

func TestRedeliveredSendsTheSameEnvelopeAgain(t *testing.T) {
	srv, b := start(t, nil)
	ctx := testContext(t)

	acks, err := srv.Deliver(ctx, "slash_commands", map[string]any{"command": "/mentor", "text": "status"}, fakeslack.Redelivered(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(acks) != 2 {
		t.Fatalf("got %d acks, want 2", len(acks))
	}
	if acks[0].EnvelopeID != acks[1].EnvelopeID || acks[0].RetryAttempt != 0 || acks[1].RetryAttempt != 1 {
		t.Errorf("acks = %+v", acks)
	}
	reqs := b.received()
	if len(reqs) != 2 {
		t.Fatalf("bot saw %d requests, want 2", len(reqs))
	}
	second := reqs[1].Request
	if second.EnvelopeID != acks[0].EnvelopeID || second.RetryAttempt != 1 || second.RetryReason != "timeout" {
		t.Errorf("redelivery = %+v", second)
	}
	if string(second.Payload) != string(reqs[0].Request.Payload) || !reqs[0].Request.AcceptsResponsePayload {
		t.Errorf("redelivered payload %s differs from %s", second.Payload, reqs[0].Request.Payload)
	}
	noViolations(t, srv)
}

func TestRedeliverRepeatsAnEarlierEnvelope(t *testing.T) {
	srv, b := start(t, func(_ context.Context, b *testBot, evt socketmode.Event) {
		b.ack(evt, map[string]any{"text": "attempt " + string(rune('0'+evt.Request.RetryAttempt))})
	})
	addPeople(srv)
	ctx := testContext(t)

	first, err := srv.Person("U1ADA").Types(ctx, "/mentor status")
	if err != nil {
		t.Fatal(err)
	}
	acks, err := srv.Redeliver(ctx, first.EnvelopeID)
	if err != nil {
		t.Fatal(err)
	}
	if len(acks) != 1 || acks[0].EnvelopeID != first.EnvelopeID || acks[0].RetryAttempt != 1 || string(acks[0].Payload) != `{"text":"attempt 1"}` {
		t.Errorf("acks = %+v", acks)
	}
	reqs := b.received()
	if len(reqs) != 2 || string(reqs[1].Request.Payload) != string(reqs[0].Request.Payload) || reqs[1].Request.RetryReason != "timeout" {
		t.Errorf("bot saw %+v", reqs)
	}
	if _, err := srv.Redeliver(ctx, "never-sent"); err == nil {
		t.Error("Redeliver of an unknown envelope should fail")
	}
}

func TestOpensHomeDeliversAppHomeOpenedWithFreshEventIDs(t *testing.T) {
	srv, b := start(t, func(ctx context.Context, b *testBot, evt socketmode.Event) {
		b.ack(evt)
		outer, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok {
			return
		}
		if opened, ok := outer.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent); ok {
			home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{
				slack.NewSectionBlock(mrkdwn("Hello *"+opened.User+"*"), nil, nil),
				slack.NewActionBlock("home_actions", slack.NewButtonBlockElement("join", "now", plain("Join"))),
			}}}
			_, _ = b.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: opened.User, View: home})
		}
	})
	addPeople(srv)
	ctx := testContext(t)
	ada := srv.Person("U1ADA")

	if _, err := ada.OpensHome(ctx, fakeslack.Redelivered(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := ada.OpensHome(ctx); err != nil {
		t.Fatal(err)
	}
	var eventIDs []string
	for _, r := range b.received() {
		var cb struct {
			EventID string `json:"event_id"`
		}
		_ = json.Unmarshal(r.Request.Payload, &cb)
		eventIDs = append(eventIDs, cb.EventID)
	}
	if len(eventIDs) != 3 || eventIDs[0] != eventIDs[1] || eventIDs[1] == eventIDs[2] {
		t.Errorf("event ids = %q, want the redelivery to repeat the first and the next to differ", eventIDs)
	}
	home := ada.Home()
	if home == nil || home.Rendered() != "Hello *U1ADA*\n[Join]" {
		t.Fatalf("home = %+v", home)
	}

	if _, err := ada.Clicks(ctx, "join"); err != nil {
		t.Fatal(err)
	}
	click := b.received()[3].Data.(slack.InteractionCallback)
	if click.Container.Type != "view" || click.Container.ViewID != home.ID || click.View.Type != slack.VTHomeTab {
		t.Errorf("home click container = %+v view type %q", click.Container, click.View.Type)
	}
	noViolations(t, srv)
}

func TestDropConnectionMakesTheClientReconnect(t *testing.T) {
	srv, _ := start(t, nil)
	addPeople(srv)
	ctx := testContext(t)
	if err := srv.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}

	srv.DropConnection()
	if err := srv.WaitUntil(ctx, func() bool { return srv.Connections() == 2 }); err != nil {
		t.Fatalf("client did not reconnect: %v", err)
	}
	if _, err := srv.Person("U1ADA").Types(ctx, "/mentor status"); err != nil {
		t.Fatalf("envelope after reconnect: %v", err)
	}
	if got := len(srv.Calls("apps.connections.open")); got != 2 {
		t.Errorf("apps.connections.open called %d times, want 2", got)
	}
}

// Envelopes written to a connection that fails before their acks arrive
// come again on the next one, marked as retries; one sent after the cut
// comes once.
func TestDropConnectionAfterRedeliversWhatWasNeverAcked(t *testing.T) {
	srv, b := start(t, nil)
	addPeople(srv)
	ctx := testContext(t)
	if err := srv.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}

	srv.DropConnectionAfter(2)
	acks := make(chan fakeslack.Ack, 2)
	for _, text := range []string{"/mentor one", "/mentor two"} {
		go func() {
			ack, err := srv.Person("U1ADA").Types(ctx, text)
			if err != nil {
				t.Error(err)
			}
			acks <- ack
		}()
	}
	for range 2 {
		if ack := <-acks; ack.RetryAttempt != 1 {
			t.Errorf("acked attempt %d, want the retry after the cut", ack.RetryAttempt)
		}
	}
	if ack, err := srv.Person("U1ADA").Types(ctx, "/mentor three"); err != nil || ack.RetryAttempt != 0 {
		t.Fatalf("after the cut: %+v, %v", ack, err)
	}
	// A first attempt may die with the socket before the bot reads it.
	seen := map[string]int{}
	for _, evt := range b.received() {
		seen[fmt.Sprintf("%s#%d", evt.Data.(slack.SlashCommand).Text, evt.Request.RetryAttempt)]++
	}
	for _, want := range []string{"one#1", "two#1", "three#0"} {
		if seen[want] != 1 {
			t.Errorf("the bot received %s %d times; all it received: %v", want, seen[want], seen)
		}
	}
	if len(seen) > 5 {
		t.Errorf("the bot received more than each first attempt and its retry: %v", seen)
	}
	if srv.Connections() != 2 {
		t.Errorf("Connections() = %d, want 2", srv.Connections())
	}
	noViolations(t, srv)
}

func TestAckRulesAreEnforced(t *testing.T) {
	srv, _ := start(t, func(_ context.Context, b *testBot, evt socketmode.Event) {
		if evt.Type == socketmode.EventTypeEventsAPI {
			b.ack(evt, map[string]any{"text": "Slack ignores this"})
			return
		}
		b.ack(evt)
		// A second ack of the same envelope, and one for an envelope never sent.
		b.ack(evt)
		_ = b.client.Ack(socketmode.Request{EnvelopeID: "never-sent"})
	})
	addPeople(srv)
	ctx := testContext(t)

	if _, err := srv.Deliver(ctx, "interactive", map[string]any{"type": "block_actions"}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Person("U1ADA").OpensHome(ctx); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitUntil(ctx, func() bool { return len(srv.Violations()) == 3 }); err != nil {
		t.Fatalf("violations = %q", srv.Violations())
	}
	v := srv.Violations()
	if !strings.Contains(v[0], "more than once") || !strings.Contains(v[1], "never sent") || !strings.Contains(v[2], "carries a payload") {
		t.Errorf("violations = %q", v)
	}
	if _, err := srv.Deliver(ctx, "disconnect", nil); err == nil {
		t.Error("Deliver accepted an unknown envelope type")
	}
}

func TestCloseDropsTheClient(t *testing.T) {
	srv, b := start(t, nil)
	ctx := testContext(t)
	if err := srv.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	srv.Close() // idempotent
	if _, err := b.api.AuthTestContext(ctx); err == nil {
		t.Error("Web API still answers after Close")
	}
	if _, err := srv.Deliver(ctx, "events_api", map[string]any{}); err == nil {
		t.Error("Deliver succeeded after Close")
	}
}
