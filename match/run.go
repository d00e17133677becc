package match

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Avoid keeps a mentor and a mentee apart: they were paired before
// (RuleRepeat) or someone asked that they never be (RuleAsked).
type Avoid struct {
	Mentor, Mentee string
	Rule           Rule
}

// Input is one matching round: who is waiting, and the rules.
type Input struct {
	Mentors, Mentees []Person
	Avoid            []Avoid
	Settings         Settings
}

// Pair is a mentor and a mentee the round puts together, and why.
type Pair struct {
	Mentor, Mentee  string
	Score           Score
	Shared          []SharedTopic
	OverlapMinutes  int // a week, both free
	CrossDepartment bool
}

// SharedTopic is a topic the mentor teaches and the mentee wants.
type SharedTopic struct {
	Name                     string // as the mentee wrote it
	MentorLevel, MenteeLevel int
}

// Unmatched is a person the round could not pair, and why.
type Unmatched struct {
	ID     string
	Mentor bool
	Reason Reason
}

// Reason says why nobody was found for a person.
type Reason struct {
	// Rule is the rule that ruled out the last of the candidates; RuleNone
	// when some fitted but were matched with people they suited better.
	Rule Rule
	// Candidates is how many people wait on the other side; 0 means nobody.
	Candidates int
	// Topics are the person's topics, for RuleTopic.
	Topics         []string
	SessionMinutes int
}

// Report is how good a round is, for HR to judge before publishing.
type Report struct {
	Mentees, Mentors int // waiting
	Pairs            int
	MeanScore        float64
	LowestScore      float64
	// Load[k] is how many mentors take k mentees.
	Load []int
	// Greedy is what first come, first served would give: each mentee in
	// turn takes the best mentor still free.
	Greedy Baseline
}

// Baseline is another way of pairing, to compare the round with.
type Baseline struct {
	Pairs     int
	MeanScore float64
}

// Result is a round's pairs, the people left out, and the report.
type Result struct {
	Pairs     []Pair
	Unmatched []Unmatched
	Report    Report
}

// SlotCost is how much of a pair's score each extra mentee of the same
// mentor costs, so the load spreads unless taking one more lets another
// person be matched.
const SlotCost = 0.15

// member is a person interned for fast judging.
type member struct {
	self       int32
	level      int
	department int32
	managers   []int32
	topics     []topicLevel
	free       week
}

type topicLevel struct {
	id    int32
	level int
}

// interner numbers strings so comparing them is comparing ints.
type interner map[string]int32

func (in interner) id(s string) int32 {
	key := strings.ToLower(strings.TrimSpace(s))
	if id, ok := in[key]; ok {
		return id
	}
	id := int32(len(in))
	in[key] = id
	return id
}

func members(people []Person, ids, words interner) []member {
	ms := make([]member, len(people))
	for i, p := range people {
		m := &ms[i]
		m.self = ids.id(p.ID)
		m.level = p.JobLevel
		m.department = words.id(p.Department)
		for _, boss := range p.Managers {
			m.managers = append(m.managers, ids.id(boss))
		}
		for _, t := range p.Topics {
			m.topics = append(m.topics, topicLevel{id: words.id("topic:" + t.Name), level: t.Level})
		}
		m.free = weekOf(p.Free)
	}
	return ms
}

type avoidance struct {
	mentor int
	rule   Rule
}

// Run pairs mentees with mentors: as many pairs as the hard rules allow,
// and among those the highest total score.
func Run(in Input) (Result, error) {
	ids, words := interner{}, interner{}
	mentors, mentees := members(in.Mentors, ids, words), members(in.Mentees, ids, words)
	rows, cols := len(mentees), len(mentors)
	avoidOf, err := avoidances(in)
	if err != nil {
		return Result{}, err
	}

	sc := newScorer(in.Settings)
	// Any extra pair outweighs every score and slot cost it could displace,
	// so the round leaves nobody out who could be matched.
	bonus := float64(rows+1) * (1 + 3*SlotCost)
	cost := make([]float64, rows*cols)
	broken := make([]Rule, rows*cols)
	for i := range mentees {
		avoid := avoidOf[i]
		for j := range mentors {
			rule, score := sc.judge(&mentors[j], &mentees[i], nextAvoided(&avoid, j))
			broken[i*cols+j] = rule
			if rule != RuleNone {
				cost[i*cols+j] = Forbidden
				continue
			}
			cost[i*cols+j] = -(bonus + score.Total)
		}
	}
	capacity := make([]int, cols)
	for j, p := range in.Mentors {
		capacity[j] = p.capacity()
	}
	sol, err := Solve(Problem{Rows: rows, Cols: cols, Cost: cost, Capacity: capacity, SlotCost: SlotCost, Optional: true})
	if err != nil {
		return Result{}, fmt.Errorf("solve the assignment: %w", err)
	}

	var res Result
	taken := make([]int, cols)
	for i, j := range sol.Col {
		if j < 0 {
			continue
		}
		taken[j]++
		res.Pairs = append(res.Pairs, explain(&sc, in.Mentors[j], in.Mentees[i], &mentors[j], &mentees[i]))
	}
	for i, j := range sol.Col {
		if j < 0 {
			res.Unmatched = append(res.Unmatched, Unmatched{ID: in.Mentees[i].ID, Reason: reason(in.Mentees[i], cols, func(k int) Rule { return broken[i*cols+k] }, in.Settings)})
		}
	}
	for j, n := range taken {
		if n == 0 {
			res.Unmatched = append(res.Unmatched, Unmatched{ID: in.Mentors[j].ID, Mentor: true, Reason: reason(in.Mentors[j], rows, func(k int) Rule { return broken[k*cols+j] }, in.Settings)})
		}
	}
	res.Report = report(res.Pairs, taken, rows, cols)
	res.Report.Greedy = greedy(cost, rows, cols, capacity, bonus)
	return res, nil
}

// avoidances lists, for each mentee, the mentors they must not be paired
// with, in mentor order.
func avoidances(in Input) ([][]avoidance, error) {
	mentorAt := make(map[string]int, len(in.Mentors))
	for j, p := range in.Mentors {
		mentorAt[p.ID] = j
	}
	menteeAt := make(map[string]int, len(in.Mentees))
	for i, p := range in.Mentees {
		if _, dup := mentorAt[p.ID]; dup {
			return nil, fmt.Errorf("%s is both a mentor and a mentee", p.ID)
		}
		menteeAt[p.ID] = i
	}
	out := make([][]avoidance, len(in.Mentees))
	for _, a := range in.Avoid {
		i, ok1 := menteeAt[a.Mentee]
		j, ok2 := mentorAt[a.Mentor]
		if !ok1 || !ok2 {
			continue // one of them is not waiting in this round
		}
		out[i] = append(out[i], avoidance{mentor: j, rule: a.Rule})
	}
	for _, list := range out {
		// A repeat outranks a request, so the reason given is the plainer one.
		slices.SortFunc(list, func(a, b avoidance) int { return cmp.Or(cmp.Compare(a.mentor, b.mentor), cmp.Compare(a.rule, b.rule)) })
	}
	return out, nil
}

// nextAvoided returns the don't-pair rule for mentor j, walking a
// mentee's list in mentor order as the mentors are judged in order.
func nextAvoided(list *[]avoidance, j int) Rule {
	for len(*list) > 0 && (*list)[0].mentor < j {
		*list = (*list)[1:]
	}
	if len(*list) > 0 && (*list)[0].mentor == j {
		return (*list)[0].rule
	}
	return RuleNone
}

func explain(sc *scorer, mentor, mentee Person, mr, me *member) Pair {
	_, score := sc.judge(mr, me, RuleNone)
	p := Pair{Mentor: mentor.ID, Mentee: mentee.ID, Score: score, CrossDepartment: mr.department != me.department}
	p.OverlapMinutes, _ = overlap(&mr.free, &me.free, 1)
	for wi, want := range me.topics {
		for ti, teach := range mr.topics {
			if teach.id == want.id {
				p.Shared = append(p.Shared, SharedTopic{Name: mentee.Topics[wi].Name, MentorLevel: mentor.Topics[ti].Level, MenteeLevel: want.level})
			}
		}
	}
	return p
}

// reason finds why nobody was paired with a person: the rule that ruled
// out the last candidates, as candidates fall rule by rule.
func reason(p Person, candidates int, broken func(k int) Rule, s Settings) Reason {
	r := Reason{Candidates: candidates, SessionMinutes: s.SessionMinutes}
	for k := range candidates {
		rule := broken(k)
		if rule == RuleNone {
			r.Rule = RuleNone
			break
		}
		r.Rule = max(r.Rule, rule)
	}
	if r.Rule == RuleTopic {
		for _, t := range p.Topics {
			r.Topics = append(r.Topics, t.Name)
		}
	}
	return r
}

func report(pairs []Pair, taken []int, mentees, mentors int) Report {
	r := Report{Mentees: mentees, Mentors: mentors, Pairs: len(pairs)}
	for i, p := range pairs {
		r.MeanScore += p.Score.Total
		if i == 0 || p.Score.Total < r.LowestScore {
			r.LowestScore = p.Score.Total
		}
	}
	if len(pairs) > 0 {
		r.MeanScore /= float64(len(pairs))
	}
	for _, n := range taken {
		for len(r.Load) <= n {
			r.Load = append(r.Load, 0)
		}
		r.Load[n]++
	}
	return r
}

// greedy pairs mentees first come, first served, each with the best
// mentor who still has room: the pairing a spreadsheet would give.
func greedy(cost []float64, rows, cols int, capacity []int, bonus float64) Baseline {
	left := slices.Clone(capacity)
	var b Baseline
	for i := range rows {
		best := -1
		for j := range cols {
			c := cost[i*cols+j]
			if left[j] > 0 && c != Forbidden && (best < 0 || c < cost[i*cols+best]) {
				best = j
			}
		}
		if best >= 0 {
			left[best]--
			b.Pairs++
			b.MeanScore += -cost[i*cols+best] - bonus
		}
	}
	if b.Pairs > 0 {
		b.MeanScore /= float64(b.Pairs)
	}
	return b
}

// Why says in a few words why nobody was found for the person, as "no
// mentor who is waiting teaches Figma or SQL".
func (u Unmatched) Why() string {
	r := u.Reason
	other, wants := "mentor", "teaches what they want"
	if u.Mentor {
		other, wants = "mentee", "wants what they teach"
	}
	switch r.Rule {
	case RuleTopic:
		if u.Mentor {
			return fmt.Sprintf("no mentee who is waiting wants to learn %s", orList(r.Topics))
		}
		return fmt.Sprintf("no mentor who is waiting teaches %s", orList(r.Topics))
	case RuleSeniority:
		if u.Mentor {
			return "every mentee who wants what they teach is at their job level or below"
		}
		return "every mentor who teaches what they want is at their job level or above"
	case RuleReportingLine:
		return fmt.Sprintf("the only %ss who fit are in their reporting line", other)
	case RuleDepartment:
		return fmt.Sprintf("the only %ss who fit work in their department, and this cycle pairs across departments", other)
	case RuleAvailability:
		return fmt.Sprintf("no %s who %s is free at the same time for %d minutes in a week", other, wants, r.SessionMinutes)
	case RuleRepeat:
		return fmt.Sprintf("they have been paired before with every %s who fits", other)
	case RuleAsked:
		return fmt.Sprintf("the only %ss who fit are on a don't-pair list", other)
	}
	if r.Candidates == 0 {
		return fmt.Sprintf("no trained %s is waiting to be matched", other)
	}
	return fmt.Sprintf("every %s who fits was matched with someone they suited better", other)
}

// orList joins names as "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Rank lists the mentors the one mentee of the input may be paired with,
// best first: what a mentee browsing for a mentor sees.
func Rank(in Input) ([]Pair, error) {
	if len(in.Mentees) != 1 {
		return nil, fmt.Errorf("rank needs one mentee, not %d", len(in.Mentees))
	}
	ids, words := interner{}, interner{}
	mentors, mentees := members(in.Mentors, ids, words), members(in.Mentees, ids, words)
	avoidOf, err := avoidances(in)
	if err != nil {
		return nil, err
	}
	sc := newScorer(in.Settings)
	avoid := avoidOf[0]
	var out []Pair
	for j := range mentors {
		if rule, _ := sc.judge(&mentors[j], &mentees[0], nextAvoided(&avoid, j)); rule == RuleNone {
			out = append(out, explain(&sc, in.Mentors[j], in.Mentees[0], &mentors[j], &mentees[0]))
		}
	}
	slices.SortStableFunc(out, func(a, b Pair) int { return cmp.Compare(b.Score.Total, a.Score.Total) })
	return out, nil
}
