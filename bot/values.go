package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// Everything the bot hands Slack to give back later (a button's value, a
// modal's private_metadata, the form button an outbox row keeps) is written
// one way: fields joined by ':', with a ':' or '\' inside a field escaped by
// a '\'. Not JSON, because buttons in people's DMs live for weeks and were
// written as ':'-joined numbers ("12", "12:0", "12:1772445600:0",
// "3:midpoint"), which this format reads unchanged; and because a value
// nested in another (a button's value inside a form's origin) costs one '\'
// per ':', far inside Slack's 2000 characters for a button value and 3000
// for private_metadata.
const (
	fieldSeparator = ':'
	fieldEscape    = '\\'
)

// joinFields writes fields as one value. It works on bytes: the separator
// and the escape are ASCII, so no byte of another character is either.
func joinFields(fields ...string) string {
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(fieldSeparator)
		}
		for j := range len(f) {
			if f[j] == fieldSeparator || f[j] == fieldEscape {
				b.WriteByte(fieldEscape)
			}
			b.WriteByte(f[j])
		}
	}
	return b.String()
}

// splitFields reads a value written by joinFields. It refuses an empty
// value, which no kind of value is, and an escape before anything but a
// separator or an escape, which joinFields never writes.
func splitFields(value string) ([]string, error) {
	if value == "" {
		return nil, errors.New("empty")
	}
	var fields []string
	var field strings.Builder
	for i := 0; i < len(value); i++ {
		switch c := value[i]; c {
		case fieldEscape:
			i++
			if i == len(value) {
				return nil, errors.New("ends in an escape")
			}
			if value[i] != fieldSeparator && value[i] != fieldEscape {
				return nil, fmt.Errorf("%q escaped", value[i])
			}
			field.WriteByte(value[i])
		case fieldSeparator:
			fields = append(fields, field.String())
			field.Reset()
		default:
			field.WriteByte(c)
		}
	}
	return append(fields, field.String()), nil
}

// valueError says why a value could not be read, quoting it for the log.
type valueError struct {
	kind, value string
	err         error
}

func (e *valueError) Error() string {
	return fmt.Sprintf("%s value %q: %v", e.kind, e.value, e.err)
}

func (e *valueError) Unwrap() error { return e.err }

// readFields splits a value of a kind that has exactly n fields.
func readFields(kind, value string, n int) ([]string, error) {
	fields, err := splitFields(value)
	if err == nil && len(fields) != n {
		err = fmt.Errorf("%d fields, want %d", len(fields), n)
	}
	if err != nil {
		return nil, &valueError{kind, value, err}
	}
	return fields, nil
}

// readID reads a stored row's ID, which is never zero or negative.
func readID(field string) (int64, error) {
	id, err := strconv.ParseInt(field, 10, 64)
	if err != nil {
		return 0, err
	}
	if id <= 0 {
		return 0, fmt.Errorf("ID %d", id)
	}
	return id, nil
}

// pairValue names a pair in a button.
func pairValue(pairID int64) string { return idValue(pairID) }

func readPairValue(value string) (int64, error) { return readIDValue("pair", value) }

// teachInValue names a teach-in in a button or a form's metadata.
func teachInValue(id int64) string { return idValue(id) }

func readTeachInValue(value string) (int64, error) { return readIDValue("teach-in", value) }

// thanksValue names a thank-you in a button.
func thanksValue(id int64) string { return idValue(id) }

func readThanksValue(value string) (int64, error) { return readIDValue("thank-you", value) }

// idValue names a stored row by its ID alone.
func idValue(id int64) string { return joinFields(strconv.FormatInt(id, 10)) }

// readIDValue reads a value of a kind that names a row by its ID alone.
func readIDValue(kind, value string) (int64, error) {
	fields, err := readFields(kind, value, 1)
	if err != nil {
		return 0, err
	}
	id, err := readID(fields[0])
	if err != nil {
		return 0, &valueError{kind, value, err}
	}
	return id, nil
}

// slotRef names a pair's slot offer in a button: the pair, and the option
// offered, or -1 when the button offers none and the person picks a time.
type slotRef struct {
	pairID int64
	option int
}

func slotValue(pairID int64, option int) string {
	return joinFields(strconv.FormatInt(pairID, 10), strconv.Itoa(option))
}

func readSlotValue(value string) (slotRef, error) {
	fields, err := readFields("slot", value, 2)
	if err != nil {
		return slotRef{}, err
	}
	ref := slotRef{}
	if ref.pairID, err = readID(fields[0]); err == nil {
		ref.option, err = strconv.Atoi(fields[1])
		if err == nil && ref.option < -1 {
			err = fmt.Errorf("option %d", ref.option)
		}
	}
	if err != nil {
		return slotRef{}, &valueError{"slot", value, err}
	}
	return ref, nil
}

// sessionValue names a session in a button: the pair, the occurrence as
// Unix seconds and the revision the message was written for.
func sessionValue(r sessionRef) string {
	return joinFields(strconv.FormatInt(r.pairID, 10), strconv.FormatInt(r.occurrence.Unix(), 10), strconv.Itoa(r.revision))
}

func readSessionValue(value string) (sessionRef, error) {
	fields, err := readFields("session", value, 3)
	if err != nil {
		return sessionRef{}, err
	}
	ref := sessionRef{}
	var unix int64
	if ref.pairID, err = readID(fields[0]); err == nil {
		// A session's occurrence is never at or before 1970.
		if unix, err = readID(fields[1]); err == nil {
			ref.occurrence = time.Unix(unix, 0).UTC()
			ref.revision, err = strconv.Atoi(fields[2])
			if err == nil && ref.revision < 0 {
				err = fmt.Errorf("revision %d", ref.revision)
			}
		}
	}
	if err != nil {
		return sessionRef{}, &valueError{"session", value, err}
	}
	return ref, nil
}

// surveyRef names a cycle's survey in a button.
type surveyRef struct {
	cycleID int64
	kind    mentorbot.SurveyKind
}

var surveyKinds = []mentorbot.SurveyKind{mentorbot.SurveyMidpoint, mentorbot.SurveyClosing}

func surveyValue(cycleID int64, kind mentorbot.SurveyKind) string {
	return joinFields(strconv.FormatInt(cycleID, 10), string(kind))
}

func readSurveyValue(value string) (surveyRef, error) {
	fields, err := readFields("survey", value, 2)
	if err != nil {
		return surveyRef{}, err
	}
	ref := surveyRef{kind: mentorbot.SurveyKind(fields[1])}
	if ref.cycleID, err = readID(fields[0]); err == nil && !slices.Contains(surveyKinds, ref.kind) {
		err = fmt.Errorf("survey kind %q", ref.kind)
	}
	if err != nil {
		return surveyRef{}, &valueError{"survey", value, err}
	}
	return ref, nil
}

// originValue is the metadata of a form opened from a message's button:
// the button's value, and where the message is. A button on the Home tab
// is in no message, so its channel and timestamp are empty.
func originValue(ic slack.InteractionCallback, a *slack.BlockAction) string {
	return joinFields(a.Value, ic.Channel.ID, ic.Message.Timestamp)
}

// readOrigin reads a form's origin, and the button value in it with read.
func readOrigin[T any](metadata string, read func(string) (T, error)) (origin[T], error) {
	fields, err := readFields("origin", metadata, 3)
	if err != nil {
		return origin[T]{}, err
	}
	value, err := read(fields[0])
	if err != nil {
		return origin[T]{}, &valueError{"origin", metadata, err}
	}
	return origin[T]{value: value, channel: fields[1], ts: fields[2]}, nil
}

// formAgainValue is how an outbox row keeps the button that opens a form
// again.
func formAgainValue(f formAgain) string { return joinFields(f.action, f.value) }

func readFormAgain(stored string) (formAgain, error) {
	fields, err := readFields("form again", stored, 2)
	if err != nil {
		return formAgain{}, err
	}
	if fields[0] == "" {
		return formAgain{}, &valueError{"form again", stored, errors.New("no action")}
	}
	return formAgain{action: fields[0], value: fields[1]}, nil
}

// joinFormFields is how many fields step one of the join form keeps before
// its topics, which take one field each.
const joinFormFields = 7

// joinFormValue is the metadata step two of the join form carries: what
// step one was answered with, checked already. The answers only step two
// asks are not kept.
func joinFormValue(f mentorbot.ProfileForm) string {
	fields := []string{f.Role, f.OtherTopics, f.JobLevel, f.Department, f.ManagerID, f.TimeZone, f.Availability}
	return joinFields(append(fields, f.Topics...)...)
}

func readJoinFormValue(metadata string) (mentorbot.ProfileForm, error) {
	fields, err := splitFields(metadata)
	if err == nil && len(fields) < joinFormFields {
		err = fmt.Errorf("%d fields, want at least %d", len(fields), joinFormFields)
	}
	if err != nil {
		return mentorbot.ProfileForm{}, &valueError{"join form", metadata, err}
	}
	f := mentorbot.ProfileForm{Role: fields[0], OtherTopics: fields[1], JobLevel: fields[2], Department: fields[3],
		ManagerID: fields[4], TimeZone: fields[5], Availability: fields[6]}
	if len(fields) > joinFormFields {
		f.Topics = fields[joinFormFields:]
	}
	return f, nil
}

// oldButton is what a person reads about a button whose value cannot be
// read: one from a message written before its buttons changed, or one
// crafted by hand. The value goes to the log.
func (b *Bot) oldButton(userID string, err error) error {
	b.log.Warn("a button's value could not be read", "user", userID, "err", err)
	return mentorbot.Errorf(mentorbot.EINVALID, "That button is from an old message and no longer works. Open mentorbot's Home tab for the current one.")
}

// tellOld answers a button whose value cannot be read in a DM, the one
// place a button can always answer in.
func (b *Bot) tellOld(ctx context.Context, userID string, err error) {
	b.tell(ctx, userID, textMessage(b.problem(b.oldButton(userID, err), userID)))
}

// oldForm is what a person reads about a form whose metadata cannot be
// read, next to its field, so the form stays open to be copied from.
func (b *Bot) oldForm(userID string, err error) error {
	b.log.Warn("a form's metadata could not be read", "user", userID, "err", err)
	return mentorbot.Errorf(mentorbot.EINVALID, "This form is out of date. Close it and open it again from mentorbot's Home tab.")
}
