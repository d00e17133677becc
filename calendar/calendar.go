// Package calendar writes pairs' sessions into the calendars people live
// in, Google Workspace (Calendar API v3) and Microsoft 365 (Graph), and
// reads their free/busy; it implements mentorbot.Calendar. It is the only
// package that talks to either service or holds their credentials.
package calendar

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mentorbot/mentorbot"
)

// Kinds of calendar MENTORBOT_CALENDAR names.
const (
	KindICS       = "ics"       // an .ics file in the DM; no calendar service
	KindGoogle    = "google"    // Google Workspace, through a service account
	KindMicrosoft = "microsoft" // Microsoft 365, through an app registration
)

// Config is how to reach the calendar service, as the environment gives it.
type Config struct {
	Kind string // KindICS, KindGoogle or KindMicrosoft
	// GoogleCredentials is the path of the service account's JSON key.
	GoogleCredentials string
	GoogleAPIURL      string
	// MSTenant, MSClientID and MSClientSecret are the app registration's.
	MSTenant, MSClientID, MSClientSecret string
	MSGraphURL, MSLoginURL               string
	// HTTP is the client requests go through; nil for one with a timeout.
	HTTP *http.Client
}

// requestTimeout bounds one call to a calendar service, so a hung service
// holds an outbox lane for seconds, not forever.
const requestTimeout = 20 * time.Second

// Open checks the configuration, asks the service for a token to prove the
// credentials work, and returns the calendar; nil for KindICS. Every
// error names the variable to fix, in one line.
func Open(ctx context.Context, cfg Config) (mentorbot.Calendar, error) {
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: requestTimeout}
	}
	switch cfg.Kind {
	case KindICS, "":
		return nil, nil
	case KindGoogle:
		if cfg.GoogleCredentials == "" {
			return nil, errors.New("MENTORBOT_GOOGLE_CREDENTIALS: is not set; give the path of the service account's JSON key (see README, Google Workspace)")
		}
		if err := checkURL(cfg.GoogleAPIURL); err != nil {
			return nil, fmt.Errorf("MENTORBOT_GOOGLE_API_URL: %w", err)
		}
		key, err := os.ReadFile(cfg.GoogleCredentials)
		if err != nil {
			return nil, fmt.Errorf("MENTORBOT_GOOGLE_CREDENTIALS: %w", err)
		}
		g, err := newGoogle(key, withSlash(cfg.GoogleAPIURL), cfg.HTTP)
		if err != nil {
			return nil, fmt.Errorf("MENTORBOT_GOOGLE_CREDENTIALS: %s: %w", cfg.GoogleCredentials, err)
		}
		if err := g.check(ctx); err != nil {
			return nil, fmt.Errorf("MENTORBOT_GOOGLE_CREDENTIALS: the key was refused: %w", err)
		}
		return g, nil
	case KindMicrosoft:
		for _, v := range []struct{ name, value string }{
			{"MENTORBOT_MS_TENANT", cfg.MSTenant}, {"MENTORBOT_MS_CLIENT_ID", cfg.MSClientID}, {"MENTORBOT_MS_CLIENT_SECRET", cfg.MSClientSecret},
		} {
			if strings.TrimSpace(v.value) == "" {
				return nil, fmt.Errorf("%s: is not set; copy it from the app registration in Microsoft Entra (see README, Microsoft 365)", v.name)
			}
		}
		if err := checkURL(cfg.MSGraphURL); err != nil {
			return nil, fmt.Errorf("MENTORBOT_MS_GRAPH_URL: %w", err)
		}
		if err := checkURL(cfg.MSLoginURL); err != nil {
			return nil, fmt.Errorf("MENTORBOT_MS_LOGIN_URL: %w", err)
		}
		g := newGraph(cfg.MSTenant, cfg.MSClientID, cfg.MSClientSecret, withSlash(cfg.MSGraphURL), withSlash(cfg.MSLoginURL), cfg.HTTP)
		if err := g.check(ctx); err != nil {
			return nil, fmt.Errorf("%s: %w", g.blame(err), err)
		}
		return g, nil
	}
	return nil, fmt.Errorf("MENTORBOT_CALENDAR: %q is not a calendar; use ics, google or microsoft", cfg.Kind)
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("%q is not a URL; leave it unset for the service's own", raw)
	}
	return nil
}

func withSlash(u string) string {
	if !strings.HasSuffix(u, "/") {
		return u + "/"
	}
	return u
}

// transient is a failure worth trying again on the outbox's schedule: the
// service throttled (429), failed (5xx) or could not be reached.
type transient struct {
	status     int
	retryAfter time.Duration
	err        error
}

func (t *transient) Error() string {
	switch {
	case t.status == 0:
		return "calendar service unreachable: " + t.err.Error()
	case t.retryAfter > 0:
		return fmt.Sprintf("calendar service answered %d (retry after %s): %v", t.status, t.retryAfter, t.err)
	}
	return fmt.Sprintf("calendar service answered %d: %v", t.status, t.err)
}

func (t *transient) Unwrap() error { return t.err }

// classify turns an HTTP status into what the programme does with it:
// retry (429, 5xx, no answer) or fall back to .ics (any other refusal).
// email says whose calendar, when the call was about one person.
func classify(status int, header http.Header, err error, email, reason string) error {
	if status == 0 || status == http.StatusTooManyRequests || status >= 500 {
		t := &transient{status: status, err: err}
		if header != nil {
			if secs, perr := strconv.Atoi(header.Get("Retry-After")); perr == nil {
				t.retryAfter = time.Duration(secs) * time.Second
			}
		}
		return t
	}
	return &mentorbot.CalendarRefusal{Email: email, Reason: reason}
}

// unreachable reports a network failure: nothing answered.
func unreachable(err error) bool {
	var ne net.Error
	var ue *url.Error
	return errors.As(err, &ne) || errors.As(err, &ue)
}

// pairKey is the pair's idempotency key, and on Google its event ID:
// base32hex (0-9, a-v) as Google asks, unique per pair.
func pairKey(pairID int64) string { return "mentorbotpair" + strconv.FormatInt(pairID, 10) }
