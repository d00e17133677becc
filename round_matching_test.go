package mentorbot_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/store"
)

// seed stores a trained participant: junior mentors who teach, senior
// mentees who learn, all free on Tuesday mornings in London.
func seed(t *testing.T, db *store.DB, id string, role mentorbot.Role, change func(*mentorbot.Participant)) {
	t.Helper()
	p := mentorbot.Participant{ID: id, Profile: profile(role), State: mentorbot.StateTrained, JoinedAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	p.StateSince, p.UpdatedAt = p.JoinedAt, p.JoinedAt
	p.Topics = []mentorbot.TopicInterest{{Topic: "Social media", Level: 4}, {Topic: "AI assistants", Level: 4}}
	if role == mentorbot.RoleMentee {
		p.JobLevel, p.Department = 6, "Finance"
		p.Topics = []mentorbot.TopicInterest{{Topic: "Social media", Level: 1}}
	}
	if change != nil {
		change(&p)
	}
	if err := db.Apply(context.Background(), mentorbot.Change{Participants: []mentorbot.Participant{p}}); err != nil {
		t.Fatal(err)
	}
}

// seedAnaBenXi stores two mentors and a mentee: Ana knows Xi's topic far
// better than Ben does, so a round pairs Xi with Ana and Ben waits.
func seedAnaBenXi(t *testing.T, db *store.DB) {
	t.Helper()
	seed(t, db, "UANA", mentorbot.RoleMentor, nil)
	seed(t, db, "UBEN", mentorbot.RoleMentor, func(p *mentorbot.Participant) {
		p.Topics = []mentorbot.TopicInterest{{Topic: "Social media", Level: 2}}
	})
	seed(t, db, "UXI", mentorbot.RoleMentee, nil)
}

// publishRound drafts a round and publishes it, as an admin.
func publishRound(t *testing.T, pr *mentorbot.Programme) mentorbot.Round {
	t.Helper()
	if _, err := pr.DraftRound(context.Background(), admin); err != nil {
		t.Fatal(err)
	}
	round, _, err := pr.PublishRound(context.Background(), admin)
	if err != nil {
		t.Fatal(err)
	}
	return round
}

func pairOf(t *testing.T, r mentorbot.Round, mentee string) mentorbot.Pair {
	t.Helper()
	for _, p := range r.Pairs {
		if p.MenteeID == mentee && p.State == mentorbot.PairDraft {
			return p
		}
	}
	t.Fatalf("no draft pair for %s in %+v", mentee, r.Pairs)
	return mentorbot.Pair{}
}

func kinds(items []mentorbot.OutboxItem) []string {
	var out []string
	for _, item := range items {
		out = append(out, string(item.Kind)+">"+item.To)
	}
	return out
}

func TestOnlyAdminsMatch(t *testing.T) {
	pr, _, _ := programme(t)
	ctx := context.Background()
	openCycle(t, pr, "Spring 2026")
	for _, try := range []func() error{
		func() error { _, err := pr.DraftRound(ctx, mentee); return err },
		func() error { _, err := pr.Draft(ctx, mentee); return err },
		func() error { _, err := pr.LockPair(ctx, mentee, 1, true); return err },
		func() error { _, err := pr.RemovePair(ctx, mentee, 1); return err },
		func() error { _, _, err := pr.PublishRound(ctx, mentee); return err },
	} {
		if err := try(); mentorbot.ErrorCode(err) != mentorbot.EFORBIDDEN {
			t.Errorf("a mentee got %v, want a refusal", err)
		}
	}
}

func TestRoundDraftLockRemoveAndPublish(t *testing.T) {
	pr, db, clock := programme(t)
	ctx := context.Background()
	openCycle(t, pr, "Spring 2026")
	seed(t, db, "UANA", mentorbot.RoleMentor, nil)
	seed(t, db, "UBEN", mentorbot.RoleMentor, func(p *mentorbot.Participant) { p.Department = "Finance" })
	seed(t, db, "UXI", mentorbot.RoleMentee, nil)
	seed(t, db, "UYU", mentorbot.RoleMentee, nil)
	// The boss of Ana cannot be her mentee, however well they fit.
	seed(t, db, "UBOSS", mentorbot.RoleMentee, nil)
	seed(t, db, "UANA", mentorbot.RoleMentor, func(p *mentorbot.Participant) { p.ManagerID = "UBOSS" })
	seed(t, db, "UBEN", mentorbot.RoleMentor, func(p *mentorbot.Participant) { p.Department, p.ManagerID = "Finance", "UBOSS" })

	round, err := pr.DraftRound(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(round.Pairs); got != 2 {
		t.Fatalf("draft has %d pairs, want 2: %+v", got, round.Pairs)
	}
	if len(round.Unmatched) != 1 || round.Unmatched[0].ParticipantID != "UBOSS" || !strings.Contains(round.Unmatched[0].Why, "reporting line") {
		t.Fatalf("unmatched = %+v, want the boss, for the reporting line", round.Unmatched)
	}
	// Ben shares Finance with both mentees, so crossing departments decides who gets Ana.
	if r := round.Report; r.Pairs != 2 || r.Mentees != 3 || r.Mentors != 2 || r.LowestScore <= 0 || r.Greedy.Pairs != 2 {
		t.Errorf("report = %+v", r)
	}

	xi, yu := pairOf(t, round, "UXI"), pairOf(t, round, "UYU")
	if _, err := pr.LockPair(ctx, admin, xi.ID, true); err != nil {
		t.Fatal(err)
	}
	if round, err = pr.RemovePair(ctx, admin, yu.ID); err != nil {
		t.Fatal(err)
	}
	if round, err = pr.DraftRound(ctx, admin); err != nil {
		t.Fatal(err)
	}
	kept := pairOf(t, round, "UXI")
	if kept.ID != xi.ID || !kept.Locked {
		t.Errorf("the locked pair became %+v", kept)
	}
	var why string
	for _, u := range round.Unmatched {
		if u.ParticipantID == "UYU" {
			why = u.Why
		}
	}
	if !strings.Contains(why, "don't-pair") {
		t.Errorf("Yu is unmatched because %q, want the removal", why)
	}

	owed := outboxWatch(t, db)
	published, dropped, err := pr.PublishRound(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if dropped != 0 || len(published.Pairs) != 1 || published.Pairs[0].State != mentorbot.PairProposed {
		t.Fatalf("published %+v, dropped %d", published.Pairs, dropped)
	}
	if want := clock.Now().AddDate(0, 0, 3); !published.Pairs[0].AnswerBy.Equal(want) {
		t.Errorf("answer by %v, want %v", published.Pairs[0].AnswerBy, want)
	}
	notices := owed()
	if got := strings.Join(kinds(notices), " "); got != "proposed>"+xi.MentorID+" proposed>UXI" {
		t.Fatalf("owed %s", got)
	}
	for _, n := range notices {
		d, drop, err := pr.Resolve(ctx, n)
		if err != nil || drop != "" || d.Partner.ID != published.Pairs[0].Partner(n.To) || d.Partner.Pitch == "" || !d.Pair.AnswerBy.Equal(published.Pairs[0].AnswerBy) {
			t.Errorf("the introduction to %s must show the partner and the deadline: %+v %q %v", n.To, d.Partner, drop, err)
		}
	}
	if _, _, err := pr.PublishRound(ctx, admin); mentorbot.ErrorCode(err) != mentorbot.ENOTFOUND {
		t.Errorf("publishing twice: %v, want no draft", err)
	}
}

func TestBothAcceptStartsThePair(t *testing.T) {
	pr, db, _ := programme(t)
	ctx := context.Background()
	openCycle(t, pr, "Spring 2026")
	seed(t, db, "UANA", mentorbot.RoleMentor, nil)
	seed(t, db, "UXI", mentorbot.RoleMentee, nil)
	round := publishRound(t, pr)
	id := round.Pairs[0].ID

	if _, err := pr.AcceptPair(ctx, "USTRANGER", id); mentorbot.ErrorCode(err) != mentorbot.EFORBIDDEN {
		t.Errorf("a stranger answering: %v", err)
	}
	owed := outboxWatch(t, db)
	p, err := pr.AcceptPair(ctx, "UXI", id)
	if err != nil || p.State != mentorbot.PairProposed {
		t.Fatalf("first accept: %+v %v", p, err)
	}
	if _, err = pr.AcceptPair(ctx, "UXI", id); err != nil {
		t.Errorf("accepting twice: %v", err)
	}
	if got := owed(); len(got) != 0 {
		t.Errorf("one acceptance owes %v", kinds(got))
	}
	p, err = pr.AcceptPair(ctx, "UANA", id)
	if err != nil || p.State != mentorbot.PairActive {
		t.Fatalf("second accept: %+v %v", p, err)
	}
	notices := owed()
	if got := strings.Join(kinds(notices), " "); got != "pair_started>UANA slot_proposed>UANA slot_proposed>UXI" {
		t.Fatalf("owed %s", got)
	}
	if d, drop, err := pr.Resolve(ctx, notices[0]); err != nil || drop != "" || !strings.Contains(d.Cycle.GroundRules, "stays in the pair") || d.Pair.MenteeID != "UXI" {
		t.Errorf("the pair's greeting: %+v %q %v", d, drop, err)
	}
	for _, who := range []string{"UANA", "UXI"} {
		if got := state(t, db, who); got != mentorbot.StateMatched {
			t.Errorf("%s is %s", who, got)
		}
	}
	if _, err := pr.DeclinePair(ctx, "UXI", id, ""); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Errorf("declining an active pair: %v", err)
	}
}

func TestDeclineFreesBothAndRematches(t *testing.T) {
	pr, db, _ := programme(t)
	ctx := context.Background()
	openCycle(t, pr, "Spring 2026")
	seedAnaBenXi(t, db)
	first := publishRound(t, pr).Pairs[0]
	if first.MentorID != "UANA" {
		t.Fatalf("Ana knows more and should be first: %+v", first)
	}
	long := strings.Repeat("x", mentorbot.MaxDeclineReasonChars+1)
	if _, err := pr.DeclinePair(ctx, "UXI", first.ID, long); mentorbot.ErrorFields(err)[mentorbot.FieldDeclineReason] == "" {
		t.Errorf("a too long reason: %v", err)
	}
	owed := outboxWatch(t, db)
	if _, err := pr.DeclinePair(ctx, "UXI", first.ID, "We sit next to each other."); err != nil {
		t.Fatal(err)
	}
	notices := owed()
	if got := strings.Join(kinds(notices), " "); got != "match_off>UANA proposed>UBEN proposed>UXI" {
		t.Fatalf("owed %s", got)
	}
	for _, n := range notices {
		if strings.Contains(n.Note, "next to") {
			t.Errorf("the reason reached %s", n.To)
		}
	}
	o, err := pr.Overview(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Declines) != 1 || o.Declines[0].DeclineReason != "We sit next to each other." || o.WaitingPairs != 1 {
		t.Errorf("overview: declines %+v, waiting %d", o.Declines, o.WaitingPairs)
	}
	rematched, err := db.Pair(ctx, notices[1].PairID)
	if err != nil || rematched.Origin != mentorbot.OriginRematch || notices[2].PairID != rematched.ID {
		t.Errorf("the new proposal is %+v, %v; both introductions must name it: %+v", rematched, err, notices[1:])
	}
}

// A decline comes again when the bot died before acknowledging it, perhaps
// between saving it and matching the two people again: it is answered as
// done, the partner is not told twice, and the matching runs.
func TestADeclineAgainMatchesAgainWhatACrashCutOff(t *testing.T) {
	pr, db, _ := programme(t)
	ctx := context.Background()
	openCycle(t, pr, "Spring 2026")
	seed(t, db, "UANA", mentorbot.RoleMentor, nil)
	seed(t, db, "UXI", mentorbot.RoleMentee, nil)
	first := publishRound(t, pr).Pairs[0]
	if _, err := pr.DeclinePair(ctx, "UXI", first.ID, ""); err != nil {
		t.Fatal(err)
	}
	// Ben stands for the matching the crash cut off: with him waiting, it
	// would have proposed him to Xi.
	seed(t, db, "UBEN", mentorbot.RoleMentor, nil)
	owed := outboxWatch(t, db)
	if p, err := pr.DeclinePair(ctx, "UXI", first.ID, ""); err != nil || p.State != mentorbot.PairDeclined {
		t.Fatalf("the decline again: %+v %v", p, err)
	}
	if got := strings.Join(kinds(owed()), " "); got != "proposed>UBEN proposed>UXI" {
		t.Errorf("owed %s", got)
	}
	if _, err := pr.DeclinePair(ctx, "UANA", first.ID, ""); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Errorf("the partner declining what Xi declined: %v", err)
	}
}

func TestUnansweredProposalsLapse(t *testing.T) {
	pr, db, clock := programme(t)
	ctx := context.Background()
	openCycle(t, pr, "Spring 2026")
	seed(t, db, "UANA", mentorbot.RoleMentor, nil)
	seed(t, db, "UXI", mentorbot.RoleMentee, nil)
	round := publishRound(t, pr)
	if _, err := pr.AcceptPair(ctx, "UANA", round.Pairs[0].ID); err != nil {
		t.Fatal(err)
	}
	owed := outboxWatch(t, db)
	clock.Advance(72*time.Hour - time.Second)
	if err := pr.LapseDue(ctx); err != nil || len(owed()) != 0 {
		t.Fatalf("a second early: %v", err)
	}
	clock.Advance(time.Second)
	if err := pr.LapseDue(ctx); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(kinds(owed()), " "); got != "match_off>UANA answer_lapsed>UXI" {
		t.Errorf("owed %s", got)
	}
	if err := pr.LapseDue(ctx); err != nil || len(owed()) != 0 {
		t.Errorf("lapsed twice: %v", err)
	}
	if _, err := pr.AcceptPair(ctx, "UXI", round.Pairs[0].ID); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Errorf("accepting a lapsed pair: %v", err)
	}
	// They were proposed once; matching never proposes them again.
	again, err := pr.DraftRound(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Pairs) != 0 || len(again.Unmatched) != 2 || !strings.Contains(again.Unmatched[0].Why, "paired before") {
		t.Errorf("after the lapse: %+v %+v", again.Pairs, again.Unmatched)
	}
}

func TestFindAndRequestAMentor(t *testing.T) {
	pr, db, _ := programme(t)
	ctx := context.Background()
	openCycle(t, pr, "Spring 2026")
	for _, id := range []string{"UANA", "UBEN", "UCAT", "UDAN"} {
		seed(t, db, id, mentorbot.RoleMentor, nil)
	}
	seed(t, db, "USENIOR", mentorbot.RoleMentor, func(p *mentorbot.Participant) { p.JobLevel = 7 })
	seed(t, db, "UXI", mentorbot.RoleMentee, nil)

	if _, err := pr.FindMentors(ctx, "UANA", ""); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Errorf("a mentor finding mentors: %v", err)
	}
	f, err := pr.FindMentors(ctx, "UXI", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Options) != 4 {
		t.Errorf("found %d mentors, want the 4 more junior ones", len(f.Options))
	}
	if _, err := pr.FindMentors(ctx, "UXI", "knitting"); mentorbot.ErrorCode(err) != mentorbot.ENOTFOUND {
		t.Errorf("a topic nobody teaches: %v", err)
	}
	if _, err := pr.RequestMentor(ctx, "UXI", "USENIOR"); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Errorf("asking a more senior mentor: %v", err)
	}
	owed := outboxWatch(t, db)
	var asked []mentorbot.Pair
	for _, id := range []string{"UANA", "UBEN", "UCAT"} {
		p, err := pr.RequestMentor(ctx, "UXI", id)
		if err != nil {
			t.Fatal(err)
		}
		notices := owed()
		if got := strings.Join(kinds(notices), " "); got != "requested>"+id || notices[0].PairID != p.ID {
			t.Errorf("owed %s about pair %d, want the request of pair %d", got, notices[0].PairID, p.ID)
		}
		asked = append(asked, p)
	}
	if _, err := pr.RequestMentor(ctx, "UXI", "UDAN"); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Errorf("a fourth request: %v", err)
	}
	if _, err := pr.AcceptPair(ctx, "UXI", asked[0].ID); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Errorf("the mentee answering their own request: %v", err)
	}
	if _, err := pr.DeclinePair(ctx, "UCAT", asked[2].ID, "Too busy this quarter."); err != nil {
		t.Errorf("declining: %v", err)
	}
	if got := strings.Join(kinds(owed()), " "); got != "request_off>UXI" {
		t.Errorf("declining owes %s", got)
	}
	p, err := pr.AcceptPair(ctx, "UBEN", asked[1].ID)
	if err != nil || p.State != mentorbot.PairActive {
		t.Fatalf("accepting: %+v %v", p, err)
	}
	if got := strings.Join(kinds(owed()), " "); got != "pair_started>UBEN slot_proposed>UBEN slot_proposed>UXI request_dropped>UANA" {
		t.Errorf("owed %s", got)
	}
	if _, err := pr.FindMentors(ctx, "UXI", ""); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Errorf("finding while paired: %v", err)
	}
}

func TestLeavingWithdrawsAProposal(t *testing.T) {
	pr, db, _ := programme(t)
	ctx := context.Background()
	openCycle(t, pr, "Spring 2026")
	seedAnaBenXi(t, db)
	publishRound(t, pr)
	owed := outboxWatch(t, db)
	if err := pr.Leave(ctx, "UANA"); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(kinds(owed()), " "); got != "match_off>UXI left>UANA proposed>UBEN proposed>UXI" {
		t.Errorf("owed %s", got)
	}
}

// bothLoad holds each of the first two loads of a pair until both have
// loaded it, so two answers are worked out from the same copy, as when two
// people click at the same moment.
type bothLoad struct {
	*store.DB
	loaded sync.WaitGroup
	calls  atomic.Int32
}

func (s *bothLoad) Pair(ctx context.Context, id int64) (mentorbot.Pair, error) {
	p, err := s.DB.Pair(ctx, id)
	if s.calls.Add(1) <= 2 {
		s.loaded.Done()
		s.loaded.Wait()
	}
	return p, err
}

func TestBothAcceptingAtOnceStartsThePair(t *testing.T) {
	pr, db, _ := programme(t)
	ctx := context.Background()
	openCycle(t, pr, "Spring 2026")
	seed(t, db, "UANA", mentorbot.RoleMentor, nil)
	seed(t, db, "UXI", mentorbot.RoleMentee, nil)
	id := publishRound(t, pr).Pairs[0].ID
	racing := &bothLoad{DB: db}
	racing.loaded.Add(2)
	pr.Store = racing

	errs := make(chan error, 2)
	for _, who := range []string{"UANA", "UXI"} {
		go func() {
			_, err := pr.AcceptPair(ctx, who, id)
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if p, err := db.Pair(ctx, id); err != nil || p.State != mentorbot.PairActive || p.Version != 3 {
		t.Fatalf("after two accepts at once: %+v, %v; want active, saved at publishing and once per answer", p, err)
	}
}

// Leaving or pausing comes again when the bot died before acknowledging
// it, perhaps between saving it and matching the partner again: the
// partner of the match it called off is matched then.
func TestLeavingOrPausingAgainMatchesAgainWhatACrashCutOff(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		again func(*mentorbot.Programme) error
	}{
		{"leaving", func(pr *mentorbot.Programme) error { return pr.Leave(ctx, "UANA") }},
		{"pausing", func(pr *mentorbot.Programme) error { _, err := pr.Pause(ctx, "UANA", "2026-04-01"); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr, db, _ := programme(t)
			openCycle(t, pr, "Spring 2026")
			seed(t, db, "UANA", mentorbot.RoleMentor, nil)
			seed(t, db, "UXI", mentorbot.RoleMentee, nil)
			publishRound(t, pr)
			tc.again(pr) // nobody to match Xi with yet
			// Ben stands for the matching the crash cut off: with him
			// waiting, it would have proposed him to Xi.
			seed(t, db, "UBEN", mentorbot.RoleMentor, nil)
			owed := outboxWatch(t, db)
			tc.again(pr)
			if got := strings.Join(kinds(owed()), " "); got != "proposed>UBEN proposed>UXI" {
				t.Errorf("owed %s", got)
			}
			owed = outboxWatch(t, db)
			tc.again(pr)
			if got := kinds(owed()); len(got) != 0 {
				t.Errorf("a third time owed %v", got)
			}
		})
	}
}
