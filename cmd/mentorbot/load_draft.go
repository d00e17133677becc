package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
	"github.com/mentorbot/mentorbot/store"
)

// draftPlan is one draft run: a pool of People waiting for a round, the
// same on SQLite and, when DB names one, on PostgreSQL.
type draftPlan struct {
	People int
	DB     string // a postgres:// URL; empty times SQLite alone
	Log    io.Writer
}

// draftResult is one backend's draft round.
type draftResult struct {
	Backend string
	Seeded  time.Duration // to store the pool
	Drafted time.Duration // from /mentor match to the draft shown in the admin's form
	Pairs   int
	Left    int // people the round left out, with the reason
}

// minDraftPeople is the smallest pool with a mentee and mentors for them.
const minDraftPeople = 6

// draftCommand times the admin's draft round on a large pool, on each
// backend in turn, and prints them side by side.
func draftCommand(ctx context.Context, plan draftPlan, stdout io.Writer) error {
	if plan.People < minDraftPeople {
		return usageError{fmt.Errorf("load: -draft must be at least %d", minDraftPeople)}
	}
	if plan.DB != "" && !store.IsPostgres(plan.DB) {
		return usageError{fmt.Errorf("load: -db %q is not a postgres:// URL; with -draft it names the PostgreSQL side, SQLite is always timed", plan.DB)}
	}
	mentees := plan.People / 6
	fmt.Fprintf(stdout, "mentorbot load: the admin drafts a round of %d mentees and %d mentors, all trained and waiting, on each backend.\n", mentees, plan.People-mentees)
	results, err := runDrafts(ctx, plan)
	fmt.Fprintf(stdout, "%-11s %10s %10s %7s %7s\n", "backend", "seeded", "drafted", "pairs", "left")
	for _, r := range results {
		fmt.Fprintf(stdout, "%-11s %10s %10s %7d %7d\n", r.Backend, r.Seeded.Round(time.Millisecond), r.Drafted.Round(time.Millisecond), r.Pairs, r.Left)
	}
	if plan.DB == "" {
		fmt.Fprintln(stdout, "PostgreSQL  not timed: give -db postgres://… for a database the run may create")
	}
	return err
}

// runDrafts runs the draft on SQLite, then on PostgreSQL when the plan
// names it, one after the other so neither slows the other down.
func runDrafts(ctx context.Context, plan draftPlan) ([]draftResult, error) {
	dbs := []string{""}
	if plan.DB != "" {
		dbs = append(dbs, plan.DB)
	}
	var results []draftResult
	for _, db := range dbs {
		r, err := runDraft(ctx, plan.People, db, plan.Log)
		if err != nil {
			return results, fmt.Errorf("load: %s: %w", backendName(db), err)
		}
		results = append(results, r)
	}
	return results, nil
}

// loadAdmin runs the programme in a draft run; not a participant.
const loadAdmin = "U0ADMINLOAD"

// runDraft seeds the pool on one backend, starts the bot and has the admin
// type /mentor match, timing until the draft is in the form.
func runDraft(ctx context.Context, people int, db string, log io.Writer) (draftResult, error) {
	res := draftResult{Backend: backendName(db)}
	slack, dsn, cleanup, err := loadWorkspaceOn(ctx, db)
	if err != nil {
		return res, err
	}
	defer cleanup()
	seeding := time.Now()
	cycle, err := seedPool(ctx, dsn, slack, people, time.Now())
	if err != nil {
		return res, fmt.Errorf("seed: %w", err)
	}
	res.Seeded = time.Since(seeding)
	slack.AddUser(fakeslack.User{ID: loadAdmin, Name: "admin", RealName: "Programme Admin", TZ: "UTC"})
	bot, err := startBot(slack, dsn, log, "MENTORBOT_ADMINS="+loadAdmin, "MENTORBOT_HR_CHANNEL="+loadHRChannel)
	if err != nil {
		return res, fmt.Errorf("start the bot: %w", err)
	}
	if _, err := bot.waitReady(ctx); err != nil {
		bot.kill()
		return res, err
	}
	admin := slack.Person(loadAdmin)
	typed := time.Now()
	if _, err := admin.Types(ctx, "/mentor match"); err != nil {
		bot.kill()
		return res, err
	}
	if _, err := admin.WaitModal(ctx, "Matching draft"); err != nil {
		bot.kill()
		return res, fmt.Errorf("the draft never showed: %w", err)
	}
	res.Drafted = time.Since(typed)
	if err := bot.stop(); err != nil {
		return res, err
	}
	round, err := draftOf(ctx, dsn, cycle)
	if err != nil {
		return res, fmt.Errorf("read the draft: %w", err)
	}
	res.Pairs, res.Left = len(round.Pairs), len(round.Unmatched)
	return res, nil
}

func draftOf(ctx context.Context, dsn string, cycle int64) (mentorbot.Round, error) {
	db, err := store.OpenExisting(ctx, dsn)
	if err != nil {
		return mentorbot.Round{}, err
	}
	defer db.Close()
	round, err := db.UnpublishedRound(ctx, cycle)
	if err == nil && len(round.Pairs) == 0 {
		err = errors.New("the draft holds no pairs")
	}
	return round, err
}

// seedPool stores an open cycle and a pool waiting for its first round:
// one in six a mentee, the rest mentors, all trained, with profiles drawn
// the same way on every backend. It returns the cycle's ID.
func seedPool(ctx context.Context, dsn string, slack *fakeslack.Server, people int, now time.Time) (int64, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	cycle := loadCycle(now)
	if err := db.Apply(ctx, mentorbot.Change{Cycle: &cycle}); err != nil {
		return 0, fmt.Errorf("open the cycle: %w", err)
	}
	random := rand.New(rand.NewPCG(7, 1))
	var c mentorbot.Change
	for i := range people {
		id := fmt.Sprintf("UD%06d", i)
		zone := loadZones[i%len(loadZones)]
		slack.AddUser(fakeslack.User{ID: id, Name: "person" + strconv.Itoa(i), RealName: "Person " + strconv.Itoa(i), TZ: zone})
		p := mentorbot.Participant{ID: id, State: mentorbot.StateTrained, JoinedAt: now.AddDate(0, 0, -7), StateSince: now.AddDate(0, 0, -3), UpdatedAt: now}
		p.Profile = loadProfile(random, i%6 == 0, zone)
		c.Participants = append(c.Participants, p)
	}
	if err := db.Apply(ctx, c); err != nil {
		return 0, fmt.Errorf("store the pool: %w", err)
	}
	return cycle.ID, nil
}
