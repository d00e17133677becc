package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot/calendar/fakegraph"
)

// configVariables are unset before each case so the machine's own
// environment cannot leak into a test.
var configVariables = []string{"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_API_URL", "MENTORBOT_DB", "MENTORBOT_ADMINS", "MENTORBOT_HR_CHANNEL", "MENTORBOT_CELEBRATE_CHANNEL", "MENTORBOT_TIMEZONE", "MENTORBOT_LOG_LEVEL", "MENTORBOT_SHUTDOWN_TIMEOUT", "MENTORBOT_TICK", "MENTORBOT_REMINDER_LEADS", "MENTORBOT_POST_RATE", "MENTORBOT_OUTBOX_LEASE", "MENTORBOT_ONBOARDING", "MENTORBOT_HTTP_ADDR",
	"MENTORBOT_CALENDAR", "MENTORBOT_GOOGLE_CREDENTIALS", "MENTORBOT_GOOGLE_API_URL", "MENTORBOT_MS_TENANT", "MENTORBOT_MS_CLIENT_ID", "MENTORBOT_MS_CLIENT_SECRET", "MENTORBOT_MS_GRAPH_URL", "MENTORBOT_MS_LOGIN_URL"}

func TestRunStopsOnBadConfiguration(t *testing.T) {
	good := map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}
	tests := []struct {
		name string
		env  map[string]string
		says string
	}{
		{"no tokens", map[string]string{"SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": ""}, "SLACK_BOT_TOKEN: is not set"},
		{"no app token", map[string]string{"SLACK_APP_TOKEN": ""}, "SLACK_APP_TOKEN: is not set"},
		{"app token as bot token", map[string]string{"SLACK_BOT_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN: holds an app-level token"},
		{"bot token as app token", map[string]string{"SLACK_APP_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN: holds a bot token"},
		{"both swapped", map[string]string{"SLACK_BOT_TOKEN": "xapp-1", "SLACK_APP_TOKEN": "xoxb-1"}, "SLACK_BOT_TOKEN: holds an app-level token"},
		{"user token", map[string]string{"SLACK_BOT_TOKEN": "xoxp-1"}, "SLACK_BOT_TOKEN: is not a bot token"},
		{"unparsable URL", map[string]string{"SLACK_API_URL": "://nope"}, "SLACK_API_URL: \"://nope\" is not a URL"},
		{"URL without host", map[string]string{"SLACK_API_URL": "https:///api/"}, "SLACK_API_URL:"},
		{"admin not a user ID", map[string]string{"MENTORBOT_ADMINS": "U123ABC,bob"}, "MENTORBOT_ADMINS: \"bob\" is not a Slack user ID"},
		{"channel name instead of ID", map[string]string{"MENTORBOT_HR_CHANNEL": "#hr"}, "MENTORBOT_HR_CHANNEL: \"#hr\" is not a channel ID"},
		{"celebration channel by name", map[string]string{"MENTORBOT_CELEBRATE_CHANNEL": "#kudos"}, "MENTORBOT_CELEBRATE_CHANNEL: \"#kudos\" is not a channel ID"},
		{"unknown time zone", map[string]string{"MENTORBOT_TIMEZONE": "Moon/Base"}, "MENTORBOT_TIMEZONE: \"Moon/Base\" is not a time zone"},
		{"unparsable duration", map[string]string{"MENTORBOT_SHUTDOWN_TIMEOUT": "ten seconds"}, "MENTORBOT_SHUTDOWN_TIMEOUT: \"ten seconds\" is not a duration; write it like 30s"},
		{"duration out of range", map[string]string{"MENTORBOT_SHUTDOWN_TIMEOUT": "2h"}, "MENTORBOT_SHUTDOWN_TIMEOUT: 2h0m0s is out of range"},
		{"unknown log level", map[string]string{"MENTORBOT_LOG_LEVEL": "loud"}, "MENTORBOT_LOG_LEVEL: \"loud\" is not a level"},
		{"lead not a duration", map[string]string{"MENTORBOT_REMINDER_LEADS": "24h,an hour"}, "MENTORBOT_REMINDER_LEADS: \"24h,an hour\" is not a list of durations; write it like 24h,1h"},
		{"lead too short", map[string]string{"MENTORBOT_REMINDER_LEADS": "24h,1m"}, "MENTORBOT_REMINDER_LEADS: 1m0s is out of range"},
		{"lead twice", map[string]string{"MENTORBOT_REMINDER_LEADS": "1h,1h"}, "MENTORBOT_REMINDER_LEADS: 1h0m0s is given twice"},
		{"too many leads", map[string]string{"MENTORBOT_REMINDER_LEADS": "48h,24h,4h,1h,15m"}, "MENTORBOT_REMINDER_LEADS: give 1 to 4"},
		{"post rate too high", map[string]string{"MENTORBOT_POST_RATE": "5000"}, "MENTORBOT_POST_RATE: 5000 is out of range"},
		{"post rate not a number", map[string]string{"MENTORBOT_POST_RATE": "fast"}, "MENTORBOT_POST_RATE: \"fast\" is not a number"},
		{"outbox lease shorter than a claim takes", map[string]string{"MENTORBOT_OUTBOX_LEASE": "10s"}, "MENTORBOT_OUTBOX_LEASE: 10s is out of range; use between 40s (twice what a claim of 100 messages takes at MENTORBOT_POST_RATE=5) and 1h"},
		{"outbox lease too short at any pace", map[string]string{"MENTORBOT_OUTBOX_LEASE": "1s", "MENTORBOT_POST_RATE": "500"}, "MENTORBOT_OUTBOX_LEASE: 1s is out of range; use between 5s"},
		{"outbox lease too long", map[string]string{"MENTORBOT_OUTBOX_LEASE": "2h"}, "MENTORBOT_OUTBOX_LEASE: 2h0m0s is out of range"},
		{"HTTP address without a port", map[string]string{"MENTORBOT_HTTP_ADDR": "localhost"}, "MENTORBOT_HTTP_ADDR: \"localhost\" is not host:port"},
		{"HTTP port not a number", map[string]string{"MENTORBOT_HTTP_ADDR": ":metrics"}, "MENTORBOT_HTTP_ADDR: \":metrics\" is not host:port"},
		{"unknown calendar", map[string]string{"MENTORBOT_CALENDAR": "outlook"}, "MENTORBOT_CALENDAR: \"outlook\" is not a calendar"},
		{"google without a key", map[string]string{"MENTORBOT_CALENDAR": "google"}, "MENTORBOT_GOOGLE_CREDENTIALS: is not set"},
		{"google key missing", map[string]string{"MENTORBOT_CALENDAR": "google", "MENTORBOT_GOOGLE_CREDENTIALS": "/nonexistent/key.json"}, "MENTORBOT_GOOGLE_CREDENTIALS: open /nonexistent/key.json"},
		{"microsoft without a tenant", map[string]string{"MENTORBOT_CALENDAR": "microsoft"}, "MENTORBOT_MS_TENANT: is not set"},
		{"microsoft secret refused", refusedSecret(t), "MENTORBOT_MS_CLIENT_SECRET: oauth2:"},
		{"HTTP port out of range", map[string]string{"MENTORBOT_HTTP_ADDR": "127.0.0.1:70000"}, "MENTORBOT_HTTP_ADDR: \"127.0.0.1:70000\" is not host:port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			unsetConfig(t)
			for k, v := range good {
				t.Setenv(k, v)
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var stdout, stderr bytes.Buffer
			code := runMain(context.Background(), []string{"run"}, &stdout, &stderr)
			if code != 2 {
				t.Errorf("exit code %d, want 2", code)
			}
			out := stderr.String()
			if strings.Count(out, "\n") != 1 || !strings.Contains(out, tt.says) {
				t.Errorf("stderr %q, want one line saying %q", out, tt.says)
			}
		})
	}
}

// refusedSecret points the bot at a fake Microsoft tenant with the wrong
// client secret: the token request at start-up is refused.
func refusedSecret(t *testing.T) map[string]string {
	graph, err := fakegraph.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(graph.Close)
	return map[string]string{
		"MENTORBOT_CALENDAR": "microsoft", "MENTORBOT_MS_TENANT": fakegraph.Tenant, "MENTORBOT_MS_CLIENT_ID": fakegraph.ClientID,
		"MENTORBOT_MS_CLIENT_SECRET": "guessed", "MENTORBOT_MS_GRAPH_URL": graph.GraphURL(), "MENTORBOT_MS_LOGIN_URL": graph.LoginURL(),
	}
}

func TestLoadConfigDefaultsAndTidying(t *testing.T) {
	unsetConfig(t)
	t.Setenv("SLACK_API_URL", "http://127.0.0.1:9/api")
	t.Setenv("MENTORBOT_ADMINS", "U1AAA, W2BBB")
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.APIURL != "http://127.0.0.1:9/api/" {
		t.Errorf("APIURL %q: the Slack client needs the trailing slash", cfg.APIURL)
	}
	if len(cfg.Admins) != 2 || cfg.Admins[1] != "W2BBB" {
		t.Errorf("admins %q", cfg.Admins)
	}
	if len(cfg.ReminderLeads) != 2 || cfg.ReminderLeads[0] != 24*time.Hour || cfg.ReminderLeads[1] != time.Hour || cfg.PostRate != 5 {
		t.Errorf("reminder defaults not applied: %v, %g", cfg.ReminderLeads, cfg.PostRate)
	}
	if cfg.DB != "mentorbot.db" || cfg.TimeZone != "UTC" || cfg.LogLevel != "info" || cfg.HTTPAddr != "" {
		t.Errorf("defaults not applied: %+v", cfg)
	}
}

func unsetConfig(t *testing.T) {
	for _, v := range configVariables {
		t.Setenv(v, "") // restores the variable after the test
		os.Unsetenv(v)
	}
}

func TestHelpListsCommandsAndVariables(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), []string{"help"}, &stdout, &stderr); code != 0 {
		t.Fatalf("help exited %d: %s", code, stderr.String())
	}
	for _, want := range append([]string{"mentorbot run", "mentorbot demo", "mentorbot backup FILE", "mentorbot copy-db FROM TO", "mentorbot help", "https://slack.com/api/", "mentorbot.db"}, configVariables...) {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("help does not mention %q", want)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), []string{"serve"}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), `no command "serve"`) {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
}
