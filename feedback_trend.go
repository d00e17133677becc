package mentorbot

import "time"

// TrendWeek is one week of the programme as the HR summary's chart shows
// it: sessions that were due and those that happened, and how useful
// people found them.
type TrendWeek struct {
	Start   time.Time // the Monday the week starts, as a date
	Planned int       // sessions due that week, not called off beforehand
	Held    int       // sessions that happened
	// Pulse is the mean pulse score that week (1–5); it hides itself when
	// it rests on fewer than MinAnswers answers.
	Pulse Figure
}

// MinAnswers is the fewest answers a figure may rest on before anyone but
// the person who answered sees it: below it, one person's answer could be
// worked out.
const MinAnswers = 3

// Figure is a number drawn from people's answers, with how many answers it
// rests on.
type Figure struct {
	Value   float64
	Answers int
}

// Hidden reports whether the figure rests on too few answers to show.
func (f Figure) Hidden() bool { return f.Answers < MinAnswers }
