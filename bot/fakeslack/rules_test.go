package fakeslack

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// Builders of minimal, valid Block Kit JSON; each row below breaks one rule.

func js(s string) string {
	raw, _ := json.Marshal(s)
	return string(raw)
}

func pt(s string) string { return `{"type":"plain_text","text":` + js(s) + `}` }
func md(s string) string { return `{"type":"mrkdwn","text":` + js(s) + `}` }

func opt(value, text string) string { return `{"text":` + pt(text) + `,"value":` + js(value) + `}` }

// times joins n copies of item.
func times(n int, item string) string {
	return strings.TrimSuffix(strings.Repeat(item+",", n), ",")
}

// numbered joins n items made by f(i).
func numbered(n int, f func(i int) string) string {
	items := make([]string, n)
	for i := range items {
		items[i] = f(i)
	}
	return strings.Join(items, ",")
}

func long(n int) string { return strings.Repeat("x", n) }

func message(blocks ...string) string { return `{"blocks":[` + strings.Join(blocks, ",") + `]}` }

func modal(blocks ...string) string {
	return `{"type":"modal","title":` + pt("Title") + `,"submit":` + pt("Save") + `,"blocks":[` + strings.Join(blocks, ",") + `]}`
}

// modalWith is a modal with extra top-level fields.
func modalWith(fields string, blocks ...string) string {
	return `{"type":"modal","title":` + pt("Title") + `,"submit":` + pt("Save") + fields + `,"blocks":[` + strings.Join(blocks, ",") + `]}`
}

func home(blocks ...string) string {
	return `{"type":"home","blocks":[` + strings.Join(blocks, ",") + `]}`
}

func section(text string) string { return `{"type":"section","text":` + text + `}` }

func withAccessory(el string) string {
	return `{"type":"section","text":` + md("x") + `,"accessory":` + el + `}`
}

func actions(elements ...string) string {
	return `{"type":"actions","elements":[` + strings.Join(elements, ",") + `]}`
}

func input(element string) string {
	return `{"type":"input","block_id":"in","label":` + pt("Label") + `,"element":` + element + `}`
}

func button(fields string) string { return `{"type":"button","text":` + pt("Go") + fields + `}` }

func confirm(fields string) string {
	return `{"title":` + pt("Sure?") + `,"text":` + md("Really") + `,"confirm":` + pt("Yes") + `,"deny":` + pt("No") + fields + `}`
}

func staticSelect(fields string) string {
	return `{"type":"static_select","action_id":"s","options":[` + opt("a", "A") + `,` + opt("b", "B") + `]` + fields + `}`
}

func radios(fields string) string {
	return `{"type":"radio_buttons","action_id":"r","options":[` + opt("a", "A") + `,` + opt("b", "B") + `]` + fields + `}`
}

func checkboxes(fields string) string {
	return `{"type":"checkboxes","action_id":"c","options":[` + opt("a", "A") + `,` + opt("b", "B") + `]` + fields + `}`
}

func textInput(fields string) string {
	return `{"type":"plain_text_input","action_id":"t"` + fields + `}`
}

// checkJSON runs the rules for a message, modal or home on a JSON payload,
// with pointers as chat.postMessage and views.* report them.
func checkJSON(t *testing.T, kind, payload string) []problem {
	t.Helper()
	tree, err := decodeJSON([]byte(payload))
	if err != nil {
		t.Fatalf("test payload is not JSON: %v\n%s", err, payload)
	}
	pointer := "/view"
	if kind == "message" {
		pointer = ""
	}
	return checkTree(kind, tree.(map[string]any), surface(kind), pointer)
}

func TestEachRuleRefusesWhatItForbids(t *testing.T) {
	for _, tc := range []struct {
		name    string
		kind    string // message, modal or home
		payload string
		pointer string
		message string // a part of the problem's message
	}{
		// Text objects.
		{"text type unknown", "message", message(section(`{"type":"markdown","text":"x"}`)), "/blocks/0/text/type", "plain_text or mrkdwn"},
		{"text missing", "message", message(section(`{"type":"mrkdwn"}`)), "/blocks/0/text/text", "missing required field: text"},
		{"text empty", "message", message(section(md(""))), "/blocks/0/text/text", "at least 1 character"},
		{"text too long", "message", message(section(md(long(3001)))), "/blocks/0/text/text", "no longer than 3000"},
		{"text not a string", "message", message(section(`{"type":"mrkdwn","text":7}`)), "/blocks/0/text/text", "must be a string"},
		{"emoji on mrkdwn", "message", message(section(`{"type":"mrkdwn","text":"x","emoji":true}`)), "/blocks/0/text/emoji", "emoji is only allowed on plain_text"},
		{"verbatim on plain_text", "message", message(section(`{"type":"plain_text","text":"x","verbatim":true}`)), "/blocks/0/text/verbatim", "verbatim is only allowed on mrkdwn"},

		// Every block.
		{"block not an object", "message", message(`"divider"`), "/blocks/0", "must be an object"},
		{"block without type", "message", message(`{"block_id":"b"}`), "/blocks/0/type", "missing required field: type"},
		{"block type unknown", "message", message(`{"type":"carousel_of_doom"}`), "/blocks/0/type", "unsupported type"},
		{"block_id too long", "message", message(`{"type":"divider","block_id":"` + long(256) + `"}`), "/blocks/0/block_id", "no longer than 255"},
		{"block_id not a string", "message", message(`{"type":"divider","block_id":3}`), "/blocks/0/block_id", "must be a string"},
		{"input block in a message", "message", message(input(textInput(""))), "/blocks/0", "input blocks are not allowed in a message"},
		{"markdown block in a modal", "modal", modal(`{"type":"markdown","text":"x"}`), "/view/blocks/0", "markdown blocks are not allowed in a modal"},

		// Section.
		{"section without text or fields", "message", message(`{"type":"section"}`), "/blocks/0", "needs text or fields"},
		{"section with 11 fields", "message", message(`{"type":"section","fields":[` + times(11, md("f")) + `]}`), "/blocks/0/fields", "no more than 10"},
		{"section field too long", "message", message(`{"type":"section","fields":[` + md(long(2001)) + `]}`), "/blocks/0/fields/0/text", "no longer than 2000"},
		{"section fields not an array", "message", message(`{"type":"section","fields":` + md("f") + `}`), "/blocks/0/fields", "must be an array"},
		{"section expand not a boolean", "message", message(`{"type":"section","text":` + md("x") + `,"expand":"yes"}`), "/blocks/0/expand", "must be a boolean"},
		{"text input as a section accessory", "modal", modal(withAccessory(textInput(""))), "/view/blocks/0/accessory/type", "plain_text_input elements are not allowed in section blocks"},

		// Header.
		{"header without text", "message", message(`{"type":"header"}`), "/blocks/0/text", "missing required field: text"},
		{"header text mrkdwn", "message", message(`{"type":"header","text":` + md("H") + `}`), "/blocks/0/text/type", "plain_text"},
		{"header text too long", "message", message(`{"type":"header","text":` + pt(long(151)) + `}`), "/blocks/0/text/text", "no longer than 150"},

		// Context.
		{"context without elements", "message", message(`{"type":"context"}`), "/blocks/0/elements", "missing required field: elements"},
		{"context with no elements", "message", message(`{"type":"context","elements":[]}`), "/blocks/0/elements", "at least one"},
		{"context with 11 elements", "message", message(`{"type":"context","elements":[` + times(11, md("c")) + `]}`), "/blocks/0/elements", "no more than 10"},
		{"button in a context", "message", message(`{"type":"context","elements":[` + button("") + `]}`), "/blocks/0/elements/0/type", "button elements are not allowed in context blocks"},

		// Actions.
		{"actions without elements", "message", message(`{"type":"actions"}`), "/blocks/0/elements", "missing required field: elements"},
		{"actions with no elements", "message", message(actions()), "/blocks/0/elements", "at least one"},
		{"actions with 26 elements", "message", message(actions(numbered(26, func(i int) string { return button(fmt.Sprintf(`,"action_id":"b%d"`, i)) }))), "/blocks/0/elements", "no more than 25"},
		{"text input in actions", "modal", modal(actions(textInput(""))), "/view/blocks/0/elements/0/type", "plain_text_input elements are not allowed in actions blocks"},

		// Input.
		{"input without label", "modal", modal(`{"type":"input","element":` + textInput("") + `}`), "/view/blocks/0/label", "missing required field: label"},
		{"input label mrkdwn", "modal", modal(`{"type":"input","label":` + md("L") + `,"element":` + textInput("") + `}`), "/view/blocks/0/label/type", "plain_text"},
		{"input label too long", "modal", modal(`{"type":"input","label":` + pt(long(2001)) + `,"element":` + textInput("") + `}`), "/view/blocks/0/label/text", "no longer than 2000"},
		{"input without element", "modal", modal(`{"type":"input","label":` + pt("L") + `}`), "/view/blocks/0/element", "missing required field: element"},
		{"input hint mrkdwn", "modal", modal(`{"type":"input","label":` + pt("L") + `,"hint":` + md("h") + `,"element":` + textInput("") + `}`), "/view/blocks/0/hint/type", "plain_text"},
		{"input hint too long", "modal", modal(`{"type":"input","label":` + pt("L") + `,"hint":` + pt(long(2001)) + `,"element":` + textInput("") + `}`), "/view/blocks/0/hint/text", "no longer than 2000"},
		{"input optional not a boolean", "modal", modal(`{"type":"input","label":` + pt("L") + `,"optional":1,"element":` + textInput("") + `}`), "/view/blocks/0/optional", "must be a boolean"},
		{"input dispatch_action not a boolean", "modal", modal(`{"type":"input","label":` + pt("L") + `,"dispatch_action":"no","element":` + textInput("") + `}`), "/view/blocks/0/dispatch_action", "must be a boolean"},
		{"dispatch_action with file_input", "modal", modal(`{"type":"input","label":` + pt("L") + `,"dispatch_action":true,"element":{"type":"file_input"}}`), "/view/blocks/0/dispatch_action", "file_input"},
		{"button in an input", "modal", modal(input(button(""))), "/view/blocks/0/element/type", "button elements are not allowed in input blocks"},

		// Every element.
		{"element type unknown", "message", message(actions(`{"type":"slider"}`)), "/blocks/0/elements/0/type", "unsupported type"},
		{"action_id too long", "message", message(actions(button(`,"action_id":"` + long(256) + `"`))), "/blocks/0/elements/0/action_id", "no longer than 255"},
		{"action_id twice in a block", "message", message(actions(button(`,"action_id":"go"`), button(`,"action_id":"go"`))), "/blocks/0/elements/1/action_id", `action_id "go" is used more than once`},
		{"focus_on_load not a boolean", "modal", modal(input(textInput(`,"focus_on_load":"yes"`))), "/view/blocks/0/element/focus_on_load", "must be a boolean"},
		{"email input on a home tab", "home", home(input(`{"type":"email_text_input"}`)), "/view/blocks/0/element/type", "email_text_input elements are not allowed in a home"},
		{"workflow button in a modal", "modal", modal(actions(`{"type":"workflow_button","text":` + pt("Run") + `}`)), "/view/blocks/0/elements/0/type", "workflow_button elements are not allowed in a modal"},

		// Button.
		{"button without text", "message", message(actions(`{"type":"button"}`)), "/blocks/0/elements/0/text", "missing required field: text"},
		{"button text mrkdwn", "message", message(actions(`{"type":"button","text":` + md("Go") + `}`)), "/blocks/0/elements/0/text/type", "plain_text"},
		{"button text too long", "message", message(actions(`{"type":"button","text":` + pt(long(76)) + `}`)), "/blocks/0/elements/0/text/text", "no longer than 75"},
		{"button value too long", "message", message(actions(button(`,"value":"` + long(2001) + `"`))), "/blocks/0/elements/0/value", "no longer than 2000"},
		{"button url too long", "message", message(actions(button(`,"url":"` + long(3001) + `"`))), "/blocks/0/elements/0/url", "no longer than 3000"},
		{"button style unknown", "message", message(actions(button(`,"style":"secondary"`))), "/blocks/0/elements/0/style", "primary, danger"},
		{"button accessibility_label too long", "message", message(actions(button(`,"accessibility_label":"` + long(76) + `"`))), "/blocks/0/elements/0/accessibility_label", "no longer than 75"},

		// Confirmation dialog.
		{"confirm without title", "message", message(actions(button(`,"confirm":{"text":` + md("t") + `,"confirm":` + pt("Y") + `,"deny":` + pt("N") + `}`))), "/blocks/0/elements/0/confirm/title", "missing required field: title"},
		{"confirm title mrkdwn", "message", message(actions(button(`,"confirm":{"title":` + md("T") + `,"text":` + md("t") + `,"confirm":` + pt("Y") + `,"deny":` + pt("N") + `}`))), "/blocks/0/elements/0/confirm/title/type", "plain_text"},
		{"confirm title too long", "message", message(actions(button(`,"confirm":{"title":` + pt(long(101)) + `,"text":` + md("t") + `,"confirm":` + pt("Y") + `,"deny":` + pt("N") + `}`))), "/blocks/0/elements/0/confirm/title/text", "no longer than 100"},
		{"confirm without text", "message", message(actions(button(`,"confirm":{"title":` + pt("T") + `,"confirm":` + pt("Y") + `,"deny":` + pt("N") + `}`))), "/blocks/0/elements/0/confirm/text", "missing required field: text"},
		{"confirm text too long", "message", message(actions(button(`,"confirm":{"title":` + pt("T") + `,"text":` + md(long(301)) + `,"confirm":` + pt("Y") + `,"deny":` + pt("N") + `}`))), "/blocks/0/elements/0/confirm/text/text", "no longer than 300"},
		{"confirm without confirm", "message", message(actions(button(`,"confirm":{"title":` + pt("T") + `,"text":` + md("t") + `,"deny":` + pt("N") + `}`))), "/blocks/0/elements/0/confirm/confirm", "missing required field: confirm"},
		{"confirm button mrkdwn", "message", message(actions(button(`,"confirm":{"title":` + pt("T") + `,"text":` + md("t") + `,"confirm":` + md("Y") + `,"deny":` + pt("N") + `}`))), "/blocks/0/elements/0/confirm/confirm/type", "plain_text"},
		{"confirm button too long", "message", message(actions(button(`,"confirm":{"title":` + pt("T") + `,"text":` + md("t") + `,"confirm":` + pt(long(31)) + `,"deny":` + pt("N") + `}`))), "/blocks/0/elements/0/confirm/confirm/text", "no longer than 30"},
		{"confirm without deny", "message", message(actions(button(`,"confirm":{"title":` + pt("T") + `,"text":` + md("t") + `,"confirm":` + pt("Y") + `}`))), "/blocks/0/elements/0/confirm/deny", "missing required field: deny"},
		{"confirm deny mrkdwn", "message", message(actions(button(`,"confirm":{"title":` + pt("T") + `,"text":` + md("t") + `,"confirm":` + pt("Y") + `,"deny":` + md("N") + `}`))), "/blocks/0/elements/0/confirm/deny/type", "plain_text"},
		{"confirm deny too long", "message", message(actions(button(`,"confirm":{"title":` + pt("T") + `,"text":` + md("t") + `,"confirm":` + pt("Y") + `,"deny":` + pt(long(31)) + `}`))), "/blocks/0/elements/0/confirm/deny/text", "no longer than 30"},
		{"confirm style unknown", "message", message(actions(button(`,"confirm":` + confirm(`,"style":"warning"`)))), "/blocks/0/elements/0/confirm/style", "primary, danger"},

		// Placeholders.
		{"placeholder empty", "modal", modal(input(textInput(`,"placeholder":` + pt("")))), "/view/blocks/0/element/placeholder/text", "at least 1 character"},
		{"placeholder mrkdwn", "modal", modal(input(textInput(`,"placeholder":` + md("p")))), "/view/blocks/0/element/placeholder/type", "plain_text"},
		{"placeholder too long", "modal", modal(input(staticSelect(`,"placeholder":` + pt(long(151))))), "/view/blocks/0/element/placeholder/text", "no longer than 150"},

		// Static select.
		{"select without options", "modal", modal(input(`{"type":"static_select"}`)), "/view/blocks/0/element/options", "missing required field: options"},
		{"select with options and groups", "modal", modal(input(staticSelect(`,"option_groups":[{"label":` + pt("G") + `,"options":[` + opt("c", "C") + `]}]`))), "/view/blocks/0/element/option_groups", "not both"},
		{"select with 101 options", "modal", modal(input(`{"type":"static_select","options":[` + numbered(101, func(i int) string { return opt(fmt.Sprint(i), "o") }) + `]}`)), "/view/blocks/0/element/options", "no more than 100"},
		{"select with 101 groups", "modal", modal(input(`{"type":"static_select","option_groups":[` + numbered(101, func(i int) string { return `{"label":` + pt("G") + `,"options":[` + opt(fmt.Sprint(i), "o") + `]}` }) + `]}`)), "/view/blocks/0/element/option_groups", "no more than 100"},
		{"select with a value twice", "modal", modal(input(`{"type":"static_select","options":[` + opt("a", "A") + `,` + opt("a", "Again") + `]}`)), "/view/blocks/0/element/options/1/value", `option value "a" is used more than once`},
		{"select initial_option not among options", "modal", modal(input(staticSelect(`,"initial_option":` + opt("z", "Z")))), "/view/blocks/0/element/initial_option", "exactly match one of"},

		// Options.
		{"option without text", "modal", modal(input(`{"type":"static_select","options":[{"value":"a"}]}`)), "/view/blocks/0/element/options/0/text", "missing required field: text"},
		{"option text too long", "modal", modal(input(`{"type":"static_select","options":[` + opt("a", long(76)) + `]}`)), "/view/blocks/0/element/options/0/text/text", "no longer than 75"},
		{"option text mrkdwn in a select", "modal", modal(input(`{"type":"static_select","options":[{"text":` + md("A") + `,"value":"a"}]}`)), "/view/blocks/0/element/options/0/text/type", "plain_text"},
		{"option without value", "modal", modal(input(`{"type":"static_select","options":[{"text":` + pt("A") + `}]}`)), "/view/blocks/0/element/options/0/value", "missing required field: value"},
		{"option value empty", "modal", modal(input(`{"type":"static_select","options":[` + opt("", "A") + `]}`)), "/view/blocks/0/element/options/0/value", "at least 1 character"},
		{"option value too long", "modal", modal(input(`{"type":"static_select","options":[` + opt(long(151), "A") + `]}`)), "/view/blocks/0/element/options/0/value", "no longer than 150"},
		{"option description too long", "modal", modal(input(`{"type":"checkboxes","options":[{"text":` + pt("A") + `,"value":"a","description":` + pt(long(76)) + `}]}`)), "/view/blocks/0/element/options/0/description/text", "no longer than 75"},
		{"option description mrkdwn in a select", "modal", modal(input(`{"type":"static_select","options":[{"text":` + pt("A") + `,"value":"a","description":` + md("d") + `}]}`)), "/view/blocks/0/element/options/0/description/type", "plain_text"},
		{"option url in a select", "modal", modal(input(`{"type":"static_select","options":[{"text":` + pt("A") + `,"value":"a","url":"https://x"}]}`)), "/view/blocks/0/element/options/0/url", "only allowed in overflow menus"},
		{"option url too long in an overflow", "message", message(actions(`{"type":"overflow","options":[{"text":` + pt("A") + `,"value":"a","url":"` + long(3001) + `"}]}`)), "/blocks/0/elements/0/options/0/url", "no longer than 3000"},

		// Option groups.
		{"group without label", "modal", modal(input(`{"type":"static_select","option_groups":[{"options":[` + opt("a", "A") + `]}]}`)), "/view/blocks/0/element/option_groups/0/label", "missing required field: label"},
		{"group label mrkdwn", "modal", modal(input(`{"type":"static_select","option_groups":[{"label":` + md("G") + `,"options":[` + opt("a", "A") + `]}]}`)), "/view/blocks/0/element/option_groups/0/label/type", "plain_text"},
		{"group label too long", "modal", modal(input(`{"type":"static_select","option_groups":[{"label":` + pt(long(76)) + `,"options":[` + opt("a", "A") + `]}]}`)), "/view/blocks/0/element/option_groups/0/label/text", "no longer than 75"},
		{"group without options", "modal", modal(input(`{"type":"static_select","option_groups":[{"label":` + pt("G") + `}]}`)), "/view/blocks/0/element/option_groups/0/options", "missing required field: options"},
		{"group with 101 options", "modal", modal(input(`{"type":"static_select","option_groups":[{"label":` + pt("G") + `,"options":[` + numbered(101, func(i int) string { return opt(fmt.Sprint(i), "o") }) + `]}]}`)), "/view/blocks/0/element/option_groups/0/options", "no more than 100"},

		// Multi-selects.
		{"max_selected_items below 1", "modal", modal(input(`{"type":"multi_static_select","max_selected_items":0,"options":[` + opt("a", "A") + `]}`)), "/view/blocks/0/element/max_selected_items", "at least 1"},
		{"users max_selected_items below 1", "modal", modal(input(`{"type":"multi_users_select","max_selected_items":0}`)), "/view/blocks/0/element/max_selected_items", "at least 1"},
		{"multi-select initial_options not among options", "modal", modal(input(`{"type":"multi_static_select","options":[` + opt("a", "A") + `],"initial_options":[` + opt("b", "B") + `]}`)), "/view/blocks/0/element/initial_options/0", "exactly match one of"},
		{"multi-select initial_options not an array", "modal", modal(input(`{"type":"multi_static_select","options":[` + opt("a", "A") + `],"initial_options":` + opt("a", "A") + `}`)), "/view/blocks/0/element/initial_options", "must be an array"},

		// Radio buttons, checkboxes, overflow.
		{"radio without options", "modal", modal(input(`{"type":"radio_buttons"}`)), "/view/blocks/0/element/options", "missing required field: options"},
		{"radio with no options", "modal", modal(input(`{"type":"radio_buttons","options":[]}`)), "/view/blocks/0/element/options", "at least one"},
		{"radio with 11 options", "modal", modal(input(`{"type":"radio_buttons","options":[` + numbered(11, func(i int) string { return opt(fmt.Sprint(i), "o") }) + `]}`)), "/view/blocks/0/element/options", "no more than 10"},
		{"radio option too long", "modal", modal(input(`{"type":"radio_buttons","options":[` + opt("a", long(76)) + `]}`)), "/view/blocks/0/element/options/0/text/text", "no longer than 75"},
		{"radio initial_option not among options", "modal", modal(input(radios(`,"initial_option":` + opt("a", "Not A")))), "/view/blocks/0/element/initial_option", "exactly match one of"},
		{"checkboxes with 11 options", "modal", modal(input(`{"type":"checkboxes","options":[` + numbered(11, func(i int) string { return opt(fmt.Sprint(i), "o") }) + `]}`)), "/view/blocks/0/element/options", "no more than 10"},
		{"checkboxes initial_options not among options", "modal", modal(input(checkboxes(`,"initial_options":[` + opt("c", "C") + `]`))), "/view/blocks/0/element/initial_options/0", "exactly match one of"},
		{"overflow with 6 options", "message", message(actions(`{"type":"overflow","options":[` + numbered(6, func(i int) string { return opt(fmt.Sprint(i), "o") }) + `]}`)), "/blocks/0/elements/0/options", "no more than 5"},

		// Date and time pickers.
		{"initial_date not YYYY-MM-DD", "modal", modal(input(`{"type":"datepicker","initial_date":"28/04/1990"}`)), "/view/blocks/0/element/initial_date", "YYYY-MM-DD"},
		{"initial_date not a day", "modal", modal(input(`{"type":"datepicker","initial_date":"2026-02-30"}`)), "/view/blocks/0/element/initial_date", "YYYY-MM-DD"},
		{"initial_time without leading zero", "modal", modal(input(`{"type":"timepicker","initial_time":"9:00"}`)), "/view/blocks/0/element/initial_time", "HH:mm"},
		{"initial_time past midnight", "modal", modal(input(`{"type":"timepicker","initial_time":"24:00"}`)), "/view/blocks/0/element/initial_time", "HH:mm"},
		{"timezone not IANA", "modal", modal(input(`{"type":"timepicker","timezone":"Mars/Olympus"}`)), "/view/blocks/0/element/timezone", "IANA"},

		// Plain-text input.
		{"min_length above 3000", "modal", modal(input(textInput(`,"min_length":3001`))), "/view/blocks/0/element/min_length", "from 0 to 3000"},
		{"min_length not whole", "modal", modal(input(textInput(`,"min_length":1.5`))), "/view/blocks/0/element/min_length", "from 0 to 3000"},
		{"max_length 0", "modal", modal(input(textInput(`,"max_length":0`))), "/view/blocks/0/element/max_length", "from 1 to 3000"},
		{"min_length above max_length", "modal", modal(input(textInput(`,"min_length":10,"max_length":5`))), "/view/blocks/0/element/min_length", "more than max_length"},
		{"initial_value longer than max_length", "modal", modal(input(textInput(`,"max_length":3,"initial_value":"abcd"`))), "/view/blocks/0/element/initial_value", "more than max_length 3"},
		{"initial_value shorter than min_length", "modal", modal(input(textInput(`,"min_length":5,"initial_value":"abcd"`))), "/view/blocks/0/element/initial_value", "fewer than min_length 5"},
		{"initial_value too long", "modal", modal(input(textInput(`,"initial_value":"` + long(3001) + `"`))), "/view/blocks/0/element/initial_value", "no longer than 3000"},
		{"multiline not a boolean", "modal", modal(input(textInput(`,"multiline":"yes"`))), "/view/blocks/0/element/multiline", "must be a boolean"},
		{"trigger_actions_on unknown", "modal", modal(input(textInput(`,"dispatch_action_config":{"trigger_actions_on":["on_blur"]}`))), "/view/blocks/0/element/dispatch_action_config/trigger_actions_on/0", "on_enter_pressed"},

		// Images.
		{"image without alt_text", "message", message(`{"type":"image","image_url":"https://x/y.png"}`), "/blocks/0/alt_text", "missing required field: alt_text"},
		{"image with url and file", "message", message(`{"type":"image","alt_text":"a","image_url":"https://x/y.png","slack_file":{"id":"F1"}}`), "/blocks/0", "exactly one of image_url and slack_file"},

		// Modals.
		{"modal type wrong", "modal", `{"type":"home","title":` + pt("T") + `,"blocks":[]}`, "/view/type", `view type must be "modal"`},
		{"modal without title", "modal", `{"type":"modal","blocks":[]}`, "/view/title", "missing required field: title"},
		{"modal title mrkdwn", "modal", `{"type":"modal","title":` + md("T") + `,"blocks":[]}`, "/view/title/type", "plain_text"},
		{"modal title too long", "modal", `{"type":"modal","title":` + pt(long(25)) + `,"blocks":[]}`, "/view/title/text", "modal title must be no longer than 24 characters, got 25"},
		{"modal submit mrkdwn", "modal", `{"type":"modal","title":` + pt("T") + `,"submit":` + md("S") + `,"blocks":[]}`, "/view/submit/type", "plain_text"},
		{"modal submit too long", "modal", `{"type":"modal","title":` + pt("T") + `,"submit":` + pt(long(25)) + `,"blocks":[]}`, "/view/submit/text", "no longer than 24"},
		{"modal close mrkdwn", "modal", `{"type":"modal","title":` + pt("T") + `,"close":` + md("C") + `,"blocks":[]}`, "/view/close/type", "plain_text"},
		{"modal close too long", "modal", `{"type":"modal","title":` + pt("T") + `,"close":` + pt(long(25)) + `,"blocks":[]}`, "/view/close/text", "no longer than 24"},
		{"modal inputs without submit", "modal", `{"type":"modal","title":` + pt("T") + `,"blocks":[` + input(textInput("")) + `]}`, "/view/submit", "needs a submit button"},
		{"modal without blocks", "modal", `{"type":"modal","title":` + pt("T") + `}`, "/view/blocks", "missing required field: blocks"},
		{"modal with 101 blocks", "modal", modal(times(101, `{"type":"divider"}`)), "/view/blocks", "no more than 100"},
		{"modal private_metadata too long", "modal", modalWith(`,"private_metadata":"` + long(3001) + `"`), "/view/private_metadata", "no longer than 3000"},
		{"modal callback_id too long", "modal", modalWith(`,"callback_id":"` + long(256) + `"`), "/view/callback_id", "no longer than 255"},
		{"modal external_id too long", "modal", modalWith(`,"external_id":"` + long(256) + `"`), "/view/external_id", "no longer than 255"},
		{"modal notify_on_close not a boolean", "modal", modalWith(`,"notify_on_close":"yes"`), "/view/notify_on_close", "must be a boolean"},
		{"modal block_id twice", "modal", modal(input(textInput(`,"action_id":"a"`)), input(textInput(`,"action_id":"b"`))), "/view/blocks/1/block_id", `block_id "in" is used more than once in this modal`},
		{"modal with two focused elements", "modal", modal(input(textInput(`,"focus_on_load":true`)), `{"type":"input","label":`+pt("L")+`,"element":`+textInput(`,"focus_on_load":true`)+`}`), "/view/blocks/1/element/focus_on_load", "only one element"},

		// Home tabs.
		{"home type wrong", "home", `{"type":"modal","blocks":[]}`, "/view/type", `view type must be "home"`},
		{"home with a title", "home", `{"type":"home","title":` + pt("T") + `,"blocks":[]}`, "/view/title", "a home view has no title"},
		{"home without blocks", "home", `{"type":"home"}`, "/view/blocks", "missing required field: blocks"},
		{"home with 101 blocks", "home", home(times(101, `{"type":"divider"}`)), "/view/blocks", "no more than 100"},

		// Messages.
		{"message with 51 blocks", "message", message(times(51, `{"type":"divider"}`)), "/blocks", "no more than 50"},
		{"message block_id twice", "message", message(`{"type":"divider","block_id":"d"}`, `{"type":"divider","block_id":"d"}`), "/blocks/1/block_id", `block_id "d" is used more than once in this message`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			problems := checkJSON(t, tc.kind, tc.payload)
			if len(problems) != 1 || problems[0].pointer != tc.pointer || !strings.Contains(problems[0].message, tc.message) {
				t.Errorf("problems = %+v\nwant one at %s saying %q", problems, tc.pointer, tc.message)
			}
		})
	}
}

// The same payloads, each within its rules, pass: the rules above refuse
// only what they name.
func TestRulesTakeWhatSlackTakes(t *testing.T) {
	for _, tc := range []struct{ name, kind, payload string }{
		{"mrkdwn options and descriptions in radio buttons", "modal", modal(input(`{"type":"radio_buttons","options":[{"text":` + md("*A*") + `,"value":"a","description":` + md("_d_") + `}]}`))},
		{"url in an overflow option", "message", message(actions(`{"type":"overflow","options":[{"text":` + pt("A") + `,"value":"a","url":"https://x"}]}`))},
		{"mrkdwn text in a confirm dialog", "message", message(actions(button(`,"confirm":` + confirm(`,"style":"danger"`))))},
		{"initial_option among option groups", "modal", modal(input(`{"type":"static_select","option_groups":[{"label":` + pt("G") + `,"options":[` + opt("a", "A") + `]}],"initial_option":` + opt("a", "A") + `}`))},
		{"initial_value between min and max", "modal", modal(input(textInput(`,"min_length":2,"max_length":4,"initial_value":"abc"`)))},
		{"empty initial_value under a min_length", "modal", modal(input(textInput(`,"min_length":2`)))},
		{"the same block_id in two messages' worth of blocks", "message", message(`{"type":"divider","block_id":"a"}`, `{"type":"divider","block_id":"b"}`)},
		{"the same action_id in two blocks", "message", message(actions(button(`,"action_id":"go"`)), actions(button(`,"action_id":"go"`)))},
		{"a modal without inputs needs no submit", "modal", `{"type":"modal","title":` + pt("T") + `,"blocks":[` + section(md("x")) + `]}`},
		{"input blocks on a home tab", "home", home(input(textInput("")))},
		{"100 blocks in a home tab", "home", home(times(100, `{"type":"divider"}`))},
		{"50 blocks in a message", "message", message(times(50, `{"type":"divider"}`))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if problems := checkJSON(t, tc.kind, tc.payload); len(problems) > 0 {
				t.Errorf("valid payload refused: %+v", problems)
			}
		})
	}
}
