package bot_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
	"github.com/mentorbot/mentorbot/store/storetest"
)

// TestForgetMeLeavesNothingOnDisk has Ada write everything a person can
// (her sentence, goals, a pulse note, a decline reason, a skip reason, a
// check-in) and HR note her screening; her partner's recorded replies name
// her. After forget-me, none of those words and not her Slack ID is in any
// byte of the database file, its write-ahead log or its shared memory,
// while the bot runs and after it stops.
func TestForgetMeLeavesNothingOnDisk(t *testing.T) {
	t.Parallel()
	if storetest.Postgres(t) {
		t.Skip("PostgreSQL's files are the server's: the store's tests read its pages for erased words with pageinspect")
	}
	w := newWorld(t)
	// Words nobody else could write, so finding one is finding hers.
	words := map[string]string{}
	for _, what := range []string{"sentence", "aim", "signal", "screening note", "decline reason", "pulse note", "skip reason", "check-in"} {
		words[what] = "x" + rand.Text()
	}
	cycle := w.openCycle("Spring 2026")
	w.slack.AddUser(fakeslack.User{ID: kai, Name: "kai", RealName: "Kai Senior", TZ: "Europe/London"})
	join := func(id string, role mentorbot.Role, zone, pitch string) {
		t.Helper()
		if _, err := w.programme.Join(w.ctx(), id, seedProfile(role, zone, pitch)); err != nil {
			t.Fatal(err)
		}
		if role == mentorbot.RoleMentor {
			if err := w.programme.Screen(w.ctx(), hope, id, mentorbot.Decision{Approve: true,
				Screening: mentorbot.Screening{Checks: []string{"patience"}, Note: words["screening note"]}}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.programme.Train(w.ctx(), id); err != nil {
			t.Fatal(err)
		}
	}
	join(ada, mentorbot.RoleMentor, "Europe/London", words["sentence"])
	if _, err := w.programme.SaveGoals(w.ctx(), ada, mentorbot.GoalForm{Aims: []string{words["aim"]}, Signals: []string{words["signal"]}}); err != nil {
		t.Fatal(err)
	}

	// Ada declines Kai, with a reason, and is matched at once with Grace,
	// who joined meanwhile; both accept and agree a time.
	join(kai, mentorbot.RoleMentee, "Europe/London", "")
	w.publish()
	join(grace, mentorbot.RoleMentee, "America/New_York", "")
	if _, err := w.programme.DeclinePair(w.ctx(), ada, w.pairWith(ada, kai).ID, words["decline reason"]); err != nil {
		t.Fatal(err)
	}
	pair := w.pairWith(ada, grace)
	for _, id := range []string{grace, ada} {
		if _, err := w.programme.AcceptPair(w.ctx(), id, pair.ID); err != nil {
			t.Fatal(err)
		}
	}
	w.tick()
	for _, id := range []string{grace, ada} {
		if _, err := w.programme.PickSlot(w.ctx(), id, pair.ID, mentorbot.SlotChoice{Option: 0}); err != nil {
			t.Fatal(err)
		}
	}
	a, g := w.person(ada), w.person(grace)
	g.invites(1)

	// The first session happens, Ada keeps a note about it and skips the
	// next, with a reason; she answers the check-in.
	slot := w.pairWith(ada, grace).Slot
	first, ok := slot.Session(0)
	next, more := slot.Session(1)
	if !ok || !more {
		t.Fatalf("the agreed time %+v has fewer than two sessions", slot)
	}
	w.at(first.Add(2 * time.Hour))
	if _, err := w.programme.AnswerHeld(w.ctx(), grace, pair.ID, first, mentorbot.HeldYes); err != nil {
		t.Fatal(err)
	}
	if _, err := w.programme.SavePulseNote(w.ctx(), ada, pair.ID, first, words["pulse note"]); err != nil {
		t.Fatal(err)
	}
	w.at(next.Add(-20 * time.Hour))
	if _, err := w.programme.SkipSession(w.ctx(), ada, pair.ID, next, words["skip reason"]); err != nil {
		t.Fatal(err)
	}
	g.invites(2) // the calendar without the skipped session
	form := mentorbot.SurveyForm{Progress: []string{string(mentorbot.ProgressProgressing)}, Continue: string(mentorbot.ContinueYes), Change: words["check-in"]}
	if _, err := w.programme.AnswerSurvey(w.ctx(), ada, cycle.ID, mentorbot.SurveyMidpoint, form); err != nil {
		t.Fatal(err)
	}
	// Both look at their profiles: the answers, kept for redeliveries,
	// hold Ada's sentence and, in Grace's, Ada as her partner.
	a.types("/mentor profile")
	a.seesReply(words["sentence"])
	g.types("/mentor profile")
	g.seesReply("You're paired with <@" + ada + ">")

	needles := [][]byte{[]byte(ada)}
	for _, word := range words {
		needles = append(needles, []byte(word))
	}
	// The scan sees what is there: before forget-me, every word is on disk.
	if missing := notOnDisk(t, w.dsn, needles); len(missing) > 0 {
		t.Fatalf("before forget-me the scan does not find %q", missing)
	}

	a.types("/mentor forget-me")
	a.clicks("forget_me")
	a.seesDM("mentorbot no longer holds your profile")
	g.seesDM("has had to leave the programme")
	g.invites(3) // the booking, the skipped session's update, the cancellation
	for _, m := range g.p.DMs() {
		if strings.Contains(m.Rendered(), "erased-") {
			t.Errorf("Grace is shown Ada's erasure token:\n%s", m.Rendered())
		}
	}
	for _, leak := range onDisk(t, w.dsn, needles) {
		t.Errorf("while the bot runs, %s", leak)
	}
	w.stop() // and with it the database
	for _, leak := range onDisk(t, w.dsn, needles) {
		t.Errorf("after the bot stopped, %s", leak)
	}
}

// onDisk says which needles are in which of the database's files.
func onDisk(t *testing.T, path string, needles [][]byte) []string {
	t.Helper()
	var found []string
	for _, file := range []string{path, path + "-wal", path + "-shm"} {
		content, err := os.ReadFile(file)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range needles {
			if bytes.Contains(content, n) {
				found = append(found, fmt.Sprintf("%s holds %q", file, n))
			}
		}
	}
	return found
}

// notOnDisk lists the needles in none of the database's files.
func notOnDisk(t *testing.T, path string, needles [][]byte) []string {
	t.Helper()
	var missing []string
	for _, n := range needles {
		if len(onDisk(t, path, [][]byte{n})) == 0 {
			missing = append(missing, string(n))
		}
	}
	return missing
}
