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

// Step is what a person should do next, or what they are waiting for.
type Step string

const (
	StepJoin           Step = "join"             // not in the programme
	StepAwaitScreening Step = "await_screening"  // HR is screening the application
	StepReapply        Step = "reapply"          // declined before; may apply again now
	StepAwaitNextCycle Step = "await_next_cycle" // declined in this cycle
	StepTrain          Step = "train"            // read the onboarding
	StepAwaitCycle     Step = "await_cycle"      // ready, but no cycle is open
	StepSetGoals       Step = "set_goals"        // ready; goals for the cycle missing
	StepAwaitMatch     Step = "await_match"      // ready and waiting to be matched
	StepAnswerMatch    Step = "answer_match"     // a proposed match waits for this person's answer
	StepAwaitAnswer    Step = "await_answer"     // waiting for the other person to answer
	StepMeet           Step = "meet"             // in a pair
	StepPaused         Step = "paused"           // away until a date
	StepRejoin         Step = "rejoin"           // left; may join again
	StepOptIn          Step = "opt_in"           // finished a cycle; may opt in to the next
)

// Status is where a person stands: what the Home tab shows them.
type Status struct {
	Participant *Participant // nil when the person has not joined
	Cycle       *Cycle       // the open cycle, nil when none is
	Goals       []Goal       // for the open cycle
	Pairs       []Pair       // active pairs: one, or more for a mentor with room
	Offers      []Pair       // proposed or requested pairs waiting for answers
	Admin       bool
}

// AwaitingAnswer returns the offer waiting for this person's answer, nil when none.
func (s Status) AwaitingAnswer() *Pair {
	if s.Participant == nil {
		return nil
	}
	for i, o := range s.Offers {
		if o.AnswerOf(s.Participant.ID) == AnswerNone && answerable(o, s.Participant.ID) == nil {
			return &s.Offers[i]
		}
	}
	return nil
}

// Next returns what the person should do next.
func (s Status) Next() Step {
	p := s.Participant
	if p == nil {
		return StepJoin
	}
	switch p.State {
	case StateApplied:
		return StepAwaitScreening
	case StateDeclined:
		if s.Cycle != nil && s.Cycle.ID != p.ScreenedInCycle {
			return StepReapply
		}
		return StepAwaitNextCycle
	case StateApproved:
		return StepTrain
	case StatePaused:
		return StepPaused
	case StateLeft:
		return StepRejoin
	case StateFinished:
		return StepOptIn
	}
	switch {
	case s.AwaitingAnswer() != nil:
		return StepAnswerMatch
	case p.State == StateMatched:
		return StepMeet
	case len(s.Offers) > 0:
		return StepAwaitAnswer
	}
	switch {
	case s.Cycle == nil:
		return StepAwaitCycle
	case len(s.Goals) == 0:
		return StepSetGoals
	}
	return StepAwaitMatch
}

// Status returns where the person with this ID stands.
func (pr *Programme) Status(ctx context.Context, id string) (Status, error) {
	s := Status{Admin: pr.IsAdmin(id)}
	var err error
	if s.Cycle, err = pr.openCycle(ctx); err != nil {
		return s, err
	}
	p, err := pr.Store.Participant(ctx, id)
	switch ErrorCode(err) {
	case "":
		s.Participant = &p
	case ENOTFOUND:
		return s, nil
	default:
		return s, fmt.Errorf("load participant: %w", err)
	}
	if s.Cycle != nil {
		if s.Goals, err = pr.Store.Goals(ctx, id, s.Cycle.ID); err != nil {
			return s, fmt.Errorf("load goals: %w", err)
		}
	}
	pairs, err := pr.Store.PairsOf(ctx, id, OpenPairStates...)
	if err != nil {
		return s, fmt.Errorf("load pairs: %w", err)
	}
	for _, pair := range pairs {
		if pair.State == PairActive {
			s.Pairs = append(s.Pairs, pair)
		} else {
			s.Offers = append(s.Offers, pair)
		}
	}
	return s, nil
}

// Overview is the programme as its admins see it.
type Overview struct {
	Cycle        *Cycle
	Census       Census
	Applicants   []Participant // waiting for screening, longest waiting first
	ActivePairs  int
	WaitingPairs int    // proposed or requested, not yet answered by both
	Declines     []Pair // most recent first, with the reasons only admins see
}

// Overview returns the state of the programme, for admins only.
func (pr *Programme) Overview(ctx context.Context, actor string) (Overview, error) {
	var o Overview
	if err := pr.RequireAdmin(actor, "see the programme's overview"); err != nil {
		return o, err
	}
	var err error
	if o.Cycle, err = pr.openCycle(ctx); err != nil {
		return o, err
	}
	if o.Census, err = pr.Store.Census(ctx); err != nil {
		return o, fmt.Errorf("count participants: %w", err)
	}
	if o.Applicants, err = pr.Store.ParticipantsIn(ctx, StateApplied); err != nil {
		return o, fmt.Errorf("load applicants: %w", err)
	}
	pairs, err := pr.Store.PairsIn(ctx, PairProposed, PairRequested, PairActive, PairDeclined)
	if err != nil {
		return o, fmt.Errorf("load pairs: %w", err)
	}
	for _, p := range slices.Backward(pairs) {
		switch p.State {
		case PairActive:
			o.ActivePairs++
		case PairDeclined:
			// A decline with someone erased has nothing left to tell.
			if !Erased(p.MentorID) && !Erased(p.MenteeID) {
				o.Declines = append(o.Declines, p)
			}
		default:
			o.WaitingPairs++
		}
	}
	return o, nil
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
