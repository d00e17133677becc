package bot

import "strings"

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
