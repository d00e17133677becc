package fakeslack_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// joinModal is the modal the test bot opens for "/mentor join". Its "next"
// select tells the bot how to answer the submission.
func joinModal(title string) slack.ModalViewRequest {
	topics := slack.NewCheckboxGroupsBlockElement("topics_boxes", option("go", "Go"), option("sql", "SQL"), option("k8s", "Kubernetes"))
	topics.InitialOptions = []*slack.OptionBlockObject{option("sql", "SQL")}
	topicsBlock := slack.NewInputBlock("topics", plain("Topics"), nil, topics)
	topicsBlock.Optional = true
	name := slack.NewPlainTextInputBlockElement(plain("Your name"), "name_input")
	name.InitialValue = "Ada"
	slot := slack.NewTimePickerBlockElement("slot_time")
	slotBlock := slack.NewInputBlock("slot", plain("Preferred time"), nil, slot)
	slotBlock.Optional = true
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		Title:           plain(title),
		Submit:          plain("Save"),
		Close:           plain("Cancel"),
		CallbackID:      "join",
		PrivateMetadata: "cohort-7",
		NotifyOnClose:   true,
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewInputBlock("name", plain("Name"), nil, name),
			slack.NewInputBlock("next", plain("Next step"), nil, slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Pick one"),
				"next_select", option("errors", "Show errors"), option("update", "Update"), option("push", "Push"), option("clear", "Clear"), option("close", "Close"))),
			topicsBlock,
			slotBlock,
		}},
	}
}

// modalBot opens joinModal on a slash command and answers submissions as
// the "next" select says.
func modalBot(ctx context.Context, b *testBot, evt socketmode.Event) {
	switch data := evt.Data.(type) {
	case slack.SlashCommand:
		_, err := b.api.OpenViewContext(ctx, data.TriggerID, joinModal("Join the programme"))
		if err != nil {
			b.ack(evt, map[string]any{"text": "could not open: " + err.Error()})
			return
		}
		b.ack(evt)
	case slack.InteractionCallback:
		if data.Type != slack.InteractionTypeViewSubmission {
			b.ack(evt)
			return
		}
		next := data.View.State.Values["next"]["next_select"].SelectedOption.Value
		switch next {
		case "errors":
			b.ack(evt, slack.NewErrorsViewSubmissionResponse(map[string]string{"name": "Name is taken"}))
		case "update":
			b.ack(evt, slack.NewUpdateViewSubmissionResponse(&slack.ModalViewRequest{
				Type: slack.VTModal, Title: plain("Updated"), Close: plain("Done"),
				Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewSectionBlock(mrkdwn("All set"), nil, nil)}},
			}))
		case "push":
			view := joinModal("Second step")
			b.ack(evt, slack.NewPushViewSubmissionResponse(&view))
		case "clear":
			b.ack(evt, slack.NewClearViewSubmissionResponse())
		default:
			b.ack(evt)
		}
	default:
		b.ack(evt)
	}
}

func openJoinModal(t *testing.T, ctx context.Context, p *fakeslack.Person) {
	t.Helper()
	if _, err := p.Types(ctx, "/mentor join"); err != nil {
		t.Fatal(err)
	}
	if p.Modal() == nil {
		t.Fatalf("no modal open; ephemerals %+v", p.Ephemerals())
	}
}

func TestViewsOpenWithATriggerFromTypesOpensAModal(t *testing.T) {
	srv, _ := start(t, modalBot)
	addPeople(srv)
	ctx := testContext(t)
	ada := srv.Person("U1ADA")

	openJoinModal(t, ctx, ada)
	m := ada.Modal()
	if m.Title != "Join the programme" || m.CallbackID != "join" || m.PrivateMetadata != "cohort-7" || m.Submit != "Save" || m.Close != "Cancel" || m.ID == "" || m.Hash == "" {
		t.Errorf("modal = %+v", m)
	}
	want := strings.Join([]string{
		"== Join the programme ==",
		"Name: Ada",
		"Next step: ‹Pick one›",
		"Topics: SQL",
		"Preferred time: ‹›",
		"[Cancel] [Save]",
	}, "\n")
	if got := m.Rendered(); got != want {
		t.Errorf("Rendered() =\n%s\nwant\n%s", got, want)
	}
	// A copy: changing it leaves the person's modal alone.
	m.Title = "changed"
	if ada.Modal().Title != "Join the programme" {
		t.Error("Modal() did not return a copy")
	}
	noViolations(t, srv)
}

func TestSubmitSendsStateLikeSlack(t *testing.T) {
	srv, b := start(t, modalBot)
	addPeople(srv)
	ctx := testContext(t)
	ada := srv.Person("U1ADA")
	openJoinModal(t, ctx, ada)

	if _, err := ada.Submit(ctx, map[string]string{"next": "close", "slot": "09:30"}); err != nil {
		t.Fatal(err)
	}
	reqs := b.received()
	sub := reqs[len(reqs)-1].Data.(slack.InteractionCallback)
	if sub.Type != slack.InteractionTypeViewSubmission || sub.View.CallbackID != "join" || sub.View.PrivateMetadata != "cohort-7" || sub.User.ID != "U1ADA" || sub.TriggerID == "" || sub.Team.ID != fakeslack.TeamID || sub.APIAppID != fakeslack.AppID {
		t.Errorf("submission = %+v", sub)
	}
	values := sub.View.State.Values
	if got := values["name"]["name_input"]; got.Type != "plain_text_input" || got.Value != "Ada" {
		t.Errorf("name (kept initial value) = %+v", got)
	}
	if got := values["next"]["next_select"]; got.Type != "static_select" || got.SelectedOption.Value != "close" || got.SelectedOption.Text.Text != "Close" {
		t.Errorf("next = %+v", got)
	}
	if got := values["topics"]["topics_boxes"]; got.Type != "checkboxes" || len(got.SelectedOptions) != 1 || got.SelectedOptions[0].Value != "sql" {
		t.Errorf("topics (kept initial options) = %+v", got)
	}
	if got := values["slot"]["slot_time"]; got.Type != "timepicker" || got.SelectedTime != "09:30" {
		t.Errorf("slot = %+v", got)
	}
	if ada.Modal() != nil {
		t.Error("an empty ack should close the modal")
	}
	noViolations(t, srv)
}

func TestSubmitRejectsWhatAPersonCouldNotChoose(t *testing.T) {
	srv, _ := start(t, modalBot)
	addPeople(srv)
	ctx := testContext(t)
	ada := srv.Person("U1ADA")
	openJoinModal(t, ctx, ada)
	acksBefore := len(srv.Acks())

	for _, tc := range []struct {
		name   string
		values map[string]string
		want   string
	}{
		{"unknown option", map[string]string{"next": "bogus"}, "not one of the options"},
		{"unknown checkbox", map[string]string{"next": "close", "topics": "go,rust"}, "not one of the options"},
		{"no such input", map[string]string{"next": "close", "nope": "x"}, "no input block"},
		{"bad time", map[string]string{"next": "close", "slot": "9am"}, "not a time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ada.Submit(ctx, tc.values)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Submit(%v) error = %v, want %q", tc.values, err, tc.want)
			}
		})
	}
	if len(srv.Acks()) != acksBefore || ada.Modal() == nil {
		t.Error("a rejected submission must not reach the bot or close the modal")
	}
}

func TestSubmitClearingAnInputSendsNoValue(t *testing.T) {
	srv, b := start(t, modalBot)
	addPeople(srv)
	ctx := testContext(t)
	ada := srv.Person("U1ADA")
	openJoinModal(t, ctx, ada)

	if _, err := ada.Submit(ctx, map[string]string{"name": "", "topics": "", "next": "close"}); err != nil {
		t.Fatal(err)
	}
	reqs := b.received()
	values := reqs[len(reqs)-1].Data.(slack.InteractionCallback).View.State.Values
	if got := values["name"]["name_input"]; got.Value != "" {
		t.Errorf("cleared name = %+v", got)
	}
	if got := values["topics"]["topics_boxes"]; len(got.SelectedOptions) != 0 {
		t.Errorf("cleared topics = %+v", got)
	}
	raw := string(reqs[len(reqs)-1].Request.Payload)
	if !strings.Contains(raw, `"name":{"name_input":{"type":"plain_text_input","value":null}}`) ||
		!strings.Contains(raw, `"topics":{"topics_boxes":{"selected_options":[],"type":"checkboxes"}}`) {
		t.Errorf("payload state not as Slack sends it: %s", raw)
	}
}

func TestSubmitResponseActions(t *testing.T) {
	srv, _ := start(t, modalBot)
	addPeople(srv)
	ctx := testContext(t)
	ada := srv.Person("U1ADA")
	openJoinModal(t, ctx, ada)
	first := ada.Modal()

	// errors: the view stays, with the error under the input and the values kept.
	if _, err := ada.Submit(ctx, map[string]string{"name": "Ada L", "next": "errors"}); err != nil {
		t.Fatal(err)
	}
	m := ada.Modal()
	if m.ID != first.ID || m.Errors["name"] != "Name is taken" {
		t.Fatalf("after errors: %+v", m)
	}
	if !strings.Contains(m.Rendered(), "Name: Ada L\n  ⚠ Name is taken") {
		t.Errorf("rendered errors:\n%s", m.Rendered())
	}

	// push: a second view on top; the person's entries stay on the first.
	if _, err := ada.Submit(ctx, map[string]string{"next": "push"}); err != nil {
		t.Fatal(err)
	}
	stack := ada.Modals()
	if len(stack) != 2 || stack[0].ID != first.ID || stack[1].Title != "Second step" || !strings.Contains(stack[0].Rendered(), "Name: Ada L") {
		t.Fatalf("after push: %d views, top %+v", len(stack), ada.Modal())
	}

	// update: the top view is replaced in place.
	top := ada.Modal()
	if _, err := ada.Submit(ctx, map[string]string{"next": "update"}); err != nil {
		t.Fatal(err)
	}
	updated := ada.Modal()
	if updated.ID != top.ID || updated.Hash == top.Hash || updated.Title != "Updated" || len(ada.Modals()) != 2 {
		t.Fatalf("after update: %+v", updated)
	}

	// Closing the updated view (no notify_on_close) returns to the first.
	if err := ada.Cancel(ctx); err != nil {
		t.Fatal(err)
	}
	if got := ada.Modal(); got == nil || got.ID != first.ID {
		t.Fatalf("after cancel: %+v", got)
	}

	// none: the submitted view closes.
	if _, err := ada.Submit(ctx, map[string]string{"next": "push"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ada.Submit(ctx, map[string]string{"next": "close"}); err != nil {
		t.Fatal(err)
	}
	if got := ada.Modals(); len(got) != 1 || got[0].ID != first.ID {
		t.Fatalf("after an empty ack: %d views", len(got))
	}

	// clear: everything closes.
	if _, err := ada.Submit(ctx, map[string]string{"next": "push"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ada.Submit(ctx, map[string]string{"next": "clear"}); err != nil {
		t.Fatal(err)
	}
	if got := ada.Modals(); len(got) != 0 {
		t.Fatalf("after clear: %d views", len(got))
	}
	noViolations(t, srv)

	var kinds []string
	for _, e := range srv.Transcript("U1ADA") {
		kinds = append(kinds, e.Kind)
	}
	want := "typed modal submitted modal-errors submitted modal submitted modal-update closed submitted modal submitted submitted modal submitted"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("transcript kinds:\n%s\nwant\n%s", got, want)
	}
}

func TestSubmissionAcksKeepSlacksRules(t *testing.T) {
	blankPlaceholder := slack.NewPlainTextInputBlockElement(plain(""), "rules_input")
	broken := &slack.ModalViewRequest{Type: slack.VTModal, Title: plain("Cycle"), Submit: plain("Save"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewInputBlock("rules", plain("Ground rules"), nil, blankPlaceholder)}}}
	for _, tc := range []struct {
		name string
		ack  any
		want string
	}{
		{"errors for a block that is not an input", slack.NewErrorsViewSubmissionResponse(map[string]string{"intro": "wrong"}), `"intro" is not the block_id of an input block`},
		{"errors without errors", slack.NewErrorsViewSubmissionResponse(map[string]string{}), "response_action errors without any errors"},
		{"update to a broken view", slack.NewUpdateViewSubmissionResponse(broken), "text must be at least 1 character (at /view/blocks/0/element/placeholder/text)"},
		{"push of a broken view", slack.NewPushViewSubmissionResponse(broken), "text must be at least 1 character (at /view/blocks/0/element/placeholder/text)"},
		{"unknown response_action", map[string]string{"response_action": "shrug"}, `unknown response_action "shrug"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := start(t, func(ctx context.Context, b *testBot, evt socketmode.Event) {
				if cb, ok := evt.Data.(slack.InteractionCallback); ok && cb.Type == slack.InteractionTypeViewSubmission {
					b.ack(evt, tc.ack)
					return
				}
				modalBot(ctx, b, evt)
			})
			addPeople(srv)
			ctx := testContext(t)
			ada := srv.Person("U1ADA")
			openJoinModal(t, ctx, ada)
			before := ada.Modal()

			if _, err := ada.Submit(ctx, map[string]string{"next": "close"}); err != nil {
				t.Fatal(err)
			}
			if v := srv.Violations(); len(v) != 1 || !strings.HasPrefix(v[0], "view_submission ack: ") || !strings.Contains(v[0], tc.want) {
				t.Errorf("violations = %q, want one containing %q", v, tc.want)
			}
			if stack := ada.Modals(); len(stack) != 1 || stack[0].Hash != before.Hash {
				t.Errorf("the broken ack changed the modal: %d views, top %+v", len(stack), ada.Modal())
			}
		})
	}
}

func TestCancelSendsViewClosedWhenAsked(t *testing.T) {
	srv, b := start(t, modalBot)
	addPeople(srv)
	ctx := testContext(t)
	ada := srv.Person("U1ADA")
	openJoinModal(t, ctx, ada)

	if err := ada.Cancel(ctx); err != nil {
		t.Fatal(err)
	}
	reqs := b.received()
	closed := reqs[len(reqs)-1].Data.(slack.InteractionCallback)
	if closed.Type != slack.InteractionTypeViewClosed || closed.View.CallbackID != "join" || closed.IsCleared {
		t.Errorf("view_closed = %+v", closed)
	}
	if ada.Modal() != nil {
		t.Error("modal still open after Cancel")
	}
	if err := ada.Cancel(ctx); err == nil {
		t.Error("Cancel with no modal should fail")
	}
}

func TestTriggerRules(t *testing.T) {
	openErr := make(chan error, 2)
	srv, _ := start(t, func(ctx context.Context, b *testBot, evt socketmode.Event) {
		cmd, ok := evt.Data.(slack.SlashCommand)
		if !ok {
			b.ack(evt)
			return
		}
		b.ack(evt)
		switch cmd.Text {
		case "slow":
			time.Sleep(80 * time.Millisecond)
			_, err := b.api.OpenViewContext(ctx, cmd.TriggerID, joinModal("Join"))
			openErr <- err
		case "twice":
			_, _ = b.api.OpenViewContext(ctx, cmd.TriggerID, joinModal("Join"))
			_, err := b.api.OpenViewContext(ctx, cmd.TriggerID, joinModal("Join"))
			openErr <- err
		case "made-up":
			_, err := b.api.OpenViewContext(ctx, "123.456.abc", joinModal("Join"))
			openErr <- err
		}
	}, fakeslack.WithTriggerTTL(40*time.Millisecond))
	addPeople(srv)
	ctx := testContext(t)
	ada := srv.Person("U1ADA")

	for _, tc := range []struct{ text, want string }{
		{"slow", "expired_trigger_id"},
		{"twice", "exchanged_trigger_id"},
		{"made-up", "invalid_trigger_id"},
	} {
		if _, err := ada.Types(ctx, "/mentor "+tc.text); err != nil {
			t.Fatal(err)
		}
		var slackErr slack.SlackErrorResponse
		if err := <-openErr; !errors.As(err, &slackErr) || slackErr.Err != tc.want {
			t.Errorf("%s: views.open error = %v, want %s", tc.text, err, tc.want)
		}
	}
	if v := srv.Violations(); len(v) != 3 {
		t.Errorf("violations = %q, want one per trigger misuse", v)
	}
}

func TestViewLimitsAreEnforced(t *testing.T) {
	openErr := make(chan error, 1)
	srv, _ := start(t, func(ctx context.Context, b *testBot, evt socketmode.Event) {
		b.ack(evt)
		if cmd, ok := evt.Data.(slack.SlashCommand); ok {
			_, err := b.api.OpenViewContext(ctx, cmd.TriggerID, joinModal("A title of 25 characters"+"!"))
			openErr <- err
		}
	})
	addPeople(srv)
	ctx := testContext(t)

	if _, err := srv.Person("U1ADA").Types(ctx, "/mentor join"); err != nil {
		t.Fatal(err)
	}
	err := <-openErr
	var slackErr slack.SlackErrorResponse
	if !errors.As(err, &slackErr) || slackErr.Err != "invalid_arguments" || len(slackErr.ResponseMetadata.Messages) != 1 ||
		!strings.Contains(slackErr.ResponseMetadata.Messages[0], "[json-pointer:/view/title/text]") {
		t.Fatalf("views.open error = %#v", err)
	}
	if v := srv.Violations(); len(v) != 1 || !strings.Contains(v[0], "title must be no longer than 24 characters, got 25") {
		t.Errorf("violations = %q", v)
	}
	if srv.Person("U1ADA").Modal() != nil {
		t.Error("an invalid view must not open")
	}
}

func TestViewsUpdateAndPublish(t *testing.T) {
	srv, b := start(t, modalBot)
	addPeople(srv)
	ctx := testContext(t)
	ada := srv.Person("U1ADA")
	openJoinModal(t, ctx, ada)
	m := ada.Modal()

	update := joinModal("Join (2)")
	update.ExternalID = "join-ada"
	resp, err := b.api.UpdateViewContext(ctx, update, "", m.Hash, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if resp.View.ID != m.ID || resp.View.Hash == m.Hash || ada.Modal().Title != "Join (2)" {
		t.Errorf("after update: %+v", ada.Modal())
	}
	var slackErr slack.SlackErrorResponse
	if _, err := b.api.UpdateViewContext(ctx, update, "", m.Hash, m.ID); !errors.As(err, &slackErr) || slackErr.Err != "hash_conflict" {
		t.Errorf("stale hash: %v", err)
	}
	update.Title = plain("Join (3)")
	if _, err := b.api.UpdateViewContext(ctx, update, "join-ada", "", ""); err != nil || ada.Modal().Title != "Join (3)" {
		t.Errorf("update by external_id: %v", err)
	}
	if _, err := b.api.UpdateViewContext(ctx, update, "", "", "V-nope"); !errors.As(err, &slackErr) || slackErr.Err != "not_found" {
		t.Errorf("unknown view: %v", err)
	}
	taken := slack.HomeTabViewRequest{Type: slack.VTHomeTab, ExternalID: "join-ada", Blocks: slack.Blocks{BlockSet: []slack.Block{slack.NewDividerBlock()}}}
	if _, err := b.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U2GRACE", View: taken}); !errors.As(err, &slackErr) || slackErr.Err != "duplicate_external_id" {
		t.Errorf("a second view with the same external_id: %v", err)
	}

	blocks := make([]slack.Block, 101)
	for i := range blocks {
		blocks[i] = slack.NewDividerBlock()
	}
	_, err = b.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1ADA", View: slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}})
	if !errors.As(err, &slackErr) || slackErr.Err != "invalid_arguments" {
		t.Errorf("101-block home: %v", err)
	}
	if v := srv.Violations(); len(v) != 2 || !strings.Contains(v[0], `external_id "join-ada" is already used`) || !strings.Contains(v[1], "no more than 100 items") {
		t.Errorf("violations = %q", v)
	}
	if ada.Home() != nil {
		t.Error("an invalid home tab must not be shown")
	}
}
