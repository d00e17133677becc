package mentorbot

import (
	"context"
	"fmt"
	"slices"
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
	// CelebrateChannel is where thank-yous both people of a pair agreed to
	// share are posted; empty turns them off.
	CelebrateChannel string
	// RiskRules say when a pair is at risk; zero means DefaultRiskRules.
	RiskRules RiskRules
	// Calendar is the calendar service pairs' sessions are written to;
	// nil sends people an .ics file instead.
	Calendar Calendar
	// Directory finds people's calendar addresses, for free/busy.
	Directory Directory
	// OutboxLease is how long a replica holds the messages it claimed
	// before another may send them; zero means OutboxLease.
	OutboxLease time.Duration
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
	return pr.moveAt(p, to, by, cycle, pr.now())
}

// moveAt is move at a moment the caller chose, to share with the rest of
// its change.
func (pr *Programme) moveAt(p *Participant, to State, by string, cycle *Cycle, at time.Time) Transition {
	t := Transition{ParticipantID: p.ID, Role: p.Role, From: p.State, To: to, By: by, CycleID: cycleID(cycle), At: at}
	p.State, p.StateSince, p.UpdatedAt = to, t.At, t.At
	if to != StatePaused {
		p.PausedUntil, p.ResumeState = time.Time{}, ""
	}
	return t
}

// Participant returns the participant with this ID, or an ENOTFOUND error.
func (pr *Programme) Participant(ctx context.Context, id string) (Participant, error) {
	return pr.Store.Participant(ctx, id)
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
