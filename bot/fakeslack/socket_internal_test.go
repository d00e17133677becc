package fakeslack

import (
	"context"
	"encoding/json"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
)

// dialRaw opens a bare websocket the way socketmode does and reads its
// hello, for tests that need to misbehave in ways the real client will not.
func dialRaw(t *testing.T, ctx context.Context, s *Server) *websocket.Conn {
	t.Helper()
	ws := openRaw(t, ctx, s)
	var hello struct {
		Type           string `json:"type"`
		NumConnections int    `json:"num_connections"`
		ConnectionInfo struct {
			AppID string `json:"app_id"`
		} `json:"connection_info"`
	}
	if err := ws.ReadJSON(&hello); err != nil || hello.Type != "hello" || hello.ConnectionInfo.AppID != AppID || hello.NumConnections < 1 {
		t.Fatalf("hello = %+v, %v", hello, err)
	}
	return ws
}

// openRaw opens a bare websocket the way socketmode does, without reading
// what the server says first.
func openRaw(t *testing.T, ctx context.Context, s *Server) *websocket.Conn {
	t.Helper()
	api := slack.New(BotToken, slack.OptionAppLevelToken(AppToken), slack.OptionAPIURL(s.APIURL()))
	_, wsURL, err := api.StartSocketModeContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ws, resp, err := websocket.DefaultDialer.DialContext(ctx, wsURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	t.Cleanup(func() { _ = ws.Close() })
	return ws
}

func readEnvelope(t *testing.T, ws *websocket.Conn) envelope {
	t.Helper()
	var env envelope
	if err := ws.ReadJSON(&env); err != nil {
		t.Fatal(err)
	}
	return env
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestLateAckIsAViolation(t *testing.T) {
	s := New()
	defer s.Close()
	s.ackDeadline = 20 * time.Millisecond
	ctx := testCtx(t)
	ws := dialRaw(t, ctx, s)

	done := make(chan error, 1)
	go func() {
		_, err := s.Deliver(ctx, "slash_commands", map[string]string{"command": "/mentor"})
		done <- err
	}()
	env := readEnvelope(t, ws)
	if !env.AcceptsResponsePayload || env.Type != "slash_commands" {
		t.Errorf("envelope = %+v", env)
	}
	time.Sleep(40 * time.Millisecond)
	if err := ws.WriteJSON(map[string]string{"envelope_id": env.EnvelopeID}); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if v := s.Violations(); len(v) != 1 || !strings.Contains(v[0], "acked after") {
		t.Errorf("violations = %q", v)
	}
}

func TestEnvelopeIsResentWhenTheConnectionDiesBeforeTheAck(t *testing.T) {
	s := New()
	defer s.Close()
	ctx := testCtx(t)
	first := dialRaw(t, ctx, s)

	done := make(chan []Ack, 1)
	go func() {
		acks, _ := s.Deliver(ctx, "events_api", map[string]string{"type": "event_callback"})
		done <- acks
	}()
	lost := readEnvelope(t, first)
	s.DropConnection()

	second := dialRaw(t, ctx, s)
	again := readEnvelope(t, second)
	if again.EnvelopeID != lost.EnvelopeID || again.AcceptsResponsePayload {
		t.Errorf("resent %+v, lost %+v", again, lost)
	}
	if err := second.WriteJSON(map[string]string{"envelope_id": again.EnvelopeID}); err != nil {
		t.Fatal(err)
	}
	if acks := <-done; len(acks) != 1 || acks[0].EnvelopeID != lost.EnvelopeID {
		t.Errorf("acks = %+v", acks)
	}
	if s.Connections() != 2 {
		t.Errorf("Connections() = %d", s.Connections())
	}
}

func TestServerPingsTheClient(t *testing.T) {
	s := New(WithPingInterval(10 * time.Millisecond))
	defer s.Close()
	ctx := testCtx(t)
	ws := dialRaw(t, ctx, s)

	var pings atomic.Int32
	ws.SetPingHandler(func(string) error {
		pings.Add(1)
		return nil
	})
	go func() {
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				return
			}
		}
	}()
	for pings.Load() < 3 {
		select {
		case <-ctx.Done():
			t.Fatalf("only %d pings", pings.Load())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func TestCloseEndsEveryGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	s := New(WithPingInterval(10 * time.Millisecond))
	ctx := testCtx(t)
	ws := dialRaw(t, ctx, s)
	s.Close()

	// The client sees the connection drop.
	_ = ws.SetReadDeadline(time.Now().Add(2 * time.Second))
	for {
		if _, _, err := ws.ReadMessage(); err != nil {
			if ne, ok := err.(interface{ Timeout() bool }); ok && ne.Timeout() {
				t.Fatal("connection still open after Close")
			}
			break
		}
	}
	_ = ws.Close()
	// Idle keep-alive goroutines of the test's own HTTP client wind down too.
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines before, %d after Close:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}

func TestAckPayloadIsRecorded(t *testing.T) {
	s := New()
	defer s.Close()
	ctx := testCtx(t)
	ws := dialRaw(t, ctx, s)

	done := make(chan []Ack, 1)
	go func() {
		acks, _ := s.Deliver(ctx, "interactive", map[string]string{"type": "view_submission"})
		done <- acks
	}()
	env := readEnvelope(t, ws)
	if err := ws.WriteJSON(map[string]any{"envelope_id": env.EnvelopeID, "payload": map[string]string{"response_action": "clear"}}); err != nil {
		t.Fatal(err)
	}
	acks := <-done
	var payload map[string]string
	if len(acks) != 1 || json.Unmarshal(acks[0].Payload, &payload) != nil || payload["response_action"] != "clear" {
		t.Errorf("acks = %+v", acks)
	}
}

func TestUnackedCountsEnvelopesNobodyAcknowledged(t *testing.T) {
	s := New()
	defer s.Close()
	ctx := testCtx(t)
	ws := dialRaw(t, ctx, s)

	// One envelope the bot acks, and one it ignores until Slack gives up.
	acked := make(chan error, 1)
	go func() {
		_, err := s.Deliver(ctx, "events_api", map[string]string{"type": "event_callback"})
		acked <- err
	}()
	env := readEnvelope(t, ws)
	if err := ws.WriteJSON(map[string]string{"envelope_id": env.EnvelopeID}); err != nil {
		t.Fatal(err)
	}
	if err := <-acked; err != nil {
		t.Fatal(err)
	}
	giveUp, cancel := context.WithCancel(ctx)
	ignored := make(chan error, 1)
	go func() {
		_, err := s.Deliver(giveUp, "slash_commands", map[string]string{"command": "/mentor"})
		ignored <- err
	}()
	readEnvelope(t, ws)
	cancel()
	if err := <-ignored; err == nil {
		t.Fatal("Deliver returned without an ack")
	}

	if got := s.Unacked(); got != 1 {
		t.Errorf("Unacked() = %d, want 1", got)
	}
	if acks := s.Acks(); len(acks) != 1 || acks[0].Latency <= 0 {
		t.Errorf("Acks() = %+v, want one with its latency", acks)
	}
}

// Slack lets an app hold 10 connections at once: the 11th opens, then is
// told too_many_websockets and closed, and a place freed is taken again.
func TestEleventhConnectionIsRefused(t *testing.T) {
	s := New()
	defer s.Close()
	ctx := testCtx(t)
	var held []*websocket.Conn
	for range maxConnections {
		held = append(held, dialRaw(t, ctx, s))
	}

	refused := openRaw(t, ctx, s)
	var disconnect struct {
		Type   string `json:"type"`
		Reason string `json:"reason"`
	}
	if err := refused.ReadJSON(&disconnect); err != nil || disconnect.Type != "disconnect" || disconnect.Reason != "too_many_websockets" {
		t.Fatalf("the 11th connection got %+v, %v; want a disconnect for too_many_websockets", disconnect, err)
	}
	if _, _, err := refused.ReadMessage(); !websocket.IsCloseError(err, websocket.CloseNormalClosure) {
		t.Errorf("after the disconnect: %v, want a close frame", err)
	}
	if s.Connections() != maxConnections || s.OpenConnections() != maxConnections {
		t.Errorf("%d connections accepted, %d open; want %d of each", s.Connections(), s.OpenConnections(), maxConnections)
	}
	for _, call := range s.Calls("apps.connections.open") {
		if call.Error != "" {
			t.Errorf("apps.connections.open answered %q; Slack refuses on the socket", call.Error)
		}
	}

	_ = held[0].Close()
	if err := s.WaitUntil(ctx, func() bool { return s.OpenConnections() == maxConnections-1 }); err != nil {
		t.Fatalf("the closed connection is still counted: %d open", s.OpenConnections())
	}
	dialRaw(t, ctx, s)
	if s.Connections() != maxConnections+1 {
		t.Errorf("Connections() = %d after a place was freed and taken, want %d", s.Connections(), maxConnections+1)
	}
}
