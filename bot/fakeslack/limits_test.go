package fakeslack

import (
	"encoding/json"
	"testing"
)

func TestGeneratedIDsNameEveryBlockAndElement(t *testing.T) {
	raw := `[{"type":"section","block_id":"blk1","text":{"type":"mrkdwn","text":"x"}},{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"A"}},{"type":"button","action_id":"act1","text":{"type":"plain_text","text":"B"}}]}]`
	normalized, problems, err := normalizeBlocks(json.RawMessage(raw))
	if err != nil || len(problems) > 0 {
		t.Fatal(err, problems)
	}
	blocks := parseBlocks(normalized)
	if blocks[0].ID() != "blk1" || blocks[1].ID() != "blk1_1" {
		t.Errorf("block ids = %q, %q", blocks[0].ID(), blocks[1].ID())
	}
	if _, btn := findButton(blocks, "act0"); btn == nil || btn.Text.Text != "A" {
		t.Errorf("generated action_id not found: %+v", btn)
	}
}
