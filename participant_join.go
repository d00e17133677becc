package mentorbot

import (
	"context"
	"fmt"
)

// JoinResult says what a join changed, so the reply can say what happens next.
type JoinResult struct {
	Participant Participant
	How         Joining
}

// Joining is how a person's joining changed their place in the programme.
type Joining string

const (
	JoinedNew         Joining = "new"          // the person had not joined before
	JoinedAgain       Joining = "rejoined"     // a person who had left came back
	JoinedReapplied   Joining = "reapplied"    // a declined mentor applied again in a new cycle
	JoinedRoleChanged Joining = "role_changed" // the person switched between teaching and learning
	JoinedUpdated     Joining = "updated"      // the person changed their profile, nothing more
)

// Join saves the profile of the person with this ID. A person who joined
// before keeps their place; switching role starts them again at the new
// role's first step, because a mentor must be screened and everyone trained
// for their role. A declined mentor applies again by joining in a later
// cycle; a person who left starts again.
func (pr *Programme) Join(ctx context.Context, id string, profile Profile) (JoinResult, error) {
	now := pr.now()
	cycle, err := pr.openCycle(ctx)
	if err != nil {
		return JoinResult{}, err
	}
	existing, err := pr.Store.Participant(ctx, id)
	res := JoinResult{How: JoinedUpdated}
	var p Participant
	switch ErrorCode(err) {
	case "":
		p = existing
	case ENOTFOUND:
		p = Participant{ID: id, JoinedAt: now}
		res.How = JoinedNew
	default:
		return JoinResult{}, fmt.Errorf("load participant: %w", err)
	}
	p.Profile, p.UpdatedAt = profile, now

	var c Change
	switch {
	case res.How == JoinedNew:
		c.Moves = append(c.Moves, pr.move(&p, initialState(profile.Role), id, cycle))
	case existing.State == StateFinished && existing.Role == profile.Role:
		// Joining again after a cycle counts as opting in to the next.
		c.Moves = append(c.Moves, pr.move(&p, StateTrained, id, cycle))
	case existing.State == StateLeft:
		res.How = JoinedAgain
		c.Moves = append(c.Moves, pr.move(&p, initialState(profile.Role), id, cycle))
	case existing.Role != profile.Role:
		res.How = JoinedRoleChanged
		if existing.State == StateMatched || existing.ResumeState == StateMatched {
			return JoinResult{}, Errorf(ECONFLICT, "You're in a pair as a %s, so you can't switch role now. Finish the cycle first, or leave the programme and join again.", existing.Role)
		}
		c.Moves = append(c.Moves, pr.move(&p, initialState(profile.Role), id, cycle))
	case existing.State == StateDeclined && pr.mayReapply(existing, cycle):
		res.How = JoinedReapplied
		c.Moves = append(c.Moves, pr.move(&p, StateApplied, id, cycle))
	}
	c.Participants = []Participant{p}
	welcome := noticeItem(OutboxJoined, id, 0, now)
	welcome.Note = string(res.How)
	c.Outbox = append(c.Outbox, welcome)
	if err := pr.apply(ctx, c); err != nil {
		return JoinResult{}, fmt.Errorf("save participant: %w", err)
	}
	res.Participant = p
	return res, nil
}

// mayReapply reports whether a declined mentor may apply again: HR's
// decision holds for the cycle it was made in.
func (pr *Programme) mayReapply(p Participant, open *Cycle) bool {
	return p.State == StateDeclined && open != nil && open.ID != p.ScreenedInCycle
}
