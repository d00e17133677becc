package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
	"github.com/mentorbot/mentorbot/store"
)

// ackPlan is one ack-latency run: how many people use the bot at once, how
// many steps each takes, and how long they think between them.
type ackPlan struct {
	People   int
	Commands int           // steps each person takes, joining included
	Think    time.Duration // the longest pause before a step
	Goal     time.Duration // the slowest 1 in 100 acks may take this long
	DB       string        // a postgres:// URL, or empty for a SQLite file of the run's own
	Replicas int           // replicas sharing the database; the fake spreads envelopes over them
	// RollingRestart restarts the replicas one after the other while the
	// people act, as a deploy does: SIGTERM, start again, wait until ready.
	RollingRestart bool
	Log            io.Writer
}

// ackResult is what an ack-latency run measured.
type ackResult struct {
	Acks       durationSummary
	Unacked    int
	Failed     int   // steps that did not end as a person would expect
	ViaButton  int   // forms that opened from the one-click button the bot sent when the first try ran out of time
	FirstError error // the first of those, to start looking
	Violations []string
	Elapsed    time.Duration
	// ByConnection counts the acks on each Socket Mode connection, by the
	// fake's number for it; a restarted replica opens a new one.
	ByConnection map[int]int
	Redelivered  int // envelopes acked on a later attempt, their first connection gone
	Restarts     []restart
	// Lost counts what people did that left no trace: a join that ended
	// as expected with no participant stored, and messages owed by the
	// end that were still unsent a while after it.
	NotStored, Unsent int
}

// ackCommand has people join and use the bot all at once, and reports how
// long the bot took to acknowledge each envelope the fake Slack sent.
func ackCommand(ctx context.Context, plan ackPlan, stdout io.Writer) error {
	if plan.People < 1 || plan.Commands < 1 || plan.Think < 0 {
		return usageError{errors.New("load: -people and -commands must be at least 1, -think not negative")}
	}
	if err := checkReplicas(plan.Replicas, plan.DB); err != nil {
		return err
	}
	restarted := ""
	if plan.RollingRestart {
		restarted = ", restarted one after the other"
	}
	fmt.Fprintf(stdout, "mentorbot load: %d people, %d steps each, thinking up to %s before each; %s on %s%s.\n", plan.People, plan.Commands, plan.Think, replicaCount(plan.Replicas), backendName(plan.DB), restarted)
	res, err := runAcks(ctx, plan)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "acks        %s\n", res.Acks)
	fmt.Fprintf(stdout, "spread      %s; %d acked on a redelivery\n", connectionSpread(res.ByConnection), res.Redelivered)
	fmt.Fprintf(stdout, "unacked     %d\n", res.Unacked)
	fmt.Fprintf(stdout, "steps       %d of %d ended as expected, in %s\n", plan.People*plan.Commands-res.Failed, plan.People*plan.Commands, res.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(stdout, "one click   %d forms not opened within their trigger's 3 s opened from the button the bot sent in a DM\n", res.ViaButton)
	if res.FirstError != nil {
		fmt.Fprintf(stdout, "first fault %v\n", res.FirstError)
	}
	for _, r := range res.Restarts {
		fmt.Fprintf(stdout, "restart     %s: exit %d %s after SIGTERM, ready again %s after that\n", cmp.Or(r.Replica, "the bot"), r.Exit, r.StopTook.Round(time.Millisecond), r.Ready.Round(time.Millisecond))
	}
	fmt.Fprintf(stdout, "lost        %d: %d joins not stored, %d messages owed and not sent within %s of the last step\n", res.NotStored+res.Unsent, res.NotStored, res.Unsent, owedWait)
	for _, v := range res.Violations {
		fmt.Fprintf(stdout, "Slack would have refused: %s\n", v)
	}
	var problems []string
	if lost := res.NotStored + res.Unsent; lost > 0 {
		problems = append(problems, fmt.Sprintf("%d lost", lost))
	}
	for _, r := range res.Restarts {
		if r.Exit != 0 {
			problems = append(problems, fmt.Sprintf("%s exited %d after SIGTERM", cmp.Or(r.Replica, "the bot"), r.Exit))
		}
	}
	if res.Acks.P99 > plan.Goal {
		problems = append(problems, fmt.Sprintf("p99 ack %s is over the %s goal", res.Acks.P99.Round(time.Millisecond/10), plan.Goal))
	}
	if res.Unacked > 0 {
		problems = append(problems, fmt.Sprintf("%d envelopes never acknowledged", res.Unacked))
	}
	// Steps that did not finish are reported, not failed: this many people
	// at once ask for more forms and DMs than Slack lets the bot send, and
	// the bot keeps to Slack's pace rather than risk a 429 for everyone.
	if len(res.Violations) > 0 {
		problems = append(problems, fmt.Sprintf("%d Slack rules were broken", len(res.Violations)))
	}
	if len(problems) > 0 {
		return fmt.Errorf("load: %s", strings.Join(problems, "; "))
	}
	return nil
}

// loadHRChannel is the HR channel of the load's workspace.
const loadHRChannel = "C0HRLOAD"

// runAcks starts the bot's replicas on a fresh database with plan.People
// in the workspace, the first of them its admin, and lets everyone act at
// once, restarting the replicas one after the other meanwhile if asked.
func runAcks(ctx context.Context, plan ackPlan) (ackResult, error) {
	plan.Replicas = max(plan.Replicas, 1)
	slack, dsn, cleanup, err := loadWorkspaceOn(ctx, plan.DB)
	if err != nil {
		return ackResult{}, err
	}
	defer cleanup()

	progress := newProgress()
	people := make([]loadPerson, plan.People)
	for i := range people {
		id := fmt.Sprintf("UP%05d", i)
		slack.AddUser(fakeslack.User{ID: id, Name: "person" + strconv.Itoa(i), RealName: "Person " + strconv.Itoa(i), TZ: loadZones[i%len(loadZones)]})
		people[i] = loadPerson{Person: slack.Person(id), slack: slack, mentee: i%2 == 1, admin: i == 0,
			random: rand.New(rand.NewPCG(uint64(i), 1)), think: plan.Think, pressed: new(int), joined: new(bool), progress: progress}
	}
	bots, err := startFleet(ctx, slack, dsn, plan.Replicas, plan.Log,
		"MENTORBOT_ADMINS="+people[0].ID(), "MENTORBOT_HR_CHANNEL="+loadHRChannel)
	if err != nil {
		return ackResult{}, err
	}

	var (
		mu  sync.Mutex
		res ackResult
		wg  sync.WaitGroup
	)
	began := time.Now()
	for _, p := range people {
		wg.Go(func() {
			failed, first := p.act(ctx, plan.Commands)
			mu.Lock()
			defer mu.Unlock()
			res.Failed += failed
			res.ViaButton += *p.pressed
			if res.FirstError == nil {
				res.FirstError = first
			}
		})
	}
	var restartErr error
	if plan.RollingRestart {
		res.Restarts, restartErr = rollingRestart(ctx, bots, progress, plan.People*plan.Commands)
	}
	wg.Wait()
	res.Elapsed = time.Since(began)
	if restartErr == nil {
		res.NotStored, res.Unsent, restartErr = whatWasLost(ctx, dsn, people)
	}
	stopErr := bots.stop()

	var latencies []time.Duration
	res.ByConnection = map[int]int{}
	for _, a := range slack.Acks() {
		latencies = append(latencies, a.Latency)
		res.ByConnection[a.Connection]++
		if a.RetryAttempt > 0 {
			res.Redelivered++
		}
	}
	res.Acks = summarize(latencies)
	res.Unacked = slack.Unacked()
	res.Violations = slack.Violations()
	if restartErr != nil {
		return res, fmt.Errorf("load: %w", restartErr)
	}
	return res, stopErr
}

// rollingRestart restarts each replica in turn, as a deploy does, the
// first once a share of the steps is done and each next once the one
// before is ready again and the next share is done, so the restarts fall
// within the run.
func rollingRestart(ctx context.Context, bots *fleet, progress *progress, steps int) ([]restart, error) {
	var restarts []restart
	for i := range bots.bots {
		if err := progress.waitFor(ctx, (i+1)*steps/(len(bots.bots)+1)); err != nil {
			return restarts, fmt.Errorf("waiting to restart: %w", err)
		}
		r, err := bots.restart(ctx, i)
		restarts = append(restarts, r)
		if err != nil {
			return restarts, err
		}
	}
	return restarts, nil
}

// owedWait bounds how long a run waits, once everyone is done, for the
// messages owed by then to go out.
const owedWait = time.Minute

// whatWasLost counts the people whose join ended as expected but who are
// not stored, and the messages owed by now that are still unsent after
// owedWait.
func whatWasLost(ctx context.Context, dsn string, people []loadPerson) (notStored, unsent int, err error) {
	db, err := store.OpenExisting(ctx, dsn)
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	for _, p := range people {
		if !*p.joined {
			continue
		}
		if _, err := db.Participant(ctx, p.ID()); mentorbot.ErrorCode(err) == mentorbot.ENOTFOUND {
			notStored++
		} else if err != nil {
			return 0, 0, err
		}
	}
	owedBy := time.Now()
	giveUp := time.After(owedWait)
	// The outbox says nothing when it sends, so it is looked at again and
	// again until nothing owed by now is pending.
	look := time.NewTicker(100 * time.Millisecond)
	defer look.Stop()
	for {
		items, err := db.PendingOutboxItems(ctx, math.MaxInt32)
		if err != nil {
			return 0, 0, err
		}
		unsent = 0
		for _, it := range items {
			if !it.DueAt.After(owedBy) {
				unsent++
			}
		}
		if unsent == 0 {
			return notStored, 0, nil
		}
		select {
		case <-look.C:
		case <-giveUp:
			return notStored, unsent, nil
		case <-ctx.Done():
			return notStored, unsent, ctx.Err()
		}
	}
}

// progress counts the steps people have taken, for what waits for a
// share of them.
type progress struct {
	mu      sync.Mutex
	done    int
	changed chan struct{} // closed, and replaced, at each step
}

func newProgress() *progress { return &progress{changed: make(chan struct{})} }

func (p *progress) step() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	close(p.changed)
	p.changed = make(chan struct{})
}

// waitFor returns once n steps are done.
func (p *progress) waitFor(ctx context.Context, n int) error {
	for {
		p.mu.Lock()
		done, changed := p.done, p.changed
		p.mu.Unlock()
		if done >= n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// connectionSpread says how many acks each connection carried.
func connectionSpread(by map[int]int) string {
	var parts []string
	for _, conn := range slices.Sorted(maps.Keys(by)) {
		parts = append(parts, fmt.Sprintf("%d acks on connection %d", by[conn], conn))
	}
	return strings.Join(parts, ", ")
}

// loadPerson is someone in the load's workspace, using the bot as people
// do: join, then look around, read, set goals, change their mind.
type loadPerson struct {
	*fakeslack.Person
	slack  *fakeslack.Server
	mentee bool
	admin  bool
	random *rand.Rand
	think  time.Duration
	// pressed counts the one-click form buttons the person pressed, and
	// joined says their join ended as expected; one goroutine acts for
	// each person.
	pressed  *int
	joined   *bool
	progress *progress // nil when nothing counts the steps
}

// stepWait bounds how long a person waits to see what a step brings, such
// as a form opening; the bot posts at its own pace, so a DM may queue.
const stepWait = 30 * time.Second

// act joins the programme, then takes the other steps in turn from a
// random place in the list; it returns how many steps failed, and the
// first failure.
func (p loadPerson) act(ctx context.Context, steps int) (failed int, first error) {
	list := personSteps
	if p.admin {
		list = append(append([]loadStep{}, personSteps...), adminSteps...)
	}
	offset := p.random.IntN(len(list))
	for i := range steps {
		step := loadStep{"join", loadPerson.join}
		if i > 0 {
			step = list[(offset+i)%len(list)]
		}
		p.pause()
		stepCtx, cancel := context.WithTimeout(ctx, stepWait)
		err := step.do(p, stepCtx)
		if err == nil {
			err = p.closeForms(stepCtx)
		}
		cancel()
		if i == 0 && err == nil && p.joined != nil {
			*p.joined = true
		}
		if p.progress != nil {
			p.progress.step()
		}
		if err != nil {
			failed++
			if first == nil {
				first = fmt.Errorf("%s, step %q: %w", p.ID(), step.name, err)
			}
			_ = p.closeForms(ctx)
		}
	}
	return failed, first
}

// pause is the person reading and deciding what to do next.
func (p loadPerson) pause() {
	if p.think > 0 {
		time.Sleep(time.Duration(p.random.Int64N(int64(p.think))))
	}
}

// loadStep is one thing a person does.
type loadStep struct {
	name string
	do   func(loadPerson, context.Context) error
}

// personSteps are what anyone in the programme does, in a realistic mix:
// commands answered in the ack, forms opened and submitted or closed,
// the Home tab and buttons in DMs.
var personSteps = []loadStep{
	{"help", typesOnly("/mentor help")},
	{"profile", typesOnly("/mentor profile")},
	{"home", loadPerson.opensHome},
	{"training", typesThenForm("/mentor training", "training_open", loadPerson.confirmTraining)},
	{"goals", typesThenForm("/mentor goals", "goals_open", loadPerson.setGoals)},
	{"find", typesThenForm("/mentor find", "find_open", loadPerson.closesForm)},
	{"edit profile", loadPerson.clicksEditProfile},
	{"pause", typesThenForm("/mentor pause", "pause_open", loadPerson.closesForm)},
	{"typo", typesOnly("/mentor shedule")},
}

// adminSteps are what the programme's admin does besides.
var adminSteps = []loadStep{
	{"screen", loadPerson.screensAMentor},
	{"summary", typesOnly("/mentor summary")},
}

func typesOnly(command string) func(loadPerson, context.Context) error {
	return func(p loadPerson, ctx context.Context) error {
		_, err := p.Types(ctx, command)
		return err
	}
}

// typesThenForm types a command that opens a form, unless the ack answers
// instead (a refusal, say), and fills the form in with then; again is the
// action of the button that opens the same form.
func typesThenForm(command, again string, then func(loadPerson, context.Context, *fakeslack.View) error) func(loadPerson, context.Context) error {
	return func(p loadPerson, ctx context.Context) error {
		v, err := p.opensForm(ctx, again, func() (bool, error) {
			ack, err := p.Types(ctx, command)
			return len(ack.Payload) == 0, err
		})
		if v == nil || err != nil {
			return err
		}
		p.pause()
		return then(p, ctx, v)
	}
}

// formButtonNote is how the bot's DM with a one-click form button
// begins: the form did not open before its trigger expired.
const formButtonNote = "didn't open in time"

// opensForm does what opens a form and waits for the form; when the bot
// sends the one-click button instead, the person presses it (again is its
// action) and waits once more. open reports whether a form is coming: a
// step answered in the ack opens none, and opensForm returns no form.
func (p loadPerson) opensForm(ctx context.Context, again string, open func() (bool, error)) (*fakeslack.View, error) {
	said := p.formButtons()
	if coming, err := open(); !coming || err != nil {
		return nil, err
	}
	for {
		var v *fakeslack.View
		if err := p.slack.WaitUntil(ctx, func() bool { v = p.Modal(); return v != nil || p.formButtons() > said }); err != nil {
			return nil, fmt.Errorf("neither the form nor a button to open it came: %w", err)
		}
		if v != nil {
			return v, nil
		}
		said = p.formButtons()
		*p.pressed++
		if _, err := p.ClicksIn(ctx, "form_again", again); err != nil {
			return nil, fmt.Errorf("the form's button: %w", err)
		}
	}
}

func (p loadPerson) formButtons() int {
	n := 0
	for _, m := range p.DMs() {
		if strings.Contains(m.Text, formButtonNote) {
			n++
		}
	}
	return n
}

// closeForms closes whatever forms a step left open, as a person moving on.
func (p loadPerson) closeForms(ctx context.Context) error {
	for p.Modal() != nil {
		if err := p.Cancel(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (p loadPerson) closesForm(ctx context.Context, _ *fakeslack.View) error {
	return p.Cancel(ctx)
}

// join fills in both steps of the join form: mentors junior, mentees
// senior, two topics from the catalogue, a few free hours.
func (p loadPerson) join(ctx context.Context) error {
	if _, err := p.opensForm(ctx, "join_open", func() (bool, error) {
		_, err := p.Types(ctx, "/mentor join")
		return true, err
	}); err != nil {
		return err
	}
	topics := p.random.Perm(len(mentorbot.DefaultTopics))[:2]
	role, level := "mentor", 1+p.random.IntN(3)
	if p.mentee {
		role, level = "mentee", 5+p.random.IntN(3)
	}
	p.pause()
	if _, err := p.Submit(ctx, map[string]string{
		"role": role, "job_level": strconv.Itoa(level), "department": fmt.Sprintf("Department %d", p.random.IntN(12)),
		"topics":       mentorbot.DefaultTopics[topics[0]] + "," + mentorbot.DefaultTopics[topics[1]],
		"availability": fmt.Sprintf("Tue %d-%d, Thu 14:00-16:00", 9+p.random.IntN(3), 13+p.random.IntN(3)),
	}); err != nil {
		return err
	}
	if _, err := p.WaitModal(ctx, "Your topics"); err != nil {
		return err
	}
	p.pause()
	if _, err := p.Submit(ctx, map[string]string{
		"level_0": strconv.Itoa(1 + p.random.IntN(5)), "level_1": strconv.Itoa(1 + p.random.IntN(5)),
		"pitch": "I'd like to share what I know and learn how others work.",
	}); err != nil {
		return err
	}
	if v := p.Modal(); v != nil {
		return fmt.Errorf("the join form stayed open: %v", v.Errors)
	}
	return nil
}

func (p loadPerson) opensHome(ctx context.Context) error {
	_, err := p.OpensHome(ctx)
	return err
}

// confirmTraining presses "I've read this" when the form offers it.
func (p loadPerson) confirmTraining(ctx context.Context, v *fakeslack.View) error {
	if v.Submit == "" {
		return p.Cancel(ctx)
	}
	_, err := p.Submit(ctx, nil)
	return err
}

func (p loadPerson) setGoals(ctx context.Context, _ *fakeslack.View) error {
	_, err := p.Submit(ctx, map[string]string{
		"goal_0": "Understand how my colleagues use these tools day to day", "goal_0_signal": "I try one of them myself",
	})
	return err
}

// clicksEditProfile finds the "Edit profile" button in the welcome DM,
// which comes at the bot's posting pace, and closes the form it opens.
func (p loadPerson) clicksEditProfile(ctx context.Context) error {
	if _, err := p.WaitDM(ctx, "Welcome to reverse mentoring"); err != nil {
		return err
	}
	v, err := p.opensForm(ctx, "join_open", func() (bool, error) {
		_, err := p.Clicks(ctx, "join_open")
		return true, err
	})
	if err != nil {
		return err
	}
	return p.closesForm(ctx, v)
}

// screensAMentor looks at the screening queue and approves the first
// applicant in it, if any.
func (p loadPerson) screensAMentor(ctx context.Context) error {
	ack, err := p.Types(ctx, "/mentor screen")
	if err != nil || !strings.Contains(string(ack.Payload), "screen_review") {
		return err
	}
	if _, err := p.Clicks(ctx, "screen_review"); err != nil {
		return err
	}
	if _, err := p.WaitModal(ctx, "Screen a mentor"); err != nil {
		return err
	}
	p.pause()
	_, err = p.Submit(ctx, map[string]string{"checks": "patience,example,listening", "decision": "approve"})
	return err
}
