package mentorbot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mentorbot/mentorbot/match"
)

// Cadence is how often a pair meets.
type Cadence string

const (
	CadenceWeekly      Cadence = "weekly"
	CadenceFortnightly Cadence = "fortnightly"
	CadenceMonthly     Cadence = "monthly"
)

// Cadences lists the cadences an admin picks from, most frequent first.
var Cadences = []Cadence{CadenceWeekly, CadenceFortnightly, CadenceMonthly}

func (c Cadence) String() string {
	switch c {
	case CadenceWeekly:
		return "Every week"
	case CadenceFortnightly:
		return "Every two weeks"
	case CadenceMonthly:
		return "Every month"
	}
	return string(c)
}

// After returns the day n sessions after day. Monthly sessions keep the
// day of the month, or the month's last day when it is shorter, so a
// cycle starting on the 31st still meets in February.
func (c Cadence) After(day time.Time, n int) time.Time {
	switch c {
	case CadenceWeekly:
		return day.AddDate(0, 0, 7*n)
	case CadenceFortnightly:
		return day.AddDate(0, 0, 14*n)
	}
	first := time.Date(day.Year(), day.Month()+time.Month(n), 1, 0, 0, 0, 0, day.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(day.Day(), last)-1)
}

// SessionLengths lists the session lengths an admin picks from.
var SessionLengths = []time.Duration{30 * time.Minute, 45 * time.Minute, 60 * time.Minute, 90 * time.Minute}

// Cycle is one run of the programme: dates, how pairs meet, the ground
// rules and the topics people pick from. One cycle is open at a time;
// closed ones stay as history.
type Cycle struct {
	ID            int64
	Name          string
	StartsOn      time.Time // a calendar date, at midnight UTC
	EndsOn        time.Time // the last day, at midnight UTC
	Cadence       Cadence
	SessionLength time.Duration
	GroundRules   string
	Topics        []string
	Matching      MatchSettings
	CreatedBy     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	ClosedAt      time.Time // zero while the cycle is open
	SurveyedAt    time.Time // when the midpoint survey went out; zero before
}

// MatchSettings are how a cycle pairs people and how long they have to
// agree to a pair.
type MatchSettings struct {
	CrossDepartment match.CrossDepartment
	// Weights are 0 (doesn't count) to 5 (counts most), relative to each other.
	WeightTopics, WeightOverlap, WeightDepartment int
	AnswerDays                                    int
}

// DefaultMatchSettings put teaching what is wanted first, then time to
// meet, then crossing departments; three days is enough to answer across a
// weekend.
var DefaultMatchSettings = MatchSettings{
	CrossDepartment: match.CrossPreferred,
	WeightTopics:    3, WeightOverlap: 2, WeightDepartment: 1,
	AnswerDays: 3,
}

// CrossDepartments lists the department rules an admin picks from.
var CrossDepartments = []match.CrossDepartment{match.CrossPreferred, match.CrossRequired, match.CrossAny}

// Weights lists the weights an admin picks from, with what each means.
var Weights = []int{0, 1, 2, 3, 4, 5}

// AnswerDayChoices lists how long people may take to answer a proposed pair.
var AnswerDayChoices = []int{1, 2, 3, 5, 7}

func (m MatchSettings) settings(sessionLength time.Duration) match.Settings {
	return match.Settings{
		SessionMinutes:  int(sessionLength / time.Minute),
		CrossDepartment: m.CrossDepartment,
		Weights:         match.Weights{Topics: float64(m.WeightTopics), Overlap: float64(m.WeightOverlap), Department: float64(m.WeightDepartment)},
	}
}

// Open reports whether the cycle is still running.
func (c Cycle) Open() bool { return c.ClosedAt.IsZero() }

// Limits on a cycle's settings, so every message and form that shows them
// stays within Slack's sizes.
const (
	MaxCycleNameChars   = 60
	MinGroundRulesChars = 20
	MaxGroundRulesChars = 2500
	MaxCatalogueTopics  = 40
	minCycleSessions    = 3
)

// Names of the cycle form's fields.
const (
	FieldCycleName     = "cycle_name"
	FieldStartsOn      = "starts_on"
	FieldEndsOn        = "ends_on"
	FieldCadence       = "cadence"
	FieldSessionLength = "session_length"
	FieldGroundRules   = "ground_rules"
	FieldCatalogue     = "catalogue"
	FieldCrossDept     = "cross_department"
	FieldWeightTopics  = "weight_topics"
	FieldWeightOverlap = "weight_overlap"
	FieldWeightDept    = "weight_department"
	FieldAnswerDays    = "answer_days"
)

// CycleForm is the cycle form as an admin filled it in.
type CycleForm struct {
	Name          string
	StartsOn      string // YYYY-MM-DD
	EndsOn        string
	Cadence       string
	SessionLength string // minutes
	GroundRules   string
	Topics        string // one per line, or separated by commas
	// Matching: the department rule, three weights 0–5 and the days to answer.
	CrossDepartment                               string
	WeightTopics, WeightOverlap, WeightDepartment string
	AnswerDays                                    string
}

// Form fills the cycle form with a cycle's settings, for editing.
func (c Cycle) Form() CycleForm {
	if c.Matching == (MatchSettings{}) {
		c.Matching = DefaultMatchSettings
	}
	return CycleForm{
		Name:          c.Name,
		StartsOn:      c.StartsOn.Format(time.DateOnly),
		EndsOn:        c.EndsOn.Format(time.DateOnly),
		Cadence:       string(c.Cadence),
		SessionLength: strconv.Itoa(int(c.SessionLength / time.Minute)),
		GroundRules:   c.GroundRules,
		Topics:        strings.Join(c.Topics, "\n"),

		CrossDepartment:  string(c.Matching.CrossDepartment),
		WeightTopics:     strconv.Itoa(c.Matching.WeightTopics),
		WeightOverlap:    strconv.Itoa(c.Matching.WeightOverlap),
		WeightDepartment: strconv.Itoa(c.Matching.WeightDepartment),
		AnswerDays:       strconv.Itoa(c.Matching.AnswerDays),
	}
}

// Parse checks the form and returns the cycle's settings. today is the
// date in the programme's time zone; saved is the cycle being edited, nil
// for a new one, whose start may already be past.
func (f CycleForm) Parse(today time.Time, saved *Cycle) (Cycle, error) {
	var c Cycle
	errs := FieldErrors{}

	c.Name = collapseSpaces(f.Name)
	if n := utf8.RuneCountInString(c.Name); n < 3 || n > MaxCycleNameChars {
		errs.Add(FieldCycleName, fmt.Sprintf("Give the cycle a name of 3 to %d characters, like \"Spring 2026\".", MaxCycleNameChars))
	}

	switch cad := Cadence(strings.TrimSpace(f.Cadence)); cad {
	case CadenceWeekly, CadenceFortnightly, CadenceMonthly:
		c.Cadence = cad
	default:
		errs.Add(FieldCadence, "Choose how often pairs meet.")
	}

	minutes, err := strconv.Atoi(strings.TrimSpace(f.SessionLength))
	if err != nil || minutes < 15 || minutes > 180 {
		errs.Add(FieldSessionLength, "Choose how long a session lasts.")
	}
	c.SessionLength = time.Duration(minutes) * time.Minute

	today = Day(today)
	start, startErr := time.Parse(time.DateOnly, strings.TrimSpace(f.StartsOn))
	end, endErr := time.Parse(time.DateOnly, strings.TrimSpace(f.EndsOn))
	keepsStart := saved != nil && start.Equal(saved.StartsOn)
	switch {
	case startErr != nil:
		errs.Add(FieldStartsOn, "Pick the day the cycle starts.")
	case start.Before(today) && !keepsStart:
		errs.Add(FieldStartsOn, "Pick today or a later day: a cycle can't start in the past.")
	case start.After(today.AddDate(1, 0, 0)):
		errs.Add(FieldStartsOn, "Pick a start within the next year.")
	}
	switch {
	case endErr != nil:
		errs.Add(FieldEndsOn, "Pick the cycle's last day.")
	case startErr != nil:
	case !end.After(today):
		errs.Add(FieldEndsOn, "Pick a last day after today.")
	case !end.After(start):
		errs.Add(FieldEndsOn, "Pick a last day after the first day.")
	case c.Cadence != "" && end.Before(c.Cadence.After(start, minCycleSessions-1)):
		errs.Add(FieldEndsOn, fmt.Sprintf("Leave room for at least %d sessions: meeting %s, end on %s or later.",
			minCycleSessions, strings.ToLower(c.Cadence.String()), FormatDate(c.Cadence.After(start, minCycleSessions-1))))
	case end.After(start.AddDate(1, 0, -1)):
		errs.Add(FieldEndsOn, "Keep a cycle to a year at most; start a new one after it.")
	}
	c.StartsOn, c.EndsOn = start, end

	c.GroundRules = strings.TrimSpace(f.GroundRules)
	switch n := utf8.RuneCountInString(c.GroundRules); {
	case n < MinGroundRulesChars:
		errs.Add(FieldGroundRules, "Write the ground rules every pair agrees to; the default text is a good start.")
	case n > MaxGroundRulesChars:
		errs.Add(FieldGroundRules, fmt.Sprintf("Keep the ground rules under %d characters (these have %d).", MaxGroundRulesChars, n))
	}

	topics, err := parseCatalogue(f.Topics)
	if err != nil {
		errs.Add(FieldCatalogue, ErrorMessage(err))
	}
	c.Topics = topics
	c.Matching = f.parseMatching(errs)
	return c, errs.Err()
}

// parseMatching reads the matching settings, adding what is wrong to errs.
// An old form without them keeps the defaults.
func (f CycleForm) parseMatching(errs FieldErrors) MatchSettings {
	m := DefaultMatchSettings
	if f.CrossDepartment != "" {
		m.CrossDepartment = match.CrossDepartment(strings.TrimSpace(f.CrossDepartment))
		if !slices.Contains(CrossDepartments, m.CrossDepartment) {
			errs.Add(FieldCrossDept, "Choose how departments count.")
		}
	}
	weight := func(field, text string, into *int) {
		if text == "" {
			return
		}
		n, err := strconv.Atoi(strings.TrimSpace(text))
		if err != nil || !slices.Contains(Weights, n) {
			errs.Add(field, "Choose how much this counts, from 0 to 5.")
			return
		}
		*into = n
	}
	weight(FieldWeightTopics, f.WeightTopics, &m.WeightTopics)
	weight(FieldWeightOverlap, f.WeightOverlap, &m.WeightOverlap)
	weight(FieldWeightDept, f.WeightDepartment, &m.WeightDepartment)
	if m.WeightTopics+m.WeightOverlap+m.WeightDepartment == 0 {
		errs.Add(FieldWeightTopics, "Let at least one thing count, or every pair scores the same.")
	}
	if f.AnswerDays != "" {
		n, err := strconv.Atoi(strings.TrimSpace(f.AnswerDays))
		if err != nil || !slices.Contains(AnswerDayChoices, n) {
			errs.Add(FieldAnswerDays, "Choose how many days people have to answer.")
		}
		m.AnswerDays = n
	}
	return m
}

// parseCatalogue reads topics written one per line or separated by commas.
func parseCatalogue(text string) ([]string, error) {
	var topics []string
	seen := map[string]bool{}
	for _, t := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		// "•" is always a bullet; "-" and "*" only before a space, so
		// "*nix" stays a topic.
		t = collapseSpaces(strings.TrimLeft(strings.TrimSpace(t), "•"))
		for _, bullet := range []string{"- ", "* "} {
			t = strings.TrimPrefix(t, bullet)
		}
		if t == "-" || t == "*" {
			continue
		}
		if t == "" {
			continue
		}
		if n := utf8.RuneCountInString(t); n < 2 || n > MaxTopicLength {
			return nil, Errorf(EINVALID, "%q: keep each topic between 2 and %d characters.", t, MaxTopicLength)
		}
		if key := strings.ToLower(t); !seen[key] {
			seen[key] = true
			topics = append(topics, t)
		}
	}
	switch {
	case len(topics) == 0:
		return nil, Errorf(EINVALID, "List at least one topic people can teach or learn, one per line.")
	case len(topics) > MaxCatalogueTopics:
		return nil, Errorf(EINVALID, "That's %d topics; keep the list to %d so people can find theirs.", len(topics), MaxCatalogueTopics)
	}
	return topics, nil
}
