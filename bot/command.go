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
	admin   bool // listed only to admins; anyone else trying it is refused politely
}

func (b *Bot) subcommands() []subcommand {
	return []subcommand{
		{name: "join", summary: "join the programme, or edit your profile", run: b.joinCommand},
		{name: "profile", summary: "see your profile (only you can see it)", run: b.profileCommand},
		{name: "training", summary: "read the onboarding for your role and the ground rules", run: b.commandOpens(actionOpenTraining, b.prepareTraining)},
		{name: "goals", summary: "set or edit your goals for this cycle", run: b.commandOpens(actionOpenGoals, b.prepareGoals)},
		{name: "pause", summary: "take a break until a date: no matching, no reminders", run: b.commandOpens(actionOpenPause, b.preparePause)},
		{name: "resume", summary: "come back from a break early", run: b.resumeCommand},
		{name: "leave", summary: "leave the programme (your partner is told kindly)", run: b.leaveCommand},
		{name: "forget-me", summary: "erase everything mentorbot holds about you", run: b.forgetCommand},
		{name: "find", summary: "mentees: browse mentors who fit you, and ask one; `find <topic>` narrows it", run: b.commandOpens(actionOpenFind, b.prepareFind)},
		{name: "avoid", summary: "people you'd rather not be paired with (only you see the list)", run: b.commandOpens(actionOpenAvoid, b.prepareAvoid)},
		{name: "teach-in", summary: "upcoming teach-ins to sign up for; mentors: `teach-in offer` to host one", run: b.teachInCommand},
		{name: "help", summary: "what mentorbot does and the commands you can use", run: b.helpCommand},
		{name: "cycle", summary: "open or edit the programme cycle; `cycle close` to close it", run: b.cycleCommand, admin: true},
		{name: "screen", summary: "the queue of mentor applications to screen", run: b.screenCommand, admin: true},
		{name: "match", summary: "draft a matching round privately, adjust it and publish it", run: b.matchCommand, admin: true},
		{name: "summary", summary: "post the programme's summary (no names, no one's answers) to the HR channel", run: b.summaryCommand, admin: true},
		{name: "export", summary: "get the programme's records as a CSV in your DMs", run: b.exportCommand, admin: true},
	}
}

// visibleCommands lists the subcommands this person may use.
func (b *Bot) visibleCommands(userID string) []subcommand {
	var out []subcommand
	for _, sc := range b.subcommands() {
		if !sc.admin || b.programme.IsAdmin(userID) {
			out = append(out, sc)
		}
	}
	return out
}

// mentorCommand answers /mentor: the first word picks a subcommand.
func (b *Bot) mentorCommand(ctx context.Context, cmd slack.SlashCommand) reply {
	name, args := parseCommand(cmd.Text)
	if name == "" {
		return b.helpCommand(ctx, cmd, nil)
	}
	for _, sc := range b.subcommands() {
		if sc.name != name {
			continue
		}
		return sc.run(ctx, cmd, args)
	}
	return reply{ack: ephemeral(unknownSubcommandMessage(name, b.visibleCommands(cmd.UserID)))}
}

// parseCommand splits what was typed after /mentor into the subcommand's
// name and the words after it, all in lower case; name is "" when nothing
// was typed.
func parseCommand(text string) (name string, args []string) {
	words := strings.Fields(strings.ToLower(text))
	if len(words) == 0 {
		return "", nil
	}
	return words[0], words[1:]
}

func (b *Bot) helpCommand(_ context.Context, cmd slack.SlashCommand, _ []string) reply {
	return reply{ack: ephemeral(helpMessage(b.visibleCommands(cmd.UserID)))}
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
