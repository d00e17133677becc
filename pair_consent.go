package mentorbot

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/mentorbot/mentorbot/match"
)

// MaxDeclineReasonChars bounds the private note that goes with a decline.
const MaxDeclineReasonChars = 500

// FieldDeclineReason names the decline form's note to HR.
const FieldDeclineReason = "decline_reason"

// pairFor loads a pair the person is in, refusing anyone else.
func (pr *Programme) pairFor(ctx context.Context, id string, pairID int64) (Pair, error) {
	p, err := pr.Store.Pair(ctx, pairID)
	if err != nil {
		return p, err
	}
	if p.MentorID != id && p.MenteeID != id {
		return p, Errorf(EFORBIDDEN, "That match is between two other people, so only they can answer it.")
	}
	return p, nil
}

// Pair returns a pair the person is in, refusing anyone else.
func (pr *Programme) Pair(ctx context.Context, id string, pairID int64) (Pair, error) {
	return pr.pairFor(ctx, id, pairID)
}

// PendingPair returns a proposed or requested pair the person has yet to
// answer, for the decline form.
func (pr *Programme) PendingPair(ctx context.Context, id string, pairID int64) (Pair, error) {
	p, err := pr.pairFor(ctx, id, pairID)
	if err != nil {
		return p, err
	}
	if err := answerable(p, id); err != nil {
		return p, err
	}
	return p, nil
}

// answerable refuses an answer to a pair that is no longer waiting for it.
func answerable(p Pair, id string) error {
	switch p.State {
	case PairProposed, PairRequested:
	case PairActive:
		return Errorf(ECONFLICT, "You both accepted this match already: it's on.")
	case PairLapsed:
		return Errorf(ECONFLICT, "The time to answer this match ran out, so it can't go ahead. You'll be matched again.")
	case PairDeclined, PairWithdrawn:
		return Errorf(ECONFLICT, "This match can no longer go ahead, so there's nothing to answer.")
	default:
		return Errorf(ECONFLICT, "This match isn't open for answers.")
	}
	if p.State == PairRequested && id == p.MenteeID {
		return Errorf(ECONFLICT, "You asked for this match; it's up to the mentor to answer now.")
	}
	return nil
}

// maxAnswerAttempts bounds how often an answer is worked out again because
// the pair changed between loading and saving it.
const maxAnswerAttempts = 3

// answering loads a pair the person may answer, lets decide work out the
// change, and saves it. When someone saved the pair in between, as when
// both people accept at the same moment, it starts again from what they
// saved, so both answers count. A decision that changes nothing saves
// nothing.
func (pr *Programme) answering(ctx context.Context, id string, pairID int64, decide func(p *Pair) (Change, error)) (Pair, Change, error) {
	for attempt := 1; ; attempt++ {
		p, err := pr.pairFor(ctx, id, pairID)
		if err != nil {
			return p, Change{}, err
		}
		if err := answerable(p, id); err != nil {
			return p, Change{}, err
		}
		c, err := decide(&p)
		if err != nil || len(c.Pairs) == 0 {
			return p, c, err
		}
		err = pr.apply(ctx, c)
		if ErrorCode(err) == ECONFLICT && attempt < maxAnswerAttempts {
			continue
		}
		if err != nil {
			return p, c, fmt.Errorf("save answer: %w", err)
		}
		return c.Pairs[0], c, nil
	}
}

// AcceptPair records that the person agrees to the pair. When both have,
// the pair starts: both are matched, and the pair is introduced together.
func (pr *Programme) AcceptPair(ctx context.Context, id string, pairID int64) (Pair, error) {
	p, _, err := pr.answering(ctx, id, pairID, func(p *Pair) (Change, error) {
		if p.AnswerOf(id) == AnswerAccepted {
			return Change{}, nil
		}
		now := pr.now()
		p.answer(id, AnswerAccepted, now)
		if p.MentorAnswer != AnswerAccepted || p.MenteeAnswer != AnswerAccepted {
			return Change{Pairs: []Pair{*p}}, nil
		}
		cycle, err := pr.requireCycle(ctx)
		if err != nil {
			return Change{}, err
		}
		p.State, p.StartedAt = PairActive, now
		c := Change{}
		people := make([]Participant, 2)
		for i, who := range []string{p.MentorID, p.MenteeID} {
			person, err := pr.Store.Participant(ctx, who)
			if err != nil {
				return Change{}, fmt.Errorf("load %s: %w", who, err)
			}
			if person.State != StateTrained && person.State != StateMatched {
				return Change{}, Errorf(ECONFLICT, "%s is no longer available, so this match can't start.", Person(p.Partner(id)))
			}
			people[i] = person
			if person.State == StateTrained {
				c.Moves = append(c.Moves, pr.move(&person, StateMatched, who, cycle))
				c.Participants = append(c.Participants, person)
			}
		}
		// Greeted together first, then each asked for a regular time.
		c.Outbox = append(c.Outbox, pairStartedItem(*p, now))
		pr.offerSlots(ctx, p, people[0], people[1], cycle, &c)
		c.Pairs = []Pair{*p}
		// A mentee who asked several mentors needs only the one who said yes.
		if p.Origin == OriginRequest {
			others, err := pr.Store.PairsOf(ctx, p.MenteeID, PairRequested)
			if err != nil {
				return Change{}, err
			}
			for _, o := range others {
				if o.ID != p.ID {
					o.State, o.EndedAt = PairWithdrawn, now
					c.Pairs = append(c.Pairs, o)
					c.Outbox = append(c.Outbox, noticeItem(OutboxRequestDropped, o.MentorID, o.ID, now))
				}
			}
		}
		return c, nil
	})
	return p, err
}

// pairStartedItem greets a pair that has just started, in a conversation
// of the two of them; it travels in the mentor's lane.
func pairStartedItem(p Pair, now time.Time) OutboxItem {
	return OutboxItem{Key: fmt.Sprintf("pair/%d/started", p.ID), To: p.MentorID, Kind: OutboxPairStarted, PairID: p.ID, DueAt: now}
}

// DeclinePair records that the person does not want the pair. The other
// person is told it can't go ahead, never why; the reason stays with HR.
// Both go back to the pool, and people freed from a proposed pair are
// matched again at once.
func (pr *Programme) DeclinePair(ctx context.Context, id string, pairID int64, reason string) (Pair, error) {
	reason, err := optionalNote(FieldDeclineReason, reason, MaxDeclineReasonChars)
	if err != nil {
		return Pair{}, err
	}
	p, _, err := pr.answering(ctx, id, pairID, func(p *Pair) (Change, error) {
		now := pr.now()
		p.answer(id, AnswerDeclined, now)
		p.State, p.DeclineReason, p.EndedAt = PairDeclined, reason, now
		told := noticeItem(OutboxMatchOff, p.Partner(id), p.ID, now)
		if p.Origin == OriginRequest {
			told = noticeItem(OutboxRequestOff, p.MenteeID, p.ID, now)
		}
		return Change{Pairs: []Pair{*p}, Outbox: []OutboxItem{told}}, nil
	})
	if ErrorCode(err) == ECONFLICT && p.State == PairDeclined && p.AnswerOf(id) == AnswerDeclined {
		// The person's decline is saved already: this is it again, as
		// Slack delivers it again when the bot died before acknowledging
		// it. The decline and the matching again are saved apart, so the
		// crash may have cut the matching off; it runs again, and finds
		// nothing to do if it had run.
		err = nil
	}
	if err != nil || p.Origin == OriginRequest {
		return p, err
	}
	return p, pr.rematch(ctx, p, []string{p.MentorID, p.MenteeID})
}

// LapseDue ends every proposal whose time to answer has run out. Whoever
// accepted is told it can't go ahead; whoever did not answer is told the
// time ran out. People freed from a proposed pair are matched again.
func (pr *Programme) LapseDue(ctx context.Context) error {
	waiting, err := pr.Store.PairsIn(ctx, PairProposed, PairRequested)
	if err != nil {
		return err
	}
	now := pr.now()
	for _, p := range waiting {
		if p.AnswerBy.After(now) {
			continue
		}
		p.State, p.EndedAt = PairLapsed, now
		c := Change{Pairs: []Pair{p}}
		for _, who := range []string{p.MentorID, p.MenteeID} {
			kind := OutboxMatchOff
			switch {
			case p.AnswerOf(who) == AnswerNone:
				kind = OutboxAnswerLapsed
			case p.Origin == OriginRequest:
				kind = OutboxRequestOff
			}
			c.Outbox = append(c.Outbox, noticeItem(kind, who, p.ID, now))
		}
		err := pr.apply(ctx, c)
		if ErrorCode(err) == ECONFLICT {
			continue // answered just now; the answer stands
		}
		if err != nil {
			return fmt.Errorf("lapse pair %d: %w", p.ID, err)
		}
		if p.Origin != OriginRequest {
			if err := pr.rematch(ctx, p, []string{p.MentorID, p.MenteeID}); err != nil {
				return err
			}
		}
	}
	return nil
}

// rematch matches people freed from a pair that fell through with anyone
// still waiting, and proposes what it finds at once: they agreed to be
// matched, and HR already published their round.
func (pr *Programme) rematch(ctx context.Context, from Pair, freed []string) error {
	cycle, err := pr.openCycle(ctx)
	if err != nil || cycle == nil || cycle.ID != from.CycleID {
		return err
	}
	pl, err := pr.loadPool(ctx, cycle, nil)
	if err != nil {
		return fmt.Errorf("load who is waiting: %w", err)
	}
	now := pr.now()
	res, err := match.Run(pl.input(now))
	if err != nil {
		return err
	}
	var proposed []Pair
	for _, m := range res.Pairs {
		if !slices.Contains(freed, m.Mentor) && !slices.Contains(freed, m.Mentee) {
			continue
		}
		proposed = append(proposed, Pair{CycleID: cycle.ID, RoundID: from.RoundID, Origin: OriginRematch, MentorID: m.Mentor, MenteeID: m.Mentee,
			State: PairProposed, Fit: fitOf(m), AnswerBy: pr.answerBy(cycle, now), CreatedAt: now})
	}
	if len(proposed) == 0 {
		return nil
	}
	c := Change{Pairs: proposed}
	for i, p := range proposed {
		for _, who := range []string{p.MentorID, p.MenteeID} {
			c.Outbox = append(c.Outbox, newPairNotice(OutboxProposed, who, i+1, now))
		}
	}
	if err := pr.apply(ctx, c); err != nil {
		return fmt.Errorf("propose new pairs: %w", err)
	}
	return nil
}
