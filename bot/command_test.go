package bot_test

import (
	"strings"
	"testing"
)

// seesReply waits for the newest message only this person sees in reply to
// a command.
func (p *person) seesReply(text string) string {
	p.w.t.Helper()
	var last string
	err := p.w.slack.WaitUntil(p.w.ctx(), func() bool {
		es := p.p.Ephemerals()
		if len(es) == 0 {
			return false
		}
		last = es[len(es)-1].Rendered()
		return strings.Contains(last, text)
	})
	if err != nil {
		p.w.t.Fatalf("%s never saw a reply saying %q; last reply:\n%s", p.p.ID(), text, last)
	}
	return last
}

func TestHelp(t *testing.T) {
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
	w := newWorld(t)
	a := w.person(ada)
	a.types("/mentor dance")
	reply := a.seesReply("I don't know `/mentor dance`")
	if !strings.Contains(reply, "/mentor join") {
		t.Errorf("the reply does not say what the bot can do:\n%s", reply)
	}
}

func TestProfile(t *testing.T) {
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
