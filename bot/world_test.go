package bot_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/app"
	"github.com/mentorbot/mentorbot/bot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
	"github.com/mentorbot/mentorbot/scheduler"
	"github.com/mentorbot/mentorbot/store"
	"github.com/mentorbot/mentorbot/store/storetest"
)

// People in the tests. Ada is early in her career and teaches; Grace is a
// senior executive who learns; Boss manages Ada; Hope runs the programme.
const (
	ada   = "U0ADA"
	grace = "U0GRACE"
	boss  = "U0BOSS"
	hope  = "U0HOPE"
	// kai is a second senior, or a second applicant, where a test needs one.
	kai = "U0KAI"
	// hrChannel is where summaries and cycle reports go.
	hrChannel = "C0HR"
	// celebrateChannel is where thank-yous both of a pair agreed to go.
	celebrateChannel = "C0THANKS"
)

// TestMain drops the PostgreSQL template once every test ran, so a
// developer's server keeps no copies.
func TestMain(m *testing.M) {
	code := m.Run()
	if err := storetest.DropTemplate(); err != nil {
		fmt.Fprintln(os.Stderr, "drop the PostgreSQL template:", err)
	}
	os.Exit(code)
}

// world is mentorbot running against the fake Slack on a fresh database.
type world struct {
	t     *testing.T
	slack *fakeslack.Server
	db    *store.DB
	clock *mentorbot.ManualClock // the programme's: the test moves it
	// sends is the time Slack calls go by: it skips what the bot sleeps,
	// so Retry-After and backoff cost the test no time.
	sends *bot.SkippingClock
	dsn   string       // MENTORBOT_DB: a SQLite file, or a PostgreSQL URL
	raw   *tableReader // the test's own reader, once opened

	// wrapStore, when set, wraps the store the programme saves through.
	wrapStore func(mentorbot.Store) mentorbot.Store
	admins    []string
	celebrate string
	meter     bot.Meter
	// calendar, when set, is the calendar service sessions are written to.
	calendar  mentorbot.Calendar
	programme *mentorbot.Programme
	bot       *bot.Bot
	scheduler *scheduler.Scheduler
	stop      func()
}

type worldOption func(*world)

// withMeter lets a test hear what the bot measures.
func withMeter(m bot.Meter) worldOption {
	return func(w *world) { w.meter = m }
}

// withoutCelebration runs the world with thank-yous turned off.
func withoutCelebration() worldOption {
	return func(w *world) { w.celebrate = "" }
}

// withStore wraps the store the programme uses, to inject faults.
func withStore(wrap func(mentorbot.Store) mentorbot.Store) worldOption {
	return func(w *world) { w.wrapStore = wrap }
}

// withCalendar writes sessions to a calendar service instead of sending
// .ics files.
func withCalendar(c mentorbot.Calendar) worldOption {
	return func(w *world) { w.calendar = c }
}

// firstMorning is when every test starts, unless it starts from a saved world.
var firstMorning = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func newWorld(t *testing.T, opts ...worldOption) *world {
	t.Helper()
	return openWorld(t, storetest.DSN(t), firstMorning, opts...)
}

// openWorld runs mentorbot on the database dsn names, at now.
func openWorld(t *testing.T, dsn string, now time.Time, opts ...worldOption) *world {
	t.Helper()
	sends := bot.NewSkippingClock()
	srv := fakeslack.New(fakeslack.WithClock(sends.Now))
	srv.AddUser(fakeslack.User{ID: ada, Name: "ada", RealName: "Ada Osei", TZ: "Europe/London", Email: "ada@example.com"})
	srv.AddUser(fakeslack.User{ID: grace, Name: "grace", RealName: "Grace Hopper", TZ: "America/New_York", Email: "grace@example.com"})
	srv.AddUser(fakeslack.User{ID: boss, Name: "boss", RealName: "Bea Boss", TZ: "Europe/London"})
	srv.AddUser(fakeslack.User{ID: hope, Name: "hope", RealName: "Hope Admin", TZ: "Europe/Berlin"})

	w := &world{t: t, slack: srv, dsn: dsn, admins: []string{hope}, celebrate: celebrateChannel,
		clock: mentorbot.NewManualClock(now), sends: sends}
	for _, o := range opts {
		o(w)
	}
	w.start()
	t.Cleanup(func() {
		w.stop()
		for _, v := range srv.Violations() {
			t.Errorf("the bot broke a Slack rule: %s", v)
		}
		srv.Close()
	})
	return w
}

// start runs a bot process against the world's Slack and database, wired
// as `mentorbot run` wires it.
func (w *world) start() {
	w.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Open(ctx, w.appConfig(), w.clock, testLogger(w.t))
	if err != nil {
		cancel()
		w.t.Fatal(err)
	}
	a.Bot.UseClock(w.sends)
	w.db, w.programme, w.bot, w.scheduler = a.DB, a.Programme, a.Bot, a.Scheduler
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	select {
	case <-a.Bot.Ready():
	case err := <-done:
		cancel()
		w.t.Fatalf("bot stopped before it was ready: %v", err)
	case <-time.After(10 * time.Second):
		cancel()
		w.t.Fatal("bot not ready after 10s")
	}
	var once sync.Once
	w.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				w.t.Errorf("bot stopped with an error: %v", err)
			}
		})
	}
}

// appConfig is how the world's bots are wired: against its fake Slack and
// database, unpaced, with the programme's settings.
func (w *world) appConfig() app.Config {
	return app.Config{
		DB: w.dsn,
		Bot: bot.Config{
			BotToken:     fakeslack.BotToken,
			AppToken:     fakeslack.AppToken,
			APIURL:       w.slack.APIURL(),
			DrainTimeout: 5 * time.Second,
			Meter:        w.meter,
			// The fake Slack enforces no limits; pacing is the sender tests'.
			Unpaced: true,
		},
		// The scheduler's outbox sends what actions owe; its cron never
		// fires in a test, which ticks by hand after moving the clock.
		Scheduler: scheduler.Config{Location: time.UTC, Tick: time.Hour, Lanes: 4},
		Programme: mentorbot.Programme{
			Admins:     w.admins,
			Location:   time.UTC,
			Onboarding: mentorbot.DefaultOnboarding(),
			HRChannel:  hrChannel,
			Calendar:   w.calendar,
			// Set as the environment sets it: MENTORBOT_CELEBRATE_CHANNEL.
			CelebrateChannel: w.celebrate,
		},
		WrapStore: w.wrapStore,
	}
}

// tick runs the scheduler's due work now, as its cron would; tests move
// the clock first.
func (w *world) tick() {
	w.t.Helper()
	w.scheduler.Tick(w.ctx())
}

// restart stops the bot process and starts a new one on the same database,
// as a deploy or a crash-and-restart would.
func (w *world) restart() {
	w.t.Helper()
	w.stop()
	w.start()
}

func (w *world) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	w.t.Cleanup(cancel)
	return ctx
}

// person returns a handle that fails the test on any error, so tests read
// as what people do.
func (w *world) person(id string) *person {
	return &person{w: w, p: w.slack.Person(id)}
}

type person struct {
	w *world
	p *fakeslack.Person
}

func (p *person) types(text string, opts ...fakeslack.DeliverOption) fakeslack.Ack {
	p.w.t.Helper()
	ack, err := p.p.Types(p.w.ctx(), text, opts...)
	if err != nil {
		p.w.t.Fatalf("%s types %q: %v", p.p.ID(), text, err)
	}
	return ack
}

func (p *person) submits(values map[string]string, opts ...fakeslack.DeliverOption) fakeslack.Ack {
	p.w.t.Helper()
	ack, err := p.p.Submit(p.w.ctx(), values, opts...)
	if err != nil {
		p.w.t.Fatalf("%s submits %v: %v", p.p.ID(), values, err)
	}
	return ack
}

func (p *person) clicks(actionID string) {
	p.w.t.Helper()
	if _, err := p.p.Clicks(p.w.ctx(), actionID); err != nil {
		p.w.t.Fatalf("%s clicks %s: %v", p.p.ID(), actionID, err)
	}
}

func (p *person) opensHome() {
	p.w.t.Helper()
	if _, err := p.p.OpensHome(p.w.ctx()); err != nil {
		p.w.t.Fatalf("%s opens the Home tab: %v", p.p.ID(), err)
	}
}

// seesModal waits until the person's top modal has this title.
func (p *person) seesModal(title string) *fakeslack.View {
	p.w.t.Helper()
	v, err := p.p.WaitModal(p.w.ctx(), title)
	if err != nil {
		p.w.t.Fatal(err)
	}
	return v
}

// seesInModal waits until the person's top modal says text.
func (p *person) seesInModal(text string) *fakeslack.View {
	p.w.t.Helper()
	var v *fakeslack.View
	says := func() bool {
		v = p.p.Modal()
		return v != nil && strings.Contains(v.Rendered(), text)
	}
	if p.w.slack.WaitUntil(p.w.ctx(), says) != nil {
		shown := "no modal"
		if v != nil {
			shown = v.Rendered()
		}
		p.w.t.Fatalf("%s's modal never said %q; it shows:\n%s", p.p.ID(), text, shown)
	}
	return v
}

// clicksIn clicks the button with this action in one block, when several
// blocks have one.
func (p *person) clicksIn(blockID, actionID string) {
	p.w.t.Helper()
	if _, err := p.p.ClicksIn(p.w.ctx(), blockID, actionID); err != nil {
		p.w.t.Fatalf("%s clicks %s in %s: %v", p.p.ID(), actionID, blockID, err)
	}
}

// seesDM waits for a DM containing text.
func (p *person) seesDM(text string) fakeslack.Message {
	p.w.t.Helper()
	m, err := p.p.WaitDM(p.w.ctx(), text)
	if err != nil {
		p.w.t.Fatalf("%v; DMs: %v", err, rendered(p.p.DMs()))
	}
	return m
}

// seesReply waits until the newest reply only this person sees says text.
func (p *person) seesReply(text string) string {
	p.w.t.Helper()
	m, err := p.p.WaitReply(p.w.ctx(), text)
	if err != nil {
		p.w.t.Fatalf("%v; replies: %v", err, rendered(p.p.Ephemerals()))
	}
	return m.Rendered()
}

// seesHome waits until the person's Home tab says text.
func (p *person) seesHome(text string) {
	p.w.t.Helper()
	if _, err := p.p.WaitHome(p.w.ctx(), text); err != nil {
		p.w.t.Fatal(err)
	}
}

func rendered(ms []fakeslack.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Rendered()
	}
	return out
}

// finish waits until the bot's work is known to be done: every request it
// received handled to the end, and an outbox pass that found nothing left
// to send. Only then may a test say what was not sent.
func (w *world) finish() {
	w.t.Helper()
	ctx := w.ctx()
	for {
		select {
		case <-w.bot.Idle():
		case <-ctx.Done():
			w.t.Fatal("the bot was still handling requests after 15s")
		}
		report := w.scheduler.DrainOutbox(ctx)
		if ctx.Err() != nil {
			w.t.Fatal("the outbox was still sending after 15s")
		}
		if report != (scheduler.DrainReport{}) {
			continue // what it sent may have started more
		}
		select {
		case <-w.bot.Idle():
			return
		default: // a request came during the pass
		}
	}
}

// retryPending moves the clock to when the outbox tries again what it
// could not send, and lets it, until nothing is pending: what a Slack
// outage held up arrives once Slack is back.
func (w *world) retryPending() {
	w.t.Helper()
	for {
		owed, err := w.db.DueOutbox(w.ctx(), w.clock.Now().AddDate(1, 0, 0), mentorbot.OutboxCursor{}, 1000)
		if err != nil {
			w.t.Fatal(err)
		}
		var next time.Time
		for _, item := range owed {
			if item.Attempts == 0 {
				continue // not tried yet: due later
			}
			if !item.NextTry.After(w.clock.Now()) {
				w.t.Fatalf("%s is due again and still pending after the outbox's pass", item.Key)
			}
			if item.NextTry.After(next) {
				next = item.NextTry
			}
		}
		if next.IsZero() {
			return
		}
		w.clock.Set(next)
		w.finish()
	}
}

func testLogger(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
