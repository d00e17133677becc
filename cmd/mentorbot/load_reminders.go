package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
	"github.com/mentorbot/mentorbot/store"
)

// reminderPlan is one reminder run: how many reminders fall due at once,
// the pace the fake Slack allows, on which database and how many
// replicas, and whether to kill one part way.
type reminderPlan struct {
	Reminders int
	Rate      float64 // messages a second, across the workspace
	KillAfter int     // SIGKILL a replica once this many arrived; 0 for none
	// Graceful stops the bot at KillAfter with SIGTERM instead, letting it
	// finish what it has sent, so nothing may arrive twice.
	Graceful bool
	DB       string // a postgres:// URL, or empty for a SQLite file of the run's own
	Replicas int    // replicas sharing the database and the pace
	Lease    time.Duration
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
	// With several replicas the others carry on after the kill; the
	// stopped one is the leader.
	Stopped      string        // the replica stopped, "" for the only one
	Leader       string        // the replica that led after the stop
	LeadTakeover time.Duration // from the stop to Leader saying it leads
	Held         int           // messages the stopped replica had claimed and not sent
	HeldArrived  int           // of those, how many had reached Slack before the stop, unrecorded
	HeldUntil    time.Duration // from the stop to the end of the last of the others' leases
	HeldTakeover time.Duration // from the stop to the last of those others arriving
}

// backendName is how a run's output names its database.
func backendName(db string) string {
	if db == "" {
		return "SQLite"
	}
	return "PostgreSQL"
}

// replicaCount says how many bots ran: "1 replica", "2 replicas".
func replicaCount(n int) string {
	if n == 1 {
		return "1 replica"
	}
	return strconv.Itoa(n) + " replicas"
}

// reminderCommand seeds pairs whose reminders all fall due at once, runs
// the bot against a fake Slack that enforces Slack's limits, optionally
// kills it with SIGKILL mid-way and starts it again (or, with replicas,
// kills the leader and leaves the rest to carry on), and reports what
// arrived: how fast, lost, and duplicated.
func reminderCommand(ctx context.Context, plan reminderPlan, stdout io.Writer) error {
	if plan.Reminders < 2 || plan.Reminders%2 != 0 || plan.Rate < 1 || plan.KillAfter < 0 || plan.KillAfter >= plan.Reminders {
		return usageError{errors.New("load: -reminders must be even and at least 2, -rate at least 1, -kill-after below -reminders")}
	}
	if err := checkReplicas(plan.Replicas, plan.DB); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "mentorbot load: %d reminders due at once, fake Slack allowing %g messages a second; %s on %s.\n", plan.Reminders, plan.Rate, replicaCount(plan.Replicas), backendName(plan.DB))
	res, err := runReminders(ctx, plan)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "delivered   %d of %d (%d distinct)\n", res.Delivered, res.Expected, res.Distinct)
	fmt.Fprintf(stdout, "lost        %d\n", res.Lost)
	fmt.Fprintf(stdout, "duplicated  %d\n", res.Duplicated)
	if res.Killed {
		who := ""
		if res.Stopped != "" {
			who = res.Stopped + ", the leader, "
		}
		fmt.Fprintf(stdout, "stopped     %safter %d arrived, exit %d in %s; at most %d in flight\n", who, res.DeliveredAtKill, res.StopExit, res.StopTook.Round(time.Millisecond), res.InFlightBound)
	}
	if res.Killed {
		fmt.Fprintf(stdout, "takeover    %s led %s after the stop\n", cmp.Or(res.Leader, "the bot, started again,"), res.LeadTakeover.Round(time.Millisecond))
		fmt.Fprintf(stdout, "held        %d messages claimed by %s and not recorded as sent; %d of them had reached Slack; the other %d arrived within %s of the stop, their leases would have run out within %s\n",
			res.Held, cmp.Or(res.Stopped, "the bot"), res.HeldArrived, res.Held-res.HeldArrived, res.HeldTakeover.Round(time.Millisecond), res.HeldUntil.Round(time.Millisecond))
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

// runReminders seeds the database, runs the bot's replicas as their own
// processes and watches the fake Slack until every reminder has arrived.
func runReminders(ctx context.Context, plan reminderPlan) (reminderResult, error) {
	ctx, cancel := context.WithTimeout(ctx, plan.Timeout)
	defer cancel()
	plan.Replicas = max(plan.Replicas, 1)
	limits := fakeslack.SlackTiers()
	burst := max(int(plan.Rate), 10)
	limits.Workspace = fakeslack.Rate{Every: time.Duration(float64(time.Second) / plan.Rate), Burst: burst}
	slack, dsn, cleanup, err := loadWorkspaceOn(ctx, plan.DB, fakeslack.WithRateLimits(limits))
	if err != nil {
		return reminderResult{}, err
	}
	defer cleanup()
	if err := seedReminders(ctx, dsn, slack, plan.Reminders/2, time.Now()); err != nil {
		return reminderResult{}, fmt.Errorf("load: seed: %w", err)
	}

	// The replicas share the workspace's pace.
	env := []string{"MENTORBOT_TICK=1s", "MENTORBOT_SHUTDOWN_TIMEOUT=" + loadShutdown.String(),
		"MENTORBOT_POST_RATE=" + strconv.FormatFloat(plan.Rate/float64(plan.Replicas), 'f', -1, 64)}
	if plan.Lease > 0 {
		env = append(env, "MENTORBOT_OUTBOX_LEASE="+plan.Lease.String())
	}
	res := reminderResult{Expected: plan.Reminders}
	count := func() int { return slack.MessageCount(loadEventType) }
	distinct := func() map[string]int { return slack.MetadataValues(loadEventType, "key") }
	bots, err := startFleet(ctx, slack, dsn, plan.Replicas, plan.Log, env...)
	if err != nil {
		return res, err
	}
	if plan.KillAfter > 0 {
		if err := slack.WaitUntil(ctx, func() bool { return count() >= plan.KillAfter }); err != nil {
			bots.kill()
			return res, fmt.Errorf("load: waiting for %d reminders before the kill: %w", plan.KillAfter, err)
		}
		if err := stopOne(ctx, bots, plan, &res, count, distinct); err != nil {
			bots.kill()
			return res, err
		}
	}
	err = slack.WaitUntil(ctx, func() bool { return count() >= plan.Reminders && len(distinct()) >= plan.Reminders })
	stopErr := bots.stop()
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

// stopOne stops the leading replica part way, with SIGKILL or SIGTERM as
// the plan says. The only replica is started again; among several, the
// others carry on. stopOne waits until a replica leads again and the
// messages the stopped one held have arrived, and times both.
func stopOne(ctx context.Context, bots *fleet, plan reminderPlan, res *reminderResult, count func() int, distinct func() map[string]int) error {
	victim, err := bots.waitLeader(ctx)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	signal, bound := os.Kill, outboxLanes // SIGKILL: no chance to finish anything
	if plan.Graceful {
		signal, bound = syscall.SIGTERM, 0
	}
	stopped := time.Now()
	_ = victim.cmd.Process.Signal(signal)
	<-victim.exited
	res.StopTook, res.StopExit = time.Since(stopped), victim.cmd.ProcessState.ExitCode()
	res.Killed, res.DeliveredAtKill, res.InFlightBound = true, count(), bound
	res.Stopped = victim.name
	// Read before the only replica starts again: on SQLite its first try
	// to lead ends the leases of the process before.
	held, err := claimedBy(ctx, bots.dsn, victim.owner)
	if err != nil {
		return fmt.Errorf("load: read what %s held: %w", cmp.Or(victim.name, "the bot"), err)
	}
	res.Held = len(held)
	// What reached Slack before the kill but was not recorded as sent
	// has arrived once, and goes again once it is claimed anew: the repeats.
	var waiting []mentorbot.OutboxItem
	before := distinct()
	for _, it := range held {
		if before[it.Key] == 0 {
			waiting = append(waiting, it)
			res.HeldUntil = max(res.HeldUntil, it.LeaseUntil.Sub(stopped))
		}
	}
	res.HeldArrived = len(held) - len(waiting)
	if plan.Replicas == 1 {
		if err := bots.start(0); err != nil {
			return fmt.Errorf("load: start the bot again: %w", err)
		}
	}
	leader, err := bots.waitLeader(ctx)
	if err != nil {
		return fmt.Errorf("load: after %s stopped: %w", cmp.Or(victim.name, "the bot"), err)
	}
	res.Leader, res.LeadTakeover = leader.name, leader.ledAt.Sub(stopped)
	if err := bots.slack.WaitUntil(ctx, func() bool {
		arrived := distinct()
		for _, it := range waiting {
			if arrived[it.Key] == 0 {
				return false
			}
		}
		return true
	}); err != nil {
		return fmt.Errorf("load: waiting for the %d messages %s held: %w", len(waiting), cmp.Or(victim.name, "the bot"), err)
	}
	res.HeldTakeover = time.Since(stopped)
	return nil
}

// claimedBy lists the messages owner holds a live lease on and has not
// sent.
func claimedBy(ctx context.Context, dsn, owner string) ([]mentorbot.OutboxItem, error) {
	db, err := store.OpenExisting(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	items, err := db.PendingOutboxItems(ctx, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	var held []mentorbot.OutboxItem
	for _, it := range items {
		if it.LeaseOwner == owner && it.LeaseUntil.After(now) {
			held = append(held, it)
		}
	}
	return held, nil
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
