// Package fakeslack is a fake Slack for end-to-end tests and the offline demo.
//
// The real slack-go clients talk to it: slack.Client over the Web API (pass
// APIURL to slack.OptionAPIURL) and socketmode.Client over a websocket. It keeps
// what each person and channel would see, enforces the Slack rules a bot can
// break (Block Kit's rules, trigger expiry, ack deadlines, and rate limits
// when asked to), flags text a person typed that comes back as live mrkdwn,
// and lets tests act as a person: type a slash command, click a button,
// submit a modal.
//
// Everything is kept under one mutex; every change wakes WaitUntil.
package fakeslack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	// users.info must resolve any IANA zone, even without a system zoneinfo.
	_ "time/tzdata"
)

// Tokens the fake accepts. Bot methods need BotToken; apps.connections.open
// needs AppToken.
const (
	BotToken = "xoxb-fake-bot-token"
	AppToken = "xapp-fake-app-token"
)

// Identities of the fake workspace and of the bot the tokens belong to.
const (
	TeamID     = "T0FAKETEAM"
	TeamDomain = "fakeslack"
	AppID      = "A0FAKEAPP"
	BotUserID  = "U0FAKEBOT"
	BotID      = "B0FAKEBOT"
)

// Slack's deadlines, as the fake enforces them.
const (
	// ackDeadline is how long Slack waits for an ack before telling the person
	// something went wrong; later acks are violations.
	ackDeadline = 3 * time.Second
	// ackWaitLimit is how long Deliver waits before giving up on an ack.
	ackWaitLimit = 5 * time.Second
)

// Option configures a Server.
type Option func(*Server)

// WithPingInterval sets how often the server pings each websocket (default 2s).
// The socketmode client drops a connection that goes unpinged for 30s.
func WithPingInterval(d time.Duration) Option {
	return func(s *Server) { s.pingInterval = d }
}

// WithTriggerTTL sets how long a trigger_id stays usable (default 3s, as in Slack).
func WithTriggerTTL(d time.Duration) Option {
	return func(s *Server) { s.triggerTTL = d }
}

// WithClock makes the server tell the time by now instead of the
// machine's clock, for a test that moves time for the bot: when calls
// come (Call.At, rate limits), how long a storm lasts and when a trigger
// expires follow it. Socket Mode keeps the machine's time, as acks are
// about how fast the bot really answers.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.now = now }
}

// User is a member of the fake workspace.
type User struct {
	ID       string
	Name     string
	RealName string
	TZ       string // IANA name; "" allowed
	Email    string // users.info shows it as profile.email; "" leaves it out
	IsBot    bool
}

// Call is one Web API call as the server saw and answered it.
type Call struct {
	Method string
	Params url.Values      // form posts, without the token
	JSON   json.RawMessage // JSON posts
	Status int             // HTTP status answered
	Error  string          // Slack "error" when ok:false
	At     time.Time
}

// Fault makes a Web API method fail instead of working.
type Fault struct {
	Status int // HTTP status; 429 adds Retry-After; 0 means 500
	// Error makes the call answer HTTP 200 with {"ok":false,"error":Error}
	// and Messages as response_metadata.messages, as Slack refuses a
	// request for what it holds; Status is then ignored.
	Error      string
	Messages   []string
	RetryAfter time.Duration // rounded up to whole seconds (at least 1) for the header
	Times      int           // how many calls fail; 0 means 1
	// For makes a storm: calls fail for this long after FailNext, however
	// many there are, instead of Times calls.
	For time.Duration
	// OneIn fails only the first of every OneIn calls, letting the others
	// work; 0 or 1 fails each.
	OneIn int

	until time.Time // the end of a storm
	calls int       // calls seen, for OneIn
}

// Entry is one line of a person's transcript.
type Entry struct {
	At time.Time
	// Kind is one of "typed", "clicked", "submitted", "closed", "opened-home",
	// "dm", "group", "file", "ephemeral", "modal", "modal-update",
	// "modal-errors", "home".
	Kind string
	Text string
}

// Server is the fake Slack. Create it with New and stop it with Close.
type Server struct {
	pingInterval time.Duration
	triggerTTL   time.Duration
	ackDeadline  time.Duration    // Slack's; internal tests shorten it
	now          func() time.Time // the time of calls, storms and triggers

	listener   net.Listener
	httpServer *http.Server
	baseURL    string // http://127.0.0.1:PORT

	// wg counts every goroutine the server started or is serving, so Close can
	// wait for all of them.
	wg       sync.WaitGroup
	closedCh chan struct{}

	mu      sync.Mutex
	closed  bool
	changed chan struct{} // closed and replaced on every state change

	users       map[string]User
	people      map[string]*Person
	transcripts map[string][]Entry

	channels      map[string][]*messageRecord // by channel ID, oldest first
	ephemerals    map[string][]*messageRecord // by user ID, oldest first
	groupDMs      map[string]string           // sorted member list -> channel ID
	groupMembers  map[string][]string         // channel ID -> members
	lastTSMicros  int64
	responseHooks map[string]*responseHook
	// messageCounts counts the messages in channels: "" all of them, and
	// each metadata event type its own, so a load test can poll cheaply.
	messageCounts map[string]int
	files         map[string]*fileRecord // by file ID

	modalStacks map[string][]*viewRecord // by user ID, bottom first
	homes       map[string]*viewRecord   // by user ID
	triggers    map[string]*trigger

	calls       []Call
	faults      map[string][]*Fault // by method, in the order they will fire
	limiter     *rateLimiter        // nil: no rate limits
	ratelimited map[string]int      // 429s answered, by method
	violations  []string
	// typedSequences holds the <…> sequences people typed, which the bot
	// must not send back live.
	typedSequences map[string]bool

	// Socket Mode.
	tickets map[string]bool // ticket -> already used
	conns   map[*socketConn]bool
	// ready holds the connections that got hello, in that order; envelopes
	// go round robin over them, ready[turn] next.
	ready       []*socketConn
	turn        int
	connections int
	sent        map[string]*sentEnvelope // by envelope ID, latest attempt
	acks        []Ack

	counter int // source of every generated ID
}

// New starts a fake Slack on 127.0.0.1 with a random port.
func New(opts ...Option) *Server {
	s := &Server{
		pingInterval:   2 * time.Second,
		triggerTTL:     3 * time.Second,
		ackDeadline:    ackDeadline,
		now:            time.Now,
		closedCh:       make(chan struct{}),
		changed:        make(chan struct{}),
		users:          map[string]User{},
		people:         map[string]*Person{},
		transcripts:    map[string][]Entry{},
		channels:       map[string][]*messageRecord{},
		ephemerals:     map[string][]*messageRecord{},
		groupDMs:       map[string]string{},
		groupMembers:   map[string][]string{},
		lastTSMicros:   1_700_000_000_000_000,
		responseHooks:  map[string]*responseHook{},
		messageCounts:  map[string]int{},
		files:          map[string]*fileRecord{},
		modalStacks:    map[string][]*viewRecord{},
		homes:          map[string]*viewRecord{},
		triggers:       map[string]*trigger{},
		faults:         map[string][]*Fault{},
		ratelimited:    map[string]int{},
		typedSequences: map[string]bool{},
		tickets:        map[string]bool{},
		conns:          map[*socketConn]bool{},
		sent:           map[string]*sentEnvelope{},
	}
	for _, opt := range opts {
		opt(s)
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("fakeslack: listen: %v", err))
	}
	s.listener = listener
	s.baseURL = "http://" + listener.Addr().String()

	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.handleAPI)
	mux.HandleFunc("/socket", s.handleSocket)
	mux.HandleFunc("/response/", s.handleResponseURL)
	mux.HandleFunc(uploadPath, s.handleUpload)
	s.httpServer = &http.Server{Handler: s.tracked(mux), ReadHeaderTimeout: 5 * time.Second}

	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		_ = s.httpServer.Serve(listener)
	}()
	return s
}

// tracked counts each request in wg so Close waits for handlers too, and
// refuses requests once the server is closing.
func (s *Server) tracked(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			http.Error(w, "fakeslack is closed", http.StatusServiceUnavailable)
			return
		}
		s.wg.Add(1)
		s.mu.Unlock()
		defer s.wg.Done()
		next.ServeHTTP(w, r)
	})
}

// Close stops the server and every goroutine it started. A connected client
// sees its websocket drop.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.closedCh)
	conns := make([]*socketConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.ready = nil
	s.broadcastLocked()
	s.mu.Unlock()

	_ = s.httpServer.Close()
	for _, c := range conns {
		c.kill()
	}
	s.wg.Wait()
}

// APIURL is the Web API base for slack.OptionAPIURL, with a trailing slash.
func (s *Server) APIURL() string { return s.baseURL + "/api/" }

// AddUser adds (or replaces) a workspace member.
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = u
	if s.people[u.ID] == nil {
		s.people[u.ID] = &Person{s: s, id: u.ID}
	}
	s.broadcastLocked()
}

// Person returns the test's handle on a user added with AddUser. It panics
// for anyone else, since that is a bug in the test.
func (s *Server) Person(userID string) *Person {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.people[userID]
	if p == nil {
		panic(fmt.Sprintf("fakeslack: Person(%q): user was not added with AddUser", userID))
	}
	return p
}

// WaitUntil returns once cond is true, re-checking it after every state change.
// cond may call the Server's accessors.
func (s *Server) WaitUntil(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		// Taking the channel before checking means no change can slip between
		// the check and the wait.
		if cond() {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		case <-s.closedCh:
			if cond() {
				return nil
			}
			return errors.New("fakeslack: server closed")
		}
	}
}

// Violations lists every Slack rule the bot broke, in order.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.violations)
}

// Calls returns the Web API calls of one method ("" for all), in order.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			c.Params = cloneValues(c.Params)
			c.JSON = slices.Clone(c.JSON)
			out = append(out, c)
		}
	}
	return out
}

// Heal ends every fault queued for method, as Slack coming back after an
// outage.
func (s *Server) Heal(method string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.faults, method)
}

// FailNext makes the next f.Times calls of method (or every call for
// f.For; with f.OneIn, one in so many of them) answer with the fault.
// Failed calls change nothing people see. Faults for the same method queue
// up and fire in the order they were added.
func (s *Server) FailNext(method string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times <= 0 {
		f.Times = 1
	}
	if f.For > 0 {
		f.until = s.now().Add(f.For)
	}
	if f.Status == 0 {
		f.Status = http.StatusInternalServerError
	}
	s.faults[method] = append(s.faults[method], &f)
}

// Acks returns every ack received so far, in order.
func (s *Server) Acks() []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Ack, len(s.acks))
	for i, a := range s.acks {
		a.Payload = slices.Clone(a.Payload)
		out[i] = a
	}
	return out
}

// Channel returns the messages posted to a channel, oldest first.
func (s *Server) Channel(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return exportMessages(s.channels[channelID])
}

// Transcript returns what the person did and saw, in order.
func (s *Server) Transcript(userID string) []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.transcripts[userID])
}

// broadcastLocked wakes every WaitUntil. The caller holds mu.
func (s *Server) broadcastLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// violateLocked records a broken Slack rule. The caller holds mu.
func (s *Server) violateLocked(format string, args ...any) {
	s.violations = append(s.violations, fmt.Sprintf(format, args...))
	s.broadcastLocked()
}

// noteLocked adds a line to a person's transcript. The caller holds mu.
func (s *Server) noteLocked(userID, kind, text string) {
	s.transcripts[userID] = append(s.transcripts[userID], Entry{At: s.now(), Kind: kind, Text: text})
	s.broadcastLocked()
}

// nextLocked returns a fresh number for IDs. The caller holds mu.
func (s *Server) nextLocked() int {
	s.counter++
	return s.counter
}

// nextTSLocked returns a message timestamp later than every earlier one.
func (s *Server) nextTSLocked() string {
	s.lastTSMicros += 100
	return fmt.Sprintf("%d.%06d", s.lastTSMicros/1_000_000, s.lastTSMicros%1_000_000)
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}
