package fakeslack

import "time"

// Rate is a token bucket: Burst calls may go at once, and one more is
// allowed every Every. The zero Rate limits nothing.
type Rate struct {
	Every time.Duration
	Burst int // less than 1 means 1
}

// PerMinute allows n (> 0) calls a minute on average, burst at once.
func PerMinute(n, burst int) Rate { return Rate{Every: time.Minute / time.Duration(n), Burst: burst} }

// PerSecond allows n (> 0) calls a second on average, burst at once.
func PerSecond(n, burst int) Rate { return Rate{Every: time.Second / time.Duration(n), Burst: burst} }

// RateLimits are the limits the fake enforces when created WithRateLimits.
// A call over any limit that applies to it is answered 429 with Retry-After
// and changes nothing.
type RateLimits struct {
	// Methods limits each Web API method on its own; methods not listed are
	// unlimited.
	Methods map[string]Rate
	// PerChannel limits chat.postMessage to each channel.
	PerChannel Rate
	// Workspace limits chat.postMessage across all channels.
	Workspace Rate
}

// SlackTiers returns Slack's documented limits for the methods the fake
// knows: Tier 3 (50 a minute) for chat.update and conversations.open, Tier 4
// (100 a minute) for chat.postEphemeral, users.info, views.* and the file
// upload methods, each with a minute's worth of burst; chat.postMessage one
// a second per channel with short bursts. auth.test and
// apps.connections.open are unlimited. Slack publishes no figure for the
// workspace-wide chat.postMessage limit, so Workspace is left for the caller.
func SlackTiers() RateLimits {
	tier3, tier4 := PerMinute(50, 50), PerMinute(100, 100)
	return RateLimits{
		Methods: map[string]Rate{
			"chat.update":                  tier3,
			"conversations.open":           tier3,
			"chat.postEphemeral":           tier4,
			"users.info":                   tier4,
			"views.open":                   tier4,
			"views.push":                   tier4,
			"views.update":                 tier4,
			"views.publish":                tier4,
			"files.getUploadURLExternal":   tier4,
			"files.completeUploadExternal": tier4,
		},
		PerChannel: PerSecond(1, 3),
	}
}

// WithRateLimits makes the fake enforce limits (by default it enforces none).
func WithRateLimits(limits RateLimits) Option {
	return func(s *Server) {
		l := &rateLimiter{
			methods:    map[string]*bucket{},
			perChannel: limits.PerChannel,
			channels:   map[string]*bucket{},
			workspace:  newBucket(limits.Workspace),
		}
		for method, rate := range limits.Methods {
			if b := newBucket(rate); b != nil {
				l.methods[method] = b
			}
		}
		s.limiter = l
	}
}

// RateLimited counts the calls of method ("" for all) answered 429, by the
// rate limits or by a FailNext fault.
func (s *Server) RateLimited(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if method != "" {
		return s.ratelimited[method]
	}
	total := 0
	for _, n := range s.ratelimited {
		total += n
	}
	return total
}

// rateLimiter holds the buckets; nil ones limit nothing.
type rateLimiter struct {
	methods    map[string]*bucket
	perChannel Rate
	channels   map[string]*bucket // chat.postMessage, by channel ID
	workspace  *bucket            // chat.postMessage, every channel
}

// rateLimitLocked takes one call of req from every bucket that governs it,
// or, when any of them is empty, from none and reports how long until all
// have room.
func (s *Server) rateLimitLocked(req *apiRequest, now time.Time) (time.Duration, bool) {
	l := s.limiter
	if l == nil {
		return 0, false
	}
	var governing [3]*bucket
	buckets := governing[:0]
	if b := l.methods[req.method]; b != nil {
		buckets = append(buckets, b)
	}
	if req.method == "chat.postMessage" {
		if l.workspace != nil {
			buckets = append(buckets, l.workspace)
		}
		if channel, ok := s.resolveChannelLocked(req.str("channel")); ok && l.perChannel.Every > 0 {
			b := l.channels[channel]
			if b == nil {
				b = newBucket(l.perChannel)
				l.channels[channel] = b
			}
			buckets = append(buckets, b)
		}
	}
	var wait time.Duration
	for _, b := range buckets {
		wait = max(wait, b.wait(now))
	}
	if wait > 0 {
		return wait, true
	}
	for _, b := range buckets {
		b.take(now)
	}
	return 0, false
}

// bucket is a token bucket kept as the moment it will be full again, which
// needs no timer and no floating point.
type bucket struct {
	rate Rate
	full time.Time
}

func newBucket(r Rate) *bucket {
	if r.Every <= 0 {
		return nil
	}
	r.Burst = max(r.Burst, 1)
	return &bucket{rate: r}
}

// wait is how long until the bucket has room for one more call.
func (b *bucket) wait(now time.Time) time.Duration {
	untilFull := max(0, b.full.Sub(now))
	return max(0, untilFull+b.rate.Every-time.Duration(b.rate.Burst)*b.rate.Every)
}

func (b *bucket) take(now time.Time) {
	if b.full.Before(now) {
		b.full = now
	}
	b.full = b.full.Add(b.rate.Every)
}
