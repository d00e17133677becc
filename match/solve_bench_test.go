package match

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// uniformProblem is a must-assign problem with seeded uniform costs in [0, 1),
// the same kind scripts/scipy_times.py times scipy on.
func uniformProblem(rows, cols int, seed uint64) Problem {
	rng := rand.New(rand.NewPCG(seed, 1))
	cost := make([]float64, rows*cols)
	for k := range cost {
		cost[k] = rng.Float64()
	}
	return Problem{Rows: rows, Cols: cols, Cost: cost}
}

func BenchmarkSolve(b *testing.B) {
	for _, size := range []struct{ rows, cols int }{
		{1000, 1000}, {3000, 3000}, {200, 1000}, {1000, 3000},
	} {
		b.Run(fmt.Sprintf("%dx%d", size.rows, size.cols), func(b *testing.B) {
			// Several matrices, so one lucky instance does not set the time.
			problems := make([]Problem, 4)
			for k := range problems {
				problems[k] = uniformProblem(size.rows, size.cols, uint64(k))
			}
			b.ReportAllocs()
			k := 0
			for b.Loop() {
				if _, err := Solve(problems[k%len(problems)]); err != nil {
					b.Fatal(err)
				}
				k++
			}
		})
	}
}

// BenchmarkSolveCapacity is the caller's shape: optional rows with negative
// scores, columns taking up to three rows each.
func BenchmarkSolveCapacity(b *testing.B) {
	const rows, cols = 1000, 5000
	p := uniformProblem(rows, cols, 7)
	rng := rand.New(rand.NewPCG(7, 2))
	for k := range p.Cost {
		p.Cost[k] = -p.Cost[k]
	}
	p.Capacity = make([]int, cols)
	for j := range p.Capacity {
		p.Capacity[j] = 1 + rng.IntN(3)
	}
	p.SlotCost = 0.05
	p.Optional = true
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Solve(p); err != nil {
			b.Fatal(err)
		}
	}
}
