package bot

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

// FuzzParseCommand checks what follows /mentor: the first word, in any
// case, picks the subcommand of that name, and the rest come out as words
// that read back the same.
func FuzzParseCommand(f *testing.F) {
	for _, seed := range []string{
		"join", "  JOIN  ", "find Social   media", "find TikTok\u00a0ads", "cycle close", "CYCLE Close now",
		"forget-me", "help me please", "dance", "", " \t\n", "\u3000find\u3000Figma", "İnfo", "\u212Aelvin",
		"\xff\xfe", "find " + strings.Repeat("ä", 4000), "join\u2028profile", "pause 2026-03-29",
	} {
		f.Add(seed)
	}
	names := []string{}
	for _, sc := range (&Bot{}).subcommands() {
		names = append(names, sc.name)
	}
	f.Fuzz(func(t *testing.T, text string) {
		name, args := parseCommand(text)
		typed := strings.Fields(text)
		if len(typed) == 0 {
			if name != "" || len(args) != 0 {
				t.Fatalf("nothing typed in %q read as %q %q", text, name, args)
			}
			return
		}
		if len(args) != len(typed)-1 {
			t.Fatalf("%q read as %q %q: %d words, want %d", text, name, args, len(args)+1, len(typed))
		}
		for _, w := range append([]string{name}, args...) {
			if w == "" || strings.IndexFunc(w, unicode.IsSpace) >= 0 || strings.ToLower(w) != w {
				t.Fatalf("%q read as %q %q: the word %q is not one lower-case word", text, name, args, w)
			}
		}
		for _, n := range names {
			if (name == n) != strings.EqualFold(typed[0], n) {
				t.Fatalf("%q read as the subcommand %q; the first word typed is %q", text, name, typed[0])
			}
		}
		againName, againArgs := parseCommand(name + " " + strings.Join(args, " "))
		if againName != name || !slices.Equal(againArgs, args) {
			t.Fatalf("%q read as %q %q, which reads back as %q %q", text, name, args, againName, againArgs)
		}
	})
}
