// Command mentorbot runs a reverse-mentoring programme inside Slack.
//
//	mentorbot run          connect to Slack over Socket Mode and serve
//	mentorbot demo         play a whole cycle against a built-in fake Slack
//	mentorbot load         measure reminders, a crash, ack latency, memory and start-up against a fake Slack
//	mentorbot backup FILE  copy the database to FILE, safely while the bot runs
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
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot"
	"github.com/mentorbot/mentorbot/ops"
	"github.com/mentorbot/mentorbot/scheduler"
	"github.com/mentorbot/mentorbot/store"
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
	if err != nil {
		return usageError{err}
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(heapBudget)
	}
	level, _ := cfg.slogLevel()
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	a, err := startApp(ctx, cfg, mentorbot.SystemClock{}, log)
	if err != nil {
		return err
	}
	return a.run(ctx)
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

// app is mentorbot wired together: the same for run and for demo.
type app struct {
	db        *store.DB
	bot       *bot.Bot
	scheduler *scheduler.Scheduler
	monitor   *ops.Monitor
	// opsListener is where /healthz and /metrics are served; nil when
	// MENTORBOT_HTTP_ADDR is empty.
	opsListener net.Listener
	log         *slog.Logger
}

func startApp(ctx context.Context, cfg Config, clock mentorbot.Clock, log *slog.Logger) (*app, error) {
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, fmt.Errorf("MENTORBOT_DB: %w", err)
	}
	programme := &mentorbot.Programme{
		Store:         db,
		Clock:         clock,
		Admins:        cfg.Admins,
		Location:      cfg.location(),
		Onboarding:    cfg.onboarding,
		ReminderLeads: cfg.ReminderLeads,
		HRChannel:     cfg.HRChannel,
	}
	// The monitor hears the bot and the scheduler whether or not it is
	// served, so neither needs a case for its absence.
	monitor := ops.NewMonitor(db, cfg.Tick, log)
	b := bot.New(bot.Config{
		BotToken: cfg.BotToken, AppToken: cfg.AppToken, APIURL: cfg.APIURL,
		DrainTimeout: cfg.Shutdown, PostRate: cfg.PostRate, Meter: monitor, Unpaced: cfg.unpaced,
	}, programme, db, log)
	sched, err := scheduler.New(scheduler.Config{
		Location: cfg.location(), Tick: cfg.Tick, Lanes: outboxLanes, SummarySpec: cfg.SummaryCron, Heartbeat: monitor,
	}, programme, db, b, log)
	if err != nil {
		db.Close()
		return nil, err
	}
	a := &app{db: db, bot: b, scheduler: sched, monitor: monitor, log: log}
	if cfg.HTTPAddr != "" {
		// Listening here, not in run, makes a taken port stop start-up.
		if a.opsListener, err = (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.HTTPAddr); err != nil {
			db.Close()
			return nil, fmt.Errorf("MENTORBOT_HTTP_ADDR: %w", err)
		}
	}
	return a, nil
}

// logReady says when the bot is connected to Slack and the scheduler's
// jobs are armed: from then on people are answered and reminders go out.
// How long that took since start is what a restart costs people.
func (a *app) logReady(ctx context.Context) {
	for _, ready := range []<-chan struct{}{a.bot.Ready(), a.scheduler.Armed()} {
		select {
		case <-ready:
		case <-ctx.Done():
			return
		}
	}
	a.log.Info("ready", "after", time.Since(mainStarted).Round(time.Millisecond))
}

// run serves until ctx ends or the bot stops, then lets started work
// finish and closes the database.
func (a *app) run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	schedulerDone := make(chan struct{})
	go func() {
		a.scheduler.Run(ctx)
		close(schedulerDone)
	}()
	opsDone := make(chan struct{})
	go func() {
		defer close(opsDone)
		if a.opsListener == nil {
			return
		}
		a.log.Info("serving /healthz and /metrics", "addr", a.opsListener.Addr().String())
		// A failed server costs the operator's view, not the bot: it goes on.
		if err := a.monitor.Serve(ctx, a.opsListener); err != nil {
			a.log.Error("stopped serving /healthz and /metrics", "err", err)
		}
	}()
	go a.logReady(ctx)
	err := a.bot.Run(ctx)
	cancel()
	<-schedulerDone
	// The health check writes to the database, so it stops first.
	<-opsDone
	if cerr := a.db.Close(); cerr != nil && err == nil {
		err = cerr
	}
	a.log.Info("stopped")
	return err
}
