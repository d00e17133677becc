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
