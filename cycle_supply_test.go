package mentorbot_test

import (
	"testing"

	"github.com/mentorbot/mentorbot"
)

func TestSupplyOfCountsWhoWantsAndWhoCanTeach(t *testing.T) {
	var holders []mentorbot.TopicHolder
	person := func(id string, role mentorbot.Role, state mentorbot.State, capacity int, topics ...string) {
		for _, topic := range topics {
			holders = append(holders, mentorbot.TopicHolder{ParticipantID: id, Role: role, State: state, Capacity: capacity, Topic: topic})
		}
	}
	mentor, mentee := mentorbot.RoleMentor, mentorbot.RoleMentee
	person("m1", mentor, mentorbot.StateMatched, 2, "SQL", "Figma")
	person("m2", mentor, mentorbot.StateApproved, 1, "SQL") // not trained: approved, no place yet
	person("m3", mentor, mentorbot.StateApplied, 3, "Charts")
	person("m4", mentor, mentorbot.StatePaused, 1, "Figma")
	person("m5", mentor, mentorbot.StateLeft, 3, "Charts")
	person("e1", mentee, mentorbot.StateMatched, 0, "SQL")
	person("e2", mentee, mentorbot.StateTrained, 0, "sql ", "Charts")
	person("e3", mentee, mentorbot.StatePaused, 0, "Charts")
	person("e4", mentee, mentorbot.StateApproved, 0, "Figma", "Charts")
	person("e5", mentee, mentorbot.StateFinished, 0, "Charts")
	// An ended pair no longer takes a place.
	pairs := []mentorbot.Pair{{MentorID: "m1", MenteeID: "e1", State: mentorbot.PairActive}, {MentorID: "m1", MenteeID: "e2", State: mentorbot.PairEnded}}
	// A teach-in called off no longer counts; one on a topic nobody
	// named still shows.
	teachIns := []mentorbot.TeachIn{{Topic: "Charts", State: mentorbot.TeachInOpen}, {Topic: "sql", State: mentorbot.TeachInCancelled},
		{Topic: "Go", State: mentorbot.TeachInOpen}}
	got := mentorbot.SupplyOf(holders, pairs, teachIns)
	want := []mentorbot.TopicSupply{
		{Topic: "Charts", Wanting: 3, Waiting: 3, TeachIns: 1},
		{Topic: "SQL", Wanting: 2, Waiting: 1, Mentors: 2, FreePlaces: 1, Pairs: 1},
		{Topic: "Figma", Wanting: 1, Waiting: 1, Mentors: 2, FreePlaces: 1},
		{Topic: "Go", TeachIns: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("supply %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("topic %d is %+v, want %+v", i, got[i], want[i])
		}
	}
	short := mentorbot.Shortages(got)
	if len(short) != 1 || short[0].Topic != "Charts" || short[0].Shortfall() != 3 {
		t.Errorf("shortages %+v, want Charts alone, 3 short", short)
	}
	if s := mentorbot.Shortages(got[1:]); len(s) != 0 {
		t.Errorf("topics with room are short: %+v", s)
	}
}
