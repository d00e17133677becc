package fakeslack

import (
	"encoding/json"
	"fmt"

	"github.com/slack-go/slack"
)

// CheckMessage checks message blocks against the rules chat.postMessage
// enforces, so a test can check a builder without a server. Each string
// names a broken rule and its JSON pointer, as in Violations; none means
// Slack would take the blocks.
func CheckMessage(blocks []slack.Block) []string {
	return checkValue("message", blocks, surfaceMessage, "")
}

// CheckModal checks a modal against the rules views.open enforces.
func CheckModal(v slack.ModalViewRequest) []string {
	return checkValue("modal", v, surfaceModal, "/view")
}

// CheckHome checks a Home tab against the rules views.publish enforces.
func CheckHome(v slack.HomeTabViewRequest) []string {
	return checkValue("home", v, surfaceHome, "/view")
}

// checkValue marshals v as slack-go sends it and runs the server's rules;
// pointer is where the request holds it ("" for a message, whose blocks are
// "/blocks").
func checkValue(kind string, v any, where surface, pointer string) []string {
	raw, err := json.Marshal(v)
	if err != nil {
		return []string{fmt.Sprintf("cannot marshal the %s: %v", kind, err)}
	}
	tree, err := decodeJSON(raw)
	if err != nil {
		return []string{fmt.Sprintf("cannot read the %s back: %v", kind, err)}
	}
	var problems []problem
	if kind == "message" {
		problems = checkTree(kind, map[string]any{"blocks": tree}, where, pointer)
	} else if view, ok := tree.(map[string]any); ok {
		problems = checkTree(kind, view, where, pointer)
	}
	out := make([]string, len(problems))
	for i, p := range problems {
		out[i] = fmt.Sprintf("%s (at %s)", p.message, p.pointer)
	}
	return out
}
