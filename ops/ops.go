// Package ops is what an operator watches mentorbot by: a health check and
// Prometheus metrics, served over HTTP. The bot and the scheduler tell a
// Monitor what they do, through their own small interfaces; this is the
// only package that imports the Prometheus client.
package ops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Database is what the monitor reads from and writes to the store.
type Database interface {
	// Heartbeat proves the database takes writes.
	Heartbeat(ctx context.Context, at time.Time) error
	// PendingOutbox counts the messages waiting to be sent.
	PendingOutbox(ctx context.Context) (int, error)
}

// Leader says whether this replica leads the timed work.
type Leader interface {
	Leading() bool
}

// staleTicks is how many tick intervals may pass without a tick before the
// scheduler counts as stuck: one late tick is no emergency.
const staleTicks = 3

// checkTimeout bounds one look at the database, for /healthz or a scrape;
// a probe that waits longer than this has its answer anyway.
const checkTimeout = 3 * time.Second

// ackBuckets suit Slack's 3 s deadline for an ack, finely under 50 ms where
// a healthy bot answers.
var ackBuckets = []float64{.001, .0025, .005, .01, .02, .035, .05, .1, .25, .5, 1, 2, 3, 5}

// Monitor hears what the bot and the scheduler do, and serves it as
// /metrics and /healthz.
type Monitor struct {
	db     Database
	leader Leader
	tick   time.Duration
	log    *slog.Logger
	now    func() time.Time

	registry      *prometheus.Registry
	envelopes     *prometheus.CounterVec
	ackLatency    prometheus.Histogram
	slackRequests *prometheus.CounterVec

	mu        sync.Mutex
	connected bool
	// lastTick is the scheduler's last tick or, before its first, when the
	// monitor started, so a scheduler that never ticks is found out too.
	lastTick time.Time
}

// NewMonitor makes a monitor for a scheduler ticking every tick, on a
// replica whose leadership is leader.
func NewMonitor(db Database, leader Leader, tick time.Duration, log *slog.Logger) *Monitor {
	m := &Monitor{db: db, leader: leader, tick: tick, log: log, now: time.Now, registry: prometheus.NewRegistry()}
	m.lastTick = m.now()
	m.envelopes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "mentorbot_envelopes_received_total",
		Help: "Socket Mode envelopes received, by kind (command, interaction, event) and whether Slack redelivered them.",
	}, []string{"kind", "redelivered"})
	m.ackLatency = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "mentorbot_ack_latency_seconds",
		Help:    "Time from an envelope's arrival to its ack; Slack gives up after 3 s.",
		Buckets: ackBuckets,
	})
	m.slackRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "mentorbot_slack_requests_total",
		Help: "Requests sent to the Slack Web API, retries included, by method and outcome (ok, rate_limited, server_error, error).",
	}, []string{"method", "outcome"})
	m.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.envelopes, m.ackLatency, m.slackRequests,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "mentorbot_socket_connected",
			Help: "1 while the Socket Mode connection to Slack is up, else 0.",
		}, func() float64 {
			if m.socketConnected() {
				return 1
			}
			return 0
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "mentorbot_scheduler_last_tick_timestamp_seconds",
			Help: "When the scheduler last ticked (Unix time), or started if it has not ticked yet.",
		}, func() float64 { return float64(m.lastTickAt().UnixMilli()) / 1000 }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "mentorbot_leader",
			Help: "1 while this replica leads the timed work (reminders, planning, housekeeping), else 0.",
		}, func() float64 {
			if leader.Leading() {
				return 1
			}
			return 0
		}),
		outboxCollector{m},
	)
	return m
}

// SocketConnected records whether Slack can reach the bot.
func (m *Monitor) SocketConnected(connected bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.connected = connected
}

// EnvelopeReceived counts one delivery of an envelope.
func (m *Monitor) EnvelopeReceived(kind string, redelivered bool) {
	m.envelopes.WithLabelValues(kind, fmt.Sprint(redelivered)).Inc()
}

// EnvelopeAcked records how long an envelope waited for its ack.
func (m *Monitor) EnvelopeAcked(latency time.Duration) {
	m.ackLatency.Observe(latency.Seconds())
}

// SlackRequest counts one Web API request by method and outcome.
func (m *Monitor) SlackRequest(method, outcome string) {
	m.slackRequests.WithLabelValues(method, outcome).Inc()
}

// Ticked records a tick of the scheduler.
func (m *Monitor) Ticked() {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lastTick = now
}

func (m *Monitor) socketConnected() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.connected
}

func (m *Monitor) lastTickAt() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lastTick
}

// outboxCollector reads the outbox's depth at each scrape, so the figure is
// never older than the scrape.
type outboxCollector struct{ m *Monitor }

var outboxPending = prometheus.NewDesc("mentorbot_outbox_pending", "Outbox messages not yet sent (due or not).", nil, nil)

func (c outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- outboxPending }

func (c outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	n, err := c.m.db.PendingOutbox(ctx)
	if err != nil {
		// The scrape goes on without this figure; the handler logs why.
		ch <- prometheus.NewInvalidMetric(outboxPending, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(outboxPending, prometheus.GaugeValue, float64(n))
}

// Health is the answer of /healthz.
type Health struct {
	Healthy          bool `json:"healthy"`
	SocketConnected  bool `json:"socket_connected"`
	DatabaseWritable bool `json:"database_writable"`
	// LastTickAgeSeconds is the time since the scheduler's last tick, or
	// since start-up before its first.
	LastTickAgeSeconds float64 `json:"last_tick_age_seconds"`
	// Leader says whether this replica runs the timed work; a follower
	// is healthy, and takes the lead when the leader goes.
	Leader bool `json:"leader"`
	// Problems says in words what makes the bot unhealthy.
	Problems []string `json:"problems,omitempty"`
}

// Check looks at the bot's health now: the socket is up, the database
// takes a write, and the scheduler ticked lately.
func (m *Monitor) Check(ctx context.Context) Health {
	now := m.now()
	h := Health{SocketConnected: m.socketConnected(), DatabaseWritable: true, Leader: m.leader.Leading()}
	if !h.SocketConnected {
		h.Problems = append(h.Problems, "not connected to Slack over Socket Mode")
	}
	if err := m.db.Heartbeat(ctx, now); err != nil {
		h.DatabaseWritable = false
		h.Problems = append(h.Problems, "the database takes no writes: "+err.Error())
	}
	age := now.Sub(m.lastTickAt())
	h.LastTickAgeSeconds = age.Round(time.Millisecond).Seconds()
	if limit := staleTicks * m.tick; age > limit {
		h.Problems = append(h.Problems, fmt.Sprintf("the scheduler has not ticked for %s (it should every %s)", age.Round(time.Second), m.tick))
	}
	h.Healthy = len(h.Problems) == 0
	return h
}

// Handler serves /healthz and /metrics.
func (m *Monitor) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", m.serveHealth)
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(m.log.Handler(), slog.LevelError),
		ErrorHandling: promhttp.ContinueOnError,
	}))
	return mux
}

func (m *Monitor) serveHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), checkTimeout)
	defer cancel()
	h := m.Check(ctx)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if !h.Healthy {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	if err := json.NewEncoder(w).Encode(h); err != nil {
		m.log.Warn("could not write the health check's answer", "err", err)
	}
}

// shutdownTimeout bounds how long a stop waits for a scrape in flight.
const shutdownTimeout = 5 * time.Second

// Serve answers /healthz and /metrics on ln until ctx ends.
func (m *Monitor) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: m.Handler(), ReadHeaderTimeout: checkTimeout}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	stopCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(stopCtx)
	if serveErr := <-served; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return err
}
