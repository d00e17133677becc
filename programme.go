package mentorbot

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Programme is the service every entry point (Slack, the scheduler, the demo)
// calls to change the programme. It owns the rules; the store only keeps data.
type Programme struct {
	Store      Store
	Clock      Clock
	Admins     []string       // chat user IDs of the programme's admins
	Location   *time.Location // the programme's time zone, for cycle dates
	Onboarding Onboarding
	// ReminderLeads are how long before each session both people are
	// nudged; nil means DefaultReminderLeads.
	ReminderLeads []time.Duration
	// HRChannel is where summaries and cycle reports go; empty turns
	// them off.
	HRChannel string
	// RiskRules say when a pair is at risk; zero means DefaultRiskRules.
	RiskRules RiskRules
	// OnOutbox, when set, is called after a change added messages to the
	// outbox, so the sender wakes rather than waiting for its next round.
	OnOutbox func()
}

// DefaultReminderLeads nudge a day ahead, to make room, and an hour ahead,
// to turn up.
var DefaultReminderLeads = []time.Duration{24 * time.Hour, time.Hour}

// apply writes a change and wakes the sender when it owes messages.
func (pr *Programme) apply(ctx context.Context, c Change) error {
	if err := pr.Store.Apply(ctx, c); err != nil {
		return err
	}
	if len(c.Outbox) > 0 && pr.OnOutbox != nil {
		pr.OnOutbox()
	}
	return nil
}

// IsAdmin reports whether the person with this ID runs the programme.
func (pr *Programme) IsAdmin(id string) bool { return slices.Contains(pr.Admins, id) }

// RequireAdmin refuses, politely, a person who is not an admin; what says
// what they tried, as in "open a cycle".
func (pr *Programme) RequireAdmin(id, what string) error {
	if pr.IsAdmin(id) {
		return nil
	}
	return Errorf(EFORBIDDEN, "Only the programme's admins can %s. If you think you should be one, ask HR to add you.", what)
}

func (pr *Programme) now() time.Time { return pr.Clock.Now().UTC() }

// today is the date in the programme's time zone.
func (pr *Programme) today() time.Time {
	return Day(pr.Clock.Now().In(pr.location()))
}

// openCycle returns the open cycle, or nil when none is open.
func (pr *Programme) openCycle(ctx context.Context) (*Cycle, error) {
	c, err := pr.Store.OpenCycle(ctx)
	switch ErrorCode(err) {
	case "":
		return &c, nil
	case ENOTFOUND:
		return nil, nil
	}
	return nil, fmt.Errorf("load the open cycle: %w", err)
}

func cycleID(c *Cycle) int64 {
	if c == nil {
		return 0
	}
	return c.ID
}

// move changes p's state to to, on behalf of by, and returns the
// transition to store with it.
func (pr *Programme) move(p *Participant, to State, by string, cycle *Cycle) Transition {
	t := Transition{ParticipantID: p.ID, Role: p.Role, From: p.State, To: to, By: by, CycleID: cycleID(cycle), At: pr.now()}
	p.State, p.StateSince, p.UpdatedAt = to, t.At, t.At
	if to != StatePaused {
		p.PausedUntil, p.ResumeState = time.Time{}, ""
	}
	return t
}

// JoinResult says what a join changed, so the reply can say what happens next.
type JoinResult struct {
	Participant Participant
	New         bool // the person had not joined before
	RoleChanged bool // the person switched between teaching and learning
	Reapplied   bool // a declined mentor applied again in a new cycle
	Rejoined    bool // a person who had left came back
}

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
	var res JoinResult
	var p Participant
	switch ErrorCode(err) {
	case "":
		p = existing
	case ENOTFOUND:
		p = Participant{ID: id, JoinedAt: now}
		res.New = true
	default:
		return JoinResult{}, fmt.Errorf("load participant: %w", err)
	}
	p.Profile, p.UpdatedAt = profile, now

	var c Change
	switch {
	case res.New:
		c.Moves = append(c.Moves, pr.move(&p, initialState(profile.Role), id, cycle))
	case existing.State == StateFinished && existing.Role == profile.Role:
		// Joining again after a cycle counts as opting in to the next.
		c.Moves = append(c.Moves, pr.move(&p, StateTrained, id, cycle))
	case existing.State == StateLeft:
		res.Rejoined = true
		c.Moves = append(c.Moves, pr.move(&p, initialState(profile.Role), id, cycle))
	case existing.Role != profile.Role:
		res.RoleChanged = true
		if existing.State == StateMatched || existing.ResumeState == StateMatched {
			return JoinResult{}, Errorf(ECONFLICT, "You're in a pair as a %s, so you can't switch role now. Finish the cycle first, or leave the programme and join again.", existing.Role)
		}
		c.Moves = append(c.Moves, pr.move(&p, initialState(profile.Role), id, cycle))
	case existing.State == StateDeclined && pr.mayReapply(existing, cycle):
		res.Reapplied = true
		c.Moves = append(c.Moves, pr.move(&p, StateApplied, id, cycle))
	}
	c.Participants = []Participant{p}
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

// Participant returns the participant with this ID, or an ENOTFOUND error.
func (pr *Programme) Participant(ctx context.Context, id string) (Participant, error) {
	return pr.Store.Participant(ctx, id)
}

// Catalogue returns the topics people pick from: the open cycle's, or the
// built-in list when no cycle is open.
func (pr *Programme) Catalogue(ctx context.Context) ([]string, error) {
	cycle, err := pr.openCycle(ctx)
	if err != nil {
		return nil, err
	}
	if cycle == nil || len(cycle.Topics) == 0 {
		return DefaultTopics, nil
	}
	return cycle.Topics, nil
}

// joined loads a participant for an action only participants can take.
func (pr *Programme) joined(ctx context.Context, id string) (Participant, error) {
	p, err := pr.Store.Participant(ctx, id)
	if ErrorCode(err) == ENOTFOUND {
		return p, Errorf(ENOTFOUND, "You haven't joined the programme yet. Type %s to start.", Command("join"))
	}
	if err != nil {
		return p, fmt.Errorf("load participant: %w", err)
	}
	return p, nil
}

// erasedPrefix begins every erasure token; no chat user ID does.
const erasedPrefix = "erased-"

// erasureToken names an erased person in the anonymous records they leave.
func erasureToken() string {
	return erasedPrefix + rand.Text()[:16]
}

// Erased reports whether id is an erasure token: what stands, in the
// records kept for the counts, for a person who erased their data.
func Erased(id string) bool { return strings.HasPrefix(id, erasedPrefix) }
