package mentorbot

import (
	"context"
	"time"
)

// RequestLog remembers which incoming requests were handled and what was
// answered, so a request delivered again has one effect and the same answer.
type RequestLog interface {
	// HandledRequest returns the answer recorded for key, and false when the
	// request with this key was never handled.
	HandledRequest(ctx context.Context, key string) (answer []byte, handled bool, err error)
	// RecordRequest records that the request with this key, made by the
	// person with userID ("" when it must not be linked to anyone), was
	// handled. Erasing a person erases their records too, since answers
	// can hold their profile.
	RecordRequest(ctx context.Context, key, userID string, answer []byte, at time.Time) error
	// ForgetRequestsBefore drops records older than t; redeliveries come
	// within minutes, so a day's records are plenty.
	ForgetRequestsBefore(ctx context.Context, t time.Time) (int64, error)
}
