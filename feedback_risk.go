package mentorbot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// RiskReason is one sign that a pair is withering.
type RiskReason string

const (
	RiskMissed    RiskReason = "missed"     // sessions in a row missed or called off
	RiskQuiet     RiskReason = "quiet"      // nothing held for twice the cadence
	RiskLowPulse  RiskReason = "low_pulse"  // recent pulse scores are low
	RiskNoConsent RiskReason = "no_consent" // a proposed pair still waits for an answer
)

// Text says the reason to an admin, without quoting anyone's answer.
func (r RiskReason) Text() string {
	switch r {
	case RiskMissed:
		return "the last sessions were missed or called off"
	case RiskQuiet:
		return "no session has happened for twice their cadence"
	case RiskLowPulse:
		return "recent feedback about their sessions is low"
	case RiskNoConsent:
		return "one of them hasn't answered the match yet"
	}
	return string(r)
}

// RiskRules are when a pair counts as at risk. The defaults follow what
// programme leads watch for: two misses in a row, a month of silence on a
// fortnightly pair, pulses averaging below "OK".
type RiskRules struct {
	MissedInARow int     // missed or skipped sessions in a row
	QuietFactor  int     // cadences without a held session
	LowPulse     float64 // mean of the pair's recent pulse scores at or below this
	PulseWindow  int     // how many recent pulse answers the mean covers
	// ConsentShare is how much of the time to answer may pass before an
	// unanswered proposal is flagged, in percent.
	ConsentShare int
}

// DefaultRiskRules are the rules unless a programme sets its own.
var DefaultRiskRules = RiskRules{MissedInARow: 2, QuietFactor: 2, LowPulse: 2.5, PulseWindow: 4, ConsentShare: 50}

// RiskAction is what an admin did about a flag.
type RiskAction string

const (
	RiskNudge   RiskAction = "nudge"   // a friendly DM to both, never mentioning risk
	RiskRematch RiskAction = "rematch" // end the pair kindly and match both again
	RiskEnd     RiskAction = "end"     // end the pair kindly
	RiskDismiss RiskAction = "dismiss" // nothing to do
)

// RiskActions lists the actions in the order the flag's buttons show them.
var RiskActions = []RiskAction{RiskNudge, RiskRematch, RiskEnd, RiskDismiss}

// Done says what an admin did, for the flag's message once handled.
func (a RiskAction) Done() string {
	switch a {
	case RiskNudge:
		return "nudged the pair"
	case RiskRematch:
		return "ended the pair and matched both again"
	case RiskEnd:
		return "ended the pair"
	case RiskDismiss:
		return "left the pair as it is"
	}
	return string(a)
}

// RiskFlag tells admins, and only them, that a pair may be withering.
type RiskFlag struct {
	ID      int64
	PairID  int64
	CycleID int64
	Reasons []RiskReason
	// Evidence names what the flag rests on, such as the sessions missed,
	// so the same evidence never raises a second flag.
	Evidence   string
	RaisedAt   time.Time
	ResolvedAt time.Time
	Action     RiskAction
	ResolvedBy string
}

// Open reports whether no admin has acted on the flag yet.
func (f RiskFlag) Open() bool { return f.ResolvedAt.IsZero() }

// cadenceLength is the time between two sessions at a cadence.
func cadenceLength(c Cadence) time.Duration {
	switch c {
	case CadenceWeekly:
		return 7 * 24 * time.Hour
	case CadenceMonthly:
		return 30 * 24 * time.Hour
	}
	return 14 * 24 * time.Hour
}

// PairHistory is what risk rules read about one pair.
type PairHistory struct {
	Pair     Pair
	Sessions []Session // earliest first
	Pulses   []Pulse   // answered, oldest answer first
}

// Assess applies the rules to a pair at now: the reasons it is at risk and
// the evidence they rest on; none when it is fine.
func (r RiskRules) Assess(h PairHistory, now time.Time) ([]RiskReason, string) {
	var reasons []RiskReason
	var evidence []string
	p := h.Pair
	switch p.State {
	case PairProposed, PairRequested:
		window := p.AnswerBy.Sub(p.CreatedAt)
		if window > 0 && now.Sub(p.CreatedAt) >= window*time.Duration(r.ConsentShare)/100 && (p.MentorAnswer == AnswerNone || p.MenteeAnswer == AnswerNone) {
			reasons, evidence = append(reasons, RiskNoConsent), append(evidence, "consent")
		}
		return reasons, strings.Join(evidence, ",")
	case PairActive:
	default:
		return nil, ""
	}

	// Sessions that are over, most recent first.
	var past []Session
	for _, s := range slices.Backward(h.Sessions) {
		if !s.EndsAt.After(now) {
			past = append(past, s)
		}
	}
	if r.MissedInARow > 0 && len(past) >= r.MissedInARow {
		missed := 0
		for _, s := range past[:r.MissedInARow] {
			if o := s.Outcome(); o == OutcomeMissed || o == OutcomeSkipped {
				missed++
			}
		}
		if missed == r.MissedInARow {
			reasons = append(reasons, RiskMissed)
			evidence = append(evidence, fmt.Sprintf("missed:%d", past[0].Occurrence.Unix()))
		}
	}

	if r.QuietFactor > 0 && !p.StartedAt.IsZero() {
		cadence := CadenceFortnightly
		if p.Slot != nil {
			cadence = p.Slot.Cadence
		}
		since := p.StartedAt
		for _, s := range past {
			if o := s.Outcome(); o == OutcomeHeld || o == OutcomeMoved {
				since = s.StartsAt
				break
			}
		}
		quiet := cadenceLength(cadence) * time.Duration(r.QuietFactor)
		if periods := now.Sub(since) / quiet; periods >= 1 {
			// Counting the periods raises a new flag each further stretch
			// of silence, rather than once for good.
			reasons = append(reasons, RiskQuiet)
			evidence = append(evidence, fmt.Sprintf("quiet:%d:%d", since.Unix(), periods))
		}
	}

	if r.PulseWindow > 0 {
		var scores []int
		for _, pulse := range slices.Backward(h.Pulses) {
			for _, q := range PulseQuestions {
				if s := pulse.Score(q); s > 0 && len(scores) < r.PulseWindow {
					scores = append(scores, s)
				}
			}
		}
		if len(scores) >= min(r.PulseWindow, 2) && mean(scores) <= r.LowPulse {
			last := h.Pulses[len(h.Pulses)-1]
			reasons = append(reasons, RiskLowPulse)
			evidence = append(evidence, fmt.Sprintf("pulse:%d", last.AnsweredAt.Unix()))
		}
	}
	return reasons, strings.Join(evidence, ",")
}

func mean(xs []int) float64 {
	total := 0
	for _, x := range xs {
		total += x
	}
	return float64(total) / float64(len(xs))
}

// riskItem owes an admin word of a flag.
func riskItem(admin string, f RiskFlag, due time.Time) OutboxItem {
	return OutboxItem{
		Key: fmt.Sprintf("pair/%d/risk/%s/%s", f.PairID, f.Evidence, admin),
		To:  admin, Kind: OutboxRiskFlag, PairID: f.PairID, CycleID: f.CycleID, DueAt: due,
	}
}

// FlagRisks applies the risk rules to every pair of the open cycle that is
// meeting or waiting for answers, and flags to the admins, privately, each
// pair with new evidence and no flag waiting for them already.
func (pr *Programme) FlagRisks(ctx context.Context) (int, error) {
	cycle, err := pr.openCycle(ctx)
	if err != nil || cycle == nil || len(pr.Admins) == 0 {
		return 0, err
	}
	histories, err := pr.histories(ctx, cycle.ID, PairActive, PairProposed, PairRequested)
	if err != nil {
		return 0, err
	}
	flags, err := pr.Store.RiskFlags(ctx, cycle.ID)
	if err != nil {
		return 0, err
	}
	now := pr.now()
	rules := pr.riskRules()
	var c Change
	for _, h := range histories {
		reasons, evidence := rules.Assess(h, now)
		if len(reasons) == 0 || slices.ContainsFunc(flags, func(f RiskFlag) bool {
			return f.PairID == h.Pair.ID && (f.Open() || f.Evidence == evidence)
		}) {
			continue
		}
		f := RiskFlag{PairID: h.Pair.ID, CycleID: cycle.ID, Reasons: reasons, Evidence: evidence, RaisedAt: now}
		c.RiskFlags = append(c.RiskFlags, f)
		for _, admin := range pr.Admins {
			c.Outbox = append(c.Outbox, riskItem(admin, f, now))
		}
	}
	if len(c.RiskFlags) == 0 {
		return 0, nil
	}
	if err := pr.apply(ctx, c); err != nil {
		return 0, fmt.Errorf("flag pairs at risk: %w", err)
	}
	return len(c.RiskFlags), nil
}

func (pr *Programme) riskRules() RiskRules {
	if pr.RiskRules == (RiskRules{}) {
		return DefaultRiskRules
	}
	return pr.RiskRules
}

// histories loads the cycle's pairs in the states with their sessions and
// answered pulses, in three reads however many pairs there are.
func (pr *Programme) histories(ctx context.Context, cycleID int64, states ...PairState) ([]PairHistory, error) {
	pairs, err := pr.Store.PairsIn(ctx, states...)
	if err != nil {
		return nil, err
	}
	sessions, err := pr.Store.SessionsIn(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	pulses, err := pr.Store.Pulses(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	byPair := map[int64]*PairHistory{}
	var out []PairHistory
	for _, p := range pairs {
		if p.CycleID == cycleID {
			out = append(out, PairHistory{Pair: p})
		}
	}
	for i := range out {
		byPair[out[i].Pair.ID] = &out[i]
	}
	for _, s := range sessions {
		if h := byPair[s.PairID]; h != nil {
			h.Sessions = append(h.Sessions, s)
		}
	}
	for _, pulse := range pulses {
		if h := byPair[pulse.PairID]; h != nil && pulse.Answered() {
			h.Pulses = append(h.Pulses, pulse)
		}
	}
	return out, nil
}

// RiskFlagView is a flag with its pair, for the admin acting on it.
type RiskFlagView struct {
	Flag RiskFlag
	Pair Pair
}

// ActOnRisk does what an admin chose about a pair's open flag. The pair
// hears a friendly nudge or a kind goodbye, never that it was flagged.
func (pr *Programme) ActOnRisk(ctx context.Context, actor string, pairID int64, action RiskAction) (RiskFlagView, error) {
	if err := pr.RequireAdmin(actor, "act on pairs at risk"); err != nil {
		return RiskFlagView{}, err
	}
	if !slices.Contains(RiskActions, action) {
		return RiskFlagView{}, Errorf(EINVALID, "That action isn't one of the choices.")
	}
	f, err := pr.Store.LatestRiskFlag(ctx, pairID)
	if err != nil {
		return RiskFlagView{}, err
	}
	v := RiskFlagView{Flag: f}
	if v.Pair, err = pr.Store.Pair(ctx, pairID); err != nil {
		return v, err
	}
	if !f.Open() {
		return v, Errorf(ECONFLICT, "%s already %s, so there's nothing more to do.", Person(f.ResolvedBy), f.Action.Done())
	}
	now := pr.now()
	f.ResolvedAt, f.Action, f.ResolvedBy = now, action, actor
	c := Change{RiskFlags: []RiskFlag{f}}
	var withdrawn []Pair
	switch action {
	case RiskNudge:
		for _, who := range []string{v.Pair.MenteeID, v.Pair.MentorID} {
			if v.Pair.State == PairActive || v.Pair.AnswerOf(who) == AnswerNone {
				c.Outbox = append(c.Outbox, OutboxItem{
					Key: fmt.Sprintf("pair/%d/nudge/%s/%s", pairID, f.Evidence, who),
					To:  who, Kind: OutboxPairNudge, PairID: pairID, CycleID: f.CycleID, DueAt: now,
				})
			}
		}
	case RiskRematch, RiskEnd:
		cycle, err := pr.openCycle(ctx)
		if err != nil {
			return v, err
		}
		if err := pr.endKindly(ctx, &v.Pair, cycle, &c); err != nil {
			return v, err
		}
		if action == RiskRematch {
			withdrawn = append(withdrawn, v.Pair)
		}
	}
	err = pr.apply(ctx, c)
	if ErrorCode(err) == ECONFLICT {
		return v, Errorf(ECONFLICT, "Someone changed this pair at the same moment; open the flag again to see where it stands.")
	}
	if err != nil {
		return v, fmt.Errorf("act on flag: %w", err)
	}
	v.Flag = f
	return v, pr.rematchAfter(ctx, withdrawn)
}

// EndedByProgramme is why a pair HR ended kindly ended.
const EndedByProgramme = "ended_by_programme"

// endKindly ends an active pair, or withdraws a proposed one, on HR's
// word: both go back to waiting, their calendars drop the sessions, and
// each is thanked without a reason.
func (pr *Programme) endKindly(ctx context.Context, p *Pair, cycle *Cycle, c *Change) error {
	now := pr.now()
	switch p.State {
	case PairActive:
		p.State, p.EndedAt, p.EndReason = PairEnded, now, EndedByProgramme
		if p.Slot != nil {
			p.CalendarSequence++
			c.Outbox = append(c.Outbox, pr.calendarItems(OutboxInviteCancel, *p, now)...)
		}
	case PairProposed, PairRequested:
		p.State, p.EndedAt, p.EndReason = PairWithdrawn, now, EndedByProgramme
	default:
		return Errorf(ECONFLICT, "That pair isn't meeting any more, so there's nothing to end.")
	}
	c.Pairs = append(c.Pairs, *p)
	for _, who := range []string{p.MentorID, p.MenteeID} {
		person, err := pr.Store.Participant(ctx, who)
		if err != nil {
			return err
		}
		others, err := pr.Store.PairsOf(ctx, who, PairActive)
		if err != nil {
			return err
		}
		if len(others) <= 1 {
			pr.unmatch(&person, cycle, c)
		}
		kind := OutboxPairEnded
		if p.State == PairWithdrawn {
			kind = OutboxMatchOff
		}
		c.Outbox = append(c.Outbox, noticeItem(kind, who, p.ID, now))
	}
	return nil
}
