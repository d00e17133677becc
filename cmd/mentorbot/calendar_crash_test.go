package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
	"github.com/mentorbot/mentorbot/calendar/fakecal"
	"github.com/mentorbot/mentorbot/calendar/fakegoogle"
	"github.com/mentorbot/mentorbot/calendar/fakegraph"
	"github.com/mentorbot/mentorbot/store"
)

// calendarFake is a fake calendar service and the environment that points
// the bot at it.
type calendarFake interface {
	AddMailbox(email, name string)
	Hold() <-chan struct{}
	Release()
	Events(email string) []fakecal.Event
}

func googleEnvironment(t *testing.T) (calendarFake, []string) {
	g, err := fakegoogle.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.Close)
	key, err := g.WriteKeyFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return g, []string{"MENTORBOT_CALENDAR=google", "MENTORBOT_GOOGLE_CREDENTIALS=" + key, "MENTORBOT_GOOGLE_API_URL=" + g.APIURL()}
}

func microsoftEnvironment(t *testing.T) (calendarFake, []string) {
	m, err := fakegraph.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m, []string{"MENTORBOT_CALENDAR=microsoft", "MENTORBOT_MS_TENANT=" + fakegraph.Tenant, "MENTORBOT_MS_CLIENT_ID=" + fakegraph.ClientID,
		"MENTORBOT_MS_CLIENT_SECRET=" + fakegraph.ClientSecret, "MENTORBOT_MS_GRAPH_URL=" + m.GraphURL(), "MENTORBOT_MS_LOGIN_URL=" + m.LoginURL()}
}

// The bot is SIGKILLed after the calendar service made the series and
// before the bot heard so and recorded it. Started again, it writes the
// series again under the same key: the senior's calendar holds one event,
// and each person hears once that the sessions are in it.
func TestAKillBetweenTheCalendarCallAndItsRecordMakesOneEvent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  func(*testing.T) (calendarFake, []string)
	}{{"google", googleEnvironment}, {"microsoft", microsoftEnvironment}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := loadContext(t)
			slack, path, cleanup, err := loadWorkspace()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(cleanup)
			fake, env := tc.env(t)
			db, err := store.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			pairID := seedAgreedPair(ctx, t, db, slack, fake)

			held := fake.Hold()
			log := testLog(t)
			bot, err := startBot(slack, path, log, env...)
			if err != nil {
				t.Fatal(err)
			}
			select {
			case <-held:
			case <-bot.exited:
				t.Fatalf("the bot stopped before writing the calendar: %v", bot.err)
			case <-ctx.Done():
				t.Fatal("the bot never wrote the calendar")
			}
			_ = bot.cmd.Process.Signal(os.Kill)
			<-bot.exited
			fake.Release()

			if bot, err = startBot(slack, path, log, env...); err != nil {
				t.Fatal(err)
			}
			written := waitOutbox(ctx, t, db, pairID, mentorbot.OutboxCalendarWrite)
			booked := waitOutbox(ctx, t, db, pairID, mentorbot.OutboxCalendarBooked)
			if err := bot.stop(); err != nil {
				t.Fatal(err)
			}
			events := fake.Events("senior@example.com")
			if len(events) != 1 {
				t.Fatalf("the senior's calendar holds %d events, want 1", len(events))
			}
			if p, err := db.Pair(ctx, pairID); err != nil || p.CalendarEvent != events[0].ID {
				t.Errorf("the pair keeps event %q (%v), the calendar has %q", p.CalendarEvent, err, events[0].ID)
			}
			if written != 1 || booked != 2 {
				t.Errorf("%d writes and %d booking messages sent, want 1 and 2", written, booked)
			}
			for _, id := range []string{"UKMENTOR", "UKSENIOR"} {
				n := 0
				for _, m := range slack.Person(id).DMs() {
					if strings.Contains(m.Rendered(), "They're in your") {
						n++
					}
				}
				if n != 1 {
					t.Errorf("%s was told %d times that the sessions are in their calendar", id, n)
				}
			}
		})
	}
}

// seedAgreedPair stores an open cycle and a pair that agreed Tuesdays at
// 10:00 London from next week, owed the write of its series.
func seedAgreedPair(ctx context.Context, t *testing.T, db *store.DB, slack *fakeslack.Server, fake calendarFake) int64 {
	now := time.Now().UTC()
	today := now.Truncate(24 * time.Hour)
	cycle := mentorbot.Cycle{
		Name: "Calendar cycle", StartsOn: today.AddDate(0, 0, -7), EndsOn: today.AddDate(0, 0, 70),
		Cadence: mentorbot.CadenceWeekly, SessionLength: 45 * time.Minute, GroundRules: "Be curious, be kind.",
		Topics: mentorbot.DefaultTopics, Matching: mentorbot.DefaultMatchSettings, CreatedAt: now, UpdatedAt: now,
	}
	if err := db.Apply(ctx, mentorbot.Change{Cycle: &cycle}); err != nil {
		t.Fatal(err)
	}
	var c mentorbot.Change
	for _, who := range []struct {
		id, email string
		role      mentorbot.Role
	}{{"UKMENTOR", "mentor@example.com", mentorbot.RoleMentor}, {"UKSENIOR", "senior@example.com", mentorbot.RoleMentee}} {
		slack.AddUser(fakeslack.User{ID: who.id, Name: who.id, RealName: "Person " + who.id, TZ: "Europe/London", Email: who.email})
		fake.AddMailbox(who.email, "Person "+who.id)
		c.Participants = append(c.Participants, mentorbot.Participant{
			ID: who.id, State: mentorbot.StateMatched, JoinedAt: now, StateSince: now, UpdatedAt: now,
			Profile: mentorbot.Profile{Role: who.role, TimeZone: "Europe/London", JobLevel: 3, Capacity: 1},
		})
	}
	slot := mentorbot.Slot{Weekday: time.Tuesday, Minute: 600, Length: 45 * time.Minute, Zone: "Europe/London", Cadence: mentorbot.CadenceWeekly, Until: cycle.EndsOn}
	slot = slot.StartingFrom(now.AddDate(0, 0, 7))
	c.Pairs = []mentorbot.Pair{{
		CycleID: cycle.ID, MentorID: "UKMENTOR", MenteeID: "UKSENIOR", Origin: mentorbot.OriginRound,
		State: mentorbot.PairActive, CreatedAt: now, StartedAt: now, Slot: &slot,
	}}
	c.Outbox = []mentorbot.OutboxItem{{
		Key: "pair/1/calendar/0/calendar_write/UKSENIOR", To: "UKSENIOR", Kind: mentorbot.OutboxCalendarWrite, NewPair: 1, DueAt: now,
	}}
	if err := db.Apply(ctx, c); err != nil {
		t.Fatal(err)
	}
	return c.Pairs[0].ID
}

// waitOutbox waits until every message of kind about the pair is sent and
// returns how many there are.
func waitOutbox(ctx context.Context, t *testing.T, db *store.DB, pairID int64, kind mentorbot.OutboxKind) int {
	tick := time.NewTicker(idleCheck)
	defer tick.Stop()
	for {
		items, err := db.OutboxOf(ctx, pairID)
		if err != nil {
			t.Fatal(err)
		}
		n, sent := 0, 0
		for _, item := range items {
			if item.Kind == kind {
				n++
				if item.State == mentorbot.OutboxSent {
					sent++
				}
			}
		}
		if n > 0 && n == sent {
			return n
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			t.Fatalf("the %s messages never all went: %+v", kind, items)
		}
	}
}
