package mentorbot

import (
	"context"
	"fmt"
)

// Programme is the service every entry point (Slack, the scheduler, the demo)
// calls to change the programme. It owns the rules; the stores only keep data.
type Programme struct {
	Participants ParticipantStore
	Clock        Clock
}

// JoinResult says what a join changed, so the reply can say what happens next.
type JoinResult struct {
	Participant Participant
	New         bool // the person had not joined before
	RoleChanged bool // the person switched between teaching and learning
}

// Join saves the profile of the person with this ID. A person who joined
// before keeps their place; switching role starts them again at the new
// role's first step, because a mentor must be screened before matching.
func (pr *Programme) Join(ctx context.Context, id string, profile Profile) (JoinResult, error) {
	now := pr.Clock.Now().UTC()
	existing, err := pr.Participants.Participant(ctx, id)
	switch ErrorCode(err) {
	case "":
	case ENOTFOUND:
		p := Participant{ID: id, Profile: profile, State: initialState(profile.Role), JoinedAt: now, UpdatedAt: now}
		if err := pr.Participants.SaveParticipant(ctx, p); err != nil {
			return JoinResult{}, fmt.Errorf("save new participant: %w", err)
		}
		return JoinResult{Participant: p, New: true}, nil
	default:
		return JoinResult{}, fmt.Errorf("load participant: %w", err)
	}

	p := existing
	p.Profile = profile
	p.UpdatedAt = now
	roleChanged := existing.Role != profile.Role
	if roleChanged {
		p.State = initialState(profile.Role)
	}
	if err := pr.Participants.SaveParticipant(ctx, p); err != nil {
		return JoinResult{}, fmt.Errorf("save participant: %w", err)
	}
	return JoinResult{Participant: p, RoleChanged: roleChanged}, nil
}

// Participant returns the participant with this ID, or an ENOTFOUND error.
func (pr *Programme) Participant(ctx context.Context, id string) (Participant, error) {
	return pr.Participants.Participant(ctx, id)
}
