package bot_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// TestEveryOutboxKindReachesSlack is the outbox's audit, as the route
// audit is the router's: the bot writes a message for every kind the
// programme can owe, and Slack takes each one.
func TestEveryOutboxKindReachesSlack(t *testing.T) {
	w := newWorld(t)
	p := w.agreedPair()
	ctx := w.ctx()
	cycle, err := w.db.OpenCycle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reader, err := w.db.Participant(ctx, grace)
	if err != nil {
		t.Fatal(err)
	}
	partner, err := w.db.Participant(ctx, ada)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := p.Slot.Session(0)
	session := mentorbot.Session{PairID: p.ID, Occurrence: first, StartsAt: first, EndsAt: first.Add(p.Slot.Length), MentorComing: true}
	summary, err := w.programme.CycleSummary(ctx, cycle.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, kind := range mentorbot.OutboxKinds {
		t.Run(string(kind), func(t *testing.T) {
			if kind.WritesCalendar() {
				t.Skip("written to the calendar service, not Slack: scheduler's tests deliver it")
			}
			// Each to a reader of their own: Slack takes one message a
			// second in a conversation.
			to := fmt.Sprintf("U0READER%02d", i)
			w.slack.AddUser(fakeslack.User{ID: to, Name: "reader", RealName: "A Reader", TZ: "Europe/London"})
			d := mentorbot.Delivery{
				Item:   mentorbot.OutboxItem{Key: "audit/" + string(kind), To: to, Kind: kind, PairID: p.ID, CycleID: cycle.ID, Occurrence: first, Lead: time.Hour, Note: "Welcome aboard."},
				Reader: reader, Partner: partner, Pair: p, Session: session, Cycle: cycle, Summary: summary, Status: mentorbot.Status{Participant: &reader},
				Sessions: []mentorbot.Session{session}, Calendar: []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),
				Flag: mentorbot.RiskFlag{PairID: p.ID, Reasons: []mentorbot.RiskReason{mentorbot.RiskMissed}},
				TeachIn: mentorbot.TeachInView{TeachIn: mentorbot.TeachIn{ID: 1, HostID: ada, Topic: "Social media", Title: "Reels in an hour",
					StartsAt: first, EndsAt: first.Add(time.Hour), TimeZone: "Europe/London", Places: 2, JoinHow: "Room 4", Description: "Film, cut, post."},
					Taken: 1, Place: &mentorbot.TeachInPlace{State: mentorbot.PlaceTaken}},
				Thanks: mentorbot.Thanks{ID: 1, PairID: p.ID, AuthorID: ada, Text: "Thank you", State: mentorbot.ThanksOffered}, Celebrate: celebrateChannel,
			}
			switch kind {
			case mentorbot.OutboxCycleReport, mentorbot.OutboxSummary:
				d.Item.To = hrChannel
			case mentorbot.OutboxRiskFlag:
				d.Item.To = hope
			case mentorbot.OutboxThanksPost:
				d.Item.To = celebrateChannel
			case mentorbot.OutboxFormButton:
				d.Item.Form = "find_open "
			}
			before := len(w.slack.Calls(""))
			if _, err := w.bot.Deliver(w.ctx(), d); err != nil {
				t.Fatalf("delivering %s: %v", kind, err)
			}
			sent := 0
			for _, c := range w.slack.Calls("")[before:] {
				switch c.Method {
				case "chat.postMessage", "files.completeUploadExternal":
					if c.Status == 200 && c.Error == "" {
						sent++
					}
				}
			}
			if sent == 0 {
				t.Errorf("no message of kind %s reached Slack", kind)
			}
		})
	}
	if v := w.slack.Violations(); len(v) > 0 {
		t.Errorf("Slack would have refused: %v", v)
	}
}
