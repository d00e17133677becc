package mentorbot

import (
	"context"
	"fmt"
)

// Lesson is the onboarding a person reads before they can be matched.
type Lesson struct {
	Role            Role
	State           State // the reader's
	Guidance        string
	GroundRules     string // the open cycle's, or the defaults
	Confidentiality string
	Read            bool // the person has already confirmed reading it
	Confirmable     bool // the person may confirm it now: approved, not yet trained
}

// Lesson returns the onboarding for the person with this ID.
func (pr *Programme) Lesson(ctx context.Context, id string) (Lesson, error) {
	p, err := pr.joined(ctx, id)
	if err != nil {
		return Lesson{}, err
	}
	cycle, err := pr.openCycle(ctx)
	if err != nil {
		return Lesson{}, err
	}
	rules := pr.Onboarding.GroundRules
	if cycle != nil {
		rules = cycle.GroundRules
	}
	return Lesson{
		Role:            p.Role,
		State:           p.State,
		Guidance:        pr.Onboarding.ForRole(p.Role),
		GroundRules:     rules,
		Confidentiality: pr.Onboarding.Confidentiality,
		Read:            p.State == StateTrained || p.State == StateMatched || (p.State == StatePaused && p.ResumeState != StateApproved),
		Confirmable:     p.State == StateApproved,
	}, nil
}

// Train records that the person read their role's onboarding, which makes
// them matchable. Reading it again changes nothing.
func (pr *Programme) Train(ctx context.Context, id string) (Participant, error) {
	p, err := pr.joined(ctx, id)
	if err != nil {
		return p, err
	}
	switch p.State {
	case StateApproved:
	case StateTrained, StateMatched:
		return p, nil
	case StateApplied:
		return p, Errorf(ECONFLICT, "Your application to mentor is still with HR. Once they approve it, you'll confirm the onboarding here.")
	case StatePaused:
		return p, Errorf(ECONFLICT, "You're paused. Resume first, then confirm the onboarding.")
	default:
		return p, Errorf(ECONFLICT, "You're not taking part right now. Type %s to come back.", Command("join"))
	}
	cycle, err := pr.openCycle(ctx)
	if err != nil {
		return p, err
	}
	t := pr.move(&p, StateTrained, id, cycle)
	if err := pr.apply(ctx, Change{Moves: []Transition{t}, Participants: []Participant{p}}); err != nil {
		return p, fmt.Errorf("save training: %w", err)
	}
	return p, nil
}
