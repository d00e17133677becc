package fakeslack_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

func TestAuthIsChecked(t *testing.T) {
	srv, b := start(t, nil)
	ctx := testContext(t)

	auth, err := b.api.AuthTestContext(ctx)
	if err != nil || auth.UserID != fakeslack.BotUserID || auth.TeamID != fakeslack.TeamID || auth.BotID != fakeslack.BotID {
		t.Fatalf("auth.test = %+v, %v", auth, err)
	}
	wrong := slack.New("xoxb-wrong", slack.OptionAPIURL(srv.APIURL()))
	if _, err := wrong.AuthTestContext(ctx); err == nil || err.Error() != "invalid_auth" {
		t.Errorf("wrong bot token: %v", err)
	}
	// The app token opens sockets only; the bot token cannot.
	botOnly := slack.New(fakeslack.BotToken, slack.OptionAppLevelToken(fakeslack.BotToken), slack.OptionAPIURL(srv.APIURL()))
	if _, _, err := botOnly.StartSocketModeContext(ctx); err == nil || err.Error() != "invalid_auth" {
		t.Errorf("apps.connections.open with the bot token: %v", err)
	}
}

func TestFailNext(t *testing.T) {
	srv, b := start(t, nil)
	addPeople(srv)
	ctx := testContext(t)

	srv.FailNext("chat.postMessage", fakeslack.Fault{Status: http.StatusTooManyRequests, RetryAfter: 1500 * time.Millisecond})
	_, _, err := b.api.PostMessageContext(ctx, "U1ADA", slack.MsgOptionText("hi", false))
	var limited *slack.RateLimitedError
	if !errors.As(err, &limited) || limited.RetryAfter != 2*time.Second {
		t.Fatalf("429: err = %#v, want *slack.RateLimitedError retrying after 2s", err)
	}

	srv.FailNext("chat.postMessage", fakeslack.Fault{Status: http.StatusInternalServerError, Times: 2})
	for range 2 {
		_, _, err = b.api.PostMessageContext(ctx, "U1ADA", slack.MsgOptionText("hi", false))
		var status slack.StatusCodeError
		if !errors.As(err, &status) || status.Code != http.StatusInternalServerError {
			t.Fatalf("500: err = %#v, want slack.StatusCodeError 500", err)
		}
	}
	if got := srv.Person("U1ADA").DMs(); len(got) != 0 {
		t.Fatalf("failed calls delivered %d messages", len(got))
	}

	if _, _, err := b.api.PostMessageContext(ctx, "U1ADA", slack.MsgOptionText("hi", false)); err != nil {
		t.Fatalf("after the faults: %v", err)
	}
	var statuses []int
	for _, c := range srv.Calls("chat.postMessage") {
		statuses = append(statuses, c.Status)
	}
	if mustJSON(t, statuses) != "[429,500,500,200]" {
		t.Errorf("statuses = %v", statuses)
	}
	if c := srv.Calls("chat.postMessage")[0]; c.Error != "ratelimited" || c.Params.Get("channel") != "U1ADA" || c.Params.Has("token") {
		t.Errorf("recorded call = %+v", c)
	}
	noViolations(t, srv)
}

// Storms fail a share of the calls, or every call for a while.
func TestFailNextStorms(t *testing.T) {
	clock := mentorbot.NewManualClock(time.Date(2031, 1, 6, 9, 0, 0, 0, time.UTC))
	srv, b := start(t, nil, fakeslack.WithClock(clock.Now))
	addPeople(srv)
	ctx := testContext(t)
	post := func() int {
		_, _, err := b.api.PostMessageContext(ctx, "U1ADA", slack.MsgOptionText("hi", false))
		if status, ok := errors.AsType[slack.StatusCodeError](err); ok {
			return status.Code
		}
		if err != nil {
			t.Fatal(err)
		}
		return http.StatusOK
	}

	srv.FailNext("chat.postMessage", fakeslack.Fault{Status: http.StatusServiceUnavailable, OneIn: 2, Times: 2})
	var statuses []int
	for range 5 {
		statuses = append(statuses, post())
	}
	if mustJSON(t, statuses) != "[503,200,503,200,200]" {
		t.Errorf("one in two of two faults: statuses %v", statuses)
	}

	// A storm lasts its time on the server's clock, however many calls come.
	srv.FailNext("chat.postMessage", fakeslack.Fault{For: 300 * time.Millisecond})
	for range 3 {
		if status := post(); status != http.StatusInternalServerError {
			t.Fatalf("a call in the storm answered %d", status)
		}
	}
	clock.Advance(300 * time.Millisecond)
	if status := post(); status != http.StatusInternalServerError {
		t.Fatalf("a call as the storm ends answered %d", status)
	}
	clock.Advance(time.Millisecond)
	if status := post(); status != http.StatusOK {
		t.Fatalf("a call after the storm answered %d", status)
	}
	calls := srv.Calls("chat.postMessage")
	if last := calls[len(calls)-1]; !last.At.Equal(clock.Now()) {
		t.Errorf("the last call is stamped %v; the server's clock says %v", last.At, clock.Now())
	}
	if n := len(srv.Person("U1ADA").DMs()); n != 4 {
		t.Errorf("%d messages landed, want the 4 calls that were not failed", n)
	}
}

func TestPostMessageToAUserLandsInTheirDMs(t *testing.T) {
	srv, b := start(t, nil)
	addPeople(srv)
	ctx := testContext(t)
	ada := srv.Person("U1ADA")

	go func() {
		time.Sleep(20 * time.Millisecond)
		_, _, _ = b.api.PostMessageContext(ctx, "U1ADA", slack.MsgOptionText("Your mentor is Grace", false),
			slack.MsgOptionBlocks(slack.NewSectionBlock(mrkdwn("Your mentor is *Grace*"), nil, nil)))
	}()
	msg, err := ada.WaitDM(ctx, "mentor is *Grace*")
	if err != nil {
		t.Fatal(err)
	}
	if msg.Channel != "DU1ADA" || msg.User != fakeslack.BotUserID || msg.Text != "Your mentor is Grace" || !strings.HasPrefix(msg.TS, "1700000000.") {
		t.Errorf("message = %+v", msg)
	}

	channel, ts, err := b.api.PostMessageContext(ctx, ada.DMChannel(), slack.MsgOptionText("second", false))
	if err != nil || channel != "DU1ADA" || ts <= msg.TS {
		t.Errorf("post to D channel: %s %s %v", channel, ts, err)
	}
	if _, _, _, err := b.api.UpdateMessageContext(ctx, channel, ts, slack.MsgOptionText("second, edited", false)); err != nil {
		t.Fatal(err)
	}
	dms := ada.DMs()
	if len(dms) != 2 || dms[1].Rendered() != "second, edited" {
		t.Errorf("DMs = %+v", dms)
	}
	var slackErr slack.SlackErrorResponse
	if _, _, _, err := b.api.UpdateMessageContext(ctx, channel, "1.000001", slack.MsgOptionText("x", false)); !errors.As(err, &slackErr) || slackErr.Err != "message_not_found" {
		t.Errorf("update of unknown ts: %v", err)
	}
	if _, _, err := b.api.PostMessageContext(ctx, "UNOBODY", slack.MsgOptionText("x", false)); err == nil || err.Error() != "channel_not_found" {
		t.Errorf("post to unknown user: %v", err)
	}

	if _, err := b.api.PostEphemeralContext(ctx, "CGENERAL", "U2GRACE", slack.MsgOptionText("only for you", false)); err != nil {
		t.Fatal(err)
	}
	if eph := srv.Person("U2GRACE").Ephemerals(); len(eph) != 1 || eph[0].Channel != "CGENERAL" {
		t.Errorf("ephemerals = %+v", eph)
	}
	if _, _, err := b.api.PostMessageContext(ctx, "CGENERAL", slack.MsgOptionText("hello all", false)); err != nil {
		t.Fatal(err)
	}
	if got := srv.Channel("CGENERAL"); len(got) != 1 || got[0].Text != "hello all" {
		t.Errorf("channel = %+v", got)
	}
	noViolations(t, srv)
}

func TestConversationsOpenAndUsersInfo(t *testing.T) {
	srv, b := start(t, nil)
	addPeople(srv)
	ctx := testContext(t)

	dm, _, _, err := b.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U1ADA"}})
	if err != nil || dm.ID != "DU1ADA" {
		t.Fatalf("open DM: %+v %v", dm, err)
	}
	group, _, _, err := b.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U2GRACE", "U1ADA"}})
	if err != nil || !strings.HasPrefix(group.ID, "G") {
		t.Fatalf("open group DM: %+v %v", group, err)
	}
	again, _, _, _ := b.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U1ADA", "U2GRACE"}})
	if again.ID != group.ID {
		t.Errorf("same members gave %s then %s", group.ID, again.ID)
	}
	if _, _, err := b.api.PostMessageContext(ctx, group.ID, slack.MsgOptionText("Meet your pair", false)); err != nil {
		t.Fatal(err)
	}
	if got := srv.Channel(group.ID); len(got) != 1 {
		t.Errorf("group DM has %d messages", len(got))
	}
	for _, id := range []string{"U1ADA", "U2GRACE"} {
		tr := srv.Transcript(id)
		if len(tr) != 1 || tr[0].Kind != "group" || tr[0].Text != "Meet your pair" {
			t.Errorf("%s transcript = %+v", id, tr)
		}
	}

	user, err := b.api.GetUserInfoContext(ctx, "U2GRACE")
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("America/New_York")
	_, offset := time.Now().In(loc).Zone()
	if user.RealName != "Grace Hopper" || user.Profile.DisplayName != "grace" || user.Profile.RealName != "Grace Hopper" || user.TZ != "America/New_York" || user.TZOffset != offset || user.TZLabel == "" {
		t.Errorf("users.info = %+v", user)
	}
	if _, err := b.api.GetUserInfoContext(ctx, "UNOBODY"); err == nil || err.Error() != "user_not_found" {
		t.Errorf("unknown user: %v", err)
	}
}

func TestClicksAButtonInADMAndRespondsThroughResponseURL(t *testing.T) {
	srv, b := start(t, func(ctx context.Context, b *testBot, evt socketmode.Event) {
		b.ack(evt)
		if cb, ok := evt.Data.(slack.InteractionCallback); ok && cb.Type == slack.InteractionTypeBlockActions {
			_, _, _ = b.api.PostMessageContext(ctx, "", slack.MsgOptionReplaceOriginal(cb.ResponseURL),
				slack.MsgOptionText("Thanks, "+cb.ActionCallback.BlockActions[0].Value+" noted", false))
		}
	})
	addPeople(srv)
	ctx := testContext(t)
	ada := srv.Person("U1ADA")

	_, ts, err := b.api.PostMessageContext(ctx, "U1ADA", slack.MsgOptionText("Can you meet this week?", false),
		slack.MsgOptionBlocks(
			slack.NewSectionBlock(mrkdwn("Can you meet this week?"), nil, nil),
			slack.NewActionBlock("answer", slack.NewButtonBlockElement("meet_yes", "yes", plain("Yes")), slack.NewButtonBlockElement("meet_no", "no", plain("No")))))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ada.Clicks(ctx, "meet_no"); err != nil {
		t.Fatal(err)
	}
	cb := b.received()[0].Data.(slack.InteractionCallback)
	action := cb.ActionCallback.BlockActions[0]
	if cb.Container.Type != "message" || cb.Container.MessageTs != ts || cb.Container.ChannelID != "DU1ADA" || cb.Channel.ID != "DU1ADA" ||
		cb.Message.Timestamp != ts || cb.TriggerID == "" || cb.User.ID != "U1ADA" ||
		action.ActionID != "meet_no" || action.BlockID != "answer" || action.Value != "no" || action.Type != "button" || action.Text.Text != "No" {
		t.Errorf("block_actions = %+v action %+v", cb, action)
	}
	if err := srv.WaitUntil(ctx, func() bool { return len(srv.Calls("response_url")) == 1 }); err != nil {
		t.Fatal(err)
	}
	if dms := ada.DMs(); len(dms) != 1 || dms[0].Rendered() != "Can you meet this week?\n[Yes] [No]" || dms[0].Text != "Thanks, no noted" {
		// Blocks left out of a replacement stay, as in Slack; the text changes.
		t.Errorf("DMs after replace_original = %+v", dms)
	}
	if _, err := ada.Clicks(ctx, "meet_maybe"); err == nil {
		t.Error("clicking a button nobody sees should fail")
	}
	noViolations(t, srv)
}

func TestBrokenBlocksFailAsSlackAnswersThem(t *testing.T) {
	srv, b := start(t, nil)
	addPeople(srv)
	ctx := testContext(t)

	many := func(n int) []slack.Block {
		blocks := make([]slack.Block, n)
		for i := range blocks {
			blocks[i] = slack.NewDividerBlock()
		}
		return blocks
	}
	longOption := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Pick"), "pick", option("x", strings.Repeat("o", 76)))
	for _, tc := range []struct {
		name    string
		blocks  []slack.Block
		message string // "" for blocks Slack takes
	}{
		{"51 blocks", many(51), "[ERROR] no more than 50 items allowed in message blocks, got 51 [json-pointer:/blocks]"},
		{"long option", []slack.Block{slack.NewActionBlock("a", longOption)}, "[ERROR] option text must be no longer than 75 characters, got 76 [json-pointer:/blocks/0/elements/0/options/0/text/text]"},
		{"empty section text", []slack.Block{slack.NewSectionBlock(mrkdwn(""), nil, nil)}, "[ERROR] text must be at least 1 character [json-pointer:/blocks/0/text/text]"},
		{"within limits", []slack.Block{slack.NewDividerBlock()}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(srv.Violations())
			_, _, err := b.api.PostMessageContext(ctx, "U1ADA", slack.MsgOptionText("x", false), slack.MsgOptionBlocks(tc.blocks...))
			if tc.message == "" {
				if err != nil {
					t.Fatalf("valid message rejected: %v", err)
				}
				return
			}
			var slackErr slack.SlackErrorResponse
			if !errors.As(err, &slackErr) || slackErr.Err != "invalid_blocks" {
				t.Fatalf("err = %#v, want invalid_blocks", err)
			}
			if got := slackErr.ResponseMetadata.Messages; len(got) != 1 || got[0] != tc.message {
				t.Errorf("response_metadata.messages = %q, want [%q]", got, tc.message)
			}
			if len(slackErr.Errors) != 1 || slackErr.Errors[0].Message == nil || "[ERROR] "+*slackErr.Errors[0].Message != tc.message {
				t.Errorf("errors = %+v, want the message without [ERROR]", slackErr.Errors)
			}
			if v := srv.Violations(); len(v) != before+1 || !strings.HasPrefix(v[before], "chat.postMessage: ") {
				t.Errorf("violations = %q, want one for chat.postMessage", v[before:])
			}
		})
	}
	if got := len(srv.Person("U1ADA").DMs()); got != 1 {
		t.Errorf("%d DMs arrived, want only the valid one", got)
	}
}

func TestUnknownMethodIsAViolation(t *testing.T) {
	srv := fakeslack.New()
	defer srv.Close()
	resp, err := http.PostForm(srv.APIURL()+"chat.scheduleMessage", url.Values{"token": {fakeslack.BotToken}})
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if c := srv.Calls("chat.scheduleMessage"); len(c) != 1 || c[0].Error != "unknown_method" {
		t.Errorf("calls = %+v", c)
	}
	if v := srv.Violations(); len(v) != 1 || !strings.Contains(v[0], "unknown method") {
		t.Errorf("violations = %q", v)
	}
}

func TestMessageMetadataIsKeptAndCounted(t *testing.T) {
	srv, b := start(t, nil)
	addPeople(srv)
	ctx := testContext(t)
	ada := srv.Person("U1ADA")

	outbox := func(id string) slack.MsgOption {
		return slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "outbox", EventPayload: map[string]any{"id": id, "attempt": 1}})
	}
	channel, ts, err := b.api.PostMessageContext(ctx, "U1ADA", slack.MsgOptionText("first", false), outbox("o-1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []slack.MsgOption{outbox("o-2"), outbox("o-2"), slack.MsgOptionText("no metadata", false)} {
		if _, _, err := b.api.PostMessageContext(ctx, "U2GRACE", slack.MsgOptionText("x", false), m); err != nil {
			t.Fatal(err)
		}
	}
	md := ada.DMs()[0].Metadata
	if md == nil || md.EventType != "outbox" || md.Payload["id"] != "o-1" || md.Payload["attempt"] != float64(1) {
		t.Errorf("metadata = %+v", md)
	}
	if got := srv.Person("U2GRACE").DMs()[2].Metadata; got != nil {
		t.Errorf("message without metadata has %+v", got)
	}
	if n, all := srv.MessageCount("outbox"), srv.MessageCount(""); n != 3 || all != 4 {
		t.Errorf("MessageCount = %d outbox, %d all; want 3, 4", n, all)
	}
	if got := mustJSON(t, srv.MetadataValues("outbox", "id")); got != `{"o-1":1,"o-2":2}` {
		t.Errorf("MetadataValues(outbox, id) = %s", got)
	}
	if got := mustJSON(t, srv.MetadataValues("outbox", "attempt")); got != `{"1":3}` {
		t.Errorf("MetadataValues(outbox, attempt) = %s", got)
	}

	// An update with new metadata moves the message to the new event type.
	if _, _, _, err := b.api.UpdateMessageContext(ctx, channel, ts, slack.MsgOptionText("first, sent", false),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "sent", EventPayload: map[string]any{"id": "o-1"}})); err != nil {
		t.Fatal(err)
	}
	if n, sent := srv.MessageCount("outbox"), srv.MessageCount("sent"); n != 2 || sent != 1 {
		t.Errorf("after update: %d outbox, %d sent", n, sent)
	}

	before := srv.MessageCount("")
	_, _, err = b.api.PostMessageContext(ctx, "U1ADA", slack.MsgOptionText("x", false), slack.MsgOptionMetadata(slack.SlackMetadata{}))
	var slackErr slack.SlackErrorResponse
	if !errors.As(err, &slackErr) || slackErr.Err != "invalid_metadata_format" || srv.MessageCount("") != before {
		t.Errorf("empty metadata: %v", err)
	}
	if v := srv.Violations(); len(v) != 1 || !strings.Contains(v[0], "event_type") {
		t.Errorf("violations = %q", v)
	}
}

func TestUsersInfoShowsEmail(t *testing.T) {
	srv, b := start(t, nil)
	addPeople(srv)
	srv.AddUser(fakeslack.User{ID: "U3KATH", Name: "kath", RealName: "Katherine Johnson", Email: "kath@example.com"})
	ctx := testContext(t)

	for id, want := range map[string]string{"U3KATH": "kath@example.com", "U1ADA": ""} {
		user, err := b.api.GetUserInfoContext(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if user.Profile.Email != want {
			t.Errorf("users.info %s: email %q, want %q", id, user.Profile.Email, want)
		}
	}
}
