package calendar

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	gauth "golang.org/x/oauth2/google"
	"golang.org/x/oauth2/jwt"
	gcal "google.golang.org/api/calendar/v3"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"github.com/mentorbot/mentorbot"
)

// The narrowest Google scopes for what the bot does: its own events in
// the senior's calendar, and free/busy (never event details) of both.
const (
	scopeEvents   = "https://www.googleapis.com/auth/calendar.events"
	scopeFreeBusy = "https://www.googleapis.com/auth/calendar.freebusy"
)

// GoogleScopes are the scopes domain-wide delegation must grant.
var GoogleScopes = []string{scopeEvents, scopeFreeBusy}

// google is Google Calendar, acting as each person through a service
// account with domain-wide delegation.
type google struct {
	conf *jwt.Config
	base string
	http *http.Client
	mu   sync.Mutex
	// services holds one client per person acted as, each reusing its
	// token until it expires.
	services map[string]*gcal.Service
}

func newGoogle(key []byte, base string, hc *http.Client) (*google, error) {
	conf, err := gauth.JWTConfigFromJSON(key, GoogleScopes...)
	if err != nil {
		return nil, fmt.Errorf("not a service account key: %w", err)
	}
	return &google{conf: conf, base: base, http: hc, services: map[string]*gcal.Service{}}, nil
}

func (g *google) Name() string { return "Google Calendar" }

// check asks the key's own token endpoint for the account's token.
func (g *google) check(ctx context.Context) error {
	_, err := g.conf.TokenSource(context.WithValue(ctx, oauth2.HTTPClient, g.http)).Token()
	if err != nil {
		return oneLine(err)
	}
	return nil
}

// as is the Calendar API acting as the person with this email.
func (g *google) as(email string) (*gcal.Service, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if svc, ok := g.services[email]; ok {
		return svc, nil
	}
	conf := *g.conf
	conf.Subject = email
	// The token source outlives any one call, so it gets a context of its own.
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, g.http)
	client := oauth2.NewClient(ctx, conf.TokenSource(ctx))
	client.Timeout = requestTimeout
	svc, err := gcal.NewService(ctx, option.WithHTTPClient(client), option.WithEndpoint(g.base))
	if err != nil {
		return nil, err
	}
	g.services[email] = svc
	return svc, nil
}

// fail says what a failed call means for the programme.
func (g *google) fail(err error, email string) error {
	if re, ok := errors.AsType[*oauth2.RetrieveError](err); ok {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		errorCode := re.ErrorCode
		if errorCode == "" {
			var body struct{ Error string }
			_ = json.Unmarshal(re.Body, &body)
			errorCode = body.Error
		}
		reason := "Google refused to let the bot act for them (" + errorCode + ")"
		if errorCode == "invalid_grant" {
			reason = "Google Workspace has no such person, or the service account may not act for them"
		}
		return classify(status, nil, oneLine(err), email, reason)
	}
	if ge, ok := errors.AsType[*googleapi.Error](err); ok {
		reason := ge.Message
		if ge.Code == http.StatusForbidden || ge.Code == http.StatusUnauthorized {
			reason = "Google Calendar refused the bot's access (" + ge.Message + ")"
		}
		return classify(ge.Code, ge.Header, err, email, reason)
	}
	return classify(0, nil, err, email, "")
}

// code is the HTTP status of a failed call, 0 when nothing answered.
func code(err error) int {
	if ge, ok := errors.AsType[*googleapi.Error](err); ok {
		return ge.Code
	}
	return 0
}

// Busy asks free/busy acting as the first person Google knows among
// emails; one it does not know is refused alone.
func (g *google) Busy(ctx context.Context, emails []string, from, to time.Time) (map[string]mentorbot.BusyTimes, error) {
	out := map[string]mentorbot.BusyTimes{}
	var items []*gcal.FreeBusyRequestItem
	for _, e := range emails {
		items = append(items, &gcal.FreeBusyRequestItem{Id: e})
	}
	for _, actor := range emails {
		svc, err := g.as(actor)
		if err != nil {
			return nil, err
		}
		resp, err := svc.Freebusy.Query(&gcal.FreeBusyRequest{
			TimeMin: from.UTC().Format(time.RFC3339), TimeMax: to.UTC().Format(time.RFC3339), Items: items,
		}).Context(ctx).Do()
		if err != nil {
			err = g.fail(err, actor)
			if r := mentorbot.Refusal(err); r != nil && r.Email == actor {
				out[actor] = mentorbot.BusyTimes{Refused: r}
				continue
			}
			return nil, err
		}
		for _, e := range emails {
			if _, done := out[e]; done {
				continue
			}
			fb := resp.Calendars[e]
			if len(fb.Errors) > 0 {
				reason := "Google Calendar has no calendar for them"
				if fb.Errors[0].Reason != "notFound" {
					reason = "Google Calendar would not share their free/busy (" + fb.Errors[0].Reason + ")"
				}
				out[e] = mentorbot.BusyTimes{Refused: &mentorbot.CalendarRefusal{Email: e, Reason: reason}}
				continue
			}
			var busy []mentorbot.Interval
			for _, p := range fb.Busy {
				start, err1 := time.Parse(time.RFC3339, p.Start)
				end, err2 := time.Parse(time.RFC3339, p.End)
				if err1 == nil && err2 == nil {
					busy = append(busy, mentorbot.Interval{Start: start.UTC(), End: end.UTC()})
				}
			}
			out[e] = mentorbot.BusyTimes{Busy: busy}
		}
		return out, nil
	}
	return out, nil
}

// WriteSeries puts the series in the senior's calendar under the pair's
// own event ID, so a retry after a crash finds the event it made instead
// of making another; then moves and cancels the instances that changed.
func (g *google) WriteSeries(ctx context.Context, s mentorbot.CalendarSeries) (string, error) {
	svc, err := g.as(s.Organizer.Email)
	if err != nil {
		return "", err
	}
	id := pairKey(s.PairID)
	if s.Cancelled {
		err := svc.Events.Delete("primary", id).SendUpdates("all").Context(ctx).Do()
		if c := code(err); err != nil && c != http.StatusNotFound && c != http.StatusGone {
			return "", g.fail(err, s.Organizer.Email)
		}
		return id, nil
	}
	ev, err := googleEvent(id, s)
	if err != nil {
		return "", &mentorbot.CalendarRefusal{Reason: err.Error()}
	}
	insert := func() error {
		_, err := svc.Events.Insert("primary", ev).SendUpdates("all").Context(ctx).Do()
		return err
	}
	update := func() error {
		// An update sets the attendees anew: what each answered is kept.
		cur, err := svc.Events.Get("primary", id).Context(ctx).Do()
		if err != nil {
			return err
		}
		for _, a := range ev.Attendees {
			for _, c := range cur.Attendees {
				if strings.EqualFold(a.Email, c.Email) && c.ResponseStatus != "" {
					a.ResponseStatus = c.ResponseStatus
				}
			}
		}
		_, err = svc.Events.Update("primary", id, ev).SendUpdates("all").Context(ctx).Do()
		return err
	}
	if s.EventID == "" {
		if err = insert(); code(err) == http.StatusConflict {
			err = update()
		}
	} else if err = update(); code(err) == http.StatusNotFound {
		err = insert()
	}
	if err != nil {
		return "", g.fail(err, s.Organizer.Email)
	}
	for _, session := range s.Sessions {
		if err := g.writeInstance(ctx, svc, id, s.Slot, session); err != nil {
			return "", g.fail(err, s.Organizer.Email)
		}
	}
	return id, nil
}

// writeInstance cancels a skipped session's instance or moves a moved
// one's; one already so is left as it is.
func (g *google) writeInstance(ctx context.Context, svc *gcal.Service, id string, slot mentorbot.Slot, s mentorbot.Session) error {
	instance := id + "_" + s.Occurrence.UTC().Format("20060102T150405Z")
	switch {
	case s.State == mentorbot.SessionSkipped:
		err := svc.Events.Delete("primary", instance).SendUpdates("all").Context(ctx).Do()
		if code(err) == http.StatusGone {
			return nil
		}
		return err
	case s.Revision > 0:
		loc := slot.Location()
		_, err := svc.Events.Patch("primary", instance, &gcal.Event{
			Start: &gcal.EventDateTime{DateTime: s.StartsAt.In(loc).Format(time.RFC3339), TimeZone: loc.String()},
			End:   &gcal.EventDateTime{DateTime: s.EndsAt.In(loc).Format(time.RFC3339), TimeZone: loc.String()},
		}).SendUpdates("all").Context(ctx).Do()
		return err
	}
	return nil
}

// googleEvent is the series as Google's Event resource: private, busy,
// at the slot's wall time in the senior's zone.
func googleEvent(id string, s mentorbot.CalendarSeries) (*gcal.Event, error) {
	wall, ok := s.Slot.WallStart()
	if !ok {
		return nil, errors.New("the pair's slot has no sessions left")
	}
	rule, err := s.Slot.RRule()
	if err != nil {
		return nil, err
	}
	zone := s.Slot.Location().String()
	const layout = "2006-01-02T15:04:05"
	ev := &gcal.Event{
		Id: id, Summary: mentorbot.CalendarTitle, Description: mentorbot.CalendarDescription,
		Visibility: "private", Transparency: "opaque", Status: "confirmed",
		Start:      &gcal.EventDateTime{DateTime: wall.Format(layout), TimeZone: zone},
		End:        &gcal.EventDateTime{DateTime: wall.Add(s.Slot.Length).Format(layout), TimeZone: zone},
		Recurrence: []string{"RRULE:" + rule},
		Attendees:  []*gcal.EventAttendee{{Email: s.Organizer.Email, DisplayName: s.Organizer.Name, ResponseStatus: "accepted"}},
		// Only the senior changes the series; the mentor answers it.
		GuestsCanInviteOthers: new(false),
	}
	if s.Attendee.Email != "" {
		ev.Attendees = append(ev.Attendees, &gcal.EventAttendee{Email: s.Attendee.Email, DisplayName: s.Attendee.Name})
	}
	return ev, nil
}

// oneLine keeps an error to its first line: token endpoints answer with
// bodies that would spill over a log line.
func oneLine(err error) error {
	msg := err.Error()
	for i, r := range msg {
		if r == '\n' {
			return errors.New(msg[:i])
		}
	}
	return err
}

// Declines reads the series' instances, cancelled ones too, as the
// senior: an attendee's declined answer, or an instance the senior
// removed from their calendar that the bot did not skip.
func (g *google) Declines(ctx context.Context, s mentorbot.CalendarSeries, from, to time.Time) ([]mentorbot.CalendarDecline, error) {
	svc, err := g.as(s.Organizer.Email)
	if err != nil {
		return nil, err
	}
	skipped := skippedSessions(s)
	var out []mentorbot.CalendarDecline
	call := svc.Events.Instances("primary", pairKey(s.PairID)).ShowDeleted(true).
		TimeMin(from.UTC().Format(time.RFC3339)).TimeMax(to.UTC().Format(time.RFC3339))
	err = call.Pages(ctx, func(page *gcal.Events) error {
		for _, inst := range page.Items {
			if inst.OriginalStartTime == nil {
				continue
			}
			original, err := time.Parse(time.RFC3339, inst.OriginalStartTime.DateTime)
			if err != nil {
				continue
			}
			original = original.UTC()
			if inst.Status == "cancelled" {
				if !skipped[original] {
					out = append(out, mentorbot.CalendarDecline{Occurrence: original, Email: s.Organizer.Email})
				}
				continue
			}
			for _, a := range inst.Attendees {
				if a.ResponseStatus == "declined" {
					out = append(out, mentorbot.CalendarDecline{Occurrence: original, Email: a.Email})
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, g.fail(err, s.Organizer.Email)
	}
	return out, nil
}

// skippedSessions are the sessions the pair skipped, by occurrence: their
// cancelled instances are the bot's own doing, not a decline.
func skippedSessions(s mentorbot.CalendarSeries) map[time.Time]bool {
	skipped := map[time.Time]bool{}
	for _, session := range s.Sessions {
		if session.State == mentorbot.SessionSkipped {
			skipped[session.Occurrence.UTC()] = true
		}
	}
	return skipped
}
