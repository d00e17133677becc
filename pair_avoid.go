package mentorbot

import (
	"context"
	"fmt"
	"slices"
)

// MaxAvoided bounds a person's own don't-pair list: it is for the few
// people one can't be open with, not a way to choose.
const MaxAvoided = 10

// FieldAvoided names the don't-pair form's people.
const FieldAvoided = "avoided"

// Avoided returns the people this person asked never to be paired with.
func (pr *Programme) Avoided(ctx context.Context, id string) ([]string, error) {
	if _, err := pr.joined(ctx, id); err != nil {
		return nil, err
	}
	entries, err := pr.Store.DontPairsBy(ctx, id)
	if err != nil {
		return nil, err
	}
	var others []string
	for _, d := range entries {
		others = append(others, d.OtherID)
	}
	return others, nil
}

// SetAvoided replaces the person's own don't-pair list. Nobody else ever
// sees it, and it holds for good, in every cycle.
func (pr *Programme) SetAvoided(ctx context.Context, id string, others []string) error {
	if _, err := pr.joined(ctx, id); err != nil {
		return err
	}
	others = slices.Compact(slices.Sorted(slices.Values(others)))
	switch {
	case slices.Contains(others, id):
		return &Error{Code: EINVALID, Message: "You can't avoid yourself.", Fields: map[string]string{FieldAvoided: "Take yourself off the list."}}
	case len(others) > MaxAvoided:
		return &Error{Code: EINVALID, Message: "That's a long list.", Fields: map[string]string{FieldAvoided: fmt.Sprintf("Keep it to %d people; HR matches within the rules for everyone else.", MaxAvoided)}}
	}
	old, err := pr.Store.DontPairsBy(ctx, id)
	if err != nil {
		return err
	}
	now := pr.now()
	var c Change
	for _, d := range old {
		if !slices.Contains(others, d.OtherID) {
			c.DroppedDontPairs = append(c.DroppedDontPairs, d)
		}
	}
	for _, o := range others {
		c.DontPairs = append(c.DontPairs, DontPair{PersonID: id, OtherID: o, By: id, CreatedAt: now})
	}
	if err := pr.apply(ctx, c); err != nil {
		return fmt.Errorf("save don't-pair list: %w", err)
	}
	return nil
}
