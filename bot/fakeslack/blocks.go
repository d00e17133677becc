package fakeslack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

// surface is where blocks are shown; the rules differ.
type surface string

const (
	surfaceMessage surface = "message"
	surfaceModal   surface = "modal"
	surfaceHome    surface = "home"
)

// maxModalStackHeight is how many views Slack stacks in one modal.
const maxModalStackHeight = 3

// decodeJSON decodes keeping numbers exactly as sent.
func decodeJSON(raw []byte) (any, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// normalizeBlocks checks a message's blocks against Slack's rules and fills
// in the block_id and action_id values Slack generates when the bot leaves
// them out, so payloads can name every block and element. Problems point
// into the request, where the blocks are "/blocks".
func normalizeBlocks(raw json.RawMessage) (json.RawMessage, []problem, error) {
	tree, err := decodeJSON(raw)
	if err != nil {
		return nil, nil, err
	}
	blocks, ok := tree.([]any)
	if !ok {
		return nil, nil, fmt.Errorf("blocks must be an array, got %.100s", raw)
	}
	problems := checkTree("message", map[string]any{"blocks": blocks}, surfaceMessage, "")
	normalized, err := normalizedBlocks(blocks)
	if err != nil {
		problems = append(problems, problem{"/blocks", err.Error()})
	}
	return normalized, problems, nil
}

// normalizedBlocks fills in generated IDs and makes sure slack-go can read
// the result, since the fake hands blocks back through slack-go types.
func normalizedBlocks(blocks []any) (json.RawMessage, error) {
	fillGeneratedIDs(blocks)
	normalized, err := json.Marshal(blocks)
	if err != nil {
		return nil, err
	}
	var parsed slack.Blocks
	if err := json.Unmarshal(normalized, &parsed); err != nil {
		return nil, fmt.Errorf("blocks are not valid Block Kit: %v", err)
	}
	return normalized, nil
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
