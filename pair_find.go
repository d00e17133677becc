package mentorbot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/mentorbot/mentorbot/match"
)

// Limits on self-service, so a mentee's requests stay a choice rather
// than a broadcast.
const (
	MaxOpenRequests = 3
	FindResults     = 8
)

// MentorOption is a mentor a mentee may ask, and how well they fit.
type MentorOption struct {
	Mentor    Participant
	Fit       Fit
	Room      int  // places the mentor has free
	Requested bool // the mentee has asked them already
}

// Finding is what a mentee sees when browsing mentors.
type Finding struct {
	Options      []MentorOption
	OpenRequests int
	Topic        string // the filter, "" for all
}

// seeker loads a mentee who may browse and ask mentors, with the pool.
func (pr *Programme) seeker(ctx context.Context, id string) (Participant, *pool, error) {
	p, err := pr.joined(ctx, id)
	if err != nil {
		return p, nil, err
	}
	switch {
	case p.Role != RoleMentee:
		return p, nil, Errorf(ECONFLICT, "Finding a mentor is for mentees. As a mentor, HR matches you, and mentees can ask you directly.")
	case p.State == StateApproved:
		return p, nil, Errorf(ECONFLICT, "Read the onboarding first: press Onboarding on the mentorbot Home tab. Then you can look for a mentor.")
	case p.State == StateMatched:
		return p, nil, Errorf(ECONFLICT, "You're already in a pair. To change mentor, talk to HR.")
	case p.State != StateTrained:
		return p, nil, Errorf(ECONFLICT, "You're not taking part right now, so you can't ask a mentor.")
	}
	cycle, err := pr.requireCycle(ctx)
	if err != nil {
		return p, nil, err
	}
	proposed, err := pr.Store.PairsOf(ctx, id, PairProposed)
	if err != nil {
		return p, nil, err
	}
	if len(proposed) > 0 {
		return p, nil, Errorf(ECONFLICT, "HR has proposed a match for you: answer it in your DMs first.")
	}
	pl, err := pr.loadPool(ctx, cycle, nil)
	if err != nil {
		return p, nil, fmt.Errorf("load mentors: %w", err)
	}
	// Asking a mentor does not take the mentee out of the pool for
	// browsing: they may ask up to MaxOpenRequests at once.
	pl.people[p.ID] = p
	return p, pl, nil
}

// FindMentors ranks the mentors a mentee may ask, best first, keeping
// every hard rule; topic narrows them to those who teach it.
func (pr *Programme) FindMentors(ctx context.Context, id, topic string) (Finding, error) {
	p, pl, err := pr.seeker(ctx, id)
	if err != nil {
		return Finding{}, err
	}
	topic = strings.TrimSpace(topic)
	ranked, err := pr.rank(pl, p, topic)
	if err != nil {
		return Finding{}, err
	}
	open, err := pr.Store.PairsOf(ctx, id, PairRequested)
	if err != nil {
		return Finding{}, err
	}
	f := Finding{OpenRequests: len(open), Topic: topic}
	for _, m := range ranked {
		if len(f.Options) == FindResults {
			break
		}
		f.Options = append(f.Options, MentorOption{Mentor: pl.people[m.Mentor], Fit: fitOf(m), Room: pl.room[m.Mentor],
			Requested: slices.ContainsFunc(open, func(o Pair) bool { return o.MentorID == m.Mentor })})
	}
	// Mentors already asked are never lost from sight.
	for _, o := range open {
		if !slices.ContainsFunc(f.Options, func(m MentorOption) bool { return m.Mentor.ID == o.MentorID }) {
			f.Options = append(f.Options, MentorOption{Mentor: pl.people[o.MentorID], Fit: o.Fit, Room: pl.room[o.MentorID], Requested: true})
		}
	}
	if len(f.Options) == 0 {
		if topic != "" {
			return f, Errorf(ENOTFOUND, "No mentor who is free right now teaches %q and fits you. Try %s without a topic to see everyone who does.", topic, Command("find"))
		}
		return f, Errorf(ENOTFOUND, "No mentor who is free right now fits you: they teach other topics, are busy at your times, or are full. HR will match you in the next round.")
	}
	return f, nil
}

// rank lists the pool's mentors for one mentee, keeping the hard rules,
// and those teaching topic when it is not "".
func (pr *Programme) rank(pl *pool, p Participant, topic string) ([]match.Pair, error) {
	now := pr.now()
	in := match.Input{Avoid: pl.avoid, Settings: pl.cycle.Matching.settings(pl.cycle.SessionLength), Mentees: []match.Person{pl.person(p, now)}}
	for _, m := range pl.mentors {
		if topic == "" || slices.ContainsFunc(m.Topics, func(t TopicInterest) bool {
			return strings.Contains(strings.ToLower(t.Topic), strings.ToLower(topic))
		}) {
			in.Mentors = append(in.Mentors, pl.person(m, now))
		}
	}
	return match.Rank(in)
}

// RequestMentor asks a mentor to take the mentee on. The mentee agrees by
// asking; the pair starts when the mentor accepts.
func (pr *Programme) RequestMentor(ctx context.Context, id, mentorID string) (Pair, error) {
	p, pl, err := pr.seeker(ctx, id)
	if err != nil {
		return Pair{}, err
	}
	open, err := pr.Store.PairsOf(ctx, id, PairRequested)
	if err != nil {
		return Pair{}, err
	}
	if slices.ContainsFunc(open, func(o Pair) bool { return o.MentorID == mentorID }) {
		return Pair{}, Errorf(ECONFLICT, "You've already asked %s; they have until the deadline to answer.", Person(mentorID))
	}
	if len(open) >= MaxOpenRequests {
		return Pair{}, Errorf(ECONFLICT, "You have %d requests waiting for an answer, the most at once. Wait for one to be answered, or for its deadline to pass.", len(open))
	}
	mentor, ok := pl.people[mentorID]
	if !ok || mentor.Role != RoleMentor || pl.room[mentorID] == 0 {
		return Pair{}, Errorf(ECONFLICT, "%s can't take on another mentee right now. Type %s to see who can.", Person(mentorID), Command("find"))
	}
	pl.mentors = []Participant{mentor}
	ranked, err := pr.rank(pl, p, "")
	if err != nil {
		return Pair{}, err
	}
	if len(ranked) == 0 {
		return Pair{}, Errorf(ECONFLICT, "%s isn't a possible mentor for you in this cycle. Type %s to see who is.", Person(mentorID), Command("find"))
	}
	now := pr.now()
	pair := Pair{CycleID: pl.cycle.ID, Origin: OriginRequest, MentorID: mentorID, MenteeID: id, State: PairRequested,
		Fit: fitOf(ranked[0]), MenteeAnswer: AnswerAccepted, MenteeAnsweredAt: now, AnswerBy: pr.answerBy(pl.cycle, now), CreatedAt: now}
	c := Change{Pairs: []Pair{pair}, Outbox: []OutboxItem{newPairNotice(OutboxRequested, mentorID, 1, now)}}
	if err := pr.apply(ctx, c); err != nil {
		return Pair{}, fmt.Errorf("save request: %w", err)
	}
	return c.Pairs[0], nil
}
