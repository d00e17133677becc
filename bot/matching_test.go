package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// seedMatchable brings Ada and Bea (mentors) and Grace (mentee) to trained,
// in an open cycle. Ada knows social media better than Bea, so she suits
// Grace best.
func (w *world) seedMatchable() {
	w.t.Helper()
	w.openCycle("Spring 2026")
	w.seedTrained()
	ctx := w.ctx()
	bea := seedProfile(mentorbot.RoleMentor, "Europe/London", "I run our team's social accounts.")
	bea.Topics = []mentorbot.TopicInterest{{Topic: "Social media", Level: 3}}
	if _, err := w.programme.Join(ctx, boss, bea); err != nil {
		w.t.Fatal(err)
	}
	if err := w.programme.Screen(ctx, hope, boss, mentorbot.Decision{Approve: true, Screening: mentorbot.Screening{Checks: []string{"patience"}}}); err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.programme.Train(ctx, boss); err != nil {
		w.t.Fatal(err)
	}
}

// pairWith returns the newest pair of a mentor and a mentee, as stored.
func (w *world) pairWith(mentorID, menteeID string) mentorbot.Pair {
	w.t.Helper()
	pairs, err := w.db.PairsOf(w.ctx(), menteeID, mentorbot.PairDraft, mentorbot.PairRemoved, mentorbot.PairProposed, mentorbot.PairRequested,
		mentorbot.PairActive, mentorbot.PairDeclined, mentorbot.PairLapsed, mentorbot.PairWithdrawn, mentorbot.PairEnded)
	if err != nil {
		w.t.Fatal(err)
	}
	for i := len(pairs) - 1; i >= 0; i-- {
		if pairs[i].MentorID == mentorID {
			return pairs[i]
		}
	}
	w.t.Fatalf("no pair of %s and %s in %+v", mentorID, menteeID, pairs)
	return mentorbot.Pair{}
}

// publish drafts and publishes a round through the programme, for tests
// about what follows.
func (w *world) publish() {
	w.t.Helper()
	if _, err := w.programme.DraftRound(w.ctx(), hope); err != nil {
		w.t.Fatal(err)
	}
	round, _, err := w.programme.PublishRound(w.ctx(), hope)
	if err != nil {
		w.t.Fatal(err)
	}
	if len(round.Pairs) == 0 {
		w.t.Fatal("the round proposed nothing")
	}
	w.tick() // the introductions reach people
}

func TestAdminDraftsAdjustsAndPublishesARound(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seedMatchable()
	h := w.person(hope)

	h.types("/mentor match")
	draft := h.seesInModal("teaches <@" + grace + ">")
	for _, want := range []string{
		"<@" + ada + "> teaches <@" + grace + ">", "1 pair* for 1 mentee waiting: 100 % matched",
		"Shared: Social media (mentor strong, mentee know the basics)", "1 h a week free together", "different departments",
		"First come, first served would do as well",
		"<@" + boss + "> (mentor): every mentee who fits was matched with someone they suited better",
	} {
		if !strings.Contains(draft.Rendered(), want) {
			t.Errorf("the draft does not say %q:\n%s", want, draft.Rendered())
		}
	}
	first := w.pairWith(ada, grace)
	if first.State != mentorbot.PairDraft {
		t.Fatalf("the draft pair is %s", first.State)
	}

	h.clicksIn(fmt.Sprintf("pair_%d", first.ID), "match_remove")
	h.seesInModal("Removed, kept apart this cycle: <@" + ada + "> and <@" + grace + ">")
	h.clicks("match_rerun")
	h.seesInModal("<@" + boss + "> teaches <@" + grace + ">")
	second := w.pairWith(boss, grace)
	h.clicksIn(fmt.Sprintf("pair_%d", second.ID), "match_lock")
	h.seesInModal("🔒 <@" + boss + "> teaches")
	h.clicks("match_rerun")
	h.seesInModal("🔒 <@" + boss + "> teaches")
	if again := w.pairWith(boss, grace); again.ID != second.ID || !again.Locked {
		t.Errorf("running again replaced the locked pair: %+v", again)
	}

	h.submits(nil)
	h.seesInModal("1 pair proposed")
	w.person(grace).seesDM("Meet your match: <@" + boss + "> can teach you")
	intro := w.person(boss).seesDM("Meet your match: <@" + grace + "> would like to learn from you")
	for _, want := range []string{"How my teams could use social media.", "[Accept]", "[Decline]", "Please answer by Thu 5 Mar 2026, 09:00"} {
		if !strings.Contains(intro.Rendered(), want) {
			t.Errorf("the introduction does not say %q:\n%s", want, intro.Rendered())
		}
	}
	if p := w.pairWith(boss, grace); p.State != mentorbot.PairProposed || !p.AnswerBy.Equal(w.clock.Now().Add(72*time.Hour)) {
		t.Errorf("published pair: %+v", p)
	}
	if got := w.pairWith(ada, grace).State; got != mentorbot.PairRemoved {
		t.Errorf("the removed pair is %s", got)
	}
}

func TestBothAcceptAndMeetTheirPartner(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seedMatchable()
	w.publish()
	g, a := w.person(grace), w.person(ada)

	g.clicks("pair_accept")
	g.seesDM("You accepted the match with <@" + ada + ">. You'll hear as soon as they answer.")
	g.seesHome("You've said yes. Waiting for <@" + ada + ">")
	a.seesHome("You've been matched with <@" + grace + ">")
	a.clicks("pair_accept")
	a.seesDM("You accepted, and so did <@" + grace + ">: you're a pair.")

	w.finish()
	group := g.p.GroupMessages()
	if len(group) != 1 || len(a.p.GroupMessages()) != 1 {
		t.Fatalf("group conversations: Grace sees %d messages, Ada %d", len(group), len(a.p.GroupMessages()))
	}
	for _, want := range []string{"you're a pair", "What's said in a session stays in the pair", "one or two goals for the pair"} {
		if !strings.Contains(group[0].Rendered(), want) {
			t.Errorf("the pair's conversation does not say %q:\n%s", want, group[0].Rendered())
		}
	}
	g.seesHome("You're paired with <@" + ada + ">")
	for _, id := range []string{ada, grace} {
		if got := w.stateOf(id); got != mentorbot.StateMatched {
			t.Errorf("%s is %s", id, got)
		}
	}
	if p := w.pairWith(ada, grace); p.State != mentorbot.PairActive || p.MentorAnswer != mentorbot.AnswerAccepted || p.StartedAt.IsZero() {
		t.Errorf("stored pair: %+v", p)
	}
}

func TestADeclineStaysPrivateAndBothAreMatchedAgain(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seedMatchable()
	w.publish()
	g, a, h := w.person(grace), w.person(ada), w.person(hope)

	g.clicks("pair_accept")
	g.seesDM("You accepted the match")
	a.clicks("pair_decline")
	a.seesModal("Decline the match")
	a.submits(map[string]string{mentorbot.FieldDeclineReason: "Grace is my skip-level manager's peer; it would feel awkward."})
	a.seesInModal("You stay in the programme")
	a.seesDM("You declined the match with <@" + grace + ">")

	g.seesDM("Your match with <@" + ada + "> can't go ahead after all")
	g.seesDM("Meet your match: <@" + boss + "> can teach you")
	w.person(boss).seesDM("Meet your match: <@" + grace + ">")
	w.finish()
	for _, m := range g.p.DMs() {
		if strings.Contains(m.Rendered(), "awkward") {
			t.Errorf("Grace saw the reason: %s", m.Rendered())
		}
	}
	h.opensHome()
	h.seesHome("<@" + ada + "> declined <@" + grace + ">: _Grace is my skip-level manager's peer")
	if p := w.pairWith(boss, grace); p.State != mentorbot.PairProposed || p.Origin != mentorbot.OriginRematch {
		t.Errorf("the rematch: %+v", p)
	}
	// Ada has nobody left to be proposed: Grace was her only candidate.
	if p := w.pairWith(ada, grace); p.State != mentorbot.PairDeclined || p.DeclineReason == "" {
		t.Errorf("the declined pair: %+v", p)
	}
}

func TestAProposalNobodyAnswersLapses(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seedMatchable()
	w.publish()
	w.person(ada).clicks("pair_accept")
	w.person(ada).seesDM("You accepted the match")

	w.clock.Advance(72*time.Hour - time.Minute)
	w.tick()
	w.finish()
	if got := w.pairWith(ada, grace).State; got != mentorbot.PairProposed {
		t.Fatalf("a minute early the pair is %s", got)
	}
	w.clock.Advance(time.Minute)
	w.tick()
	w.person(grace).seesDM("The time to answer your match with <@" + ada + "> ran out")
	w.person(ada).seesDM("Your match with <@" + grace + "> can't go ahead after all")
	w.person(grace).seesDM("Meet your match: <@" + boss + ">")
	w.finish()
	before := len(w.person(grace).p.DMs())
	w.tick()
	w.finish()
	if after := len(w.person(grace).p.DMs()); after != before {
		t.Errorf("a second tick sent %d more DMs", after-before)
	}
	if got := w.pairWith(ada, grace).State; got != mentorbot.PairLapsed {
		t.Errorf("the pair is %s", got)
	}
}

func TestAMenteeFindsAndAsksAMentor(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seedMatchable()
	g, a := w.person(grace), w.person(ada)

	g.types("/mentor find social")
	list := g.seesModal("Find a mentor")
	for _, want := range []string{"teach “social”", "<@" + ada + ">", "<@" + boss + ">", "1 of 1 places free", adaPitch} {
		if !strings.Contains(list.Rendered(), want) {
			t.Errorf("the list does not say %q:\n%s", want, list.Rendered())
		}
	}
	if strings.Index(list.Rendered(), "<@"+ada+">") > strings.Index(list.Rendered(), "<@"+boss+">") {
		t.Errorf("Ada fits Grace best and should come first:\n%s", list.Rendered())
	}
	g.clicksIn("mentor_"+ada, "mentor_ask")
	g.seesInModal("You asked <@" + ada + ">")
	g.seesInModal("Asked: waiting for their answer")
	a.seesDM("<@" + grace + "> would like you to mentor them")
	// She asks Boss too; once Ada says yes, Boss hears the request closed.
	g.clicksIn("mentor_"+boss, "mentor_ask")
	g.seesInModal("You asked <@" + boss + ">")
	b := w.person(boss)
	b.seesDM("<@" + grace + "> would like you to mentor them")
	a.clicks("pair_accept")
	a.seesDM("you're a pair")
	g.seesHome("You're paired with <@" + ada + ">")
	b.seesDM("<@" + grace + "> has found a mentor, so their request to you is closed.")
	if p := w.pairWith(ada, grace); p.Origin != mentorbot.OriginRequest || p.State != mentorbot.PairActive {
		t.Errorf("stored pair: %+v", p)
	}

	a.types("/mentor find")
	a.seesReply("Finding a mentor is for mentees")
}

func TestAdminSetsTheCyclesMatchingRules(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	h := w.person(hope)
	h.types("/mentor cycle")
	form := h.seesModal("Open a cycle")
	for _, want := range []string{"Prefer pairs from different departments", "Days to accept a match"} {
		if !strings.Contains(form.Rendered(), want) {
			t.Errorf("the cycle form does not offer %q", want)
		}
	}
	values := map[string]string{mentorbot.FieldCrossDept: "required", mentorbot.FieldWeightOverlap: "5", mentorbot.FieldAnswerDays: "5"}
	for k, v := range springCycle {
		values[k] = v
	}
	h.submits(values)
	h.seesInModal("Spring 2026")
	c, err := w.db.OpenCycle(w.ctx())
	if err != nil {
		t.Fatal(err)
	}
	want := mentorbot.MatchSettings{CrossDepartment: "required", WeightTopics: 3, WeightOverlap: 5, WeightDepartment: 1, AnswerDays: 5}
	if c.Matching != want {
		t.Errorf("stored %+v, want %+v", c.Matching, want)
	}
}

func TestAPersonKeepsSomeoneOutOfTheirMatches(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seedMatchable()
	g := w.person(grace)
	g.types("/mentor avoid")
	g.seesModal("Don't pair me with")
	if errs := modalErrors(g.submits(map[string]string{mentorbot.FieldAvoided: grace})); !strings.Contains(errs[mentorbot.FieldAvoided], "yourself") {
		t.Fatalf("avoiding herself: errors %v", errs)
	}
	g.submits(map[string]string{mentorbot.FieldAvoided: ada})
	g.seesInModal("Matching will never pair you with anyone on your list")

	g.types("/mentor avoid")
	if v := g.seesModal("Don't pair me with"); !strings.Contains(v.Rendered(), ada) {
		t.Errorf("the list does not show Ada again:\n%s", v.Rendered())
	}
	round, err := w.programme.DraftRound(w.ctx(), hope)
	if err != nil {
		t.Fatal(err)
	}
	if len(round.Pairs) != 1 || round.Pairs[0].MentorID != boss {
		t.Errorf("Grace was paired with %+v, want Bea: Ada is on her list", round.Pairs)
	}
}

func TestRedeliveredMatchingRequestsHaveOneEffect(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seedMatchable()
	h, g, a := w.person(hope), w.person(grace), w.person(ada)

	h.types("/mentor match", fakeslack.Redelivered(2))
	h.seesInModal("teaches <@" + grace + ">")
	h.submits(nil, fakeslack.Redelivered(2))
	h.seesInModal("1 pair proposed")
	g.seesDM("Meet your match")
	if _, err := g.p.Clicks(w.ctx(), "pair_accept", fakeslack.Redelivered(2)); err != nil {
		t.Fatal(err)
	}
	g.seesDM("You accepted the match")
	a.seesDM("Meet your match")
	if _, err := a.p.Clicks(w.ctx(), "pair_accept", fakeslack.Redelivered(2)); err != nil {
		t.Fatal(err)
	}
	a.seesDM("you're a pair")
	w.finish()

	g.seesDM("When will you and <@" + ada + "> meet?")
	w.finish()
	if n := len(g.p.DMs()); n != 3 {
		t.Errorf("Grace has %d DMs, want the welcome from when she joined, her introduction, answered in place, and one offer of a time:\n%v", n, rendered(g.p.DMs()))
	}
	if n := len(g.p.GroupMessages()); n != 1 {
		t.Errorf("the pair's conversation has %d messages, want 1", n)
	}
	pairs, err := w.db.PairsIn(w.ctx(), mentorbot.PairProposed, mentorbot.PairActive)
	if err != nil || len(pairs) != 1 {
		t.Fatalf("pairs = %+v, %v; want one", pairs, err)
	}
	raw := openRaw(t, w.dsn)
	defer raw.Close()
	var rounds int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM rounds`).Scan(&rounds); err != nil || rounds != 1 {
		t.Errorf("%d rounds stored, want 1 (%v)", rounds, err)
	}
	if n := len(w.slack.Calls("views.open")); n != 1 {
		t.Errorf("the draft opened %d times", n)
	}
}

// TestIntroductionsOutlastASlackOutage publishes a round while Slack
// answers every message with internal_error: nothing is lost, and each
// introduction arrives once, on the outbox's next try after Slack is back.
func TestIntroductionsOutlastASlackOutage(t *testing.T) {
	w := newWorld(t)
	w.seedMatchable()
	if _, err := w.programme.DraftRound(w.ctx(), hope); err != nil {
		t.Fatal(err)
	}
	w.slack.FailNext("chat.postMessage", fakeslack.Fault{Error: "internal_error", Times: 1000})
	round, _, err := w.programme.PublishRound(w.ctx(), hope)
	if err != nil {
		t.Fatal(err)
	}
	w.tick()
	var introduced []string
	for _, p := range round.Pairs {
		items, err := w.db.OutboxOf(w.ctx(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, item := range items {
			if item.Kind != mentorbot.OutboxProposed {
				continue
			}
			introduced = append(introduced, item.To)
			if item.State != mentorbot.OutboxPending || item.Attempts != 1 || !item.NextTry.After(w.clock.Now()) {
				t.Errorf("during the outage the introduction to %s is %s after %d attempts, next at %s; want it kept for a later try", item.To, item.State, item.Attempts, item.NextTry)
			}
		}
	}
	if len(introduced) != 2*len(round.Pairs) || len(introduced) == 0 {
		t.Fatalf("introductions owed to %v for %d pairs", introduced, len(round.Pairs))
	}

	w.slack.Heal("chat.postMessage")
	w.clock.Advance(time.Minute)
	w.tick()
	for _, id := range introduced {
		w.person(id).getsOneIntroduction()
	}
}

// getsOneIntroduction waits for the person's introduction to a match and
// fails the test unless it came exactly once.
func (p *person) getsOneIntroduction() {
	p.w.t.Helper()
	p.seesDM("Meet your match")
	n := 0
	for _, m := range rendered(p.p.DMs()) {
		if strings.Contains(m, "Meet your match") {
			n++
		}
	}
	if n != 1 {
		p.w.t.Errorf("%s got %d introductions, want 1", p.p.ID(), n)
	}
}

// TestIntroductionsOwedAtARestartGoOutOnce stops the bot right after a
// round is published, before Slack took any introduction, as a crash
// would: the next start sends each one, once.
func TestIntroductionsOwedAtARestartGoOutOnce(t *testing.T) {
	w := newWorld(t)
	w.seedMatchable()
	if _, err := w.programme.DraftRound(w.ctx(), hope); err != nil {
		t.Fatal(err)
	}
	// Slack takes nothing until the restart, so the commit is all there is.
	w.slack.FailNext("chat.postMessage", fakeslack.Fault{Error: "service_unavailable", Times: 1000})
	round, _, err := w.programme.PublishRound(w.ctx(), hope)
	if err != nil || len(round.Pairs) == 0 {
		t.Fatalf("published %+v, %v", round, err)
	}
	w.stop()
	w.slack.Heal("chat.postMessage")
	w.clock.Advance(time.Minute) // past the first retry, had there been a try
	w.start()
	w.tick()
	for _, p := range round.Pairs {
		for _, id := range []string{p.MentorID, p.MenteeID} {
			w.person(id).getsOneIntroduction()
		}
	}
}
