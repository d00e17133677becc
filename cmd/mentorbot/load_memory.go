package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
	"github.com/mentorbot/mentorbot/store"
)

// memoryPlan is one memory run: how many participants the database holds,
// and the most resident memory the bot may use.
type memoryPlan struct {
	Participants int
	GoalMB       int
	Log          io.Writer
}

// memoryResult is what a memory run measured, in bytes.
type memoryResult struct {
	Peak, Current int64
	Pairs         int
	Ready         time.Duration
	Elapsed       time.Duration // from exec to the last piece of work done
}

const megabyte = 1 << 20

// memoryCommand runs the bot on a database of a large programme, has it do
// the work that reads the most of it, and reports its resident memory.
func memoryCommand(ctx context.Context, plan memoryPlan, stdout io.Writer) error {
	if plan.Participants < minLoadParticipants || plan.GoalMB < 1 {
		return usageError{fmt.Errorf("load: -participants must be at least %d and -rss-goal at least 1", minLoadParticipants)}
	}
	fmt.Fprintf(stdout, "mentorbot load: %d participants; the bot ticks, shows Home tabs, summarises, exports and drafts a round.\n", plan.Participants)
	res, err := runMemory(ctx, plan)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "pairs       %d active, with this cycle's sessions\n", res.Pairs)
	fmt.Fprintf(stdout, "ready       %s after exec\n", res.Ready.Round(time.Millisecond))
	fmt.Fprintf(stdout, "rss peak    %.1f MB (VmHWM)\n", float64(res.Peak)/megabyte)
	fmt.Fprintf(stdout, "rss now     %.1f MB (VmRSS), %s after exec\n", float64(res.Current)/megabyte, res.Elapsed.Round(time.Millisecond))
	if res.Peak > int64(plan.GoalMB)*megabyte {
		return fmt.Errorf("load: peak resident memory %.1f MB is over the %d MB goal", float64(res.Peak)/megabyte, plan.GoalMB)
	}
	return nil
}

// runMemory seeds a programme, starts the bot and has the admin and a
// hundred people use it while the scheduler ticks, then reads the bot's
// memory before stopping it.
func runMemory(ctx context.Context, plan memoryPlan) (memoryResult, error) {
	slack, dbPath, cleanup, err := loadWorkspace()
	if err != nil {
		return memoryResult{}, err
	}
	defer cleanup()
	prog, err := seedProgramme(ctx, dbPath, slack, plan.Participants, time.Now())
	if err != nil {
		return memoryResult{}, fmt.Errorf("load: seed: %w", err)
	}

	bot, err := startBot(slack, dbPath, plan.Log, "MENTORBOT_TICK=1s", "MENTORBOT_POST_RATE=50",
		"MENTORBOT_ADMINS="+prog.Admin, "MENTORBOT_HR_CHANNEL="+loadHRChannel)
	if err != nil {
		return memoryResult{}, fmt.Errorf("load: start the bot: %w", err)
	}
	res := memoryResult{Pairs: prog.Pairs}
	if res.Ready, err = bot.waitReady(ctx); err == nil {
		err = exerciseProgramme(ctx, slack, prog)
	}
	res.Elapsed = time.Since(bot.started)
	if err != nil {
		bot.kill()
		return res, fmt.Errorf("load: %w", err)
	}
	if res.Peak, res.Current, err = residentMemory(bot.cmd.Process.Pid); err != nil {
		bot.kill()
		return res, fmt.Errorf("load: %w", err)
	}
	return res, bot.stop()
}

// exerciseProgramme waits for the scheduler's first tick to plan the
// sessions coming up and send the first reminders, then has up to a
// hundred people open their Home tab at once while the admin asks for a
// summary, the export and a draft round.
func exerciseProgramme(ctx context.Context, slack *fakeslack.Server, prog seededProgramme) error {
	if err := slack.WaitUntil(ctx, func() bool { return slack.MessageCount(loadEventType) > 0 }); err != nil {
		return fmt.Errorf("no reminder was sent, so the tick never planned sessions: %w", err)
	}
	admin := slack.Person(prog.Admin)
	var wg sync.WaitGroup
	errs := make(chan error, len(prog.Sample)+1)
	for _, id := range prog.Sample {
		wg.Go(func() {
			p := slack.Person(id)
			if _, err := p.OpensHome(ctx); err != nil {
				errs <- err
				return
			}
			if _, err := p.WaitHome(ctx, ""); err != nil {
				errs <- err
			}
		})
	}
	wg.Go(func() {
		steps := []struct {
			command string
			done    func() error
		}{
			{"/mentor summary", func() error {
				return slack.WaitUntil(ctx, func() bool { return channelSays(slack, loadHRChannel, "Programme summary") })
			}},
			{"/mentor export", func() error { _, err := admin.WaitDM(ctx, "Here's the programme's export"); return err }},
			{"/mentor match", func() error {
				// The form opens at once and shows the round once it is drafted.
				if _, err := admin.WaitModal(ctx, "Matching draft"); err != nil {
					return fmt.Errorf("%w; the form shows: %s", err, admin.Modal().Rendered())
				}
				return nil
			}},
		}
		for _, s := range steps {
			if _, err := admin.Types(ctx, s.command); err != nil {
				errs <- err
				return
			}
			if err := s.done(); err != nil {
				errs <- fmt.Errorf("%s did not finish: %w", s.command, err)
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	return <-errs // nil when every step finished
}

// startupPlan is one start-to-ready run: how many starts, on a database of
// how many participants, and the slowest start allowed.
type startupPlan struct {
	Starts       int
	Participants int
	Goal         time.Duration
	Log          io.Writer
}

// startupCommand starts the bot again and again on the same database and
// reports how long each took from exec to ready.
func startupCommand(ctx context.Context, plan startupPlan, stdout io.Writer) error {
	if plan.Starts < 1 || plan.Participants < minLoadParticipants {
		return usageError{fmt.Errorf("load: -startup must be at least 1 and -participants at least %d", minLoadParticipants)}
	}
	fmt.Fprintf(stdout, "mentorbot load: %d starts on a database of %d participants, each from exec to connected with the scheduler armed.\n", plan.Starts, plan.Participants)
	starts, err := runStartups(ctx, plan)
	if err != nil {
		return err
	}
	s := summarize(starts)
	fmt.Fprintf(stdout, "ready       %s\n", s)
	if s.Max > plan.Goal {
		return fmt.Errorf("load: the slowest start took %s, over the %s goal", s.Max.Round(time.Millisecond), plan.Goal)
	}
	return nil
}

func runStartups(ctx context.Context, plan startupPlan) ([]time.Duration, error) {
	slack, dbPath, cleanup, err := loadWorkspace()
	if err != nil {
		return nil, err
	}
	defer cleanup()
	if _, err := seedProgramme(ctx, dbPath, slack, plan.Participants, time.Now()); err != nil {
		return nil, fmt.Errorf("load: seed: %w", err)
	}
	var starts []time.Duration
	for range plan.Starts {
		bot, err := startBot(slack, dbPath, plan.Log)
		if err != nil {
			return starts, fmt.Errorf("load: start the bot: %w", err)
		}
		took, err := bot.waitReady(ctx)
		if err != nil {
			bot.kill()
			return starts, fmt.Errorf("load: %w", err)
		}
		starts = append(starts, took)
		if err := bot.stop(); err != nil {
			return starts, fmt.Errorf("load: %w", err)
		}
	}
	return starts, nil
}

// soonEvery is how many pairs in one meet soon after the bot starts.
const soonEvery = 20

// minLoadParticipants is the smallest programme seedProgramme can lay out:
// an admin, a pair and someone of each other kind.
const minLoadParticipants = 10

// seededProgramme is what seedProgramme stored.
type seededProgramme struct {
	Admin  string   // a matched mentee who also runs the programme
	Pairs  int      // active pairs
	Sample []string // up to a hundred people of every kind, for Home tabs
}

// seedProgramme stores a programme well into its cycle: 80 % of the
// participants paired, with three weekly sessions behind each pair and
// goals set; 12 % trained and waiting for the next round; the rest mentors
// waiting for screening and mentees yet to read the onboarding. Profiles
// have two or three topics and a few free hours in one of several zones.
func seedProgramme(ctx context.Context, path string, slack *fakeslack.Server, participants int, now time.Time) (seededProgramme, error) {
	db, err := store.Open(ctx, path)
	if err != nil {
		return seededProgramme{}, err
	}
	defer db.Close()
	random := rand.New(rand.NewPCG(1, 1))
	cycle := loadCycle(now)
	if err := db.Apply(ctx, mentorbot.Change{Cycle: &cycle}); err != nil {
		return seededProgramme{}, fmt.Errorf("open the cycle: %w", err)
	}

	pairs := participants * 4 / 10
	trained := participants * 12 / 100
	var c mentorbot.Change
	seeded := seededProgramme{Pairs: pairs}
	for i := range participants {
		id := fmt.Sprintf("US%06d", i)
		zone := loadZones[i%len(loadZones)]
		slack.AddUser(fakeslack.User{ID: id, Name: "person" + strconv.Itoa(i), RealName: "Person " + strconv.Itoa(i), TZ: zone})
		mentee := i%2 == 1
		p := mentorbot.Participant{ID: id, JoinedAt: now.AddDate(0, 0, -30), StateSince: now.AddDate(0, 0, -21), UpdatedAt: now}
		p.Profile = loadProfile(random, mentee, zone)
		switch {
		case i < 2*pairs:
			p.State = mentorbot.StateMatched
			c.Goals = append(c.Goals, mentorbot.GoalSet{ParticipantID: id, CycleID: cycle.ID, UpdatedAt: now, Goals: []mentorbot.Goal{
				{Aim: "Understand how the other side of the company works", Signal: "I explain it to my team"},
				{Aim: "Try one new tool every fortnight", Signal: "Three tools tried by the end"},
			}})
		case i < 2*pairs+trained:
			p.State = mentorbot.StateTrained
		case mentee:
			p.State = mentorbot.StateApproved
		default:
			p.State = mentorbot.StateApplied
		}
		c.Participants = append(c.Participants, p)
		if i%max(participants/100, 10) == 0 {
			seeded.Sample = append(seeded.Sample, id)
		}
	}
	seeded.Admin = c.Participants[1].ID
	for k := range pairs {
		mentor, mentee := c.Participants[2*k], c.Participants[2*k+1]
		loc, _ := time.LoadLocation(mentor.TimeZone)
		slot := mentorbot.Slot{
			Weekday: time.Weekday(1 + random.IntN(5)), Minute: (9 + random.IntN(8)) * 60, Length: cycle.SessionLength,
			Zone: mentor.TimeZone, Cadence: mentorbot.CadenceWeekly, From: mentorbot.Day(cycle.StartsOn.In(loc)), Until: mentorbot.Day(cycle.EndsOn.In(loc)),
		}
		if k%soonEvery == 0 {
			// Meets half an hour from now, so the first tick owes both
			// people their hour-ahead reminder.
			soon := now.Add(30 * time.Minute).Truncate(time.Minute).In(loc)
			slot.Weekday, slot.Minute = soon.Weekday(), soon.Hour()*60+soon.Minute()
		}
		c.Pairs = append(c.Pairs, mentorbot.Pair{
			CycleID: cycle.ID, MentorID: mentor.ID, MenteeID: mentee.ID, Origin: mentorbot.OriginRound, State: mentorbot.PairActive,
			MentorAnswer: mentorbot.AnswerAccepted, MenteeAnswer: mentorbot.AnswerAccepted,
			CreatedAt: now.AddDate(0, 0, -24), StartedAt: now.AddDate(0, 0, -21), Slot: &slot,
		})
	}
	if err := db.Apply(ctx, c); err != nil {
		return seededProgramme{}, fmt.Errorf("store participants and pairs: %w", err)
	}

	// The sessions so far, once the pairs have their IDs: both said each
	// one happened.
	var sessions mentorbot.Change
	for _, pair := range c.Pairs {
		for _, start := range pastSessions(*pair.Slot, now) {
			sessions.Sessions = append(sessions.Sessions, mentorbot.Session{
				PairID: pair.ID, Occurrence: start, StartsAt: start, EndsAt: start.Add(pair.Slot.Length), State: mentorbot.SessionScheduled,
				MentorHeld: mentorbot.HeldYes, MenteeHeld: mentorbot.HeldYes, MentorHeldAt: start.Add(time.Hour), MenteeHeldAt: start.Add(2 * time.Hour),
			})
		}
	}
	if err := db.Apply(ctx, sessions); err != nil {
		return seededProgramme{}, fmt.Errorf("store sessions: %w", err)
	}
	return seeded, nil
}

// loadCycle is the cycle of a seeded programme: three weeks in, nine
// weeks to go.
func loadCycle(now time.Time) mentorbot.Cycle {
	today := now.UTC().Truncate(24 * time.Hour)
	return mentorbot.Cycle{
		Name: "Spring cycle", StartsOn: today.AddDate(0, 0, -21), EndsOn: today.AddDate(0, 0, 63),
		Cadence: mentorbot.CadenceWeekly, SessionLength: 45 * time.Minute, GroundRules: "Be curious, be kind, keep it between you.",
		Topics: mentorbot.DefaultTopics, Matching: mentorbot.DefaultMatchSettings, CreatedAt: now, UpdatedAt: now,
	}
}

// pastSessions lists the slot's sessions that started before now.
func pastSessions(slot mentorbot.Slot, now time.Time) []time.Time {
	var out []time.Time
	for n := 0; ; n++ {
		start, ok := slot.Session(n)
		if !ok || !start.Before(now) {
			return out
		}
		out = append(out, start)
	}
}

// loadProfile is a plausible profile: mentors junior, mentees senior, two
// or three topics from the catalogue, two free windows on weekdays.
func loadProfile(random *rand.Rand, mentee bool, zone string) mentorbot.Profile {
	p := mentorbot.Profile{
		Role: mentorbot.RoleMentor, JobLevel: mentorbot.JobLevel(1 + random.IntN(3)), Capacity: 1,
		Department: fmt.Sprintf("Department %d", random.IntN(12)), TimeZone: zone,
		Pitch: "I'd like to share what I know and learn how others work.",
	}
	if mentee {
		p.Role, p.JobLevel, p.Capacity = mentorbot.RoleMentee, mentorbot.JobLevel(5+random.IntN(3)), 0
	}
	for _, t := range random.Perm(len(mentorbot.DefaultTopics))[:2+random.IntN(2)] {
		p.Topics = append(p.Topics, mentorbot.TopicInterest{Topic: mentorbot.DefaultTopics[t], Level: mentorbot.Level(1 + random.IntN(5))})
	}
	for _, day := range random.Perm(5)[:2] {
		start := (9 + random.IntN(7)) * 60
		p.Availability = append(p.Availability, mentorbot.Window{Day: time.Weekday(1 + day), Start: start, End: start + 120})
	}
	return p
}
