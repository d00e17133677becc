package mentorbot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
)

// TopicSupply is one topic's demand and supply: who wants to learn it, who
// is approved to teach it and has room, and the pairs and teach-ins on it.
// Counts only, never a name.
type TopicSupply struct {
	Topic string
	// Wanting counts the mentees taking part who want to learn it, and
	// Waiting those of them who are in no pair yet.
	Wanting, Waiting int
	// Mentors counts the approved mentors who teach it, and FreePlaces the
	// places those ready to be matched have left.
	Mentors, FreePlaces int
	// Pairs counts the open pairs whose two people share it.
	Pairs int
	// TeachIns counts the teach-ins on it still to come: one-off, so they
	// ease a shortage without closing it.
	TeachIns int
}

// Shortfall is how many of the waiting mentees no free place can take.
func (t TopicSupply) Shortfall() int { return max(t.Waiting-t.FreePlaces, 0) }

// Short reports whether demand for the topic outruns its supply.
func (t TopicSupply) Short() bool { return t.Shortfall() > 0 }

// TopicHolder is one topic of one participant, and what supply and demand
// needs to know of them: a profile's topics without the rest of it, so the
// counts stay light however many people take part.
type TopicHolder struct {
	ParticipantID string
	Role          Role
	State         State
	Capacity      int
	Topic         string
}

// supplyStates are the states whose people count: taking part, or on a
// break they come back from.
var supplyStates = []State{StateApproved, StateTrained, StateMatched, StatePaused}

// SupplyOf draws every topic's supply and demand from the topics of the
// people taking part, each person's together, the pairs and the teach-ins
// to come: topics where demand outruns supply first, the biggest shortfall
// first, then the rest by demand; ties by name. Only the open pairs and
// the teach-ins not called off count.
func SupplyOf(holders []TopicHolder, pairs []Pair, teachIns []TeachIn) []TopicSupply {
	c := newSupplyCount(pairs, teachIns)
	for _, h := range holders {
		c.add(h)
	}
	return c.result()
}

// supplyCount counts topics one holder at a time, so the store can hand
// them over as it reads them, without a list of them all.
type supplyCount struct {
	open []Pair
	busy map[string]int
	// Topics are counted by their name in any letters; a name is looked
	// up once however many people give it.
	byKey, rowOf map[string]*TopicSupply
	// paired keeps the topics of the people in open pairs, to count the
	// pairs on each; person and theirs are the holder being read.
	paired map[string][]*TopicSupply
	person string
	theirs []*TopicSupply
}

func newSupplyCount(pairs []Pair, teachIns []TeachIn) *supplyCount {
	c := &supplyCount{busy: map[string]int{}, byKey: map[string]*TopicSupply{}, rowOf: map[string]*TopicSupply{}, paired: map[string][]*TopicSupply{}}
	for _, p := range pairs {
		if slices.Contains(OpenPairStates, p.State) {
			c.open = append(c.open, p)
			c.busy[p.MentorID]++
			c.busy[p.MenteeID]++
		}
	}
	for _, t := range teachIns {
		if t.State == TeachInOpen {
			c.row(t.Topic).TeachIns++
		}
	}
	return c
}

func (c *supplyCount) row(topic string) *TopicSupply {
	if r := c.rowOf[topic]; r != nil {
		return r
	}
	name := strings.TrimSpace(topic)
	key := strings.ToLower(name)
	if c.byKey[key] == nil {
		c.byKey[key] = &TopicSupply{Topic: name}
	}
	c.rowOf[topic] = c.byKey[key]
	return c.byKey[key]
}

func (c *supplyCount) add(h TopicHolder) {
	if !slices.Contains(supplyStates, h.State) {
		return
	}
	if h.ParticipantID != c.person {
		c.person, c.theirs = h.ParticipantID, nil
	}
	r := c.row(h.Topic)
	if slices.Contains(c.theirs, r) {
		return // the same topic twice, in other letters
	}
	c.theirs = append(c.theirs, r)
	busy := c.busy[c.person]
	if busy > 0 {
		c.paired[c.person] = c.theirs
	}
	switch h.Role {
	case RoleMentee:
		r.Wanting++
		if busy == 0 {
			r.Waiting++
		}
	case RoleMentor:
		r.Mentors++
		if h.State == StateTrained || h.State == StateMatched {
			r.FreePlaces += max(max(h.Capacity, 1)-busy, 0)
		}
	}
}

func (c *supplyCount) result() []TopicSupply {
	for _, p := range c.open {
		for _, r := range c.paired[p.MentorID] {
			if slices.Contains(c.paired[p.MenteeID], r) {
				r.Pairs++
			}
		}
	}
	out := make([]TopicSupply, 0, len(c.byKey))
	for _, r := range c.byKey {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b TopicSupply) int {
		return cmp.Or(-cmp.Compare(a.Shortfall(), b.Shortfall()), -cmp.Compare(a.Wanting, b.Wanting),
			-cmp.Compare(a.Mentors, b.Mentors), cmp.Compare(strings.ToLower(a.Topic), strings.ToLower(b.Topic)))
	})
	return out
}

// Shortages are the topics of a supply where demand outruns it.
func Shortages(supply []TopicSupply) []TopicSupply {
	i := slices.IndexFunc(supply, func(t TopicSupply) bool { return !t.Short() })
	if i < 0 {
		return supply
	}
	return supply[:i]
}

// loadSupply loads the topics of the people taking part and the teach-ins
// to come, and draws their supply and demand; pairs are what the caller
// loaded, of any states.
func (pr *Programme) loadSupply(ctx context.Context, pairs []Pair) ([]TopicSupply, error) {
	teachIns, err := pr.Store.TeachInsFrom(ctx, pr.now())
	if err != nil {
		return nil, fmt.Errorf("load teach-ins: %w", err)
	}
	c := newSupplyCount(pairs, teachIns)
	err = pr.Store.EachTopicHolder(ctx, supplyStates, func(h TopicHolder) error {
		c.add(h)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load topics: %w", err)
	}
	return c.result(), nil
}

// Supply returns every topic's supply and demand, for admins only.
func (pr *Programme) Supply(ctx context.Context, actor string) ([]TopicSupply, error) {
	if err := pr.RequireAdmin(actor, "see the skills supply and demand"); err != nil {
		return nil, err
	}
	open, err := pr.Store.PairsIn(ctx, OpenPairStates...)
	if err != nil {
		return nil, fmt.Errorf("load pairs: %w", err)
	}
	return pr.loadSupply(ctx, open)
}
