package fakeslack

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The fake checks Block Kit the way Slack does: every documented rule is one
// small function, registered under the kind of object it applies to, and a
// walker runs them over the request, descending into each object's parts.
// The rules themselves sit in rules_*.go beside the reference pages they
// come from.

// problem is one broken rule, located by a JSON pointer into the request.
type problem struct {
	pointer string
	message string
}

// at tells a rule where the object it checks sits.
type at struct {
	ptr     string // the object's JSON pointer in the request
	kind    string // a surface, a block or element type, "text", "option", "option_group" or "confirm"
	block   string // type of the enclosing block; "" outside blocks
	element string // type of the enclosing element; "" outside elements
	surface surface
}

// in is the pointer to one of the object's fields ("" for the object).
func (a at) in(field string) string {
	if field == "" {
		return a.ptr
	}
	return a.ptr + "/" + field
}

// fail reports a broken rule at one of the object's fields.
func (a at) fail(field, format string, args ...any) []problem {
	return []problem{{a.in(field), fmt.Sprintf(format, args...)}}
}

// rule checks one documented rule on one object.
type rule func(o map[string]any, a at) []problem

// Slots that hold any block or any element; the object's own "type" says
// which rules apply. A context block's elements are images or text objects.
const (
	slotBlock          = "block"
	slotElement        = "element"
	slotContextElement = "context_element"
)

// part is a field of an object that holds nested objects to check.
type part struct {
	field string
	slot  string // a slot, or the kind of what the field holds
	list  bool   // the field is an array of them
}

// checkTree runs every rule for kind over o and everything inside it.
func checkTree(kind string, o map[string]any, where surface, ptr string) []problem {
	return visit(kind, o, at{ptr: ptr, surface: where})
}

func visit(slot string, v any, a at) []problem {
	o, ok := v.(map[string]any)
	if !ok {
		return a.fail("", "%s must be an object", slot)
	}
	kind, generic := slot, ""
	switch slot {
	case slotBlock, slotElement, slotContextElement:
		t, isString := o["type"].(string)
		if !isString {
			return a.fail("type", "missing required field: type")
		}
		kind, generic = t, slot
		if slot == slotContextElement {
			generic = slotElement
			if t == "plain_text" || t == "mrkdwn" {
				kind, generic = "text", ""
			}
		}
		if !knownType(generic, kind) {
			return a.fail("type", "unsupported type: %q", t)
		}
	}
	a.kind = kind
	var problems []problem
	for _, r := range rules[generic] {
		problems = append(problems, r(o, a)...)
	}
	for _, r := range rules[kind] {
		problems = append(problems, r(o, a)...)
	}
	inner := a
	switch generic {
	case slotBlock:
		inner.block = kind
	case slotElement:
		inner.element = kind
	}
	for _, p := range parts[kind] {
		child, present := o[p.field]
		if !present || child == nil {
			continue
		}
		inner.ptr = a.in(p.field)
		if !p.list {
			problems = append(problems, visit(p.slot, child, inner)...)
			continue
		}
		items, ok := child.([]any)
		if !ok {
			problems = append(problems, inner.fail("", "%s %s must be an array", kind, p.field)...)
			continue
		}
		for i, item := range items {
			each := inner
			each.ptr = inner.in(strconv.Itoa(i))
			problems = append(problems, visit(p.slot, item, each)...)
		}
	}
	return problems
}

func knownType(generic, kind string) bool {
	switch generic {
	case slotBlock:
		_, ok := blockSurfaces[kind]
		return ok
	case slotElement:
		_, ok := elementPlaces[kind]
		return ok
	}
	return true
}

// rules lists, for each kind of object, the rules it must keep. "block" and
// "element" hold the rules every block or element keeps.
var rules = map[string][]rule{
	// Surfaces.
	"message": messageRules,
	"modal":   modalRules,
	"home":    homeRules,
	// Blocks.
	slotBlock: blockRules,
	"section": sectionRules,
	"header":  headerRules,
	"context": contextRules,
	"actions": actionsRules,
	"input":   inputRules,
	"image":   imageBlockRules,
	// Elements.
	slotElement:                  elementRules,
	"button":                     buttonRules,
	"static_select":              staticSelectRules,
	"multi_static_select":        multiStaticSelectRules,
	"external_select":            placeholderRules,
	"users_select":               placeholderRules,
	"conversations_select":       placeholderRules,
	"channels_select":            placeholderRules,
	"multi_external_select":      multiSelectRules,
	"multi_users_select":         multiSelectRules,
	"multi_conversations_select": multiSelectRules,
	"multi_channels_select":      multiSelectRules,
	"email_text_input":           placeholderRules,
	"url_text_input":             placeholderRules,
	"number_input":               placeholderRules,
	"rich_text_input":            placeholderRules,
	"radio_buttons":              radioButtonsRules,
	"checkboxes":                 checkboxesRules,
	"datepicker":                 datepickerRules,
	"timepicker":                 timepickerRules,
	"plain_text_input":           plainTextInputRules,
	"overflow":                   overflowRules,
	// Composition objects.
	"text":         textRules,
	"option":       optionRules,
	"option_group": optionGroupRules,
	"confirm":      confirmRules,
}

// parts lists, for each kind of object, the fields that hold objects to check.
var parts = map[string][]part{
	"message": {{"blocks", slotBlock, true}},
	"modal":   {{"title", "text", false}, {"submit", "text", false}, {"close", "text", false}, {"blocks", slotBlock, true}},
	"home":    {{"blocks", slotBlock, true}},

	"section": {{"text", "text", false}, {"fields", "text", true}, {"accessory", slotElement, false}},
	"header":  {{"text", "text", false}},
	"context": {{"elements", slotContextElement, true}},
	"actions": {{"elements", slotElement, true}},
	"input":   {{"label", "text", false}, {"hint", "text", false}, {"element", slotElement, false}},
	"image":   {{"title", "text", false}},

	"button":                     {{"text", "text", false}, {"confirm", "confirm", false}},
	"static_select":              selectParts,
	"multi_static_select":        selectParts,
	"external_select":            pickerParts,
	"multi_external_select":      pickerParts,
	"users_select":               pickerParts,
	"multi_users_select":         pickerParts,
	"conversations_select":       pickerParts,
	"multi_conversations_select": pickerParts,
	"channels_select":            pickerParts,
	"multi_channels_select":      pickerParts,
	"radio_buttons":              choiceParts,
	"checkboxes":                 choiceParts,
	"overflow":                   choiceParts,
	"datepicker":                 pickerParts,
	"timepicker":                 pickerParts,
	"datetimepicker":             pickerParts,
	"plain_text_input":           {{"placeholder", "text", false}},
	"email_text_input":           {{"placeholder", "text", false}},
	"url_text_input":             {{"placeholder", "text", false}},
	"number_input":               {{"placeholder", "text", false}},
	"rich_text_input":            {{"placeholder", "text", false}},
	"workflow_button":            {{"text", "text", false}},

	"option":       {{"text", "text", false}, {"description", "text", false}},
	"option_group": {{"label", "text", false}, {"options", "option", true}},
	"confirm":      {{"title", "text", false}, {"text", "text", false}, {"confirm", "text", false}, {"deny", "text", false}},
}

// The initial options are not walked: a rule wants each to equal one of the
// options, which are.
var (
	selectParts = []part{{"placeholder", "text", false}, {"options", "option", true}, {"option_groups", "option_group", true}, {"confirm", "confirm", false}}
	pickerParts = []part{{"placeholder", "text", false}, {"confirm", "confirm", false}}
	choiceParts = []part{{"options", "option", true}, {"confirm", "confirm", false}}
)

// Rules built from a field's name and a number, for the many limits the
// reference states the same way.

// required: the field must be there.
func required(field string) rule {
	return func(o map[string]any, a at) []problem {
		if v, ok := o[field]; !ok || v == nil {
			return a.fail(field, "missing required field: %s", field)
		}
		return nil
	}
}

// plainText: the field, a text object, must be plain_text.
func plainText(field string) rule {
	return func(o map[string]any, a at) []problem {
		t, ok := o[field].(map[string]any)
		if !ok || t["type"] == "plain_text" {
			return nil
		}
		return a.fail(field+"/type", "%s %s must be a plain_text text object, got %v", a.kind, field, t["type"])
	}
}

// textMax: the field's text object holds at most n characters.
func textMax(field string, n int) rule {
	return func(o map[string]any, a at) []problem {
		if got := runeLen(textOf(o[field])); got > n {
			return a.fail(field+"/text", "%s %s must be no longer than %d characters, got %d", a.kind, field, n, got)
		}
		return nil
	}
}

// eachTextMax: every text object in the list field holds at most n characters.
func eachTextMax(field string, n int) rule {
	return func(o map[string]any, a at) []problem {
		items, _ := o[field].([]any)
		var problems []problem
		for i, item := range items {
			if got := runeLen(textOf(item)); got > n {
				problems = append(problems, a.fail(fmt.Sprintf("%s/%d/text", field, i), "each of %s's %s must be no longer than %d characters, got %d", a.kind, field, n, got)...)
			}
		}
		return problems
	}
}

// maxChars: the string field holds at most n characters.
func maxChars(field string, n int) rule {
	return func(o map[string]any, a at) []problem {
		v, present := o[field]
		if !present {
			return nil
		}
		s, ok := v.(string)
		if !ok {
			return a.fail(field, "%s %s must be a string", a.kind, field)
		}
		if got := runeLen(s); got > n {
			return a.fail(field, "%s %s must be no longer than %d characters, got %d", a.kind, field, n, got)
		}
		return nil
	}
}

// maxItems: the array field holds at most n items.
func maxItems(field string, n int) rule {
	return func(o map[string]any, a at) []problem {
		items, _ := o[field].([]any)
		if len(items) > n {
			return a.fail(field, "no more than %d items allowed in %s %s, got %d", n, a.kind, field, len(items))
		}
		return nil
	}
}

// notEmpty: the array field, when there, holds at least one item.
func notEmpty(field string) rule {
	return func(o map[string]any, a at) []problem {
		if items, ok := o[field].([]any); ok && len(items) == 0 {
			return a.fail(field, "%s %s must hold at least one item", a.kind, field)
		}
		return nil
	}
}

// oneOf: the string field, when there, is one of the allowed values.
func oneOf(field string, allowed ...string) rule {
	return func(o map[string]any, a at) []problem {
		v, present := o[field]
		if !present {
			return nil
		}
		if s, ok := v.(string); !ok || !slices.Contains(allowed, s) {
			return a.fail(field, "%s %s must be one of %s, got %v", a.kind, field, strings.Join(allowed, ", "), v)
		}
		return nil
	}
}

// boolean: the field, when there, is true or false.
func boolean(field string) rule {
	return func(o map[string]any, a at) []problem {
		if v, present := o[field]; present {
			if _, ok := v.(bool); !ok {
				return a.fail(field, "%s %s must be a boolean, got %v", a.kind, field, v)
			}
		}
		return nil
	}
}

// formatted: the field, when there, is a string in the given format.
func formatted(field, format string, valid func(string) bool) rule {
	return func(o map[string]any, a at) []problem {
		v, present := o[field]
		if !present {
			return nil
		}
		if s, ok := v.(string); !ok || !valid(s) {
			return a.fail(field, "%s must be %s, got %v", field, format, v)
		}
		return nil
	}
}

// charsBetween: the string field, when there, holds lo to hi characters.
func charsBetween(field, name string, lo, hi int) rule {
	return func(o map[string]any, a at) []problem {
		v, present := o[field]
		if !present {
			return nil
		}
		s, ok := v.(string)
		switch n := runeLen(s); {
		case !ok:
			return a.fail(field, "%s must be a string", name)
		case n < lo:
			return a.fail(field, "%s must be at least %d character", name, lo)
		case n > hi:
			return a.fail(field, "%s must be no longer than %d characters, got %d", name, hi, n)
		}
		return nil
	}
}

// located is an object with its pointer.
type located struct {
	o   map[string]any
	ptr string
}

// repeated reports each object whose string field repeats an earlier one's.
func repeated(objects []located, field string, say func(value string) string) []problem {
	var problems []problem
	seen := map[string]bool{}
	for _, obj := range objects {
		value, ok := obj.o[field].(string)
		if !ok {
			continue
		}
		if seen[value] {
			problems = append(problems, problem{obj.ptr + "/" + field, say(value)})
		}
		seen[value] = true
	}
	return problems
}

// wholeNumber reads a JSON number that must be an integer.
func wholeNumber(v any) (int, bool) {
	switch n := v.(type) {
	case json.Number:
		i, err := strconv.Atoi(n.String())
		return i, err == nil
	case float64:
		return int(n), n == float64(int(n))
	}
	return 0, false
}

// numberIn: the field, when there, is a whole number from lo to hi.
func numberIn(field string, lo, hi int) rule {
	return func(o map[string]any, a at) []problem {
		v, present := o[field]
		if !present {
			return nil
		}
		if n, ok := wholeNumber(v); !ok || n < lo || n > hi {
			return a.fail(field, "%s %s must be a whole number from %d to %d, got %v", a.kind, field, lo, hi, v)
		}
		return nil
	}
}

// textOf returns the "text" of a text object, or "".
func textOf(v any) string {
	obj, _ := v.(map[string]any)
	s, _ := obj["text"].(string)
	return s
}
