package bot_test

import (
	"bytes"
	"encoding/csv"
	"image/png"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// answerer is a person in the confidentiality check, with answers of
// their own: a score and words no one else gives, so a leak names them.
type answerer struct {
	id, name string
	pairID   int64
	useful   int
}

// marker is the private text the person writes in the survey or pulse
// of this kind; only they may ever see it.
func (a answerer) marker(kind string) string { return "secret-" + kind + "-of-" + a.name }

// met is when the three pairs of the confidentiality check met: one
// session each, all in the same week, so they count together.
var met = time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)

// threePairsWhoMet makes three pairs in the cycle who met at met, and
// returns their six people in the order they will answer.
func (w *world) threePairsWhoMet(cycleID int64) []answerer {
	w.t.Helper()
	ctx := w.ctx()
	w.slack.AddUser(fakeslack.User{ID: kai, Name: "kai", RealName: "Kai Senior", TZ: "Europe/London"})
	w.slack.AddUser(fakeslack.User{ID: "U0LEE", Name: "lee", RealName: "Lee Junior", TZ: "Europe/London"})
	w.slack.AddUser(fakeslack.User{ID: "U0MAX", Name: "max", RealName: "Max Senior", TZ: "Europe/London"})
	pairs := [][2]string{{ada, grace}, {boss, kai}, {"U0LEE", "U0MAX"}}
	var people []answerer
	for i, pp := range pairs {
		for _, j := range []struct {
			id   string
			role mentorbot.Role
		}{{pp[0], mentorbot.RoleMentor}, {pp[1], mentorbot.RoleMentee}} {
			if _, err := w.programme.Join(ctx, j.id, seedProfile(j.role, "Europe/London", "")); err != nil {
				w.t.Fatal(err)
			}
		}
		c := mentorbot.Change{Pairs: []mentorbot.Pair{{CycleID: cycleID, Origin: mentorbot.OriginRequest, MentorID: pp[0], MenteeID: pp[1],
			State: mentorbot.PairActive, CreatedAt: met, StartedAt: met}}}
		if err := w.db.Apply(ctx, c); err != nil {
			w.t.Fatal(err)
		}
		s := mentorbot.Session{PairID: c.Pairs[0].ID, Occurrence: met, StartsAt: met, EndsAt: met.Add(time.Hour), State: mentorbot.SessionScheduled}
		if err := w.db.Apply(ctx, mentorbot.Change{Sessions: []mentorbot.Session{s}}); err != nil {
			w.t.Fatal(err)
		}
		// Scores no two people share, so any one shown alone is theirs.
		people = append(people,
			answerer{id: pp[0], name: "mentor" + strconv.Itoa(i), pairID: s.PairID, useful: 5 - i},
			answerer{id: pp[1], name: "mentee" + strconv.Itoa(i), pairID: s.PairID, useful: 1 + i})
	}
	return people
}

// TestNoHRMessageOrExportCarriesAnIndividualAnswer shares the summary,
// on demand and on schedule, the cycle report and the export as pulses,
// halfway check-ins and goal reviews come in one at a time: none ever
// holds a person's words, a figure from fewer than 3 answers, or a name
// beside an answer, and figures move only in whole groups of 3 answers.
func TestNoHRMessageOrExportCarriesAnIndividualAnswer(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	cycle := w.openCycle("Spring 2026")
	people := w.threePairsWhoMet(cycle.ID)
	h := w.person(hope)
	summaries := 0
	share := func(scheduled bool) {
		t.Helper()
		if scheduled {
			// Each scheduled summary is a week's of its own.
			if err := w.programme.OweSummary(w.ctx(), firstMorning.AddDate(0, 0, -7*summaries)); err != nil {
				t.Fatal(err)
			}
		} else {
			h.types("/mentor summary")
		}
		summaries++
		if err := w.slack.WaitUntil(w.ctx(), func() bool { return len(w.slack.Channel(hrChannel)) == summaries }); err != nil {
			t.Fatalf("summary %d never reached the HR channel", summaries)
		}
	}
	exports := 0
	export := func() [][]string {
		t.Helper()
		h.types("/mentor export")
		exports++
		if err := w.slack.WaitUntil(w.ctx(), func() bool { return len(h.p.Files()) == exports }); err != nil {
			t.Fatalf("export %d never came", exports)
		}
		files := h.p.Files()
		records, err := csv.NewReader(bytes.NewReader(files[len(files)-1].Content)).ReadAll()
		if err != nil || !slices.Equal(records[0], mentorbot.ExportColumns) {
			t.Fatalf("the export does not read as the programme's CSV: %v", err)
		}
		return records
	}

	// Pulses: the useful figure, hidden below 3 answers, is the same from
	// 3 to 5 answers and moves only with the sixth.
	var usefulShown []string
	for n := 0; n <= len(people); n++ {
		if n > 0 {
			a := people[n-1]
			if _, err := w.programme.AnswerPulse(w.ctx(), a.id, a.pairID, met, mentorbot.PulseUseful, a.useful); err != nil {
				t.Fatal(err)
			}
			if _, err := w.programme.SavePulseNote(w.ctx(), a.id, a.pairID, met, a.marker("note")); err != nil {
				t.Fatal(err)
			}
		}
		share(n%2 == 1)
		w.checkConfidential(people, export())
		usefulShown = append(usefulShown, usefulFigure(t, w.slack.Channel(hrChannel)))
	}
	for n, shown := range usefulShown {
		want := usefulShown[n/3*3]
		if n < 3 {
			want = "hidden (fewer than 3 answers so far)"
		}
		if shown != want {
			t.Errorf("with %d answers the HR channel shows the useful figure as %q, want %q", n, shown, want)
		}
	}
	if usefulShown[6] == usefulShown[3] {
		t.Errorf("six answers show the same figure as three: %q", usefulShown[6])
	}

	// Halfway check-ins, then the cycle closes with its report, then the
	// goal reviews.
	// Each rates the first quality of their partner's the survey asks, and
	// the first of their own, with a score no one else gives.
	var listeningShown []string
	answerSurveys := func(kind mentorbot.SurveyKind) {
		for n := 1; n <= len(people); n++ {
			a := people[n-1]
			own, partner := mentorbot.RoleMentee, mentorbot.RoleMentor
			if n%2 == 1 {
				own, partner = mentorbot.RoleMentor, mentorbot.RoleMentee
			}
			form := mentorbot.SurveyForm{Continue: string(mentorbot.Continues[n%len(mentorbot.Continues)]), Change: a.marker(string(kind)),
				Ratings: map[string]string{
					mentorbot.FieldQualityRating(mentorbot.RatedPartner, mentorbot.QualitiesAsked(partner, mentorbot.RatedPartner, cycle.ID, kind)[0].ID): strconv.Itoa(a.useful),
					mentorbot.FieldQualityRating(mentorbot.RatedSelf, mentorbot.QualitiesAsked(own, mentorbot.RatedSelf, cycle.ID, kind)[0].ID):           strconv.Itoa(6 - a.useful),
				}}
			if _, err := w.programme.AnswerSurvey(w.ctx(), a.id, cycle.ID, kind, form); err != nil {
				t.Fatal(err)
			}
			share(n%2 == 1)
			w.checkConfidential(people, export())
			if kind == mentorbot.SurveyMidpoint {
				listeningShown = append(listeningShown, qualityLine(t, w.slack.Channel(hrChannel), "Listen and understand"))
			}
		}
	}
	answerSurveys(mentorbot.SurveyMidpoint)
	// Mentees rate their mentors' listening second, fourth and sixth;
	// mentors rate their own first, third and fifth.
	for n, shown := range listeningShown {
		partners, selves := "by their partners hidden (fewer than 3 answers so far)", "by themselves hidden (fewer than 3 answers so far)"
		if n+1 >= 6 {
			partners = "by their partners 2.0 / 5 from 3 answers"
		}
		if n+1 >= 5 {
			selves = "by themselves 2.0 / 5 from 3 answers"
		}
		if want := partners + "; " + selves; shown != want {
			t.Errorf("after %d check-ins the HR channel shows mentors' listening as %q, want %q", n+1, shown, want)
		}
	}
	if _, err := w.programme.CloseCycle(w.ctx(), hope); err != nil {
		t.Fatal(err)
	}
	w.tick()
	w.hrSees("Cycle report: Spring 2026")
	summaries++
	answerSurveys(mentorbot.SurveyClosing)

	// The chart comes with each summary and opens as a picture.
	files := w.hrSees("Cycle report: Spring 2026").Files
	if len(files) != 1 || files[0].Mimetype != "image/png" {
		t.Fatalf("the report's files are %+v, want one PNG", files)
	}
	if img, err := png.Decode(bytes.NewReader(files[0].Content)); err != nil || img.Bounds().Dx() < 400 {
		t.Fatalf("the chart does not decode as a PNG: %v", err)
	}
}

var (
	// figureFrom and tallyOf find how many answers a figure rests on.
	figureFrom = regexp.MustCompile(`from (\d+) answers`)
	tallyOf    = regexp.MustCompile(`(\d+) people;`)
	usefulLine = regexp.MustCompile(`How useful sessions were:\*? ([^\n]*)`)
)

// usefulFigure is what the newest HR message says of how useful sessions were.
func usefulFigure(t *testing.T, hr []fakeslack.Message) string {
	t.Helper()
	m := usefulLine.FindStringSubmatch(hr[len(hr)-1].Rendered())
	if m == nil {
		t.Fatalf("the HR message has no useful figure:\n%s", hr[len(hr)-1].Rendered())
	}
	return m[1]
}

// qualityLine is what the newest HR message says of a quality.
func qualityLine(t *testing.T, hr []fakeslack.Message, name string) string {
	t.Helper()
	text := hr[len(hr)-1].Rendered()
	for line := range strings.Lines(text) {
		if rest, ok := strings.CutPrefix(line, "• "+name+": "); ok {
			return strings.TrimSpace(rest)
		}
	}
	t.Fatalf("the HR message has no line on %s:\n%s", name, text)
	return ""
}

// checkConfidential looks through every HR channel message, with its
// files, and the export's records, for anything of one person's.
func (w *world) checkConfidential(people []answerer, export [][]string) {
	w.t.Helper()
	for _, m := range w.slack.Channel(hrChannel) {
		text := m.Rendered()
		for _, f := range m.Files {
			text += "\n" + f.Name + "\n" + f.Title + "\n" + string(f.Content)
		}
		for _, a := range people {
			for _, private := range []string{a.marker("note"), a.marker(string(mentorbot.SurveyMidpoint)), a.marker(string(mentorbot.SurveyClosing)), a.id} {
				if strings.Contains(text, private) {
					w.t.Errorf("the HR channel shows %q:\n%s", private, m.Rendered())
				}
			}
		}
		for _, re := range []*regexp.Regexp{figureFrom, tallyOf} {
			for _, found := range re.FindAllStringSubmatch(text, -1) {
				if n, _ := strconv.Atoi(found[1]); n < mentorbot.MinAnswers || n%mentorbot.MinAnswers != 0 {
					w.t.Errorf("the HR channel shows a figure from %d answers: %q", n, found[0])
				}
			}
		}
	}
	column := func(name string) int { return slices.Index(mentorbot.ExportColumns, name) }
	for _, r := range export {
		for _, a := range people {
			for _, private := range []string{a.marker("note"), a.marker(string(mentorbot.SurveyMidpoint)), a.marker(string(mentorbot.SurveyClosing))} {
				if slices.Contains(r, private) {
					w.t.Errorf("the export holds %q: %v", private, r)
				}
			}
		}
		if r[0] != "feedback" {
			continue
		}
		for _, who := range []string{"pair", "participant", "mentor", "mentee"} {
			if r[column(who)] != "" {
				w.t.Errorf("an answer in the export names its %s: %v", who, r)
			}
		}
		n, err := strconv.Atoi(r[column("answers")])
		if err != nil || n%mentorbot.MinAnswers != 0 || n < mentorbot.MinAnswers && r[column("value")] != mentorbot.HiddenValue {
			w.t.Errorf("the export shows a figure from %s answers: %v", r[column("answers")], r)
		}
	}
}
