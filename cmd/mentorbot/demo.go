package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mentorbot/mentorbot"
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
	{fakeslack.User{ID: "U0HOPE", Name: "hope", RealName: "Hope Adeyemi", TZ: "Europe/London"}, "HR, runs the programme"},
}

// demoCommand plays people using mentorbot against the built-in fake Slack
// and prints what each of them saw.
func demoCommand(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("demo", flag.ContinueOnError)
	flags.SetOutput(stdout)
	verbose := flags.Bool("v", false, "also print the bot's log")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}

	slack := fakeslack.New()
	defer slack.Close()
	for _, p := range demoPeople {
		slack.AddUser(p.User)
	}
	dir, err := os.MkdirTemp("", "mentorbot-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	cfg := Config{
		BotToken: fakeslack.BotToken,
		AppToken: fakeslack.AppToken,
		APIURL:   slack.APIURL(),
		DB:       filepath.Join(dir, "mentorbot.db"),
		Admins:   []string{"U0HOPE"},
		TimeZone: "Europe/London",
		Shutdown: 10 * time.Second,
		Tick:     time.Minute,
		LogLevel: "info",
	}
	if err := cfg.check(); err != nil {
		return err
	}
	logOut := io.Discard
	if *verbose {
		logOut = stdout
	}
	log := slog.New(slog.NewTextHandler(logOut, nil))
	clock := mentorbot.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))

	app, err := startApp(ctx, cfg, clock, log)
	if err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- app.run(runCtx) }()
	select {
	case <-app.bot.Ready():
	case err := <-done:
		stop()
		return fmt.Errorf("the bot stopped before it was ready: %w", err)
	}

	fmt.Fprintf(stdout, "mentorbot demo: a fake Slack on %s, a fresh database, %d people.\n\n", slack.APIURL(), len(demoPeople))
	playErr := playDemo(ctx, slack, stdout)
	stop()
	runErr := <-done

	fmt.Fprintln(stdout, "\nWhat each person saw")
	for _, p := range demoPeople {
		printTranscript(stdout, p, slack.Transcript(p.ID))
	}
	for _, v := range slack.Violations() {
		fmt.Fprintf(stdout, "Slack would have refused: %s\n", v)
	}
	return errors.Join(playErr, runErr)
}

// playDemo is the story: people join, one makes a mistake and fixes it,
// one edits her profile, one looks for a command that does not exist.
func playDemo(ctx context.Context, slack *fakeslack.Server, out io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	ada, grace, ravi := slack.Person("U0ADA"), slack.Person("U0GRACE"), slack.Person("U0RAVI")
	step := func(format string, args ...any) { fmt.Fprintf(out, "• "+format+"\n", args...) }

	step("Ada asks what mentorbot is.")
	if _, err := ada.Types(ctx, "/mentor help"); err != nil {
		return err
	}
	if _, err := ada.WaitReply(ctx, "/mentor join"); err != nil {
		return err
	}

	step("Ada joins to teach, but writes her free time as \"after lunch on Tuesdays\".")
	adaBasics := map[string]string{
		"role": "mentor", "topics": "Social media,Video and content creation", "job_level": "1",
		"department": "Customer Support", "availability": "after lunch on Tuesdays",
	}
	if err := openForm(ctx, ada, "/mentor join", "Join mentorbot"); err != nil {
		return err
	}
	if _, err := ada.Submit(ctx, adaBasics); err != nil {
		return err
	}
	if v := ada.Modal(); v == nil || v.Errors["availability"] == "" {
		return errors.New("the form did not point out Ada's mistake")
	}
	step("  The form says what is wrong next to the field. She writes \"Tue 13:00-15:00, Thu 9-10am\".")
	if err := submitBoth(ctx, ada,
		map[string]string{"availability": "Tue 13:00-15:00, Thu 9-10am"},
		map[string]string{"level_0": "5", "level_1": "4", "pitch": "I grew our support TikTok from zero to 40k followers."}); err != nil {
		return err
	}
	if _, err := ada.WaitDM(ctx, "Welcome to reverse mentoring"); err != nil {
		return err
	}

	step("Grace, the COO, opens mentorbot's Home tab and joins from there to learn.")
	if _, err := grace.OpensHome(ctx); err != nil {
		return err
	}
	if _, err := grace.WaitHome(ctx, "Join the programme"); err != nil {
		return err
	}
	if _, err := grace.Clicks(ctx, "join_open"); err != nil {
		return err
	}
	if _, err := grace.WaitModal(ctx, "Join mentorbot"); err != nil {
		return err
	}
	if err := submitBoth(ctx, grace,
		map[string]string{"role": "mentee", "topics": "AI assistants at work,Social media", "job_level": "7",
			"department": "Operations", "availability": "Mon-Fri 8-9am"},
		map[string]string{"level_0": "1", "level_1": "2", "pitch": "How my teams could use AI assistants, and what our customers see on social media."}); err != nil {
		return err
	}
	if _, err := grace.WaitDM(ctx, "read the short onboarding for mentees"); err != nil {
		return err
	}

	step("Ravi joins to teach and checks his profile.")
	if err := openForm(ctx, ravi, "/mentor join", "Join mentorbot"); err != nil {
		return err
	}
	if err := submitBoth(ctx, ravi,
		map[string]string{"role": "mentor", "topics": "Data visualisation,Spreadsheets and automation", "other_topics": "Power BI",
			"job_level": "2", "department": "Finance", "availability": "Wed 15:00-17:30"},
		map[string]string{"level_0": "5", "level_1": "4", "level_2": "4", "pitch": "I turn messy spreadsheets into dashboards people use."}); err != nil {
		return err
	}
	if _, err := ravi.Types(ctx, "/mentor profile"); err != nil {
		return err
	}
	if _, err := ravi.WaitReply(ctx, "Your mentorbot profile"); err != nil {
		return err
	}

	step("Grace tries a command that does not exist.")
	if _, err := grace.Types(ctx, "/mentor schedule"); err != nil {
		return err
	}
	if _, err := grace.WaitReply(ctx, "I don't know"); err != nil {
		return err
	}

	step("Ada edits her profile: she can teach no-code tools too.")
	if err := openForm(ctx, ada, "/mentor join", "Edit your profile"); err != nil {
		return err
	}
	if err := submitBoth(ctx, ada,
		map[string]string{"topics": "Social media,Video and content creation,No-code tools"},
		map[string]string{"level_2": "3"}); err != nil {
		return err
	}
	_, err := ada.WaitDM(ctx, "Your profile is updated")
	return err
}

func openForm(ctx context.Context, p *fakeslack.Person, command, title string) error {
	if _, err := p.Types(ctx, command); err != nil {
		return err
	}
	_, err := p.WaitModal(ctx, title)
	return err
}

// submitBoth fills in and submits both steps of the join form.
func submitBoth(ctx context.Context, p *fakeslack.Person, step1, step2 map[string]string) error {
	if _, err := p.Submit(ctx, step1); err != nil {
		return err
	}
	if _, err := p.WaitModal(ctx, "Your topics"); err != nil {
		return err
	}
	if _, err := p.Submit(ctx, step2); err != nil {
		return err
	}
	if v := p.Modal(); v != nil {
		return fmt.Errorf("%s's form stayed open: %v", p.ID(), v.Errors)
	}
	return nil
}

var transcriptLabels = map[string]string{
	"typed":        "typed",
	"clicked":      "clicked",
	"submitted":    "submitted",
	"closed":       "closed",
	"opened-home":  "opened Home",
	"dm":           "DM from mentorbot",
	"ephemeral":    "only you can see",
	"modal":        "form opened",
	"modal-update": "form changed",
	"modal-errors": "form says",
	"home":         "Home tab",
}

func printTranscript(w io.Writer, p demoPerson, entries []fakeslack.Entry) {
	fmt.Fprintf(w, "\n=== %s (%s, %s) ===\n", p.RealName, p.about, p.TZ)
	for _, e := range entries {
		label := transcriptLabels[e.Kind]
		if label == "" {
			label = e.Kind
		}
		text := strings.TrimRight(e.Text, "\n")
		if !strings.Contains(text, "\n") {
			fmt.Fprintf(w, "  [%s] %s\n", label, text)
			continue
		}
		fmt.Fprintf(w, "  [%s]\n", label)
		for _, line := range strings.Split(text, "\n") {
			fmt.Fprintf(w, "      %s\n", line)
		}
	}
}
