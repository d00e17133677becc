// Command mentorbot runs a reverse-mentoring programme inside Slack.
//
//	mentorbot run          connect to Slack over Socket Mode and serve
//	mentorbot demo         play a whole cycle against a built-in fake Slack
//	mentorbot load         measure reminders, a crash, ack latency, memory and start-up against a fake Slack
//	mentorbot backup FILE  copy the database to FILE, safely while the bot runs
//	mentorbot copy-db FROM TO  copy the whole programme into a new, empty database, as from SQLite to PostgreSQL
//	mentorbot help         list commands and configuration
//
// With MENTORBOT_HTTP_ADDR set, run also serves /healthz and Prometheus
// /metrics there.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/app"
	"github.com/mentorbot/mentorbot/bot"
	"github.com/mentorbot/mentorbot/scheduler"
)

// mainStarted is when this process's own code began, after the runtime and
// the libraries set themselves up; the ready log line counts from here.
var mainStarted = time.Now()

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runMain(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// runMain runs a subcommand and returns the process's exit code: 0 when
// it went well, 1 when it failed, 2 when it was called wrongly.
func runMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	name := "help"
	if len(args) > 0 {
		name = args[0]
	}
	var err error
	switch name {
	case "run":
		err = runCommand(ctx, stderr)
	case "demo":
		err = demoCommand(ctx, args[1:], stdout)
	case "load":
		err = loadCommand(ctx, args[1:], stdout)
	case "backup":
		err = backupCommand(ctx, args[1:], stdout)
	case "copy-db":
		err = copyDBCommand(ctx, args[1:], stdout)
	case "help", "-h", "-help", "--help":
		err = printHelp(stdout)
	default:
		fmt.Fprintf(stderr, "mentorbot: there is no command %q; run mentorbot help to see the commands\n", name)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "mentorbot: %v\n", err)
		if _, isUsage := err.(usageError); isUsage {
			return 2
		}
		return 1
	}
	return 0
}

// usageError is a mistake in how mentorbot was started, as opposed to a
// failure while running.
type usageError struct{ error }

func runCommand(ctx context.Context, stderr io.Writer) error {
	cfg, err := loadConfig()
	if err == nil {
		err = cfg.requireTokens()
	}
	if err == nil {
		err = cfg.openCalendar(ctx)
	}
	if err != nil {
		return usageError{err}
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(heapBudget)
	}
	level, _ := cfg.slogLevel()
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	a, err := app.Open(ctx, cfg.appConfig(), mentorbot.SystemClock{}, log)
	if err != nil {
		return err
	}
	return serve(ctx, a, log)
}

// heapBudget is the Go heap's share of the bot's 50 MB resident budget,
// unless GOMEMLIMIT says otherwise; the rest is the program's code and
// SQLite's page caches. Near it, garbage is collected sooner instead of
// the heap doubling as it would by default; the live heap with 10,000
// participants stays near 13 MB, so the collector has room to work.
const heapBudget = 20 << 20

// outboxLanes is how many messages go out side by side: enough to keep
// Slack's pace with a few calls in flight, few enough that a crash repeats
// little.
const outboxLanes = 8

// appConfig is what the app is wired from, read from the configuration.
func (c Config) appConfig() app.Config {
	return app.Config{
		DB: c.DB,
		Bot: bot.Config{
			BotToken: c.BotToken, AppToken: c.AppToken, APIURL: c.APIURL,
			DrainTimeout: c.Shutdown, PostRate: c.PostRate, Unpaced: c.unpaced,
		},
		Scheduler: scheduler.Config{
			Location: c.location(), Tick: c.Tick, Lanes: outboxLanes, SummarySpec: c.SummaryCron,
		},
		Programme: mentorbot.Programme{
			Admins:           c.Admins,
			Location:         c.location(),
			Onboarding:       c.onboarding,
			ReminderLeads:    c.ReminderLeads,
			HRChannel:        c.HRChannel,
			Calendar:         c.calendar,
			CelebrateChannel: c.CelebrateChannel,
			OutboxLease:      c.OutboxLease,
		},
		HTTPAddr: c.HTTPAddr,
	}
}

// serve runs the app until ctx ends, saying when it is ready, which is
// what a restart costs people counted from this process's start, and when
// it stopped.
func serve(ctx context.Context, a *app.App, log *slog.Logger) error {
	go func() {
		if a.Ready(ctx) == nil {
			log.Info("ready", "after", time.Since(mainStarted).Round(time.Millisecond), "owner", a.Owner)
		}
	}()
	err := a.Run(ctx)
	log.Info("stopped")
	return err
}
