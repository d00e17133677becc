package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// adaStep1 is how Ada fills in step one of the join form.
var adaStep1 = map[string]string{
	"role":         "mentor",
	"topics":       "Social media,No-code tools",
	"other_topics": "TikTok for brands",
	"job_level":    "2",
	"department":   "Customer Support",
	"manager":      boss,
	"availability": "Tue 10-12, Thu 2-4pm",
}

var adaStep2 = map[string]string{
	"level_0": "4",
	"level_1": "3",
	"level_2": "5",
	"pitch":   "I make short videos that people actually watch.",
}

// join takes a person through both steps of the join form.
func (p *person) join(step1, step2 map[string]string) {
	p.w.t.Helper()
	p.types("/mentor join")
	p.seesModal("Join mentorbot")
	if ack := p.submits(step1); responseAction(ack) != "push" {
		p.w.t.Fatalf("step one was not accepted: %s", ack.Payload)
	}
	p.seesModal("Your topics")
	if ack := p.submits(step2); responseAction(ack) != "clear" {
		p.w.t.Fatalf("step two was not accepted: %s", ack.Payload)
	}
}

func responseAction(ack fakeslack.Ack) string {
	var r struct {
		ResponseAction string `json:"response_action"`
	}
	json.Unmarshal(ack.Payload, &r)
	return r.ResponseAction
}

func modalErrors(ack fakeslack.Ack) map[string]string {
	var r struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
	}
	json.Unmarshal(ack.Payload, &r)
	if r.ResponseAction != "errors" {
		return nil
	}
	return r.Errors
}

func TestJoinAsMentor(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.person(ada)

	ack := a.types("/mentor join")
	t.Logf("/mentor join acknowledged in %v", ack.Latency)
	step1 := a.seesModal("Join mentorbot")
	if !strings.Contains(step1.Rendered(), "Europe/London") {
		t.Errorf("the time zone is not filled in from Slack:\n%s", step1.Rendered())
	}

	if ack := a.submits(adaStep1); responseAction(ack) != "push" {
		t.Fatalf("step one: %s", ack.Payload)
	}
	step2 := a.seesModal("Your topics")
	for _, topic := range []string{"Social media", "No-code tools", "TikTok for brands", "what are you great at"} {
		if !strings.Contains(step2.Rendered(), topic) {
			t.Errorf("step two does not ask about %q:\n%s", topic, step2.Rendered())
		}
	}
	if ack := a.submits(adaStep2); responseAction(ack) != "clear" {
		t.Fatalf("step two: %s", ack.Payload)
	}
	if a.p.Modal() != nil {
		t.Error("the form is still open after joining")
	}

	dm := a.seesDM("Welcome to reverse mentoring")
	for _, want := range []string{"Mentor: you teach", "Social media (strong)", "TikTok for brands (expert)", "Tue 10:00-12:00", "Thu 14:00-16:00", "<@" + boss + ">", "with HR", "Edit profile"} {
		if !strings.Contains(dm.Rendered(), want) {
			t.Errorf("the welcome DM does not say %q:\n%s", want, dm.Rendered())
		}
	}
	a.seesHome("Your application to mentor is with HR")

	p, err := w.db.Participant(context.Background(), ada)
	if err != nil {
		t.Fatal(err)
	}
	if p.State != mentorbot.StateApplied || p.Role != mentorbot.RoleMentor || p.Capacity != 1 || p.TimeZone != "Europe/London" || p.ManagerID != boss || p.JobLevel != 2 {
		t.Errorf("stored %+v", p)
	}
	want := []mentorbot.TopicInterest{{Topic: "Social media", Level: 4}, {Topic: "No-code tools", Level: 3}, {Topic: "TikTok for brands", Level: 5}}
	if !slices.Equal(p.Topics, want) {
		t.Errorf("stored topics %v, want %v", p.Topics, want)
	}
	if got := p.Availability.String(); got != "Tue 10:00-12:00, Thu 14:00-16:00" {
		t.Errorf("stored availability %q", got)
	}
}

func TestJoinAsMentee(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	g := w.person(grace)
	g.join(map[string]string{
		"role": "mentee", "topics": "AI assistants at work", "job_level": "7",
		"department": "Executive Office", "availability": "Mon-Fri 8-9am",
	}, map[string]string{"level_0": "1", "pitch": "How my teams use AI assistants day to day."})

	dm := g.seesDM("Welcome to reverse mentoring")
	for _, want := range []string{"Mentee: you learn", "read the short onboarding for mentees", "America/New_York", "Mon-Fri 08:00-09:00", "none given"} {
		if !strings.Contains(dm.Rendered(), want) {
			t.Errorf("the welcome DM does not say %q:\n%s", want, dm.Rendered())
		}
	}
	p, err := w.db.Participant(context.Background(), grace)
	if err != nil || p.State != mentorbot.StateApproved || p.ManagerID != "" {
		t.Fatalf("stored %+v, %v", p, err)
	}
}

func TestJoiningAgainEditsTheProfile(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.person(ada)
	a.join(adaStep1, adaStep2)
	a.seesDM("Welcome")
	before, _ := w.db.Participant(context.Background(), ada)

	w.clock.Advance(48 * time.Hour)
	a.types("/mentor join")
	step1 := a.seesModal("Edit your profile")
	for _, saved := range []string{"Customer Support", "TikTok for brands", "Tue 10:00-12:00, Thu 14:00-16:00"} {
		if !strings.Contains(step1.Rendered(), saved) {
			t.Errorf("the edit form is not filled with %q:\n%s", saved, step1.Rendered())
		}
	}
	// Only the department changes; everything else is submitted as filled in.
	if ack := a.submits(map[string]string{"department": "Marketing"}); responseAction(ack) != "push" {
		t.Fatalf("step one: %s", ack.Payload)
	}
	step2 := a.seesModal("Your topics")
	if step2.Submit != "Save" {
		t.Errorf("editing submits with %q, want Save", step2.Submit)
	}
	if ack := a.submits(nil); responseAction(ack) != "clear" {
		t.Fatalf("step two with saved levels and sentence: %s", ack.Payload)
	}
	a.seesDM("Your profile is updated")

	after, err := w.db.Participant(context.Background(), ada)
	if err != nil {
		t.Fatal(err)
	}
	if after.Department != "Marketing" || !slices.Equal(after.Topics, before.Topics) || after.Pitch != before.Pitch {
		t.Errorf("after editing: %+v", after)
	}
	if !after.JoinedAt.Equal(before.JoinedAt) || !after.UpdatedAt.Equal(before.UpdatedAt.Add(48*time.Hour)) {
		t.Errorf("joined %v updated %v; want joined kept and updated moved", after.JoinedAt, after.UpdatedAt)
	}
}

func TestJoinFormShowsEachMistakeNextToItsField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change map[string]string
		field  string
		says   string
	}{
		{"no role", map[string]string{"role": ""}, "role", "teach or to learn"},
		{"no topic", map[string]string{"topics": "", "other_topics": ""}, "topics", "at least one topic"},
		{"too many topics", map[string]string{"other_topics": "Figma, Notion, Canva, Miro"}, "other_topics", "top 5"},
		{"no job level", map[string]string{"job_level": ""}, "job_level", "level closest"},
		{"no department", map[string]string{"department": " "}, "department", "Write your department"},
		{"self as manager", map[string]string{"manager": ada}, "manager", "not yourself"},
		{"unknown time zone", map[string]string{"timezone": "London"}, "timezone", "isn't a time zone"},
		{"no time zone", map[string]string{"timezone": ""}, "timezone", "Write your time zone"},
		{"availability without days", map[string]string{"availability": "after lunch"}, "availability", "isn't a day"},
		{"availability without a day first", map[string]string{"availability": "9-11"}, "availability", "which day"},
		{"availability across midnight", map[string]string{"availability": "Fri 22-2"}, "availability", "can't cross midnight"},
		{"availability too short", map[string]string{"availability": "Mon 9:00-9:15"}, "availability", "shorter than 30 minutes"},
	}
	w := newWorld(t)
	a := w.person(ada)
	a.types("/mentor join")
	a.seesModal("Join mentorbot")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Slack keeps what was typed between submissions, so every
			// field is given each time.
			values := map[string]string{"timezone": "Europe/London"}
			for k, v := range adaStep1 {
				values[k] = v
			}
			for k, v := range tt.change {
				values[k] = v
			}
			errs := modalErrors(a.submits(values))
			if !strings.Contains(errs[tt.field], tt.says) {
				t.Fatalf("errors %v, want %q next to %s", errs, tt.says, tt.field)
			}
			if v := a.p.Modal(); v == nil || v.Title != "Join mentorbot" || v.Errors[tt.field] == "" {
				t.Fatalf("the form did not stay open with the error shown: %+v", v)
			}
		})
	}

	// Fixing the mistakes moves on to step two, and step two checks its own fields.
	fixed := map[string]string{"timezone": "Europe/London"}
	for k, v := range adaStep1 {
		fixed[k] = v
	}
	if ack := a.submits(fixed); responseAction(ack) != "push" {
		t.Fatalf("the fixed form was refused: %s", ack.Payload)
	}
	a.seesModal("Your topics")
	errs := modalErrors(a.submits(map[string]string{"level_0": "4", "level_1": "", "level_2": "5", "pitch": "Videos"}))
	if !strings.Contains(errs["pitch"], "Write one sentence on what you're great at") {
		t.Errorf("a two-word sentence was accepted: %v", errs)
	}
	if !strings.Contains(errs["level_1"], "Choose your level in No-code tools") {
		t.Errorf("a missing level was accepted: %v", errs)
	}
	if _, err := w.db.Participant(context.Background(), ada); mentorbot.ErrorCode(err) != mentorbot.ENOTFOUND {
		t.Fatalf("a refused form saved a participant: %v", err)
	}
	if ack := a.submits(adaStep2); responseAction(ack) != "clear" {
		t.Fatalf("the fixed step two was refused: %s", ack.Payload)
	}
	a.seesDM("Welcome")
}

// failingSaves refuses the first saves, as a locked or full disk would.
type failingSaves struct {
	mentorbot.Store
	failures int
}

func (f *failingSaves) Apply(ctx context.Context, c mentorbot.Change) error {
	if f.failures > 0 {
		f.failures--
		return errors.New("database is locked")
	}
	return f.Store.Apply(ctx, c)
}

func TestAFailedSaveKeepsTheFormOpen(t *testing.T) {
	t.Parallel()
	w := newWorld(t, withStore(func(s mentorbot.Store) mentorbot.Store {
		return &failingSaves{Store: s, failures: 1}
	}))
	a := w.person(ada)
	a.types("/mentor join")
	a.seesModal("Join mentorbot")
	a.submits(adaStep1)
	a.seesModal("Your topics")

	errs := modalErrors(a.submits(adaStep2))
	if !strings.Contains(errs["pitch"], "couldn't save") || !strings.Contains(errs["pitch"], "press Join again") {
		t.Fatalf("errors %v, want a save failure next to the last field", errs)
	}
	if strings.Contains(errs["pitch"], "locked") {
		t.Errorf("the person sees the internal error: %q", errs["pitch"])
	}
	if v := a.p.Modal(); v == nil || v.Title != "Your topics" {
		t.Fatal("the form closed although nothing was saved")
	}
	if ack := a.submits(nil); responseAction(ack) != "clear" {
		t.Fatalf("pressing Join again: %s", ack.Payload)
	}
	a.seesDM("Welcome")
}

// failingReads cannot read participants, as a broken disk would.
type failingReads struct{ mentorbot.Store }

func (failingReads) Participant(context.Context, string) (mentorbot.Participant, error) {
	return mentorbot.Participant{}, errors.New("disk I/O error")
}

func TestAFailedReadApologisesInsteadOfOpeningAnEmptyForm(t *testing.T) {
	t.Parallel()
	w := newWorld(t, withStore(func(s mentorbot.Store) mentorbot.Store {
		return failingReads{s}
	}))
	a := w.person(ada)
	a.types("/mentor join")
	dm := a.seesDM("something went wrong on our side")
	if strings.Contains(dm.Rendered(), "disk") {
		t.Errorf("the person sees the internal error: %s", dm.Rendered())
	}
	if a.p.Modal() != nil {
		t.Error("an empty form opened over a profile that could not be read")
	}
	a.types("/mentor profile")
	a.seesReply("something went wrong on our side")
}
