package bot

import (
	"context"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// profileCommand answers /mentor profile in its acknowledgement: one read
// of the database, well within Slack's 3 seconds.
func (b *Bot) profileCommand(ctx context.Context, cmd slack.SlashCommand, _ []string) reply {
	lookupCtx, cancel := context.WithTimeout(ctx, beforeAckTimeout)
	defer cancel()
	p, err := b.programme.Participant(lookupCtx, cmd.UserID)
	switch mentorbot.ErrorCode(err) {
	case "":
		return reply{ack: ephemeral(profileMessage(p))}
	case mentorbot.ENOTFOUND:
		return reply{ack: ephemeral(notJoinedMessage())}
	}
	b.log.Error("could not load the profile", "user", cmd.UserID, "err", err)
	return reply{ack: ephemeral(apologyMessage())}
}
