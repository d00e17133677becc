package mentorbot_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/store"
)

// startPair opens a cycle and makes Ana and Xi a pair through a published
// round, both accepting: both are free on Tuesday mornings in London.
func startPair(t *testing.T, pr *mentorbot.Programme, db *store.DB) mentorbot.Pair {
	t.Helper()
	ctx := context.Background()
	openCycle(t, pr, "Spring 2026")
	seed(t, db, "UANA", mentorbot.RoleMentor, nil)
	seed(t, db, "UXI", mentorbot.RoleMentee, nil)
	p := publishRound(t, pr).Pairs[0]
	for _, who := range []string{"UANA", "UXI"} {
		if _, err := pr.AcceptPair(ctx, who, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	p, err := db.Pair(ctx, p.ID)
	if err != nil || p.State != mentorbot.PairActive {
		t.Fatalf("pair %+v, %v: want active", p, err)
	}
	return p
}

// owed lists the pair's outbox as kind>reader, pending ones only.
func owed(t *testing.T, db *store.DB, pairID int64) []string {
	t.Helper()
	items, err := db.OutboxOf(context.Background(), pairID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		if it.State == mentorbot.OutboxPending {
			out = append(out, string(it.Kind)+">"+it.To)
		}
	}
	return out
}

// agree has both people confirm the best time.
func agree(t *testing.T, pr *mentorbot.Programme, p mentorbot.Pair) mentorbot.Pair {
	t.Helper()
	for _, who := range []string{"UANA", "UXI"} {
		if _, err := pr.PickSlot(context.Background(), who, p.ID, mentorbot.SlotChoice{Option: 0}); err != nil {
			t.Fatal(err)
		}
	}
	p, err := pr.Store.Pair(context.Background(), p.ID)
	if err != nil || p.Slot == nil {
		t.Fatalf("pair %+v, %v: want an agreed slot", p, err)
	}
	return p
}

func TestANewPairIsOfferedTimesAndAgreesOne(t *testing.T) {
	pr, db, _ := programme(t)
	ctx := context.Background()
	p := startPair(t, pr, db)

	// Both are free Tue 10-12: 10:30 leaves room either side.
	if got := p.SlotOffer.Options; len(got) != 3 || got[0].Weekday != time.Tuesday || got[0].Minute != 630 || got[1].Minute != 600 || got[2].Minute != 660 {
		t.Fatalf("options %v, want Tuesday 10:30, 10:00, 11:00", got)
	}
	if got := owed(t, db, p.ID); !slices.Equal(got, []string{"proposed>UANA", "proposed>UXI", "pair_started>UANA", "slot_proposed>UANA", "slot_proposed>UXI"}) {
		t.Fatalf("owed %v, want the introductions, the pair's greeting and the offer to both", got)
	}

	// Ana prefers 10:00: Xi is asked to confirm it.
	a, err := pr.PickSlot(ctx, "UANA", p.ID, mentorbot.SlotChoice{Option: 1})
	if err != nil || a.Agreed {
		t.Fatalf("first pick: %+v, %v", a, err)
	}
	if got := owed(t, db, p.ID); !slices.Contains(got, "slot_counter>UXI") {
		t.Fatalf("owed %v, want Xi asked about 10:00", got)
	}
	// Xi suggests Tuesday 10:45 in her own words instead: Ana is asked.
	a, err = pr.PickSlot(ctx, "UXI", p.ID, mentorbot.SlotChoice{Option: -1, Day: "Tuesday", Time: "10:45"})
	if err != nil || a.Agreed || len(a.Pair.SlotOffer.Options) != 4 {
		t.Fatalf("own time: %+v, %v", a, err)
	}
	if got := owed(t, db, p.ID); !slices.Contains(got, "slot_counter>UANA") {
		t.Fatalf("owed %v, want Ana asked about 10:45", got)
	}
	// Ana takes it: agreed, from the first Tuesday a day or more away.
	a, err = pr.PickSlot(ctx, "UANA", p.ID, mentorbot.SlotChoice{Option: 3})
	if err != nil || !a.Agreed {
		t.Fatalf("agreeing: %+v, %v", a, err)
	}
	slot := a.Pair.Slot
	if slot.Minute != 645 || slot.Zone != "Europe/London" || !slot.From.Equal(time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("slot %v, want Tuesdays 10:45 London from 3 Mar", slot)
	}
	got := owed(t, db, p.ID)
	for _, want := range []string{"invite>UANA", "invite>UXI"} {
		if !slices.Contains(got, want) {
			t.Errorf("owed %v, missing %s", got, want)
		}
	}
	// Picking again once agreed changes nothing.
	if again, err := pr.PickSlot(ctx, "UXI", p.ID, mentorbot.SlotChoice{Option: 0}); err != nil || !again.Agreed || again.Pair.Slot.Minute != 645 {
		t.Errorf("picking after agreement: %+v, %v", again, err)
	}
}

func TestSlotFormRefusesAMissingDayOrTime(t *testing.T) {
	pr, db, _ := programme(t)
	p := startPair(t, pr, db)
	for _, tc := range []struct {
		choice mentorbot.SlotChoice
		field  string
	}{
		{mentorbot.SlotChoice{Option: -1, Time: "10:00"}, mentorbot.FieldSlotDay},
		{mentorbot.SlotChoice{Option: -1, Day: "Tuesday"}, mentorbot.FieldSlotTime},
		{mentorbot.SlotChoice{Option: -1, Day: "Tuesday", Time: "25:00"}, mentorbot.FieldSlotTime},
	} {
		_, err := pr.PickSlot(context.Background(), "UXI", p.ID, tc.choice)
		if fe := mentorbot.ErrorFields(err); fe[tc.field] == "" {
			t.Errorf("%+v: error %v, want one on %s", tc.choice, err, tc.field)
		}
	}
	if _, err := pr.PickSlot(context.Background(), "UXI", p.ID, mentorbot.SlotChoice{Option: 7}); mentorbot.ErrorCode(err) != mentorbot.EINVALID {
		t.Errorf("an option not offered: %v, want EINVALID", err)
	}
	if _, err := pr.PickSlot(context.Background(), "UNOBODY", p.ID, mentorbot.SlotChoice{Option: 0}); mentorbot.ErrorCode(err) != mentorbot.EFORBIDDEN {
		t.Errorf("someone else's pair: %v, want EFORBIDDEN", err)
	}
}

// resolve plans sessions and works out every due message, as a tick
// would, and returns kind>reader for those that would go and why the rest
// drop.
func resolve(t *testing.T, pr *mentorbot.Programme) (sent, dropped []string) {
	t.Helper()
	ctx := context.Background()
	if err := pr.PlanSessions(ctx); err != nil {
		t.Fatal(err)
	}
	items, err := pr.Store.DueOutbox(ctx, pr.Clock.Now(), mentorbot.OutboxCursor{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		_, drop, err := pr.Resolve(ctx, it)
		if err != nil {
			t.Fatal(err)
		}
		label := string(it.Kind) + ">" + it.To
		if it.Kind == mentorbot.OutboxNudge {
			label += "@" + it.Lead.String()
		}
		if drop != "" {
			dropped = append(dropped, label+": "+drop)
			err = pr.Dropped(ctx, it, drop)
		} else {
			sent = append(sent, label)
			err = pr.Sent(ctx, it, mentorbot.Receipt{})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return sent, dropped
}

func TestRemindersFollowTheClockAndCatchUpAfterDowntime(t *testing.T) {
	pr, db, clock := programme(t)
	ctx := context.Background()
	p := agree(t, pr, startPair(t, pr, db))
	resolve(t, pr) // the offers and invites

	// Mon 2 Mar 10:30: the day-ahead nudge for Tue 3 Mar 10:30.
	clock.Set(time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC))
	if sent, _ := resolve(t, pr); !slices.Equal(sent, []string{"nudge>UXI@24h0m0s", "nudge>UANA@24h0m0s"}) {
		t.Fatalf("a day ahead sent %v", sent)
	}
	// 09:29 on the day: nothing; 09:30: the hour-ahead nudge.
	clock.Set(time.Date(2026, 3, 3, 9, 29, 0, 0, time.UTC))
	if sent, _ := resolve(t, pr); len(sent) != 0 {
		t.Fatalf("a minute early sent %v", sent)
	}
	clock.Set(time.Date(2026, 3, 3, 9, 30, 0, 0, time.UTC))
	if sent, _ := resolve(t, pr); len(sent) != 2 {
		t.Fatalf("an hour ahead sent %v", sent)
	}

	// The bot is down from Tuesday 09:30 until Tuesday 17 Mar 10:00, past
	// the first session's check and both of the next session's reminder
	// times (fortnightly, 17 Mar 10:30).
	clock.Set(time.Date(2026, 3, 17, 10, 0, 0, 0, time.UTC))
	if err := pr.PlanSessions(ctx); err != nil { // twice is harmless
		t.Fatal(err)
	}
	sent, dropped := resolve(t, pr)
	// 3 Mar's check goes late; 17 Mar is still ahead, so only its
	// hour-ahead nudge goes, the day-ahead one being replaced by it.
	wantSent := []string{"check>UXI", "check>UANA", "nudge>UXI@1h0m0s", "nudge>UANA@1h0m0s"}
	slices.Sort(sent)
	slices.Sort(wantSent)
	if !slices.Equal(sent, wantSent) {
		t.Errorf("after downtime sent %v, want %v", sent, wantSent)
	}
	if len(dropped) != 2 || !strings.Contains(dropped[0], "later reminder") {
		t.Errorf("after downtime dropped %v, want the two day-ahead nudges, replaced", dropped)
	}
	// Much later: the 17 Mar session passed unreminded further; its nudges
	// are gone already and its check goes.
	clock.Set(time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC))
	if err := pr.PlanSessions(ctx); err != nil {
		t.Fatal(err)
	}
	sent, dropped = resolve(t, pr)
	if !slices.Contains(sent, "check>UXI") || slices.ContainsFunc(sent, func(s string) bool { return strings.HasPrefix(s, "nudge") }) {
		t.Errorf("sessions passed in downtime: sent %v, dropped %v; want checks only", sent, dropped)
	}
	if slices.ContainsFunc(dropped, func(s string) bool { return !strings.Contains(s, "begun") }) {
		t.Errorf("dropped %v: want only nudges for sessions that began", dropped)
	}
	sessions, _ := db.SessionsOf(ctx, p.ID)
	if len(sessions) != 3 {
		t.Errorf("%d sessions planned, want 3 (3, 17 and 31 Mar)", len(sessions))
	}
}

func TestMovingASessionTellsThePartnerAndRemindsAtTheNewTime(t *testing.T) {
	pr, db, clock := programme(t)
	ctx := context.Background()
	p := agree(t, pr, startPair(t, pr, db))
	clock.Set(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) // the first session is planned
	resolve(t, pr)
	first := time.Date(2026, 3, 3, 10, 30, 0, 0, time.UTC)

	for _, tc := range []struct {
		name  string
		form  mentorbot.MoveForm
		field string
	}{
		{"no day", mentorbot.MoveForm{Time: "14:00"}, mentorbot.FieldMoveDate},
		{"no time", mentorbot.MoveForm{Date: "2026-03-04"}, mentorbot.FieldMoveTime},
		{"past", mentorbot.MoveForm{Date: "2026-03-01", Time: "14:00"}, mentorbot.FieldMoveDate},
		{"same time", mentorbot.MoveForm{Date: "2026-03-03", Time: "10:30"}, mentorbot.FieldMoveTime},
		{"after the cycle", mentorbot.MoveForm{Date: "2027-03-03", Time: "10:00"}, mentorbot.FieldMoveDate},
	} {
		_, err := pr.MoveSession(ctx, "UXI", p.ID, first, tc.form)
		if mentorbot.ErrorFields(err)[tc.field] == "" {
			t.Errorf("%s: %v, want an error on %s", tc.name, err, tc.field)
		}
	}

	// Xi moves it to Wednesday 15:00 her time (London).
	v, err := pr.MoveSession(ctx, "UXI", p.ID, first, mentorbot.MoveForm{Date: "2026-03-04", Time: "15:00"})
	if err != nil {
		t.Fatal(err)
	}
	if s := v.Session; !s.StartsAt.Equal(time.Date(2026, 3, 4, 15, 0, 0, 0, time.UTC)) || s.Revision != 1 || s.MovedBy != "UXI" {
		t.Fatalf("moved session %+v", s)
	}
	if p, _ := db.Pair(ctx, p.ID); p.CalendarSequence != 1 {
		t.Errorf("calendar sequence %d, want 1", p.CalendarSequence)
	}
	sent, _ := resolve(t, pr)
	if !slices.Contains(sent, "session_moved>UANA") || slices.Contains(sent, "session_moved>UXI") || !slices.Contains(sent, "invite>UANA") {
		t.Errorf("after the move sent %v; want Ana told and both invites updated", sent)
	}
	// Tuesday's reminders are not sent; Wednesday's are.
	clock.Set(time.Date(2026, 3, 3, 9, 30, 0, 0, time.UTC))
	if sent, dropped := resolve(t, pr); len(sent) != 0 || len(dropped) != 4 {
		t.Errorf("at the old time sent %v, dropped %v; want the old reminders dropped", sent, dropped)
	}
	clock.Set(time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC))
	if sent, _ := resolve(t, pr); len(sent) != 2 {
		t.Errorf("a day before the new time sent %v", sent)
	}
	clock.Set(time.Date(2026, 3, 4, 14, 0, 0, 0, time.UTC))
	if sent, _ := resolve(t, pr); len(sent) != 2 {
		t.Errorf("an hour before the new time sent %v", sent)
	}
	clock.Set(time.Date(2026, 3, 4, 17, 0, 0, 0, time.UTC))
	if sent, _ := resolve(t, pr); !slices.Equal(sent, []string{"check>UXI", "check>UANA"}) {
		t.Errorf("after the new time sent %v, want both checks", sent)
	}
}

func TestSkippingKeepsTheReasonPrivateAndStopsReminders(t *testing.T) {
	pr, db, clock := programme(t)
	ctx := context.Background()
	p := agree(t, pr, startPair(t, pr, db))
	first := time.Date(2026, 3, 3, 10, 30, 0, 0, time.UTC)
	clock.Set(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	resolve(t, pr)

	if _, err := pr.SkipSession(ctx, "UXI", p.ID, first, strings.Repeat("x", mentorbot.MaxSkipReasonChars+1)); mentorbot.ErrorFields(err)[mentorbot.FieldSkipReason] == "" {
		t.Errorf("a long reason: %v", err)
	}
	v, err := pr.SkipSession(ctx, "UXI", p.ID, first, "Board meeting")
	if err != nil || v.Session.State != mentorbot.SessionSkipped || v.Session.SkipReason != "Board meeting" {
		t.Fatalf("skip: %+v, %v", v, err)
	}
	d, drop, err := pr.Resolve(ctx, pendingOf(t, db, p.ID, mentorbot.OutboxSessionSkipped))
	if err != nil || drop != "" || d.Reader.ID != "UANA" || !d.Next.Equal(time.Date(2026, 3, 17, 10, 30, 0, 0, time.UTC)) {
		t.Fatalf("the partner's notice: %+v, %q, %v", d, drop, err)
	}
	resolve(t, pr)
	clock.Set(time.Date(2026, 3, 3, 13, 0, 0, 0, time.UTC))
	if sent, _ := resolve(t, pr); len(sent) != 0 {
		t.Errorf("a skipped session still sent %v", sent)
	}
	if _, err := pr.MoveSession(ctx, "UANA", p.ID, first, mentorbot.MoveForm{Date: "2026-03-05", Time: "10:00"}); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Errorf("moving a skipped session: %v, want ECONFLICT", err)
	}
}

func pendingOf(t *testing.T, db *store.DB, pairID int64, kind mentorbot.OutboxKind) mentorbot.OutboxItem {
	t.Helper()
	items, _ := db.OutboxOf(context.Background(), pairID)
	for _, it := range items {
		if it.Kind == kind && it.State == mentorbot.OutboxPending {
			return it
		}
	}
	t.Fatalf("no pending %s", kind)
	return mentorbot.OutboxItem{}
}

func TestDidItHappenKeepsBothAnswers(t *testing.T) {
	pr, db, clock := programme(t)
	ctx := context.Background()
	p := agree(t, pr, startPair(t, pr, db))
	first := time.Date(2026, 3, 3, 10, 30, 0, 0, time.UTC)
	clock.Set(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	resolve(t, pr)

	if _, err := pr.AnswerHeld(ctx, "UXI", p.ID, first, mentorbot.HeldYes); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
		t.Errorf("answering before the session: %v, want ECONFLICT", err)
	}
	clock.Set(time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC))
	if _, err := pr.AnswerHeld(ctx, "UXI", p.ID, first, "maybe"); mentorbot.ErrorCode(err) != mentorbot.EINVALID {
		t.Errorf("an answer not offered: %v, want EINVALID", err)
	}
	for _, tc := range []struct {
		who  string
		held mentorbot.Held
		want mentorbot.Outcome
	}{
		{"UXI", mentorbot.HeldYes, mentorbot.OutcomeHeld},
		{"UANA", mentorbot.HeldNo, mentorbot.OutcomeDisputed},
		{"UANA", mentorbot.HeldYes, mentorbot.OutcomeHeld},
	} {
		v, err := pr.AnswerHeld(ctx, tc.who, p.ID, first, tc.held)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.Session.Outcome(); got != tc.want {
			t.Errorf("%s says %s: outcome %s, want %s", tc.who, tc.held, got, tc.want)
		}
	}
	s, _ := db.Session(ctx, p.ID, first)
	if s.MentorHeld != mentorbot.HeldYes || s.MenteeHeld != mentorbot.HeldYes || s.MentorHeldAt.IsZero() {
		t.Errorf("stored %+v", s)
	}
}

func TestLeavingCancelsTheCalendar(t *testing.T) {
	pr, db, _ := programme(t)
	ctx := context.Background()
	p := agree(t, pr, startPair(t, pr, db))
	resolve(t, pr)
	if err := pr.Leave(ctx, "UANA"); err != nil {
		t.Fatal(err)
	}
	sent, dropped := resolve(t, pr)
	if !slices.Contains(sent, "invite_cancel>UXI") || !slices.Contains(sent, "invite_cancel>UANA") {
		t.Errorf("after leaving sent %v, dropped %v; want both calendars cancelled", sent, dropped)
	}
	if slices.ContainsFunc(sent, func(s string) bool { return strings.HasPrefix(s, "nudge") }) {
		t.Errorf("reminders went after the pair ended: %v", sent)
	}
	if p, _ := db.Pair(ctx, p.ID); p.CalendarSequence != 1 {
		t.Errorf("calendar sequence %d, want 1", p.CalendarSequence)
	}
}

func TestForgettingStillCancelsThePartnersCalendar(t *testing.T) {
	pr, db, _ := programme(t)
	ctx := context.Background()
	p := agree(t, pr, startPair(t, pr, db))
	resolve(t, pr)
	if err := pr.Forget(ctx, "UANA"); err != nil {
		t.Fatal(err)
	}
	due, err := pr.Store.DueOutbox(ctx, pr.Clock.Now(), mentorbot.OutboxCursor{}, 100)
	if got := kinds(due); err != nil || !slices.Equal(got, []string{"invite_cancel>UXI", "partner_left>UXI"}) {
		t.Fatalf("due after forget-me: %v, %v; want only the partner's cancellation and word that their partner left", got, err)
	}
	// What the partner is owed goes without the erased profile: their
	// partner is only the token.
	for _, item := range due {
		d, drop, err := pr.Resolve(ctx, item)
		if err != nil || drop != "" || !mentorbot.Erased(d.Partner.ID) || d.Pair.MentorID != d.Partner.ID {
			t.Fatalf("the partner's %s resolves to partner %q, drop %q, %v; want it to go, naming only the token", item.Kind, d.Partner.ID, drop, err)
		}
	}
	// One of theirs read just before the erasure drops.
	items, err := db.OutboxOf(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(items, func(it mentorbot.OutboxItem) bool {
		return it.Kind == mentorbot.OutboxInviteCancel && it.State == mentorbot.OutboxDropped
	})
	if i < 0 {
		t.Fatalf("no cancellation of theirs dropped: %+v", items)
	}
	read := items[i]
	read.To, read.State = "UANA", mentorbot.OutboxPending
	if _, drop, err := pr.Resolve(ctx, read); err != nil || drop != "the reader erased their data" {
		t.Errorf("their own cancellation, read before the erasure: drop %q, %v", drop, err)
	}
}
