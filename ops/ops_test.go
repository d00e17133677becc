package ops

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// database is a Database whose answers a test sets.
type database struct {
	heartbeatErr error
	pending      int
	pendingErr   error
}

func (d *database) Heartbeat(context.Context, time.Time) error { return d.heartbeatErr }

func (d *database) PendingOutbox(context.Context) (int, error) { return d.pending, d.pendingErr }

// leader is a Leader whose answer a test sets.
type leader struct{ leading atomic.Bool }

func (l *leader) Leading() bool { return l.leading.Load() }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// newTestMonitor is a monitor on a clock the test moves, started at start.
func newTestMonitor(db Database, start time.Time, now *time.Time) *Monitor {
	m := NewMonitor(db, &leader{}, time.Minute, quiet)
	m.now = func() time.Time { return *now }
	m.lastTick = start
	return m
}

func TestHealthz(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name         string
		connected    bool
		heartbeatErr error
		tickedAgo    time.Duration // 0: never ticked
		sinceStart   time.Duration
		wantStatus   int
		wantProblem  string
	}{
		{"all well", true, nil, 30 * time.Second, 10 * time.Minute, http.StatusOK, ""},
		{"not ticked yet, just started", true, nil, 0, 30 * time.Second, http.StatusOK, ""},
		{"one late tick is no emergency", true, nil, 150 * time.Second, 10 * time.Minute, http.StatusOK, ""},
		{"socket down", false, nil, 30 * time.Second, 10 * time.Minute, http.StatusServiceUnavailable, "not connected to Slack"},
		{"database takes no writes", true, errors.New("disk I/O error"), 30 * time.Second, 10 * time.Minute, http.StatusServiceUnavailable, "disk I/O error"},
		{"scheduler stuck", true, nil, 4 * time.Minute, 10 * time.Minute, http.StatusServiceUnavailable, "has not ticked for 4m0s"},
		{"scheduler never ticked", true, nil, 0, 4 * time.Minute, http.StatusServiceUnavailable, "has not ticked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := start
			m := newTestMonitor(&database{heartbeatErr: tt.heartbeatErr}, start, &now)
			m.SocketConnected(tt.connected)
			now = start.Add(tt.sinceStart)
			if tt.tickedAgo > 0 {
				saved := now
				now = now.Add(-tt.tickedAgo)
				m.Ticked()
				now = saved
			}

			rec := httptest.NewRecorder()
			m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
			if rec.Code != tt.wantStatus {
				t.Errorf("status %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			var h Health
			if err := json.Unmarshal(rec.Body.Bytes(), &h); err != nil {
				t.Fatal(err)
			}
			wantAge := tt.tickedAgo
			if wantAge == 0 {
				wantAge = tt.sinceStart
			}
			if h.Healthy != (tt.wantStatus == http.StatusOK) || h.SocketConnected != tt.connected ||
				h.DatabaseWritable != (tt.heartbeatErr == nil) || h.LastTickAgeSeconds != wantAge.Seconds() {
				t.Errorf("health %+v", h)
			}
			if tt.wantProblem != "" && !slices.ContainsFunc(h.Problems, func(p string) bool { return strings.Contains(p, tt.wantProblem) }) {
				t.Errorf("problems %q do not say %q", h.Problems, tt.wantProblem)
			}
		})
	}
}

func TestHealthzSaysWhetherThisReplicaLeads(t *testing.T) {
	for _, leading := range []bool{false, true} {
		lead := &leader{}
		lead.leading.Store(leading)
		m := NewMonitor(&database{}, lead, time.Minute, quiet)
		m.SocketConnected(true)
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
		var h Health
		if err := json.Unmarshal(rec.Body.Bytes(), &h); err != nil {
			t.Fatal(err)
		}
		// A follower is as healthy as the leader.
		if rec.Code != http.StatusOK || h.Leader != leading {
			t.Errorf("leading %v: status %d, %s", leading, rec.Code, rec.Body)
		}
	}
}

func TestMetrics(t *testing.T) {
	db := &database{pending: 7}
	lead := &leader{}
	m := NewMonitor(db, lead, time.Minute, quiet)
	m.SocketConnected(true)
	m.EnvelopeReceived("command", false)
	m.EnvelopeReceived("command", true)
	m.EnvelopeAcked(12 * time.Millisecond)
	m.EnvelopeAcked(40 * time.Millisecond)
	m.SlackRequest("chat.postMessage", "ok")
	m.SlackRequest("chat.postMessage", "rate_limited")

	body := scrape(t, m)
	for _, want := range []string{
		`mentorbot_envelopes_received_total{kind="command",redelivered="false"} 1`,
		`mentorbot_envelopes_received_total{kind="command",redelivered="true"} 1`,
		`mentorbot_ack_latency_seconds_bucket{le="0.02"} 1`,
		`mentorbot_ack_latency_seconds_bucket{le="0.05"} 2`,
		`mentorbot_ack_latency_seconds_count 2`,
		`mentorbot_slack_requests_total{method="chat.postMessage",outcome="ok"} 1`,
		`mentorbot_slack_requests_total{method="chat.postMessage",outcome="rate_limited"} 1`,
		`mentorbot_socket_connected 1`,
		`mentorbot_outbox_pending 7`,
		`mentorbot_leader 0`,
		`mentorbot_scheduler_last_tick_timestamp_seconds `,
		`go_goroutines `,
		`process_start_time_seconds `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}

	lead.leading.Store(true)
	if body := scrape(t, m); !strings.Contains(body, "mentorbot_leader 1") {
		t.Errorf("leading, /metrics lacks mentorbot_leader 1")
	}

	// A database that cannot be read costs the outbox figure, not the scrape.
	db.pendingErr = errors.New("database is locked")
	body = scrape(t, m)
	if strings.Contains(body, "mentorbot_outbox_pending ") || !strings.Contains(body, "mentorbot_socket_connected 1") {
		t.Errorf("with the database unreadable, /metrics is:\n%s", body)
	}
}

func scrape(t *testing.T, m *Monitor) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics answered %d: %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

func TestServeStopsWithTheContext(t *testing.T) {
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m := NewMonitor(&database{}, &leader{}, time.Minute, quiet)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- m.Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve stopped with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not stop within 10s of its context ending")
	}
}
