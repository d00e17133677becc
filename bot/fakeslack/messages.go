package fakeslack

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
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
}

// Rendered is the message as plain text, blocks first, text as fallback.
func (m Message) Rendered() string { return Render(m.Blocks, m.Text) }

// messageRecord is the stored form of a message; blocks stay JSON so every
// export hands out an independent copy.
type messageRecord struct {
	channel  string
	ts       string
	user     string
	text     string
	blocks   json.RawMessage // normalized; nil when the message has none
	threadTS string
	// ephemeralFor is the only person who sees an ephemeral message.
	ephemeralFor string
}

func (m *messageRecord) export() Message {
	return Message{
		Channel:  m.channel,
		TS:       m.ts,
		User:     m.user,
		Text:     m.text,
		Blocks:   parseBlocks(m.blocks),
		ThreadTS: m.threadTS,
	}
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

// messageContent is the text and blocks of a message being posted or updated.
type messageContent struct {
	text      string
	blocks    json.RawMessage
	hasBlocks bool
}

// readMessageContent validates text and blocks as Slack would. On failure it
// returns the error answer, having recorded any violations.
func (s *Server) readMessageContent(method string, text string, blocks json.RawMessage, hasBlocks bool, pointer string) (messageContent, apiResponse) {
	content := messageContent{text: text}
	if hasBlocks {
		normalized, problems, err := normalizeBlocks(blocks, surfaceMessage, pointer)
		if err != nil {
			s.violateLocked("%s: blocks are not valid JSON: %v", method, err)
			return content, errorResponse("invalid_blocks_format")
		}
		if len(problems) > 0 {
			return content, s.invalidArguments(method, problems)
		}
		content.blocks = normalized
		content.hasBlocks = true
	}
	if utf8.RuneCountInString(text) > maxMessageText {
		s.violateLocked("%s: text is longer than %d characters", method, maxMessageText)
		return content, errorResponse("msg_too_long")
	}
	return content, nil
}

// chatContentLocked reads the text and blocks of a chat.* call, refusing
// a message with nothing to show, as Slack does.
func (s *Server) chatContentLocked(r *apiRequest) (messageContent, apiResponse) {
	blocks, hasBlocks := r.object("blocks")
	content, fail := s.readMessageContent(r.method, r.str("text"), blocks, hasBlocks, "/blocks")
	if fail != nil {
		return content, fail
	}
	if content.text == "" && !content.hasBlocks && !r.has("attachments") {
		return content, errorResponse("no_text")
	}
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
	m := s.postLocked(channel, content, r.str("thread_ts"))
	return okResponse(apiResponse{"channel": channel, "ts": m.ts, "message": m.wire()})
}

// postLocked stores a bot message and shows it to the channel's members.
func (s *Server) postLocked(channel string, content messageContent, threadTS string) *messageRecord {
	m := &messageRecord{
		channel:  channel,
		ts:       s.nextTSLocked(),
		user:     BotUserID,
		text:     content.text,
		blocks:   content.blocks,
		threadTS: threadTS,
	}
	s.channels[channel] = append(s.channels[channel], m)
	rendered := m.export().Rendered()
	for _, member := range s.channelMembersLocked(channel) {
		s.noteLocked(member, channelKind(channel), rendered)
	}
	s.broadcastLocked()
	return m
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

// replaceMessageLocked edits a message in place. Blocks left out of an update
// stay, as in Slack.
func (s *Server) replaceMessageLocked(m *messageRecord, content messageContent) {
	m.text = content.text
	if content.hasBlocks {
		m.blocks = content.blocks
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
	call := Call{Method: "response_url", At: time.Now(), Status: http.StatusOK}
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
	content, fail := s.readMessageContent("response_url", req.str("text"), blocks, hasBlocks, "/blocks")
	if fail != nil {
		return fail
	}
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
		s.channels[m.channel] = slices.DeleteFunc(s.channels[m.channel], func(x *messageRecord) bool { return x == m })
	}
	s.broadcastLocked()
}
