package bot_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// lin is a third senior, for a teach-in's waiting list.
const lin = "U0LIN"

// seedTeachIns has Ada and Boss as trained mentors and Grace, Kai and Lin
// as trained mentees who want Social media and are free early on
// Tuesdays in New York, in an open cycle.
func (w *world) seedTeachIns() {
	w.t.Helper()
	w.seedMatchable()
	w.slack.AddUser(fakeslack.User{ID: kai, Name: "kai", RealName: "Kai Senior", TZ: "America/New_York", Email: "kai@example.com"})
	w.slack.AddUser(fakeslack.User{ID: lin, Name: "lin", RealName: "Lin Senior", TZ: "America/New_York", Email: "lin@example.com"})
	for _, id := range []string{kai, lin} {
		if _, err := w.programme.Join(w.ctx(), id, seedProfile(mentorbot.RoleMentee, "America/New_York", "How my teams could use social media.")); err != nil {
			w.t.Fatal(err)
		}
		if _, err := w.programme.Train(w.ctx(), id); err != nil {
			w.t.Fatal(err)
		}
	}
}

// teachInForm is Ada's offer: Tue 10 Mar 2026, 10:00-11:00 London, which
// is 06:00 in New York, when the seniors are free; two places.
var teachInForm = map[string]string{
	mentorbot.FieldTeachInTopic: "Social media", mentorbot.FieldTeachInTitle: "Short videos in an hour",
	mentorbot.FieldTeachInDate: "2026-03-10", mentorbot.FieldTeachInTime: "10:00", mentorbot.FieldTeachInLength: "60",
	mentorbot.FieldTeachInPlaces: "2", mentorbot.FieldTeachInJoin: "https://meet.example.com/reels",
	mentorbot.FieldTeachInDescription: "Film, cut and post a short video <!channel>.",
}

var teachInStart = time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)

// offersTeachIn has Ada offer the teach-in through the form and returns it.
func (w *world) offersTeachIn() mentorbot.TeachIn {
	w.t.Helper()
	a := w.person(ada)
	a.types("/mentor teach-in offer")
	a.seesModal("Offer a teach-in")
	a.submits(teachInForm)
	a.seesInModal("Short videos in an hour* is on: Tue 10 Mar, 10:00–11:00 (London time)")
	w.finish()
	list, err := w.db.TeachInsFrom(w.ctx(), w.clock.Now())
	if err != nil || len(list) != 1 {
		w.t.Fatalf("teach-ins stored: %+v, %v", list, err)
	}
	return list[0]
}

// teachInCalendars are the person's teach-in invites, parsed, oldest first.
func (p *person) teachInCalendars() []*ics.Calendar {
	p.w.t.Helper()
	p.w.finish()
	var cals []*ics.Calendar
	for _, f := range p.p.Files() {
		if !strings.HasPrefix(f.Name, "teach-in-") {
			continue
		}
		cal, err := ics.ParseCalendar(bytes.NewReader(f.Content))
		if err != nil {
			p.w.t.Fatalf("%s: %v", f.Name, err)
		}
		cals = append(cals, cal)
	}
	return cals
}

// cancels reports whether a calendar file cancels its event.
func cancels(cal *ics.Calendar) bool { return strings.Contains(cal.Serialize(), "METHOD:CANCEL") }

func (w *world) placeOf(t mentorbot.TeachIn, who string) mentorbot.TeachInPlace {
	w.t.Helper()
	places, err := w.db.TeachInPlaces(w.ctx(), t.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, p := range places {
		if p.ParticipantID == who {
			return p
		}
	}
	return mentorbot.TeachInPlace{}
}

func TestATeachInFillsKeepsAWaitingListAndMovesPeopleUp(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seedTeachIns()
	ti := w.offersTeachIn()
	a, g, k, l, h := w.person(ada), w.person(grace), w.person(kai), w.person(lin), w.person(hope)

	// The seniors who want the topic and are free are invited, once; the
	// description arrives as typed (the fake Slack fails the test on a
	// live broadcast).
	for _, p := range []*person{g, k, l} {
		m := p.seesDM("A teach-in on a topic you want to learn, at a time you're free")
		if !strings.Contains(m.Rendered(), "Tue 10 Mar, 06:00–07:00 (New York time)") || !strings.Contains(m.Rendered(), "post a short video <!channel>.") {
			t.Errorf("the invitation reads:\n%s", m.Rendered())
		}
	}
	w.person(boss).seesNoDM("A teach-in on a topic")
	// The host has the calendar invite for it already.
	if cals := a.teachInCalendars(); len(cals) != 1 || cals[0].Events()[0].GetProperty(ics.ComponentPropertyUniqueId).Value != "teach-in-1@mentorbot" {
		t.Fatalf("Ada's teach-in invites: %d", len(cals))
	}

	g.clicks("teachin_sign_up") // in her invitation
	g.seesDM("You're in: *Short videos in an hour*")
	k.types("/mentor teach-in")
	k.seesReply("1 place left of 2")
	k.clicksIn("teachin_1", "teachin_sign_up")
	k.seesDM("You're in")
	l.types("/mentor teach-in")
	l.seesReply("Full (2 places): sign up to join the waiting list")
	l.clicksIn("teachin_1", "teachin_sign_up")
	l.seesDM("you're number 1 on its waiting list")
	w.finish()
	if cals := g.teachInCalendars(); len(cals) != 1 {
		t.Errorf("Grace has %d teach-in invites, want 1", len(cals))
	} else if e := cals[0].Events()[0]; e.GetProperty(ics.ComponentPropertyDtStart).Value != "20260310T100000Z" || len(e.Attendees()) != 1 || e.Attendees()[0].Email() != "grace@example.com" {
		t.Errorf("Grace's invite: %s", cals[0].Serialize())
	}
	if cals := l.teachInCalendars(); len(cals) != 0 {
		t.Errorf("Lin, waiting, has %d invites", len(cals))
	}

	// Only the host sees who signed up, on a Home tab that follows each
	// sign-up; HR sees how many.
	a.seesHome("Signed up: <@U0GRACE> and <@U0KAI>. Waiting: <@U0LIN>.")
	g.opensHome()
	g.seesHome("You have a place. Join: https://meet.example.com/reels")
	h.opensHome()
	h.seesHome("Short videos in an hour (Social media), Tue 10 Mar 2026: 2 of 2 places taken, 1 waiting")
	for _, who := range []*person{g, k, l, h} {
		for _, shown := range append(rendered(who.p.Ephemerals()), who.p.Home().Rendered()) {
			if strings.Contains(shown, "Signed up:") || who != g && strings.Contains(shown, "<@U0GRACE>") {
				t.Errorf("%s sees who signed up:\n%s", who.p.ID(), shown)
			}
		}
	}

	// Grace gives up her place: Lin moves up and gets the invite.
	g.clicksIn("teachin_1", "teachin_leave")
	g.seesDM("You've given up your place")
	l.seesDM("A place opened up and it's yours")
	l.seesHome("You have a place")
	a.seesHome("Signed up: <@U0KAI> and <@U0LIN>.")
	w.finish()
	if got := w.placeOf(ti, lin).State; got != mentorbot.PlaceTaken {
		t.Fatalf("Lin's place is %s", got)
	}
	if cals := l.teachInCalendars(); len(cals) != 1 {
		t.Errorf("Lin has %d invites after moving up", len(cals))
	}
	if cals := g.teachInCalendars(); len(cals) != 2 || !cancels(cals[1]) {
		t.Errorf("Grace's calendar is not told she gave it up: %d files", len(cals))
	}

	// A reminder before, and afterwards a private pulse, to those with a place.
	w.at(teachInStart.Add(-time.Hour))
	k.seesDM("Coming up: *Short videos in an hour*")
	l.seesDM("Coming up")
	a.seesDM("Coming up")
	g.seesNoDM("Coming up")
	w.at(teachInStart.Add(time.Hour + mentorbot.CheckDelay))
	l.seesDM("How was *Short videos in an hour*")
	a.seesNoDM("How was")
	g.seesNoDM("How was")
	l.clicks("teachin_useful_4")
	l.clicks("teachin_recommend_yes")
	l.seesDM("Thank you, that's all")
	if p := w.placeOf(ti, lin); p.Useful != 4 || p.Recommend != mentorbot.RecommendYes {
		t.Errorf("Lin's pulse is stored as %+v", p)
	}
}

func TestTheOfferFormRefusesBadInputNextToTheField(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seedTeachIns()
	a := w.person(ada)
	a.types("/mentor teach-in offer")
	a.seesModal("Offer a teach-in")
	tests := []struct {
		name         string
		field, value string
		says         string
	}{
		{"a past date", mentorbot.FieldTeachInDate, "2026-03-01", "That's already past"},
		{"0 places", mentorbot.FieldTeachInPlaces, "0", "a number from 2 to 20"},
		{"21 places", mentorbot.FieldTeachInPlaces, "21", "a number from 2 to 20"},
		{"a time outside the cycle", mentorbot.FieldTeachInDate, "2026-10-06", "The cycle ends on Tue 1 Sep 2026"},
		{"a title too short", mentorbot.FieldTeachInTitle, "Hi", "a title of 3 characters or more"},
		{"no way to join", mentorbot.FieldTeachInJoin, "", "Say how people join"},
		{"no description", mentorbot.FieldTeachInDescription, "", "what people will learn"},
	}
	for _, tt := range tests {
		values := map[string]string{}
		for k, v := range teachInForm {
			values[k] = v
		}
		values[tt.field] = tt.value
		if errs := modalErrors(a.submits(values)); !strings.Contains(errs[tt.field], tt.says) {
			t.Errorf("%s: the form says %v, want %q next to %s", tt.name, errs, tt.says, tt.field)
		}
	}
	// Text too long never leaves Slack: each field carries its limit.
	for field, limit := range map[string]int{mentorbot.FieldTeachInTitle: mentorbot.MaxTeachInTitleChars,
		mentorbot.FieldTeachInJoin: mentorbot.MaxTeachInJoinChars, mentorbot.FieldTeachInDescription: mentorbot.MaxTeachInDescriptionChars} {
		if _, err := a.p.Submit(w.ctx(), map[string]string{field: strings.Repeat("x", limit+1)}); err == nil || !strings.Contains(err.Error(), "max_length") {
			t.Errorf("%d characters in %s: %v", limit+1, field, err)
		}
	}
	w.finish()
	if list, err := w.db.TeachInsFrom(w.ctx(), w.clock.Now()); err != nil || len(list) != 0 {
		t.Fatalf("a refused offer was stored: %+v, %v", list, err)
	}
	a.submits(teachInForm)
	a.seesInModal("is on")
}

func TestTheHostMovesAndCancelsAndEveryoneIsTold(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seedTeachIns()
	ti := w.offersTeachIn()
	a, g, k, l := w.person(ada), w.person(grace), w.person(kai), w.person(lin)
	for _, id := range []string{grace, lin, kai} {
		if _, err := w.programme.SignUp(w.ctx(), id, ti.ID); err != nil {
			t.Fatal(err)
		}
	}
	w.finish()

	a.opensHome()
	a.seesHome("Waiting: <@U0KAI>")
	a.clicksIn("teachin_1", "teachin_move")
	a.seesModal("Move the teach-in")
	if errs := modalErrors(a.submits(map[string]string{mentorbot.FieldTeachInDate: "2026-03-01"})); !strings.Contains(errs[mentorbot.FieldTeachInDate], "already past") {
		t.Errorf("moving to the past: %v", errs)
	}
	if errs := modalErrors(a.submits(map[string]string{mentorbot.FieldTeachInDate: "2026-09-08"})); !strings.Contains(errs[mentorbot.FieldTeachInDate], "The cycle ends") {
		t.Errorf("moving past the cycle: %v", errs)
	}
	a.submits(map[string]string{mentorbot.FieldTeachInDate: "2026-03-17", mentorbot.FieldTeachInTime: "11:00"})
	a.seesInModal("Moved: *Short videos in an hour* is now Tue 17 Mar, 11:00–12:00 (London time)")
	g.seesDM("moved *Short videos in an hour*: it's now Tue 17 Mar, 07:00–08:00 (New York time). Your place is kept")
	l.seesDM("it's now Tue 17 Mar")
	k.seesDM("You're still number 1 on the waiting list")
	w.finish()
	if cals := g.teachInCalendars(); len(cals) != 2 || cals[1].Events()[0].GetProperty(ics.ComponentPropertyDtStart).Value != "20260317T110000Z" ||
		cals[1].Events()[0].GetProperty(ics.ComponentPropertySequence).Value != "1" {
		t.Errorf("Grace's calendar does not follow the move: %d files", len(cals))
	}
	// The reminders follow the move: none at the old time.
	w.at(teachInStart.Add(-time.Hour))
	g.seesNoDM("Coming up")

	a.opensHome()
	a.clicksIn("teachin_1", "teachin_cancel")
	a.seesDM("You cancelled *Short videos in an hour*")
	for _, p := range []*person{g, l, k} {
		p.seesDM("*Short videos in an hour* is cancelled: <@U0ADA> had to call it off")
	}
	w.finish()
	if cals := g.teachInCalendars(); len(cals) != 3 || !cancels(cals[2]) {
		t.Errorf("Grace's calendar keeps the cancelled teach-in: %d files", len(cals))
	}
	if cals := k.teachInCalendars(); len(cals) != 0 {
		t.Errorf("Kai, who was waiting, got %d calendar files", len(cals))
	}
	a.opensHome()
	a.seesHome("No teach-ins are coming up")
	// Nothing more goes about a teach-in that is off.
	w.at(time.Date(2026, 3, 17, 13, 0, 0, 0, time.UTC))
	g.seesNoDM("How was")
	g.seesNoDM("Coming up")
}

func TestOnlyApprovedTrainedMentorsMayOfferATeachIn(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seedTeachIns()
	w.slack.AddUser(fakeslack.User{ID: sam, Name: "sam", RealName: "Sam Outsider", TZ: "Europe/London"})
	if _, err := w.programme.Join(w.ctx(), sam, seedProfile(mentorbot.RoleMentor, "Europe/London", "I post every day.")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		who, says string
	}{
		{grace, "Teach-ins are offered by mentors"},
		{sam, "Only approved mentors can offer a teach-in"},
		{hope, "You haven't joined the programme yet"},
	}
	for _, tt := range tests {
		p := w.person(tt.who)
		p.types("/mentor teach-in offer")
		p.seesReply(tt.says)
		if p.p.Modal() != nil {
			t.Errorf("%s got the form", tt.who)
		}
	}
	g := w.person(grace)
	g.types("/mentor teach-in")
	if reply := g.seesReply("No teach-ins are coming up"); strings.Contains(reply, "Offer a teach-in") {
		t.Errorf("Grace is offered to host:\n%s", reply)
	}
	a := w.person(ada)
	a.types("/mentor teach-in")
	a.seesReply("Offer a teach-in")
	a.clicks("teachin_open")
	a.seesModal("Offer a teach-in")
}

func TestAHostWhoErasesTheirDataCancelsTheirTeachInAndLeavesNoTrace(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seedTeachIns()
	ti := w.offersTeachIn()
	g := w.person(grace)
	g.clicks("teachin_sign_up")
	g.seesDM("You're in")
	a := w.person(ada)
	a.types("/mentor forget-me")
	a.seesReply("can't be undone")
	a.clicks("forget_me")
	a.seesDM("mentorbot no longer holds your profile")
	g.seesDM("*Short videos in an hour* is cancelled")
	w.finish()
	if cals := g.teachInCalendars(); len(cals) != 2 || !cancels(cals[1]) {
		t.Errorf("Grace's calendar keeps the teach-in: %d files", len(cals))
	}
	leaks := scanDatabase(t, w.dsn, ada, teachInForm[mentorbot.FieldTeachInJoin], teachInForm[mentorbot.FieldTeachInDescription])
	if len(leaks) > 0 {
		t.Fatalf("the host's data left after forget-me:\n%s", strings.Join(leaks, "\n"))
	}
	if p := w.placeOf(ti, grace); p.State != mentorbot.PlaceTaken {
		t.Errorf("Grace's place, kept for the counts, is %+v", p)
	}
}

// TestTeachInButtonsRefuseWhatNoLongerFits presses, in old messages,
// buttons whose moment has passed: each person reads why in a DM, and
// nothing changes.
func TestTeachInButtonsRefuseWhatNoLongerFits(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seedTeachIns()
	ti := w.offersTeachIn()
	for _, id := range []string{grace, kai} {
		if _, err := w.programme.SignUp(w.ctx(), id, ti.ID); err != nil {
			t.Fatal(err)
		}
	}
	w.finish()
	value := strconv.FormatInt(ti.ID, 10)
	tests := []struct {
		name, who, action, says string
		at                      time.Time // zero: now
	}{
		{"a pulse before it happens", grace, "teachin_useful_4", "hasn't happened yet", time.Time{}},
		{"leaving a place one never had", lin, "teachin_leave", "You're not signed up for that teach-in", time.Time{}},
		{"a host moving someone else's teach-in", boss, "teachin_move", "Only the teach-in's host can change it", time.Time{}},
		{"a button naming no teach-in", grace, "teachin_sign_up", "That button is from an old message", time.Time{}},
		{"signing up once it has begun", lin, "teachin_sign_up", "has begun, so sign-ups are closed", teachInStart.Add(time.Minute)},
		{"giving up a place once it has begun", grace, "teachin_leave", "That teach-in has begun", teachInStart.Add(time.Minute)},
		{"cancelling once it has begun", ada, "teachin_cancel", "has begun, so it can't change now", teachInStart.Add(time.Minute)},
		{"a pulse from someone without a place", lin, "teachin_useful_4", "Only the people who had a place", teachInStart.Add(2 * time.Hour)},
	}
	for _, tt := range tests {
		if !tt.at.IsZero() {
			w.at(tt.at)
		}
		before := w.storedRows()
		p := w.person(tt.who)
		v := value
		if strings.Contains(tt.name, "no teach-in") {
			v = "not-a-teach-in"
		}
		if _, err := p.p.ClicksUnseen(w.ctx(), tt.action, v); err != nil {
			t.Fatal(err)
		}
		if tt.action == "teachin_move" {
			p.seesModal("mentorbot")
			p.seesInModal(tt.says)
			p.closesModals()
		} else {
			p.seesDM(tt.says)
		}
		w.finish()
		if changed := differences(before, w.storedRows()); len(changed) > 0 {
			t.Errorf("%s changed what is stored:\n%s", tt.name, strings.Join(changed, "\n"))
		}
	}
	if p := w.placeOf(ti, grace); p.State != mentorbot.PlaceTaken || p.Useful != 0 {
		t.Errorf("Grace's place is %+v", p)
	}
}
