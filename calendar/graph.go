package calendar

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/mentorbot/mentorbot"
)

// graph is Microsoft 365 through Microsoft Graph, with an app registration's
// application permission (Calendars.ReadWrite) and plain HTTP: the handful
// of calls the bot makes do not earn an SDK's weight.
type graph struct {
	base   string
	cc     *clientcredentials.Config
	hc     *http.Client
	client *http.Client // hc with the app's token
}

func newGraph(tenant, clientID, secret, base, login string, hc *http.Client) *graph {
	cc := &clientcredentials.Config{
		ClientID: clientID, ClientSecret: secret,
		TokenURL: login + url.PathEscape(tenant) + "/oauth2/v2.0/token",
		// Application permissions come as one scope: what the admin consented to.
		Scopes:    []string{"https://graph.microsoft.com/.default"},
		AuthStyle: oauth2.AuthStyleInParams,
	}
	client := cc.Client(context.WithValue(context.Background(), oauth2.HTTPClient, hc))
	client.Timeout = requestTimeout
	return &graph{base: base, cc: cc, hc: hc, client: client}
}

func (g *graph) Name() string { return "Outlook" }

// check asks the tenant's token endpoint for the app's token.
func (g *graph) check(ctx context.Context) error {
	_, err := g.cc.Token(context.WithValue(ctx, oauth2.HTTPClient, g.hc))
	if err != nil {
		return oneLine(err)
	}
	return nil
}

// blame names the variable a refused token request points at, from the
// Entra error code in its description.
func (g *graph) blame(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "AADSTS7000215"), strings.Contains(msg, "AADSTS7000222"):
		return "MENTORBOT_MS_CLIENT_SECRET" // wrong or expired secret
	case strings.Contains(msg, "AADSTS90002"), strings.Contains(msg, "AADSTS900023"):
		return "MENTORBOT_MS_TENANT" // no such tenant
	case strings.Contains(msg, "AADSTS700016"):
		return "MENTORBOT_MS_CLIENT_ID" // no such app in the tenant
	case unreachable(err) && !strings.Contains(msg, "oauth2: "):
		return "MENTORBOT_MS_LOGIN_URL"
	}
	return "MENTORBOT_MS_CLIENT_ID"
}

// graphError is Graph's error body.
type graphError struct {
	Error struct{ Code, Message string }
}

// do sends one request and decodes its answer into out; email is whose
// mailbox the call is about.
func (g *graph) do(ctx context.Context, method, path string, body, out any, email string) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, g.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	// Times come back in UTC unless asked otherwise; say so anyway.
	req.Header.Set("Prefer", `outlook.timezone="UTC"`)
	resp, err := g.client.Do(req)
	if err != nil {
		if re, ok := errors.AsType[*oauth2.RetrieveError](err); ok && re.Response != nil {
			return classify(re.Response.StatusCode, nil, oneLine(err), "", "Microsoft Entra refused the app's token ("+re.ErrorCode+")")
		}
		return classify(0, nil, err, email, "")
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return classify(0, nil, err, email, "")
	}
	if resp.StatusCode >= 300 {
		var ge graphError
		_ = json.Unmarshal(raw, &ge)
		err := fmt.Errorf("%s %s: %d %s: %s", method, path, resp.StatusCode, ge.Error.Code, ge.Error.Message)
		reason := ge.Error.Message
		switch {
		case resp.StatusCode == http.StatusNotFound && email != "":
			reason = "Microsoft 365 has no mailbox for them (" + ge.Error.Code + ")"
		case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized:
			reason = "Microsoft 365 refused the app's access (" + ge.Error.Code + ")"
		}
		return &statusError{resp.StatusCode, classify(resp.StatusCode, resp.Header, err, email, reason)}
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return nil
}

// statusError keeps the status of a refused call beside what it means.
type statusError struct {
	status int
	err    error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

func status(err error) int {
	if se, ok := errors.AsType[*statusError](err); ok {
		return se.status
	}
	return 0
}

// graphTime is Graph's dateTimeTimeZone.
type graphTime struct {
	DateTime string `json:"dateTime"`
	TimeZone string `json:"timeZone"`
}

const graphLayout = "2006-01-02T15:04:05.0000000"

func (t graphTime) utc() (time.Time, error) {
	loc, err := time.LoadLocation(t.TimeZone)
	if err != nil {
		return time.Time{}, err
	}
	at, err := time.ParseInLocation("2006-01-02T15:04:05.9999999", t.DateTime, loc)
	return at.UTC(), err
}

// Busy reads free/busy with getSchedule, through the calendar of the first
// person Graph knows among emails.
func (g *graph) Busy(ctx context.Context, emails []string, from, to time.Time) (map[string]mentorbot.BusyTimes, error) {
	out := map[string]mentorbot.BusyTimes{}
	body := map[string]any{
		"schedules":                emails,
		"startTime":                graphTime{from.UTC().Format(graphLayout), "UTC"},
		"endTime":                  graphTime{to.UTC().Format(graphLayout), "UTC"},
		"availabilityViewInterval": 15,
	}
	for _, actor := range emails {
		var resp struct {
			Value []struct {
				ScheduleID    string
				ScheduleItems []struct {
					Status     string
					Start, End graphTime
				}
				Error *struct{ Message, ResponseCode string }
			}
		}
		err := g.do(ctx, http.MethodPost, "users/"+url.PathEscape(actor)+"/calendar/getSchedule", body, &resp, actor)
		if r := mentorbot.Refusal(err); r != nil && r.Email == actor {
			out[actor] = mentorbot.BusyTimes{Refused: r}
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, v := range resp.Value {
			if _, done := out[v.ScheduleID]; done {
				continue
			}
			if v.Error != nil {
				out[v.ScheduleID] = mentorbot.BusyTimes{Refused: &mentorbot.CalendarRefusal{Email: v.ScheduleID, Reason: "Microsoft 365 has no calendar for them (" + v.Error.ResponseCode + ")"}}
				continue
			}
			var busy []mentorbot.Interval
			for _, item := range v.ScheduleItems {
				if item.Status == "free" || item.Status == "workingElsewhere" {
					continue
				}
				start, err1 := item.Start.utc()
				end, err2 := item.End.utc()
				if err1 == nil && err2 == nil {
					busy = append(busy, mentorbot.Interval{Start: start, End: end})
				}
			}
			out[v.ScheduleID] = mentorbot.BusyTimes{Busy: busy}
		}
		return out, nil
	}
	return out, nil
}

// WriteSeries creates the series in the senior's mailbox with the pair's
// transactionId, so a create retried after a crash returns the event
// made the first time, or updates the event written before; then moves
// and cancels the instances that changed.
func (g *graph) WriteSeries(ctx context.Context, s mentorbot.CalendarSeries) (string, error) {
	user := "users/" + url.PathEscape(s.Organizer.Email) + "/events"
	email := s.Organizer.Email
	if s.Cancelled {
		if s.EventID == "" {
			return "", nil
		}
		err := g.do(ctx, http.MethodPost, user+"/"+url.PathEscape(s.EventID)+"/cancel", map[string]string{"comment": "These mentoring sessions have ended."}, nil, email)
		if status(err) == http.StatusNotFound && mentorbot.Refusal(err) != nil {
			return s.EventID, g.mailboxThere(ctx, s.Organizer.Email)
		}
		return s.EventID, err
	}
	ev, err := graphEvent(s)
	if err != nil {
		return "", &mentorbot.CalendarRefusal{Reason: err.Error()}
	}
	var written struct{ ID string }
	id := s.EventID
	if id != "" {
		err = g.keepAttendees(ctx, user, id, ev)
		if err == nil {
			err = g.do(ctx, http.MethodPatch, user+"/"+url.PathEscape(id), ev, &written, email)
		}
		if status(err) == http.StatusNotFound {
			if err := g.mailboxThere(ctx, s.Organizer.Email); err != nil {
				return "", err
			}
			id = "" // deleted in Outlook: made again
		} else if err != nil {
			return "", err
		}
	}
	if id == "" {
		ev["transactionId"] = pairKey(s.PairID)
		if err := g.do(ctx, http.MethodPost, user, ev, &written, email); err != nil {
			return "", err
		}
		id = written.ID
	}
	if err := g.writeInstances(ctx, user, id, s); err != nil {
		return id, err
	}
	return id, nil
}

// keepAttendees leaves the attendees out of an update when they are who
// the event has already: setting them again would ask them again.
func (g *graph) keepAttendees(ctx context.Context, user, id string, ev map[string]any) error {
	var cur struct {
		Attendees []struct{ EmailAddress struct{ Address string } }
	}
	if err := g.do(ctx, http.MethodGet, user+"/"+url.PathEscape(id)+"?$select=attendees", nil, &cur, ""); err != nil {
		return err
	}
	want := ev["attendees"].([]map[string]any)
	if len(cur.Attendees) != len(want) {
		return nil
	}
	for i, a := range want {
		address := a["emailAddress"].(map[string]string)["address"]
		if !strings.EqualFold(cur.Attendees[i].EmailAddress.Address, address) {
			return nil
		}
	}
	delete(ev, "attendees")
	return nil
}

// mailboxThere tells a missing event from a missing mailbox: nil when the
// person's calendar answers.
func (g *graph) mailboxThere(ctx context.Context, email string) error {
	return g.do(ctx, http.MethodGet, "users/"+url.PathEscape(email)+"/calendar?$select=id", nil, nil, email)
}

// writeInstances moves and cancels the series' instances as the sessions
// say; an instance already cancelled is no longer listed and is left be.
func (g *graph) writeInstances(ctx context.Context, user, id string, s mentorbot.CalendarSeries) error {
	var changed []mentorbot.Session
	for _, session := range s.Sessions {
		if session.State == mentorbot.SessionSkipped || session.Revision > 0 {
			changed = append(changed, session)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	list, err := g.instances(ctx, user, id, s)
	if err != nil {
		return err
	}
	instances := map[time.Time]string{}
	for _, inst := range list {
		instances[inst.OriginalStart.UTC()] = inst.ID
	}
	loc := s.Slot.Location()
	for _, session := range changed {
		inst, ok := instances[session.Occurrence.UTC()]
		if !ok {
			continue // cancelled already
		}
		path := user + "/" + url.PathEscape(inst)
		var err error
		if session.State == mentorbot.SessionSkipped {
			err = g.do(ctx, http.MethodPost, path+"/cancel", map[string]string{"comment": "This session is off."}, nil, s.Organizer.Email)
		} else {
			err = g.do(ctx, http.MethodPatch, path, map[string]any{
				"start": graphTime{session.StartsAt.In(loc).Format(graphLayout), loc.String()},
				"end":   graphTime{session.EndsAt.In(loc).Format(graphLayout), loc.String()},
			}, nil, s.Organizer.Email)
		}
		if err != nil && status(err) != http.StatusNotFound {
			return err
		}
	}
	return nil
}

var graphOrdinals = map[int]string{1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}

// graphEvent is the series as Graph's event: private, busy, with a
// patternedRecurrence at the slot's wall time in the senior's zone.
func graphEvent(s mentorbot.CalendarSeries) (map[string]any, error) {
	wall, ok := s.Slot.WallStart()
	if !ok {
		return nil, errors.New("the pair's slot has no sessions left")
	}
	zone := s.Slot.Location().String()
	day := strings.ToLower(wall.Weekday().String())
	pattern := map[string]any{"type": "weekly", "interval": 1, "daysOfWeek": []string{day}, "firstDayOfWeek": "monday"}
	switch s.Slot.Cadence {
	case mentorbot.CadenceWeekly:
	case mentorbot.CadenceFortnightly:
		pattern["interval"] = 2
	case mentorbot.CadenceMonthly:
		pattern = map[string]any{"type": "relativeMonthly", "interval": 1, "daysOfWeek": []string{day}, "index": graphOrdinals[s.Slot.MonthlyOrdinal()]}
	default:
		return nil, errors.New("the slot has no known cadence: " + string(s.Slot.Cadence))
	}
	attendees := []map[string]any{}
	if s.Attendee.Email != "" {
		attendees = append(attendees, map[string]any{"type": "required", "emailAddress": map[string]string{"address": s.Attendee.Email, "name": s.Attendee.Name}})
	}
	return map[string]any{
		"subject": mentorbot.CalendarTitle,
		"body":    map[string]string{"contentType": "text", "content": mentorbot.CalendarDescription},
		"start":   graphTime{wall.Format(graphLayout), zone},
		"end":     graphTime{wall.Add(s.Slot.Length).Format(graphLayout), zone},
		"recurrence": map[string]any{
			"pattern": pattern,
			"range": map[string]string{
				"type": "endDate", "startDate": wall.Format(time.DateOnly),
				"endDate": s.Slot.Until.Format(time.DateOnly), "recurrenceTimeZone": zone,
			},
		},
		"sensitivity": "private", "showAs": "busy", "attendees": attendees,
		"allowNewTimeProposals": false, "responseRequested": true, "isReminderOn": false,
	}, nil
}

// graphInstance is an occurrence of the series as Graph lists it.
type graphInstance struct {
	ID            string
	OriginalStart time.Time
	Attendees     []struct {
		EmailAddress struct{ Address string }
		Status       struct{ Response string }
	}
}

// instances lists the series' occurrences over the whole slot, cancelled
// ones left out, as Graph does.
func (g *graph) instances(ctx context.Context, user, id string, s mentorbot.CalendarSeries) ([]graphInstance, error) {
	first, _ := s.Slot.Session(0)
	next := user + "/" + url.PathEscape(id) + "/instances?" + url.Values{
		"startDateTime": {first.Add(-24 * time.Hour).Format(time.RFC3339)},
		"endDateTime":   {s.Slot.LastMoment().Add(24 * time.Hour).Format(time.RFC3339)},
		"$select":       {"id,originalStart,attendees"},
	}.Encode()
	var out []graphInstance
	for next != "" {
		var page struct {
			Value    []graphInstance
			NextLink string `json:"@odata.nextLink"`
		}
		if err := g.do(ctx, http.MethodGet, next, nil, &page, s.Organizer.Email); err != nil {
			return nil, err
		}
		out = append(out, page.Value...)
		next = strings.TrimPrefix(page.NextLink, g.base)
	}
	return out, nil
}

// Declines reads the series' instances: an attendee's declined answer, or
// a session the senior removed from their calendar (Graph lists it no
// more) that the bot did not skip.
func (g *graph) Declines(ctx context.Context, s mentorbot.CalendarSeries, from, to time.Time) ([]mentorbot.CalendarDecline, error) {
	if s.EventID == "" {
		return nil, nil
	}
	user := "users/" + url.PathEscape(s.Organizer.Email) + "/events"
	list, err := g.instances(ctx, user, s.EventID, s)
	if err != nil {
		return nil, err
	}
	listed := map[time.Time]bool{}
	var out []mentorbot.CalendarDecline
	for _, inst := range list {
		original := inst.OriginalStart.UTC()
		listed[original] = true
		if original.Before(from) || !original.Before(to) {
			continue
		}
		for _, a := range inst.Attendees {
			if a.Status.Response == "declined" {
				out = append(out, mentorbot.CalendarDecline{Occurrence: original, Email: strings.ToLower(a.EmailAddress.Address)})
			}
		}
	}
	skipped := skippedSessions(s)
	for _, session := range s.Sessions {
		o := session.Occurrence.UTC()
		if !listed[o] && !skipped[o] && !o.Before(from) && o.Before(to) {
			out = append(out, mentorbot.CalendarDecline{Occurrence: o, Email: s.Organizer.Email})
		}
	}
	return out, nil
}
