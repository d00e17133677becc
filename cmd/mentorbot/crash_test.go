package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
	"github.com/mentorbot/mentorbot/store"
)

// crashSeedVariable replays a crash run's kill points: the test logs the
// seed it drew them from.
const crashSeedVariable = "MENTORBOT_CRASH_SEED"

// crashKills is how many times a run kills the bot.
const crashKills = 3

// crashAdmin runs the programme; crashMentors and crashMentees take part.
const crashAdmin = "UCADMIN"

var (
	crashMentors = []string{"UCMENTOR1", "UCMENTOR2", "UCMENTOR3", "UCMENTOR4", "UCMENTOR5"}
	crashMentees = []string{"UCMENTEE1", "UCMENTEE2", "UCMENTEE3", "UCMENTEE4", "UCMENTEE5"}
)

// The bot is SIGKILLed at random moments while the admin publishes a round
// and people accept, decline, pause and leave through Slack, and started
// again each time. Every message the programme owes arrives, none more
// than once beyond what was in flight at a kill, and each person's action
// counts exactly once.
func TestCrashesLoseNoMessageAndRepeatNoAction(t *testing.T) {
	t.Parallel()
	seed := crashSeed(t)
	t.Logf("kill points drawn from seed %d; %s=%d replays them", seed, crashSeedVariable, seed)
	random := rand.New(rand.NewPCG(seed, 0))
	ctx := loadContext(t)
	w := startCrashWorld(ctx, t)

	round := w.draftRound(ctx)
	steps := w.crashSteps(round)
	points := make([]crashPoint, crashKills)
	for i := range points {
		points[i] = crashPoint{step: random.IntN(len(steps)), after: time.Duration(random.Int64N(int64(crashWindow)))}
		t.Logf("kill %d: %v into %q", i+1, points[i].after.Round(time.Microsecond), steps[points[i].step].name)
	}
	var kills sync.WaitGroup
	for i, s := range steps {
		for _, at := range points {
			if at.step == i {
				kills.Go(func() {
					time.Sleep(at.after) // the kill point itself, not a wait for anything
					w.crash(ctx)
				})
			}
		}
		if err := w.run(ctx, s); err != nil {
			kills.Wait()
			t.Fatal(err)
		}
	}
	kills.Wait()
	w.waitIdle(ctx)
	if err := w.bot.stop(); err != nil {
		t.Fatal(err)
	}
	w.checkDelivered(ctx, t)
	w.checkOutcomes(ctx, t, round)
	for _, v := range w.slack.Violations() {
		// A kill can lose an ack the bot sent after it opened a form; the
		// restarted bot handles the redelivered request again and tries
		// the trigger a second time, which Slack refuses: nothing the bot
		// can know.
		if !strings.Contains(v, "was already used") {
			t.Errorf("Slack would have refused: %s", v)
		}
	}
}

// crashWindow bounds how long after a step begins its kill falls: a person
// action is handled within a few milliseconds, so most kills land in its
// handling or in the messages it sets off.
const crashWindow = 40 * time.Millisecond

// crashPoint is one kill: so long after a step begins.
type crashPoint struct {
	step  int
	after time.Duration
}

func crashSeed(t *testing.T) uint64 {
	if s := os.Getenv(crashSeedVariable); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", crashSeedVariable, s, err)
		}
		return seed
	}
	return rand.Uint64()
}

// crashWorld is the fake Slack, the bot as its own process on a sqlite
// file, and the test's own connection to that file.
type crashWorld struct {
	t     *testing.T
	slack *fakeslack.Server
	db    *store.DB
	path  string
	log   *lockedBuffer
	cycle int64

	mu     sync.Mutex // one kill and restart at a time
	bot    *botProcess
	killed int // kills so far; guarded by mu
}

func startCrashWorld(ctx context.Context, t *testing.T) *crashWorld {
	slack, path, cleanup, err := loadWorkspace()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cleanup)
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w := &crashWorld{t: t, slack: slack, db: db, path: path, log: testLog(t)}
	w.cycle = seedCrashProgramme(ctx, t, db, slack, time.Now())
	if w.bot, err = w.start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		select {
		case <-w.bot.exited:
		default:
			w.bot.kill()
		}
	})
	return w
}

// start runs the bot and waits until it is connected.
func (w *crashWorld) start(ctx context.Context) (*botProcess, error) {
	bot, err := startBot(w.slack, w.path, w.log, "MENTORBOT_TICK=1s", "MENTORBOT_POST_RATE=50",
		"MENTORBOT_SHUTDOWN_TIMEOUT="+loadShutdown.String(), "MENTORBOT_ADMINS="+crashAdmin, "MENTORBOT_HR_CHANNEL="+loadHRChannel)
	if err != nil {
		return nil, err
	}
	if _, err := bot.waitReady(ctx); err != nil {
		bot.kill()
		return nil, err
	}
	return bot, nil
}

// crash kills the bot with SIGKILL and starts it again on the same file.
func (w *crashWorld) crash(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.killed++
	_ = w.bot.cmd.Process.Signal(os.Kill)
	<-w.bot.exited
	bot, err := w.start(ctx)
	if err != nil {
		// The steps waiting on the bot fail on their own and say where.
		w.t.Errorf("start the bot again after kill %d: %v", w.killed, err)
		return
	}
	w.bot = bot
}

// kills counts the kills so far: a step that saw one since it began tries
// again, as a person who got no answer does.
func (w *crashWorld) kills() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.killed
}

// seedCrashProgramme stores an open cycle and five mentors and five mentees
// ready to be matched, with profiles any of them could pair on.
func seedCrashProgramme(ctx context.Context, t *testing.T, db *store.DB, slack *fakeslack.Server, now time.Time) int64 {
	today := now.UTC().Truncate(24 * time.Hour)
	cycle := mentorbot.Cycle{
		Name: "Crash cycle", StartsOn: today.AddDate(0, 0, -7), EndsOn: today.AddDate(0, 0, 70),
		Cadence: mentorbot.CadenceWeekly, SessionLength: 45 * time.Minute, GroundRules: "Be curious, be kind.",
		Topics: mentorbot.DefaultTopics, Matching: mentorbot.DefaultMatchSettings, CreatedAt: now, UpdatedAt: now,
	}
	if err := db.Apply(ctx, mentorbot.Change{Cycle: &cycle}); err != nil {
		t.Fatal(err)
	}
	slack.AddUser(fakeslack.User{ID: crashAdmin, Name: "admin", RealName: "The Admin", TZ: "Europe/London"})
	var c mentorbot.Change
	for i, id := range slices.Concat(crashMentors, crashMentees) {
		slack.AddUser(fakeslack.User{ID: id, Name: "person" + strconv.Itoa(i), RealName: "Person " + strconv.Itoa(i), TZ: "Europe/London"})
		profile := mentorbot.Profile{
			Role: mentorbot.RoleMentor, JobLevel: 2, Capacity: 1, Department: "Department " + strconv.Itoa(i), TimeZone: "Europe/London",
			Pitch: "I'd like to share what I know and learn how others work.",
			Topics: []mentorbot.TopicInterest{
				{Topic: mentorbot.DefaultTopics[0], Level: 4}, {Topic: mentorbot.DefaultTopics[1], Level: 3},
			},
		}
		if i >= len(crashMentors) {
			profile.Role, profile.JobLevel, profile.Capacity = mentorbot.RoleMentee, 6, 0
		}
		for day := time.Monday; day <= time.Friday; day++ {
			profile.Availability = append(profile.Availability, mentorbot.Window{Day: day, Start: 9 * 60, End: 17 * 60})
		}
		c.Participants = append(c.Participants, mentorbot.Participant{
			ID: id, Profile: profile, State: mentorbot.StateTrained,
			JoinedAt: now.AddDate(0, 0, -10), StateSince: now.AddDate(0, 0, -8), UpdatedAt: now,
		})
	}
	if err := db.Apply(ctx, c); err != nil {
		t.Fatal(err)
	}
	return cycle.ID
}

// draftRound has the admin draft the round, before any kill, and returns
// its pairs, oldest first.
func (w *crashWorld) draftRound(ctx context.Context) []mentorbot.Pair {
	admin := w.slack.Person(crashAdmin)
	if _, err := admin.Types(ctx, "/mentor match"); err != nil {
		w.t.Fatal(err)
	}
	if _, err := admin.WaitModal(ctx, "Matching draft"); err != nil {
		w.t.Fatal(err)
	}
	round, err := w.db.UnpublishedRound(ctx, w.cycle)
	if err != nil {
		w.t.Fatal(err)
	}
	if len(round.Pairs) != len(crashMentees) {
		w.t.Fatalf("the draft has %d pairs, want %d: %+v", len(round.Pairs), len(crashMentees), round.Pairs)
	}
	return slices.SortedFunc(slices.Values(round.Pairs), func(a, b mentorbot.Pair) int { return int(a.ID - b.ID) })
}

// crashStep is one person's action: done reads from the database whether
// it counted, do is what the person does in Slack. A kill may cut do
// short anywhere; the person then looks whether it counted, and if not,
// does it again.
type crashStep struct {
	name string
	who  string
	done func(context.Context) (bool, error)
	do   func(ctx context.Context, p *fakeslack.Person, since int) error
	// then, if set, is what everyone waits for once it counted, before
	// the story goes on.
	then func(context.Context) error
}

// crashSteps is the story, in a fixed order so its outcome is the same
// wherever the kills fall: the admin publishes; both people of the first
// two pairs accept; the third pair's mentee and the fourth's mentor
// decline; the fifth's mentor accepts alone; the first pair's mentee
// pauses and the second pair's mentor leaves.
func (w *crashWorld) crashSteps(round []mentorbot.Pair) []crashStep {
	steps := []crashStep{{name: "the admin publishes the round", who: crashAdmin, done: w.published, do: w.publish, then: w.introduced}}
	for _, a := range []struct {
		pair int
		who  string
	}{{0, round[0].MentorID}, {0, round[0].MenteeID}, {1, round[1].MentorID}, {1, round[1].MenteeID}, {4, round[4].MentorID}} {
		steps = append(steps, crashStep{name: a.who + " accepts", who: a.who,
			done: w.answered(round[a.pair].ID, a.who, mentorbot.AnswerAccepted), do: w.accept})
	}
	for _, d := range []struct {
		pair int
		who  string
	}{{2, round[2].MenteeID}, {3, round[3].MentorID}} {
		steps = append(steps, crashStep{name: d.who + " declines", who: d.who,
			done: w.answered(round[d.pair].ID, d.who, mentorbot.AnswerDeclined), do: w.decline})
	}
	return append(steps,
		crashStep{name: round[0].MenteeID + " pauses", who: round[0].MenteeID, done: w.inState(round[0].MenteeID, mentorbot.StatePaused), do: w.pause},
		crashStep{name: round[1].MentorID + " leaves", who: round[1].MentorID, done: w.inState(round[1].MentorID, mentorbot.StateLeft), do: w.leave},
	)
}

// maxCrashTries bounds how often a person tries one action: a kill a try
// cuts short costs one, and there are only so many kills.
const maxCrashTries = crashKills + 2

func (w *crashWorld) run(ctx context.Context, s crashStep) error {
	p := w.slack.Person(s.who)
	for try := 1; try <= maxCrashTries; try++ {
		if done, err := s.done(ctx); err != nil || done {
			if err == nil && s.then != nil {
				err = s.then(ctx)
			}
			return err
		}
		since := w.kills()
		err := closeModals(ctx, p)
		if err == nil {
			err = s.do(ctx, p, since)
		}
		switch {
		case err != nil && w.kills() == since:
			return fmt.Errorf("%s: %w", s.name, err)
		case err != nil:
			w.t.Logf("%s: a kill cut try %d short (%v); the person tries again", s.name, try, err)
		}
	}
	return fmt.Errorf("%s: still not done after %d tries", s.name, maxCrashTries)
}

func closeModals(ctx context.Context, p *fakeslack.Person) error {
	for p.Modal() != nil {
		if err := p.Cancel(ctx); err != nil {
			return err
		}
	}
	return nil
}

// errKilled says the bot was killed before what a person waited for came.
var errKilled = errors.New("the bot was killed meanwhile")

// waitSees waits until cond holds, giving up once the bot is killed after
// since: what the dead process was about to do will never come.
func (w *crashWorld) waitSees(ctx context.Context, since int, cond func() bool) error {
	var killed bool
	err := w.slack.WaitUntil(ctx, func() bool {
		if cond() {
			return true
		}
		killed = w.kills() != since
		return killed
	})
	if err == nil && killed {
		return errKilled
	}
	return err
}

func (w *crashWorld) publish(ctx context.Context, admin *fakeslack.Person, since int) error {
	if _, err := admin.Types(ctx, "/mentor match"); err != nil {
		return err
	}
	if err := w.waitSees(ctx, since, func() bool { v := admin.Modal(); return v != nil && v.Title == "Matching draft" }); err != nil {
		return err
	}
	_, err := admin.Submit(ctx, nil)
	return err
}

// introduced waits until everyone in the round has their introduction, so
// no one answers before their partner has theirs: an answer would call
// off an introduction still queued, wherever the kills fell. The outbox
// keeps them across kills, so a kill only delays them.
func (w *crashWorld) introduced(ctx context.Context) error {
	for _, id := range slices.Concat(crashMentors, crashMentees) {
		if _, err := w.slack.Person(id).WaitDM(ctx, "Meet your match"); err != nil {
			return err
		}
	}
	return nil
}

// paired waits until the person has the message that greets their pair,
// so pausing or leaving never calls it off before it went.
func paired(ctx context.Context, slack *fakeslack.Server, p *fakeslack.Person) error {
	return slack.WaitUntil(ctx, func() bool { return len(p.GroupMessages()) > 0 })
}

func (w *crashWorld) published(ctx context.Context) (bool, error) {
	_, err := w.db.UnpublishedRound(ctx, w.cycle)
	if mentorbot.ErrorCode(err) == mentorbot.ENOTFOUND {
		return true, nil
	}
	return false, err
}

// accept presses Accept on the introduction, which comes through the
// outbox: a kill only delays it.
func (w *crashWorld) accept(ctx context.Context, p *fakeslack.Person, _ int) error {
	if _, err := p.WaitDM(ctx, "Meet your match"); err != nil {
		return err
	}
	_, err := p.Clicks(ctx, "pair_accept")
	return err
}

func (w *crashWorld) decline(ctx context.Context, p *fakeslack.Person, since int) error {
	if _, err := p.WaitDM(ctx, "Meet your match"); err != nil {
		return err
	}
	if _, err := p.Clicks(ctx, "pair_decline"); err != nil {
		return err
	}
	if err := w.waitSees(ctx, since, func() bool { v := p.Modal(); return v != nil && v.Title == "Decline the match" }); err != nil {
		return err
	}
	_, err := p.Submit(ctx, map[string]string{mentorbot.FieldDeclineReason: "We work in the same team."})
	return err
}

func (w *crashWorld) pause(ctx context.Context, p *fakeslack.Person, since int) error {
	if err := paired(ctx, w.slack, p); err != nil {
		return err
	}
	if _, err := p.Types(ctx, "/mentor pause"); err != nil {
		return err
	}
	if err := w.waitSees(ctx, since, func() bool { v := p.Modal(); return v != nil && v.Title == "Take a break" }); err != nil {
		return err
	}
	back := time.Now().AddDate(0, 0, 30).Format(time.DateOnly)
	_, err := p.Submit(ctx, map[string]string{mentorbot.FieldPauseUntil: back})
	return err
}

// leave confirms in the message `/mentor leave` answers with; the bot
// takes the person out after the ack, so the person waits to see it.
func (w *crashWorld) leave(ctx context.Context, p *fakeslack.Person, since int) error {
	if err := paired(ctx, w.slack, p); err != nil {
		return err
	}
	if _, err := p.Types(ctx, "/mentor leave"); err != nil {
		return err
	}
	if _, err := p.Clicks(ctx, "leave"); err != nil {
		return err
	}
	return w.waitSees(ctx, since, func() bool {
		return slices.ContainsFunc(p.DMs(), func(m fakeslack.Message) bool { return strings.Contains(m.Text, "You've left the programme") })
	})
}

func (w *crashWorld) answered(pairID int64, who string, answer mentorbot.Answer) func(context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		p, err := w.db.Pair(ctx, pairID)
		return p.AnswerOf(who) == answer, err
	}
}

func (w *crashWorld) inState(who string, state mentorbot.State) func(context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		p, err := w.db.Participant(ctx, who)
		return p.State == state, err
	}
}

// idleCheck is how often waitIdle reads the database again: the bot
// marks a message sent in its own process, which tells the test nothing.
const idleCheck = 20 * time.Millisecond

// waitIdle waits until nothing due is left in the outbox and every message
// marked sent has arrived.
func (w *crashWorld) waitIdle(ctx context.Context) {
	tick := time.NewTicker(idleCheck)
	defer tick.Stop()
	for {
		due, err := w.db.DueOutbox(ctx, time.Now(), mentorbot.OutboxCursor{}, 1)
		if err != nil {
			w.t.Fatal(err)
		}
		if len(due) == 0 && len(w.unarrived(ctx)) == 0 {
			return
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			w.t.Fatalf("the bot never finished sending: %v; still due %+v; sent but not arrived %v", ctx.Err(), due, w.unarrived(ctx))
		}
	}
}

// outbox lists every message about a pair the programme ever owed.
func (w *crashWorld) outbox(ctx context.Context) []mentorbot.OutboxItem {
	pairs, err := w.db.PairsIn(ctx, mentorbot.PairDraft, mentorbot.PairRemoved, mentorbot.PairProposed, mentorbot.PairRequested,
		mentorbot.PairActive, mentorbot.PairDeclined, mentorbot.PairLapsed, mentorbot.PairWithdrawn, mentorbot.PairEnded)
	if err != nil {
		w.t.Fatal(err)
	}
	var items []mentorbot.OutboxItem
	for _, p := range pairs {
		of, err := w.db.OutboxOf(ctx, p.ID)
		if err != nil {
			w.t.Fatal(err)
		}
		items = append(items, of...)
	}
	return items
}

// unarrived lists the keys of messages marked sent that Slack never got.
func (w *crashWorld) unarrived(ctx context.Context) []string {
	arrived := w.slack.MetadataValues(loadEventType, "key")
	var missing []string
	for _, item := range w.outbox(ctx) {
		if item.State == mentorbot.OutboxSent && arrived[item.Key] == 0 {
			missing = append(missing, item.Key)
		}
	}
	return missing
}

// checkDelivered: every message is sent or no longer worth sending, each
// sent one arrived, and only those in flight at a kill arrived twice.
func (w *crashWorld) checkDelivered(ctx context.Context, t *testing.T) {
	if n, err := w.db.PendingOutbox(ctx); err != nil || n != 0 {
		t.Errorf("%d messages still pending (%v)", n, err)
	}
	for _, item := range w.outbox(ctx) {
		if item.State != mentorbot.OutboxSent && item.State != mentorbot.OutboxDropped {
			t.Errorf("%s is %s: %s", item.Key, item.State, item.Error)
		}
	}
	if missing := w.unarrived(ctx); len(missing) > 0 {
		t.Errorf("marked sent but never arrived: %v", missing)
	}
	repeated := 0
	for key, n := range w.slack.MetadataValues(loadEventType, "key") {
		if n > 1 {
			t.Logf("%s arrived %d times", key, n)
			repeated += n - 1
		}
	}
	if bound := outboxLanes * w.killed; repeated > bound {
		t.Errorf("%d messages arrived again; %d kills leave at most %d in flight", repeated, w.killed, bound)
	}
}

// checkOutcomes: what each person is owed for what they and others did,
// exactly once each.
func (w *crashWorld) checkOutcomes(ctx context.Context, t *testing.T, round []mentorbot.Pair) {
	// Counted by what arrived: a message sent just before a kill may be
	// dropped after the restart, as no longer worth sending, yet its
	// reader has it.
	arrived := w.slack.MetadataValues(loadEventType, "key")
	got := map[string]int{} // distinct messages by kind, pair and reader
	for _, item := range w.outbox(ctx) {
		if arrived[item.Key] > 0 {
			got[fmt.Sprintf("%s %d %s", item.Kind, item.PairID, item.To)]++
		}
	}
	once := func(kind mentorbot.OutboxKind, pair mentorbot.Pair, to string) {
		t.Helper()
		if n := got[fmt.Sprintf("%s %d %s", kind, pair.ID, to)]; n != 1 {
			t.Errorf("%s got %d messages of kind %s about pair %d, want 1", to, n, kind, pair.ID)
		}
	}
	for _, p := range round {
		once(mentorbot.OutboxProposed, p, p.MentorID)
		once(mentorbot.OutboxProposed, p, p.MenteeID)
	}
	once(mentorbot.OutboxPairStarted, round[0], round[0].MentorID)
	once(mentorbot.OutboxPairStarted, round[1], round[1].MentorID)
	once(mentorbot.OutboxMatchOff, round[2], round[2].MentorID)
	once(mentorbot.OutboxMatchOff, round[3], round[3].MenteeID)
	once(mentorbot.OutboxPartnerPaused, round[0], round[0].MentorID)
	once(mentorbot.OutboxPartnerLeft, round[1], round[1].MenteeID)

	// The fourth pair's decline freed two people who can each be matched
	// with someone of the third pair: both are proposed again.
	rematched, err := w.db.PairsIn(ctx, mentorbot.PairProposed)
	if err != nil {
		t.Fatal(err)
	}
	rematched = slices.DeleteFunc(rematched, func(p mentorbot.Pair) bool { return p.Origin != mentorbot.OriginRematch })
	if len(rematched) != 2 {
		t.Errorf("%d pairs proposed again after the declines, want 2: %+v", len(rematched), rematched)
	}
	for _, p := range rematched {
		once(mentorbot.OutboxProposed, p, p.MentorID)
		once(mentorbot.OutboxProposed, p, p.MenteeID)
	}

	for _, s := range []struct {
		who  string
		to   mentorbot.State
		want int
	}{{round[0].MenteeID, mentorbot.StatePaused, 1}, {round[1].MentorID, mentorbot.StateLeft, 1}} {
		moves, err := w.db.Transitions(ctx, s.who)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range moves {
			if m.To == s.to {
				n++
			}
		}
		if n != s.want {
			t.Errorf("%s moved to %s %d times, want %d: %+v", s.who, s.to, n, s.want, moves)
		}
	}
}
