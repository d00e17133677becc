package mentorbot

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDefaultOnboarding(t *testing.T) {
	o := DefaultOnboarding()
	for name, text := range map[string]string{"mentor": o.Mentor, "mentee": o.Mentee, "confidentiality": o.Confidentiality, "ground rules": o.GroundRules} {
		if strings.TrimSpace(text) == "" {
			t.Errorf("the %s text is empty", name)
		}
		if n := utf8.RuneCountInString(text); n > maxOnboardingSection {
			t.Errorf("the %s text has %d characters; a Slack section holds %d", name, n, maxOnboardingSection)
		}
	}
	for _, say := range []string{"patien", "example"} {
		if !strings.Contains(strings.ToLower(o.Mentor), say) {
			t.Errorf("the mentor text does not mention %q", say)
		}
	}
	for _, say := range []string{"feedback", "open-minded"} {
		if !strings.Contains(strings.ToLower(o.Mentee), say) {
			t.Errorf("the mentee text does not mention %q", say)
		}
	}
	if n := utf8.RuneCountInString(o.GroundRules); n < MinGroundRulesChars || n > MaxGroundRulesChars {
		t.Errorf("the default ground rules have %d characters; a cycle takes %d to %d", n, MinGroundRulesChars, MaxGroundRulesChars)
	}
	if strings.Contains(o.Mentor, "# ") || strings.Contains(o.Mentee, "This file holds") {
		t.Errorf("a section swallowed a header or the preamble: %q", o.Mentor)
	}
}

func TestOnboardingForRole(t *testing.T) {
	o := Onboarding{Mentor: "teach", Mentee: "learn", Confidentiality: "private", GroundRules: "rules"}
	if got := o.ForRole(RoleMentor); got != "teach" {
		t.Errorf("ForRole(mentor) = %q, want the mentor text", got)
	}
	if got := o.ForRole(RoleMentee); got != "learn" {
		t.Errorf("ForRole(mentee) = %q, want the mentee text", got)
	}
}

// onboardingText writes an onboarding file with the given sections, in order.
func onboardingText(sections ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(sections); i += 2 {
		fmt.Fprintf(&b, "# %s\n%s\n\n", sections[i], sections[i+1])
	}
	return b.String()
}

func TestParseOnboarding(t *testing.T) {
	// A byte-order mark, as editors on Windows write, and doubled spaces in
	// a section's name are forgiven.
	text := "\ufeff# mentee\nAsk for feedback.\n# Ground  Rules\n1. Keep what is said in the pair.\n" +
		"# confidentiality\nWhat you say stays private.\n# mentor\nBe patient.\n"
	if o, err := ParseOnboarding(text); err != nil || o.Mentee != "Ask for feedback." || o.GroundRules == "" {
		t.Fatalf("a file with a byte-order mark: %+v, %v", o, err)
	}
	text = "A comment about this file.\nIt names # mentor but only at the start of a line is it a section.\n\n" +
		"# Mentor\n\n  Be patient.\nShow examples.  \n\n" +
		"#  MENTEE \r\nAsk for feedback.\r\n" +
		"# confidentiality\nWhat you say stays private.\n" +
		"# Ground Rules\n1. Keep what is said in the pair.\n#not a header\n"
	o, err := ParseOnboarding(text)
	if err != nil {
		t.Fatal(err)
	}
	want := Onboarding{
		Mentor:          "Be patient.\nShow examples.",
		Mentee:          "Ask for feedback.",
		Confidentiality: "What you say stays private.",
		GroundRules:     "1. Keep what is said in the pair.\n#not a header",
	}
	if o != want {
		t.Fatalf("ParseOnboarding = %+v, want %+v", o, want)
	}
}

func TestParseOnboardingLongestSection(t *testing.T) {
	longest := strings.Repeat("é", maxOnboardingSection)
	o, err := ParseOnboarding(onboardingText("mentor", longest, "mentee", "learn", "confidentiality", "private", "ground rules", strings.Repeat("r", MaxGroundRulesChars)))
	if err != nil {
		t.Fatalf("sections at their limits refused: %v", err)
	}
	if o.Mentor != longest {
		t.Fatalf("the mentor text has %d characters, want %d", utf8.RuneCountInString(o.Mentor), maxOnboardingSection)
	}
}

func TestParseOnboardingRejects(t *testing.T) {
	tests := []struct {
		name, text, says string
	}{
		{"empty file", "", `"# mentor" is missing`},
		{"only a preamble", "Texts go below.\n", `"# mentor" is missing`},
		{"missing section", onboardingText("mentor", "teach", "mentee", "learn", "ground rules", "rules"), `"# confidentiality" is missing`},
		{"empty section", onboardingText("mentor", "teach", "mentee", " \n ", "confidentiality", "private", "ground rules", "rules"), `"# mentee" is missing or empty`},
		{"duplicated section", onboardingText("mentor", "teach", "mentee", "learn", "confidentiality", "private", "ground rules", "rules", "mentor", "again"), `"mentor" appears twice`},
		{"duplicated section in another case", onboardingText("mentor", "teach", "Mentor", "again"), `"mentor" appears twice`},
		{"unknown section", onboardingText("mentor", "teach", "mentee", "learn", "confidentiality", "private", "ground rules", "rules", "faq", "questions"), `unknown section "faq"`},
		{"section over the size limit", onboardingText("mentor", strings.Repeat("m", maxOnboardingSection+1), "mentee", "learn", "confidentiality", "private", "ground rules", "rules"), `"mentor" has 2901 characters`},
		{"ground rules over a cycle's limit", onboardingText("mentor", "teach", "mentee", "learn", "confidentiality", "private", "ground rules", strings.Repeat("r", MaxGroundRulesChars+1)), "a cycle holds at most 2500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseOnboarding(tt.text)
			if err == nil || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("ParseOnboarding: err %v, want one saying %q", err, tt.says)
			}
		})
	}
}
