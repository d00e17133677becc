package fakeslack

import (
	"fmt"
	"strconv"
)

// Rules for the surfaces blocks are shown on: messages, modals, Home tabs.

// Messages: "You can include up to 50 blocks in each message"
// (https://docs.slack.dev/reference/block-kit/blocks).
var messageRules = []rule{maxItems("blocks", 50), uniqueBlockIDs}

// https://docs.slack.dev/reference/views/modal-views; external_id's limit is
// on https://docs.slack.dev/reference/methods/views.open.
var modalRules = []rule{
	viewType,
	required("title"), plainText("title"), textMax("title", 24),
	plainText("submit"), textMax("submit", 24), submitWithInputs,
	plainText("close"), textMax("close", 24),
	required("blocks"), maxItems("blocks", 100),
	maxChars("private_metadata", 3000), maxChars("callback_id", 255), maxChars("external_id", 255),
	boolean("clear_on_close"), boolean("notify_on_close"), boolean("submit_disabled"),
	uniqueBlockIDs, oneFocusOnLoad,
}

// https://docs.slack.dev/reference/views/home-tab-views
var homeRules = []rule{
	viewType, noModalButtons,
	required("blocks"), maxItems("blocks", 100),
	maxChars("private_metadata", 3000), maxChars("callback_id", 255), maxChars("external_id", 255),
	uniqueBlockIDs, oneFocusOnLoad,
}

// viewType: the view's type is the surface the method shows it on.
func viewType(o map[string]any, a at) []problem {
	if o["type"] != a.kind {
		return a.fail("type", "view type must be %q here, got %v", a.kind, o["type"])
	}
	return nil
}

// submitWithInputs: "submit is required when an input block is within the
// blocks array".
func submitWithInputs(o map[string]any, a at) []problem {
	if o["submit"] != nil {
		return nil
	}
	blocks, _ := o["blocks"].([]any)
	for _, b := range blocks {
		if block, _ := b.(map[string]any); block["type"] == "input" {
			return a.fail("submit", "a modal with input blocks needs a submit button")
		}
	}
	return nil
}

// noModalButtons: a Home tab view has no title, submit or close; those are
// modal fields.
func noModalButtons(o map[string]any, a at) []problem {
	var problems []problem
	for _, field := range []string{"title", "submit", "close"} {
		if _, present := o[field]; present {
			problems = append(problems, a.fail(field, "a home view has no %s", field)...)
		}
	}
	return problems
}

// uniqueBlockIDs: "block_id should be unique for each message or view" (every
// block's reference page).
func uniqueBlockIDs(o map[string]any, a at) []problem {
	var blocks []located
	items, _ := o["blocks"].([]any)
	for i, b := range items {
		if block, ok := b.(map[string]any); ok {
			blocks = append(blocks, located{block, a.in("blocks/" + strconv.Itoa(i))})
		}
	}
	return repeated(blocks, "block_id", func(id string) string {
		return fmt.Sprintf("block_id %q is used more than once in this %s", id, a.surface)
	})
}

// oneFocusOnLoad: focus_on_load "Only one element can be set to true"
// within the view object (every input element's reference page).
func oneFocusOnLoad(o map[string]any, a at) []problem {
	var problems []problem
	focused := 0
	blocks, _ := o["blocks"].([]any)
	for i, b := range blocks {
		block, ok := b.(map[string]any)
		if !ok {
			continue
		}
		kind, _ := block["type"].(string)
		where := at{ptr: a.in(fmt.Sprintf("blocks/%d", i)), kind: kind}
		for _, el := range blockElements(block, where) {
			if el.o["focus_on_load"] != true {
				continue
			}
			if focused++; focused > 1 {
				problems = append(problems, problem{el.ptr + "/focus_on_load", "only one element in a view may set focus_on_load"})
			}
		}
	}
	return problems
}
