package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"syscall"
	"time"

	"github.com/mentorbot/mentorbot/bot/fakeslack"
	"github.com/mentorbot/mentorbot/store"
)

// fleet is the bot's replicas in a load run: as many `mentorbot run` as
// asked, on one database and one fake Slack, each with its own Socket Mode
// connection, over which the fake spreads envelopes.
type fleet struct {
	slack *fakeslack.Server
	dsn   string
	log   io.Writer
	env   []string
	bots  []*botProcess // replica n+1 is bots[n], the latest process of its name
}

// checkReplicas refuses replicas a backend cannot serve: SQLite is one
// process's file.
func checkReplicas(replicas int, db string) error {
	switch {
	case replicas < 1:
		return usageError{errors.New("load: -replicas must be at least 1")}
	case replicas > 1 && !store.IsPostgres(db):
		return usageError{fmt.Errorf("load: -replicas %d needs -db postgres://…: replicas share a PostgreSQL database, and a SQLite file serves one process", replicas)}
	}
	return nil
}

// startFleet starts n replicas and waits until each is ready.
func startFleet(ctx context.Context, slack *fakeslack.Server, dsn string, n int, log io.Writer, env ...string) (*fleet, error) {
	f := &fleet{slack: slack, dsn: dsn, log: log, env: env, bots: make([]*botProcess, n)}
	for i := range n {
		if err := f.start(i); err != nil {
			f.kill()
			return nil, fmt.Errorf("load: start the bot: %w", err)
		}
	}
	for _, bot := range f.bots {
		if _, err := bot.waitReady(ctx); err != nil {
			f.kill()
			return nil, fmt.Errorf("load: %s%w", bot.called(), err)
		}
	}
	return f, nil
}

// start starts replica i+1, in the place of the one before of its name.
func (f *fleet) start(i int) error {
	name := ""
	if len(f.bots) > 1 {
		name = "replica " + strconv.Itoa(i+1)
	}
	bot, err := startReplica(f.slack, f.dsn, name, f.log, f.env...)
	if err != nil {
		return err
	}
	f.bots[i] = bot
	return nil
}

// called is how an error names the replica: nothing when it is the only one.
func (p *botProcess) called() string {
	if p.name == "" {
		return ""
	}
	return p.name + ": "
}

// leader is the running replica whose log said last that it leads, or
// nil when none has yet.
func (f *fleet) leader() *botProcess {
	var found *botProcess
	for _, bot := range f.running() {
		select {
		case <-bot.leads:
			if found == nil || bot.ledAt.After(found.ledAt) {
				found = bot
			}
		default:
		}
	}
	return found
}

// running are the replicas whose process has not ended.
func (f *fleet) running() []*botProcess {
	var out []*botProcess
	for _, bot := range f.bots {
		select {
		case <-bot.exited:
		default:
			out = append(out, bot)
		}
	}
	return out
}

// waitLeader waits until a running replica leads, and returns it.
func (f *fleet) waitLeader(ctx context.Context) (*botProcess, error) {
	for {
		if bot := f.leader(); bot != nil {
			return bot, nil
		}
		// None of these is closed yet: a replica that led is the leader,
		// one that exited is no longer running.
		var cases []<-chan struct{}
		for _, bot := range f.running() {
			cases = append(cases, bot.leads, bot.exited)
		}
		if len(cases) == 0 {
			return nil, errors.New("every replica exited before one led")
		}
		if err := firstClosed(ctx, cases); err != nil {
			return nil, fmt.Errorf("no replica led: %w", err)
		}
	}
}

// firstClosed waits until one of the channels is closed, or ctx ends.
func firstClosed(ctx context.Context, chans []<-chan struct{}) error {
	done := make(chan struct{})
	defer close(done)
	closed := make(chan struct{}, len(chans))
	for _, c := range chans {
		go func() {
			select {
			case <-c:
				closed <- struct{}{}
			case <-done:
			}
		}()
	}
	select {
	case <-closed:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// restart is one replica's turn in a rolling restart.
type restart struct {
	Replica  string
	Exit     int           // the stopped process's exit code
	StopTook time.Duration // from SIGTERM to its exit
	Ready    time.Duration // from its exit to the new process saying it is ready
}

// restart stops replica i+1 with SIGTERM, as a deploy does, starts it
// again and waits until it is ready.
func (f *fleet) restart(ctx context.Context, i int) (restart, error) {
	old := f.bots[i]
	r := restart{Replica: old.name}
	signalled := time.Now()
	_ = old.cmd.Process.Signal(syscall.SIGTERM)
	<-old.exited
	stopped := time.Now()
	r.StopTook, r.Exit = stopped.Sub(signalled), old.cmd.ProcessState.ExitCode()
	if err := f.start(i); err != nil {
		return r, fmt.Errorf("start %s again: %w", old.name, err)
	}
	if _, err := f.bots[i].waitReady(ctx); err != nil {
		return r, fmt.Errorf("%s after its restart: %w", old.name, err)
	}
	r.Ready = time.Since(stopped)
	return r, nil
}

// stop stops every running replica as a deploy does, and waits for each.
func (f *fleet) stop() error {
	var errs []error
	for _, bot := range f.running() {
		_ = bot.cmd.Process.Signal(syscall.SIGTERM)
	}
	for _, bot := range f.bots {
		<-bot.exited
		if bot.err != nil && bot.cmd.ProcessState.ExitCode() != -1 { // -1: killed on purpose
			errs = append(errs, fmt.Errorf("%sthe bot did not stop cleanly: %w", bot.called(), bot.err))
		}
	}
	return errors.Join(errs...)
}

// kill ends every running replica with SIGKILL.
func (f *fleet) kill() {
	for _, bot := range f.bots {
		if bot != nil {
			bot.kill()
		}
	}
}
