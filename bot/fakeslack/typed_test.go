package fakeslack_test

import (
	"context"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

func TestTypedTextComingBackLiveIsAViolation(t *testing.T) {
	const typed = "/mentor note hi <@U2GRACE> see <https://evil.example|this> and <#C1CHAN>"
	for _, tc := range []struct {
		name   string
		blocks []slack.Block
		text   string
		want   string // "" for no violation
	}{
		{"a typed mention in section text", []slack.Block{slack.NewSectionBlock(mrkdwn("Ada says: hi <@U2GRACE>"), nil, nil)}, "note",
			"chat.postMessage: mrkdwn carries a live <@U2GRACE> that a person typed; typed text must reach Slack escaped as &lt; &gt; &amp; (at /blocks/0/text/text)"},
		{"a typed link in a field", []slack.Block{slack.NewSectionBlock(nil, []*slack.TextBlockObject{mrkdwn("ok"), mrkdwn("<https://evil.example|this>")}, nil)}, "note",
			"(at /blocks/0/fields/1/text)"},
		{"a typed channel in context", []slack.Block{slack.NewContextBlock("", mrkdwn("in <#C1CHAN>"))}, "note", "live <#C1CHAN> that a person typed"},
		{"a typed mention in the text", nil, "hi <@U2GRACE>", "(at /text)"},
		{"a typed mention in a confirm dialog", []slack.Block{slack.NewActionBlock("a", slack.NewButtonBlockElement("go", "", plain("Go")).WithConfirm(
			slack.NewConfirmationBlockObject(plain("Sure?"), mrkdwn("Tell <@U2GRACE>?"), plain("Yes"), plain("No"))))}, "note", "(at /blocks/0/elements/0/confirm/text/text)"},
		{"a broadcast nobody typed", []slack.Block{slack.NewSectionBlock(mrkdwn("Heads up <!here>"), nil, nil)}, "note",
			"mrkdwn carries a live <!here>, which notifies everyone in the channel; the bot never broadcasts (at /blocks/0/text/text)"},
		{"a labelled broadcast", nil, "<!channel|channel> read this", "live <!channel|channel>"},
		{"everyone", nil, "<!everyone>", "live <!everyone>"},
		{"the typed mention escaped", []slack.Block{slack.NewSectionBlock(mrkdwn("Ada says: hi &lt;@U2GRACE&gt;"), nil, nil)}, "note", ""},
		{"the typed mention in plain_text", []slack.Block{slack.NewSectionBlock(plain("Ada says: hi <@U2GRACE>"), nil, nil)}, "note", ""},
		{"a mention nobody typed", []slack.Block{slack.NewSectionBlock(mrkdwn("Your mentor is <@U1ADA>"), nil, nil)}, "note", ""},
		{"a link nobody typed", nil, "See <https://mentorbot.example/help|the guide>", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := start(t, func(ctx context.Context, b *testBot, evt socketmode.Event) {
				b.ack(evt)
				if _, ok := evt.Data.(slack.SlashCommand); ok {
					opts := []slack.MsgOption{slack.MsgOptionText(tc.text, false)}
					if tc.blocks != nil {
						opts = append(opts, slack.MsgOptionBlocks(tc.blocks...))
					}
					_, _, _ = b.api.PostMessageContext(ctx, "U1ADA", opts...)
				}
			})
			addPeople(srv)
			ctx := testContext(t)
			ada := srv.Person("U1ADA")
			if _, err := ada.Types(ctx, typed); err != nil {
				t.Fatal(err)
			}
			if err := srv.WaitUntil(ctx, func() bool { return len(ada.DMs()) == 1 }); err != nil {
				t.Fatal(err)
			}
			v := srv.Violations()
			if tc.want == "" {
				noViolations(t, srv)
				return
			}
			if len(v) != 1 || !strings.Contains(v[0], tc.want) {
				t.Errorf("violations = %q, want one containing %q", v, tc.want)
			}
		})
	}
}

func TestTypedInputValuesComingBackLiveInAViewAreAViolation(t *testing.T) {
	srv, _ := start(t, func(ctx context.Context, b *testBot, evt socketmode.Event) {
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok || cb.Type != slack.InteractionTypeViewSubmission {
			modalBot(ctx, b, evt)
			return
		}
		name := cb.View.State.Values["name"]["name_input"].Value
		b.ack(evt)
		_, _ = b.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: cb.User.ID, View: slack.HomeTabViewRequest{
			Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{
				slack.NewHeaderBlock(plain("Welcome " + name)),
				slack.NewSectionBlock(mrkdwn("Welcome "+name), nil, nil),
			}},
		}})
	})
	addPeople(srv)
	ctx := testContext(t)
	ada := srv.Person("U1ADA")
	openJoinModal(t, ctx, ada)
	if _, err := ada.Submit(ctx, map[string]string{"name": "Ada <!subteam^S1|@leads>", "next": "close"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ada.WaitHome(ctx, "Welcome"); err != nil {
		t.Fatal(err)
	}
	// The header is plain_text, which Slack does not parse; the section is mrkdwn.
	want := "views.publish: mrkdwn carries a live <!subteam^S1|@leads> that a person typed; typed text must reach Slack escaped as &lt; &gt; &amp; (at /view/blocks/1/text/text)"
	if v := srv.Violations(); len(v) != 1 || v[0] != want {
		t.Errorf("violations = %q, want [%q]", v, want)
	}
}

func TestRenderedMessagesReadAsAPersonSeesThem(t *testing.T) {
	m := fakeslack.Message{Text: "Q&amp;A &lt;today&gt;"}
	if got := m.Rendered(); got != "Q&A <today>" {
		t.Errorf("Rendered() = %q", got)
	}
}
