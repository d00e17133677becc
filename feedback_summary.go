package mentorbot

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// trendWeeks is how many weeks the summary's chart looks back.
const trendWeeks = 8

// Summary is the programme as the HR channel sees it: counts and figures
// drawn from MinAnswers answers or more, never a name or one person's
// answer.
type Summary struct {
	Cycle Cycle
	AsOf  time.Time
	Final bool // the cycle's closing report
	// People counts, for each role, the people in each state the role has.
	People map[Role]map[State]int
	Pairs  PairCounts
	// Sessions counts the cycle's sessions that were due by AsOf.
	Sessions SessionCounts
	// Useful and Comfort are the mean pulse scores, 1–5.
	Useful, Comfort Figure
	// Midpoint and Closing are the surveys' answers, as tallies.
	Midpoint, Closing SurveyTally
	// Qualities are the mean ratings of each quality asked, per role.
	Qualities []QualityFigure
	// Shortages are the topics where demand outruns supply, biggest first.
	Shortages []TopicSupply
	AtRisk    int // pairs with a flag no admin has acted on
	Trend     []TrendWeek
}

// PairCounts counts the cycle's pairs.
type PairCounts struct {
	Active, Waiting, Ended int
}

// SessionCounts counts sessions by what happened.
type SessionCounts struct {
	Due, Held, Missed, Skipped, Unanswered, Disputed int
}

// SurveyTally counts one survey's answers. Its counts hide together when
// fewer than MinAnswers people answered.
type SurveyTally struct {
	Answers  int // people whose answers the counts include
	Progress map[Progress]int
	Goals    int // goals reported on
	Continue map[Continue]int
}

// Hidden reports whether the tally rests on too few people to show.
func (t SurveyTally) Hidden() bool { return t.Answers < MinAnswers }

// SummaryData is what a summary is drawn from.
type SummaryData struct {
	Cycle    Cycle
	Census   Census
	Pairs    []Pair // the cycle's
	Sessions []Session
	Pulses   []Pulse
	Surveys  []Survey
	Flags    []RiskFlag
	Supply   []TopicSupply
}

// countable keeps the answers a figure may use: the earliest answers in
// whole groups of MinAnswers. A figure then moves only when at least
// MinAnswers new answers arrive, so comparing this week's summary with
// last week's never singles out one person's answer.
func countable[T any](answers []T, at func(T) time.Time) []T {
	sorted := slices.SortedStableFunc(slices.Values(answers), func(a, b T) int { return at(a).Compare(at(b)) })
	return sorted[:len(sorted)/MinAnswers*MinAnswers]
}

// Summarize draws the summary at now; loc is the programme's time zone,
// in which weeks start on Monday.
func Summarize(d SummaryData, now time.Time, loc *time.Location) Summary {
	s := Summary{Cycle: d.Cycle, AsOf: now, Final: !d.Cycle.Open(), People: map[Role]map[State]int{}}
	for _, r := range Roles {
		s.People[r] = map[State]int{}
		for _, state := range r.States() {
			s.People[r][state] = d.Census.ByRole[r][state]
		}
	}
	pairOf := map[int64]bool{}
	for _, p := range d.Pairs {
		pairOf[p.ID] = true
		switch p.State {
		case PairActive:
			s.Pairs.Active++
		case PairProposed, PairRequested:
			s.Pairs.Waiting++
		case PairEnded:
			s.Pairs.Ended++
		}
	}
	for _, f := range d.Flags {
		if f.Open() {
			s.AtRisk++
		}
	}

	weekOf := func(t time.Time) time.Time { return weekStart(t.In(loc)) }
	first := weekOf(now).AddDate(0, 0, -7*(trendWeeks-1))
	if start := weekOf(time.Date(d.Cycle.StartsOn.Year(), d.Cycle.StartsOn.Month(), d.Cycle.StartsOn.Day(), 12, 0, 0, 0, loc)); start.After(first) {
		first = start
	}
	var weeks []TrendWeek
	for w := first; !w.After(weekOf(now)); w = w.AddDate(0, 0, 7) {
		weeks = append(weeks, TrendWeek{Start: w})
	}
	week := func(t time.Time) *TrendWeek {
		i := int(weekOf(t).Sub(first).Hours()/24+0.5) / 7
		if weekOf(t).Before(first) || i >= len(weeks) {
			return nil
		}
		return &weeks[i]
	}

	for _, ses := range d.Sessions {
		if !pairOf[ses.PairID] || ses.StartsAt.After(now) {
			continue
		}
		o := ses.Outcome()
		if o == OutcomeSkipped {
			s.Sessions.Skipped++
			continue
		}
		s.Sessions.Due++
		w := week(ses.StartsAt)
		if w != nil {
			w.Planned++
		}
		switch o {
		case OutcomeHeld, OutcomeMoved:
			s.Sessions.Held++
			if w != nil {
				w.Held++
			}
		case OutcomeMissed:
			s.Sessions.Missed++
		case OutcomeDisputed:
			s.Sessions.Disputed++
		default:
			s.Sessions.Unanswered++
		}
	}

	s.Useful, s.Comfort = pulseFigure(d.Pulses, PulseUseful, weekOf, nil), pulseFigure(d.Pulses, PulseComfort, weekOf, nil)
	for i := range weeks {
		inWeek := func(p Pulse) bool { return weekOf(p.Occurrence).Equal(weeks[i].Start) }
		weeks[i].Pulse = pulseFigure(d.Pulses, PulseUseful, weekOf, inWeek)
	}
	s.Trend = weeks

	s.Midpoint = tallySurveys(d.Surveys, SurveyMidpoint)
	s.Closing = tallySurveys(d.Surveys, SurveyClosing)
	s.Qualities = qualityFigures(d.Surveys)
	s.Shortages = Shortages(d.Supply)
	return s
}

// pulseFigure is the mean answer to a question over the countable answers
// that keep: answers are grouped by the week of their session, so a week's
// figure and the whole cycle's rest on the same whole groups.
func pulseFigure(pulses []Pulse, q PulseQuestion, weekOf func(time.Time) time.Time, keep func(Pulse) bool) Figure {
	byWeek := map[time.Time][]Pulse{}
	for _, p := range pulses {
		if p.Score(q) > 0 && (keep == nil || keep(p)) {
			w := weekOf(p.Occurrence)
			byWeek[w] = append(byWeek[w], p)
		}
	}
	var f Figure
	total := 0
	for _, answers := range byWeek {
		for _, p := range countable(answers, func(p Pulse) time.Time { return p.AnsweredAt }) {
			total += p.Score(q)
			f.Answers++
		}
	}
	if f.Answers > 0 {
		f.Value = float64(total) / float64(f.Answers)
	}
	return f
}

func tallySurveys(surveys []Survey, kind SurveyKind) SurveyTally {
	var of []Survey
	for _, s := range surveys {
		if s.Kind == kind {
			of = append(of, s)
		}
	}
	t := SurveyTally{Progress: map[Progress]int{}, Continue: map[Continue]int{}}
	for _, s := range countable(of, func(s Survey) time.Time { return s.AnsweredAt }) {
		t.Answers++
		t.Continue[s.Continue]++
		for _, p := range s.Progress {
			t.Progress[p]++
			t.Goals++
		}
	}
	return t
}

// weekStart is the Monday of t's week, at midnight in t's zone.
func weekStart(t time.Time) time.Time {
	back := (int(t.Weekday()) + 6) % 7
	return time.Date(t.Year(), t.Month(), t.Day()-back, 0, 0, 0, 0, t.Location())
}

// summaryData loads what a cycle's summary is drawn from.
func (pr *Programme) summaryData(ctx context.Context, c Cycle) (SummaryData, error) {
	d := SummaryData{Cycle: c}
	var err error
	if d.Census, err = pr.Store.Census(ctx); err != nil {
		return d, fmt.Errorf("count participants: %w", err)
	}
	all, err := pr.Store.PairsIn(ctx, PairProposed, PairRequested, PairActive, PairEnded)
	if err != nil {
		return d, fmt.Errorf("load pairs: %w", err)
	}
	for _, p := range all {
		if p.CycleID == c.ID {
			d.Pairs = append(d.Pairs, p)
		}
	}
	if d.Sessions, err = pr.Store.SessionsIn(ctx, c.ID); err != nil {
		return d, fmt.Errorf("load sessions: %w", err)
	}
	if d.Pulses, err = pr.Store.Pulses(ctx, c.ID); err != nil {
		return d, fmt.Errorf("load pulses: %w", err)
	}
	if d.Surveys, err = pr.Store.Surveys(ctx, c.ID); err != nil {
		return d, fmt.Errorf("load surveys: %w", err)
	}
	if d.Flags, err = pr.Store.RiskFlags(ctx, c.ID); err != nil {
		return d, fmt.Errorf("load flags: %w", err)
	}
	if d.Supply, err = pr.loadSupply(ctx, all); err != nil {
		return d, err
	}
	return d, nil
}

// Summary draws the summary of the open cycle, or of the latest one when
// none is open; for admins only.
func (pr *Programme) Summary(ctx context.Context, actor string) (Summary, error) {
	if err := pr.RequireAdmin(actor, "see programme summaries"); err != nil {
		return Summary{}, err
	}
	return pr.CurrentSummary(ctx)
}

// OweSummary owes the HR channel the programme's summary for the period of
// its schedule that began at period. The period is in the message's key,
// so however often the summary is owed in one period (the schedule firing
// again, a restart, a second replica) the channel gets it once.
func (pr *Programme) OweSummary(ctx context.Context, period time.Time) error {
	if pr.HRChannel == "" {
		return nil
	}
	item := OutboxItem{Key: fmt.Sprintf("summary/%d/%s", period.Unix(), pr.HRChannel), To: pr.HRChannel, Kind: OutboxSummary, DueAt: pr.now()}
	if err := pr.apply(ctx, Change{Outbox: []OutboxItem{item}}); err != nil {
		return fmt.Errorf("owe the summary: %w", err)
	}
	return nil
}

// CurrentSummary is the summary the HR channel gets on schedule.
func (pr *Programme) CurrentSummary(ctx context.Context) (Summary, error) {
	cycles, err := pr.Store.Cycles(ctx)
	if err != nil {
		return Summary{}, err
	}
	if len(cycles) == 0 {
		return Summary{}, Errorf(ENOTFOUND, "No cycle has run yet, so there's nothing to sum up. Open one with %s.", Command("cycle"))
	}
	return pr.CycleSummary(ctx, cycles[0].ID)
}

// CycleSummary draws a cycle's summary at the programme's current time.
func (pr *Programme) CycleSummary(ctx context.Context, cycleID int64) (Summary, error) {
	c, err := pr.Store.Cycle(ctx, cycleID)
	if err != nil {
		return Summary{}, err
	}
	d, err := pr.summaryData(ctx, c)
	if err != nil {
		return Summary{}, err
	}
	return Summarize(d, pr.now(), pr.location()), nil
}
