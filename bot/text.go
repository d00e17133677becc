package bot

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mentorbot/mentorbot"
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

// mention names a person; chat shows their name. Someone who erased their
// data is named only in what their partner is still owed, without a name.
func mention(id string) string {
	if mentorbot.Erased(id) {
		return "your partner"
	}
	return "<@" + id + ">"
}

// localDate writes the day of t in a person's time zone.
func localDate(t time.Time, zone string) string {
	return mentorbot.FormatDate(t.In(mentorbot.Zone(zone)))
}

// stateName is a state as HR reads it in counts of people in a role, or
// of everyone when role is "": mentees join approved, unscreened.
func stateName(role mentorbot.Role, s mentorbot.State) string {
	switch s {
	case mentorbot.StateApplied:
		return "Applied, to screen"
	case mentorbot.StateApproved:
		switch role {
		case mentorbot.RoleMentor:
			return "Approved, not trained"
		case mentorbot.RoleMentee:
			return "Joined, not trained"
		}
		return "Not trained yet"
	case mentorbot.StateTrained:
		return "Ready to match"
	case mentorbot.StateFinished:
		return "Finished a cycle, not opted in"
	}
	return sentenceStart(string(s))
}

// sentenceStart capitalises what begins a sentence ("your partner").
func sentenceStart(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// localTime writes a moment in a person's time zone: "Thu 26 Nov 2026, 14:00".
func localTime(t time.Time, zone string) string {
	return t.In(mentorbot.Zone(zone)).Format("Mon 2 Jan 2006, 15:04")
}

// andNames joins names as "a, b and c"; orNames as "a, b or c".
func andNames(names []string) string { return joinNames(names, "and") }
func orNames(names []string) string  { return joinNames(names, "or") }

func joinNames(names []string, last string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + last + " " + names[len(names)-1]
}

// plural counts things: "1 pair", "2 pairs".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// cut shortens text to n characters, for Slack's limits.
func cut(text string, n int) string {
	if r := []rune(text); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return text
}
