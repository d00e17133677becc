package fakeslack

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// verificationToken is the legacy token Slack still puts in payloads.
const verificationToken = "fake-verification-token"

// Person is a workspace member as a test drives them: what they do (type,
// click, submit, cancel, open the home tab) and what they see.
type Person struct {
	s  *Server
	id string
}

// ID is the person's user ID.
func (p *Person) ID() string { return p.id }

// DMChannel is the ID of the person's DM with the bot: "D" + user ID.
func (p *Person) DMChannel() string { return "D" + p.id }

func (s *Server) userObjectLocked(id string) map[string]any {
	u := s.users[id]
	return map[string]any{"id": u.ID, "username": u.Name, "name": u.Name, "team_id": TeamID}
}

func teamObject() map[string]any {
	return map[string]any{"id": TeamID, "domain": TeamDomain}
}

// actionTS is a timestamp for when a person acted.
func actionTS() string {
	now := time.Now()
	return fmt.Sprintf("%d.%06d", now.Unix(), now.Nanosecond()/1000)
}

// Types sends a slash command as this person typed it in their DM with the
// bot: "/mentor join me" is command "/mentor" with text "join me". A reply in
// the ack payload (text/blocks, response_type) is shown as Slack would. It
// returns the first ack.
func (p *Person) Types(ctx context.Context, text string, opts ...DeliverOption) (Ack, error) {
	command, rest, _ := strings.Cut(strings.TrimSpace(text), " ")
	if !strings.HasPrefix(command, "/") || len(command) < 2 {
		return Ack{}, fmt.Errorf("fakeslack: %q is not a slash command", text)
	}
	s := p.s
	s.mu.Lock()
	channel := p.DMChannel()
	payload := map[string]any{
		"token":                 verificationToken,
		"team_id":               TeamID,
		"team_domain":           TeamDomain,
		"channel_id":            channel,
		"channel_name":          "directmessage",
		"user_id":               p.id,
		"user_name":             s.users[p.id].Name,
		"command":               command,
		"text":                  strings.TrimSpace(rest),
		"api_app_id":            AppID,
		"is_enterprise_install": false,
		"response_url":          s.newResponseURLLocked(p.id, channel, nil),
		"trigger_id":            s.newTriggerLocked(p.id),
	}
	s.noteLocked(p.id, "typed", strings.TrimSpace(text))
	s.rememberTypedLocked(rest)
	s.mu.Unlock()

	ack, err := s.deliverOne(ctx, "slash_commands", payload, opts)
	if err != nil {
		return ack, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.showSlashReplyLocked(p.id, channel, ack.Payload)
	return ack, nil
}

// showSlashReplyLocked shows the message a slash command ack may carry:
// to the person alone, or to the channel for response_type "in_channel".
func (s *Server) showSlashReplyLocked(user, channel string, payload json.RawMessage) {
	if len(payload) == 0 {
		return
	}
	var reply struct {
		Text         string          `json:"text"`
		Blocks       json.RawMessage `json:"blocks"`
		ResponseType string          `json:"response_type"`
	}
	if err := json.Unmarshal(payload, &reply); err != nil {
		s.violateLocked("slash command ack: payload is not a message: %v", err)
		return
	}
	blocks := nullToNil(reply.Blocks)
	content, fail := s.readMessageContent("slash command ack", reply.Text, blocks, blocks != nil)
	if fail != nil || (content.text == "" && content.blocks == nil) {
		return
	}
	if reply.ResponseType == "in_channel" {
		s.postLocked(channel, content, "")
	} else {
		s.postEphemeralLocked(channel, user, content, "")
	}
}

// Modal returns a copy of the person's top modal, or nil.
func (p *Person) Modal() *View {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	stack := p.s.modalStacks[p.id]
	if len(stack) == 0 {
		return nil
	}
	return stack[len(stack)-1].export()
}

// Modals returns copies of the person's modal stack, bottom first.
func (p *Person) Modals() []*View {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	var out []*View
	for _, v := range p.s.modalStacks[p.id] {
		out = append(out, v.export())
	}
	return out
}

// Home returns a copy of the person's home tab, or nil if none was published.
func (p *Person) Home() *View {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	if v := p.s.homes[p.id]; v != nil {
		return v.export()
	}
	return nil
}

// DMs returns the messages in the person's DM with the bot, oldest first.
func (p *Person) DMs() []Message {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	return exportMessages(p.s.channels[p.DMChannel()])
}

// GroupMessages returns the messages in group conversations the person is
// in, oldest first.
func (p *Person) GroupMessages() []Message {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	var all []*messageRecord
	for id, members := range p.s.groupMembers {
		if slices.Contains(members, p.id) {
			all = append(all, p.s.channels[id]...)
		}
	}
	slices.SortStableFunc(all, func(a, b *messageRecord) int { return strings.Compare(a.ts, b.ts) })
	return exportMessages(all)
}

// Ephemerals returns the ephemeral messages shown to the person, oldest first.
func (p *Person) Ephemerals() []Message {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	return exportMessages(p.s.ephemerals[p.id])
}

// WaitDM waits for the first DM whose Rendered() contains the text.
func (p *Person) WaitDM(ctx context.Context, contains string) (Message, error) {
	return p.waitMessage(ctx, "DM", p.DMs, contains)
}

// WaitReply waits until the newest ephemeral message shown to the person
// (such as a slash command's reply) contains the text.
func (p *Person) WaitReply(ctx context.Context, contains string) (Message, error) {
	newest := func() []Message {
		if es := p.Ephemerals(); len(es) > 0 {
			return es[len(es)-1:]
		}
		return nil
	}
	return p.waitMessage(ctx, "reply", newest, contains)
}

func (p *Person) waitMessage(ctx context.Context, kind string, messages func() []Message, contains string) (Message, error) {
	var found Message
	err := p.s.WaitUntil(ctx, func() bool {
		for _, m := range messages() {
			if strings.Contains(m.Rendered(), contains) {
				found = m
				return true
			}
		}
		return false
	})
	if err != nil {
		return Message{}, fmt.Errorf("fakeslack: no %s to %s containing %q: %w", kind, p.id, contains, err)
	}
	return found, nil
}

// WaitModal waits until the person's top modal has this title.
func (p *Person) WaitModal(ctx context.Context, title string) (*View, error) {
	var v *View
	err := p.s.WaitUntil(ctx, func() bool {
		v = p.Modal()
		return v != nil && v.Title == title
	})
	if err != nil {
		return nil, fmt.Errorf("fakeslack: %s has no modal titled %q (top modal: %+v): %w", p.id, title, p.Modal(), err)
	}
	return v, nil
}

// WaitHome waits until the person's Home tab contains the text.
func (p *Person) WaitHome(ctx context.Context, contains string) (*View, error) {
	var v *View
	err := p.s.WaitUntil(ctx, func() bool {
		v = p.Home()
		return v != nil && strings.Contains(v.Rendered(), contains)
	})
	if err != nil {
		return nil, fmt.Errorf("fakeslack: %s's Home tab never contained %q: %w", p.id, contains, err)
	}
	return v, nil
}

// Submit submits the person's top modal after setting the named inputs.
//
// values maps an input block's block_id to what the person chose: the text
// for text inputs; an option value for static_select and radio_buttons;
// option values joined by "," for multi_static_select and checkboxes; a user
// ID for users_select; "HH:MM" for timepicker; "YYYY-MM-DD" for datepicker;
// "" clears an input. Inputs not named keep their current value. It fails if
// a value is not one the element offers, as no person could pick it.
// Required inputs left empty are still sent (real Slack's client would
// refuse), so a bot's own checks for them can be tested.
//
// The ack's response_action then applies: "errors" shows errors on the
// modal, "update" replaces it, "push" stacks a new one, "clear" closes all,
// none closes the submitted modal. It returns the first ack.
func (p *Person) Submit(ctx context.Context, values map[string]string, opts ...DeliverOption) (Ack, error) {
	s := p.s
	s.mu.Lock()
	stack := s.modalStacks[p.id]
	if len(stack) == 0 {
		s.mu.Unlock()
		return Ack{}, fmt.Errorf("fakeslack: %s has no modal to submit", p.id)
	}
	v := stack[len(stack)-1]
	if err := s.enterValuesLocked(v, values); err != nil {
		s.mu.Unlock()
		return Ack{}, fmt.Errorf("fakeslack: %s cannot submit %q: %w", p.id, textObject(v.title).Text, err)
	}
	payload := s.submissionLocked(p.id, v)
	s.noteLocked(p.id, "submitted", describeSubmission(v))
	viewID := v.id
	s.mu.Unlock()

	ack, err := s.deliverOne(ctx, "interactive", payload, opts)
	if err != nil {
		return ack, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applySubmissionAckLocked(p.id, viewID, ack.Payload)
	return ack, nil
}

// SubmitsCopy submits, as this person, a copy of a modal someone else has
// open, after setting inputs as Submit does: what a crafted request
// carrying another person's private_metadata looks like to the app. The
// modal stays as it was and nothing opens; the ack is only returned.
func (p *Person) SubmitsCopy(ctx context.Context, viewID string, values map[string]string) (Ack, error) {
	s := p.s
	s.mu.Lock()
	var original *viewRecord
	for _, stack := range s.modalStacks {
		for _, v := range stack {
			if v.id == viewID {
				original = v
			}
		}
	}
	if original == nil {
		s.mu.Unlock()
		return Ack{}, fmt.Errorf("fakeslack: no open modal %s to copy", viewID)
	}
	copied := *original
	if err := s.enterValuesLocked(&copied, values); err != nil {
		s.mu.Unlock()
		return Ack{}, fmt.Errorf("fakeslack: %s cannot submit a copy of %q: %w", p.id, textObject(copied.title).Text, err)
	}
	payload := s.submissionLocked(p.id, &copied)
	s.noteLocked(p.id, "submitted", "a copy of "+describeSubmission(&copied))
	s.mu.Unlock()
	return s.deliverOne(ctx, "interactive", payload, nil)
}

// submissionLocked is the view_submission payload of a person submitting v.
func (s *Server) submissionLocked(user string, v *viewRecord) map[string]any {
	return map[string]any{
		"type":                  "view_submission",
		"team":                  teamObject(),
		"user":                  s.userObjectLocked(user),
		"api_app_id":            AppID,
		"token":                 verificationToken,
		"trigger_id":            s.newTriggerLocked(user),
		"view":                  v.wire(),
		"response_urls":         []any{},
		"is_enterprise_install": false,
		"enterprise":            nil,
	}
}

// enterValuesLocked records what the person entered, checking that each
// value is one the element lets a person enter.
func (s *Server) enterValuesLocked(v *viewRecord, values map[string]string) error {
	inputs := inputBlocks(parseBlocks(v.blocks))
	byBlockID := map[string]*slack.InputBlock{}
	for _, in := range inputs {
		byBlockID[in.BlockID] = in
	}
	entered := maps.Clone(v.entered)
	if entered == nil {
		entered = map[string]enteredValue{}
	}
	isUser := func(id string) bool { _, ok := s.users[id]; return ok }
	for _, blockID := range slices.Sorted(maps.Keys(values)) {
		in := byBlockID[blockID]
		if in == nil {
			return fmt.Errorf("the modal has no input block %q (inputs: %q)", blockID, slices.Sorted(maps.Keys(byBlockID)))
		}
		state, display, err := chosenState(in.Element, values[blockID], isUser)
		if err != nil {
			return fmt.Errorf("input %q: %w", blockID, err)
		}
		if typedInto(in.Element) {
			s.rememberTypedLocked(values[blockID])
		}
		entered[blockID] = enteredValue{
			actionID:    elementActionID(in.Element),
			elementType: elementType(in.Element),
			state:       state,
			display:     display,
		}
	}
	v.entered = entered
	v.errors = nil // a new submission clears the errors shown for the last one
	return nil
}

// describeSubmission is the transcript line for a submission.
func describeSubmission(v *viewRecord) string {
	var parts []string
	for _, in := range inputBlocks(parseBlocks(v.blocks)) {
		value := displayState(initialState(in.Element))
		if e, ok := v.entered[in.BlockID]; ok {
			value = e.display
		}
		parts = append(parts, text(in.Label)+": "+value)
	}
	return textObject(v.title).Text + " — " + strings.Join(parts, "; ")
}

// applySubmissionAckLocked does what Slack does with a view_submission ack.
func (s *Server) applySubmissionAckLocked(user, viewID string, payload json.RawMessage) {
	stack := s.modalStacks[user]
	idx := slices.IndexFunc(stack, func(v *viewRecord) bool { return v.id == viewID })
	if idx < 0 {
		return // the bot closed it some other way meanwhile
	}
	v := stack[idx]
	var resp struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
		View           json.RawMessage   `json:"view"`
	}
	if len(payload) > 0 {
		if err := json.Unmarshal(payload, &resp); err != nil {
			s.violateLocked("view_submission ack: payload is not a view response: %v", err)
			return
		}
	}
	const method = "view_submission ack"
	switch resp.ResponseAction {
	case "":
		s.modalStacks[user] = stack[:idx]
		s.broadcastLocked()
	case "errors":
		// errors maps input blocks' block_ids to the message shown under
		// each (https://docs.slack.dev/tools/bolt-js/reference/interfaces/ViewErrorsResponseAction).
		if len(resp.Errors) == 0 {
			s.violateLocked("%s: response_action errors without any errors; Slack shows the person nothing", method)
		}
		inputIDs := map[string]bool{}
		for _, in := range inputBlocks(parseBlocks(v.blocks)) {
			inputIDs[in.BlockID] = true
		}
		for _, key := range slices.Sorted(maps.Keys(resp.Errors)) {
			if !inputIDs[key] {
				s.violateLocked("%s: errors key %q is not the block_id of an input block in view %s; Slack shows a generic error instead", method, key, v.id)
			}
		}
		v.errors = maps.Clone(resp.Errors)
		var lines []string
		for _, key := range slices.Sorted(maps.Keys(resp.Errors)) {
			lines = append(lines, key+": "+resp.Errors[key])
		}
		s.noteLocked(user, "modal-errors", strings.Join(lines, "\n"))
	case "update":
		spec, problems := parseView(resp.View, surfaceModal, "/view")
		if s.reportLocked(method, problems) {
			return
		}
		if s.checkExternalIDLocked(method, spec, v) != nil {
			return
		}
		s.checkViewTextLocked(method, resp.View, "/view")
		s.applySpecLocked(v, spec)
		s.noteLocked(user, "modal-update", v.rendered())
	case "push":
		if len(stack) >= maxModalStackHeight {
			s.violateLocked("%s: a modal stack holds at most %d views", method, maxModalStackHeight)
			return
		}
		spec, problems := parseView(resp.View, surfaceModal, "/view")
		if s.reportLocked(method, problems) {
			return
		}
		if s.checkExternalIDLocked(method, spec, nil) != nil {
			return
		}
		s.checkViewTextLocked(method, resp.View, "/view")
		pushed := s.newViewLocked(user, spec)
		pushed.rootViewID = stack[0].id
		pushed.previousViewID = stack[len(stack)-1].id
		s.modalStacks[user] = append(stack, pushed)
		s.noteLocked(user, "modal", pushed.rendered())
	case "clear":
		s.modalStacks[user] = nil
		s.broadcastLocked()
	default:
		s.violateLocked("%s: unknown response_action %q", method, resp.ResponseAction)
	}
}

// reportLocked records problems as violations and reports whether there were any.
func (s *Server) reportLocked(method string, problems []problem) bool {
	for _, p := range problems {
		s.violateLocked("%s: %s (at %s)", method, p.message, p.pointer)
	}
	return len(problems) > 0
}

// Cancel closes the person's top modal (all of them with clear_on_close) and
// sends view_closed if the view asked for notify_on_close.
func (p *Person) Cancel(ctx context.Context) error {
	s := p.s
	s.mu.Lock()
	stack := s.modalStacks[p.id]
	if len(stack) == 0 {
		s.mu.Unlock()
		return fmt.Errorf("fakeslack: %s has no modal to close", p.id)
	}
	v := stack[len(stack)-1]
	cleared := v.clearOnClose
	if cleared {
		s.modalStacks[p.id] = nil
	} else {
		s.modalStacks[p.id] = stack[:len(stack)-1]
	}
	s.noteLocked(p.id, "closed", textObject(v.title).Text)
	var payload map[string]any
	if v.notifyOnClose {
		payload = map[string]any{
			"type":                  "view_closed",
			"team":                  teamObject(),
			"user":                  s.userObjectLocked(p.id),
			"api_app_id":            AppID,
			"token":                 verificationToken,
			"view":                  v.wire(),
			"is_cleared":            cleared,
			"is_enterprise_install": false,
			"enterprise":            nil,
		}
	}
	s.mu.Unlock()
	if payload == nil {
		return nil
	}
	_, err := s.deliverOne(ctx, "interactive", payload, nil)
	return err
}

// Clicks clicks the button with this action_id, looking in the person's top
// modal, then their home tab, then their messages newest first (DMs, group
// DMs and ephemerals). Buttons are matched top to bottom.
func (p *Person) Clicks(ctx context.Context, actionID string, opts ...DeliverOption) (Ack, error) {
	return p.click(ctx, "", actionID, opts)
}

// ClicksIn is Clicks for a button in a given block, for when several blocks
// reuse an action_id (Slack only wants them unique within a block).
func (p *Person) ClicksIn(ctx context.Context, blockID, actionID string, opts ...DeliverOption) (Ack, error) {
	return p.click(ctx, blockID, actionID, opts)
}

func (p *Person) click(ctx context.Context, wantBlockID, actionID string, opts []DeliverOption) (Ack, error) {
	s := p.s
	s.mu.Lock()
	payload, where, err := s.buildClickLocked(p.id, wantBlockID, actionID)
	if err != nil {
		s.mu.Unlock()
		return Ack{}, err
	}
	s.noteLocked(p.id, "clicked", where)
	s.mu.Unlock()
	return s.deliverOne(ctx, "interactive", payload, opts)
}

// buildClickLocked finds the button and builds the block_actions payload.
func (s *Server) buildClickLocked(user, wantBlockID, actionID string) (map[string]any, string, error) {
	find := func(raw json.RawMessage) (string, *slack.ButtonBlockElement) {
		blocks := parseBlocks(raw)
		if wantBlockID != "" {
			blocks = slices.DeleteFunc(blocks, func(b slack.Block) bool { return b.ID() != wantBlockID })
		}
		return findButton(blocks, actionID)
	}
	payload := map[string]any{
		"type":                  "block_actions",
		"user":                  s.userObjectLocked(user),
		"api_app_id":            AppID,
		"token":                 verificationToken,
		"team":                  teamObject(),
		"enterprise":            nil,
		"is_enterprise_install": false,
	}
	action := func(blockID string, btn *slack.ButtonBlockElement) []any {
		a := map[string]any{
			"action_id": btn.ActionID,
			"block_id":  blockID,
			"text":      btn.Text,
			"type":      "button",
			"action_ts": actionTS(),
		}
		if btn.Value != "" {
			a["value"] = btn.Value
		}
		if btn.Style != "" {
			a["style"] = btn.Style
		}
		return []any{a}
	}

	var views []*viewRecord
	if stack := s.modalStacks[user]; len(stack) > 0 {
		views = append(views, stack[len(stack)-1])
	}
	if home := s.homes[user]; home != nil {
		views = append(views, home)
	}
	for _, v := range views {
		blockID, btn := find(v.blocks)
		if btn == nil {
			continue
		}
		payload["container"] = map[string]any{"type": "view", "view_id": v.id}
		payload["view"] = v.wire()
		payload["trigger_id"] = s.newTriggerLocked(user)
		payload["actions"] = action(blockID, btn)
		where := "in modal " + strings.TrimSpace(textObject(v.title).Text)
		if v.viewType == string(surfaceHome) {
			where = "in home"
		}
		return payload, "[" + text(btn.Text) + "] " + where, nil
	}

	for _, m := range s.messagesSeenByLocked(user) {
		blockID, btn := find(m.blocks)
		if btn == nil {
			continue
		}
		ephemeral := m.ephemeralFor != ""
		payload["container"] = map[string]any{
			"type":         "message",
			"message_ts":   m.ts,
			"channel_id":   m.channel,
			"is_ephemeral": ephemeral,
		}
		payload["channel"] = map[string]any{"id": m.channel, "name": "directmessage"}
		if !ephemeral {
			// Slack does not echo ephemeral messages back to the app.
			payload["message"] = m.wire()
		}
		payload["state"] = map[string]any{"values": map[string]any{}}
		payload["response_url"] = s.newResponseURLLocked(user, m.channel, m)
		payload["trigger_id"] = s.newTriggerLocked(user)
		payload["actions"] = action(blockID, btn)
		where := "in DM"
		if ephemeral {
			where = "in ephemeral message"
		} else if !strings.HasPrefix(m.channel, "D") {
			where = "in " + m.channel
		}
		return payload, "[" + text(btn.Text) + "] " + where, nil
	}
	if wantBlockID != "" {
		return nil, "", fmt.Errorf("fakeslack: %s sees no button %q in block %q", user, actionID, wantBlockID)
	}
	return nil, "", fmt.Errorf("fakeslack: %s sees no button %q", user, actionID)
}

// ClicksUnseen sends a click on a button the person does not see, with
// this action_id and value: what a crafted request, or a button in a
// message from long ago, looks like to the app. Slack still gives it a
// trigger, so whatever the app answers with can open.
func (p *Person) ClicksUnseen(ctx context.Context, actionID, value string) (Ack, error) {
	s := p.s
	s.mu.Lock()
	channel := p.DMChannel()
	payload := map[string]any{
		"type":                  "block_actions",
		"user":                  s.userObjectLocked(p.id),
		"api_app_id":            AppID,
		"token":                 verificationToken,
		"team":                  teamObject(),
		"enterprise":            nil,
		"is_enterprise_install": false,
		"container":             map[string]any{"type": "message", "message_ts": actionTS(), "channel_id": channel, "is_ephemeral": false},
		"channel":               map[string]any{"id": channel, "name": "directmessage"},
		"state":                 map[string]any{"values": map[string]any{}},
		"response_url":          s.newResponseURLLocked(p.id, channel, nil),
		"trigger_id":            s.newTriggerLocked(p.id),
		"actions": []any{map[string]any{
			"action_id": actionID,
			"block_id":  "unseen",
			"text":      map[string]any{"type": "plain_text", "text": actionID},
			"type":      "button",
			"value":     value,
			"action_ts": actionTS(),
		}},
	}
	s.noteLocked(p.id, "clicked", "["+actionID+"] that they cannot see")
	s.mu.Unlock()
	return s.deliverOne(ctx, "interactive", payload, nil)
}

// messagesSeenByLocked lists the messages a person sees, newest first.
func (s *Server) messagesSeenByLocked(user string) []*messageRecord {
	var all []*messageRecord
	all = append(all, s.channels["D"+user]...)
	for id, members := range s.groupMembers {
		if slices.Contains(members, user) {
			all = append(all, s.channels[id]...)
		}
	}
	all = append(all, s.ephemerals[user]...)
	slices.SortStableFunc(all, func(a, b *messageRecord) int { return strings.Compare(b.ts, a.ts) })
	return all
}

// OpensHome sends app_home_opened for the home tab, with a fresh event_id
// (redeliveries repeat it). It returns the first ack.
func (p *Person) OpensHome(ctx context.Context, opts ...DeliverOption) (Ack, error) {
	s := p.s
	s.mu.Lock()
	now := time.Now()
	event := map[string]any{
		"type":     "app_home_opened",
		"user":     p.id,
		"channel":  p.DMChannel(),
		"tab":      "home",
		"event_ts": actionTS(),
	}
	if home := s.homes[p.id]; home != nil {
		event["view"] = home.wire()
	}
	payload := map[string]any{
		"token":      verificationToken,
		"team_id":    TeamID,
		"api_app_id": AppID,
		"event":      event,
		"type":       "event_callback",
		"event_id":   fmt.Sprintf("Ev%08d", s.nextLocked()),
		"event_time": now.Unix(),
		"authorizations": []any{map[string]any{
			"enterprise_id":         nil,
			"team_id":               TeamID,
			"user_id":               BotUserID,
			"is_bot":                true,
			"is_enterprise_install": false,
		}},
		"is_ext_shared_channel": false,
		"event_context":         "4-fake-event-context",
	}
	s.noteLocked(p.id, "opened-home", "home tab")
	s.mu.Unlock()
	return s.deliverOne(ctx, "events_api", payload, opts)
}
