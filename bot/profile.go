package bot

import (
	"context"

	"github.com/slack-go/slack"
)

// profileCommand answers /mentor profile in its acknowledgement: one read
// of the database, well within Slack's 3 seconds.
func (b *Bot) profileCommand(ctx context.Context, cmd slack.SlashCommand, _ []string) reply {
	lookupCtx, cancel := beforeAck(ctx)
	defer cancel()
	status, err := b.programme.Status(lookupCtx, cmd.UserID)
	switch {
	case err != nil:
		b.log.Error("could not load the profile", "user", cmd.UserID, "err", err)
		return reply{ack: ephemeral(apologyMessage())}
	case status.Participant == nil:
		return reply{ack: ephemeral(notJoinedMessage())}
	}
	return reply{ack: ephemeral(profileMessage(status))}
}
