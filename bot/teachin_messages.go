package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// teachInWhen is when a teach-in is, in the reader's zone: "Tue 10 Mar,
// 10:00–11:00 (London time)".
func teachInWhen(t mentorbot.TeachIn, zone string) string {
	return fmt.Sprintf("%s, %s (%s time)", t.StartsAt.In(mentorbot.Zone(zone)).Format("Mon 2 Jan"), clockSpan(t.StartsAt, t.Length(), zone), zoneName(zone))
}

// hostName names a teach-in's host; one who erased their data is "the host".
func hostName(t mentorbot.TeachIn) string {
	if mentorbot.Erased(t.HostID) {
		return "the host"
	}
	return mention(t.HostID)
}

// teachInTitle is a teach-in's title as typed, in bold.
func teachInTitle(t mentorbot.TeachIn) string { return "*" + typed(t.Title) + "*" }

// fullnessText says how full a teach-in is, never who signed up.
func fullnessText(v mentorbot.TeachInView) string {
	left := v.TeachIn.Places - v.Taken
	switch {
	case left > 0:
		return fmt.Sprintf("%s left of %d", plural(left, "place"), v.TeachIn.Places)
	case v.Waiting > 0:
		return fmt.Sprintf("Full (%d places), %d on the waiting list", v.TeachIn.Places, v.Waiting)
	}
	return fmt.Sprintf("Full (%d places): sign up to join the waiting list", v.TeachIn.Places)
}

// teachInBlocks shows one teach-in to a viewer, with what they can do:
// sign up or give up their place, or, for its host, who signed up and
// the buttons to move or cancel it.
func teachInBlocks(v mentorbot.TeachInView, viewer mentorbot.Participant) []slack.Block {
	t := v.TeachIn
	text := fmt.Sprintf("%s · %s\n%s, with %s\n%s\n%s", teachInTitle(t), typed(t.Topic), teachInWhen(t, viewer.TimeZone),
		hostName(t), typedWithin(t.Description, mentorbot.MaxTeachInDescriptionChars+100), fullnessText(v))
	blocks := []slack.Block{paragraph(text)}
	value := teachInValue(t.ID)
	blockID := "teachin_" + strconv.FormatInt(t.ID, 10)
	switch {
	case v.Hosting(viewer.ID):
		blocks = append(blocks, note(rosterText(v)), buttons(blockID,
			valueButton(actionTeachInMove, "Move", value),
			carrying(dangerButton(actionTeachInCancel, "Cancel teach-in", "Cancel the teach-in?",
				"Everyone signed up or waiting is told it's off, and it leaves their calendars.", "Cancel it"), value)))
	case v.Place != nil && v.Place.State == mentorbot.PlaceTaken:
		blocks = append(blocks, note("You have a place. Join: "+typed(t.JoinHow)),
			buttons(blockID, valueButton(actionTeachInLeave, "Give up my place", value)))
	case v.Place != nil:
		blocks = append(blocks, note(fmt.Sprintf("You're number %d on the waiting list.", v.Position)),
			buttons(blockID, valueButton(actionTeachInLeave, "Leave the waiting list", value)))
	default:
		label := "Sign up"
		if v.Full() {
			label = "Join the waiting list"
		}
		blocks = append(blocks, buttons(blockID, carrying(primaryButton(actionTeachInSignUp, label), value)))
	}
	return blocks
}

// rosterText is, for the host alone, who signed up and who is waiting.
func rosterText(v mentorbot.TeachInView) string {
	var taken, waiting []string
	for _, p := range v.Roster {
		if p.State == mentorbot.PlaceTaken {
			taken = append(taken, mention(p.ParticipantID))
		} else {
			waiting = append(waiting, mention(p.ParticipantID))
		}
	}
	text := "You're hosting. Nobody has signed up yet."
	if len(taken) > 0 {
		text = "You're hosting. Signed up: " + andNames(taken) + "."
	}
	if len(waiting) > 0 {
		text += " Waiting: " + andNames(waiting) + "."
	}
	return text + " Only you see who signed up."
}

// teachInsMessage is the list of upcoming teach-ins, and for those who may
// host one, the button to offer one.
func teachInsMessage(list []mentorbot.TeachInView, viewer mentorbot.Participant, canHost bool) message {
	blocks := []slack.Block{header("Teach-ins")}
	text := "Upcoming teach-ins: one-off group sessions a mentor hosts on a topic they teach."
	if len(list) == 0 {
		text = "No teach-ins are coming up."
	}
	blocks = append(blocks, paragraph(text))
	for _, v := range list[:min(len(list), mentorbot.MaxTeachInsShown)] {
		blocks = append(blocks, divider())
		blocks = append(blocks, teachInBlocks(v, viewer)...)
	}
	if canHost {
		blocks = append(blocks, divider(), paragraphWithButton("teachin_offer",
			"Teach several colleagues at once: offer a teach-in on a topic you teach.", primaryButton(actionOpenTeachIn, "Offer a teach-in")))
	}
	return message{text: text, blocks: blocks}
}

// teachInHomeBlocks is the Home tab's section of teach-ins.
func teachInHomeBlocks(s mentorbot.Status) []slack.Block {
	if len(s.TeachIns) == 0 && !s.CanHost {
		return nil
	}
	blocks := []slack.Block{divider(), paragraph("*Teach-ins*")}
	if len(s.TeachIns) == 0 {
		blocks = append(blocks, paragraph("No teach-ins are coming up."))
	}
	for _, v := range s.TeachIns[:min(len(s.TeachIns), mentorbot.MaxTeachInsShown)] {
		blocks = append(blocks, teachInBlocks(v, *s.Participant)...)
	}
	if s.CanHost {
		blocks = append(blocks, buttons("teachin_offer", button(actionOpenTeachIn, "Offer a teach-in")))
	}
	return blocks
}

// teachInCountsBlocks is what HR sees of the teach-ins: counts, no names.
func teachInCountsBlocks(counts []mentorbot.TeachInCounts) []slack.Block {
	if len(counts) == 0 {
		return nil
	}
	lines := []string{"*Upcoming teach-ins*"}
	for _, c := range counts[:min(len(counts), mentorbot.MaxTeachInsShown)] {
		lines = append(lines, fmt.Sprintf("%s (%s), %s: %d of %d places taken, %d waiting",
			typedWithin(c.TeachIn.Title, mentorbot.MaxTeachInTitleChars+20), typed(c.TeachIn.Topic), mentorbot.FormatDate(c.TeachIn.StartsAt), c.Taken, c.TeachIn.Places, c.Waiting))
	}
	if n := len(counts) - mentorbot.MaxTeachInsShown; n > 0 {
		lines = append(lines, fmt.Sprintf("…and %d more", n))
	}
	return []slack.Block{paragraph(strings.Join(lines, "\n"))}
}

// teachInModal is the form a mentor offers a teach-in with, its date and
// time in their own zone.
func teachInModal(d mentorbot.TeachInDraft, now time.Time) slack.ModalViewRequest {
	topics := make([]choice, len(d.Host.Topics))
	for i, t := range d.Host.Topics {
		topics[i] = choice{value: t.Topic, label: t.Topic}
	}
	initialTopic := ""
	if len(topics) == 1 {
		initialTopic = topics[0].value
	}
	lengths := make([]choice, len(mentorbot.TeachInLengths))
	for i, l := range mentorbot.TeachInLengths {
		lengths[i] = choice{value: strconv.Itoa(int(l / time.Minute)), label: fmt.Sprintf("%d minutes", int(l/time.Minute))}
	}
	week := now.In(mentorbot.Zone(d.Host.TimeZone)).AddDate(0, 0, 7).Format(time.DateOnly)
	return modal(callbackTeachIn, "Offer a teach-in", "Offer it", "",
		paragraph(fmt.Sprintf("A one-off group session on a topic you teach, within %s (%s to %s). Mentees who want the topic and are free then get an invitation; anyone in the programme can sign up.",
			typed(d.Cycle.Name), mentorbot.FormatDate(d.Cycle.StartsOn), mentorbot.FormatDate(d.Cycle.EndsOn))),
		selectInput(mentorbot.FieldTeachInTopic, "Topic", "Pick a topic", topics, initialTopic),
		textInput(mentorbot.FieldTeachInTitle, "Title", "", "e.g. Short videos in an hour", mentorbot.MaxTeachInTitleChars, false),
		dateInput(mentorbot.FieldTeachInDate, "Day", week),
		timeInput(mentorbot.FieldTeachInTime, "Start time", "", hint(fmt.Sprintf("In your time zone, %s.", zoneName(d.Host.TimeZone)))),
		selectInput(mentorbot.FieldTeachInLength, "Length", "How long", lengths, "60"),
		textInput(mentorbot.FieldTeachInPlaces, "Places", "", fmt.Sprintf("%d to %d", mentorbot.MinTeachInPlaces, mentorbot.MaxTeachInPlaces), 2, false,
			hint(fmt.Sprintf("How many people can come, %d to %d. When it's full, others join a waiting list.", mentorbot.MinTeachInPlaces, mentorbot.MaxTeachInPlaces))),
		textInput(mentorbot.FieldTeachInJoin, "How to join", "", "A video call link, or a room", mentorbot.MaxTeachInJoinChars, false,
			hint("Only people with a place see this.")),
		textInput(mentorbot.FieldTeachInDescription, "What people will learn", "", "A sentence or two", mentorbot.MaxTeachInDescriptionChars, true),
	)
}

// teachInMoveModal asks the host for the teach-in's new time.
func teachInMoveModal(v mentorbot.TeachInView, metadata string) slack.ModalViewRequest {
	t := v.TeachIn
	start := t.StartsAt.In(mentorbot.Zone(t.TimeZone))
	return modal(callbackTeachInMove, "Move the teach-in", "Move it", metadata,
		paragraph(fmt.Sprintf("%s is %s. Pick the new time: everyone signed up or waiting is told, and calendars are updated.",
			teachInTitle(t), teachInWhen(t, t.TimeZone))),
		dateInput(mentorbot.FieldTeachInDate, "New day", start.Format(time.DateOnly)),
		timeInput(mentorbot.FieldTeachInTime, "New start time", start.Format("15:04"), hint(fmt.Sprintf("In your time zone, %s.", zoneName(t.TimeZone)))),
	)
}

func teachInOfferedText(t mentorbot.TeachIn) string {
	return fmt.Sprintf("%s is on: %s. Mentees who want %s and are free then are invited, and anyone in the programme can sign up with %s. You'll see who signs up on your Home tab.",
		teachInTitle(t), teachInWhen(t, t.TimeZone), typed(t.Topic), command("teach-in"))
}

func teachInMovedText(v mentorbot.TeachInView) string {
	t := v.TeachIn
	return fmt.Sprintf("Moved: %s is now %s. %s told, and calendars updated.", teachInTitle(t), teachInWhen(t, t.TimeZone),
		sentenceStart(plural(v.Taken+v.Waiting, "person")+" signed up or waiting will be"))
}

// teachInPulseMessage asks, or shows answered, the person's private pulse
// about a teach-in; each chosen answer is the highlighted button.
func teachInPulseMessage(v mentorbot.TeachInView) message {
	t := v.TeachIn
	var place mentorbot.TeachInPlace
	if v.Place != nil {
		place = *v.Place
	}
	value := teachInValue(t.ID)
	scores := make([]*slack.ButtonBlockElement, 0, len(mentorbot.PulseScores))
	for _, score := range mentorbot.PulseScores {
		btn := valueButton(teachInUsefulActionID(score), strconv.Itoa(score), value)
		if score == place.Useful {
			btn = btn.WithStyle(slack.StylePrimary)
		}
		scores = append(scores, btn)
	}
	answers := make([]*slack.ButtonBlockElement, 0, len(mentorbot.Recommends))
	for _, r := range mentorbot.Recommends {
		label := "Yes"
		if r == mentorbot.RecommendNo {
			label = "No"
		}
		btn := valueButton(actionTeachInRecommendPrefix+string(r), label, value)
		if r == place.Recommend {
			btn = btn.WithStyle(slack.StylePrimary)
		}
		answers = append(answers, btn)
	}
	text := fmt.Sprintf("How was %s with %s? Two taps.", teachInTitle(t), hostName(t))
	blocks := []slack.Block{
		paragraph(text),
		paragraph("*How useful was it for you?* 1 = not at all, 5 = very."), buttons("teachin_useful", scores...),
		paragraph("*Would you recommend it to a colleague?*"), buttons("teachin_recommend", answers...),
	}
	if place.Useful > 0 && place.Recommend != mentorbot.RecommendUnanswered {
		text = "Thank you for your feedback."
		blocks = append(blocks, paragraph("Thank you, that's all. You can change an answer by tapping another."))
	}
	return message{text: text, blocks: append(blocks, note("Private: the host never sees your answers."))}
}

// teachInDeliveryMessage is an outbox message about a teach-in, for its
// reader as the teach-in stands when it goes.
func teachInDeliveryMessage(d mentorbot.Delivery) message {
	v, zone := d.TeachIn, d.Reader.TimeZone
	t := v.TeachIn
	what := fmt.Sprintf("%s on %s with %s, %s", teachInTitle(t), typed(t.Topic), hostName(t), teachInWhen(t, zone))
	join := "Join: " + typed(t.JoinHow)
	switch d.Item.Kind {
	case mentorbot.OutboxTeachInInvitation:
		text := fmt.Sprintf("A teach-in on a topic you want to learn, at a time you're free: %s.", what)
		return message{text: text, blocks: []slack.Block{
			paragraph(text), paragraph(quoted(t.Description)), note(fullnessText(v)),
			buttons("teachin_"+strconv.FormatInt(t.ID, 10), carrying(primaryButton(actionTeachInSignUp, signUpLabel(v)), teachInValue(t.ID))),
			note("You're invited once; all teach-ins are listed with " + command("teach-in") + "."),
		}}
	case mentorbot.OutboxTeachInSignedUp:
		if v.Place != nil && v.Place.State == mentorbot.PlaceWaiting {
			return textMessage(fmt.Sprintf("%s is full, so you're number %d on its waiting list. If a place opens up, it's yours and you'll hear at once.", teachInTitle(t), v.Position))
		}
		return textMessage(fmt.Sprintf("You're in: %s. A calendar invite follows, and a reminder before it. %s", what, join))
	case mentorbot.OutboxTeachInMovedUp:
		return textMessage(fmt.Sprintf("A place opened up and it's yours: %s. A calendar invite follows. %s", what, join))
	case mentorbot.OutboxTeachInLeft:
		return textMessage(fmt.Sprintf("You've given up your place at %s. Thanks for letting someone else have it.", teachInTitle(t)))
	case mentorbot.OutboxTeachInReminder:
		return textMessage(fmt.Sprintf("Coming up: %s. %s", what, join))
	case mentorbot.OutboxTeachInMoved:
		text := fmt.Sprintf("%s moved %s: it's now %s.", sentenceStart(hostName(t)), teachInTitle(t), teachInWhen(t, zone))
		if v.Place != nil && v.Place.State == mentorbot.PlaceWaiting {
			return textMessage(text + fmt.Sprintf(" You're still number %d on the waiting list.", v.Position))
		}
		return textMessage(text + " Your place is kept and your calendar updated. If you can't make the new time, give up your place with " + command("teach-in") + ".")
	case mentorbot.OutboxTeachInCancelled:
		if v.Hosting(d.Reader.ID) {
			return textMessage(fmt.Sprintf("You cancelled %s. Everyone signed up or waiting is told it's off.", teachInTitle(t)))
		}
		return textMessage(fmt.Sprintf("%s is cancelled: %s had to call it off. It leaves your calendar.", teachInTitle(t), hostName(t)))
	}
	return textMessage(fmt.Sprintf("About %s.", what))
}

func signUpLabel(v mentorbot.TeachInView) string {
	if v.Full() {
		return "Join the waiting list"
	}
	return "Sign up"
}

// teachInCalendarMessage goes with a teach-in's calendar file.
func teachInCalendarMessage(d mentorbot.Delivery) message {
	t := d.TeachIn.TeachIn
	if d.Item.Kind == mentorbot.OutboxTeachInCalendarCancel {
		return textMessage(fmt.Sprintf("%s is off your calendar: open the attached file to take it out.", teachInTitle(t)))
	}
	return textMessage(fmt.Sprintf("%s, %s: open the attached invite to block the time in your calendar.", teachInTitle(t), teachInWhen(t, d.Reader.TimeZone)))
}
