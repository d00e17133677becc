package mentorbot

import (
	"crypto/rand"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// TeachInState is whether a teach-in is still on.
type TeachInState string

const (
	TeachInOpen      TeachInState = "open"      // on, taking sign-ups until it begins
	TeachInCancelled TeachInState = "cancelled" // its host called it off
)

// TeachIn is a one-off group session an approved, trained mentor offers
// on a topic they teach: one junior teaching several seniors at once.
type TeachIn struct {
	ID      int64
	CycleID int64
	HostID  string
	Topic   string
	Title   string
	// StartsAt and EndsAt are in UTC; TimeZone is the host's, the zone
	// the form was filled in.
	StartsAt, EndsAt time.Time
	TimeZone         string
	Places           int
	JoinHow          string // a link or a room
	Description      string
	State            TeachInState
	// Revision counts moves: reminders and pulses carry the revision they
	// were owed for, so those for a time it no longer has are dropped.
	Revision int
	// CalendarSequence is the SEQUENCE of its calendar invite.
	CalendarSequence int
	CreatedAt        time.Time
	// Version counts saves; saving a stale copy is an ECONFLICT error.
	Version int
}

// Length is how long the teach-in lasts.
func (t TeachIn) Length() time.Duration { return t.EndsAt.Sub(t.StartsAt) }

// Upcoming reports whether the teach-in is on and has not begun.
func (t TeachIn) Upcoming(now time.Time) bool { return t.State == TeachInOpen && t.StartsAt.After(now) }

// PlaceState is where a person stands for a teach-in.
type PlaceState string

const (
	PlaceTaken     PlaceState = "taken"     // signed up, with a place
	PlaceWaiting   PlaceState = "waiting"   // on the waiting list
	PlaceCancelled PlaceState = "cancelled" // gave it up
)

// Recommend is an answer to "would you recommend it?".
type Recommend string

const (
	RecommendUnanswered Recommend = ""
	RecommendYes        Recommend = "yes"
	RecommendNo         Recommend = "no"
)

// Recommends lists the answers in the order the buttons show them.
var Recommends = []Recommend{RecommendYes, RecommendNo}

// TeachInPlace is one person's sign-up to a teach-in, and their private
// pulse about it afterwards.
type TeachInPlace struct {
	TeachInID     int64
	ParticipantID string
	State         PlaceState
	// QueuedAt orders the waiting list: first come, first moved up.
	QueuedAt time.Time
	// Useful is 1–5, 0 while unanswered.
	Useful     int
	Recommend  Recommend
	AnsweredAt time.Time
}

// Answered reports whether the person answered any of the pulse.
func (p TeachInPlace) Answered() bool { return p.Useful > 0 || p.Recommend != RecommendUnanswered }

// Holds reports whether the place is a place or a spot on the waiting list.
func (p TeachInPlace) Holds() bool { return p.State == PlaceTaken || p.State == PlaceWaiting }

// Roster is a teach-in's sign-ups, in the order they came.
type Roster []TeachInPlace

// In lists the places in a state, first come first.
func (r Roster) In(state PlaceState) []TeachInPlace {
	var out []TeachInPlace
	for _, p := range r {
		if p.State == state {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b TeachInPlace) int { return a.QueuedAt.Compare(b.QueuedAt) })
	return out
}

// Of returns the person's place, if they ever signed up.
func (r Roster) Of(id string) (TeachInPlace, bool) {
	i := slices.IndexFunc(r, func(p TeachInPlace) bool { return p.ParticipantID == id })
	if i < 0 {
		return TeachInPlace{}, false
	}
	return r[i], true
}

// position is the person's place on the waiting list from 1, 0 when not on it.
func (r Roster) position(id string) int {
	return slices.IndexFunc(r.In(PlaceWaiting), func(p TeachInPlace) bool { return p.ParticipantID == id }) + 1
}

// TeachInView is a teach-in as one person may see it. Only its host sees
// who signed up; everyone else, HR included, sees how many.
type TeachInView struct {
	TeachIn TeachIn
	Taken   int // places taken
	Waiting int // on the waiting list
	// Place is the viewer's own sign-up, nil when they hold none.
	Place *TeachInPlace
	// Position is the viewer's place on the waiting list from 1.
	Position int
	// Roster is who signed up, places then waiting list, for the host alone.
	Roster []TeachInPlace
}

// Full reports whether every place is taken.
func (v TeachInView) Full() bool { return v.Taken >= v.TeachIn.Places }

// Hosting reports whether the viewer is the host.
func (v TeachInView) Hosting(id string) bool { return v.TeachIn.HostID == id }

// viewOf is the teach-in as the person sees it.
func viewOf(t TeachIn, r Roster, viewer string) TeachInView {
	v := TeachInView{TeachIn: t, Taken: len(r.In(PlaceTaken)), Waiting: len(r.In(PlaceWaiting))}
	if p, ok := r.Of(viewer); ok && p.Holds() {
		v.Place = &p
		v.Position = r.position(viewer)
	}
	if t.HostID == viewer {
		v.Roster = append(r.In(PlaceTaken), r.In(PlaceWaiting)...)
	}
	return v
}

// Limits on a teach-in, so it fits a message and a room.
const (
	MinTeachInPlaces           = 2
	MaxTeachInPlaces           = 20
	MinTeachInTitleChars       = 3
	MaxTeachInTitleChars       = 80
	MaxTeachInJoinChars        = 300
	MaxTeachInDescriptionChars = 500
	// MaxTeachInsShown bounds the teach-ins a list shows at once, so a
	// message and the Home tab stay within Slack's blocks.
	MaxTeachInsShown = 8
)

// TeachInLengths are the lengths a teach-in may have.
var TeachInLengths = []time.Duration{30 * time.Minute, 45 * time.Minute, time.Hour, 90 * time.Minute, 2 * time.Hour}

// Names of the teach-in forms' fields, used as keys of FieldErrors.
const (
	FieldTeachInTopic       = "teachin_topic"
	FieldTeachInTitle       = "teachin_title"
	FieldTeachInDate        = "teachin_date"
	FieldTeachInTime        = "teachin_time"
	FieldTeachInLength      = "teachin_length"
	FieldTeachInPlaces      = "teachin_places"
	FieldTeachInJoin        = "teachin_join"
	FieldTeachInDescription = "teachin_description"
)

// TeachInForm is the offer form as the host filled it in: the date and
// time in the host's own zone, the length in minutes.
type TeachInForm struct {
	Topic, Title, Date, Time, Length, Places, JoinHow, Description string
}

// TeachInMoveForm is the form that moves a teach-in: a new date and time
// in the host's zone.
type TeachInMoveForm struct {
	Date, Time string
}

// parse checks the offer and returns the teach-in it describes: a topic
// the host teaches, a time ahead and within the cycle, a length and a
// number of places allowed, a way to join and text that fits.
func (f TeachInForm) parse(host Participant, cycle Cycle, programme *time.Location, now time.Time) (TeachIn, error) {
	errs := FieldErrors{}
	t := TeachIn{CycleID: cycle.ID, HostID: host.ID, TimeZone: host.TimeZone, State: TeachInOpen, CreatedAt: now}
	t.Topic = strings.TrimSpace(f.Topic)
	if !slices.Contains(host.TopicNames(), t.Topic) {
		errs.Add(FieldTeachInTopic, "Pick one of the topics you teach.")
	}
	t.Title = collapseSpaces(f.Title)
	switch n := utf8.RuneCountInString(t.Title); {
	case n < MinTeachInTitleChars:
		errs.Add(FieldTeachInTitle, fmt.Sprintf("Give it a title of %d characters or more, like \"Short videos in 30 minutes\".", MinTeachInTitleChars))
	case n > MaxTeachInTitleChars:
		errs.Add(FieldTeachInTitle, fmt.Sprintf("Keep the title under %d characters (this has %d).", MaxTeachInTitleChars, n))
	}
	start, ok := readStart(f.Date, f.Time, Zone(host.TimeZone), now, FieldTeachInDate, FieldTeachInTime, errs)
	if ok {
		inCycle(start, cycle, programme, errs)
	}
	minutes, err := strconv.Atoi(strings.TrimSpace(f.Length))
	length := time.Duration(minutes) * time.Minute
	if err != nil || !slices.Contains(TeachInLengths, length) {
		errs.Add(FieldTeachInLength, "Pick how long it lasts.")
	}
	t.StartsAt, t.EndsAt = start, start.Add(length)
	places, err := strconv.Atoi(strings.TrimSpace(f.Places))
	if err != nil || places < MinTeachInPlaces || places > MaxTeachInPlaces {
		errs.Add(FieldTeachInPlaces, fmt.Sprintf("Say how many people can come: a number from %d to %d.", MinTeachInPlaces, MaxTeachInPlaces))
	}
	t.Places = places
	t.JoinHow = requiredText(errs, FieldTeachInJoin, f.JoinHow, MaxTeachInJoinChars, "Say how people join: a video call link, or a room.")
	t.Description = requiredText(errs, FieldTeachInDescription, f.Description, MaxTeachInDescriptionChars, "Say in a sentence or two what people will learn.")
	return t, errs.Err()
}

// requiredText reads text a person must write, trimmed: refused on field
// with empty when there is none, and when longer than maxChars.
func requiredText(errs FieldErrors, field, text string, maxChars int, empty string) string {
	text = strings.TrimSpace(text)
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		errs.Add(field, empty)
	case n > maxChars:
		errs.Add(field, fmt.Sprintf("Keep it under %d characters (this has %d).", maxChars, n))
	}
	return text
}

// parse checks the new time of a teach-in: ahead, within the cycle and a
// change.
func (f TeachInMoveForm) parse(t TeachIn, cycle Cycle, programme *time.Location, now time.Time) (time.Time, error) {
	errs := FieldErrors{}
	start, ok := readStart(f.Date, f.Time, Zone(t.TimeZone), now, FieldTeachInDate, FieldTeachInTime, errs)
	switch {
	case !ok:
	case start.Equal(t.StartsAt):
		errs.Add(FieldTeachInTime, "That's when it is already. Pick another time, or close this.")
	default:
		inCycle(start, cycle, programme, errs)
	}
	return start, errs.Err()
}

// inCycle refuses a start outside the cycle's days, read in the
// programme's zone, next to the date.
func inCycle(start time.Time, cycle Cycle, programme *time.Location, errs FieldErrors) {
	day := Day(start.In(programme))
	switch {
	case day.Before(cycle.StartsOn):
		errs.Add(FieldTeachInDate, fmt.Sprintf("The cycle starts on %s. Pick a day from then.", FormatDate(cycle.StartsOn)))
	case day.After(cycle.EndsOn):
		errs.Add(FieldTeachInDate, fmt.Sprintf("The cycle ends on %s. Pick a day before then.", FormatDate(cycle.EndsOn)))
	}
}

// CanHost says why the person may not offer a teach-in, or nil: hosts are
// mentors HR approved who have read the onboarding, and are not away.
func CanHost(p Participant) error {
	switch {
	case p.Role != RoleMentor:
		return Errorf(EFORBIDDEN, "Teach-ins are offered by mentors. To join one, type %s.", Command("teach-in"))
	case p.State == StateApplied || p.State == StateDeclined:
		return Errorf(EFORBIDDEN, "Only approved mentors can offer a teach-in: HR hasn't approved your application this cycle.")
	case p.State == StateApproved:
		return Errorf(EFORBIDDEN, "Read the onboarding first (%s); then you can offer a teach-in.", Command("training"))
	case p.State == StatePaused:
		return Errorf(EFORBIDDEN, "You're on a break. Come back first (%s), then offer your teach-in.", Command("resume"))
	case p.State != StateTrained && p.State != StateMatched:
		return Errorf(EFORBIDDEN, "Only approved, trained mentors in the programme can offer a teach-in.")
	}
	return nil
}

// inTeachIns says why the person may not browse or join teach-ins, or
// nil: they are for everyone taking part in the programme.
func inTeachIns(p Participant) error {
	switch {
	case p.TakingPart():
		return nil
	case p.State == StateApplied:
		return Errorf(EFORBIDDEN, "Teach-ins open to you once HR has approved your application.")
	}
	return Errorf(EFORBIDDEN, "Teach-ins are for people taking part in the programme. Type %s to take part again.", Command("join"))
}

// invitable reports whether the mentee should be invited to the teach-in:
// they want its topic, are free then in their own week, are not away then
// and neither of the two asked never to be paired with the other.
func invitable(p Participant, t TeachIn, dont []DontPair) bool {
	switch p.State {
	case StateApproved, StateTrained, StateMatched:
	case StatePaused:
		if p.PausedUntil.After(Day(t.StartsAt)) {
			return false
		}
	default:
		return false
	}
	if p.Role != RoleMentee || p.ID == t.HostID || !slices.Contains(p.TopicNames(), t.Topic) || !freeAt(p, t.StartsAt, t.Length()) {
		return false
	}
	return !slices.ContainsFunc(dont, func(d DontPair) bool {
		return d.PersonID == p.ID && d.OtherID == t.HostID || d.PersonID == t.HostID && d.OtherID == p.ID
	})
}

// teachInItem is an outbox message about a teach-in, keyed by what names
// it once (the revision, say), or "" for a message owed each time its
// cause happens.
func teachInItem(kind OutboxKind, to string, t TeachIn, once string, due time.Time) OutboxItem {
	if once == "" {
		once = rand.Text()
	}
	return OutboxItem{
		Key: fmt.Sprintf("teachin/%d/%s/%s/%s", t.ID, once, kind, to),
		To:  to, Kind: kind, TeachInID: t.ID, Revision: t.Revision, Sequence: t.CalendarSequence, DueAt: due,
	}
}
