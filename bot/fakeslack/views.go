package fakeslack

import (
	"encoding/json"
	"fmt"
	"maps"
	"time"

	"github.com/slack-go/slack"
)

// View is a modal or home tab as the person sees it.
type View struct {
	ID              string
	Hash            string
	Type            string // "modal" or "home"
	CallbackID      string
	Title           string
	PrivateMetadata string
	ExternalID      string
	Blocks          []slack.Block
	Errors          map[string]string // block_id -> message, from a response_action "errors"
	Submit          string
	Close           string
	NotifyOnClose   bool

	// current holds what the person has entered so far, by block_id, for Rendered.
	current map[string]string
}

// Rendered is the view as plain text: title, blocks with the values the
// person has entered, errors under their inputs, and the buttons.
func (v *View) Rendered() string {
	if v == nil {
		return ""
	}
	return renderView(v.Title, v.Blocks, v.current, v.Errors, v.Close, v.Submit)
}

// viewRecord is the stored form of a view.
type viewRecord struct {
	id              string
	hash            string
	viewType        string
	owner           string
	callbackID      string
	privateMetadata string
	externalID      string
	title           json.RawMessage // text objects as sent; nil when absent
	submit          json.RawMessage
	close           json.RawMessage
	blocks          json.RawMessage // normalized
	notifyOnClose   bool
	clearOnClose    bool
	rootViewID      string
	previousViewID  string
	errors          map[string]string
	// entered holds what the person typed or picked, by block_id; inputs the
	// person has not touched show their initial values.
	entered map[string]enteredValue
}

// enteredValue is one input's value, as Slack would send it in state.values.
type enteredValue struct {
	actionID    string
	elementType string
	state       map[string]any
	display     string
}

// viewSpec is a view as the bot sent it, checked and normalized.
type viewSpec struct {
	viewType        string
	title           json.RawMessage
	submit          json.RawMessage
	close           json.RawMessage
	blocks          json.RawMessage
	privateMetadata string
	callbackID      string
	externalID      string
	notifyOnClose   bool
	clearOnClose    bool
}

// parseView checks a view object against Slack's rules for its surface and
// reads it, its blocks given generated IDs. Problems point into the request,
// where the view is at pointer.
func parseView(raw json.RawMessage, want surface, pointer string) (*viewSpec, []problem) {
	if len(raw) == 0 {
		return nil, []problem{{pointer, "missing required field: view"}}
	}
	tree, err := decodeJSON(raw)
	view, isObject := tree.(map[string]any)
	if err != nil || !isObject {
		return nil, []problem{{pointer, fmt.Sprintf("view must be a JSON object, got %.100s", raw)}}
	}
	problems := checkTree(string(want), view, want, pointer)
	if len(problems) > 0 {
		return nil, problems
	}
	var v struct {
		Type            string          `json:"type"`
		Title           json.RawMessage `json:"title"`
		Submit          json.RawMessage `json:"submit"`
		Close           json.RawMessage `json:"close"`
		PrivateMetadata string          `json:"private_metadata"`
		CallbackID      string          `json:"callback_id"`
		ExternalID      string          `json:"external_id"`
		NotifyOnClose   bool            `json:"notify_on_close"`
		ClearOnClose    bool            `json:"clear_on_close"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, []problem{{pointer, fmt.Sprintf("view is not a view object: %v", err)}}
	}
	blocks, _ := view["blocks"].([]any)
	normalized, err := normalizedBlocks(blocks)
	if err != nil {
		return nil, []problem{{pointer + "/blocks", err.Error()}}
	}
	return &viewSpec{
		viewType:        v.Type,
		title:           nullToNil(v.Title),
		submit:          nullToNil(v.Submit),
		close:           nullToNil(v.Close),
		blocks:          normalized,
		privateMetadata: v.PrivateMetadata,
		callbackID:      v.CallbackID,
		externalID:      v.ExternalID,
		notifyOnClose:   v.NotifyOnClose,
		clearOnClose:    v.ClearOnClose,
	}, nil
}

func nullToNil(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return raw
}

func textObject(raw json.RawMessage) slack.TextBlockObject {
	var t slack.TextBlockObject
	_ = json.Unmarshal(raw, &t)
	return t
}

// inputBlocks returns the view's input blocks that have an element.
func inputBlocks(blocks []slack.Block) []*slack.InputBlock {
	var out []*slack.InputBlock
	for _, b := range blocks {
		if in, ok := b.(*slack.InputBlock); ok && in.Element != nil {
			out = append(out, in)
		}
	}
	return out
}

// newViewLocked stores a fresh view from a spec.
func (s *Server) newViewLocked(owner string, spec *viewSpec) *viewRecord {
	v := &viewRecord{id: fmt.Sprintf("V%08d", s.nextLocked()), owner: owner}
	s.applySpecLocked(v, spec)
	return v
}

// applySpecLocked (re)places a view's content, as views.update does: a new
// hash, errors cleared, and entered values kept for inputs whose block_id,
// action_id and element type did not change.
func (s *Server) applySpecLocked(v *viewRecord, spec *viewSpec) {
	v.hash = fmt.Sprintf("1700000000.%08d", s.nextLocked())
	v.viewType = spec.viewType
	v.title, v.submit, v.close = spec.title, spec.submit, spec.close
	v.blocks = spec.blocks
	v.privateMetadata = spec.privateMetadata
	v.callbackID = spec.callbackID
	if spec.externalID != "" {
		v.externalID = spec.externalID
	}
	v.notifyOnClose = spec.notifyOnClose
	v.clearOnClose = spec.clearOnClose
	v.errors = nil
	kept := map[string]enteredValue{}
	for _, in := range inputBlocks(parseBlocks(v.blocks)) {
		if old, ok := v.entered[in.BlockID]; ok && old.actionID == elementActionID(in.Element) && old.elementType == elementType(in.Element) {
			kept[in.BlockID] = old
		}
	}
	v.entered = kept
}

// export hands out an independent copy.
func (v *viewRecord) export() *View {
	out := &View{
		ID:              v.id,
		Hash:            v.hash,
		Type:            v.viewType,
		CallbackID:      v.callbackID,
		Title:           textObject(v.title).Text,
		PrivateMetadata: v.privateMetadata,
		ExternalID:      v.externalID,
		Blocks:          parseBlocks(v.blocks),
		Errors:          maps.Clone(v.errors),
		Submit:          textObject(v.submit).Text,
		Close:           textObject(v.close).Text,
		NotifyOnClose:   v.notifyOnClose,
		current:         map[string]string{},
	}
	for blockID, e := range v.entered {
		out.current[blockID] = e.display
	}
	return out
}

// stateValues is state.values as Slack sends it: every input's current value.
func (v *viewRecord) stateValues() map[string]map[string]any {
	values := map[string]map[string]any{}
	for _, in := range inputBlocks(parseBlocks(v.blocks)) {
		actionID := elementActionID(in.Element)
		state := initialState(in.Element)
		if e, ok := v.entered[in.BlockID]; ok && e.actionID == actionID {
			state = e.state
		}
		values[in.BlockID] = map[string]any{actionID: state}
	}
	return values
}

// wire is the view as Slack puts it in API answers and payloads.
func (v *viewRecord) wire() map[string]any {
	rootID := v.rootViewID
	if rootID == "" {
		rootID = v.id
	}
	var previous any
	if v.previousViewID != "" {
		previous = v.previousViewID
	}
	return map[string]any{
		"id":                    v.id,
		"team_id":               TeamID,
		"type":                  v.viewType,
		"blocks":                rawOrEmptyArray(v.blocks),
		"private_metadata":      v.privateMetadata,
		"callback_id":           v.callbackID,
		"state":                 map[string]any{"values": v.stateValues()},
		"hash":                  v.hash,
		"title":                 v.title,
		"clear_on_close":        v.clearOnClose,
		"notify_on_close":       v.notifyOnClose,
		"close":                 v.close,
		"submit":                v.submit,
		"previous_view_id":      previous,
		"root_view_id":          rootID,
		"app_id":                AppID,
		"external_id":           v.externalID,
		"app_installed_team_id": TeamID,
		"bot_id":                BotID,
	}
}

func rawOrEmptyArray(raw json.RawMessage) json.RawMessage {
	if raw == nil {
		return json.RawMessage("[]")
	}
	return raw
}

// rendered is the view as plain text, for transcripts.
func (v *viewRecord) rendered() string { return v.export().Rendered() }

// trigger is a trigger_id Slack handed the bot with an interaction.
type trigger struct {
	user     string
	issuedAt time.Time
	used     bool
}

func (s *Server) newTriggerLocked(user string) string {
	n := s.nextLocked()
	id := fmt.Sprintf("%d.%d.%032x", n, 4242, n)
	s.triggers[id] = &trigger{user: user, issuedAt: s.now()}
	return id
}

// checkTriggerLocked finds a usable trigger; the caller marks it used once
// the view is accepted.
func (s *Server) checkTriggerLocked(method, id string) (*trigger, apiResponse) {
	t := s.triggers[id]
	switch {
	case t == nil:
		s.violateLocked("%s: trigger_id %q was never issued", method, id)
		return nil, errorResponse("invalid_trigger_id")
	case t.used:
		s.violateLocked("%s: trigger_id %q was already used", method, id)
		return nil, errorResponse("exchanged_trigger_id")
	case s.now().Sub(t.issuedAt) > s.triggerTTL:
		s.violateLocked("%s: trigger_id %q used %v after it was issued (it expires after %v)", method, id, s.now().Sub(t.issuedAt).Round(time.Millisecond), s.triggerTTL)
		return nil, errorResponse("expired_trigger_id")
	}
	return t, nil
}

func (s *Server) viewsOpen(r *apiRequest) apiResponse { return s.openOrPush(r, false) }

func (s *Server) viewsPush(r *apiRequest) apiResponse { return s.openOrPush(r, true) }

// openOrPush serves views.open and views.push; both put a modal on top of
// the stack of the person whose trigger it was.
func (s *Server) openOrPush(r *apiRequest, push bool) apiResponse {
	t, fail := s.checkTriggerLocked(r.method, r.str("trigger_id"))
	if fail != nil {
		return fail
	}
	raw, _ := r.object("view")
	spec, problems := parseView(raw, surfaceModal, "/view")
	if len(problems) > 0 {
		return s.invalidArguments(r.method, problems)
	}
	if fail := s.checkExternalIDLocked(r.method, spec, nil); fail != nil {
		return fail
	}
	s.checkViewTextLocked(r.method, raw, "/view")
	stack := s.modalStacks[t.user]
	if push && len(stack) == 0 {
		s.violateLocked("%s: %s has no open modal to push onto", r.method, t.user)
		return errorResponse("not_found")
	}
	if len(stack) >= maxModalStackHeight {
		s.violateLocked("%s: a modal stack holds at most %d views", r.method, maxModalStackHeight)
		return errorResponse("push_limit_reached")
	}
	t.used = true
	v := s.newViewLocked(t.user, spec)
	if len(stack) > 0 {
		v.rootViewID = stack[0].id
		v.previousViewID = stack[len(stack)-1].id
	}
	s.modalStacks[t.user] = append(stack, v)
	s.noteLocked(t.user, "modal", v.rendered())
	return okResponse(apiResponse{"view": v.wire()})
}

// findViewLocked finds a modal or home view by view_id or external_id.
func (s *Server) findViewLocked(viewID, externalID string) *viewRecord {
	matches := func(v *viewRecord) bool {
		if viewID != "" {
			return v.id == viewID
		}
		return externalID != "" && v.externalID == externalID
	}
	for _, stack := range s.modalStacks {
		for _, v := range stack {
			if matches(v) {
				return v
			}
		}
	}
	for _, v := range s.homes {
		if matches(v) {
			return v
		}
	}
	return nil
}

// checkExternalIDLocked refuses an external_id another view has: it "must
// be unique for all views on a team"
// (https://docs.slack.dev/reference/methods/views.open). self is the view
// being replaced, if any.
func (s *Server) checkExternalIDLocked(method string, spec *viewSpec, self *viewRecord) apiResponse {
	if spec.externalID == "" {
		return nil
	}
	if other := s.findViewLocked("", spec.externalID); other != nil && other != self {
		s.violateLocked("%s: external_id %q is already used by view %s (at /view/external_id)", method, spec.externalID, other.id)
		return errorResponse("duplicate_external_id")
	}
	return nil
}

func (s *Server) viewsUpdate(r *apiRequest) apiResponse {
	viewID, externalID := r.str("view_id"), r.str("external_id")
	if viewID == "" && externalID == "" {
		return errorResponse("invalid_arguments")
	}
	v := s.findViewLocked(viewID, externalID)
	if v == nil {
		return errorResponse("not_found")
	}
	if hash := r.str("hash"); hash != "" && hash != v.hash {
		return errorResponse("hash_conflict")
	}
	raw, _ := r.object("view")
	spec, problems := parseView(raw, surface(v.viewType), "/view")
	if len(problems) > 0 {
		return s.invalidArguments(r.method, problems)
	}
	if fail := s.checkExternalIDLocked(r.method, spec, v); fail != nil {
		return fail
	}
	s.checkViewTextLocked(r.method, raw, "/view")
	s.applySpecLocked(v, spec)
	kind := "modal-update"
	if v.viewType == string(surfaceHome) {
		kind = "home"
	}
	s.noteLocked(v.owner, kind, v.rendered())
	return okResponse(apiResponse{"view": v.wire()})
}

func (s *Server) viewsPublish(r *apiRequest) apiResponse {
	user := r.str("user_id")
	if _, ok := s.users[user]; !ok {
		return errorResponse("user_not_found")
	}
	home := s.homes[user]
	if hash := r.str("hash"); hash != "" && home != nil && hash != home.hash {
		return errorResponse("hash_conflict")
	}
	raw, _ := r.object("view")
	spec, problems := parseView(raw, surfaceHome, "/view")
	if len(problems) > 0 {
		return s.invalidArguments(r.method, problems)
	}
	if fail := s.checkExternalIDLocked(r.method, spec, home); fail != nil {
		return fail
	}
	s.checkViewTextLocked(r.method, raw, "/view")
	if home == nil {
		home = s.newViewLocked(user, spec)
		s.homes[user] = home
	} else {
		s.applySpecLocked(home, spec)
	}
	s.noteLocked(user, "home", home.rendered())
	return okResponse(apiResponse{"view": home.wire()})
}
