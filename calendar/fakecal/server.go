package fakecal

import (
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Listen serves h on a free port of 127.0.0.1 and returns its base URL
// and a function that stops it.
func Listen(h http.Handler) (url string, stop func(), err error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h}
	var wg sync.WaitGroup
	wg.Go(func() { _ = srv.Serve(l) })
	return "http://" + l.Addr().String(), func() { _ = srv.Close(); wg.Wait() }, nil
}

// WriteJSON answers with v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Bearer is the access token a request carries, or "".
func Bearer(r *http.Request) string {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return ""
	}
	return token
}

// Tokens are the access tokens a fake's token endpoint handed out, with
// what each may do.
type Tokens struct {
	mu     sync.Mutex
	grants map[string]Grant
	n      int
}

// Grant is what an access token stands for.
type Grant struct {
	Subject string   // the person acted as; "" for the app itself
	Scopes  []string // what it may do
}

// Issue makes a new access token for g.
func (t *Tokens) Issue(prefix string, g Grant) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.grants == nil {
		t.grants = map[string]Grant{}
	}
	t.n++
	token := prefix + strconv.Itoa(t.n)
	t.grants[token] = g
	return token
}

// Lookup returns the grant of an access token.
func (t *Tokens) Lookup(token string) (Grant, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	g, ok := t.grants[token]
	return g, ok
}

// Issued counts the tokens handed out.
func (t *Tokens) Issued() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n
}

// APIError is a fake API's refusal, written in that API's own format.
type APIError struct {
	Status        int
	Code, Message string
}

// Fail is a refusal with this status, the API's code for it and its message.
func Fail(status int, code, message string) *APIError { return &APIError{status, code, message} }

// Wire is how a fake writes its API's answers.
type Wire struct {
	// Error is the body of a refusal.
	Error func(*APIError) any
	// FaultCode is the code the API gives a throttled (429) or failed
	// (5xx) request.
	FaultCode func(status int) string
}

// Refuse answers with the refusal in the wire's format.
func (wire Wire) Refuse(w http.ResponseWriter, e *APIError) { WriteJSON(w, e.Status, wire.Error(e)) }

// Serve runs one request's work under the calendar's lock, after any
// injected fault, and answers: a fault as the API's throttling or outage
// error (with Retry-After), a refusal, or the body as JSON (only the
// status when there is none).
func (c *Calendar) Serve(w http.ResponseWriter, r *http.Request, write bool, wire Wire, work func(*State) (int, any, *APIError)) {
	var body any
	var refused *APIError
	status, fault := c.Do(r, write, func(st *State) int {
		var status int
		if status, body, refused = work(st); refused != nil {
			return refused.Status
		}
		return status
	})
	switch {
	case fault != nil:
		if fault.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(fault.RetryAfter))
		}
		wire.Refuse(w, Fail(fault.Status, wire.FaultCode(fault.Status), http.StatusText(fault.Status)))
	case refused != nil:
		wire.Refuse(w, refused)
	case body == nil:
		w.WriteHeader(status)
	default:
		WriteJSON(w, status, body)
	}
}
