package mentorbot_test

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/store"
	"github.com/mentorbot/mentorbot/store/storetest"
)

const (
	admin  = "UADMIN"
	mentor = "UMENTOR"
	mentee = "UMENTEE"
)

// programme is the service on a fresh database, with a stopped clock.
func programme(t testing.TB) (*mentorbot.Programme, *store.DB, *mentorbot.ManualClock) {
	t.Helper()
	db := storetest.Open(t)
	clock := mentorbot.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	return &mentorbot.Programme{Store: db, Clock: clock, Admins: []string{admin}, Location: time.UTC,
		Onboarding: mentorbot.DefaultOnboarding()}, db, clock
}

// outboxWatch returns a function that lists, on each call, the messages
// owed since the call before (the first, since the watch began), in the
// order they were owed.
func outboxWatch(t testing.TB, db *store.DB) func() []mentorbot.OutboxItem {
	var seen int64
	owed := func() []mentorbot.OutboxItem {
		t.Helper()
		all, err := db.DueOutbox(context.Background(), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), mentorbot.OutboxCursor{}, 100000)
		if err != nil {
			t.Fatal(err)
		}
		var owed []mentorbot.OutboxItem
		for _, item := range all {
			if item.ID > seen {
				owed = append(owed, item)
			}
		}
		slices.SortFunc(owed, func(a, b mentorbot.OutboxItem) int { return cmp.Compare(a.ID, b.ID) })
		if len(owed) > 0 {
			seen = owed[len(owed)-1].ID
		}
		return owed
	}
	owed()
	return owed
}

func profile(role mentorbot.Role) mentorbot.Profile {
	return mentorbot.Profile{
		Role:         role,
		Topics:       []mentorbot.TopicInterest{{Topic: "Social media", Level: 4}},
		JobLevel:     2,
		Department:   "Support",
		TimeZone:     "Europe/London",
		Availability: mentorbot.Availability{{Day: time.Tuesday, Start: 600, End: 720}},
		Pitch:        "I make short videos people watch.",
	}
}

func mustJoin(t *testing.T, pr *mentorbot.Programme, id string, role mentorbot.Role) mentorbot.JoinResult {
	t.Helper()
	res, err := pr.Join(context.Background(), id, profile(role))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func openCycle(t testing.TB, pr *mentorbot.Programme, name string) mentorbot.Cycle {
	t.Helper()
	form, _, err := pr.CycleDraft(context.Background(), admin)
	if err != nil {
		t.Fatal(err)
	}
	form.Name = name
	c, err := pr.SaveCycle(context.Background(), admin, form)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func state(t *testing.T, db *store.DB, id string) mentorbot.State {
	t.Helper()
	p, err := db.Participant(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p.State
}

func TestJoinRecordsEveryMove(t *testing.T) {
	pr, db, clock := programme(t)
	ctx := context.Background()
	start := clock.Now()

	res := mustJoin(t, pr, mentor, mentorbot.RoleMentor)
	if res.How != mentorbot.JoinedNew || res.Participant.State != mentorbot.StateApplied || !res.Participant.JoinedAt.Equal(start) {
		t.Fatalf("first join: %+v", res)
	}
	clock.Advance(time.Hour)
	edited := profile(mentorbot.RoleMentor)
	edited.Department = "Marketing"
	if res, _ = pr.Join(ctx, mentor, edited); res.How != mentorbot.JoinedUpdated || res.Participant.State != mentorbot.StateApplied {
		t.Fatalf("edit: %+v", res)
	}
	// Switching to learning needs no screening; switching back needs it again.
	if res = mustJoin(t, pr, mentor, mentorbot.RoleMentee); res.How != mentorbot.JoinedRoleChanged || res.Participant.State != mentorbot.StateApproved {
		t.Fatalf("switch to mentee: %+v", res)
	}
	if res = mustJoin(t, pr, mentor, mentorbot.RoleMentor); res.How != mentorbot.JoinedRoleChanged || res.Participant.State != mentorbot.StateApplied {
		t.Fatalf("switch back: %+v", res)
	}
	moves, err := db.Transitions(ctx, mentor)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ from, to mentorbot.State }{{"", "applied"}, {"applied", "approved"}, {"approved", "applied"}}
	if len(moves) != len(want) {
		t.Fatalf("moves %+v, want %v", moves, want)
	}
	for i, m := range moves {
		if m.From != want[i].from || m.To != want[i].to || m.By != mentor || m.At.IsZero() {
			t.Errorf("move %d: %+v, want %v by the person", i, m, want[i])
		}
	}
}

func TestAdminActionsRefuseEveryoneElse(t *testing.T) {
	pr, _, _ := programme(t)
	ctx := context.Background()
	mustJoin(t, pr, mentor, mentorbot.RoleMentor)
	form, _, _ := pr.CycleDraft(ctx, admin)
	form.Name = "Spring"
	for name, try := range map[string]func(string) error{
		"draft a cycle":    func(id string) error { _, _, err := pr.CycleDraft(ctx, id); return err },
		"save a cycle":     func(id string) error { _, err := pr.SaveCycle(ctx, id, form); return err },
		"close a cycle":    func(id string) error { _, err := pr.CloseCycle(ctx, id); return err },
		"see the overview": func(id string) error { _, err := pr.Overview(ctx, id); return err },
		"see the queue":    func(id string) error { _, err := pr.ScreeningQueue(ctx, id); return err },
		"see an applicant": func(id string) error { _, err := pr.Applicant(ctx, id, mentor); return err },
		"screen": func(id string) error {
			err := pr.Screen(ctx, id, mentor, mentorbot.Decision{Approve: true})
			return err
		},
	} {
		for _, who := range []string{mentor, mentee, "UNOBODY"} {
			if err := try(who); mentorbot.ErrorCode(err) != mentorbot.EFORBIDDEN {
				t.Errorf("%s as %s: %v, want a refusal", name, who, err)
			}
		}
	}
}

func TestScreening(t *testing.T) {
	pr, db, _ := programme(t)
	ctx := context.Background()
	spring := openCycle(t, pr, "Spring")
	mustJoin(t, pr, mentor, mentorbot.RoleMentor)

	owed := outboxWatch(t, db)
	if err := pr.Screen(ctx, admin, mentor, mentorbot.Decision{Screening: mentorbot.Screening{Note: "Not this time."}}); err != nil {
		t.Fatalf("decline: %v", err)
	}
	if notices := owed(); len(notices) != 1 || notices[0].Kind != mentorbot.OutboxDeclined || notices[0].To != mentor || notices[0].Note != "Not this time." {
		t.Fatalf("the applicant is owed %+v", notices)
	}
	if err := pr.Screen(ctx, admin, mentor, mentorbot.Decision{Approve: true}); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Fatalf("screening twice: %v, want a conflict", err)
	}
	moves, _ := db.Transitions(ctx, mentor)
	last := moves[len(moves)-1]
	if last.By != admin || last.CycleID != spring.ID || last.Screening == nil || last.Screening.Note != "Not this time." {
		t.Fatalf("decline stored as %+v", last)
	}

	// Joining again in the same cycle keeps the decision; in the next it is a new application.
	if res := mustJoin(t, pr, mentor, mentorbot.RoleMentor); res.How == mentorbot.JoinedReapplied || res.Participant.State != mentorbot.StateDeclined {
		t.Fatalf("reapplying in the same cycle: %+v", res)
	}
	if _, err := pr.CloseCycle(ctx, admin); err != nil {
		t.Fatal(err)
	}
	openCycle(t, pr, "Autumn")
	if res := mustJoin(t, pr, mentor, mentorbot.RoleMentor); res.How != mentorbot.JoinedReapplied || res.Participant.State != mentorbot.StateApplied {
		t.Fatalf("reapplying in the next cycle: %+v", res)
	}
	if err := pr.Screen(ctx, admin, mentor, mentorbot.Decision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	if got := state(t, db, mentor); got != mentorbot.StateApproved {
		t.Fatalf("approved mentor is %s", got)
	}
}

func TestOnlyApprovedAndTrainedPeopleAreMatchable(t *testing.T) {
	pr, db, _ := programme(t)
	ctx := context.Background()
	mustJoin(t, pr, mentor, mentorbot.RoleMentor)
	mustJoin(t, pr, mentee, mentorbot.RoleMentee)

	matchable := func(id string) bool {
		p, err := db.Participant(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return p.Matchable()
	}
	if _, err := pr.Train(ctx, mentor); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Fatalf("an applicant trained: %v", err)
	}
	if matchable(mentor) || matchable(mentee) {
		t.Fatal("someone is matchable before training")
	}
	if err := pr.Screen(ctx, admin, mentor, mentorbot.Decision{Approve: true, Screening: mentorbot.Screening{Checks: []string{"patience"}}}); err != nil {
		t.Fatal(err)
	}
	if matchable(mentor) {
		t.Fatal("an approved mentor is matchable before training")
	}
	for _, id := range []string{mentor, mentee} {
		if _, err := pr.Train(ctx, id); err != nil {
			t.Fatal(err)
		}
		if !matchable(id) {
			t.Fatalf("%s is not matchable after training", id)
		}
	}
	ready, err := db.ParticipantsIn(ctx, mentorbot.StateTrained)
	if err != nil || len(ready) != 2 {
		t.Fatalf("trained participants %d, %v", len(ready), err)
	}
}

// pairUp makes an active pair of two trained people, as matching will.
func pairUp(t *testing.T, pr *mentorbot.Programme, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	mustJoin(t, pr, mentor, mentorbot.RoleMentor)
	mustJoin(t, pr, mentee, mentorbot.RoleMentee)
	if err := pr.Screen(ctx, admin, mentor, mentorbot.Decision{Approve: true, Screening: mentorbot.Screening{Checks: []string{"patience"}}}); err != nil {
		t.Fatal(err)
	}
	var c mentorbot.Change
	for _, id := range []string{mentor, mentee} {
		p, err := pr.Train(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		c.Moves = append(c.Moves, mentorbot.Transition{ParticipantID: id, Role: p.Role, From: p.State, To: mentorbot.StateMatched, By: admin, At: pr.Clock.Now()})
		p.State = mentorbot.StateMatched
		c.Participants = append(c.Participants, p)
	}
	c.Pairs = []mentorbot.Pair{{MentorID: mentor, MenteeID: mentee, Origin: mentorbot.OriginRound, State: mentorbot.PairActive, StartedAt: pr.Clock.Now()}}
	if err := db.Apply(ctx, c); err != nil {
		t.Fatal(err)
	}
}

func TestPauseResumesOnItsDate(t *testing.T) {
	pr, db, clock := programme(t)
	ctx := context.Background()
	pairUp(t, pr, db)

	for date, want := range map[string]string{"2026-03-02": "after today", "2026-12-31": "within six months", "soon": "the day"} {
		if _, err := pr.Pause(ctx, mentee, date); mentorbot.ErrorFields(err)[mentorbot.FieldPauseUntil] == "" {
			t.Errorf("pause until %q: %v, want a message on the date mentioning %q", date, err, want)
		}
	}
	owed := outboxWatch(t, db)
	p, err := pr.Pause(ctx, mentee, "2026-03-16")
	if err != nil {
		t.Fatal(err)
	}
	// Back at 08:00 in London, which is 08:00 UTC in March.
	if want := time.Date(2026, 3, 16, 8, 0, 0, 0, time.UTC); !p.PausedUntil.Equal(want) || p.State != mentorbot.StatePaused || p.ResumeState != mentorbot.StateMatched {
		t.Fatalf("paused as %+v", p)
	}
	notices := owed()
	if got := strings.Join(kinds(notices), " "); got != "partner_paused>"+mentor {
		t.Fatalf("owed %s, want the partner told", got)
	}
	if d, drop, err := pr.Resolve(ctx, notices[0]); err != nil || drop != "" || !d.Partner.PausedUntil.Equal(p.PausedUntil) {
		t.Fatalf("the partner must read when they're back: %+v %q %v", d.Partner, drop, err)
	}

	clock.Set(time.Date(2026, 3, 16, 7, 59, 0, 0, time.UTC))
	if err := pr.ResumeDue(ctx); err != nil || len(owed()) != 0 {
		t.Fatalf("resumed early: %v", err)
	}
	clock.Set(time.Date(2026, 3, 16, 8, 0, 0, 0, time.UTC))
	if err := pr.ResumeDue(ctx); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(kinds(owed()), " "); got != "resumed>"+mentee+" partner_resumed>"+mentor {
		t.Fatalf("on the date, owed %s", got)
	}
	if _, drop, _ := pr.Resolve(ctx, notices[0]); drop == "" {
		t.Errorf("word of the pause still goes once the partner is back")
	}
	if got := state(t, db, mentee); got != mentorbot.StateMatched {
		t.Fatalf("back as %s, want matched", got)
	}
	if err := pr.ResumeDue(ctx); err != nil || len(owed()) != 0 {
		t.Fatalf("resumed twice: %v", err)
	}
	moves, _ := db.Transitions(ctx, mentee)
	if last := moves[len(moves)-1]; last.By != mentorbot.System || last.To != mentorbot.StateMatched {
		t.Fatalf("resume stored as %+v", last)
	}
}

// Pausing again until the same date, as a pause Slack delivers again after
// a crash does, tells the partner nothing new; another date does.
func TestPausingAgainTellsThePartnerOnlyOfANewDate(t *testing.T) {
	for _, tc := range []struct {
		name, again string
		want        string
	}{
		{"the same date", "2026-03-16", ""},
		{"a later date", "2026-03-23", "partner_paused>" + mentor},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr, db, _ := programme(t)
			ctx := context.Background()
			pairUp(t, pr, db)
			if _, err := pr.Pause(ctx, mentee, "2026-03-16"); err != nil {
				t.Fatal(err)
			}
			owed := outboxWatch(t, db)
			if _, err := pr.Pause(ctx, mentee, tc.again); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(kinds(owed()), " "); got != tc.want {
				t.Errorf("pausing again until %s owes %q, want %q", tc.again, got, tc.want)
			}
		})
	}
}

func TestLeavingEndsThePairAndTellsThePartner(t *testing.T) {
	pr, db, _ := programme(t)
	ctx := context.Background()
	pairUp(t, pr, db)

	owed := outboxWatch(t, db)
	if err := pr.Leave(ctx, mentor); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(kinds(owed()), " "); got != "partner_left>"+mentee+" left>"+mentor {
		t.Fatalf("leaving owes %s", got)
	}
	if got := state(t, db, mentee); got != mentorbot.StateTrained {
		t.Fatalf("the partner is %s, want back in the pool as trained", got)
	}
	if _, err := db.ActivePair(ctx, mentee); mentorbot.ErrorCode(err) != mentorbot.ENOTFOUND {
		t.Fatalf("the pair is still active: %v", err)
	}
	if err := pr.Leave(ctx, mentor); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Fatalf("leaving twice: %v", err)
	}
	if res := mustJoin(t, pr, mentor, mentorbot.RoleMentor); res.How != mentorbot.JoinedAgain || res.Participant.State != mentorbot.StateApplied {
		t.Fatalf("rejoining: %+v", res)
	}
}

func TestForgetKeepsOnlyAnonymousCounts(t *testing.T) {
	pr, db, _ := programme(t)
	ctx := context.Background()
	pairUp(t, pr, db)

	owed := outboxWatch(t, db)
	if err := pr.Forget(ctx, mentor); err != nil {
		t.Fatal(err)
	}
	notices := owed()
	if got := strings.Join(kinds(notices), " "); got != "partner_left>"+mentee {
		t.Fatalf("forgetting owes %s", got)
	}
	if d, drop, err := pr.Resolve(ctx, notices[0]); err != nil || drop != "" || !mentorbot.Erased(d.Partner.ID) {
		t.Fatalf("the partner is still told, without the erased person's name: %+v %q %v", d.Partner, drop, err)
	}
	if _, err := db.Participant(ctx, mentor); mentorbot.ErrorCode(err) != mentorbot.ENOTFOUND {
		t.Fatalf("the participant is still there: %v", err)
	}
	if moves, _ := db.Transitions(ctx, mentor); len(moves) != 0 {
		t.Fatalf("moves still name the person: %+v", moves)
	}
	census, err := db.Census(ctx)
	if err != nil || census.Erased != 1 || census.States[mentorbot.StateTrained] != 1 {
		t.Fatalf("census %+v, %v", census, err)
	}
	if err := pr.Forget(ctx, mentor); mentorbot.ErrorCode(err) != mentorbot.ENOTFOUND {
		t.Fatalf("forgetting twice: %v", err)
	}
}

func TestGoalsBelongToTheOpenCycle(t *testing.T) {
	pr, _, _ := programme(t)
	ctx := context.Background()
	mustJoin(t, pr, mentee, mentorbot.RoleMentee)
	form := mentorbot.GoalForm{Aims: []string{"Use an AI assistant for my board updates"}, Signals: []string{"Next update drafted with it"}}
	if _, err := pr.SaveGoals(ctx, mentee, form); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Fatalf("goals with no cycle open: %v", err)
	}
	openCycle(t, pr, "Spring")
	if _, err := pr.SaveGoals(ctx, mentee, form); err != nil {
		t.Fatal(err)
	}
	s, err := pr.Status(ctx, mentee)
	if err != nil || len(s.Goals) != 1 || s.Goals[0].Signal != "Next update drafted with it" {
		t.Fatalf("status %+v, %v", s, err)
	}
	if _, err := pr.CloseCycle(ctx, admin); err != nil {
		t.Fatal(err)
	}
	if _, err := pr.SaveGoals(ctx, mentee, form); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Fatalf("goals edited after close-out: %v", err)
	}
}
