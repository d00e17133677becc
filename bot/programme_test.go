package bot_test

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
	"github.com/mentorbot/mentorbot/store"
)

// springCycle is how Hope fills in the cycle form.
var springCycle = map[string]string{
	"cycle_name":     "Spring 2026",
	"starts_on":      "2026-03-09",
	"ends_on":        "2026-08-28",
	"cadence":        "fortnightly",
	"session_length": "45",
}

// openCycle opens a cycle through the programme, as Hope would.
func (w *world) openCycle(name string) mentorbot.Cycle {
	w.t.Helper()
	form, _, err := w.programme.CycleDraft(w.ctx(), hope)
	if err != nil {
		w.t.Fatal(err)
	}
	form.Name = name
	c, err := w.programme.SaveCycle(w.ctx(), hope, form)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// seedProfile is a profile; mentors also teach a topic they wrote themselves.
func seedProfile(role mentorbot.Role, zone, pitch string) mentorbot.Profile {
	p := mentorbot.Profile{
		Role:         role,
		Topics:       []mentorbot.TopicInterest{{Topic: "Social media", Level: 4}, {Topic: "TikTok for brands", Level: 5}},
		JobLevel:     2,
		Department:   "Customer Support",
		TimeZone:     zone,
		Availability: mentorbot.Availability{{Day: time.Tuesday, Start: 600, End: 720}},
		Pitch:        pitch,
	}
	if role == mentorbot.RoleMentee {
		// A senior in another department, free early on Tuesdays in New
		// York: an hour in common with a mentor free 10:00-12:00 in London.
		p.Topics = []mentorbot.TopicInterest{{Topic: "Social media", Level: 2}}
		p.JobLevel, p.Department = 6, "Finance"
		p.Availability = mentorbot.Availability{{Day: time.Tuesday, Start: 360, End: 720}}
	}
	return p
}

const adaPitch = "I make short videos that people actually watch."

// seedTrained brings Ada (mentor) and Grace (mentee) to trained, through
// the programme, for tests about what comes after.
func (w *world) seedTrained() {
	w.t.Helper()
	ctx := w.ctx()
	for _, j := range []struct {
		id      string
		profile mentorbot.Profile
	}{
		{ada, seedProfile(mentorbot.RoleMentor, "Europe/London", adaPitch)},
		{grace, seedProfile(mentorbot.RoleMentee, "America/New_York", "How my teams could use social media.")},
	} {
		if _, err := w.programme.Join(ctx, j.id, j.profile); err != nil {
			w.t.Fatal(err)
		}
	}
	if err := w.programme.Screen(ctx, hope, ada, mentorbot.Decision{Approve: true, Screening: mentorbot.Screening{Checks: []string{"patience"}}}); err != nil {
		w.t.Fatal(err)
	}
	for _, id := range []string{ada, grace} {
		if _, err := w.programme.Train(ctx, id); err != nil {
			w.t.Fatal(err)
		}
	}
}

// seedPair makes Ada and Grace an active pair, as matching will.
func (w *world) seedPair() {
	w.t.Helper()
	w.seedTrained()
	ctx := w.ctx()
	var c mentorbot.Change
	for _, id := range []string{ada, grace} {
		p, err := w.db.Participant(ctx, id)
		if err != nil {
			w.t.Fatal(err)
		}
		c.Moves = append(c.Moves, mentorbot.Transition{ParticipantID: id, Role: p.Role, From: p.State, To: mentorbot.StateMatched, By: hope, At: w.clock.Now()})
		p.State = mentorbot.StateMatched
		c.Participants = append(c.Participants, p)
	}
	c.Pairs = []mentorbot.Pair{{MentorID: ada, MenteeID: grace, Origin: mentorbot.OriginRound, State: mentorbot.PairActive, StartedAt: w.clock.Now()}}
	if err := w.db.Apply(ctx, c); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) stateOf(id string) mentorbot.State {
	w.t.Helper()
	p, err := w.db.Participant(w.ctx(), id)
	if err != nil {
		w.t.Fatal(err)
	}
	return p.State
}

func TestAdminOpensAndEditsTheCycle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	h := w.person(hope)

	h.opensHome()
	h.seesHome("No cycle is open")
	h.clicks("cycle_open")
	form := h.seesModal("Open a cycle")
	for _, want := range []string{"What's said in a session stays in the pair", "AI assistants at work"} {
		if !strings.Contains(form.Rendered(), want) {
			t.Errorf("the new cycle form is not filled with %q:\n%s", want, form.Rendered())
		}
	}

	tooShort := map[string]string{"cycle_name": "Spring 2026", "starts_on": "2026-03-09", "ends_on": "2026-03-23", "cadence": "fortnightly", "session_length": "45"}
	if errs := modalErrors(h.submits(tooShort)); !strings.Contains(errs["ends_on"], "at least 3 sessions") || !strings.Contains(errs["ends_on"], "Mon 6 Apr 2026") {
		t.Fatalf("an end date too soon: errors %v", errs)
	}
	values := map[string]string{"ends_on": springCycle["ends_on"], "catalogue": "Social media\nFigma\nAI assistants at work"}
	if ack := h.submits(values); responseAction(ack) != "update" {
		t.Fatalf("the fixed form was refused: %s", ack.Payload)
	}
	if done := h.seesModal("Cycle saved"); !strings.Contains(done.Rendered(), "Spring 2026") {
		t.Errorf("the confirmation does not name the cycle:\n%s", done.Rendered())
	}
	cycle, err := w.db.OpenCycle(w.ctx())
	if err != nil || cycle.Name != "Spring 2026" || cycle.Cadence != mentorbot.CadenceFortnightly || cycle.SessionLength != 45*time.Minute ||
		!slices.Equal(cycle.Topics, []string{"Social media", "Figma", "AI assistants at work"}) || cycle.CreatedBy != hope {
		t.Fatalf("stored cycle %+v, %v", cycle, err)
	}
	h.seesHome("Spring 2026")

	// Editing keeps what was saved and changes what Hope changes.
	h.types("/mentor cycle")
	edit := h.seesModal("Edit the cycle")
	if !strings.Contains(edit.Rendered(), "Spring 2026") {
		t.Fatalf("the edit form is not filled in:\n%s", edit.Rendered())
	}
	h.submits(map[string]string{"session_length": "60"})
	h.seesModal("Cycle saved")
	if cycle, _ = w.db.OpenCycle(w.ctx()); cycle.SessionLength != time.Hour || cycle.Name != "Spring 2026" {
		t.Fatalf("edited cycle %+v", cycle)
	}

	// People joining pick from the cycle's topics.
	a := w.person(ada)
	a.types("/mentor join")
	if join := a.seesModal("Join mentorbot"); !strings.Contains(join.Rendered(), "Figma") || strings.Contains(join.Rendered(), "Cybersecurity habits") {
		t.Errorf("the join form does not offer the cycle's topics:\n%s", join.Rendered())
	}

	// Closing keeps the cycle as history and lets the next one open.
	h.types("/mentor cycle close")
	h.seesReply("Close *Spring 2026*?")
	h.clicks("cycle_close")
	h.seesDM("Spring 2026* is closed")
	if _, err := w.db.OpenCycle(w.ctx()); mentorbot.ErrorCode(err) != mentorbot.ENOTFOUND {
		t.Fatalf("the cycle is still open: %v", err)
	}
	h.seesHome("No cycle is open")
	h.types("/mentor cycle close")
	h.seesReply("No cycle is open, so there is nothing to close")
}

// TestAFormerAdminCannotSubmitHerOpenForm: an admin removed from
// MENTORBOT_ADMINS while her forms are open can no longer submit them.
func TestTheCycleFormKeepsSlacksRules(t *testing.T) {
	t.Parallel()
	filled := mentorbot.CycleForm{Name: "Spring 2026", GroundRules: "Be kind.", Topics: "Go\nSQL"}
	for _, tc := range []struct {
		name    string
		form    mentorbot.CycleForm
		editing bool
	}{
		{"a first cycle, nothing filled in", mentorbot.CycleForm{}, false},
		{"editing, nothing filled in", mentorbot.CycleForm{}, true},
		{"editing a filled-in cycle", filled, true},
	} {
		if problems := fakeslack.CheckModal(bot.CycleModal(tc.form, tc.editing)); len(problems) > 0 {
			t.Errorf("%s: Slack would refuse the form: %q", tc.name, problems)
		}
	}
}

func TestAFormerAdminCannotSubmitHerOpenForm(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.person(ada).join(adaStep1, adaStep2) // an applicant waiting for screening
	w.openCycle("Spring 2026")
	h := w.person(hope)
	h.opensHome()
	h.seesHome("Screening queue")
	if _, err := h.p.ClicksIn(w.ctx(), "applicant_"+ada, "screen_review"); err != nil {
		t.Fatal(err)
	}
	h.seesModal("Screen a mentor")
	w.admins = nil
	w.restart()
	errs := modalErrors(h.submits(map[string]string{"decision": "approve", "checks": "patience"}))
	if !strings.Contains(errs["screening_note"], "Only the programme's admins can screen mentors") {
		t.Fatalf("a former admin's screening: errors %v", errs)
	}
	if got := w.stateOf(ada); got != mentorbot.StateApplied {
		t.Fatalf("Ada is %s after a former admin screened her", got)
	}
}

func TestScreeningApprovesAndDeclinesKindly(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.openCycle("Spring 2026")
	a, b, h := w.person(ada), w.person(boss), w.person(hope)
	a.join(adaStep1, adaStep2)
	a.opensHome()
	a.seesHome("Your application to mentor is with HR")
	w.clock.Advance(time.Hour)
	if _, err := w.programme.Join(w.ctx(), boss, seedProfile(mentorbot.RoleMentor, "Europe/London", "I can explain spreadsheets to anyone.")); err != nil {
		t.Fatal(err)
	}

	h.opensHome()
	h.seesHome("Screening queue* (2 waiting")
	if _, err := h.p.ClicksIn(w.ctx(), "applicant_"+ada, "screen_review"); err != nil {
		t.Fatal(err)
	}
	review := h.seesModal("Screen a mentor")
	for _, want := range []string{"applied to mentor", "I make short videos", "Patient and even-tempered with senior colleagues", "Teaches"} {
		if !strings.Contains(review.Rendered(), want) {
			t.Errorf("the review does not show %q:\n%s", want, review.Rendered())
		}
	}
	if errs := modalErrors(h.submits(map[string]string{"decision": "approve"})); !strings.Contains(errs["checks"], "Tick the qualities") {
		t.Fatalf("approving with nothing ticked: errors %v", errs)
	}
	h.submits(map[string]string{"checks": "patience,listening", "screening_note": "Your TikTok know-how is just what our leaders need."})
	h.seesModal("Decision saved")

	dm := a.seesDM("You're approved to mentor")
	for _, want := range []string{"Your TikTok know-how is just what our leaders need.", "[Read the onboarding]"} {
		if !strings.Contains(dm.Rendered(), want) {
			t.Errorf("the approval DM does not say %q:\n%s", want, dm.Rendered())
		}
	}
	a.seesHome("Next: read the short onboarding for mentors")
	moves, err := w.db.Transitions(w.ctx(), ada)
	if err != nil {
		t.Fatal(err)
	}
	last := moves[len(moves)-1]
	if last.To != mentorbot.StateApproved || last.By != hope || last.Screening == nil || !slices.Equal(last.Screening.Checks, []string{"patience", "listening"}) {
		t.Fatalf("the approval is stored as %+v", last)
	}

	// Boss is screened from the command's queue and declined.
	h.types("/mentor screen")
	h.seesReply("Screening queue* (1 waiting")
	if _, err := h.p.ClicksIn(w.ctx(), "applicant_"+boss, "screen_review"); err != nil {
		t.Fatal(err)
	}
	h.seesModal("Screen a mentor")
	h.submits(map[string]string{"decision": "decline", "screening_note": "We have many spreadsheet mentors this spring."})
	h.seesModal("Decision saved")
	decline := b.seesDM("Thank you for offering to mentor")
	for _, want := range []string{"We have many spreadsheet mentors this spring.", "apply again when the next cycle opens", "isn't a judgement"} {
		if !strings.Contains(decline.Rendered(), want) {
			t.Errorf("the decline DM does not say %q:\n%s", want, decline.Rendered())
		}
	}
	if got := w.stateOf(boss); got != mentorbot.StateDeclined {
		t.Fatalf("Boss is %s", got)
	}
	h.opensHome()
	h.seesHome("No applications are waiting")

	// A second look at a screened application says so.
	if _, err := h.p.ClicksUnseen(w.ctx(), "screen_review", boss); err != nil {
		t.Fatal(err)
	}
	if v := h.seesModal("mentorbot"); !strings.Contains(v.Rendered(), "already been screened") {
		t.Errorf("reviewing a screened application:\n%s", v.Rendered())
	}

	// Boss may apply again, but only in the next cycle.
	b.opensHome()
	b.seesHome("apply again when the next cycle opens")
	w.clock.Advance(24 * time.Hour)
	if _, err := w.programme.CloseCycle(w.ctx(), hope); err != nil {
		t.Fatal(err)
	}
	w.openCycle("Autumn 2026")
	b.opensHome()
	b.seesHome("A new cycle is open, so you can apply to mentor again")
	b.clicks("join_open")
	b.seesModal("Edit your profile")
	b.submits(nil)
	b.seesModal("Your topics")
	b.submits(nil)
	b.seesDM("You've applied to mentor again")
	if got := w.stateOf(boss); got != mentorbot.StateApplied {
		t.Fatalf("Boss reapplied and is %s", got)
	}
}

func TestTrainingComesBeforeMatching(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.openCycle("Spring 2026")
	g, a := w.person(grace), w.person(ada)

	// An applicant may read the onboarding but not confirm it yet.
	a.join(adaStep1, adaStep2)
	a.types("/mentor training")
	if v := a.seesModal("How to mentor well"); v.Submit != "" || !strings.Contains(v.Rendered(), "once HR has approved") {
		t.Errorf("an applicant's onboarding (submit %q):\n%s", v.Submit, v.Rendered())
	}

	g.join(map[string]string{
		"role": "mentee", "topics": "AI assistants at work", "job_level": "7",
		"department": "Executive Office", "availability": "Mon-Fri 8-9am",
	}, map[string]string{"level_0": "1", "pitch": "How my teams use AI assistants day to day."})
	g.seesDM("Read the onboarding")
	g.opensHome()
	g.seesHome("You can be matched once you've confirmed it")
	p, _ := w.db.Participant(w.ctx(), grace)
	if p.Matchable() {
		t.Fatal("Grace is matchable before training")
	}

	g.clicks("training_open")
	lesson := g.seesModal("How to learn well")
	for _, want := range []string{"Ask for feedback", "open-minded", "Ground rules", "stays in the pair", "never a figure that rests on fewer than three answers"} {
		if !strings.Contains(lesson.Rendered(), want) {
			t.Errorf("the onboarding does not say %q:\n%s", want, lesson.Rendered())
		}
	}
	if lesson.Submit != "I've read this" {
		t.Fatalf("the onboarding's button is %q", lesson.Submit)
	}
	g.submits(nil)
	g.seesModal("Thank you")
	if p, _ = w.db.Participant(w.ctx(), grace); !p.Matchable() || p.State != mentorbot.StateTrained {
		t.Fatalf("after training Grace is %s, matchable %v", p.State, p.Matchable())
	}
	g.seesHome("Next: set one to three goals for Spring 2026")
}

func TestGoalsAreSetEditedAndShown(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	g := w.person(grace)
	w.seedTrained()

	g.types("/mentor goals")
	g.seesReply("No cycle is open")
	w.openCycle("Spring 2026")

	g.types("/mentor goals")
	g.seesModal("Your goals")
	if errs := modalErrors(g.submits(nil)); !strings.Contains(errs["goal_0"], "at least one goal") {
		t.Fatalf("an empty goals form: errors %v", errs)
	}
	errs := modalErrors(g.submits(map[string]string{
		"goal_0": "Use an AI assistant to draft my board updates", "goal_0_signal": "My next board update is drafted with it",
		"goal_1": "Understand how our customers use TikTok",
	}))
	if !strings.Contains(errs["goal_1_signal"], "how you'll know") {
		t.Fatalf("a goal without a signal: errors %v", errs)
	}
	g.submits(map[string]string{"goal_1_signal": "I can explain our top three videos"})
	g.seesModal("Goals saved")
	g.seesHome("Use an AI assistant to draft my board updates")
	g.seesHome("I can explain our top three videos")

	g.clicks("goals_open")
	if v := g.seesModal("Your goals"); !strings.Contains(v.Rendered(), "Understand how our customers use TikTok") {
		t.Errorf("the goals form is not filled in:\n%s", v.Rendered())
	}
	goals, err := w.db.Goals(w.ctx(), grace, 1)
	if err != nil || len(goals) != 2 {
		t.Fatalf("stored goals %+v, %v", goals, err)
	}
}

func TestPauseResumesOnItsDateWithAMovedClock(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.openCycle("Spring 2026")
	w.seedPair()
	g, a := w.person(grace), w.person(ada)

	g.opensHome()
	g.seesHome("You're paired with <@" + ada + ">")
	g.clicks("pause_open")
	g.seesModal("Take a break")
	if errs := modalErrors(g.submits(map[string]string{"pause_until": "2026-03-01"})); !strings.Contains(errs["pause_until"], "after today") {
		t.Fatalf("a date in the past: errors %v", errs)
	}
	g.submits(map[string]string{"pause_until": "2026-03-16"})
	if v := g.seesModal("You're paused"); !strings.Contains(v.Rendered(), "Mon 16 Mar 2026") {
		t.Errorf("the confirmation:\n%s", v.Rendered())
	}
	a.seesDM("is taking a break from the programme until Mon 16 Mar 2026")
	g.seesHome("You're paused until Mon 16 Mar 2026")
	if got := w.stateOf(grace); got != mentorbot.StatePaused {
		t.Fatalf("Grace is %s", got)
	}

	// The pause survives a restart: what is due comes from the database.
	w.restart()

	// Grace is back at 08:00 in New York, which is 12:00 UTC once summer time has started there.
	w.clock.Set(time.Date(2026, 3, 16, 11, 59, 0, 0, time.UTC))
	w.tick()
	if got := w.stateOf(grace); got != mentorbot.StatePaused {
		t.Fatalf("Grace is %s a minute before her date", got)
	}
	w.clock.Set(time.Date(2026, 3, 16, 12, 0, 0, 0, time.UTC))
	w.tick()
	g.seesDM("Your break ended today")
	a.seesDM("is back from their break")
	if got := w.stateOf(grace); got != mentorbot.StateMatched {
		t.Fatalf("Grace is back as %s, want matched", got)
	}
	g.seesHome("You're paired with")

	// A second tick finds nothing to do and tells nobody again.
	w.finish()
	before := len(w.slack.Calls("chat.postMessage"))
	w.tick()
	w.finish()
	if after := len(w.slack.Calls("chat.postMessage")); after != before {
		t.Fatalf("a second tick sent %d messages", after-before)
	}
}

func TestPausingEarlyAndResumingByHand(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seedTrained()
	a := w.person(ada)
	a.types("/mentor resume")
	a.seesReply("You're not paused")
	a.types("/mentor pause")
	a.seesModal("Take a break")
	a.submits(map[string]string{"pause_until": "2026-04-01"})
	a.seesModal("You're paused")
	a.opensHome()
	a.seesHome("You're paused until Wed 1 Apr 2026")
	a.clicks("resume")
	a.seesDM("Welcome back!")
	if got := w.stateOf(ada); got != mentorbot.StateTrained {
		t.Fatalf("Ada is back as %s, want trained", got)
	}
}

func TestAPairedMentorCannotSwitchRole(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.openCycle("Spring 2026")
	w.seedPair()
	a := w.person(ada)
	a.types("/mentor join")
	a.seesModal("Edit your profile")
	a.submits(map[string]string{"role": "mentee"})
	a.seesModal("Your topics")
	errs := modalErrors(a.submits(map[string]string{"pitch": "How our customers see us on TikTok."}))
	if !strings.Contains(errs["pitch"], "You're in a pair as a mentor") {
		t.Fatalf("switching role while paired: errors %v", errs)
	}
	if got := w.stateOf(ada); got != mentorbot.StateMatched {
		t.Fatalf("Ada is %s", got)
	}
}

func TestLeavingTellsThePartnerKindly(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.openCycle("Spring 2026")
	w.seedPair()
	a, g := w.person(ada), w.person(grace)

	a.types("/mentor leave")
	a.seesReply("Leaving takes you out of future matching")
	a.clicks("leave")
	a.seesDM("You've left the programme")
	told := g.seesDM("has had to leave the programme")
	if !strings.Contains(told.Rendered(), "HR will match you again") {
		t.Errorf("the partner's message:\n%s", told.Rendered())
	}
	if got := w.stateOf(ada); got != mentorbot.StateLeft {
		t.Fatalf("Ada is %s", got)
	}
	if got := w.stateOf(grace); got != mentorbot.StateTrained {
		t.Fatalf("Grace is %s, want back among those ready to match", got)
	}
	if _, err := w.db.ActivePair(w.ctx(), grace); mentorbot.ErrorCode(err) != mentorbot.ENOTFOUND {
		t.Fatalf("the pair is still active: %v", err)
	}
	g.seesHome("Next: set one to three goals")
	a.seesHome("You've left the programme")
}

func TestForgetMeLeavesNoPersonalFieldInAnyTable(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.openCycle("Spring 2026")
	w.seedPair()
	a, g := w.person(ada), w.person(grace)
	const adaGoal = "Teach Grace to post a short video on her own"
	if _, err := w.programme.SaveGoals(w.ctx(), ada, mentorbot.GoalForm{Aims: []string{adaGoal}, Signals: []string{"Grace posts one without help"}}); err != nil {
		t.Fatal(err)
	}
	a.types("/mentor profile") // its answer, with her profile, is kept for redeliveries
	a.seesReply(adaPitch)

	a.types("/mentor forget-me")
	a.seesReply("can't be undone")
	// She clicks at once: the offer's request may still be on its way to
	// the request log as the erasure begins.
	a.clicks("forget_me")
	a.seesDM("mentorbot no longer holds your profile")
	g.seesDM("has had to leave the programme")
	a.seesHome("Join the programme")
	w.finish()

	leaks := scanDatabase(t, w.dsn, ada, adaPitch, "TikTok for brands", adaGoal)
	if len(leaks) > 0 {
		t.Fatalf("personal data left after forget-me:\n%s", strings.Join(leaks, "\n"))
	}
	census, err := w.db.Census(w.ctx())
	if err != nil || census.Erased != 1 || census.States[mentorbot.StateTrained] != 1 {
		t.Fatalf("anonymous counts %+v, %v", census, err)
	}
	a.types("/mentor profile")
	a.seesReply("You haven't joined the programme yet")
	a.clicks("forget_me") // the button in the old reply
	a.seesDM("there is nothing to erase")
}

// scanDatabase returns every place in the database where one of the
// needles appears, reading every column of every table.
func scanDatabase(t *testing.T, dsn string, needles ...string) []string {
	t.Helper()
	r := openTableReader(t, dsn)
	defer r.close()
	var leaks []string
	r.each(t, func(table string, cols, values []string) {
		for i, text := range values {
			for _, n := range needles {
				if strings.Contains(text, n) {
					leaks = append(leaks, fmt.Sprintf("%s.%s holds %q", table, cols[i], n))
				}
			}
		}
	})
	return leaks
}

// storedRows is every row the programme keeps, as text, sorted: what a
// request may or may not change. The log of handled requests is left
// out: every request adds to it.
func (w *world) storedRows() []string {
	w.t.Helper()
	var out []string
	w.reader().each(w.t, func(table string, cols, values []string) {
		if table == "handled_requests" {
			return
		}
		fields := make([]string, len(cols))
		for i := range cols {
			fields[i] = cols[i] + "=" + values[i]
		}
		out = append(out, table+": "+strings.Join(fields, " "))
	})
	slices.Sort(out)
	return out
}

// reader is the test's own connection to the world's database, to read
// it as stored; opened once, as a new connection parses the schema and a
// new statement its SQL.
func (w *world) reader() *tableReader {
	w.t.Helper()
	if w.raw == nil {
		w.raw = openTableReader(w.t, w.dsn)
		w.t.Cleanup(w.closeReader)
	}
	return w.raw
}

// closeReader closes the test's own connection, if it has one.
func (w *world) closeReader() {
	if w.raw != nil {
		w.raw.close()
		w.raw = nil
	}
}

// tableReader reads every table of a database, keeping its statements.
type tableReader struct {
	db     *sql.DB
	tables string               // the query that names every table
	stmts  map[string]*sql.Stmt // by SQL
}

func openTableReader(t *testing.T, dsn string) *tableReader {
	t.Helper()
	tables := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if store.IsPostgres(dsn) {
		tables = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	db := openRaw(t, dsn)
	db.SetMaxOpenConns(1)
	return &tableReader{db: db, tables: tables, stmts: map[string]*sql.Stmt{}}
}

// openRaw opens the database for the test's own SQL, past the store, with
// the driver the store would use for it.
func openRaw(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if store.IsPostgres(dsn) {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func (r *tableReader) close() {
	for _, st := range r.stmts {
		st.Close()
	}
	r.db.Close()
}

func (r *tableReader) query(t *testing.T, query string) *sql.Rows {
	t.Helper()
	st := r.stmts[query]
	if st == nil {
		var err error
		if st, err = r.db.Prepare(query); err != nil {
			t.Fatal(err)
		}
		r.stmts[query] = st
	}
	rows, err := st.Query()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// each calls row with every row of every table, each column's value as text.
func (r *tableReader) each(t *testing.T, row func(table string, cols, values []string)) {
	t.Helper()
	rows := r.query(t, r.tables)
	var tables []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 8 {
		t.Fatalf("only %d tables found: %v", len(tables), tables)
	}
	for _, table := range tables {
		rows := r.query(t, fmt.Sprintf(`SELECT * FROM %q`, table))
		cols, _ := rows.Columns()
		for rows.Next() {
			values := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range values {
				ptrs[i] = &values[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			texts := make([]string, len(values))
			for i, v := range values {
				texts[i] = fmt.Sprint(v)
				if b, ok := v.([]byte); ok {
					texts[i] = string(b)
				}
			}
			row(table, cols, texts)
		}
		rows.Close()
	}
}
