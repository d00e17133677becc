package fakeslack_test

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// everyInput is one input block per element the bot collects answers with,
// each with the fields it sets.
func everyInput() []slack.Block {
	choices := []*slack.OptionBlockObject{option("a", "Alpha"), option("b", "Beta")}
	described := []*slack.OptionBlockObject{
		slack.NewOptionBlockObject("a", mrkdwn("*Alpha*"), mrkdwn("_the first_")),
		slack.NewOptionBlockObject("b", plain("Beta"), plain("the second")),
	}
	text := slack.NewPlainTextInputBlockElement(plain("Say something"), "text")
	text.InitialValue, text.MinLength, text.MaxLength, text.Multiline = "hello", 2, 500, true
	text.DispatchActionConfig = &slack.DispatchActionConfig{TriggerActionsOn: []string{"on_enter_pressed"}}
	text.FocusOnLoad = true
	single := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Pick one"), "single", choices...)
	single.InitialOption = choices[1]
	grouped := slack.NewOptionsGroupSelectBlockElement(slack.OptTypeStatic, plain("Pick"), "grouped",
		slack.NewOptionGroupBlockElement(plain("Group"), option("g1", "One"), option("g2", "Two")))
	many := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, plain("Pick some"), "many", choices...)
	many.InitialOptions, many.MaxSelectedItems = choices[:1], ptr(2)
	user := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, plain("Someone"), "user")
	user.InitialUser = "U1ADA"
	users := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeUser, plain("People"), "users")
	users.InitialUsers, users.MaxSelectedItems = []string{"U1ADA"}, ptr(3)
	radio := slack.NewRadioButtonsBlockElement("radio", described...)
	radio.InitialOption = described[0]
	boxes := slack.NewCheckboxGroupsBlockElement("boxes", described...)
	boxes.InitialOptions = described
	day := slack.NewDatePickerBlockElement("day")
	day.InitialDate = "2026-03-31"
	hour := slack.NewTimePickerBlockElement("hour")
	hour.InitialTime, hour.Timezone = "09:30", "Europe/London"

	var blocks []slack.Block
	for i, el := range []slack.BlockElement{text, single, grouped, many, user, users, radio, boxes, day, hour} {
		in := slack.NewInputBlock(string(rune('a'+i)), plain("Label"), plain("A hint"), el)
		in.Optional = i%2 == 0
		blocks = append(blocks, in)
	}
	return blocks
}

// everyDisplay is one of each block a message shows, with every element
// such blocks take.
func everyDisplay() []slack.Block {
	confirm := slack.NewConfirmationBlockObject(plain("Sure?"), mrkdwn("Close *Spring*?"), plain("Close"), plain("Cancel")).WithStyle(slack.StyleDanger)
	danger := slack.NewButtonBlockElement("close", "cycle-1", plain("Close cycle")).WithStyle(slack.StyleDanger).WithConfirm(confirm)
	primary := slack.NewButtonBlockElement("save", "", plain("Save")).WithStyle(slack.StylePrimary)
	pick := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Pick"), "pick", option("a", "Alpha"))
	return []slack.Block{
		slack.NewHeaderBlock(plain("Your pair")),
		slack.NewSectionBlock(mrkdwn("*Ada* teaches _Grace_"), []*slack.TextBlockObject{mrkdwn("*Topic*"), plain("TikTok")}, slack.NewAccessory(danger)),
		slack.NewSectionBlock(nil, []*slack.TextBlockObject{mrkdwn("a"), mrkdwn("b")}, nil),
		slack.NewDividerBlock(),
		slack.NewContextBlock("", mrkdwn("Sent by mentorbot"), plain("today")),
		slack.NewActionBlock("buttons", primary, danger, pick, slack.NewDatePickerBlockElement("when")),
	}
}

func ptr(n int) *int { return &n }

func TestBuildersWithEveryElementPassTheChecks(t *testing.T) {
	modal := slack.ModalViewRequest{
		Type: slack.VTModal, Title: plain("Join the programme"), Submit: plain("Save"), Close: plain("Cancel"),
		CallbackID: "join", PrivateMetadata: "cycle=1", ExternalID: "join-ada", NotifyOnClose: true,
		Blocks: slack.Blocks{BlockSet: append(everyDisplay(), everyInput()...)},
	}
	if problems := fakeslack.CheckModal(modal); len(problems) > 0 {
		t.Errorf("CheckModal: %q", problems)
	}
	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, CallbackID: "home", Blocks: slack.Blocks{BlockSet: append(everyDisplay(), everyInput()...)}}
	if problems := fakeslack.CheckHome(home); len(problems) > 0 {
		t.Errorf("CheckHome: %q", problems)
	}
	if problems := fakeslack.CheckMessage(everyDisplay()); len(problems) > 0 {
		t.Errorf("CheckMessage: %q", problems)
	}
}

func TestChecksNameTheRuleAndWhereItBroke(t *testing.T) {
	emptyPlaceholder := slack.NewPlainTextInputBlockElement(plain(""), "rules")
	longChoice := slack.NewRadioButtonsBlockElement("slot", option("a", strings.Repeat("x", 76)))
	for _, tc := range []struct {
		name string
		got  []string
		want string
	}{
		{"modal", fakeslack.CheckModal(slack.ModalViewRequest{Type: slack.VTModal, Title: plain("Cycle"), Submit: plain("Save"),
			Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewInputBlock("rules", plain("Ground rules"), nil, emptyPlaceholder)}}}),
			"text must be at least 1 character (at /view/blocks/0/element/placeholder/text)"},
		{"home", fakeslack.CheckHome(slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewSectionBlock(mrkdwn("a"), nil, nil, slack.SectionBlockOptionBlockID("x")),
			slack.NewSectionBlock(mrkdwn("b"), nil, nil, slack.SectionBlockOptionBlockID("x"))}}}),
			`block_id "x" is used more than once in this home (at /view/blocks/1/block_id)`},
		{"message", fakeslack.CheckMessage([]slack.Block{slack.NewActionBlock("slots", longChoice)}),
			"option text must be no longer than 75 characters, got 76 (at /blocks/0/elements/0/options/0/text/text)"},
	} {
		if len(tc.got) != 1 || tc.got[0] != tc.want {
			t.Errorf("%s: %q, want [%q]", tc.name, tc.got, tc.want)
		}
	}
}
