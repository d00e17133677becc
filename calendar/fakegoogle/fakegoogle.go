// Package fakegoogle is a fake Google Calendar API on 127.0.0.1 for tests
// and the demo: a service-account token endpoint that checks the signed
// assertion and domain-wide delegation, free/busy, and the events calls
// mentorbot makes, refusing what Google refuses (bad event IDs, a
// duplicate ID, a recurring event without a time zone, a scope not
// granted, a person the domain does not have).
package fakegoogle

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/mentorbot/mentorbot/calendar/fakecal"
)

// Scopes the fake knows, as the admin console grants them.
const (
	ScopeEvents   = "https://www.googleapis.com/auth/calendar.events"
	ScopeFreeBusy = "https://www.googleapis.com/auth/calendar.freebusy"
	ScopeCalendar = "https://www.googleapis.com/auth/calendar"
)

// serviceAccount is the fake's one service account.
const serviceAccount = "mentorbot@mentorbot-test.iam.gserviceaccount.com"

// Server is a running fake Google Calendar.
type Server struct {
	*fakecal.Calendar
	url    string
	stop   func()
	key    *rsa.PrivateKey
	keyID  string
	tokens fakecal.Tokens
	// granted are the scopes domain-wide delegation grants the account.
	granted []string
}

// New starts a fake on 127.0.0.1 whose delegation grants the scopes given,
// or mentorbot's two narrow ones when none are.
func New(granted ...string) (*Server, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	if len(granted) == 0 {
		granted = []string{ScopeEvents, ScopeFreeBusy}
	}
	s := &Server{Calendar: fakecal.New(), key: key, keyID: "fake-key-1", granted: granted}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", s.token)
	mux.HandleFunc("POST /calendar/v3/freeBusy", s.api(ScopeFreeBusy, false, s.freeBusy))
	mux.HandleFunc("POST /calendar/v3/calendars/{cal}/events", s.api(ScopeEvents, true, s.insert))
	mux.HandleFunc("PUT /calendar/v3/calendars/{cal}/events/{id}", s.api(ScopeEvents, true, s.update))
	mux.HandleFunc("PATCH /calendar/v3/calendars/{cal}/events/{id}", s.api(ScopeEvents, true, s.patch))
	mux.HandleFunc("DELETE /calendar/v3/calendars/{cal}/events/{id}", s.api(ScopeEvents, true, s.delete))
	mux.HandleFunc("GET /calendar/v3/calendars/{cal}/events/{id}", s.api(ScopeEvents, false, s.get))
	mux.HandleFunc("GET /calendar/v3/calendars/{cal}/events/{id}/instances", s.api(ScopeEvents, false, s.instances))
	if s.url, s.stop, err = fakecal.Listen(mux); err != nil {
		return nil, err
	}
	return s, nil
}

// Close stops the server.
func (s *Server) Close() { s.stop() }

// APIURL is the Calendar API's base URL, for MENTORBOT_GOOGLE_API_URL.
func (s *Server) APIURL() string { return s.url + "/calendar/v3/" }

// KeyFile is a service-account key whose token_uri is the fake's, for
// MENTORBOT_GOOGLE_CREDENTIALS.
func (s *Server) KeyFile() []byte {
	return s.keyFile(s.key)
}

// WriteKeyFile writes KeyFile into dir and returns its path.
func (s *Server) WriteKeyFile(dir string) (string, error) {
	path := filepath.Join(dir, "google-key.json")
	return path, os.WriteFile(path, s.KeyFile(), 0o600)
}

// ForeignKeyFile is a well-formed key the fake never issued: its tokens
// are refused, as Google refuses a deleted key.
func (s *Server) ForeignKeyFile() []byte {
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return s.keyFile(other)
}

func (s *Server) keyFile(key *rsa.PrivateKey) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		panic(err)
	}
	b, _ := json.MarshalIndent(map[string]string{
		"type": "service_account", "project_id": "mentorbot-test", "private_key_id": s.keyID,
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": serviceAccount, "client_id": "1000000000000000000001",
		"token_uri": s.url + "/token", "auth_uri": "https://accounts.google.com/o/oauth2/auth",
	}, "", "  ")
	return b
}

// TokensIssued counts the access tokens handed out.
func (s *Server) TokensIssued() int { return s.tokens.Issued() }

// tokenError answers as Google's token endpoint does.
func tokenError(w http.ResponseWriter, status int, code, description string) {
	fakecal.WriteJSON(w, status, map[string]string{"error": code, "error_description": description})
}

// token grants an access token for a signed JWT assertion, acting as its
// sub when it has one, as domain-wide delegation does.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "Invalid grant_type.")
		return
	}
	claims, err := s.verify(r.PostForm.Get("assertion"))
	if err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_grant", err.Error())
		return
	}
	scopes := strings.Fields(claims.Scope)
	if len(scopes) == 0 {
		tokenError(w, http.StatusBadRequest, "invalid_scope", "Empty or missing scope not allowed.")
		return
	}
	if claims.Sub != "" {
		if !s.Known(claims.Sub) {
			tokenError(w, http.StatusBadRequest, "invalid_grant", "Invalid email or User ID")
			return
		}
		for _, scope := range scopes {
			if !slices.Contains(s.granted, scope) {
				tokenError(w, http.StatusUnauthorized, "unauthorized_client", "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.")
				return
			}
		}
	}
	token := s.tokens.Issue("ya29.fake-", fakecal.Grant{Subject: claims.Sub, Scopes: scopes})
	fakecal.WriteJSON(w, http.StatusOK, map[string]any{"access_token": token, "token_type": "Bearer", "expires_in": 3599})
}

type jwtClaims struct {
	Iss, Scope, Aud, Sub string
	Exp, Iat             int64
}

// verify checks an assertion is signed with the account's key, for the
// fake's token endpoint, and in date.
func (s *Server) verify(assertion string) (jwtClaims, error) {
	var c jwtClaims
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		return c, fmt.Errorf("Invalid JWT: not three parts")
	}
	var header struct{ Alg, Kid string }
	if err := decodePart(parts[0], &header); err != nil || header.Alg != "RS256" {
		return c, fmt.Errorf("Invalid JWT header")
	}
	if err := decodePart(parts[1], &c); err != nil {
		return c, fmt.Errorf("Invalid JWT claims")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return c, fmt.Errorf("Invalid JWT signature")
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if header.Kid != s.keyID || rsa.VerifyPKCS1v15(&s.key.PublicKey, crypto.SHA256, sum[:], sig) != nil {
		return c, fmt.Errorf("Invalid JWT Signature.")
	}
	now := time.Now().Unix()
	switch {
	case c.Iss != serviceAccount:
		return c, fmt.Errorf("Invalid issuer")
	case c.Aud != s.url+"/token":
		return c, fmt.Errorf("Invalid JWT: audience")
	case c.Exp < now || c.Iat > now+300 || c.Exp-c.Iat > 3600:
		return c, fmt.Errorf("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.")
	}
	return c, nil
}

func decodePart(part string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// request is one API call as a handler sees it.
type request struct {
	r     *http.Request
	grant fakecal.Grant
	state *fakecal.State
}

// wire writes Google's error bodies.
var wire = fakecal.Wire{
	Error: func(e *fakecal.APIError) any {
		return map[string]any{"error": map[string]any{
			"code": e.Status, "message": e.Message,
			"errors": []map[string]string{{"domain": "global", "reason": e.Code, "message": e.Message}},
		}}
	},
	FaultCode: func(status int) string {
		if status == http.StatusTooManyRequests {
			return "rateLimitExceeded"
		}
		return "backendError"
	},
}

// api checks the bearer token and its scope, applies a storm, and runs h
// under the calendar's lock.
func (s *Server) api(scope string, write bool, h func(req request) (int, any, *fakecal.APIError)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		grant, ok := s.tokens.Lookup(fakecal.Bearer(r))
		if !ok {
			wire.Refuse(w, fakecal.Fail(http.StatusUnauthorized, "authError", "Request had invalid authentication credentials."))
			return
		}
		if !slices.Contains(grant.Scopes, scope) && !slices.Contains(grant.Scopes, ScopeCalendar) {
			wire.Refuse(w, fakecal.Fail(http.StatusForbidden, "insufficientPermissions", "Request had insufficient authentication scopes."))
			return
		}
		s.Serve(w, r, write, wire, func(st *fakecal.State) (int, any, *fakecal.APIError) { return h(request{r, grant, st}) })
	}
}

// owner is whose calendar a request names: "primary" is the person the
// token acts as, who may write only their own.
func (req request) owner() (string, *fakecal.APIError) {
	cal := req.r.PathValue("cal")
	if req.grant.Subject == "" {
		return "", fakecal.Fail(http.StatusForbidden, "forbidden", "The service account has no calendar here; act as a user.")
	}
	if cal == "primary" || cal == req.grant.Subject {
		return req.grant.Subject, nil
	}
	return "", fakecal.Fail(http.StatusNotFound, "notFound", "Not Found")
}

// event is the acting user's event the path names.
func (req request) event() (*fakecal.Event, *fakecal.APIError) {
	owner, aerr := req.owner()
	if aerr != nil {
		return nil, aerr
	}
	e := req.state.Find(owner, req.r.PathValue("id"))
	if e == nil {
		return nil, fakecal.Fail(http.StatusNotFound, "notFound", "Not Found")
	}
	return e, nil
}

type timePeriod struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

func (s *Server) freeBusy(req request) (int, any, *fakecal.APIError) {
	var body struct {
		TimeMin, TimeMax string
		Items            []struct{ ID string }
	}
	if err := json.NewDecoder(req.r.Body).Decode(&body); err != nil {
		return 0, nil, fakecal.Fail(http.StatusBadRequest, "parseError", "Parse Error")
	}
	from, err1 := time.Parse(time.RFC3339, body.TimeMin)
	to, err2 := time.Parse(time.RFC3339, body.TimeMax)
	switch {
	case err1 != nil || err2 != nil:
		return 0, nil, fakecal.Fail(http.StatusBadRequest, "invalid", "Invalid timeMin or timeMax.")
	case !from.Before(to):
		return 0, nil, fakecal.Fail(http.StatusBadRequest, "timeRangeEmpty", "The specified time range is empty.")
	case len(body.Items) > 50:
		return 0, nil, fakecal.Fail(http.StatusBadRequest, "tooManyCalendarsRequested", "Too many calendars requested.")
	}
	calendars := map[string]any{}
	for _, item := range body.Items {
		if !req.state.Mailbox(item.ID) {
			calendars[item.ID] = map[string]any{"busy": []any{}, "errors": []map[string]string{{"domain": "global", "reason": "notFound"}}}
			continue
		}
		busy := []timePeriod{}
		for _, b := range req.state.Busy(item.ID, from, to) {
			busy = append(busy, timePeriod{b.Start.Format(time.RFC3339), b.End.Format(time.RFC3339)})
		}
		calendars[item.ID] = map[string]any{"busy": busy}
	}
	return http.StatusOK, map[string]any{"kind": "calendar#freeBusy", "timeMin": body.TimeMin, "timeMax": body.TimeMax, "calendars": calendars}, nil
}

// eventBody is the part of Google's Event resource the fake reads and writes.
type eventBody struct {
	ID                string         `json:"id,omitempty"`
	ICalUID           string         `json:"iCalUID,omitempty"`
	Status            string         `json:"status,omitempty"`
	Summary           string         `json:"summary,omitempty"`
	Description       string         `json:"description,omitempty"`
	Visibility        string         `json:"visibility,omitempty"`
	Transparency      string         `json:"transparency,omitempty"`
	Start             *eventTime     `json:"start,omitempty"`
	End               *eventTime     `json:"end,omitempty"`
	OriginalStartTime *eventTime     `json:"originalStartTime,omitempty"`
	RecurringEventID  string         `json:"recurringEventId,omitempty"`
	Recurrence        []string       `json:"recurrence,omitempty"`
	Attendees         []attendeeBody `json:"attendees,omitempty"`
	Organizer         *attendeeBody  `json:"organizer,omitempty"`
}

type eventTime struct {
	DateTime string `json:"dateTime,omitempty"`
	TimeZone string `json:"timeZone,omitempty"`
}

type attendeeBody struct {
	Email          string `json:"email,omitempty"`
	DisplayName    string `json:"displayName,omitempty"`
	ResponseStatus string `json:"responseStatus,omitempty"`
	Organizer      bool   `json:"organizer,omitempty"`
}

// idPattern is what Google allows in a client-chosen event ID: base32hex.
var idPattern = regexp.MustCompile(`^[a-v0-9]+$`)

func (s *Server) insert(req request) (int, any, *fakecal.APIError) {
	owner, aerr := req.owner()
	if aerr != nil {
		return 0, nil, aerr
	}
	var body eventBody
	if err := json.NewDecoder(req.r.Body).Decode(&body); err != nil {
		return 0, nil, fakecal.Fail(http.StatusBadRequest, "parseError", "Parse Error")
	}
	if body.ID != "" && (len(body.ID) < 5 || len(body.ID) > 1024 || !idPattern.MatchString(body.ID)) {
		return 0, nil, fakecal.Fail(http.StatusBadRequest, "invalid", "Invalid resource id value.")
	}
	if body.ID != "" && req.state.Find(owner, body.ID) != nil {
		return 0, nil, fakecal.Fail(http.StatusConflict, "duplicate", "The requested identifier already exists.")
	}
	e := &fakecal.Event{ID: body.ID, Owner: owner}
	if aerr := fill(e, body); aerr != nil {
		return 0, nil, aerr
	}
	req.state.Add(e)
	return http.StatusOK, render(e), nil
}

func (s *Server) update(req request) (int, any, *fakecal.APIError) {
	e, aerr := req.event()
	if aerr != nil {
		return 0, nil, aerr
	}
	var body eventBody
	if err := json.NewDecoder(req.r.Body).Decode(&body); err != nil {
		return 0, nil, fakecal.Fail(http.StatusBadRequest, "parseError", "Parse Error")
	}
	next := *e
	if aerr := fill(&next, body); aerr != nil {
		return 0, nil, aerr
	}
	next.Cancelled = body.Status == "cancelled"
	next.Saved++
	*e = next
	return http.StatusOK, render(e), nil
}

// instanceOf finds the series and the occurrence an instance ID names:
// the series' ID, "_", and the original start in UTC.
func instanceOf(st *fakecal.State, owner, id string) (*fakecal.Event, fakecal.Instance, bool) {
	base, stamp, ok := strings.Cut(id, "_")
	if !ok {
		return nil, fakecal.Instance{}, false
	}
	e := st.Find(owner, base)
	original, err := time.Parse("20060102T150405Z", stamp)
	if e == nil || err != nil {
		return nil, fakecal.Instance{}, false
	}
	inst, ok := e.Instance(original)
	return e, inst, ok
}

func (s *Server) patch(req request) (int, any, *fakecal.APIError) {
	owner, aerr := req.owner()
	if aerr != nil {
		return 0, nil, aerr
	}
	e, inst, ok := instanceOf(req.state, owner, req.r.PathValue("id"))
	if !ok {
		return 0, nil, fakecal.Fail(http.StatusNotFound, "notFound", "Not Found")
	}
	var body eventBody
	if err := json.NewDecoder(req.r.Body).Decode(&body); err != nil {
		return 0, nil, fakecal.Fail(http.StatusBadRequest, "parseError", "Parse Error")
	}
	if body.Start != nil || body.End != nil {
		start, err1 := parseTime(body.Start)
		end, err2 := parseTime(body.End)
		if err1 != nil || err2 != nil {
			return 0, nil, fakecal.Fail(http.StatusBadRequest, "invalid", "Invalid start or end time.")
		}
		if !end.After(start) {
			return 0, nil, fakecal.Fail(http.StatusBadRequest, "timeRangeEmpty", "The specified time range is empty.")
		}
		if !start.Equal(inst.Start) || !end.Equal(inst.End) {
			// A new time asks the attendees again, as Google does.
			inst.Declined = nil
		}
		inst.Start, inst.End = start, end
	}
	if body.Status == "cancelled" {
		inst.Cancelled = true
	}
	e.Override(inst)
	return http.StatusOK, renderInstance(e, inst), nil
}

func (s *Server) delete(req request) (int, any, *fakecal.APIError) {
	owner, aerr := req.owner()
	if aerr != nil {
		return 0, nil, aerr
	}
	id := req.r.PathValue("id")
	if e := req.state.Find(owner, id); e != nil {
		if e.Cancelled {
			return 0, nil, fakecal.Fail(http.StatusGone, "deleted", "Resource has been deleted")
		}
		e.Cancelled = true
		e.Saved++
		return http.StatusNoContent, nil, nil
	}
	e, inst, ok := instanceOf(req.state, owner, id)
	if !ok {
		return 0, nil, fakecal.Fail(http.StatusNotFound, "notFound", "Not Found")
	}
	if inst.Cancelled {
		return 0, nil, fakecal.Fail(http.StatusGone, "deleted", "Resource has been deleted")
	}
	inst.Cancelled = true
	e.Override(inst)
	return http.StatusNoContent, nil, nil
}

func (s *Server) get(req request) (int, any, *fakecal.APIError) {
	e, aerr := req.event()
	if aerr != nil {
		return 0, nil, aerr
	}
	return http.StatusOK, render(e), nil
}

func (s *Server) instances(req request) (int, any, *fakecal.APIError) {
	e, aerr := req.event()
	if aerr != nil {
		return 0, nil, aerr
	}
	q := req.r.URL.Query()
	from, to := time.Time{}, e.Start.AddDate(5, 0, 0)
	var err error
	if v := q.Get("timeMin"); v != "" {
		if from, err = time.Parse(time.RFC3339, v); err != nil {
			return 0, nil, fakecal.Fail(http.StatusBadRequest, "invalid", "Invalid timeMin.")
		}
	}
	if v := q.Get("timeMax"); v != "" {
		if to, err = time.Parse(time.RFC3339, v); err != nil {
			return 0, nil, fakecal.Fail(http.StatusBadRequest, "invalid", "Invalid timeMax.")
		}
	}
	items := []eventBody{}
	for _, inst := range e.Instances(from, to) {
		if inst.Cancelled && q.Get("showDeleted") != "true" {
			continue
		}
		items = append(items, renderInstance(e, inst))
	}
	return http.StatusOK, map[string]any{"kind": "calendar#events", "items": items}, nil
}

// fill sets e from a written event, refusing what Google refuses.
func fill(e *fakecal.Event, body eventBody) *fakecal.APIError {
	if body.Start == nil || body.End == nil {
		return fakecal.Fail(http.StatusBadRequest, "required", "Missing end time.")
	}
	start, err1 := parseTime(body.Start)
	end, err2 := parseTime(body.End)
	if err1 != nil || err2 != nil {
		return fakecal.Fail(http.StatusBadRequest, "invalid", "Invalid start or end time.")
	}
	if !end.After(start) {
		return fakecal.Fail(http.StatusBadRequest, "timeRangeEmpty", "The specified time range is empty.")
	}
	switch body.Visibility {
	case "", "default", "public", "private", "confidential":
	default:
		return fakecal.Fail(http.StatusBadRequest, "invalid", "Invalid visibility value.")
	}
	e.Rule = nil
	if len(body.Recurrence) > 0 {
		if body.Start.TimeZone == "" {
			return fakecal.Fail(http.StatusBadRequest, "invalid", "Missing time zone definition for start time.")
		}
		for _, line := range body.Recurrence {
			rule, err := parseRule(line)
			if err != nil {
				return fakecal.Fail(http.StatusBadRequest, "invalid", "Invalid recurrence rule.")
			}
			if rule != nil {
				e.Rule = rule
			}
		}
	}
	e.Zone = time.UTC
	if body.Start.TimeZone != "" {
		e.Zone, _ = time.LoadLocation(body.Start.TimeZone)
	}
	e.Start, e.End = start, end
	e.Title, e.Body, e.Private = body.Summary, body.Description, body.Visibility == "private"
	// The attendees are set anew, with the answers the body gives, as an
	// update does.
	e.Attendees = nil
	for _, a := range body.Attendees {
		if a.Email == "" {
			return fakecal.Fail(http.StatusBadRequest, "required", "Missing attendee email.")
		}
		response := cmpOr(a.ResponseStatus, "needsAction")
		if a.Email == e.Owner {
			response = "accepted"
		}
		e.Attendees = append(e.Attendees, fakecal.Attendee{Email: a.Email, Name: a.DisplayName, Response: response})
	}
	return nil
}

func cmpOr(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// parseTime reads an event time: RFC 3339, or a wall time in its zone.
func parseTime(t *eventTime) (time.Time, error) {
	if t == nil {
		return time.Time{}, fmt.Errorf("missing")
	}
	if at, err := time.Parse(time.RFC3339, t.DateTime); err == nil {
		return at.UTC(), nil
	}
	loc, err := time.LoadLocation(t.TimeZone)
	if err != nil || t.TimeZone == "" {
		return time.Time{}, fmt.Errorf("no zone")
	}
	at, err := time.ParseInLocation("2006-01-02T15:04:05", t.DateTime, loc)
	return at.UTC(), err
}

// parseRule reads the RRULE lines mentorbot writes; EXDATE and RDATE lines
// are accepted and left alone. Anything else is refused.
func parseRule(line string) (*fakecal.Rule, error) {
	name, value, ok := strings.Cut(line, ":")
	switch {
	case !ok:
		return nil, fmt.Errorf("no colon")
	case strings.HasPrefix(name, "EXDATE") || strings.HasPrefix(name, "RDATE"):
		return nil, nil
	case name != "RRULE":
		return nil, fmt.Errorf("unknown line")
	}
	return ParseRRule(value)
}

// ParseRRule reads FREQ=WEEKLY or MONTHLY with BYDAY, INTERVAL and a UTC
// UNTIL, the rules mentorbot writes.
func ParseRRule(value string) (*fakecal.Rule, error) {
	rule := &fakecal.Rule{Interval: 1}
	var byday string
	for part := range strings.SplitSeq(value, ";") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "FREQ":
			if v != "WEEKLY" && v != "MONTHLY" {
				return nil, fmt.Errorf("FREQ %s", v)
			}
			rule.Monthly = v == "MONTHLY"
		case "INTERVAL":
			if _, err := fmt.Sscanf(v, "%d", &rule.Interval); err != nil || rule.Interval < 1 {
				return nil, fmt.Errorf("INTERVAL %s", v)
			}
		case "BYDAY":
			byday = v
		case "UNTIL":
			until, err := time.Parse("20060102T150405Z", v)
			if err != nil {
				return nil, fmt.Errorf("UNTIL %s", v)
			}
			rule.Until = until
		default:
			return nil, fmt.Errorf("part %s", k)
		}
	}
	if len(byday) < 2 || rule.Until.IsZero() {
		return nil, fmt.Errorf("BYDAY and UNTIL are needed")
	}
	day := slices.Index([]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}, byday[len(byday)-2:])
	if day < 0 {
		return nil, fmt.Errorf("BYDAY %s", byday)
	}
	rule.Weekday = time.Weekday(day)
	if prefix := byday[:len(byday)-2]; prefix != "" {
		if _, err := fmt.Sscanf(prefix, "%d", &rule.Ordinal); err != nil || !rule.Monthly {
			return nil, fmt.Errorf("BYDAY %s", byday)
		}
	} else if rule.Monthly {
		return nil, fmt.Errorf("a monthly rule needs its ordinal")
	}
	return rule, nil
}

func render(e *fakecal.Event) eventBody {
	status := "confirmed"
	if e.Cancelled {
		status = "cancelled"
	}
	visibility := "default"
	if e.Private {
		visibility = "private"
	}
	b := eventBody{
		ID: e.ID, Status: status, Summary: e.Title, Description: e.Body, Visibility: visibility,
		Start:     &eventTime{DateTime: e.Start.In(e.Zone).Format(time.RFC3339), TimeZone: e.Zone.String()},
		End:       &eventTime{DateTime: e.End.In(e.Zone).Format(time.RFC3339), TimeZone: e.Zone.String()},
		Organizer: &attendeeBody{Email: e.Owner},
	}
	for _, a := range e.Attendees {
		b.Attendees = append(b.Attendees, attendeeBody{Email: a.Email, DisplayName: a.Name, ResponseStatus: a.Response, Organizer: a.Email == e.Owner})
	}
	return b
}

func renderInstance(e *fakecal.Event, inst fakecal.Instance) eventBody {
	b := render(e)
	b.ID = e.ID + "_" + inst.Original.Format("20060102T150405Z")
	b.RecurringEventID = e.ID
	b.OriginalStartTime = &eventTime{DateTime: inst.Original.Format(time.RFC3339), TimeZone: e.Zone.String()}
	b.Start = &eventTime{DateTime: inst.Start.In(e.Zone).Format(time.RFC3339), TimeZone: e.Zone.String()}
	b.End = &eventTime{DateTime: inst.End.In(e.Zone).Format(time.RFC3339), TimeZone: e.Zone.String()}
	if inst.Cancelled {
		b.Status = "cancelled"
	}
	for i := range b.Attendees {
		if slices.Contains(inst.Declined, b.Attendees[i].Email) {
			b.Attendees[i].ResponseStatus = "declined"
		}
	}
	return b
}
