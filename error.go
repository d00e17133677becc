package mentorbot

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"unicode/utf8"
)

// Error codes say what kind of thing went wrong, so the Slack edge can decide
// how to show it without parsing messages.
const (
	EINVALID     = "invalid"     // the person's input breaks a rule; Message or Fields say which
	ENOTFOUND    = "not_found"   // the thing asked for does not exist
	EFORBIDDEN   = "forbidden"   // the person may not do this
	ECONFLICT    = "conflict"    // the request clashes with the current state
	EUNAVAILABLE = "unavailable" // a dependency is busy or down; trying again later may work
	EINTERNAL    = "internal"    // a bug or an unexpected failure; never shown verbatim
)

// Error is a domain error written for the person who caused it.
type Error struct {
	Code string
	// Message is the error as plain text, with people named by ID.
	Message string
	// Fields maps a form field name to what is wrong with it, so a modal can
	// show each message next to its field.
	Fields map[string]string

	// format and args keep the message's parts apart, so the edge can show
	// the people it names its own way and the rest as text.
	format string
	args   []any
}

// Person names a participant inside a message. The domain never writes how
// a chat shows people; the edge renders each Person (a mention, in Slack).
type Person string

// Command names a command a person can type, by its subcommand ("find").
// The domain never writes a chat's command syntax; the edge renders each
// Command (`/mentor find`, in Slack).
type Command string

// Render writes the message with each Person through person, each Command
// through command and every other text argument through text: what the
// edge needs to put typed words, people and commands into its own markup.
func (e *Error) Render(person, command func(string) string, text func(string) string) string {
	if e.format == "" {
		return text(e.Message)
	}
	args := make([]any, len(e.args))
	for i, a := range e.args {
		switch a := a.(type) {
		case Person:
			args[i] = rendered(person(string(a)))
		case Command:
			args[i] = rendered(command(string(a)))
		case string:
			args[i] = text(a)
		default:
			args[i] = a
		}
	}
	return fmt.Sprintf(text(e.format), args...)
}

// rendered is markup ready to show, written as it is whatever the verb.
type rendered string

func (r rendered) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(r)) }

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	return fmt.Sprintf("%s: %s %v", e.Code, e.Message, e.Fields)
}

// Errorf returns an Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), format: format, args: args}
}

// FieldErrors collects what is wrong with each field of a form.
type FieldErrors map[string]string

// Add records msg for field unless the field already has a message: the
// first problem found is the one a person should fix first.
func (fe FieldErrors) Add(field, msg string) {
	if _, ok := fe[field]; !ok {
		fe[field] = msg
	}
}

// Err returns nil when no field has a problem, otherwise an EINVALID Error.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "Some answers need fixing.", Fields: maps.Clone(fe)}
}

// optionalNote reads a private note a person may leave empty: trimmed, and
// refused on field when longer than maxChars.
func optionalNote(field, text string, maxChars int) (string, error) {
	note := strings.TrimSpace(text)
	if n := utf8.RuneCountInString(note); n > maxChars {
		return "", FieldErrors{field: fmt.Sprintf("Keep it under %d characters (this has %d).", maxChars, n)}.Err()
	}
	return note, nil
}

// ErrorCode returns the code of a domain error, EINTERNAL for anything else
// and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return EINTERNAL
}

// InternalErrorMessage is what a person sees when something broke on our
// side; the details go to the log.
const InternalErrorMessage = "Sorry, something went wrong on our side. Please try again in a minute."

// ErrorMessage returns the message a person may see. Internal errors get a
// short apology: their details belong in the log, not in Slack.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*Error](err); ok && e.Code != EINTERNAL {
		return e.Message
	}
	return InternalErrorMessage
}

// RenderError is ErrorMessage written by the edge's own renderers (see
// Error.Render); an internal error's apology goes through text too.
func RenderError(err error, person, command func(string) string, text func(string) string) string {
	if e, ok := errors.AsType[*Error](err); ok && e.Code != EINTERNAL {
		return e.Render(person, command, text)
	}
	return text(ErrorMessage(err))
}

// ErrorFields returns the per-field messages of a domain error, if any.
func ErrorFields(err error) map[string]string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Fields
	}
	return nil
}
