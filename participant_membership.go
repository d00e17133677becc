package mentorbot

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"
)

// Pauses end in the morning of the chosen day, in the person's own time
// zone, so the "you're back" message arrives at the start of a workday.
const (
	resumeHour   = 8
	maxPauseDays = 183
)

// FieldPauseUntil names the pause form's date.
const FieldPauseUntil = "pause_until"

// PauseDraft returns the date the pause form proposes: two weeks from today
// in the person's time zone, or their current return date.
func (pr *Programme) PauseDraft(ctx context.Context, id string) (time.Time, error) {
	p, err := pr.joined(ctx, id)
	if err != nil {
		return time.Time{}, err
	}
	if p.State == StatePaused {
		return Day(p.PausedUntil.In(p.location())), nil
	}
	if !p.State.active() {
		return time.Time{}, pauseRefusal(p)
	}
	return pr.localToday(p).AddDate(0, 0, 14), nil
}

// Pause takes a person out of matching and reminders until the morning of
// a date (YYYY-MM-DD, in their time zone). Their partner is told.
func (pr *Programme) Pause(ctx context.Context, id, until string) (Participant, error) {
	p, err := pr.joined(ctx, id)
	if err != nil {
		return p, err
	}
	if p.State != StatePaused && !p.State.active() {
		return p, pauseRefusal(p)
	}
	day, err := parsePauseUntil(until, pr.localToday(p))
	if err != nil {
		return p, err
	}
	loc := p.location()
	back := time.Date(day.Year(), day.Month(), day.Day(), resumeHour, 0, 0, 0, loc).UTC()

	cycle, err := pr.openCycle(ctx)
	if err != nil {
		return p, err
	}
	// One moment for the pause and what it calls off, so a pause again can
	// find what this one called off.
	now := pr.now()
	var c Change
	withdrawn, err := pr.callOff(ctx, p, cycle, false, now, &c)
	if err != nil {
		return p, err
	}
	if p.State == StatePaused {
		// Matching the partners again is saved apart from the pause, so a
		// crash may have cut it off; the pause again picks it up.
		again, err := pr.calledOffAt(ctx, p.ID, p.StateSince)
		if err != nil {
			return p, err
		}
		withdrawn = append(withdrawn, again...)
	}
	// The same pause again tells nobody twice: Slack delivers it again
	// when the bot died before acknowledging it. A new date is news.
	if p.State != StatePaused || !p.PausedUntil.Equal(back) {
		if err := pr.tellPartners(ctx, p, OutboxPartnerPaused, &c); err != nil {
			return p, err
		}
	}
	if p.State != StatePaused {
		resume := p.State
		c.Moves = append(c.Moves, pr.moveAt(&p, StatePaused, id, cycle, now))
		p.ResumeState = resume
	}
	p.PausedUntil, p.UpdatedAt = back, now
	c.Participants = append(c.Participants, p)
	if err := pr.apply(ctx, c); err != nil {
		return p, fmt.Errorf("save pause: %w", err)
	}
	return p, pr.rematchAfter(ctx, withdrawn)
}

// parsePauseUntil reads the pause form's date (YYYY-MM-DD): a day after
// today and within maxPauseDays of it.
func parsePauseUntil(until string, today time.Time) (time.Time, error) {
	day, err := time.Parse(time.DateOnly, strings.TrimSpace(until))
	switch {
	case err != nil:
		return time.Time{}, &Error{Code: EINVALID, Message: "Pick a date.", Fields: map[string]string{FieldPauseUntil: "Pick the day you'll be back."}}
	case !day.After(today):
		return time.Time{}, &Error{Code: EINVALID, Message: "Pick a later date.", Fields: map[string]string{FieldPauseUntil: "Pick a day after today."}}
	case day.After(today.AddDate(0, 0, maxPauseDays)):
		return time.Time{}, &Error{Code: EINVALID, Message: "Pick an earlier date.", Fields: map[string]string{FieldPauseUntil: "Pick a day within six months. For longer, leave the programme and join again when you're back."}}
	}
	return day, nil
}

func pauseRefusal(p Participant) error {
	if p.State == StateApplied {
		return Errorf(ECONFLICT, "There's nothing to pause yet: your application is with HR, and you won't be matched before they approve it.")
	}
	return Errorf(ECONFLICT, "You're not taking part right now, so there's nothing to pause.")
}

// Reply is how a person hears that a change they asked for went through.
type Reply int

const (
	// ReplyInPlace: the edge answers at once where they asked, as the
	// reply to a command does.
	ReplyInPlace Reply = iota
	// ReplyByDM: nothing answers where they asked (a Home tab button),
	// so the change owes them a DM.
	ReplyByDM
)

// Resume brings a paused person back now, instead of on their date.
func (pr *Programme) Resume(ctx context.Context, id string, reply Reply) (Participant, error) {
	p, err := pr.joined(ctx, id)
	if err != nil {
		return p, err
	}
	if p.State != StatePaused {
		return p, Errorf(ECONFLICT, "You're not paused, so there's nothing to resume.")
	}
	var told OutboxKind
	if reply == ReplyByDM {
		told = OutboxBackEarly
	}
	return pr.resume(ctx, p, id, told)
}

// ResumeDue brings back everyone whose pause has reached its date; they
// and their partners are told.
func (pr *Programme) ResumeDue(ctx context.Context) error {
	paused, err := pr.Store.ParticipantsIn(ctx, StatePaused)
	if err != nil {
		return fmt.Errorf("load paused participants: %w", err)
	}
	now := pr.now()
	for _, p := range paused {
		if p.PausedUntil.After(now) {
			continue
		}
		_, err := pr.resume(ctx, p, System, OutboxResumed)
		if ErrorCode(err) == ECONFLICT {
			continue // the person resumed or left meanwhile
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// resume brings a paused person back; by is who did it, System when their
// date came, and then the person is told too.
func (pr *Programme) resume(ctx context.Context, p Participant, by string, told OutboxKind) (Participant, error) {
	to := p.ResumeState
	if to == "" {
		to = StateApproved
	}
	if to == StateMatched {
		// The pair may have ended while the person was away.
		if _, err := pr.Store.ActivePair(ctx, p.ID); ErrorCode(err) == ENOTFOUND {
			to = StateTrained
		} else if err != nil {
			return p, fmt.Errorf("load pair: %w", err)
		}
	}
	cycle, err := pr.openCycle(ctx)
	if err != nil {
		return p, err
	}
	c := Change{Moves: []Transition{pr.move(&p, to, by, cycle)}, Participants: []Participant{p}}
	if told != "" {
		c.Outbox = append(c.Outbox, noticeItem(told, p.ID, 0, pr.now()))
	}
	if err := pr.tellPartners(ctx, p, OutboxPartnerResumed, &c); err != nil {
		return p, err
	}
	if err := pr.apply(ctx, c); err != nil {
		return p, fmt.Errorf("save resume: %w", err)
	}
	return p, nil
}

// tellPartners owes each of the person's partners a message of kind.
func (pr *Programme) tellPartners(ctx context.Context, p Participant, kind OutboxKind, c *Change) error {
	pairs, err := pr.Store.PairsOf(ctx, p.ID, PairActive)
	if err != nil {
		return fmt.Errorf("load pairs: %w", err)
	}
	now := pr.now()
	for _, pair := range pairs {
		c.Outbox = append(c.Outbox, noticeItem(kind, pair.Partner(p.ID), pair.ID, now))
	}
	return nil
}

// Leave takes a person out of the programme. An active pair ends and the
// partner, told kindly, goes back to the pool of people to match.
func (pr *Programme) Leave(ctx context.Context, id string) error {
	return pr.leave(ctx, id, true)
}

// leave takes the person out of the programme; told, they get a DM
// saying so and how to come back.
func (pr *Programme) leave(ctx context.Context, id string, told bool) error {
	p, err := pr.joined(ctx, id)
	if err != nil {
		return err
	}
	if p.State == StateLeft {
		// Slack sends a click again when the bot died before acknowledging
		// it, perhaps after the leaving was saved but before the partners
		// of called-off matches were matched again: that runs again, and
		// finds nothing to do if it had run.
		again, err := pr.calledOffAt(ctx, p.ID, p.StateSince)
		if err == nil {
			err = pr.rematchAfter(ctx, again)
		}
		if err == nil {
			err = pr.releaseTeachIns(ctx, p.ID)
		}
		if err != nil {
			return err
		}
		return Errorf(ECONFLICT, "You've already left the programme. Type %s to come back.", Command("join"))
	}
	cycle, err := pr.openCycle(ctx)
	if err != nil {
		return err
	}
	now := pr.now() // for the leaving and what it calls off, as in Pause
	var c Change
	withdrawn, err := pr.callOff(ctx, p, cycle, true, now, &c)
	if err != nil {
		return err
	}
	c.Moves = append(c.Moves, pr.moveAt(&p, StateLeft, id, cycle, now))
	c.Participants = append(c.Participants, p)
	if told {
		c.Outbox = append(c.Outbox, noticeItem(OutboxLeft, id, 0, now))
	}
	if err := pr.apply(ctx, c); err != nil {
		return fmt.Errorf("save leaving: %w", err)
	}
	if err := pr.releaseTeachIns(ctx, id); err != nil {
		return err
	}
	return pr.rematchAfter(ctx, withdrawn)
}

// callOff withdraws the person's pairs that are waiting for answers, and
// with ending, ends their active pairs too; each partner is told, never
// why. It returns the pairs withdrawn, whose partners may be matched again.
func (pr *Programme) callOff(ctx context.Context, p Participant, cycle *Cycle, ending bool, now time.Time, c *Change) ([]Pair, error) {
	pairs, err := pr.Store.PairsOf(ctx, p.ID, OpenPairStates...)
	if err != nil {
		return nil, err
	}
	var withdrawn []Pair
	for _, pair := range pairs {
		partnerID := pair.Partner(p.ID)
		switch {
		case pair.State == PairActive && ending:
			partner, err := pr.Store.Participant(ctx, partnerID)
			if err != nil {
				return nil, fmt.Errorf("load partner: %w", err)
			}
			others, err := pr.Store.PairsOf(ctx, partnerID, PairActive)
			if err != nil {
				return nil, err
			}
			if len(others) == 1 {
				pr.unmatch(&partner, cycle, c)
			}
			pair.State, pair.EndedAt, pair.EndReason = PairEnded, now, EndedPartnerLeft
			if pair.Slot != nil {
				pair.CalendarSequence++
				c.Outbox = append(c.Outbox, pr.calendarItems(OutboxInviteCancel, pair, now)...)
			}
			c.Pairs = append(c.Pairs, pair)
			c.Outbox = append(c.Outbox, noticeItem(OutboxPartnerLeft, partnerID, pair.ID, now))
		case pair.State == PairProposed || pair.State == PairRequested:
			pair.State, pair.EndedAt = PairWithdrawn, now
			c.Pairs = append(c.Pairs, pair)
			kind := OutboxMatchOff
			if pair.Origin == OriginRequest {
				kind = OutboxRequestOff
				if p.ID == pair.MenteeID {
					kind = OutboxRequestDropped
				}
			} else {
				withdrawn = append(withdrawn, pair)
			}
			c.Outbox = append(c.Outbox, noticeItem(kind, partnerID, pair.ID, now))
		}
	}
	return withdrawn, nil
}

// calledOffAt lists the matches the person's pause or leaving at that
// moment called off, whose partners it matched again.
func (pr *Programme) calledOffAt(ctx context.Context, id string, at time.Time) ([]Pair, error) {
	pairs, err := pr.Store.PairsOf(ctx, id, PairWithdrawn)
	if err != nil {
		return nil, err
	}
	var out []Pair
	for _, p := range pairs {
		if p.Origin != OriginRequest && p.EndedAt.Equal(at) {
			out = append(out, p)
		}
	}
	return out, nil
}

// unmatch puts a person whose last pair ended back among those waiting to
// be matched, or there for when their pause ends.
func (pr *Programme) unmatch(p *Participant, cycle *Cycle, c *Change) {
	switch {
	case p.State == StateMatched:
		c.Moves = append(c.Moves, pr.move(p, StateTrained, System, cycle))
	case p.State == StatePaused && p.ResumeState == StateMatched:
		p.ResumeState = StateTrained
	}
	c.Participants = append(c.Participants, *p)
}

// rematchAfter matches again the partners of proposals called off.
func (pr *Programme) rematchAfter(ctx context.Context, withdrawn []Pair) error {
	for _, pair := range withdrawn {
		if err := pr.rematch(ctx, pair, []string{pair.MentorID, pair.MenteeID}); err != nil {
			return err
		}
	}
	return nil
}

// Forget erases the person's personal data, leaving the programme first
// if they have not. Anonymous counts of what happened stay.
func (pr *Programme) Forget(ctx context.Context, id string) error {
	p, err := pr.joined(ctx, id)
	if err != nil {
		return Errorf(ENOTFOUND, "mentorbot holds no profile of yours, so there is nothing to erase.")
	}
	if p.State != StateLeft {
		// Not told: word that they left would keep their ID until sent.
		if err := pr.leave(ctx, id, false); err != nil {
			return err
		}
	}
	if err := pr.Store.Erase(ctx, id, erasureToken()); err != nil {
		return fmt.Errorf("erase participant: %w", err)
	}
	return nil
}

// localToday is today's date in the person's time zone.
func (pr *Programme) localToday(p Participant) time.Time {
	return Day(pr.Clock.Now().In(p.location()))
}

func (p Participant) location() *time.Location { return Zone(p.TimeZone) }

// erasedPrefix begins every erasure token; no chat user ID does.
const erasedPrefix = "erased-"

// erasureToken names an erased person in the anonymous records they leave.
func erasureToken() string {
	return erasedPrefix + rand.Text()[:16]
}

// Erased reports whether id is an erasure token: what stands, in the
// records kept for the counts, for a person who erased their data.
func Erased(id string) bool { return strings.HasPrefix(id, erasedPrefix) }
