package fakeslack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

// surface is where blocks are shown; the limits differ.
type surface string

const (
	surfaceMessage surface = "message"
	surfaceModal   surface = "modal"
	surfaceHome    surface = "home"
)

// Slack's Block Kit limits that the fake enforces.
const (
	maxMessageBlocks     = 50
	maxViewBlocks        = 100
	maxIDLength          = 255 // block_id, action_id, callback_id, external_id
	maxOptionText        = 75
	maxOptionValue       = 150
	maxLabelText         = 2000
	maxSectionText       = 3000
	maxSectionFields     = 10
	maxFieldText         = 2000
	maxHeaderText        = 150
	maxButtonText        = 75
	maxButtonValue       = 2000
	maxPlaceholderText   = 150
	maxActionsElements   = 25
	maxContextElements   = 10
	maxSelectOptions     = 100
	maxChoiceOptions     = 10 // checkboxes, radio_buttons
	maxOverflowOptions   = 5
	maxViewTitle         = 24
	maxViewButtonText    = 24 // submit, close
	maxPrivateMetadata   = 3000
	maxModalStackHeight  = 3
	maxHintText          = 2000
	maxPlainTextInputLen = 3000
)

// problem is one broken rule, located by a JSON pointer into the request.
type problem struct {
	pointer string
	message string
}

// normalizeBlocks checks blocks against Slack's limits and fills in the
// block_id and action_id values Slack generates when the bot leaves them
// out, so payloads can name every block and element.
func normalizeBlocks(raw json.RawMessage, where surface, pointer string) (json.RawMessage, []problem, error) {
	var blocks []any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep numbers exactly as sent
	if err := dec.Decode(&blocks); err != nil {
		return nil, nil, err
	}
	problems := checkBlocks(blocks, where, pointer)
	fillGeneratedIDs(blocks)
	normalized, err := json.Marshal(blocks)
	if err != nil {
		return nil, nil, err
	}
	var parsed slack.Blocks
	if err := json.Unmarshal(normalized, &parsed); err != nil {
		problems = append(problems, problem{pointer, fmt.Sprintf("blocks are not valid Block Kit: %v", err)})
	}
	return normalized, problems, nil
}

// parseBlocks turns stored block JSON into slack-go blocks (a fresh copy).
func parseBlocks(raw json.RawMessage) []slack.Block {
	if len(raw) == 0 {
		return nil
	}
	var blocks slack.Blocks
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return nil // stored blocks were checked when they arrived
	}
	return blocks.BlockSet
}

func checkBlocks(blocks []any, where surface, pointer string) []problem {
	var problems []problem
	add := func(ptr, format string, args ...any) {
		problems = append(problems, problem{ptr, fmt.Sprintf(format, args...)})
	}
	limit := maxViewBlocks
	if where == surfaceMessage {
		limit = maxMessageBlocks
	}
	if len(blocks) > limit {
		add(pointer, "no more than %d items allowed in a %s, got %d blocks", limit, where, len(blocks))
	}
	blockIDs := map[string]bool{}
	for i, b := range blocks {
		ptr := pointer + "/" + strconv.Itoa(i)
		block, ok := b.(map[string]any)
		if !ok {
			add(ptr, "a block must be an object")
			continue
		}
		if id, ok := block["block_id"].(string); ok {
			if runeLen(id) > maxIDLength {
				add(ptr+"/block_id", "block_id must be no longer than %d characters", maxIDLength)
			}
			if blockIDs[id] {
				add(ptr+"/block_id", "block_id %q is used more than once in this %s", id, where)
			}
			blockIDs[id] = true
		}
		actionIDs := map[string]bool{}
		checkElement := func(el any, elPtr string) {
			problems = append(problems, checkElement(el, elPtr, actionIDs)...)
		}
		switch block["type"] {
		case "section":
			if n := runeLen(textOf(block["text"])); n > maxSectionText {
				add(ptr+"/text/text", "section text must be no longer than %d characters, got %d", maxSectionText, n)
			}
			fields, _ := block["fields"].([]any)
			if len(fields) > maxSectionFields {
				add(ptr+"/fields", "no more than %d fields allowed in a section, got %d", maxSectionFields, len(fields))
			}
			for j, f := range fields {
				if n := runeLen(textOf(f)); n > maxFieldText {
					add(fmt.Sprintf("%s/fields/%d/text", ptr, j), "section field must be no longer than %d characters, got %d", maxFieldText, n)
				}
			}
			if block["text"] == nil && len(fields) == 0 {
				add(ptr, "a section needs text or fields")
			}
			if acc, ok := block["accessory"]; ok {
				checkElement(acc, ptr+"/accessory")
			}
		case "header":
			if n := runeLen(textOf(block["text"])); n > maxHeaderText {
				add(ptr+"/text/text", "header text must be no longer than %d characters, got %d", maxHeaderText, n)
			}
			if kind := typeOf(block["text"]); kind != "plain_text" {
				add(ptr+"/text/type", "header text must be plain_text, got %q", kind)
			}
		case "input":
			if where == surfaceMessage {
				add(ptr, "input blocks are not allowed in messages")
			}
			if block["label"] == nil {
				add(ptr+"/label", "an input block needs a label")
			}
			if n := runeLen(textOf(block["label"])); n > maxLabelText {
				add(ptr+"/label/text", "label must be no longer than %d characters, got %d", maxLabelText, n)
			}
			if n := runeLen(textOf(block["hint"])); n > maxHintText {
				add(ptr+"/hint/text", "hint must be no longer than %d characters, got %d", maxHintText, n)
			}
			if el, ok := block["element"]; ok {
				checkElement(el, ptr+"/element")
			} else {
				add(ptr+"/element", "an input block needs an element")
			}
		case "actions":
			elements, _ := block["elements"].([]any)
			if len(elements) > maxActionsElements {
				add(ptr+"/elements", "no more than %d elements allowed in an actions block, got %d", maxActionsElements, len(elements))
			}
			for j, el := range elements {
				checkElement(el, fmt.Sprintf("%s/elements/%d", ptr, j))
			}
		case "context":
			elements, _ := block["elements"].([]any)
			if len(elements) > maxContextElements {
				add(ptr+"/elements", "no more than %d elements allowed in a context block, got %d", maxContextElements, len(elements))
			}
		case nil:
			add(ptr+"/type", "a block needs a type")
		}
	}
	return problems
}

// checkElement checks an interactive element; actionIDs holds the action_ids
// already used in the same block, where Slack wants them unique.
func checkElement(v any, ptr string, actionIDs map[string]bool) []problem {
	el, ok := v.(map[string]any)
	if !ok {
		return []problem{{ptr, "an element must be an object"}}
	}
	var problems []problem
	add := func(p, format string, args ...any) {
		problems = append(problems, problem{p, fmt.Sprintf(format, args...)})
	}
	if id, ok := el["action_id"].(string); ok {
		if runeLen(id) > maxIDLength {
			add(ptr+"/action_id", "action_id must be no longer than %d characters", maxIDLength)
		}
		if actionIDs[id] {
			add(ptr+"/action_id", "action_id %q is used more than once in this block", id)
		}
		actionIDs[id] = true
	}
	if n := runeLen(textOf(el["placeholder"])); n > maxPlaceholderText {
		add(ptr+"/placeholder/text", "placeholder must be no longer than %d characters, got %d", maxPlaceholderText, n)
	}
	kind, _ := el["type"].(string)
	switch kind {
	case "button":
		if n := runeLen(textOf(el["text"])); n > maxButtonText {
			add(ptr+"/text/text", "button text must be no longer than %d characters, got %d", maxButtonText, n)
		}
		if value, _ := el["value"].(string); runeLen(value) > maxButtonValue {
			add(ptr+"/value", "button value must be no longer than %d characters", maxButtonValue)
		}
	case "plain_text_input":
		if value, _ := el["initial_value"].(string); runeLen(value) > maxPlainTextInputLen {
			add(ptr+"/initial_value", "initial_value must be no longer than %d characters", maxPlainTextInputLen)
		}
	}
	maxOptions := maxSelectOptions
	switch kind {
	case "checkboxes", "radio_buttons":
		maxOptions = maxChoiceOptions
	case "overflow":
		maxOptions = maxOverflowOptions
	}
	count := 0
	checkOptions := func(options []any, optsPtr string) {
		for i, o := range options {
			count++
			option, _ := o.(map[string]any)
			p := fmt.Sprintf("%s/%d", optsPtr, i)
			if n := runeLen(textOf(option["text"])); n > maxOptionText {
				add(p+"/text/text", "option text must be no longer than %d characters, got %d", maxOptionText, n)
			}
			if value, _ := option["value"].(string); runeLen(value) > maxOptionValue {
				add(p+"/value", "option value must be no longer than %d characters", maxOptionValue)
			}
		}
	}
	if options, ok := el["options"].([]any); ok {
		checkOptions(options, ptr+"/options")
	}
	if groups, ok := el["option_groups"].([]any); ok {
		for i, g := range groups {
			group, _ := g.(map[string]any)
			options, _ := group["options"].([]any)
			checkOptions(options, fmt.Sprintf("%s/option_groups/%d/options", ptr, i))
		}
	}
	if count > maxOptions {
		add(ptr+"/options", "no more than %d options allowed in a %s, got %d", maxOptions, kind, count)
	}
	return problems
}

// fillGeneratedIDs gives every block a block_id and every interactive element
// an action_id, as Slack does for the ones the bot left out.
func fillGeneratedIDs(blocks []any) {
	usedBlockIDs := map[string]bool{}
	for _, b := range blocks {
		if block, ok := b.(map[string]any); ok {
			if id, ok := block["block_id"].(string); ok {
				usedBlockIDs[id] = true
			}
		}
	}
	for i, b := range blocks {
		block, ok := b.(map[string]any)
		if !ok {
			continue
		}
		if _, ok := block["block_id"].(string); !ok {
			block["block_id"] = uniqueID(fmt.Sprintf("blk%d", i), usedBlockIDs)
		}
		var elements []any
		switch block["type"] {
		case "actions":
			elements, _ = block["elements"].([]any)
		case "section":
			if acc, ok := block["accessory"]; ok {
				elements = []any{acc}
			}
		case "input":
			if el, ok := block["element"]; ok {
				elements = []any{el}
			}
		}
		usedActionIDs := map[string]bool{}
		for _, e := range elements {
			if el, ok := e.(map[string]any); ok {
				if id, ok := el["action_id"].(string); ok {
					usedActionIDs[id] = true
				}
			}
		}
		for j, e := range elements {
			el, ok := e.(map[string]any)
			if !ok || el["type"] == "image" {
				continue
			}
			if _, ok := el["action_id"].(string); !ok {
				el["action_id"] = uniqueID(fmt.Sprintf("act%d", j), usedActionIDs)
			}
		}
	}
}

func uniqueID(base string, used map[string]bool) string {
	id := base
	for n := 1; used[id]; n++ {
		id = fmt.Sprintf("%s_%d", base, n)
	}
	used[id] = true
	return id
}

// textOf returns the "text" of a text object, or "".
func textOf(v any) string {
	obj, _ := v.(map[string]any)
	s, _ := obj["text"].(string)
	return s
}

// typeOf returns the "type" of an object, or "".
func typeOf(v any) string {
	obj, _ := v.(map[string]any)
	s, _ := obj["type"].(string)
	return s
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

// findButton looks for a button with this action_id and returns its block_id.
func findButton(blocks []slack.Block, actionID string) (string, *slack.ButtonBlockElement) {
	for _, b := range blocks {
		switch b := b.(type) {
		case *slack.ActionBlock:
			if b.Elements == nil {
				continue
			}
			for _, el := range b.Elements.ElementSet {
				if btn, ok := el.(*slack.ButtonBlockElement); ok && btn.ActionID == actionID {
					return b.BlockID, btn
				}
			}
		case *slack.SectionBlock:
			if b.Accessory != nil && b.Accessory.ButtonElement != nil && b.Accessory.ButtonElement.ActionID == actionID {
				return b.BlockID, b.Accessory.ButtonElement
			}
		}
	}
	return "", nil
}
