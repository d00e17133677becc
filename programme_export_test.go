package mentorbot_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
)

// TestExportListsEveryPairPutToPeopleAndNoProfile: the export has a row
// for each participant and for every pair proposed to people or asked
// for, whatever became of it, with its state; HR's drafts are not in it,
// nor anyone's department or the reason someone declined.
func TestExportListsEveryPairPutToPeopleAndNoProfile(t *testing.T) {
	pr, db, clock := programme(t)
	ctx := context.Background()
	cycle := openCycle(t, pr, "Spring")
	const department, reason = "Skunkworks Lab", "We clashed at the offsite."
	for id, role := range map[string]mentorbot.Role{"UANA": mentorbot.RoleMentor, "UBEN": mentorbot.RoleMentor, "UXI": mentorbot.RoleMentee, "UYU": mentorbot.RoleMentee} {
		p := profile(role)
		p.Department = department
		if _, err := pr.Join(ctx, id, p); err != nil {
			t.Fatal(err)
		}
	}
	proposed, started := clock.Now(), clock.Now().AddDate(0, 0, 1)
	answerBy := proposed.AddDate(0, 0, 3)
	pair := func(mentor, mentee string, state mentorbot.PairState, change func(*mentorbot.Pair)) mentorbot.Pair {
		p := mentorbot.Pair{CycleID: cycle.ID, Origin: mentorbot.OriginRound, MentorID: mentor, MenteeID: mentee, State: state, CreatedAt: proposed, AnswerBy: answerBy}
		if change != nil {
			change(&p)
		}
		return p
	}
	pairs := []mentorbot.Pair{
		pair("UANA", "UXI", mentorbot.PairActive, func(p *mentorbot.Pair) { p.StartedAt = started }),
		pair("UBEN", "UXI", mentorbot.PairDeclined, func(p *mentorbot.Pair) { p.MenteeAnswer, p.DeclineReason = mentorbot.AnswerDeclined, reason }),
		pair("UBEN", "UYU", mentorbot.PairLapsed, nil),
		pair("UANA", "UYU", mentorbot.PairWithdrawn, nil),
		pair("UBEN", "UYU", mentorbot.PairEnded, func(p *mentorbot.Pair) { p.StartedAt, p.EndReason = started, mentorbot.EndedPartnerLeft }),
		// Never put to anyone: HR's draft, a pair HR removed from it, and
		// a draft publishing withdrew.
		pair("UANA", "UYU", mentorbot.PairDraft, func(p *mentorbot.Pair) { p.AnswerBy = time.Time{} }),
		pair("UBEN", "UYU", mentorbot.PairRemoved, func(p *mentorbot.Pair) { p.AnswerBy = time.Time{} }),
		pair("UBEN", "UXI", mentorbot.PairWithdrawn, func(p *mentorbot.Pair) { p.AnswerBy = time.Time{} }),
	}
	if err := db.Apply(ctx, mentorbot.Change{Pairs: pairs}); err != nil {
		t.Fatal(err)
	}

	out, err := pr.Export(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(records[0], mentorbot.ExportColumns) {
		t.Fatalf("the export's header is %v, want %v", records[0], mentorbot.ExportColumns)
	}
	column := func(name string) int { return slices.Index(mentorbot.ExportColumns, name) }
	states := map[string][]string{}
	for _, r := range records[1:] {
		for _, field := range r {
			if strings.Contains(field, department) || strings.Contains(field, reason) {
				t.Errorf("the export holds %q: %v", field, r)
			}
		}
		states[r[column("record")]] = append(states[r[column("record")]], r[column("state")])
		if r[column("record")] == "pair" && r[column("state")] == string(mentorbot.PairDeclined) && r[column("date")] != proposed.Format("2006-01-02") {
			t.Errorf("the declined pair is dated %s, want the day it was proposed", r[column("date")])
		}
	}
	want := map[string][]string{
		"participant": {"applied", "applied", "approved", "approved"},
		"pair":        {"active", "declined", "lapsed", "withdrawn", "ended"},
	}
	for record := range want {
		if !slices.Equal(states[record], want[record]) {
			t.Errorf("%s rows have states %v, want %v", record, states[record], want[record])
		}
	}
}
