package bot

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// outboxMetadataType marks the messages the outbox sent, with their key.
const outboxMetadataType = "mentorbot_outbox"

// Deliver writes an outbox message for its reader and sends it; the
// message carries its outbox key, so a copy sent twice can be told apart.
func (b *Bot) Deliver(ctx context.Context, d mentorbot.Delivery) (mentorbot.Receipt, error) {
	if d.Item.Kind.Notice() {
		return b.deliverNotice(ctx, d)
	}
	now := b.clock.Now()
	var m message
	switch d.Item.Kind {
	case mentorbot.OutboxTeachInCalendar, mentorbot.OutboxTeachInCalendarCancel:
		err := b.send.upload(ctx, d.Item.To, fmt.Sprintf("teach-in-%d.ics", d.Item.TeachInID), d.Calendar, teachInCalendarMessage(d))
		return mentorbot.Receipt{}, err
	case mentorbot.OutboxTeachInPulse:
		m = teachInPulseMessage(d.TeachIn)
	case mentorbot.OutboxTeachInInvitation, mentorbot.OutboxTeachInReminder:
		m = teachInDeliveryMessage(d)
	case mentorbot.OutboxTeachInSignedUp, mentorbot.OutboxTeachInMovedUp, mentorbot.OutboxTeachInLeft, mentorbot.OutboxTeachInMoved, mentorbot.OutboxTeachInCancelled:
		// Where the reader stands changed: their Home tab follows.
		channel, ts, err := b.send.dm(ctx, d.Item.To, teachInDeliveryMessage(d), outboxMetadata(d.Item))
		if err == nil {
			b.refreshHome(ctx, d.Item.To)
		}
		return mentorbot.Receipt{Channel: channel, TS: ts}, err
	case mentorbot.OutboxInvite, mentorbot.OutboxInviteCancel:
		err := b.send.upload(ctx, d.Item.To, fmt.Sprintf("mentoring-%d.ics", d.Pair.ID), d.Calendar, inviteMessage(d))
		return mentorbot.Receipt{}, err
	case mentorbot.OutboxCalendarBooked:
		m = calendarBookedMessage(d)
	case mentorbot.OutboxSlotProposed:
		m = slotOfferMessage(d)
	case mentorbot.OutboxSlotCounter:
		m = slotCounterMessage(d)
	case mentorbot.OutboxNudge:
		m = nudgeMessage(d, now)
	case mentorbot.OutboxCheck:
		m = checkMessage(d)
	case mentorbot.OutboxSessionMoved:
		m = sessionMovedMessage(d)
	case mentorbot.OutboxSessionSkipped:
		m = sessionSkippedMessage(d)
	case mentorbot.OutboxSessionDeclined:
		m = sessionDeclinedMessage(d)
	case mentorbot.OutboxPulse, mentorbot.OutboxPulseFollowUp:
		v := mentorbot.PulseView{Pair: d.Pair, Session: d.Session, Pulse: d.Pulse}
		m = pulseMessage(v, d.Reader.ID, d.Reader.TimeZone, d.Item.Kind == mentorbot.OutboxPulseFollowUp)
	case mentorbot.OutboxSurvey:
		m = surveyMessage(d)
	case mentorbot.OutboxCloseOut:
		m = closeOutMessage(d)
	case mentorbot.OutboxRiskFlag:
		m = riskFlagMessage(d)
	case mentorbot.OutboxPairNudge:
		m = pairNudgeMessage(d)
	case mentorbot.OutboxFormButton:
		again, err := readFormAgain(d.Item.Form)
		if err != nil {
			b.log.Error("an owed form button could not be read", "key", d.Item.Key, "err", err)
			m = formLostMessage()
		} else {
			m = formButtonMessage(again)
		}
	case mentorbot.OutboxFormQueued:
		m = formQueuedMessage()
	case mentorbot.OutboxFormRefused:
		m = formRefusedMessage()
	case mentorbot.OutboxJoined:
		m = joinedMessage(d)
	case mentorbot.OutboxLeft:
		m = leftMessage()
	case mentorbot.OutboxBackEarly:
		m = textMessage(resumedText())
	case mentorbot.OutboxOptedIn:
		m = textMessage(optedInText())
	case mentorbot.OutboxCycleClosed:
		m = textMessage(cycleClosedText(d.Cycle))
	case mentorbot.OutboxCycleReport, mentorbot.OutboxSummary:
		return mentorbot.Receipt{Channel: d.Item.To}, b.postSummary(ctx, d.Item.To, d.Summary)
	case mentorbot.OutboxThanksAsk:
		m = thanksAskMessage(mentorbot.ThanksView{Thanks: d.Thanks, Pair: d.Pair, Channel: d.Celebrate}, d.Reader.ID)
	case mentorbot.OutboxThanksPost:
		channel, ts, err := b.send.post(ctx, d.Item.To, thanksPostMessage(d.Thanks, d.Pair), outboxMetadata(d.Item))
		return mentorbot.Receipt{Channel: channel, TS: ts}, err
	default:
		return mentorbot.Receipt{}, fmt.Errorf("no message for outbox kind %q", d.Item.Kind)
	}
	channel, ts, err := b.send.dm(ctx, d.Item.To, m, outboxMetadata(d.Item))
	return mentorbot.Receipt{Channel: channel, TS: ts}, err
}

// deliverNotice tells its readers of a change, and brings their Home tabs
// up to date with it. A pair starts together, in one conversation of both.
func (b *Bot) deliverNotice(ctx context.Context, d mentorbot.Delivery) (mentorbot.Receipt, error) {
	readers := []string{d.Item.To}
	var channel, ts string
	var err error
	if d.Item.Kind == mentorbot.OutboxPairStarted {
		readers = []string{d.Pair.MentorID, d.Pair.MenteeID}
		channel, ts, err = b.send.groupDM(ctx, readers, noticeMessage(d), outboxMetadata(d.Item))
	} else {
		channel, ts, err = b.send.dm(ctx, d.Item.To, noticeMessage(d), outboxMetadata(d.Item))
	}
	if err != nil {
		return mentorbot.Receipt{}, err
	}
	for _, id := range readers {
		b.refreshHome(ctx, id)
	}
	return mentorbot.Receipt{Channel: channel, TS: ts}, nil
}

// outboxMetadata marks a message with the outbox key it was sent for.
func outboxMetadata(item mentorbot.OutboxItem) slack.MsgOption {
	return slack.MsgOptionMetadata(slack.SlackMetadata{
		EventType:    outboxMetadataType,
		EventPayload: map[string]any{"key": item.Key},
	})
}

// Contact reads a person's name and email from Slack, for an invite.
func (b *Bot) Contact(ctx context.Context, id string) (mentorbot.Contact, error) {
	u, err := b.send.user(ctx, id)
	if err != nil {
		return mentorbot.Contact{}, err
	}
	return mentorbot.Contact{Name: u.RealName, Email: u.Profile.Email}, nil
}
