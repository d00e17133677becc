package mentorbot

import "testing"

func TestStatusNext(t *testing.T) {
	in := func(s State) *Participant { return &Participant{ID: "UME", State: s} }
	declinedIn := func(cycle int64) *Participant {
		return &Participant{ID: "UME", State: StateDeclined, ScreenedInCycle: cycle}
	}
	cycle := &Cycle{ID: 2, Name: "Spring 2026"}
	goals := []Goal{{Aim: "Use an AI assistant daily", Signal: "I use it daily"}}
	tests := []struct {
		name   string
		status Status
		want   Step
	}{
		{"not joined", Status{}, StepJoin},
		{"not joined while a cycle is open", Status{Cycle: cycle, Admin: true}, StepJoin},
		{"applied", Status{Participant: in(StateApplied), Cycle: cycle}, StepAwaitScreening},
		{"declined with no cycle open", Status{Participant: declinedIn(2)}, StepAwaitNextCycle},
		{"declined while no cycle was open, still none", Status{Participant: declinedIn(0)}, StepAwaitNextCycle},
		{"declined in the open cycle", Status{Participant: declinedIn(2), Cycle: cycle}, StepAwaitNextCycle},
		{"declined in an earlier cycle", Status{Participant: declinedIn(1), Cycle: cycle}, StepReapply},
		{"declined while no cycle was open, now one is", Status{Participant: declinedIn(0), Cycle: cycle}, StepReapply},
		{"approved", Status{Participant: in(StateApproved), Cycle: cycle, Goals: goals}, StepTrain},
		{"trained with no cycle open", Status{Participant: in(StateTrained)}, StepAwaitCycle},
		{"trained with a cycle and no goals", Status{Participant: in(StateTrained), Cycle: cycle}, StepSetGoals},
		{"trained with a cycle and goals", Status{Participant: in(StateTrained), Cycle: cycle, Goals: goals}, StepAwaitMatch},
		{"matched", Status{Participant: in(StateMatched), Cycle: cycle, Goals: goals, Pairs: []Pair{{MentorID: "UME", State: PairActive}}}, StepMeet},
		{"proposed, not answered", Status{Participant: in(StateTrained), Cycle: cycle, Goals: goals,
			Offers: []Pair{{MentorID: "UME", MenteeID: "UHER", State: PairProposed}}}, StepAnswerMatch},
		{"a mentor with room, proposed a second mentee", Status{Participant: in(StateMatched), Cycle: cycle, Goals: goals,
			Pairs: []Pair{{MentorID: "UME", State: PairActive}}, Offers: []Pair{{MentorID: "UME", MenteeID: "UHER", State: PairProposed}}}, StepAnswerMatch},
		{"proposed, accepted", Status{Participant: in(StateTrained), Cycle: cycle, Goals: goals,
			Offers: []Pair{{MentorID: "UME", MenteeID: "UHER", State: PairProposed, MentorAnswer: AnswerAccepted}}}, StepAwaitAnswer},
		{"asked a mentor", Status{Participant: in(StateTrained), Cycle: cycle, Goals: goals,
			Offers: []Pair{{MentorID: "UHIM", MenteeID: "UME", State: PairRequested, MenteeAnswer: AnswerAccepted}}}, StepAwaitAnswer},
		{"paused", Status{Participant: in(StatePaused), Cycle: cycle}, StepPaused},
		{"left", Status{Participant: in(StateLeft), Cycle: cycle}, StepRejoin},
	}
	covered := map[Step]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.status.Next(); got != tt.want {
				t.Fatalf("Next() = %q, want %q", got, tt.want)
			}
		})
		covered[tt.want] = true
	}
	for _, step := range []Step{StepJoin, StepAwaitScreening, StepReapply, StepAwaitNextCycle, StepTrain,
		StepAwaitCycle, StepSetGoals, StepAwaitMatch, StepAnswerMatch, StepAwaitAnswer, StepMeet, StepPaused, StepRejoin} {
		if !covered[step] {
			t.Errorf("no case leads to the step %q", step)
		}
	}
}

// TestStatusNextAgreesWithReapply checks that the Home tab offers to apply
// again exactly when joining would file a new application.
func TestStatusNextAgreesWithReapply(t *testing.T) {
	var pr Programme
	for _, screenedIn := range []int64{0, 1, 2} {
		for _, open := range []*Cycle{nil, {ID: 1}, {ID: 2}} {
			p := Participant{State: StateDeclined, ScreenedInCycle: screenedIn}
			offered := Status{Participant: &p, Cycle: open}.Next() == StepReapply
			if may := pr.mayReapply(p, open); offered != may {
				t.Errorf("screened in cycle %d, open cycle %v: Next offers reapply %v, Join reapplies %v", screenedIn, open, offered, may)
			}
		}
	}
}
