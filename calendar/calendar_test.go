package calendar_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/calendar"
	"github.com/mentorbot/mentorbot/calendar/fakecal"
	"github.com/mentorbot/mentorbot/calendar/fakegoogle"
	"github.com/mentorbot/mentorbot/calendar/fakegraph"
)

const (
	grace = "grace@example.com" // the senior, who organises
	ada   = "ada@example.com"   // the mentor, invited
)

// service is one fake calendar service and how the bot is configured for it.
type service struct {
	name string
	fake interface {
		AddMailbox(email, name string)
		AddBusy(email string, start, end time.Time)
		Storm(n int, f fakecal.Fault)
		Events(email string) []fakecal.Event
		Hold() <-chan struct{}
		Release()
		Calls() []fakecal.Call
	}
	config calendar.Config
}

// services starts both fakes, each with Grace and Ada in its directory.
func services(t *testing.T) []service {
	t.Helper()
	g, err := fakegoogle.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.Close)
	key, err := g.WriteKeyFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	m, err := fakegraph.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	for _, f := range []interface{ AddMailbox(string, string) }{g, m} {
		f.AddMailbox(grace, "Grace Hopper")
		f.AddMailbox(ada, "Ada Lovelace")
	}
	return []service{
		{"google", g, calendar.Config{Kind: calendar.KindGoogle, GoogleCredentials: key, GoogleAPIURL: g.APIURL()}},
		{"microsoft", m, calendar.Config{
			Kind: calendar.KindMicrosoft, MSTenant: fakegraph.Tenant, MSClientID: fakegraph.ClientID, MSClientSecret: fakegraph.ClientSecret,
			MSGraphURL: m.GraphURL(), MSLoginURL: m.LoginURL(),
		}},
	}
}

func open(t *testing.T, s service) mentorbot.Calendar {
	t.Helper()
	c, err := calendar.Open(t.Context(), s.config)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// series is a weekly hour on Tuesdays at 10:00 in London, for a spring.
func series() mentorbot.CalendarSeries {
	slot := mentorbot.Slot{
		Weekday: time.Tuesday, Minute: 600, Length: time.Hour, Zone: "Europe/London", Cadence: mentorbot.CadenceWeekly,
		From: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 5, 26, 0, 0, 0, 0, time.UTC),
	}
	return mentorbot.CalendarSeries{
		PairID: 7, Slot: slot,
		Organizer: mentorbot.Contact{Name: "Grace Hopper", Email: grace},
		Attendee:  mentorbot.Contact{Name: "Ada Lovelace", Email: ada},
	}
}

func TestOpenChecksTheCredentialsWithARealTokenRequest(t *testing.T) {
	svcs := services(t)
	google, microsoft := svcs[0].config, svcs[1].config
	foreign := filepath.Join(t.TempDir(), "foreign.json")
	if err := os.WriteFile(foreign, svcs[0].fake.(*fakegoogle.Server).ForeignKeyFile(), 0o600); err != nil {
		t.Fatal(err)
	}
	notAKey := filepath.Join(t.TempDir(), "notakey.json")
	if err := os.WriteFile(notAKey, []byte(`{"type":"authorized_user"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	with := func(c calendar.Config, change func(*calendar.Config)) calendar.Config { change(&c); return c }
	for _, tc := range []struct {
		name     string
		config   calendar.Config
		variable string // named by the error; "" for success
	}{
		{"ics needs nothing", calendar.Config{Kind: calendar.KindICS}, ""},
		{"google", google, ""},
		{"microsoft", microsoft, ""},
		{"unknown kind", calendar.Config{Kind: "outlook"}, "MENTORBOT_CALENDAR"},
		{"google without a key", with(google, func(c *calendar.Config) { c.GoogleCredentials = "" }), "MENTORBOT_GOOGLE_CREDENTIALS"},
		{"google key missing", with(google, func(c *calendar.Config) { c.GoogleCredentials = "/nonexistent/key.json" }), "MENTORBOT_GOOGLE_CREDENTIALS"},
		{"google key of another kind", with(google, func(c *calendar.Config) { c.GoogleCredentials = notAKey }), "MENTORBOT_GOOGLE_CREDENTIALS"},
		{"google key it never issued", with(google, func(c *calendar.Config) { c.GoogleCredentials = foreign }), "MENTORBOT_GOOGLE_CREDENTIALS"},
		{"google API URL", with(google, func(c *calendar.Config) { c.GoogleAPIURL = "not a url" }), "MENTORBOT_GOOGLE_API_URL"},
		{"microsoft without a tenant", with(microsoft, func(c *calendar.Config) { c.MSTenant = "" }), "MENTORBOT_MS_TENANT"},
		{"microsoft wrong tenant", with(microsoft, func(c *calendar.Config) { c.MSTenant = "contoso" }), "MENTORBOT_MS_TENANT"},
		{"microsoft wrong app", with(microsoft, func(c *calendar.Config) { c.MSClientID = "00000000-0000-0000-0000-000000000000" }), "MENTORBOT_MS_CLIENT_ID"},
		{"microsoft wrong secret", with(microsoft, func(c *calendar.Config) { c.MSClientSecret = "guess" }), "MENTORBOT_MS_CLIENT_SECRET"},
		{"microsoft Graph URL", with(microsoft, func(c *calendar.Config) { c.MSGraphURL = "graph" }), "MENTORBOT_MS_GRAPH_URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := calendar.Open(t.Context(), tc.config)
			switch {
			case tc.variable == "" && err != nil:
				t.Fatalf("Open: %v", err)
			case tc.variable == "":
			case err == nil:
				t.Fatalf("Open took it; want an error naming %s", tc.variable)
			case !strings.HasPrefix(err.Error(), tc.variable+": ") || strings.Contains(err.Error(), "\n"):
				t.Errorf("error %q is not one line starting with %s", err, tc.variable)
			}
		})
	}
}

func TestBusyReadsFreeBusyAndNamesWhoItCannotRead(t *testing.T) {
	for _, s := range services(t) {
		t.Run(s.name, func(t *testing.T) {
			c := open(t, s)
			meeting := time.Date(2026, 3, 10, 10, 30, 0, 0, time.UTC)
			s.fake.AddBusy(ada, meeting, meeting.Add(time.Hour))
			got, err := c.Busy(t.Context(), []string{grace, ada, "nobody@example.com"}, meeting.Add(-24*time.Hour), meeting.Add(24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if b := got[ada]; len(b.Busy) != 1 || !b.Busy[0].Start.Equal(meeting) || !b.Busy[0].End.Equal(meeting.Add(time.Hour)) {
				t.Errorf("Ada's busy times = %+v, want the one meeting at %s", b, meeting)
			}
			if b := got[grace]; len(b.Busy) != 0 || b.Refused != nil {
				t.Errorf("Grace's busy times = %+v, want free", b)
			}
			if b := got["nobody@example.com"]; b.Refused == nil || b.Refused.Email != "nobody@example.com" {
				t.Errorf("an unknown person's answer = %+v, want a refusal naming them", b)
			}
		})
	}
}

// instances lists the series' instances in Grace's calendar.
func instances(t *testing.T, f service) (fakecal.Event, []fakecal.Instance) {
	t.Helper()
	events := f.fake.Events(grace)
	if len(events) != 1 {
		t.Fatalf("Grace's calendar holds %d events, want 1", len(events))
	}
	e := events[0]
	return e, e.Instances(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
}

func TestTheSeriesIsWrittenOnceMovedSkippedAndCancelled(t *testing.T) {
	for _, s := range services(t) {
		t.Run(s.name, func(t *testing.T) {
			c := open(t, s)
			ctx := t.Context()
			want := series()
			id, err := c.WriteSeries(ctx, want)
			if err != nil {
				t.Fatal(err)
			}
			e, insts := instances(t, s)
			if e.Title != mentorbot.CalendarTitle || !e.Private || len(insts) != 13 {
				t.Fatalf("event %q private=%v with %d instances; want the neutral title, private, 13 Tuesdays", e.Title, e.Private, len(insts))
			}
			if local := insts[0].Start.In(mentorbot.Zone("Europe/London")); local.Hour() != 10 || local.Weekday() != time.Tuesday {
				t.Errorf("the first session starts %s, want Tuesday 10:00 London", local)
			}
			// The clocks go forward on 29 March: still 10:00 in London.
			if local := insts[4].Start.In(mentorbot.Zone("Europe/London")); local.Hour() != 10 {
				t.Errorf("the session after the clock change starts %s, want 10:00 London", local)
			}
			if len(e.Attendees) == 0 || e.Attendees[len(e.Attendees)-1].Email != ada {
				t.Errorf("attendees %+v, want Ada invited", e.Attendees)
			}
			if busy, err := c.Busy(ctx, []string{ada}, insts[0].Start, insts[0].End); err != nil || len(busy[ada].Busy) != 1 {
				t.Errorf("Ada's free/busy over the first session = %+v, %v; want it busy", busy, err)
			}

			// Written again, as after a crash: still one event.
			again := want
			again.EventID = id
			if _, err := c.WriteSeries(ctx, again); err != nil {
				t.Fatal(err)
			}
			if _, err := c.WriteSeries(ctx, want); err != nil {
				t.Fatal(err)
			}
			instances(t, s)

			// Move the second session to Thursday 14:00, skip the third.
			moved, skipped := insts[1].Original, insts[2].Original
			to := time.Date(2026, 3, 12, 14, 0, 0, 0, time.UTC)
			again.Sessions = []mentorbot.Session{
				{Occurrence: insts[0].Original, StartsAt: insts[0].Original, State: mentorbot.SessionScheduled},
				{Occurrence: moved, StartsAt: to, EndsAt: to.Add(time.Hour), Revision: 1, State: mentorbot.SessionScheduled},
				{Occurrence: skipped, StartsAt: skipped, EndsAt: skipped.Add(time.Hour), State: mentorbot.SessionSkipped},
			}
			for range 2 { // the second time finds them so already
				if _, err := c.WriteSeries(ctx, again); err != nil {
					t.Fatal(err)
				}
			}
			_, insts = instances(t, s)
			for _, inst := range insts {
				switch {
				case inst.Original.Equal(moved) && !inst.Start.Equal(to):
					t.Errorf("the moved session starts %s, want %s", inst.Start, to)
				case inst.Original.Equal(skipped) && !inst.Cancelled:
					t.Errorf("the skipped session is still on")
				case !inst.Original.Equal(moved) && !inst.Original.Equal(skipped) && (inst.Cancelled || !inst.Start.Equal(inst.Original)):
					t.Errorf("session %s changed: %+v", inst.Original, inst)
				}
			}

			again.Cancelled = true
			for range 2 {
				if _, err := c.WriteSeries(ctx, again); err != nil {
					t.Fatal(err)
				}
			}
			if e, _ := instances(t, s); !e.Cancelled {
				t.Error("the series is still on after the pair ended")
			}
		})
	}
}

func TestFailuresSayWhetherToRetryOrFallBack(t *testing.T) {
	for _, s := range services(t) {
		t.Run(s.name, func(t *testing.T) {
			c := open(t, s)
			ctx := t.Context()
			for _, tc := range []struct {
				name   string
				fault  fakecal.Fault
				series func(mentorbot.CalendarSeries) mentorbot.CalendarSeries
				refuse string // the email a refusal names; "-" for a retry
			}{
				{"throttled", fakecal.Fault{Status: 429, RetryAfter: 30}, nil, "-"},
				{"down", fakecal.Fault{Status: 503}, nil, "-"},
				{"failing", fakecal.Fault{Status: 500}, nil, "-"},
				{"no such mailbox", fakecal.Fault{}, func(s mentorbot.CalendarSeries) mentorbot.CalendarSeries {
					s.Organizer.Email = "left@example.com"
					return s
				}, "left@example.com"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					in := series()
					if tc.series != nil {
						in = tc.series(in)
					}
					if tc.fault.Status != 0 {
						s.fake.Storm(1, tc.fault)
					}
					_, err := c.WriteSeries(ctx, in)
					r := mentorbot.Refusal(err)
					switch {
					case err == nil:
						t.Fatal("the write went through")
					case tc.refuse == "-" && r != nil:
						t.Errorf("a %d is refused for good (%v); want it retried", tc.fault.Status, err)
					case tc.refuse != "-" && (r == nil || r.Email != tc.refuse):
						t.Errorf("error %v; want a refusal naming %s", err, tc.refuse)
					}
				})
			}
			if n := len(s.fake.Events(grace)); n != 0 {
				t.Errorf("Grace's calendar holds %d events after failures only", n)
			}
		})
	}
}

// A write whose answer never comes back (the bot killed, the connection
// dropped) leaves the event made; the retry finds it instead of making
// another.
func TestAWriteRetriedAfterItsAnswerWasLostMakesOneEvent(t *testing.T) {
	for _, s := range services(t) {
		t.Run(s.name, func(t *testing.T) {
			c := open(t, s)
			held := s.fake.Hold()
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() { _, err := c.WriteSeries(ctx, series()); done <- err }()
			<-held // the event is made; its answer is held
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Fatalf("the interrupted write returned %v", err)
			}
			s.fake.Release()
			if _, err := c.WriteSeries(t.Context(), series()); err != nil {
				t.Fatal(err)
			}
			instances(t, s)
		})
	}
}

// Writing the series again keeps what the mentor answered: setting the
// attendees anew would ask them again, and lose a decline.
func TestRewritingTheSeriesKeepsTheMentorsAnswer(t *testing.T) {
	for _, s := range services(t) {
		t.Run(s.name, func(t *testing.T) {
			c := open(t, s)
			in := series()
			id, err := c.WriteSeries(t.Context(), in)
			if err != nil {
				t.Fatal(err)
			}
			e, _ := instances(t, s)
			if err := s.fake.(interface {
				Decline(eventID, email string, original time.Time) error
			}).Decline(e.ID, ada, time.Time{}); err != nil {
				t.Fatal(err)
			}
			in.EventID = id
			if _, err := c.WriteSeries(t.Context(), in); err != nil {
				t.Fatal(err)
			}
			e, _ = instances(t, s)
			for _, a := range e.Attendees {
				if a.Email == ada && a.Response != "declined" {
					t.Errorf("after a rewrite Ada's answer is %q, want declined", a.Response)
				}
			}
			declines, err := c.Declines(t.Context(), in, in.Slot.From, in.Slot.From.AddDate(0, 0, 8))
			if err != nil || len(declines) != 2 || declines[0].Email != ada {
				t.Errorf("declines %+v, %v; want Ada's no to the first two sessions", declines, err)
			}
		})
	}
}
