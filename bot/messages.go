package bot

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// Every message a person reads is built here, from domain values, written
// for that person: what happened and what to do next.

const aboutText = "*mentorbot* runs our reverse-mentoring programme: colleagues early in their careers teach senior colleagues new tools and new ways of working, in protected one-to-one sessions. Pairings are private."

func helpMessage(commands []subcommand) message {
	lines := make([]string, len(commands))
	for i, sc := range commands {
		lines[i] = fmt.Sprintf("• `/mentor %s` — %s", sc.name, sc.summary)
	}
	list := strings.Join(lines, "\n")
	return message{
		text: "mentorbot runs our reverse-mentoring programme. Commands:\n" + list,
		blocks: []slack.Block{
			paragraph(aboutText),
			paragraph("*What you can do*\n" + list),
			note("You can also open mentorbot's Home tab to see your status."),
		},
	}
}

func unknownSubcommandMessage(word string, commands []subcommand) message {
	m := helpMessage(commands)
	intro := fmt.Sprintf("I don't know `/mentor %s`. Here's what I can do:", word)
	m.text = intro + "\n" + m.text
	m.blocks = append([]slack.Block{paragraph(intro)}, m.blocks[1:]...)
	return m
}

func unknownCommandMessage(command string) message {
	text := fmt.Sprintf("I don't answer `%s`. Type `/mentor help` to see what I can do.", command)
	return message{text: text, blocks: []slack.Block{paragraph(text)}}
}

func apologyMessage() message {
	return message{text: mentorbot.InternalErrorMessage, blocks: []slack.Block{paragraph(mentorbot.InternalErrorMessage)}}
}

func notJoinedMessage() message {
	text := "You haven't joined the programme yet. Type `/mentor join` to start: it takes two minutes."
	return message{text: text, blocks: []slack.Block{paragraph(text)}}
}

func roleLabel(r mentorbot.Role) string {
	if r == mentorbot.RoleMentor {
		return "Mentor: you teach"
	}
	return "Mentee: you learn"
}

// stateLabel tells a person where they stand and what happens next.
func stateLabel(p mentorbot.Participant) string {
	switch p.State {
	case mentorbot.StateApplied:
		return "Your application to mentor is with HR. Every mentor is screened before matching; you'll get a message here when they've looked at it."
	case mentorbot.StateApproved:
		if p.Role == mentorbot.RoleMentor {
			return "You're approved to mentor. You'll be matched with a senior colleague who wants to learn what you teach."
		}
		return "You're in. When the next cycle opens, HR matches you with a mentor who teaches what you want to learn."
	}
	return string(p.State)
}

// profileBlocks shows a saved profile; the DM after joining, /mentor profile
// and the Home tab all use it.
func profileBlocks(p mentorbot.Participant) []slack.Block {
	topics := make([]string, len(p.Topics))
	for i, t := range p.Topics {
		topics[i] = fmt.Sprintf("%s (%s)", t.Topic, strings.ToLower(t.Level.String()))
	}
	manager := "none given"
	if p.ManagerID != "" {
		manager = "<@" + p.ManagerID + ">"
	}
	topicsLabel := "Topics you want to learn"
	pitchLabel := "What you want to learn"
	if p.Role == mentorbot.RoleMentor {
		topicsLabel, pitchLabel = "Topics you teach", "What you're great at"
	}
	return []slack.Block{
		fields(
			"*Role*\n"+roleLabel(p.Role),
			"*Job level*\n"+p.JobLevel.String(),
			"*Department*\n"+p.Department,
			"*Manager*\n"+manager,
			"*Time zone*\n"+p.TimeZone,
			"*Free in a typical week*\n"+p.Availability.String(),
		),
		paragraph("*" + topicsLabel + "*\n" + strings.Join(topics, ", ")),
		paragraph("*" + pitchLabel + "*\n" + p.Pitch),
	}
}

func profileMessage(p mentorbot.Participant) message {
	blocks := []slack.Block{paragraph("*Your mentorbot profile*\n" + stateLabel(p))}
	blocks = append(blocks, profileBlocks(p)...)
	blocks = append(blocks, note("Only you can see this. Change it any time with `/mentor join`."))
	return message{text: "Your mentorbot profile: " + stateLabel(p), blocks: blocks}
}

// joinedMessage is the DM after a person saves the join form.
func joinedMessage(res mentorbot.JoinResult) message {
	title := "Your profile is updated"
	switch {
	case res.New:
		title = "Welcome to reverse mentoring!"
	case res.RoleChanged:
		title = "You've switched to " + strings.ToLower(roleLabel(res.Participant.Role))
	}
	blocks := []slack.Block{header(title), paragraph("*What happens next*\n" + stateLabel(res.Participant)), divider()}
	blocks = append(blocks, profileBlocks(res.Participant)...)
	blocks = append(blocks,
		buttons("profile_actions", button(actionOpenJoin, "Edit profile")),
		note("Your profile is seen by you and the programme's HR admins. Your pairing is private to you and your partner."),
	)
	return message{text: title + ". " + stateLabel(res.Participant), blocks: blocks}
}

func formUnavailableMessage() message {
	text := "Sorry, Slack was too busy to open the form just now. Please type `/mentor join` again in a minute."
	return message{text: text, blocks: []slack.Block{paragraph(text)}}
}

func homeBlocks(p *mentorbot.Participant) []slack.Block {
	if p == nil {
		return []slack.Block{
			header("Reverse mentoring"),
			paragraph(aboutText),
			paragraph("Mentors teach what they know best (new tools, social media, how younger colleagues work); mentees are senior colleagues who want to learn it. Each pair gets a protected time each week or two, and HR screens and prepares every mentor."),
			buttons("home_actions", primaryButton(actionOpenJoin, "Join the programme")),
		}
	}
	blocks := []slack.Block{header("Your reverse mentoring"), paragraph(stateLabel(*p)), divider()}
	blocks = append(blocks, profileBlocks(*p)...)
	return append(blocks, buttons("home_actions", button(actionOpenJoin, "Edit profile")))
}
