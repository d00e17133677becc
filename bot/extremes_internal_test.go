package bot

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
	"github.com/mentorbot/mentorbot/match"
)

// worst is n characters of what grows most on its way to Slack: &, < and
// > become entities when escaped, and ŵ takes two bytes.
func worst(n int) string {
	r := []rune(strings.Repeat("&<ŵ> ", n/5+1))
	return string(r[:n])
}

// The longest time-zone names a person can pick, and pairs of zones whose
// people sit on different calendar days and change clocks on different
// dates.
const (
	longZone  = "America/Argentina/ComodRivadavia"
	longZone2 = "America/North_Dakota/New_Salem"
)

var zonePairs = []struct{ mentee, mentor string }{
	{"Pacific/Auckland", "Europe/London"},       // 11 to 13 hours apart, opposite summers
	{"Pacific/Kiritimati", "Pacific/Pago_Pago"}, // 25 hours apart: always a day between them
	{"America/St_Johns", "Asia/Kathmandu"},      // half and quarter hours
	{longZone, longZone2},
}

// extremePerson is a participant who filled every field to its limit with
// the characters that grow most.
func extremePerson(id string, role mentorbot.Role, zone string) mentorbot.Participant {
	var topics []mentorbot.TopicInterest
	for i := range mentorbot.MaxTopics {
		topics = append(topics, mentorbot.TopicInterest{Topic: strconv.Itoa(i) + worst(mentorbot.MaxTopicLength-1), Level: mentorbot.Levels[i]})
	}
	var windows mentorbot.Availability
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		for _, start := range []int{6 * 60, 12 * 60, 18 * 60} {
			windows = append(windows, mentorbot.Window{Day: d, Start: start, End: start + 5*60})
		}
	}
	return mentorbot.Participant{
		ID: id,
		Profile: mentorbot.Profile{
			Role: role, Topics: topics, JobLevel: 7, Department: worst(mentorbot.MaxDepartmentChars),
			ManagerID: "U0MANAGERWITHALONGID", TimeZone: zone, Availability: windows,
			Pitch: worst(mentorbot.MaxPitchChars), Capacity: mentorbot.MaxCapacity,
		},
		State: mentorbot.StateMatched, StateSince: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		PausedUntil: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC),
	}
}

func extremeGoals() []mentorbot.Goal {
	goals := make([]mentorbot.Goal, mentorbot.MaxGoals)
	for i := range goals {
		goals[i] = mentorbot.Goal{Aim: worst(mentorbot.MaxGoalChars), Signal: worst(mentorbot.MaxGoalChars)}
	}
	return goals
}

func extremeCycle(cadence mentorbot.Cadence) mentorbot.Cycle {
	topics := make([]string, mentorbot.MaxCatalogueTopics)
	for i := range topics {
		topics[i] = fmt.Sprintf("%02d%s", i, worst(mentorbot.MaxTopicLength-2))
	}
	return mentorbot.Cycle{
		ID: 1, Name: worst(mentorbot.MaxCycleNameChars), Cadence: cadence, SessionLength: 90 * time.Minute,
		StartsOn: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2027, 2, 26, 0, 0, 0, 0, time.UTC),
		GroundRules: worst(mentorbot.MaxGroundRulesChars), Topics: topics,
		SurveyedAt: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
	}
}

func extremeFit(p mentorbot.Participant) mentorbot.Fit {
	var shared []mentorbot.SharedTopic
	for _, t := range p.Topics {
		shared = append(shared, mentorbot.SharedTopic{Topic: t.Topic, MentorLevel: 5, MenteeLevel: 1})
	}
	return mentorbot.Fit{Score: 0.999, Topics: 1, Overlap: 1, Department: 1, Shared: shared, OverlapMinutes: 7 * 24 * 60, CrossDepartment: true}
}

// extremePair is a meeting pair whose people sit in the zones given, with
// a slot at the cadence, the most times offered a radio group holds, and
// every answer given.
func extremePair(mentor, mentee mentorbot.Participant, cycle mentorbot.Cycle) mentorbot.Pair {
	base := mentorbot.Slot{Weekday: time.Saturday, Minute: 23*60 + 15, Length: cycle.SessionLength, Zone: mentee.TimeZone, Cadence: cycle.Cadence, Until: cycle.EndsOn}
	var options []mentorbot.Slot
	for i := range 12 {
		s := base
		s.Weekday, s.Minute = time.Weekday(i%7), (i*97)%(24*60)/15*15
		options = append(options, s.StartingFrom(time.Date(2026, 3, 28, 0, 0, 0, 0, time.UTC)))
	}
	slot := options[0]
	return mentorbot.Pair{
		ID: 999999999, CycleID: cycle.ID, RoundID: 7, MentorID: mentor.ID, MenteeID: mentee.ID, State: mentorbot.PairActive,
		Fit: extremeFit(mentor), MentorAnswer: mentorbot.AnswerAccepted, MenteeAnswer: mentorbot.AnswerDeclined,
		AnswerBy: time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC), DeclineReason: worst(mentorbot.MaxDeclineReasonChars),
		StartedAt: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), Slot: &slot,
		SlotOffer: mentorbot.SlotOffer{Options: options, MentorPick: 12, MenteePick: 11},
	}
}

// rendering is one builder's output, and what Slack would refuse in it.
type rendering struct {
	name     string
	problems []string
}

func messageProblems(m message) []string {
	problems := fakeslack.CheckMessage(m.blocks)
	if m.text == "" {
		problems = append(problems, "a message needs its notification text")
	}
	return problems
}

func TestEveryBuilderStaysWithinSlacksRulesAtItsExtremes(t *testing.T) {
	t.Parallel()
	var renderings []rendering
	addMessage := func(name string, m message) {
		renderings = append(renderings, rendering{name, messageProblems(m)})
	}
	addModal := func(name string, v slack.ModalViewRequest) {
		renderings = append(renderings, rendering{name, fakeslack.CheckModal(v)})
	}
	addHome := func(name string, blocks []slack.Block) {
		renderings = append(renderings, rendering{name, fakeslack.CheckHome(homeView(blocks...))})
	}
	metadata := strings.Repeat("9", 120)

	for _, cadence := range mentorbot.Cadences {
		for _, zones := range zonePairs {
			cycle := extremeCycle(cadence)
			mentor := extremePerson("U0MENTORWITHALONGID", mentorbot.RoleMentor, zones.mentor)
			mentee := extremePerson("U0MENTEEWITHALONGID", mentorbot.RoleMentee, zones.mentee)
			pair := extremePair(mentor, mentee, cycle)
			case_ := func(what string) string {
				return fmt.Sprintf("%s, %s cycle, %s with %s", what, cadence, zones.mentee, zones.mentor)
			}
			session := mentorbot.Session{PairID: pair.ID, Occurrence: pair.Slot.From, StartsAt: pair.Slot.From.Add(25 * time.Hour), EndsAt: pair.Slot.From.Add(25*time.Hour + cycle.SessionLength),
				MentorComing: true, MenteeComing: true, MentorHeld: mentorbot.HeldYes, SkipReason: worst(mentorbot.MaxSkipReasonChars)}
			for _, reader := range []mentorbot.Participant{mentor, mentee} {
				partner := mentor
				if reader.ID == mentor.ID {
					partner = mentee
				}
				d := mentorbot.Delivery{Reader: reader, Partner: partner, Pair: pair, Session: session, Next: session.StartsAt.AddDate(0, 1, 0),
					ReaderGoals: extremeGoals(), PartnerGoals: extremeGoals(), Cycle: cycle,
					Item: mentorbot.OutboxItem{Lead: 24 * time.Hour}}
				who := case_("to the " + string(reader.Role))
				addMessage("slot offer "+who, slotOfferMessage(d))
				noOffer := d
				noOffer.Pair.SlotOffer.Options = nil
				addMessage("slot offer without times "+who, slotOfferMessage(noOffer))
				addMessage("slot counter "+who, slotCounterMessage(d))
				addMessage("slot agreed "+who, slotAnsweredMessage(mentorbot.SlotAnswer{Pair: pair, Agreed: true}, reader.ID))
				addModal("slot form "+who, slotModal(pair, reader, metadata))
				for _, kind := range []mentorbot.OutboxKind{mentorbot.OutboxInvite, mentorbot.OutboxInviteCancel} {
					for _, seq := range []int{0, 3} {
						inv := d
						inv.Item.Kind, inv.Item.Sequence = kind, seq
						addMessage(fmt.Sprintf("%s %d %s", kind, seq, who), inviteMessage(inv))
					}
				}
				addMessage("nudge a day ahead "+who, nudgeMessage(d, session.StartsAt.Add(-24*time.Hour)))
				addMessage("nudge an hour ahead "+who, nudgeMessage(d, session.StartsAt.Add(-time.Hour)))
				view := mentorbot.SessionView{Pair: pair, Session: session}
				addMessage("coming "+who, comingMessage(view, reader.ID, reader.TimeZone))
				addMessage("check "+who, checkMessage(d))
				addMessage("held answered "+who, heldAnsweredMessage(view, reader.ID, reader.TimeZone))
				addMessage("moved "+who, sessionMovedMessage(d))
				addMessage("skipped "+who, sessionSkippedMessage(d))
				addModal("move form "+who, moveModal(view, reader, metadata))
				addModal("skip form "+who, skipModal(view, reader, metadata))
				addMessage("moved reply "+who, textMessage(movedText(view, reader.ID, reader.TimeZone)))
				addMessage("skipped reply "+who, textMessage(skippedText(view, reader.ID, reader.TimeZone)))
				pulse := mentorbot.PulseView{Pair: pair, Session: session, Pulse: mentorbot.Pulse{Useful: 5, Comfort: 1, Note: worst(mentorbot.MaxPulseNoteChars)}}
				addMessage("pulse "+who, pulseMessage(pulse, reader.ID, reader.TimeZone, false))
				addMessage("pulse follow-up "+who, pulseMessage(mentorbot.PulseView{Pair: pair, Session: session}, reader.ID, reader.TimeZone, true))
				addModal("pulse note "+who, pulseNoteModal(pulse, metadata))
				addMessage("pair nudge "+who, pairNudgeMessage(d))
				proposed := d
				proposed.Pair.State = mentorbot.PairProposed
				addMessage("pair nudge before answering "+who, pairNudgeMessage(proposed))
				addMessage("survey "+who, surveyMessage(d))
				addMessage("close-out "+who, closeOutMessage(d))
				unpaired := d
				unpaired.Pair = mentorbot.Pair{}
				addMessage("close-out unpaired "+who, closeOutMessage(unpaired))
				celebrating := d
				celebrating.Celebrate = "C0123456789ABCDEF"
				addMessage("close-out with a thank-you to offer "+who, closeOutMessage(celebrating))
				thanks := mentorbot.Thanks{ID: 1 << 62, PairID: pair.ID, AuthorID: pair.Partner(reader.ID), Text: worst(mentorbot.MaxThanksChars)}
				for _, state := range []mentorbot.ThanksState{mentorbot.ThanksOffered, mentorbot.ThanksAgreed, mentorbot.ThanksPosted, mentorbot.ThanksKept} {
					thanks.State = state
					v := mentorbot.ThanksView{Thanks: thanks, Pair: pair, Channel: celebrating.Celebrate}
					addMessage(fmt.Sprintf("thank-you %s to %s", state, who), thanksAskMessage(v, reader.ID))
					addMessage(fmt.Sprintf("thank-you %s by %s", state, who), thanksAskMessage(v, pair.Partner(reader.ID)))
				}
				addMessage("thank-you posted "+who, thanksPostMessage(thanks, pair))
				addModal("thank-you form "+who, thanksModal(mentorbot.ThanksView{Pair: pair, Channel: celebrating.Celebrate}))
				addMessage("thank-you kept "+who, textMessage(thanksKeptText(reader.ID)))
				addMessage("thank-you offered "+who, textMessage(thanksOfferedText(mentorbot.ThanksView{Pair: pair, Channel: celebrating.Celebrate}, reader.ID)))
				var notes []mentorbot.Pulse
				for i := range 9 {
					notes = append(notes, mentorbot.Pulse{Occurrence: session.Occurrence.AddDate(0, 0, 7*i), Note: worst(mentorbot.MaxPulseNoteChars)})
				}
				for _, kind := range []mentorbot.SurveyKind{mentorbot.SurveyMidpoint, mentorbot.SurveyClosing} {
					addModal(fmt.Sprintf("%s survey form %s", kind, who), surveyModal(mentorbot.SurveyDraft{Cycle: cycle, Kind: kind, Goals: extremeGoals(), Notes: notes, Asks: extremeAsks(), Halfway: extremeRatings()}, reader.TimeZone, metadata))
				}
				for _, kind := range mentorbot.OutboxKinds {
					if !kind.Notice() {
						continue
					}
					told := d
					told.Item = mentorbot.OutboxItem{Kind: kind, To: reader.ID, PairID: pair.ID, Note: worst(mentorbot.MaxScreeningNoteChars)}
					told.Partner.PausedUntil = pair.AnswerBy
					addMessage(fmt.Sprintf("%s %s", kind, who), noticeMessage(told))
				}
				for _, accepted := range []bool{true, false} {
					addMessage(fmt.Sprintf("answered %v %s", accepted, who), answeredMessage(pair, reader.ID, accepted))
				}
				addModal("decline form "+who, declineModal(pair, reader.ID, metadata))
				teachIns := extremeTeachIns(mentor, reader)
				status := mentorbot.Status{Participant: &reader, Cycle: &cycle, Goals: extremeGoals(), Admin: true,
					Pairs: []mentorbot.Pair{pair, pair, pair}, Offers: []mentorbot.Pair{pair, pair, pair}, TeachIns: teachIns, CanHost: true}
				overview := extremeOverview(cycle, pair)
				addHome("home of an admin in three pairs "+who, homeBlocks(status, &overview))
				addMessage("teach-ins "+who, teachInsMessage(teachIns, reader, true))
				for _, v := range teachIns[:4] {
					for _, kind := range mentorbot.OutboxKinds {
						if !kind.AboutTeachIn() {
							continue
						}
						told := mentorbot.Delivery{Item: mentorbot.OutboxItem{Kind: kind, To: reader.ID, TeachInID: v.TeachIn.ID}, Reader: reader, TeachIn: v}
						addMessage(fmt.Sprintf("%s %s", kind, who), teachInDeliveryMessage(told))
						addMessage(fmt.Sprintf("%s calendar %s", kind, who), teachInCalendarMessage(told))
					}
					addMessage("teach-in pulse "+who, teachInPulseMessage(v))
					addModal("teach-in move form "+who, teachInMoveModal(v, metadata))
					addMessage("teach-in moved "+who, textMessage(teachInMovedText(v)))
					addMessage("teach-in offered "+who, textMessage(teachInOfferedText(v.TeachIn)))
				}
				addModal("teach-in form "+who, teachInModal(mentorbot.TeachInDraft{Host: mentor, Cycle: cycle}, cycle.StartsOn))
			}
			flag := mentorbot.RiskFlag{Reasons: []mentorbot.RiskReason{mentorbot.RiskMissed, mentorbot.RiskQuiet, mentorbot.RiskLowPulse, mentorbot.RiskNoConsent}, ResolvedBy: "U0ADMINWITHALONGID", Action: mentorbot.RiskRematch}
			addMessage("risk flag "+case_(""), riskFlagMessage(mentorbot.Delivery{Pair: pair, Flag: flag, Sessions: make([]mentorbot.Session, 26)}))
			addMessage("risk handled "+case_(""), riskHandledMessage(mentorbot.RiskFlagView{Flag: flag, Pair: pair}))
		}
	}

	cycle := extremeCycle(mentorbot.CadenceMonthly)
	mentor := extremePerson("U0MENTORWITHALONGID", mentorbot.RoleMentor, longZone)
	mentee := extremePerson("U0MENTEEWITHALONGID", mentorbot.RoleMentee, longZone2)
	pair := extremePair(mentor, mentee, cycle)

	// Every step a person can be at, on the Home tab and as their profile.
	for _, p := range statesOfEveryStep(mentor, mentee, cycle, pair) {
		addHome("home at step "+string(p.Next()), homeBlocks(p, nil))
		if p.Participant != nil {
			addMessage("profile at step "+string(p.Next()), profileMessage(p))
			for _, how := range []mentorbot.Joining{mentorbot.JoinedNew, mentorbot.JoinedRoleChanged} {
				welcome := mentorbot.Delivery{Item: mentorbot.OutboxItem{Kind: mentorbot.OutboxJoined, Note: string(how)}, Reader: *p.Participant, Status: p}
				addMessage("joined at step "+string(p.Next()), joinedMessage(welcome))
			}
		}
	}
	overview := extremeOverview(cycle, pair)
	addHome("home of an admin who hasn't joined", homeBlocks(mentorbot.Status{Admin: true}, &overview))
	noCycle := overview
	noCycle.Cycle = nil
	addHome("home of an admin with no cycle open", homeBlocks(mentorbot.Status{Admin: true}, &noCycle))

	addMessage("help", helpMessage((&Bot{}).subcommands()))
	addMessage("unknown subcommand", unknownSubcommandMessage(worst(2900), (&Bot{}).subcommands()))
	addMessage("unknown command", unknownCommandMessage(worst(200)))
	addMessage("screening queue", screeningQueueMessage(overview.Applicants))
	addModal("screening form", screeningModal(mentor))
	for _, text := range []string{screenedText(mentor.ID, true), screenedText(mentor.ID, false), cycleSavedText(cycle), cycleClosedText(cycle),
		trainedText(mentor), trainedText(mentee), goalsSavedText(extremeGoals()), pausedText(mentee), resumedText(),
		publishedText(mentorbot.Round{Pairs: make([]mentorbot.Pair, 100)}, 99), declinedText(), askedText(mentor.ID), avoidSavedText(),
		surveyThanksText(mentorbot.SurveyClosing), optedInText(), forgottenText()} {
		addMessage("reply "+cut(text, 40), textMessage(text))
	}
	var rows []mentorbot.SelfRatingRow
	for _, q := range mentorbot.MenteeQualities {
		rows = append(rows, mentorbot.SelfRatingRow{Quality: q, Halfway: 5, Closing: 5})
	}
	addModal("goal review thanks", noticeModal("Thank you", reviewThanksText(rows)))
	addModal("supply and demand", supplyModal(extremeSupply()))
	addModal("supply and demand of nobody", supplyModal(nil))
	addMessage("close cycle offer", closeCycleOffer(cycle))
	addMessage("leave offer", leaveOffer())
	addMessage("left", leftMessage())
	addMessage("forget offer", forgetOffer())
	addMessage("export", exportMessage())
	addMessage("apology", apologyMessage())
	addMessage("not joined", notJoinedMessage())
	addMessage("form button", formButtonMessage(formAgain{actionReviewApplicant, worst(mentorbot.MaxPitchChars)}))
	addMessage("form refused", formRefusedMessage())
	addMessage("form queued", formQueuedMessage())
	for _, final := range []bool{false, true} {
		addMessage(fmt.Sprintf("summary final=%v", final), summaryMessage(extremeSummary(cycle, final)))
	}

	form := mentorbot.CycleForm{Name: cycle.Name, StartsOn: "2026-03-02", EndsOn: "2027-02-26", Cadence: string(cycle.Cadence), SessionLength: "90",
		GroundRules: cycle.GroundRules, Topics: strings.Join(cycle.Topics, "\n"), CrossDepartment: string(match.CrossRequired),
		WeightTopics: "5", WeightOverlap: "5", WeightDepartment: "5", AnswerDays: "7"}
	for _, editing := range []bool{false, true} {
		addModal(fmt.Sprintf("cycle form editing=%v", editing), cycleModal(form, editing))
		addModal(fmt.Sprintf("cycle form, empty, editing=%v", editing), cycleModal(mentorbot.CycleForm{}, editing))
	}
	for _, role := range []mentorbot.Role{mentorbot.RoleMentor, mentorbot.RoleMentee} {
		addModal("goals form "+string(role), goalsModal(role, extremeGoals()))
		addModal("goals form, none yet, "+string(role), goalsModal(role, nil))
		p := extremePerson("U0ME", role, longZone)
		for _, editing := range []bool{false, true} {
			profile := mentorbot.ProfileForm{Role: string(role), Topics: cycle.Topics[:mentorbot.MaxTopics], OtherTopics: worst(200), JobLevel: "7",
				Department: p.Department, ManagerID: p.ManagerID, TimeZone: longZone, Availability: p.Availability.String()}
			addModal(fmt.Sprintf("join form %s editing=%v", role, editing), joinProfileModal(profile, cycle.Topics, editing))
			addModal(fmt.Sprintf("join form, empty, %s editing=%v", role, editing), joinProfileModal(mentorbot.ProfileForm{}, mentorbot.DefaultTopics, editing))
			levels := []string{"1", "2", "3", "4", "5"}
			addModal(fmt.Sprintf("topics form %s editing=%v", role, editing), joinTopicsModal(p.Profile, levels, p.Pitch, "3", metadata, editing))
		}
		for _, read := range []bool{false, true} {
			for _, confirmable := range []bool{false, true} {
				addModal(fmt.Sprintf("onboarding %s read=%v confirmable=%v", role, read, confirmable), trainingModal(mentorbot.Lesson{Role: role,
					State: mentorbot.StateApplied, Guidance: worst(2900), GroundRules: cycle.GroundRules, Confidentiality: worst(2900), Read: read, Confirmable: confirmable}))
			}
		}
	}
	addModal("pause form", pauseModal(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)))
	addModal("pause form, no date", pauseModal(time.Time{}))
	addModal("matching", matchingModal())
	addModal("draft of 200 people", draftModal(extremeRound(cycle, 200), extremeSupply()))
	addModal("draft of 2 people", draftModal(extremeRound(cycle, 2), nil))
	var options []mentorbot.MentorOption
	for i := range 60 {
		options = append(options, mentorbot.MentorOption{Mentor: extremePerson(fmt.Sprintf("U0MENTOR%03d", i), mentorbot.RoleMentor, longZone), Fit: extremeFit(mentor), Room: 3, Requested: i%2 == 0})
	}
	addModal("find a mentor, 60 of them", findModal(mentorbot.Finding{Options: options, OpenRequests: 3, Topic: worst(mentorbot.MaxTopicLength)}, worst(500)))
	addModal("find a mentor, none", findModal(mentorbot.Finding{}, ""))
	avoided := make([]string, mentorbot.MaxAvoided)
	for i := range avoided {
		avoided[i] = fmt.Sprintf("U0AVOIDED%02d", i)
	}
	addModal("don't pair me with", avoidModal(avoided))
	addModal("notice", noticeModal(worst(24), worst(2900)))
	if done := doneView(worst(24), worst(2900)); done.View != nil {
		addModal("done", *done.View)
	}

	for _, r := range renderings {
		for _, p := range r.problems {
			t.Errorf("%s: Slack would refuse it: %s", r.name, p)
		}
	}
	t.Logf("%d renderings checked", len(renderings))
}

// statesOfEveryStep is a person at each step the Home tab can show.
func statesOfEveryStep(mentor, mentee mentorbot.Participant, cycle mentorbot.Cycle, pair mentorbot.Pair) []mentorbot.Status {
	in := func(p mentorbot.Participant, state mentorbot.State) *mentorbot.Participant {
		p.State = state
		return &p
	}
	proposed := pair
	proposed.State, proposed.MentorAnswer, proposed.MenteeAnswer = mentorbot.PairProposed, mentorbot.AnswerNone, mentorbot.AnswerNone
	accepted := proposed
	accepted.MenteeAnswer = mentorbot.AnswerAccepted
	return []mentorbot.Status{
		{},
		{Participant: in(mentor, mentorbot.StateApplied), Cycle: &cycle},
		{Participant: in(mentor, mentorbot.StateDeclined), Cycle: &cycle},
		{Participant: in(mentee, mentorbot.StateApproved), Cycle: &cycle},
		{Participant: in(mentee, mentorbot.StateTrained)},
		{Participant: in(mentee, mentorbot.StateTrained), Cycle: &cycle},
		{Participant: in(mentee, mentorbot.StateTrained), Cycle: &cycle, Goals: extremeGoals()},
		{Participant: in(mentee, mentorbot.StateTrained), Cycle: &cycle, Goals: extremeGoals(), Offers: []mentorbot.Pair{proposed}},
		{Participant: in(mentee, mentorbot.StateTrained), Cycle: &cycle, Goals: extremeGoals(), Offers: []mentorbot.Pair{accepted, accepted, accepted}},
		{Participant: in(mentor, mentorbot.StateMatched), Cycle: &cycle, Goals: extremeGoals(), Pairs: []mentorbot.Pair{pair, pair, pair}},
		{Participant: in(mentee, mentorbot.StatePaused), Cycle: &cycle, Goals: extremeGoals()},
		{Participant: in(mentee, mentorbot.StateLeft)},
		{Participant: in(mentee, mentorbot.StateFinished)},
	}
}

// extremeTeachIns are more teach-ins than a list shows, every field at its
// limit, hosted by host and seen by viewer, with every place taken and a
// long waiting list; the viewer is waiting for one and has a place at
// another.
func extremeTeachIns(host, viewer mentorbot.Participant) []mentorbot.TeachInView {
	var roster []mentorbot.TeachInPlace
	for i := range mentorbot.MaxTeachInPlaces + 30 {
		state := mentorbot.PlaceTaken
		if i >= mentorbot.MaxTeachInPlaces {
			state = mentorbot.PlaceWaiting
		}
		roster = append(roster, mentorbot.TeachInPlace{ParticipantID: fmt.Sprintf("U0ATTENDEEWITHALONGID%02d", i), State: state})
	}
	var out []mentorbot.TeachInView
	for i := range 3 * mentorbot.MaxTeachInsShown {
		start := time.Date(2026, 3, 10+i, 23, 30, 0, 0, time.UTC)
		v := mentorbot.TeachInView{
			TeachIn: mentorbot.TeachIn{ID: int64(1_000_000 + i), HostID: host.ID, Topic: host.Topics[0].Topic, Title: worst(mentorbot.MaxTeachInTitleChars),
				StartsAt: start, EndsAt: start.Add(2 * time.Hour), TimeZone: host.TimeZone, Places: mentorbot.MaxTeachInPlaces,
				JoinHow: worst(mentorbot.MaxTeachInJoinChars), Description: worst(mentorbot.MaxTeachInDescriptionChars), Revision: 99, CalendarSequence: 99},
			Taken: mentorbot.MaxTeachInPlaces, Waiting: 30, Roster: roster,
		}
		switch i % 3 {
		case 1:
			v.Roster, v.Place, v.Position = nil, &mentorbot.TeachInPlace{State: mentorbot.PlaceWaiting, Useful: 3, Recommend: mentorbot.RecommendNo}, 30
			v.TeachIn.HostID = "U0ANOTHERHOSTWITHALONGID"
		case 2:
			v.Roster, v.Place = nil, &mentorbot.TeachInPlace{State: mentorbot.PlaceTaken, Useful: 5, Recommend: mentorbot.RecommendYes}
			v.TeachIn.HostID = "U0ANOTHERHOSTWITHALONGID"
		}
		out = append(out, v)
	}
	return out
}

// extremeOverview is an admin's overview with every section full.
func extremeOverview(cycle mentorbot.Cycle, pair mentorbot.Pair) mentorbot.Overview {
	census := mentorbot.Census{States: map[mentorbot.State]int{}, Erased: 999999}
	for _, s := range mentorbot.States {
		census.States[s] = 999999
	}
	var applicants []mentorbot.Participant
	for i := range 200 {
		applicants = append(applicants, extremePerson(fmt.Sprintf("U0APPLICANT%03d", i), mentorbot.RoleMentor, longZone))
	}
	declines := make([]mentorbot.Pair, 50)
	for i := range declines {
		declines[i] = pair
	}
	var teachIns []mentorbot.TeachInCounts
	host := extremePerson(pair.MentorID, mentorbot.RoleMentor, longZone)
	for _, v := range extremeTeachIns(host, host) {
		teachIns = append(teachIns, mentorbot.TeachInCounts{TeachIn: v.TeachIn, Taken: v.Taken, Waiting: v.Waiting})
	}
	return mentorbot.Overview{Cycle: &cycle, Census: census, Applicants: applicants, ActivePairs: 99999, WaitingPairs: 99999, Declines: declines, TeachIns: teachIns,
		Supply: extremeSupply()}
}

// extremeRound is a draft of people: half mentors, half mentees, with
// every third pair locked, every fifth removed and a third of the people
// left out.
func extremeRound(cycle mentorbot.Cycle, people int) mentorbot.Round {
	r := mentorbot.Round{ID: 1, CycleID: cycle.ID, Report: match.Report{Mentees: people / 2, Mentors: people / 2, Pairs: people / 3, MeanScore: 0.5, LowestScore: 0.01,
		Load: []int{people / 6, people / 6, people / 12, people / 12}, Greedy: match.Baseline{Pairs: people / 4, MeanScore: 0.4}}}
	for i := range people / 3 {
		mentor := extremePerson(fmt.Sprintf("U0MENTOR%03d", i), mentorbot.RoleMentor, longZone)
		state := mentorbot.PairDraft
		if i%5 == 4 {
			state = mentorbot.PairRemoved
		}
		r.Pairs = append(r.Pairs, mentorbot.Pair{ID: int64(1000000 + i), MentorID: mentor.ID, MenteeID: fmt.Sprintf("U0MENTEE%03d", i),
			State: state, Locked: i%3 == 0, Fit: extremeFit(mentor)})
	}
	for i := range people - 2*(people/3) {
		r.Unmatched = append(r.Unmatched, mentorbot.Unmatched{ParticipantID: fmt.Sprintf("U0LEFTOUT%03d", i), Role: mentorbot.RoleMentee, Why: worst(300)})
	}
	return r
}

// extremeSummary is a summary with every figure shown and the largest counts.
func extremeSummary(cycle mentorbot.Cycle, final bool) mentorbot.Summary {
	people := map[mentorbot.Role]map[mentorbot.State]int{}
	for _, role := range []mentorbot.Role{mentorbot.RoleMentor, mentorbot.RoleMentee} {
		people[role] = map[mentorbot.State]int{}
		for _, s := range mentorbot.States {
			people[role][s] = 999999
		}
	}
	tally := mentorbot.SurveyTally{Answers: 999999, Goals: 999999, Progress: map[mentorbot.Progress]int{}, Continue: map[mentorbot.Continue]int{}}
	for _, p := range mentorbot.Progresses {
		tally.Progress[p] = 999999
	}
	for _, c := range mentorbot.Continues {
		tally.Continue[c] = 999999
	}
	return mentorbot.Summary{Cycle: cycle, AsOf: time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC), Final: final, People: people,
		Pairs:    mentorbot.PairCounts{Active: 999999, Waiting: 999999, Ended: 999999},
		Sessions: mentorbot.SessionCounts{Due: 999999, Held: 999999, Missed: 999999, Skipped: 999999, Unanswered: 999999, Disputed: 999999},
		Useful:   mentorbot.Figure{Value: 4.99, Answers: 999999}, Comfort: mentorbot.Figure{Value: 1, Answers: 999999},
		Midpoint: tally, Closing: tally, AtRisk: 999999, Qualities: extremeQualities(), Shortages: mentorbot.Shortages(extremeSupply())}
}

// extremeAsks asks about every quality of both roles, more than a survey
// ever does.
func extremeAsks() []mentorbot.RatingAsk {
	var asks []mentorbot.RatingAsk
	for _, rated := range []mentorbot.Rated{mentorbot.RatedPartner, mentorbot.RatedSelf} {
		for _, role := range mentorbot.Roles {
			for _, q := range mentorbot.QualitiesOf(role) {
				asks = append(asks, mentorbot.RatingAsk{Rated: rated, Role: role, Quality: q})
			}
		}
	}
	return asks
}

func extremeRatings() []mentorbot.QualityRating {
	var out []mentorbot.QualityRating
	for _, a := range extremeAsks() {
		out = append(out, mentorbot.QualityRating{Rated: a.Rated, Role: a.Role, Quality: a.Quality.ID, Score: 5})
	}
	return out
}

// extremeQualities has every quality of both roles rated by a crowd.
func extremeQualities() []mentorbot.QualityFigure {
	var out []mentorbot.QualityFigure
	for _, role := range mentorbot.Roles {
		for _, q := range mentorbot.QualitiesOf(role) {
			out = append(out, mentorbot.QualityFigure{Role: role, Quality: q, Partner: mentorbot.Figure{Value: 4.99, Answers: 999999}, Self: mentorbot.Figure{Value: 1, Answers: 999999}})
		}
	}
	return out
}

// extremeSupply is more topics than any programme has, each named at its
// longest in characters that grow when escaped, half of them short.
func extremeSupply() []mentorbot.TopicSupply {
	var out []mentorbot.TopicSupply
	for i := range 1000 {
		t := mentorbot.TopicSupply{Topic: worst(mentorbot.MaxTopicLength), Wanting: 999999, Waiting: 999999, Mentors: 999999, FreePlaces: 999999, Pairs: 999999}
		if i < 500 {
			t.FreePlaces = 0
		}
		out = append(out, t)
	}
	return out
}
