package mentorbot_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/store"
)

// The clock stands at Mon 2 Mar 2026, 09:00 UTC; the cycle runs to 1 Sep.
// The mentor teaches Social media from London; mentees are free on
// Tuesdays 10:00-12:00 London time.
const (
	menteeTwo   = "UMENTEE2"
	menteeThree = "UMENTEE3"
)

// goodOffer is a teach-in on Tue 10 Mar, 10:00-11:00 London.
func goodOffer() mentorbot.TeachInForm {
	return mentorbot.TeachInForm{Topic: "Social media", Title: "Short videos in an hour", Date: "2026-03-10", Time: "10:00",
		Length: "60", Places: "2", JoinHow: "https://meet.example.com/abc", Description: "How to film and post a short video."}
}

// teachInWorld has an open cycle, a trained mentor and trained mentees.
func teachInWorld(t *testing.T, mentees ...string) (*mentorbot.Programme, *store.DB, *mentorbot.ManualClock) {
	t.Helper()
	pr, db, clock := programme(t)
	ctx := context.Background()
	openCycle(t, pr, "Spring 2026")
	mustJoin(t, pr, mentor, mentorbot.RoleMentor)
	if err := pr.Screen(ctx, admin, mentor, mentorbot.Decision{Approve: true, Screening: mentorbot.Screening{Checks: []string{"patience"}}}); err != nil {
		t.Fatal(err)
	}
	for _, id := range append([]string{mentor}, mentees...) {
		if id != mentor {
			mustJoin(t, pr, id, mentorbot.RoleMentee)
		}
		if _, err := pr.Train(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	return pr, db, clock
}

func TestAnOfferWithABadFieldIsRefusedNextToIt(t *testing.T) {
	pr, _, _ := teachInWorld(t)
	tests := []struct {
		name  string
		edit  func(f *mentorbot.TeachInForm)
		field string
		says  string
	}{
		{"a topic the host does not teach", func(f *mentorbot.TeachInForm) { f.Topic = "Knitting" }, mentorbot.FieldTeachInTopic, "topics you teach"},
		{"no title", func(f *mentorbot.TeachInForm) { f.Title = "  " }, mentorbot.FieldTeachInTitle, "Give it a title"},
		{"a title too long", func(f *mentorbot.TeachInForm) { f.Title = strings.Repeat("x", 81) }, mentorbot.FieldTeachInTitle, "under 80 characters (this has 81)"},
		{"a past date", func(f *mentorbot.TeachInForm) { f.Date = "2026-03-01" }, mentorbot.FieldTeachInDate, "already past"},
		{"earlier today", func(f *mentorbot.TeachInForm) { f.Date, f.Time = "2026-03-02", "08:30" }, mentorbot.FieldTeachInDate, "already past"},
		{"no date", func(f *mentorbot.TeachInForm) { f.Date = "" }, mentorbot.FieldTeachInDate, "Pick the day"},
		{"no time", func(f *mentorbot.TeachInForm) { f.Time = "" }, mentorbot.FieldTeachInTime, "Pick the time"},
		{"after the cycle", func(f *mentorbot.TeachInForm) { f.Date = "2026-10-06" }, mentorbot.FieldTeachInDate, "The cycle ends on Tue 1 Sep 2026"},
		{"a length not offered", func(f *mentorbot.TeachInForm) { f.Length = "600" }, mentorbot.FieldTeachInLength, "how long"},
		{"0 places", func(f *mentorbot.TeachInForm) { f.Places = "0" }, mentorbot.FieldTeachInPlaces, "a number from 2 to 20"},
		{"1 place", func(f *mentorbot.TeachInForm) { f.Places = "1" }, mentorbot.FieldTeachInPlaces, "a number from 2 to 20"},
		{"21 places", func(f *mentorbot.TeachInForm) { f.Places = "21" }, mentorbot.FieldTeachInPlaces, "a number from 2 to 20"},
		{"places in words", func(f *mentorbot.TeachInForm) { f.Places = "ten" }, mentorbot.FieldTeachInPlaces, "a number from 2 to 20"},
		{"no way to join", func(f *mentorbot.TeachInForm) { f.JoinHow = "" }, mentorbot.FieldTeachInJoin, "Say how people join"},
		{"a way to join too long", func(f *mentorbot.TeachInForm) { f.JoinHow = strings.Repeat("x", 301) }, mentorbot.FieldTeachInJoin, "under 300"},
		{"no description", func(f *mentorbot.TeachInForm) { f.Description = "" }, mentorbot.FieldTeachInDescription, "what people will learn"},
		{"a description too long", func(f *mentorbot.TeachInForm) { f.Description = strings.Repeat("é", 501) }, mentorbot.FieldTeachInDescription, "under 500 characters (this has 501)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := goodOffer()
			tt.edit(&f)
			_, err := pr.OfferTeachIn(context.Background(), mentor, f)
			if got := mentorbot.ErrorFields(err)[tt.field]; !strings.Contains(got, tt.says) {
				t.Errorf("%s says %q (all: %v), want %q", tt.field, got, err, tt.says)
			}
		})
	}
	if _, err := pr.OfferTeachIn(context.Background(), mentor, goodOffer()); err != nil {
		t.Fatalf("the good offer is refused: %v", err)
	}
}

func TestOnlyApprovedTrainedMentorsHost(t *testing.T) {
	pr, _, _ := programme(t)
	ctx := context.Background()
	openCycle(t, pr, "Spring 2026")
	mustJoin(t, pr, mentor, mentorbot.RoleMentor)
	mustJoin(t, pr, mentee, mentorbot.RoleMentee)
	offer := func(id string) error { _, err := pr.OfferTeachIn(ctx, id, goodOffer()); return err }
	if err := offer("UNOBODY"); mentorbot.ErrorCode(err) != mentorbot.ENOTFOUND {
		t.Errorf("someone who never joined hosts: %v", err)
	}
	if err := offer(mentor); !strings.Contains(mentorbot.ErrorMessage(err), "Only approved mentors") {
		t.Errorf("an applicant hosts: %v", err)
	}
	if err := pr.Screen(ctx, admin, mentor, mentorbot.Decision{Approve: true, Screening: mentorbot.Screening{Checks: []string{"patience"}}}); err != nil {
		t.Fatal(err)
	}
	if err := offer(mentor); !strings.Contains(mentorbot.ErrorMessage(err), "Read the onboarding first") {
		t.Errorf("an untrained mentor hosts: %v", err)
	}
	if _, err := pr.Train(ctx, mentee); err != nil {
		t.Fatal(err)
	}
	if err := offer(mentee); !strings.Contains(mentorbot.ErrorMessage(err), "offered by mentors") {
		t.Errorf("a mentee hosts: %v", err)
	}
	if _, err := pr.Train(ctx, mentor); err != nil {
		t.Fatal(err)
	}
	if err := offer(mentor); err != nil {
		t.Errorf("a trained mentor cannot host: %v", err)
	}
}

// owedTo lists who is owed messages of a kind.
func owedTo(items []mentorbot.OutboxItem, kind mentorbot.OutboxKind) []string {
	var out []string
	for _, item := range items {
		if item.Kind == kind {
			out = append(out, item.To)
		}
	}
	slices.Sort(out)
	return out
}

func TestOnlyMenteesWhoWantTheTopicAndAreFreeAreInvited(t *testing.T) {
	pr, db, _ := teachInWorld(t, mentee, menteeTwo, menteeThree)
	ctx := context.Background()
	const (
		busy     = "UBUSY"
		other    = "UOTHER"
		paused   = "UPAUSED"
		avoiding = "UAVOIDING"
	)
	for _, j := range []struct {
		id   string
		edit func(p *mentorbot.Profile)
	}{
		{busy, func(p *mentorbot.Profile) {
			p.Availability = mentorbot.Availability{{Day: time.Wednesday, Start: 600, End: 720}}
		}},
		{other, func(p *mentorbot.Profile) { p.Topics = []mentorbot.TopicInterest{{Topic: "Spreadsheets", Level: 2}} }},
		{paused, func(*mentorbot.Profile) {}},
		{avoiding, func(*mentorbot.Profile) {}},
	} {
		p := profile(mentorbot.RoleMentee)
		j.edit(&p)
		if _, err := pr.Join(ctx, j.id, p); err != nil {
			t.Fatal(err)
		}
		if _, err := pr.Train(ctx, j.id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pr.Pause(ctx, paused, "2026-03-20"); err != nil {
		t.Fatal(err)
	}
	if err := pr.SetAvoided(ctx, avoiding, []string{mentor}); err != nil {
		t.Fatal(err)
	}
	owed := outboxWatch(t, db)
	if _, err := pr.OfferTeachIn(ctx, mentor, goodOffer()); err != nil {
		t.Fatal(err)
	}
	items := owed()
	if got, want := owedTo(items, mentorbot.OutboxTeachInInvitation), []string{mentee, menteeTwo, menteeThree}; !slices.Equal(got, want) {
		t.Errorf("invited %v, want %v", got, want)
	}
	if got := owedTo(items, mentorbot.OutboxTeachInCalendar); !slices.Equal(got, []string{mentor}) {
		t.Errorf("calendar invites to %v, want the host's", got)
	}
	if got := owedTo(items, mentorbot.OutboxTeachInReminder); !slices.Equal(got, []string{mentor}) {
		t.Errorf("reminders to %v, want the host's", got)
	}
	for _, item := range items {
		if item.TeachInID == 0 {
			t.Errorf("%s names no teach-in", item.Key)
		}
	}
}

func TestAFullTeachInKeepsAWaitingListAndMovesPeopleUp(t *testing.T) {
	pr, db, clock := teachInWorld(t, mentee, menteeTwo, menteeThree)
	ctx := context.Background()
	ti, err := pr.OfferTeachIn(ctx, mentor, goodOffer())
	if err != nil {
		t.Fatal(err)
	}
	owed := outboxWatch(t, db)
	for i, id := range []string{mentee, menteeTwo, menteeThree} {
		clock.Advance(time.Minute)
		v, err := pr.SignUp(ctx, id, ti.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantState := mentorbot.PlaceTaken
		if i == 2 {
			wantState = mentorbot.PlaceWaiting
		}
		if v.Place == nil || v.Place.State != wantState {
			t.Fatalf("%s's place: %+v, want %s", id, v.Place, wantState)
		}
		if v.Roster != nil {
			t.Errorf("%s sees who signed up", id)
		}
	}
	items := owed()
	if got := owedTo(items, mentorbot.OutboxTeachInCalendar); !slices.Equal(got, []string{mentee, menteeTwo}) {
		t.Errorf("calendar invites to %v, want those with a place", got)
	}
	if got := owedTo(items, mentorbot.OutboxTeachInSignedUp); len(got) != 3 {
		t.Errorf("sign-up confirmations to %v, want all three", got)
	}
	if v, err := pr.SignUp(ctx, menteeThree, ti.ID); err != nil || v.Position != 1 || len(owed()) != 0 {
		t.Errorf("signing up again: %+v, %v", v, err)
	}
	host, err := pr.TeachIn(ctx, mentor, ti.ID)
	if err != nil {
		t.Fatal(err)
	}
	var roster []string
	for _, p := range host.Roster {
		roster = append(roster, fmt.Sprintf("%s:%s", p.ParticipantID, p.State))
	}
	if want := []string{mentee + ":taken", menteeTwo + ":taken", menteeThree + ":waiting"}; !slices.Equal(roster, want) {
		t.Errorf("the host sees %v, want %v", roster, want)
	}

	if _, err := pr.LeaveTeachIn(ctx, mentee, ti.ID); err != nil {
		t.Fatal(err)
	}
	items = owed()
	if got := owedTo(items, mentorbot.OutboxTeachInMovedUp); !slices.Equal(got, []string{menteeThree}) {
		t.Errorf("moved up: %v", got)
	}
	if got := owedTo(items, mentorbot.OutboxTeachInCalendarCancel); !slices.Equal(got, []string{mentee}) {
		t.Errorf("calendar cancellations to %v", got)
	}
	if got := owedTo(items, mentorbot.OutboxTeachInCalendar); !slices.Equal(got, []string{menteeThree}) {
		t.Errorf("calendar invites to %v", got)
	}
	if v, err := pr.TeachIn(ctx, menteeThree, ti.ID); err != nil || v.Place == nil || v.Place.State != mentorbot.PlaceTaken || v.Taken != 2 || v.Waiting != 0 {
		t.Errorf("after the move up: %+v, %v", v, err)
	}
	if _, err := pr.LeaveTeachIn(ctx, mentee, ti.ID); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Errorf("leaving twice: %v", err)
	}
	if _, err := pr.SignUp(ctx, mentor, ti.ID); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Errorf("the host signs up: %v", err)
	}
}

func TestOnlyTheHostMovesOrCancelsAndEveryoneIsTold(t *testing.T) {
	pr, db, clock := teachInWorld(t, mentee, menteeTwo, menteeThree)
	ctx := context.Background()
	f := goodOffer()
	ti, err := pr.OfferTeachIn(ctx, mentor, f)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{mentee, menteeTwo, menteeThree} {
		if _, err := pr.SignUp(ctx, id, ti.ID); err != nil {
			t.Fatal(err)
		}
	}
	move := mentorbot.TeachInMoveForm{Date: "2026-03-17", Time: "10:30"}
	if _, err := pr.MoveTeachIn(ctx, mentee, ti.ID, move); mentorbot.ErrorCode(err) != mentorbot.EFORBIDDEN {
		t.Errorf("a mentee moves it: %v", err)
	}
	if _, err := pr.CancelTeachIn(ctx, mentee, ti.ID); mentorbot.ErrorCode(err) != mentorbot.EFORBIDDEN {
		t.Errorf("a mentee cancels it: %v", err)
	}
	for _, bad := range []struct {
		form  mentorbot.TeachInMoveForm
		field string
		says  string
	}{
		{mentorbot.TeachInMoveForm{Date: "2026-03-10", Time: "10:00"}, mentorbot.FieldTeachInTime, "That's when it is already"},
		{mentorbot.TeachInMoveForm{Date: "2026-02-10", Time: "10:00"}, mentorbot.FieldTeachInDate, "already past"},
		{mentorbot.TeachInMoveForm{Date: "2026-09-08", Time: "10:00"}, mentorbot.FieldTeachInDate, "The cycle ends"},
	} {
		if _, err := pr.MoveTeachIn(ctx, mentor, ti.ID, bad.form); !strings.Contains(mentorbot.ErrorFields(err)[bad.field], bad.says) {
			t.Errorf("moving to %+v: %v, want %q", bad.form, err, bad.says)
		}
	}
	owed := outboxWatch(t, db)
	v, err := pr.MoveTeachIn(ctx, mentor, ti.ID, move)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 3, 17, 10, 30, 0, 0, time.UTC); !v.TeachIn.StartsAt.Equal(want) || v.TeachIn.Length() != time.Hour || v.TeachIn.Revision != 1 {
		t.Errorf("moved to %v for %v, revision %d", v.TeachIn.StartsAt, v.TeachIn.Length(), v.TeachIn.Revision)
	}
	items := owed()
	if got := owedTo(items, mentorbot.OutboxTeachInMoved); !slices.Equal(got, []string{mentee, menteeTwo, menteeThree}) {
		t.Errorf("told of the move: %v", got)
	}
	if got := owedTo(items, mentorbot.OutboxTeachInCalendar); !slices.Equal(got, []string{mentee, menteeTwo, mentor}) {
		t.Errorf("calendar updates to %v", got)
	}
	if _, err := pr.CancelTeachIn(ctx, mentor, ti.ID); err != nil {
		t.Fatal(err)
	}
	items = owed()
	if got := owedTo(items, mentorbot.OutboxTeachInCancelled); !slices.Equal(got, []string{mentee, menteeTwo, menteeThree, mentor}) {
		t.Errorf("told of the cancellation: %v", got)
	}
	if got := owedTo(items, mentorbot.OutboxTeachInCalendarCancel); !slices.Equal(got, []string{mentee, menteeTwo, mentor}) {
		t.Errorf("calendar cancellations to %v", got)
	}
	if _, err := pr.CancelTeachIn(ctx, mentor, ti.ID); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Errorf("cancelling twice: %v", err)
	}
	if _, err := pr.SignUp(ctx, mentee, ti.ID); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Errorf("signing up to a cancelled teach-in: %v", err)
	}
	clock.Set(time.Date(2026, 3, 18, 9, 0, 0, 0, time.UTC))
	if list, err := pr.UpcomingTeachIns(ctx, mentee); err != nil || len(list) != 0 {
		t.Errorf("upcoming after the cancellation: %+v, %v", list, err)
	}
}

func TestTheRemindersAndPulseFollowTheTeachInAndDropWhenStale(t *testing.T) {
	pr, db, clock := teachInWorld(t, mentee, menteeTwo)
	ctx := context.Background()
	ti, err := pr.OfferTeachIn(ctx, mentor, goodOffer())
	if err != nil {
		t.Fatal(err)
	}
	owed := outboxWatch(t, db)
	if _, err := pr.SignUp(ctx, mentee, ti.ID); err != nil {
		t.Fatal(err)
	}
	var reminder, pulse mentorbot.OutboxItem
	for _, item := range owed() {
		switch item.Kind {
		case mentorbot.OutboxTeachInReminder:
			reminder = item
		case mentorbot.OutboxTeachInPulse:
			pulse = item
		}
	}
	if !reminder.DueAt.Equal(ti.StartsAt.Add(-time.Hour)) || !pulse.DueAt.Equal(ti.EndsAt.Add(mentorbot.CheckDelay)) {
		t.Fatalf("reminder due %v, pulse due %v", reminder.DueAt, pulse.DueAt)
	}
	resolve := func(item mentorbot.OutboxItem) string {
		t.Helper()
		_, drop, err := pr.Resolve(ctx, item)
		if err != nil {
			t.Fatal(err)
		}
		return drop
	}
	if drop := resolve(reminder); drop != "" {
		t.Errorf("the reminder is dropped: %s", drop)
	}
	if _, err := pr.AnswerTeachInPulse(ctx, mentee, ti.ID, 4, ""); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Errorf("a pulse answered before the teach-in: %v", err)
	}
	clock.Set(ti.EndsAt.Add(mentorbot.CheckDelay))
	if drop := resolve(reminder); drop != "the teach-in has begun" {
		t.Errorf("a late reminder: %q", drop)
	}
	if drop := resolve(pulse); drop != "" {
		t.Errorf("the pulse is dropped: %s", drop)
	}
	if _, err := pr.AnswerTeachInPulse(ctx, menteeTwo, ti.ID, 4, ""); mentorbot.ErrorCode(err) != mentorbot.EFORBIDDEN {
		t.Errorf("someone without a place answers: %v", err)
	}
	if _, err := pr.AnswerTeachInPulse(ctx, mentee, ti.ID, 9, ""); mentorbot.ErrorCode(err) != mentorbot.EINVALID {
		t.Errorf("a score of 9: %v", err)
	}
	if _, err := pr.AnswerTeachInPulse(ctx, mentee, ti.ID, 4, ""); err != nil {
		t.Fatal(err)
	}
	v, err := pr.AnswerTeachInPulse(ctx, mentee, ti.ID, 0, mentorbot.RecommendYes)
	if err != nil || v.Place.Useful != 4 || v.Place.Recommend != mentorbot.RecommendYes {
		t.Fatalf("the pulse: %+v, %v", v.Place, err)
	}
	if drop := resolve(pulse); drop != "answered already" {
		t.Errorf("an answered pulse: %q", drop)
	}
}

func TestTwoPeopleTakingTheLastPlaceAtOnceGetOneEach(t *testing.T) {
	pr, _, _ := teachInWorld(t, mentee, menteeTwo, menteeThree)
	ctx := context.Background()
	ti, err := pr.OfferTeachIn(ctx, mentor, goodOffer())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pr.SignUp(ctx, mentee, ti.ID); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 2)
	for _, id := range []string{menteeTwo, menteeThree} {
		go func() { _, err := pr.SignUp(ctx, id, ti.ID); errs <- err }()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	v, err := pr.TeachIn(ctx, mentor, ti.ID)
	if err != nil || v.Taken != 2 || v.Waiting != 1 {
		t.Fatalf("after two at once: %d taken, %d waiting, %v", v.Taken, v.Waiting, err)
	}
}

func TestLeavingTheProgrammeGivesUpPlacesAndCancelsWhatTheyHost(t *testing.T) {
	pr, db, _ := teachInWorld(t, mentee, menteeTwo, menteeThree)
	ctx := context.Background()
	ti, err := pr.OfferTeachIn(ctx, mentor, goodOffer())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{mentee, menteeTwo, menteeThree} {
		if _, err := pr.SignUp(ctx, id, ti.ID); err != nil {
			t.Fatal(err)
		}
	}
	owed := outboxWatch(t, db)
	if err := pr.Leave(ctx, mentee); err != nil {
		t.Fatal(err)
	}
	if got := owedTo(owed(), mentorbot.OutboxTeachInMovedUp); !slices.Equal(got, []string{menteeThree}) {
		t.Errorf("moved up when a mentee left: %v", got)
	}
	if err := pr.Forget(ctx, mentor); err != nil {
		t.Fatal(err)
	}
	if got := owedTo(owed(), mentorbot.OutboxTeachInCancelled); !slices.Equal(got, []string{menteeTwo, menteeThree}) {
		t.Errorf("told of the cancellation when the host left: %v", got)
	}
	stored, err := db.TeachIn(ctx, ti.ID)
	if err != nil || stored.State != mentorbot.TeachInCancelled || !mentorbot.Erased(stored.HostID) || stored.JoinHow != "" || stored.Description != "" {
		t.Errorf("the erased host's teach-in: %+v, %v", stored, err)
	}
}

func TestOnlyPeopleTakingPartBrowseAndSignUp(t *testing.T) {
	pr, _, _ := teachInWorld(t, mentee)
	ctx := context.Background()
	ti, err := pr.OfferTeachIn(ctx, mentor, goodOffer())
	if err != nil {
		t.Fatal(err)
	}
	const applicant = "UAPPLICANT"
	mustJoin(t, pr, applicant, mentorbot.RoleMentor)
	if _, err := pr.SignUp(ctx, applicant, ti.ID); !strings.Contains(mentorbot.ErrorMessage(err), "once HR has approved") {
		t.Errorf("an applicant signs up: %v", err)
	}
	if err := pr.Leave(ctx, mentee); err != nil {
		t.Fatal(err)
	}
	if _, err := pr.UpcomingTeachIns(ctx, mentee); !strings.Contains(mentorbot.ErrorMessage(err), "to take part again") {
		t.Errorf("someone who left browses: %v", err)
	}
	if _, err := pr.UpcomingTeachIns(ctx, "UNOBODY"); mentorbot.ErrorCode(err) != mentorbot.ENOTFOUND {
		t.Errorf("someone who never joined browses: %v", err)
	}
	if list, err := pr.UpcomingTeachIns(ctx, mentor); err != nil || len(list) != 1 || !list[0].Hosting(mentor) {
		t.Errorf("the host browses: %+v, %v", list, err)
	}
}
