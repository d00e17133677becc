package mentorbot

import (
	"context"
	"time"
)

// RequestLog remembers which incoming requests were handled and what was
// answered, so a request delivered again has one effect and the same answer,
// whichever of the bot's processes it reaches.
type RequestLog interface {
	// ClaimRequest claims the request with this key for owner, one bot
	// process, before it is handled. A claim older than stale is taken
	// over: its owner is taken to have died.
	ClaimRequest(ctx context.Context, key, owner string, now time.Time, stale time.Duration) (RequestClaim, error)
	// RecordRequest records the answer to the request with this key, made
	// by the person with userID ("" when it must not be linked to anyone),
	// in place of any claim on it. Erasing a person erases their records
	// too, since answers can hold their profile.
	RecordRequest(ctx context.Context, key, userID string, answer []byte, at time.Time) error
	// ForgetRequestsBefore drops records older than t; redeliveries come
	// within minutes, so a day's records are plenty.
	ForgetRequestsBefore(ctx context.Context, t time.Time) (int64, error)
}

// RequestClaimOutcome is what claiming a request found.
type RequestClaimOutcome int

const (
	// RequestClaimed: the request is the claimer's to handle.
	RequestClaimed RequestClaimOutcome = iota
	// RequestAnswered: it was handled before; the claim holds the answer.
	RequestAnswered
	// RequestHeld: another process is handling it and has not answered.
	RequestHeld
	// RequestTakenOver: another process claimed it too long ago to be
	// alive; it is the claimer's to handle now.
	RequestTakenOver
)

// RequestClaim is the outcome of claiming a request.
type RequestClaim struct {
	Outcome RequestClaimOutcome
	// Answer is the recorded answer when the request was answered (nil
	// for an empty one).
	Answer []byte
	// Owner is who holds the request when another does.
	Owner string
}
