package bot

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// Joining is a two-step modal: who you are and when you're free, then your
// level in each topic you picked. Step two is pushed onto step one, so the
// back arrow returns to step one with its answers intact.
const (
	actionOpenJoin      = "join_open"
	callbackJoinProfile = "join_profile"
	callbackJoinTopics  = "join_topics"
)

func (b *Bot) joinCommand(_ context.Context, cmd slack.SlashCommand, _ []string) reply {
	deadline := b.triggerDeadline()
	return reply{after: func(ctx context.Context) { b.openJoinForm(ctx, cmd.UserID, cmd.TriggerID, deadline) }}
}

func (b *Bot) openJoinFromButton(_ context.Context, ic slack.InteractionCallback, _ *slack.BlockAction) reply {
	deadline := b.triggerDeadline()
	return reply{after: func(ctx context.Context) { b.openJoinForm(ctx, ic.User.ID, ic.TriggerID, deadline) }}
}

// openJoinForm opens step one, filled in with what the person saved before,
// or with their Slack time zone when they are new.
func (b *Bot) openJoinForm(ctx context.Context, userID, triggerID string, deadline time.Time) {
	log := b.log.With("user", userID)
	openCtx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()

	catalogue, err := b.programme.Catalogue(openCtx)
	if err != nil {
		log.Error("could not load the topic catalogue; offering the built-in one", "err", err)
		catalogue = mentorbot.DefaultTopics
	}
	var form mentorbot.ProfileForm
	existing, err := b.programme.Participant(openCtx, userID)
	editing := err == nil
	switch mentorbot.ErrorCode(err) {
	case "":
		form = formOf(existing, catalogue)
	case mentorbot.ENOTFOUND:
		tzCtx, cancel := context.WithTimeout(openCtx, lookupTimeout)
		form.TimeZone, err = b.send.userTimeZone(tzCtx, userID)
		cancel()
		if err != nil {
			log.Warn("could not read the person's Slack time zone; leaving it for them to fill in", "err", err)
		}
	default:
		log.Error("could not load the participant for the join form", "err", err)
		if _, _, err := b.send.dm(ctx, userID, apologyMessage()); err != nil {
			log.Error("could not apologise", "err", err)
		}
		return
	}

	view := joinProfileModal(form, catalogue, editing)
	if _, err := b.send.openModal(openCtx, userID, triggerID, view); err != nil {
		b.formDidNotOpen(ctx, userID, view.CallbackID, formAgain{action: actionOpenJoin}, err)
	}
}

// formOf fills step one of the join form with a saved profile, for editing;
// step two finds the saved levels and sentence by topic.
func formOf(p mentorbot.Participant, catalogue []string) mentorbot.ProfileForm {
	f := mentorbot.ProfileForm{
		Role:         string(p.Role),
		JobLevel:     strconv.Itoa(int(p.JobLevel)),
		Department:   p.Department,
		ManagerID:    p.ManagerID,
		TimeZone:     p.TimeZone,
		Availability: p.Availability.String(),
	}
	var other []string
	for _, t := range p.Topics {
		if slices.Contains(catalogue, t.Topic) {
			f.Topics = append(f.Topics, t.Topic)
		} else {
			other = append(other, t.Topic)
		}
	}
	f.OtherTopics = strings.Join(other, ", ")
	return f
}

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

// submitJoinProfile checks step one and, when it is right, pushes step two.
func (b *Bot) submitJoinProfile(ctx context.Context, ic slack.InteractionCallback) reply {
	st := stateOf(ic.View)
	form := mentorbot.ProfileForm{
		Role:         st.choice(mentorbot.FieldRole),
		Topics:       st.choices(mentorbot.FieldTopics),
		OtherTopics:  st.text(mentorbot.FieldOtherTopics),
		JobLevel:     st.choice(mentorbot.FieldJobLevel),
		Department:   st.text(mentorbot.FieldDepartment),
		ManagerID:    st.user(mentorbot.FieldManager),
		TimeZone:     st.text(mentorbot.FieldTimeZone),
		Availability: st.text(mentorbot.FieldAvailability),
	}
	profile, err := form.ParseBasics(ic.User.ID)
	if err != nil {
		return reply{ack: errorsAck(ic.View, err, mentorbot.FieldAvailability)}
	}
	metadata := joinFormValue(form)

	// Offer the levels and the sentence saved before, when the topics match.
	lookupCtx, cancel := context.WithTimeout(ctx, lookupTimeout)
	existing, err := b.programme.Participant(lookupCtx, ic.User.ID)
	cancel()
	editing := err == nil
	saved := map[string]string{}
	pitch := ""
	if editing {
		for _, t := range existing.Topics {
			saved[strings.ToLower(t.Topic)] = strconv.Itoa(int(t.Level))
		}
		if existing.Role == profile.Role {
			pitch = existing.Pitch
		}
	}
	levels := make([]string, len(profile.Topics))
	for i, t := range profile.Topics {
		levels[i] = saved[strings.ToLower(t.Topic)]
	}
	capacity := "1"
	if editing && existing.Capacity > 0 {
		capacity = strconv.Itoa(existing.Capacity)
	}
	step2 := joinTopicsModal(profile, levels, pitch, capacity, metadata, editing)
	return reply{ack: slack.NewPushViewSubmissionResponse(&step2)}
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

// submitJoinTopics checks the whole form and saves it before acknowledging,
// so the person sees either their profile saved or what to fix, never a
// closed form whose answers were lost.
func (b *Bot) submitJoinTopics(ctx context.Context, ic slack.InteractionCallback) reply {
	form, err := readJoinFormValue(ic.View.PrivateMetadata)
	if err != nil {
		return reply{ack: errorsAck(ic.View, b.oldForm(ic.User.ID, err), mentorbot.FieldPitch)}
	}
	st := stateOf(ic.View)
	for i := 0; st[mentorbot.FieldLevel(i)] != nil; i++ {
		form.Levels = append(form.Levels, st.choice(mentorbot.FieldLevel(i)))
	}
	form.Pitch = st.text(mentorbot.FieldPitch)
	form.Capacity = st.choice(mentorbot.FieldCapacity)
	profile, err := form.Parse(ic.User.ID)
	if err != nil {
		return reply{ack: errorsAck(ic.View, err, mentorbot.FieldPitch)}
	}

	saveCtx, cancel := beforeAck(ctx)
	_, err = b.programme.Join(saveCtx, ic.User.ID, profile)
	cancel()
	if err != nil {
		return b.rejectSubmission(ic, err, mentorbot.FieldPitch)
	}
	return reply{
		ack:   slack.NewClearViewSubmissionResponse(),
		after: func(ctx context.Context) { b.refreshHome(ctx, ic.User.ID) },
	}
}
