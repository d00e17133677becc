package fakeslack

// Rules for composition objects: text, option, option group, confirmation
// dialog.

// https://docs.slack.dev/reference/block-kit/composition-objects/text-object
var textRules = []rule{textType, required("text"), textLength, emojiOnlyOnPlainText, verbatimOnlyOnMrkdwn}

// textType: "Can be one of plain_text or mrkdwn".
func textType(o map[string]any, a at) []problem {
	if t := o["type"]; t != "plain_text" && t != "mrkdwn" {
		return a.fail("type", "text object type must be plain_text or mrkdwn, got %v", t)
	}
	return nil
}

// textLength: "The minimum length is 1 and maximum length is 3000 characters."
var textLength = charsBetween("text", "text", 1, 3000)

// emojiOnlyOnPlainText: emoji "is only usable when type is plain_text".
func emojiOnlyOnPlainText(o map[string]any, a at) []problem {
	if _, present := o["emoji"]; present && o["type"] != "plain_text" {
		return a.fail("emoji", "emoji is only allowed on plain_text text objects")
	}
	return nil
}

// verbatimOnlyOnMrkdwn: verbatim "is only usable when type is mrkdwn".
func verbatimOnlyOnMrkdwn(o map[string]any, a at) []problem {
	if _, present := o["verbatim"]; present && o["type"] != "mrkdwn" {
		return a.fail("verbatim", "verbatim is only allowed on mrkdwn text objects")
	}
	return nil
}

// https://docs.slack.dev/reference/block-kit/composition-objects/option-object
var optionRules = []rule{
	required("text"), textMax("text", 75), optionTextType,
	required("value"), optionValueLength,
	textMax("description", 75), optionDescriptionType,
	optionURLOnlyInOverflow, maxChars("url", 3000),
}

// choiceElements are the elements whose options may use mrkdwn.
func choiceElement(element string) bool {
	return element == "radio_buttons" || element == "checkboxes"
}

// optionTextType: "Overflow, select, and multi-select menus can only use
// plain_text objects, while radio buttons and checkboxes can use mrkdwn".
func optionTextType(o map[string]any, a at) []problem {
	if choiceElement(a.element) {
		return nil
	}
	return plainText("text")(o, a)
}

// optionDescriptionType: the description is plain_text; "Checkbox group and
// radio button group items can also use mrkdwn formatting".
func optionDescriptionType(o map[string]any, a at) []problem {
	if choiceElement(a.element) {
		return nil
	}
	return plainText("description")(o, a)
}

// optionValueLength: value is required ("A unique string value", so at least
// one character) and at most 150 characters.
var optionValueLength = charsBetween("value", "option value", 1, 150)

// optionURLOnlyInOverflow: "The url attribute is only available in overflow menus."
func optionURLOnlyInOverflow(o map[string]any, a at) []problem {
	if _, present := o["url"]; present && a.element != "overflow" {
		return a.fail("url", "option url is only allowed in overflow menus, not in %s", a.element)
	}
	return nil
}

// https://docs.slack.dev/reference/block-kit/composition-objects/option-group-object
var optionGroupRules = []rule{
	required("label"), plainText("label"), textMax("label", 75),
	required("options"), maxItems("options", 100),
}

// https://docs.slack.dev/reference/block-kit/composition-objects/confirmation-dialog-object
// The text may be mrkdwn: the page's table calls it plain_text, but the
// Block Kit reference it replaced (api.slack.com/reference/block-kit/
// composition-objects#confirm) calls it "A text object" where it calls the
// title and buttons plain_text only, and Slack renders mrkdwn there.
var confirmRules = []rule{
	required("title"), plainText("title"), textMax("title", 100),
	required("text"), textMax("text", 300),
	required("confirm"), plainText("confirm"), textMax("confirm", 30),
	required("deny"), plainText("deny"), textMax("deny", 30),
	oneOf("style", "primary", "danger"),
}
