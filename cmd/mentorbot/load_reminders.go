package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
	"github.com/mentorbot/mentorbot/store"
)

// loadPlan is one load run: how many reminders fall due at once, the pace
// the fake Slack allows, and whether to kill the bot part way.
type loadPlan struct {
	Reminders int
	Rate      float64 // messages a second, across the workspace
	KillAfter int     // SIGKILL the bot once this many arrived; 0 for none
	Timeout   time.Duration
	Log       io.Writer // the bot's own log
}

// loadResult is what a load run measured.
type loadResult struct {
	Expected, Delivered, Distinct int
	Lost, Duplicated              int
	Killed                        bool
	DeliveredAtKill               int
	InFlightBound                 int // most messages a kill can leave unrecorded
	RateLimited                   int // 429s the fake answered
	Elapsed                       time.Duration
	Rate                          float64 // delivered a second, first to last
}

// loadCommand seeds pairs whose reminders all fall due at once, runs
// `mentorbot run` against a fake Slack that enforces Slack's limits,
// optionally kills it with SIGKILL mid-way and starts it again, and
// reports what arrived: how fast, lost, and duplicated.
func loadCommand(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("load", flag.ContinueOnError)
	flags.SetOutput(stdout)
	plan := loadPlan{Log: io.Discard}
	flags.IntVar(&plan.Reminders, "reminders", 10000, "reminders due at once, two per pair")
	flags.Float64Var(&plan.Rate, "rate", 100, "messages a second the fake Slack allows across the workspace; the bot is told the same")
	flags.IntVar(&plan.KillAfter, "kill-after", 0, "kill the bot with SIGKILL once this many reminders arrived, then start it again; 0 never")
	flags.DurationVar(&plan.Timeout, "timeout", 15*time.Minute, "give up after this long")
	verbose := flags.Bool("v", false, "print the bot's log")
	if err := flags.Parse(args); err != nil {
		return usageError{err}
	}
	if plan.Reminders < 2 || plan.Reminders%2 != 0 || plan.Rate < 1 || plan.KillAfter < 0 || plan.KillAfter >= plan.Reminders {
		return usageError{errors.New("load: -reminders must be even and at least 2, -rate at least 1, -kill-after below -reminders")}
	}
	if *verbose {
		plan.Log = stdout
	}
	fmt.Fprintf(stdout, "mentorbot load: %d reminders due at once, fake Slack allowing %g messages a second.\n", plan.Reminders, plan.Rate)
	res, err := runLoad(ctx, plan)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "delivered   %d of %d (%d distinct)\n", res.Delivered, res.Expected, res.Distinct)
	fmt.Fprintf(stdout, "lost        %d\n", res.Lost)
	fmt.Fprintf(stdout, "duplicated  %d\n", res.Duplicated)
	if res.Killed {
		fmt.Fprintf(stdout, "killed      after %d arrived; at most %d in flight\n", res.DeliveredAtKill, res.InFlightBound)
	}
	fmt.Fprintf(stdout, "rate        %.1f a second over %s: %.1f %% of the %g allowed\n", res.Rate, res.Elapsed.Round(time.Millisecond), 100*res.Rate/plan.Rate, plan.Rate)
	fmt.Fprintf(stdout, "429s        %d\n", res.RateLimited)
	if res.Lost > 0 || res.Duplicated > res.InFlightBound {
		return fmt.Errorf("load: %d lost and %d duplicated (at most %d allowed)", res.Lost, res.Duplicated, res.InFlightBound)
	}
	return nil
}

// loadZones spreads the seeded pairs over time zones either side of UTC.
var loadZones = []string{"UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney"}

// runLoad seeds the database, runs the bot as its own process and watches
// the fake Slack until every reminder has arrived.
func runLoad(ctx context.Context, plan loadPlan) (loadResult, error) {
	ctx, cancel := context.WithTimeout(ctx, plan.Timeout)
	defer cancel()
	limits := fakeslack.SlackTiers()
	burst := max(int(plan.Rate), 10)
	limits.Workspace = fakeslack.Rate{Every: time.Duration(float64(time.Second) / plan.Rate), Burst: burst}
	slack := fakeslack.New(fakeslack.WithRateLimits(limits))
	defer slack.Close()

	dir, err := os.MkdirTemp("", "mentorbot-load-")
	if err != nil {
		return loadResult{}, err
	}
	defer os.RemoveAll(dir)
	dbPath := filepath.Join(dir, "mentorbot.db")
	if err := seedLoad(ctx, dbPath, slack, plan.Reminders/2, time.Now()); err != nil {
		return loadResult{}, fmt.Errorf("load: seed: %w", err)
	}

	exe, err := os.Executable()
	if err != nil {
		return loadResult{}, err
	}
	start := func() (*exec.Cmd, error) {
		cmd := exec.Command(exe, "run")
		cmd.Env = append(os.Environ(),
			"SLACK_BOT_TOKEN="+fakeslack.BotToken, "SLACK_APP_TOKEN="+fakeslack.AppToken, "SLACK_API_URL="+slack.APIURL(),
			"MENTORBOT_DB="+dbPath, "MENTORBOT_TICK=1s", "MENTORBOT_LOG_LEVEL=warn",
			"MENTORBOT_POST_RATE="+strconv.FormatFloat(plan.Rate, 'f', -1, 64))
		cmd.Stdout, cmd.Stderr = plan.Log, plan.Log
		return cmd, cmd.Start()
	}
	stop := func(cmd *exec.Cmd, kill bool) {
		if kill {
			_ = cmd.Process.Kill() // SIGKILL: no chance to finish anything
		} else {
			_ = cmd.Process.Signal(os.Interrupt)
		}
		_ = cmd.Wait()
	}

	res := loadResult{Expected: plan.Reminders}
	count := func() int { return slack.MessageCount(loadEventType) }
	cmd, err := start()
	if err != nil {
		return res, fmt.Errorf("load: start the bot: %w", err)
	}
	if plan.KillAfter > 0 {
		if err := slack.WaitUntil(ctx, func() bool { return count() >= plan.KillAfter }); err != nil {
			stop(cmd, true)
			return res, fmt.Errorf("load: waiting for %d reminders before the kill: %w", plan.KillAfter, err)
		}
		stop(cmd, true)
		res.Killed, res.DeliveredAtKill, res.InFlightBound = true, count(), outboxLanes
		if cmd, err = start(); err != nil {
			return res, fmt.Errorf("load: start the bot again: %w", err)
		}
	}
	distinct := func() map[string]int { return slack.MetadataValues(loadEventType, "key") }
	err = slack.WaitUntil(ctx, func() bool { return count() >= plan.Reminders && len(distinct()) >= plan.Reminders })
	stop(cmd, false)
	keys := distinct()
	res.Delivered, res.Distinct = count(), len(keys)
	res.Lost = plan.Reminders - res.Distinct
	for _, n := range keys {
		res.Duplicated += n - 1
	}
	res.RateLimited = slack.RateLimited("chat.postMessage")
	var first, last time.Time
	for _, c := range slack.Calls("chat.postMessage") {
		if c.Status != 200 || c.Error != "" {
			continue
		}
		if first.IsZero() {
			first = c.At
		}
		last = c.At
	}
	if res.Elapsed = last.Sub(first); res.Elapsed > 0 {
		res.Rate = float64(res.Delivered-1) / res.Elapsed.Seconds()
	}
	if err != nil {
		return res, fmt.Errorf("load: %d of %d reminders arrived: %w", res.Distinct, plan.Reminders, err)
	}
	return res, nil
}

// loadEventType is the metadata every outbox message carries.
const loadEventType = "mentorbot_outbox"

// seedLoad stores pairs, each with a slot whose first session starts half
// an hour from now: both reminders are due, and only the hour-ahead one is
// still worth sending, so each pair owes exactly two.
func seedLoad(ctx context.Context, path string, slack *fakeslack.Server, pairs int, now time.Time) error {
	db, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	session := now.Add(30 * time.Minute).Truncate(time.Minute)
	const batch = 1000
	for from := 0; from < pairs; from += batch {
		var c mentorbot.Change
		for i := from; i < min(from+batch, pairs); i++ {
			zone := loadZones[i%len(loadZones)]
			loc, _ := time.LoadLocation(zone)
			local := session.In(loc)
			slot := mentorbot.Slot{
				Weekday: local.Weekday(), Minute: local.Hour()*60 + local.Minute(), Length: 30 * time.Minute,
				Zone: zone, Cadence: mentorbot.CadenceWeekly, From: mentorbot.Day(local), Until: mentorbot.Day(local).AddDate(0, 3, 0),
			}
			mentor, mentee := fmt.Sprintf("UL%06dM", i), fmt.Sprintf("UL%06dS", i)
			for id, role := range map[string]mentorbot.Role{mentor: mentorbot.RoleMentor, mentee: mentorbot.RoleMentee} {
				slack.AddUser(fakeslack.User{ID: id, Name: id, RealName: id, TZ: zone})
				c.Participants = append(c.Participants, mentorbot.Participant{
					ID: id, State: mentorbot.StateMatched, JoinedAt: now, StateSince: now, UpdatedAt: now,
					Profile: mentorbot.Profile{Role: role, JobLevel: 3, TimeZone: zone},
				})
			}
			c.Pairs = append(c.Pairs, mentorbot.Pair{
				MentorID: mentor, MenteeID: mentee, Origin: mentorbot.OriginRound, State: mentorbot.PairActive,
				CreatedAt: now, StartedAt: now, Slot: &slot,
			})
		}
		if err := db.Apply(ctx, c); err != nil {
			return err
		}
	}
	return nil
}
