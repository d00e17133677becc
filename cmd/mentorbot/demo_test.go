package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// runDemo runs `mentorbot demo` with args, writing its files to a new
// folder, and returns what it printed and the folder.
func runDemo(t *testing.T, args ...string) (string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	dir := t.TempDir()
	if code := runMain(context.Background(), append([]string{"demo", "-out", dir}, args...), &stdout, &stderr); code != 0 {
		t.Fatalf("demo %v exited %d: %s\n%s", args, code, stderr.String(), stdout.String())
	}
	out := stdout.String()
	if strings.Contains(out, "Slack would have refused") {
		t.Errorf("the demo broke Slack's rules:\n%s", out)
	}
	if !strings.Contains(out, "Files written to "+dir) {
		t.Errorf("the demo does not name its folder %s", dir)
	}
	return out, dir
}

func TestDemoPlaysTheWholeCycle(t *testing.T) {
	t.Parallel() // each demo has its own fake Slack and bot; side by side they use both cores
	out, dir := runDemo(t, "-seed", "7")
	if got := strings.Count(out, "\n=== "); got != 20 {
		t.Errorf("the demo shows what %d people saw, want the default 20", got)
	}

	// The named cast plays the story as written, each in their own part
	// of the transcript.
	for _, person := range []struct {
		name string
		saw  []string
	}{
		{"Hope Adeyemi", []string{
			"end on Mon 13 Apr 2026 or later", // her mistake, shown next to the field
			"*Spring 2026* runs from Mon 16 Mar 2026 to Fri 26 Jun 2026, with 45-minute sessions every two weeks",
			"@Ada Osei is approved.",
			"@Ravi Menon's application is declined for this cycle. They'll get a kind DM with your note",
			"== Matching draft ==",
			"== Round published ==",
			"# A pair may need a hand",
			"[clicked] [Nudge them]",
			"nudged the pair.",
			"Here's the programme's export",
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
			"Saved. Your goals for this cycle:\n      • Show my mentee how our customers find us on TikTok",
			"every other Tuesday, 13:00–13:45 your time (09:00–09:45 New York time)",
			"*Your session with @Grace Lindqvist is tomorrow: Tue 17 Mar, 13:00–13:45*",
			"Moved: your session with @Grace Lindqvist is now Wed 18 Mar, 14:00–14:45.",
			"*Your session with @Grace Lindqvist is in an hour: Wed 18 Mar, 14:00–14:45*",
			// A teach-in: full, so she waits, and moves up when Lena gives up her place.
			"is full, so you're number 1 on its waiting list",
			"A place opened up and it's yours: *AI assistants for month-end*",
			"📎 teach-in-1.ics",
		}},
		{"Grace Lindqvist", []string{
			"read the short onboarding for mentees",
			"I don't know `/mentor schedule`",
			"Only the programme's admins can", // she tried /mentor screen
			"== How to learn well ==",
			"Saved. Your goals for this cycle:\n      • Use an AI assistant to draft my board updates",
			"You're paused until Mon 16 Mar 2026",
			"Your break ended today",
			"Meet your match: @Sam Okafor",
			"== Match declined ==",
			"Meet your match: @Ada Osei", // matched again at once
			// Her sessions, in her own time: offered, booked, nudged, moved by
			// Ada, nudged again and checked.
			"*every other Tuesday, 09:00–09:45*",
			"[file from mentorbot] 📎 mentoring-",
			"are booked: every other Tuesday, 09:00–09:45, from Tue 17 Mar 2026 to Fri 26 Jun 2026",
			"*Your session with @Ada Osei is tomorrow: Tue 17 Mar, 09:00–09:45*",
			"*Agenda: your goals*\n      • Use an AI assistant to draft my board updates",
			"*@Ada Osei moved your session of Tue 17 Mar, 09:00 to Wed 18 Mar, 10:00–10:45.*",
			"Your sessions with @Ada Osei changed. Open the attached update",
			"*Your session with @Ada Osei is in an hour: Wed 18 Mar, 10:00–10:45*",
			"*Did your session with @Ada Osei happen? Wed 18 Mar, 10:00–10:45*",
			"on Wed 18 Mar, 10:00–10:45 happened.",
			"Thank you, that's all.",
			"# Thank you for taking part",
			"You're in for the next cycle",
		}},
		{"Ravi Menon", []string{
			"Data visualisation (expert)",
			"HR hasn't approved your application in this cycle",
			">Thank you, Ravi.", // Hope's note
			"This isn't a judgement of you",
		}},
		{"Sam Okafor", []string{"can't go ahead after all", "You cancelled *Prompts that work*"}},
		{"Kim Weber", []string{"*AI assistants for month-end* is on: Tue 24 Mar, 13:00–14:00 (Berlin time)",
			"Coming up: *AI assistants for month-end*"}},
		{"Lena Brandt", []string{"A teach-in on a topic you want to learn, at a time you're free", "You're in: *AI assistants for month-end*",
			"You've given up your place", "*Prompts that work* is cancelled: @Sam Okafor had to call it off"}},
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

	// The simulated people go through the same cycle; one pair stops
	// meeting and hears a friendly nudge, never that it was flagged.
	atRisk := regexp.MustCompile(`; (.+) and (.+) say neither of their sessions happened`).FindStringSubmatch(out)
	if atRisk == nil {
		t.Fatalf("the story names no pair that stopped meeting:\n%s", out)
	}
	for _, name := range atRisk[1:] {
		saw := transcriptOf(out, name)
		for _, want := range []string{"Meet your match", "[file from mentorbot] 📎 mentoring-", "is tomorrow:", "is in an hour:",
			"didn't happen.", "It's been a little while since you and", "# Thank you for taking part"} {
			if !strings.Contains(saw, want) {
				t.Errorf("%s's transcript does not show %q", name, want)
			}
		}
		if strings.Contains(saw, "may need a hand") {
			t.Errorf("%s was told their pair was flagged", name)
		}
	}
	if held := strings.Count(out, "happened.\n"); held < 10 {
		t.Errorf("only %d answers said a session happened", held)
	}

	// The HR channel saw figures only once they rest on 3 answers, and
	// never a name; the files people got are written where the demo says.
	_, hr, _ := strings.Cut(out, "\nWhat the HR channel saw\n")
	hr, kudos, _ := strings.Cut(hr, "\nWhat the #kudos channel saw\n")
	for _, want := range []string{"Programme summary: Spring 2026", "*How useful sessions were:* ", " / 5 from ", "*Pairs that may need a hand:* ", "Cycle report: Spring 2026",
		"*What mentors brought*", "• Introduce new technologies: by their partners ", "*What mentees brought*",
		"*Where demand outruns supply*", "1 mentee wants *AI assistants at work*; no approved mentor teaches it"} {
		if !strings.Contains(hr, want) {
			t.Errorf("the HR channel did not show %q:\n%s", want, hr)
		}
	}
	if strings.Contains(hr, "<@U") || strings.Contains(hr, "@") {
		t.Errorf("the HR channel names a person:\n%s", hr)
	}
	// One thank-you both agreed to is posted; the one Lena said no to is not.
	if !strings.Contains(kudos, "A thank-you from @Ada Osei to @Grace Lindqvist") || strings.Count(kudos, "🎉") != 1 || strings.Contains(kudos, "Lena") {
		t.Errorf("#kudos should hold Ada's thank-you alone:\n%s", kudos)
	}
	for _, tc := range []struct{ name, saw string }{
		{"Grace Lindqvist", "*Your self-ratings, halfway → now*"},
		{"Lena Brandt", "Saying no is just as fine"},
		{"Lena Brandt", "stays between you and @Kim Weber; it won't be posted"},
		{"Kim Weber", "won't be posted: it stays between you two"},
		{"Hope Adeyemi", "⚠️ • *AI assistants at work*: 1 want it (1 waiting) · 0 approved mentors"},
	} {
		if !strings.Contains(transcriptOf(out, tc.name), tc.saw) {
			t.Errorf("%s's transcript does not show %q", tc.name, tc.saw)
		}
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

func TestDemoWithTheSameSeedPlaysTheSameDemo(t *testing.T) {
	t.Parallel()
	first, firstDir := runDemo(t, "-people", "9", "-seed", "3")
	again, againDir := runDemo(t, "-people", "9", "-seed", "3")
	first, again = strings.ReplaceAll(first, firstDir, "DIR"), strings.ReplaceAll(again, againDir, "DIR")
	if first != again {
		t.Errorf("the same seed played differently:\n%s", lineDiff(first, again))
	}
	if got := strings.Count(first, "\n=== "); got != 9 {
		t.Errorf("the demo shows what %d people saw, want 9", got)
	}
	// One simulated pair, the one that stops meeting: the named pair's two
	// answers are too few for the summary to show a figure.
	for _, want := range []string{"say neither of their sessions happened", "[clicked] [Nudge them]", "hidden (fewer than 3 answers so far)"} {
		if !strings.Contains(first, want) {
			t.Errorf("the demo did not show %q", want)
		}
	}
}

func TestDemoRefusesASizeWithoutTheCast(t *testing.T) {
	for _, size := range []string{"6", "201"} {
		var stdout, stderr bytes.Buffer
		if code := runMain(context.Background(), []string{"demo", "-people", size}, &stdout, &stderr); code != 2 {
			t.Errorf("demo -people %s exited %d, want 2: %s", size, code, stderr.String())
		}
		if !strings.Contains(stderr.String(), "-people "+size) {
			t.Errorf("demo -people %s says %q, not what is wrong", size, stderr.String())
		}
	}
}

// lineDiff shows the first line where two outputs differ, with a little
// context.
func lineDiff(a, b string) string {
	as, bs := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(as), len(bs)) {
		if as[i] != bs[i] {
			from := max(i-3, 0)
			return fmt.Sprintf("line %d:\n%s\n---\n%s", i+1, strings.Join(as[from:min(i+3, len(as))], "\n"), strings.Join(bs[from:min(i+3, len(bs))], "\n"))
		}
	}
	return "one output is longer than the other"
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

// TestDemoShowsTypedMarkupAsText plays the whole cycle with everyone adding
// Slack markup to what they write. The fake Slack fails the demo on any
// live broadcast, or any live mention, channel or link a person typed;
// the transcripts show the markup as the words typed.
func TestDemoShowsTypedMarkupAsText(t *testing.T) {
	t.Parallel()
	out, _ := runDemo(t, "-mischief", "-people", "10")
	for _, typed := range []string{
		"Customer Support <!channel> <!here> <@U0EVIL> <#C0EVIL>",                   // Ada's department, on her profile
		">I grew our support TikTok from zero to 40k followers. <!channel> <!here>", // her sentence, in Grace's introduction
		"*Spring 2026 <!channel> <!here> <@U0EVIL> <#C0EVIL> *bold** runs from",     // the cycle's name, to Hope
		"to your partner first, or to HR. <!channel> <!here> <@U0EVIL>",             // the ground rules
		"<https://evil.example|click> & <!everyone>",                                // a disguised link, shown as typed
	} {
		if !strings.Contains(out, typed) {
			t.Errorf("no transcript shows %q as typed", typed)
		}
	}
}

// With -calendar the story's sessions land in a fake calendar service
// instead of .ics files: the series in Grace's calendar with Ada invited,
// the moved session moved there.
func TestDemoWritesToTheFakeCalendars(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ kind, name string }{{"google", "Google Calendar"}, {"microsoft", "Outlook"}} {
		t.Run(tc.kind, func(t *testing.T) {
			t.Parallel()
			out, _ := runDemo(t, "-people", "7", "-calendar", tc.kind)
			for _, want := range []string{
				"They're in your " + tc.name + " as a private event",
				tc.name + " shows it free in both your calendars for the first 4 weeks",
				"What the calendars hold (" + tc.name + ")",
				`Grace Lindqvist's calendar: "Mentoring session" (private)`,
				"Ada Osei invited; Tue 17 Mar moved to Wed 18 Mar 10:00",
				`Ada Osei's calendar: invited by Grace Lindqvist to "Mentoring session"`,
			} {
				if !strings.Contains(out, want) {
					t.Errorf("the demo does not show %q", want)
				}
			}
			// A teach-in's invite is still a file; a pair's never is.
			if regexp.MustCompile(`mentoring-\d+\.ics \(text/calendar`).MatchString(out) {
				t.Error("the demo still wrote a pair's .ics invite")
			}
		})
	}
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), []string{"demo", "-calendar", "outlook"}, &stdout, &stderr); code != 2 {
		t.Errorf("-calendar outlook exited %d, want 2: %s", code, stderr.String())
	}
}
