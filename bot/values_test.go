package bot_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestATamperedButtonSaysItIsOldAndChangesNothing: a button whose value
// mentorbot cannot read, crafted or from a message long gone, tells the
// person where the current one is, wherever the button answers, and
// stores nothing.
func TestATamperedButtonSaysItIsOldAndChangesNothing(t *testing.T) {
	t.Parallel()
	const old = "That button is from an old message and no longer works. Open mentorbot's Home tab for the current one."
	w := newWorld(t)
	pair := w.agreedPair()
	tests := []struct {
		name, who, action, value string
	}{
		{"an Accept with a negative pair", grace, "pair_accept", "-1"},
		{"a Decline with no pair", grace, "pair_decline", ""},
		{"a confirmed time with no option", grace, "slot_confirm", fmt.Sprintf("%d:first", pair.ID)},
		{"a session at no time", grace, "session_coming", fmt.Sprintf("%d:0:0", pair.ID)},
		{"a session move from an older format", ada, "session_move", fmt.Sprintf("%d|1772532000|0", pair.ID)},
		{"a survey of no kind", grace, "survey_open", fmt.Sprintf("%d:weekly", pair.CycleID)},
		{"a draft pair that is no number", hope, "match_lock", "ada-and-grace"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := w.person(tc.who)
			w.finish()
			before, since := w.storedRows(), p.mark()
			ack, err := p.p.ClicksUnseen(w.ctx(), tc.action, tc.value)
			if err != nil {
				t.Fatal(err)
			}
			if !p.seesAfter(since, ack, old) {
				t.Errorf("%s was never told the button is old", tc.who)
			}
			w.finish()
			if changed := differences(before, w.storedRows()); len(changed) > 0 {
				t.Errorf("the click changed what is stored:\n%s", strings.Join(changed, "\n"))
			}
			p.closesModals()
		})
	}
}
