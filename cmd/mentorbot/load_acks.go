package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// ackPlan is one ack-latency run: how many people use the bot at once, how
// many steps each takes, and how long they think between them.
type ackPlan struct {
	People   int
	Commands int           // steps each person takes, joining included
	Think    time.Duration // the longest pause before a step
	Goal     time.Duration // the slowest 1 in 100 acks may take this long
	Log      io.Writer
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
}

// ackCommand has people join and use the bot all at once, and reports how
// long the bot took to acknowledge each envelope the fake Slack sent.
func ackCommand(ctx context.Context, plan ackPlan, stdout io.Writer) error {
	if plan.People < 1 || plan.Commands < 1 || plan.Think < 0 {
		return usageError{errors.New("load: -people and -commands must be at least 1, -think not negative")}
	}
	fmt.Fprintf(stdout, "mentorbot load: %d people, %d steps each, thinking up to %s before each.\n", plan.People, plan.Commands, plan.Think)
	res, err := runAcks(ctx, plan)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "acks        %s\n", res.Acks)
	fmt.Fprintf(stdout, "unacked     %d\n", res.Unacked)
	fmt.Fprintf(stdout, "steps       %d of %d ended as expected, in %s\n", plan.People*plan.Commands-res.Failed, plan.People*plan.Commands, res.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(stdout, "one click   %d forms not opened within their trigger's 3 s opened from the button the bot sent in a DM\n", res.ViaButton)
	if res.FirstError != nil {
		fmt.Fprintf(stdout, "first fault %v\n", res.FirstError)
	}
	for _, v := range res.Violations {
		fmt.Fprintf(stdout, "Slack would have refused: %s\n", v)
	}
	var problems []string
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

// runAcks starts the bot on a fresh database with plan.People in the
// workspace, the first of them its admin, and lets everyone act at once.
func runAcks(ctx context.Context, plan ackPlan) (ackResult, error) {
	slack, dbPath, cleanup, err := loadWorkspace()
	if err != nil {
		return ackResult{}, err
	}
	defer cleanup()

	people := make([]loadPerson, plan.People)
	for i := range people {
		id := fmt.Sprintf("UP%05d", i)
		slack.AddUser(fakeslack.User{ID: id, Name: "person" + strconv.Itoa(i), RealName: "Person " + strconv.Itoa(i), TZ: loadZones[i%len(loadZones)]})
		people[i] = loadPerson{Person: slack.Person(id), slack: slack, mentee: i%2 == 1, admin: i == 0,
			random: rand.New(rand.NewPCG(uint64(i), 1)), think: plan.Think, pressed: new(int)}
	}
	bot, err := startBot(slack, dbPath, plan.Log,
		"MENTORBOT_ADMINS="+people[0].ID(), "MENTORBOT_HR_CHANNEL="+loadHRChannel)
	if err != nil {
		return ackResult{}, fmt.Errorf("load: start the bot: %w", err)
	}
	if _, err := bot.waitReady(ctx); err != nil {
		bot.kill()
		return ackResult{}, fmt.Errorf("load: %w", err)
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
	wg.Wait()
	res.Elapsed = time.Since(began)
	stopErr := bot.stop()

	var latencies []time.Duration
	for _, a := range slack.Acks() {
		latencies = append(latencies, a.Latency)
	}
	res.Acks = summarize(latencies)
	res.Unacked = slack.Unacked()
	res.Violations = slack.Violations()
	return res, stopErr
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
	// pressed counts the one-click form buttons the person pressed; one
	// goroutine acts for each person.
	pressed *int
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
