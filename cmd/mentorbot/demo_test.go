package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDemoPlaysTheStoryAndShowsWhatPeopleSaw(t *testing.T) {
	var stdout, stderr bytes.Buffer
	dir := t.TempDir()
	if code := runMain(context.Background(), []string{"demo", "-out", dir}, &stdout, &stderr); code != 0 {
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

	// The HR channel saw a summary with too few answers to show, then the
	// cycle report; the files people got are written where the demo says.
	_, hr, _ := strings.Cut(out, "\nWhat the HR channel saw\n")
	for _, want := range []string{"hidden (fewer than 3 answers so far)", "Cycle report: Spring 2026"} {
		if !strings.Contains(hr, want) {
			t.Errorf("the HR channel did not show %q:\n%s", want, hr)
		}
	}
	if strings.Contains(hr, "U0GRACE") || strings.Contains(hr, "U0ADA") {
		t.Errorf("the HR channel names a person:\n%s", hr)
	}
	if !strings.Contains(out, "Files written to "+dir) {
		t.Errorf("the demo does not name its folder %s", dir)
	}
	for pattern, check := range map[string]func([]byte) error{
		"*.ics": func(b []byte) error {
			if !bytes.HasPrefix(b, []byte("BEGIN:VCALENDAR")) {
				return os.ErrInvalid
			}
			return nil
		},
		"*.png": func(b []byte) error { _, err := png.Decode(bytes.NewReader(b)); return err },
		"*.csv": func(b []byte) error { _, err := csv.NewReader(bytes.NewReader(b)).ReadAll(); return err },
	} {
		files, _ := filepath.Glob(filepath.Join(dir, pattern))
		if len(files) == 0 {
			t.Errorf("the demo wrote no %s", pattern)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err == nil {
				err = check(b)
			}
			if err != nil {
				t.Errorf("%s: %v", f, err)
			}
		}
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
