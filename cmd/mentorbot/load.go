package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbot/mentorbot/bot/fakeslack"
	"github.com/mentorbot/mentorbot/store"
)

// loadCommand measures the bot as its own process against a fake Slack.
// Which figure depends on the flags: -people for ack latency,
// -participants for memory, -startup for the time to ready, -launch for a
// launch burst of joins, -draft for the admin's draft round on each
// backend, and by default reminder delivery. -db and -replicas run the
// reminders and the ack run on PostgreSQL, with replicas.
func loadCommand(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("load", flag.ContinueOnError)
	flags.SetOutput(stdout)
	reminders := reminderPlan{Log: io.Discard}
	flags.IntVar(&reminders.Reminders, "reminders", 10000, "reminders due at once, two per pair")
	flags.Float64Var(&reminders.Rate, "rate", 100, "messages a second the fake Slack allows across the workspace; the bot is told the same")
	flags.IntVar(&reminders.KillAfter, "kill-after", 0, "kill the bot with SIGKILL once this many reminders arrived, then start it again; 0 never")
	flags.BoolVar(&reminders.Graceful, "graceful", false, "stop the bot at -kill-after with SIGTERM instead, letting it finish what it sent")
	acks := ackPlan{Log: io.Discard}
	flags.IntVar(&acks.People, "people", 0, "measure ack latency: this many people type /mentor commands at once")
	flags.IntVar(&acks.Commands, "commands", 20, "with -people: commands each person types, with the clicks and forms that follow")
	flags.DurationVar(&acks.Think, "think", time.Second, "with -people: each person pauses up to this long, at random, before each step")
	flags.BoolVar(&acks.RollingRestart, "rolling-restart", false, "with -people: restart the replicas one after the other while people act (SIGTERM, start again, wait until ready)")
	flags.DurationVar(&acks.Goal, "ack-goal", 50*time.Millisecond, "with -people: fail when the 99th percentile ack takes longer")
	memory := memoryPlan{Log: io.Discard}
	flags.IntVar(&memory.Participants, "participants", 10000, "measure memory: participants in the database, most of them paired, while the bot works")
	flags.IntVar(&memory.GoalMB, "rss-goal", 50, "with -participants: fail when the bot's peak resident memory exceeds this many MB")
	startup := startupPlan{Log: io.Discard}
	flags.IntVar(&startup.Starts, "startup", 0, "measure start to ready: start the bot this many times on a database of -participants")
	flags.DurationVar(&startup.Goal, "startup-goal", 300*time.Millisecond, "with -startup: fail when the slowest start takes longer")
	launch := launchPlan{Log: io.Discard}
	flags.IntVar(&launch.People, "launch", 0, "measure a launch: this many people type /mentor join within -within")
	flags.DurationVar(&launch.Within, "within", time.Minute, "with -launch: the window everyone joins in")
	db := flags.String("db", "", "a postgres:// URL of a database to run on: created, and dropped after, when it does not exist; refused when it holds rows. Without it, a SQLite file of the run's own")
	replicas := flags.Int("replicas", 1, "with -db, run this many `mentorbot run` replicas on the one database; a reminder run's -kill-after then kills the leader and leaves the rest to carry on")
	flags.DurationVar(&reminders.Lease, "lease", 0, "the replicas' MENTORBOT_OUTBOX_LEASE, how long the messages a killed replica claimed wait for another; 0 leaves the bot's default")
	draft := draftPlan{Log: io.Discard}
	flags.IntVar(&draft.People, "draft", 0, "time the admin's draft round on this many people waiting for one (one in six a mentee), on SQLite and, with -db, on PostgreSQL, side by side")
	timeout := flags.Duration("timeout", 15*time.Minute, "give up after this long")
	verbose := flags.Bool("v", false, "print the bot's own log")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	if flags.NArg() > 0 {
		return usageError{fmt.Errorf("load: unexpected %q; every setting is a flag", flags.Arg(0))}
	}
	set := map[string]bool{}
	flags.Visit(func(f *flag.Flag) { set[f.Name] = true })
	modes := 0
	for _, mode := range []string{"reminders", "people", "startup", "launch", "draft"} {
		if set[mode] {
			modes++
		}
	}
	if modes > 1 || (set["people"] && set["participants"]) {
		return usageError{errors.New("load: measure one thing at a time: -reminders, -people, -participants, -startup, -launch or -draft")}
	}
	if (set["db"] || set["replicas"]) && (set["startup"] || set["launch"] || set["participants"]) {
		return usageError{errors.New("load: -db and -replicas are for the reminder run (the default), -people and -draft")}
	}
	if set["replicas"] && set["draft"] {
		return usageError{errors.New("load: -draft runs one bot on each backend; leave -replicas out")}
	}
	log := io.Discard
	if *verbose {
		log = stdout
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	switch {
	case set["draft"]:
		draft.DB, draft.Log = *db, log
		return draftCommand(ctx, draft, stdout)
	case set["launch"]:
		launch.Log = log
		return launchCommand(ctx, launch, stdout)
	case set["people"]:
		acks.DB, acks.Replicas, acks.Log = *db, *replicas, log
		return ackCommand(ctx, acks, stdout)
	case set["startup"]:
		startup.Participants, startup.Log = memory.Participants, log
		return startupCommand(ctx, startup, stdout)
	case set["participants"]:
		memory.Log = log
		return memoryCommand(ctx, memory, stdout)
	}
	reminders.DB, reminders.Replicas, reminders.Timeout, reminders.Log = *db, *replicas, *timeout, log
	return reminderCommand(ctx, reminders, stdout)
}

// loadWorkspace starts a fake Slack and names a database file in a new
// folder; cleanup stops the one and removes the other.
func loadWorkspace(opts ...fakeslack.Option) (slack *fakeslack.Server, dbPath string, cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "mentorbot-load-")
	if err != nil {
		return nil, "", nil, err
	}
	slack = fakeslack.New(opts...)
	return slack, filepath.Join(dir, "mentorbot.db"), func() {
		slack.Close()
		os.RemoveAll(dir)
	}, nil
}

// loadWorkspaceOn is loadWorkspace on the database -db names: a SQLite
// file in a new folder when it names none, or else the PostgreSQL
// database of the URL (loadPostgres). dsn is what MENTORBOT_DB says.
func loadWorkspaceOn(ctx context.Context, db string, opts ...fakeslack.Option) (slack *fakeslack.Server, dsn string, cleanup func(), err error) {
	if db == "" {
		return loadWorkspace(opts...)
	}
	drop, err := loadPostgres(ctx, db)
	if err != nil {
		return nil, "", nil, err
	}
	slack = fakeslack.New(opts...)
	return slack, db, func() {
		slack.Close()
		drop()
	}, nil
}

// loadPostgres readies the PostgreSQL database the URL names for a run:
// one that does not exist is created, and drop drops it once the run
// ends; one that exists must hold no rows, and is left holding the run's.
func loadPostgres(ctx context.Context, dsn string) (drop func(), err error) {
	if !store.IsPostgres(dsn) {
		return nil, usageError{fmt.Errorf("load: -db %q is not a postgres:// URL; leave -db out for a SQLite file of the run's own", dsn)}
	}
	created, err := store.CreatePostgres(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("load: -db: %s", oneLine(err))
	}
	if created {
		return func() {
			if err := store.DropPostgres(context.Background(), dsn); err != nil {
				fmt.Fprintf(os.Stderr, "load: the run's database is left behind: %s\n", oneLine(err))
			}
		}, nil
	}
	db, err := store.OpenExisting(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("load: -db: %s", oneLine(err))
	}
	defer db.Close()
	if err := db.CheckEmpty(ctx); err != nil {
		if held, ok := errors.AsType[store.NotEmptyError](err); ok {
			return nil, fmt.Errorf("load: -db: the database already holds rows (in table %s); name one that does not exist, and the run creates it and drops it after, or an empty one", held.Table)
		}
		return nil, fmt.Errorf("load: -db: %s", oneLine(err))
	}
	return func() {}, nil
}

// botProcess is `mentorbot run` started as its own process, as an operator
// runs it, configured through the environment against the fake Slack.
type botProcess struct {
	cmd     *exec.Cmd
	name    string    // "replica 2", among several; its log lines begin with it
	started time.Time // just before exec
	ready   chan struct{}
	owner   string // the replica's name on its claims, from its ready line; read once ready is closed
	leads   chan struct{}
	ledAt   time.Time // when its log first said it leads the timed work; read once leads is closed
	exited  chan struct{}
	err     error // how the process ended; read once exited is closed
}

// startBot execs this binary as `mentorbot run` on the database at dbPath;
// env adds settings or overrides the defaults. The bot's log goes to log,
// and ready is closed when it says it is ready.
func startBot(slack *fakeslack.Server, dbPath string, log io.Writer, env ...string) (*botProcess, error) {
	return startReplica(slack, dbPath, "", log, env...)
}

// startReplica is startBot for one of several replicas: its log lines
// begin with its name.
func startReplica(slack *fakeslack.Server, dsn, name string, log io.Writer, env ...string) (*botProcess, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "run")
	cmd.Env = append(botEnvironment(),
		"SLACK_BOT_TOKEN="+fakeslack.BotToken, "SLACK_APP_TOKEN="+fakeslack.AppToken, "SLACK_API_URL="+slack.APIURL(),
		"MENTORBOT_DB="+dsn, "MENTORBOT_LOG_LEVEL=info")
	cmd.Env = append(cmd.Env, env...) // the last of a repeated name wins
	if name != "" {
		log = prefixed(log, name+": ")
	}
	cmd.Stdout = log
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	p := &botProcess{cmd: cmd, name: name, ready: make(chan struct{}), leads: make(chan struct{}), exited: make(chan struct{})}
	p.started = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go p.watch(stderr, log)
	return p, nil
}

// extraBotEnv is added to the environment of every bot a load run starts.
var extraBotEnv []string

// botEnvironment is the machine's environment less its own mentorbot and
// Slack settings: a load run sets every one it needs, so it can never
// reach a real workspace or database.
func botEnvironment() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "MENTORBOT_") && !strings.HasPrefix(name, "SLACK_") {
			env = append(env, kv)
		}
	}
	return append(env, extraBotEnv...)
}

// watch copies the bot's log, looking for its ready line and the line
// saying it leads, until the process ends.
func (p *botProcess) watch(stderr io.Reader, log io.Writer) {
	lines := bufio.NewScanner(stderr)
	lines.Buffer(nil, 1<<20)
	isReady, leads := false, false
	for lines.Scan() {
		line := lines.Text()
		if !isReady && strings.Contains(line, " msg=ready ") {
			isReady = true
			p.owner = logValue(line, "owner")
			close(p.ready)
		}
		if !leads && strings.Contains(line, leadsLine) {
			leads = true
			p.ledAt = time.Now()
			close(p.leads)
		}
		fmt.Fprintln(log, line)
	}
	p.err = p.cmd.Wait()
	close(p.exited)
}

// leadsLine is what a replica logs when it takes the lead.
const leadsLine = "this replica leads the timed work"

// logValue is the value of key in a log line of the bot's, unquoted;
// empty when the line has none.
func logValue(line, key string) string {
	for _, field := range strings.Fields(line) {
		if v, ok := strings.CutPrefix(field, key+"="); ok {
			return strings.Trim(v, `"`)
		}
	}
	return ""
}

// prefixed writes each line to w with the prefix before it.
func prefixed(w io.Writer, prefix string) io.Writer {
	return &prefixWriter{w: w, prefix: prefix}
}

type prefixWriter struct {
	w      io.Writer
	prefix string
}

// Write is called with whole lines: by watch, one at a time, and by the
// process's own stdout, which the bot does not write to.
func (pw *prefixWriter) Write(b []byte) (int, error) {
	if _, err := io.WriteString(pw.w, pw.prefix+string(b)); err != nil {
		return 0, err
	}
	return len(b), nil
}

// waitReady returns how long the bot took from exec to saying it is ready.
func (p *botProcess) waitReady(ctx context.Context) (time.Duration, error) {
	select {
	case <-p.ready:
		return time.Since(p.started), nil
	case <-p.exited:
		return 0, fmt.Errorf("the bot exited before it was ready: %v", p.err)
	case <-ctx.Done():
		return 0, fmt.Errorf("the bot was not ready: %w", ctx.Err())
	}
}

// stop asks the bot to finish, as a deploy does, and waits for it.
func (p *botProcess) stop() error {
	_ = p.cmd.Process.Signal(os.Interrupt)
	<-p.exited
	if p.err != nil {
		return fmt.Errorf("the bot did not stop cleanly: %w", p.err)
	}
	return nil
}

// kill ends the bot with SIGKILL: no chance to finish anything.
func (p *botProcess) kill() {
	_ = p.cmd.Process.Kill()
	<-p.exited
}

// residentMemory reads the process's peak and current resident set, in
// bytes, from /proc: what the machine actually gives the bot.
func residentMemory(pid int) (peak, current int64, err error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, fmt.Errorf("read the bot's memory (Linux only): %w", err)
	}
	for line := range strings.Lines(string(status)) {
		name, value, _ := strings.Cut(line, ":")
		var into *int64
		switch name {
		case "VmHWM":
			into = &peak
		case "VmRSS":
			into = &current
		default:
			continue
		}
		kB, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("read %s from %q: %w", name, line, err)
		}
		*into = kB * 1024
	}
	if peak == 0 || current == 0 {
		return 0, 0, fmt.Errorf("no VmHWM or VmRSS in /proc/%d/status", pid)
	}
	return peak, current, nil
}

// percentile is the smallest duration at least q of the sorted ones are
// no longer than (nearest rank), so p99 of 100 is the 99th.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(q * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// durationSummary is the usual cut of a set of timings.
type durationSummary struct {
	Count              int
	P50, P90, P99, Max time.Duration
}

func summarize(ds []time.Duration) durationSummary {
	sorted := slices.Sorted(slices.Values(ds))
	s := durationSummary{Count: len(sorted), P50: percentile(sorted, 0.50), P90: percentile(sorted, 0.90), P99: percentile(sorted, 0.99)}
	if len(sorted) > 0 {
		s.Max = sorted[len(sorted)-1]
	}
	return s
}

func (s durationSummary) String() string {
	ms := func(d time.Duration) string {
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + " ms"
	}
	return fmt.Sprintf("p50 %s, p90 %s, p99 %s, max %s over %d", ms(s.P50), ms(s.P90), ms(s.P99), ms(s.Max), s.Count)
}
