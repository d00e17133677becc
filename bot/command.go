package bot

import (
	"context"
	"strings"

	"github.com/slack-go/slack"
)

// subcommand is one word after /mentor.
type subcommand struct {
	name    string
	summary string
	run     func(context.Context, slack.SlashCommand, []string) reply
}

func (b *Bot) subcommands() []subcommand {
	return []subcommand{
		{name: "join", summary: "join the programme, or edit your profile", run: b.joinCommand},
		{name: "profile", summary: "see your profile (only you can see it)", run: b.profileCommand},
		{name: "help", summary: "what mentorbot does and the commands you can use", run: b.helpCommand},
	}
}

// mentorCommand answers /mentor: the first word picks a subcommand.
func (b *Bot) mentorCommand(ctx context.Context, cmd slack.SlashCommand) reply {
	words := strings.Fields(strings.ToLower(cmd.Text))
	if len(words) == 0 {
		return b.helpCommand(ctx, cmd, nil)
	}
	for _, sc := range b.subcommands() {
		if sc.name != words[0] {
			continue
		}
		return sc.run(ctx, cmd, words[1:])
	}
	return reply{ack: ephemeral(unknownSubcommandMessage(words[0], b.subcommands()))}
}

func (b *Bot) helpCommand(context.Context, slack.SlashCommand, []string) reply {
	return reply{ack: ephemeral(helpMessage(b.subcommands()))}
}

// ephemeralReply is a slash command's answer carried in its ack: only the
// person who typed the command sees it, and it works in any channel, even
// ones the bot is not a member of.
type ephemeralReply struct {
	ResponseType string        `json:"response_type"`
	Text         string        `json:"text"`
	Blocks       []slack.Block `json:"blocks,omitempty"`
}

func ephemeral(m message) ephemeralReply {
	return ephemeralReply{ResponseType: slack.ResponseTypeEphemeral, Text: m.text, Blocks: m.blocks}
}
