package bot_test

import (
	"strings"
	"testing"
)

func TestHelp(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.person(ada)
	for _, typed := range []string{"/mentor help", "/mentor", "/mentor HELP"} {
		a.types(typed)
		reply := a.seesReply("reverse-mentoring programme")
		for _, want := range []string{"/mentor join", "/mentor profile", "/mentor help"} {
			if !strings.Contains(reply, want) {
				t.Errorf("%s: help does not list %s:\n%s", typed, want, reply)
			}
		}
	}
	if n := len(w.slack.Calls("chat.postEphemeral")); n != 0 {
		t.Errorf("help was posted with chat.postEphemeral %d times; it belongs in the acknowledgement", n)
	}
}

func TestUnknownSubcommandGetsAHelpfulReply(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.person(ada)
	a.types("/mentor dance")
	reply := a.seesReply("I don't know `/mentor dance`")
	if !strings.Contains(reply, "/mentor join") {
		t.Errorf("the reply does not say what the bot can do:\n%s", reply)
	}
}

func TestProfile(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.person(ada)
	a.types("/mentor profile")
	a.seesReply("You haven't joined the programme yet")

	a.join(adaStep1, adaStep2)
	a.types("/mentor profile")
	reply := a.seesReply("Your mentorbot profile")
	for _, want := range []string{"Customer Support", "Social media (strong)", "Only you can see this"} {
		if !strings.Contains(reply, want) {
			t.Errorf("the profile does not show %q:\n%s", want, reply)
		}
	}
	// Nobody else sees it.
	if es := w.person(grace).p.Ephemerals(); len(es) != 0 {
		t.Errorf("Grace sees %d replies meant for Ada", len(es))
	}
}

func TestHomeTab(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.person(ada)
	a.opensHome()
	a.seesHome("Join the programme")

	a.clicks("join_open")
	a.seesModal("Join mentorbot")
	a.submits(adaStep1)
	a.seesModal("Your topics")
	a.submits(adaStep2)
	a.seesHome("Your application to mentor is with HR")

	a.opensHome()
	a.seesHome("Customer Support")
	a.clicks("join_open")
	a.seesModal("Edit your profile")
}

func TestEditProfileFromTheWelcomeDM(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.person(ada)
	a.join(adaStep1, adaStep2)
	a.seesDM("Welcome")
	if _, err := a.p.ClicksIn(w.ctx(), "profile_actions", "join_open"); err != nil {
		t.Fatal(err)
	}
	step1 := a.seesModal("Edit your profile")
	if !strings.Contains(step1.Rendered(), "Customer Support") {
		t.Errorf("the form opened from the DM is not filled in:\n%s", step1.Rendered())
	}
}
