// Package match pairs mentees with mentors: the hard rules, the scores,
// the reasons, and an exact assignment solver underneath.
package match

import (
	"fmt"
	"math"
)

// Forbidden is the cost of a pair that may never be matched.
var Forbidden = math.Inf(1)

// Problem is a rectangular assignment problem.
type Problem struct {
	Rows, Cols int
	Cost       []float64 // Rows*Cols, row-major; Forbidden marks pairs not allowed
	// Capacity is how many rows each column may take (nil: one each). A column's
	// k-th extra row (k = 1, 2, ...) costs k*SlotCost more than its first.
	Capacity []int
	SlotCost float64 // finite and not negative
	// Optional lets a row stay unmatched at no cost; otherwise every row must be
	// matched.
	Optional bool
}

// Solution is an optimal assignment with the duals that prove it optimal.
//
// Think of column j as min(Capacity[j], Rows) slots, slot k costing
// Cost[i*Cols+j] + k*SlotCost for row i. With the reduced cost
//
//	r(i, j, k) = Cost[i*Cols+j] + k*SlotCost - RowDual[i] - SlotDual[j][k]
//
// the duals satisfy, up to rounding:
//   - r ≥ 0 for every allowed pair and every slot k;
//   - r = 0 when row i fills slot k of column j (Col[i] == j, Slot[i] == k);
//   - SlotDual ≤ 0, and SlotDual = 0 on every unused slot;
//   - with Optional, RowDual ≤ 0, and RowDual = 0 on every unmatched row.
//
// These are LP dual feasibility and complementary slackness, so
// sum(RowDual) + sum(SlotDual) == Total and no assignment costs less.
type Solution struct {
	Col   []int   // per row, the column it is matched to, -1 when unmatched
	Slot  []int   // per row, which of its column's slots it fills (0: the first), -1 when unmatched
	Total float64 // sum of the costs actually paid (including slot costs)

	RowDual  []float64   // per row
	SlotDual [][]float64 // per column, per slot: len(SlotDual[j]) == min(Capacity[j], Rows)
}

// Solve returns a minimum-cost assignment. Errors: malformed problem (sizes, NaN, -Inf),
// or no assignment exists that matches every row when !Optional.
func Solve(p Problem) (Solution, error) {
	if err := p.check(); err != nil {
		return Solution{}, err
	}
	s := newSolver(p)
	free := s.allRows()
	// Column reduction can set potentials above 0, sound only when every slot
	// ends up used: square problems with one slot per column. Elsewhere
	// potentials start at 0 and only fall, as free slots must stay at 0.
	if s.unit && !p.Optional && p.Rows == p.Cols {
		var err error
		if free, err = s.reduceColumns(free); err != nil {
			return Solution{}, err
		}
	}
	free = s.reduceRows(free)
	for _, i := range free {
		if err := s.augment(i); err != nil {
			return Solution{}, err
		}
	}
	return s.solution(), nil
}

func (p *Problem) check() error {
	if p.Rows < 0 || p.Cols < 0 {
		return fmt.Errorf("match: negative size %dx%d", p.Rows, p.Cols)
	}
	if p.Rows > math.MaxInt32/2 || p.Cols > math.MaxInt32/2 { // ids are int32
		return fmt.Errorf("match: size %dx%d is too large", p.Rows, p.Cols)
	}
	if (p.Cols > 0 && p.Rows > math.MaxInt/p.Cols) || len(p.Cost) != p.Rows*p.Cols {
		return fmt.Errorf("match: %d costs for %dx%d", len(p.Cost), p.Rows, p.Cols)
	}
	if p.Capacity != nil && len(p.Capacity) != p.Cols {
		return fmt.Errorf("match: %d capacities for %d columns", len(p.Capacity), p.Cols)
	}
	if !(p.SlotCost >= 0) || math.IsInf(p.SlotCost, 1) {
		return fmt.Errorf("match: SlotCost %v is not finite and non-negative", p.SlotCost)
	}
	slots := 0
	for j := range p.Cols {
		c := p.slots(j)
		if c < 0 {
			return fmt.Errorf("match: column %d has capacity %d", j, c)
		}
		slots += c
	}
	for k, c := range p.Cost {
		// One comparison rejects both NaN and -Inf.
		if !(c > math.Inf(-1)) {
			return fmt.Errorf("match: cost of row %d, column %d is %v", k/p.Cols, k%p.Cols, c)
		}
	}
	if !p.Optional && p.Rows > slots {
		return fmt.Errorf("match: %d rows must be matched but the columns take only %d", p.Rows, slots)
	}
	return nil
}

// slots is how many of column j's slots could ever be used: no column takes
// more than Rows rows, which keeps huge capacities cheap.
func (p *Problem) slots(j int) int {
	if p.Capacity == nil {
		return min(1, p.Rows)
	}
	return min(p.Capacity[j], p.Rows)
}

const (
	unassigned = -1 // a row still to place, or a slot without a row
	unmatched  = -2 // a row left out (Optional)
)

// solver works on slots rather than columns. Only the slots that can matter
// get an id: every used slot, plus each column's first unused one. Later
// unused slots of a column cost at least as much and have potential 0, so
// they are never better; a column's next slot gets an id when its last one
// fills. This bounds the working arrays by Cols+Rows whatever the capacities.
//
// Row potentials are implicit, as in Jonker–Volgenant: a matched row's is its
// slot's cost minus that slot's potential, which keeps the reduced cost of
// every matched pair at 0. The invariant throughout is that each matched row
// sits in one of its cheapest slots by cost minus potential, and (with
// Optional) pays at most 0, the price of staying out.
type solver struct {
	p    Problem
	unit bool // one slot per column, slot id == column: costs are read in place

	numSlots  int
	slotCol   []int32   // column of each slot id (unless unit)
	slotK     []int32   // index of the slot within its column (unless unit)
	slotExtra []float64 // slotK*SlotCost (unless unit)

	v      []float64 // slot potentials
	rowOf  []int32   // per slot id, its row or unassigned
	slotOf []int32   // per row, its slot id, unassigned or unmatched

	// Scratch for augment, allocated once.
	dist        []float64 // tentative distance per slot; NaN once scanned
	pred        []int32   // row each slot was last reached from
	scanned     []int32
	scannedDist []float64
	rowBuf      []float64 // one row's slot costs (unless unit)
}

func newSolver(p Problem) *solver {
	s := &solver{p: p, unit: true, slotOf: make([]int32, p.Rows)}
	firsts, extras := 0, 0
	for j := range p.Cols {
		c := p.slots(j)
		if c != 1 {
			s.unit = false
		}
		if c > 0 {
			firsts++
			extras += c - 1
		}
	}
	maxSlots := firsts + min(extras, p.Rows)
	s.v = make([]float64, maxSlots)
	s.rowOf = make([]int32, maxSlots)
	s.dist = make([]float64, maxSlots)
	s.pred = make([]int32, maxSlots)
	s.scanned = make([]int32, 0, min(maxSlots, p.Rows))
	s.scannedDist = make([]float64, 0, min(maxSlots, p.Rows))
	for t := range s.rowOf {
		s.rowOf[t] = unassigned
	}
	for i := range s.slotOf {
		s.slotOf[i] = unassigned
	}
	if s.unit {
		s.numSlots = p.Cols
		return s
	}
	s.slotCol = make([]int32, maxSlots)
	s.slotK = make([]int32, maxSlots)
	s.slotExtra = make([]float64, maxSlots)
	s.rowBuf = make([]float64, maxSlots)
	for j := range p.Cols {
		if p.slots(j) > 0 {
			s.slotCol[s.numSlots] = int32(j)
			s.numSlots++
		}
	}
	return s
}

func (s *solver) allRows() []int32 {
	rows := make([]int32, s.p.Rows)
	for i := range rows {
		rows[i] = int32(i)
	}
	return rows
}

// costs returns row i's cost of every slot id.
func (s *solver) costs(i int32) []float64 {
	row := s.p.Cost[int(i)*s.p.Cols : int(i+1)*s.p.Cols]
	if s.unit {
		return row
	}
	buf := s.rowBuf[:s.numSlots]
	extra := s.slotExtra[:len(buf)]
	for t, j := range s.slotCol[:len(buf)] {
		buf[t] = row[j] + extra[t]
	}
	return buf
}

// opensSlot tells whether filling slot t brings in its column's next slot.
func (s *solver) opensSlot(t int32) bool {
	return !s.unit && s.rowOf[t] == unassigned && int(s.slotK[t]+1) < s.p.slots(int(s.slotCol[t]))
}

// place puts row i in slot t, giving the column's next slot an id when t
// was its last free one.
func (s *solver) place(i, t int32) {
	if s.opensSlot(t) {
		n := s.numSlots
		s.slotCol[n], s.slotK[n] = s.slotCol[t], s.slotK[t]+1
		s.slotExtra[n] = float64(s.slotK[n]) * s.p.SlotCost
		s.numSlots++
	}
	s.rowOf[t] = i
	s.slotOf[i] = t
}

// reduceColumns is Jonker–Volgenant's start for square problems: each
// column's potential is its cheapest cost and it goes to that row if the row
// is still free; a row that got a single column then moves the gap to its
// second-best column onto that column's potential (reduction transfer). It
// returns the rows left free, reusing rows' storage.
func (s *solver) reduceColumns(rows []int32) ([]int32, error) {
	n := s.p.Rows
	v := s.v[:n]
	best := make([]int32, n) // per column, its cheapest row
	for j := range v {
		v[j] = math.Inf(1)
	}
	for i := range n { // row by row: reading down columns would miss the cache
		row := s.p.Cost[i*n : (i+1)*n]
		for j, c := range row {
			if c < v[j] {
				v[j] = c
				best[j] = int32(i)
			}
		}
	}
	columns := make([]int32, n) // per row, how many columns chose it
	for j := range v {
		if math.IsInf(v[j], 1) {
			return nil, fmt.Errorf("match: column %d allows no row, so not every row can be matched", j)
		}
		i := best[j]
		if columns[i] == 0 {
			s.place(i, int32(j))
		}
		columns[i]++
	}
	free := rows[:0]
	for i := range n {
		switch columns[i] {
		case 0:
			free = append(free, int32(i))
		case 1:
			row := s.p.Cost[i*n : (i+1)*n]
			mine := s.slotOf[i]
			second := math.Inf(1)
			for j, c := range row {
				if h := c - v[j]; h < second && int32(j) != mine {
					second = h
				}
			}
			if !math.IsInf(second, 1) {
				v[mine] -= second
			}
		}
	}
	return free, nil
}

// maxRelocationsPerRow bounds augmenting row reduction, whose price cuts
// could otherwise go on for long on near-ties; whatever it leaves is
// finished by augment.
const maxRelocationsPerRow = 16

// reduceRows is Jonker–Volgenant's augmenting row reduction, two passes over
// the free rows. Each takes its cheapest slot and lowers that slot's
// potential until the row's second-cheapest ties with it, so that the row it
// displaces tends to go elsewhere. A displaced row is retried at once when
// the price fell, otherwise in the next pass. It returns the rows still free.
func (s *solver) reduceRows(free []int32) []int32 {
	budget := maxRelocationsPerRow * len(free)
	for range 2 {
		next, k := 0, 0
		for k < len(free) {
			i := free[k]
			k++
			best, second, bestSlot, secondSlot := s.cheapestTwo(i)
			switch {
			case bestSlot == unmatched:
				s.slotOf[i] = unmatched
				continue
			case bestSlot == unassigned:
				free[next] = i // cannot be matched: augment reports it
				next++
				continue
			}
			if s.opensSlot(bestSlot) {
				// Free slots have potential 0, so the slot this one brings in
				// costs SlotCost more; it must not undercut the row either.
				second = min(second, best+s.p.SlotCost)
			}
			cut := false
			if second < math.Inf(1) {
				lowered := s.v[bestSlot] - (second - best)
				cut = lowered < s.v[bestSlot] // false when the gap is lost to rounding
				s.v[bestSlot] = lowered
			}
			displaced := s.rowOf[bestSlot]
			if !cut && displaced != unassigned && secondSlot != unassigned {
				// A tie: take the other cheapest slot rather than push the
				// holder out for nothing.
				if secondSlot == unmatched {
					s.slotOf[i] = unmatched
					continue
				}
				bestSlot, displaced = secondSlot, s.rowOf[secondSlot]
			}
			s.place(i, bestSlot)
			if displaced == unassigned {
				continue
			}
			s.slotOf[displaced] = unassigned
			if cut && budget > 0 {
				budget--
				k--
				free[k] = displaced
			} else {
				free[next] = displaced
				next++
			}
		}
		free = free[:next]
	}
	return free
}

// cheapestTwo returns row i's two lowest slot costs minus potentials, and
// their slots: unmatched stands for staying out (Optional), which costs 0, and
// unassigned for none.
func (s *solver) cheapestTwo(i int32) (best, second float64, bestSlot, secondSlot int32) {
	best, second = math.Inf(1), math.Inf(1)
	bestSlot, secondSlot = unassigned, unassigned
	if s.p.Optional {
		best, bestSlot = 0, unmatched
	}
	c := s.costs(i)
	v := s.v[:len(c)]
	for block := 0; block < len(c); block += 4 {
		// Past the first few slots nearly every block of four is cheaper to
		// reject in one test than slot by slot.
		if block+4 <= len(c) {
			cb, vb := c[block:block+4], v[block:block+4]
			if !(cb[0]-vb[0] < second || cb[1]-vb[1] < second || cb[2]-vb[2] < second || cb[3]-vb[3] < second) {
				continue
			}
		}
		for t := block; t < min(block+4, len(c)); t++ {
			if h := c[t] - v[t]; h < second {
				if h < best {
					second, secondSlot = best, bestSlot
					best, bestSlot = h, int32(t)
				} else {
					second, secondSlot = h, int32(t)
				}
			}
		}
	}
	return best, second, bestSlot, secondSlot
}

// augment matches free row i0 along a shortest augmenting path (Dijkstra on
// reduced costs) and updates the slot potentials so that reduced costs stay
// non-negative.
func (s *solver) augment(i0 int32) error {
	n := s.numSlots
	dist, v, pred, rowOf := s.dist[:n], s.v[:n], s.pred[:n], s.rowOf[:n]
	scanned, scannedDist := s.scanned[:0], s.scannedDist[:0]

	c := s.costs(i0)[:n]
	low, lowSlot := math.Inf(1), -1
	for t := range dist {
		h := c[t] - v[t]
		dist[t] = h
		pred[t] = i0
		if h < low || (h == low && rowOf[t] == unassigned) {
			low, lowSlot = h, t
		}
	}
	// Leaving a row out is a free "slot" of its own, reachable from that row only.
	outDist, outRow := math.Inf(1), int32(unassigned)
	if s.p.Optional {
		outDist, outRow = 0, i0
	}
	for outDist > low && rowOf[lowSlot] != unassigned {
		t := lowSlot
		i := rowOf[t]
		scanned = append(scanned, int32(t))
		scannedDist = append(scannedDist, low)
		dist[t] = math.NaN() // compares false both ways: never relaxed nor picked again
		c = s.costs(i)[:n]
		offset := low - (c[t] - v[t]) // distance of row i minus its potential
		if s.p.Optional && offset < outDist {
			outDist, outRow = offset, i
		}
		low, lowSlot = math.Inf(1), -1
		for t := range dist {
			// Branch-free relaxation: which pairs improve is unpredictable.
			h := c[t] - v[t] + offset
			d, from := dist[t], pred[t]
			if h < d {
				from = i
			}
			d = min(d, h)
			dist[t], pred[t] = d, from
			if d < low || (d == low && rowOf[t] == unassigned) {
				low, lowSlot = d, t
			}
		}
	}
	if math.IsInf(min(low, outDist), 1) {
		return fmt.Errorf("match: no assignment matches every row (row %d cannot be placed)", i0)
	}

	// Leaving out a row wins ties: it spends no slot. The row's old slot (none
	// for i0) then passes down the path.
	sink := int32(lowSlot)
	if outDist <= low {
		low = outDist
		sink = s.slotOf[outRow]
		s.slotOf[outRow] = unmatched
	}
	for k, t := range scanned {
		v[t] += scannedDist[k] - low
	}
	for sink != unassigned {
		i := pred[sink]
		prev := s.slotOf[i]
		s.place(i, sink)
		if i == i0 {
			break
		}
		sink = prev
	}
	return nil
}

// column returns the column of slot t and the slot's index within it.
func (s *solver) column(t int32) (j, k int) {
	if s.unit {
		return int(t), 0
	}
	return int(s.slotCol[t]), int(s.slotK[t])
}

func (s *solver) solution() Solution {
	p := s.p
	sol := Solution{
		Col:      make([]int, p.Rows),
		Slot:     make([]int, p.Rows),
		RowDual:  make([]float64, p.Rows),
		SlotDual: make([][]float64, p.Cols),
	}
	// Column reduction can leave potentials above 0, but only on square
	// problems where every slot is used, so shifting all of them onto the
	// rows restores SlotDual ≤ 0 without changing any reduced cost.
	shift := 0.0
	for _, v := range s.v[:s.numSlots] {
		shift = max(shift, v)
	}
	total := 0
	for j := range p.Cols {
		total += p.slots(j)
	}
	flat := make([]float64, total)
	for j := range p.Cols {
		c := p.slots(j)
		sol.SlotDual[j], flat = flat[:c:c], flat[c:]
	}
	for t, v := range s.v[:s.numSlots] {
		j, k := s.column(int32(t))
		sol.SlotDual[j][k] = v - shift
	}
	for i, t := range s.slotOf {
		if t == unmatched {
			sol.Col[i], sol.Slot[i] = -1, -1
			continue
		}
		j, k := s.column(t)
		c := p.Cost[i*p.Cols+j] + float64(k)*p.SlotCost
		sol.Col[i], sol.Slot[i] = j, k
		sol.Total += c
		sol.RowDual[i] = c - s.v[t] + shift
	}
	return sol
}
