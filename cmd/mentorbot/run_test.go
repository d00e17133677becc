package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// lockedBuffer collects the log while the bot writes it from many goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRunServesUntilStopped runs `mentorbot run` as an operator would,
// configured only through the environment, against the fake Slack; a stop
// signal (the context) ends it cleanly with exit code 0.
func TestRunServesUntilStopped(t *testing.T) {
	slack := runAgainstFakeSlack(t)

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var stdout bytes.Buffer
	var stderr lockedBuffer
	exit := make(chan int, 1)
	go func() { exit <- runMain(ctx, []string{"run"}, &stdout, &stderr) }()

	wait, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := slack.Person("U0ADA").Types(wait, "/mentor help"); err != nil {
		t.Fatal(err)
	}
	if _, err := slack.Person("U0ADA").WaitReply(wait, "/mentor join"); err != nil {
		t.Fatal(err)
	}

	stop()
	select {
	case code := <-exit:
		if code != 0 {
			t.Fatalf("run exited %d after a stop:\n%s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop within 10s of the signal")
	}
	if log := stderr.String(); !strings.Contains(log, "connected to Slack") || !strings.Contains(log, "msg=ready after=") || !strings.Contains(log, "stopped") {
		t.Errorf("the log does not tell the story of the run:\n%s", log)
	}
}

// TestRunReportsRefusedTokens: well-formed tokens that Slack refuses stop
// run with a message naming the variable to fix.
func TestRunReportsRefusedTokens(t *testing.T) {
	tests := []struct {
		name, bot, app, says string
	}{
		{"bot token refused", "xoxb-revoked", fakeslack.AppToken, "SLACK_BOT_TOKEN"},
		{"app token refused", fakeslack.BotToken, "xapp-revoked", "SLACK_APP_TOKEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			slack := fakeslack.New()
			defer slack.Close()
			unsetConfig(t)
			t.Setenv("SLACK_BOT_TOKEN", tt.bot)
			t.Setenv("SLACK_APP_TOKEN", tt.app)
			t.Setenv("SLACK_API_URL", slack.APIURL())
			t.Setenv("MENTORBOT_DB", filepath.Join(t.TempDir(), "mentorbot.db"))
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var stdout bytes.Buffer
			var stderr lockedBuffer
			if code := runMain(ctx, []string{"run"}, &stdout, &stderr); code != 1 {
				t.Fatalf("exit %d, want 1:\n%s", code, stderr.String())
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "mentorbot: ") || !strings.Contains(last, tt.says) || !strings.Contains(last, "invalid_auth") {
				t.Errorf("last line %q does not name %s and Slack's answer", last, tt.says)
			}
		})
	}
}

// runAgainstFakeSlack starts a fake Slack with Ada in it and configures
// `mentorbot run`, through the environment only, to use it and a fresh
// database.
func runAgainstFakeSlack(t *testing.T) *fakeslack.Server {
	t.Helper()
	slack := fakeslack.New()
	t.Cleanup(slack.Close)
	slack.AddUser(fakeslack.User{ID: "U0ADA", Name: "ada", TZ: "Europe/London"})
	unsetConfig(t)
	t.Setenv("SLACK_BOT_TOKEN", fakeslack.BotToken)
	t.Setenv("SLACK_APP_TOKEN", fakeslack.AppToken)
	t.Setenv("SLACK_API_URL", slack.APIURL())
	t.Setenv("MENTORBOT_DB", filepath.Join(t.TempDir(), "mentorbot.db"))
	return slack
}
