package bot_test

import (
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
	graceMail = "grace@example.com"
	adaMail   = "ada@example.com"
)

// calendarService is a fake calendar service and the bot's calendar on it.
type calendarService struct {
	name string // as the booking message names it
	fake interface {
		AddMailbox(email, name string)
		Storm(n int, f fakecal.Fault)
		Events(email string) []fakecal.Event
		Hold() <-chan struct{}
		Release()
		AddBusy(email string, start, end time.Time)
		Decline(eventID, email string, original time.Time) error
		RemoveInstance(eventID string, original time.Time) error
	}
	open func(t *testing.T) mentorbot.Calendar
}

// calendarServices starts a fake Google Calendar and a fake Graph; mailboxes
// lists who is in each directory.
func calendarServices(t *testing.T, mailboxes ...string) []calendarService {
	t.Helper()
	g, err := fakegoogle.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.Close)
	m, err := fakegraph.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	for _, email := range mailboxes {
		g.AddMailbox(email, "")
		m.AddMailbox(email, "")
	}
	opened := func(cfg calendar.Config) func(t *testing.T) mentorbot.Calendar {
		return func(t *testing.T) mentorbot.Calendar {
			c, err := calendar.Open(t.Context(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
	}
	key, err := g.WriteKeyFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return []calendarService{
		{"Google Calendar", g, opened(calendar.Config{Kind: calendar.KindGoogle, GoogleCredentials: key, GoogleAPIURL: g.APIURL()})},
		{"Outlook", m, opened(calendar.Config{
			Kind: calendar.KindMicrosoft, MSTenant: fakegraph.Tenant, MSClientID: fakegraph.ClientID, MSClientSecret: fakegraph.ClientSecret,
			MSGraphURL: m.GraphURL(), MSLoginURL: m.LoginURL(),
		})},
	}
}

// series returns the one event in the senior's calendar and its instances.
func series(t *testing.T, s calendarService) (fakecal.Event, []fakecal.Instance) {
	t.Helper()
	events := s.fake.Events(graceMail)
	if len(events) != 1 {
		t.Fatalf("Grace's calendar holds %d events, want 1", len(events))
	}
	e := events[0]
	return e, e.Instances(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
}

func TestSessionsLandInTheSeniorsCalendarAndFollowEveryChange(t *testing.T) {
	t.Parallel()
	for _, s := range calendarServices(t, graceMail, adaMail) {
		t.Run(s.name, func(t *testing.T) {
			w := newWorld(t, withCalendar(s.open(t)))
			p := w.agreedPair()
			g, a := w.person(grace), w.person(ada)
			g.seesDM(s.name + " shows it free in both your calendars for the first 4 weeks")
			g.seesDM("Your sessions with <@" + ada + "> are booked: every other Tuesday, 06:00–07:00, from Tue 3 Mar 2026")
			g.seesDM("They're in your " + s.name + " as a private event")
			a.seesDM("They're in your " + s.name)
			w.finish()
			if n := len(w.slack.Calls("files.completeUploadExternal")); n != 0 {
				t.Errorf("%d files sent; the calendar has the sessions", n)
			}
			e, insts := series(t, s)
			if !e.Private || e.Title != mentorbot.CalendarTitle || e.Rule == nil {
				t.Errorf("event %+v: want a private recurring %q", e, mentorbot.CalendarTitle)
			}
			if len(e.Attendees) == 0 || e.Attendees[len(e.Attendees)-1].Email != adaMail {
				t.Errorf("attendees %+v, want Ada invited", e.Attendees)
			}
			first := time.Date(2026, 3, 3, 11, 0, 0, 0, time.UTC) // 06:00 New York
			if len(insts) == 0 || !insts[0].Start.Equal(first) {
				t.Fatalf("instances %+v, want the first on %s", insts, first)
			}
			if stored := w.pairWith(ada, grace); stored.CalendarEvent != e.ID {
				t.Errorf("the pair keeps event %q, the calendar has %q", stored.CalendarEvent, e.ID)
			}

			w.at(time.Date(2026, 3, 2, 11, 0, 0, 0, time.UTC))
			g.seesDM("is tomorrow")
			g.clicks("session_move")
			g.seesModal("Move this session")
			g.submits(map[string]string{"move_date": "2026-03-04", "move_time": "07:00"})
			g.seesInModal("Moved")
			w.finish()
			moved := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
			if _, insts := series(t, s); !insts[0].Start.Equal(moved) || insts[0].Original != first {
				t.Errorf("the first instance is %+v after the move, want it at %s", insts[0], moved)
			}

			w.at(time.Date(2026, 3, 16, 11, 0, 0, 0, time.UTC))
			a.clicks("session_skip")
			a.seesModal("Skip this session")
			a.submits(map[string]string{"skip_reason": "Exam week"})
			a.seesInModal("Skipped")
			w.finish()
			second := time.Date(2026, 3, 17, 10, 0, 0, 0, time.UTC) // 06:00 New York, on summer time
			for _, inst := range func() []fakecal.Instance { _, i := series(t, s); return i }() {
				if inst.Original.Equal(second) && !inst.Cancelled {
					t.Errorf("the skipped session is still on: %+v", inst)
				}
				if !inst.Original.Equal(second) && !inst.Original.Equal(first) && (inst.Cancelled || !inst.Start.Equal(inst.Original)) {
					t.Errorf("session %s changed: %+v", inst.Original, inst)
				}
			}

			a.types("/mentor leave")
			a.clicks("leave")
			w.finish()
			if e, _ := series(t, s); !e.Cancelled {
				t.Error("the series is still on after the pair ended")
			}
			if n := len(w.slack.Calls("files.completeUploadExternal")); n != 0 {
				t.Errorf("%d files sent; the calendar had every change", n)
			}
			if got, err := w.db.OutboxOf(w.ctx(), p.ID); err == nil {
				for _, item := range got {
					if item.Kind == mentorbot.OutboxCalendarWrite && item.State != mentorbot.OutboxSent && item.State != mentorbot.OutboxDropped {
						t.Errorf("calendar write %s is %s", item.Key, item.State)
					}
				}
			}
		})
	}
}

func TestTheOfferedTimeIsFreeInBothCalendars(t *testing.T) {
	t.Parallel()
	for _, s := range calendarServices(t, graceMail, adaMail) {
		t.Run(s.name, func(t *testing.T) {
			// Grace has a meeting at 06:00 New York on the second Tuesday
			// the best time would fall on.
			s.fake.(interface {
				AddBusy(string, time.Time, time.Time)
			}).AddBusy(graceMail,
				time.Date(2026, 3, 17, 10, 0, 0, 0, time.UTC), time.Date(2026, 3, 17, 10, 30, 0, 0, time.UTC))
			w := newWorld(t, withCalendar(s.open(t)))
			w.activePair()
			g := w.person(grace)
			offer := g.seesDM(s.name + " also shows free in both your calendars for the first 4 weeks")
			if strings.Contains(offer.Rendered(), "06:00–07:00") {
				t.Errorf("the offer is the time Grace's calendar has taken:\n%s", offer.Rendered())
			}
		})
	}
}

// Without a calendar service the offer claims nothing about calendars.
func TestTheOfferWithoutACalendarServiceClaimsNoFreeBusy(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.activePair()
	offer := w.person(grace).seesDM("every other Tuesday, 06:00–07:00")
	if strings.Contains(offer.Rendered(), "shows it free") {
		t.Errorf("the offer claims a calendar check:\n%s", offer.Rendered())
	}
}

// At the first reminder the bot reads both calendars around the session:
// a meeting that now overlaps it is flagged with Reschedule at hand; the
// session's own event is not a clash.
func TestTheFirstReminderSaysWhenACalendarNowClashes(t *testing.T) {
	t.Parallel()
	for _, s := range calendarServices(t, graceMail, adaMail) {
		t.Run(s.name, func(t *testing.T) {
			w := newWorld(t, withCalendar(s.open(t)))
			w.agreedPair()
			w.finish()
			// Ada's team books her from half way through the first session.
			s.fake.(interface {
				AddBusy(string, time.Time, time.Time)
			}).AddBusy(adaMail,
				time.Date(2026, 3, 3, 11, 30, 0, 0, time.UTC), time.Date(2026, 3, 3, 12, 30, 0, 0, time.UTC))
			g, a := w.person(grace), w.person(ada)
			w.at(time.Date(2026, 3, 2, 11, 0, 0, 0, time.UTC))
			nudge := a.seesDM("Your calendar now has something else at this time. *Reschedule* to keep the session")
			if !strings.Contains(nudge.Rendered(), "[Reschedule]") {
				t.Errorf("the warning comes without Reschedule:\n%s", nudge.Rendered())
			}
			g.seesDM("<@" + ada + ">'s calendar now has something else at this time")
			// The hour before, the warning is not repeated.
			w.at(time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC))
			g.seesDM("in an hour")
			if n := g.countDMs("now has something else"); n != 1 {
				t.Errorf("Grace was warned %d times, want once", n)
			}
			// The next session clashes with nothing but itself.
			w.at(time.Date(2026, 3, 16, 10, 0, 0, 0, time.UTC))
			g.seesDM("is tomorrow: Tue 17 Mar")
			for _, who := range []*person{g, a} {
				if n := who.countDMs("now has something else"); n != 1 {
					t.Errorf("%s was warned %d times, want once, for the first session", who.p.ID(), n)
				}
			}
		})
	}
}

// A no given in the calendar is seen on the tick: the partner is told,
// both are offered another time, and moving it clears the no.
func TestADeclineInTheCalendarTellsThePartner(t *testing.T) {
	t.Parallel()
	second := time.Date(2026, 3, 17, 10, 0, 0, 0, time.UTC) // 06:00 New York
	for _, tc := range []struct {
		name     string
		decliner string
		decline  func(s calendarService, eventID string) error
		// moved says whether a new time, which asks again, settles it.
		moved bool
	}{
		{"the mentor declines", ada, func(s calendarService, id string) error { return s.fake.Decline(id, adaMail, second) }, true},
		{"the mentor declines the series", ada, func(s calendarService, id string) error { return s.fake.Decline(id, adaMail, time.Time{}) }, false},
		{"the senior deletes it", grace, func(s calendarService, id string) error { return s.fake.RemoveInstance(id, second) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, s := range calendarServices(t, graceMail, adaMail) {
				t.Run(s.name, func(t *testing.T) {
					w := newWorld(t, withCalendar(s.open(t)))
					p := w.agreedPair()
					w.finish()
					e, _ := series(t, s)
					if err := tc.decline(s, e.ID); err != nil {
						t.Fatal(err)
					}
					w.at(time.Date(2026, 3, 16, 10, 0, 0, 0, time.UTC))
					decliner, partner := w.person(tc.decliner), w.person(p.Partner(tc.decliner))
					told := partner.seesDM("<@" + tc.decliner + "> declined your session on Tue 17 Mar")
					if !strings.Contains(told.Rendered(), "[Reschedule]") {
						t.Errorf("no Reschedule with the decline:\n%s", told.Rendered())
					}
					decliner.seesDM("You declined your session with <@" + p.Partner(tc.decliner) + "> on Tue 17 Mar")
					if got, err := w.db.Session(w.ctx(), p.ID, second); err != nil || got.DeclinedBy != tc.decliner {
						t.Errorf("stored %+v, %v; want declined by %s", got, err, tc.decliner)
					}
					w.at(time.Date(2026, 3, 16, 10, 30, 0, 0, time.UTC))
					if n := partner.countDMs("declined your session"); n != 1 {
						t.Errorf("the partner was told %d times", n)
					}
					if !tc.moved {
						return
					}
					g := w.person(grace)
					g.clicksIn("session_"+sessionValue(p, second), "session_move")
					g.seesModal("Move this session")
					g.submits(map[string]string{"move_date": "2026-03-18", "move_time": "07:00"})
					g.seesInModal("Moved")
					w.finish() // the calendar has the new time
					// A day before the new time, when its no would be seen.
					w.at(time.Date(2026, 3, 17, 12, 0, 0, 0, time.UTC))
					if got, _ := w.db.Session(w.ctx(), p.ID, second); got.DeclinedBy != "" || got.Revision != 1 {
						t.Errorf("after the move the session is %+v; want it moved and the no cleared", got)
					}
					items, err := w.db.OutboxOf(w.ctx(), p.ID)
					if err != nil {
						t.Fatal(err)
					}
					for _, item := range items {
						if item.Kind == mentorbot.OutboxSessionDeclined && item.Revision > 0 {
							t.Errorf("a decline was owed again after the move: %s", item.Key)
						}
					}
				})
			}
		})
	}
}

func TestAPersonTheCalendarDoesNotKnowGetsTheFileAndWhy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		mailboxes []string
		event     bool              // whether Grace's calendar gets the series
		graceWhy  map[string]string // the line in Grace's invite, by service; none for no invite
		adaWhy    string
	}{
		{"the mentor", []string{graceMail}, true, nil, "no calendar for them"},
		{"the senior", []string{adaMail}, false, map[string]string{
			"Google Calendar": "Google Workspace has no such person, or the service account may not act for them",
			"Outlook":         "Microsoft 365 has no mailbox for them",
		}, "your partner's calendar isn't one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, s := range calendarServices(t, tc.mailboxes...) {
				t.Run(s.name, func(t *testing.T) {
					w := newWorld(t, withCalendar(s.open(t)))
					w.agreedPair()
					g, a := w.person(grace), w.person(ada)
					for _, who := range []struct {
						p   *person
						why string
					}{{g, tc.graceWhy[s.name]}, {a, tc.adaWhy}} {
						if who.why == "" {
							who.p.seesDM("They're in your " + s.name)
							continue
						}
						who.p.invites(1)
						m := who.p.seesDM("Your calendar couldn't be updated directly")
						if !strings.Contains(m.Rendered(), who.why) {
							t.Errorf("%s reads %q, want it to say %q", who.p.p.ID(), m.Rendered(), who.why)
						}
					}
					if n := len(s.fake.Events(graceMail)); (n == 1) != tc.event {
						t.Errorf("Grace's calendar holds %d events", n)
					}
					if tc.event {
						if e, _ := series(t, s); len(e.Attendees) > 0 && e.Attendees[len(e.Attendees)-1].Email == adaMail {
							t.Error("Ada, whom the calendar does not know, is invited anyway")
						}
					}
					// When the pair ends, whoever has the file gets the
					// cancellation as a file too.
					a.types("/mentor leave")
					a.clicks("leave")
					w.finish()
					for _, who := range []*person{g, a} {
						files := len(who.p.Files())
						if had := who.countDMs("Your calendar couldn't be updated directly") > 0; had && files != 2 {
							t.Errorf("%s has %d files after the pair ended, want the invite and its cancellation", who.p.ID(), files)
						} else if !had && files != 0 {
							t.Errorf("%s, whose calendar had the series, got %d files", who.p.ID(), files)
						}
					}
					if tc.event {
						if e, _ := series(t, s); !e.Cancelled {
							t.Error("the series is still on after the pair ended")
						}
					}
				})
			}
		})
	}
}

func TestThrottlingAndOutagesAreRetriedThenFallBack(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		storm  int
		fault  fakecal.Fault
		booked bool // the series lands; otherwise both get the file
	}{
		{"a few 429s", 3, fakecal.Fault{Status: 429, RetryAfter: 10}, true},
		{"a few 503s", 3, fakecal.Fault{Status: 503}, true},
		{"a 500 that lasts", 1000, fakecal.Fault{Status: 500}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, s := range calendarServices(t, graceMail, adaMail) {
				t.Run(s.name, func(t *testing.T) {
					w := newWorld(t, withCalendar(s.open(t)))
					s.fake.Storm(tc.storm, tc.fault)
					w.agreedPair()
					w.finish()
					w.retryPending()
					g, a := w.person(grace), w.person(ada)
					if tc.booked {
						g.seesDM("They're in your " + s.name)
						a.seesDM("They're in your " + s.name)
						series(t, s)
						return
					}
					for _, who := range []*person{g, a} {
						who.invites(1)
						who.seesDM(s.name + " didn't answer")
					}
					if n := len(s.fake.Events(graceMail)); n != 0 {
						t.Errorf("Grace's calendar holds %d events after an outage", n)
					}
				})
			}
		})
	}
}

// The bot stops while a write it made has not answered yet: the restarted
// bot writes again, and the calendar still holds one event.
func TestAWriteCutOffByARestartMakesOneEvent(t *testing.T) {
	t.Parallel()
	for _, s := range calendarServices(t, graceMail, adaMail) {
		t.Run(s.name, func(t *testing.T) {
			c := s.open(t)
			w := newWorld(t, withCalendar(c))
			held := s.fake.Hold()
			w.agreedPair()
			<-held // the event is made; the answer is held
			w.stop()
			s.fake.Release()
			w.start()
			w.finish()
			w.person(grace).seesDM("They're in your " + s.name)
			series(t, s)
		})
	}
}
