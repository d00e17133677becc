package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
	"github.com/mentorbot/mentorbot/store"
)

// reminderPlan is one reminder run: how many reminders fall due at once,
// the pace the fake Slack allows, and whether to kill the bot part way.
type reminderPlan struct {
	Reminders int
	Rate      float64 // messages a second, across the workspace
	KillAfter int     // SIGKILL the bot once this many arrived; 0 for none
	// Graceful stops the bot at KillAfter with SIGTERM instead, letting it
	// finish what it has sent, so nothing may arrive twice.
	Graceful bool
	Timeout  time.Duration
	Log      io.Writer // the bot's own log
}

// reminderResult is what a reminder run measured.
type reminderResult struct {
	Expected, Delivered, Distinct int
	Lost, Duplicated              int
	Killed                        bool
	DeliveredAtKill               int
	InFlightBound                 int           // most messages a kill can leave unrecorded
	StopExit                      int           // the stopped bot's exit code; -1 after SIGKILL
	StopTook                      time.Duration // from the signal to the bot's exit
	RateLimited                   int           // 429s the fake answered
	Elapsed                       time.Duration
	Rate                          float64 // delivered a second, first to last
}

// reminderCommand seeds pairs whose reminders all fall due at once, runs
// the bot against a fake Slack that enforces Slack's limits, optionally
// kills it with SIGKILL mid-way and starts it again, and reports what
// arrived: how fast, lost, and duplicated.
func reminderCommand(ctx context.Context, plan reminderPlan, stdout io.Writer) error {
	if plan.Reminders < 2 || plan.Reminders%2 != 0 || plan.Rate < 1 || plan.KillAfter < 0 || plan.KillAfter >= plan.Reminders {
		return usageError{errors.New("load: -reminders must be even and at least 2, -rate at least 1, -kill-after below -reminders")}
	}
	fmt.Fprintf(stdout, "mentorbot load: %d reminders due at once, fake Slack allowing %g messages a second.\n", plan.Reminders, plan.Rate)
	res, err := runReminders(ctx, plan)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "delivered   %d of %d (%d distinct)\n", res.Delivered, res.Expected, res.Distinct)
	fmt.Fprintf(stdout, "lost        %d\n", res.Lost)
	fmt.Fprintf(stdout, "duplicated  %d\n", res.Duplicated)
	if res.Killed {
		fmt.Fprintf(stdout, "stopped     after %d arrived, exit %d in %s; at most %d in flight\n", res.DeliveredAtKill, res.StopExit, res.StopTook.Round(time.Millisecond), res.InFlightBound)
	}
	fmt.Fprintf(stdout, "rate        %.1f a second over %s: %.1f %% of the %g allowed\n", res.Rate, res.Elapsed.Round(time.Millisecond), 100*res.Rate/plan.Rate, plan.Rate)
	fmt.Fprintf(stdout, "429s        %d\n", res.RateLimited)
	if res.Lost > 0 || res.Duplicated > res.InFlightBound {
		return fmt.Errorf("load: %d lost and %d duplicated (at most %d allowed)", res.Lost, res.Duplicated, res.InFlightBound)
	}
	return nil
}

// loadShutdown is the bot's drain timeout in a reminder run.
const loadShutdown = 5 * time.Second

// loadZones spreads the seeded pairs over time zones either side of UTC.
var loadZones = []string{"UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney"}

// runReminders seeds the database, runs the bot as its own process and
// watches the fake Slack until every reminder has arrived.
func runReminders(ctx context.Context, plan reminderPlan) (reminderResult, error) {
	ctx, cancel := context.WithTimeout(ctx, plan.Timeout)
	defer cancel()
	limits := fakeslack.SlackTiers()
	burst := max(int(plan.Rate), 10)
	limits.Workspace = fakeslack.Rate{Every: time.Duration(float64(time.Second) / plan.Rate), Burst: burst}
	slack, dbPath, cleanup, err := loadWorkspace(fakeslack.WithRateLimits(limits))
	if err != nil {
		return reminderResult{}, err
	}
	defer cleanup()
	if err := seedReminders(ctx, dbPath, slack, plan.Reminders/2, time.Now()); err != nil {
		return reminderResult{}, fmt.Errorf("load: seed: %w", err)
	}

	start := func() (*botProcess, error) {
		return startBot(slack, dbPath, plan.Log, "MENTORBOT_TICK=1s", "MENTORBOT_SHUTDOWN_TIMEOUT="+loadShutdown.String(), "MENTORBOT_POST_RATE="+strconv.FormatFloat(plan.Rate, 'f', -1, 64))
	}

	res := reminderResult{Expected: plan.Reminders}
	count := func() int { return slack.MessageCount(loadEventType) }
	bot, err := start()
	if err != nil {
		return res, fmt.Errorf("load: start the bot: %w", err)
	}
	if plan.KillAfter > 0 {
		if err := slack.WaitUntil(ctx, func() bool { return count() >= plan.KillAfter }); err != nil {
			bot.kill()
			return res, fmt.Errorf("load: waiting for %d reminders before the kill: %w", plan.KillAfter, err)
		}
		signal, bound := os.Kill, outboxLanes // SIGKILL: no chance to finish anything
		if plan.Graceful {
			signal, bound = syscall.SIGTERM, 0
		}
		stopped := time.Now()
		_ = bot.cmd.Process.Signal(signal)
		<-bot.exited
		res.StopTook, res.StopExit = time.Since(stopped), bot.cmd.ProcessState.ExitCode()
		res.Killed, res.DeliveredAtKill, res.InFlightBound = true, count(), bound
		if bot, err = start(); err != nil {
			return res, fmt.Errorf("load: start the bot again: %w", err)
		}
	}
	distinct := func() map[string]int { return slack.MetadataValues(loadEventType, "key") }
	err = slack.WaitUntil(ctx, func() bool { return count() >= plan.Reminders && len(distinct()) >= plan.Reminders })
	stopErr := bot.stop()
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
	return res, stopErr
}

// loadEventType is the metadata every outbox message carries.
const loadEventType = "mentorbot_outbox"

// seedReminders stores pairs, each with a slot whose first session starts half
// an hour from now: both reminders are due, and only the hour-ahead one is
// still worth sending, so each pair owes exactly two.
func seedReminders(ctx context.Context, path string, slack *fakeslack.Server, pairs int, now time.Time) error {
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
