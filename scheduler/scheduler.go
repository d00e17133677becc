// Package scheduler runs mentorbot's timed work. A cron drives it in the
// programme's time zone; what is due is decided from the store and the
// injected clock, so tests and the demo can move time.
package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/mentorbot/mentorbot"
)

// housekeepingSpec runs at night in the programme's time zone, when the bot
// is quietest.
const housekeepingSpec = "0 3 * * *"

// requestMemory is how long handled requests are remembered; Slack gives up
// redelivering within minutes.
const requestMemory = 24 * time.Hour

// Scheduler runs timed jobs.
type Scheduler struct {
	cron     *cron.Cron
	requests mentorbot.RequestLog
	clock    mentorbot.Clock
	log      *slog.Logger
}

// New prepares the jobs; Run starts them.
func New(loc *time.Location, clock mentorbot.Clock, requests mentorbot.RequestLog, log *slog.Logger) (*Scheduler, error) {
	s := &Scheduler{requests: requests, clock: clock, log: log}
	s.cron = cron.New(cron.WithLocation(loc), cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger)))
	if _, err := s.cron.AddFunc(housekeepingSpec, func() { s.ForgetOldRequests(context.Background()) }); err != nil {
		return nil, fmt.Errorf("schedule housekeeping: %w", err)
	}
	return s, nil
}

// Run runs the jobs until ctx ends, then waits for a running job to finish.
func (s *Scheduler) Run(ctx context.Context) {
	s.cron.Start()
	<-ctx.Done()
	<-s.cron.Stop().Done()
}

// ForgetOldRequests drops the record of requests handled over a day ago.
func (s *Scheduler) ForgetOldRequests(ctx context.Context) {
	n, err := s.requests.ForgetRequestsBefore(ctx, s.clock.Now().Add(-requestMemory))
	if err != nil {
		s.log.Error("housekeeping: could not forget old requests", "err", err)
		return
	}
	s.log.Debug("housekeeping: forgot old requests", "count", n)
}
