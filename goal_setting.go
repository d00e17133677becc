package mentorbot

import (
	"context"
	"fmt"
)

// GoalsDraft returns a person's goals for the open cycle, to edit them.
func (pr *Programme) GoalsDraft(ctx context.Context, id string) (Participant, []Goal, error) {
	p, cycle, err := pr.goalSetter(ctx, id)
	if err != nil {
		return p, nil, err
	}
	goals, err := pr.Store.Goals(ctx, id, cycle.ID)
	if err != nil {
		return p, nil, fmt.Errorf("load goals: %w", err)
	}
	return p, goals, nil
}

// SaveGoals replaces a person's goals for the open cycle.
func (pr *Programme) SaveGoals(ctx context.Context, id string, form GoalForm) ([]Goal, error) {
	p, cycle, err := pr.goalSetter(ctx, id)
	if err != nil {
		return nil, err
	}
	goals, err := form.Parse(p.Role)
	if err != nil {
		return nil, err
	}
	set := GoalSet{ParticipantID: id, CycleID: cycle.ID, Goals: goals, UpdatedAt: pr.now()}
	if err := pr.apply(ctx, Change{Goals: []GoalSet{set}}); err != nil {
		return nil, fmt.Errorf("save goals: %w", err)
	}
	return goals, nil
}

// goalSetter loads a person who may set goals now, and the cycle they are for.
func (pr *Programme) goalSetter(ctx context.Context, id string) (Participant, *Cycle, error) {
	p, err := pr.joined(ctx, id)
	if err != nil {
		return p, nil, err
	}
	switch {
	case p.State == StateApplied:
		return p, nil, Errorf(ECONFLICT, "You can set goals once HR has approved your application to mentor.")
	case !p.TakingPart():
		return p, nil, Errorf(ECONFLICT, "You're not taking part in this cycle, so there are no goals to set.")
	}
	cycle, err := pr.openCycle(ctx)
	if err != nil {
		return p, nil, err
	}
	if cycle == nil {
		return p, nil, Errorf(ECONFLICT, "No cycle is open, so there are no goals to set yet: goals belong to a cycle. You'll hear when HR opens the next one.")
	}
	return p, cycle, nil
}
