package bot

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"
)

const aboutText = "*mentorbot* runs our reverse-mentoring programme: colleagues early in their careers teach senior colleagues new tools and new ways of working, in protected one-to-one sessions. Pairings are private."

func helpMessage(commands []subcommand) message {
	lines := make([]string, len(commands))
	for i, sc := range commands {
		lines[i] = fmt.Sprintf("• `/mentor %s` — %s", sc.name, sc.summary)
		if sc.admin {
			lines[i] += " _(admins)_"
		}
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
	intro := fmt.Sprintf("I don't know `/mentor %s`. Here's what I can do:", typed(cut(word, 100)))
	m.text = intro + "\n" + m.text
	m.blocks = append([]slack.Block{paragraph(intro)}, m.blocks[1:]...)
	return m
}

func unknownCommandMessage(command string) message {
	return textMessage(fmt.Sprintf("I don't answer `%s`. Type `/mentor help` to see what I can do.", typed(command)))
}
