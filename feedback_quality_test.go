package mentorbot_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
)

// surveyAsks is what a mentee's first halfway check-in asks them to rate.
var surveyAsks = mentorbot.SurveyDraft{}.Asks

func init() {
	for _, q := range mentorbot.QualitiesAsked(mentorbot.RoleMentor, mentorbot.RatedPartner, 1, mentorbot.SurveyMidpoint) {
		surveyAsks = append(surveyAsks, mentorbot.RatingAsk{Rated: mentorbot.RatedPartner, Role: mentorbot.RoleMentor, Quality: q})
	}
	for _, q := range mentorbot.QualitiesAsked(mentorbot.RoleMentee, mentorbot.RatedSelf, 1, mentorbot.SurveyMidpoint) {
		surveyAsks = append(surveyAsks, mentorbot.RatingAsk{Rated: mentorbot.RatedSelf, Role: mentorbot.RoleMentee, Quality: q})
	}
}

// rated is the form field of the i-th rating surveyAsks asks for.
func rated(i int) string { return surveyAsks[i].Field() }

// TestEveryQualityIsAskedAcrossTheProgramme: each survey asks three of a
// role's qualities, different ones from one survey to the next, until
// every quality has been asked, of partners and of oneself; the goal
// review asks the same self-ratings as halfway, to set them side by side.
func TestEveryQualityIsAskedAcrossTheProgramme(t *testing.T) {
	for _, role := range mentorbot.Roles {
		for _, rated := range []mentorbot.Rated{mentorbot.RatedPartner, mentorbot.RatedSelf} {
			asked := map[string]bool{}
			all := mentorbot.QualitiesOf(role)
			for cycle := int64(1); cycle <= int64(len(all)); cycle++ {
				mid := mentorbot.QualitiesAsked(role, rated, cycle, mentorbot.SurveyMidpoint)
				closing := mentorbot.QualitiesAsked(role, rated, cycle, mentorbot.SurveyClosing)
				if len(mid) != mentorbot.QualitiesPerSurvey || len(closing) != mentorbot.QualitiesPerSurvey {
					t.Fatalf("%s %s cycle %d asks %d and %d", role, rated, cycle, len(mid), len(closing))
				}
				if rated == mentorbot.RatedSelf && !slices.Equal(mid, closing) {
					t.Errorf("%s self-ratings differ halfway %v and at the review %v", role, mid, closing)
				}
				if rated == mentorbot.RatedPartner && slices.Equal(mid, closing) {
					t.Errorf("%s partner ratings ask the same at both surveys: %v", role, mid)
				}
				for _, q := range append(mid, closing...) {
					asked[q.ID] = true
				}
			}
			for _, q := range all {
				if !asked[q.ID] {
					t.Errorf("%s %s: %q is never asked", role, rated, q.Name)
				}
			}
		}
	}
}

// TestTheQualitiesAreTheOnesTheProgrammeNames: the onboarding of each role
// names every quality the surveys ask about, and what HR screens a mentor
// for is a mentor's qualities, each once.
func TestTheQualitiesAreTheOnesTheProgrammeNames(t *testing.T) {
	o := mentorbot.DefaultOnboarding()
	for _, role := range mentorbot.Roles {
		ids := map[string]bool{}
		for _, q := range mentorbot.QualitiesOf(role) {
			if !strings.Contains(strings.ToLower(o.ForRole(role)), strings.ToLower(q.Name)) {
				t.Errorf("the %s onboarding never names %q", role, q.Name)
			}
			if ids[q.ID] || q.Label == "" {
				t.Errorf("%s quality %q is listed twice or has no label", role, q.ID)
			}
			ids[q.ID] = true
		}
	}
	if !slices.Equal(mentorbot.ScreeningChecks, mentorbot.MentorQualities) {
		t.Errorf("the screening checks %v are not the mentor's qualities", mentorbot.ScreeningChecks)
	}
}

// TestQualityFiguresRestOnWholeGroupsOfThree: a quality's mean shows only
// from 3 ratings, moves only with each further 3, and partners' ratings
// and self-ratings count apart.
func TestQualityFiguresRestOnWholeGroupsOfThree(t *testing.T) {
	cycle := mentorbot.Cycle{ID: 1, StartsOn: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}
	patience := func(rated mentorbot.Rated, score int) mentorbot.QualityRating {
		return mentorbot.QualityRating{Rated: rated, Role: mentorbot.RoleMentor, Quality: "patience", Score: score}
	}
	var surveys []mentorbot.Survey
	for n, score := range []int{5, 4, 3, 1, 1} {
		surveys = append(surveys, mentorbot.Survey{ParticipantID: string(rune('a' + n)), Kind: mentorbot.SurveyMidpoint, Continue: mentorbot.ContinueYes,
			AnsweredAt: at(20, n), Ratings: []mentorbot.QualityRating{patience(mentorbot.RatedPartner, score)}})
	}
	surveys[0].Ratings = append(surveys[0].Ratings, patience(mentorbot.RatedSelf, 2))
	for _, tc := range []struct {
		surveys int
		partner mentorbot.Figure
		self    int // answers the self figure rests on
	}{
		{2, mentorbot.Figure{}, 0},
		{3, mentorbot.Figure{Value: 4, Answers: 3}, 0},
		{5, mentorbot.Figure{Value: 4, Answers: 3}, 0},
	} {
		s := mentorbot.Summarize(mentorbot.SummaryData{Cycle: cycle, Surveys: surveys[:tc.surveys]}, at(28, 9), time.UTC)
		if len(s.Qualities) != 1 {
			t.Fatalf("with %d surveys the summary has qualities %+v, want patience alone", tc.surveys, s.Qualities)
		}
		f := s.Qualities[0]
		if f.Quality.Name != "Patience" || f.Role != mentorbot.RoleMentor || f.Partner != tc.partner || f.Self.Answers != tc.self || !f.Self.Hidden() {
			t.Errorf("with %d surveys patience is %+v, want partners %+v and self from %d", tc.surveys, f, tc.partner, tc.self)
		}
	}
}

func TestSelfRatingsSideBySide(t *testing.T) {
	self := func(q string, n int) mentorbot.QualityRating {
		return mentorbot.QualityRating{Rated: mentorbot.RatedSelf, Role: mentorbot.RoleMentee, Quality: q, Score: n}
	}
	partner := mentorbot.QualityRating{Rated: mentorbot.RatedPartner, Role: mentorbot.RoleMentor, Quality: "patience", Score: 1}
	rows := mentorbot.SelfRatingsSideBySide(mentorbot.RoleMentee,
		[]mentorbot.QualityRating{self("listen", 2), self("act", 3), partner},
		[]mentorbot.QualityRating{self("listen", 4), self("commitment", 5), partner})
	want := []struct {
		id               string
		halfway, closing int
	}{{"listen", 2, 4}, {"act", 3, 0}, {"commitment", 0, 5}}
	if len(rows) != len(want) {
		t.Fatalf("rows %+v", rows)
	}
	for i, w := range want {
		if rows[i].Quality.ID != w.id || rows[i].Halfway != w.halfway || rows[i].Closing != w.closing {
			t.Errorf("row %d is %+v, want %+v", i, rows[i], w)
		}
	}
}
