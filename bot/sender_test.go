package bot

import (
	"context"
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

// newTestSender is a sender talking to a fresh fake Slack.
func newTestSender(t *testing.T) (*fakeslack.Server, *sender) {
	t.Helper()
	srv := fakeslack.New()
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
	s.firstBackoff = 10 * time.Millisecond // keeps retry tests quick
	return srv, s
}

func testCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
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
	srv, s := newTestSender(t)
	srv.FailNext("users.info", fakeslack.Fault{Status: 429, RetryAfter: time.Second})

	tz, err := s.userTimeZone(testCtx(t, 10*time.Second), "U1ADA")
	if err != nil || tz != "Europe/London" {
		t.Fatalf("userTimeZone = %q, %v", tz, err)
	}
	calls := srv.Calls("users.info")
	if len(calls) != 2 || calls[0].Status != 429 || calls[1].Status != 200 {
		t.Fatalf("users.info calls: %+v", calls)
	}
	if gap := calls[1].At.Sub(calls[0].At); gap < time.Second {
		t.Errorf("retried after %v, before the 1s Retry-After", gap)
	}
	if st := s.stats["users.info"]; st.Calls != 2 || st.Retries != 1 || st.RateLimited != 1 || st.Failed != 0 {
		t.Errorf("stats %+v", *st)
	}
}

// A 429 holds back every caller of the method, not only the one told;
// other methods go on.
func TestA429PausesEveryCallerOfTheMethod(t *testing.T) {
	t.Parallel()
	srv, s := newTestSender(t)
	srv.FailNext("chat.postMessage", fakeslack.Fault{Status: 429, RetryAfter: time.Second})
	ctx := testCtx(t, 15*time.Second)

	var wg sync.WaitGroup
	errs := make(chan error, len(senderPeople))
	send := func(user string) {
		defer wg.Done()
		_, _, err := s.dm(ctx, user, textMessage("hello"))
		errs <- err
	}
	wg.Add(1)
	go send(senderPeople[0])
	// The others start once the sender has the 429, not before.
	for s.pausedFor("chat.postMessage", time.Now()) <= 0 {
		if ctx.Err() != nil {
			t.Fatal("no pause after the 429")
		}
		time.Sleep(time.Millisecond)
	}
	for _, user := range senderPeople[1:] {
		wg.Add(1)
		go send(user)
	}

	// Meanwhile a form's lookup is not held up by the messages' pause.
	start := time.Now()
	if _, err := s.userTimeZone(ctx, "U1ADA"); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 500*time.Millisecond {
		t.Errorf("users.info took %v during chat.postMessage's pause", took)
	}

	wg.Wait()
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
	srv, s := newTestSender(t)
	srv.FailNext("views.publish", fakeslack.Fault{Status: 503, Times: 2})
	err := s.publishHome(testCtx(t, 10*time.Second), "U1ADA", slack.HomeTabViewRequest{
		Type:   slack.VTHomeTab,
		Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewSectionBlock(plain("Home"), nil, nil)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls("views.publish")
	if len(calls) != 3 || calls[2].Status != 200 {
		t.Fatalf("views.publish calls: %+v", calls)
	}
	if gap := calls[1].At.Sub(calls[0].At); gap < s.firstBackoff {
		t.Errorf("retried after %v, before the first backoff %v", gap, s.firstBackoff)
	}
}

func TestAttemptsAreBounded(t *testing.T) {
	t.Parallel()
	srv, s := newTestSender(t)
	srv.FailNext("users.info", fakeslack.Fault{Status: 500, Times: maxAttempts})
	_, err := s.userTimeZone(testCtx(t, 10*time.Second), "U1ADA")
	var sc slack.StatusCodeError
	if !errors.As(err, &sc) || sc.Code != 500 {
		t.Fatalf("err = %v, want the 500", err)
	}
	if n := len(srv.Calls("users.info")); n != maxAttempts {
		t.Errorf("%d calls, want %d", n, maxAttempts)
	}

	// An answer that will not change is not asked again.
	if _, err := s.userTimeZone(testCtx(t, 10*time.Second), "U1NOBODY"); err == nil {
		t.Fatal("no error for an unknown user")
	}
	if n := len(srv.Calls("users.info")); n != maxAttempts+1 {
		t.Errorf("%d calls after a user_not_found, want %d", n, maxAttempts+1)
	}
}

func TestSenderKeepsToTheCallersDeadline(t *testing.T) {
	t.Parallel()
	srv, s := newTestSender(t)

	// Slack asks for longer than the caller has: give up at once.
	srv.FailNext("views.open", fakeslack.Fault{Status: 429, RetryAfter: 5 * time.Second})
	start := time.Now()
	_, err := s.openModal(testCtx(t, time.Second), "U1", "T1", slack.ModalViewRequest{})
	if err == nil {
		t.Fatal("no error")
	}
	if took := time.Since(start); took > 500*time.Millisecond {
		t.Errorf("gave up after %v; the deadline could not be met from the start", took)
	}
	// Another caller in the pause gives up without calling.
	start = time.Now()
	if _, err := s.openModal(testCtx(t, time.Second), "U1", "T2", slack.ModalViewRequest{}); err == nil {
		t.Fatal("no error during the pause")
	}
	if took := time.Since(start); took > 500*time.Millisecond {
		t.Errorf("gave up after %v", took)
	}
	if n := len(srv.Calls("views.open")); n != 1 {
		t.Errorf("%d views.open calls, want 1", n)
	}

	// Waiting for a channel's turn keeps to the deadline too.
	ctx := testCtx(t, 10*time.Second)
	for range perChannel.burst {
		if _, _, err := s.dm(ctx, "U1ADA", textMessage("hello")); err != nil {
			t.Fatal(err)
		}
	}
	start = time.Now()
	if _, _, err := s.dm(testCtx(t, 300*time.Millisecond), "U1ADA", textMessage("too soon")); err == nil {
		t.Fatal("a message past the channel's pace went within a 300ms deadline")
	}
	if took := time.Since(start); took > 200*time.Millisecond {
		t.Errorf("gave up after %v", took)
	}
	if n := len(srv.Calls("chat.postMessage")); n != perChannel.burst {
		t.Errorf("%d chat.postMessage calls, want %d", n, perChannel.burst)
	}
	// The turn given up is free again.
	time.Sleep(perChannel.every + 100*time.Millisecond)
	if _, _, err := s.dm(testCtx(t, 300*time.Millisecond), "U1ADA", textMessage("now")); err != nil {
		t.Errorf("after a second: %v", err)
	}
}

// Messages to one channel go about a second apart after a short burst;
// messages to another channel do not wait for them.
func TestMessagesArePacedPerChannel(t *testing.T) {
	t.Parallel()
	srv, s := newTestSender(t)
	ctx := testCtx(t, 15*time.Second)
	n := perChannel.burst + 1
	start := time.Now()
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
	wg.Wait()

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
		if late := at[0].Sub(start); late > 500*time.Millisecond {
			t.Errorf("the first message to %s waited %v for another channel", user, late)
		}
	}
}

func TestAnUnpacedSenderNeverWaits(t *testing.T) {
	t.Parallel()
	srv, s := newTestSender(t)
	s.unpaced = true
	ctx := testCtx(t, 5*time.Second)
	n := perChannel.burst * 3
	for range n {
		if _, _, err := s.dm(ctx, senderPeople[0], textMessage("hello")); err != nil {
			t.Fatal(err)
		}
	}
	calls := srv.Calls("chat.postMessage")
	if len(calls) != n {
		t.Fatalf("%d messages, want %d", len(calls), n)
	}
	if took := calls[n-1].At.Sub(calls[0].At); took > 500*time.Millisecond {
		t.Errorf("%d messages to one person took %v; unpaced, none should wait", n, took)
	}
	if waited := s.stats["chat.postMessage"].Waited; waited > 100*time.Millisecond {
		t.Errorf("the sender waited %v for its pace", waited)
	}
}

func TestDMReturnsWhereItLanded(t *testing.T) {
	t.Parallel()
	srv, s := newTestSender(t)
	metadata := slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "test_key", EventPayload: map[string]any{"key": "k1"}})
	channel, ts, err := s.dm(testCtx(t, 10*time.Second), "U1ADA", textMessage("hello"), metadata)
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
	if got, _ := s.dmChannel(testCtx(t, time.Second), "U1ADA"); got != channel {
		t.Errorf("remembered %q, want %q", got, channel)
	}
}

func TestUploadSharesAFileInTheDM(t *testing.T) {
	t.Parallel()
	srv, s := newTestSender(t)
	ctx := testCtx(t, 15*time.Second)
	content := []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")

	// Someone never DMed before: the DM is opened for the file.
	srv.FailNext("files.getUploadURLExternal", fakeslack.Fault{Status: 503})
	srv.FailNext(uploadToURL, fakeslack.Fault{Status: 502})
	srv.FailNext("files.completeUploadExternal", fakeslack.Fault{Status: 500})
	m := message{text: "Your sessions", blocks: []slack.Block{slack.NewSectionBlock(plain("Your sessions, for your calendar"), nil, nil)}}
	if err := s.upload(ctx, "U1ADA", "mentoring-1.ics", content, m); err != nil {
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
	_, s := newTestSender(t)
	now := time.Now()
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
	srv, s := newTestSender(t)
	now := time.Now()
	s.methods["views.open"].ReserveN(now, methodPaces["views.open"].burst) // spent

	first, second := s.keepTurn("U1"), s.keepTurn("U2")
	if first <= 0 || second <= first {
		t.Fatalf("kept turns in %v and %v: want each after the last", first, second)
	}
	if again := s.keepTurn("U1"); again > first {
		t.Errorf("asking again moved U1's turn from %v to %v", first, again)
	}
	if s.keptTurn(testCtx(t, time.Millisecond), "U1") {
		t.Error("a turn after the caller's deadline was taken")
	}

	// The answer does not matter here, only that the call went.
	srv.FailNext("views.open", fakeslack.Fault{Error: "expired_trigger_id"})
	_, _ = s.openModal(testCtx(t, first+2*time.Second), "U1", "T1", slack.ModalViewRequest{})
	if n := len(srv.Calls("views.open")); n != 1 {
		t.Errorf("U1's form: %d calls, want 1 on the kept turn", n)
	}
	if _, err := s.openModal(testCtx(t, time.Second), "U3", "T3", slack.ModalViewRequest{}); err == nil || len(srv.Calls("views.open")) != 1 {
		t.Errorf("U3 asked after the kept turns and went first: %v", err)
	}
}
