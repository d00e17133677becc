package bot

import (
	"strings"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// This file is the one Block Kit vocabulary: every message, modal and home
// tab is assembled from these, never from hand-written JSON.

// message is what a person reads in a DM or a reply: blocks, and the plain
// text Slack shows in notifications.
type message struct {
	text   string
	blocks []slack.Block
}

func plain(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, text, true, false)
}

// mrkdwn is verbatim: Slack links only what the bot wrote as a link or a
// mention, never a URL or channel name that appears in typed text.
func mrkdwn(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, text, false, true)
}

func header(text string) slack.Block { return slack.NewHeaderBlock(plain(text)) }

func paragraph(text string) slack.Block { return slack.NewSectionBlock(mrkdwn(text), nil, nil) }

// maxSectionText is the most a section's text holds.
const maxSectionText = 3000

// paragraphs is text too long for one section, such as ground rules whose
// typed characters grew when escaped, as consecutive sections: split at a
// line break where it can be, else at a space, never inside an entity.
func paragraphs(text string) []slack.Block {
	var blocks []slack.Block
	for {
		r := []rune(text)
		if len(r) <= maxSectionText {
			return append(blocks, paragraph(text))
		}
		head := string(r[:maxSectionText])
		cut := strings.LastIndex(head, "\n")
		if cut <= 0 {
			cut = strings.LastIndex(head, " ")
		}
		if cut <= 0 {
			cut = len(head)
			if amp := strings.LastIndex(head, "&"); amp >= 0 && !strings.Contains(head[amp:], ";") {
				cut = amp
			}
		}
		blocks = append(blocks, paragraph(text[:cut]))
		text = strings.TrimLeft(text[cut:], "\n ")
	}
}

func fields(texts ...string) slack.Block {
	objs := make([]*slack.TextBlockObject, len(texts))
	for i, t := range texts {
		objs[i] = mrkdwn(t)
	}
	return slack.NewSectionBlock(nil, objs, nil)
}

func note(texts ...string) slack.Block {
	elems := make([]slack.MixedElement, len(texts))
	for i, t := range texts {
		elems[i] = mrkdwn(t)
	}
	return slack.NewContextBlock("", elems...)
}

func divider() slack.Block { return slack.NewDividerBlock() }

func buttons(blockID string, bs ...*slack.ButtonBlockElement) slack.Block {
	elems := make([]slack.BlockElement, len(bs))
	for i, b := range bs {
		elems[i] = b
	}
	return slack.NewActionBlock(blockID, elems...)
}

func button(actionID, label string) *slack.ButtonBlockElement {
	return slack.NewButtonBlockElement(actionID, actionID, plain(label))
}

func primaryButton(actionID, label string) *slack.ButtonBlockElement {
	return button(actionID, label).WithStyle(slack.StylePrimary)
}

// valueButton is a button that says which thing it acts on, such as the
// applicant a Review button opens.
func valueButton(actionID, label, value string) *slack.ButtonBlockElement {
	return slack.NewButtonBlockElement(actionID, value, plain(label))
}

// dangerButton asks for confirmation before an action that cannot be
// undone with one click.
func dangerButton(actionID, label, title, question, confirm string) *slack.ButtonBlockElement {
	dialog := slack.NewConfirmationBlockObject(plain(title), mrkdwn(question), plain(confirm), plain("Cancel")).WithStyle(slack.StyleDanger)
	return button(actionID, label).WithStyle(slack.StyleDanger).WithConfirm(dialog)
}

// paragraphWithButton is a section with a button beside its text; blockID
// tells one such section from another.
func paragraphWithButton(blockID, text string, b *slack.ButtonBlockElement) slack.Block {
	return slack.NewSectionBlock(mrkdwn(text), nil, slack.NewAccessory(b), slack.SectionBlockOptionBlockID(blockID))
}

// choice is one option of a select or radio group.
// choice is one option; its description is a grey line under it, cut
// to Slack's 75 characters.
type choice struct{ value, label, description string }

// optionDescriptionLimit is the most characters an option's description
// may hold.
const optionDescriptionLimit = 75

func options(choices []choice) []*slack.OptionBlockObject {
	opts := make([]*slack.OptionBlockObject, len(choices))
	for i, c := range choices {
		var description *slack.TextBlockObject
		if c.description != "" {
			description = plain(cut(c.description, optionDescriptionLimit))
		}
		opts[i] = slack.NewOptionBlockObject(c.value, plain(c.label), description)
	}
	return opts
}

// selected returns the options among all whose value is in values.
func selected(all []*slack.OptionBlockObject, values ...string) []*slack.OptionBlockObject {
	var out []*slack.OptionBlockObject
	for _, v := range values {
		for _, o := range all {
			if o.Value == v {
				out = append(out, o)
			}
		}
	}
	return out
}

// Inputs use the same name for block_id and action_id, so a form field has
// one name from the domain's FieldErrors to the modal's error message.

type inputOption func(*slack.InputBlock)

func optional(b *slack.InputBlock) { b.Optional = true }

func hint(text string) inputOption {
	return func(b *slack.InputBlock) { b.Hint = plain(text) }
}

func input(name, label string, element slack.BlockElement, opts ...inputOption) slack.Block {
	b := slack.NewInputBlock(name, plain(label), nil, element)
	for _, o := range opts {
		o(b)
	}
	return b
}

// textInput is a text field; an empty placeholder is left out, since Slack
// refuses a text object with no characters.
func textInput(name, label, initial, placeholder string, maxLength int, multiline bool, opts ...inputOption) slack.Block {
	e := slack.NewPlainTextInputBlockElement(nil, name)
	if placeholder != "" {
		e.Placeholder = plain(placeholder)
	}
	e.InitialValue = initial
	e.MaxLength = maxLength
	e.Multiline = multiline
	return input(name, label, e, opts...)
}

func selectInput(name, label, placeholder string, choices []choice, initial string, opts ...inputOption) slack.Block {
	all := options(choices)
	e := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(placeholder), name, all...)
	if s := selected(all, initial); len(s) == 1 {
		e.InitialOption = s[0]
	}
	return input(name, label, e, opts...)
}

func multiSelectInput(name, label, placeholder string, choices []choice, initial []string, maxSelected int, opts ...inputOption) slack.Block {
	all := options(choices)
	e := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, plain(placeholder), name, all...)
	e.InitialOptions = selected(all, initial...)
	e.MaxSelectedItems = &maxSelected
	return input(name, label, e, opts...)
}

func radioInput(name, label string, choices []choice, initial string, opts ...inputOption) slack.Block {
	all := options(choices)
	e := slack.NewRadioButtonsBlockElement(name, all...)
	if s := selected(all, initial); len(s) == 1 {
		e.InitialOption = s[0]
	}
	return input(name, label, e, opts...)
}

func checkboxInput(name, label string, choices []choice, initial []string, opts ...inputOption) slack.Block {
	all := options(choices)
	e := slack.NewCheckboxGroupsBlockElement(name, all...)
	e.InitialOptions = selected(all, initial...)
	return input(name, label, e, opts...)
}

// dateInput picks a calendar day; initial is YYYY-MM-DD or empty.
func dateInput(name, label, initial string, opts ...inputOption) slack.Block {
	e := slack.NewDatePickerBlockElement(name)
	e.InitialDate = initial
	return input(name, label, e, opts...)
}

// timeInput picks a time of day; initial is HH:MM or empty.
func timeInput(name, label, initial string, opts ...inputOption) slack.Block {
	e := slack.NewTimePickerBlockElement(name)
	e.InitialTime = initial
	return input(name, label, e, opts...)
}

func userInput(name, label, placeholder, initial string, opts ...inputOption) slack.Block {
	e := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, plain(placeholder), name)
	e.InitialUser = initial
	return input(name, label, e, opts...)
}

func usersInput(name, label, placeholder string, initial []string, maxSelected int, opts ...inputOption) slack.Block {
	e := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeUser, plain(placeholder), name)
	e.InitialUsers = initial
	e.MaxSelectedItems = &maxSelected
	return input(name, label, e, opts...)
}

// modal builds a modal view; titles are cut by Slack at 24 characters, so
// callers keep them short.
func modal(callbackID, title, submit string, metadata string, blocks ...slack.Block) slack.ModalViewRequest {
	v := slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callbackID,
		Title:           plain(title),
		Close:           plain("Cancel"),
		Blocks:          slack.Blocks{BlockSet: blocks},
		PrivateMetadata: metadata,
	}
	if submit != "" {
		v.Submit = plain(submit)
	}
	return v
}

func homeView(blocks ...slack.Block) slack.HomeTabViewRequest {
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}

// formState reads a submitted view's inputs by field name.
type formState map[string]map[string]slack.BlockAction

func (f formState) action(name string) slack.BlockAction { return f[name][name] }

func (f formState) text(name string) string { return f.action(name).Value }

func (f formState) choice(name string) string { return f.action(name).SelectedOption.Value }

func (f formState) choices(name string) []string {
	var values []string
	for _, o := range f.action(name).SelectedOptions {
		values = append(values, o.Value)
	}
	return values
}

func (f formState) user(name string) string { return f.action(name).SelectedUser }

func (f formState) users(name string) []string { return f.action(name).SelectedUsers }

func (f formState) date(name string) string { return f.action(name).SelectedDate }

func (f formState) time(name string) string { return f.action(name).SelectedTime }

func stateOf(v slack.View) formState {
	if v.State == nil {
		return formState{}
	}
	return formState(v.State.Values)
}

// carrying makes a button say which thing it acts on, for the styled and
// confirming buttons valueButton does not build.
func carrying(b *slack.ButtonBlockElement, value string) *slack.ButtonBlockElement {
	b.Value = value
	return b
}

func apologyMessage() message { return textMessage(mentorbot.InternalErrorMessage) }

// textMessage is a message of one paragraph.
func textMessage(text string) message {
	return message{text: text, blocks: []slack.Block{paragraph(text)}}
}

// noticeModal is a modal that only says something.
func noticeModal(title, text string) slack.ModalViewRequest {
	v := modal("notice", title, "", "", paragraph(text))
	v.Close = plain("Close")
	return v
}
