package bot

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// maxShortagesShown keeps the shortages on the Home tab, in the summary
// and in the draft to a glance; the full view has every topic.
const maxShortagesShown = 5

// maxTopicsShown keeps the full view within a modal's 100 blocks.
const maxTopicsShown = 300

// shortageText says where a topic falls short, as "6 mentees want Data
// visualisation; no approved mentor teaches it".
func shortageText(t mentorbot.TopicSupply) string {
	want := plural(t.Waiting, "mentee") + " want"
	if t.Waiting == 1 {
		want = "1 mentee wants"
	}
	topic := "*" + typed(t.Topic) + "*"
	if t.Mentors == 0 {
		return fmt.Sprintf("%s %s; no approved mentor teaches it%s", want, topic, teachInsComing(t))
	}
	teachers := fmt.Sprintf("the %d approved mentors who teach it have", t.Mentors)
	if t.Mentors == 1 {
		teachers = "the one approved mentor who teaches it has"
	}
	free := plural(t.FreePlaces, "place") + " free"
	if t.FreePlaces == 0 {
		free = "no place free"
	}
	return fmt.Sprintf("%s %s; %s %s%s", want, topic, teachers, free, teachInsComing(t))
}

// teachInsComing says, after a shortage, that teach-ins on the topic are
// coming: they ease it, one session at a time.
func teachInsComing(t mentorbot.TopicSupply) string {
	if t.TeachIns == 0 {
		return ""
	}
	return fmt.Sprintf(" (%s coming)", plural(t.TeachIns, "teach-in"))
}

// shortageLines list the biggest shortages, and how many more there are.
func shortageLines(shortages []mentorbot.TopicSupply) []string {
	var lines []string
	for i, t := range shortages {
		if i == maxShortagesShown {
			lines = append(lines, fmt.Sprintf("…and %s more.", plural(len(shortages)-i, "topic")))
			break
		}
		lines = append(lines, "• "+shortageText(t))
	}
	return lines
}

// supplyHomeBlocks is the admin Home tab's view of supply and demand.
func supplyHomeBlocks(supply []mentorbot.TopicSupply) []slack.Block {
	text := "*Skills supply and demand*\n"
	if short := mentorbot.Shortages(supply); len(short) > 0 {
		text += "Where demand outruns supply, so recruit and screen mentors for these first:\n" + strings.Join(shortageLines(short), "\n")
	} else {
		text += "Every mentee waiting for a topic has a free place with an approved mentor who teaches it."
	}
	return append(paragraphs(text), buttons("supply_actions", button(actionOpenSupply, "Every topic")))
}

// supplyBlocks are the summary's and the draft's word on shortages.
func supplyBlocks(shortages []mentorbot.TopicSupply, where string) []slack.Block {
	if len(shortages) == 0 {
		return nil
	}
	lines := append([]string{"*Where demand outruns supply* (" + where + "):"}, shortageLines(shortages)...)
	return paragraphs(strings.Join(lines, "\n"))
}

// supplyModal is every topic's supply and demand, shortages first.
func supplyModal(supply []mentorbot.TopicSupply) slack.ModalViewRequest {
	blocks := []slack.Block{paragraph("For every topic: the mentees taking part who want it (and of them, those still waiting for a pair), the approved mentors who teach it and the places those ready to match have free, the open pairs on it and the teach-ins to come. Counts only, never a name.")}
	if len(supply) == 0 {
		blocks = append(blocks, paragraph("Nobody taking part has named a topic yet."))
	}
	var lines []string
	for i, t := range supply {
		if i == maxTopicsShown {
			lines = append(lines, fmt.Sprintf("…and %s more, each wanted by %s or fewer.", plural(len(supply)-i, "topic"), plural(t.Wanting, "mentee")))
			break
		}
		line := fmt.Sprintf("• *%s*: %d want it (%d waiting) · %s · %s free · %s · %s", typed(t.Topic), t.Wanting, t.Waiting,
			plural(t.Mentors, "approved mentor"), plural(t.FreePlaces, "place"), plural(t.Pairs, "pair"), plural(t.TeachIns, "teach-in"))
		if t.Short() {
			line = "⚠️ " + line
		}
		lines = append(lines, line)
	}
	if len(lines) > 0 {
		blocks = append(blocks, paragraphs(strings.Join(lines, "\n"))...)
	}
	v := modal("supply", "Supply and demand", "", "", blocks...)
	v.Close = plain("Close")
	return v
}
