package fakeslack

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"time"
)

// Rules for block elements, and where each element may be used.

// elementPlace is where an element may be used: in which blocks, on which
// surfaces.
type elementPlace struct {
	blocks   []string
	surfaces []surface
}

// elementPlaces follows the table of elements, "Available in surfaces" and
// "Works with block types": https://api.slack.com/reference/block-kit/block-elements
var elementPlaces = map[string]elementPlace{
	"button":                     {[]string{"section", "actions"}, allSurfaces},
	"checkboxes":                 {[]string{"section", "actions", "input"}, allSurfaces},
	"datepicker":                 {[]string{"section", "actions", "input"}, allSurfaces},
	"datetimepicker":             {[]string{"actions", "input"}, []surface{surfaceModal, surfaceMessage}},
	"email_text_input":           {[]string{"input"}, []surface{surfaceModal}},
	"file_input":                 {[]string{"input"}, []surface{surfaceModal}},
	"image":                      {[]string{"section", "context"}, allSurfaces},
	"multi_static_select":        {[]string{"section", "actions", "input"}, allSurfaces},
	"multi_external_select":      {[]string{"section", "actions", "input"}, allSurfaces},
	"multi_users_select":         {[]string{"section", "actions", "input"}, allSurfaces},
	"multi_conversations_select": {[]string{"section", "actions", "input"}, allSurfaces},
	"multi_channels_select":      {[]string{"section", "actions", "input"}, allSurfaces},
	"number_input":               {[]string{"input"}, []surface{surfaceModal}},
	"overflow":                   {[]string{"section", "actions"}, allSurfaces},
	"plain_text_input":           {[]string{"input"}, allSurfaces},
	"radio_buttons":              {[]string{"section", "actions", "input"}, allSurfaces},
	"rich_text_input":            {[]string{"input"}, []surface{surfaceModal, surfaceHome}},
	"static_select":              {[]string{"section", "actions", "input"}, allSurfaces},
	"external_select":            {[]string{"section", "actions", "input"}, allSurfaces},
	"users_select":               {[]string{"section", "actions", "input"}, allSurfaces},
	"conversations_select":       {[]string{"section", "actions", "input"}, allSurfaces},
	"channels_select":            {[]string{"section", "actions", "input"}, allSurfaces},
	"timepicker":                 {[]string{"section", "actions", "input"}, allSurfaces},
	"url_text_input":             {[]string{"input"}, []surface{surfaceModal}},
	"workflow_button":            {[]string{"section", "actions"}, []surface{surfaceMessage}},
}

// Every element: action_id "Maximum length is 255 characters" and
// focus_on_load is a boolean (each element's reference page).
var elementRules = []rule{elementInBlock, elementOnSurface, maxChars("action_id", 255), boolean("focus_on_load")}

func elementInBlock(o map[string]any, a at) []problem {
	if !slices.Contains(elementPlaces[a.kind].blocks, a.block) {
		return a.fail("type", "%s elements are not allowed in %s blocks", a.kind, a.block)
	}
	return nil
}

func elementOnSurface(o map[string]any, a at) []problem {
	if !slices.Contains(elementPlaces[a.kind].surfaces, a.surface) {
		return a.fail("type", "%s elements are not allowed in a %s", a.kind, a.surface)
	}
	return nil
}

// https://docs.slack.dev/reference/block-kit/block-elements/button-element
var buttonRules = []rule{
	required("text"), plainText("text"), textMax("text", 75),
	maxChars("value", 2000), maxChars("url", 3000),
	oneOf("style", "primary", "danger"),
	maxChars("accessibility_label", 75),
}

// A placeholder is "A plain_text only text object ... Maximum length for the
// text in this field is 150 characters" on every element that has one.
var placeholderRules = []rule{plainText("placeholder"), textMax("placeholder", 150)}

// https://docs.slack.dev/reference/block-kit/block-elements/select-menu-element
var staticSelectRules = append(slices.Clone(placeholderRules),
	optionsOrGroups, maxItems("options", 100), maxItems("option_groups", 100),
	uniqueOptionValues, initialOptionAmongOptions,
)

// https://docs.slack.dev/reference/block-kit/block-elements/multi-select-menu-element
var multiSelectRules = append(slices.Clone(placeholderRules), maxSelectedItemsAtLeastOne)

var multiStaticSelectRules = append(slices.Clone(multiSelectRules),
	optionsOrGroups, maxItems("options", 100), maxItems("option_groups", 100),
	uniqueOptionValues, initialOptionsAmongOptions,
)

// https://docs.slack.dev/reference/block-kit/block-elements/radio-button-group-element
var radioButtonsRules = []rule{required("options"), notEmpty("options"), maxItems("options", 10), uniqueOptionValues, initialOptionAmongOptions}

// https://docs.slack.dev/reference/block-kit/block-elements/checkboxes-element
var checkboxesRules = []rule{required("options"), notEmpty("options"), maxItems("options", 10), uniqueOptionValues, initialOptionsAmongOptions}

// https://docs.slack.dev/reference/block-kit/block-elements/overflow-menu-element
var overflowRules = []rule{required("options"), notEmpty("options"), maxItems("options", 5), uniqueOptionValues}

// https://docs.slack.dev/reference/block-kit/block-elements/date-picker-element
var datepickerRules = append(slices.Clone(placeholderRules), initialDateFormat)

// https://docs.slack.dev/reference/block-kit/block-elements/time-picker-element
var timepickerRules = append(slices.Clone(placeholderRules), initialTimeFormat, timezoneName)

// https://docs.slack.dev/reference/block-kit/block-elements/plain-text-input-element
var plainTextInputRules = append(slices.Clone(placeholderRules),
	maxChars("initial_value", 3000), boolean("multiline"),
	numberIn("min_length", 0, 3000), numberIn("max_length", 1, 3000), minLengthNotAboveMax,
	initialValueWithinLengths, triggerActionsOn,
)

// optionsOrGroups: options are required, and "If option_groups is
// specified, this field should not be" (and the other way round).
func optionsOrGroups(o map[string]any, a at) []problem {
	_, options := o["options"]
	_, groups := o["option_groups"]
	switch {
	case options && groups:
		return a.fail("option_groups", "%s takes options or option_groups, not both", a.kind)
	case !options && !groups:
		return a.fail("options", "missing required field: options (or option_groups)")
	}
	return nil
}

// allOptions lists an element's options, those in groups too, with pointers.
func allOptions(o map[string]any, a at) []located {
	var out []located
	collect := func(list any, ptr string) {
		items, _ := list.([]any)
		for i, item := range items {
			if opt, ok := item.(map[string]any); ok {
				out = append(out, located{opt, fmt.Sprintf("%s/%d", ptr, i)})
			}
		}
	}
	collect(o["options"], a.in("options"))
	groups, _ := o["option_groups"].([]any)
	for i, g := range groups {
		group, _ := g.(map[string]any)
		collect(group["options"], a.in(fmt.Sprintf("option_groups/%d/options", i)))
	}
	return out
}

// uniqueOptionValues: an option's value is "A unique string value".
func uniqueOptionValues(o map[string]any, a at) []problem {
	return repeated(allOptions(o, a), "value", func(value string) string {
		return fmt.Sprintf("option value %q is used more than once in this %s", value, a.kind)
	})
}

// amongOptions reports whether the option exactly matches one of the element's.
func amongOptions(option any, o map[string]any, a at) bool {
	for _, opt := range allOptions(o, a) {
		if reflect.DeepEqual(option, opt.o) {
			return true
		}
	}
	return false
}

// initialOptionAmongOptions: initial_option is "A single option that exactly
// matches one of the options".
func initialOptionAmongOptions(o map[string]any, a at) []problem {
	initial, present := o["initial_option"]
	if present && !amongOptions(initial, o, a) {
		return a.fail("initial_option", "initial_option must exactly match one of the %s's options", a.kind)
	}
	return nil
}

// initialOptionsAmongOptions: initial_options are "option objects that
// exactly match one or more of the options".
func initialOptionsAmongOptions(o map[string]any, a at) []problem {
	v, present := o["initial_options"]
	if !present {
		return nil
	}
	items, ok := v.([]any)
	if !ok {
		return a.fail("initial_options", "%s initial_options must be an array", a.kind)
	}
	var problems []problem
	for i, item := range items {
		if !amongOptions(item, o, a) {
			problems = append(problems, a.fail(fmt.Sprintf("initial_options/%d", i), "each of initial_options must exactly match one of the %s's options", a.kind)...)
		}
	}
	return problems
}

// maxSelectedItemsAtLeastOne: max_selected_items "Minimum number is 1".
func maxSelectedItemsAtLeastOne(o map[string]any, a at) []problem {
	v, present := o["max_selected_items"]
	if n, ok := wholeNumber(v); present && (!ok || n < 1) {
		return a.fail("max_selected_items", "max_selected_items must be a whole number of at least 1, got %v", v)
	}
	return nil
}

// initialDateFormat: initial_date "should be in the format YYYY-MM-DD" (and a
// real day).
var initialDateFormat = formatted("initial_date", "a date YYYY-MM-DD", func(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
})

var hoursMinutes = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// initialTimeFormat: initial_time "should be in the format HH:mm, where HH
// is the 24-hour format of an hour (00 to 23) and mm is minutes with leading
// zeros (00 to 59)".
var initialTimeFormat = formatted("initial_time", "HH:mm from 00:00 to 23:59", hoursMinutes.MatchString)

// timezoneName: timezone is "A string in the IANA format, e.g. America/Chicago".
var timezoneName = formatted("timezone", "an IANA time zone name", func(s string) bool {
	_, err := time.LoadLocation(s)
	return err == nil && s != "" && s != "Local"
})

// minLengthNotAboveMax: a minimum above the maximum leaves nothing a person
// could type.
func minLengthNotAboveMax(o map[string]any, a at) []problem {
	lo, hasMin := wholeNumber(o["min_length"])
	hi, hasMax := wholeNumber(o["max_length"])
	if hasMin && hasMax && lo > hi {
		return a.fail("min_length", "min_length %d is more than max_length %d", lo, hi)
	}
	return nil
}

// initialValueWithinLengths: the reference does not say, so the fake reads
// it strictly: an initial value must be one the person could submit, no
// longer than max_length and, when there is one, no shorter than min_length.
func initialValueWithinLengths(o map[string]any, a at) []problem {
	s, _ := o["initial_value"].(string)
	n := runeLen(s)
	if hi, ok := wholeNumber(o["max_length"]); ok && n > hi {
		return a.fail("initial_value", "initial_value has %d characters, more than max_length %d", n, hi)
	}
	if lo, ok := wholeNumber(o["min_length"]); ok && n > 0 && n < lo {
		return a.fail("initial_value", "initial_value has %d characters, fewer than min_length %d", n, lo)
	}
	return nil
}

// triggerActionsOn: https://docs.slack.dev/reference/block-kit/composition-objects/dispatch-action-configuration-object
// lists on_enter_pressed and on_character_entered.
func triggerActionsOn(o map[string]any, a at) []problem {
	config, _ := o["dispatch_action_config"].(map[string]any)
	triggers, _ := config["trigger_actions_on"].([]any)
	var problems []problem
	for i, t := range triggers {
		if t != "on_enter_pressed" && t != "on_character_entered" {
			problems = append(problems, a.fail(fmt.Sprintf("dispatch_action_config/trigger_actions_on/%d", i), "trigger_actions_on holds on_enter_pressed or on_character_entered, got %v", t)...)
		}
	}
	return problems
}
