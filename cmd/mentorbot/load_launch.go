package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// launchPlan is one launch burst: HR announces the programme and People
// type /mentor join, each at a random moment Within the window.
type launchPlan struct {
	People int
	Within time.Duration
	Log    io.Writer
}

// launchResult is how each person's join form reached them.
type launchResult struct {
	AtOnce      int // the form opened from the person's own /mentor join
	Buttons     int // DMs with the one-click button, sent when a form could not open in time
	Queued      int // people told at once that their button was queued, for a wait over 5 s
	FromButtons int // people whose form opened from such a button
	Silent      int // people who saw neither the form nor a button
	Chores      int // people who needed more than one button
	FirstSilent error
	Unacked     int
	Violations  []string
	Elapsed     time.Duration
}

// formQueuedNote is how the bot says a form's button is queued.
const formQueuedNote = "so yours is queued"

// saw reports whether a DM to the person said this.
func (p loadPerson) saw(note string) bool {
	return slices.ContainsFunc(p.DMs(), func(m fakeslack.Message) bool { return strings.Contains(m.Text, note) })
}

// launchWait bounds how long a person waits for their form: the buttons
// come through the outbox at the workspace's posting pace, so the last of
// several hundred can take a minute or two.
const launchWait = 5 * time.Minute

func launchCommand(ctx context.Context, plan launchPlan, stdout io.Writer) error {
	if plan.People < 1 || plan.Within <= 0 {
		return usageError{errors.New("load: -launch must be at least 1 and -within positive")}
	}
	fmt.Fprintf(stdout, "mentorbot load: %d people type /mentor join within %s.\n", plan.People, plan.Within)
	res, err := runLaunch(ctx, plan)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "at once     %d forms opened from the person's own /mentor join\n", res.AtOnce)
	fmt.Fprintf(stdout, "buttons     %d one-click buttons sent in DMs for forms that could not open within their trigger's 3 s\n", res.Buttons)
	fmt.Fprintf(stdout, "queued      %d people told at once that their button would take a while\n", res.Queued)
	fmt.Fprintf(stdout, "from button %d forms opened from such a button\n", res.FromButtons)
	fmt.Fprintf(stdout, "silent      %d people saw neither the form nor a button\n", res.Silent)
	fmt.Fprintf(stdout, "chores      %d people needed more than one button\n", res.Chores)
	fmt.Fprintf(stdout, "unacked     %d, in %s\n", res.Unacked, res.Elapsed.Round(time.Millisecond))
	for _, v := range res.Violations {
		fmt.Fprintf(stdout, "Slack would have refused: %s\n", v)
	}
	switch {
	case res.Silent > 0:
		return fmt.Errorf("load: %d people were left with nothing; the first: %v", res.Silent, res.FirstSilent)
	case res.Chores > 0:
		return fmt.Errorf("load: %d people had to press a form button more than once", res.Chores)
	case res.Unacked > 0 || len(res.Violations) > 0:
		return fmt.Errorf("load: %d envelopes unacknowledged, %d Slack rules broken", res.Unacked, len(res.Violations))
	}
	return nil
}

// runLaunch starts the bot on a fresh database and has everyone ask for
// the join form in the window; each presses the button if one comes, and
// closes the form once it is open.
func runLaunch(ctx context.Context, plan launchPlan) (launchResult, error) {
	slack, dbPath, cleanup, err := loadWorkspace()
	if err != nil {
		return launchResult{}, err
	}
	defer cleanup()
	people := make([]loadPerson, plan.People)
	for i := range people {
		id := fmt.Sprintf("UL%05d", i)
		slack.AddUser(fakeslack.User{ID: id, Name: "person" + strconv.Itoa(i), RealName: "Person " + strconv.Itoa(i), TZ: loadZones[i%len(loadZones)]})
		people[i] = loadPerson{Person: slack.Person(id), slack: slack, random: rand.New(rand.NewPCG(uint64(i), 2)), pressed: new(int)}
	}
	bot, err := startBot(slack, dbPath, plan.Log, "MENTORBOT_ADMINS="+people[0].ID(), "MENTORBOT_HR_CHANNEL="+loadHRChannel)
	if err != nil {
		return launchResult{}, fmt.Errorf("load: start the bot: %w", err)
	}
	if _, err := bot.waitReady(ctx); err != nil {
		bot.kill()
		return launchResult{}, fmt.Errorf("load: %w", err)
	}

	var (
		mu  sync.Mutex
		res launchResult
		wg  sync.WaitGroup
	)
	began := time.Now()
	for _, p := range people {
		wg.Go(func() {
			time.Sleep(time.Duration(p.random.Int64N(int64(plan.Within))))
			personCtx, cancel := context.WithTimeout(ctx, launchWait)
			defer cancel()
			v, err := p.opensForm(personCtx, "join_open", func() (bool, error) {
				_, err := p.Types(personCtx, "/mentor join")
				return true, err
			})
			if err == nil {
				err = p.closesForm(personCtx, v)
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case v == nil:
				res.Silent++
				if res.FirstSilent == nil {
					res.FirstSilent = fmt.Errorf("%s: %w", p.ID(), err)
				}
			case *p.pressed == 0:
				res.AtOnce++
			default:
				res.FromButtons++
			}
			res.Buttons += p.formButtons()
			if p.formButtons() > 1 {
				res.Chores++
			}
			if p.saw(formQueuedNote) {
				res.Queued++
			}
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(began)
	stopErr := bot.stop()
	res.Unacked = slack.Unacked()
	res.Violations = slack.Violations()
	return res, stopErr
}
