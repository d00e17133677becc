package fakeslack

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/slack-go/slack"
)

// Typed text stays text. Slack parses mrkdwn for control sequences, <…>:
// <!here>, <@U…>, <#C…>, <!subteam^…>, <url|label>
// (https://docs.slack.dev/messaging/formatting-message-text). A bot that puts
// what a person typed into mrkdwn unescaped lets that person mention, link
// or notify in the bot's name. The fake remembers the sequences people typed
// and flags any that come back live; broadcasts are flagged always, since the
// bot never notifies a whole channel. Escaped (&lt;…&gt;) text and plain_text
// objects, which Slack does not parse, are fine.

// broadcasts are the special mentions that notify a whole channel.
var broadcasts = []string{"!channel", "!here", "!everyone"}

// controlSequences finds every <…> in text.
func controlSequences(text string) []string {
	var out []string
	for {
		start := strings.IndexByte(text, '<')
		if start < 0 {
			return out
		}
		end := strings.IndexAny(text[start+1:], "<>")
		if end < 0 {
			return out
		}
		if text[start+1+end] == '<' {
			text = text[start+1+end:] // a '<' inside starts the sequence afresh
			continue
		}
		out = append(out, text[start:start+end+2])
		text = text[start+end+2:]
	}
}

// rememberTypedLocked keeps the control sequences in something a person
// typed.
func (s *Server) rememberTypedLocked(text string) {
	for _, seq := range controlSequences(text) {
		s.typedSequences[seq] = true
	}
}

// checkLiveSequencesLocked checks a message's text, which Slack formats as
// mrkdwn, and every mrkdwn text object in its blocks.
func (s *Server) checkLiveSequencesLocked(method string, content messageContent) {
	s.checkMrkdwnLocked(method, content.text, "/text")
	if content.blocks != nil {
		tree, _ := decodeJSON(content.blocks)
		s.checkTreeTextLocked(method, tree, "/blocks")
	}
}

// checkViewTextLocked checks every mrkdwn text object in a view.
func (s *Server) checkViewTextLocked(method string, raw json.RawMessage, pointer string) {
	tree, _ := decodeJSON(raw)
	s.checkTreeTextLocked(method, tree, pointer)
}

// checkTreeTextLocked finds the mrkdwn text objects anywhere in v: section
// text and fields, context elements, confirm dialogs, options.
func (s *Server) checkTreeTextLocked(method string, v any, pointer string) {
	switch v := v.(type) {
	case map[string]any:
		if text, ok := v["text"].(string); ok && v["type"] == "mrkdwn" {
			s.checkMrkdwnLocked(method, text, pointer+"/text")
			return
		}
		for _, key := range slices.Sorted(maps.Keys(v)) {
			s.checkTreeTextLocked(method, v[key], pointer+"/"+key)
		}
	case []any:
		for i, item := range v {
			s.checkTreeTextLocked(method, item, pointer+"/"+strconv.Itoa(i))
		}
	}
}

func (s *Server) checkMrkdwnLocked(method, text, pointer string) {
	for _, seq := range controlSequences(text) {
		target, _, _ := strings.Cut(seq[1:len(seq)-1], "|")
		switch {
		case slices.Contains(broadcasts, target):
			s.violateLocked("%s: mrkdwn carries a live %s, which notifies everyone in the channel; the bot never broadcasts (at %s)", method, seq, pointer)
		case s.typedSequences[seq]:
			s.violateLocked("%s: mrkdwn carries a live %s that a person typed; typed text must reach Slack escaped as &lt; &gt; &amp; (at %s)", method, seq, pointer)
		}
	}
}

// typedInto reports whether a person types an input's value, rather than
// picking it.
func typedInto(el slack.BlockElement) bool {
	switch el.(type) {
	case *slack.PlainTextInputBlockElement, *slack.EmailTextInputBlockElement, *slack.URLTextInputBlockElement,
		*slack.NumberInputBlockElement, *slack.RichTextInputBlockElement:
		return true
	}
	return false
}
