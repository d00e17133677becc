package fakeslack

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseViewLimits(t *testing.T) {
	input := `{"type":"input","block_id":"name","label":{"type":"plain_text","text":"Name"},"element":{"type":"plain_text_input","action_id":"n"}}`
	modal := func(extra, blocks string) string {
		return `{"type":"modal","title":{"type":"plain_text","text":"Join"}` + extra + `,"blocks":[` + blocks + `]}`
	}
	for _, tc := range []struct {
		name    string
		view    string
		where   surface
		pointer string // "" = valid
	}{
		{"valid modal", modal(`,"submit":{"type":"plain_text","text":"Save"}`, input), surfaceModal, ""},
		{"title too long", `{"type":"modal","title":{"type":"plain_text","text":"` + strings.Repeat("t", 25) + `"},"blocks":[]}`, surfaceModal, "/view/title/text"},
		{"title missing", `{"type":"modal","blocks":[]}`, surfaceModal, "/view/title"},
		{"title not plain", `{"type":"modal","title":{"type":"mrkdwn","text":"x"},"blocks":[]}`, surfaceModal, "/view/title/type"},
		{"submit too long", modal(`,"submit":{"type":"plain_text","text":"`+strings.Repeat("s", 25)+`"}`, input), surfaceModal, "/view/submit/text"},
		{"close too long", modal(`,"close":{"type":"plain_text","text":"`+strings.Repeat("c", 25)+`"}`, ""), surfaceModal, "/view/close/text"},
		{"inputs without submit", modal("", input), surfaceModal, "/view/submit"},
		{"private_metadata too long", modal(`,"private_metadata":"`+strings.Repeat("m", 3001)+`"`, ""), surfaceModal, "/view/private_metadata"},
		{"callback_id too long", modal(`,"callback_id":"`+strings.Repeat("c", 256)+`"`, ""), surfaceModal, "/view/callback_id"},
		{"block_id too long", modal("", `{"type":"divider","block_id":"`+strings.Repeat("b", 256)+`"}`), surfaceModal, "/view/blocks/0/block_id"},
		{"action_id too long", modal("", `{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"Go"},"action_id":"`+strings.Repeat("a", 256)+`"}]}`), surfaceModal, "/view/blocks/0/elements/0/action_id"},
		{"label too long", modal(`,"submit":{"type":"plain_text","text":"Save"}`, strings.Replace(input, `"Name"`, `"`+strings.Repeat("l", 2001)+`"`, 1)), surfaceModal, "/view/blocks/0/label/text"},
		{"duplicate input block_id", modal(`,"submit":{"type":"plain_text","text":"Save"}`, input+","+input), surfaceModal, "/view/blocks/1/block_id"},
		{"home with 101 blocks", `{"type":"home","blocks":[` + strings.TrimSuffix(strings.Repeat(`{"type":"divider"},`, 101), ",") + `]}`, surfaceHome, "/view/blocks"},
		{"home with 100 blocks", `{"type":"home","blocks":[` + strings.TrimSuffix(strings.Repeat(`{"type":"divider"},`, 100), ",") + `]}`, surfaceHome, ""},
		{"wrong type", `{"type":"home","title":{"type":"plain_text","text":"Join"},"blocks":[]}`, surfaceModal, "/view/type"},
		{"too many checkboxes", modal(`,"submit":{"type":"plain_text","text":"Save"}`, `{"type":"input","block_id":"c","label":{"type":"plain_text","text":"C"},"element":{"type":"checkboxes","action_id":"c","options":[`+strings.TrimSuffix(strings.Repeat(`{"text":{"type":"plain_text","text":"o"},"value":"v"},`, 11), ",")+`]}}`), surfaceModal, "/view/blocks/0/element/options"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, problems := parseView(json.RawMessage(tc.view), tc.where, "/view")
			if tc.pointer == "" {
				if len(problems) > 0 {
					t.Errorf("valid view rejected: %+v", problems)
				}
				return
			}
			if len(problems) != 1 || problems[0].pointer != tc.pointer {
				t.Errorf("problems = %+v, want one at %s", problems, tc.pointer)
			}
		})
	}
}

func TestGeneratedIDsNameEveryBlockAndElement(t *testing.T) {
	raw := `[{"type":"section","block_id":"blk1","text":{"type":"mrkdwn","text":"x"}},{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"A"}},{"type":"button","action_id":"act1","text":{"type":"plain_text","text":"B"}}]}]`
	normalized, problems, err := normalizeBlocks(json.RawMessage(raw), surfaceMessage, "/blocks")
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
