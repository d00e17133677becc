package bot_test

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// closedOutPair is a pair who met, whose cycle has just been closed out.
func (w *world) closedOutPair() mentorbot.Pair {
	w.t.Helper()
	sessionOver.build(w)
	if _, err := w.programme.CloseCycle(w.ctx(), hope); err != nil {
		w.t.Fatal(err)
	}
	w.tick()
	w.person(grace).seesDM("Thank you for taking part")
	w.person(ada).seesDM("Thank you for taking part")
	return w.pairWith(ada, grace)
}

// celebrated is what the celebration channel holds once the bot is done.
func (w *world) celebrated() []string {
	w.t.Helper()
	w.finish()
	return rendered(w.slack.Channel(celebrateChannel))
}

// offersThanks writes a thank-you from the close-out's button.
func (p *person) offersThanks(text string) fakeslack.Ack {
	p.w.t.Helper()
	p.clicksIn("thanks", "thanks_open")
	p.seesModal("A thank-you")
	return p.submits(map[string]string{mentorbot.FieldThanks: text})
}

// TestAThankYouIsPostedOnlyWhenBothSayYes: Ada offers a thank-you with
// markup in it. Both are shown the exact post; her yes alone posts nothing,
// Grace's posts it as typed, never as a broadcast. A yes can't be taken
// back once it is posted, and nobody offers twice.
func TestAThankYouIsPostedOnlyWhenBothSayYes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.closedOutPair()
	a, g := w.person(ada), w.person(grace)
	g.seesDM("Say thank you out loud?")
	a.seesDM("Nothing is posted unless you and <@" + grace + "> both say yes")

	// Refused next to the field: what the form can send, then what only a
	// crafted request can.
	a.clicksIn("thanks", "thanks_open")
	a.seesModal("A thank-you")
	for _, tc := range []struct{ text, says string }{
		{"", "Write one line"},
		{"You were a 5/5 mentor", "Leave scores and ratings out"},
		{"My pulse score for you is high", "Leave scores and ratings out"},
	} {
		ack := a.submits(map[string]string{mentorbot.FieldThanks: tc.text})
		if msg := modalErrors(ack)[mentorbot.FieldThanks]; !strings.Contains(msg, tc.says) {
			t.Errorf("%q got %q, want %q", tc.text, msg, tc.says)
		}
	}
	for _, tc := range []struct{ text, says string }{
		{"Thank you\nfor everything", "Keep it to one line"},
		{strings.Repeat("x", mentorbot.MaxThanksChars+1), "Keep it under 200 characters"},
	} {
		if _, err := w.programme.OfferThanks(w.ctx(), ada, p.ID, tc.text); !strings.Contains(mentorbot.ErrorFields(err)[mentorbot.FieldThanks], tc.says) {
			t.Errorf("%q got %v", tc.text, err)
		}
	}
	if ts, _ := w.db.ThanksOf(w.ctx(), p.ID); len(ts) != 0 {
		t.Fatalf("a refused thank-you was kept: %+v", ts)
	}

	const words = "<!channel> Grace, thank you for trying every tool I showed you"
	a.submits(map[string]string{mentorbot.FieldThanks: words})
	a.seesInModal("It goes only if you both say yes")
	exact := "🎉 *A thank-you from <@" + ada + "> to <@" + grace + ">*"
	a.seesDM("Here is your thank-you exactly as it would be posted")
	ask := g.seesDM("would like to thank you in")
	if !strings.Contains(ask.Rendered(), exact) || !strings.Contains(ask.Rendered(), words) {
		t.Errorf("Grace is not shown the exact post:\n%s", ask.Rendered())
	}
	// The senior reads "no" first, as plainly as "yes".
	if r := ask.Rendered(); strings.Index(r, "No, keep it between us") > strings.Index(r, "Yes, share it") || !strings.Contains(r, "Saying no is just as fine") {
		t.Errorf("Grace's ask does not make no as easy as yes:\n%s", r)
	}

	a.clicks("thanks_yes")
	a.seesDM("You said yes. It goes once <@" + grace + "> says yes too")
	if posts := w.celebrated(); len(posts) != 0 {
		t.Fatalf("posted on one yes: %v", posts)
	}
	g.clicks("thanks_yes")
	g.seesDM("You both said yes")
	posts := w.celebrated()
	if len(posts) != 1 || !strings.Contains(posts[0], exact) || !strings.Contains(posts[0], words) {
		t.Fatalf("the channel has %v, want the one thank-you as shown", posts)
	}
	raw := w.slack.Channel(celebrateChannel)[0].Blocks[0].(*slack.SectionBlock).Text.Text
	if !strings.Contains(raw, "&lt;!channel&gt;") || strings.Contains(raw, "<!channel>") {
		t.Errorf("the post carries the typed markup live: %q", raw)
	}
	for _, leak := range []string{"/ 5", "useful", "comfortable"} {
		if strings.Contains(posts[0], leak) {
			t.Errorf("the post names a score: %s", posts[0])
		}
	}
	if ts, _ := w.db.ThanksOf(w.ctx(), p.ID); len(ts) != 1 || ts[0].State != mentorbot.ThanksPosted {
		t.Errorf("stored thanks %+v, want one posted", ts)
	}

	// Once posted, a yes can't be taken back here; and Ada offered hers.
	g.clicks("thanks_withdraw")
	g.seesDM("is posted already")
	if _, err := a.p.ClicksUnseen(w.ctx(), "thanks_open", itoa(p.ID)); err != nil {
		t.Fatal(err)
	}
	a.seesInModal("You've offered your thank-you already")
	if posts := w.celebrated(); len(posts) != 1 {
		t.Errorf("the channel has %d posts, want 1", len(posts))
	}
}

// TestASeniorsNoKeepsTheThanksPrivate: Grace says no to Ada's thank-you;
// nothing is posted, Ada hears it stays between them (not who chose so),
// and a yes after that is refused.
func TestASeniorsNoKeepsTheThanksPrivate(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.closedOutPair()
	a, g := w.person(ada), w.person(grace)
	a.offersThanks("Thank you for your curiosity")
	a.seesDM("Here is your thank-you exactly as it would be posted")
	a.clicks("thanks_yes")
	g.seesDM("would like to thank you in")
	g.clicks("thanks_no")
	g.seesDM("stays between you and <@" + ada + ">; it won't be posted")
	a.seesDM("won't be posted: it stays between you two")
	a.seesNoDM("said no")
	a.clicks("thanks_withdraw")
	a.seesDM("one of you chose not to share it")
	if posts := w.celebrated(); len(posts) != 0 {
		t.Fatalf("posted after a no: %v", posts)
	}
	if ts, _ := w.db.ThanksOf(w.ctx(), p.ID); len(ts) != 1 || ts[0].State != mentorbot.ThanksKept || ts[0].MenteeYes {
		t.Errorf("stored thanks %+v, want kept without Grace's yes", ts)
	}
}

// TestAYesTakenBackBeforeItsTurnPostsNothing: posts are spaced apart, so
// the second thank-you of the close-out waits its turn; Ada takes her yes
// back meanwhile, and when its time comes nothing goes.
func TestAYesTakenBackBeforeItsTurnPostsNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.closedOutPair()
	a, g := w.person(ada), w.person(grace)
	if _, err := w.programme.OfferThanks(w.ctx(), ada, p.ID, "Thank you for the questions"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.programme.OfferThanks(w.ctx(), grace, p.ID, "Ada made video editing feel easy"); err != nil {
		t.Fatal(err)
	}
	both := func(thanks mentorbot.Thanks) {
		for _, who := range []string{ada, grace} {
			if _, err := w.programme.AnswerThanks(w.ctx(), who, thanks.ID, mentorbot.ThanksYes); err != nil {
				t.Fatal(err)
			}
		}
	}
	ts, _ := w.db.ThanksOf(w.ctx(), p.ID)
	both(ts[0])
	if posts := w.celebrated(); len(posts) != 1 {
		t.Fatalf("the first thank-you was not posted at once: %v", posts)
	}
	both(ts[1])
	if posts := w.celebrated(); len(posts) != 1 {
		t.Fatalf("the second thank-you did not wait its turn: %v", posts)
	}
	if _, err := w.programme.AnswerThanks(w.ctx(), ada, ts[1].ID, mentorbot.ThanksWithdraw); err != nil {
		t.Fatal(err)
	}
	g.seesDM("won't be posted")
	w.at(w.clock.Now().Add(mentorbot.ThanksSpacing))
	if posts := w.celebrated(); len(posts) != 1 || strings.Contains(posts[0], "video editing") {
		t.Fatalf("a yes taken back was posted: %v", posts)
	}
	if ts, _ = w.db.ThanksOf(w.ctx(), p.ID); ts[1].State != mentorbot.ThanksKept || ts[0].State != mentorbot.ThanksPosted {
		t.Errorf("stored thanks %+v, want the first posted and the second kept", ts)
	}
	a.seesNoDM("won't be posted")
}

// TestThankYousAreOfferedOnlyAtCloseOutAndWhenTurnedOn: during the cycle,
// and in a workspace without MENTORBOT_CELEBRATE_CHANNEL, nobody is
// offered the chance, and a crafted request is refused.
func TestThankYousAreOfferedOnlyAtCloseOutAndWhenTurnedOn(t *testing.T) {
	t.Parallel()
	t.Run("during the cycle", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t)
		p := sessionOver.build(w).pair
		a := w.person(ada)
		if _, err := a.p.ClicksUnseen(w.ctx(), "thanks_open", itoa(p.ID)); err != nil {
			t.Fatal(err)
		}
		a.seesInModal("Thank-yous are shared at the end of the cycle")
	})
	t.Run("turned off", func(t *testing.T) {
		t.Parallel()
		w := newWorld(t, withoutCelebration())
		p := w.closedOutPair()
		g := w.person(grace)
		g.seesNoDM("Say thank you out loud?")
		if _, err := g.p.ClicksUnseen(w.ctx(), "thanks_open", itoa(p.ID)); err != nil {
			t.Fatal(err)
		}
		g.seesInModal("Sharing thank-yous is turned off")
		if _, err := w.programme.OfferThanks(w.ctx(), grace, p.ID, "Thank you"); mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
			t.Errorf("an offer with the feature off: %v", err)
		}
	})
}
