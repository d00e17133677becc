package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mentorbot/mentorbot/calendar"
	"github.com/mentorbot/mentorbot/calendar/fakecal"
	"github.com/mentorbot/mentorbot/calendar/fakegoogle"
	"github.com/mentorbot/mentorbot/calendar/fakegraph"
)

// demoCalendar is the fake calendar service a demo with -calendar runs
// beside the fake Slack: everyone has a mailbox in it.
type demoCalendar struct {
	name string // as people call it
	fake interface {
		AddMailbox(email, name string)
		Events(email string) []fakecal.Event
		Invitations(email string) []fakecal.Event
	}
	close func()
}

// startDemoCalendar starts the fake for kind and points cfg at it, with
// the credentials it issues (a key file in dir, for Google).
func startDemoCalendar(kind, dir string, cfg *Config) (*demoCalendar, error) {
	cfg.CalendarKind = kind
	switch kind {
	case calendar.KindGoogle:
		g, err := fakegoogle.New()
		if err != nil {
			return nil, err
		}
		key, err := g.WriteKeyFile(dir)
		if err != nil {
			g.Close()
			return nil, err
		}
		cfg.GoogleCredentials, cfg.GoogleAPIURL = key, g.APIURL()
		return &demoCalendar{name: "Google Calendar", fake: g, close: g.Close}, nil
	case calendar.KindMicrosoft:
		m, err := fakegraph.New()
		if err != nil {
			return nil, err
		}
		cfg.MSTenant, cfg.MSClientID, cfg.MSClientSecret = fakegraph.Tenant, fakegraph.ClientID, fakegraph.ClientSecret
		cfg.MSGraphURL, cfg.MSLoginURL = m.GraphURL(), m.LoginURL()
		return &demoCalendar{name: "Outlook", fake: m, close: m.Close}, nil
	}
	return nil, usageError{fmt.Errorf("-calendar %q: use ics, google or microsoft", kind)}
}

// demoEmail is a person's address in the demo's company.
func demoEmail(p demoPerson) string { return p.Name + "@example.com" }

// printCalendars writes what each calendar holds at the end: the series
// in each senior's calendar, with the sessions moved or cancelled, and
// the invitation in each mentor's.
func (c *demoCalendar) printCalendars(w io.Writer, people []demoPerson) {
	fmt.Fprintf(w, "\nWhat the calendars hold (%s)\n", c.name)
	names := map[string]string{}
	for _, p := range people {
		names[demoEmail(p)] = p.RealName
	}
	for _, p := range people {
		for _, e := range c.fake.Events(demoEmail(p)) {
			fmt.Fprintf(w, "  %s's calendar: %s\n", p.RealName, describeSeries(e, names))
		}
		for _, e := range c.fake.Invitations(demoEmail(p)) {
			answer := ""
			for _, a := range e.Attendees {
				if a.Email == demoEmail(p) {
					answer = a.Response
				}
			}
			fmt.Fprintf(w, "  %s's calendar: invited by %s to %q (%s)\n", p.RealName, names[e.Owner], e.Title, answer)
		}
	}
}

// describeSeries says a series in a line: its title, whether private, when
// it repeats, who is invited, and which sessions changed.
func describeSeries(e fakecal.Event, names map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q", e.Title)
	if e.Private {
		b.WriteString(" (private)")
	}
	if e.Cancelled {
		b.WriteString(", cancelled")
	}
	first := e.Start.In(e.Zone)
	insts := e.Instances(e.Start.Add(-time.Hour), e.Start.AddDate(2, 0, 0))
	fmt.Fprintf(&b, ", %d sessions from %s, %s–%s %s", len(insts), first.Format("Mon 2 Jan 2006"), first.Format("15:04"), e.End.In(e.Zone).Format("15:04"), e.Zone)
	for _, a := range e.Attendees {
		if a.Email != e.Owner {
			fmt.Fprintf(&b, ", %s invited", cmpName(names[a.Email], a.Email))
		}
	}
	for _, inst := range insts {
		switch {
		case inst.Cancelled:
			fmt.Fprintf(&b, "; %s cancelled", inst.Original.In(e.Zone).Format("Mon 2 Jan"))
		case !inst.Start.Equal(inst.Original):
			fmt.Fprintf(&b, "; %s moved to %s", inst.Original.In(e.Zone).Format("Mon 2 Jan"), inst.Start.In(e.Zone).Format("Mon 2 Jan 15:04"))
		}
	}
	return b.String()
}

func cmpName(name, email string) string {
	if name != "" {
		return name
	}
	return email
}

// seesSeriesMoved waits until the senior's calendar shows one session moved.
func (d *demo) seesSeriesMoved(email string) bool {
	for _, e := range d.calendar.fake.Events(email) {
		for _, inst := range e.Instances(e.Start.Add(-time.Hour), e.Start.AddDate(2, 0, 0)) {
			if !inst.Start.Equal(inst.Original) && !inst.Cancelled {
				return true
			}
		}
	}
	return false
}
