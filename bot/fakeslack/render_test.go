package fakeslack_test

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

func TestRender(t *testing.T) {
	weekday := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Day"), "day", option("mon", "Monday"), option("tue", "Tuesday"))
	chosenDay := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Day"), "day2", option("mon", "Monday"))
	chosenDay.InitialOption = option("mon", "Monday")
	note := slack.NewPlainTextInputBlockElement(plain("Anything else?"), "note")
	for _, tc := range []struct {
		name     string
		blocks   []slack.Block
		fallback string
		want     string
	}{
		{
			name: "message",
			blocks: []slack.Block{
				slack.NewHeaderBlock(plain("Your pairing")),
				slack.NewSectionBlock(mrkdwn("You are paired with *Grace*"), []*slack.TextBlockObject{mrkdwn("*Topic*\nGo"), mrkdwn("*When*\nTuesdays")}, nil),
				slack.NewContextBlock("", mrkdwn("Cohort 7"), slack.NewImageBlockElement("https://x/y.png", "logo"), plain("ends in June")),
				slack.NewDividerBlock(),
				slack.NewActionBlock("", slack.NewButtonBlockElement("accept", "1", plain("Accept")), slack.NewButtonBlockElement("decline", "1", plain("Decline")), weekday),
			},
			fallback: "ignored when there are blocks",
			want: strings.Join([]string{
				"# Your pairing",
				"You are paired with *Grace*",
				"*Topic*\nGo",
				"*When*\nTuesdays",
				"Cohort 7 · [image: logo] · ends in June",
				"---",
				"[Accept] [Decline] ‹Day›",
			}, "\n"),
		},
		{
			name: "accessories and inputs",
			blocks: []slack.Block{
				slack.NewSectionBlock(mrkdwn("Pick a day"), nil, slack.NewAccessory(chosenDay)),
				slack.NewSectionBlock(mrkdwn("Stop?"), nil, slack.NewAccessory(slack.NewButtonBlockElement("stop", "", plain("Stop")))),
				slack.NewInputBlock("note", plain("Note"), nil, note),
				slack.NewImageBlock("https://x/y.png", "a chart", "", nil),
			},
			want: "Pick a day ‹Monday›\nStop? [Stop]\nNote: ‹Anything else?›\n[image: a chart]",
		},
		{name: "fallback", fallback: "plain text only", want: "plain text only"},
		{
			name: "escapes shown as Slack shows them",
			blocks: []slack.Block{
				slack.NewSectionBlock(mrkdwn("Ada wrote &lt;@U2GRACE&gt; &amp;amp; more"), []*slack.TextBlockObject{mrkdwn("a &gt; b"), plain("&lt;as typed&gt;")}, nil),
				slack.NewContextBlock("", mrkdwn("R&amp;D")),
			},
			want: "Ada wrote <@U2GRACE> &amp; more\na > b\n&lt;as typed&gt;\nR&D",
		},
		{name: "escaped fallback", fallback: "Q&amp;A at 5 &lt;- today", want: "Q&A at 5 <- today"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fakeslack.Render(tc.blocks, tc.fallback); got != tc.want {
				t.Errorf("Render() =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestMessageRenderedFallsBackToText(t *testing.T) {
	m := fakeslack.Message{Text: "hello"}
	if m.Rendered() != "hello" {
		t.Errorf("Rendered() = %q", m.Rendered())
	}
	var v *fakeslack.View
	if v.Rendered() != "" {
		t.Error("a nil view renders as empty")
	}
}
