package fakeslack_test

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// testBot is a minimal Socket Mode app built on the real slack-go clients,
// so the tests exercise the fake exactly as the bot will.
type testBot struct {
	api    *slack.Client
	client *socketmode.Client
	handle func(ctx context.Context, b *testBot, evt socketmode.Event)

	mu       sync.Mutex
	requests []socketmode.Event
	hellos   int
}

// handler reacts to one request and must ack it.
type handler func(ctx context.Context, b *testBot, evt socketmode.Event)

// start runs a fake Slack and a bot connected to it until the test ends.
func start(t *testing.T, handle handler, opts ...fakeslack.Option) (*fakeslack.Server, *testBot) {
	t.Helper()
	srv := fakeslack.New(opts...)
	return srv, connect(t, srv, handle)
}

// connect runs one more bot against srv until the test ends, as another
// replica of the app holding its own Socket Mode connection.
func connect(t *testing.T, srv *fakeslack.Server, handle handler) *testBot {
	t.Helper()
	api := slack.New(fakeslack.BotToken,
		slack.OptionAppLevelToken(fakeslack.AppToken),
		slack.OptionAPIURL(srv.APIURL()))
	b := &testBot{api: api, client: socketmode.New(api), handle: handle}

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = b.client.RunContext(ctx) })
	wg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-b.client.Events:
				b.dispatch(ctx, evt)
			}
		}
	})
	t.Cleanup(func() {
		cancel()
		srv.Close()
		wg.Wait()
	})
	return b
}

func (b *testBot) dispatch(ctx context.Context, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeHello:
		b.mu.Lock()
		b.hellos++
		b.mu.Unlock()
	case socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
		b.mu.Lock()
		b.requests = append(b.requests, evt)
		b.mu.Unlock()
		if b.handle != nil {
			b.handle(ctx, b, evt)
			return
		}
		_ = b.client.Ack(*evt.Request)
	}
}

// ack acknowledges a request, with an optional response payload.
func (b *testBot) ack(evt socketmode.Event, payload ...any) {
	_ = b.client.Ack(*evt.Request, payload...)
}

func (b *testBot) received() []socketmode.Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.requests)
}

func (b *testBot) helloCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.hellos
}

// testContext bounds each test step well inside the package's time budget.
func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

func option(value, label string) *slack.OptionBlockObject {
	return slack.NewOptionBlockObject(value, plain(label), nil)
}

func addPeople(srv *fakeslack.Server) {
	srv.AddUser(fakeslack.User{ID: "U1ADA", Name: "ada", RealName: "Ada Lovelace", TZ: "Europe/London"})
	srv.AddUser(fakeslack.User{ID: "U2GRACE", Name: "grace", RealName: "Grace Hopper", TZ: "America/New_York"})
}

func noViolations(t *testing.T, srv *fakeslack.Server) {
	t.Helper()
	if v := srv.Violations(); len(v) > 0 {
		t.Errorf("unexpected violations:\n%q", v)
	}
}

// mustJSON marshals for comparisons in tests.
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}
