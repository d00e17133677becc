package bot_test

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/mentorbot/mentorbot"
)

// activePair makes Ada and Grace a pair through a published round, both
// accepting. Grace (New York, free Tue 06:00-12:00) and Ada (London, free
// Tue 10:00-12:00) share one hour that holds all year: 06:00 New York.
func (w *world) activePair() mentorbot.Pair {
	w.t.Helper()
	w.seedMatchable()
	w.publish()
	p := w.pairWith(ada, grace)
	for _, id := range []string{grace, ada} {
		if _, err := w.programme.AcceptPair(w.ctx(), id, p.ID); err != nil {
			w.t.Fatal(err)
		}
	}
	w.tick() // the pair's greeting and the offer of times reach them
	return w.pairWith(ada, grace)
}

// agreedPair is an active pair that agreed the time offered: every other
// Tuesday 06:00-07:00 New York, from Tue 3 Mar 2026.
func (w *world) agreedPair() mentorbot.Pair {
	w.t.Helper()
	p := w.activePair()
	for _, id := range []string{grace, ada} {
		if _, err := w.programme.PickSlot(w.ctx(), id, p.ID, mentorbot.SlotChoice{Option: 0}); err != nil {
			w.t.Fatal(err)
		}
	}
	p = w.pairWith(ada, grace)
	if p.Slot == nil || p.Slot.Minute != 360 || p.Slot.Zone != "America/New_York" || !p.Slot.From.Equal(time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)) {
		w.t.Fatalf("agreed slot %+v, want Tuesdays 06:00 New York from 3 Mar", p.Slot)
	}
	return p
}

// at moves the clock and runs the scheduler's tick, as its cron would.
func (w *world) at(t time.Time) {
	w.t.Helper()
	w.clock.Set(t)
	w.tick()
	w.finish()
}

// invites waits until the person has n calendar files and parses them.
func (p *person) invites(n int) []*ics.Calendar {
	p.w.t.Helper()
	err := p.w.slack.WaitUntil(p.w.ctx(), func() bool { return len(p.p.Files()) >= n })
	if err != nil {
		p.w.t.Fatalf("%s has %d calendar files, want %d", p.p.ID(), len(p.p.Files()), n)
	}
	var cals []*ics.Calendar
	for _, f := range p.p.Files() {
		if f.Mimetype != "text/calendar" {
			p.w.t.Errorf("file %s is %s", f.Name, f.Mimetype)
		}
		cal, err := ics.ParseCalendar(bytes.NewReader(f.Content))
		if err != nil {
			p.w.t.Fatalf("%s: %v", f.Name, err)
		}
		cals = append(cals, cal)
	}
	return cals
}

// seesNoDM fails when the person has a DM saying text, once the bot has
// finished its work.
func (p *person) seesNoDM(text string) {
	p.w.t.Helper()
	p.w.finish()
	for _, m := range p.p.DMs() {
		if strings.Contains(m.Rendered(), text) {
			p.w.t.Errorf("%s sees %q:\n%s", p.p.ID(), text, m.Rendered())
		}
	}
}

func property(t *testing.T, e *ics.VEvent, p ics.ComponentProperty) *ics.IANAProperty {
	t.Helper()
	prop := e.GetProperty(p)
	if prop == nil {
		t.Fatalf("event has no %s", p)
	}
	return prop
}

func TestAPairAgreesItsTimeAndGetsTheInvite(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.activePair()
	g, a := w.person(grace), w.person(ada)

	g.seesDM("When will you and <@" + ada + "> meet?")
	g.seesDM("every other Tuesday, 06:00–07:00")
	g.opensHome()
	g.seesHome("No regular time yet: confirm one in your DMs")
	a.seesDM("every other Tuesday, 11:00–12:00 your time (06:00–07:00 New York time)")

	g.clicks("slot_confirm")
	g.seesDM("You picked a time. <@" + ada + "> is asked to confirm it")
	a.clicks("slot_confirm")
	a.seesDM("Agreed with <@" + grace + ">: your sessions start on Tue 3 Mar 2026.")
	g.seesDM("Your sessions with <@" + ada + "> are booked: every other Tuesday, 06:00–07:00, from Tue 3 Mar 2026")
	a.seesDM("Your sessions with <@" + grace + "> are booked: every other Tuesday, 11:00–12:00 your time (06:00–07:00 New York time)")

	for _, who := range []*person{g, a} {
		cals := who.invites(1)
		e := cals[0].Events()[0]
		if got := property(t, e, ics.ComponentPropertyUniqueId).Value; got != "pair-"+strconv.FormatInt(p.ID, 10)+"@mentorbot" {
			t.Errorf("UID %q", got)
		}
		if got := property(t, e, ics.ComponentPropertyRrule).Value; !strings.HasPrefix(got, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=") {
			t.Errorf("RRULE %q", got)
		}
		start := property(t, e, ics.ComponentPropertyDtStart)
		if start.Value != "20260303T060000" || start.ICalParameters["TZID"][0] != "America/New_York" {
			t.Errorf("DTSTART %v %q, want 06:00 in America/New_York on 3 Mar", start.ICalParameters, start.Value)
		}
		var attendees []string
		for _, at := range e.Attendees() {
			attendees = append(attendees, at.Email())
		}
		slices.Sort(attendees)
		if !slices.Equal(attendees, []string{"ada@example.com", "grace@example.com"}) {
			t.Errorf("attendees %v", attendees)
		}
		if got := property(t, e, ics.ComponentPropertySequence).Value; got != "0" {
			t.Errorf("SEQUENCE %s", got)
		}
	}
	g.seesHome("You meet every other Tuesday, 06:00–07:00.")
	a.seesHome("You meet every other Tuesday, 11:00–12:00 your time (06:00–07:00 New York time); clocks change: 10:00 from 17 Mar, 11:00 from 31 Mar.")
	if n := len(w.slack.Calls("files.completeUploadExternal")); n != 2 {
		t.Errorf("%d uploads completed, want one invite each", n)
	}
	if got := w.pairWith(ada, grace).Slot; got == nil || got.Weekday != time.Tuesday || got.Minute != 360 {
		t.Errorf("stored slot %+v", got)
	}
}

func TestPickingAnotherTimeAsksThePartner(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.activePair()
	g, a := w.person(grace), w.person(ada)
	g.seesDM("When will you and <@" + ada + "> meet?")

	g.clicks("slot_pick")
	g.seesModal("Pick a time")
	ack := g.submits(map[string]string{"slot_option": "own", "slot_time": "06:30"})
	if errs := modalErrors(ack); !strings.Contains(errs["slot_day"], "Pick the day") {
		t.Fatalf("no day: errors %v", errs)
	}
	g.submits(map[string]string{"slot_option": "own", "slot_day": "Tuesday", "slot_time": "06:30"})
	a.seesDM("<@" + grace + "> suggests meeting every other Tuesday, 11:30–12:30 your time (06:30–07:30 New York time)")
	a.clicks("slot_confirm")
	a.seesDM("Agreed with <@" + grace + ">")
	if s := w.pairWith(ada, grace).Slot; s == nil || s.Minute != 390 {
		t.Errorf("stored slot %+v, want 06:30", s)
	}
	g.invites(1)
}

func TestNudgesArriveAtLocalTimesAcrossClockChanges(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.agreedPair()
	for id, aim := range map[string]string{grace: "Post on LinkedIn once a week", ada: "Explain how the feed decides what people see"} {
		if _, err := w.programme.SaveGoals(w.ctx(), id, mentorbot.GoalForm{Aims: []string{aim}, Signals: []string{"I did it"}}); err != nil {
			t.Fatal(err)
		}
	}
	w.finish()
	g, a := w.person(grace), w.person(ada)

	// Each reminder goes at its moment, not a minute before. New York moves
	// its clocks on 8 Mar, London on 29 Mar: 06:00 New York is 11:00, then
	// 10:00, then 11:00 again in London.
	for _, tc := range []struct {
		due         time.Time
		grace, ada  string
		description string
	}{
		{time.Date(2026, 3, 2, 11, 0, 0, 0, time.UTC), "tomorrow: Tue 3 Mar, 06:00–07:00", "tomorrow: Tue 3 Mar, 11:00–12:00", "both in winter time"},
		{time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC), "in an hour: Tue 3 Mar, 06:00–07:00", "in an hour: Tue 3 Mar, 11:00–12:00", "an hour ahead"},
		{time.Date(2026, 3, 16, 10, 0, 0, 0, time.UTC), "tomorrow: Tue 17 Mar, 06:00–07:00", "tomorrow: Tue 17 Mar, 10:00–11:00", "New York on summer time, London not yet"},
		{time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC), "in an hour: Tue 17 Mar, 06:00–07:00", "in an hour: Tue 17 Mar, 10:00–11:00", "an hour ahead"},
		{time.Date(2026, 3, 30, 10, 0, 0, 0, time.UTC), "tomorrow: Tue 31 Mar, 06:00–07:00", "tomorrow: Tue 31 Mar, 11:00–12:00", "both on summer time"},
		{time.Date(2026, 3, 31, 9, 0, 0, 0, time.UTC), "in an hour: Tue 31 Mar, 06:00–07:00", "in an hour: Tue 31 Mar, 11:00–12:00", "an hour ahead"},
	} {
		w.at(tc.due.Add(-time.Minute))
		g.seesNoDM(tc.grace)
		a.seesNoDM(tc.ada)
		w.at(tc.due)
		g.seesDM("Your session with <@" + ada + "> is " + tc.grace)
		a.seesDM("Your session with <@" + grace + "> is " + tc.ada)
	}
	nudge := g.seesDM("is in an hour: Tue 31 Mar")
	for _, want := range []string{"Agenda: your goals*\n• Post on LinkedIn once a week", "<@" + ada + ">'s goals*\n• Explain how the feed decides", "I'll be there", "Reschedule", "Skip this one"} {
		if !strings.Contains(nudge.Rendered(), want) {
			t.Errorf("the nudge does not say %q:\n%s", want, nudge.Rendered())
		}
	}
	// The reminders planned for 30 Mar's day-ahead went too: one of each.
	for key, n := range w.slack.MetadataValues("mentorbot_outbox", "key") {
		if n != 1 {
			t.Errorf("%s delivered %d times", key, n)
		}
	}
}

func TestIllBeThereTellsThePartnersNextReminder(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.agreedPair()
	g, a := w.person(grace), w.person(ada)
	w.at(time.Date(2026, 3, 2, 11, 0, 0, 0, time.UTC))
	g.seesDM("is tomorrow")
	g.clicks("session_coming")
	g.seesDM("✅ You'll be at your session with <@" + ada + ">: Tue 3 Mar, 06:00–07:00.")
	if s, _ := w.db.Session(w.ctx(), w.pairWith(ada, grace).ID, time.Date(2026, 3, 3, 11, 0, 0, 0, time.UTC)); !s.MenteeComing || s.MentorComing {
		t.Errorf("stored %+v", s)
	}
	w.at(time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC))
	a.seesDM("✅ <@" + grace + "> said they'll be there.")
}

func TestRescheduleAndSkipTellThePartner(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.agreedPair()
	g, a := w.person(grace), w.person(ada)
	w.at(time.Date(2026, 3, 2, 11, 0, 0, 0, time.UTC))
	g.seesDM("is tomorrow")
	a.invites(1)

	g.clicks("session_move")
	g.seesModal("Move this session")
	ack := g.submits(map[string]string{"move_date": "2026-03-01", "move_time": "06:00"})
	if errs := modalErrors(ack); !strings.Contains(errs["move_date"], "already past") {
		t.Fatalf("a day past: errors %v", errs)
	}
	g.submits(map[string]string{"move_date": "2026-03-04", "move_time": "07:00"})
	g.seesInModal("Moved: your session with <@" + ada + "> is now Wed 4 Mar, 07:00–08:00.")
	moved := a.seesDM("<@" + grace + "> moved your session of Tue 3 Mar, 11:00 to Wed 4 Mar, 12:00–13:00")
	if !strings.Contains(moved.Rendered(), "Skip this one") {
		t.Errorf("the partner can't act on the moved session:\n%s", moved.Rendered())
	}

	cal := a.invites(2)[1]
	events := cal.Events()
	if len(events) != 2 {
		t.Fatalf("the update has %d events, want the series and the moved session", len(events))
	}
	if got := property(t, events[0], ics.ComponentPropertySequence).Value; got != "1" {
		t.Errorf("SEQUENCE %s, want 1", got)
	}
	override := events[1]
	if rid := property(t, override, ics.ComponentProperty("RECURRENCE-ID")); rid.Value != "20260303T060000" {
		t.Errorf("RECURRENCE-ID %q", rid.Value)
	}
	if start := property(t, override, ics.ComponentPropertyDtStart); start.Value != "20260304T070000" {
		t.Errorf("moved DTSTART %q", start.Value)
	}

	// Ada can't make the new time either, and says why, privately.
	a.clicks("session_skip")
	a.seesModal("Skip this session")
	a.submits(map[string]string{"skip_reason": "Exam week"})
	a.seesInModal("Skipped")
	g.seesDM("<@" + ada + "> can't make your session on Wed 4 Mar, 07:00–08:00, so it's off. Your next one is Tue 17 Mar, 06:00.")
	w.finish()
	g.seesNoDM("Exam week")
	s, err := w.db.Session(w.ctx(), p.ID, time.Date(2026, 3, 3, 11, 0, 0, 0, time.UTC))
	if err != nil || s.State != mentorbot.SessionSkipped || s.SkipReason != "Exam week" || s.SkippedBy != ada || s.MovedBy != grace {
		t.Errorf("stored %+v, %v", s, err)
	}
	g.invites(3) // the move, then the skip
}

func TestDidItHappenIsAskedOfBothAndKeptApart(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.agreedPair()
	g, a := w.person(grace), w.person(ada)
	w.at(time.Date(2026, 3, 2, 11, 0, 0, 0, time.UTC))

	// The session ends at 12:00 UTC; the question comes an hour later.
	w.at(time.Date(2026, 3, 3, 12, 59, 0, 0, time.UTC))
	g.seesNoDM("Did your session")
	w.at(time.Date(2026, 3, 3, 13, 0, 0, 0, time.UTC))
	g.seesDM("Did your session with <@" + ada + "> happen? Tue 3 Mar, 06:00–07:00")
	a.seesDM("Did your session with <@" + grace + "> happen? Tue 3 Mar, 11:00–12:00")

	g.clicks("session_held_yes")
	g.seesDM("Thanks: you said your session with <@" + ada + "> on Tue 3 Mar, 06:00–07:00 happened.")
	a.clicks("session_held_no")
	a.seesDM("11:00–12:00 didn't happen.")
	w.finish()
	s, _ := w.db.Session(w.ctx(), p.ID, time.Date(2026, 3, 3, 11, 0, 0, 0, time.UTC))
	if s.MenteeHeld != mentorbot.HeldYes || s.MentorHeld != mentorbot.HeldNo || s.Outcome() != mentorbot.OutcomeDisputed {
		t.Errorf("stored %+v, outcome %s; want both answers kept, disputed", s, s.Outcome())
	}
	g.seesNoDM("didn't happen")
}

func TestCatchUpAfterDowntimeSendsWhatIsStillUseful(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.agreedPair()
	g := w.person(grace)
	w.at(time.Date(2026, 3, 2, 11, 0, 0, 0, time.UTC))
	g.seesDM("is tomorrow: Tue 3 Mar")

	// Down from Monday until Tue 17 Mar 09:30 UTC: the 3 Mar session, its
	// hour-ahead reminder and check, and the 17 Mar day-ahead reminder all
	// fell due meanwhile. The 17 Mar session (10:00 UTC) is still ahead.
	w.stop()
	w.clock.Set(time.Date(2026, 3, 17, 9, 30, 0, 0, time.UTC))
	w.start()
	w.tick()
	w.finish()
	w.tick() // a second tick owes nothing more
	w.finish()

	g.seesDM("Did your session with <@" + ada + "> happen? Tue 3 Mar")
	g.seesDM("Your session with <@" + ada + "> is in 30 minutes: Tue 17 Mar, 06:00–07:00")
	g.seesNoDM("in an hour: Tue 3 Mar")
	g.seesNoDM("tomorrow: Tue 17 Mar")
	keys := w.slack.MetadataValues("mentorbot_outbox", "key")
	for key, n := range keys {
		if n != 1 {
			t.Errorf("%s delivered %d times", key, n)
		}
	}
	var dropped []string
	items, _ := w.db.OutboxOf(w.ctx(), w.pairWith(ada, grace).ID)
	for _, it := range items {
		if it.State == mentorbot.OutboxDropped && it.Kind == mentorbot.OutboxNudge {
			dropped = append(dropped, string(it.Kind)+": "+it.Error)
		}
		if it.State == mentorbot.OutboxPending && !it.DueAt.After(w.clock.Now()) {
			t.Errorf("still owed after catching up: %s", it.Key)
		}
	}
	if len(dropped) != 4 {
		t.Errorf("dropped %v, want 3 Mar's hour-ahead and 17 Mar's day-ahead reminders for both", dropped)
	}
}

// TestASessionButtonWithAMalformedValueGetsAReason: a value no message
// carries names no session, and says so rather than apologising.
func TestASessionButtonWithAMalformedValueGetsAReason(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.agreedPair()
	g := w.person(grace)
	if _, err := g.p.ClicksUnseen(w.ctx(), "session_coming", "not-a-session"); err != nil {
		t.Fatal(err)
	}
	w.finish()
	dms := rendered(g.p.DMs())
	if len(dms) == 0 || strings.Contains(dms[len(dms)-1], "went wrong") {
		t.Errorf("a malformed click was answered with %q", dms)
	}
}
