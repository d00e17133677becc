package bot

import (
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

func joinProfileModal(f mentorbot.ProfileForm, catalogue []string, editing bool) slack.ModalViewRequest {
	title := "Join mentorbot"
	if editing {
		title = "Edit your profile"
	}
	topics := make([]choice, len(catalogue))
	for i, t := range catalogue {
		topics[i] = choice{value: t, label: t}
	}
	levels := make([]choice, len(mentorbot.JobLevels))
	for i, l := range mentorbot.JobLevels {
		levels[i] = choice{value: strconv.Itoa(int(l)), label: l.String()}
	}
	return modal(callbackJoinProfile, title, "Next", "",
		paragraph("Reverse mentoring pairs a colleague who teaches (the mentor) with a more senior colleague who learns (the mentee). *Step 1 of 2.*"),
		radioInput(mentorbot.FieldRole, "Do you want to teach or to learn?", []choice{
			{value: string(mentorbot.RoleMentor), label: "Teach: I'll be a mentor"},
			{value: string(mentorbot.RoleMentee), label: "Learn: I'll be a mentee"},
		}, f.Role),
		multiSelectInput(mentorbot.FieldTopics, "Topics", "Pick up to 5", topics, f.Topics, mentorbot.MaxTopics, optional,
			hint("What you'd teach, or what you want to learn.")),
		textInput(mentorbot.FieldOtherTopics, "Other topics", f.OtherTopics, "e.g. Figma, Notion", 200, false, optional,
			hint("Anything not in the list, separated by commas.")),
		selectInput(mentorbot.FieldJobLevel, "Your job level", "Choose the closest", levels, f.JobLevel,
			hint("Mentees are matched with mentors more junior than them: that's what makes it reverse.")),
		textInput(mentorbot.FieldDepartment, "Department", f.Department, "e.g. Finance", mentorbot.MaxDepartmentChars, false),
		userInput(mentorbot.FieldManager, "Your manager", "Choose a person", f.ManagerID, optional,
			hint("So you're never paired inside your own reporting line.")),
		textInput(mentorbot.FieldTimeZone, "Time zone", f.TimeZone, "e.g. Europe/London", 64, false),
		textInput(mentorbot.FieldAvailability, "When are you free in a typical week?", f.Availability, "Tue 10:00-12:00, Thu 14:00-16:00", 500, true,
			hint("In your own time zone: days and times, like Mon-Fri 9-10am, Wed 14:00-16:00.")),
	)
}

func joinTopicsModal(p mentorbot.Profile, levels []string, pitch, capacity, metadata string, editing bool) slack.ModalViewRequest {
	choices := make([]choice, len(mentorbot.Levels))
	for i, l := range mentorbot.Levels {
		choices[i] = choice{value: strconv.Itoa(int(l)), label: strconv.Itoa(int(l)) + " · " + l.String()}
	}
	intro := "*Step 2 of 2.* How much do you already know about each topic? It helps your mentor start at the right place."
	pitchLabel, pitchExample := "In one sentence, what do you want to learn?", "e.g. How my team could use AI assistants day to day"
	if p.Role == mentorbot.RoleMentor {
		intro = "*Step 2 of 2.* How well could you teach each topic? Be honest: matching works best that way."
		pitchLabel, pitchExample = "In one sentence, what are you great at?", "e.g. I automate boring spreadsheet work"
	}
	blocks := []slack.Block{paragraph(intro)}
	for i, t := range p.Topics {
		blocks = append(blocks, selectInput(mentorbot.FieldLevel(i), t.Topic, "Choose a level", choices, levels[i]))
	}
	blocks = append(blocks, textInput(mentorbot.FieldPitch, pitchLabel, pitch, pitchExample, mentorbot.MaxPitchChars, true))
	if p.Role == mentorbot.RoleMentor {
		blocks = append(blocks, selectInput(mentorbot.FieldCapacity, "How many mentees could you take at once?", "Choose", capacityChoices(), capacity,
			hint("Most mentors take one. Matching gives you a second only when nobody else fits.")))
	}
	submit := "Join"
	if editing {
		submit = "Save"
	}
	return modal(callbackJoinTopics, "Your topics", submit, metadata, blocks...)
}

// joinedMessage is the DM after a person saves the join form.
func joinedMessage(d mentorbot.Delivery) message {
	title := "Your profile is updated"
	switch mentorbot.Joining(d.Item.Note) {
	case mentorbot.JoinedNew:
		title = "Welcome to reverse mentoring!"
	case mentorbot.JoinedAgain:
		title = "Welcome back!"
	case mentorbot.JoinedReapplied:
		title = "You've applied to mentor again"
	case mentorbot.JoinedRoleChanged:
		title = "You've switched to " + strings.ToLower(roleLabel(d.Reader.Role))
	}
	s := d.Status
	blocks := []slack.Block{header(title), stepBlocks(s), divider()}
	blocks = append(blocks, profileBlocks(d.Reader, true)...)
	blocks = append(blocks,
		buttons("profile_actions", button(actionOpenJoin, "Edit profile")),
		note("Your profile is seen by you and the programme's HR admins. Your pairing is private to you and your partner."),
	)
	return message{text: title + ". " + stepText(s), blocks: blocks}
}

func capacityChoices() []choice {
	out := make([]choice, mentorbot.MaxCapacity)
	for i := range out {
		out[i] = choice{value: strconv.Itoa(i + 1), label: plural(i+1, "mentee")}
	}
	return out
}
