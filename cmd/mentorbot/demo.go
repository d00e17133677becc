package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/app"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// demoPerson is someone in the demo's fake workspace.
type demoPerson struct {
	fakeslack.User
	about string
}

var demoPeople = []demoPerson{
	{fakeslack.User{ID: "U0ADA", Name: "ada", RealName: "Ada Osei", TZ: "Europe/London"}, "support agent, two years in; wants to teach"},
	{fakeslack.User{ID: "U0GRACE", Name: "grace", RealName: "Grace Lindqvist", TZ: "America/New_York"}, "chief operating officer; wants to learn"},
	{fakeslack.User{ID: "U0RAVI", Name: "ravi", RealName: "Ravi Menon", TZ: "Asia/Kolkata"}, "data analyst; wants to teach"},
	{fakeslack.User{ID: "U0SAM", Name: "sam", RealName: "Sam Okafor", TZ: "Europe/London"}, "marketing associate; wants to teach"},
	{fakeslack.User{ID: "U0KIM", Name: "kim", RealName: "Kim Weber", TZ: "Europe/Berlin"}, "junior engineer; wants to teach"},
	{fakeslack.User{ID: "U0LENA", Name: "lena", RealName: "Lena Brandt", TZ: "Europe/London"}, "finance director; wants to learn"},
	{fakeslack.User{ID: "U0HOPE", Name: "hope", RealName: "Hope Adeyemi", TZ: "Europe/London"}, "HR, runs the programme"},
}

// maxDemoPeople bounds -people: beyond a couple of hundred the transcripts
// stop being something anyone reads. The named cast is the least.
const maxDemoPeople = 200

// demoCommand plays people using mentorbot against the built-in fake Slack
// and prints what each of them saw.
func demoCommand(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("demo", flag.ContinueOnError)
	flags.SetOutput(stdout)
	verbose := flags.Bool("v", false, "also print the bot's log")
	outDir := flags.String("out", "", "folder for the calendar invite, the summary's chart and the export (default: a new folder in the system's temporary folder)")
	size := flags.Int("people", 20, fmt.Sprintf("how many people take part, from %d (the named cast) to %d; the rest are simulated", len(demoPeople), maxDemoPeople))
	seed := flags.Uint64("seed", 1, "makes the simulated people; the same seed plays the same demo")
	only := flags.String("only", "", "print the transcripts of only the people whose name contains this")
	markup := flags.Bool("mischief", false, "everyone adds Slack markup (<!channel>, a mention, a disguised link) to what they write, to show it arrives as text")
	calendarKind := flags.String("calendar", "ics", "where sessions go: ics (a file in the DM), google or microsoft (a fake Google Calendar or Microsoft Graph beside the fake Slack)")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	if *size < len(demoPeople) || *size > maxDemoPeople {
		return usageError{fmt.Errorf("-people %d: use from %d to %d", *size, len(demoPeople), maxDemoPeople)}
	}

	dir, err := os.MkdirTemp("", "mentorbot-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	slack := fakeslack.New()
	defer slack.Close()
	crowd := newCrowd(*seed, *size-len(demoPeople))
	people := append(slices.Clone(demoPeople), crowd.people()...)
	var cfgCalendar Config
	var cals *demoCalendar
	if *calendarKind != "ics" {
		if cals, err = startDemoCalendar(*calendarKind, dir, &cfgCalendar); err != nil {
			return err
		}
		defer cals.close()
	}
	for i, p := range people {
		if cals != nil {
			// The directory knows everyone by the address Slack has for them.
			people[i].Email = demoEmail(p)
			cals.fake.AddMailbox(demoEmail(p), p.RealName)
		}
		slack.AddUser(people[i].User)
	}

	cfg := Config{
		BotToken: fakeslack.BotToken,
		AppToken: fakeslack.AppToken,
		APIURL:   slack.APIURL(),
		DB:       filepath.Join(dir, "mentorbot.db"),
		Admins:   []string{"U0HOPE"},
		TimeZone: "Europe/London",
		Shutdown: 10 * time.Second,
		// The demo runs the scheduler's tick itself each time it moves the
		// clock, so the cron's own tick must not race it.
		Tick:          time.Hour,
		LogLevel:      "info",
		ReminderLeads: mentorbot.DefaultReminderLeads,
		PostRate:      50,
		OutboxLease:   mentorbot.OutboxLease,
		HRChannel:     demoHRChannel,
		// Thank-yous both of a pair agreed to share go here.
		CelebrateChannel: demoCelebrateChannel,
		// The fake Slack enforces no limits, and Slack's pace of real
		// seconds would stretch the demo's weeks into minutes.
		unpaced: true,

		CalendarKind: cmp.Or(cfgCalendar.CalendarKind, "ics"), GoogleCredentials: cfgCalendar.GoogleCredentials, GoogleAPIURL: cfgCalendar.GoogleAPIURL,
		MSTenant: cfgCalendar.MSTenant, MSClientID: cfgCalendar.MSClientID, MSClientSecret: cfgCalendar.MSClientSecret,
		MSGraphURL: cfgCalendar.MSGraphURL, MSLoginURL: cfgCalendar.MSLoginURL,
	}
	if err := cfg.check(); err != nil {
		return err
	}
	if err := cfg.openCalendar(ctx); err != nil {
		return err
	}
	logOut := io.Discard
	if *verbose {
		logOut = stdout
	}
	log := slog.New(slog.NewTextHandler(logOut, nil))
	clock := mentorbot.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))

	a, err := app.Open(ctx, cfg.appConfig(), clock, log)
	if err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- serve(runCtx, a, log) }()
	select {
	case <-a.Bot.Ready():
	case err := <-done:
		stop()
		return fmt.Errorf("the bot stopped before it was ready: %w", err)
	}

	fmt.Fprintf(stdout, "mentorbot demo: a fake Slack, a fresh database, a simulated clock and %d people (seed %d).\n\n", len(people), *seed)
	printCast(stdout, people)
	d := &demo{slack: slack, clock: clock, app: a, out: stdout, crowd: crowd, leads: cfg.ReminderLeads, mischief: *markup, calendar: cals}
	playErr := d.play(ctx)
	stop()
	runErr := <-done

	// Slack shows a mention as the person's name; so does the transcript.
	var seen strings.Builder
	fmt.Fprintln(&seen, "\nWhat each person saw")
	for _, p := range people {
		if strings.Contains(strings.ToLower(p.RealName), strings.ToLower(*only)) {
			printTranscript(&seen, p, slack.Transcript(p.ID))
		}
	}
	fmt.Fprintln(&seen, "\nWhat the HR channel saw")
	for _, m := range slack.Channel(demoHRChannel) {
		fmt.Fprintf(&seen, "  %s\n", strings.ReplaceAll(m.Rendered(), "\n", "\n  "))
	}
	fmt.Fprintln(&seen, "\nWhat the #kudos channel saw")
	for _, m := range slack.Channel(demoCelebrateChannel) {
		fmt.Fprintf(&seen, "  %s\n", strings.ReplaceAll(m.Rendered(), "\n", "\n  "))
	}
	if cals != nil {
		cals.printCalendars(&seen, people)
	}
	if _, err := mentionsByName(people).WriteString(stdout, seen.String()); err != nil {
		return err
	}
	var refused error
	if violations := slack.Violations(); len(violations) > 0 {
		for _, v := range violations {
			fmt.Fprintf(stdout, "Slack would have refused: %s\n", v)
		}
		refused = fmt.Errorf("Slack would have refused %d of the bot's calls", len(violations))
	}
	if playErr == nil {
		playErr = writeDemoFiles(slack, *outDir, stdout)
	}
	return errors.Join(playErr, runErr, refused)
}

// mentionsByName writes mentions of people and of the HR channel as Slack
// shows them: @Ada Osei, #hr-team.
func mentionsByName(people []demoPerson) *strings.Replacer {
	pairs := []string{"<#" + demoHRChannel + ">", "#hr-team", "<#" + demoCelebrateChannel + ">", "#kudos"}
	for _, p := range people {
		pairs = append(pairs, "<@"+p.ID+">", "@"+p.RealName)
	}
	return strings.NewReplacer(pairs...)
}

// demo is one play of the story: the fake Slack, the clock it moves, the
// running bot and the simulated people around the named cast.
type demo struct {
	slack *fakeslack.Server
	clock *mentorbot.ManualClock
	app   *app.App
	out   io.Writer
	crowd *crowd
	leads []time.Duration
	// mischief has everyone add Slack markup to what they write.
	mischief bool
	// calendar is the fake calendar service sessions go to; nil when they
	// go as .ics files.
	calendar *demoCalendar
	// stepTimer stops the story when one step never sees what it waits
	// for; each step restarts it, so a slow machine only slows the story.
	stepTimer *time.Timer
	stepLimit time.Duration
}

// submit submits the person's open form with these answers, as they
// write them.
func (d *demo) submit(ctx context.Context, p *fakeslack.Person, values map[string]string) (fakeslack.Ack, error) {
	if d.mischief {
		values = withMischief(p.Modal(), values)
	}
	return p.Submit(ctx, values)
}

// step tells the reader what happens next.
func (d *demo) step(format string, args ...any) {
	if d.stepTimer != nil {
		d.stepTimer.Reset(d.stepLimit)
	}
	fmt.Fprintf(d.out, "• "+format+"\n", args...)
}

// moveClock moves the simulated clock to t. On the way it stops at each
// moment a pair is due a reminder or a check, and at t, running the
// scheduler's tick as the cron would; at each stop the simulated people
// answer what came.
func (d *demo) moveClock(ctx context.Context, t time.Time) error {
	stops, err := d.dueBetween(ctx, d.clock.Now(), t)
	if err != nil {
		return err
	}
	for _, at := range append(stops, t) {
		d.clock.Set(at)
		d.app.Scheduler.Tick(ctx)
		if err := d.crowdAnswers(ctx); err != nil {
			return err
		}
	}
	return nil
}

// dueBetween lists when the pairs meeting at a regular time are due a
// reminder or a check, after from and before to.
func (d *demo) dueBetween(ctx context.Context, from, to time.Time) ([]time.Time, error) {
	pairs, err := d.app.DB.PairsIn(ctx, mentorbot.PairActive)
	if err != nil {
		return nil, err
	}
	due := map[time.Time]bool{}
	for _, p := range pairs {
		if p.Slot == nil {
			continue
		}
		for _, start := range p.Slot.Sessions(from.Add(-p.Slot.Length-mentorbot.CheckDelay), to.Add(slices.Max(d.leads))) {
			moments := []time.Time{start.Add(p.Slot.Length + mentorbot.CheckDelay)}
			for _, lead := range d.leads {
				moments = append(moments, start.Add(-lead))
			}
			for _, m := range moments {
				if m.After(from) && m.Before(to) {
					due[m] = true
				}
			}
		}
	}
	return slices.SortedFunc(maps.Keys(due), time.Time.Compare), nil
}

// printCast introduces everyone before the story starts.
func printCast(w io.Writer, people []demoPerson) {
	fmt.Fprintln(w, "Who takes part")
	for _, p := range people {
		fmt.Fprintf(w, "  %-22s %s (%s)\n", p.RealName, p.about, p.TZ)
	}
	fmt.Fprintln(w)
}

// demoHRChannel is the HR channel of the demo's workspace, and
// demoCelebrateChannel the public one thank-yous are shared in.
const (
	demoHRChannel        = "C0HRTEAM"
	demoCelebrateChannel = "C0KUDOS"
)

// writeDemoFiles keeps what people received as files: Grace's calendar
// invite, the cycle report's chart and Hope's export.
func writeDemoFiles(slack *fakeslack.Server, dir string, out io.Writer) error {
	var err error
	if dir == "" {
		if dir, err = os.MkdirTemp("", "mentorbot-demo-files-"); err != nil {
			return err
		}
	} else if err = os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var files []fakeslack.File
	if invites := slack.Person("U0GRACE").Files(); len(invites) > 0 {
		files = append(files, invites[len(invites)-1])
	}
	for _, m := range slack.Channel(demoHRChannel) {
		files = append(files, m.Files...)
	}
	files = append(files, slack.Person("U0HOPE").Files()...)
	fmt.Fprintf(out, "\nFiles written to %s:\n", dir)
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f.Name)), f.Content, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(out, "  %s (%s, %d bytes)\n", filepath.Base(f.Name), f.Mimetype, len(f.Content))
	}
	return nil
}

// stillOwed says what the outbox had not sent when a step gave up, and
// why, for whoever looks into it.
func (d *demo) stillOwed() string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	items, err := d.app.DB.PendingOutboxItems(ctx, 20)
	if err != nil {
		return "; the outbox could not be read: " + err.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "; %d or more messages still owed at %s", len(items), d.clock.Now().UTC().Format(time.RFC3339))
	for _, it := range items {
		fmt.Fprintf(&b, "\n  %s to %s due %s, %d attempts, next try %s, leased to %q until %s: %s", it.Kind, it.To,
			it.DueAt.Format(time.RFC3339), it.Attempts, formatOptional(it.NextTry), it.LeaseOwner, formatOptional(it.LeaseUntil), it.Error)
	}
	return b.String()
}

// formatOptional formats a time that may be unset.
func formatOptional(t time.Time) string {
	if t.IsZero() {
		return "none"
	}
	return t.UTC().Format(time.RFC3339)
}

// play is the story of one cycle, from its start: HR opens it, people
// join (one makes a mistake and fixes it), HR screens the mentors, people
// read the onboarding and set their goals, and one takes a break.
func (d *demo) play(ctx context.Context) (err error) {
	// Bounds a step that never sees what it waits for; each person adds a
	// little work.
	d.stepLimit = time.Minute + time.Duration(len(d.crowd.members))*time.Second
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	d.stepTimer = time.AfterFunc(d.stepLimit, func() {
		cancel(fmt.Errorf("demo: a step saw nothing of what it waited for within %v", d.stepLimit))
	})
	defer d.stepTimer.Stop()
	defer func() {
		if err != nil && context.Cause(ctx) != ctx.Err() {
			err = fmt.Errorf("%w: %w%s", context.Cause(ctx), err, d.stillOwed())
		}
	}()
	ada, grace, ravi, hope := d.slack.Person("U0ADA"), d.slack.Person("U0GRACE"), d.slack.Person("U0RAVI"), d.slack.Person("U0HOPE")

	d.step("Hope from HR opens the \"Spring 2026\" cycle from her Home tab, fortnightly, but ends it on 10 April.")
	if _, err := hope.OpensHome(ctx); err != nil {
		return err
	}
	if _, err := hope.WaitHome(ctx, "No cycle is open"); err != nil {
		return err
	}
	if err := clickOpens(ctx, hope, "", "cycle_open", "Open a cycle"); err != nil {
		return err
	}
	if _, err := d.submit(ctx, hope, map[string]string{
		"cycle_name": "Spring 2026", "starts_on": "2026-03-16", "ends_on": "2026-04-10",
		"cadence": "fortnightly", "session_length": "45",
	}); err != nil {
		return err
	}
	if v := hope.Modal(); v == nil || v.Errors["ends_on"] == "" {
		return errors.New("the cycle form did not point out Hope's mistake")
	}
	d.step("  The form says that leaves no room for three sessions, and when it can end. She ends it on 26 June.")
	if err := d.submitSees(ctx, hope, map[string]string{"ends_on": "2026-06-26"}, "Cycle saved"); err != nil {
		return err
	}
	if _, err := hope.WaitHome(ctx, "Spring 2026"); err != nil {
		return err
	}

	d.step("Ada asks what mentorbot is.")
	if _, err := ada.Types(ctx, "/mentor help"); err != nil {
		return err
	}
	if _, err := ada.WaitReply(ctx, "/mentor join"); err != nil {
		return err
	}

	d.step("Ada joins to teach, but writes her free time as \"after lunch on Tuesdays\".")
	adaBasics := map[string]string{
		"role": "mentor", "topics": "Social media,Video and content creation", "job_level": "1",
		"department": "Customer Support", "availability": "after lunch on Tuesdays",
	}
	if err := openForm(ctx, ada, "/mentor join", "Join mentorbot"); err != nil {
		return err
	}
	if _, err := d.submit(ctx, ada, adaBasics); err != nil {
		return err
	}
	if v := ada.Modal(); v == nil || v.Errors["availability"] == "" {
		return errors.New("the form did not point out Ada's mistake")
	}
	d.step("  The form says what is wrong next to the field. She writes \"Tue 13:00-15:00, Thu 9-10am\".")
	if err := d.submitBoth(ctx, ada,
		map[string]string{"availability": "Tue 13:00-15:00, Thu 9-10am"},
		map[string]string{"level_0": "5", "level_1": "4", "pitch": "I grew our support TikTok from zero to 40k followers."}); err != nil {
		return err
	}
	if err := sees(ctx, ada, "Welcome to reverse mentoring", "Your application to mentor is with HR"); err != nil {
		return err
	}

	d.step("Grace, the COO, opens mentorbot's Home tab and joins from there to learn.")
	if _, err := grace.OpensHome(ctx); err != nil {
		return err
	}
	if _, err := grace.WaitHome(ctx, "Join the programme"); err != nil {
		return err
	}
	if err := clickOpens(ctx, grace, "", "join_open", "Join mentorbot"); err != nil {
		return err
	}
	if err := d.submitBoth(ctx, grace,
		map[string]string{"role": "mentee", "topics": "AI assistants at work,Social media", "job_level": "7",
			"department": "Operations", "availability": "Mon-Fri 8-10am"},
		map[string]string{"level_0": "1", "level_1": "2", "pitch": "How my teams could use AI assistants, and what our customers see on social media."}); err != nil {
		return err
	}
	if err := sees(ctx, grace, "read the short onboarding for mentees", "Read the onboarding"); err != nil {
		return err
	}

	d.step("Ravi joins to teach and checks his profile.")
	if err := openForm(ctx, ravi, "/mentor join", "Join mentorbot"); err != nil {
		return err
	}
	if err := d.submitBoth(ctx, ravi,
		map[string]string{"role": "mentor", "topics": "Data visualisation,Spreadsheets and automation", "other_topics": "Power BI",
			"job_level": "2", "department": "Finance", "availability": "Wed 15:00-17:30"},
		map[string]string{"level_0": "5", "level_1": "4", "level_2": "4", "pitch": "I turn messy spreadsheets into dashboards people use."}); err != nil {
		return err
	}
	if err := sees(ctx, ravi, "Welcome to reverse mentoring", "Your application to mentor is with HR"); err != nil {
		return err
	}
	if _, err := ravi.Types(ctx, "/mentor profile"); err != nil {
		return err
	}
	if _, err := ravi.WaitReply(ctx, "Your mentorbot profile"); err != nil {
		return err
	}

	d.step("Grace tries a command that does not exist, then HR's `/mentor screen`: mentorbot says, politely, it's for admins.")
	if _, err := grace.Types(ctx, "/mentor schedule"); err != nil {
		return err
	}
	if _, err := grace.WaitReply(ctx, "I don't know"); err != nil {
		return err
	}
	if _, err := grace.Types(ctx, "/mentor screen"); err != nil {
		return err
	}
	if _, err := grace.WaitReply(ctx, "Only the programme's admins"); err != nil {
		return err
	}

	d.step("Ada edits her profile: she can teach no-code tools too.")
	if err := openForm(ctx, ada, "/mentor join", "Edit your profile"); err != nil {
		return err
	}
	if err := d.submitBoth(ctx, ada,
		map[string]string{"topics": "Social media,Video and content creation,No-code tools"},
		map[string]string{"level_2": "3"}); err != nil {
		return err
	}
	if err := sees(ctx, ada, "Your profile is updated", "No-code tools (comfortable)"); err != nil {
		return err
	}

	d.step("Hope's Home tab counts people by state and queues the two mentor applications. She approves Ada, with a note.")
	if _, err := hope.OpensHome(ctx); err != nil {
		return err
	}
	if _, err := hope.WaitHome(ctx, "(2 waiting, longest first)"); err != nil {
		return err
	}
	if err := clickOpens(ctx, hope, "applicant_U0ADA", "screen_review", "Screen a mentor"); err != nil {
		return err
	}
	if err := d.submitSees(ctx, hope, map[string]string{
		"checks": "patience,example,listening", "decision": "approve",
		"screening_note": "Thank you for applying! Your manager says you explain things without ever making people feel slow: that's exactly what we need.",
	}, "Decision saved"); err != nil {
		return err
	}
	if err := sees(ctx, ada, "You're approved to mentor", "Read the onboarding"); err != nil {
		return err
	}
	if _, err := hope.WaitHome(ctx, "(1 waiting, longest first)"); err != nil {
		return err
	}

	d.step("Hope checks the queue with `/mentor screen` and declines Ravi for this cycle, kindly, with a note.")
	if _, err := hope.Types(ctx, "/mentor screen"); err != nil {
		return err
	}
	if _, err := hope.WaitReply(ctx, "<@U0RAVI>"); err != nil {
		return err
	}
	if err := clickOpens(ctx, hope, "applicant_U0RAVI", "screen_review", "Screen a mentor"); err != nil {
		return err
	}
	if err := d.submitSees(ctx, hope, map[string]string{
		"checks": "example", "decision": "decline",
		"screening_note": "Thank you, Ravi. This cycle's mentees mostly want social media and AI tools, so there's no one to learn dashboards from you yet. Please apply again in the autumn.",
	}, "Decision saved"); err != nil {
		return err
	}
	if err := sees(ctx, ravi, "HR hasn't approved your application in this cycle", "HR didn't approve your application"); err != nil {
		return err
	}
	if _, err := hope.WaitHome(ctx, "No applications are waiting"); err != nil {
		return err
	}

	d.step("Ada reads the mentor onboarding, presses \"I've read this\", and sets her goal with `/mentor goals`.")
	if err := clickOpens(ctx, ada, "", "training_open", "How to mentor well"); err != nil {
		return err
	}
	if err := d.submitSees(ctx, ada, nil, "Thank you"); err != nil {
		return err
	}
	if _, err := ada.WaitHome(ctx, "Set your goals"); err != nil {
		return err
	}
	if err := openForm(ctx, ada, "/mentor goals", "Your goals"); err != nil {
		return err
	}
	if err := d.submitSees(ctx, ada, map[string]string{
		"goal_0": "Show my mentee how our customers find us on TikTok", "goal_0_signal": "My mentee posts a short video on their own",
	}, "Goals saved"); err != nil {
		return err
	}
	if _, err := ada.WaitHome(ctx, "You're ready and your goals are set"); err != nil {
		return err
	}

	d.step("Grace reads the mentee onboarding with `/mentor training`, then sets two goals from her Home tab.")
	if err := openForm(ctx, grace, "/mentor training", "How to learn well"); err != nil {
		return err
	}
	if err := d.submitSees(ctx, grace, nil, "Thank you"); err != nil {
		return err
	}
	if _, err := grace.WaitHome(ctx, "Set your goals"); err != nil {
		return err
	}
	if err := clickOpens(ctx, grace, "next_step", "goals_open", "Your goals"); err != nil {
		return err
	}
	if err := d.submitSees(ctx, grace, map[string]string{
		"goal_0": "Use an AI assistant to draft my board updates", "goal_0_signal": "My April board update is drafted with it",
		"goal_1": "Understand what our customers see of us on social media", "goal_1_signal": "I can read our TikTok numbers without help",
	}, "Goals saved"); err != nil {
		return err
	}
	if _, err := grace.WaitHome(ctx, "You're ready and your goals are set"); err != nil {
		return err
	}

	d.step("Hope opens her Home tab again: Ada and Grace are ready to match, and the queue is empty.")
	if _, err := hope.OpensHome(ctx); err != nil {
		return err
	}
	if _, err := hope.WaitHome(ctx, "*Ready to match*\n2"); err != nil {
		return err
	}
	d.step("It also shows where demand outruns supply: Grace wants AI assistants at work, which no approved mentor teaches, so Hope looks for mentors who do. \"Every topic\" shows each topic's mentees, approved mentors, free places and pairs.")
	if _, err := hope.WaitHome(ctx, "1 mentee wants *AI assistants at work*; no approved mentor teaches it"); err != nil {
		return err
	}
	if err := clickOpens(ctx, hope, "supply_actions", "supply_open", "Supply and demand"); err != nil {
		return err
	}
	if err := hope.Cancel(ctx); err != nil {
		return err
	}

	d.step("Grace is travelling for two weeks, so she pauses from her Home tab. Two weeks later she is back by herself.")
	if err := clickOpens(ctx, grace, "home_actions", "pause_open", "Take a break"); err != nil {
		return err
	}
	if err := d.submitSees(ctx, grace, map[string]string{"pause_until": "2026-03-16"}, "You're paused"); err != nil {
		return err
	}
	if _, err := grace.WaitHome(ctx, "You're paused until Mon 16 Mar 2026"); err != nil {
		return err
	}
	if err := d.moveClock(ctx, time.Date(2026, 3, 16, 12, 30, 0, 0, time.UTC)); err != nil { // 08:30 in New York
		return err
	}
	if err := sees(ctx, grace, "Your break ended today", "You're ready and your goals are set"); err != nil {
		return err
	}
	return d.playMatching(ctx)
}

// playMatching is the story of the first matching round: more people
// join, HR drafts the round privately and publishes it, one pair is
// declined and its people matched again, and pairs start once both agree.
func (d *demo) playMatching(ctx context.Context) error {
	ada, grace, hope := d.slack.Person("U0ADA"), d.slack.Person("U0GRACE"), d.slack.Person("U0HOPE")
	sam, kim, lena := d.slack.Person("U0SAM"), d.slack.Person("U0KIM"), d.slack.Person("U0LENA")

	d.step("Sam (marketing) and Kim (engineering, in Berlin) join to teach; Lena, the finance director, joins to learn. Hope approves Sam and Kim, and all three read their onboarding.")
	joins := []struct {
		who          *fakeslack.Person
		basics, more map[string]string
	}{
		{sam, map[string]string{"role": "mentor", "topics": "AI assistants at work,Social media", "job_level": "2", "department": "Marketing", "availability": "Tue/Thu 12:00-14:00"},
			map[string]string{"level_0": "5", "level_1": "3", "pitch": "I use AI assistants for everything from briefs to spreadsheets."}},
		{kim, map[string]string{"role": "mentor", "topics": "AI assistants at work,Spreadsheets and automation", "job_level": "2", "department": "Engineering", "availability": "Tue 13:00-15:00"},
			map[string]string{"level_0": "4", "level_1": "4", "pitch": "I automate the boring parts of reporting."}},
		{lena, map[string]string{"role": "mentee", "topics": "AI assistants at work", "job_level": "6", "department": "Finance", "availability": "Tue 12:00-14:00"},
			map[string]string{"level_0": "2", "pitch": "How AI assistants could take the drudge out of month-end reporting."}},
	}
	for _, j := range joins {
		if err := openForm(ctx, j.who, "/mentor join", "Join mentorbot"); err != nil {
			return err
		}
		if err := d.submitBoth(ctx, j.who, j.basics, j.more); err != nil {
			return err
		}
		if _, err := j.who.WaitDM(ctx, "Welcome to reverse mentoring"); err != nil {
			return err
		}
	}
	if _, err := hope.OpensHome(ctx); err != nil {
		return err
	}
	if _, err := hope.WaitHome(ctx, "(2 waiting, longest first)"); err != nil {
		return err
	}
	for _, id := range []string{"U0SAM", "U0KIM"} {
		if err := clickOpens(ctx, hope, "applicant_"+id, "screen_review", "Screen a mentor"); err != nil {
			return err
		}
		if err := d.submitSees(ctx, hope, map[string]string{"checks": "patience,listening", "decision": "approve"}, "Decision saved"); err != nil {
			return err
		}
	}
	// Each reads the onboarding once told they're approved, as people do.
	for _, p := range []*fakeslack.Person{sam, kim} {
		if err := sawDM(ctx, d.slack, p, "You're approved to mentor"); err != nil {
			return err
		}
	}
	for _, read := range []struct {
		who        *fakeslack.Person
		onboarding string
	}{{sam, "How to mentor well"}, {kim, "How to mentor well"}, {lena, "How to learn well"}} {
		if err := openForm(ctx, read.who, "/mentor training", read.onboarding); err != nil {
			return err
		}
		if err := d.submitSees(ctx, read.who, nil, "Thank you"); err != nil {
			return err
		}
	}
	if err := d.playCrowdJoins(ctx); err != nil {
		return err
	}

	d.step("Hope types `/mentor match`. Only she sees the draft: each pair with why, the quality report against first come, first served, and who is left out and why. She publishes it.")
	if _, err := hope.Types(ctx, "/mentor match"); err != nil {
		return err
	}
	if _, err := hope.WaitModal(ctx, "Matching draft"); err != nil {
		return err
	}
	if err := d.submitSees(ctx, hope, nil, "Round published"); err != nil {
		return err
	}

	d.step("Everyone matched gets an introduction with Accept and Decline. Grace declines Sam, telling HR why; Sam hears only that it can't go ahead.")
	if _, err := grace.WaitDM(ctx, "Meet your match: <@U0SAM>"); err != nil {
		return err
	}
	if err := clickOpens(ctx, grace, "", "pair_decline", "Decline the match"); err != nil {
		return err
	}
	if err := d.submitSees(ctx, grace, map[string]string{"decline_reason": "Sam's manager reports to me; I'd rather learn from someone outside my organisation."}, "Match declined"); err != nil {
		return err
	}
	if _, err := sam.WaitDM(ctx, "can't go ahead after all"); err != nil {
		return err
	}

	d.step("mentorbot matches Grace again at once, with Ada, who was waiting. Both accept, and mentorbot opens a conversation for the two of them.")
	if _, err := grace.WaitDM(ctx, "Meet your match: <@U0ADA>"); err != nil {
		return err
	}
	if _, err := ada.WaitDM(ctx, "Meet your match: <@U0GRACE>"); err != nil {
		return err
	}
	// One after the other, each seeing the answer, so the second to accept
	// is always the one who hears they're a pair.
	for _, answer := range []struct {
		p    *fakeslack.Person
		sees string
	}{{ada, "You accepted the match with"}, {grace, "You accepted, and so did"}} {
		if err := clickSees(ctx, d.slack, answer.p, "pair_accept", answer.sees); err != nil {
			return err
		}
	}
	if err := d.slack.WaitUntil(ctx, func() bool { return len(grace.GroupMessages()) == 1 }); err != nil {
		return err
	}

	d.step("Lena and Kim accept their match too.")
	for _, answer := range []struct {
		p    *fakeslack.Person
		sees string
	}{{lena, "You accepted the match with"}, {kim, "You accepted, and so did"}} {
		if _, err := answer.p.WaitDM(ctx, "Meet your match"); err != nil {
			return err
		}
		if err := clickSees(ctx, d.slack, answer.p, "pair_accept", answer.sees); err != nil {
			return err
		}
	}
	if err := d.slack.WaitUntil(ctx, func() bool { return len(lena.GroupMessages()) == 1 }); err != nil {
		return err
	}
	if err := d.playCrowdAccepts(ctx); err != nil {
		return err
	}

	meeting, err := d.app.DB.PairsIn(ctx, mentorbot.PairActive)
	if err != nil {
		return err
	}
	d.step("Hope's Home tab: %d pairs meeting, and Grace's reason, which only admins see.", len(meeting))
	if _, err := hope.OpensHome(ctx); err != nil {
		return err
	}
	if _, err := hope.WaitHome(ctx, fmt.Sprintf("%d pairs meeting", len(meeting))); err != nil {
		return err
	}
	if err := d.playSessions(ctx); err != nil {
		return err
	}
	return d.playFeedback(ctx)
}

// playSessions is the story of a pair's first sessions: they agree their
// regular time, get the calendar invite, are nudged a day and an hour
// before, move one session, and are asked afterwards whether it happened.
func (d *demo) playSessions(ctx context.Context) error {
	ada, grace := d.slack.Person("U0ADA"), d.slack.Person("U0GRACE")

	d.step("mentorbot offers Ada and Grace a regular time both are free for every session of the cycle, in Grace's time zone. Both confirm it.")
	if _, err := grace.WaitDM(ctx, "every other Tuesday, 09:00–09:45"); err != nil {
		return err
	}
	if _, err := ada.WaitDM(ctx, "every other Tuesday, 13:00–13:45 your time (09:00–09:45 New York time)"); err != nil {
		return err
	}
	if err := clickSees(ctx, d.slack, grace, "slot_confirm", "You picked a time."); err != nil {
		return err
	}
	if err := clickSees(ctx, d.slack, ada, "slot_confirm", "Agreed with"); err != nil {
		return err
	}

	if d.calendar != nil {
		d.step("mentorbot puts one private recurring event in Grace's %s, every other Tuesday until the cycle ends, with Ada invited; both hear that the time is in their calendars.", d.calendar.name)
		for _, p := range []*fakeslack.Person{ada, grace} {
			if _, err := p.WaitDM(ctx, "They're in your "+d.calendar.name); err != nil {
				return err
			}
		}
	} else {
		d.step("Each gets a calendar invite (.ics) in their DM that blocks the time, repeating every other Tuesday until the cycle ends.")
		for _, p := range []*fakeslack.Person{ada, grace} {
			if _, err := p.WaitDM(ctx, "are booked"); err != nil {
				return err
			}
			if err := d.slack.WaitUntil(ctx, func() bool { return len(p.Files()) == 1 }); err != nil {
				return err
			}
		}
	}

	d.step("Monday 13:00 UTC, a day before the first session: both get a nudge with their goals as the agenda. Grace clicks \"I'll be there\".")
	if err := d.moveClock(ctx, time.Date(2026, 3, 16, 13, 0, 0, 0, time.UTC)); err != nil {
		return err
	}
	if _, err := grace.WaitDM(ctx, "is tomorrow: Tue 17 Mar, 09:00–09:45"); err != nil {
		return err
	}
	if _, err := ada.WaitDM(ctx, "is tomorrow: Tue 17 Mar, 13:00–13:45"); err != nil {
		return err
	}
	if _, err := grace.Clicks(ctx, "session_coming"); err != nil {
		return err
	}
	if _, err := grace.WaitDM(ctx, "You'll be at your session"); err != nil {
		return err
	}

	d.step("Ada has an exam on Tuesday, so she reschedules from her nudge to Wednesday 14:00 her time. Grace is told, and both calendars get the update.")
	if err := clickOpens(ctx, ada, "", "session_move", "Move this session"); err != nil {
		return err
	}
	if err := d.submitSees(ctx, ada, map[string]string{"move_date": "2026-03-18", "move_time": "14:00"}, "Session moved"); err != nil {
		return err
	}
	if _, err := grace.WaitDM(ctx, "<@U0ADA> moved your session of Tue 17 Mar, 09:00 to Wed 18 Mar, 10:00–10:45"); err != nil {
		return err
	}
	if d.calendar != nil {
		// The calendar hears of it through the outbox: one pass writes it.
		d.app.Scheduler.DrainOutbox(ctx)
		if !d.seesSeriesMoved("grace@example.com") {
			return errors.New("demo: Grace's calendar does not show the session moved")
		}
	}
	for _, p := range []*fakeslack.Person{ada, grace} {
		if err := d.slack.WaitUntil(ctx, func() bool { return d.calendar != nil || len(p.Files()) == 2 }); err != nil {
			return err
		}
	}

	d.step("Nothing comes at Tuesday's old time. Wednesday 13:00 UTC, an hour before, both get the second nudge.")
	if err := d.moveClock(ctx, time.Date(2026, 3, 18, 13, 0, 0, 0, time.UTC)); err != nil {
		return err
	}
	if _, err := grace.WaitDM(ctx, "is in an hour: Wed 18 Mar, 10:00–10:45"); err != nil {
		return err
	}
	if _, err := ada.WaitDM(ctx, "is in an hour: Wed 18 Mar, 14:00–14:45"); err != nil {
		return err
	}

	d.step("An hour after it ends, both are asked, each privately, whether it happened. Both say yes.")
	if err := d.moveClock(ctx, time.Date(2026, 3, 18, 15, 45, 0, 0, time.UTC)); err != nil {
		return err
	}
	for _, p := range []*fakeslack.Person{grace, ada} {
		if _, err := p.WaitDM(ctx, "Did your session with"); err != nil {
			return err
		}
		if err := clickSees(ctx, d.slack, p, "session_held_yes", " happened."); err != nil {
			return err
		}
		// The first yes owes both of them a pulse.
		if err := d.slack.WaitUntil(ctx, func() bool {
			return newDMsSaying(d.slack, grace, "How was your session with") == 1 && newDMsSaying(d.slack, ada, "How was your session with") == 1
		}); err != nil {
			return err
		}
	}
	return nil
}

// sees waits for a DM containing dm, then for the person's Home tab to
// contain home, so each beat ends once everything it changed is shown.
func sees(ctx context.Context, p *fakeslack.Person, dm, home string) error {
	if _, err := p.WaitDM(ctx, dm); err != nil {
		return err
	}
	_, err := p.WaitHome(ctx, home)
	return err
}

func openForm(ctx context.Context, p *fakeslack.Person, command, title string) error {
	if _, err := p.Types(ctx, command); err != nil {
		return err
	}
	_, err := p.WaitModal(ctx, title)
	return err
}

// clickOpens clicks a button (in blockID, if given) and waits for the form
// it opens.
func clickOpens(ctx context.Context, p *fakeslack.Person, blockID, actionID, title string) error {
	var err error
	if blockID == "" {
		_, err = p.Clicks(ctx, actionID)
	} else {
		_, err = p.ClicksIn(ctx, blockID, actionID)
	}
	if err != nil {
		return err
	}
	_, err = p.WaitModal(ctx, title)
	return err
}

// submitSees submits the person's form, waits for the confirmation that
// replaces it, and closes that, as a person would after reading it.
func (d *demo) submitSees(ctx context.Context, p *fakeslack.Person, values map[string]string, title string) error {
	if _, err := d.submit(ctx, p, values); err != nil {
		return err
	}
	if _, err := p.WaitModal(ctx, title); err != nil {
		if v := p.Modal(); v != nil && len(v.Errors) > 0 {
			return fmt.Errorf("%s's form %q says: %v", p.ID(), v.Title, v.Errors)
		}
		return err
	}
	return p.Cancel(ctx)
}

// submitBoth fills in and submits both steps of the join form.
func (d *demo) submitBoth(ctx context.Context, p *fakeslack.Person, step1, step2 map[string]string) error {
	if _, err := d.submit(ctx, p, step1); err != nil {
		return err
	}
	if _, err := p.WaitModal(ctx, "Your topics"); err != nil {
		return err
	}
	if _, err := d.submit(ctx, p, step2); err != nil {
		return err
	}
	if v := p.Modal(); v != nil {
		return fmt.Errorf("%s's form stayed open: %v", p.ID(), v.Errors)
	}
	return nil
}

// sawDM waits for a DM containing text, as WaitDM does, but reading the
// transcript.
func sawDM(ctx context.Context, slack *fakeslack.Server, p *fakeslack.Person, text string) error {
	if err := slack.WaitUntil(ctx, func() bool { return dmsSaying(slack, p, text) > 0 }); err != nil {
		return fmt.Errorf("no DM to %s says %q: %w", p.ID(), text, err)
	}
	return nil
}

// dmsSaying counts the DMs the person was sent or saw rewritten that
// contain text. It reads the transcript, where each was rendered once, so
// waiting on it stays cheap however many people take part.
func dmsSaying(slack *fakeslack.Server, p *fakeslack.Person, text string) int {
	n := 0
	for _, e := range slack.Transcript(p.ID()) {
		if inDM(e) && strings.Contains(e.Text, text) {
			n++
		}
	}
	return n
}

// inDM reports whether the entry is a message, or a file shared, in the
// person's DM.
func inDM(e fakeslack.Entry) bool { return e.Kind == "dm" || e.Kind == "file" }

// newDMsSaying is dmsSaying without the rewrites.
func newDMsSaying(slack *fakeslack.Server, p *fakeslack.Person, text string) int {
	n := 0
	for _, e := range slack.Transcript(p.ID()) {
		if inDM(e) && !strings.HasPrefix(e.Text, "(edited)") && strings.Contains(e.Text, text) {
			n++
		}
	}
	return n
}

// clickSees clicks a button and waits for one more DM containing text: a
// new one, or the one clicked as mentorbot rewrites it.
func clickSees(ctx context.Context, slack *fakeslack.Server, p *fakeslack.Person, actionID, text string) error {
	before := dmsSaying(slack, p, text)
	if _, err := p.Clicks(ctx, actionID); err != nil {
		return err
	}
	if err := slack.WaitUntil(ctx, func() bool { return dmsSaying(slack, p, text) > before }); err != nil {
		return fmt.Errorf("%s clicked %s but no DM says %q: %w", p.ID(), actionID, text, err)
	}
	return nil
}

// clickShows clicks a button and waits for mentorbot to show the person
// something in return.
func clickShows(ctx context.Context, slack *fakeslack.Server, p *fakeslack.Person, actionID string) error {
	before := shownCount(slack.Transcript(p.ID()))
	if _, err := p.Clicks(ctx, actionID); err != nil {
		return err
	}
	if err := slack.WaitUntil(ctx, func() bool { return shownCount(slack.Transcript(p.ID())) > before }); err != nil {
		return fmt.Errorf("%s clicked %s and saw nothing: %w", p.ID(), actionID, err)
	}
	return nil
}

// shownCount counts what mentorbot showed the person, leaving out the
// Home tab, which it republishes on its own, and the forms they closed.
func shownCount(entries []fakeslack.Entry) int {
	n := 0
	for _, e := range entries {
		if !ownActions[e.Kind] && e.Kind != "closed" && e.Kind != "home" {
			n++
		}
	}
	return n
}

var transcriptLabels = map[string]string{
	"typed":        "typed",
	"clicked":      "clicked",
	"submitted":    "submitted",
	"closed":       "closed",
	"opened-home":  "opened Home",
	"dm":           "DM from mentorbot",
	"group":        "group DM from mentorbot",
	"ephemeral":    "only you can see",
	"modal":        "form opened",
	"modal-update": "form changed",
	"modal-errors": "form says",
	"file":         "file from mentorbot",
}

// ownActions are the transcript entries of what the person did; the rest
// is what mentorbot showed them.
var ownActions = map[string]bool{"typed": true, "clicked": true, "submitted": true, "opened-home": true}

// printTranscript prints what the person did, each act followed by what
// they saw before their next one: forms first, then replies only they
// could see, then messages. The bot does its work side by side, so what
// one act shows arrives in an order that differs from run to run; this
// order does not. The Home tab is left out: the bot republishes it on
// every change, and two changes at once may publish in either order.
func printTranscript(w io.Writer, p demoPerson, entries []fakeslack.Entry) {
	fmt.Fprintf(w, "\n=== %s (%s, %s) ===\n", p.RealName, p.about, p.TZ)
	var shown []fakeslack.Entry
	flush := func() {
		slices.SortStableFunc(shown, func(a, b fakeslack.Entry) int { return cmp.Compare(shownRank(a), shownRank(b)) })
		for _, e := range shown {
			printEntry(w, e)
		}
		shown = shown[:0]
	}
	for _, e := range entries {
		switch {
		case e.Kind == "home":
		case ownActions[e.Kind]:
			flush()
			printEntry(w, e)
		default:
			shown = append(shown, e)
		}
	}
	flush()
}

// shownRank orders what one act showed: the form it changed (and the
// person closing it, which is no act of its own), the reply to it, the
// message it rewrote, the pair's conversation, then whatever else came.
func shownRank(e fakeslack.Entry) int {
	switch {
	case strings.HasPrefix(e.Kind, "modal"), e.Kind == "closed":
		return 0
	case e.Kind == "ephemeral":
		return 1
	case strings.HasPrefix(e.Text, "(edited)"):
		return 2
	case e.Kind == "group":
		return 3
	}
	return 4
}

func printEntry(w io.Writer, e fakeslack.Entry) {
	label := transcriptLabels[e.Kind]
	if label == "" {
		label = e.Kind
	}
	text := strings.TrimRight(e.Text, "\n")
	if !strings.Contains(text, "\n") {
		fmt.Fprintf(w, "  [%s] %s\n", label, text)
		return
	}
	fmt.Fprintf(w, "  [%s]\n", label)
	for _, line := range strings.Split(text, "\n") {
		fmt.Fprintf(w, "      %s\n", line)
	}
}

// playFeedback is the end of the cycle: private pulses after the session,
// the weeks after, a summary that hides what rests on too few answers, the
// close-out with a goal review, the cycle report and the export.
func (d *demo) playFeedback(ctx context.Context) error {
	ada, grace, hope := d.slack.Person("U0ADA"), d.slack.Person("U0GRACE"), d.slack.Person("U0HOPE")

	d.step("Having said it happened, each gets a private two-tap pulse. Grace finds it useful (4) and comfortable (5), and keeps a private note; Ada answers too.")
	for _, p := range []*fakeslack.Person{grace, ada} {
		if _, err := p.WaitDM(ctx, "How was your session with"); err != nil {
			return err
		}
	}
	for _, click := range []struct {
		p      *fakeslack.Person
		action string
	}{{grace, "pulse_useful_4"}, {grace, "pulse_comfort_5"}, {ada, "pulse_useful_5"}, {ada, "pulse_comfort_4"}} {
		// One tap at a time, as people tap: each rewrites the message.
		if err := clickShows(ctx, d.slack, click.p, click.action); err != nil {
			return err
		}
	}
	if _, err := grace.WaitDM(ctx, "Thank you, that's all."); err != nil {
		return err
	}
	if err := clickOpens(ctx, grace, "", "pulse_note", "Private note"); err != nil {
		return err
	}
	if err := d.submitSees(ctx, grace, map[string]string{"pulse_note": "Ada's prompt library saved me an hour on the board update."}, "Note kept"); err != nil {
		return err
	}

	if err := d.playTeachIns(ctx); err != nil {
		return err
	}
	if err := d.playCrowdWeeks(ctx); err != nil {
		return err
	}

	// A figure shows once it rests on 3 answers: the named pair gives 2,
	// the pair at risk none, and every other pair 4.
	figure := "hidden (fewer than 3 answers so far)"
	if len(d.crowd.paired) > 2 {
		figure = "/ 5 from"
	}
	d.step("Hope asks for a summary with `/mentor summary`. The HR channel gets counts and a chart; a pulse average shows only if it rests on 3 answers or more.")
	if _, err := hope.Types(ctx, "/mentor summary"); err != nil {
		return err
	}
	if err := d.slack.WaitUntil(ctx, func() bool { return channelSays(d.slack, demoHRChannel, figure) }); err != nil {
		return fmt.Errorf("no summary showing %q reached the HR channel", figure)
	}

	d.step("Hope closes the cycle with `/mentor cycle close`. The pairs end; everyone is thanked, asked to review their goals and whether to take part again.")
	if _, err := hope.Types(ctx, "/mentor cycle close"); err != nil {
		return err
	}
	if _, err := hope.Clicks(ctx, "cycle_close"); err != nil {
		return err
	}
	thanked := []*fakeslack.Person{grace, ada}
	for _, id := range d.crowd.paired {
		thanked = append(thanked, d.slack.Person(id))
	}
	for _, p := range thanked {
		if _, err := p.WaitDM(ctx, "Thank you for taking part"); err != nil {
			return err
		}
	}

	d.step("Grace reviews her two goals (one achieved, one progressing), sees her private notes there, rates privately how Ada showed three qualities of a mentor and herself on three of a mentee's, sees her own ratings side by side, and opts in to the next cycle.")
	if err := clickOpens(ctx, grace, "review", "survey_open", "Goal review"); err != nil {
		return err
	}
	if err := d.submitSees(ctx, grace, map[string]string{"goal_0_progress": "achieved", "goal_1_progress": "progressing", "survey_continue": "yes",
		"quality_partner_technology": "5", "quality_partner_patience": "5", "quality_partner_focus": "4",
		"quality_self_listen": "4", "quality_self_act": "3", "quality_self_commitment": "4"}, "Thank you"); err != nil {
		return err
	}
	if _, err := grace.Clicks(ctx, "opt_in"); err != nil {
		return err
	}
	if _, err := grace.WaitDM(ctx, "You're in for the next cycle"); err != nil {
		return err
	}

	d.step("The HR channel gets the cycle report with its chart; Hope exports the records as CSV, pulse data only as figures from 3 answers or more.")
	if err := d.slack.WaitUntil(ctx, func() bool { return channelSays(d.slack, demoHRChannel, "Cycle report: Spring 2026") }); err != nil {
		return errors.New("the cycle report never reached the HR channel")
	}
	if err := d.playCrowdReviews(ctx); err != nil {
		return err
	}
	// Grace and every simulated mentee rated how their mentor brought in
	// new technologies.
	quality := "Introduce new technologies: by their partners hidden (fewer than 3 answers so far)"
	if len(d.crowd.paired) >= 4 {
		quality = "Introduce new technologies: by their partners "
	}
	d.step("Hope asks for the report again with `/mentor summary`, now the goal reviews are in: each quality's mean by role shows once at least 3 people rated it, never one person's rating.")
	if _, err := hope.Types(ctx, "/mentor summary"); err != nil {
		return err
	}
	if err := d.slack.WaitUntil(ctx, func() bool { return channelSays(d.slack, demoHRChannel, quality) }); err != nil {
		return fmt.Errorf("no cycle report saying %q reached the HR channel", quality)
	}
	if err := d.playThanks(ctx); err != nil {
		return err
	}
	if _, err := hope.Types(ctx, "/mentor export"); err != nil {
		return err
	}
	if _, err := hope.WaitDM(ctx, "Here's the programme's export"); err != nil {
		return err
	}
	return nil
}

// channelSays reports whether a message in the channel contains text.
func channelSays(slack *fakeslack.Server, channel, text string) bool {
	for _, m := range slack.Channel(channel) {
		if strings.Contains(m.Rendered(), text) {
			return true
		}
	}
	return false
}

// playCrowdReviews has the simulated people review their goal, each rating
// the first quality asked of their partner and of themselves.
func (d *demo) playCrowdReviews(ctx context.Context) error {
	if len(d.crowd.paired) == 0 {
		return nil
	}
	d.step("The simulated people review their goals too, each rating their partner and themselves, privately.")
	for _, id := range d.crowd.paired {
		c, p := d.crowd.byID[id], d.slack.Person(id)
		own, partner := mentorbot.RoleMentee, mentorbot.RoleMentor
		if c.mentor {
			own, partner = partner, own
		}
		answers := map[string]string{"goal_0_progress": "progressing", "survey_continue": "yes",
			mentorbot.FieldQualityRating(mentorbot.RatedPartner, mentorbot.QualitiesAsked(partner, mentorbot.RatedPartner, 1, mentorbot.SurveyClosing)[0].ID): fmt.Sprint(c.useful),
			mentorbot.FieldQualityRating(mentorbot.RatedSelf, mentorbot.QualitiesAsked(own, mentorbot.RatedSelf, 1, mentorbot.SurveyClosing)[0].ID):           fmt.Sprint(c.comfort),
		}
		if err := clickOpens(ctx, p, "review", "survey_open", "Goal review"); err != nil {
			return err
		}
		if err := d.submitSees(ctx, p, answers, "Thank you"); err != nil {
			return err
		}
	}
	return nil
}

// playThanks is thanks out loud, only by choice: one thank-you both say
// yes to is posted; a senior says no to another and nothing is posted.
func (d *demo) playThanks(ctx context.Context) error {
	ada, grace, kim, lena := d.slack.Person("U0ADA"), d.slack.Person("U0GRACE"), d.slack.Person("U0KIM"), d.slack.Person("U0LENA")

	d.step("Ada offers Grace a one-line thank-you for #kudos. Both are shown it exactly as it would be posted; Grace says yes, Ada too, and it is posted, with no score in it.")
	if err := clickOpens(ctx, ada, "thanks", "thanks_open", "A thank-you"); err != nil {
		return err
	}
	if err := d.submitSees(ctx, ada, map[string]string{"thanks_text": "Grace, thank you for trying every tool I showed you, and for all the questions."}, "Thank-you offered"); err != nil {
		return err
	}
	if err := sawDM(ctx, d.slack, grace, "would like to thank you in"); err != nil {
		return err
	}
	if err := clickSees(ctx, d.slack, grace, "thanks_yes", "You said yes."); err != nil {
		return err
	}
	if err := sawDM(ctx, d.slack, ada, "Here is your thank-you exactly as it would be posted"); err != nil {
		return err
	}
	if err := clickSees(ctx, d.slack, ada, "thanks_yes", "You both said yes"); err != nil {
		return err
	}
	if err := d.slack.WaitUntil(ctx, func() bool { return channelSays(d.slack, demoCelebrateChannel, "thank you for trying every tool") }); err != nil {
		return errors.New("the thank-you both agreed to never reached #kudos")
	}

	d.step("Kim offers Lena one too. Lena, the finance director, would rather not be seen in a public channel: \"No\" comes first and is as plain as \"Yes\". She says no; Kim hears only that it stays between them, and nothing is posted.")
	if err := clickOpens(ctx, kim, "thanks", "thanks_open", "A thank-you"); err != nil {
		return err
	}
	if err := d.submitSees(ctx, kim, map[string]string{"thanks_text": "Lena, thank you for making spreadsheets fun to teach."}, "Thank-you offered"); err != nil {
		return err
	}
	// Both asks are out before Lena answers: one still owed when she says
	// no is dropped, not sent.
	if err := sawDM(ctx, d.slack, kim, "Here is your thank-you exactly as it would be posted"); err != nil {
		return err
	}
	if err := sawDM(ctx, d.slack, lena, "Saying no is just as fine"); err != nil {
		return err
	}
	if err := clickSees(ctx, d.slack, lena, "thanks_no", "it won't be posted"); err != nil {
		return err
	}
	if err := sawDM(ctx, d.slack, kim, "won't be posted: it stays between you two"); err != nil {
		return err
	}
	if n := len(d.slack.Channel(demoCelebrateChannel)); n != 1 {
		return fmt.Errorf("#kudos has %d posts, want the one both agreed to", n)
	}
	return nil
}
