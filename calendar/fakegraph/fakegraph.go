// Package fakegraph is a fake Microsoft Graph on 127.0.0.1 for tests and
// the demo: the tenant's token endpoint for client credentials, and the
// calendar calls mentorbot makes (getSchedule, events with
// patternedRecurrence, instances, cancel), refusing what Graph refuses (an
// unknown tenant, app or secret, a permission not consented, a mailbox the
// tenant does not have, a recurrence whose range does not start with the
// event, a transactionId changed).
package fakegraph

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbot/mentorbot/calendar/fakecal"
)

// The fake's app registration.
const (
	Tenant       = "0a1b2c3d-0000-4000-8000-00000000abcd"
	ClientID     = "11111111-2222-4333-8444-555555555555"
	ClientSecret = "fake~secret.value"
	graphScope   = "https://graph.microsoft.com/.default"
)

// Server is a running fake Graph.
type Server struct {
	*fakecal.Calendar
	url    string
	stop   func()
	tokens fakecal.Tokens
	// roles are the application permissions the admin consented to.
	roles []string
}

// New starts a fake whose app has the application permissions given, or
// Calendars.ReadWrite when none are.
func New(roles ...string) (*Server, error) {
	if len(roles) == 0 {
		roles = []string{"Calendars.ReadWrite"}
	}
	s := &Server{Calendar: fakecal.New(), roles: roles}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login/{tenant}/oauth2/v2.0/token", s.token)
	mux.HandleFunc("POST /v1.0/users/{user}/calendar/getSchedule", s.api(false, s.getSchedule))
	mux.HandleFunc("GET /v1.0/users/{user}/calendar", s.api(false, s.calendar))
	mux.HandleFunc("POST /v1.0/users/{user}/events", s.api(true, s.create))
	mux.HandleFunc("GET /v1.0/users/{user}/events/{id}", s.api(false, s.get))
	mux.HandleFunc("PATCH /v1.0/users/{user}/events/{id}", s.api(true, s.update))
	mux.HandleFunc("POST /v1.0/users/{user}/events/{id}/cancel", s.api(true, s.cancel))
	mux.HandleFunc("GET /v1.0/users/{user}/events/{id}/instances", s.api(false, s.instances))
	var err error
	if s.url, s.stop, err = fakecal.Listen(mux); err != nil {
		return nil, err
	}
	return s, nil
}

// Close stops the server.
func (s *Server) Close() { s.stop() }

// GraphURL is Graph's base, for MENTORBOT_MS_GRAPH_URL.
func (s *Server) GraphURL() string { return s.url + "/v1.0/" }

// LoginURL is the token endpoint's base, for MENTORBOT_MS_LOGIN_URL.
func (s *Server) LoginURL() string { return s.url + "/login/" }

// TokensIssued counts the access tokens handed out.
func (s *Server) TokensIssued() int { return s.tokens.Issued() }

func tokenError(w http.ResponseWriter, status int, code, description string) {
	fakecal.WriteJSON(w, status, map[string]any{"error": code, "error_description": description, "error_codes": []int{}})
}

// token grants the app a token for client credentials, as Entra does.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.")
		return
	}
	f := r.PostForm
	switch {
	case r.PathValue("tenant") != Tenant:
		tokenError(w, http.StatusBadRequest, "invalid_request", fmt.Sprintf("AADSTS90002: Tenant '%s' not found.", r.PathValue("tenant")))
	case f.Get("client_id") != ClientID:
		tokenError(w, http.StatusBadRequest, "unauthorized_client", fmt.Sprintf("AADSTS700016: Application with identifier '%s' was not found in the directory.", f.Get("client_id")))
	case f.Get("client_secret") != ClientSecret:
		tokenError(w, http.StatusUnauthorized, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
	case f.Get("scope") != graphScope:
		tokenError(w, http.StatusBadRequest, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.")
	default:
		token := s.tokens.Issue("eyJ0eXAiOiJKV1Qi.fake-", fakecal.Grant{Scopes: s.roles})
		fakecal.WriteJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": 3599, "access_token": token})
	}
}

type request struct {
	r     *http.Request
	state *fakecal.State
	user  string
}

// wire writes Graph's error bodies.
var wire = fakecal.Wire{
	Error: func(e *fakecal.APIError) any {
		return map[string]any{"error": map[string]string{"code": e.Code, "message": e.Message}}
	},
	FaultCode: func(status int) string {
		if status == http.StatusTooManyRequests {
			return "ApplicationThrottled"
		}
		return "ServiceNotAvailable"
	},
}

// api checks the token, its role and the mailbox, applies a storm, and
// runs h under the calendar's lock.
func (s *Server) api(write bool, h func(req request) (int, any, *fakecal.APIError)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		grant, ok := s.tokens.Lookup(fakecal.Bearer(r))
		if !ok {
			wire.Refuse(w, fakecal.Fail(http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty."))
			return
		}
		allowed := slices.Contains(grant.Scopes, "Calendars.ReadWrite") || (!write && slices.Contains(grant.Scopes, "Calendars.Read"))
		s.Serve(w, r, write, wire, func(st *fakecal.State) (int, any, *fakecal.APIError) {
			switch user := strings.ToLower(r.PathValue("user")); {
			case !allowed:
				return 0, nil, fakecal.Fail(http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
			case !st.Mailbox(user):
				return 0, nil, fakecal.Fail(http.StatusNotFound, "ErrorInvalidUser", fmt.Sprintf("The requested user '%s' is invalid.", user))
			default:
				return h(request{r, st, user})
			}
		})
	}
}

type graphTime struct {
	DateTime string `json:"dateTime"`
	TimeZone string `json:"timeZone"`
}

func (t *graphTime) utc() (time.Time, error) {
	if t == nil {
		return time.Time{}, fmt.Errorf("missing")
	}
	loc, err := time.LoadLocation(t.TimeZone)
	if err != nil || t.TimeZone == "" {
		return time.Time{}, fmt.Errorf("time zone %q", t.TimeZone)
	}
	at, err := time.ParseInLocation("2006-01-02T15:04:05.9999999", t.DateTime, loc)
	return at.UTC(), err
}

func utcTime(t time.Time) graphTime {
	return graphTime{t.UTC().Format("2006-01-02T15:04:05.0000000"), "UTC"}
}

func (s *Server) getSchedule(req request) (int, any, *fakecal.APIError) {
	var body struct {
		Schedules          []string
		StartTime, EndTime *graphTime
	}
	if err := json.NewDecoder(req.r.Body).Decode(&body); err != nil {
		return 0, nil, fakecal.Fail(http.StatusBadRequest, "BadRequest", "Unable to read JSON request payload.")
	}
	from, err1 := body.StartTime.utc()
	to, err2 := body.EndTime.utc()
	switch {
	case err1 != nil || err2 != nil:
		return 0, nil, fakecal.Fail(http.StatusBadRequest, "ErrorInvalidRequest", "startTime and endTime need a dateTime and a timeZone.")
	case !from.Before(to) || to.Sub(from) > 62*24*time.Hour:
		return 0, nil, fakecal.Fail(http.StatusBadRequest, "ErrorInvalidTimeInterval", "The time interval must be positive and at most 62 days.")
	case len(body.Schedules) == 0 || len(body.Schedules) > 100:
		return 0, nil, fakecal.Fail(http.StatusBadRequest, "ErrorInvalidRequest", "Give 1 to 100 schedules.")
	}
	var value []map[string]any
	for _, id := range body.Schedules {
		id = strings.ToLower(id)
		if !req.state.Mailbox(id) {
			value = append(value, map[string]any{"scheduleId": id, "error": map[string]string{
				"message": "The specified object was not found in the store.", "responseCode": "ErrorMailRecipientNotFound"}})
			continue
		}
		items := []map[string]any{}
		for _, b := range req.state.Busy(id, from, to) {
			items = append(items, map[string]any{"status": "busy", "start": utcTime(b.Start), "end": utcTime(b.End)})
		}
		value = append(value, map[string]any{"scheduleId": id, "scheduleItems": items})
	}
	return http.StatusOK, map[string]any{"value": value}, nil
}

func (s *Server) calendar(req request) (int, any, *fakecal.APIError) {
	return http.StatusOK, map[string]string{"id": "calendar-" + req.user}, nil
}

// eventBody is the part of Graph's event the fake reads.
type eventBody struct {
	Subject     *string
	Body        *struct{ ContentType, Content string }
	Start, End  *graphTime
	Recurrence  *recurrence
	Sensitivity *string
	ShowAs      *string
	Attendees   *[]struct {
		EmailAddress struct{ Address, Name string }
	}
	TransactionID *string
}

type recurrence struct {
	Pattern struct {
		Type       string
		Interval   int
		DaysOfWeek []string
		Index      string
	}
	Range struct {
		Type, StartDate, EndDate, RecurrenceTimeZone string
	}
}

var weekdays = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

var indexes = map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}

// rule reads a patternedRecurrence the fake can expand, refusing what
// Graph refuses.
func (rec *recurrence) rule(start time.Time, zone *time.Location) (*fakecal.Rule, *fakecal.APIError) {
	bad := func(msg string) (*fakecal.Rule, *fakecal.APIError) {
		return nil, fakecal.Fail(http.StatusBadRequest, "ErrorInvalidRecurrence", msg)
	}
	p, rg := rec.Pattern, rec.Range
	if p.Interval < 1 || len(p.DaysOfWeek) != 1 {
		return bad("The recurrence pattern needs an interval of 1 or more and its day of the week.")
	}
	day := slices.Index(weekdays, strings.ToLower(p.DaysOfWeek[0]))
	if day < 0 {
		return bad("Unknown day of the week: " + p.DaysOfWeek[0])
	}
	rule := &fakecal.Rule{Interval: p.Interval, Weekday: time.Weekday(day)}
	switch p.Type {
	case "weekly":
	case "relativeMonthly":
		ordinal, ok := indexes[p.Index]
		if !ok || p.Interval != 1 {
			return bad("A relativeMonthly pattern needs its index: first, second, third, fourth or last.")
		}
		rule.Monthly, rule.Ordinal = true, ordinal
	case "daily", "absoluteMonthly", "absoluteYearly", "relativeYearly":
		return bad("The fake does not expand " + p.Type + " patterns.")
	default:
		return bad("Unknown recurrence pattern type: " + p.Type)
	}
	loc := zone
	if rg.RecurrenceTimeZone != "" {
		var err error
		if loc, err = time.LoadLocation(rg.RecurrenceTimeZone); err != nil {
			return bad("Unknown recurrenceTimeZone.")
		}
	}
	from, err1 := time.Parse(time.DateOnly, rg.StartDate)
	until, err2 := time.Parse(time.DateOnly, rg.EndDate)
	switch {
	case rg.Type != "endDate":
		return bad("The fake expands endDate ranges only.")
	case err1 != nil || err2 != nil || until.Before(from):
		return bad("The recurrence range needs a startDate and an endDate on or after it.")
	case rg.StartDate != start.In(zone).Format(time.DateOnly):
		return bad("The recurrence range must start on the event's start date.")
	case start.In(zone).Weekday() != rule.Weekday:
		return bad("The event's start is not on the pattern's day of the week.")
	}
	rule.Until = time.Date(until.Year(), until.Month(), until.Day()+1, 0, 0, 0, 0, loc).Add(-time.Second).UTC()
	return rule, nil
}

// fill sets e from a written event, refusing what Graph refuses.
func fill(e *fakecal.Event, b eventBody, creating bool) *fakecal.APIError {
	if b.Start != nil || b.End != nil || creating {
		start, err1 := b.Start.utc()
		end, err2 := b.End.utc()
		if err1 != nil || err2 != nil {
			return fakecal.Fail(http.StatusBadRequest, "ErrorInvalidRequest", "start and end need a dateTime and a known timeZone.")
		}
		if !end.After(start) {
			return fakecal.Fail(http.StatusBadRequest, "ErrorInvalidRequest", "The event's end must be after its start.")
		}
		e.Start, e.End = start, end
		e.Zone, _ = time.LoadLocation(b.Start.TimeZone)
	}
	if b.Recurrence != nil {
		rule, aerr := b.Recurrence.rule(e.Start, e.Zone)
		if aerr != nil {
			return aerr
		}
		e.Rule = rule
	}
	if b.Sensitivity != nil {
		if !slices.Contains([]string{"normal", "personal", "private", "confidential"}, *b.Sensitivity) {
			return fakecal.Fail(http.StatusBadRequest, "ErrorInvalidRequest", "Invalid sensitivity.")
		}
		e.Private = *b.Sensitivity == "private"
	}
	if b.ShowAs != nil && !slices.Contains([]string{"free", "tentative", "busy", "oof", "workingElsewhere", "unknown"}, *b.ShowAs) {
		return fakecal.Fail(http.StatusBadRequest, "ErrorInvalidRequest", "Invalid showAs.")
	}
	if b.Subject != nil {
		e.Title = *b.Subject
	}
	if b.Body != nil {
		e.Body = b.Body.Content
	}
	if b.Attendees != nil {
		// Attendees set again are asked again.
		e.Attendees = nil
		for _, a := range *b.Attendees {
			if a.EmailAddress.Address == "" {
				return fakecal.Fail(http.StatusBadRequest, "ErrorInvalidRecipients", "An attendee needs an email address.")
			}
			email := strings.ToLower(a.EmailAddress.Address)
			e.Attendees = append(e.Attendees, fakecal.Attendee{Email: email, Name: a.EmailAddress.Name, Response: "none"})
		}
	}
	return nil
}

func (s *Server) create(req request) (int, any, *fakecal.APIError) {
	var b eventBody
	if err := json.NewDecoder(req.r.Body).Decode(&b); err != nil {
		return 0, nil, fakecal.Fail(http.StatusBadRequest, "BadRequest", "Unable to read JSON request payload.")
	}
	if b.TransactionID != nil {
		// Graph's answer to a create retried with the same transactionId:
		// the event made the first time.
		if e := req.state.FindKey(req.user, *b.TransactionID); e != nil && !e.Cancelled {
			return http.StatusCreated, render(e), nil
		}
	}
	e := &fakecal.Event{Owner: req.user}
	if b.TransactionID != nil {
		e.Key = *b.TransactionID
	}
	if aerr := fill(e, b, true); aerr != nil {
		return 0, nil, aerr
	}
	req.state.Add(e)
	return http.StatusCreated, render(e), nil
}

// instanceID names an occurrence of a series.
func instanceID(e *fakecal.Event, original time.Time) string {
	return e.ID + "-i" + strconv.FormatInt(original.Unix(), 10)
}

// find returns the series or occurrence an ID names in the mailbox.
func find(st *fakecal.State, user, id string) (*fakecal.Event, *fakecal.Instance) {
	if e := st.Find(user, id); e != nil {
		return e, nil
	}
	base, stamp, ok := strings.Cut(id, "-i")
	if !ok {
		return nil, nil
	}
	e := st.Find(user, base)
	unix, err := strconv.ParseInt(stamp, 10, 64)
	if e == nil || err != nil {
		return nil, nil
	}
	inst, ok := e.Instance(time.Unix(unix, 0).UTC())
	if !ok || inst.Cancelled {
		return nil, nil
	}
	return e, &inst
}

func notFound() *fakecal.APIError {
	return fakecal.Fail(http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")
}

func (s *Server) update(req request) (int, any, *fakecal.APIError) {
	e, inst := find(req.state, req.user, req.r.PathValue("id"))
	if e == nil || e.Cancelled {
		return 0, nil, notFound()
	}
	var b eventBody
	if err := json.NewDecoder(req.r.Body).Decode(&b); err != nil {
		return 0, nil, fakecal.Fail(http.StatusBadRequest, "BadRequest", "Unable to read JSON request payload.")
	}
	if b.TransactionID != nil && *b.TransactionID != e.Key {
		return 0, nil, fakecal.Fail(http.StatusBadRequest, "ErrorInvalidRequest", "The transactionId of an event cannot be changed.")
	}
	if inst != nil {
		start, err1 := b.Start.utc()
		end, err2 := b.End.utc()
		if err1 != nil || err2 != nil || !end.After(start) {
			return 0, nil, fakecal.Fail(http.StatusBadRequest, "ErrorInvalidRequest", "start and end need a dateTime and a known timeZone, end after start.")
		}
		if !start.Equal(inst.Start) || !end.Equal(inst.End) {
			inst.Declined = nil // a new time asks the attendees again
		}
		inst.Start, inst.End = start, end
		e.Override(*inst)
		return http.StatusOK, renderInstance(e, *inst), nil
	}
	next := *e
	if aerr := fill(&next, b, false); aerr != nil {
		return 0, nil, aerr
	}
	next.Saved++
	*e = next
	return http.StatusOK, render(e), nil
}

func (s *Server) get(req request) (int, any, *fakecal.APIError) {
	e, inst := find(req.state, req.user, req.r.PathValue("id"))
	if e == nil || e.Cancelled {
		return 0, nil, notFound()
	}
	if inst != nil {
		return http.StatusOK, renderInstance(e, *inst), nil
	}
	return http.StatusOK, render(e), nil
}

func (s *Server) cancel(req request) (int, any, *fakecal.APIError) {
	e, inst := find(req.state, req.user, req.r.PathValue("id"))
	if e == nil || e.Cancelled {
		return 0, nil, notFound()
	}
	if e.Owner != req.user {
		return 0, nil, fakecal.Fail(http.StatusBadRequest, "ErrorInvalidRequest", "Your request can't be completed. You need to be an organizer to cancel a meeting.")
	}
	if inst != nil {
		inst.Cancelled = true
		e.Override(*inst)
	} else {
		e.Cancelled = true
		e.Saved++
	}
	return http.StatusAccepted, nil, nil
}

func (s *Server) instances(req request) (int, any, *fakecal.APIError) {
	e := req.state.Find(req.user, req.r.PathValue("id"))
	if e == nil || e.Cancelled {
		return 0, nil, notFound()
	}
	q := req.r.URL.Query()
	from, err1 := time.Parse(time.RFC3339, q.Get("startDateTime"))
	to, err2 := time.Parse(time.RFC3339, q.Get("endDateTime"))
	if err1 != nil || err2 != nil {
		return 0, nil, fakecal.Fail(http.StatusBadRequest, "ErrorInvalidParameter", "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.")
	}
	value := []map[string]any{}
	for _, inst := range e.Instances(from, to) {
		if !inst.Cancelled {
			value = append(value, renderInstance(e, inst))
		}
	}
	return http.StatusOK, map[string]any{"value": value}, nil
}

func render(e *fakecal.Event) map[string]any {
	sensitivity := "normal"
	if e.Private {
		sensitivity = "private"
	}
	var attendees []map[string]any
	for _, a := range e.Attendees {
		attendees = append(attendees, map[string]any{
			"type": "required", "emailAddress": map[string]string{"address": a.Email, "name": a.Name},
			"status": map[string]string{"response": a.Response},
		})
	}
	out := map[string]any{
		"id": e.ID, "subject": e.Title, "sensitivity": sensitivity, "isCancelled": e.Cancelled,
		"start": utcTime(e.Start), "end": utcTime(e.End), "attendees": attendees, "type": "singleInstance",
		"organizer": map[string]any{"emailAddress": map[string]string{"address": e.Owner}},
	}
	if e.Key != "" {
		out["transactionId"] = e.Key
	}
	if e.Rule != nil {
		out["type"] = "seriesMaster"
	}
	return out
}

func renderInstance(e *fakecal.Event, inst fakecal.Instance) map[string]any {
	out := render(e)
	out["id"], out["seriesMasterId"], out["type"] = instanceID(e, inst.Original), e.ID, "occurrence"
	out["originalStart"] = inst.Original.UTC().Format(time.RFC3339)
	out["start"], out["end"] = utcTime(inst.Start), utcTime(inst.End)
	if inst.Start != inst.Original {
		out["type"] = "exception"
	}
	if attendees, ok := out["attendees"].([]map[string]any); ok {
		for _, a := range attendees {
			if slices.Contains(inst.Declined, a["emailAddress"].(map[string]string)["address"]) {
				a["status"] = map[string]string{"response": "declined"}
			}
		}
	}
	return out
}
