package fakeslack_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// post sends one message and returns the Retry-After of a 429, 0 if it went.
func post(t *testing.T, ctx context.Context, b *testBot, channel string) time.Duration {
	t.Helper()
	_, _, err := b.api.PostMessageContext(ctx, channel, slack.MsgOptionText("hello", false))
	var limited *slack.RateLimitedError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &limited):
		return limited.RetryAfter
	}
	t.Fatalf("post to %s: %v", channel, err)
	return 0
}

func TestRateLimitsAreOffByDefault(t *testing.T) {
	srv, b := start(t, nil)
	addPeople(srv)
	ctx := testContext(t)
	for range 100 {
		if wait := post(t, ctx, b, "U1ADA"); wait != 0 {
			t.Fatalf("rate limited without WithRateLimits (Retry-After %v)", wait)
		}
	}
	if n := srv.RateLimited(""); n != 0 {
		t.Errorf("RateLimited = %d", n)
	}
}

func TestWorkspaceLimitAnswers429(t *testing.T) {
	// An hour a token: no test runs long enough to see one free.
	srv, b := start(t, nil, fakeslack.WithRateLimits(fakeslack.RateLimits{Workspace: fakeslack.Rate{Every: time.Hour, Burst: 5}}))
	ctx := testContext(t)

	var waits []time.Duration
	for i := range 8 {
		waits = append(waits, post(t, ctx, b, fmt.Sprintf("C%d", i)))
	}
	for i, wait := range waits {
		if i < 5 && wait != 0 {
			t.Errorf("post %d within the burst got Retry-After %v", i, wait)
		}
		// The next token frees an hour after the first post, less the
		// moments the test took since.
		if i >= 5 && (wait <= 59*time.Minute || wait > time.Hour) {
			t.Errorf("post %d: Retry-After %v, want just under an hour", i, wait)
		}
	}
	var statuses []int
	for _, c := range srv.Calls("chat.postMessage") {
		statuses = append(statuses, c.Status)
		if c.Status == http.StatusTooManyRequests && c.Error != "ratelimited" {
			t.Errorf("429 recorded with error %q", c.Error)
		}
	}
	if mustJSON(t, statuses) != "[200,200,200,200,200,429,429,429]" {
		t.Errorf("statuses = %v", statuses)
	}
	if srv.RateLimited("chat.postMessage") != 3 || srv.MessageCount("") != 5 || len(srv.Channel("C5")) != 0 {
		t.Errorf("RateLimited = %d, MessageCount = %d, C5 = %+v", srv.RateLimited("chat.postMessage"), srv.MessageCount(""), srv.Channel("C5"))
	}
}

func TestPerChannelLimitAppliesToEachChannel(t *testing.T) {
	srv, b := start(t, nil, fakeslack.WithRateLimits(fakeslack.RateLimits{PerChannel: fakeslack.Rate{Every: time.Hour, Burst: 2}}))
	addPeople(srv)
	ctx := testContext(t)

	for i, step := range []struct {
		channel string
		limited bool
	}{
		{"U1ADA", false},
		{"DU1ADA", false}, // the same DM, named by its channel ID
		{"U1ADA", true},
		{"U2GRACE", false},
		{"CGENERAL", false},
		{"DU2GRACE", false},
		{"U2GRACE", true},
	} {
		if limited := post(t, ctx, b, step.channel) != 0; limited != step.limited {
			t.Errorf("step %d, post to %s: limited = %v, want %v", i, step.channel, limited, step.limited)
		}
	}
	if len(srv.Person("U1ADA").DMs()) != 2 || srv.RateLimited("") != 2 {
		t.Errorf("Ada has %d DMs, %d calls limited", len(srv.Person("U1ADA").DMs()), srv.RateLimited(""))
	}
}

func TestMethodLimitsAndFaultsShareThe429Path(t *testing.T) {
	srv, b := start(t, nil, fakeslack.WithRateLimits(fakeslack.RateLimits{
		Methods: map[string]fakeslack.Rate{"users.info": {Every: time.Hour, Burst: 1}},
	}))
	addPeople(srv)
	ctx := testContext(t)

	if _, err := b.api.GetUserInfoContext(ctx, "U1ADA"); err != nil {
		t.Fatal(err)
	}
	var limited *slack.RateLimitedError
	if _, err := b.api.GetUserInfoContext(ctx, "U1ADA"); !errors.As(err, &limited) {
		t.Errorf("second users.info: %v", err)
	}
	for range 20 {
		if _, err := b.api.AuthTestContext(ctx); err != nil {
			t.Fatalf("auth.test is not limited: %v", err)
		}
	}
	// A fault without RetryAfter still asks for a second, as Slack would.
	srv.FailNext("auth.test", fakeslack.Fault{Status: http.StatusTooManyRequests})
	if _, err := b.api.AuthTestContext(ctx); !errors.As(err, &limited) || limited.RetryAfter != time.Second {
		t.Errorf("faulted auth.test: %v", err)
	}
	if srv.RateLimited("users.info") != 1 || srv.RateLimited("auth.test") != 1 || srv.RateLimited("") != 2 {
		t.Errorf("RateLimited: users.info %d, auth.test %d, all %d", srv.RateLimited("users.info"), srv.RateLimited("auth.test"), srv.RateLimited(""))
	}
}

func TestSlackTiers(t *testing.T) {
	tiers := fakeslack.SlackTiers()
	for method, want := range map[string]fakeslack.Rate{
		"chat.update":                  {Every: 1200 * time.Millisecond, Burst: 50},
		"conversations.open":           {Every: 1200 * time.Millisecond, Burst: 50},
		"users.info":                   {Every: 600 * time.Millisecond, Burst: 100},
		"views.open":                   {Every: 600 * time.Millisecond, Burst: 100},
		"files.completeUploadExternal": {Every: 600 * time.Millisecond, Burst: 100},
		"auth.test":                    {},
		"apps.connections.open":        {},
	} {
		if got := tiers.Methods[method]; got != want {
			t.Errorf("%s: %+v, want %+v", method, got, want)
		}
	}
	if tiers.PerChannel.Every != time.Second || tiers.PerChannel.Burst < 2 {
		t.Errorf("PerChannel = %+v, want one a second with short bursts", tiers.PerChannel)
	}
}

// TestManyPostsAtOnce is a small load test: concurrent posts all land once
// and the counters agree with them.
func TestManyPostsAtOnce(t *testing.T) {
	srv, b := start(t, nil)
	ctx := testContext(t)

	const posts = 400
	var wg sync.WaitGroup
	for i := range posts {
		wg.Go(func() {
			_, _, err := b.api.PostMessageContext(ctx, fmt.Sprintf("C%d", i%20), slack.MsgOptionText("hi", false),
				slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "outbox", EventPayload: map[string]any{"id": i}}))
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := srv.MessageCount("outbox"); n != posts {
		t.Errorf("MessageCount = %d, want %d", n, posts)
	}
	ids := srv.MetadataValues("outbox", "id")
	if len(ids) != posts {
		t.Errorf("%d distinct ids, want %d", len(ids), posts)
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("id %s delivered %d times", id, n)
		}
	}
}
