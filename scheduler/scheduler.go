// Package scheduler runs mentorbot's timed work. A cron drives it in the
// programme's time zone; what is due is decided from the store and the
// injected clock, so tests and the demo can move time.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/mentorbot/mentorbot"
)

// housekeepingSpec runs at night in the programme's time zone, when the bot
// is quietest.
const housekeepingSpec = "0 3 * * *"

// riskSpec looks for pairs at risk every hour: signs of withering take
// days to show, and an hourly look keeps the work small.
const riskSpec = "@hourly"

// declineEvery spaces the ticks that read declines from the calendar
// service: a no a few minutes old still leaves most of a day to find
// another time, and a tick a minute would spend the service's quota and
// Slack's users.info on every pair with a session coming.
const declineEvery = 10 * time.Minute

// requestMemory is how long handled requests are remembered; Slack gives up
// redelivering within minutes.
const requestMemory = 24 * time.Hour

// Config says when jobs run.
type Config struct {
	Location *time.Location // the programme's time zone
	// Tick is how often the scheduler looks for due work, such as pauses
	// reaching their date and reminders coming due.
	Tick time.Duration
	// Lanes is how many messages the outbox sends side by side.
	Lanes int
	// SummarySpec is when the HR channel gets the programme's summary, as
	// a cron spec in Location; empty turns the schedule off.
	SummarySpec string
	// Heartbeat hears every tick; nil when nobody listens.
	Heartbeat Heartbeat
	// Owner names this replica on the outbox messages it claims.
	Owner string
	// Leadership says whether this replica runs the timed work; nil when
	// this process is the only one, and so always leads.
	Leadership Leadership
}

// Leadership is whether this replica leads the replicas sharing the
// database. Only the leader runs the timed work, so it runs once; every
// replica sends the outbox.
type Leadership interface {
	// TryLead takes the lead if nobody holds it, and reports whether this
	// replica leads now.
	TryLead(ctx context.Context) (bool, error)
}

// Heartbeat hears the scheduler's tick, so an operator can tell it is alive.
type Heartbeat interface {
	Ticked()
}

// CheckSpec reports whether spec is a cron spec the scheduler accepts.
func CheckSpec(spec string) error {
	_, err := cron.ParseStandard(spec)
	return err
}

// Scheduler runs timed jobs.
type Scheduler struct {
	cron      *cron.Cron
	programme *mentorbot.Programme
	requests  mentorbot.RequestLog
	outbox    *Outbox
	// leadership is nil when this process always leads.
	leadership Leadership
	leading    atomic.Bool // what the last try found, to log each change once
	// summaries is when the HR channel gets the summary; nil when never.
	summaries cron.Schedule
	location  *time.Location
	log       *slog.Logger
	ctx       context.Context // the context of Run, for jobs
	armed     chan struct{}   // closed once Run has started the jobs
	// declinesRead is when the tick last asked the calendar service for
	// declines; ticks run one at a time.
	declinesRead time.Time
}

// New prepares the jobs; Run starts them. It hooks the outbox to the
// programme, so every change that owes messages wakes it.
func New(cfg Config, programme *mentorbot.Programme, requests mentorbot.RequestLog, deliverer mentorbot.Deliverer, log *slog.Logger) (*Scheduler, error) {
	if cfg.Owner == "" {
		return nil, errors.New("scheduler: the replica has no owner name for its outbox leases")
	}
	s := &Scheduler{programme: programme, requests: requests, leadership: cfg.Leadership, location: cfg.Location, log: log,
		ctx: context.Background(), armed: make(chan struct{})}
	s.outbox = NewOutbox(programme, deliverer, cfg.Owner, cfg.Lanes, log)
	programme.OnOutbox = s.outbox.Wake
	s.cron = cron.New(cron.WithLocation(cfg.Location))
	// A job still running when it comes due again is skipped, not doubled.
	once := cron.NewChain(cron.SkipIfStillRunning(cron.DiscardLogger))
	if _, err := s.cron.AddJob(housekeepingSpec, once.Then(cron.FuncJob(func() { s.ForgetOldRequests(s.ctx) }))); err != nil {
		return nil, fmt.Errorf("schedule housekeeping: %w", err)
	}
	// The timed work alone: a burst of messages goes out from the outbox's
	// own pass, so it never holds up the next tick's try to lead.
	tick := once.Then(cron.FuncJob(func() {
		s.timedWork(s.ctx)
		s.outbox.Wake()
	}))
	if _, err := s.cron.AddFunc(fmt.Sprintf("@every %s", cfg.Tick), func() {
		// The beat comes before the skip: a tick still draining a burst of
		// reminders is busy, not stuck.
		if cfg.Heartbeat != nil {
			cfg.Heartbeat.Ticked()
		}
		tick.Run()
	}); err != nil {
		return nil, fmt.Errorf("schedule the tick (MENTORBOT_TICK): %w", err)
	}
	if _, err := s.cron.AddJob(riskSpec, once.Then(cron.FuncJob(func() { s.FlagRisks(s.ctx) }))); err != nil {
		return nil, fmt.Errorf("schedule risk checks: %w", err)
	}
	if cfg.SummarySpec != "" {
		summaries, err := cron.ParseStandard(cfg.SummarySpec)
		if err != nil {
			return nil, fmt.Errorf("schedule summaries (MENTORBOT_SUMMARY_CRON): %w", err)
		}
		s.summaries = summaries
		s.cron.Schedule(summaries, once.Then(cron.FuncJob(func() { s.OweSummary(s.ctx) })))
	}
	return s, nil
}

// Run runs the jobs and the outbox until ctx ends, then waits for a running
// job to finish. Messages owed before a restart go out at once.
func (s *Scheduler) Run(ctx context.Context) {
	s.ctx = ctx
	// Tried before the first pass, which a SQLite leader's first try
	// readies, and so /healthz says at once who leads.
	s.lead(ctx)
	outboxDone := make(chan struct{})
	go func() {
		s.outbox.Run(ctx)
		close(outboxDone)
	}()
	s.outbox.Wake()
	s.cron.Start()
	close(s.armed)
	<-ctx.Done()
	<-s.cron.Stop().Done()
	<-outboxDone
	s.log.Info("shutdown: outbox drained; messages not yet sent wait for the next start")
}

// Armed is closed once Run has started the jobs and the outbox, so the
// first tick is on its way.
func (s *Scheduler) Armed() <-chan struct{} { return s.armed }

// Tick does the work that is due now: pauses that reached their date end,
// proposals nobody answered in time lapse, the sessions coming up are
// planned with their reminders, sessions declined in a calendar are
// noticed, a cycle halfway through is surveyed and one past its end closed
// out, and every message due is sent. Only the leader does the timed work;
// every replica sends.
//
// Tick returns once those messages are sent, for a caller that moved the
// clock and looks at what came; the scheduler's own tick wakes the outbox
// instead and returns.
func (s *Scheduler) Tick(ctx context.Context) {
	s.timedWork(ctx)
	s.outbox.Drain(ctx)
}

// timedWork is the tick's work on the leader.
func (s *Scheduler) timedWork(ctx context.Context) {
	if s.lead(ctx) {
		s.dueWork(ctx)
	}
}

// lead tries to lead and reports whether this replica leads, logging when
// that changes. A try that fails leads nothing: two leaders would do the
// timed work twice, none only later.
func (s *Scheduler) lead(ctx context.Context) bool {
	if s.leadership == nil {
		return true
	}
	leading, err := s.leadership.TryLead(ctx)
	if err != nil && ctx.Err() == nil {
		s.log.Error("could not try to lead the timed work", "err", err)
	}
	leading = leading && err == nil
	if was := s.leading.Swap(leading); was != leading {
		if leading {
			s.log.Info("this replica leads the timed work")
		} else {
			s.log.Warn("this replica no longer leads the timed work")
		}
	}
	return leading
}

// dueWork is the tick's timed work.
func (s *Scheduler) dueWork(ctx context.Context) {
	for _, due := range []struct {
		what string
		run  func(context.Context) error
	}{
		{"end due pauses", s.programme.ResumeDue},
		{"lapse unanswered proposals", s.programme.LapseDue},
	} {
		if err := due.run(ctx); err != nil {
			s.log.Error("tick: could not "+due.what, "err", err)
		}
	}
	if err := s.programme.PlanSessions(ctx); err != nil {
		s.log.Error("tick: could not plan sessions", "err", err)
	}
	if now := s.programme.Clock.Now(); now.Sub(s.declinesRead) >= declineEvery {
		s.declinesRead = now
		if err := s.programme.CheckDeclines(ctx); err != nil {
			s.log.Warn("tick: could not read declines from the calendar service; a later tick tries again", "err", err)
		}
	}
	if err := s.programme.SendMidpointSurveys(ctx); err != nil {
		s.log.Error("tick: could not send the midpoint surveys", "err", err)
	}
	if err := s.programme.CloseDueCycle(ctx); err != nil {
		s.log.Error("tick: could not close the cycle that ended", "err", err)
	}
}

// FlagRisks tells admins of pairs newly at risk, and sends the flags; only
// the leader looks.
func (s *Scheduler) FlagRisks(ctx context.Context) {
	if !s.lead(ctx) {
		return
	}
	n, err := s.programme.FlagRisks(ctx)
	if err != nil {
		s.log.Error("could not check pairs for risk", "err", err)
		return
	}
	if n > 0 {
		s.log.Info("flagged pairs at risk to the admins", "pairs", n)
		s.outbox.Drain(ctx)
	}
}

// OweSummary owes the HR channel the summary of the schedule's period
// under way, the one that began at its latest time; the outbox sends it,
// and retries it through an outage. It does nothing when the summary has
// no schedule, or another replica leads.
func (s *Scheduler) OweSummary(ctx context.Context) {
	if s.summaries == nil || !s.lead(ctx) {
		return
	}
	period := latestTime(s.summaries, s.programme.Clock.Now().In(s.location))
	if period.IsZero() {
		return
	}
	if err := s.programme.OweSummary(ctx, period); err != nil {
		s.log.Error("could not owe the summary to the HR channel", "err", err)
	}
}

// latestTime is the schedule's latest time at or before now, or zero when
// it had none in the five years cron looks ahead. The job runs at that
// time, so the first look, a minute back, finds it.
func latestTime(schedule cron.Schedule, now time.Time) time.Time {
	for back := time.Minute; back <= 5*366*24*time.Hour; back *= 2 {
		t := schedule.Next(now.Add(-back))
		if t.IsZero() || t.After(now) {
			continue
		}
		for next := schedule.Next(t); !next.IsZero() && !next.After(now); next = schedule.Next(t) {
			t = next
		}
		return t
	}
	return time.Time{}
}

// ForgetOldRequests drops the record of requests handled over a day ago;
// only the leader does.
func (s *Scheduler) ForgetOldRequests(ctx context.Context) {
	if !s.lead(ctx) {
		return
	}
	n, err := s.requests.ForgetRequestsBefore(ctx, s.programme.Clock.Now().Add(-requestMemory))
	if err != nil {
		s.log.Error("housekeeping: could not forget old requests", "err", err)
		return
	}
	s.log.Debug("housekeeping: forgot old requests", "count", n)
}
