package bot

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// RecordingMeter remembers what a Meter hears, for tests here and in bot_test.
type RecordingMeter struct {
	mu        sync.Mutex
	connected bool
	envelopes map[string]int // by "kind" or "kind redelivered"
	acks      int
	requests  map[string]int // by "method outcome"
	// heard is closed and replaced whenever the meter hears anything.
	heard chan struct{}
}

func NewRecordingMeter() *RecordingMeter {
	return &RecordingMeter{envelopes: map[string]int{}, requests: map[string]int{}, heard: make(chan struct{})}
}

// WaitUntil returns once cond holds, checking it whenever the meter hears
// something, or ctx's error if ctx ends first.
func (m *RecordingMeter) WaitUntil(ctx context.Context, cond func() bool) error {
	for {
		m.mu.Lock()
		heard := m.heard
		m.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-heard:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// heardLocked wakes WaitUntil; m.mu is held.
func (m *RecordingMeter) heardLocked() {
	close(m.heard)
	m.heard = make(chan struct{})
}

func (m *RecordingMeter) SocketConnected(connected bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.connected = connected
	m.heardLocked()
}

func (m *RecordingMeter) EnvelopeReceived(kind string, redelivered bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if redelivered {
		kind += " redelivered"
	}
	m.envelopes[kind]++
	m.heardLocked()
}

func (m *RecordingMeter) EnvelopeAcked(time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.acks++
	m.heardLocked()
}

func (m *RecordingMeter) SlackRequest(method, outcome string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[method+" "+outcome]++
	m.heardLocked()
}

// Connected is what the meter last heard of the socket.
func (m *RecordingMeter) Connected() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.connected
}

// Envelopes counts envelopes heard by kind, and "kind redelivered".
func (m *RecordingMeter) Envelopes() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.envelopes)
}

// Acks counts the acks heard.
func (m *RecordingMeter) Acks() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.acks
}

// Requests counts Web API requests heard, by "method outcome".
func (m *RecordingMeter) Requests() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.requests)
}

func TestSenderTellsTheMeterEachRequestsOutcome(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault *fakeslack.Fault
		user  string
		want  map[string]int
	}{
		{"ok", nil, "U1ADA", map[string]int{"users.info ok": 1}},
		{"rate limited, then ok", &fakeslack.Fault{Status: 429, RetryAfter: time.Second}, "U1ADA", map[string]int{"users.info rate_limited": 1, "users.info ok": 1}},
		{"server error, then ok", &fakeslack.Fault{Status: 503}, "U1ADA", map[string]int{"users.info server_error": 1, "users.info ok": 1}},
		{"Slack says no", nil, "U1NOBODY", map[string]int{"users.info error": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, s, clock := newTestSender(t)
			meter := NewRecordingMeter()
			s.meter = meter
			if tt.fault != nil {
				srv.FailNext("users.info", *tt.fault)
			}
			// The email lookup is its own call but the same Web API method.
			clock.drive(t, func() { _, _ = s.user(clock.context(t, 10*time.Second), tt.user) })
			if got := meter.Requests(); !maps.Equal(got, tt.want) {
				t.Errorf("meter heard %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRequestOutcome(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want string
	}{
		{nil, OutcomeOK},
		{&slack.RateLimitedError{RetryAfter: time.Second}, OutcomeRateLimited},
		{fmt.Errorf("users.info: %w", slack.StatusCodeError{Code: 502}), OutcomeServerError},
		{slack.StatusCodeError{Code: 404}, OutcomeError},
		{slack.SlackErrorResponse{Err: "channel_not_found"}, OutcomeError},
	}
	for _, tt := range tests {
		if got := requestOutcome(tt.err); got != tt.want {
			t.Errorf("requestOutcome(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}
