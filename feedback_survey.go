package mentorbot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// SurveyKind says when in a cycle a survey is asked.
type SurveyKind string

const (
	SurveyMidpoint SurveyKind = "midpoint" // halfway through: is it working?
	SurveyClosing  SurveyKind = "closing"  // at the end: the goal review
)

// Progress is how far a person got with one goal.
type Progress string

const (
	ProgressNotStarted  Progress = "not_started"
	ProgressProgressing Progress = "progressing"
	ProgressAchieved    Progress = "achieved"
)

// Progresses lists the answers in the order the form shows them.
var Progresses = []Progress{ProgressNotStarted, ProgressProgressing, ProgressAchieved}

func (p Progress) String() string {
	switch p {
	case ProgressNotStarted:
		return "Not started"
	case ProgressProgressing:
		return "Progressing"
	case ProgressAchieved:
		return "Achieved"
	}
	return string(p)
}

// Continue is whether a person would go on: with their partner at the
// midpoint, in the programme at the end.
type Continue string

const (
	ContinueYes    Continue = "yes"
	ContinueUnsure Continue = "unsure"
	ContinueNo     Continue = "no"
)

// Continues lists the answers in the order the form shows them.
var Continues = []Continue{ContinueYes, ContinueUnsure, ContinueNo}

func (c Continue) String() string {
	switch c {
	case ContinueYes:
		return "Yes"
	case ContinueUnsure:
		return "Not sure"
	case ContinueNo:
		return "No"
	}
	return string(c)
}

// Names of the survey form's fields.
const (
	FieldSurveyContinue = "survey_continue"
	FieldSurveyChange   = "survey_change"
	MaxSurveyChangeChar = 500
)

// FieldGoalProgress names the i-th goal's progress field.
func FieldGoalProgress(i int) string { return fmt.Sprintf("goal_%d_progress", i) }

// ContinueQuestion is the survey's question about going on.
func (k SurveyKind) ContinueQuestion() string {
	if k == SurveyClosing {
		return "Would you take part in another cycle?"
	}
	return "Would you carry on with your partner?"
}

// Survey is one person's private answers to a survey. Like pulses, only
// figures from MinAnswers people or more leave it. Once given, answers
// stand: a changed answer would show up as a difference between summaries.
type Survey struct {
	ParticipantID string
	Role          Role
	CycleID       int64
	Kind          SurveyKind
	Goals         []Goal     // as they were when answered
	Progress      []Progress // one per goal
	Continue      Continue
	Change        string // what to change; kept private like every answer
	// Ratings are how the person saw their partner's qualities and their
	// own; nobody but the writer ever sees one.
	Ratings    []QualityRating
	AnsweredAt time.Time
}

// SurveyForm is the survey as a person filled it in.
type SurveyForm struct {
	Progress []string // one per goal, in the goals' order
	Continue string
	Change   string
	Ratings  map[string]string // by FieldQualityRating
}

// Parse checks the form against the person's goals and the qualities the
// survey asks them to rate.
func (f SurveyForm) Parse(goals []Goal, asks []RatingAsk) (Survey, error) {
	errs := FieldErrors{}
	s := Survey{Goals: goals}
	for i := range goals {
		p := Progress(strings.TrimSpace(at(f.Progress, i)))
		if !slices.Contains(Progresses, p) {
			errs.Add(FieldGoalProgress(i), "Pick how far you got with this goal.")
		}
		s.Progress = append(s.Progress, p)
	}
	s.Continue = Continue(strings.TrimSpace(f.Continue))
	if !slices.Contains(Continues, s.Continue) {
		errs.Add(FieldSurveyContinue, "Pick an answer; \"Not sure\" is fine.")
	}
	s.Ratings = parseRatings(asks, f.Ratings, errs)
	s.Change = strings.TrimSpace(f.Change)
	if n := utf8.RuneCountInString(s.Change); n > MaxSurveyChangeChar {
		errs.Add(FieldSurveyChange, fmt.Sprintf("Keep it under %d characters (this has %d).", MaxSurveyChangeChar, n))
	}
	return s, errs.Err()
}

// SurveyDraft is what a survey form shows: the cycle, the kind, the
// person's goals, their private notes from the cycle's pulses, and the
// qualities it asks them to rate.
type SurveyDraft struct {
	Cycle Cycle
	Kind  SurveyKind
	Goals []Goal
	Notes []Pulse // the person's pulses with a note, oldest first
	Asks  []RatingAsk
	// Halfway holds, at the goal review, the person's own ratings from
	// the halfway check-in, to set beside this survey's.
	Halfway []QualityRating
}

// surveyTaker loads what a person needs to answer a cycle's survey, and
// refuses one they answered already or that is not theirs to answer.
func (pr *Programme) surveyTaker(ctx context.Context, id string, cycleID int64, kind SurveyKind) (Participant, SurveyDraft, error) {
	d := SurveyDraft{Kind: kind}
	if kind != SurveyMidpoint && kind != SurveyClosing {
		return Participant{}, d, Errorf(ENOTFOUND, "That survey doesn't exist.")
	}
	p, err := pr.joined(ctx, id)
	if err != nil {
		return p, d, err
	}
	if d.Cycle, err = pr.Store.Cycle(ctx, cycleID); err != nil {
		return p, d, err
	}
	// The review goes to whoever was taking part when the cycle closed;
	// anyone else's answers would count in its report.
	if kind == SurveyClosing && d.Cycle.Open() {
		return p, d, Errorf(ECONFLICT, "The goal review of %s opens once it has ended.", d.Cycle.Name)
	}
	if kind == SurveyClosing && p.JoinedAt.After(d.Cycle.ClosedAt) {
		return p, d, Errorf(EFORBIDDEN, "The goal review of %s is for the people who took part in it.", d.Cycle.Name)
	}
	pairs, err := pr.Store.PairsOf(ctx, id, PairActive, PairEnded)
	if err != nil {
		return p, d, err
	}
	// The role each held in the cycle's pair: the pair's, as a profile's
	// role may have changed since.
	own, partner := p.Role, Role("")
	for _, pair := range pairs {
		if pair.CycleID != cycleID {
			continue
		}
		own, partner = RoleMentee, RoleMentor
		if pair.MentorID == id {
			own, partner = RoleMentor, RoleMentee
		}
	}
	if partner == "" && kind == SurveyMidpoint {
		return p, d, Errorf(EFORBIDDEN, "That survey is for people in a pair this cycle.")
	}
	d.Asks = ratingAsks(own, partner, cycleID, kind)
	if _, err := pr.Store.Survey(ctx, id, cycleID, kind); err == nil {
		return p, d, Errorf(ECONFLICT, "You've answered this survey already. Thank you!")
	} else if ErrorCode(err) != ENOTFOUND {
		return p, d, err
	}
	if d.Goals, err = pr.Store.Goals(ctx, id, cycleID); err != nil {
		return p, d, err
	}
	if kind == SurveyClosing {
		halfway, err := pr.Store.Survey(ctx, id, cycleID, SurveyMidpoint)
		if err != nil && ErrorCode(err) != ENOTFOUND {
			return p, d, err
		}
		d.Halfway = halfway.Ratings
	}
	pulses, err := pr.Store.PulsesBy(ctx, id, cycleID)
	for _, pulse := range pulses {
		if pulse.Note != "" {
			d.Notes = append(d.Notes, pulse)
		}
	}
	return p, d, err
}

// SurveyDraft returns what the person's survey form shows.
func (pr *Programme) SurveyDraft(ctx context.Context, id string, cycleID int64, kind SurveyKind) (SurveyDraft, error) {
	_, d, err := pr.surveyTaker(ctx, id, cycleID, kind)
	return d, err
}

// AnswerSurvey keeps the person's answers to a cycle's survey. At the goal
// review it returns, beside them, the person's own ratings side by side.
func (pr *Programme) AnswerSurvey(ctx context.Context, id string, cycleID int64, kind SurveyKind, form SurveyForm) (SurveyAnswered, error) {
	p, d, err := pr.surveyTaker(ctx, id, cycleID, kind)
	if err != nil {
		return SurveyAnswered{}, err
	}
	s, err := form.Parse(d.Goals, d.Asks)
	if err != nil {
		return SurveyAnswered{Survey: s}, err
	}
	s.ParticipantID, s.Role, s.CycleID, s.Kind, s.AnsweredAt = id, p.Role, cycleID, kind, pr.now()
	if err := pr.apply(ctx, Change{Surveys: []Survey{s}}); err != nil {
		return SurveyAnswered{Survey: s}, fmt.Errorf("save survey: %w", err)
	}
	a := SurveyAnswered{Survey: s}
	if kind == SurveyClosing {
		a.SelfRatings = SelfRatingsSideBySide(ownRole(d.Asks, p.Role), d.Halfway, s.Ratings)
	}
	return a, nil
}

// SurveyAnswered is a survey as kept and, at the goal review, the person's
// own ratings of the cycle side by side.
type SurveyAnswered struct {
	Survey      Survey
	SelfRatings []SelfRatingRow
}

// ownRole is the role whose qualities the person rates as their own.
func ownRole(asks []RatingAsk, fallback Role) Role {
	for _, a := range asks {
		if a.Rated == RatedSelf {
			return a.Role
		}
	}
	return fallback
}

// Midpoint is the day halfway through the cycle, when the midpoint survey
// goes out.
func (c Cycle) Midpoint() time.Time {
	days := int(c.EndsOn.Sub(c.StartsOn).Hours() / 24)
	return c.StartsOn.AddDate(0, 0, days/2)
}

// surveyItem owes a person a cycle's survey.
func surveyItem(kind OutboxKind, to string, cycleID, pairID int64, due time.Time) OutboxItem {
	return OutboxItem{
		Key: fmt.Sprintf("cycle/%d/%s/%s", cycleID, kind, to),
		To:  to, Kind: kind, CycleID: cycleID, PairID: pairID, DueAt: due,
	}
}

// SendMidpointSurveys owes everyone in an active pair of the open cycle
// the midpoint survey, once the cycle is halfway through.
func (pr *Programme) SendMidpointSurveys(ctx context.Context) error {
	cycle, err := pr.openCycle(ctx)
	if err != nil || cycle == nil || !cycle.SurveyedAt.IsZero() || pr.today().Before(cycle.Midpoint()) || pr.today().After(cycle.EndsOn) {
		return err
	}
	pairs, err := pr.Store.PairsIn(ctx, PairActive)
	if err != nil {
		return err
	}
	now := pr.now()
	var c Change
	for _, p := range pairs {
		if p.CycleID != cycle.ID {
			continue
		}
		for _, who := range []string{p.MenteeID, p.MentorID} {
			c.Outbox = append(c.Outbox, surveyItem(OutboxSurvey, who, cycle.ID, p.ID, now))
		}
	}
	cycle.SurveyedAt = now
	c.Cycle = cycle
	if err := pr.apply(ctx, c); err != nil {
		return fmt.Errorf("send midpoint surveys: %w", err)
	}
	return nil
}
