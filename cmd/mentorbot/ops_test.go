package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/app"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
	"github.com/mentorbot/mentorbot/ops"
)

// TestRunServesHealthAndMetrics runs the app as `mentorbot run` does, with
// MENTORBOT_HTTP_ADDR on a free port, and reads /healthz and /metrics the
// way Prometheus and a container's probe would.
func TestRunServesHealthAndMetrics(t *testing.T) {
	slack := runAgainstFakeSlack(t)
	t.Setenv("MENTORBOT_HTTP_ADDR", "127.0.0.1:0")
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var logs lockedBuffer
	a, err := app.Open(ctx, cfg.appConfig(), mentorbot.SystemClock{}, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + a.OpsAddr().String()
	stopped := make(chan error, 1)
	go func() { stopped <- a.Run(ctx) }()
	select {
	case <-a.Bot.Ready():
	case <-time.After(10 * time.Second):
		t.Fatalf("the bot was not ready within 10s:\n%s", logs.String())
	}

	waitHealth(t, base, "the bot is up", func(status int, h ops.Health) bool {
		return status == http.StatusOK && h.Healthy && h.SocketConnected && h.DatabaseWritable
	})

	wait, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ada := slack.Person("U0ADA")
	if _, err := ada.Types(wait, "/mentor help"); err != nil {
		t.Fatal(err)
	}
	if _, err := ada.Types(wait, "/mentor join"); err != nil {
		t.Fatal(err)
	}
	if _, err := ada.WaitModal(wait, "Join mentorbot"); err != nil {
		t.Fatal(err)
	}
	waitMetrics(t, base,
		`mentorbot_envelopes_received_total{kind="command",redelivered="false"} 2`,
		`mentorbot_ack_latency_seconds_count 2`,
		`mentorbot_slack_requests_total{method="views.open",outcome="ok"} 1`,
		`mentorbot_socket_connected 1`,
		`mentorbot_outbox_pending 0`,
	)

	// Slack drops the connection and refuses a new one for the rest of the test.
	slack.FailNext("apps.connections.open", fakeslack.Fault{Status: http.StatusInternalServerError, Times: 1000})
	slack.DropConnection()
	waitHealth(t, base, "the socket is down", func(status int, h ops.Health) bool {
		return status == http.StatusServiceUnavailable && !h.SocketConnected && h.DatabaseWritable
	})
	// The database goes too.
	a.DB.Close()
	waitHealth(t, base, "the database is gone", func(status int, h ops.Health) bool {
		return status == http.StatusServiceUnavailable && !h.DatabaseWritable
	})

	stop()
	select {
	case err := <-stopped:
		if err != nil {
			t.Fatalf("run stopped with %v:\n%s", err, logs.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not stop within 15s")
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("/healthz still answers after the app stopped")
	}
}

// TestRunStopsWhenTheHTTPPortIsTaken: a port in use stops start-up with
// one line naming the variable, before the bot connects.
func TestRunStopsWhenTheHTTPPortIsTaken(t *testing.T) {
	taken, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	unsetConfig(t)
	t.Setenv("SLACK_BOT_TOKEN", fakeslack.BotToken)
	t.Setenv("SLACK_APP_TOKEN", fakeslack.AppToken)
	t.Setenv("SLACK_API_URL", "http://127.0.0.1:9/api/") // never reached
	t.Setenv("MENTORBOT_DB", filepath.Join(t.TempDir(), "mentorbot.db"))
	t.Setenv("MENTORBOT_HTTP_ADDR", taken.Addr().String())
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), []string{"run"}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, stderr.String())
	}
	if out := stderr.String(); strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, "mentorbot: MENTORBOT_HTTP_ADDR: ") {
		t.Errorf("stderr %q, want one line naming MENTORBOT_HTTP_ADDR", out)
	}
}

// waitHealth polls /healthz until ok holds for its answer, for up to 10s.
func waitHealth(t *testing.T, base, what string, ok func(status int, h ops.Health) bool) {
	t.Helper()
	var last string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		status, body := get(t, base+"/healthz")
		var h ops.Health
		if err := json.Unmarshal([]byte(body), &h); err != nil {
			t.Fatalf("/healthz answered %d with %q: %v", status, body, err)
		}
		if ok(status, h) {
			return
		}
		last = body
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("/healthz never showed %s; last answer %s", what, last)
}

// waitMetrics polls /metrics until it has every line, for up to 10s.
func waitMetrics(t *testing.T, base string, lines ...string) {
	t.Helper()
	var body string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		_, body = get(t, base+"/metrics")
		missing := false
		for _, line := range lines {
			missing = missing || !strings.Contains(body, "\n"+line+"\n")
		}
		if !missing {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, line := range lines {
		if !strings.Contains(body, "\n"+line+"\n") {
			t.Errorf("/metrics lacks %s", line)
		}
	}
	t.FailNow()
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	client := http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}
