package bot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

func TestTypedTextIsEscapedForMrkdwn(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"plain words", "plain words"},
		{"<!channel> <!here>", "&lt;!channel&gt; &lt;!here&gt;"},
		{"<@U0EVIL> and <#C0EVIL>", "&lt;@U0EVIL&gt; and &lt;#C0EVIL&gt;"},
		{"<https://evil.example|click>", "&lt;https://evil.example|click&gt;"},
		{"Fish & chips", "Fish &amp; chips"},
		{"already &lt; escaped", "already &amp;lt; escaped"},
		{"two\nlines", "two\nlines"},
		{"*bold* _it_", "*bold* _it_"},
	} {
		if got := typed(tc.in); got != tc.want {
			t.Errorf("typed(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestQuotedQuotesEveryLine(t *testing.T) {
	t.Parallel()
	if got, want := quoted("one <!here>\ntwo"), ">one &lt;!here&gt;\n>two"; got != want {
		t.Errorf("quoted = %q, want %q", got, want)
	}
}

func TestProblemsNamePeopleAndCommandsAndKeepTypedWordsAsText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"a person", mentorbot.Errorf(mentorbot.ECONFLICT, "%s already nudged them.", mentorbot.Person("U0HOPE")), "<@U0HOPE> already nudged them."},
		{"typed words", mentorbot.Errorf(mentorbot.ENOTFOUND, "Nobody teaches %q.", "<!channel>"), `Nobody teaches "&lt;!channel&gt;".`},
		{"both, and a number", mentorbot.Errorf(mentorbot.ECONFLICT, "%s can't take %d more of %s.", mentorbot.Person("U0ADA"), 2, "<@U0EVIL>"), "<@U0ADA> can't take 2 more of &lt;@U0EVIL&gt;."},
		{"a command", mentorbot.Errorf(mentorbot.ECONFLICT, "Type %s to come back.", mentorbot.Command("join")), "Type `/mentor join` to come back."},
		{"an internal error", errTest("disk on fire <!here>"), mentorbot.InternalErrorMessage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mentorbot.RenderError(tc.err, mention, command, typed); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

type errTest string

func (e errTest) Error() string { return string(e) }

func TestParagraphsSplitLongTextWhereItCan(t *testing.T) {
	t.Parallel()
	lines := strings.Repeat("a line of rules\n", 400)
	words := strings.Repeat("word ", 1300)
	entities := strings.Repeat("&amp;", 1300)
	for _, tc := range []struct {
		name     string
		text     string
		sections int
	}{
		{"short", "one line", 1},
		{"exactly the limit", strings.Repeat("x", maxSectionText), 1},
		{"at line breaks", lines, 3},
		{"at spaces", words, 3},
		{"between entities", entities, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			blocks := paragraphs(tc.text)
			if len(blocks) != tc.sections {
				t.Errorf("%d sections, want %d", len(blocks), tc.sections)
			}
			var joined []string
			for _, b := range blocks {
				text := b.(*slack.SectionBlock).Text.Text
				if n := utf8.RuneCountInString(text); n > maxSectionText || n == 0 {
					t.Errorf("a section of %d characters", n)
				}
				if strings.Count(text, "&") != strings.Count(text, ";") {
					t.Errorf("an entity was cut: %q", text[len(text)-10:])
				}
				joined = append(joined, text)
			}
			// Only the whitespace at a split may go.
			if got, want := strings.Join(strings.Fields(strings.Join(joined, " ")), ""), strings.Join(strings.Fields(tc.text), ""); got != want {
				t.Errorf("text lost in the split")
			}
		})
	}
}

func TestTypedWithinShortensOnlyWhatIsTooLong(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"a<b", 6, "a&lt;b"},
		{"a<b", 5, "a…"},
		{"&&&", 11, "&amp;&amp;…"},
		{"ŵŵŵŵ", 3, "ŵŵ…"},
	} {
		if got := typedWithin(tc.in, tc.n); got != tc.want {
			t.Errorf("typedWithin(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
