package bot

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// privacyNote is what every feedback message promises, and keeps.
const privacyNote = "Private: your partner never sees your answers, and HR only ever sees figures drawn from at least 3 people's answers."

// pulseMessage asks, or shows answered, the person's pulse about a
// session; the chosen score of each question is the highlighted button.
func pulseMessage(v mentorbot.PulseView, readerID, zone string, followUp bool) message {
	partner := mention(v.Pair.Partner(readerID))
	when := sessionWhen(v.Session, zone)
	intro := fmt.Sprintf("*How was your session with %s* (%s)? Two taps, 1 = not at all, 5 = very.", partner, when)
	if followUp {
		intro = fmt.Sprintf("If you have ten seconds: how was your session with %s (%s)? This is the only reminder.", partner, when)
	}
	blocks := []slack.Block{paragraph(intro)}
	ref := sessionValue(refOf(v.Session))
	for _, q := range mentorbot.PulseQuestions {
		chosen := v.Pulse.Score(q)
		scores := make([]*slack.ButtonBlockElement, 0, len(mentorbot.PulseScores))
		for _, score := range mentorbot.PulseScores {
			btn := valueButton(pulseActionID(q, score), fmt.Sprint(score), ref)
			if score == chosen {
				btn = btn.WithStyle(slack.StylePrimary)
			}
			scores = append(scores, btn)
		}
		blocks = append(blocks, paragraph("*"+q.Text()+"*"), buttons("pulse_"+string(q), scores...))
	}
	noteLabel := "Add a private note"
	if v.Pulse.Note != "" {
		noteLabel = "Edit your private note"
	}
	done := v.Pulse.Useful > 0 && v.Pulse.Comfort > 0
	if done {
		blocks = append(blocks, paragraph("Thank you, that's all. You can change an answer by tapping another number."))
	}
	blocks = append(blocks, buttons("pulse_note", valueButton(actionPulseNote, noteLabel, ref)), note(privacyNote))
	text := fmt.Sprintf("How was your session with %s? Two taps.", partner)
	if done {
		text = "Thank you for your feedback."
	}
	return message{text: text, blocks: blocks}
}

func pulseNoteModal(v mentorbot.PulseView, metadata string) slack.ModalViewRequest {
	return modal(callbackPulseNote, "Private note", "Keep", metadata,
		paragraph("A note to yourself about this session: what you learnt, what to try next. Nobody else ever sees it; it comes back to you at your goal review."),
		textInput(mentorbot.FieldPulseNote, "Your note", v.Pulse.Note, "What stayed with you?", mentorbot.MaxPulseNoteChars, true, optional),
	)
}

// surveyMessage invites a person to the midpoint survey.
func surveyMessage(d mentorbot.Delivery) message {
	text := fmt.Sprintf("You're halfway through %s. How are your goals going with %s? It takes two minutes.", typed(d.Cycle.Name), mention(d.Partner.ID))
	return message{text: text, blocks: []slack.Block{
		paragraphWithButton("survey", text, carrying(primaryButton(actionOpenSurvey, "Answer"), surveyValue(d.Cycle.ID, mentorbot.SurveyMidpoint))),
		note(privacyNote),
	}}
}

// closeOutMessage thanks a person at the end of a cycle, asks them to
// review their goals and whether to take part again.
func closeOutMessage(d mentorbot.Delivery) message {
	var body string
	if d.Pair.ID != 0 {
		held := 0
		for _, s := range d.Sessions {
			if o := s.Outcome(); o == mentorbot.OutcomeHeld || o == mentorbot.OutcomeMoved {
				held++
			}
		}
		body = fmt.Sprintf("%s has ended, and with it your pairing with %s: you met %s. Thank you for the time and openness you brought.", typed(d.Cycle.Name), mention(d.Partner.ID), plural(held, "time"))
	} else {
		body = fmt.Sprintf("%s has ended. You weren't matched this time, and we're sorry about that; thank you for being ready.", typed(d.Cycle.Name))
	}
	blocks := []slack.Block{header("Thank you for taking part"), paragraph(body)}
	review, label := "*Review your goals*: how far did you get? Two minutes, and your private notes are there to help.", "Review my goals"
	if len(d.ReaderGoals) == 0 {
		review, label = "*How did it go?* Two questions, two minutes.", "Tell us"
	}
	blocks = append(blocks, paragraphWithButton("review", review,
		carrying(primaryButton(actionOpenSurvey, label), surveyValue(d.Cycle.ID, mentorbot.SurveyClosing))))
	if d.Celebrate != "" {
		blocks = append(blocks, thanksOfferBlock(d))
	}
	blocks = append(blocks,
		paragraphWithButton("next_cycle", "*Take part again?* Opt in and you'll be matched when the next cycle opens, without the onboarding again.",
			button(actionOptIn, "Count me in")),
		note(privacyNote))
	return message{text: fmt.Sprintf("%s has ended. Thank you for taking part.", typed(d.Cycle.Name)), blocks: blocks}
}

// surveyModal asks the survey's questions about each goal.
func surveyModal(d mentorbot.SurveyDraft, zone, metadata string) slack.ModalViewRequest {
	title, intro := "Halfway check-in", "How are your goals going? Pick the nearest answer; nobody sees it but you, and HR only counts answers in groups of at least 3."
	if d.Kind == mentorbot.SurveyClosing {
		title, intro = "Goal review", "How far did you get? Pick the nearest answer; nobody sees it but you, and HR only counts answers in groups of at least 3."
	}
	blocks := []slack.Block{paragraph(intro)}
	progress := make([]choice, len(mentorbot.Progresses))
	for i, p := range mentorbot.Progresses {
		progress[i] = choice{value: string(p), label: p.String()}
	}
	for i, g := range d.Goals {
		blocks = append(blocks, radioInput(mentorbot.FieldGoalProgress(i), g.Aim, progress, "", hint("You'll know by: "+g.Signal)))
	}
	if len(d.Notes) > 0 && d.Kind == mentorbot.SurveyClosing {
		// One element a note: five notes at their longest fill more than
		// one element holds.
		lines := []string{"*Your private notes*"}
		for _, n := range d.Notes[max(0, len(d.Notes)-5):] {
			lines = append(lines, fmt.Sprintf("• %s: %s", localDate(n.Occurrence, zone), typed(n.Note)))
		}
		blocks = append(blocks, note(lines...))
	}
	blocks = append(blocks, ratingInputs(d)...)
	continues := make([]choice, len(mentorbot.Continues))
	for i, c := range mentorbot.Continues {
		continues[i] = choice{value: string(c), label: c.String()}
	}
	blocks = append(blocks,
		radioInput(mentorbot.FieldSurveyContinue, d.Kind.ContinueQuestion(), continues, ""),
		textInput(mentorbot.FieldSurveyChange, "What would you change?", "", "About the sessions, the pairing or the programme", mentorbot.MaxSurveyChangeChar, true, optional),
	)
	return modal(callbackSurvey, title, "Send", metadata, blocks...)
}

// ratingInputs ask the person to rate three of their partner's qualities
// and three of their own, each optional; at the goal review their halfway
// self-ratings stand beside the questions.
func ratingInputs(d mentorbot.SurveyDraft) []slack.Block {
	if len(d.Asks) == 0 {
		return nil
	}
	scores := make([]choice, len(mentorbot.RatingScores))
	for i, n := range mentorbot.RatingScores {
		scores[i] = choice{value: fmt.Sprint(n), label: mentorbot.RatingScoreText(n)}
	}
	halfway := map[string]int{}
	for _, r := range d.Halfway {
		if r.Rated == mentorbot.RatedSelf {
			halfway[r.Quality] = r.Score
		}
	}
	var blocks []slack.Block
	heading := ""
	for _, a := range d.Asks {
		if a.Rated == mentorbot.RatedPartner && heading == "" {
			heading = "partner"
			blocks = append(blocks, paragraph("*How did your partner show these?* Only you ever see what you say; HR sees each quality's mean once at least 3 people have rated it, and your partner never sees your answer."))
		}
		if a.Rated == mentorbot.RatedSelf && heading != "self" {
			heading = "self"
			blocks = append(blocks, paragraph("*And you?* Rate yourself on three qualities of a good "+string(a.Role)+"; it's for you to see how you grow."))
		}
		label := a.Quality.Name
		if n := halfway[a.Quality.ID]; n > 0 {
			label = fmt.Sprintf("%s (halfway you said %s)", a.Quality.Name, mentorbot.RatingScoreText(n))
		}
		blocks = append(blocks, radioInput(a.Field(), label, scores, "", optional, hint(a.Quality.Label)))
	}
	return blocks
}

// reviewThanksText thanks a person for the goal review and sets their
// own ratings of the cycle side by side, for them alone.
func reviewThanksText(rows []mentorbot.SelfRatingRow) string {
	text := surveyThanksText(mentorbot.SurveyClosing)
	if len(rows) == 0 {
		return text
	}
	lines := []string{text, "", "*Your self-ratings, halfway → now* (only you see these):"}
	said := func(n int) string {
		if n == 0 {
			return "not rated"
		}
		return mentorbot.RatingScoreText(n)
	}
	for _, r := range rows {
		lines = append(lines, fmt.Sprintf("• %s: %s → %s", r.Quality.Name, said(r.Halfway), said(r.Closing)))
	}
	return strings.Join(lines, "\n")
}

func surveyThanksText(kind mentorbot.SurveyKind) string {
	if kind == mentorbot.SurveyClosing {
		return "Thank you for reviewing your goals. Your answers only ever count together with at least 2 other people's."
	}
	return "Thank you. Your answers only ever count together with at least 2 other people's. Keep going!"
}

func optedInText() string {
	return "You're in for the next cycle. You'll hear when it opens; then set your goals for it and you'll be matched."
}

// riskFlagMessage tells an admin, privately, that a pair may need a hand,
// with what they can do about it.
func riskFlagMessage(d mentorbot.Delivery) message {
	p := d.Pair
	var reasons []string
	for _, r := range d.Flag.Reasons {
		reasons = append(reasons, "• "+r.Text())
	}
	held := 0
	for _, s := range d.Sessions {
		if o := s.Outcome(); o == mentorbot.OutcomeHeld || o == mentorbot.OutcomeMoved {
			held++
		}
	}
	value := fmt.Sprint(p.ID)
	text := fmt.Sprintf("%s (mentor) and %s (mentee) may need a hand.", mention(p.MentorID), mention(p.MenteeID))
	return message{text: text, blocks: []slack.Block{
		header("A pair may need a hand"),
		paragraph(text + "\n" + strings.Join(reasons, "\n")),
		note(fmt.Sprintf("Sessions held so far: %d. Only admins see this; the pair is never told they were flagged.", held)),
		buttons("risk_actions",
			carrying(primaryButton(actionRiskPrefix+string(mentorbot.RiskNudge), "Nudge them"), value),
			carrying(button(actionRiskPrefix+string(mentorbot.RiskRematch), "Offer a rematch"), value),
			carrying(dangerButton(actionRiskPrefix+string(mentorbot.RiskEnd), "End the pair kindly", "End this pair?",
				"Both are thanked and told the pairing has come to an end, without a reason. Their calendars drop the sessions.", "End it"), value),
			carrying(button(actionRiskPrefix+string(mentorbot.RiskDismiss), "Leave it"), value),
		),
	}}
}

// riskHandledMessage replaces a flag's buttons once an admin acted.
func riskHandledMessage(v mentorbot.RiskFlagView) message {
	return textMessage(fmt.Sprintf("%s and %s: %s %s.", mention(v.Pair.MentorID), mention(v.Pair.MenteeID), mention(v.Flag.ResolvedBy), v.Flag.Action.Done()))
}

// pairNudgeMessage is an admin's friendly nudge to a quiet pair: warm,
// practical, and never a word about being flagged.
func pairNudgeMessage(d mentorbot.Delivery) message {
	partner := mention(d.Partner.ID)
	if d.Pair.State != mentorbot.PairActive {
		return textMessage(fmt.Sprintf("A friendly reminder: %s would love to hear whether you'll pair up. Accept or decline from the introduction message by %s.", partner, localTime(d.Pair.AnswerBy, d.Reader.TimeZone)))
	}
	when := "Agree a regular time together in your group conversation."
	if d.Pair.Slot != nil {
		when = fmt.Sprintf("Your regular time is %s; if it no longer suits you both, move a session from its reminder.", slotText(*d.Pair.Slot, d.Reader.TimeZone))
	}
	return textMessage(fmt.Sprintf("Hi! It's been a little while since you and %s met. %s Short and regular beats long and rare, and your goals make a ready agenda.", partner, when))
}

// pairEndedText is what each person hears when HR ends their pair.
func pairEndedText(partner string) string {
	return fmt.Sprintf("Your pairing with %s has come to an end. Thank you for the time you put in together. You stay in the programme with your goals, and HR may match you again.", mention(partner))
}

func chartTitle(s mentorbot.Summary) string {
	return s.Cycle.Name + ": sessions and pulse by week"
}

func chartFileName(s mentorbot.Summary) string {
	if s.Final {
		return fmt.Sprintf("mentorbot-cycle-report-%d.png", s.Cycle.ID)
	}
	return fmt.Sprintf("mentorbot-trend-%s.png", s.AsOf.Format("2006-01-02"))
}

// summaryMessage is the programme summary as the HR channel reads it.
func summaryMessage(s mentorbot.Summary) message {
	title := "Programme summary: " + s.Cycle.Name
	if s.Final {
		title = "Cycle report: " + s.Cycle.Name
	}
	var people []string
	for _, role := range mentorbot.Roles {
		var parts []string
		for _, state := range role.States() {
			if n := s.People[role][state]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", strings.ToLower(stateName(role, state)), n))
			}
		}
		if len(parts) == 0 {
			parts = []string{"none yet"}
		}
		people = append(people, fmt.Sprintf("*%ss:* %s", sentenceStart(string(role)), strings.Join(parts, ", ")))
	}
	sc := s.Sessions
	sessions := fmt.Sprintf("*Sessions:* %d held of %d due", sc.Held, sc.Due)
	if sc.Due > 0 {
		sessions += fmt.Sprintf(" (%d%%)", 100*sc.Held/sc.Due)
	}
	sessions += fmt.Sprintf("; %d missed, %d called off beforehand, %d not answered, %d answered differently by the two", sc.Missed, sc.Skipped, sc.Unanswered, sc.Disputed)
	blocks := []slack.Block{
		header(cut(title, 150)),
		paragraph(strings.Join(people, "\n")),
		paragraph(fmt.Sprintf("*Pairs:* %d meeting, %d waiting for answers, %d ended\n%s\n*Pairs that may need a hand:* %d (admins have the details)",
			s.Pairs.Active, s.Pairs.Waiting, s.Pairs.Ended, sessions, s.AtRisk)),
		paragraph(fmt.Sprintf("*How useful sessions were:* %s\n*How comfortable people felt:* %s", figureText(s.Useful), figureText(s.Comfort))),
	}
	for _, t := range []struct {
		name  string
		kind  mentorbot.SurveyKind
		tally mentorbot.SurveyTally
	}{{"Halfway check-in", mentorbot.SurveyMidpoint, s.Midpoint}, {"Goal review", mentorbot.SurveyClosing, s.Closing}} {
		asked := s.Final || (t.kind == mentorbot.SurveyMidpoint && !s.Cycle.SurveyedAt.IsZero())
		if t.tally.Answers == 0 && !asked {
			continue
		}
		blocks = append(blocks, paragraph(fmt.Sprintf("*%s:* %s", t.name, tallyText(t.tally, t.kind))))
	}
	blocks = append(blocks, qualityBlocks(s.Qualities)...)
	blocks = append(blocks, supplyBlocks(s.Shortages, "recruit and screen mentors for these")...)
	blocks = append(blocks, note(fmt.Sprintf("As of %s. No names and no one's answers: a figure resting on fewer than %d answers is hidden, and answers count in groups of %d so no two summaries single anyone out.",
		localTime(s.AsOf, "UTC")+" UTC", mentorbot.MinAnswers, mentorbot.MinAnswers)))
	return message{text: typed(title), blocks: blocks}
}

// qualityBlocks show, for each role, the mean rating of each quality
// asked, as partners saw it and as people saw it in themselves.
func qualityBlocks(figures []mentorbot.QualityFigure) []slack.Block {
	var blocks []slack.Block
	for _, role := range mentorbot.Roles {
		lines := []string{fmt.Sprintf("*What %ss brought* (1 not yet to 5 always):", role)}
		for _, f := range figures {
			if f.Role == role {
				lines = append(lines, fmt.Sprintf("• %s: by their partners %s; by themselves %s", f.Quality.Name, figureText(f.Partner), figureText(f.Self)))
			}
		}
		if len(lines) > 1 {
			blocks = append(blocks, paragraph(strings.Join(lines, "\n")))
		}
	}
	return blocks
}

// figureText is a mean score, or why it is hidden.
func figureText(f mentorbot.Figure) string {
	if f.Hidden() {
		return fmt.Sprintf("hidden (fewer than %d answers so far)", mentorbot.MinAnswers)
	}
	return fmt.Sprintf("%.1f / 5 from %d answers", f.Value, f.Answers)
}

// tallyText is a survey's tally, or why it is hidden.
func tallyText(t mentorbot.SurveyTally, kind mentorbot.SurveyKind) string {
	if t.Hidden() {
		return fmt.Sprintf("hidden (fewer than %d people have answered)", mentorbot.MinAnswers)
	}
	var goals []string
	for _, p := range mentorbot.Progresses {
		goals = append(goals, fmt.Sprintf("%s %d", strings.ToLower(p.String()), t.Progress[p]))
	}
	var cont []string
	for _, c := range mentorbot.Continues {
		cont = append(cont, fmt.Sprintf("%s %d", strings.ToLower(c.String()), t.Continue[c]))
	}
	question := "would carry on with their partner"
	if kind == mentorbot.SurveyClosing {
		question = "would take part again"
	}
	return fmt.Sprintf("%d people; goals %s; %s: %s", t.Answers, strings.Join(goals, ", "), question, strings.Join(cont, ", "))
}

func exportMessage() message {
	return textMessage("Here's the programme's export: participants, pairs, sessions and who said they happened, and feedback only as figures from at least 3 answers. Handle it as personal data: keep it to HR and delete it when you're done.")
}
