package match

// Rule is a hard rule a pair must keep. Rules are checked in this order,
// so the first one a pair breaks is the one most worth telling HR about.
type Rule uint8

const (
	RuleNone          Rule = iota // the pair keeps every rule
	RuleTopic                     // the mentor teaches nothing the mentee wants
	RuleSeniority                 // the mentee is not more senior than the mentor
	RuleReportingLine             // one is in the other's reporting line
	RuleDepartment                // same department, in a cycle that requires crossing
	RuleAvailability              // not free together for a whole session
	RuleRepeat                    // paired before
	RuleAsked                     // on a don't-pair list
)

// CrossDepartment is how a cycle treats pairs from the same department.
type CrossDepartment string

const (
	CrossAny       CrossDepartment = "any"       // department plays no part
	CrossPreferred CrossDepartment = "preferred" // pairs across departments score higher
	CrossRequired  CrossDepartment = "required"  // pairs must cross departments
)

// Weights say how much each part of the score counts, relative to the others.
type Weights struct {
	Topics     float64 // how well the mentor's topics meet the mentee's
	Overlap    float64 // how much free time they share
	Department float64 // working in different departments
}

// DefaultWeights put teaching what is wanted first, then time to meet.
var DefaultWeights = Weights{Topics: 3, Overlap: 2, Department: 1}

// Settings are a cycle's matching rules.
type Settings struct {
	SessionMinutes  int
	CrossDepartment CrossDepartment
	Weights         Weights
}

// Score is how good a pair is, from 0 to 1, and its parts, each 0 to 1.
type Score struct {
	Total      float64
	Topics     float64
	Overlap    float64
	Department float64
}

// plentyOfOverlap is how many sessions' worth of shared free time earns
// the full overlap score: enough to move a session within the week.
const plentyOfOverlap = 3

// scorer judges pairs of interned people without allocating.
type scorer struct {
	settings Settings
	run      int // session length in quarter hours
	weights  Weights
}

func newScorer(s Settings) scorer {
	w := s.Weights
	if s.CrossDepartment != CrossPreferred {
		w.Department = 0
	}
	sum := w.Topics + w.Overlap + w.Department
	if sum <= 0 {
		w, sum = Weights{Topics: 1}, 1
	}
	w.Topics, w.Overlap, w.Department = w.Topics/sum, w.Overlap/sum, w.Department/sum
	run := max((s.SessionMinutes+quarter-1)/quarter, 1)
	return scorer{settings: s, run: run, weights: w}
}

// judge returns the first rule the pair breaks, or RuleNone and its score.
// avoided reports the pair's don't-pair entry, RuleNone when it has none.
func (s *scorer) judge(mentor, mentee *member, avoided Rule) (Rule, Score) {
	fit, shared := topicFit(mentor, mentee)
	switch {
	case shared == 0:
		return RuleTopic, Score{}
	case mentee.level <= mentor.level:
		return RuleSeniority, Score{}
	case inLine(mentor, mentee) || inLine(mentee, mentor):
		return RuleReportingLine, Score{}
	case s.settings.CrossDepartment == CrossRequired && mentor.department == mentee.department:
		return RuleDepartment, Score{}
	}
	minutes, long := overlap(&mentor.free, &mentee.free, s.run)
	if !long {
		return RuleAvailability, Score{}
	}
	if avoided != RuleNone {
		return avoided, Score{}
	}
	sc := Score{Topics: fit, Overlap: min(1, float64(minutes)/float64(plentyOfOverlap*s.run*quarter))}
	if mentor.department != mentee.department {
		sc.Department = 1
	}
	sc.Total = s.weights.Topics*sc.Topics + s.weights.Overlap*sc.Overlap + s.weights.Department*sc.Department
	return RuleNone, sc
}

// topicFit weighs each topic both share by how far the mentor's level is
// above the mentee's, over everything the mentee wants to learn: a mentor
// who covers all of it, knowing it much better, fits best.
func topicFit(mentor, mentee *member) (fit float64, shared int) {
	for _, want := range mentee.topics {
		for _, teach := range mentor.topics {
			if teach.id != want.id {
				continue
			}
			shared++
			gap := float64(teach.level - want.level)
			fit += min(1, max(0, (gap+4)/8))
		}
	}
	if shared == 0 {
		return 0, 0
	}
	return fit / float64(len(mentee.topics)), shared
}

// inLine reports whether b is in a's reporting line.
func inLine(a, b *member) bool {
	for _, m := range a.managers {
		if m == b.self {
			return true
		}
	}
	return false
}
