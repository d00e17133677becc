package bot_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/store"
)

// unavailableStore refuses writes, as the store does when SQLite stays
// locked or the disk is full, while its switches are on.
type unavailableStore struct {
	mentorbot.Store
	saves, outbox atomic.Bool // Apply; SaveOutboxItem
}

var errUnavailable = mentorbot.Errorf(mentorbot.EUNAVAILABLE, "We couldn't save that just now, so nothing was changed. Please try again in a minute.")

func (s *unavailableStore) Apply(ctx context.Context, c mentorbot.Change) error {
	if s.saves.Load() {
		return errUnavailable
	}
	return s.Store.Apply(ctx, c)
}

func (s *unavailableStore) SaveOutboxItem(ctx context.Context, item mentorbot.OutboxItem) error {
	if s.outbox.Load() {
		return errUnavailable
	}
	return s.Store.SaveOutboxItem(ctx, item)
}

// lockDatabase takes the database's write lock from another connection, as
// a backup or a second process would, until the returned func is called.
// On PostgreSQL that is every table locked against writers, which lets
// readers go on as SQLite's write lock does.
func (w *world) lockDatabase() (unlock func()) {
	w.t.Helper()
	other := openRaw(w.t, w.dsn)
	lock := `BEGIN EXCLUSIVE`
	if store.IsPostgres(w.dsn) {
		var tables string
		err := other.QueryRowContext(w.ctx(), `SELECT string_agg(quote_ident(table_name), ', ') FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`).Scan(&tables)
		if err != nil {
			other.Close()
			w.t.Fatal(err)
		}
		lock = `BEGIN; LOCK TABLE ` + tables + ` IN EXCLUSIVE MODE`
	}
	conn, err := other.Conn(w.ctx())
	if err == nil {
		_, err = conn.ExecContext(w.ctx(), lock)
	}
	if err != nil {
		other.Close()
		w.t.Fatal(err)
	}
	return func() {
		if _, err := conn.ExecContext(context.Background(), `ROLLBACK`); err != nil {
			w.t.Error(err)
		}
		conn.Close()
		other.Close()
	}
}

// A form submitted while another process holds the database waits its
// turn for as long as Slack allows, then keeps the form open with the
// answers, saves nothing, and works when pressed again.
func TestALockedDatabaseKeepsTheFormOpenAndSavesNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.person(ada)
	a.types("/mentor join")
	a.seesModal("Join mentorbot")
	a.submits(adaStep1)
	a.seesModal("Your topics")

	unlock := w.lockDatabase()
	errs := modalErrors(a.submits(adaStep2))
	if msg := errs["pitch"]; !strings.Contains(msg, "couldn't save") || !strings.Contains(msg, "press Join again") {
		t.Errorf("errors %v, want a save failure next to the last field", errs)
	}
	v := a.p.Modal()
	if v == nil || v.Title != "Your topics" || !strings.Contains(v.Rendered(), adaStep2["pitch"]) {
		t.Fatalf("the form did not stay open with Ada's answers: %+v", v)
	}
	if _, err := w.db.Participant(w.ctx(), ada); mentorbot.ErrorCode(err) != mentorbot.ENOTFOUND {
		t.Errorf("Ada was stored while the database was locked: %v", err)
	}
	unlock()

	if ack := a.submits(nil); responseAction(ack) != "clear" {
		t.Fatalf("pressing Join again: %s", ack.Payload)
	}
	a.seesDM("Welcome")
}

// A button pressed while the database cannot save tells the person that
// nothing changed; pressing it again afterwards works.
func TestAButtonPressedWhileTheDatabaseCannotSaveSaysTryAgain(t *testing.T) {
	t.Parallel()
	var db *unavailableStore
	w := newWorld(t, withStore(func(s mentorbot.Store) mentorbot.Store {
		db = &unavailableStore{Store: s}
		return db
	}))
	a := w.person(ada)
	a.join(adaStep1, adaStep2)
	a.seesDM("Welcome")

	db.saves.Store(true)
	a.types("/mentor leave")
	a.seesReply("Leaving takes you out")
	a.clicks("leave")
	a.seesDM("couldn't save that just now, so nothing was changed")
	if got := w.stateOf(ada); got != mentorbot.StateApplied {
		t.Errorf("Ada is %s after a failed leave, want still applied", got)
	}

	db.saves.Store(false)
	a.types("/mentor leave")
	a.seesReply("Leaving takes you out")
	a.clicks("leave")
	a.seesDM("You've left the programme")
}

// The scheduler's tick on a database that cannot save plans nothing and
// loses nothing; messages Slack took but the store could not mark sent are
// not sent again, and are recorded once the database recovers.
func TestTheOutboxRidesOutADatabaseThatCannotSave(t *testing.T) {
	t.Parallel()
	var db *unavailableStore
	w := newWorld(t, withStore(func(s mentorbot.Store) mentorbot.Store {
		db = &unavailableStore{Store: s}
		return db
	}))
	reminders := w.dueReminders(2)
	arrived := func() int { return w.slack.MessageCount("mentorbot_outbox") }

	db.saves.Store(true)
	db.outbox.Store(true)
	w.tick()
	if n := arrived(); n != 0 {
		t.Fatalf("%d reminders sent although none could be planned", n)
	}

	db.saves.Store(false)
	w.tick()
	w.tick()
	if n := arrived(); n != reminders {
		t.Fatalf("%d reminders arrived over two ticks that could not record them, want %d once each", n, reminders)
	}

	db.outbox.Store(false)
	w.tick()
	w.finish()
	for key, n := range w.slack.MetadataValues("mentorbot_outbox", "key") {
		if n != 1 {
			t.Errorf("%s arrived %d times", key, n)
		}
	}
	pending, err := w.db.DueOutbox(w.ctx(), w.clock.Now(), mentorbot.OutboxCursor{}, 100)
	if err != nil || len(pending) != 0 {
		t.Errorf("%d messages still pending after the database recovered (%v)", len(pending), err)
	}
}
