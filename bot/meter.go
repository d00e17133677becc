package bot

import (
	"errors"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// Meter hears what the bot does, for the operator's metrics and health
// check. Its methods are called from many goroutines and must be quick.
type Meter interface {
	// SocketConnected says whether Slack can reach the bot over Socket Mode.
	SocketConnected(connected bool)
	// EnvelopeReceived counts one delivery of an envelope, by kind
	// (EnvelopeCommand, EnvelopeInteraction, EnvelopeEvent).
	EnvelopeReceived(kind string, redelivered bool)
	// EnvelopeAcked is how long an envelope waited for its ack.
	EnvelopeAcked(latency time.Duration)
	// SlackRequest counts one request sent to a Web API method, by outcome
	// (OutcomeOK, OutcomeRateLimited, OutcomeServerError, OutcomeError).
	SlackRequest(method, outcome string)
}

// Kinds of envelope, as a Meter hears them.
const (
	EnvelopeCommand     = "command"
	EnvelopeInteraction = "interaction"
	EnvelopeEvent       = "event"
)

// Outcomes of one Web API request, as a Meter hears them.
const (
	OutcomeOK          = "ok"
	OutcomeRateLimited = "rate_limited" // HTTP 429
	OutcomeServerError = "server_error" // HTTP 5xx
	OutcomeError       = "error"        // anything else: Slack said no, or the network failed
)

func envelopeKind(t socketmode.EventType) string {
	switch t {
	case socketmode.EventTypeSlashCommand:
		return EnvelopeCommand
	case socketmode.EventTypeInteractive:
		return EnvelopeInteraction
	}
	return EnvelopeEvent
}

func requestOutcome(err error) string {
	if err == nil {
		return OutcomeOK
	}
	if _, ok := errors.AsType[*slack.RateLimitedError](err); ok {
		return OutcomeRateLimited
	}
	if sc, ok := errors.AsType[slack.StatusCodeError](err); ok && sc.Code >= 500 {
		return OutcomeServerError
	}
	return OutcomeError
}

// unmetered is the Meter of a bot nobody watches.
type unmetered struct{}

func (unmetered) SocketConnected(bool)          {}
func (unmetered) EnvelopeReceived(string, bool) {}
func (unmetered) EnvelopeAcked(time.Duration)   {}
func (unmetered) SlackRequest(string, string)   {}
