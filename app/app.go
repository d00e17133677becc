// Package app wires mentorbot together: the store, the programme, the bot,
// the scheduler and the operator's endpoints. `mentorbot run`, the demo,
// the load runs (which start `mentorbot run`) and the end-to-end tests all
// start the bot here, so what they exercise is what ships.
package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot"
	"github.com/mentorbot/mentorbot/ops"
	"github.com/mentorbot/mentorbot/scheduler"
	"github.com/mentorbot/mentorbot/store"
)

// Config is what the app is wired from.
type Config struct {
	DB string // the SQLite database file, or a postgres:// URL
	// Owner names this replica among those sharing the database; empty
	// makes a name from the host, the process and a random tail.
	Owner string
	Bot   bot.Config
	// Scheduler says when timed work runs; its Heartbeat is the monitor's.
	Scheduler scheduler.Config
	// Programme holds the programme's settings; its Store and Clock are
	// set here.
	Programme mentorbot.Programme
	// HTTPAddr is where /healthz and /metrics are served; empty serves
	// neither.
	HTTPAddr string
	// WrapStore, when set, wraps the store the programme saves through,
	// so a test can make it fail.
	WrapStore func(mentorbot.Store) mentorbot.Store
}

// App is mentorbot wired together.
type App struct {
	// Owner names this replica among those sharing the database: on the
	// outbox messages it claims, and on the leader's connection.
	Owner      string
	leadership *store.Leadership
	DB         *store.DB
	Programme  *mentorbot.Programme
	Bot        *bot.Bot
	Scheduler  *scheduler.Scheduler
	Monitor    *ops.Monitor
	// opsListener is where /healthz and /metrics are served; nil when
	// Config.HTTPAddr is empty.
	opsListener net.Listener
	log         *slog.Logger
}

// Open opens the database and wires everything to it, on clock. Nothing
// runs until Run.
func Open(ctx context.Context, cfg Config, clock mentorbot.Clock, log *slog.Logger) (*App, error) {
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, fmt.Errorf("MENTORBOT_DB: %w", err)
	}
	programme := cfg.Programme
	programme.Store, programme.Clock = db, clock
	if cfg.WrapStore != nil {
		programme.Store = cfg.WrapStore(db)
	}
	owner := cfg.Owner
	if owner == "" {
		owner = ownerName()
	}
	leadership := db.Leadership(owner)
	// The monitor hears the bot and the scheduler whether or not it is
	// served, so neither needs a case for its absence.
	monitor := ops.NewMonitor(db, leadership, cfg.Scheduler.Tick, log)
	botCfg := cfg.Bot
	botCfg.Owner = owner
	if botCfg.Meter == nil {
		botCfg.Meter = monitor
	}
	b := bot.New(botCfg, &programme, db, log)
	programme.Directory = b
	schedCfg := cfg.Scheduler
	schedCfg.Heartbeat, schedCfg.Owner, schedCfg.Leadership = monitor, owner, leadership
	sched, err := scheduler.New(schedCfg, &programme, db, b, log)
	if err != nil {
		db.Close()
		return nil, err
	}
	a := &App{Owner: owner, leadership: leadership, DB: db, Programme: &programme, Bot: b, Scheduler: sched, Monitor: monitor, log: log}
	if cfg.HTTPAddr != "" {
		// Listening here, not in Run, makes a taken port stop start-up.
		if a.opsListener, err = (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.HTTPAddr); err != nil {
			db.Close()
			return nil, fmt.Errorf("MENTORBOT_HTTP_ADDR: %w", err)
		}
	}
	return a, nil
}

// ownerName is the replica's name, made once at start: its host and
// process, which an operator can find, and a random tail, as a restarted
// process in a container often has the same pid.
func ownerName() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown-host"
	}
	tail := make([]byte, 2)
	rand.Read(tail)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(tail))
}

// Ready returns once the bot is connected to Slack and the scheduler's
// jobs are armed: from then on people are answered and reminders go out.
func (a *App) Ready(ctx context.Context) error {
	for _, ready := range []<-chan struct{}{a.Bot.Ready(), a.Scheduler.Armed()} {
		select {
		case <-ready:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// OpsAddr is where /healthz and /metrics are served, nil when nowhere.
func (a *App) OpsAddr() net.Addr {
	if a.opsListener == nil {
		return nil
	}
	return a.opsListener.Addr()
}

// Run serves until ctx ends or the bot stops, then lets started work
// finish and closes the database.
func (a *App) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Present to the other replicas before the first request, so none
	// takes this one's claims for a dead process's.
	if _, err := a.leadership.TryLead(ctx); err != nil {
		return errors.Join(err, a.DB.Close())
	}
	schedulerDone := make(chan struct{})
	go func() {
		a.Scheduler.Run(ctx)
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
		if err := a.Monitor.Serve(ctx, a.opsListener); err != nil {
			a.log.Error("stopped serving /healthz and /metrics", "err", err)
		}
	}()
	err := a.Bot.Run(ctx)
	cancel()
	<-schedulerDone
	// Another replica leads from its next tick, not once the server
	// notices this one is gone.
	a.leadership.Release()
	// The health check writes to the database, so it stops first.
	<-opsDone
	return errors.Join(err, a.DB.Close())
}
