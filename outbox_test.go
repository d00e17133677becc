package mentorbot_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/store"
)

// A change of a person's own that nothing answers in place owes them a
// DM saying it went through, in the same transaction as the change, so a
// crash or an outage delays the word and never loses it.
func TestOwnChangesOweTheirConfirmation(t *testing.T) {
	ctx := context.Background()
	pause := func(t *testing.T, pr *mentorbot.Programme) {
		t.Helper()
		if _, err := pr.Pause(ctx, mentee, "2026-04-01"); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name  string
		setUp func(*testing.T, *mentorbot.Programme, *store.DB)
		do    func(*mentorbot.Programme) error
		want  string // the confirmations owed, kind>reader(note)
	}{
		{"joining for the first time", func(*testing.T, *mentorbot.Programme, *store.DB) {},
			func(pr *mentorbot.Programme) error {
				_, err := pr.Join(ctx, mentee, profile(mentorbot.RoleMentee))
				return err
			},
			"joined>" + mentee + "(new)"},
		{"editing a profile", func(t *testing.T, pr *mentorbot.Programme, _ *store.DB) {
			mustJoin(t, pr, mentee, mentorbot.RoleMentee)
		},
			func(pr *mentorbot.Programme) error {
				_, err := pr.Join(ctx, mentee, profile(mentorbot.RoleMentee))
				return err
			},
			"joined>" + mentee + "(updated)"},
		{"switching role", func(t *testing.T, pr *mentorbot.Programme, _ *store.DB) {
			mustJoin(t, pr, mentee, mentorbot.RoleMentee)
		},
			func(pr *mentorbot.Programme) error {
				_, err := pr.Join(ctx, mentee, profile(mentorbot.RoleMentor))
				return err
			},
			"joined>" + mentee + "(role_changed)"},
		{"leaving", pairUp,
			func(pr *mentorbot.Programme) error { return pr.Leave(ctx, mentor) },
			"left>" + mentor + "()"},
		{"erasing: no word kept under the erased ID", pairUp,
			func(pr *mentorbot.Programme) error { return pr.Forget(ctx, mentor) },
			""},
		{"ending a break from the Home tab", func(t *testing.T, pr *mentorbot.Programme, db *store.DB) { pairUp(t, pr, db); pause(t, pr) },
			func(pr *mentorbot.Programme) error { _, err := pr.Resume(ctx, mentee, mentorbot.ReplyByDM); return err },
			"back_early>" + mentee + "()"},
		{"ending a break by command, answered in place", func(t *testing.T, pr *mentorbot.Programme, db *store.DB) { pairUp(t, pr, db); pause(t, pr) },
			func(pr *mentorbot.Programme) error {
				_, err := pr.Resume(ctx, mentee, mentorbot.ReplyInPlace)
				return err
			},
			""},
		{"opting in to the next cycle", func(t *testing.T, pr *mentorbot.Programme, db *store.DB) {
			openCycle(t, pr, "Spring 2026")
			pairUp(t, pr, db)
			if _, err := pr.CloseCycle(ctx, admin); err != nil {
				t.Fatal(err)
			}
		},
			func(pr *mentorbot.Programme) error { _, err := pr.OptIn(ctx, mentee); return err },
			"opted_in>" + mentee + "()"},
		{"an admin closing the cycle", func(t *testing.T, pr *mentorbot.Programme, _ *store.DB) { openCycle(t, pr, "Spring 2026") },
			func(pr *mentorbot.Programme) error { _, err := pr.CloseCycle(ctx, admin); return err },
			"cycle_closed>" + admin + "()"},
		{"the cycle closing on its date", func(t *testing.T, pr *mentorbot.Programme, _ *store.DB) {
			openCycle(t, pr, "Spring 2026")
			pr.Clock.(*mentorbot.ManualClock).Advance(365 * 24 * time.Hour)
		},
			func(pr *mentorbot.Programme) error { return pr.CloseDueCycle(ctx) },
			""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr, db, _ := programme(t)
			tc.setUp(t, pr, db)
			owed := outboxWatch(t, db)
			if err := tc.do(pr); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, item := range owed() {
				if item.Kind.Confirms() {
					got = append(got, string(item.Kind)+">"+item.To+"("+item.Note+")")
				}
			}
			if s := strings.Join(got, " "); s != tc.want {
				t.Errorf("owed %q, want %q", s, tc.want)
			}
		})
	}
}

// Every kind that confirms a change is in the list of kinds, and is not
// also taken for word of someone else's change.
func TestConfirmationsAreKindsOfTheirOwn(t *testing.T) {
	for _, kind := range []mentorbot.OutboxKind{mentorbot.OutboxJoined, mentorbot.OutboxLeft, mentorbot.OutboxBackEarly, mentorbot.OutboxOptedIn, mentorbot.OutboxCycleClosed} {
		if !kind.Confirms() || kind.Notice() || !slices.Contains(mentorbot.OutboxKinds, kind) {
			t.Errorf("%s: confirms %v, notice %v, listed %v", kind, kind.Confirms(), kind.Notice(), slices.Contains(mentorbot.OutboxKinds, kind))
		}
	}
}

// A claim holds its messages for the programme's lease, OutboxLease
// unless one is set, so the one setting is what another replica waits.
func TestClaimOutboxHoldsForTheProgrammesLease(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		lease time.Duration
		want  time.Duration
	}{
		{"unset", 0, mentorbot.OutboxLease},
		{"set", 30 * time.Second, 30 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr, _, clock := programme(t)
			pr.OutboxLease = tc.lease
			mustJoin(t, pr, mentee, mentorbot.RoleMentee)
			items, err := pr.ClaimOutbox(ctx, "replica-a", mentorbot.OutboxCursor{}, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) == 0 {
				t.Fatal("joining owed nothing to claim")
			}
			for _, it := range items {
				if want := clock.Now().Add(tc.want); it.LeaseOwner != "replica-a" || !it.LeaseUntil.Equal(want) {
					t.Errorf("%s leased to %q until %v, want replica-a until %v", it.Key, it.LeaseOwner, it.LeaseUntil, want)
				}
			}
		})
	}
}
