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
