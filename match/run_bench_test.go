package match

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// programme makes a seeded organisation as matching meets it: topics from a
// catalogue of 15, job levels weighted to the junior end for mentors and the
// senior end for mentees, 12 departments, reporting lines, and a few weekly
// windows each in one of several time zones.
func programme(mentees, mentors int, seed uint64) Input {
	r := rand.New(rand.NewPCG(seed, 1))
	topics := []string{"AI assistants", "Social media", "TikTok", "Figma", "Data visualisation", "SQL", "No-code tools",
		"Video editing", "Cybersecurity", "Remote work", "Gen Z at work", "Podcasts", "Slack etiquette", "Notion", "Prompting"}
	zones := []int{0, 60, -300, 330, 540, -480} // minutes from UTC
	person := func(id string, senior bool) Person {
		p := Person{ID: id, Department: fmt.Sprintf("dept-%d", r.IntN(12)), Capacity: 1 + r.IntN(2)}
		if senior {
			p.JobLevel = 4 + r.IntN(4)
		} else {
			p.JobLevel = 1 + r.IntN(3)
		}
		for _, i := range r.Perm(len(topics))[:1+r.IntN(5)] {
			level := 1 + r.IntN(2)
			if !senior {
				level = 3 + r.IntN(3)
			}
			p.Topics = append(p.Topics, Topic{Name: topics[i], Level: level})
		}
		shift := zones[r.IntN(len(zones))]
		for range 2 + r.IntN(4) {
			day := 1 + r.IntN(5)
			start := (8 + r.IntN(8)) * 60
			p.Free = append(p.Free, Interval{Start: day*24*60 + start - shift + weekMinutes, End: day*24*60 + start + 60*(1+r.IntN(3)) - shift + weekMinutes})
		}
		return p
	}
	var in Input
	in.Settings = Settings{SessionMinutes: 60, CrossDepartment: CrossPreferred, Weights: DefaultWeights}
	for i := range mentors {
		in.Mentors = append(in.Mentors, person(fmt.Sprintf("UMENTOR%d", i), false))
	}
	for i := range mentees {
		in.Mentees = append(in.Mentees, person(fmt.Sprintf("UMENTEE%d", i), true))
	}
	// Reporting lines: many mentors report to a mentee, some two levels up.
	for i := range in.Mentors {
		if r.IntN(3) == 0 {
			boss := in.Mentees[r.IntN(mentees)].ID
			in.Mentors[i].Managers = []string{fmt.Sprintf("ULEAD%d", r.IntN(200)), boss}
		}
	}
	for range mentees / 10 {
		in.Avoid = append(in.Avoid, Avoid{Mentor: in.Mentors[r.IntN(mentors)].ID, Mentee: in.Mentees[r.IntN(mentees)].ID, Rule: RuleRepeat})
	}
	return in
}

// BenchmarkMatch is the whole of /mentor match past the store: interning,
// every hard rule and score for every pair, the solve, the explanations,
// the reasons for everyone left out and the greedy comparison.
func BenchmarkMatch(b *testing.B) {
	for _, size := range []struct{ mentees, mentors int }{{100, 500}, {1000, 5000}} {
		in := programme(size.mentees, size.mentors, 7)
		b.Run(fmt.Sprintf("%dx%d", size.mentees, size.mentors), func(b *testing.B) {
			b.ReportAllocs()
			var res Result
			for b.Loop() {
				var err error
				if res, err = Run(in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(res.Report.Pairs), "pairs")
		})
	}
}

// BenchmarkScore judges every pair of 1,000 mentees and 5,000 mentors,
// the part of a round that grows with the product of both.
func BenchmarkScore(b *testing.B) {
	in := programme(1000, 5000, 7)
	ids, words := interner{}, interner{}
	mentors, mentees := members(in.Mentors, ids, words), members(in.Mentees, ids, words)
	sc := newScorer(in.Settings)
	b.ReportAllocs()
	allowed := 0
	for b.Loop() {
		allowed = 0
		for i := range mentees {
			for j := range mentors {
				if rule, _ := sc.judge(&mentors[j], &mentees[i], RuleNone); rule == RuleNone {
					allowed++
				}
			}
		}
	}
	b.ReportMetric(float64(allowed), "allowed-pairs")
}

func TestJudgingAPairAllocatesNothing(t *testing.T) {
	in := programme(20, 20, 3)
	ids, words := interner{}, interner{}
	mentors, mentees := members(in.Mentors, ids, words), members(in.Mentees, ids, words)
	sc := newScorer(in.Settings)
	allocs := testing.AllocsPerRun(10, func() {
		for i := range mentees {
			for j := range mentors {
				sc.judge(&mentors[j], &mentees[i], RuleNone)
			}
		}
	})
	if allocs != 0 {
		t.Errorf("judging 400 pairs allocates %.0f times", allocs)
	}
}

func TestGeneratedProgrammeIsMatchedMostly(t *testing.T) {
	res, err := Run(programme(100, 500, 7))
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Pairs < 90 || res.Report.Pairs < res.Report.Greedy.Pairs || res.Report.MeanScore < res.Report.Greedy.MeanScore-0.1 {
		t.Errorf("report = %+v", res.Report)
	}
	for _, p := range res.Pairs {
		if len(p.Shared) == 0 || p.OverlapMinutes < 60 {
			t.Errorf("pair %s–%s breaks a rule: %+v", p.Mentor, p.Mentee, p)
		}
	}
}

// TestRunOnRandomProgrammes checks, on many small seeded programmes, that
// every pair keeps the hard rules, nobody is left out without a reason,
// no mentor takes more than their room, and the round never does worse
// than first come, first served.
func TestRunOnRandomProgrammes(t *testing.T) {
	for seed := range uint64(200) {
		in := programme(3+int(seed%7), 3+int(seed%11), seed)
		res, err := Run(in)
		if err != nil {
			t.Fatal(err)
		}
		ids, words := interner{}, interner{}
		mentors, mentees := members(in.Mentors, ids, words), members(in.Mentees, ids, words)
		at := map[string]int{}
		for j, p := range in.Mentors {
			at[p.ID] = j
		}
		for i, p := range in.Mentees {
			at[p.ID] = i
		}
		avoided := map[[2]string]bool{}
		for _, a := range in.Avoid {
			avoided[[2]string{a.Mentor, a.Mentee}] = true
		}
		sc := newScorer(in.Settings)
		load := map[string]int{}
		total := 0.0
		for _, p := range res.Pairs {
			if rule, _ := sc.judge(&mentors[at[p.Mentor]], &mentees[at[p.Mentee]], RuleNone); rule != RuleNone || avoided[[2]string{p.Mentor, p.Mentee}] {
				t.Fatalf("seed %d: %s–%s breaks rule %d", seed, p.Mentor, p.Mentee, rule)
			}
			load[p.Mentor]++
			total += p.Score.Total
		}
		for id, n := range load {
			if n > in.Mentors[at[id]].capacity() {
				t.Fatalf("seed %d: %s takes %d, room for %d", seed, id, n, in.Mentors[at[id]].capacity())
			}
		}
		if got := len(res.Pairs) + len(res.Unmatched); got < len(in.Mentees) {
			t.Fatalf("seed %d: %d mentees neither paired nor explained", seed, len(in.Mentees)-got)
		}
		for _, u := range res.Unmatched {
			if u.Why() == "" {
				t.Fatalf("seed %d: %s left out without a reason", seed, u.ID)
			}
		}
		g := res.Report.Greedy
		if len(res.Pairs) < g.Pairs {
			t.Fatalf("seed %d: %d pairs, first come first served finds %d", seed, len(res.Pairs), g.Pairs)
		}
		if len(res.Pairs) == g.Pairs && len(res.Pairs) > 0 && total < g.MeanScore*float64(g.Pairs)-float64(len(res.Pairs))*SlotCost*2 {
			t.Fatalf("seed %d: total score %.3f below first come first served's %.3f", seed, total, g.MeanScore*float64(g.Pairs))
		}
	}
}
