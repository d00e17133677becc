package mentorbot

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/mentorbot/mentorbot/match"
)

// pool is who matching may pair right now, and what keeps people apart.
type pool struct {
	cycle   *Cycle
	mentees []Participant
	mentors []Participant
	room    map[string]int // places a mentor has free
	avoid   []match.Avoid
	people  map[string]Participant
	links   map[string]string // who reports to whom, for reporting lines
}

// loadPool gathers the people waiting to be matched in the open cycle: trained
// mentees in no open pair, and mentors with room. held are draft pairs HR
// locked, whose people are spoken for.
func (pr *Programme) loadPool(ctx context.Context, cycle *Cycle, held []Pair) (*pool, error) {
	pl := &pool{cycle: cycle, room: map[string]int{}, people: map[string]Participant{}}
	open, err := pr.Store.PairsIn(ctx, OpenPairStates...)
	if err != nil {
		return nil, err
	}
	busy := map[string]int{}
	for _, p := range append(open, held...) {
		busy[p.MentorID]++
		busy[p.MenteeID]++
	}
	for _, state := range []State{StateTrained, StateMatched} {
		ps, err := pr.Store.ParticipantsIn(ctx, state)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			pl.people[p.ID] = p
			switch {
			case p.Role == RoleMentee && p.Matchable() && busy[p.ID] == 0:
				pl.mentees = append(pl.mentees, p)
			// A matched mentor with room left may take another mentee.
			case p.Role == RoleMentor && max(p.Capacity, 1) > busy[p.ID]:
				pl.mentors = append(pl.mentors, p)
				pl.room[p.ID] = max(p.Capacity, 1) - busy[p.ID]
			}
		}
	}
	history, err := pr.Store.PairsIn(ctx, PairProposed, PairRequested, PairActive, PairDeclined, PairLapsed, PairEnded)
	if err != nil {
		return nil, err
	}
	for _, p := range history {
		pl.avoid = append(pl.avoid, match.Avoid{Mentor: p.MentorID, Mentee: p.MenteeID, Rule: match.RuleRepeat})
	}
	dont, err := pr.Store.DontPairs(ctx, cycle.ID)
	if err != nil {
		return nil, err
	}
	for _, d := range dont {
		// An entry names two people without saying who teaches.
		pl.avoid = append(pl.avoid,
			match.Avoid{Mentor: d.PersonID, Mentee: d.OtherID, Rule: match.RuleAsked},
			match.Avoid{Mentor: d.OtherID, Mentee: d.PersonID, Rule: match.RuleAsked})
	}
	if pl.links, err = pr.Store.ManagerLinks(ctx); err != nil {
		return nil, err
	}
	return pl, nil
}

// maxReportingLine bounds how far up a reporting line is followed, in case
// profiles name managers in a loop.
const maxReportingLine = 12

// person is how matching sees a participant, with free time moved to UTC
// as it stands at the given moment.
func (pl *pool) person(p Participant, at time.Time) match.Person {
	mp := match.Person{ID: p.ID, JobLevel: int(p.JobLevel), Department: p.Department, Capacity: pl.room[p.ID]}
	for boss := p.ManagerID; boss != "" && len(mp.Managers) < maxReportingLine && boss != p.ID; boss = pl.links[boss] {
		if slices.Contains(mp.Managers, boss) {
			break
		}
		mp.Managers = append(mp.Managers, boss)
	}
	for _, t := range p.Topics {
		mp.Topics = append(mp.Topics, match.Topic{Name: t.Topic, Level: int(t.Level)})
	}
	_, offset := at.In(p.location()).Zone()
	shift := offset / 60
	for _, w := range p.Availability {
		start := int(w.Day)*24*60 + w.Start - shift
		end := int(w.Day)*24*60 + w.End - shift
		if start < 0 {
			start, end = start+weekMinutes, end+weekMinutes
		}
		mp.Free = append(mp.Free, match.Interval{Start: start, End: end})
	}
	return mp
}

const weekMinutes = 7 * 24 * 60

// input is a matching problem over the whole pool.
func (pl *pool) input(at time.Time) match.Input {
	in := match.Input{Avoid: pl.avoid, Settings: pl.cycle.Matching.settings(pl.cycle.SessionLength)}
	for _, p := range pl.mentors {
		in.Mentors = append(in.Mentors, pl.person(p, at))
	}
	for _, p := range pl.mentees {
		in.Mentees = append(in.Mentees, pl.person(p, at))
	}
	return in
}

// fitOf is the pair's explanation as the programme keeps it.
func fitOf(m match.Pair) Fit {
	f := Fit{Score: m.Score.Total, Topics: m.Score.Topics, Overlap: m.Score.Overlap, Department: m.Score.Department,
		OverlapMinutes: m.OverlapMinutes, CrossDepartment: m.CrossDepartment}
	for _, s := range m.Shared {
		f.Shared = append(f.Shared, SharedTopic{Topic: s.Name, MentorLevel: Level(s.MentorLevel), MenteeLevel: Level(s.MenteeLevel)})
	}
	return f
}

// requireCycle returns the open cycle, or says matching needs one.
func (pr *Programme) requireCycle(ctx context.Context) (*Cycle, error) {
	cycle, err := pr.openCycle(ctx)
	if err == nil && cycle == nil {
		err = Errorf(ECONFLICT, "No cycle is open. Open one with %s, then match.", Command("cycle"))
	}
	return cycle, err
}

// adminCycle checks that the actor is an admin and returns the open cycle
// they act on.
func (pr *Programme) adminCycle(ctx context.Context, actor, what string) (*Cycle, error) {
	if err := pr.RequireAdmin(actor, what); err != nil {
		return nil, err
	}
	return pr.requireCycle(ctx)
}

// DraftRound runs matching over everyone waiting and keeps the result as
// the cycle's private draft: a new one, or the draft HR is adjusting, whose
// locked pairs stay while the rest are matched again.
func (pr *Programme) DraftRound(ctx context.Context, actor string) (Round, error) {
	cycle, err := pr.adminCycle(ctx, actor, "match people")
	if err != nil {
		return Round{}, err
	}
	round, err := pr.Store.UnpublishedRound(ctx, cycle.ID)
	switch ErrorCode(err) {
	case "":
	case ENOTFOUND:
		round = Round{CycleID: cycle.ID, State: RoundDraft, CreatedBy: actor}
	default:
		return Round{}, err
	}
	var locked []Pair
	for _, p := range round.Pairs {
		if p.State == PairDraft && p.Locked {
			locked = append(locked, p)
		}
	}
	now := pr.now()
	pl, err := pr.loadPool(ctx, cycle, locked)
	if err != nil {
		return Round{}, fmt.Errorf("load who is waiting: %w", err)
	}
	res, err := match.Run(pl.input(now))
	if err != nil {
		return Round{}, err
	}
	round.CreatedAt, round.Report, round.Unmatched = now, res.Report, nil
	for _, u := range res.Unmatched {
		role := RoleMentee
		if u.Mentor {
			role = RoleMentor
		}
		round.Unmatched = append(round.Unmatched, Unmatched{ParticipantID: u.ID, Role: role, Why: u.Why()})
	}
	c := Change{Round: &round}
	for _, m := range res.Pairs {
		c.Pairs = append(c.Pairs, Pair{CycleID: cycle.ID, RoundID: round.ID, Origin: OriginRound, MentorID: m.Mentor, MenteeID: m.Mentee,
			State: PairDraft, Fit: fitOf(m), CreatedAt: now})
	}
	if err := pr.apply(ctx, c); err != nil {
		return Round{}, fmt.Errorf("save draft round: %w", err)
	}
	return pr.Store.UnpublishedRound(ctx, cycle.ID)
}

// Draft returns the cycle's draft round as HR last left it.
func (pr *Programme) Draft(ctx context.Context, actor string) (Round, error) {
	cycle, err := pr.adminCycle(ctx, actor, "match people")
	if err != nil {
		return Round{}, err
	}
	return pr.Store.UnpublishedRound(ctx, cycle.ID)
}

// draftPair loads a pair of the draft round for HR to adjust.
func (pr *Programme) draftPair(ctx context.Context, actor string, pairID int64) (Pair, *Cycle, error) {
	cycle, err := pr.adminCycle(ctx, actor, "match people")
	if err != nil {
		return Pair{}, nil, err
	}
	p, err := pr.Store.Pair(ctx, pairID)
	if err != nil {
		return Pair{}, nil, err
	}
	if p.State != PairDraft || p.CycleID != cycle.ID {
		return Pair{}, nil, Errorf(ECONFLICT, "That pair is no longer in the draft: it was published or matched again. Type %s to see the draft as it is now.", Command("match"))
	}
	return p, cycle, nil
}

// LockPair keeps a draft pair (or lets it go, when locked is false) when
// the round runs again.
func (pr *Programme) LockPair(ctx context.Context, actor string, pairID int64, locked bool) (Round, error) {
	p, cycle, err := pr.draftPair(ctx, actor, pairID)
	if err != nil {
		return Round{}, err
	}
	p.Locked = locked
	if err := pr.apply(ctx, Change{Pairs: []Pair{p}}); err != nil {
		return Round{}, fmt.Errorf("lock pair: %w", err)
	}
	return pr.Store.UnpublishedRound(ctx, cycle.ID)
}

// RemovePair takes a pair out of the draft, and keeps the two apart for
// the rest of the cycle; running the round again finds them others.
func (pr *Programme) RemovePair(ctx context.Context, actor string, pairID int64) (Round, error) {
	p, cycle, err := pr.draftPair(ctx, actor, pairID)
	if err != nil {
		return Round{}, err
	}
	p.State, p.Locked = PairRemoved, false
	c := Change{Pairs: []Pair{p}, DontPairs: []DontPair{{PersonID: p.MentorID, OtherID: p.MenteeID, By: actor, CycleID: cycle.ID, CreatedAt: pr.now()}}}
	if err := pr.apply(ctx, c); err != nil {
		return Round{}, fmt.Errorf("remove pair: %w", err)
	}
	return pr.Store.UnpublishedRound(ctx, cycle.ID)
}

// PublishRound proposes the draft's pairs to their people, who each have
// the cycle's answer days to accept. A pair whose people were paired
// elsewhere since the draft was made is dropped, and HR is told how many.
func (pr *Programme) PublishRound(ctx context.Context, actor string) (Round, int, error) {
	cycle, err := pr.adminCycle(ctx, actor, "publish a matching round")
	if err != nil {
		return Round{}, 0, err
	}
	round, err := pr.Store.UnpublishedRound(ctx, cycle.ID)
	if err != nil {
		return Round{}, 0, err
	}
	pl, err := pr.loadPool(ctx, cycle, nil)
	if err != nil {
		return Round{}, 0, fmt.Errorf("load who is waiting: %w", err)
	}
	now := pr.now()
	round.State, round.PublishedAt = RoundPublished, now
	c := Change{Round: &round}
	var proposed []Pair
	dropped := 0
	waiting := map[string]bool{}
	for _, p := range pl.mentees {
		waiting[p.ID] = true
	}
	for _, p := range round.Pairs {
		if p.State != PairDraft {
			continue
		}
		if !waiting[p.MenteeID] || pl.room[p.MentorID] == 0 {
			p.State = PairWithdrawn
			c.Pairs = append(c.Pairs, p)
			dropped++
			continue
		}
		waiting[p.MenteeID] = false
		pl.room[p.MentorID]--
		p.State, p.Locked, p.AnswerBy = PairProposed, false, pr.answerBy(cycle, now)
		c.Pairs = append(c.Pairs, p)
		proposed = append(proposed, p)
		for _, who := range []string{p.MentorID, p.MenteeID} {
			c.Outbox = append(c.Outbox, noticeItem(OutboxProposed, who, p.ID, now))
		}
	}
	if len(proposed) == 0 && dropped == 0 {
		return Round{}, 0, Errorf(ECONFLICT, "The draft has no pairs to publish. Run it again once more people are trained, or remove fewer pairs.")
	}
	if err := pr.apply(ctx, c); err != nil {
		return Round{}, 0, fmt.Errorf("publish round: %w", err)
	}
	round.Pairs = proposed
	return round, dropped, nil
}

// answerBy is when a pair proposed now lapses unanswered.
func (pr *Programme) answerBy(cycle *Cycle, now time.Time) time.Time {
	days := cycle.Matching.AnswerDays
	if days <= 0 {
		days = DefaultMatchSettings.AnswerDays
	}
	return now.AddDate(0, 0, days)
}
