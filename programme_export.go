package mentorbot

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"time"
)

// ExportColumns head the export: one table of records, each filling the
// columns that apply to it, so a spreadsheet can filter by record. A
// pair's date is the day it started, or, for one that never did, the day
// it was put to its people.
var ExportColumns = []string{
	"record", "cycle", "pair", "participant", "role", "state",
	"mentor", "mentee", "date", "outcome", "mentor_said", "mentee_said", "measure", "value", "answers",
}

// Export writes the programme's records as CSV for its admins:
// participants and their states, every pair put to people and what became
// of it, sessions and who said they happened, and feedback only as the
// summary's figures, each hidden when it rests on fewer than MinAnswers
// answers. No pulse or survey answer of one person is in it, no reason
// anyone gave, and nothing of a profile: a file travels further than
// Slack, and the profile is for matching, which admins do in Slack.
func (pr *Programme) Export(ctx context.Context, actor string) ([]byte, error) {
	if err := pr.RequireAdmin(actor, "export the programme's data"); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	row := func(fields map[string]string) {
		line := make([]string, len(ExportColumns))
		for i, col := range ExportColumns {
			line[i] = fields[col]
		}
		w.Write(line)
	}
	w.Write(ExportColumns)

	for _, state := range States {
		people, err := pr.Store.ParticipantsIn(ctx, state)
		if err != nil {
			return nil, fmt.Errorf("load participants: %w", err)
		}
		for _, p := range people {
			row(map[string]string{"record": "participant", "participant": p.ID, "role": string(p.Role), "state": string(p.State),
				"date": csvDate(p.JoinedAt)})
		}
	}

	cycles, err := pr.Store.Cycles(ctx)
	if err != nil {
		return nil, fmt.Errorf("load cycles: %w", err)
	}
	pairs, err := pr.Store.PairsIn(ctx, PairProposed, PairRequested, PairActive, PairDeclined, PairLapsed, PairWithdrawn, PairEnded)
	if err != nil {
		return nil, fmt.Errorf("load pairs: %w", err)
	}
	for _, c := range cycles {
		d, err := pr.summaryData(ctx, c)
		if err != nil {
			return nil, err
		}
		cycle := strconv.FormatInt(c.ID, 10)
		for _, p := range pairs {
			if p.CycleID != c.ID || !putToPeople(p) {
				continue
			}
			date := p.StartedAt
			if date.IsZero() {
				date = p.CreatedAt
			}
			row(map[string]string{"record": "pair", "cycle": cycle, "pair": strconv.FormatInt(p.ID, 10), "state": string(p.State),
				"mentor": p.MentorID, "mentee": p.MenteeID, "date": csvDate(date), "outcome": p.EndReason})
		}
		for _, s := range d.Sessions {
			row(map[string]string{"record": "session", "cycle": cycle, "pair": strconv.FormatInt(s.PairID, 10),
				"date": s.StartsAt.UTC().Format(time.RFC3339), "outcome": string(s.Outcome()),
				"mentor_said": string(s.MentorHeld), "mentee_said": string(s.MenteeHeld)})
		}
		sum := Summarize(d, pr.now(), pr.location())
		for _, f := range []struct {
			measure string
			figure  Figure
		}{{"pulse_useful_mean", sum.Useful}, {"pulse_comfort_mean", sum.Comfort}} {
			row(map[string]string{"record": "feedback", "cycle": cycle, "measure": f.measure, "value": figureValue(f.figure), "answers": strconv.Itoa(f.figure.Answers)})
		}
		for _, t := range []struct {
			kind  SurveyKind
			tally SurveyTally
		}{{SurveyMidpoint, sum.Midpoint}, {SurveyClosing, sum.Closing}} {
			for _, p := range Progresses {
				row(map[string]string{"record": "feedback", "cycle": cycle, "measure": fmt.Sprintf("%s_goals_%s", t.kind, p),
					"value": tallyValue(t.tally, t.tally.Progress[p]), "answers": strconv.Itoa(t.tally.Answers)})
			}
			for _, a := range Continues {
				row(map[string]string{"record": "feedback", "cycle": cycle, "measure": fmt.Sprintf("%s_continue_%s", t.kind, a),
					"value": tallyValue(t.tally, t.tally.Continue[a]), "answers": strconv.Itoa(t.tally.Answers)})
			}
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// putToPeople reports whether a pair reached its people: proposed to them
// or asked for, whatever became of it. A draft that publishing withdrew,
// its mentee matched meanwhile, never did: it has no time to answer by.
func putToPeople(p Pair) bool {
	switch p.State {
	case PairDraft, PairRemoved:
		return false
	case PairWithdrawn:
		return !p.AnswerBy.IsZero()
	}
	return true
}

// HiddenValue stands in the export for a figure resting on too few answers.
const HiddenValue = "hidden: fewer than 3 answers"

func figureValue(f Figure) string {
	if f.Hidden() {
		return HiddenValue
	}
	return strconv.FormatFloat(f.Value, 'f', 2, 64)
}

func tallyValue(t SurveyTally, n int) string {
	if t.Hidden() {
		return HiddenValue
	}
	return strconv.Itoa(n)
}

func csvDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}
