package fakeslack

import (
	"encoding/json"
	"strings"

	"github.com/slack-go/slack"
)

// Render turns Block Kit into plain text a person could read in a test
// failure or the demo: "# header", section text and fields, context joined by
// " · ", a divider as "---", buttons as [Label], selects as ‹choice›, inputs
// as "Label: value" (or ‹placeholder›), images as [image: alt]. Without
// blocks it returns the fallback text.
//
// Text is shown as Slack displays it: mrkdwn's &lt; &gt; &amp; as < > &.
func Render(blocks []slack.Block, fallback string) string {
	if len(blocks) == 0 {
		return unescapeMrkdwn(fallback)
	}
	return renderBlocks(blocks, nil, nil)
}

// renderView renders a modal or home tab: title, blocks with the entered
// values and errors, then the close and submit buttons.
func renderView(title string, blocks []slack.Block, current, errors map[string]string, closeText, submitText string) string {
	var lines []string
	if title != "" {
		lines = append(lines, "== "+title+" ==")
	}
	if body := renderBlocks(blocks, current, errors); body != "" {
		lines = append(lines, body)
	}
	var buttons []string
	if closeText != "" {
		buttons = append(buttons, "["+closeText+"]")
	}
	if submitText != "" {
		buttons = append(buttons, "["+submitText+"]")
	}
	if len(buttons) > 0 {
		lines = append(lines, strings.Join(buttons, " "))
	}
	return strings.Join(lines, "\n")
}

func renderBlocks(blocks []slack.Block, current, errors map[string]string) string {
	var lines []string
	for _, b := range blocks {
		lines = append(lines, renderBlock(b, current, errors)...)
	}
	return strings.Join(lines, "\n")
}

func renderBlock(b slack.Block, current, errors map[string]string) []string {
	switch b := b.(type) {
	case *slack.HeaderBlock:
		return []string{"# " + text(b.Text)}
	case *slack.SectionBlock:
		var lines []string
		if b.Text != nil {
			lines = append(lines, text(b.Text))
		}
		for _, f := range b.Fields {
			lines = append(lines, text(f))
		}
		if b.Accessory != nil {
			if el := accessoryElement(b.Accessory); el != nil {
				rendered := renderElement(el)
				if len(lines) == 0 {
					lines = []string{rendered}
				} else {
					lines[len(lines)-1] += " " + rendered
				}
			}
		}
		return lines
	case *slack.DividerBlock:
		return []string{"---"}
	case *slack.ContextBlock:
		var parts []string
		for _, el := range b.ContextElements.Elements {
			switch el := el.(type) {
			case *slack.TextBlockObject:
				parts = append(parts, text(el))
			case *slack.ImageBlockElement:
				parts = append(parts, "[image: "+el.AltText+"]")
			}
		}
		return []string{strings.Join(parts, " · ")}
	case *slack.ActionBlock:
		var parts []string
		if b.Elements != nil {
			for _, el := range b.Elements.ElementSet {
				parts = append(parts, renderElement(el))
			}
		}
		return []string{strings.Join(parts, " ")}
	case *slack.InputBlock:
		label := text(b.Label)
		value, entered := current[b.BlockID]
		if !entered && b.Element != nil {
			value = displayState(initialState(b.Element))
		}
		if value == "" {
			value = emptyInput(b.Element)
		}
		lines := []string{label + ": " + value}
		if msg := errors[b.BlockID]; msg != "" {
			lines = append(lines, "  ⚠ "+msg)
		}
		return lines
	case *slack.ImageBlock:
		return []string{"[image: " + b.AltText + "]"}
	case *slack.MarkdownBlock:
		return []string{b.Text}
	case *slack.RichTextBlock:
		return []string{richText(b)}
	}
	return []string{"[" + string(b.BlockType()) + "]"}
}

// text is a text object as Slack displays it.
func text(t *slack.TextBlockObject) string {
	if t == nil {
		return ""
	}
	if t.Type == slack.MarkdownType {
		return unescapeMrkdwn(t.Text)
	}
	return t.Text
}

// mrkdwnEntities are the escapes Slack's mrkdwn shows as characters
// (https://docs.slack.dev/messaging/formatting-message-text);
// plain_text is not parsed, so it shows them as written.
var mrkdwnEntities = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

func unescapeMrkdwn(s string) string { return mrkdwnEntities.Replace(s) }

func accessoryElement(a *slack.Accessory) slack.BlockElement {
	switch {
	case a.ImageElement != nil:
		return a.ImageElement
	case a.ButtonElement != nil:
		return a.ButtonElement
	case a.OverflowElement != nil:
		return a.OverflowElement
	case a.DatePickerElement != nil:
		return a.DatePickerElement
	case a.TimePickerElement != nil:
		return a.TimePickerElement
	case a.PlainTextInputElement != nil:
		return a.PlainTextInputElement
	case a.RichTextInputElement != nil:
		return a.RichTextInputElement
	case a.RadioButtonsElement != nil:
		return a.RadioButtonsElement
	case a.SelectElement != nil:
		return a.SelectElement
	case a.MultiSelectElement != nil:
		return a.MultiSelectElement
	case a.CheckboxGroupsBlockElement != nil:
		return a.CheckboxGroupsBlockElement
	case a.WorkflowButtonElement != nil:
		return a.WorkflowButtonElement
	case a.UnknownElement != nil:
		return a.UnknownElement
	}
	return nil
}

// renderElement renders an interactive element the way it looks in Slack.
func renderElement(el slack.BlockElement) string {
	switch el := el.(type) {
	case *slack.ButtonBlockElement:
		return "[" + text(el.Text) + "]"
	case *slack.WorkflowButtonBlockElement:
		return "[" + text(el.Text) + "]"
	case *slack.OverflowBlockElement:
		return "[⋯]"
	case *slack.ImageBlockElement:
		return "[image: " + el.AltText + "]"
	case *slack.CheckboxGroupsBlockElement:
		return renderChoices(el.Options, el.InitialOptions, "☑", "☐")
	case *slack.RadioButtonsBlockElement:
		var chosen []*slack.OptionBlockObject
		if el.InitialOption != nil {
			chosen = append(chosen, el.InitialOption)
		}
		return renderChoices(el.Options, chosen, "◉", "○")
	}
	value := displayState(initialState(el))
	if value == "" {
		value = strings.Trim(emptyInput(el), "‹›")
	}
	return "‹" + value + "›"
}

func renderChoices(options, chosen []*slack.OptionBlockObject, on, off string) string {
	parts := make([]string, len(options))
	for i, o := range options {
		mark := off
		for _, c := range chosen {
			if c != nil && c.Value == o.Value {
				mark = on
			}
		}
		parts[i] = mark + " " + optionText(o)
	}
	return strings.Join(parts, "  ")
}

// emptyInput is how an input with no value looks: its placeholder, or the
// choices it offers.
func emptyInput(el slack.BlockElement) string {
	var placeholder *slack.TextBlockObject
	var options []*slack.OptionBlockObject
	switch el := el.(type) {
	case *slack.PlainTextInputBlockElement:
		placeholder = el.Placeholder
	case *slack.EmailTextInputBlockElement:
		placeholder = el.Placeholder
	case *slack.URLTextInputBlockElement:
		placeholder = el.Placeholder
	case *slack.NumberInputBlockElement:
		placeholder = el.Placeholder
	case *slack.RichTextInputBlockElement:
		placeholder = el.Placeholder
	case *slack.SelectBlockElement:
		placeholder, options = el.Placeholder, optionsOf(el.Options, el.OptionGroups)
	case *slack.MultiSelectBlockElement:
		placeholder, options = el.Placeholder, optionsOf(el.Options, el.OptionGroups)
	case *slack.DatePickerBlockElement:
		placeholder = el.Placeholder
	case *slack.TimePickerBlockElement:
		placeholder = el.Placeholder
	case *slack.CheckboxGroupsBlockElement:
		options = el.Options
	case *slack.RadioButtonsBlockElement:
		options = el.Options
	}
	if placeholder != nil && placeholder.Text != "" {
		return "‹" + placeholder.Text + "›"
	}
	if len(options) > 0 {
		texts := make([]string, len(options))
		for i, o := range options {
			texts[i] = optionText(o)
		}
		return "‹" + strings.Join(texts, " / ") + "›"
	}
	return "‹›"
}

// richText flattens a rich_text block to its words, mentions as <@U…>.
func richText(b *slack.RichTextBlock) string {
	raw, err := json.Marshal(b)
	if err != nil {
		return "[rich_text]"
	}
	var tree any
	if json.Unmarshal(raw, &tree) != nil {
		return "[rich_text]"
	}
	var sb strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			switch v["type"] {
			case "text", "link":
				if t, ok := v["text"].(string); ok {
					sb.WriteString(t)
				} else if u, ok := v["url"].(string); ok {
					sb.WriteString(u)
				}
				return
			case "user":
				sb.WriteString("<@" + asString(v["user_id"]) + ">")
				return
			case "channel":
				sb.WriteString("<#" + asString(v["channel_id"]) + ">")
				return
			case "emoji":
				sb.WriteString(":" + asString(v["name"]) + ":")
				return
			}
			walk(v["elements"])
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(tree)
	return sb.String()
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}
