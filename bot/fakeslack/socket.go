package fakeslack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Envelope types a Deliver can send, and whether Slack lets the ack carry a
// response payload for them.
var acceptsResponsePayload = map[string]bool{
	"slash_commands": true,
	"interactive":    true,
	"events_api":     false,
}

// Ack is the bot's acknowledgement of one envelope.
type Ack struct {
	EnvelopeID   string
	Payload      json.RawMessage // nil when the ack carried none
	Latency      time.Duration   // from sending the envelope to receiving the ack
	RetryAttempt int
	// Connection numbers the connection the acked attempt went out on, in
	// the order they were accepted: 1 for the first, as Connections counts.
	Connection int
}

// maxConnections is how many Socket Mode connections Slack lets one app
// hold at once.
const maxConnections = 10

type deliverConfig struct {
	redeliveries int
}

// DeliverOption adjusts one Deliver.
type DeliverOption func(*deliverConfig)

// Redelivered makes Slack send the same envelope (same envelope_id and payload)
// `times` more times after the first ack, with retry_attempt 1..times and
// retry_reason "timeout", as Slack does when it believes an ack was lost.
func Redelivered(times int) DeliverOption {
	return func(c *deliverConfig) { c.redeliveries = times }
}

// socketConn is one accepted websocket.
type socketConn struct {
	number    int // as Ack.Connection tells it
	ws        *websocket.Conn
	writeMu   sync.Mutex // gorilla allows one writer at a time
	done      chan struct{}
	closeOnce sync.Once
	// failing is set by DropConnectionAfter: acks on this connection are
	// lost, and it is cut once cutAfter more envelopes were written to it.
	// Both are guarded by Server.mu.
	failing  bool
	cutAfter int
}

func (c *socketConn) writeJSON(v any) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteJSON(v)
}

// kill closes the TCP connection without a close frame, like a network failure.
func (c *socketConn) kill() {
	c.closeOnce.Do(func() {
		close(c.done)
		_ = c.ws.Close()
	})
}

// sentEnvelope tracks one delivery attempt until its ack.
type sentEnvelope struct {
	env     envelope // as sent, for Redeliver
	envType string
	attempt int
	sentAt  time.Time
	// conn is the socket the latest attempt went out on. An ack counts only
	// there: Socket Mode answers an envelope on its own connection, so an
	// ack of an attempt from a lost one, sent before the retry, is lost too.
	conn  *socketConn
	acked bool
	ackCh chan Ack // buffered; receives the ack once
	// written and acks count every attempt of this envelope written to a
	// socket and every ack of it: after a dropped connection the bot may
	// ack both the lost attempt and the resent one, but never more.
	written, acks int
	// connections numbers the connection of every attempt written, earlier
	// deliveries of the same envelope included, for AttemptConnections.
	connections []int
}

// envelope is the wire format of a Socket Mode request.
type envelope struct {
	EnvelopeID             string          `json:"envelope_id"`
	Type                   string          `json:"type"`
	Payload                json.RawMessage `json:"payload"`
	AcceptsResponsePayload bool            `json:"accepts_response_payload"`
	RetryAttempt           int             `json:"retry_attempt"`
	RetryReason            string          `json:"retry_reason"`
}

var upgrader = websocket.Upgrader{
	// The socketmode client sends Origin https://api.slack.com.
	CheckOrigin: func(*http.Request) bool { return true },
}

// handleSocket accepts the websocket that apps.connections.open pointed to.
func (s *Server) handleSocket(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	s.mu.Lock()
	used, known := s.tickets[ticket]
	if known && !used {
		s.tickets[ticket] = true
	}
	s.mu.Unlock()
	if !known || used {
		http.Error(w, "unknown or used ticket", http.StatusUnauthorized)
		return
	}

	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &socketConn{ws: ws, done: make(chan struct{})}

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		c.kill()
		return
	}
	if len(s.conns) >= maxConnections {
		s.mu.Unlock()
		refuseConnection(ws)
		return
	}
	s.connections++
	c.number = s.connections
	s.conns[c] = true
	numConnections := len(s.conns)
	s.wg.Add(1) // the ping loop
	s.mu.Unlock()

	go func() {
		defer s.wg.Done()
		s.pingLoop(c)
	}()

	hello := map[string]any{
		"type":            "hello",
		"num_connections": numConnections,
		"debug_info": map[string]any{
			"host":                        "fakeslack",
			"build_number":                1,
			"approximate_connection_time": 18060,
		},
		"connection_info": map[string]any{"app_id": AppID},
	}
	// The connection joins the round in the same breath as hello is
	// written: holding the write lock keeps envelopes behind hello, and a
	// client that has seen hello always finds its connection in the round
	// (so DropConnection right after a lone bot is ready drops it).
	c.writeMu.Lock()
	s.mu.Lock()
	if s.conns[c] {
		s.ready = append(s.ready, c)
		s.broadcastLocked()
	}
	s.mu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	err = c.ws.WriteJSON(hello)
	c.writeMu.Unlock()
	if err != nil {
		s.forget(c)
		return
	}

	// This handler goroutine is the connection's only reader.
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			break
		}
		// Timed on arrival, so waiting for the server's lock behind other
		// people's requests does not count against the bot.
		s.receiveAck(c, data, time.Now())
	}
	s.forget(c)
}

// refuseConnection turns away a connection beyond maxConnections as Slack
// does: the websocket opens (apps.connections.open gave its ticket), then
// instead of hello comes a disconnect with reason too_many_websockets, the
// reason Slack's SDKs document for an app past its 10 connections, and the
// socket closes.
func refuseConnection(ws *websocket.Conn) {
	defer func() { _ = ws.Close() }()
	deadline := time.Now().Add(5 * time.Second)
	_ = ws.SetWriteDeadline(deadline)
	err := ws.WriteJSON(map[string]any{
		"type":       "disconnect",
		"reason":     "too_many_websockets",
		"debug_info": map[string]any{"host": "fakeslack"},
	})
	if err != nil {
		return
	}
	_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), deadline)
}

// pingLoop pings the client so its dead-connection timer stays quiet.
func (s *Server) pingLoop(c *socketConn) {
	ticker := time.NewTicker(s.pingInterval)
	defer ticker.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-ticker.C:
			// WriteControl may run alongside other writes.
			if err := c.ws.WriteControl(websocket.PingMessage, []byte("fakeslack"), time.Now().Add(5*time.Second)); err != nil {
				c.kill()
				return
			}
		}
	}
}

// forget stops sending to a connection and closes it. It is taken out of
// the pool before it dies: a sender that finds it dead must not be handed
// it again, or it would resend into the same corpse until forget ran.
func (s *Server) forget(c *socketConn) {
	defer c.kill()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.removeLocked(c)
}

// removeLocked takes c out of the pool and the round, keeping the turn on
// the connection that was to follow it. The caller holds mu.
func (s *Server) removeLocked(c *socketConn) {
	delete(s.conns, c)
	if i := slices.Index(s.ready, c); i >= 0 {
		s.ready = slices.Delete(s.ready, i, i+1)
		if i < s.turn {
			s.turn--
		}
	}
	s.broadcastLocked()
}

// upcomingLocked is the index in ready of the connection whose turn it is,
// passing over avoid when another is ready, or -1 when none is. The caller
// holds mu.
func (s *Server) upcomingLocked(avoid *socketConn) int {
	if len(s.ready) == 0 {
		return -1
	}
	i := s.turn % len(s.ready)
	if s.ready[i] == avoid && len(s.ready) > 1 {
		i = (i + 1) % len(s.ready)
	}
	return i
}

// receiveAck records an ack the bot sent back over the websocket.
func (s *Server) receiveAck(c *socketConn, data []byte, arrived time.Time) {
	var msg struct {
		EnvelopeID string          `json:"envelope_id"`
		Payload    json.RawMessage `json:"payload"`
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.failing {
		return // lost on the way, as DropConnectionAfter asked
	}
	if err := json.Unmarshal(data, &msg); err != nil || msg.EnvelopeID == "" {
		s.violateLocked("socket mode: unreadable message from the bot: %.200s", data)
		return
	}
	rec := s.sent[msg.EnvelopeID]
	if rec == nil {
		s.violateLocked("socket mode: ack for envelope %s that was never sent", msg.EnvelopeID)
		return
	}
	if rec.conn != c {
		return // answers an attempt whose connection is gone
	}
	rec.acks++
	if rec.acks > rec.written {
		s.violateLocked("socket mode: envelope %s (attempt %d) acked more than once", msg.EnvelopeID, rec.attempt)
		return
	}
	if rec.acked {
		// The ack of an attempt lost with its connection, written to the
		// next one: Slack takes either.
		return
	}
	rec.acked = true
	payload := msg.Payload
	if string(payload) == "null" {
		payload = nil
	}
	ack := Ack{EnvelopeID: msg.EnvelopeID, Payload: payload, Latency: arrived.Sub(rec.sentAt), RetryAttempt: rec.attempt, Connection: c.number}
	if ack.Latency > s.ackDeadline {
		s.violateLocked("socket mode: %s envelope %s acked after %v (Slack allows %v)", rec.envType, msg.EnvelopeID, ack.Latency.Round(time.Millisecond), s.ackDeadline)
	}
	if payload != nil && !acceptsResponsePayload[rec.envType] {
		s.violateLocked("socket mode: ack of %s envelope %s carries a payload, which Slack ignores for this type", rec.envType, msg.EnvelopeID)
	}
	s.acks = append(s.acks, ack)
	rec.ackCh <- ack
	s.broadcastLocked()
}

// Unacked counts the envelopes whose latest delivery was never
// acknowledged, those still waiting for their ack included.
func (s *Server) Unacked() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, rec := range s.sent {
		if !rec.acked {
			n++
		}
	}
	return n
}

// WaitConnected returns once a client is connected; anything sent to it
// from then on follows its "hello".
func (s *Server) WaitConnected(ctx context.Context) error {
	return s.WaitUntil(ctx, func() bool { return s.OpenConnections() > 0 })
}

// connection waits for a ready connection and takes its turn: the next in
// the round, or the one after it if that is avoid (where the previous
// attempt of a redelivery went) and another is ready.
func (s *Server) connection(ctx context.Context, avoid *socketConn) (*socketConn, error) {
	var c *socketConn
	err := s.WaitUntil(ctx, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		i := s.upcomingLocked(avoid)
		if i < 0 {
			return false
		}
		c = s.ready[i]
		s.turn = i + 1
		return true
	})
	return c, err
}

// Connections counts the websocket connections accepted so far; a
// connection refused for being one too many is not counted.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connections
}

// OpenConnections counts the connections envelopes can go to now: open, and
// past their hello.
func (s *Server) OpenConnections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.ready)
}

// AttemptConnections numbers, as Ack.Connection does, the connection each
// attempt of an envelope was written to, oldest first, Redeliver's
// included.
func (s *Server) AttemptConnections(envelopeID string) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.sent[envelopeID]; rec != nil {
		return slices.Clone(rec.connections)
	}
	return nil
}

// DropConnection abruptly closes the websocket the next envelope would go
// to (no close frame), as a network failure would; the client is expected
// to reconnect.
func (s *Server) DropConnection() {
	s.mu.Lock()
	var c *socketConn
	if i := s.upcomingLocked(nil); i >= 0 {
		c = s.ready[i]
		s.removeLocked(c)
	}
	s.mu.Unlock()
	if c != nil {
		c.kill()
	}
}

// DropConnectionAfter makes the websocket the next envelope would go to fail
// as a network does: from now on every ack the bot sends on it is lost, and
// once `envelopes` more envelopes were written to it, it is cut (no close
// frame). As Slack does, every envelope left unacked goes again on another
// connection (the client's next one, if it has no other), with the next
// retry_attempt and retry_reason "timeout".
func (s *Server) DropConnectionAfter(envelopes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.upcomingLocked(nil); i >= 0 {
		c := s.ready[i]
		c.failing, c.cutAfter = true, max(envelopes, 1)
	}
}

// cutLocked counts an envelope written to c and reports whether c must now
// be cut, as DropConnectionAfter asked. The caller holds mu.
func (s *Server) cutLocked(c *socketConn) bool {
	if !c.failing {
		return false
	}
	c.cutAfter--
	return c.cutAfter == 0
}

// Deliver sends one envelope of envType ("slash_commands", "interactive",
// "events_api") carrying payload, waiting for a connection first, and returns
// once it is acked (and redelivered and acked again, if asked). It fails if
// ctx ends or no ack comes within 5s. It returns every ack received.
func (s *Server) Deliver(ctx context.Context, envType string, payload any, opts ...DeliverOption) ([]Ack, error) {
	if _, ok := acceptsResponsePayload[envType]; !ok {
		return nil, fmt.Errorf("fakeslack: unknown envelope type %q", envType)
	}
	var cfg deliverConfig
	for _, opt := range opts {
		opt(&cfg)
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("fakeslack: marshal payload: %w", err)
	}
	s.mu.Lock()
	n := s.nextLocked()
	s.mu.Unlock()
	env := envelope{
		EnvelopeID:             fmt.Sprintf("00000000-0000-4000-8000-%012d", n),
		Type:                   envType,
		Payload:                raw,
		AcceptsResponsePayload: acceptsResponsePayload[envType],
	}

	var acks []Ack
	for attempt := 0; attempt <= cfg.redeliveries; attempt++ {
		env.RetryAttempt = attempt
		env.RetryReason = ""
		if attempt > 0 {
			env.RetryReason = "timeout"
		}
		ack, err := s.sendAndAwaitAck(ctx, env)
		if err != nil {
			return acks, err
		}
		acks = append(acks, ack)
	}
	return acks, nil
}

// sendAndAwaitAck writes one attempt and waits for its ack. If the
// connection dies first, the envelope goes again on another one with the
// next retry_attempt, as Slack retries what was never acked. An attempt
// after the first goes to another connection than the one before it, when
// there is another.
func (s *Server) sendAndAwaitAck(ctx context.Context, env envelope) (Ack, error) {
	deadline := time.NewTimer(ackWaitLimit)
	defer deadline.Stop()
	rec := &sentEnvelope{ackCh: make(chan Ack, 1)}
	var previous *socketConn
	s.mu.Lock()
	if earlier := s.sent[env.EnvelopeID]; earlier != nil {
		previous = earlier.conn
		rec.connections = slices.Clone(earlier.connections)
	}
	s.mu.Unlock()
	for {
		c, err := s.connection(ctx, previous)
		if err != nil {
			return Ack{}, fmt.Errorf("fakeslack: no socket mode connection for envelope %s: %w", env.EnvelopeID, err)
		}
		previous = c
		s.mu.Lock()
		rec.env, rec.envType, rec.attempt, rec.sentAt, rec.conn = env, env.Type, env.RetryAttempt, time.Now(), c
		s.sent[env.EnvelopeID] = rec
		// Counted before the write: the ack may come back before it returns.
		rec.written++
		rec.connections = append(rec.connections, c.number)
		s.mu.Unlock()
		if err := c.writeJSON(env); err != nil {
			// The connection died under us; Slack would send on another.
			s.mu.Lock()
			rec.written--
			rec.connections = rec.connections[:len(rec.connections)-1]
			s.mu.Unlock()
			s.forget(c)
			continue
		}
		s.mu.Lock()
		cut := s.cutLocked(c)
		s.mu.Unlock()
		if cut {
			s.forget(c)
		}

		select {
		case ack := <-rec.ackCh:
			return ack, nil
		case <-c.done:
			select {
			case ack := <-rec.ackCh: // acked just before the connection died
				return ack, nil
			default:
				env.RetryAttempt++
				env.RetryReason = "timeout"
				continue
			}
		case <-deadline.C:
			return Ack{}, fmt.Errorf("fakeslack: no ack for %s envelope %s within %v", env.Type, env.EnvelopeID, ackWaitLimit)
		case <-ctx.Done():
			return Ack{}, fmt.Errorf("fakeslack: waiting for ack of %s: %w", env.EnvelopeID, ctx.Err())
		case <-s.closedCh:
			return Ack{}, errors.New("fakeslack: server closed")
		}
	}
}

// Redeliver sends an envelope delivered earlier once more: same envelope_id,
// type and payload, the next retry_attempt and retry_reason "timeout", as
// Slack does when it never saw the ack (say, the bot restarted before
// acking). It waits for the ack like Deliver and returns it.
func (s *Server) Redeliver(ctx context.Context, envelopeID string) ([]Ack, error) {
	s.mu.Lock()
	rec := s.sent[envelopeID]
	var env envelope
	if rec != nil {
		env = rec.env
		env.RetryAttempt = rec.attempt + 1
		env.RetryReason = "timeout"
	}
	s.mu.Unlock()
	if rec == nil {
		return nil, fmt.Errorf("fakeslack: envelope %s was never delivered", envelopeID)
	}
	ack, err := s.sendAndAwaitAck(ctx, env)
	if err != nil {
		return nil, err
	}
	return []Ack{ack}, nil
}

// deliverOne is Deliver for verbs that report only the first ack.
func (s *Server) deliverOne(ctx context.Context, envType string, payload any, opts []DeliverOption) (Ack, error) {
	acks, err := s.Deliver(ctx, envType, payload, opts...)
	if len(acks) > 0 {
		return acks[0], err
	}
	return Ack{}, err
}
