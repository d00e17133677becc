package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// ownTime is the slot form's choice for a day and time of one's own.
const ownTime = "own"

// zoneName names a time zone the way people say it: "New York".
func zoneName(zone string) string {
	_, city, ok := strings.Cut(zone, "/")
	if !ok {
		return zone
	}
	if i := strings.LastIndex(city, "/"); i >= 0 {
		city = city[i+1:]
	}
	return strings.ReplaceAll(city, "_", " ")
}

// clockSpan is "10:00–11:00" in a zone.
func clockSpan(start time.Time, length time.Duration, zone string) string {
	loc := mentorbot.Zone(zone)
	return start.In(loc).Format("15:04") + "–" + start.Add(length).In(loc).Format("15:04")
}

// repeatText says how a slot repeats in the reader's calendar: "every
// Tuesday", "the last Friday of each month".
func repeatText(r mentorbot.SlotReading) string {
	day := r.Weekday.String()
	switch r.Cadence {
	case mentorbot.CadenceFortnightly:
		return "every other " + day
	case mentorbot.CadenceMonthly:
		if r.Ordinal == 0 {
			return "once a month on a " + day
		}
		ordinal := map[int]string{1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}[r.Ordinal]
		return fmt.Sprintf("the %s %s of each month", ordinal, day)
	}
	return "every " + day
}

// slotWords say a slot in the reader's calendar: the regular time ("every
// Tuesday, 13:00–13:45 your time"), short enough for a radio option; the
// senior's hours when the reader's zone differs ("09:00–09:45"); and
// notes: the dates when no rule names the day, and how the reader's hour
// moves when either side changes its clocks.
func slotWords(s mentorbot.Slot, readerZone string) (regular, senior string, notes []string) {
	r := s.ReadIn(readerZone)
	regular = repeatText(r) + ", " + clockSpan(r.Start, r.Length, readerZone)
	if readerZone == s.Zone {
		return regular, "", nil
	}
	regular += " your time"
	senior = clockSpan(r.Start, r.Length, s.Zone)
	if len(r.Dates) > 0 {
		var dates []string
		for _, d := range r.Dates {
			dates = append(dates, d.Format("2 Jan"))
		}
		notes = append(notes, "first on "+strings.Join(dates, ", "))
	}
	if len(r.Shifts) > 0 {
		var shifts []string
		for _, t := range r.Shifts {
			at := t.Format("15:04")
			if t.Weekday() != r.Weekday {
				at = t.Format("Mon 15:04")
			}
			shifts = append(shifts, at+" from "+t.Format("2 Jan"))
		}
		notes = append(notes, "clocks change: "+strings.Join(shifts, ", "))
	}
	return regular, senior, notes
}

// slotText says a slot in the reader's calendar, and in the slot's own
// zone when that differs: "every Tuesday, 15:00–16:00 your time
// (10:00–11:00 New York time)".
func slotText(s mentorbot.Slot, readerZone string) string {
	regular, senior, notes := slotWords(s, readerZone)
	if senior == "" {
		return regular
	}
	return strings.Join(append([]string{regular + " (" + senior + " " + zoneName(s.Zone) + " time)"}, notes...), "; ")
}

// slotDescription is what goes under a slot's radio option: the senior's
// hours and the notes, compact enough for Slack's 75 characters.
func slotDescription(s mentorbot.Slot, readerZone string) string {
	_, senior, notes := slotWords(s, readerZone)
	if senior == "" {
		return ""
	}
	return strings.Join(append([]string{zoneName(s.Zone) + " " + senior}, notes...), " · ")
}

// sessionWhen is "Tue 1 Dec, 10:00–11:00" in the reader's zone.
func sessionWhen(s mentorbot.Session, zone string) string {
	return s.StartsAt.In(mentorbot.Zone(zone)).Format("Mon 2 Jan") + ", " + clockSpan(s.StartsAt, s.EndsAt.Sub(s.StartsAt), zone)
}

// slotOfferMessage offers a new pair its best regular time.
func slotOfferMessage(d mentorbot.Delivery) message {
	p, zone := d.Pair, d.Reader.TimeZone
	partner := mention(d.Partner.ID)
	if len(p.SlotOffer.Options) == 0 {
		text := fmt.Sprintf("When will you and %s meet?", partner)
		free := "you're both free every week"
		if p.SlotOffer.FreeBusy != "" {
			free = fmt.Sprintf("you're both free every week that %s also shows free in both your calendars for the first %d weeks", typed(p.SlotOffer.FreeBusy), mentorbot.FreeBusyWeeks)
		}
		return message{text: text, blocks: []slack.Block{
			paragraph("*" + text + "*\nmentorbot couldn't find a time " + free + ". Pick one that suits you both; " + partner + " will be asked to confirm it."),
			buttons("slot_"+strconv.FormatInt(p.ID, 10), valueButton(actionPickSlot, "Pick a time", slotValue(p.ID, -1)).WithStyle(slack.StylePrimary)),
		}}
	}
	best := p.SlotOffer.Options[0]
	length := int(best.Length / time.Minute)
	text := fmt.Sprintf("When will you and %s meet? Suggested: %s", partner, slotText(best, zone))
	after := "Once you both confirm, you each get a calendar invite that blocks the time, and a reminder before every session."
	if p.SlotOffer.FreeBusy != "" {
		after = fmt.Sprintf("%s shows it free in both your calendars for the first %d weeks. Once you both confirm, it goes in your calendars, and a reminder comes before every session.",
			typed(p.SlotOffer.FreeBusy), mentorbot.FreeBusyWeeks)
	}
	return message{text: text, blocks: []slack.Block{
		paragraph(fmt.Sprintf("*When will you and %s meet?*\nYou meet %s for %d minutes. The best time for you both:", partner, strings.ToLower(best.Cadence.String()), length)),
		paragraph("*" + slotText(best, zone) + "*"),
		slotButtons(p.ID, 0),
		note(after),
	}}
}

func slotButtons(pairID int64, option int) slack.Block {
	return buttons("slot_"+strconv.FormatInt(pairID, 10),
		valueButton(actionConfirmSlot, "Confirm this time", slotValue(pairID, option)).WithStyle(slack.StylePrimary),
		valueButton(actionPickSlot, "Pick another time", slotValue(pairID, option)))
}

// slotCounterMessage asks a person to confirm the time their partner picked.
func slotCounterMessage(d mentorbot.Delivery) message {
	offer := d.Pair.SlotOffer
	pick := offer.MentorPick
	if d.Partner.ID == d.Pair.MenteeID {
		pick = offer.MenteePick
	}
	slot := offer.Options[pick-1]
	text := fmt.Sprintf("%s suggests meeting %s", mention(d.Partner.ID), slotText(slot, d.Reader.TimeZone))
	return message{text: text, blocks: []slack.Block{
		paragraph("*" + text + ".*"),
		slotButtons(d.Pair.ID, pick-1),
	}}
}

// slotAnsweredMessage replaces a slot message once the person picked.
func slotAnsweredMessage(a mentorbot.SlotAnswer, by string) message {
	partner := mention(a.Pair.Partner(by))
	if a.Agreed && a.Pair.Slot != nil {
		return textMessage(fmt.Sprintf("Agreed with %s: your sessions start on %s. Your calendar invite is on its way.", partner, mentorbot.FormatDate(a.Pair.Slot.From)))
	}
	return textMessage(fmt.Sprintf("You picked a time. %s is asked to confirm it; you'll get the calendar invite as soon as they do.", partner))
}

// slotFormTimes is how many offered times the slot form lists: Slack's 10
// radio buttons, less "Another day and time".
const slotFormTimes = 9

// slotChoices are the offered times the form lists, by their index: the
// two people's picks, then the first offered, in the offer's order.
func slotChoices(offer mentorbot.SlotOffer) []int {
	keep := map[int]bool{}
	for _, pick := range []int{offer.MentorPick, offer.MenteePick} {
		if pick > 0 && pick <= len(offer.Options) {
			keep[pick-1] = true
		}
	}
	for i := 0; i < len(offer.Options) && len(keep) < slotFormTimes; i++ {
		keep[i] = true
	}
	var out []int
	for i := range offer.Options {
		if keep[i] {
			out = append(out, i)
		}
	}
	return out
}

// slotModal lists the times offered, in the person's time, and lets them
// pick a day and time of their own.
func slotModal(p mentorbot.Pair, person mentorbot.Participant, metadata string) slack.ModalViewRequest {
	var choices []choice
	for _, i := range slotChoices(p.SlotOffer) {
		slot := p.SlotOffer.Options[i]
		regular, _, _ := slotWords(slot, person.TimeZone)
		choices = append(choices, choice{value: strconv.Itoa(i), label: regular, description: slotDescription(slot, person.TimeZone)})
	}
	choices = append(choices, choice{value: ownTime, label: "Another day and time (below)"})
	var days []choice
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		days = append(days, choice{value: d.String(), label: d.String()})
	}
	initial := ownTime
	if len(p.SlotOffer.Options) > 0 {
		initial = "0"
	}
	return modal(callbackSlot, "Pick a time", "Pick", metadata,
		paragraph(fmt.Sprintf("Pick the regular time for your sessions with %s. They'll be asked to confirm it.", mention(p.Partner(person.ID)))),
		radioInput(mentorbot.FieldSlotOption, "Time", choices, initial),
		selectInput(mentorbot.FieldSlotDay, "Day", "Pick a day", days, "", optional),
		timeInput(mentorbot.FieldSlotTime, "Start time", "", optional, hint(fmt.Sprintf("In your time zone, %s.", zoneName(person.TimeZone)))),
	)
}

// inviteMessage goes with the calendar file: new, updated or cancelled.
// When the calendar service could not take it, a line says why.
func inviteMessage(d mentorbot.Delivery) message {
	partner := mention(d.Partner.ID)
	slot := *d.Pair.Slot
	var text string
	switch {
	case d.Item.Kind == mentorbot.OutboxInviteCancel:
		text = fmt.Sprintf("Your sessions with %s are cancelled. Open the attached file to take them out of your calendar.", partner)
	case d.Item.Sequence == 0:
		text = fmt.Sprintf("Your sessions with %s are booked: %s, from %s to %s. Open the attached invite to block the time in your calendar.",
			partner, slotText(slot, d.Reader.TimeZone), mentorbot.FormatDate(slot.From), mentorbot.FormatDate(slot.Until))
	default:
		text = fmt.Sprintf("Your sessions with %s changed. Open the attached update so your calendar matches.", partner)
	}
	if d.Item.Note != "" {
		text += fmt.Sprintf("\n_Your calendar couldn't be updated directly (%s), so the file is here instead._", typed(d.Item.Note))
	}
	return textMessage(text)
}

// calendarBookedMessage says the sessions are in the reader's calendar,
// put there through the calendar service the outbox names.
func calendarBookedMessage(d mentorbot.Delivery) message {
	slot := *d.Pair.Slot
	return textMessage(fmt.Sprintf("Your sessions with %s are booked: %s, from %s to %s. They're in your %s as a private event, so the time is blocked.",
		mention(d.Partner.ID), slotText(slot, d.Reader.TimeZone), mentorbot.FormatDate(slot.From), mentorbot.FormatDate(slot.Until), typed(d.Item.Note)))
}

func sessionButtons(s mentorbot.Session, withComing bool) slack.Block {
	ref := sessionValue(refOf(s))
	var bs []*slack.ButtonBlockElement
	if withComing {
		bs = append(bs, valueButton(actionComing, "I'll be there", ref).WithStyle(slack.StylePrimary))
	}
	bs = append(bs, valueButton(actionMoveSession, "Reschedule", ref), valueButton(actionSkipSession, "Skip this one", ref))
	return buttons("session_"+ref, bs...)
}

// untilText says how soon a session is: "tomorrow", "in an hour".
func untilText(start, now time.Time, zone string) string {
	left := start.Sub(now)
	switch {
	case left < 55*time.Minute:
		return "in " + plural(max(int(left.Round(5*time.Minute)/time.Minute), 5), "minute")
	case left < 90*time.Minute:
		return "in an hour"
	}
	if left < 20*time.Hour {
		return "in " + plural(int(left.Round(time.Hour)/time.Hour), "hour")
	}
	loc := mentorbot.Zone(zone)
	if mentorbot.Day(start.In(loc)).Equal(mentorbot.Day(now.In(loc)).AddDate(0, 0, 1)) {
		return "tomorrow"
	}
	return "on " + start.In(loc).Format("Monday")
}

// nudgeMessage reminds a person of a session, with the pair's goals as its
// agenda.
func nudgeMessage(d mentorbot.Delivery, now time.Time) message {
	s, zone := d.Session, d.Reader.TimeZone
	partner := mention(d.Partner.ID)
	text := fmt.Sprintf("Your session with %s is %s: %s", partner, untilText(s.StartsAt, now, zone), sessionWhen(s, zone))
	blocks := []slack.Block{paragraph("*" + text + "*")}
	blocks = append(blocks, agendaBlock(d))
	if s.ComingOf(d.Partner.ID, d.Pair) {
		blocks = append(blocks, note(fmt.Sprintf("✅ %s said they'll be there.", partner)))
	}
	if clash := clashText(d); clash != "" {
		blocks = append(blocks, paragraph(clash))
	}
	blocks = append(blocks, sessionButtons(s, !s.ComingOf(d.Reader.ID, d.Pair)))
	if d.Item.Lead >= 24*time.Hour {
		blocks = append(blocks, note("Can't make it? Reschedule or skip now, so "+partner+" can plan."))
	}
	return message{text: text, blocks: blocks}
}

// clashText warns that a calendar now holds something else at the
// session's time, and whose; "" when none does.
func clashText(d mentorbot.Delivery) string {
	mine, theirs := slices.Contains(d.Clashes, d.Reader.ID), slices.Contains(d.Clashes, d.Partner.ID)
	partner := mention(d.Partner.ID)
	switch {
	case mine && theirs:
		return "⚠️ Both your calendars now have something else at this time. *Reschedule* to keep the session, or skip this one."
	case mine:
		return fmt.Sprintf("⚠️ Your calendar now has something else at this time. *Reschedule* to keep the session with %s, or skip this one.", partner)
	case theirs:
		return fmt.Sprintf("⚠️ %s's calendar now has something else at this time. *Reschedule* to keep the session, or check with them.", partner)
	}
	return ""
}

// agendaBlock lists both people's goals.
func agendaBlock(d mentorbot.Delivery) slack.Block {
	if len(d.ReaderGoals) == 0 && len(d.PartnerGoals) == 0 {
		return paragraph("*Agenda:* no goals set yet. Agree one or two at the start: each of you can set them on the mentorbot Home tab.")
	}
	var b strings.Builder
	b.WriteString("*Agenda: your goals*")
	for _, g := range d.ReaderGoals {
		b.WriteString("\n• " + typed(g.Aim))
	}
	if len(d.ReaderGoals) == 0 {
		b.WriteString("\n• none yet")
	}
	fmt.Fprintf(&b, "\n*%s's goals*", mention(d.Partner.ID))
	for _, g := range d.PartnerGoals {
		b.WriteString("\n• " + typed(g.Aim))
	}
	if len(d.PartnerGoals) == 0 {
		b.WriteString("\n• none yet")
	}
	return paragraph(b.String())
}

// comingMessage replaces a nudge once the person said they'll be there.
func comingMessage(v mentorbot.SessionView, by, zone string) message {
	text := fmt.Sprintf("✅ You'll be at your session with %s: %s.", mention(v.Pair.Partner(by)), sessionWhen(v.Session, zone))
	return message{text: text, blocks: []slack.Block{paragraph(text), sessionButtons(v.Session, false)}}
}

// checkMessage asks whether a session happened.
func checkMessage(d mentorbot.Delivery) message {
	s := d.Session
	text := fmt.Sprintf("Did your session with %s happen? %s", mention(d.Partner.ID), sessionWhen(s, d.Reader.TimeZone))
	ref := sessionValue(refOf(s))
	labels := map[mentorbot.Held]string{mentorbot.HeldYes: "Yes", mentorbot.HeldMoved: "It moved", mentorbot.HeldNo: "It didn't happen"}
	var bs []*slack.ButtonBlockElement
	for _, h := range mentorbot.Helds {
		bs = append(bs, valueButton(actionHeldPrefix+string(h), labels[h], ref))
	}
	bs[0] = bs[0].WithStyle(slack.StylePrimary)
	return message{text: text, blocks: []slack.Block{
		paragraph("*" + text + "*"),
		buttons("held_"+ref, bs...),
		note("One click. Your answer isn't shown to " + mention(d.Partner.ID) + "; HR sees totals only."),
	}}
}

// heldAnsweredMessage replaces the check once answered.
func heldAnsweredMessage(v mentorbot.SessionView, by, zone string) message {
	said := map[mentorbot.Held]string{mentorbot.HeldYes: "happened", mentorbot.HeldMoved: "moved", mentorbot.HeldNo: "didn't happen"}[v.Session.HeldOf(by, v.Pair)]
	return textMessage(fmt.Sprintf("Thanks: you said your session with %s on %s %s.", mention(v.Pair.Partner(by)), sessionWhen(v.Session, zone), said))
}

// sessionMovedMessage tells a person their partner moved a session.
func sessionMovedMessage(d mentorbot.Delivery) message {
	s, zone := d.Session, d.Reader.TimeZone
	text := fmt.Sprintf("%s moved your session of %s to %s", mention(d.Partner.ID), d.Session.Occurrence.In(mentorbot.Zone(zone)).Format("Mon 2 Jan, 15:04"), sessionWhen(s, zone))
	return message{text: text, blocks: []slack.Block{
		paragraph("*" + text + ".*"),
		sessionButtons(s, true),
		note("Your calendar invite is updated to match."),
	}}
}

// sessionSkippedMessage tells a person a session is off, never why.
func sessionSkippedMessage(d mentorbot.Delivery) message {
	zone := d.Reader.TimeZone
	text := fmt.Sprintf("%s can't make your session on %s, so it's off.", mention(d.Partner.ID), sessionWhen(d.Session, zone))
	if !d.Next.IsZero() {
		text += " Your next one is " + d.Next.In(mentorbot.Zone(zone)).Format("Mon 2 Jan, 15:04") + "."
	}
	return textMessage(text)
}

// sessionDeclinedMessage tells of a session declined in a calendar: the
// partner hears who, the one who declined is reminded, and both can move
// it to a time that suits them or skip it.
func sessionDeclinedMessage(d mentorbot.Delivery) message {
	s, zone := d.Session, d.Reader.TimeZone
	var text string
	if s.DeclinedBy == d.Reader.ID {
		text = fmt.Sprintf("You declined your session with %s on %s in your calendar. Reschedule it to a time that suits you both, or skip this one so %s knows.",
			mention(d.Partner.ID), sessionWhen(s, zone), mention(d.Partner.ID))
	} else {
		text = fmt.Sprintf("%s declined your session on %s in their calendar. Reschedule it to a time that suits you both, or skip this one.",
			mention(d.Partner.ID), sessionWhen(s, zone))
	}
	return message{text: text, blocks: []slack.Block{paragraph(text), sessionButtons(s, false)}}
}

// moveModal asks for the new time, in the person's own zone.
func moveModal(v mentorbot.SessionView, person mentorbot.Participant, metadata string) slack.ModalViewRequest {
	loc := mentorbot.Zone(person.TimeZone)
	start := v.Session.StartsAt.In(loc)
	return modal(callbackMove, "Move this session", "Move it", metadata,
		paragraph(fmt.Sprintf("Your session with %s is %s. Pick the new time; %s will be told and your calendars updated.",
			mention(v.Pair.Partner(person.ID)), sessionWhen(v.Session, person.TimeZone), mention(v.Pair.Partner(person.ID)))),
		dateInput(mentorbot.FieldMoveDate, "New day", start.Format(time.DateOnly)),
		timeInput(mentorbot.FieldMoveTime, "New start time", start.Format("15:04"), hint(fmt.Sprintf("In your time zone, %s.", zoneName(person.TimeZone)))),
	)
}

// skipModal asks for a private reason, optionally.
func skipModal(v mentorbot.SessionView, person mentorbot.Participant, metadata string) slack.ModalViewRequest {
	partner := mention(v.Pair.Partner(person.ID))
	return modal(callbackSkip, "Skip this session", "Skip it", metadata,
		paragraph(fmt.Sprintf("Skip your session with %s on %s? They'll be told it's off, not why.", partner, sessionWhen(v.Session, person.TimeZone))),
		textInput(mentorbot.FieldSkipReason, "Why? (optional)", "", "Optional", mentorbot.MaxSkipReasonChars, true, optional,
			hint("Your partner never sees this. HR may see it, to help the pair.")),
	)
}

func movedText(v mentorbot.SessionView, by, zone string) string {
	return fmt.Sprintf("Moved: your session with %s is now %s. They'll get a DM, and both your calendars an update.", mention(v.Pair.Partner(by)), sessionWhen(v.Session, zone))
}

func skippedText(v mentorbot.SessionView, by, zone string) string {
	text := fmt.Sprintf("Skipped: your session with %s on %s is off. They'll get a DM saying so, not why.", mention(v.Pair.Partner(by)), sessionWhen(v.Session, zone))
	if next := mentorbot.NextSession(v.Pair, v.Session.Occurrence); !next.IsZero() {
		text += " Your next one is " + next.In(mentorbot.Zone(zone)).Format("Mon 2 Jan, 15:04") + "."
	}
	return text
}
