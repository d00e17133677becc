package match

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// shape says how to draw random problems.
type shape struct {
	maxRows, maxCols int
	forbidden        float64 // chance that a pair is Forbidden
	maxCapacity      int     // 0: nil Capacity
	optional         bool
	integer          bool // costs in {0, 1, 2, 3}: many ties
	negative         bool // costs in [-1, 0.5), or {-2, -1, 0, 1}: what optional callers pass
}

func (sh shape) draw(rng *rand.Rand, rows, cols int) Problem {
	p := Problem{Rows: rows, Cols: cols, Cost: make([]float64, rows*cols), Optional: sh.optional}
	for k := range p.Cost {
		switch {
		case rng.Float64() < sh.forbidden:
			p.Cost[k] = Forbidden
		case sh.integer && sh.negative:
			p.Cost[k] = float64(rng.IntN(4) - 2)
		case sh.integer:
			p.Cost[k] = float64(rng.IntN(4))
		case sh.negative:
			p.Cost[k] = 1.5*rng.Float64() - 1
		default:
			p.Cost[k] = rng.Float64()
		}
	}
	if sh.maxCapacity > 0 {
		p.Capacity = make([]int, cols)
		for j := range p.Capacity {
			p.Capacity[j] = rng.IntN(sh.maxCapacity + 1)
		}
		p.SlotCost = float64(rng.IntN(3)) * 0.25
	}
	return p
}

// bruteForce is the optimum by dynamic programming over rows, the state being
// how many rows each column holds; +Inf when every row must be matched and
// cannot be.
func bruteForce(p Problem) float64 {
	radix := make([]int, p.Cols)
	states := 1
	for j := range radix {
		radix[j] = states
		states *= p.slots(j) + 1
	}
	best := make([]float64, states)
	for k := range best {
		best[k] = math.Inf(1)
	}
	best[0] = 0
	for i := range p.Rows {
		next := make([]float64, states)
		for k := range next {
			next[k] = math.Inf(1)
		}
		for state, total := range best {
			if math.IsInf(total, 1) {
				continue
			}
			if p.Optional {
				next[state] = min(next[state], total)
			}
			for j := range p.Cols {
				used := state / radix[j] % (p.slots(j) + 1)
				if used < p.slots(j) {
					c := total + p.Cost[i*p.Cols+j] + float64(used)*p.SlotCost
					next[state+radix[j]] = min(next[state+radix[j]], c)
				}
			}
		}
		best = next
	}
	return slices.Min(best)
}

// checkAssignment checks that sol is a valid assignment of p and that Total is
// what it pays.
func checkAssignment(t *testing.T, p Problem, sol Solution) {
	t.Helper()
	if len(sol.Col) != p.Rows || len(sol.Slot) != p.Rows {
		t.Fatalf("%d columns and %d slots for %d rows", len(sol.Col), len(sol.Slot), p.Rows)
	}
	rowsIn := make([]int, p.Cols)
	slotsUsed := make([]map[int]bool, p.Cols)
	paid := 0.0
	for i, j := range sol.Col {
		k := sol.Slot[i]
		if j == -1 {
			if !p.Optional || k != -1 {
				t.Fatalf("row %d unmatched (slot %d) in a problem with Optional %v", i, k, p.Optional)
			}
			continue
		}
		if j < 0 || j >= p.Cols || math.IsInf(p.Cost[i*p.Cols+j], 1) {
			t.Fatalf("row %d matched to column %d, not an allowed pair", i, j)
		}
		if k < 0 || k >= p.slots(j) || slotsUsed[j][k] {
			t.Fatalf("row %d in slot %d of column %d: out of range or taken", i, k, j)
		}
		if slotsUsed[j] == nil {
			slotsUsed[j] = map[int]bool{}
		}
		slotsUsed[j][k] = true
		rowsIn[j]++
		paid += p.Cost[i*p.Cols+j] + float64(k)*p.SlotCost
	}
	for j, n := range rowsIn {
		for k := range n {
			if !slotsUsed[j][k] {
				t.Fatalf("column %d holds %d rows but slot %d is unused: slot costs not as charged", j, n, k)
			}
		}
	}
	if !near(paid, sol.Total) {
		t.Fatalf("Total %v, but the assignment pays %v", sol.Total, paid)
	}
}

// checkDuals checks the optimality conditions Solution documents.
func checkDuals(t *testing.T, p Problem, sol Solution) {
	t.Helper()
	eps := 1e-9 // rounding grows with the costs' magnitude
	for _, c := range p.Cost {
		if !math.IsInf(c, 1) {
			eps = max(eps, 1e-9*math.Abs(c))
		}
	}
	if len(sol.RowDual) != p.Rows || len(sol.SlotDual) != p.Cols {
		t.Fatalf("%d row duals, %d columns of slot duals for %dx%d", len(sol.RowDual), len(sol.SlotDual), p.Rows, p.Cols)
	}
	objective := 0.0
	for i, u := range sol.RowDual {
		objective += u
		if p.Optional && (u > eps || (sol.Col[i] == -1 && math.Abs(u) > eps)) {
			t.Fatalf("row %d (column %d) has dual %v", i, sol.Col[i], u)
		}
	}
	used := make([][]bool, p.Cols)
	for j, duals := range sol.SlotDual {
		if len(duals) != p.slots(j) {
			t.Fatalf("column %d has %d slot duals, want %d", j, len(duals), p.slots(j))
		}
		used[j] = make([]bool, len(duals))
	}
	for i, j := range sol.Col {
		if j >= 0 {
			used[j][sol.Slot[i]] = true
		}
	}
	for j, duals := range sol.SlotDual {
		for k, v := range duals {
			objective += v
			if v > eps || (!used[j][k] && math.Abs(v) > eps) {
				t.Fatalf("slot %d of column %d (used %v) has dual %v", k, j, used[j][k], v)
			}
		}
	}
	for i := range p.Rows {
		for j := range p.Cols {
			c := p.Cost[i*p.Cols+j]
			if math.IsInf(c, 1) {
				continue
			}
			for k, v := range sol.SlotDual[j] {
				reduced := c + float64(k)*p.SlotCost - sol.RowDual[i] - v
				if reduced < -eps {
					t.Fatalf("row %d, slot %d of column %d: reduced cost %v", i, k, j, reduced)
				}
				if sol.Col[i] == j && sol.Slot[i] == k && math.Abs(reduced) > eps {
					t.Fatalf("row %d fills slot %d of column %d at reduced cost %v", i, k, j, reduced)
				}
			}
		}
	}
	if math.Abs(objective-sol.Total) > eps*float64(p.Rows+p.Cols+1) {
		t.Fatalf("duals sum to %v, Total is %v", objective, sol.Total)
	}
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*max(1, math.Abs(a), math.Abs(b))
}

func TestSolveMatchesBruteForce(t *testing.T) {
	for n, tc := range []struct {
		name string
		shape
	}{
		{"square", shape{maxRows: 8, maxCols: 8}},
		{"forbidden", shape{maxRows: 8, maxCols: 8, forbidden: 0.4}},
		{"ties", shape{maxRows: 8, maxCols: 8, integer: true, forbidden: 0.2}},
		{"optional", shape{maxRows: 8, maxCols: 8, negative: true, optional: true}},
		{"optional forbidden", shape{maxRows: 8, maxCols: 8, negative: true, optional: true, forbidden: 0.5}},
		{"optional ties", shape{maxRows: 8, maxCols: 8, integer: true, negative: true, optional: true}},
		{"capacity", shape{maxRows: 8, maxCols: 5, maxCapacity: 3}},
		{"capacity forbidden", shape{maxRows: 8, maxCols: 5, maxCapacity: 3, forbidden: 0.3}},
		{"capacity ties", shape{maxRows: 8, maxCols: 5, maxCapacity: 3, integer: true}},
		{"capacity optional ties", shape{maxRows: 8, maxCols: 5, maxCapacity: 3, integer: true, negative: true, optional: true}},
		{"capacity optional", shape{maxRows: 8, maxCols: 5, maxCapacity: 3, negative: true, optional: true, forbidden: 0.3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(n)))
			solved := 0
			for range 500 {
				p := tc.draw(rng, rng.IntN(tc.maxRows+1), rng.IntN(tc.maxCols+1))
				want := bruteForce(p)
				sol, err := Solve(p)
				if math.IsInf(want, 1) {
					if err == nil {
						t.Fatalf("%+v: no assignment exists, got %+v", p, sol)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%+v: %v, want total %v", p, err, want)
				}
				if !near(sol.Total, want) {
					t.Fatalf("%+v: total %v, want %v (%+v)", p, sol.Total, want, sol)
				}
				checkAssignment(t, p, sol)
				checkDuals(t, p, sol)
				solved++
			}
			if solved < 200 {
				t.Errorf("only %d of 500 instances were feasible", solved)
			}
		})
	}
}

func TestSolveDualsLarge(t *testing.T) {
	for n, tc := range []struct {
		name       string
		rows, cols int
		shape
	}{
		{"square", 400, 400, shape{}},
		{"square ties", 300, 300, shape{integer: true}},
		{"wide forbidden", 300, 500, shape{forbidden: 0.3}},
		{"wide capacity", 300, 500, shape{forbidden: 0.3, maxCapacity: 3}},
		{"tall capacity", 400, 300, shape{forbidden: 0.3, maxCapacity: 3}},
		{"optional capacity", 300, 500, shape{forbidden: 0.3, maxCapacity: 3, negative: true, optional: true}},
		{"optional tall", 500, 300, shape{forbidden: 0.3, negative: true, optional: true}},
		{"optional ties", 300, 500, shape{maxCapacity: 2, integer: true, negative: true, optional: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.draw(rand.New(rand.NewPCG(2, uint64(n))), tc.rows, tc.cols)
			sol, err := Solve(p)
			if err != nil {
				t.Fatal(err)
			}
			checkAssignment(t, p, sol)
			checkDuals(t, p, sol)
		})
	}
}

// expand spells out p's slots as columns and, with Optional, gives each row a
// column of its own at cost 0: a plain must-assign problem with the same optimum.
func expand(p Problem) Problem {
	var slotCol []int
	var slotCost []float64
	for j := range p.Cols {
		for k := range p.slots(j) {
			slotCol = append(slotCol, j)
			slotCost = append(slotCost, float64(k)*p.SlotCost)
		}
	}
	cols := len(slotCol)
	if p.Optional {
		cols += p.Rows
	}
	q := Problem{Rows: p.Rows, Cols: cols, Cost: make([]float64, p.Rows*cols)}
	for i := range p.Rows {
		row := q.Cost[i*cols : (i+1)*cols]
		for t, j := range slotCol {
			row[t] = p.Cost[i*p.Cols+j] + slotCost[t]
		}
		for r := len(slotCol); r < cols; r++ {
			row[r] = Forbidden
		}
		if p.Optional {
			row[len(slotCol)+i] = 0
		}
	}
	return q
}

// TestSolveMatchesExpansion checks the implicit slots and staying out against
// the same problems spelled out, on sizes too big for brute force.
func TestSolveMatchesExpansion(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for range 300 {
		sh := shape{
			forbidden:   []float64{0, 0.3, 0.9}[rng.IntN(3)],
			maxCapacity: rng.IntN(4),
			optional:    rng.IntN(2) == 0,
			integer:     rng.IntN(3) == 0,
		}
		sh.negative = sh.optional
		p := sh.draw(rng, 1+rng.IntN(50), 1+rng.IntN(50))
		sol, err := Solve(p)
		want, wantErr := Solve(expand(p))
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%+v: error %v, expanded %v", p, err, wantErr)
		}
		if err != nil {
			continue
		}
		if !near(sol.Total, want.Total) {
			t.Fatalf("%+v: total %v, expanded %v", p, sol.Total, want.Total)
		}
		checkAssignment(t, p, sol)
		checkDuals(t, p, sol)
	}
}

// TestSolveDegenerate runs costs where ties and rounding could keep the
// price cuts of row reduction going for long.
func TestSolveDegenerate(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, tc := range []struct {
		name string
		cost func() float64
	}{
		{"all zero", func() float64 { return 0 }},
		{"zero or one", func() float64 { return float64(rng.IntN(2)) }},
		{"large offset", func() float64 { return 1e15 + float64(rng.IntN(3)) }},
		{"tiny", func() float64 { return 1e-12 * rng.Float64() }},
		{"mixed scales", func() float64 { return math.Pow(10, float64(rng.IntN(13)-6)) * rng.Float64() }},
	} {
		for _, size := range []struct {
			rows, cols, capacity int
			optional             bool
		}{{200, 200, 0, false}, {150, 250, 0, true}, {250, 150, 2, false}, {250, 150, 2, true}} {
			p := Problem{Rows: size.rows, Cols: size.cols, Cost: make([]float64, size.rows*size.cols), Optional: size.optional}
			for k := range p.Cost {
				p.Cost[k] = tc.cost()
				if p.Optional {
					p.Cost[k] = -p.Cost[k]
				}
			}
			if size.capacity > 0 {
				p.Capacity = slices.Repeat([]int{size.capacity}, size.cols)
				p.SlotCost = 0.5
			}
			sol, err := Solve(p)
			if err != nil {
				t.Fatalf("%s %+v: %v", tc.name, size, err)
			}
			checkAssignment(t, p, sol)
			checkDuals(t, p, sol)
		}
	}
}

// fixture is a problem whose optimum scripts/make_fixtures.py found with scipy.
type fixture struct {
	Rows, Cols int
	Cost       []*float64 // null is Forbidden
	Capacity   []int
	SlotCost   float64
	Optional   bool
	Total      float64
}

func TestSolveFixtures(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".json"), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var f fixture
			if err := json.Unmarshal(data, &f); err != nil {
				t.Fatal(err)
			}
			p := Problem{Rows: f.Rows, Cols: f.Cols, Cost: make([]float64, len(f.Cost)),
				Capacity: f.Capacity, SlotCost: f.SlotCost, Optional: f.Optional}
			for k, c := range f.Cost {
				p.Cost[k] = Forbidden
				if c != nil {
					p.Cost[k] = *c
				}
			}
			sol, err := Solve(p)
			if err != nil {
				t.Fatal(err)
			}
			if !near(sol.Total, f.Total) {
				t.Fatalf("total %v, scipy found %v", sol.Total, f.Total)
			}
			checkAssignment(t, p, sol)
			checkDuals(t, p, sol)
		})
	}
}

func TestSolveErrors(t *testing.T) {
	inf := Forbidden
	for _, tc := range []struct {
		name string
		p    Problem
		want string
	}{
		{"negative size", Problem{Rows: -1, Cols: 2}, "negative size"},
		{"too large", Problem{Rows: 1 << 31, Cols: 0, Optional: true}, "too large"},
		{"too few costs", Problem{Rows: 2, Cols: 2, Cost: []float64{1, 2, 3}}, "3 costs for 2x2"},
		{"too many costs", Problem{Rows: 1, Cols: 1, Cost: []float64{1, 2}}, "2 costs for 1x1"},
		{"capacities", Problem{Rows: 1, Cols: 2, Cost: []float64{1, 2}, Capacity: []int{1}}, "1 capacities for 2 columns"},
		{"negative capacity", Problem{Rows: 1, Cols: 2, Cost: []float64{1, 2}, Capacity: []int{1, -1}}, "capacity -1"},
		{"negative slot cost", Problem{Rows: 1, Cols: 1, Cost: []float64{1}, SlotCost: -1}, "SlotCost -1"},
		{"NaN slot cost", Problem{Rows: 1, Cols: 1, Cost: []float64{1}, SlotCost: math.NaN()}, "SlotCost NaN"},
		{"NaN", Problem{Rows: 2, Cols: 2, Cost: []float64{1, 2, math.NaN(), 4}}, "row 1, column 0 is NaN"},
		{"-Inf", Problem{Rows: 1, Cols: 2, Cost: []float64{1, math.Inf(-1)}}, "row 0, column 1 is -Inf"},
		{"-Inf optional", Problem{Rows: 1, Cols: 1, Cost: []float64{math.Inf(-1)}, Optional: true}, "is -Inf"},
		{"more rows than columns", Problem{Rows: 3, Cols: 2, Cost: make([]float64, 6)}, "3 rows must be matched but the columns take only 2"},
		{"more rows than capacity", Problem{Rows: 4, Cols: 2, Cost: make([]float64, 8), Capacity: []int{2, 1}}, "take only 3"},
		{"no columns", Problem{Rows: 1, Cols: 0}, "take only 0"},
		{"forbidden row", Problem{Rows: 2, Cols: 3, Cost: []float64{1, 2, 3, inf, inf, inf}}, "no assignment matches every row"},
		{"forbidden column", Problem{Rows: 2, Cols: 2, Cost: []float64{1, inf, 2, inf}}, "column 1 allows no row"},
		{"two rows, one column", Problem{Rows: 2, Cols: 3, Cost: []float64{1, inf, inf, 2, inf, inf}}, "no assignment matches every row"},
		{"forbidden with capacity", Problem{Rows: 3, Cols: 2, Cost: []float64{1, inf, 1, inf, 1, inf}, Capacity: []int{2, 5}}, "no assignment matches every row"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Solve(tc.p)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

func TestSolveSmall(t *testing.T) {
	inf := Forbidden
	for _, tc := range []struct {
		name      string
		p         Problem
		wantCol   []int
		wantTotal float64
	}{
		{"empty", Problem{}, []int{}, 0},
		{"no rows", Problem{Cols: 3}, []int{}, 0},
		{"optional, no columns", Problem{Rows: 2, Optional: true}, []int{-1, -1}, 0},
		{"swap", Problem{Rows: 2, Cols: 2, Cost: []float64{2, 1, 1, 2}}, []int{1, 0}, 2},
		{"tall optional", Problem{Rows: 3, Cols: 1, Cost: []float64{-1, -3, -2}, Optional: true}, []int{-1, 0, -1}, -3},
		{"optional skips positive", Problem{Rows: 2, Cols: 2, Cost: []float64{1, -1, 2, 3}, Optional: true}, []int{1, -1}, -1},
		{"capacity shares a column", Problem{Rows: 3, Cols: 2, Cost: []float64{0, 5, 0, 5, 0, 5}, Capacity: []int{3, 1}, SlotCost: 1}, []int{0, 0, 0}, 3},
		{"slot cost spills over", Problem{Rows: 3, Cols: 2, Cost: []float64{0, 1.5, 0, 1.5, 0, 1.5}, Capacity: []int{3, 1}, SlotCost: 1}, nil, 2.5},
		{"zero capacity", Problem{Rows: 1, Cols: 2, Cost: []float64{0, 5}, Capacity: []int{0, 1}}, []int{1}, 5},
		{"huge capacity", Problem{Rows: 2, Cols: 1, Cost: []float64{1, 2}, Capacity: []int{math.MaxInt}}, []int{0, 0}, 3},
		{"forbidden detour", Problem{Rows: 2, Cols: 2, Cost: []float64{1, inf, 0, 7}}, []int{0, 1}, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sol, err := Solve(tc.p)
			if err != nil {
				t.Fatal(err)
			}
			if sol.Total != tc.wantTotal {
				t.Errorf("total %v, want %v", sol.Total, tc.wantTotal)
			}
			if tc.wantCol != nil && !slices.Equal(sol.Col, tc.wantCol) {
				t.Errorf("columns %v, want %v", sol.Col, tc.wantCol)
			}
			checkAssignment(t, tc.p, sol)
			checkDuals(t, tc.p, sol)
		})
	}
}
