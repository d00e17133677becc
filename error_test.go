package mentorbot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzOptionalNote checks the notes people may leave with a pulse, a
// skipped session or a declined pair: refused on the note's own field when
// too long, otherwise kept trimmed.
func FuzzOptionalNote(f *testing.F) {
	f.Add("  It went well; we covered Canva.\n", uint8(0))
	f.Add("", uint8(1))
	f.Add(strings.Repeat("é", MaxSkipReasonChars), uint8(1))
	f.Add(strings.Repeat("é", MaxSkipReasonChars+1), uint8(1))
	f.Add(" "+strings.Repeat("x", MaxDeclineReasonChars)+"\t", uint8(2))
	f.Add("\u3000全角スペース\u3000", uint8(0))
	f.Add("\xff\xfe not UTF-8", uint8(2))
	notes := []struct {
		field    string
		maxChars int
	}{{FieldPulseNote, MaxPulseNoteChars}, {FieldSkipReason, MaxSkipReasonChars}, {FieldDeclineReason, MaxDeclineReasonChars}}
	f.Fuzz(func(t *testing.T, text string, which uint8) {
		n := notes[int(which)%len(notes)]
		note, err := optionalNote(n.field, text, n.maxChars)
		trimmed := strings.TrimSpace(text)
		if err != nil {
			refusedOn(t, err, n.field)
			if utf8.RuneCountInString(trimmed) <= n.maxChars {
				t.Fatalf("refused %q, which fits in %d characters", text, n.maxChars)
			}
			return
		}
		if note != trimmed || utf8.RuneCountInString(note) > n.maxChars {
			t.Fatalf("kept %q as %q", text, note)
		}
	})
}
