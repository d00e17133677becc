package fakeslack

import (
	"fmt"
	"slices"
)

// Rules for blocks, and the surfaces each block may be shown on.

var allSurfaces = []surface{surfaceMessage, surfaceModal, surfaceHome}

// blockSurfaces says where each block type may appear
// (https://docs.slack.dev/reference/block-kit/blocks, "Available in surfaces").
// The input block's reference sends readers to its guides for modals and
// Home tabs only, so the fake keeps input blocks out of messages.
var blockSurfaces = map[string][]surface{
	"actions":   allSurfaces,
	"context":   allSurfaces,
	"divider":   allSurfaces,
	"header":    allSurfaces,
	"image":     allSurfaces,
	"input":     {surfaceModal, surfaceHome},
	"rich_text": allSurfaces,
	"section":   allSurfaces,
	"video":     allSurfaces,
	"file":      {surfaceMessage},
	"markdown":  {surfaceMessage},
}

// Every block: https://docs.slack.dev/reference/block-kit/blocks
var blockRules = []rule{blockOnSurface, maxChars("block_id", 255), uniqueActionIDs}

func blockOnSurface(o map[string]any, a at) []problem {
	if !slices.Contains(blockSurfaces[a.kind], a.surface) {
		return a.fail("", "%s blocks are not allowed in a %s", a.kind, a.surface)
	}
	return nil
}

// uniqueActionIDs: an action_id "Should be unique among all other action_ids
// in the containing block" (every element's reference page).
func uniqueActionIDs(o map[string]any, a at) []problem {
	return repeated(blockElements(o, a), "action_id", func(id string) string {
		return fmt.Sprintf("action_id %q is used more than once in this block", id)
	})
}

// blockElements lists the interactive elements a block holds directly.
func blockElements(o map[string]any, a at) []located {
	var out []located
	add := func(v any, ptr string) {
		if el, ok := v.(map[string]any); ok {
			out = append(out, located{el, ptr})
		}
	}
	add(o["accessory"], a.in("accessory"))
	add(o["element"], a.in("element"))
	if a.kind == "actions" {
		items, _ := o["elements"].([]any)
		for i, item := range items {
			add(item, a.in(fmt.Sprintf("elements/%d", i)))
		}
	}
	return out
}

// https://docs.slack.dev/reference/block-kit/blocks/section-block
var sectionRules = []rule{
	sectionNeedsTextOrFields,
	maxItems("fields", 10), eachTextMax("fields", 2000),
	boolean("expand"),
}

// sectionNeedsTextOrFields: fields are "Required if no text is provided".
func sectionNeedsTextOrFields(o map[string]any, a at) []problem {
	fields, isList := o["fields"].([]any)
	if o["text"] == nil && (o["fields"] == nil || isList && len(fields) == 0) {
		return a.fail("", "a section needs text or fields")
	}
	return nil
}

// https://docs.slack.dev/reference/block-kit/blocks/header-block
var headerRules = []rule{required("text"), plainText("text"), textMax("text", 150)}

// https://docs.slack.dev/reference/block-kit/blocks/context-block
var contextRules = []rule{required("elements"), notEmpty("elements"), maxItems("elements", 10)}

// https://docs.slack.dev/reference/block-kit/blocks/actions-block
var actionsRules = []rule{required("elements"), notEmpty("elements"), maxItems("elements", 25)}

// https://docs.slack.dev/reference/block-kit/blocks/input-block
var inputRules = []rule{
	required("label"), plainText("label"), textMax("label", 2000),
	required("element"),
	plainText("hint"), textMax("hint", 2000),
	boolean("optional"), boolean("dispatch_action"), dispatchActionNotWithFileInput,
}

// dispatchActionNotWithFileInput: dispatch_action "is incompatible with the
// file_input block element".
func dispatchActionNotWithFileInput(o map[string]any, a at) []problem {
	el, _ := o["element"].(map[string]any)
	if o["dispatch_action"] == true && el["type"] == "file_input" {
		return a.fail("dispatch_action", "dispatch_action cannot be used with a file_input element")
	}
	return nil
}

// https://docs.slack.dev/reference/block-kit/blocks/image-block and
// https://docs.slack.dev/reference/block-kit/block-elements/image-element
var imageBlockRules = []rule{
	required("alt_text"), maxChars("alt_text", 2000), imageSource, maxChars("image_url", 3000),
	plainText("title"), textMax("title", 2000),
}

// imageSource: an image needs "image_url" or "slack_file", and only one.
func imageSource(o map[string]any, a at) []problem {
	_, url := o["image_url"]
	_, file := o["slack_file"]
	if url == file {
		return a.fail("", "an image needs exactly one of image_url and slack_file")
	}
	return nil
}
