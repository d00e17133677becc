package mentorbot

import (
	"context"
	"fmt"
)

// CycleDraft returns what the cycle form starts with for an admin: the open
// cycle to edit, or defaults for a new one. editing says which.
func (pr *Programme) CycleDraft(ctx context.Context, actor string) (form CycleForm, editing bool, err error) {
	if err := pr.RequireAdmin(actor, "set up programme cycles"); err != nil {
		return form, false, err
	}
	open, err := pr.openCycle(ctx)
	if err != nil {
		return form, false, err
	}
	if open != nil {
		return open.Form(), true, nil
	}
	start := pr.today()
	draft := Cycle{
		StartsOn:      start,
		EndsOn:        start.AddDate(0, 6, -1),
		Cadence:       CadenceFortnightly,
		SessionLength: SessionLengths[2],
		GroundRules:   pr.Onboarding.GroundRules,
		Topics:        DefaultTopics,
		Matching:      DefaultMatchSettings,
	}
	form = draft.Form()
	form.Name = ""
	return form, false, nil
}

// SaveCycle opens a new cycle, or edits the open one, with the settings an
// admin wrote.
func (pr *Programme) SaveCycle(ctx context.Context, actor string, form CycleForm) (Cycle, error) {
	if err := pr.RequireAdmin(actor, "set up programme cycles"); err != nil {
		return Cycle{}, err
	}
	open, err := pr.openCycle(ctx)
	if err != nil {
		return Cycle{}, err
	}
	c, err := form.Parse(pr.today(), open)
	if err != nil {
		return Cycle{}, err
	}
	now := pr.now()
	if open != nil {
		c.ID, c.CreatedBy, c.CreatedAt = open.ID, open.CreatedBy, open.CreatedAt
	} else {
		c.CreatedBy, c.CreatedAt = actor, now
	}
	c.UpdatedAt = now
	saved, err := pr.Store.SaveCycle(ctx, c)
	if err != nil {
		return Cycle{}, fmt.Errorf("save cycle: %w", err)
	}
	return saved, nil
}
