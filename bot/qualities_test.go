package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
)

// TestQualitiesAreRatedPrivately: halfway and at the goal review each
// person rates three of their partner's qualities and three of their own.
// A rating off the scale is refused next to it; nobody but its writer ever
// sees one; HR sees a quality's mean only from 3 ratings; at the goal
// review a person sees their own self-ratings side by side.
func TestQualitiesAreRatedPrivately(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.heldSession()
	g, a, h := w.person(grace), w.person(ada), w.person(hope)
	cycle, _ := w.db.Cycle(w.ctx(), p.CycleID)

	w.at(cycle.Midpoint().Add(9 * time.Hour))
	g.seesDM("You're halfway through Spring 2026")
	g.clicks("survey_open")
	g.seesModal("Halfway check-in")
	for _, asked := range []string{"How did your partner show these?", "Listen and understand:", "Challenge and stimulate learning:", "Teach by example:",
		"Rate yourself on three qualities of a good mentee", "Listen:", "Act on advice:", "Show commitment:"} {
		g.seesInModal(asked)
	}
	// What the form cannot send, a crafted request can: it is refused next
	// to the rating, and nothing is kept.
	partnerField := mentorbot.FieldQualityRating(mentorbot.RatedPartner, "listening")
	selfField := mentorbot.FieldQualityRating(mentorbot.RatedSelf, "listen")
	for _, bad := range []string{"6", "0", "two", "-1"} {
		_, err := w.programme.AnswerSurvey(w.ctx(), grace, p.CycleID, mentorbot.SurveyMidpoint,
			mentorbot.SurveyForm{Continue: "yes", Ratings: map[string]string{partnerField: bad}})
		if msg := mentorbot.ErrorFields(err)[partnerField]; !strings.Contains(msg, "from 1 to 5") {
			t.Errorf("the rating %q got %v", bad, err)
		}
	}
	if _, err := w.db.Survey(w.ctx(), grace, p.CycleID, mentorbot.SurveyMidpoint); mentorbot.ErrorCode(err) != mentorbot.ENOTFOUND {
		t.Fatalf("a refused check-in was kept: %v", err)
	}
	// Ratings are optional: Grace skips one of her own.
	g.submits(map[string]string{mentorbot.FieldSurveyContinue: "yes", partnerField: "4",
		mentorbot.FieldQualityRating(mentorbot.RatedPartner, "challenge"): "5",
		selfField: "2", mentorbot.FieldQualityRating(mentorbot.RatedSelf, "act"): "3"})
	g.seesInModal("Keep going!")
	w.finish()
	s, err := w.db.Survey(w.ctx(), grace, p.CycleID, mentorbot.SurveyMidpoint)
	if err != nil || len(s.Ratings) != 4 {
		t.Fatalf("stored check-in %+v, %v; want four ratings", s, err)
	}
	for _, r := range s.Ratings {
		if r.Rated == mentorbot.RatedPartner && r.Role != mentorbot.RoleMentor || r.Rated == mentorbot.RatedSelf && r.Role != mentorbot.RoleMentee {
			t.Errorf("Grace's rating %+v is of the wrong role's quality", r)
		}
	}

	// Ada, the mentor, is asked about the mentee's qualities and her own.
	a.clicks("survey_open")
	a.seesModal("Halfway check-in")
	a.seesInModal("Show commitment:")
	a.seesInModal("Rate yourself on three qualities of a good mentor")
	a.submits(map[string]string{mentorbot.FieldSurveyContinue: "yes",
		mentorbot.FieldQualityRating(mentorbot.RatedPartner, "listen"): "1", mentorbot.FieldQualityRating(mentorbot.RatedSelf, "listening"): "3"})
	a.seesInModal("Keep going!")

	// One or two ratings of a quality show to HR as hidden, never as a figure.
	h.types("/mentor summary")
	summary := w.hrSees("What mentors brought").Rendered()
	for _, line := range []string{"• Listen and understand: by their partners hidden (fewer than 3 answers so far); by themselves hidden",
		"• Listen: by their partners hidden (fewer than 3 answers so far); by themselves hidden"} {
		if !strings.Contains(summary, line) {
			t.Errorf("the summary does not say %q:\n%s", line, summary)
		}
	}
	for _, leak := range []string{"4.0 / 5", "2.0 / 5", "1.0 / 5", "3.0 / 5", "5.0 / 5"} {
		if strings.Contains(summary, leak) {
			t.Errorf("the summary shows one person's rating %q:\n%s", leak, summary)
		}
	}
	for _, m := range a.p.DMs() {
		if strings.Contains(m.Rendered(), "4 often") || strings.Contains(m.Rendered(), "2 a little") {
			t.Errorf("Ada sees Grace's rating:\n%s", m.Rendered())
		}
	}

	// At the goal review the partner's qualities move on; Grace's own stay,
	// with what she said halfway beside each.
	w.at(cycle.EndsOn.Add(36 * time.Hour))
	g.seesDM("Thank you for taking part")
	g.clicksIn("review", "survey_open")
	g.seesModal("Goal review")
	for _, asked := range []string{"Introduce new technologies:", "Patience:", "Restricted advice:",
		"Listen (halfway you said 2 a little):", "Act on advice (halfway you said 3 sometimes):", "Show commitment:"} {
		g.seesInModal(asked)
	}
	g.submits(map[string]string{mentorbot.FieldSurveyContinue: "yes", selfField: "4",
		mentorbot.FieldQualityRating(mentorbot.RatedSelf, "commitment"): "5"})
	for _, row := range []string{"Your self-ratings, halfway → now", "Listen: 2 a little → 4 often", "Act on advice: 3 sometimes → not rated",
		"Show commitment: not rated → 5 always"} {
		g.seesInModal(row)
	}
	w.hrNeverSees("4 often")
}
