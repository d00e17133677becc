package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"sync"
	"time"

	"github.com/slack-go/slack"
)

// methodScopes lists every Web API method the bot calls, with the bot scope
// it needs; manifest.yml asks for exactly these scopes (a test checks).
var methodScopes = map[string]string{
	"auth.test":          "",
	"chat.postMessage":   "chat:write",
	"chat.update":        "chat:write",
	"conversations.open": "im:write",
	// A group DM is conversations.open with several users, which needs
	// its own scope; call names it apart so the manifest asks for both.
	groupConversation: "mpim:write",
	"users.info":      "users:read",
	"views.open":      "",
	"views.update":    "",
	"views.publish":   "",
}

const groupConversation = "conversations.open (group)"

const (
	maxAttempts  = 5
	firstBackoff = 500 * time.Millisecond
	maxBackoff   = 8 * time.Second
)

// sender makes every Web API call the bot makes. It waits out Slack's rate
// limits (HTTP 429 with Retry-After) and retries server errors with backoff,
// a bounded number of times, never past the caller's deadline.
type sender struct {
	api *slack.Client
	log *slog.Logger

	mu         sync.Mutex
	dmChannels map[string]string // user ID -> DM channel ID
}

func newSender(api *slack.Client, log *slog.Logger) *sender {
	return &sender{api: api, log: log, dmChannels: map[string]string{}}
}

func (s *sender) call(ctx context.Context, method string, fn func(context.Context) error) error {
	if _, ok := methodScopes[method]; !ok {
		return fmt.Errorf("%s: not listed in methodScopes, so the manifest may lack its scope", method)
	}
	for attempt := 1; ; attempt++ {
		err := fn(ctx)
		if err == nil {
			return nil
		}
		wait, retry := retryDelay(err, attempt)
		if !retry || attempt == maxAttempts {
			return fmt.Errorf("%s: %w", method, err)
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return fmt.Errorf("%s: %w (no time left to retry in %s)", method, err, wait.Round(time.Millisecond))
		}
		s.log.Warn("slack call failed; retrying", "method", method, "attempt", attempt, "wait", wait, "err", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w", method, err)
		case <-time.After(wait):
		}
	}
}

// retryDelay says whether a failed call is worth repeating, and after how long.
func retryDelay(err error, attempt int) (time.Duration, bool) {
	if rl, ok := errors.AsType[*slack.RateLimitedError](err); ok {
		// Jitter spreads out callers that were all told the same Retry-After.
		return rl.RetryAfter + rand.N(250*time.Millisecond), true
	}
	backoff := min(firstBackoff<<(attempt-1), maxBackoff)
	backoff += rand.N(backoff / 2)
	if sc, ok := errors.AsType[slack.StatusCodeError](err); ok {
		return backoff, sc.Code >= 500
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return backoff, true
	}
	return 0, false
}

// dm sends a direct message to a person.
func (s *sender) dm(ctx context.Context, userID string, m message) error {
	channel, err := s.dmChannel(ctx, userID)
	if err != nil {
		return err
	}
	return s.call(ctx, "chat.postMessage", func(ctx context.Context) error {
		_, _, err := s.api.PostMessageContext(ctx, channel, slack.MsgOptionText(m.text, false), slack.MsgOptionBlocks(m.blocks...))
		return err
	})
}

func (s *sender) dmChannel(ctx context.Context, userID string) (string, error) {
	s.mu.Lock()
	channel, ok := s.dmChannels[userID]
	s.mu.Unlock()
	if ok {
		return channel, nil
	}
	err := s.call(ctx, "conversations.open", func(ctx context.Context) error {
		ch, _, _, err := s.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{userID}})
		if err == nil {
			channel = ch.ID
		}
		return err
	})
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	s.dmChannels[userID] = channel
	s.mu.Unlock()
	return channel, nil
}

// openModal opens a modal and returns its view ID, for later updates.
func (s *sender) openModal(ctx context.Context, triggerID string, v slack.ModalViewRequest) (string, error) {
	var viewID string
	err := s.call(ctx, "views.open", func(ctx context.Context) error {
		r, err := s.api.OpenViewContext(ctx, triggerID, v)
		if err == nil {
			viewID = r.ID
		}
		return err
	})
	return viewID, err
}

// updateModal replaces an open modal's content.
func (s *sender) updateModal(ctx context.Context, viewID string, v slack.ModalViewRequest) error {
	return s.call(ctx, "views.update", func(ctx context.Context) error {
		_, err := s.api.UpdateViewContext(ctx, v, "", "", viewID)
		return err
	})
}

// updateMessage replaces a message the bot sent, so buttons already
// answered turn into what was answered.
func (s *sender) updateMessage(ctx context.Context, channel, ts string, m message) error {
	return s.call(ctx, "chat.update", func(ctx context.Context) error {
		_, _, _, err := s.api.UpdateMessageContext(ctx, channel, ts, slack.MsgOptionText(m.text, false), slack.MsgOptionBlocks(m.blocks...))
		return err
	})
}

// groupDM opens a conversation with the bot and several people, and posts in it.
func (s *sender) groupDM(ctx context.Context, userIDs []string, m message) error {
	var channel string
	err := s.call(ctx, groupConversation, func(ctx context.Context) error {
		ch, _, _, err := s.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: userIDs})
		if err == nil {
			channel = ch.ID
		}
		return err
	})
	if err != nil {
		return err
	}
	return s.call(ctx, "chat.postMessage", func(ctx context.Context) error {
		_, _, err := s.api.PostMessageContext(ctx, channel, slack.MsgOptionText(m.text, false), slack.MsgOptionBlocks(m.blocks...))
		return err
	})
}

func (s *sender) publishHome(ctx context.Context, userID string, v slack.HomeTabViewRequest) error {
	return s.call(ctx, "views.publish", func(ctx context.Context) error {
		_, err := s.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: userID, View: v})
		return err
	})
}

func (s *sender) userTimeZone(ctx context.Context, userID string) (string, error) {
	var tz string
	err := s.call(ctx, "users.info", func(ctx context.Context) error {
		u, err := s.api.GetUserInfoContext(ctx, userID)
		if err == nil {
			tz = u.TZ
		}
		return err
	})
	return tz, err
}

// whoAmI checks the bot token and returns the bot's user ID.
func (s *sender) whoAmI(ctx context.Context) (string, error) {
	var userID string
	err := s.call(ctx, "auth.test", func(ctx context.Context) error {
		r, err := s.api.AuthTestContext(ctx)
		if err == nil {
			userID = r.UserID
		}
		return err
	})
	return userID, err
}
