package bot_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

func TestARedeliveredEnvelopeHasOneEffect(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.person(ada)

	a.types("/mentor join", fakeslack.Redelivered(2))
	a.seesModal("Join mentorbot")
	a.submits(adaStep1, fakeslack.Redelivered(1))
	a.seesModal("Your topics")
	a.submits(adaStep2, fakeslack.Redelivered(2))
	a.seesDM("Welcome")
	w.finish()

	if n := len(w.slack.Calls("views.open")); n != 1 {
		t.Errorf("the join form was opened %d times", n)
	}
	if n := len(a.p.DMs()); n != 1 {
		t.Errorf("Ada got %d DMs, want 1:\n%v", n, rendered(a.p.DMs()))
	}
	if stack := a.p.Modals(); len(stack) != 0 {
		t.Errorf("modals left open: %d", len(stack))
	}
	// Every delivery was acknowledged, each with the same answer.
	byEnvelope := map[string][]string{}
	for _, ack := range w.slack.Acks() {
		byEnvelope[ack.EnvelopeID] = append(byEnvelope[ack.EnvelopeID], string(ack.Payload))
	}
	for id, answers := range byEnvelope {
		for _, answer := range answers[1:] {
			if answer != answers[0] {
				t.Errorf("envelope %s answered %q then %q", id, answers[0], answer)
			}
		}
	}
}

func TestARequestHandledBeforeARestartIsNotRepeated(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.person(ada)
	a.join(adaStep1, adaStep2)
	a.seesDM("Welcome")
	w.finish()
	submitted := w.slack.Acks()
	last := submitted[len(submitted)-1]

	// The process restarts; Slack, having missed the last ack, delivers
	// that envelope again.
	w.restart()
	acks, err := w.slack.Redeliver(w.ctx(), last.EnvelopeID)
	if err != nil {
		t.Fatal(err)
	}
	if string(acks[0].Payload) != string(last.Payload) {
		t.Errorf("after the restart the answer was %s, before %s", acks[0].Payload, last.Payload)
	}
	w.finish()
	if n := len(a.p.DMs()); n != 1 {
		t.Errorf("Ada got %d DMs after the redelivery, want 1", n)
	}
}

func TestRateLimitedMessageIsDeliveredOnceAfterRetryAfter(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.slack.FailNext("chat.postMessage", fakeslack.Fault{Status: 429, RetryAfter: time.Second})
	a := w.person(ada)
	a.join(adaStep1, adaStep2)
	a.seesDM("Welcome")
	w.finish()

	calls := w.slack.Calls("chat.postMessage")
	if len(calls) != 2 || calls[0].Status != 429 || calls[1].Status != 200 {
		t.Fatalf("chat.postMessage calls: %+v", calls)
	}
	if gap := calls[1].At.Sub(calls[0].At); gap < time.Second {
		t.Errorf("retried after %v, before the 1s Retry-After", gap)
	}
	if n := len(a.p.DMs()); n != 1 {
		t.Errorf("Ada got %d DMs, want 1", n)
	}
}

func TestServerErrorsAreRetried(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.slack.FailNext("chat.postMessage", fakeslack.Fault{Status: 503, Times: 2})
	a := w.person(ada)
	a.join(adaStep1, adaStep2)
	a.seesDM("Welcome")
	w.finish()
	if n := len(a.p.DMs()); n != 1 {
		t.Errorf("Ada got %d DMs, want 1", n)
	}
}

// A form that cannot open before its trigger expires comes back as a DM
// with a button that opens it in one click; a form Slack refuses is owned
// as our mistake, never blamed on Slack being busy.
func TestAFormThatDoesNotOpenIsOneClickAwayOrOwnedUpTo(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		fault   fakeslack.Fault
		command string
		opens   string // the modal the button opens; "" when no button comes
		says    string
	}{
		{"the trigger expired on the way", fakeslack.Fault{Error: "expired_trigger_id"},
			"/mentor join", "Join mentorbot", "didn't open in time"},
		{"Slack is down for a moment", fakeslack.Fault{Status: 503, Times: 5},
			"/mentor avoid", "Don't pair me with", "didn't open in time"},
		{"Slack refuses the form", fakeslack.Fault{Error: "invalid_arguments", Messages: []string{"[ERROR] must be less than 76 characters [json-pointer:/view/blocks/1/element/options/0/text/text]"}},
			"/mentor join", "", "something went wrong on our side"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			if tc.command != "/mentor join" {
				w.person(ada).join(adaStep1, adaStep2)
			}
			w.slack.FailNext("views.open", tc.fault)
			a := w.person(ada)
			a.types(tc.command)
			dm := a.seesDM(tc.says)
			if strings.Contains(dm.Text, "busy") != (tc.opens != "") {
				t.Errorf("the DM says %q", dm.Text)
			}
			if tc.opens == "" {
				if strings.Contains(dm.Rendered(), "[Open the form]") {
					t.Errorf("a refused form came with a button that would be refused again: %s", dm.Rendered())
				}
				return
			}
			a.clicksIn("form_again", formButtonAction(t, dm))
			a.seesModal(tc.opens)
		})
	}
}

// formButtonAction is the action of the button in a form-again DM.
func formButtonAction(t *testing.T, m fakeslack.Message) string {
	t.Helper()
	for _, b := range m.Blocks {
		if a, ok := b.(*slack.ActionBlock); ok && a.BlockID == "form_again" && a.Elements != nil && len(a.Elements.ElementSet) == 1 {
			if btn, ok := a.Elements.ElementSet[0].(*slack.ButtonBlockElement); ok {
				return btn.ActionID
			}
		}
	}
	t.Fatalf("no form button in %s", m.Rendered())
	return ""
}

func TestDroppedConnectionReconnects(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.slack.DropConnection()
	if err := w.slack.WaitUntil(w.ctx(), func() bool { return w.slack.Connections() >= 2 }); err != nil {
		t.Fatalf("the bot did not reconnect: %d connections", w.slack.Connections())
	}
	a := w.person(ada)
	a.types("/mentor help")
	a.seesReply("/mentor join")
}

// A decision, a leave or an erasure Slack delivers again must not tell
// anyone twice or move anyone twice.
func TestRedeliveredProgrammeActionsHaveOneEffect(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.openCycle("Spring 2026")
	a, h := w.person(ada), w.person(hope)
	a.join(adaStep1, adaStep2)

	h.types("/mentor screen")
	h.seesReply("Screening queue")
	if _, err := h.p.ClicksIn(w.ctx(), "applicant_"+ada, "screen_review", fakeslack.Redelivered(1)); err != nil {
		t.Fatal(err)
	}
	h.seesModal("Screen a mentor")
	h.submits(map[string]string{"decision": "approve", "checks": "patience"}, fakeslack.Redelivered(2))
	h.seesModal("Decision saved")
	a.seesDM("You're approved to mentor")

	a.types("/mentor leave")
	a.seesReply("Leaving takes you out")
	if _, err := a.p.Clicks(w.ctx(), "leave", fakeslack.Redelivered(2)); err != nil {
		t.Fatal(err)
	}
	a.seesDM("You've left the programme")
	w.finish()

	if n := len(w.slack.Calls("views.open")); n != 2 {
		t.Errorf("views.open called %d times, want 2 (join and review)", n)
	}
	for _, text := range []string{"You're approved to mentor", "You've left the programme"} {
		if n := a.countDMs(text); n != 1 {
			t.Errorf("Ada was told %q %d times", text, n)
		}
	}
	moves, err := w.db.Transitions(w.ctx(), ada)
	if err != nil || len(moves) != 3 {
		t.Fatalf("Ada's moves %+v, %v; want joined, approved, left", moves, err)
	}
}

// Several people act at once while the connection fails: acks are lost on
// the way and the socket is cut, so Slack sends the unacked envelopes again
// on the next connection. Each action still happens once.
func TestActionsInFlightWhenTheConnectionDropsHaveOneEffect(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	joiners := []string{grace, "U0KAI", "U0LIN", "U0MEI"}
	for _, id := range joiners[1:] {
		w.slack.AddUser(fakeslack.User{ID: id, Name: id, RealName: id, TZ: "Europe/London"})
	}
	for _, id := range joiners {
		p := w.person(id)
		p.types("/mentor join")
		p.seesModal("Join mentorbot")
		p.submits(adaStep1)
		p.seesModal("Your topics")
	}
	a, h := w.person(ada), w.person(hope)
	a.join(adaStep1, adaStep2)
	a.seesDM("Welcome")
	a.types("/mentor leave")
	a.seesReply("Leaving takes you out")
	w.finish()

	w.slack.DropConnectionAfter(3)
	ctx := w.ctx()
	acts := []func() error{
		func() error { _, err := a.p.Clicks(ctx, "leave"); return err },
		func() error { _, err := h.p.Types(ctx, "/mentor help"); return err },
	}
	for _, id := range joiners {
		acts = append(acts, func() error { _, err := w.slack.Person(id).Submit(ctx, adaStep2); return err })
	}
	var wg sync.WaitGroup
	for _, act := range acts {
		wg.Go(func() {
			if err := act(); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	a.seesDM("You've left the programme")
	for _, id := range joiners {
		w.person(id).seesDM("Welcome")
	}
	w.finish()

	retried := 0
	for _, ack := range w.slack.Acks() {
		if ack.RetryAttempt > 0 {
			retried++
		}
	}
	if retried < 3 || w.slack.Connections() != 2 {
		t.Errorf("%d envelopes redelivered over %d connections; want at least the 3 lost with the first", retried, w.slack.Connections())
	}
	tests := []struct {
		who, dm string
		moves   int
	}{
		{ada, "You've left the programme", 2},
		{grace, "Welcome", 1},
		{"U0KAI", "Welcome", 1},
		{"U0LIN", "Welcome", 1},
		{"U0MEI", "Welcome", 1},
	}
	for _, tt := range tests {
		if n := w.person(tt.who).countDMs(tt.dm); n != 1 {
			t.Errorf("%s was told %q %d times", tt.who, tt.dm, n)
		}
		if moves, err := w.db.Transitions(w.ctx(), tt.who); err != nil || len(moves) != tt.moves {
			t.Errorf("%s's moves %+v, %v; want %d", tt.who, moves, err, tt.moves)
		}
		if m := w.slack.Person(tt.who).Modals(); len(m) != 0 {
			t.Errorf("%s still has %d modals open", tt.who, len(m))
		}
	}
	if n := len(h.p.Ephemerals()); n != 1 {
		t.Errorf("Hope got %d replies to /mentor help, want 1", n)
	}
}

// dueReminders stores pairs whose first session starts in half an hour, so
// each of their people is owed a reminder at the next tick, and returns how
// many reminders that makes.
func (w *world) dueReminders(pairs int) int {
	w.t.Helper()
	now := w.clock.Now()
	start := now.Add(30 * time.Minute)
	slot := mentorbot.Slot{
		Weekday: start.Weekday(), Minute: start.Hour()*60 + start.Minute(), Length: 30 * time.Minute, Zone: "UTC",
		Cadence: mentorbot.CadenceWeekly, From: mentorbot.Day(start), Until: mentorbot.Day(start).AddDate(0, 3, 0),
	}
	var c mentorbot.Change
	for i := range pairs {
		mentor, mentee := fmt.Sprintf("U0MENTOR%02d", i), fmt.Sprintf("U0MENTEE%02d", i)
		for id, role := range map[string]mentorbot.Role{mentor: mentorbot.RoleMentor, mentee: mentorbot.RoleMentee} {
			w.slack.AddUser(fakeslack.User{ID: id, Name: id, RealName: id, TZ: "UTC"})
			c.Participants = append(c.Participants, mentorbot.Participant{
				ID: id, State: mentorbot.StateMatched, JoinedAt: now, StateSince: now, UpdatedAt: now,
				Profile: mentorbot.Profile{Role: role, JobLevel: 3, TimeZone: "UTC"},
			})
		}
		c.Pairs = append(c.Pairs, mentorbot.Pair{
			MentorID: mentor, MenteeID: mentee, Origin: mentorbot.OriginRound, State: mentorbot.PairActive,
			CreatedAt: now, StartedAt: now, Slot: &slot,
		})
	}
	if err := w.db.Apply(w.ctx(), c); err != nil {
		w.t.Fatal(err)
	}
	return 2 * pairs
}

// outboxKey is the outbox message a chat.postMessage call carried, if any.
func outboxKey(c fakeslack.Call) string {
	var metadata struct {
		Payload struct {
			Key string `json:"key"`
		} `json:"event_payload"`
	}
	json.Unmarshal([]byte(c.Params.Get("metadata")), &metadata)
	return metadata.Payload.Key
}

// Slack answers most calls with 429 or 5xx for a while, as reminders fan
// out and a person clicks: every message arrives once, within the sender's
// attempts, each retried only after a wait, and within a Retry-After the
// bot only finishes calls it had already made.
func TestStormsOf429And5xxDeliverEverythingOnceWithoutABusyLoop(t *testing.T) {
	t.Parallel()
	const (
		// callers is how many post at once: the world's outbox lanes and
		// the person clicking.
		callers = 4 + 1
		// maxAttempts is the sender's bound on calls for one message.
		maxAttempts = 5
	)
	tests := []struct {
		name  string
		storm fakeslack.Fault
		gap   time.Duration // the least time between two attempts at one message
	}{
		// Counted, not timed: the world skips what the bot sleeps, so one
		// caller's wait would end a timed storm before the others call.
		// More than one message's attempts: what the sender gives up on,
		// the outbox tries again later.
		{"six calls in a row 429", fakeslack.Fault{Status: 429, RetryAfter: time.Second, Times: maxAttempts + 1}, time.Second},
		{"every other call 503, six times", fakeslack.Fault{Status: 503, OneIn: 2, Times: 6}, 500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			a := w.person(ada)
			a.join(adaStep1, adaStep2)
			a.types("/mentor leave")
			a.seesReply("Leaving takes you out")
			reminders := w.dueReminders(6)
			w.finish()

			w.slack.FailNext("chat.postMessage", tt.storm)
			ticked := make(chan struct{})
			go func() {
				w.scheduler.Tick(w.ctx())
				close(ticked)
			}()
			a.clicks("leave")
			<-ticked
			w.finish()
			w.retryPending()

			delivered := map[string]int{}
			for key, n := range w.slack.MetadataValues("mentorbot_outbox", "key") {
				if strings.Contains(key, "/nudge/") {
					delivered[key] = n
				}
			}
			if len(delivered) != reminders {
				t.Errorf("%d of %d reminders arrived", len(delivered), reminders)
			}
			for key, n := range delivered {
				if n != 1 {
					t.Errorf("%s arrived %d times", key, n)
				}
			}
			if n := a.countDMs("You've left the programme"); n != 1 {
				t.Errorf("Ada was told she left %d times", n)
			}

			calls := w.slack.Calls("chat.postMessage")
			failed := 0
			attempts := map[string][]time.Time{}
			for _, c := range calls {
				if c.Status != 200 {
					failed++
				}
				if key := outboxKey(c); key != "" {
					attempts[key] = append(attempts[key], c.At)
				}
			}
			if failed < 2 {
				t.Fatalf("only %d calls met the storm", failed)
			}
			for key, at := range attempts {
				for i := 1; i < len(at); i++ {
					if gap := at[i].Sub(at[i-1]); gap < tt.gap {
						t.Errorf("%s was tried again after %v, before %v", key, gap, tt.gap)
					}
				}
			}
			for i, c := range calls {
				if c.Status != 429 {
					continue
				}
				during := 0
				for _, later := range calls[i+1:] {
					if later.At.Sub(c.At) < tt.storm.RetryAfter {
						during++
					}
				}
				if during > callers-1 {
					t.Errorf("%d calls within the Retry-After of the 429 at %s; only the %d other callers' calls already made may land there",
						during, c.At.Format("15:04:05.000"), callers-1)
				}
			}
		})
	}
}

// Word that a person's own change went through is owed in the change
// itself: Slack down for longer than the sender tries, and the bot
// restarted meanwhile, the welcome and the goodbye arrive once Slack is
// back, once each and in order.
func TestConfirmationsOutlastASlackOutage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.person(ada)
	w.slack.FailNext("chat.postMessage", fakeslack.Fault{Status: 500, Times: 1000})
	a.join(adaStep1, adaStep2)
	a.types("/mentor leave")
	a.seesReply("Leaving takes you out")
	a.clicks("leave")
	w.finish()
	if len(w.slack.Calls("chat.postMessage")) == 0 || len(a.p.DMs()) != 0 {
		t.Fatalf("during the outage the DMs were not tried, or arrived: %v", rendered(a.p.DMs()))
	}
	if got := w.stateOf(ada); got != mentorbot.StateLeft {
		t.Fatalf("Ada is %s, want left: the change must not wait for Slack", got)
	}

	w.restart()
	w.slack.Heal("chat.postMessage")
	w.retryPending()
	dms := rendered(a.p.DMs())
	if len(dms) != 2 || !strings.Contains(dms[0], "Welcome to reverse mentoring!") || !strings.Contains(dms[1], "You've left the programme") {
		t.Errorf("after the outage Ada has %d DMs, want the welcome then the goodbye:\n%s", len(dms), strings.Join(dms, "\n---\n"))
	}
}
