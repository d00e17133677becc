package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"golang.org/x/time/rate"
)

// methodScopes lists every Web API method the bot calls, with the bot scope
// it needs; manifest.yml asks for exactly these scopes (a test checks).
var methodScopes = map[string]string{
	"auth.test":          "",
	"chat.postMessage":   "chat:write",
	"chat.update":        "chat:write",
	"conversations.open": "im:write",
	// A group DM is conversations.open with several users, which needs
	// its own scope; call names it apart so the manifest asks for both.
	groupConversation: "mpim:write",
	"users.info":      "users:read",
	// users.info shows a person's email only with a second scope; call
	// names the lookup apart so the manifest asks for both.
	userEmail:                      "users:read.email",
	"views.open":                   "",
	"views.update":                 "",
	"views.publish":                "",
	"files.getUploadURLExternal":   "files:write",
	"files.completeUploadExternal": "files:write",
	// The file itself goes by POST to the URL files.getUploadURLExternal
	// gave: not a Web API method, so no scope, but paced and retried the same.
	uploadToURL: "",
}

// Names for calls that are a Web API method used for a second purpose, or
// no Web API method at all.
const (
	groupConversation = "conversations.open (group)"
	userEmail         = "users.info (email)"
	uploadToURL       = "upload_url"
)

// slackMethod is the Web API method behind a call's name: Slack limits the
// method, whatever the bot uses it for.
func slackMethod(call string) string {
	switch call {
	case groupConversation:
		return "conversations.open"
	case userEmail:
		return "users.info"
	}
	return call
}

const (
	// defaultFinishWithin is sender.finishWithin when the bot sets none.
	defaultFinishWithin = 10 * time.Second
	maxAttempts         = 5
	firstBackoff        = 500 * time.Millisecond
	maxBackoff          = 8 * time.Second
	// pauseJitter spreads out callers that were all told the same Retry-After.
	pauseJitter = 250 * time.Millisecond
)

// pace is how fast the bot calls one method: on average one call every
// `every`, with up to burst at once.
type pace struct {
	every time.Duration
	burst int
}

// Slack's documented tiers (https://api.slack.com/docs/rate-limits), per
// method, per workspace. Slack welcomes bursts on Tier 3 and is generous
// with them on Tier 4; ours stay at half a minute's worth, as a 429 costs
// every caller of the method its Retry-After.
var (
	tier3 = pace{time.Minute / 50, 25}
	tier4 = pace{time.Minute / 100, 50}
	// auth.test is "special", thousands an hour; the bot calls it at start.
	authTest = pace{time.Second, 10}
	// chat.postMessage is special: about one message a second to each
	// channel, short bursts allowed, below a workspace-wide limit Slack does
	// not publish (Config.PostRate).
	perChannel = pace{time.Second, 3}
)

// methodPaces paces every method in methodScopes except chat.postMessage,
// which is paced per channel and across the workspace instead. Each method
// has its own limiter, so a flood of messages or Home tab refreshes never
// delays a views.open racing its trigger_id's 3 seconds. (No call goes
// through the sender before an envelope is acknowledged: handlers call it
// from reply.after, so pacing never delays an ack.)
var methodPaces = map[string]pace{
	"auth.test":                    authTest,
	"chat.update":                  tier3,
	"conversations.open":           tier3, // and groupConversation, the same method
	"users.info":                   tier4, // and userEmail, the same method
	"views.open":                   tier4,
	"views.update":                 tier4,
	"views.publish":                tier4,
	"files.getUploadURLExternal":   tier4,
	"files.completeUploadExternal": tier4,
	// One upload per getUploadURLExternal, so at most its pace anyway.
	uploadToURL: tier4,
}

// Defaults for Config.PostRate and Config.PostBurst: messages a second
// across the workspace, and how many may go at once.
const (
	defaultPostRate  = 5
	defaultPostBurst = 10
)

const (
	// channelSweepMin is how many per-channel limiters may pile up before
	// the idle ones are dropped.
	channelSweepMin = 1024
	// dmChannelsMax bounds the DM channels remembered for uploads; one
	// forgotten costs a conversations.open.
	dmChannelsMax = 50_000
)

// sender makes every Web API call the bot makes. It paces each method
// below Slack's limits, waits out a 429's Retry-After (every caller of that
// method waits, not only the one told) and retries server and network
// errors with backoff, a bounded number of times, never past the caller's
// deadline.
type sender struct {
	api   *slack.Client
	log   *slog.Logger
	meter Meter
	clock clock // when turns and pauses come; tests move their own
	// finishWithin is how long a call already sent may go on once its
	// caller is cancelled, as at shutdown: Slack may have acted on it, and
	// only its answer says so.
	finishWithin time.Duration

	methods   map[string]*rate.Limiter // by Web API method
	workspace *rate.Limiter            // chat.postMessage, every channel

	mu          sync.Mutex
	channels    map[string]*rate.Limiter // chat.postMessage, by channel as given
	sweepAt     int                      // sweep idle channel limiters at this many
	pausedUntil map[string]time.Time     // by Web API method, after a 429
	dmChannels  map[string]string        // user ID -> DM channel ID
	stats       map[string]*callStats    // by call name
	// keptTurns are views.open turns kept for people whose form could not
	// open in time, by user: when each is theirs.
	keptTurns map[string]time.Time

	unpaced bool // Config.Unpaced: every call goes at once
}

// callStats counts one kind of call since the bot started.
type callStats struct {
	Calls       int           // requests sent to Slack
	Retries     int           // requests sent again after a failure
	RateLimited int           // answered 429
	Failed      int           // gave up: error returned to the caller
	Waited      time.Duration // spent waiting for our pace or Slack's pause
}

func newSender(api *slack.Client, log *slog.Logger, meter Meter, postRate float64, postBurst int) *sender {
	if postRate <= 0 {
		postRate = defaultPostRate
	}
	if postBurst <= 0 {
		postBurst = defaultPostBurst
	}
	s := &sender{
		api:          api,
		log:          log,
		meter:        meter,
		clock:        systemClock{},
		finishWithin: defaultFinishWithin,
		methods:      map[string]*rate.Limiter{},
		workspace:    rate.NewLimiter(rate.Limit(postRate), postBurst),
		channels:     map[string]*rate.Limiter{},
		sweepAt:      channelSweepMin,
		pausedUntil:  map[string]time.Time{},
		dmChannels:   map[string]string{},
		stats:        map[string]*callStats{},
		keptTurns:    map[string]time.Time{},
	}
	for method, p := range methodPaces {
		s.methods[method] = rate.NewLimiter(rate.Every(p.every), p.burst)
	}
	return s
}

// call makes one Web API call, fn, paced, retried and bounded as the
// sender promises.
func (s *sender) call(ctx context.Context, method string, fn func(context.Context) error) error {
	return s.callIn(ctx, method, "", fn)
}

// callIn is call for chat.postMessage, which Slack paces per channel too.
func (s *sender) callIn(ctx context.Context, method, channel string, fn func(context.Context) error) error {
	if _, ok := methodScopes[method]; !ok {
		return fmt.Errorf("%s: not listed in methodScopes, so the manifest may lack its scope", method)
	}
	for attempt := 1; ; attempt++ {
		if err := s.waitTurn(ctx, method, channel); err != nil {
			s.count(method, func(c *callStats) { c.Failed++ })
			return fmt.Errorf("%s: %w", method, err)
		}
		s.count(method, func(c *callStats) {
			c.Calls++
			if attempt > 1 {
				c.Retries++
			}
		})
		wire, finished := s.onTheWire(ctx)
		err := fn(wire)
		finished()
		s.meter.SlackRequest(slackMethod(method), requestOutcome(err))
		if err == nil {
			return nil
		}
		wait, retry := s.retryDelay(err, attempt)
		if rl, ok := errors.AsType[*slack.RateLimitedError](err); ok {
			s.count(method, func(c *callStats) { c.RateLimited++ })
			s.pause(method, rl.RetryAfter+rand.N(pauseJitter))
		}
		if !retry || attempt == maxAttempts || ctx.Err() != nil {
			s.count(method, func(c *callStats) { c.Failed++ })
			return fmt.Errorf("%s: %w", method, err)
		}
		now := s.clock.Now()
		if deadline, ok := ctx.Deadline(); ok && deadline.Sub(now) < wait {
			s.count(method, func(c *callStats) { c.Failed++ })
			return fmt.Errorf("%s: %w (no time left to retry in %s)", method, err, wait.Round(time.Millisecond))
		}
		s.log.Warn("slack call failed; retrying", "method", method, "attempt", attempt, "wait", wait, "err", err)
		if _, limited := errors.AsType[*slack.RateLimitedError](err); limited {
			continue // waitTurn waits out the pause, with everyone else
		}
		if s.clock.SleepUntil(ctx, now.Add(wait)) != nil {
			s.count(method, func(c *callStats) { c.Failed++ })
			return fmt.Errorf("%s: %w", method, err)
		}
	}
}

// onTheWire is the context for one request: cancelling ctx no longer cuts
// it off, so a message Slack took is known to be taken, but its deadline
// holds and a cancelled caller waits at most finishWithin.
func (s *sender) onTheWire(ctx context.Context) (context.Context, context.CancelFunc) {
	detached := context.WithoutCancel(ctx)
	wire, cancel := context.WithCancel(detached)
	if deadline, ok := ctx.Deadline(); ok {
		wire, cancel = context.WithDeadline(detached, deadline)
	}
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(s.finishWithin, cancel) })
	return wire, func() {
		stop()
		cancel()
	}
}

// retryDelay says whether a failed call is worth repeating, and after how long.
func (s *sender) retryDelay(err error, attempt int) (time.Duration, bool) {
	if rl, ok := errors.AsType[*slack.RateLimitedError](err); ok {
		return rl.RetryAfter, true
	}
	backoff := min(firstBackoff<<(attempt-1), maxBackoff)
	backoff += rand.N(backoff/2 + 1)
	if sc, ok := errors.AsType[slack.StatusCodeError](err); ok {
		return backoff, sc.Code >= 500
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return backoff, true
	}
	return 0, false
}

// pause holds back every call of a method for d, after Slack answered one
// with 429. The pause is per method, chat.postMessage included: a 429 does
// not say which limit was hit, and as we already keep each channel below
// its one a second, the likelier one is the workspace's, where posting on
// to other channels would only earn more 429s.
func (s *sender) pause(call string, d time.Duration) {
	method := slackMethod(call)
	until := s.clock.Now().Add(d)
	s.mu.Lock()
	defer s.mu.Unlock()
	if until.After(s.pausedUntil[method]) {
		s.pausedUntil[method] = until
	}
}

func (s *sender) pausedFor(call string, now time.Time) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pausedUntil[slackMethod(call)].Sub(now)
}

// waitTurn waits until a call may go: past any pause Slack asked for, then
// its turn at the method's pace (for chat.postMessage, the channel's and the
// workspace's). It gives up at once when the wait would outlast ctx.
func (s *sender) waitTurn(ctx context.Context, call, channel string) error {
	start := s.clock.Now()
	defer func() {
		s.count(call, func(c *callStats) { c.Waited += s.clock.Now().Sub(start) })
	}()
	for {
		if err := s.waitPause(ctx, call); err != nil {
			return err
		}
		if err := s.waitPace(ctx, call, channel); err != nil {
			return err
		}
		// A 429 may have come while we waited: wait it out, and take a
		// fresh turn after it, so the queue leaves the pause spaced out.
		if s.pausedFor(call, s.clock.Now()) <= 0 {
			return nil
		}
	}
}

func (s *sender) waitPause(ctx context.Context, call string) error {
	for {
		now := s.clock.Now()
		left := s.pausedFor(call, now)
		if left <= 0 {
			return nil
		}
		if deadline, ok := ctx.Deadline(); ok && deadline.Sub(now) < left {
			return fmt.Errorf("Slack asked for a pause of another %s; no time left to wait", left.Round(time.Millisecond))
		}
		if err := s.clock.SleepUntil(ctx, now.Add(left+rand.N(pauseJitter))); err != nil {
			return err
		}
	}
}

func (s *sender) waitPace(ctx context.Context, call, channel string) error {
	if s.unpaced || ctx.Value(onKeptTurn{}) != nil {
		return nil
	}
	now := s.clock.Now()
	var reservations []*rate.Reservation
	s.mu.Lock()
	if lim := s.methods[slackMethod(call)]; lim != nil {
		reservations = append(reservations, lim.ReserveN(now, 1))
	}
	if call == "chat.postMessage" {
		// Reserved under the lock, so a sweep never drops a limiter in use.
		reservations = append(reservations, s.workspace.ReserveN(now, 1), s.channelLimiter(channel, now).ReserveN(now, 1))
	}
	s.mu.Unlock()
	var delay time.Duration
	for _, r := range reservations {
		delay = max(delay, r.DelayFrom(now))
	}
	if delay == 0 {
		return nil
	}
	cancel := func() {
		for _, r := range reservations {
			r.Cancel()
		}
	}
	if deadline, ok := ctx.Deadline(); ok && deadline.Sub(now) < delay {
		cancel()
		return fmt.Errorf("its turn comes in %s; no time left to wait", delay.Round(time.Millisecond))
	}
	if err := s.clock.SleepUntil(ctx, now.Add(delay)); err != nil {
		cancel()
		return err
	}
	return nil
}

// channelLimiter is the pace for messages to one channel; s.mu is held.
// Limiters idle long enough to be full again are dropped from time to time:
// a new one starts full too, so nothing is lost, and the map stays as large
// as the channels recently posted to.
func (s *sender) channelLimiter(channel string, now time.Time) *rate.Limiter {
	lim := s.channels[channel]
	if lim == nil {
		if len(s.channels) >= s.sweepAt {
			s.sweepChannels(now)
		}
		lim = rate.NewLimiter(rate.Every(perChannel.every), perChannel.burst)
		s.channels[channel] = lim
	}
	return lim
}

// sweepChannels drops idle channel limiters; s.mu is held. Sweeping again
// only once the map has doubled keeps the cost per message constant.
func (s *sender) sweepChannels(now time.Time) {
	for channel, lim := range s.channels {
		if lim.TokensAt(now) >= float64(lim.Burst()) {
			delete(s.channels, channel)
		}
	}
	s.sweepAt = max(channelSweepMin, 2*len(s.channels))
}

// clock is the sender's time: what it is now, and waiting for a time.
type clock interface {
	Now() time.Time
	// SleepUntil waits until t, or until ctx ends, and returns ctx's
	// error then.
	SleepUntil(ctx context.Context, t time.Time) error
}

// systemClock is the time of the machine the bot runs on.
type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) SleepUntil(ctx context.Context, until time.Time) error {
	t := time.NewTimer(time.Until(until))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (s *sender) count(call string, f func(*callStats)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.stats[call]
	if c == nil {
		c = &callStats{}
		s.stats[call] = c
	}
	f(c)
}

// logCalls writes what the sender did per method, so an operator sees how
// hard the bot pressed on Slack's limits while it ran.
func (s *sender) logCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for call, c := range s.stats {
		s.log.Info("Slack calls while running", "method", call, "calls", c.Calls, "retries", c.Retries,
			"rate_limited", c.RateLimited, "failed", c.Failed, "waited", c.Waited.Round(time.Millisecond))
	}
}

// post sends a message to a channel and returns where it landed. Its pace
// is kept per channel as given: DMs always go by user ID, so one person is
// one key.
func (s *sender) post(ctx context.Context, channel string, m message, opts ...slack.MsgOption) (landed, ts string, err error) {
	opts = append([]slack.MsgOption{slack.MsgOptionText(m.text, false), slack.MsgOptionBlocks(m.blocks...)}, opts...)
	err = s.callIn(ctx, "chat.postMessage", channel, func(ctx context.Context) error {
		var err error
		landed, ts, err = s.api.PostMessageContext(ctx, channel, opts...)
		return err
	})
	return landed, ts, err
}

// dm sends a direct message to a person and returns the DM channel and the
// message's ts. It posts to the user ID: Slack puts it in the app's DM with
// them, so a fan-out to thousands needs no conversations.open (Tier 3).
// opts add to the message, e.g. metadata.
func (s *sender) dm(ctx context.Context, userID string, m message, opts ...slack.MsgOption) (channel, ts string, err error) {
	channel, ts, err = s.post(ctx, userID, m, opts...)
	if err != nil {
		return "", "", err
	}
	s.rememberDM(userID, channel)
	return channel, ts, nil
}

func (s *sender) rememberDM(userID, channel string) {
	if channel == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.dmChannels[userID]; !ok && len(s.dmChannels) >= dmChannelsMax {
		for forget := range s.dmChannels { // any one: map order is random
			delete(s.dmChannels, forget)
			break
		}
	}
	s.dmChannels[userID] = channel
}

// dmChannel is the app's DM channel with a person: remembered from a DM,
// else opened.
func (s *sender) dmChannel(ctx context.Context, userID string) (string, error) {
	s.mu.Lock()
	channel, ok := s.dmChannels[userID]
	s.mu.Unlock()
	if ok {
		return channel, nil
	}
	err := s.call(ctx, "conversations.open", func(ctx context.Context) error {
		ch, _, _, err := s.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{userID}})
		if err == nil {
			channel = ch.ID
		}
		return err
	})
	if err != nil {
		return "", err
	}
	s.rememberDM(userID, channel)
	return channel, nil
}

// upload shares a file in a person's DM, with m as its message.
func (s *sender) upload(ctx context.Context, userID, filename string, content []byte, m message) error {
	// The channel first: no upload is left dangling when it cannot open.
	channel, err := s.dmChannel(ctx, userID)
	if err != nil {
		return err
	}
	return s.share(ctx, channel, filename, content, m)
}

// share shares a file in a channel, with m as its message (blocks when m
// has them, else text), by files v2: ask for an upload URL, send the file
// there, then complete the upload into the channel. Each step is retried
// on its own.
func (s *sender) share(ctx context.Context, channel, filename string, content []byte, m message) error {
	if len(content) == 0 {
		return fmt.Errorf("upload %s: the file is empty", filename)
	}
	var u *slack.GetUploadURLExternalResponse
	err := s.call(ctx, "files.getUploadURLExternal", func(ctx context.Context) error {
		var err error
		u, err = s.api.GetUploadURLExternalContext(ctx, slack.GetUploadURLExternalParameters{FileName: filename, FileSize: len(content)})
		return err
	})
	if err != nil {
		return err
	}
	err = s.call(ctx, uploadToURL, func(ctx context.Context) error {
		return s.api.UploadToURL(ctx, slack.UploadToURLParameters{UploadURL: u.UploadURL, Filename: filename, Reader: bytes.NewReader(content)})
	})
	if err != nil {
		return err
	}
	params := slack.CompleteUploadExternalParameters{
		Files:   []slack.FileSummary{{ID: u.FileID, Title: filename}},
		Channel: channel,
	}
	// Slack ignores blocks when initial_comment is given, so give one only.
	if len(m.blocks) > 0 {
		params.Blocks = slack.Blocks{BlockSet: m.blocks}
	} else {
		params.InitialComment = m.text
	}
	return s.call(ctx, "files.completeUploadExternal", func(ctx context.Context) error {
		_, err := s.api.CompleteUploadExternalContext(ctx, params)
		return err
	})
}

// openModal opens a modal and returns its view ID, for later updates.
// keptTurnLife is how long a kept views.open turn waits for its person.
const keptTurnLife = 10 * time.Minute

// keepTurn keeps the next free views.open turn for a person whose form
// could not open in time, and says how long until it comes. Their next
// form opens on that turn, so the button they are sent works in one
// click however many others are asking for forms by then.
func (s *sender) keepTurn(userID string) time.Duration {
	if s.unpaced {
		return 0
	}
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for user, at := range s.keptTurns {
		if now.Sub(at) > keptTurnLife {
			delete(s.keptTurns, user)
		}
	}
	if at, ok := s.keptTurns[userID]; ok && at.After(now) {
		return at.Sub(now)
	}
	// Past any pause Slack asked for, too.
	delay := max(s.methods["views.open"].ReserveN(now, 1).DelayFrom(now), s.pausedUntil["views.open"].Sub(now))
	s.keptTurns[userID] = now.Add(delay)
	return delay
}

// keptTurn takes the person's kept views.open turn, waiting for it when it
// is near; false when they have none, or it comes after ctx's deadline.
func (s *sender) keptTurn(ctx context.Context, userID string) bool {
	s.mu.Lock()
	at, ok := s.keptTurns[userID]
	if ok {
		if deadline, has := ctx.Deadline(); has && deadline.Before(at) {
			ok = false
		} else {
			delete(s.keptTurns, userID)
		}
	}
	s.mu.Unlock()
	return ok && s.clock.SleepUntil(ctx, at) == nil
}

// onKeptTurn marks a call made on a turn kept for it: its pace is paid.
type onKeptTurn struct{}

// openModal opens a form for a person, on the turn kept for them if they
// have one.
func (s *sender) openModal(ctx context.Context, userID, triggerID string, v slack.ModalViewRequest) (string, error) {
	if s.keptTurn(ctx, userID) {
		ctx = context.WithValue(ctx, onKeptTurn{}, true)
	}
	var viewID string
	err := s.call(ctx, "views.open", func(ctx context.Context) error {
		r, err := s.api.OpenViewContext(ctx, triggerID, v)
		if err == nil {
			viewID = r.ID
		}
		return err
	})
	return viewID, err
}

// updateModal replaces an open modal's content.
func (s *sender) updateModal(ctx context.Context, viewID string, v slack.ModalViewRequest) error {
	return s.call(ctx, "views.update", func(ctx context.Context) error {
		_, err := s.api.UpdateViewContext(ctx, v, "", "", viewID)
		return err
	})
}

// updateMessage replaces a message the bot sent, so buttons already
// answered turn into what was answered.
func (s *sender) updateMessage(ctx context.Context, channel, ts string, m message) error {
	return s.call(ctx, "chat.update", func(ctx context.Context) error {
		_, _, _, err := s.api.UpdateMessageContext(ctx, channel, ts, slack.MsgOptionText(m.text, false), slack.MsgOptionBlocks(m.blocks...))
		return err
	})
}

// groupDM opens a conversation with the bot and several people, and posts in it.
func (s *sender) groupDM(ctx context.Context, userIDs []string, m message, opts ...slack.MsgOption) (channel, ts string, err error) {
	err = s.call(ctx, groupConversation, func(ctx context.Context) error {
		ch, _, _, err := s.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: userIDs})
		if err == nil {
			channel = ch.ID
		}
		return err
	})
	if err != nil {
		return "", "", err
	}
	return s.post(ctx, channel, m, opts...)
}

func (s *sender) publishHome(ctx context.Context, userID string, v slack.HomeTabViewRequest) error {
	return s.call(ctx, "views.publish", func(ctx context.Context) error {
		_, err := s.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: userID, View: v})
		return err
	})
}

func (s *sender) userTimeZone(ctx context.Context, userID string) (string, error) {
	var tz string
	err := s.call(ctx, "users.info", func(ctx context.Context) error {
		u, err := s.api.GetUserInfoContext(ctx, userID)
		if err == nil {
			tz = u.TZ
		}
		return err
	})
	return tz, err
}

// user reads a person's Slack profile, email included.
func (s *sender) user(ctx context.Context, userID string) (*slack.User, error) {
	var user *slack.User
	err := s.call(ctx, userEmail, func(ctx context.Context) error {
		var err error
		user, err = s.api.GetUserInfoContext(ctx, userID)
		return err
	})
	return user, err
}

// whoAmI checks the bot token and returns the bot's user ID.
func (s *sender) whoAmI(ctx context.Context) (string, error) {
	var userID string
	err := s.call(ctx, "auth.test", func(ctx context.Context) error {
		r, err := s.api.AuthTestContext(ctx)
		if err == nil {
			userID = r.UserID
		}
		return err
	})
	return userID, err
}
