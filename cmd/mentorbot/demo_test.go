package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestDemoPlaysTheStoryAndShowsWhatPeopleSaw(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), []string{"demo"}, &stdout, &stderr); code != 0 {
		t.Fatalf("demo exited %d: %s\n%s", code, stderr.String(), stdout.String())
	}
	out := stdout.String()
	// What each person saw, in their own part of the transcript.
	for _, person := range []struct {
		name string
		saw  []string
	}{
		{"Hope Adeyemi", []string{
			"*No cycle is open.*",
			"end on Mon 13 Apr 2026 or later", // her mistake, shown next to the field
			"*Spring 2026* runs from Mon 16 Mar 2026 to Fri 26 Jun 2026, with 45-minute sessions every two weeks",
			"*Screening queue* (2 waiting, longest first)",
			"<@U0ADA> is approved.",
			"<@U0RAVI>'s application is declined for this cycle. They've been told kindly",
			"*Ready to match*\n      2", // the counts on her Home tab at the end
			"*Declined*\n      1",
			"No applications are waiting.",
		}},
		{"Ada Osei", []string{
			`"after" isn't a day`, // her mistake, shown next to the field
			"Welcome to reverse mentoring",
			"Your application to mentor is with HR",
			"Your profile is updated", // her edit
			"No-code tools (comfortable)",
			"# You're approved to mentor",
			">Thank you for applying!", // Hope's note
			"== How to mentor well ==",
			"Thank you! You're ready to be matched",
			"*Your goals for Spring 2026*\n      1. Show my mentee how our customers find us on TikTok",
			"every other Tuesday, 13:00–13:45 your time (09:00–09:45 New York time)",
			"*Your session with <@U0GRACE> is tomorrow: Tue 17 Mar, 13:00–13:45*",
			"Moved: your session with <@U0GRACE> is now Wed 18 Mar, 14:00–14:45.",
			"*Your session with <@U0GRACE> is in an hour: Wed 18 Mar, 14:00–14:45*",
		}},
		{"Grace Lindqvist", []string{
			"read the short onboarding for mentees",
			"I don't know `/mentor schedule`",
			"Only the programme's admins can", // she tried /mentor screen
			"== How to learn well ==",
			"Thank you! You're ready to be matched",
			"*Your goals for Spring 2026*\n      1. Use an AI assistant to draft my board updates",
			"2. Understand what our customers see of us on social media",
			"You're paused until Mon 16 Mar 2026",
			"Your break ended today",
			// Her sessions, in her own time: offered, booked, nudged, moved by
			// Ada, nudged again and checked.
			"*every other Tuesday, 09:00–09:45*",
			"[file from mentorbot] 📎 mentoring-",
			"are booked: every other Tuesday, 09:00–09:45, from Tue 17 Mar 2026 to Fri 26 Jun 2026",
			"*Your session with <@U0ADA> is tomorrow: Tue 17 Mar, 09:00–09:45*",
			"*Agenda: your goals*\n      • Use an AI assistant to draft my board updates",
			"*<@U0ADA> moved your session of Tue 17 Mar, 09:00 to Wed 18 Mar, 10:00–10:45.*",
			"Your sessions with <@U0ADA> changed. Open the attached update",
			"*Your session with <@U0ADA> is in an hour: Wed 18 Mar, 10:00–10:45*",
			"*Did your session with <@U0ADA> happen? Wed 18 Mar, 10:00–10:45*",
			"on Wed 18 Mar, 10:00–10:45 happened.",
		}},
		{"Ravi Menon", []string{
			"Data visualisation (expert)",
			"HR hasn't approved your application in this cycle",
			">Thank you, Ravi.", // Hope's note
			"This isn't a judgement of you",
		}},
	} {
		saw := transcriptOf(out, person.name)
		if saw == "" {
			t.Errorf("the demo output has no transcript for %s:\n%s", person.name, out)
			continue
		}
		for _, want := range person.saw {
			if !strings.Contains(saw, want) {
				t.Errorf("%s's transcript does not show %q", person.name, want)
			}
		}
	}
	if strings.Contains(transcriptOf(out, "Ravi Menon"), "How to mentor well") {
		t.Error("Ravi was declined but was still shown the mentor onboarding")
	}
	if strings.Contains(out, "Slack would have refused") {
		t.Errorf("the demo broke Slack's rules:\n%s", out)
	}
}

// transcriptOf returns the part of the demo's output that shows what one
// person saw, or "".
func transcriptOf(out, name string) string {
	_, rest, found := strings.Cut(out, "\n=== "+name+" ")
	if !found {
		return ""
	}
	section, _, _ := strings.Cut(rest, "\n=== ")
	return section
}
