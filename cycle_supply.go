package mentorbot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
)

// TopicSupply is one topic's demand and supply: who wants to learn it, who
// is approved to teach it and has room, and the pairs on it. Counts only,
// never a name.
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
}

// Shortfall is how many of the waiting mentees no free place can take.
func (t TopicSupply) Shortfall() int { return max(t.Waiting-t.FreePlaces, 0) }

// Short reports whether demand for the topic outruns its supply.
func (t TopicSupply) Short() bool { return t.Shortfall() > 0 }

// supplyStates are the states whose people count: taking part, or on a
// break they come back from.
var supplyStates = []State{StateApproved, StateTrained, StateMatched, StatePaused}

// SupplyOf draws every topic's supply and demand from the people taking
// part and the open pairs: topics where demand outruns supply first, the
// biggest shortfall first, then the rest by demand; ties by name.
func SupplyOf(people []Participant, open []Pair) []TopicSupply {
	busy := map[string]int{}
	for _, p := range open {
		busy[p.MentorID]++
		busy[p.MenteeID]++
	}
	byKey := map[string]*TopicSupply{}
	topicsOf := map[string]map[string]bool{}
	row := func(topic string) *TopicSupply {
		key := strings.ToLower(strings.TrimSpace(topic))
		if byKey[key] == nil {
			byKey[key] = &TopicSupply{Topic: strings.TrimSpace(topic)}
		}
		return byKey[key]
	}
	for _, p := range people {
		if !slices.Contains(supplyStates, p.State) {
			continue
		}
		topicsOf[p.ID] = map[string]bool{}
		for _, t := range p.Topics {
			r := row(t.Topic)
			topicsOf[p.ID][strings.ToLower(r.Topic)] = true
			switch p.Role {
			case RoleMentee:
				r.Wanting++
				if busy[p.ID] == 0 {
					r.Waiting++
				}
			case RoleMentor:
				r.Mentors++
				if p.State == StateTrained || p.State == StateMatched {
					r.FreePlaces += max(max(p.Capacity, 1)-busy[p.ID], 0)
				}
			}
		}
	}
	for _, p := range open {
		for key := range topicsOf[p.MentorID] {
			if topicsOf[p.MenteeID][key] {
				byKey[key].Pairs++
			}
		}
	}
	out := make([]TopicSupply, 0, len(byKey))
	for _, r := range byKey {
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

// loadSupply loads the people taking part and the open pairs, and draws
// the topics' supply and demand.
func (pr *Programme) loadSupply(ctx context.Context) ([]TopicSupply, error) {
	var people []Participant
	for _, state := range supplyStates {
		ps, err := pr.Store.ParticipantsIn(ctx, state)
		if err != nil {
			return nil, fmt.Errorf("load participants: %w", err)
		}
		people = append(people, ps...)
	}
	open, err := pr.Store.PairsIn(ctx, OpenPairStates...)
	if err != nil {
		return nil, fmt.Errorf("load pairs: %w", err)
	}
	return SupplyOf(people, open), nil
}

// Supply returns every topic's supply and demand, for admins only.
func (pr *Programme) Supply(ctx context.Context, actor string) ([]TopicSupply, error) {
	if err := pr.RequireAdmin(actor, "see the skills supply and demand"); err != nil {
		return nil, err
	}
	return pr.loadSupply(ctx)
}
