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
	round, _, _, err := pr.PublishRound(context.Background(), admin)
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

func kinds(notices []mentorbot.Notice) []string {
	var out []string
	for _, n := range notices {
		out = append(out, string(n.Kind)+">"+n.To)
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
		func() error { _, _, _, err := pr.PublishRound(ctx, mentee); return err },
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

	published, dropped, notices, err := pr.PublishRound(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if dropped != 0 || len(published.Pairs) != 1 || published.Pairs[0].State != mentorbot.PairProposed {
		t.Fatalf("published %+v, dropped %d", published.Pairs, dropped)
	}
	if want := clock.Now().AddDate(0, 0, 3); !published.Pairs[0].AnswerBy.Equal(want) {
		t.Errorf("answer by %v, want %v", published.Pairs[0].AnswerBy, want)
	}
	if got := strings.Join(kinds(notices), " "); got != "proposed>"+xi.MentorID+" proposed>UXI" {
		t.Errorf("notices = %s", got)
	}
	if notices[0].About.ID != "UXI" || notices[1].About.ID != xi.MentorID {
		t.Errorf("each introduction must show the partner")
	}
	if _, _, _, err := pr.PublishRound(ctx, admin); mentorbot.ErrorCode(err) != mentorbot.ENOTFOUND {
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

	if _, _, err := pr.AcceptPair(ctx, "USTRANGER", id); mentorbot.ErrorCode(err) != mentorbot.EFORBIDDEN {
		t.Errorf("a stranger answering: %v", err)
	}
	p, notices, err := pr.AcceptPair(ctx, "UXI", id)
	if err != nil || len(notices) != 0 || p.State != mentorbot.PairProposed {
		t.Fatalf("first accept: %+v %v %v", p, notices, err)
	}
	if _, notices, err = pr.AcceptPair(ctx, "UXI", id); err != nil || len(notices) != 0 {
		t.Errorf("accepting twice: %v %v", notices, err)
	}
	p, notices, err = pr.AcceptPair(ctx, "UANA", id)
	if err != nil || p.State != mentorbot.PairActive {
		t.Fatalf("second accept: %+v %v", p, err)
	}
	if got := strings.Join(kinds(notices), " "); got != "pair_started>UANA" || !strings.Contains(notices[0].Note, "stays in the pair") {
		t.Errorf("notices = %s, note %q", got, notices[0].Note)
	}
	for _, who := range []string{"UANA", "UXI"} {
		if got := state(t, db, who); got != mentorbot.StateMatched {
			t.Errorf("%s is %s", who, got)
		}
	}
	if _, _, err := pr.DeclinePair(ctx, "UXI", id, ""); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
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
	if _, _, err := pr.DeclinePair(ctx, "UXI", first.ID, long); mentorbot.ErrorFields(err)[mentorbot.FieldDeclineReason] == "" {
		t.Errorf("a too long reason: %v", err)
	}
	_, notices, err := pr.DeclinePair(ctx, "UXI", first.ID, "We sit next to each other.")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(kinds(notices), " "); got != "match_off>UANA proposed>UBEN proposed>UXI" {
		t.Fatalf("notices = %s", got)
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
	if notices[1].Pair.Origin != mentorbot.OriginRematch || notices[1].Pair.ID == 0 {
		t.Errorf("the new proposal is %+v", notices[1].Pair)
	}
}

func TestUnansweredProposalsLapse(t *testing.T) {
	pr, db, clock := programme(t)
	ctx := context.Background()
	openCycle(t, pr, "Spring 2026")
	seed(t, db, "UANA", mentorbot.RoleMentor, nil)
	seed(t, db, "UXI", mentorbot.RoleMentee, nil)
	round := publishRound(t, pr)
	if _, _, err := pr.AcceptPair(ctx, "UANA", round.Pairs[0].ID); err != nil {
		t.Fatal(err)
	}
	clock.Advance(72*time.Hour - time.Second)
	if notices, err := pr.LapseDue(ctx); err != nil || len(notices) != 0 {
		t.Fatalf("a second early: %v %v", notices, err)
	}
	clock.Advance(time.Second)
	notices, err := pr.LapseDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(kinds(notices), " "); got != "match_off>UANA answer_lapsed>UXI" {
		t.Errorf("notices = %s", got)
	}
	if notices, _ := pr.LapseDue(ctx); len(notices) != 0 {
		t.Errorf("lapsed twice: %v", kinds(notices))
	}
	if _, _, err := pr.AcceptPair(ctx, "UXI", round.Pairs[0].ID); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
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
	if _, _, err := pr.RequestMentor(ctx, "UXI", "USENIOR"); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Errorf("asking a more senior mentor: %v", err)
	}
	var asked []mentorbot.Pair
	for _, id := range []string{"UANA", "UBEN", "UCAT"} {
		p, notices, err := pr.RequestMentor(ctx, "UXI", id)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(kinds(notices), " "); got != "requested>"+id {
			t.Errorf("notices = %s", got)
		}
		asked = append(asked, p)
	}
	if _, _, err := pr.RequestMentor(ctx, "UXI", "UDAN"); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Errorf("a fourth request: %v", err)
	}
	if _, _, err := pr.AcceptPair(ctx, "UXI", asked[0].ID); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Errorf("the mentee answering their own request: %v", err)
	}
	if _, notices, err := pr.DeclinePair(ctx, "UCAT", asked[2].ID, "Too busy this quarter."); err != nil || strings.Join(kinds(notices), " ") != "request_off>UXI" {
		t.Errorf("declining: %v %v", kinds(notices), err)
	}
	p, notices, err := pr.AcceptPair(ctx, "UBEN", asked[1].ID)
	if err != nil || p.State != mentorbot.PairActive {
		t.Fatalf("accepting: %+v %v", p, err)
	}
	if got := strings.Join(kinds(notices), " "); got != "request_dropped>UANA pair_started>UBEN" {
		t.Errorf("notices = %s", got)
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
	notices, err := pr.Leave(ctx, "UANA")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(kinds(notices), " "); got != "match_off>UXI proposed>UBEN proposed>UXI" {
		t.Errorf("notices = %s", got)
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
			_, _, err := pr.AcceptPair(ctx, who, id)
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
