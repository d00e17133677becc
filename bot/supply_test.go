package bot_test

import (
	"strings"
	"testing"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// TestSupplyAndDemandShowWhereMentorsAreMissing: three seniors want Data
// visualisation, which no approved mentor teaches. Hope sees it first on
// her Home tab, in full behind its button, beside the draft's left-out
// reasons and in the HR channel's summary; nobody else can open the view.
func TestSupplyAndDemandShowWhereMentorsAreMissing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seedMatchable()
	ctx := w.ctx()
	for _, id := range []string{kai, "U0LEE", "U0MAX"} {
		w.slack.AddUser(fakeslack.User{ID: id, Name: strings.ToLower(id[3:]), RealName: id, TZ: "Europe/London"})
		senior := seedProfile(mentorbot.RoleMentee, "Europe/London", "")
		senior.Topics = []mentorbot.TopicInterest{{Topic: "Data visualisation", Level: 1}}
		if _, err := w.programme.Join(ctx, id, senior); err != nil {
			t.Fatal(err)
		}
		if _, err := w.programme.Train(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	// An applicant who teaches it is not yet supply: HR has not approved her.
	w.slack.AddUser(fakeslack.User{ID: "U0NED", Name: "ned", RealName: "Ned Applicant", TZ: "Europe/London"})
	applicant := seedProfile(mentorbot.RoleMentor, "Europe/London", "I draw charts all day.")
	applicant.Topics = []mentorbot.TopicInterest{{Topic: "Data visualisation", Level: 5}}
	if _, err := w.programme.Join(ctx, "U0NED", applicant); err != nil {
		t.Fatal(err)
	}

	h := w.person(hope)
	h.opensHome()
	h.seesHome("Skills supply and demand")
	h.seesHome("3 mentees want *Data visualisation*; no approved mentor teaches it")

	h.clicks("supply_open")
	h.seesModal("Supply and demand")
	v := h.seesInModal("⚠️ • *Data visualisation*: 3 want it (3 waiting) · 0 approved mentors · 0 places free · 0 pairs")
	shown := v.Rendered()
	if !strings.Contains(shown, "• *Social media*: 1 want it (1 waiting) · 2 approved mentors · 2 places free · 0 pairs") ||
		strings.Index(shown, "Data visualisation") > strings.Index(shown, "Social media") {
		t.Errorf("the full view does not list every topic, shortages first:\n%s", shown)
	}
	for _, who := range []string{grace, ada} {
		p := w.person(who)
		if _, err := p.p.ClicksUnseen(w.ctx(), "supply_open", ""); err != nil {
			t.Fatal(err)
		}
		p.seesInModal("Only the programme's admins can see the skills supply and demand")
	}

	// The draft says why each senior was left out, and where to look.
	h.types("/mentor match")
	h.seesModal("Matching draft")
	h.seesInModal("no mentor who is waiting teaches Data visualisation")
	h.seesInModal("Where demand outruns supply")
	h.seesInModal("under *Skills supply and demand* on your Home tab")
	h.submits(nil)
	h.seesInModal("Round published")
	w.finish()

	// Grace and Ada are proposed to each other: Social media still has a
	// free place with Bea, and is no shortage.
	h.types("/mentor summary")
	summary := w.hrSees("Where demand outruns supply").Rendered()
	if !strings.Contains(summary, "3 mentees want *Data visualisation*; no approved mentor teaches it") || strings.Contains(summary, "Social media") {
		t.Errorf("the summary's shortages are wrong:\n%s", summary)
	}
	h.opensHome()
	h.seesHome("3 mentees want *Data visualisation*; no approved mentor teaches it")
	h.clicks("supply_open")
	h.seesInModal("• *Social media*: 1 want it (0 waiting) · 2 approved mentors · 1 place free · 1 pair · 0 teach-ins")

	// A teach-in to come on a topic counts beside its pairs.
	w.offersTeachIn()
	h.closesModals()
	h.opensHome()
	h.clicks("supply_open")
	h.seesInModal("• *Social media*: 1 want it (0 waiting) · 2 approved mentors · 1 place free · 1 pair · 1 teach-in")
}
