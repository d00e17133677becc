package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/mentorbot/mentorbot"
)

// reply is a handler's answer: the payload that goes back in the envelope's
// acknowledgement, and work to do once Slack has it.
type reply struct {
	ack   any
	after func(context.Context)
	// anonymous keeps the person's ID out of the record of this request,
	// for requests that erase the person.
	anonymous bool
}

type (
	commandHandler    func(context.Context, slack.SlashCommand) reply
	actionHandler     func(context.Context, slack.InteractionCallback, *slack.BlockAction) reply
	submissionHandler func(context.Context, slack.InteractionCallback) reply
	eventHandler      func(context.Context, slackevents.EventsAPIInnerEvent) reply
)

// routes is everything the bot answers, by slash command, action_id, view
// callback_id and event type; manifest.yml declares the same (a test checks).
type routes struct {
	commands    map[string]commandHandler
	actions     map[string]actionHandler
	submissions map[string]submissionHandler
	events      map[string]eventHandler
}

func (b *Bot) routeTable() routes {
	r := routes{
		commands: map[string]commandHandler{
			commandName: b.mentorCommand,
		},
		actions: map[string]actionHandler{
			actionOpenJoin:        b.openJoinFromButton,
			actionOpenTraining:    b.buttonOpens(b.prepareTraining),
			actionOpenGoals:       b.buttonOpens(b.prepareGoals),
			actionOpenPause:       b.buttonOpens(b.preparePause),
			actionResume:          b.buttonDoes(b.resumeButton),
			actionLeave:           b.buttonDoes(b.leave),
			actionForgetMe:        b.forget,
			actionOpenCycle:       b.buttonOpens(b.prepareCycle),
			actionCloseCycle:      b.buttonDoes(b.closeCycle),
			actionReviewApplicant: b.buttonOpens(b.prepareScreening),
			actionOpenMatch:       b.openDraftFromButton,
			actionOpenSupply:      b.buttonOpens(b.prepareSupply),
			actionOpenFind:        b.buttonOpens(b.prepareFind),
			actionOpenAvoid:       b.buttonOpens(b.prepareAvoid),
			actionLockPair:        b.adjustDraft(b.lockPair),
			actionUnlockPair:      b.adjustDraft(b.unlockPair),
			actionRemovePair:      b.adjustDraft(b.programme.RemovePair),
			actionRerun:           b.rerunDraft,
			actionAcceptPair:      b.acceptPair,
			actionDeclinePair:     b.openDecline,
			actionAskMentor:       b.askMentor,
			actionConfirmSlot:     b.confirmSlot,
			actionPickSlot:        b.openSlotForm,
			actionComing:          b.sessionAction(b.coming),
			actionMoveSession:     b.openSessionForm(moveModal),
			actionSkipSession:     b.openSessionForm(skipModal),
			actionPulseNote:       b.openPulseNote,
			actionOpenSurvey:      b.openSurvey,
			actionOptIn:           b.buttonDoes(b.optIn),
			actionOpenThanks:      b.buttonOpens(b.prepareThanks),
		},
		submissions: map[string]submissionHandler{
			callbackJoinProfile: b.submitJoinProfile,
			callbackJoinTopics:  b.submitJoinTopics,
			callbackTraining:    b.submitTraining,
			callbackGoals:       b.submitGoals,
			callbackPause:       b.submitPause,
			callbackCycle:       b.submitCycle,
			callbackScreening:   b.submitScreening,
			callbackDraft:       b.submitDraft,
			callbackDeclinePair: b.submitDecline,
			callbackAvoid:       b.submitAvoid,
			callbackSlot:        b.submitSlot,
			callbackMove:        b.submitMove,
			callbackSkip:        b.submitSkip,
			callbackPulseNote:   b.submitPulseNote,
			callbackSurvey:      b.submitSurvey,
			callbackTeachIn:     b.submitTeachIn,
			callbackTeachInMove: b.submitTeachInMove,
			callbackThanks:      b.submitThanks,
		},
		events: map[string]eventHandler{
			string(slackevents.AppHomeOpened): b.homeOpened,
		},
	}
	b.heldRoutes(r.actions)
	b.pulseRoutes(r.actions)
	b.riskRoutes(r.actions)
	b.teachInRoutes(r.actions)
	b.thanksRoutes(r.actions)
	return r
}

// pendingRequest is a request this process is handling; a redelivery that
// arrives meanwhile waits for its answer instead of handling it again.
type pendingRequest struct {
	answered chan struct{}
	answer   json.RawMessage
}

// redeliveryWait bounds how long a redelivered envelope waits for the
// first delivery's answer; Slack wants every ack within 3 seconds.
const redeliveryWait = 2 * time.Second

// answerPoll is how often a redelivery that another process is handling
// looks for the answer in the request log.
const answerPoll = 100 * time.Millisecond

// staleClaim is how old another process's claim on a request grows before
// this one takes the request over, its claimer taken to have died: far
// longer than a handler takes to answer, well within the minutes Slack
// goes on redelivering.
const staleClaim = 30 * time.Second

// claimTimeout bounds one look at the request log, so a database another
// process holds locked leaves the handler its time before the ack.
const claimTimeout = 500 * time.Millisecond

// handleEnvelope acknowledges one envelope and runs what it asks for, once
// per request however often Slack delivers it and whichever of the bot's
// processes each delivery reaches.
func (b *Bot) handleEnvelope(ctx context.Context, evt socketmode.Event) {
	received := time.Now()
	b.meter.EnvelopeReceived(envelopeKind(evt.Type), evt.Request.RetryAttempt > 0)
	key := requestKey(evt)
	log := b.log.With("request", key, "retry_attempt", evt.Request.RetryAttempt)

	// This process's own requests are answered from memory, without the
	// request log.
	b.mu.Lock()
	pending, seen := b.inFlight[key]
	if !seen {
		pending = &pendingRequest{answered: make(chan struct{})}
		b.inFlight[key] = pending
	}
	b.mu.Unlock()
	if seen {
		var answer json.RawMessage
		select {
		case <-pending.answered:
			answer = pending.answer
		case <-time.After(redeliveryWait):
		}
		b.ack(evt.Request, answer, received, log)
		log.Info("redelivered request acknowledged; already being handled")
		return
	}
	defer func() {
		b.mu.Lock()
		delete(b.inFlight, key)
		b.mu.Unlock()
	}()
	answered := func(answer json.RawMessage) {
		b.ack(evt.Request, answer, received, log)
		pending.answer = answer
		close(pending.answered)
	}

	claim, err := b.claim(ctx, key, received)
	switch {
	case err != nil:
		// Handling twice is better than not at all: go on.
		log.Error("could not claim the request", "err", err)
	case claim.Outcome == mentorbot.RequestAnswered:
		answered(claim.Answer)
		log.Info("redelivered request acknowledged; handled before")
		return
	case claim.Outcome == mentorbot.RequestHeld:
		// Still busy after redeliveryWait: an empty ack, as for this
		// process's own requests, rather than a second handling.
		answered(nil)
		log.Info("redelivered request acknowledged; another process is handling it", "owner", claim.Owner)
		return
	case claim.Outcome == mentorbot.RequestTakenOver:
		log.Warn("took over a request another process claimed and never answered")
	}

	r := b.dispatch(ctx, evt, log)
	answer, err := marshalAnswer(r.ack)
	if err != nil {
		log.Error("could not encode the answer", "err", err)
	}
	answered(answer)
	log.Debug("acknowledged", "latency", time.Since(received))
	user := requestUser(evt)
	if r.anonymous {
		user = ""
	}
	// Recorded now, not after the work below, so a redelivery waiting in
	// another process has the answer within its ack's time. An erasure
	// that comes later deletes what is recorded here as it deletes the rest.
	if err := b.record(ctx, key, user, answer); err != nil {
		log.Error("could not record the handled request; a redelivery would run it again", "err", err)
	}

	if r.after != nil {
		b.safely(log, func() { r.after(ctx) })
	}
}

// claim claims a request in the request log. While another process holds
// it, it looks again every answerPoll until that process answers, its
// claim goes stale, or redeliveryWait from received is up.
func (b *Bot) claim(ctx context.Context, key string, received time.Time) (mentorbot.RequestClaim, error) {
	deadline := time.NewTimer(redeliveryWait - time.Since(received))
	defer deadline.Stop()
	poll := time.NewTicker(answerPoll)
	defer poll.Stop()
	for {
		claimCtx, cancel := context.WithTimeout(ctx, claimTimeout)
		claim, err := b.requests.ClaimRequest(claimCtx, key, b.cfg.Owner, b.clock.Now(), staleClaim)
		cancel()
		if err != nil || claim.Outcome != mentorbot.RequestHeld {
			return claim, err
		}
		select {
		case <-poll.C:
		case <-deadline.C:
			return claim, nil
		case <-ctx.Done():
			return claim, nil
		}
	}
}

// record records a request's answer under the person who sent it, unless
// they erased their data meanwhile.
func (b *Bot) record(ctx context.Context, key, user string, answer json.RawMessage) error {
	b.recording.RLock()
	defer b.recording.RUnlock()
	user, answer = b.withoutErased(user, answer)
	return b.requests.RecordRequest(ctx, key, user, answer, b.clock.Now())
}

// erasedMemory is how long the bot remembers who erased their data: far
// longer than any request takes.
const erasedMemory = 10 * time.Minute

// rememberErased notes that a person erased their data, once every record
// of a request begun without knowing it is finished, so the erasure that
// follows deletes those too.
func (b *Bot) rememberErased(userID string) {
	b.recording.Lock()
	defer b.recording.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock.Now()
	for id, at := range b.erased {
		if now.Sub(at) > erasedMemory {
			delete(b.erased, id)
		}
	}
	b.erased[userID] = now
}

// withoutErased keeps a request that finished after an erasure from
// recording the erased person: not as its sender, nor in an answer that
// names them, such as a partner's profile.
func (b *Bot) withoutErased(user string, answer json.RawMessage) (string, json.RawMessage) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for id := range b.erased {
		if user == id {
			user = ""
		}
		if bytes.Contains(answer, []byte(id)) {
			answer = nil
		}
	}
	return user, answer
}

func marshalAnswer(ack any) (json.RawMessage, error) {
	if ack == nil {
		return nil, nil
	}
	return json.Marshal(ack)
}

// ack acknowledges an envelope that arrived at received.
func (b *Bot) ack(req *socketmode.Request, answer json.RawMessage, received time.Time, log loggerWithError) {
	var err error
	if len(answer) == 0 {
		err = b.socket.Ack(*req)
	} else {
		err = b.socket.Ack(*req, answer)
	}
	if err != nil {
		log.Error("could not acknowledge the envelope", "err", err)
		return
	}
	b.meter.EnvelopeAcked(time.Since(received))
}

// requestKey names a request the same way on every delivery: Slack keeps the
// trigger and event IDs when it delivers a request again.
func requestKey(evt socketmode.Event) string {
	switch d := evt.Data.(type) {
	case slack.SlashCommand:
		if d.TriggerID != "" {
			return "command:" + d.TriggerID
		}
	case slack.InteractionCallback:
		if d.TriggerID != "" {
			return "interaction:" + d.TriggerID
		}
	case slackevents.EventsAPIEvent:
		if cb, ok := d.Data.(*slackevents.EventsAPICallbackEvent); ok && cb.EventID != "" {
			return "event:" + cb.EventID
		}
	}
	return "envelope:" + evt.Request.EnvelopeID
}

// requestUser is the person who sent a request.
func requestUser(evt socketmode.Event) string {
	switch d := evt.Data.(type) {
	case slack.SlashCommand:
		return d.UserID
	case slack.InteractionCallback:
		return d.User.ID
	case slackevents.EventsAPIEvent:
		if e, ok := d.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent); ok {
			return e.User
		}
	}
	return ""
}

// dispatch finds the handler for an envelope and runs it.
func (b *Bot) dispatch(ctx context.Context, evt socketmode.Event, log loggerWithError) (r reply) {
	ok := b.safely(log, func() {
		switch d := evt.Data.(type) {
		case slack.SlashCommand:
			if h, ok := b.routes.commands[d.Command]; ok {
				r = h(ctx, d)
				return
			}
			r = reply{ack: ephemeral(unknownCommandMessage(d.Command))}
		case slack.InteractionCallback:
			r = b.dispatchInteraction(ctx, d, log)
		case slackevents.EventsAPIEvent:
			if h, ok := b.routes.events[d.InnerEvent.Type]; ok {
				r = h(ctx, d.InnerEvent)
				return
			}
			log.Error("no handler for event", "event", d.InnerEvent.Type)
		default:
			log.Error("envelope could not be read", "type", evt.Type)
		}
	})
	if _, isCommand := evt.Data.(slack.SlashCommand); !ok && isCommand {
		r = reply{ack: ephemeral(apologyMessage())}
	}
	return r
}

func (b *Bot) dispatchInteraction(ctx context.Context, ic slack.InteractionCallback, log loggerWithError) reply {
	switch ic.Type {
	case slack.InteractionTypeBlockActions:
		for _, a := range ic.ActionCallback.BlockActions {
			if h, ok := b.routes.actions[a.ActionID]; ok {
				return h(ctx, ic, a)
			}
		}
		log.Error("no handler for action", "actions", len(ic.ActionCallback.BlockActions))
	case slack.InteractionTypeViewSubmission:
		if h, ok := b.routes.submissions[ic.View.CallbackID]; ok {
			return h(ctx, ic)
		}
		log.Error("no handler for view submission", "callback_id", ic.View.CallbackID)
	}
	return reply{}
}

type loggerWithError interface {
	Error(string, ...any)
}

// safely runs fn and turns a panic into a log line, so one bad request
// never takes the bot down for everyone else. It reports whether fn
// finished.
func (b *Bot) safely(log loggerWithError, fn func()) (finished bool) {
	defer func() {
		if p := recover(); p != nil {
			log.Error("handler panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		}
	}()
	fn()
	return true
}
