package mentorbot

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// MentorQualities are what a good reverse mentor brings. HR screens
// applicants for them, the onboarding names them, and the surveys ask how
// each mentor showed them.
var MentorQualities = []Quality{
	{"listening", "Listen and understand", "Listens and asks before explaining"},
	{"challenge", "Challenge and stimulate learning", "Stretches the mentee to try things themselves"},
	{"example", "Teach by example", "Teaches by showing real examples"},
	{"technology", "Introduce new technologies", "Brings in tools and ways of working the mentee hasn't met"},
	{"patience", "Patience", "Patient and even-tempered with senior colleagues"},
	{"focus", "Restricted advice", "Keeps advice to the topic that was asked about"},
}

// MenteeQualities are what a good reverse mentee brings.
var MenteeQualities = []Quality{
	{"listen", "Listen", "Listens before judging what they hear"},
	{"act", "Act on advice", "Tries what they were shown before the next session"},
	{"commitment", "Show commitment", "Keeps the slot and comes prepared"},
	{"feedback", "Ask for feedback", "Asks what they get right and what they keep missing"},
	{"open", "Open-minded", "Hears out ways of working unlike their own"},
	{"change", "Willing to change", "Changes how they work when something new works better"},
	{"proactive", "Act proactively", "Brings a real task or question to each session"},
}

// QualitiesOf lists the qualities a role brings.
func QualitiesOf(r Role) []Quality {
	if r == RoleMentor {
		return MentorQualities
	}
	return MenteeQualities
}

// QualitiesPerSurvey is how many of a role's qualities a survey asks
// about, for each of the two ratings.
const QualitiesPerSurvey = 3

// Rated says whose qualities a rating is about.
type Rated string

const (
	RatedPartner Rated = "partner" // how the person's partner showed a quality
	RatedSelf    Rated = "self"    // how the person showed one themselves
)

// RatingScores are the answers to a quality, 1 (not yet) to 5 (always).
var RatingScores = []int{1, 2, 3, 4, 5}

// RatingScoreText names a score as the form shows it.
func RatingScoreText(score int) string {
	words := []string{"not yet", "a little", "sometimes", "often", "always"}
	if score < 1 || score > len(words) {
		return fmt.Sprint(score)
	}
	return fmt.Sprintf("%d %s", score, words[score-1])
}

// QualitiesAsked are the qualities of role a survey of the cycle asks
// about. They rotate over the role's list so every quality is asked across
// the programme: the partner's rating moves on three qualities with each
// survey; the self-rating moves with each cycle and stays the same at the
// goal review as halfway, so a person can set the two side by side.
func QualitiesAsked(role Role, rated Rated, cycleID int64, kind SurveyKind) []Quality {
	all := QualitiesOf(role)
	turn := int(max(cycleID-1, 0))
	if rated == RatedPartner {
		turn *= 2
		if kind == SurveyClosing {
			turn++
		}
	}
	asked := make([]Quality, 0, QualitiesPerSurvey)
	for i := range QualitiesPerSurvey {
		asked = append(asked, all[(turn*QualitiesPerSurvey+i)%len(all)])
	}
	return asked
}

// FieldQualityRating names the survey form's field for one rating.
func FieldQualityRating(rated Rated, qualityID string) string {
	return "quality_" + string(rated) + "_" + qualityID
}

// QualityRating is one private answer: how a quality of Role was shown,
// by the person's partner or by themselves. Nobody sees one rating but its
// writer, and a self-rating only its writer; HR sees means from MinAnswers
// ratings or more.
type QualityRating struct {
	Rated   Rated
	Role    Role   // the role whose quality it is
	Quality string // its ID
	Score   int
	// AnsweredAt is when its survey was answered.
	AnsweredAt time.Time
}

// qualityNamed finds a role's quality by ID.
func qualityNamed(role Role, id string) (Quality, bool) {
	i := slices.IndexFunc(QualitiesOf(role), func(q Quality) bool { return q.ID == id })
	if i < 0 {
		return Quality{}, false
	}
	return QualitiesOf(role)[i], true
}

// QualityName is a quality's name, or its ID when the list no longer has it.
func QualityName(role Role, id string) string {
	if q, ok := qualityNamed(role, id); ok {
		return q.Name
	}
	return id
}

// RatingAsk is one quality a survey asks a person to rate.
type RatingAsk struct {
	Rated   Rated
	Role    Role
	Quality Quality
}

// Field is the form field of the ask.
func (a RatingAsk) Field() string { return FieldQualityRating(a.Rated, a.Quality.ID) }

// ratingAsks lists what a survey asks the person to rate: three of their
// partner's qualities when they have a partner in the cycle, then three of
// their own.
func ratingAsks(own, partner Role, cycleID int64, kind SurveyKind) []RatingAsk {
	var asks []RatingAsk
	if partner != "" {
		for _, q := range QualitiesAsked(partner, RatedPartner, cycleID, kind) {
			asks = append(asks, RatingAsk{Rated: RatedPartner, Role: partner, Quality: q})
		}
	}
	for _, q := range QualitiesAsked(own, RatedSelf, cycleID, kind) {
		asks = append(asks, RatingAsk{Rated: RatedSelf, Role: own, Quality: q})
	}
	return asks
}

// parseRatings reads the ratings a person gave. Each is optional; one
// given must be a score of the scale.
func parseRatings(asks []RatingAsk, given map[string]string, errs FieldErrors) []QualityRating {
	var out []QualityRating
	for _, a := range asks {
		v := strings.TrimSpace(given[a.Field()])
		if v == "" {
			continue
		}
		score := 0
		if _, err := fmt.Sscanf(v, "%d", &score); err != nil || fmt.Sprint(score) != v || !slices.Contains(RatingScores, score) {
			errs.Add(a.Field(), "Pick a number from 1 to 5, or leave it blank.")
			continue
		}
		out = append(out, QualityRating{Rated: a.Rated, Role: a.Role, Quality: a.Quality.ID, Score: score})
	}
	return out
}

// SelfRatingRow is one of a person's own qualities with what they said of
// it halfway and at the goal review, 0 where they did not say.
type SelfRatingRow struct {
	Quality          Quality
	Halfway, Closing int
}

// SelfRatingsSideBySide sets a person's self-ratings of the two surveys
// side by side, in the order of the role's list.
func SelfRatingsSideBySide(role Role, halfway, closing []QualityRating) []SelfRatingRow {
	var rows []SelfRatingRow
	for _, q := range QualitiesOf(role) {
		row := SelfRatingRow{Quality: q}
		for _, r := range halfway {
			if r.Rated == RatedSelf && r.Quality == q.ID {
				row.Halfway = r.Score
			}
		}
		for _, r := range closing {
			if r.Rated == RatedSelf && r.Quality == q.ID {
				row.Closing = r.Score
			}
		}
		if row.Halfway > 0 || row.Closing > 0 {
			rows = append(rows, row)
		}
	}
	return rows
}

// QualityFigure is the mean of one quality of a role across the cycle's
// surveys: as partners saw it and as people saw it in themselves.
type QualityFigure struct {
	Role          Role
	Quality       Quality
	Partner, Self Figure
}

// qualityFigures draws a figure for each quality that was rated at all,
// in the order of each role's list. Each figure keeps only the earliest
// ratings in whole groups of MinAnswers, as every figure does.
func qualityFigures(surveys []Survey) []QualityFigure {
	type key struct {
		role    Role
		quality string
		rated   Rated
	}
	by := map[key][]QualityRating{}
	for _, s := range surveys {
		for _, r := range s.Ratings {
			r.AnsweredAt = s.AnsweredAt
			k := key{r.Role, r.Quality, r.Rated}
			by[k] = append(by[k], r)
		}
	}
	figure := func(k key) Figure {
		var f Figure
		total := 0
		for _, r := range countable(by[k], func(r QualityRating) time.Time { return r.AnsweredAt }) {
			total += r.Score
			f.Answers++
		}
		if f.Answers > 0 {
			f.Value = float64(total) / float64(f.Answers)
		}
		return f
	}
	var out []QualityFigure
	for _, role := range Roles {
		for _, q := range QualitiesOf(role) {
			partner, self := key{role, q.ID, RatedPartner}, key{role, q.ID, RatedSelf}
			if len(by[partner]) == 0 && len(by[self]) == 0 {
				continue
			}
			out = append(out, QualityFigure{Role: role, Quality: q, Partner: figure(partner), Self: figure(self)})
		}
	}
	return out
}
