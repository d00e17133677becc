package bot_test

import (
	"maps"
	"testing"

	"github.com/mentorbot/mentorbot/bot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// TestMeterHearsEnvelopesAcksAndTheSocket: the operator's figures follow
// what Slack sees: each delivery, each ack, and whether the socket is up.
func TestMeterHearsEnvelopesAcksAndTheSocket(t *testing.T) {
	t.Parallel()
	meter := bot.NewRecordingMeter()
	w := newWorld(t, withMeter(meter))
	if !meter.Connected() {
		t.Fatal("the bot is ready but the meter heard no connection")
	}
	w.person(ada).types("/mentor help", fakeslack.Redelivered(1))
	w.person(ada).opensHome()

	want := map[string]int{bot.EnvelopeCommand: 1, bot.EnvelopeCommand + " redelivered": 1, bot.EnvelopeEvent: 1}
	if got := meter.Envelopes(); !maps.Equal(got, want) {
		t.Errorf("envelopes heard %v, want %v", got, want)
	}
	if got := meter.Acks(); got != 3 {
		t.Errorf("acks heard %d, want 3", got)
	}
	w.finish() // the Home tab it opened is published
	if got := meter.Requests()["views.publish ok"]; got != 1 {
		t.Errorf("views.publish heard as ok %d times, want 1", got)
	}

	// A refused reconnection keeps the bot off Slack until the test ends.
	w.slack.FailNext("apps.connections.open", fakeslack.Fault{Status: 500, Times: 1000})
	w.slack.DropConnection()
	if err := meter.WaitUntil(w.ctx(), func() bool { return !meter.Connected() }); err != nil {
		t.Fatal("the meter never heard the socket go down")
	}
}
