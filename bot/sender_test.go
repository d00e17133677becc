package bot

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// People the sender writes to in these tests.
var senderPeople = []string{"U1ADA", "U1GRACE", "U1BOSS", "U1HOPE", "U1KAI", "U1LIN"}

// newTestSender is a sender talking to a fresh fake Slack, both telling
// the time by a fake clock the test moves.
func newTestSender(t *testing.T) (*fakeslack.Server, *sender, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	srv := fakeslack.New(fakeslack.WithClock(clock.Now))
	for _, id := range senderPeople {
		srv.AddUser(fakeslack.User{ID: id, Name: id, RealName: id, TZ: "Europe/London", Email: id + "@example.com"})
	}
	t.Cleanup(func() {
		for _, v := range srv.Violations() {
			t.Errorf("the sender broke a Slack rule: %s", v)
		}
		srv.Close()
	})
	api := slack.New(fakeslack.BotToken, slack.OptionAPIURL(srv.APIURL()))
	s := newSender(api, slog.New(slog.NewTextHandler(t.Output(), nil)), unmetered{}, 0, 0)
	s.clock = clock
	return srv, s, clock
}

// drive runs fn, and whenever a sender sleeps on the clock moves the clock
// to when it wakes, until fn returns: for tests that care what was waited
// for, not who waits at once.
func (c *fakeClock) drive(t *testing.T, fn func()) {
	t.Helper()
	done := start(fn)
	stuck := stuckAfter(t)
	for {
		c.mu.Lock()
		changed := c.changed
		c.mu.Unlock()
		if c.asleep() > 0 {
			c.advanceToWake(t)
			continue
		}
		select {
		case <-done:
			return
		case <-changed:
		case <-stuck.Done():
			t.Fatal("still sending after a minute")
		}
	}
}

// atOnce runs fn and fails the test if a sender sleeps on the clock
// before fn returns: fn must not wait.
func (c *fakeClock) atOnce(t *testing.T, what string, fn func()) {
	t.Helper()
	asleep := c.asleep()
	done := start(fn)
	stuck := stuckAfter(t)
	for {
		c.mu.Lock()
		changed := c.changed
		c.mu.Unlock()
		if c.asleep() > asleep {
			t.Fatalf("%s waited for the clock", what)
		}
		select {
		case <-done:
			return
		case <-changed:
		case <-stuck.Done():
			t.Fatalf("%s never returned", what)
		}
	}
}

func TestEveryMethodIsPaced(t *testing.T) {
	t.Parallel()
	for call := range methodScopes {
		if _, ok := methodPaces[slackMethod(call)]; !ok && call != "chat.postMessage" {
			t.Errorf("%s has no pace in methodPaces", call)
		}
	}
	for method := range methodPaces {
		if _, ok := methodScopes[method]; !ok {
			t.Errorf("%s is paced but not in methodScopes", method)
		}
	}
}

func TestSenderWaitsOutA429Once(t *testing.T) {
	t.Parallel()
	srv, s, clock := newTestSender(t)
	srv.FailNext("users.info", fakeslack.Fault{Status: 429, RetryAfter: time.Second})

	var (
		tz  string
		err error
	)
	done := start(func() { tz, err = s.userTimeZone(clock.context(t, 10*time.Second), "U1ADA") })
	clock.waitAsleep(t, 1, done)
	if n := len(srv.Calls("users.info")); n != 1 {
		t.Fatalf("%d users.info calls before the pause ended, want 1", n)
	}
	woke := clock.advanceToWake(t)
	finished(t, done)
	if err != nil || tz != "Europe/London" {
		t.Fatalf("userTimeZone = %q, %v", tz, err)
	}
	calls := srv.Calls("users.info")
	if len(calls) != 2 || calls[0].Status != 429 || calls[1].Status != 200 {
		t.Fatalf("users.info calls: %+v", calls)
	}
	// The pause is the Retry-After with some jitter, and each caller
	// waiting it out adds jitter of its own.
	if gap := woke.Sub(calls[0].At); gap < time.Second || gap > time.Second+2*pauseJitter {
		t.Errorf("slept %v after the 429, want its 1s Retry-After and at most %v more", gap, 2*pauseJitter)
	}
	if !calls[1].At.Equal(woke) {
		t.Errorf("retried at %v, not once the pause ended at %v", calls[1].At, woke)
	}
	if st := s.stats["users.info"]; st.Calls != 2 || st.Retries != 1 || st.RateLimited != 1 || st.Failed != 0 || st.Waited != woke.Sub(calls[0].At) {
		t.Errorf("stats %+v", *st)
	}
}

// A 429 holds back every caller of the method, not only the one told;
// other methods go on.
func TestA429PausesEveryCallerOfTheMethod(t *testing.T) {
	t.Parallel()
	srv, s, clock := newTestSender(t)
	srv.FailNext("chat.postMessage", fakeslack.Fault{Status: 429, RetryAfter: time.Second})
	ctx := clock.context(t, 15*time.Second)

	var wg sync.WaitGroup
	errs := make(chan error, len(senderPeople))
	send := func(user string) {
		defer wg.Done()
		_, _, err := s.dm(ctx, user, textMessage("hello"))
		errs <- err
	}
	wg.Add(1)
	go send(senderPeople[0])
	sent := start(wg.Wait)
	// The others start once the sender has the 429, not before: the first
	// is asleep, waiting out the pause.
	clock.waitAsleep(t, 1, sent)
	for _, user := range senderPeople[1:] {
		wg.Add(1)
		go send(user)
	}
	clock.waitAsleep(t, len(senderPeople), sent)
	if n := len(srv.Calls("chat.postMessage")); n != 1 {
		t.Fatalf("%d chat.postMessage calls during the pause, want only the one told 429", n)
	}

	// Meanwhile a form's lookup is not held up by the messages' pause.
	clock.atOnce(t, "users.info during chat.postMessage's pause", func() {
		if _, err := s.userTimeZone(ctx, "U1ADA"); err != nil {
			t.Error(err)
		}
	})

	// Each waits out the pause, and its own jitter on top.
	clock.advance(time.Second + 2*pauseJitter)
	finished(t, sent)
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	calls := srv.Calls("chat.postMessage")
	if len(calls) != len(senderPeople)+1 {
		t.Fatalf("%d chat.postMessage calls, want %d", len(calls), len(senderPeople)+1)
	}
	limited := calls[0]
	if limited.Status != 429 {
		t.Fatalf("first call answered %d", limited.Status)
	}
	for _, c := range calls[1:] {
		if c.Status != 200 {
			t.Errorf("call to %s answered %d", c.Params.Get("channel"), c.Status)
		}
		if gap := c.At.Sub(limited.At); gap < time.Second {
			t.Errorf("message to %s went %v after the 429, before its 1s Retry-After", c.Params.Get("channel"), gap)
		}
	}
}

func TestServerErrorsAreRetriedWithBackoff(t *testing.T) {
	t.Parallel()
	srv, s, clock := newTestSender(t)
	srv.FailNext("views.publish", fakeslack.Fault{Status: 503, Times: 2})
	var err error
	published := start(func() {
		err = s.publishHome(clock.context(t, 10*time.Second), "U1ADA", slack.HomeTabViewRequest{
			Type:   slack.VTHomeTab,
			Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewSectionBlock(plain("Home"), nil, nil)}},
		})
	})
	var woke []time.Time
	for attempt := 1; attempt <= 2; attempt++ {
		clock.waitAsleep(t, 1, published)
		if n := len(srv.Calls("views.publish")); n != attempt {
			t.Fatalf("%d calls while backing off after attempt %d", n, attempt)
		}
		woke = append(woke, clock.advanceToWake(t))
	}
	finished(t, published)
	if err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls("views.publish")
	if len(calls) != 3 || calls[2].Status != 200 {
		t.Fatalf("views.publish calls: %+v", calls)
	}
	// Each backoff doubles, with up to half again as jitter.
	for i, least := range []time.Duration{firstBackoff, 2 * firstBackoff} {
		if gap := woke[i].Sub(calls[i].At); gap < least || gap > least*3/2 {
			t.Errorf("backoff %d was %v, want %v to %v", i+1, gap, least, least*3/2)
		}
		if !calls[i+1].At.Equal(woke[i]) {
			t.Errorf("attempt %d went at %v, not when the backoff ended at %v", i+2, calls[i+1].At, woke[i])
		}
	}
}

func TestAttemptsAreBounded(t *testing.T) {
	t.Parallel()
	srv, s, clock := newTestSender(t)
	srv.FailNext("users.info", fakeslack.Fault{Status: 500, Times: maxAttempts})
	var err error
	clock.drive(t, func() { _, err = s.userTimeZone(clock.context(t, time.Minute), "U1ADA") })
	var sc slack.StatusCodeError
	if !errors.As(err, &sc) || sc.Code != 500 {
		t.Fatalf("err = %v, want the 500", err)
	}
	if n := len(srv.Calls("users.info")); n != maxAttempts {
		t.Errorf("%d calls, want %d", n, maxAttempts)
	}

	// An answer that will not change is not asked again.
	clock.atOnce(t, "a user_not_found", func() { _, err = s.userTimeZone(clock.context(t, 10*time.Second), "U1NOBODY") })
	if err == nil {
		t.Fatal("no error for an unknown user")
	}
	if n := len(srv.Calls("users.info")); n != maxAttempts+1 {
		t.Errorf("%d calls after a user_not_found, want %d", n, maxAttempts+1)
	}
}

func TestSenderKeepsToTheCallersDeadline(t *testing.T) {
	t.Parallel()
	srv, s, clock := newTestSender(t)

	// Slack asks for longer than the caller has: give up at once.
	srv.FailNext("views.open", fakeslack.Fault{Status: 429, RetryAfter: 5 * time.Second})
	var err error
	clock.atOnce(t, "a call told to wait past its deadline", func() {
		_, err = s.openModal(clock.context(t, time.Second), "U1", "T1", slack.ModalViewRequest{})
	})
	if err == nil {
		t.Fatal("no error")
	}
	// Another caller in the pause gives up without calling.
	clock.atOnce(t, "a call during a pause past its deadline", func() {
		_, err = s.openModal(clock.context(t, time.Second), "U1", "T2", slack.ModalViewRequest{})
	})
	if err == nil {
		t.Fatal("no error during the pause")
	}
	if n := len(srv.Calls("views.open")); n != 1 {
		t.Errorf("%d views.open calls, want 1", n)
	}

	// Waiting for a channel's turn keeps to the deadline too.
	ctx := clock.context(t, 10*time.Second)
	clock.atOnce(t, "a burst of messages", func() {
		for range perChannel.burst {
			if _, _, err := s.dm(ctx, "U1ADA", textMessage("hello")); err != nil {
				t.Error(err)
			}
		}
	})
	clock.atOnce(t, "a message whose turn comes past its deadline", func() {
		_, _, err = s.dm(clock.context(t, 300*time.Millisecond), "U1ADA", textMessage("too soon"))
	})
	if err == nil {
		t.Fatal("a message past the channel's pace went within a 300ms deadline")
	}
	if n := len(srv.Calls("chat.postMessage")); n != perChannel.burst {
		t.Errorf("%d chat.postMessage calls, want %d", n, perChannel.burst)
	}
	// The turn given up is free again.
	clock.advance(perChannel.every + 100*time.Millisecond)
	clock.atOnce(t, "a message a second later", func() {
		_, _, err = s.dm(clock.context(t, 300*time.Millisecond), "U1ADA", textMessage("now"))
	})
	if err != nil {
		t.Errorf("after a second: %v", err)
	}
}

// Messages to one channel go about a second apart after a short burst;
// messages to another channel do not wait for them.
func TestMessagesArePacedPerChannel(t *testing.T) {
	t.Parallel()
	srv, s, clock := newTestSender(t)
	ctx := clock.context(t, 15*time.Second)
	n := perChannel.burst + 1
	began := clock.Now()
	var wg sync.WaitGroup
	for _, user := range senderPeople[:2] {
		wg.Go(func() {
			for range n {
				if _, _, err := s.dm(ctx, user, textMessage("hello")); err != nil {
					t.Error(err)
				}
			}
		})
	}
	sent := start(wg.Wait)
	// Both bursts go at once; each channel's next message waits its turn.
	clock.waitAsleep(t, 2, sent)
	if got := len(srv.Calls("chat.postMessage")); got != 2*perChannel.burst {
		t.Fatalf("%d messages went before anyone waited, want each channel's burst of %d", got, perChannel.burst)
	}
	woke := clock.advanceToWake(t)
	if woke.Sub(began) < 900*time.Millisecond {
		t.Errorf("the message after a burst waited only %v", woke.Sub(began))
	}
	clock.advance(time.Second) // whoever still sleeps
	finished(t, sent)

	byChannel := map[string][]time.Time{}
	for _, c := range srv.Calls("chat.postMessage") {
		byChannel[c.Params.Get("channel")] = append(byChannel[c.Params.Get("channel")], c.At)
	}
	for _, user := range senderPeople[:2] {
		at := byChannel[user]
		if len(at) != n {
			t.Fatalf("%d messages to %s, want %d", len(at), user, n)
		}
		if gap := at[n-1].Sub(at[0]); gap < 900*time.Millisecond {
			t.Errorf("%d messages to %s within %v; the last should wait about a second", n, user, gap)
		}
		if !at[0].Equal(began) {
			t.Errorf("the first message to %s waited %v for another channel", user, at[0].Sub(began))
		}
	}
}

func TestAnUnpacedSenderNeverWaits(t *testing.T) {
	t.Parallel()
	srv, s, clock := newTestSender(t)
	s.unpaced = true
	ctx := clock.context(t, 5*time.Second)
	n := perChannel.burst * 3
	clock.atOnce(t, "an unpaced sender", func() {
		for range n {
			if _, _, err := s.dm(ctx, senderPeople[0], textMessage("hello")); err != nil {
				t.Error(err)
			}
		}
	})
	if calls := srv.Calls("chat.postMessage"); len(calls) != n {
		t.Fatalf("%d messages, want %d", len(calls), n)
	}
	if waited := s.stats["chat.postMessage"].Waited; waited != 0 {
		t.Errorf("the sender waited %v for its pace", waited)
	}
}

func TestDMReturnsWhereItLanded(t *testing.T) {
	t.Parallel()
	srv, s, clock := newTestSender(t)
	metadata := slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "test_key", EventPayload: map[string]any{"key": "k1"}})
	channel, ts, err := s.dm(clock.context(t, 10*time.Second), "U1ADA", textMessage("hello"), metadata)
	if err != nil {
		t.Fatal(err)
	}
	dms := srv.Person("U1ADA").DMs()
	if len(dms) != 1 || channel != dms[0].Channel || ts != dms[0].TS || channel == "U1ADA" {
		t.Fatalf("dm returned %q %q; the DMs are %+v", channel, ts, dms)
	}
	if dms[0].Metadata == nil || dms[0].Metadata.EventType != "test_key" {
		t.Errorf("metadata %+v", dms[0].Metadata)
	}
	if n := len(srv.Calls("conversations.open")); n != 0 {
		t.Errorf("%d conversations.open calls for a DM", n)
	}
	if got, _ := s.dmChannel(clock.context(t, time.Second), "U1ADA"); got != channel {
		t.Errorf("remembered %q, want %q", got, channel)
	}
}

func TestUploadSharesAFileInTheDM(t *testing.T) {
	t.Parallel()
	srv, s, clock := newTestSender(t)
	ctx := clock.context(t, 15*time.Second)
	content := []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")

	// Someone never DMed before: the DM is opened for the file.
	srv.FailNext("files.getUploadURLExternal", fakeslack.Fault{Status: 503})
	srv.FailNext(uploadToURL, fakeslack.Fault{Status: 502})
	srv.FailNext("files.completeUploadExternal", fakeslack.Fault{Status: 500})
	m := message{text: "Your sessions", blocks: []slack.Block{slack.NewSectionBlock(plain("Your sessions, for your calendar"), nil, nil)}}
	var err error
	clock.drive(t, func() { err = s.upload(ctx, "U1ADA", "mentoring-1.ics", content, m) })
	if err != nil {
		t.Fatal(err)
	}
	files := srv.Person("U1ADA").Files()
	if len(files) != 1 || files[0].Name != "mentoring-1.ics" || string(files[0].Content) != string(content) {
		t.Fatalf("Ada's files: %+v", files)
	}
	dms := srv.Person("U1ADA").DMs()
	if len(dms) != 1 || len(dms[0].Blocks) != 1 {
		t.Errorf("the file's message: %+v", dms)
	}
	for _, method := range []string{"files.getUploadURLExternal", uploadToURL, "files.completeUploadExternal"} {
		if n := len(srv.Calls(method)); n != 2 {
			t.Errorf("%s called %d times, want 2 (one failure, one success)", method, n)
		}
	}
	if n := len(srv.Calls("conversations.open")); n != 1 {
		t.Errorf("%d conversations.open calls, want 1", n)
	}

	// Someone DMed before: the DM is known; a message without blocks
	// travels as the comment.
	if _, _, err := s.dm(ctx, "U1GRACE", textMessage("hello")); err != nil {
		t.Fatal(err)
	}
	if err := s.upload(ctx, "U1GRACE", "mentoring-2.ics", content, message{text: "Your invite"}); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Calls("conversations.open")); n != 1 {
		t.Errorf("conversations.open called again for someone DMed before")
	}
	dms = srv.Person("U1GRACE").DMs()
	if len(dms) != 2 || dms[1].Text != "Your invite" || len(dms[1].Files) != 1 {
		t.Errorf("Grace's DMs: %+v", dms)
	}
}

func TestIdleChannelLimitersAreDropped(t *testing.T) {
	t.Parallel()
	_, s, clock := newTestSender(t)
	now := clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ch := range []string{"C1", "C2", "C3"} {
		s.channelLimiter(ch, now).ReserveN(now, 1)
	}
	// C3 is busy: a turn taken a while from now.
	for range 5 {
		s.channelLimiter("C3", now).ReserveN(now, 1)
	}
	s.sweepChannels(now.Add(2 * time.Second))
	if _, ok := s.channels["C3"]; !ok || len(s.channels) != 1 {
		t.Errorf("after a sweep the limiters are %v; want only C3's", s.channels)
	}

	// The map never holds many more than the channels in use.
	for i := range 3 * channelSweepMin {
		at := now.Add(time.Duration(i) * time.Second)
		s.channelLimiter(fmt.Sprintf("D%d", i), at).ReserveN(at, 1)
	}
	if n := len(s.channels); n > 2*channelSweepMin {
		t.Errorf("%d channel limiters kept", n)
	}
}

// When views.open is spent, a person whose form could not open is kept the
// next free turn, and their next form opens on it, ahead of everyone who
// asks later; a turn is kept once however often they ask.
func TestAKeptTurnOpensThePersonsNextForm(t *testing.T) {
	t.Parallel()
	srv, s, clock := newTestSender(t)
	now := clock.Now()
	s.methods["views.open"].ReserveN(now, methodPaces["views.open"].burst) // spent

	first, second := s.keepTurn("U1"), s.keepTurn("U2")
	if first <= 0 || second <= first {
		t.Fatalf("kept turns in %v and %v: want each after the last", first, second)
	}
	if again := s.keepTurn("U1"); again > first {
		t.Errorf("asking again moved U1's turn from %v to %v", first, again)
	}
	var took bool
	clock.atOnce(t, "a kept turn after the deadline", func() { took = s.keptTurn(clock.context(t, time.Millisecond), "U1") })
	if took {
		t.Error("a turn after the caller's deadline was taken")
	}

	// The answer does not matter here, only that the call went, on U1's
	// turn and not before.
	srv.FailNext("views.open", fakeslack.Fault{Error: "expired_trigger_id"})
	opened := start(func() {
		_, _ = s.openModal(clock.context(t, first+2*time.Second), "U1", "T1", slack.ModalViewRequest{})
	})
	clock.waitAsleep(t, 1, opened)
	if n := len(srv.Calls("views.open")); n != 0 {
		t.Errorf("U1's form went %v before its kept turn", first)
	}
	if woke := clock.advanceToWake(t); !woke.Equal(now.Add(first)) {
		t.Errorf("U1's form waited until %v, want its kept turn at %v", woke.Sub(now), first)
	}
	finished(t, opened)
	if n := len(srv.Calls("views.open")); n != 1 {
		t.Errorf("U1's form: %d calls, want 1 on the kept turn", n)
	}
	clock.atOnce(t, "a form asked for after the kept turns", func() {
		_, err := s.openModal(clock.context(t, time.Second), "U3", "T3", slack.ModalViewRequest{})
		if err == nil || len(srv.Calls("views.open")) != 1 {
			t.Errorf("U3 asked after the kept turns and went first: %v", err)
		}
	})
}
