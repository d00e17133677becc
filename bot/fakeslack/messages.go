package fakeslack

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

// Message is a message as the people in its channel see it.
type Message struct {
	Channel  string
	TS       string
	User     string
	Text     string
	Blocks   []slack.Block
	ThreadTS string
	Files    []File    // files shared with the message, in the order given
	Metadata *Metadata // nil when the message carries none
}

// Metadata is the app metadata a message carries, as slack-go's
// MsgOptionMetadata sends it. People do not see it; apps do.
type Metadata struct {
	EventType string
	Payload   map[string]any // as encoding/json decodes it: numbers are float64
}

// fileMark starts the line that shows a shared file.
const fileMark = "📎 "

// Rendered is the message as plain text, blocks first, text as fallback,
// then a "📎 name" line per shared file.
func (m Message) Rendered() string {
	rendered := Render(m.Blocks, m.Text)
	for _, f := range m.Files {
		if rendered != "" {
			rendered += "\n"
		}
		rendered += fileMark + f.Name
	}
	return rendered
}

// messageRecord is the stored form of a message; blocks and metadata stay
// JSON so every export hands out an independent copy.
type messageRecord struct {
	channel  string
	ts       string
	user     string
	text     string
	blocks   json.RawMessage // normalized; nil when the message has none
	threadTS string
	files    []*fileRecord   // completed uploads, which never change
	metadata *metadataRecord // nil when the message has none
	// ephemeralFor is the only person who sees an ephemeral message.
	ephemeralFor string
}

// metadataRecord is the stored form of message metadata.
type metadataRecord struct {
	eventType string
	payload   json.RawMessage // an object; nil when none was sent
}

func (m *messageRecord) export() Message {
	out := Message{
		Channel:  m.channel,
		TS:       m.ts,
		User:     m.user,
		Text:     m.text,
		Blocks:   parseBlocks(m.blocks),
		ThreadTS: m.threadTS,
	}
	for _, f := range m.files {
		out.Files = append(out.Files, f.export())
	}
	if m.metadata != nil {
		out.Metadata = &Metadata{EventType: m.metadata.eventType}
		if m.metadata.payload != nil {
			// The payload was checked to be an object when it arrived.
			_ = json.Unmarshal(m.metadata.payload, &out.Metadata.Payload)
		}
	}
	return out
}

// wire is the message as Slack puts it in API answers and payloads.
func (m *messageRecord) wire() map[string]any {
	out := map[string]any{
		"type":   "message",
		"user":   m.user,
		"bot_id": BotID,
		"app_id": AppID,
		"team":   TeamID,
		"text":   m.text,
		"ts":     m.ts,
	}
	if m.blocks != nil {
		out["blocks"] = m.blocks
	}
	if m.threadTS != "" {
		out["thread_ts"] = m.threadTS
	}
	if len(m.files) > 0 {
		files := make([]any, len(m.files))
		for i, f := range m.files {
			files[i] = f.wire()
		}
		out["files"] = files
	}
	if m.metadata != nil {
		out["metadata"] = map[string]any{"event_type": m.metadata.eventType, "event_payload": m.metadata.payload}
	}
	return out
}

func exportMessages(records []*messageRecord) []Message {
	out := make([]Message, len(records))
	for i, m := range records {
		out[i] = m.export()
	}
	return out
}

// maxMessageText is Slack's limit on a message's text.
const maxMessageText = 40000

// messageContent is what a message being posted or updated carries.
type messageContent struct {
	text      string
	blocks    json.RawMessage
	hasBlocks bool
	files     []*fileRecord
	metadata  *metadataRecord // nil: none sent (an update keeps the old)
}

// readMessageContent validates text and blocks as Slack would. On failure it
// returns the error answer, having recorded any violations.
func (s *Server) readMessageContent(method string, text string, blocks json.RawMessage, hasBlocks bool) (messageContent, apiResponse) {
	content := messageContent{text: text}
	if hasBlocks {
		normalized, problems, err := normalizeBlocks(blocks)
		if err != nil {
			s.violateLocked("%s: blocks are not a JSON array of blocks: %v", method, err)
			return content, errorResponse("invalid_blocks_format")
		}
		if len(problems) > 0 {
			return content, s.refuseLocked(method, "invalid_blocks", problems)
		}
		content.blocks = normalized
		content.hasBlocks = true
	}
	if utf8.RuneCountInString(text) > maxMessageText {
		s.violateLocked("%s: text is longer than %d characters", method, maxMessageText)
		return content, errorResponse("msg_too_long")
	}
	s.checkLiveSequencesLocked(method, content)
	return content, nil
}

// checkFallbackLocked records blocks sent without text: Slack takes the
// message, but "it is highly recommended" to send text, which notifications
// and screen readers show instead of blocks
// (https://docs.slack.dev/reference/methods/chat.postMessage, "text").
func (s *Server) checkFallbackLocked(method string, content messageContent) {
	if content.hasBlocks && strings.TrimSpace(content.text) == "" {
		s.violateLocked("%s: blocks without a text fallback for notifications and screen readers (at /text)", method)
	}
}

// chatContentLocked reads the text and blocks of a chat.* call, refusing
// a message with nothing to show, as Slack does.
func (s *Server) chatContentLocked(r *apiRequest) (messageContent, apiResponse) {
	blocks, hasBlocks := r.object("blocks")
	content, fail := s.readMessageContent(r.method, r.str("text"), blocks, hasBlocks)
	if fail != nil {
		return content, fail
	}
	if content.text == "" && !content.hasBlocks && !r.has("attachments") {
		return content, errorResponse("no_text")
	}
	s.checkFallbackLocked(r.method, content)
	return content, nil
}

func (s *Server) chatPostMessage(r *apiRequest) apiResponse {
	channel, ok := s.resolveChannelLocked(r.str("channel"))
	if !ok {
		return errorResponse("channel_not_found")
	}
	content, fail := s.chatContentLocked(r)
	if fail != nil {
		return fail
	}
	if content.metadata, fail = s.readMetadataLocked(r); fail != nil {
		return fail
	}
	m := s.postLocked(channel, content, r.str("thread_ts"))
	return okResponse(apiResponse{"channel": channel, "ts": m.ts, "message": m.wire()})
}

// readMetadataLocked reads the "metadata" parameter, which slack-go sends as
// JSON {"event_type": "…", "event_payload": {…}}.
func (s *Server) readMetadataLocked(r *apiRequest) (*metadataRecord, apiResponse) {
	raw, ok := r.object("metadata")
	if !ok {
		return nil, nil
	}
	var md struct {
		EventType    string          `json:"event_type"`
		EventPayload json.RawMessage `json:"event_payload"`
	}
	err := json.Unmarshal(raw, &md)
	if md.EventPayload = nullToNil(md.EventPayload); err == nil && md.EventPayload != nil {
		var object map[string]any
		err = json.Unmarshal(md.EventPayload, &object)
	}
	if err != nil || md.EventType == "" {
		s.violateLocked("%s: metadata must be {\"event_type\": a name, \"event_payload\": an object}, got %.200s", r.method, raw)
		return nil, errorResponse("invalid_metadata_format")
	}
	return &metadataRecord{eventType: md.EventType, payload: md.EventPayload}, nil
}

// postLocked stores a bot message and shows it to the channel's members: a
// "file" transcript line per shared file, naming it and the comment.
func (s *Server) postLocked(channel string, content messageContent, threadTS string) *messageRecord {
	m := &messageRecord{
		channel:  channel,
		ts:       s.nextTSLocked(),
		user:     BotUserID,
		text:     content.text,
		blocks:   content.blocks,
		threadTS: threadTS,
		files:    content.files,
		metadata: content.metadata,
	}
	s.channels[channel] = append(s.channels[channel], m)
	s.countLocked(m, 1)
	comment := Render(parseBlocks(m.blocks), m.text)
	for _, member := range s.channelMembersLocked(channel) {
		if len(m.files) == 0 {
			s.noteLocked(member, channelKind(channel), comment)
		}
		for _, f := range m.files {
			line := fileMark + f.name
			if comment != "" {
				line += " — " + comment
			}
			s.noteLocked(member, "file", line)
		}
	}
	s.broadcastLocked()
	return m
}

// countLocked keeps messageCounts as a channel message comes (delta 1) or
// goes (delta -1); people alone see ephemerals, so they do not count.
func (s *Server) countLocked(m *messageRecord, delta int) {
	if m.ephemeralFor != "" {
		return
	}
	s.messageCounts[""] += delta
	if m.metadata != nil {
		s.messageCounts[m.metadata.eventType] += delta
	}
}

// MessageCount counts the messages in channels (ephemerals aside) whose
// metadata has this event type, or all of them for "". It is cheap enough
// to poll while thousands of messages arrive.
func (s *Server) MessageCount(eventType string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.messageCounts[eventType]
}

// MetadataValues counts the messages in channels whose metadata has this
// event type by the value of one key of their payload: a string as it is,
// anything else as JSON. A value counted twice is a message delivered twice.
func (s *Server) MetadataValues(eventType, key string) map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for _, messages := range s.channels {
		for _, m := range messages {
			if m.metadata == nil || m.metadata.eventType != eventType {
				continue
			}
			var payload map[string]json.RawMessage
			_ = json.Unmarshal(m.metadata.payload, &payload)
			raw, ok := payload[key]
			if !ok {
				continue
			}
			value := string(raw)
			_ = json.Unmarshal(raw, &value) // unquotes a string, leaves the rest
			out[value]++
		}
	}
	return out
}

// channelKind is how a transcript labels a message in this channel: a DM
// with the bot, or a group conversation.
func channelKind(channel string) string {
	if strings.HasPrefix(channel, "D") {
		return "dm"
	}
	return "group"
}

func (s *Server) chatPostEphemeral(r *apiRequest) apiResponse {
	channel, ok := s.resolveChannelLocked(r.str("channel"))
	if !ok {
		return errorResponse("channel_not_found")
	}
	user := r.str("user")
	if _, ok := s.users[user]; !ok {
		return errorResponse("user_not_found")
	}
	if members := s.channelMembersLocked(channel); members != nil && !slices.Contains(members, user) {
		return errorResponse("user_not_in_channel")
	}
	content, fail := s.chatContentLocked(r)
	if fail != nil {
		return fail
	}
	m := s.postEphemeralLocked(channel, user, content, r.str("thread_ts"))
	return okResponse(apiResponse{"message_ts": m.ts})
}

func (s *Server) postEphemeralLocked(channel, user string, content messageContent, threadTS string) *messageRecord {
	m := &messageRecord{
		channel:      channel,
		ts:           s.nextTSLocked(),
		user:         BotUserID,
		text:         content.text,
		blocks:       content.blocks,
		threadTS:     threadTS,
		ephemeralFor: user,
	}
	s.ephemerals[user] = append(s.ephemerals[user], m)
	s.noteLocked(user, "ephemeral", m.export().Rendered())
	return m
}

func (s *Server) chatUpdate(r *apiRequest) apiResponse {
	channel, ok := s.resolveChannelLocked(r.str("channel"))
	if !ok {
		return errorResponse("channel_not_found")
	}
	m := s.findMessageLocked(channel, r.str("ts"))
	if m == nil {
		return errorResponse("message_not_found")
	}
	content, fail := s.chatContentLocked(r)
	if fail != nil {
		return fail
	}
	if content.metadata, fail = s.readMetadataLocked(r); fail != nil {
		return fail
	}
	s.replaceMessageLocked(m, content)
	return okResponse(apiResponse{"channel": channel, "ts": m.ts, "text": m.text, "message": m.wire()})
}

func (s *Server) findMessageLocked(channel, ts string) *messageRecord {
	for _, m := range s.channels[channel] {
		if m.ts == ts {
			return m
		}
	}
	return nil
}

// replaceMessageLocked edits a message in place. Blocks and metadata left
// out of an update stay, as in Slack.
func (s *Server) replaceMessageLocked(m *messageRecord, content messageContent) {
	m.text = content.text
	if content.hasBlocks {
		m.blocks = content.blocks
	}
	if content.metadata != nil {
		s.countLocked(m, -1)
		m.metadata = content.metadata
		s.countLocked(m, 1)
	}
	rendered := "(edited) " + m.export().Rendered()
	if m.ephemeralFor != "" {
		s.noteLocked(m.ephemeralFor, "ephemeral", rendered)
		return
	}
	for _, member := range s.channelMembersLocked(m.channel) {
		s.noteLocked(member, channelKind(m.channel), rendered)
	}
	s.broadcastLocked()
}

// responseHook is where a response_url posts land: the person and channel an
// interaction came from, and the message it came from, if any.
type responseHook struct {
	user    string
	channel string
	source  *messageRecord
	uses    int
}

// maxResponseURLUses is how many times Slack lets an app use one response_url.
const maxResponseURLUses = 5

// newResponseURLLocked makes a response_url for an interaction.
func (s *Server) newResponseURLLocked(user, channel string, source *messageRecord) string {
	id := fmt.Sprintf("%d", s.nextLocked())
	s.responseHooks[id] = &responseHook{user: user, channel: channel, source: source}
	return s.baseURL + "/response/" + id
}

// handleResponseURL serves posts to a response_url, as slack-go's
// MsgOptionResponseURL / MsgOptionReplaceOriginal / MsgOptionDeleteOriginal send them.
func (s *Server) handleResponseURL(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/response/")
	req, _, err := readAPIRequest("response_url", r)
	call := Call{Method: "response_url", At: s.now(), Status: http.StatusOK}
	if req.fields != nil {
		call.JSON = req.raw
	} else {
		call.Params = cloneValues(req.form)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	resp := s.respondLocked(id, req, err)
	if resp["ok"] != true {
		call.Error, _ = resp["error"].(string)
	}
	s.recordCallLocked(call)
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) respondLocked(id string, req *apiRequest, readErr error) apiResponse {
	hook := s.responseHooks[id]
	switch {
	case hook == nil:
		s.violateLocked("response_url: unknown response_url %s", id)
		return errorResponse("expired_url")
	case readErr != nil || req.fields == nil:
		s.violateLocked("response_url: body must be JSON")
		return errorResponse("invalid_payload")
	case hook.uses >= maxResponseURLUses:
		s.violateLocked("response_url: used more than %d times", maxResponseURLUses)
		return errorResponse("used_url")
	}
	hook.uses++
	if req.str("delete_original") == "true" {
		if hook.source == nil {
			return errorResponse("message_not_found")
		}
		s.deleteMessageLocked(hook.source)
		return okResponse(nil)
	}
	blocks, hasBlocks := req.object("blocks")
	content, fail := s.readMessageContent("response_url", req.str("text"), blocks, hasBlocks)
	if fail != nil {
		return fail
	}
	s.checkFallbackLocked("response_url", content)
	if req.str("replace_original") == "true" && hook.source != nil {
		s.replaceMessageLocked(hook.source, content)
		return okResponse(nil)
	}
	if req.str("response_type") == "in_channel" {
		s.postLocked(hook.channel, content, req.str("thread_ts"))
	} else {
		s.postEphemeralLocked(hook.channel, hook.user, content, req.str("thread_ts"))
	}
	return okResponse(nil)
}

func (s *Server) deleteMessageLocked(m *messageRecord) {
	if m.ephemeralFor != "" {
		s.ephemerals[m.ephemeralFor] = slices.DeleteFunc(s.ephemerals[m.ephemeralFor], func(x *messageRecord) bool { return x == m })
	} else {
		before := len(s.channels[m.channel])
		s.channels[m.channel] = slices.DeleteFunc(s.channels[m.channel], func(x *messageRecord) bool { return x == m })
		if len(s.channels[m.channel]) < before {
			s.countLocked(m, -1)
		}
	}
	s.broadcastLocked()
}
