package bot_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
	"github.com/mentorbot/mentorbot/store/storetest"
)

// sam works here but never joined the programme.
const sam = "U0SAM"

// The audit tries each route as four people: Hope runs the programme,
// Grace is a mentee in a pair, Ada is her partner, Sam never joined.
var auditors = []struct{ id, role string }{
	{hope, "admin"}, {grace, "participant"}, {ada, "partner"}, {sam, "non-participant"},
}

// auditTarget is what a route's fixture made for the request to name.
type auditTarget struct {
	pair    mentorbot.Pair
	session string // the pair's first session, as its buttons name it
	view    string // a modal its owner has open, whose copy everyone submits
	teachIn int64  // a teach-in Ada hosts
	thanks  int64  // a thank-you Ada offered Grace
}

// outcome is what one person's request comes to.
type outcome struct {
	sees string // the refusal, or what they asked to see; "" for nothing
	// effect checks what the request changed; without one, nothing stored
	// may change at all.
	effect func(w *world, who string, t auditTarget)
}

func refused(why string) outcome { return outcome{sees: why} }

func shown(what string) outcome { return outcome{sees: what} }

func does(sees string, effect func(w *world, who string, t auditTarget)) outcome {
	return outcome{sees: sees, effect: effect}
}

// auditRow is one route, and what each of the four people gets from the
// same request. A button's value and a form's metadata name the target,
// so a stranger's request is a crafted one naming someone else's pair.
type auditRow struct {
	route string   // as Bot.Routes names it
	from  *fixture // the world the row starts from
	// open readies what the request needs in the row's own world: the
	// modal whose copy everyone submits.
	open   func(w *world, t auditTarget) auditTarget
	args   string                     // words after the subcommand
	value  func(t auditTarget) string // a button's value
	values map[string]string          // what a form's inputs say
	want   map[string]outcome         // by person
}

const (
	notJoined    = "You haven't joined the programme yet"
	notTheirPair = "That match is between two other people"
)

func adminsOnly(what string) string { return "Only the programme's admins can " + what }

// everyone is the same outcome for all four people.
func everyone(o outcome) map[string]outcome {
	return map[string]outcome{hope: o, grace: o, ada: o, sam: o}
}

// adminOnly lets Hope do what the others are refused.
func adminOnly(allowed outcome, what string) map[string]outcome {
	return map[string]outcome{hope: allowed, grace: refused(adminsOnly(what)), ada: refused(adminsOnly(what)), sam: refused(adminsOnly(what))}
}

// pairOnly lets Grace and Ada do what Hope and Sam are refused.
func pairOnly(allowed outcome) map[string]outcome {
	return map[string]outcome{hope: refused(notTheirPair), grace: allowed, ada: allowed, sam: refused(notTheirPair)}
}

// joinedOnly lets Grace and Ada do what Hope and Sam, who never joined,
// are refused.
func joinedOnly(allowed outcome) map[string]outcome {
	return map[string]outcome{hope: refused(notJoined), grace: allowed, ada: allowed, sam: refused(notJoined)}
}

func TestEveryRouteHasAnAuditRow(t *testing.T) {
	t.Parallel()
	b := bot.New(bot.Config{}, &mentorbot.Programme{}, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	routes := b.Routes()
	audited := map[string]bool{}
	for _, row := range auditRows() {
		audited[row.route] = true
		if !slices.Contains(routes, row.route) {
			t.Errorf("the audit has a row for %q, which the bot does not answer", row.route)
		}
	}
	for _, r := range routes {
		if !audited[r] {
			t.Errorf("%s has no row in the authorization audit: say who may use it and what everyone else is told", r)
		}
	}
}

// TestEveryRouteRefusesWhoeverMayNotUseIt sends every command, button and
// form as each of the four people: whoever may use it gets its effect;
// everyone else gets a clear refusal, and nothing stored changes.
func TestEveryRouteRefusesWhoeverMayNotUseIt(t *testing.T) {
	t.Parallel()
	built := savedFixtures{test: t, saved: map[*fixture]*savedFixture{}}
	for _, row := range auditRows() {
		name := strings.ReplaceAll(strings.TrimSpace(row.route+" "+row.args), " ", "_")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			saved := built.of(t, row.from)
			w := saved.restore(t)
			target := saved.target
			if row.open != nil {
				target = row.open(w, target)
			}
			w.finish()
			// Refusals first, so each meets the world as it was set up.
			order := slices.Clone(auditors)
			slices.SortStableFunc(order, func(a, b struct{ id, role string }) int {
				return boolOrder(row.want[a.id].effect != nil) - boolOrder(row.want[b.id].effect != nil)
			})
			before := w.storedRows()
			for _, who := range order {
				want, ok := row.want[who.id]
				if !ok {
					t.Fatalf("the row says nothing about the %s", who.role)
				}
				p := w.person(who.id)
				if before == nil {
					before = w.storedRows()
				}
				since, handled := p.mark(), w.handledRequests()
				ack := row.send(p, target)
				if !p.seesAfter(since, ack, want.sees) {
					t.Errorf("the %s was never shown %q", who.role, want.sees)
				}
				// A request is recorded once all it started is done.
				w.finish()
				if w.handledRequests() == handled {
					t.Fatalf("the %s's request was done but never recorded", who.role)
				}
				if want.effect != nil {
					want.effect(w, who.id, target)
					before = nil
				} else {
					after := w.storedRows()
					if changed := differences(before, after); len(changed) > 0 {
						t.Errorf("the %s's request changed what is stored:\n%s", who.role, strings.Join(changed, "\n"))
					}
					// What the next person's request may not change; a
					// modal closed below changes nothing stored either,
					// or the next person is blamed for it and the test fails.
					before = after
				}
				if !strings.HasPrefix(row.route, "view ") {
					p.closesModals()
				}
			}
		})
	}
}

// savedFixtures builds each fixture once, for whichever row needs it
// first, and saves it for every row to start from a copy.
type savedFixtures struct {
	test  *testing.T // the test the saved databases last as long as
	mu    sync.Mutex
	saved map[*fixture]*savedFixture
}

type savedFixture struct {
	once sync.Once
	savedWorld
	ok bool // built; false when building it failed
}

func (f *savedFixtures) of(t *testing.T, fx *fixture) savedWorld {
	t.Helper()
	f.mu.Lock()
	s := f.saved[fx]
	if s == nil {
		s = &savedFixture{}
		f.saved[fx] = s
	}
	f.mu.Unlock()
	s.once.Do(func() {
		w := newWorld(t)
		addAuditPeople(w)
		s.savedWorld = saveWorld(w, f.test, fx.build(w))
		s.ok = true
	})
	if !s.ok {
		t.Fatalf("the %q world could not be built", fx.name)
	}
	return s.savedWorld
}

// handledRequests counts the requests the bot has finished with.
func (w *world) handledRequests() int {
	w.t.Helper()
	rows := w.reader().query(w.t, `SELECT COUNT(*) FROM handled_requests`)
	defer rows.Close()
	var n int
	if !rows.Next() || rows.Scan(&n) != nil {
		w.t.Fatalf("could not count the handled requests: %v", rows.Err())
	}
	return n
}

func boolOrder(b bool) int {
	if b {
		return 1
	}
	return 0
}

// send makes the row's request as this person: the command, the button
// with the row's value, or a copy of the owner's form.
func (row auditRow) send(p *person, t auditTarget) fakeslack.Ack {
	p.w.t.Helper()
	kind, id, _ := strings.Cut(row.route, " ")
	var ack fakeslack.Ack
	var err error
	switch kind {
	case "command":
		ack, err = p.p.Types(p.w.ctx(), strings.TrimSpace(id+" "+row.args))
	case "action":
		value := ""
		if row.value != nil {
			value = row.value(t)
		}
		ack, err = p.p.ClicksUnseen(p.w.ctx(), id, value)
	case "view":
		ack, err = p.p.SubmitsCopy(p.w.ctx(), t.view, row.values)
	case "event":
		ack, err = p.p.OpensHome(p.w.ctx())
	default:
		p.w.t.Fatalf("no way to send %q", row.route)
	}
	if err != nil {
		p.w.t.Fatalf("%s sending %s: %v", p.p.ID(), row.route, err)
	}
	return ack
}

// shownCount is how much a person had been shown before a request.
type shownCount struct{ dms, replies int }

func (p *person) mark() shownCount {
	return shownCount{dms: len(p.p.DMs()), replies: len(p.p.Ephemerals())}
}

// seesAfter waits until the ack of a request, or what the person was shown
// since, says text; nothing they were shown may be an apology instead.
func (p *person) seesAfter(since shownCount, ack fakeslack.Ack, text string) bool {
	p.w.t.Helper()
	shown := func() []string {
		out := ackTexts(ack.Payload)
		for _, m := range p.p.DMs()[since.dms:] {
			out = append(out, m.Rendered())
		}
		for _, m := range p.p.Ephemerals()[since.replies:] {
			out = append(out, m.Rendered())
		}
		if v := p.p.Modal(); v != nil {
			out = append(out, v.Rendered())
		}
		if v := p.p.Home(); v != nil {
			out = append(out, v.Rendered())
		}
		return out
	}
	says := func() bool {
		return slices.ContainsFunc(shown(), func(s string) bool { return strings.Contains(s, text) })
	}
	found := text == "" || p.w.slack.WaitUntil(p.w.ctx(), says) == nil
	if slices.ContainsFunc(shown(), func(s string) bool { return strings.Contains(s, mentorbot.InternalErrorMessage) }) {
		p.w.t.Errorf("%s got an apology instead of an answer", p.p.ID())
	}
	if !found {
		p.w.t.Logf("%s was shown: %q", p.p.ID(), shown())
	}
	return found
}

// ackTexts is every string in an ack's payload: a reply's text, a view's
// blocks, errors next to fields.
func ackTexts(payload json.RawMessage) []string {
	var v any
	if json.Unmarshal(payload, &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// closesModals closes every modal the person has open.
func (p *person) closesModals() {
	p.w.t.Helper()
	for p.p.Modal() != nil {
		if err := p.p.Cancel(p.w.ctx()); err != nil {
			p.w.t.Fatal(err)
		}
	}
}

// differences lists the rows stored in one snapshot and not the other.
func differences(before, after []string) []string {
	var out []string
	for _, r := range before {
		if !slices.Contains(after, r) {
			out = append(out, "- "+r)
		}
	}
	for _, r := range after {
		if !slices.Contains(before, r) {
			out = append(out, "+ "+r)
		}
	}
	return out
}

// sessionValue names a session as its buttons do.
func sessionValue(p mentorbot.Pair, occurrence time.Time) string {
	return fmt.Sprintf("%d:%d:0", p.ID, occurrence.Unix())
}

func pairValue(t auditTarget) string   { return itoa(t.pair.ID) }
func teachInOf(t auditTarget) string   { return itoa(t.teachIn) }
func sessionOf(t auditTarget) string   { return t.session }
func firstSlotOf(t auditTarget) string { return itoa(t.pair.ID) + ":0" }

// fixture is a world audit rows start from: built once per test run,
// saved, and copied for each row.
type fixture struct {
	name  string
	build func(w *world) auditTarget
}

// Each fixture starts from Ada and Boss as trained mentors and Grace as a
// trained mentee, in an open cycle.
var (
	matchable = &fixture{"matchable", func(w *world) auditTarget {
		w.seedMatchable()
		return auditTarget{}
	}}
	// drafted has Ada and Grace paired in Hope's draft round.
	drafted = &fixture{"drafted", func(w *world) auditTarget {
		w.seedMatchable()
		if _, err := w.programme.DraftRound(w.ctx(), hope); err != nil {
			w.t.Fatal(err)
		}
		return auditTarget{pair: w.pairWith(ada, grace)}
	}}
	// lockedInDraft is drafted, with the pair locked.
	lockedInDraft = &fixture{"locked in the draft", func(w *world) auditTarget {
		t := drafted.build(w)
		if _, err := w.programme.LockPair(w.ctx(), hope, t.pair.ID, true); err != nil {
			w.t.Fatal(err)
		}
		return t
	}}
	// proposed has Ada and Grace proposed to each other, yet to answer.
	proposed = &fixture{"proposed", func(w *world) auditTarget {
		w.seedMatchable()
		w.publish()
		return auditTarget{pair: w.pairWith(ada, grace)}
	}}
	// agreeing has Ada and Grace paired, yet to agree their time.
	agreeing = &fixture{"agreeing", func(w *world) auditTarget {
		return auditTarget{pair: w.activePair()}
	}}
	// inPair has Ada and Grace meeting every other Tuesday, the first
	// session tomorrow.
	inPair = &fixture{"in a pair", func(w *world) auditTarget {
		p := w.agreedPair()
		w.at(time.Date(2026, 3, 2, 11, 0, 0, 0, time.UTC))
		return auditTarget{pair: p, session: sessionValue(p, firstSession)}
	}}
	// sessionOver is inPair after the first session, when both are asked
	// whether it happened.
	sessionOver = &fixture{"after a session", func(w *world) auditTarget {
		t := inPair.build(w)
		w.at(firstCheck)
		return t
	}}
	// gracePaused is inPair with Grace on a break.
	gracePaused = &fixture{"Grace paused", func(w *world) auditTarget {
		t := inPair.build(w)
		if _, err := w.programme.Pause(w.ctx(), grace, "2026-03-20"); err != nil {
			w.t.Fatal(err)
		}
		w.tick()
		return t
	}}
	// applying is inPair with Kai's application to mentor waiting.
	applying = &fixture{"an application waiting", func(w *world) auditTarget {
		t := inPair.build(w)
		if _, err := w.programme.Join(w.ctx(), kai, seedProfile(mentorbot.RoleMentor, "Europe/London", "I teach spreadsheets.")); err != nil {
			w.t.Fatal(err)
		}
		return t
	}}
	// atRisk has the pair's first two sessions missed, and flagged to Hope.
	atRisk = &fixture{"at risk", func(w *world) auditTarget {
		t := inPair.build(w)
		for _, day := range []int{3, 17} {
			w.at(time.Date(2026, 3, day, 13, 0, 0, 0, time.UTC))
			sessions, err := w.db.SessionsOf(w.ctx(), t.pair.ID)
			if err != nil {
				w.t.Fatal(err)
			}
			for _, s := range sessions {
				if s.StartsAt.Day() != day {
					continue
				}
				if _, err := w.programme.AnswerHeld(w.ctx(), grace, t.pair.ID, s.Occurrence, mentorbot.HeldNo); err != nil {
					w.t.Fatal(err)
				}
			}
		}
		if n, err := w.programme.FlagRisks(w.ctx()); err != nil || n != 1 {
			w.t.Fatalf("flagged %d pairs: %v", n, err)
		}
		return t
	}}
	// teachInOffered is inPair with Ada hosting a teach-in on Tue 10 Mar.
	teachInOffered = &fixture{"a teach-in offered", func(w *world) auditTarget {
		t := inPair.build(w)
		ti, err := w.programme.OfferTeachIn(w.ctx(), ada, teachInOffer())
		if err != nil {
			w.t.Fatal(err)
		}
		t.teachIn = ti.ID
		return t
	}}
	// teachInSignedUp is teachInOffered with Grace holding a place.
	teachInSignedUp = &fixture{"signed up for a teach-in", func(w *world) auditTarget {
		t := teachInOffered.build(w)
		if _, err := w.programme.SignUp(w.ctx(), grace, t.teachIn); err != nil {
			w.t.Fatal(err)
		}
		return t
	}}
	// teachInOver is teachInSignedUp once the teach-in is over.
	teachInOver = &fixture{"after a teach-in", func(w *world) auditTarget {
		t := teachInSignedUp.build(w)
		w.at(teachInStart.Add(2 * time.Hour))
		return t
	}}
	// closedOut has the cycle closed after the pair's first session: both
	// are asked to review their goals and whether to go on.
	closedOut = &fixture{"closed out", func(w *world) auditTarget {
		t := sessionOver.build(w)
		if _, err := w.programme.CloseCycle(w.ctx(), hope); err != nil {
			w.t.Fatal(err)
		}
		w.tick()
		w.person(grace).seesDM("Thank you for taking part")
		t.pair = w.pairWith(ada, grace)
		return t
	}}
	// thanked is closed out, with Ada's thank-you offered to Grace.
	thanked = &fixture{"thanked", func(w *world) auditTarget {
		t := closedOut.build(w)
		v, err := w.programme.OfferThanks(w.ctx(), ada, t.pair.ID, "Thank you for every question")
		if err != nil {
			w.t.Fatal(err)
		}
		ts, _ := w.db.ThanksOf(w.ctx(), t.pair.ID)
		if len(ts) != 1 || v.Pair.ID != t.pair.ID {
			w.t.Fatalf("the offered thank-you is %+v", ts)
		}
		t.thanks = ts[0].ID
		return t
	}}
)

func thanksOf(t auditTarget) string { return itoa(t.thanks) }

// savedWorld is a fixture's database, the time it was saved at and what
// its rows act on.
type savedWorld struct {
	dsn    string
	now    time.Time
	target auditTarget
}

// saveWorld stops the world and copies its database to one of its own,
// which lasts as long as the test keeping it.
func saveWorld(w *world, keeping *testing.T, target auditTarget) savedWorld {
	w.t.Helper()
	w.finish()
	// PostgreSQL copies a database nobody is connected to.
	w.stop()
	w.closeReader()
	dsn := storetest.Copy(keeping, w.dsn)
	// A new fake Slack hands out the same trigger IDs again: requests
	// remembered from this world would pass for redeliveries in a copy.
	saved := openRaw(w.t, dsn)
	defer saved.Close()
	if _, err := saved.Exec(`DELETE FROM handled_requests`); err != nil {
		w.t.Fatal(err)
	}
	return savedWorld{dsn: dsn, now: w.clock.Now(), target: target}
}

// restore runs mentorbot on a copy of a saved world.
func (s savedWorld) restore(t *testing.T) *world {
	t.Helper()
	w := openWorld(t, storetest.Copy(t, s.dsn), s.now)
	addAuditPeople(w)
	return w
}

// addAuditPeople adds the people only the audit needs to Slack.
func addAuditPeople(w *world) {
	w.slack.AddUser(fakeslack.User{ID: sam, Name: "sam", RealName: "Sam Outsider", TZ: "Europe/London"})
	w.slack.AddUser(fakeslack.User{ID: kai, Name: "kai", RealName: "Kai Junior", TZ: "Europe/London"})
}

// opening opens the modal the owner gets from a command or a button, for
// everyone to submit a copy of.
func opening(owner, title string, open func(p *person, t auditTarget)) func(*world, auditTarget) auditTarget {
	return func(w *world, t auditTarget) auditTarget {
		p := w.person(owner)
		open(p, t)
		t.view = p.seesModal(title).ID
		return t
	}
}

func typed(command string) func(*person, auditTarget) {
	return func(p *person, _ auditTarget) { p.types(command) }
}

func clicked(action string, value func(auditTarget) string) func(*person, auditTarget) {
	return func(p *person, t auditTarget) {
		p.w.t.Helper()
		if _, err := p.p.ClicksUnseen(p.w.ctx(), action, value(t)); err != nil {
			p.w.t.Fatal(err)
		}
	}
}

// Effects.

func thanksOffered(w *world, who string, t auditTarget) {
	ts, err := w.db.ThanksOf(w.ctx(), t.pair.ID)
	if err != nil || !slices.ContainsFunc(ts, func(th mentorbot.Thanks) bool { return th.AuthorID == who && th.State == mentorbot.ThanksOffered }) {
		w.t.Errorf("%s's thank-you: %+v, %v", who, ts, err)
	}
}

func thanksYes(w *world, who string, t auditTarget) {
	th, err := w.db.Thanks(w.ctx(), t.thanks)
	if err != nil || !th.SaidYes(who, t.pair) {
		w.t.Errorf("%s's yes to the thank-you: %+v, %v", who, th, err)
	}
}

func thanksKept(w *world, _ string, t auditTarget) {
	if th, err := w.db.Thanks(w.ctx(), t.thanks); err != nil || th.State != mentorbot.ThanksKept {
		w.t.Errorf("the thank-you is %+v, %v; want kept", th, err)
	}
}

func stateBecomes(want mentorbot.State) func(*world, string, auditTarget) {
	return func(w *world, who string, _ auditTarget) {
		if got := w.stateOf(who); got != want {
			w.t.Errorf("%s is %s, want %s", who, got, want)
		}
	}
}

func erased(w *world, who string, _ auditTarget) {
	if _, err := w.db.Participant(w.ctx(), who); mentorbot.ErrorCode(err) != mentorbot.ENOTFOUND {
		w.t.Errorf("%s is still stored: %v", who, err)
	}
}

func pairState(want mentorbot.PairState) func(*world, string, auditTarget) {
	return func(w *world, _ string, t auditTarget) {
		if got := w.pairWith(ada, grace).State; got != want {
			w.t.Errorf("the pair is %s, want %s", got, want)
		}
	}
}

// answered checks the person's own answer in the pair, as answerOf reads it.
func answered(answerOf func(p mentorbot.Pair, who string) bool) func(*world, string, auditTarget) {
	return func(w *world, who string, t auditTarget) {
		if p := w.pairWith(ada, grace); !answerOf(p, who) {
			w.t.Errorf("%s's answer is not stored: %+v", who, p)
		}
	}
}

func accepted(p mentorbot.Pair, who string) bool { return p.AnswerOf(who) == mentorbot.AnswerAccepted }

func pickedFirstSlot(p mentorbot.Pair, who string) bool {
	pick := p.SlotOffer.MenteePick
	if who == p.MentorID {
		pick = p.SlotOffer.MentorPick
	}
	return pick == 1
}

// firstSession checks the person's own answer about the first session.
func inFirstSession(says func(s mentorbot.Session, mentor bool) bool) func(*world, string, auditTarget) {
	return func(w *world, who string, t auditTarget) {
		s, err := w.db.Session(w.ctx(), t.pair.ID, firstSession)
		if err != nil || !says(s, who == ada) {
			w.t.Errorf("%s's answer about the session is not stored: %+v, %v", who, s, err)
		}
	}
}

func heldAnswer(h mentorbot.Held) func(*world, string, auditTarget) {
	return inFirstSession(func(s mentorbot.Session, mentor bool) bool {
		if mentor {
			return s.MentorHeld == h
		}
		return s.MenteeHeld == h
	})
}

func pulseAnswer(q mentorbot.PulseQuestion, score int) func(*world, string, auditTarget) {
	return func(w *world, who string, t auditTarget) {
		p, err := w.db.Pulse(w.ctx(), t.pair.ID, firstSession, who)
		got := p.Useful
		if q == mentorbot.PulseComfort {
			got = p.Comfort
		}
		if err != nil || got != score {
			w.t.Errorf("%s's pulse is %+v, %v; want %s %d", who, p, err, q, score)
		}
	}
}

func flagResolved(action mentorbot.RiskAction) func(*world, string, auditTarget) {
	return func(w *world, who string, t auditTarget) {
		f, err := w.db.LatestRiskFlag(w.ctx(), t.pair.ID)
		if err != nil || f.Open() || f.Action != action || f.ResolvedBy != who {
			w.t.Errorf("the flag is %+v, %v; want %s by %s", f, err, action, who)
		}
	}
}

func draftHasThePair(w *world, _ string, _ auditTarget) {
	if got := w.pairWith(ada, grace); got.State != mentorbot.PairDraft {
		w.t.Errorf("the pair is %s, want in the draft", got.State)
	}
}

func draftPairLocked(want bool) func(*world, string, auditTarget) {
	return func(w *world, _ string, _ auditTarget) {
		if got := w.pairWith(ada, grace); got.State != mentorbot.PairDraft || got.Locked != want {
			w.t.Errorf("the draft pair is %s, locked %v; want locked %v", got.State, got.Locked, want)
		}
	}
}

func cycleClosed(w *world, _ string, _ auditTarget) {
	if _, err := w.db.OpenCycle(w.ctx()); mentorbot.ErrorCode(err) != mentorbot.ENOTFOUND {
		w.t.Errorf("the cycle is still open: %v", err)
	}
}

func summaryPosted(w *world, _ string, _ auditTarget) { w.hrSees("Programme summary: Spring 2026") }

func exported(w *world, who string, _ auditTarget) {
	if files := w.person(who).p.Files(); len(files) != 1 || files[0].Mimetype != "text/csv" {
		w.t.Errorf("%s has files %+v, want the CSV", who, files)
	}
}

func requestedAda(w *world, who string, _ auditTarget) {
	if p := w.pairWith(ada, who); p.State != mentorbot.PairRequested {
		w.t.Errorf("%s's request is %s", who, p.State)
	}
}

func helpHidesAdminCommands(w *world, who string, _ auditTarget) {
	for _, m := range w.person(who).p.Ephemerals() {
		if strings.Contains(m.Rendered(), "/mentor screen") {
			w.t.Errorf("help lists admin commands to %s", who)
		}
	}
}

func noRosterShown(w *world, who string, _ auditTarget) {
	for _, m := range w.person(who).p.Ephemerals() {
		if strings.Contains(m.Rendered(), "Signed up:") {
			w.t.Errorf("%s sees who signed up:\n%s", who, m.Rendered())
		}
	}
}

func homeForThemselves(w *world, who string, _ auditTarget) {
	if home := w.person(who).p.Home(); strings.Contains(home.Rendered(), "Screening queue") {
		w.t.Errorf("%s's Home tab shows the programme:\n%s", who, home.Rendered())
	}
}

func goalsSaved(w *world, who string, t auditTarget) {
	goals, err := w.db.Goals(w.ctx(), who, t.pair.CycleID)
	if err != nil || len(goals) != 1 || goals[0].Aim != "Learn what our customers watch" {
		w.t.Errorf("%s's goals: %+v, %v", who, goals, err)
	}
}

func cycleRenamed(w *world, _ string, _ auditTarget) {
	if c, err := w.db.OpenCycle(w.ctx()); err != nil || c.Name != "Spring 2026, renamed" {
		w.t.Errorf("the cycle is %+v, %v", c, err)
	}
}

func avoidsBoss(w *world, who string, _ auditTarget) {
	d, err := w.db.DontPairsBy(w.ctx(), who)
	if err != nil || len(d) != 1 || d[0].OtherID != boss {
		w.t.Errorf("%s avoids %+v, %v", who, d, err)
	}
}

func sessionMoved(w *world, who string, t auditTarget) {
	s, err := w.db.Session(w.ctx(), t.pair.ID, firstSession)
	if err != nil || s.Revision == 0 {
		w.t.Errorf("the session was not moved: %+v, %v", s, err)
	}
}

func skippedByGrace(w *world, _ string, t auditTarget) {
	s, err := w.db.Session(w.ctx(), t.pair.ID, firstSession)
	if err != nil || s.State != mentorbot.SessionSkipped || s.SkippedBy != grace {
		w.t.Errorf("the session is %+v, %v; want skipped by Grace", s, err)
	}
}

func declinedByGrace(w *world, _ string, _ auditTarget) {
	p := w.pairWith(ada, grace)
	if p.State != mentorbot.PairDeclined || p.MenteeAnswer != mentorbot.AnswerDeclined || p.MentorAnswer != mentorbot.AnswerNone {
		w.t.Errorf("the pair is %+v; want declined by Grace alone", p)
	}
}

func noteKept(w *world, who string, t auditTarget) {
	p, err := w.db.Pulse(w.ctx(), t.pair.ID, firstSession, who)
	if err != nil || p.Note != "Mine alone" {
		w.t.Errorf("%s's note: %+v, %v", who, p, err)
	}
}

// reviewKept finds the review kept, with the self-rating Grace's form asks
// of her alone: Ada, a mentor, is not asked about a mentee's quality.
func reviewKept(w *world, who string, t auditTarget) {
	s, err := w.db.Survey(w.ctx(), who, t.pair.CycleID, mentorbot.SurveyClosing)
	if want := map[string]int{grace: 1}[who]; err != nil || len(s.Ratings) != want {
		w.t.Errorf("%s's review: %+v, %v; want %d ratings", who, s, err, want)
	}
}

func joinedAsMentor(w *world, who string, _ auditTarget) {
	p, err := w.db.Participant(w.ctx(), who)
	if err != nil || p.Role != mentorbot.RoleMentor || p.Pitch != samStep2["pitch"] {
		w.t.Errorf("%s's profile: %+v, %v", who, p, err)
	}
}

func applicantApproved(w *world, _ string, _ auditTarget) {
	if got := w.stateOf(kai); got != mentorbot.StateApproved {
		w.t.Errorf("Kai is %s, want approved", got)
	}
}

func published(w *world, _ string, _ auditTarget) {
	if got := w.pairWith(ada, grace).State; got != mentorbot.PairProposed {
		w.t.Errorf("the pair is %s, want proposed", got)
	}
}

// notHost is what anyone but a teach-in's host is told who tries to change it.
const notHost = "Only the teach-in's host can change it"

// hostOnly lets Ada, who hosts the teach-in, do what the others are
// refused; who never joined may be told so first.
func hostOnly(allowed outcome, strangers string) map[string]outcome {
	return map[string]outcome{hope: refused(strangers), grace: refused(notHost), ada: allowed, sam: refused(strangers)}
}

// mentorsOnly is the offer of a teach-in: Ada may, Grace is a mentee.
func mentorsOnly(allowed outcome) map[string]outcome {
	return map[string]outcome{hope: refused(notJoined), grace: refused("Teach-ins are offered by mentors"), ada: allowed, sam: refused(notJoined)}
}

func graceTeachInPlace(want mentorbot.PlaceState) func(*world, string, auditTarget) {
	return func(w *world, who string, t auditTarget) {
		if got := w.placeOf(mentorbot.TeachIn{ID: t.teachIn}, who).State; got != want {
			w.t.Errorf("%s's place is %q, want %s", who, got, want)
		}
	}
}

func teachInOfferedBy(w *world, who string, t auditTarget) {
	list, err := w.db.TeachInsFrom(w.ctx(), w.clock.Now())
	if err != nil || len(list) != 1 || list[0].HostID != who {
		w.t.Errorf("teach-ins %+v, %v; want one hosted by %s", list, err, who)
	}
}

func teachInState(want mentorbot.TeachInState) func(*world, string, auditTarget) {
	return func(w *world, _ string, t auditTarget) {
		if ti, err := w.db.TeachIn(w.ctx(), t.teachIn); err != nil || ti.State != want {
			w.t.Errorf("the teach-in is %+v, %v; want %s", ti, err, want)
		}
	}
}

func teachInMovedTo(day int) func(*world, string, auditTarget) {
	return func(w *world, _ string, t auditTarget) {
		if ti, err := w.db.TeachIn(w.ctx(), t.teachIn); err != nil || ti.StartsAt.Day() != day || ti.Revision != 1 {
			w.t.Errorf("the teach-in is %+v, %v; want moved to the %d", ti, err, day)
		}
	}
}

func teachInPulse(useful int, recommend mentorbot.Recommend) func(*world, string, auditTarget) {
	return func(w *world, who string, t auditTarget) {
		p := w.placeOf(mentorbot.TeachIn{ID: t.teachIn}, who)
		if useful != 0 && p.Useful != useful || recommend != "" && p.Recommend != recommend {
			w.t.Errorf("%s's teach-in pulse is %+v", who, p)
		}
	}
}

// teachInOffer is teachInForm as the domain takes it.
func teachInOffer() mentorbot.TeachInForm {
	f := teachInForm
	return mentorbot.TeachInForm{Topic: f[mentorbot.FieldTeachInTopic], Title: f[mentorbot.FieldTeachInTitle], Date: f[mentorbot.FieldTeachInDate],
		Time: f[mentorbot.FieldTeachInTime], Length: f[mentorbot.FieldTeachInLength], Places: f[mentorbot.FieldTeachInPlaces],
		JoinHow: f[mentorbot.FieldTeachInJoin], Description: f[mentorbot.FieldTeachInDescription]}
}

// samStep1 and samStep2 are Sam's join form, which everyone submits a
// copy of: the copy joins whoever sends it, never Sam.
var (
	samStep1 = map[string]string{
		"role": "mentor", "topics": "Social media", "job_level": "2", "department": "Sales",
		"timezone": "Europe/London", "availability": "Tue 10-12",
	}
	samStep2 = map[string]string{"level_0": "4", "pitch": "I post every day."}
)

func auditRows() []auditRow {
	held := func(h mentorbot.Held) auditRow {
		return auditRow{route: "action session_held_" + string(h), from: sessionOver, value: sessionOf,
			want: pairOnly(does("", heldAnswer(h)))}
	}
	pulse := func(q mentorbot.PulseQuestion, score int) auditRow {
		return auditRow{route: fmt.Sprintf("action pulse_%s_%d", q, score), from: sessionOver, value: sessionOf,
			want: pairOnly(does("", pulseAnswer(q, score)))}
	}
	risk := func(a mentorbot.RiskAction) auditRow {
		return auditRow{route: "action risk_" + string(a), from: atRisk, value: pairValue,
			want: adminOnly(does("", flagResolved(a)), "act on pairs at risk")}
	}
	teachInUseful := func(score int) auditRow {
		return auditRow{route: fmt.Sprintf("action teachin_useful_%d", score), from: teachInOver, value: teachInOf,
			want: map[string]outcome{hope: refused(notJoined), grace: does("", teachInPulse(score, "")),
				ada: refused("Only the people who had a place"), sam: refused(notJoined)}}
	}
	teachInRecommend := func(r mentorbot.Recommend) auditRow {
		return auditRow{route: "action teachin_recommend_" + string(r), from: teachInOver, value: teachInOf,
			want: map[string]outcome{hope: refused(notJoined), grace: does("", teachInPulse(0, r)),
				ada: refused("Only the people who had a place"), sam: refused(notJoined)}}
	}
	rows := []auditRow{
		// Commands.
		{route: "command /mentor join", from: inPair, want: everyone(shown("Step 1 of 2"))},
		{route: "command /mentor profile", from: inPair, want: map[string]outcome{
			hope: refused(notJoined), grace: shown("How my teams could use social media."), ada: shown(adaPitch), sam: refused(notJoined)}},
		{route: "command /mentor training", from: inPair, want: joinedOnly(shown("Ground rules"))},
		{route: "command /mentor goals", from: inPair, want: joinedOnly(shown("Your goals"))},
		{route: "command /mentor pause", from: inPair, want: joinedOnly(shown("Take a break"))},
		{route: "command /mentor resume", from: gracePaused, want: map[string]outcome{
			hope: refused(notJoined), grace: does("Welcome back", stateBecomes(mentorbot.StateMatched)),
			ada: refused("You're not paused"), sam: refused(notJoined)}},
		{route: "command /mentor leave", from: inPair, want: everyone(shown("Leaving takes you out of future matching"))},
		{route: "command /mentor forget-me", from: inPair, want: everyone(shown("This can't be undone"))},
		{route: "command /mentor find", from: matchable, want: map[string]outcome{
			hope: refused(notJoined), grace: shown("Find a mentor"), ada: refused("Finding a mentor is for mentees"), sam: refused(notJoined)}},
		{route: "command /mentor avoid", from: inPair, want: joinedOnly(shown("Don't pair me with"))},
		{route: "command /mentor help", from: inPair, want: map[string]outcome{
			hope: shown("/mentor screen"), grace: does("/mentor join", helpHidesAdminCommands),
			ada: does("/mentor join", helpHidesAdminCommands), sam: does("/mentor join", helpHidesAdminCommands)}},
		{route: "command /mentor cycle", from: inPair, want: adminOnly(shown("Edit the cycle"), "set up programme cycles")},
		{route: "command /mentor cycle", args: "close", from: inPair, want: adminOnly(shown("Close *Spring 2026*?"), "close a cycle")},
		{route: "command /mentor screen", from: applying, want: adminOnly(shown("1 mentor application"), "screen mentors")},
		{route: "command /mentor match", from: matchable, want: adminOnly(does("teaches", draftHasThePair), "match people")},
		{route: "command /mentor summary", from: sessionOver, want: adminOnly(does("Posting the summary", summaryPosted), "see programme summaries")},
		{route: "command /mentor export", from: sessionOver, want: adminOnly(does("Here's the programme's export", exported), "export the programme's data")},

		// Buttons.
		{route: "action join_open", from: inPair, want: everyone(shown("Step 1 of 2"))},
		{route: "action training_open", from: inPair, want: joinedOnly(shown("Ground rules"))},
		{route: "action goals_open", from: inPair, want: joinedOnly(shown("Your goals"))},
		{route: "action pause_open", from: inPair, want: joinedOnly(shown("Take a break"))},
		{route: "action find_open", from: matchable, want: map[string]outcome{
			hope: refused(notJoined), grace: shown("Find a mentor"), ada: refused("Finding a mentor is for mentees"), sam: refused(notJoined)}},
		{route: "action avoid_open", from: inPair, want: joinedOnly(shown("Don't pair me with"))},
		{route: "action resume", from: gracePaused, value: func(auditTarget) string { return grace }, want: map[string]outcome{
			hope: refused(notJoined), grace: does("Welcome back", stateBecomes(mentorbot.StateMatched)),
			ada: refused("You're not paused"), sam: refused(notJoined)}},
		{route: "action leave", from: inPair, value: func(auditTarget) string { return grace },
			want: joinedOnly(does("You've left the programme", stateBecomes(mentorbot.StateLeft)))},
		{route: "action forget_me", from: inPair, value: func(auditTarget) string { return grace }, want: map[string]outcome{
			hope: refused("there is nothing to erase"), grace: does("no longer holds your profile", erased),
			ada: does("no longer holds your profile", erased), sam: refused("there is nothing to erase")}},
		{route: "action cycle_open", from: inPair, want: adminOnly(shown("Edit the cycle"), "set up programme cycles")},
		{route: "action cycle_close", from: inPair, want: adminOnly(does("is closed", cycleClosed), "close a cycle")},
		{route: "action screen_review", from: applying, value: func(auditTarget) string { return kai },
			want: adminOnly(shown("Screen a mentor"), "screen mentors")},
		{route: "action match_open", from: matchable, want: adminOnly(does("teaches", draftHasThePair), "match people")},
		{route: "action supply_open", from: matchable, want: adminOnly(shown("Supply and demand"), "see the skills supply and demand")},
		{route: "action match_lock", from: drafted, value: pairValue, want: adminOnly(does("", draftPairLocked(true)), "match people")},
		{route: "action match_unlock", from: lockedInDraft, value: pairValue, want: adminOnly(does("", draftPairLocked(false)), "match people")},
		{route: "action match_remove", from: drafted, value: pairValue, want: adminOnly(does("", pairState(mentorbot.PairRemoved)), "match people")},
		{route: "action match_rerun", from: drafted, want: adminOnly(does("", draftHasThePair), "match people")},
		{route: "action pair_accept", from: proposed, value: pairValue, want: pairOnly(does("", answered(accepted)))},
		{route: "action pair_decline", from: proposed, value: pairValue, want: pairOnly(shown("Decline the match"))},
		{route: "action mentor_ask", from: matchable, value: func(auditTarget) string { return ada }, want: map[string]outcome{
			hope: refused(notJoined), grace: does("You asked", requestedAda),
			ada: refused("Finding a mentor is for mentees"), sam: refused(notJoined)}},
		{route: "action slot_confirm", from: agreeing, value: firstSlotOf, want: pairOnly(does("", answered(pickedFirstSlot)))},
		{route: "action slot_pick", from: agreeing, value: firstSlotOf, want: pairOnly(shown("Pick a time"))},
		{route: "action session_coming", from: inPair, value: sessionOf, want: pairOnly(does("", inFirstSession(func(s mentorbot.Session, mentor bool) bool {
			return mentor && s.MentorComing || !mentor && s.MenteeComing
		})))},
		{route: "action session_move", from: inPair, value: sessionOf, want: pairOnly(shown("Move this session"))},
		{route: "action session_skip", from: inPair, value: sessionOf, want: pairOnly(shown("Skip this session"))},
		held(mentorbot.HeldYes), held(mentorbot.HeldMoved), held(mentorbot.HeldNo),
		{route: "action pulse_note", from: sessionOver, value: sessionOf, want: pairOnly(shown("Private note"))},
		{route: "action survey_open", from: closedOut, value: func(t auditTarget) string { return fmt.Sprintf("%d:closing", t.pair.CycleID) },
			want: joinedOnly(shown("Goal review"))},
		{route: "action opt_in", from: closedOut, want: joinedOnly(does("You're in for the next cycle", stateBecomes(mentorbot.StateTrained)))},
		{route: "action thanks_open", from: closedOut, value: pairValue, want: joinedOnly(shown("A thank-you"))},
		{route: "action thanks_yes", from: thanked, value: thanksOf, want: joinedOnly(does("", thanksYes))},
		// Once Grace has kept it private, Ada has nothing left to answer.
		{route: "action thanks_no", from: thanked, value: thanksOf, want: map[string]outcome{hope: refused(notJoined),
			grace: does("", thanksKept), ada: does("one of you chose not to share it", thanksKept), sam: refused(notJoined)}},
		{route: "action thanks_withdraw", from: thanked, value: thanksOf, want: map[string]outcome{hope: refused(notJoined),
			grace: does("", thanksKept), ada: does("one of you chose not to share it", thanksKept), sam: refused(notJoined)}},
		risk(mentorbot.RiskNudge), risk(mentorbot.RiskRematch), risk(mentorbot.RiskEnd), risk(mentorbot.RiskDismiss),

		// Forms: everyone submits a copy of the one its owner has open.
		{route: "view join_profile", from: inPair, open: opening(sam, "Join mentorbot", typed("/mentor join")), values: samStep1,
			want: everyone(shown("Step 2 of 2"))},
		{route: "view join_topics", values: samStep2,
			from: inPair, open: opening(sam, "Your topics", func(p *person, _ auditTarget) {
				p.types("/mentor join")
				p.seesModal("Join mentorbot")
				p.submits(samStep1)
			}),
			want: map[string]outcome{
				hope: does("", joinedAsMentor), grace: refused("switch"), ada: does("", joinedAsMentor), sam: does("", joinedAsMentor)}},
		{route: "view training", from: inPair, open: opening(grace, "How to learn well", typed("/mentor training")),
			want: joinedOnly(shown("Thank you"))},
		{route: "view goals", from: inPair, open: opening(grace, "Your goals", typed("/mentor goals")),
			values: map[string]string{mentorbot.FieldGoalAim(0): "Learn what our customers watch", mentorbot.FieldGoalSignal(0): "I can name three"},
			want:   joinedOnly(does("Goals saved", goalsSaved))},
		{route: "view pause", from: inPair, open: opening(grace, "Take a break", typed("/mentor pause")),
			values: map[string]string{mentorbot.FieldPauseUntil: "2026-03-20"}, want: joinedOnly(does("You're paused", stateBecomes(mentorbot.StatePaused)))},
		{route: "view cycle", from: inPair, open: opening(hope, "Edit the cycle", typed("/mentor cycle")),
			values: map[string]string{mentorbot.FieldCycleName: "Spring 2026, renamed"},
			want:   adminOnly(does("Cycle saved", cycleRenamed), "set up programme cycles")},
		{route: "view screening", from: applying, open: opening(hope, "Screen a mentor", clicked("screen_review", func(auditTarget) string { return kai })),
			values: map[string]string{mentorbot.FieldDecision: "approve", mentorbot.FieldChecks: "patience"},
			want:   adminOnly(does("Decision saved", applicantApproved), "screen mentors")},
		{route: "view match_draft", from: matchable, open: opening(hope, "Matching draft", typed("/mentor match")),
			want: adminOnly(does("Round published", published), "publish a matching round")},
		{route: "view pair_decline", from: proposed, open: opening(grace, "Decline the match", clicked("pair_decline", pairValue)),
			values: map[string]string{mentorbot.FieldDeclineReason: "Not now"},
			// Once Grace has declined, Ada has nothing left to answer.
			want: map[string]outcome{hope: refused(notTheirPair), grace: does("Match declined", declinedByGrace),
				ada: does("can no longer go ahead", declinedByGrace), sam: refused(notTheirPair)}},
		{route: "view avoid", from: inPair, open: opening(grace, "Don't pair me with", typed("/mentor avoid")),
			values: map[string]string{mentorbot.FieldAvoided: boss}, want: joinedOnly(does("", avoidsBoss))},
		{route: "view slot", from: agreeing, open: opening(grace, "Pick a time", clicked("slot_pick", firstSlotOf)),
			values: map[string]string{mentorbot.FieldSlotOption: "0"}, want: pairOnly(does("Time picked", answered(pickedFirstSlot)))},
		{route: "view session_move", from: inPair, open: opening(grace, "Move this session", clicked("session_move", sessionOf)),
			values: map[string]string{mentorbot.FieldMoveDate: "2026-03-05", mentorbot.FieldMoveTime: "07:00"},
			want:   joinedOnly(does("Session moved", sessionMoved))},
		{route: "view session_skip", from: inPair, open: opening(grace, "Skip this session", clicked("session_skip", sessionOf)),
			values: map[string]string{mentorbot.FieldSkipReason: "Travelling"},
			// Once Grace has called it off, there is nothing for Ada to skip.
			want: map[string]outcome{hope: refused(notTheirPair), grace: does("Session skipped", skippedByGrace),
				ada: does("That session was called off", skippedByGrace), sam: refused(notTheirPair)}},
		{route: "view pulse_note", from: sessionOver, open: opening(grace, "Private note", clicked("pulse_note", sessionOf)),
			values: map[string]string{mentorbot.FieldPulseNote: "Mine alone"}, want: pairOnly(does("kept for you alone", noteKept))},
		{route: "view survey", from: closedOut, open: opening(grace, "Goal review", clicked("survey_open", func(t auditTarget) string { return fmt.Sprintf("%d:closing", t.pair.CycleID) })),
			values: map[string]string{mentorbot.FieldSurveyContinue: "yes", mentorbot.FieldQualityRating(mentorbot.RatedSelf, "listen"): "4"},
			want:   joinedOnly(does("Thank you", reviewKept))},

		{route: "view thanks", from: closedOut, open: opening(grace, "A thank-you", clicked("thanks_open", pairValue)),
			values: map[string]string{mentorbot.FieldThanks: "Thank you for your patience"}, want: joinedOnly(does("Thank-you offered", thanksOffered))},

		// Teach-ins: only approved, trained mentors host; only the host
		// moves, cancels or sees who signed up.
		{route: "command /mentor teach-in", from: teachInSignedUp, want: map[string]outcome{
			hope: refused(notJoined), grace: does("You have a place", noRosterShown), ada: shown("Signed up: <@U0GRACE>"), sam: refused(notJoined)}},
		{route: "command /mentor teach-in", args: "offer", from: inPair, want: mentorsOnly(shown("Offer a teach-in"))},
		{route: "action teachin_open", from: inPair, want: mentorsOnly(shown("Offer a teach-in"))},
		{route: "action teachin_sign_up", from: teachInOffered, value: teachInOf, want: map[string]outcome{
			hope: refused(notJoined), grace: does("You're in", graceTeachInPlace(mentorbot.PlaceTaken)),
			ada: refused("You're hosting this teach-in"), sam: refused(notJoined)}},
		{route: "action teachin_leave", from: teachInSignedUp, value: teachInOf, want: map[string]outcome{
			hope: refused(notJoined), grace: does("You've given up your place", graceTeachInPlace(mentorbot.PlaceCancelled)),
			ada: refused("You're not signed up for that teach-in"), sam: refused(notJoined)}},
		{route: "action teachin_move", from: teachInSignedUp, value: teachInOf, want: hostOnly(shown("Move the teach-in"), notJoined)},
		{route: "action teachin_cancel", from: teachInSignedUp, value: teachInOf,
			want: hostOnly(does("You cancelled", teachInState(mentorbot.TeachInCancelled)), notHost)},
		teachInUseful(1), teachInUseful(2), teachInUseful(3), teachInUseful(4), teachInUseful(5),
		teachInRecommend(mentorbot.RecommendYes), teachInRecommend(mentorbot.RecommendNo),
		{route: "view teachin", from: inPair, open: opening(ada, "Offer a teach-in", typed("/mentor teach-in offer")), values: teachInForm,
			want: mentorsOnly(does("is on", teachInOfferedBy))},
		{route: "view teachin_move", from: teachInSignedUp, open: opening(ada, "Move the teach-in", clicked("teachin_move", teachInOf)),
			values: map[string]string{mentorbot.FieldTeachInDate: "2026-03-17"}, want: hostOnly(does("Moved", teachInMovedTo(17)), notHost)},

		{route: "event app_home_opened", from: inPair, want: map[string]outcome{
			hope: shown("Screening queue"), grace: does("Your pair", homeForThemselves), ada: does("Your pair", homeForThemselves),
			sam: does("Join the programme", homeForThemselves)}},
	}
	for _, q := range mentorbot.PulseQuestions {
		for _, score := range mentorbot.PulseScores {
			rows = append(rows, pulse(q, score))
		}
	}
	return rows
}
