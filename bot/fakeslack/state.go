package fakeslack

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// elementActionID returns an input element's action_id.
func elementActionID(el slack.BlockElement) string {
	switch el := el.(type) {
	case *slack.PlainTextInputBlockElement:
		return el.ActionID
	case *slack.EmailTextInputBlockElement:
		return el.ActionID
	case *slack.URLTextInputBlockElement:
		return el.ActionID
	case *slack.NumberInputBlockElement:
		return el.ActionID
	case *slack.RichTextInputBlockElement:
		return el.ActionID
	case *slack.SelectBlockElement:
		return el.ActionID
	case *slack.MultiSelectBlockElement:
		return el.ActionID
	case *slack.CheckboxGroupsBlockElement:
		return el.ActionID
	case *slack.RadioButtonsBlockElement:
		return el.ActionID
	case *slack.DatePickerBlockElement:
		return el.ActionID
	case *slack.TimePickerBlockElement:
		return el.ActionID
	case *slack.DateTimePickerBlockElement:
		return el.ActionID
	case *slack.FileInputBlockElement:
		return el.ActionID
	}
	return ""
}

// elementType returns the element's Block Kit type, e.g. "static_select".
func elementType(el slack.BlockElement) string {
	switch el := el.(type) {
	case *slack.SelectBlockElement:
		return el.Type
	case *slack.MultiSelectBlockElement:
		return el.Type
	}
	return string(el.ElementType())
}

// initialState is what Slack sends for an input the person has not touched:
// its initial value, or an empty selection.
func initialState(el slack.BlockElement) map[string]any {
	state := map[string]any{"type": elementType(el)}
	switch el := el.(type) {
	case *slack.PlainTextInputBlockElement:
		state["value"] = stringOrNil(el.InitialValue)
	case *slack.EmailTextInputBlockElement:
		state["value"] = stringOrNil(el.InitialValue)
	case *slack.URLTextInputBlockElement:
		state["value"] = stringOrNil(el.InitialValue)
	case *slack.NumberInputBlockElement:
		state["value"] = stringOrNil(el.InitialValue)
	case *slack.RichTextInputBlockElement:
		if el.InitialValue != nil {
			state["rich_text_value"] = el.InitialValue
		} else {
			state["rich_text_value"] = nil
		}
	case *slack.SelectBlockElement:
		switch el.Type {
		case "users_select":
			state["selected_user"] = stringOrNil(el.InitialUser)
		case "conversations_select":
			state["selected_conversation"] = stringOrNil(el.InitialConversation)
		case "channels_select":
			state["selected_channel"] = stringOrNil(el.InitialChannel)
		default:
			state["selected_option"] = optionOrNil(el.InitialOption)
		}
	case *slack.MultiSelectBlockElement:
		switch el.Type {
		case "multi_users_select":
			state["selected_users"] = nonNil(el.InitialUsers)
		case "multi_conversations_select":
			state["selected_conversations"] = nonNil(el.InitialConversations)
		case "multi_channels_select":
			state["selected_channels"] = nonNil(el.InitialChannels)
		default:
			state["selected_options"] = nonNil(el.InitialOptions)
		}
	case *slack.CheckboxGroupsBlockElement:
		state["selected_options"] = nonNil(el.InitialOptions)
	case *slack.RadioButtonsBlockElement:
		state["selected_option"] = optionOrNil(el.InitialOption)
	case *slack.DatePickerBlockElement:
		state["selected_date"] = stringOrNil(el.InitialDate)
	case *slack.TimePickerBlockElement:
		state["selected_time"] = stringOrNil(el.InitialTime)
		if el.Timezone != "" {
			state["timezone"] = el.Timezone
		}
	case *slack.DateTimePickerBlockElement:
		if el.InitialDateTime != 0 {
			state["selected_date_time"] = el.InitialDateTime
		} else {
			state["selected_date_time"] = nil
		}
	case *slack.FileInputBlockElement:
		state["files"] = []any{}
	}
	return state
}

var (
	timeOfDay = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)
	number    = regexp.MustCompile(`^-?\d+(\.\d+)?$`)
)

// chosenState is what Slack sends after the person set an input to value, in
// a person's terms: text for text inputs, option values (comma-separated for
// multi-selects and checkboxes), user IDs, "HH:MM", "YYYY-MM-DD". It also
// returns the value as the person sees it. An empty value clears the input.
func chosenState(el slack.BlockElement, value string, isUser func(string) bool) (map[string]any, string, error) {
	state := map[string]any{"type": elementType(el)}
	if value == "" {
		// A cleared input looks like an untouched one without initial value.
		for k, v := range initialState(el) {
			switch v.(type) {
			case []*slack.OptionBlockObject, []string:
				state[k] = []any{}
			default:
				if k != "type" && k != "timezone" {
					state[k] = nil
				}
			}
		}
		return state, "", nil
	}
	list := splitList(value)
	switch el := el.(type) {
	case *slack.PlainTextInputBlockElement:
		n := runeLen(value)
		if el.MaxLength > 0 && n > el.MaxLength {
			return nil, "", fmt.Errorf("%d characters is more than the input's max_length %d", n, el.MaxLength)
		}
		if el.MinLength > 0 && n < el.MinLength {
			return nil, "", fmt.Errorf("%d characters is less than the input's min_length %d", n, el.MinLength)
		}
		if !el.Multiline && strings.Contains(value, "\n") {
			return nil, "", fmt.Errorf("a single-line input cannot hold a newline")
		}
		state["value"] = value
	case *slack.EmailTextInputBlockElement:
		if !strings.Contains(value, "@") {
			return nil, "", fmt.Errorf("%q is not an email address", value)
		}
		state["value"] = value
	case *slack.URLTextInputBlockElement:
		if !strings.Contains(value, "://") {
			return nil, "", fmt.Errorf("%q is not a URL", value)
		}
		state["value"] = value
	case *slack.NumberInputBlockElement:
		if !number.MatchString(value) || (!el.IsDecimalAllowed && strings.Contains(value, ".")) {
			return nil, "", fmt.Errorf("%q is not a number this input accepts", value)
		}
		state["value"] = value
	case *slack.RichTextInputBlockElement:
		state["rich_text_value"] = map[string]any{
			"type": "rich_text",
			"elements": []any{map[string]any{
				"type":     "rich_text_section",
				"elements": []any{map[string]any{"type": "text", "text": value}},
			}},
		}
	case *slack.SelectBlockElement:
		switch el.Type {
		case "users_select":
			if !isUser(value) {
				return nil, "", fmt.Errorf("%q is not a user in the workspace", value)
			}
			state["selected_user"] = value
		case "conversations_select":
			state["selected_conversation"] = value
		case "channels_select":
			state["selected_channel"] = value
		case "external_select":
			// The fake cannot ask the bot for options; take the value as its own label.
			state["selected_option"] = slack.NewOptionBlockObject(value, slack.NewTextBlockObject(slack.PlainTextType, value, false, false), nil)
		default:
			option, err := findOption(optionsOf(el.Options, el.OptionGroups), value)
			if err != nil {
				return nil, "", err
			}
			state["selected_option"] = option
			return state, optionText(option), nil
		}
	case *slack.MultiSelectBlockElement:
		switch el.Type {
		case "multi_users_select":
			for _, u := range list {
				if !isUser(u) {
					return nil, "", fmt.Errorf("%q is not a user in the workspace", u)
				}
			}
			state["selected_users"] = list
		case "multi_conversations_select":
			state["selected_conversations"] = list
		case "multi_channels_select":
			state["selected_channels"] = list
		case "multi_external_select":
			var chosen []*slack.OptionBlockObject
			for _, v := range list {
				chosen = append(chosen, slack.NewOptionBlockObject(v, slack.NewTextBlockObject(slack.PlainTextType, v, false, false), nil))
			}
			state["selected_options"] = chosen
		default:
			chosen, display, err := findOptions(optionsOf(el.Options, el.OptionGroups), list)
			if err != nil {
				return nil, "", err
			}
			if el.MaxSelectedItems != nil && len(chosen) > *el.MaxSelectedItems {
				return nil, "", fmt.Errorf("%d options chosen, max_selected_items is %d", len(chosen), *el.MaxSelectedItems)
			}
			state["selected_options"] = chosen
			return state, display, nil
		}
	case *slack.CheckboxGroupsBlockElement:
		chosen, display, err := findOptions(el.Options, list)
		if err != nil {
			return nil, "", err
		}
		state["selected_options"] = chosen
		return state, display, nil
	case *slack.RadioButtonsBlockElement:
		option, err := findOption(el.Options, value)
		if err != nil {
			return nil, "", err
		}
		state["selected_option"] = option
		return state, optionText(option), nil
	case *slack.DatePickerBlockElement:
		if _, err := time.Parse(time.DateOnly, value); err != nil {
			return nil, "", fmt.Errorf("%q is not a date YYYY-MM-DD", value)
		}
		state["selected_date"] = value
	case *slack.TimePickerBlockElement:
		if !timeOfDay.MatchString(value) {
			return nil, "", fmt.Errorf("%q is not a time HH:MM", value)
		}
		state["selected_time"] = value
		if el.Timezone != "" {
			state["timezone"] = el.Timezone
		}
	case *slack.DateTimePickerBlockElement:
		seconds, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return nil, "", fmt.Errorf("%q is not a unix time in seconds", value)
		}
		state["selected_date_time"] = seconds
	default:
		return nil, "", fmt.Errorf("the fake cannot fill a %s", elementType(el))
	}
	return state, value, nil
}

// displayState is an input's state as the person sees it.
func displayState(state map[string]any) string {
	for k, v := range state {
		switch k {
		case "value", "selected_user", "selected_conversation", "selected_channel", "selected_date", "selected_time":
			if s, ok := v.(string); ok {
				return s
			}
		case "selected_date_time":
			if n, ok := v.(int64); ok {
				return strconv.FormatInt(n, 10)
			}
		case "selected_option":
			if o, ok := v.(*slack.OptionBlockObject); ok && o != nil {
				return optionText(o)
			}
		case "selected_options":
			if os, ok := v.([]*slack.OptionBlockObject); ok {
				texts := make([]string, len(os))
				for i, o := range os {
					texts[i] = optionText(o)
				}
				return strings.Join(texts, ", ")
			}
		case "selected_users", "selected_conversations", "selected_channels":
			if ids, ok := v.([]string); ok {
				return strings.Join(ids, ", ")
			}
		}
	}
	return ""
}

func splitList(value string) []string {
	var out []string
	for part := range strings.SplitSeq(value, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func optionsOf(options []*slack.OptionBlockObject, groups []*slack.OptionGroupBlockObject) []*slack.OptionBlockObject {
	all := append([]*slack.OptionBlockObject(nil), options...)
	for _, g := range groups {
		all = append(all, g.Options...)
	}
	return all
}

func findOption(options []*slack.OptionBlockObject, value string) (*slack.OptionBlockObject, error) {
	for _, o := range options {
		if o.Value == value {
			return o, nil
		}
	}
	values := make([]string, len(options))
	for i, o := range options {
		values[i] = o.Value
	}
	return nil, fmt.Errorf("%q is not one of the options %q", value, values)
}

func findOptions(options []*slack.OptionBlockObject, values []string) ([]*slack.OptionBlockObject, string, error) {
	chosen := []*slack.OptionBlockObject{}
	var texts []string
	for _, v := range values {
		o, err := findOption(options, v)
		if err != nil {
			return nil, "", err
		}
		chosen = append(chosen, o)
		texts = append(texts, optionText(o))
	}
	return chosen, strings.Join(texts, ", "), nil
}

func optionText(o *slack.OptionBlockObject) string {
	if o == nil || o.Text == nil {
		return ""
	}
	return o.Text.Text
}

func stringOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func optionOrNil(o *slack.OptionBlockObject) any {
	if o == nil {
		return nil
	}
	return o
}

func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
