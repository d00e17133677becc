package bot

import (
	"strings"
	"unicode/utf8"
)

// mrkdwnEscaper turns the three characters Slack reads as markup into
// their entities; everything else, line breaks included, stays as typed.
var mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// typed shows text a person typed (a profile sentence, a goal, a cycle's
// name) as text inside mrkdwn. Unescaped, a typed "<!channel>" would
// notify a whole channel and "<https://x|y>" would disguise a link.
// Plain-text objects are never parsed, so they take typed text as it is.
func typed(s string) string { return mrkdwnEscaper.Replace(s) }

// typedList shows several typed texts joined by sep.
func typedList(items []string, sep string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = typed(s)
	}
	return strings.Join(out, sep)
}

// quoted shows typed text as a block quote, every line of it.
func quoted(s string) string {
	return ">" + strings.ReplaceAll(typed(s), "\n", "\n>")
}

// typedWithin is typed(s) in at most n characters once escaped, ending in
// an ellipsis when it had to be shortened: never cut inside an entity.
func typedWithin(s string, n int) string {
	if escaped := typed(s); utf8.RuneCountInString(escaped) <= n {
		return escaped
	}
	var b strings.Builder
	used := 1 // the ellipsis
	for _, r := range s {
		piece := typed(string(r))
		if used+utf8.RuneCountInString(piece) > n {
			break
		}
		b.WriteString(piece)
		used += utf8.RuneCountInString(piece)
	}
	return b.String() + "…"
}

// commandName is the slash command the app registers (see manifest.yml).
const commandName = "/mentor"

// command writes a subcommand for mrkdwn, as people type it: `/mentor find`.
func command(sub string) string { return "`" + plainCommand(sub) + "`" }

// plainCommand writes a subcommand for plain text: /mentor find.
func plainCommand(sub string) string { return commandName + " " + sub }

// plainText writes text as it is, for plain_text fields.
func plainText(s string) string { return s }
