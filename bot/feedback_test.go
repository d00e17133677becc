package bot_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// The agreed pair's first session is Tue 3 Mar, 11:00-12:00 UTC; both
// are asked whether it happened at 13:00.
var (
	firstSession = time.Date(2026, 3, 3, 11, 0, 0, 0, time.UTC)
	firstCheck   = time.Date(2026, 3, 3, 13, 0, 0, 0, time.UTC)
)

// heldSession brings the agreed pair to the check after its first
// session, and Grace says it happened.
func (w *world) heldSession() mentorbot.Pair {
	w.t.Helper()
	p := w.agreedPair()
	w.at(time.Date(2026, 3, 2, 11, 0, 0, 0, time.UTC))
	w.at(firstCheck)
	g := w.person(grace)
	g.seesDM("Did your session with <@" + ada + "> happen?")
	g.clicks("session_held_yes")
	w.finish()
	return p
}

// countDMs counts the person's DMs saying text.
func (p *person) countDMs(text string) int {
	n := 0
	for _, m := range p.p.DMs() {
		if strings.Contains(m.Rendered(), text) {
			n++
		}
	}
	return n
}

// hrSees waits until the HR channel has a message saying text.
func (w *world) hrSees(text string) fakeslack.Message {
	w.t.Helper()
	var found fakeslack.Message
	err := w.slack.WaitUntil(w.ctx(), func() bool {
		for _, m := range w.slack.Channel(hrChannel) {
			if strings.Contains(m.Rendered(), text) {
				found = m
				return true
			}
		}
		return false
	})
	if err != nil {
		w.t.Fatalf("the HR channel never said %q; it has: %v", text, rendered(w.slack.Channel(hrChannel)))
	}
	return found
}

// hrNeverSees fails when any HR channel message says text, once the bot
// has finished its work.
func (w *world) hrNeverSees(text string) {
	w.t.Helper()
	w.finish()
	for _, m := range w.slack.Channel(hrChannel) {
		if strings.Contains(m.Rendered(), text) {
			w.t.Errorf("the HR channel shows %q:\n%s", text, m.Rendered())
		}
	}
}

func TestPulseAnswersStayPrivate(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.heldSession()
	g, a := w.person(grace), w.person(ada)

	// One "yes" is enough: both are asked, once each.
	g.seesDM("How was your session with <@" + ada + ">")
	a.seesDM("How was your session with <@" + grace + ">")
	a.clicks("session_held_yes")
	w.finish()
	if n := w.slack.MessageCount("mentorbot_outbox"); n == 0 {
		t.Fatal("no outbox message was sent")
	}
	if pulses := a.countDMs("How was your session"); pulses != 1 {
		t.Errorf("Ada got %d pulses, want 1 however often the session is said to have happened", pulses)
	}

	g.clicks("pulse_useful_2")
	g.clicks("pulse_comfort_1")
	g.seesDM("Thank you, that's all.")
	w.finish()
	stored, err := w.db.Pulse(w.ctx(), p.ID, firstSession, grace)
	if err != nil || stored.Useful != 2 || stored.Comfort != 1 || stored.Role != mentorbot.RoleMentee {
		t.Fatalf("stored pulse %+v, %v; want useful 2, comfort 1, as the mentee", stored, err)
	}

	// The note's form keeps to its length; the rule holds behind it too.
	g.clicks("pulse_note")
	g.seesModal("Private note")
	if _, err := w.programme.SavePulseNote(w.ctx(), grace, p.ID, firstSession, strings.Repeat("x", mentorbot.MaxPulseNoteChars+1)); !strings.Contains(mentorbot.ErrorFields(err)[mentorbot.FieldPulseNote], "Keep it under 500") {
		t.Errorf("a long note got %v", err)
	}
	g.submits(map[string]string{mentorbot.FieldPulseNote: "Ada's tip about scheduling posts was gold"})
	g.seesInModal("Your note is kept for you alone")
	w.finish()
	if stored, _ = w.db.Pulse(w.ctx(), p.ID, firstSession, grace); stored.Note != "Ada's tip about scheduling posts was gold" || stored.Useful != 2 {
		t.Errorf("after the note the pulse is %+v", stored)
	}

	// Nothing of Grace's answers reaches Ada or the HR channel.
	hope := w.person(hope)
	hope.types("/mentor summary")
	w.hrSees("Programme summary: Spring 2026")
	for _, m := range append(a.p.DMs(), w.slack.Channel(hrChannel)...) {
		text := m.Rendered()
		if strings.Contains(text, "scheduling posts") || strings.Contains(text, "2 / 5") || strings.Contains(text, "1.0 / 5") {
			t.Errorf("Grace's private answer shows outside her DMs:\n%s", text)
		}
	}
	// Two days on, the one follow-up goes only to Ada, who hasn't answered.
	w.at(firstCheck.Add(mentorbot.PulseFollowUpDelay))
	a.seesDM("This is the only reminder.")
	g.seesNoDM("This is the only reminder.")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestTheScheduledSummaryOutlastsASlackOutage has Slack down when the
// summary comes due; the bot restarts and the schedule fires again for
// the same week. Once Slack is back the HR channel gets the summary, once.
func TestTheScheduledSummaryOutlastsASlackOutage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.openCycle("Spring 2026")
	week := w.clock.Now()
	w.slack.FailNext("files.getUploadURLExternal", fakeslack.Fault{Error: "service_unavailable", Times: 1000})
	if err := w.programme.OweSummary(w.ctx(), week); err != nil {
		t.Fatal(err)
	}
	w.finish()
	if len(w.slack.Calls("files.getUploadURLExternal")) == 0 || len(w.slack.Channel(hrChannel)) != 0 {
		t.Fatalf("during the outage the summary was not tried, or reached the HR channel: %v", rendered(w.slack.Channel(hrChannel)))
	}

	w.restart()
	if err := w.programme.OweSummary(w.ctx(), week); err != nil {
		t.Fatal(err)
	}
	w.slack.Heal("files.getUploadURLExternal")
	w.clock.Advance(time.Minute) // the outbox's first retry
	w.tick()
	w.hrSees("Programme summary: Spring 2026")
	w.finish()
	if hr := w.slack.Channel(hrChannel); len(hr) != 1 {
		t.Errorf("the HR channel got %d messages, want the one summary: %v", len(hr), rendered(hr))
	}
}

func TestAtRiskPairsAreFlaggedToAdminsOnly(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		action string
		// what the pair hears, and the pair's state after
		pairHears string
		state     mentorbot.PairState
	}{
		{"risk_nudge", "It's been a little while since you and", mentorbot.PairActive},
		{"risk_rematch", "has come to an end", mentorbot.PairEnded},
		{"risk_end", "has come to an end", mentorbot.PairEnded},
		{"risk_dismiss", "", mentorbot.PairActive},
	} {
		t.Run(tc.action, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			p := w.agreedPair()
			h, g, a := w.person(hope), w.person(grace), w.person(ada)

			// Sessions on 3 and 17 March both don't happen.
			for _, day := range []int{3, 17} {
				w.at(time.Date(2026, 3, day, 13, 0, 0, 0, time.UTC))
				g.clicks("session_held_no")
				w.finish()
			}
			w.scheduler.FlagRisks(w.ctx())
			w.finish()
			h.seesDM("A pair may need a hand")
			h.seesDM("the last sessions were missed or called off")
			for _, who := range []*person{g, a} {
				who.seesNoDM("need a hand")
				who.seesNoDM("risk")
			}
			w.hrNeverSees("missed or called off")

			// The same evidence is never flagged twice.
			w.scheduler.FlagRisks(w.ctx())
			w.finish()
			flags, _ := w.db.RiskFlags(w.ctx(), p.CycleID)
			if len(flags) != 1 || !flags[0].Open() {
				t.Fatalf("flags %+v, want one open", flags)
			}

			h.clicks(tc.action)
			h.seesDM("<@" + hope + "> " + mentorbot.RiskAction(strings.TrimPrefix(tc.action, "risk_")).Done())
			w.finish()
			if tc.pairHears != "" {
				g.seesDM(tc.pairHears)
				a.seesDM(tc.pairHears)
			}
			if got := w.pairWith(ada, grace); got.State != tc.state {
				t.Errorf("pair is %s, want %s", got.State, tc.state)
			}
			flags, _ = w.db.RiskFlags(w.ctx(), p.CycleID)
			if flags[0].Open() || flags[0].ResolvedBy != hope {
				t.Errorf("flag after acting: %+v", flags[0])
			}
			if tc.state == mentorbot.PairEnded && (w.stateOf(ada) != mentorbot.StateTrained || w.stateOf(grace) != mentorbot.StateTrained) {
				t.Errorf("after the pair ended Ada is %s and Grace %s, want both back to ready", w.stateOf(ada), w.stateOf(grace))
			}
			// A second click, as by another admin, does nothing more.
			h.clicksUnseenTwice(tc.action, p.ID)
		})
	}
}

// clicksUnseenTwice clicks the flag's action again, as a second admin
// holding the old message would, and expects a polite refusal.
func (p *person) clicksUnseenTwice(action string, pairID int64) {
	p.w.t.Helper()
	if _, err := p.p.ClicksUnseen(p.w.ctx(), action, itoa(pairID)); err != nil {
		p.w.t.Fatal(err)
	}
	p.seesDM("so there's nothing more to do")
}

func TestCloseOutReviewsGoalsAndAsksAboutTheNextCycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.heldSession()
	g, a, h := w.person(grace), w.person(ada), w.person(hope)
	if _, err := w.programme.SaveGoals(w.ctx(), grace, mentorbot.GoalForm{Aims: []string{"Post on LinkedIn every week"}, Signals: []string{"Four posts in a row"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.programme.SavePulseNote(w.ctx(), grace, p.ID, firstSession, "Scheduling tools help"); err != nil {
		t.Fatal(err)
	}

	// Halfway through, both get the check-in once.
	cycle, _ := w.db.Cycle(w.ctx(), p.CycleID)
	w.at(cycle.Midpoint().Add(9 * time.Hour))
	g.seesDM("You're halfway through Spring 2026")
	w.at(cycle.Midpoint().Add(10 * time.Hour))
	if n := g.countDMs("halfway through"); n != 1 {
		t.Errorf("Grace got the check-in %d times", n)
	}

	// The cycle's last day passes: the pair ends, both are thanked.
	w.at(cycle.EndsOn.Add(36 * time.Hour))
	g.seesDM("Thank you for taking part")
	a.seesDM("your pairing with <@" + grace + ">: you met 1 time")
	if got := w.pairWith(ada, grace); got.State != mentorbot.PairEnded || got.EndReason != mentorbot.EndedCycleOver {
		t.Errorf("pair after the cycle: %s %s", got.State, got.EndReason)
	}
	w.hrSees("Cycle report: Spring 2026")
	h.seesNoDM("Cycle report")

	// Grace reviews her goals: an answer missing is shown next to it.
	g.clicksIn("review", "survey_open")
	g.seesModal("Goal review")
	g.seesInModal("Your private notes")
	ack := g.submits(map[string]string{mentorbot.FieldSurveyContinue: "yes"})
	if modalErrors(ack)[mentorbot.FieldGoalProgress(0)] == "" {
		t.Errorf("a goal without progress was accepted: %+v", ack)
	}
	g.submits(map[string]string{mentorbot.FieldGoalProgress(0): "achieved", mentorbot.FieldSurveyContinue: "yes", mentorbot.FieldSurveyChange: "More time"})
	g.seesInModal("Thank you for reviewing your goals")
	w.finish()
	s, err := w.db.Survey(w.ctx(), grace, p.CycleID, mentorbot.SurveyClosing)
	if err != nil || s.Progress[0] != mentorbot.ProgressAchieved || s.Continue != mentorbot.ContinueYes {
		t.Errorf("stored survey %+v, %v", s, err)
	}

	// Opting in puts her back among those to match.
	if w.stateOf(grace) != mentorbot.StateFinished {
		t.Fatalf("Grace is %s after the cycle, want finished", w.stateOf(grace))
	}
	g.clicks("opt_in")
	g.seesDM("You're in for the next cycle")
	w.finish()
	if w.stateOf(grace) != mentorbot.StateTrained || w.stateOf(ada) != mentorbot.StateFinished {
		t.Errorf("Grace is %s, Ada %s; want trained and finished", w.stateOf(grace), w.stateOf(ada))
	}
}

// TestOnlyThoseWhoTookPartReviewACycle: a cycle's goal review is for the
// people who took part in it, once it has ended; a crafted button asking
// for it sooner, or from someone who joined later, is refused.
func TestOnlyThoseWhoTookPartReviewACycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := sessionOver.build(w).pair
	review := itoa(p.CycleID) + ":closing"
	g := w.person(grace)
	if _, err := g.p.ClicksUnseen(w.ctx(), "survey_open", review); err != nil {
		t.Fatal(err)
	}
	g.seesInModal("once it has ended")

	if _, err := w.programme.CloseCycle(w.ctx(), hope); err != nil {
		t.Fatal(err)
	}
	w.at(firstCheck.Add(24 * time.Hour))
	w.slack.AddUser(fakeslack.User{ID: kai, Name: "kai", RealName: "Kai Newcomer", TZ: "Europe/London"})
	if _, err := w.programme.Join(w.ctx(), kai, seedProfile(mentorbot.RoleMentee, "Europe/London", "")); err != nil {
		t.Fatal(err)
	}
	k := w.person(kai)
	if _, err := k.p.ClicksUnseen(w.ctx(), "survey_open", review); err != nil {
		t.Fatal(err)
	}
	k.seesInModal("for the people who took part in it")
	if _, err := w.programme.AnswerSurvey(w.ctx(), kai, p.CycleID, mentorbot.SurveyClosing, mentorbot.SurveyForm{Continue: "yes"}); mentorbot.ErrorCode(err) != mentorbot.EFORBIDDEN {
		t.Errorf("a newcomer's review of a cycle before their time: %v", err)
	}
	if _, err := w.db.Survey(w.ctx(), kai, p.CycleID, mentorbot.SurveyClosing); mentorbot.ErrorCode(err) != mentorbot.ENOTFOUND {
		t.Errorf("a newcomer's review was kept: %v", err)
	}
}
