package mentorbot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// slotOptions is how many times a pair is offered: the best and two others.
const slotOptions = 3

// slotStep is the grid slots start on.
const slotStep = 15

// minSlotNotice is how far ahead a newly agreed slot's first session is at
// least, so it never starts before either person has seen it in their
// calendar.
const minSlotNotice = 24 * time.Hour

// Names of the slot form's fields, used as keys of FieldErrors.
const (
	FieldSlotOption = "slot_option"
	FieldSlotDay    = "slot_day"
	FieldSlotTime   = "slot_time"
)

// proposeSlots finds the best regular times for a pair, best first: times
// both are free for every session of the cycle, in the senior's time zone,
// and clear of busy (what their calendars hold), preferring round hours,
// the middle of the week and the working day, and each on a different day
// when it can.
func proposeSlots(senior, mentor Participant, cycle Cycle, now time.Time, busy []Interval) []Slot {
	base := Slot{Length: cycle.SessionLength, Zone: senior.TimeZone, Cadence: cycle.Cadence, Until: cycle.EndsOn}
	loc := base.Location()
	start := now.Add(minSlotNotice)
	if first := time.Date(cycle.StartsOn.Year(), cycle.StartsOn.Month(), cycle.StartsOn.Day(), 0, 0, 0, 0, loc); first.After(start) {
		start = first
	}
	length := int(cycle.SessionLength / time.Minute)

	type candidate struct {
		slot  Slot
		score int
	}
	var candidates []candidate
	for _, w := range senior.Availability {
		for m := ceilTo(w.Start, slotStep); m+length <= w.End; m += slotStep {
			s := base
			s.Weekday, s.Minute = w.Day, m
			s = s.StartingFrom(start)
			sessions := s.Sessions(s.From.Add(-time.Hour), s.Until.AddDate(0, 0, 1))
			if len(sessions) == 0 || !allFree(sessions, s.Length, senior, mentor) || clashes(sessions, s.Length, busy) {
				continue
			}
			candidates = append(candidates, candidate{s, slotAppeal(s, sessions[0], senior, mentor)})
		}
	}
	slices.SortStableFunc(candidates, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.score, a.score), a.slot.From.Compare(b.slot.From), cmp.Compare(a.slot.Minute, b.slot.Minute))
	})

	var picked []Slot
	// First one per day, then, if days run out, other times half an hour apart.
	for _, pass := range []func(Slot) bool{
		func(s Slot) bool {
			return !slices.ContainsFunc(picked, func(p Slot) bool { return p.Weekday == s.Weekday })
		},
		func(s Slot) bool {
			return !slices.ContainsFunc(picked, func(p Slot) bool { return p.Weekday == s.Weekday && abs(p.Minute-s.Minute) < 30 })
		},
	} {
		for _, c := range candidates {
			if len(picked) < slotOptions && pass(c.slot) {
				picked = append(picked, c.slot)
			}
		}
	}
	return picked
}

// allFree reports whether both people are free for every session.
func allFree(sessions []time.Time, length time.Duration, people ...Participant) bool {
	for _, start := range sessions {
		for _, p := range people {
			if !freeAt(p, start, length) {
				return false
			}
		}
	}
	return true
}

// clashes reports whether any session overlaps a busy time.
func clashes(sessions []time.Time, length time.Duration, busy []Interval) bool {
	for _, start := range sessions {
		session := Interval{start, start.Add(length)}
		if slices.ContainsFunc(busy, session.Overlaps) {
			return true
		}
	}
	return false
}

// freeAt reports whether a session from start fits one of the person's
// windows, read in their own time zone on that date.
func freeAt(p Participant, start time.Time, length time.Duration) bool {
	local := start.In(Zone(p.TimeZone))
	from := local.Hour()*60 + local.Minute()
	to := from + int(length/time.Minute)
	return slices.ContainsFunc(p.Availability, func(w Window) bool {
		return w.Day == local.Weekday() && w.Start <= from && to <= w.End
	})
}

// slotAppeal scores how pleasant a time is for both: a round hour, the
// middle of the week, inside both working days, with room either side.
func slotAppeal(s Slot, first time.Time, people ...Participant) int {
	score := 0
	switch {
	case s.Minute%60 == 0:
		score += 3
	case s.Minute%30 == 0:
		score += 2
	}
	if s.Weekday >= time.Tuesday && s.Weekday <= time.Thursday {
		score += 2
	}
	end := first.Add(s.Length)
	for _, p := range people {
		from, to := first.In(Zone(p.TimeZone)), end.In(Zone(p.TimeZone))
		if from.Hour() >= 9 && (to.Hour() < 17 || to.Hour() == 17 && to.Minute() == 0) && from.Day() == to.Day() {
			score += 2
		}
		// Not back to back with the edge of someone's free time.
		if freeAt(p, first.Add(-15*time.Minute), s.Length+30*time.Minute) {
			score++
		}
	}
	return score
}

func ceilTo(m, step int) int { return (m + step - 1) / step * step }

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// offerSlots puts the best times on a pair that just started and owes both
// people the offer. With a calendar service, the times are also free in
// both calendars over the cycle's first weeks, and the offer says so.
func (pr *Programme) offerSlots(ctx context.Context, p *Pair, mentor, mentee Participant, cycle *Cycle, c *Change) {
	busy, checked := pr.busyOf(ctx, []string{mentee.ID, mentor.ID}, pr.now(), pr.now().AddDate(0, 0, 7*FreeBusyWeeks))
	p.SlotOffer = SlotOffer{Options: proposeSlots(mentee, mentor, *cycle, pr.now(), slices.Concat(busy[mentee.ID], busy[mentor.ID]))}
	if checked {
		p.SlotOffer.FreeBusy = pr.Calendar.Name()
	}
	for _, who := range []string{p.MentorID, p.MenteeID} {
		c.Outbox = append(c.Outbox, slotItem(OutboxSlotProposed, who, *p, 0, pr.now()))
	}
}

// SlotChoice is what a person picked in the slot form: one of the times
// offered, or a day and time of their own, in their own time zone.
type SlotChoice struct {
	Option int    // an index into the pair's SlotOffer.Options; -1 for their own time
	Day    string // a weekday name, for their own time
	Time   string // "HH:MM", for their own time
}

// SlotAnswer is what picking a slot came to.
type SlotAnswer struct {
	Pair   Pair
	Agreed bool // both picked the same time: the slot is set
}

// PickSlot records the time a person picked for their pair. When it is the
// time their partner picked, the slot is agreed: both get the calendar
// invite and sessions are planned; otherwise the partner is asked.
func (pr *Programme) PickSlot(ctx context.Context, id string, pairID int64, choice SlotChoice) (SlotAnswer, error) {
	for attempt := 1; ; attempt++ {
		p, err := pr.pairFor(ctx, id, pairID)
		if err != nil {
			return SlotAnswer{}, err
		}
		if p.State != PairActive {
			return SlotAnswer{}, Errorf(ECONFLICT, "This pair isn't meeting any more, so there's no time to agree.")
		}
		if p.Slot != nil {
			return SlotAnswer{Pair: p, Agreed: true}, nil
		}
		person, err := pr.Store.Participant(ctx, id)
		if err != nil {
			return SlotAnswer{}, err
		}
		base, err := pr.slotBase(ctx, p)
		if err != nil {
			return SlotAnswer{}, err
		}
		index, err := choice.option(&p.SlotOffer, person.TimeZone, base, pr.now())
		if err != nil {
			return SlotAnswer{}, err
		}
		c, agreed, err := pr.pickSlot(ctx, &p, id, index)
		if err != nil {
			return SlotAnswer{}, err
		}
		err = pr.apply(ctx, c)
		if ErrorCode(err) == ECONFLICT && attempt < maxAnswerAttempts {
			continue
		}
		if err != nil {
			return SlotAnswer{}, fmt.Errorf("save slot: %w", err)
		}
		return SlotAnswer{Pair: c.Pairs[0], Agreed: agreed}, nil
	}
}

// option finds the picked time among those offered, adding a time of the
// person's own when it is new.
func (sc SlotChoice) option(offer *SlotOffer, tz string, base Slot, now time.Time) (int, error) {
	if sc.Option >= 0 {
		if sc.Option >= len(offer.Options) {
			return 0, Errorf(EINVALID, "That time is no longer on offer. Pick one of the times shown.")
		}
		return sc.Option, nil
	}
	errs := FieldErrors{}
	day, ok := parseDay(strings.ToLower(strings.TrimSpace(sc.Day)))
	if !ok {
		errs.Add(FieldSlotDay, "Pick the day of the week you'd like to meet.")
	}
	clock, err := parseClock(strings.TrimSpace(sc.Time))
	if sc.Time == "" || err != nil || clock.minutes() >= 24*60 {
		errs.Add(FieldSlotTime, "Pick the time you'd like to start, like 10:00.")
	}
	if err := errs.Err(); err != nil {
		return 0, err
	}
	// The time is in the picker's zone; the slot keeps the senior's.
	picked := Slot{Weekday: day, Minute: clock.minutes(), Zone: tz, Cadence: CadenceWeekly, Until: now.AddDate(1, 0, 0)}.StartingFrom(now)
	first, _ := picked.Session(0)
	if local := first.In(picked.Location()); local.Weekday() != day || local.Hour()*60+local.Minute() != clock.minutes() {
		// The clocks skip that time on the first day; a week on they don't.
		first, _ = picked.Session(1)
	}
	local := first.In(base.Location())
	own := base
	own.Weekday, own.Minute = local.Weekday(), local.Hour()*60+local.Minute()
	own = own.StartingFrom(now)
	if i := slices.IndexFunc(offer.Options, own.Same); i >= 0 {
		return i, nil
	}
	offer.Options = append(offer.Options, own)
	return len(offer.Options) - 1, nil
}

// slotBase is what every slot of the pair shares: the cycle's cadence,
// length and end, in the senior's time zone.
func (pr *Programme) slotBase(ctx context.Context, p Pair) (Slot, error) {
	cycle, err := pr.requireCycle(ctx)
	if err != nil {
		return Slot{}, err
	}
	senior, err := pr.Store.Participant(ctx, p.MenteeID)
	if err != nil {
		return Slot{}, err
	}
	return Slot{Length: cycle.SessionLength, Zone: senior.TimeZone, Cadence: cycle.Cadence, Until: cycle.EndsOn}, nil
}

// pickSlot records the pick; when both picked the same time it agrees the
// slot, owes both the invite and plans the first sessions.
func (pr *Programme) pickSlot(ctx context.Context, p *Pair, id string, index int) (Change, bool, error) {
	now := pr.now()
	pick := index + 1
	if id == p.MentorID {
		p.SlotOffer.MentorPick = pick
	} else {
		p.SlotOffer.MenteePick = pick
	}
	c := Change{}
	partner := p.Partner(id)
	partnerPick := p.SlotOffer.MenteePick
	if partner == p.MentorID {
		partnerPick = p.SlotOffer.MentorPick
	}
	if partnerPick != pick {
		c.Pairs = []Pair{*p}
		// The partner was offered the best time at first; any other time
		// is theirs to confirm. Each time asked about is its own message.
		if partnerPick != 0 || index != 0 {
			c.Outbox = append(c.Outbox, slotItem(OutboxSlotCounter, partner, *p, pick, now))
		}
		return c, false, nil
	}
	slot := p.SlotOffer.Options[index].StartingFrom(now.Add(minSlotNotice))
	p.Slot = &slot
	c.Pairs = []Pair{*p}
	c.Outbox = append(c.Outbox, pr.calendarItems(OutboxInvite, *p, now)...)
	pr.plan(*p, slot.From.Add(-time.Hour), now, &c)
	return c, true, nil
}
