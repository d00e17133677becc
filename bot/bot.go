// Package bot is mentorbot's Slack edge: it receives Socket Mode envelopes,
// turns them into calls on the programme, and renders what people should
// see. It is the only package that imports slack-go.
//
// Each feature has two files: <feature>.go holds its handlers (routes,
// slash subcommands, button and submission handlers, the calls on the
// programme, the action IDs they answer to) and <feature>_messages.go its
// builders (the messages, modals, blocks and texts a person reads). The
// notices the outbox sends sit beside delivery.go's Deliver, in
// delivery_messages.go. Builders several features share are vocabulary:
// Block Kit in blocks.go; typed text, mentions, dates and counts in
// text.go. forms.go opens forms and answers their submissions, values.go
// writes and reads button values, and router.go, sender.go and meter.go
// receive, send and count. TestFeatureLayout holds the package to this.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/mentorbot/mentorbot"
)

// Config is what the bot needs to reach Slack and know its admins.
type Config struct {
	BotToken string // xoxb-...
	AppToken string // xapp-..., with connections:write
	APIURL   string // Web API base URL, ending in a slash
	// DrainTimeout bounds how long a stop waits for work already started.
	DrainTimeout time.Duration
	// PostRate is how many messages a second the bot posts across the
	// workspace, and PostBurst how many may go at once; zero means 5 and 10.
	PostRate  float64
	PostBurst int
	// Meter hears what the bot does; nil when nobody watches.
	Meter Meter
	// Unpaced lifts the bot's own pacing of Web API calls, for a fake Slack
	// that enforces no limits: the demo plays weeks of a programme in
	// seconds. Never set it against Slack.
	Unpaced bool
	// Owner names this process among the bot's processes sharing one
	// database, in the claims it makes on requests: unique to the process.
	Owner string
}

// Bot answers people in Slack.
type Bot struct {
	cfg       Config
	programme *mentorbot.Programme
	requests  mentorbot.RequestLog
	clock     mentorbot.Clock
	log       *slog.Logger
	api       *slack.Client
	socket    *socketmode.Client
	send      *sender
	routes    routes
	meter     Meter

	ready     chan struct{}
	readyOnce sync.Once

	work *workCount // envelopes being handled and the work they started

	homeLocks *homeLocks

	mu       sync.Mutex
	inFlight map[string]*pendingRequest
	// erased holds, for erasedMemory, the people who erased their data,
	// so a request of theirs still in flight is not recorded under them.
	// It lives in memory only: on disk it would keep what it must forget.
	erased map[string]time.Time
	// recording is held, shared, from reading erased to recording a
	// request, and alone to note an erasure: a record is either finished
	// before the erasure deletes the person's records, or made knowing
	// of it.
	recording sync.RWMutex
}

// New builds a bot; Run connects it.
func New(cfg Config, programme *mentorbot.Programme, requests mentorbot.RequestLog, log *slog.Logger) *Bot {
	api := slack.New(cfg.BotToken, slack.OptionAppLevelToken(cfg.AppToken), slack.OptionAPIURL(cfg.APIURL))
	meter := cfg.Meter
	if meter == nil {
		meter = unmetered{}
	}
	b := &Bot{
		cfg:       cfg,
		programme: programme,
		requests:  requests,
		clock:     programme.Clock,
		log:       log,
		api:       api,
		socket:    socketmode.New(api),
		send:      newSender(api, log, meter, cfg.PostRate, cfg.PostBurst),
		meter:     meter,
		ready:     make(chan struct{}),
		inFlight:  map[string]*pendingRequest{},
		erased:    map[string]time.Time{},
		homeLocks: newHomeLocks(),
		work:      newWorkCount(),
	}
	if cfg.DrainTimeout > 0 {
		b.send.finishWithin = cfg.DrainTimeout
	}
	b.send.unpaced = cfg.Unpaced
	b.routes = b.routeTable()
	return b
}

// Ready is closed once the bot is connected to Slack and answering.
func (b *Bot) Ready() <-chan struct{} { return b.ready }

// Idle is closed once no request is being handled: every envelope received
// so far was acknowledged, and the work it started (its replies, messages
// and Home tab refreshes, and the record that it was handled) is done. A
// request received later makes the bot busy again; call Idle again to wait
// for it. Messages owed through the outbox are the scheduler's to send.
func (b *Bot) Idle() <-chan struct{} { return b.work.idle() }

// workCount counts envelopes being handled, with the work they started,
// and tells when there are none.
type workCount struct {
	mu   sync.Mutex
	n    int
	none chan struct{} // closed while n is 0
}

func newWorkCount() *workCount {
	w := &workCount{none: make(chan struct{})}
	close(w.none)
	return w
}

func (w *workCount) add() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.n == 0 {
		w.none = make(chan struct{})
	}
	w.n++
}

func (w *workCount) done() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.n--
	if w.n == 0 {
		close(w.none)
	}
}

// idle is closed while nothing is being handled.
func (w *workCount) idle() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.none
}

// Run checks the bot token, connects over Socket Mode and answers envelopes
// until ctx ends; then it lets work already started finish.
func (b *Bot) Run(ctx context.Context) error {
	startCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	botUser, err := b.send.whoAmI(startCtx)
	cancel()
	if err != nil {
		return fmt.Errorf("Slack refused the bot token (SLACK_BOT_TOKEN): %w", err)
	}
	b.log.Info("bot token accepted", "bot_user", botUser)

	// Work started by an envelope outlives the socket: a shutdown lets it
	// finish (with a bound) rather than drop a half-sent reply.
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()

	defer b.meter.SocketConnected(false)
	socketDone := make(chan error, 1)
	go func() { socketDone <- b.socket.RunContext(ctx) }()

	var socketErr error
loop:
	for {
		select {
		case evt := <-b.socket.Events:
			b.onSocketEvent(workCtx, evt)
		case socketErr = <-socketDone:
			break loop
		}
	}

	// The socket is closed, so no new work comes: once idle, the bot is drained.
	select {
	case <-b.work.idle():
		b.log.Info("shutdown: drained; every request in progress finished")
	case <-time.After(b.cfg.DrainTimeout):
		b.log.Error("shutdown: work still running after the drain timeout; stopping it", "timeout", b.cfg.DrainTimeout)
		stopWork()
		<-b.work.idle()
	}
	b.send.logCalls()
	if socketErr != nil && !errors.Is(socketErr, context.Canceled) {
		return fmt.Errorf("Socket Mode connection (SLACK_APP_TOKEN): %w", socketErr)
	}
	return nil
}

func (b *Bot) onSocketEvent(ctx context.Context, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		// A new connection is tried only once the last one is gone.
		b.meter.SocketConnected(false)
		b.log.Debug("connecting to Slack")
	case socketmode.EventTypeConnectionError:
		b.meter.SocketConnected(false)
		b.log.Warn("could not connect to Slack; retrying", "detail", evt.Data)
	case socketmode.EventTypeConnected:
		b.log.Info("connected to Slack")
	case socketmode.EventTypeHello:
		// Slack sends envelopes only after hello, so only now is the bot reachable.
		b.meter.SocketConnected(true)
		b.readyOnce.Do(func() { close(b.ready) })
	case socketmode.EventTypeDisconnect:
		b.meter.SocketConnected(false)
		b.log.Info("Slack asked to reconnect")
	case socketmode.EventTypeInvalidAuth:
		b.meter.SocketConnected(false)
		b.log.Error("Slack refused the app-level token (SLACK_APP_TOKEN)")
	case socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
		b.work.add()
		go func() {
			defer b.work.done()
			b.handleEnvelope(ctx, evt)
		}()
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed, socketmode.EventTypeErrorBadMessage:
		b.log.Warn("Socket Mode problem", "type", evt.Type, "detail", evt.Data)
	}
}
