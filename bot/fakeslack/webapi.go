package fakeslack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// apiRequest gives uniform access to form and JSON request bodies: slack-go
// posts most methods as forms (blocks as a JSON string) and views.* as JSON.
type apiRequest struct {
	method string
	form   url.Values
	fields map[string]json.RawMessage // JSON bodies
	raw    []byte
}

// str returns a string parameter, accepting JSON strings, numbers and bools.
func (r *apiRequest) str(key string) string {
	if r.fields == nil {
		return r.form.Get(key)
	}
	v, ok := r.fields[key]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	if string(v) == "null" {
		return ""
	}
	return string(v)
}

// object returns a parameter holding JSON (an object in a JSON body, or a
// JSON-encoded string in a form).
func (r *apiRequest) object(key string) (json.RawMessage, bool) {
	if r.fields == nil {
		if !r.form.Has(key) {
			return nil, false
		}
		return json.RawMessage(r.form.Get(key)), true
	}
	v, ok := r.fields[key]
	if !ok || string(v) == "null" {
		return nil, false
	}
	// A JSON body may still carry the object as a string.
	var s string
	if json.Unmarshal(v, &s) == nil {
		return json.RawMessage(s), true
	}
	return v, true
}

func (r *apiRequest) has(key string) bool {
	if r.fields == nil {
		return r.form.Has(key)
	}
	_, ok := r.fields[key]
	return ok
}

// apiResponse is a Slack answer: a JSON body, usually with HTTP 200.
type apiResponse map[string]any

func okResponse(fields apiResponse) apiResponse {
	out := apiResponse{"ok": true}
	for k, v := range fields {
		out[k] = v
	}
	return out
}

func errorResponse(code string) apiResponse {
	return apiResponse{"ok": false, "error": code}
}

// apiMethod handles one Web API method under s.mu.
type apiMethod struct {
	token   string // the token the method requires
	handler func(s *Server, r *apiRequest) apiResponse
}

var apiMethods = map[string]apiMethod{
	"auth.test":                    {BotToken, (*Server).authTest},
	"apps.connections.open":        {AppToken, (*Server).appsConnectionsOpen},
	"chat.postMessage":             {BotToken, (*Server).chatPostMessage},
	"chat.postEphemeral":           {BotToken, (*Server).chatPostEphemeral},
	"chat.update":                  {BotToken, (*Server).chatUpdate},
	"conversations.open":           {BotToken, (*Server).conversationsOpen},
	"users.info":                   {BotToken, (*Server).usersInfo},
	"files.getUploadURLExternal":   {BotToken, (*Server).filesGetUploadURLExternal},
	"files.completeUploadExternal": {BotToken, (*Server).filesCompleteUploadExternal},
	"views.open":                   {BotToken, (*Server).viewsOpen},
	"views.push":                   {BotToken, (*Server).viewsPush},
	"views.update":                 {BotToken, (*Server).viewsUpdate},
	"views.publish":                {BotToken, (*Server).viewsPublish},
}

// handleAPI serves /api/<method>.
func (s *Server) handleAPI(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	req, token, err := readAPIRequest(method, r)
	call := Call{Method: method, At: s.now()}
	if req.fields != nil {
		call.JSON = req.raw
	} else {
		call.Params = cloneValues(req.form)
		call.Params.Del("token")
	}

	s.mu.Lock()
	defer s.mu.Unlock()

	if fault := s.takeFaultLocked(method, call.At); fault != nil && fault.Error != "" {
		call.Status, call.Error = http.StatusOK, fault.Error
		s.recordCallLocked(call)
		resp := errorResponse(fault.Error)
		resp["response_metadata"] = map[string]any{"messages": fault.Messages}
		writeJSON(w, http.StatusOK, resp)
		return
	} else if fault != nil {
		s.failLocked(w, call, fault.Status, fault.RetryAfter)
		return
	}
	if wait, limited := s.rateLimitLocked(req, call.At); limited {
		s.failLocked(w, call, http.StatusTooManyRequests, wait)
		return
	}

	var resp apiResponse
	m, known := apiMethods[method]
	switch {
	case !known:
		s.violateLocked("web api: unknown method %q", method)
		resp = errorResponse("unknown_method")
	case err != nil:
		resp = errorResponse("invalid_form_data")
	case token == "":
		resp = errorResponse("not_authed")
	case token != m.token:
		resp = errorResponse("invalid_auth")
	default:
		resp = m.handler(s, req)
	}
	call.Status = http.StatusOK
	if resp["ok"] != true {
		call.Error, _ = resp["error"].(string)
	}
	s.recordCallLocked(call)
	writeJSON(w, http.StatusOK, resp)
}

// readAPIRequest parses a form or JSON body and finds the token, which
// slack-go sends as a Bearer header (JSON, GET) or a "token" form field.
func readAPIRequest(method string, r *http.Request) (*apiRequest, string, error) {
	req := &apiRequest{method: method, form: url.Values{}}
	body, err := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	if err != nil {
		return req, "", err
	}
	req.raw = body
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType == "application/json" {
		req.fields = map[string]json.RawMessage{}
		if len(bytes.TrimSpace(body)) > 0 {
			if err := json.Unmarshal(body, &req.fields); err != nil {
				return req, "", err
			}
		}
	} else {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return req, "", err
		}
		req.form = form
		for k, vs := range r.URL.Query() {
			for _, v := range vs {
				req.form.Add(k, v)
			}
		}
	}
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if token == "" {
		token = req.form.Get("token")
	}
	return req, token, nil
}

// takeFaultLocked returns the fault the call of method at now must answer
// with, if FailNext queued one that applies to it.
func (s *Server) takeFaultLocked(method string, now time.Time) *Fault {
	queue := s.faults[method]
	for len(queue) > 0 && !queue[0].until.IsZero() && now.After(queue[0].until) {
		queue = queue[1:] // a storm that blew over
	}
	s.faults[method] = queue
	if len(queue) == 0 {
		return nil
	}
	fault := queue[0]
	fault.calls++
	if fault.OneIn > 1 && (fault.calls-1)%fault.OneIn != 0 {
		return nil
	}
	if fault.until.IsZero() {
		if fault.Times--; fault.Times <= 0 {
			s.faults[method] = queue[1:]
		}
	}
	return fault
}

// failLocked answers a call that does nothing: 429 with Retry-After in whole
// seconds (at least 1, as Slack never asks for less), or a 5xx.
func (s *Server) failLocked(w http.ResponseWriter, call Call, status int, retryAfter time.Duration) {
	call.Status = status
	if status == http.StatusTooManyRequests {
		call.Error = "ratelimited"
		s.ratelimited[call.Method]++
		s.recordCallLocked(call)
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(retryAfter.Seconds())))))
		writeJSON(w, status, errorResponse("ratelimited"))
		return
	}
	s.recordCallLocked(call)
	// Slack answers 5xx with HTML, which slack-go does not parse.
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, "<html><body>%d %s</body></html>", status, http.StatusText(status))
}

func (s *Server) recordCallLocked(c Call) {
	s.calls = append(s.calls, c)
	s.broadcastLocked()
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// invalidArguments answers a request whose arguments break Slack's rules,
// as views.* and files.* do.
func (s *Server) invalidArguments(method string, problems []problem) apiResponse {
	return s.refuseLocked(method, "invalid_arguments", problems)
}

// refuseLocked answers a request that broke Slack's rules the way Slack
// does, each problem as "[ERROR] what [json-pointer:where]" in
// response_metadata.messages (chat.* also list them bare in "errors"), and
// records each as a violation.
func (s *Server) refuseLocked(method, code string, problems []problem) apiResponse {
	messages := make([]string, len(problems))
	errs := make([]string, len(problems))
	for i, p := range problems {
		errs[i] = fmt.Sprintf("%s [json-pointer:%s]", p.message, p.pointer)
		messages[i] = "[ERROR] " + errs[i]
		s.violateLocked("%s: %s (at %s)", method, p.message, p.pointer)
	}
	resp := apiResponse{
		"ok":                false,
		"error":             code,
		"response_metadata": map[string]any{"messages": messages},
	}
	if code == "invalid_blocks" {
		resp["errors"] = errs
	}
	return resp
}

func (s *Server) authTest(*apiRequest) apiResponse {
	return okResponse(apiResponse{
		"url":     "https://" + TeamDomain + ".slack.com/",
		"team":    "Fake Slack",
		"user":    "mentorbot",
		"team_id": TeamID,
		"user_id": BotUserID,
		"bot_id":  BotID,
	})
}

func (s *Server) appsConnectionsOpen(*apiRequest) apiResponse {
	ticket := strconv.Itoa(s.nextLocked())
	s.tickets[ticket] = false
	wsURL := "ws" + strings.TrimPrefix(s.baseURL, "http") + "/socket?ticket=" + ticket
	return okResponse(apiResponse{"url": wsURL})
}

func (s *Server) usersInfo(r *apiRequest) apiResponse {
	id := r.str("user")
	u, ok := s.users[id]
	if id == BotUserID {
		u, ok = User{ID: BotUserID, Name: "mentorbot", RealName: "Mentorbot", IsBot: true}, true
	}
	if !ok {
		return errorResponse("user_not_found")
	}
	return okResponse(apiResponse{"user": userJSON(u)})
}

// userJSON renders a user as users.info does.
func userJSON(u User) map[string]any {
	profile := map[string]any{
		"real_name":               u.RealName,
		"real_name_normalized":    u.RealName,
		"display_name":            u.Name,
		"display_name_normalized": u.Name,
		"team":                    TeamID,
	}
	if u.Email != "" {
		profile["email"] = u.Email
	}
	out := map[string]any{
		"id":        u.ID,
		"team_id":   TeamID,
		"name":      u.Name,
		"deleted":   false,
		"real_name": u.RealName,
		"is_bot":    u.IsBot,
		"updated":   1_700_000_000,
		"profile":   profile,
	}
	if u.TZ != "" {
		out["tz"] = u.TZ
		if loc, err := time.LoadLocation(u.TZ); err == nil {
			name, offset := time.Now().In(loc).Zone()
			out["tz_label"] = name
			out["tz_offset"] = offset
		}
	}
	return out
}

// resolveChannelLocked maps what a bot may pass as "channel" to a channel ID:
// a user ID means the DM with that user.
func (s *Server) resolveChannelLocked(channel string) (string, bool) {
	switch {
	case channel == "":
		return "", false
	case strings.HasPrefix(channel, "U") || strings.HasPrefix(channel, "W"):
		if _, ok := s.users[channel]; !ok {
			return "", false
		}
		return "D" + channel, true
	case strings.HasPrefix(channel, "D"):
		_, ok := s.users[strings.TrimPrefix(channel, "D")]
		return channel, ok
	case strings.HasPrefix(channel, "G"):
		_, ok := s.groupMembers[channel]
		return channel, ok
	case strings.HasPrefix(channel, "C"):
		return channel, true
	}
	return "", false
}

// channelMembersLocked lists who sees a channel, when the fake knows it.
func (s *Server) channelMembersLocked(channel string) []string {
	if strings.HasPrefix(channel, "D") {
		return []string{strings.TrimPrefix(channel, "D")}
	}
	return s.groupMembers[channel]
}

func (s *Server) conversationsOpen(r *apiRequest) apiResponse {
	if existing := r.str("channel"); existing != "" {
		id, ok := s.resolveChannelLocked(existing)
		if !ok {
			return errorResponse("channel_not_found")
		}
		return okResponse(apiResponse{"channel": map[string]any{"id": id}, "no_op": true, "already_open": true})
	}
	var users []string
	for u := range strings.SplitSeq(r.str("users"), ",") {
		if u = strings.TrimSpace(u); u != "" && !slices.Contains(users, u) {
			users = append(users, u)
		}
	}
	if len(users) == 0 {
		return errorResponse("users_list_not_supplied")
	}
	if len(users) > 8 {
		return errorResponse("too_many_users")
	}
	for _, u := range users {
		if _, ok := s.users[u]; !ok {
			return errorResponse("user_not_found")
		}
	}
	if len(users) == 1 {
		return okResponse(apiResponse{"channel": map[string]any{"id": "D" + users[0]}})
	}
	slices.Sort(users)
	key := strings.Join(users, ",")
	id, ok := s.groupDMs[key]
	if !ok {
		id = fmt.Sprintf("G%09d", s.nextLocked())
		s.groupDMs[key] = id
		s.groupMembers[id] = users
	}
	return okResponse(apiResponse{"channel": map[string]any{"id": id, "is_mpim": true}, "already_open": ok})
}
