package match

import (
	"strings"
	"testing"
)

const (
	monday  = 1 * 24 * 60
	tuesday = 2 * 24 * 60
)

func hours(day, from, to int) Interval { return Interval{Start: day + from*60, End: day + to*60} }

func TestOverlap(t *testing.T) {
	tests := []struct {
		name        string
		a, b        []Interval
		run         int // quarter hours
		wantMinutes int
		wantLong    bool
	}{
		{"same two hours", []Interval{hours(monday, 9, 11)}, []Interval{hours(monday, 9, 11)}, 4, 120, true},
		{"an hour in common", []Interval{hours(monday, 9, 11)}, []Interval{hours(monday, 10, 12)}, 4, 60, true},
		{"an hour in common, a 90-minute session", []Interval{hours(monday, 9, 11)}, []Interval{hours(monday, 10, 12)}, 6, 60, false},
		{"two half hours are not one hour", []Interval{hours(monday, 9, 10), hours(tuesday, 9, 10)},
			[]Interval{{monday + 9*60 + 30, monday + 11*60}, {tuesday + 8*60, tuesday + 9*60 + 30}}, 4, 60, false},
		{"different days", []Interval{hours(monday, 9, 11)}, []Interval{hours(tuesday, 9, 11)}, 1, 0, false},
		{"across Saturday midnight", []Interval{{6*24*60 + 23*60, 7*24*60 + 60}}, []Interval{{0, 60}, {6*24*60 + 23*60, 6*24*60 + 24*60}}, 8, 120, true},
		{"minutes off the quarter hour are not counted", []Interval{{monday + 9*60 + 10, monday + 10*60 + 10}}, []Interval{hours(monday, 9, 11)}, 4, 45, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := weekOf(tt.a), weekOf(tt.b)
			minutes, long := overlap(&a, &b, tt.run)
			if minutes != tt.wantMinutes || long != tt.wantLong {
				t.Errorf("overlap = %d minutes, long %v; want %d, %v", minutes, long, tt.wantMinutes, tt.wantLong)
			}
		})
	}
}

func person(id string, level int, dept string, topics ...Topic) Person {
	return Person{ID: id, JobLevel: level, Department: dept, Topics: topics, Free: []Interval{hours(tuesday, 10, 12)}}
}

func TestJudgeKeepsEveryHardRule(t *testing.T) {
	mentor := person("UM", 2, "Support", Topic{"TikTok", 5})
	mentee := person("US", 6, "Finance", Topic{"tiktok ", 1})
	settings := Settings{SessionMinutes: 60, CrossDepartment: CrossPreferred, Weights: DefaultWeights}
	tests := []struct {
		name     string
		change   func(mentor, mentee *Person, s *Settings)
		avoided  Rule
		wantRule Rule
	}{
		{"a good pair", func(*Person, *Person, *Settings) {}, RuleNone, RuleNone},
		{"no topic in common", func(_, e *Person, _ *Settings) { e.Topics = []Topic{{"Excel", 1}} }, RuleNone, RuleTopic},
		{"mentee as senior as the mentor", func(m, e *Person, _ *Settings) { e.JobLevel = m.JobLevel }, RuleNone, RuleSeniority},
		{"mentor is the mentee's manager", func(_, e *Person, _ *Settings) { e.Managers = []string{"UM"} }, RuleNone, RuleReportingLine},
		{"mentee is two levels above the mentor", func(m, _ *Person, _ *Settings) { m.Managers = []string{"UX", "US"} }, RuleNone, RuleReportingLine},
		{"same department when crossing is required", func(m, e *Person, s *Settings) { m.Department, s.CrossDepartment = "Finance", CrossRequired }, RuleNone, RuleDepartment},
		{"same department when crossing is preferred", func(m, e *Person, s *Settings) { m.Department = "finance" }, RuleNone, RuleNone},
		{"no hour free together", func(_, e *Person, _ *Settings) { e.Free = []Interval{{tuesday + 11*60 + 30, tuesday + 13*60}} }, RuleNone, RuleAvailability},
		{"paired before", func(*Person, *Person, *Settings) {}, RuleRepeat, RuleRepeat},
		{"asked not to be", func(*Person, *Person, *Settings) {}, RuleAsked, RuleAsked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, e, s := mentor, mentee, settings
			m.Managers, e.Managers = nil, nil
			tt.change(&m, &e, &s)
			ids, words := interner{}, interner{}
			members := members([]Person{m, e}, ids, words)
			sc := newScorer(s)
			rule, score := sc.judge(&members[0], &members[1], tt.avoided)
			if rule != tt.wantRule {
				t.Fatalf("rule = %d, want %d", rule, tt.wantRule)
			}
			if rule == RuleNone && (score.Total <= 0 || score.Total > 1) {
				t.Errorf("score = %+v, want a total in (0, 1]", score)
			}
		})
	}
}

func TestScoreRewardsLevelsOverlapAndCrossingDepartments(t *testing.T) {
	settings := Settings{SessionMinutes: 60, CrossDepartment: CrossPreferred, Weights: DefaultWeights}
	mentee := person("US", 6, "Finance", Topic{"TikTok", 1})
	mentee.Free = []Interval{hours(tuesday, 8, 14)}
	base := person("UM", 2, "Support", Topic{"TikTok", 3})
	better := map[string]Person{
		"knows the topic better": person("UM", 2, "Support", Topic{"TikTok", 5}),
		"more time together":     {ID: "UM", JobLevel: 2, Department: "Support", Topics: base.Topics, Free: []Interval{hours(tuesday, 8, 14)}},
	}
	scoreOf := func(m Person) float64 {
		ms := members([]Person{m, mentee}, interner{}, interner{})
		sc := newScorer(settings)
		_, s := sc.judge(&ms[0], &ms[1], RuleNone)
		return s.Total
	}
	for name, m := range better {
		if scoreOf(m) <= scoreOf(base) {
			t.Errorf("%s does not score higher", name)
		}
	}
	same := person("UM", 2, "Finance", Topic{"TikTok", 3})
	if scoreOf(same) >= scoreOf(base) {
		t.Errorf("the same department scores as high as another")
	}
}

func TestRunExplainsEveryoneLeftOut(t *testing.T) {
	in := Input{
		Settings: Settings{SessionMinutes: 60, CrossDepartment: CrossPreferred, Weights: DefaultWeights},
		Mentors: []Person{
			person("UANA", 2, "Support", Topic{"TikTok", 5}),
			person("UBEN", 2, "Support", Topic{"Figma", 5}),
		},
		Mentees: []Person{
			person("UXI", 6, "Finance", Topic{"TikTok", 1}),
			person("UYU", 6, "Finance", Topic{"TikTok", 2}),
			person("UZED", 6, "Finance", Topic{"Data visualisation", 1}, Topic{"SQL", 1}),
		},
	}
	res, err := Run(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pairs) != 1 || res.Pairs[0].Mentor != "UANA" || res.Pairs[0].Mentee != "UXI" {
		t.Fatalf("pairs = %+v, want Ana with Xi, who knows least", res.Pairs)
	}
	why := map[string]string{}
	for _, u := range res.Unmatched {
		why[u.ID] = u.Why()
	}
	want := map[string]string{
		"UYU":  "every mentor who fits was matched with someone they suited better",
		"UZED": "no mentor who is waiting teaches Data visualisation or SQL",
		"UBEN": "no mentee who is waiting wants to learn Figma",
	}
	for id, w := range want {
		if why[id] != w {
			t.Errorf("%s: %q, want %q", id, why[id], w)
		}
	}
	if len(why) != len(want) {
		t.Errorf("unmatched = %v", why)
	}
}

func TestRunPrefersMorePairsThenHigherScores(t *testing.T) {
	// Ana suits both mentees best, but giving her to Yu leaves Xi nobody;
	// Ana has room for two, each extra mentee costing a little.
	in := Input{
		Settings: Settings{SessionMinutes: 60, CrossDepartment: CrossAny, Weights: DefaultWeights},
		Mentors: []Person{
			person("UANA", 2, "Support", Topic{"TikTok", 5}, Topic{"Figma", 5}),
			person("UBEN", 2, "Support", Topic{"Figma", 2}),
		},
		Mentees: []Person{
			person("UXI", 6, "Finance", Topic{"TikTok", 1}),
			person("UYU", 6, "Finance", Topic{"Figma", 1}),
		},
	}
	res, err := Run(in)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range res.Pairs {
		got[p.Mentee] = p.Mentor
	}
	if got["UXI"] != "UANA" || got["UYU"] != "UBEN" {
		t.Errorf("pairs = %v; the load should spread when it costs no one a match", got)
	}
	in.Mentors[0].Capacity = 2
	in.Mentors = in.Mentors[:1]
	res, err = Run(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Pairs) != 2 || res.Report.Load[2] != 1 {
		t.Errorf("with room for two, Ana takes both: %+v, load %v", res.Pairs, res.Report.Load)
	}
}

func TestRankListsOnlyMentorsWhoFit(t *testing.T) {
	in := Input{
		Settings: Settings{SessionMinutes: 60, CrossDepartment: CrossPreferred, Weights: DefaultWeights},
		Mentors: []Person{
			person("UOK", 2, "Support", Topic{"TikTok", 3}),
			person("UBEST", 2, "Support", Topic{"TikTok", 5}),
			person("USENIOR", 7, "Support", Topic{"TikTok", 5}),
		},
		Mentees: []Person{person("UXI", 6, "Finance", Topic{"TikTok", 1})},
		Avoid:   []Avoid{{Mentor: "UOK", Mentee: "UXI", Rule: RuleAsked}},
	}
	ranked, err := Rank(in)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range ranked {
		ids = append(ids, p.Mentor)
	}
	if strings.Join(ids, " ") != "UBEST" {
		t.Errorf("ranked %v, want only UBEST", ids)
	}
}
