package match

import "math/bits"

// Free time is kept as a ring of quarter hours over the week, so the
// overlap of two people is a few word-wide ANDs rather than a walk over
// their windows.
const (
	weekMinutes  = 7 * 24 * 60
	quarter      = 15
	weekQuarters = weekMinutes / quarter
	// freeWords holds the week plus a copy of its first hours, so a
	// shared stretch running past Saturday midnight is still found whole.
	freeWords   = weekQuarters/64 + 2
	wrapQuarter = freeWords*64 - weekQuarters
)

// Interval is a stretch of weekly free time in minutes from Sunday 00:00
// UTC. End may pass the end of the week; the excess wraps to Sunday.
type Interval struct{ Start, End int }

// Topic is a topic a person teaches or wants to learn, with their level in
// it from 1 (new to it) to 5 (expert).
type Topic struct {
	Name  string
	Level int
}

// Person is someone matching may pair, as it sees them.
type Person struct {
	ID         string
	JobLevel   int // higher is more senior
	Department string
	Managers   []string // the reporting line upwards: manager, manager's manager, …
	Topics     []Topic
	Free       []Interval
	// Capacity is how many more mentees a mentor can take now; below 1
	// counts as 1. Mentees take one mentor.
	Capacity int
}

func (p Person) capacity() int { return max(p.Capacity, 1) }

// week is a person's free time on the quarter-hour ring.
type week [freeWords]uint64

// weekOf marks whole quarter hours inside the intervals: a window from
// 09:10 counts from 09:15, so no shared time is overstated.
func weekOf(free []Interval) week {
	var w week
	for _, iv := range free {
		start := (iv.Start + quarter - 1) / quarter
		end := iv.End / quarter
		for q := start; q < end; q++ {
			ring := ((q % weekQuarters) + weekQuarters) % weekQuarters
			w[ring/64] |= 1 << (ring % 64)
		}
	}
	for q := range wrapQuarter {
		if w[q/64]&(1<<(q%64)) != 0 {
			at := weekQuarters + q
			w[at/64] |= 1 << (at % 64)
		}
	}
	return w
}

// overlap returns how many minutes a week two people are both free, and
// whether some stretch of it lasts at least run quarter hours.
func overlap(a, b *week, run int) (minutes int, long bool) {
	var both week
	count := 0
	for i := range both {
		both[i] = a[i] & b[i]
	}
	for i := range weekQuarters / 64 {
		count += bits.OnesCount64(both[i])
	}
	if rest := weekQuarters % 64; rest != 0 {
		count += bits.OnesCount64(both[weekQuarters/64] & (1<<rest - 1))
	}
	if count < run {
		return count * quarter, false
	}
	// After the loop a bit stays set only where run set bits start.
	for range run - 1 {
		for i := range freeWords - 1 {
			both[i] &= both[i]>>1 | both[i+1]<<63
		}
		both[freeWords-1] &= both[freeWords-1] >> 1
	}
	for _, w := range both {
		if w != 0 {
			return count * quarter, true
		}
	}
	return count * quarter, false
}
