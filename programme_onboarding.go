package mentorbot

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode/utf8"
)

//go:embed onboarding.txt
var defaultOnboarding string

// Onboarding holds the texts a person reads before they can be matched,
// and the ground rules a new cycle starts with.
type Onboarding struct {
	Mentor          string // how to be a good mentor
	Mentee          string // how to be a good mentee
	Confidentiality string // the promise of privacy every participant reads
	GroundRules     string // the default ground rules of a new cycle
}

// ForRole returns the guidance for a role.
func (o Onboarding) ForRole(r Role) string {
	if r == RoleMentor {
		return o.Mentor
	}
	return o.Mentee
}

// maxOnboardingSection keeps each text within one Slack section block.
const maxOnboardingSection = 2900

// DefaultOnboarding returns the texts built into mentorbot.
func DefaultOnboarding() Onboarding {
	o, err := ParseOnboarding(defaultOnboarding)
	if err != nil {
		panic("the built-in onboarding texts are broken: " + err.Error())
	}
	return o
}

// ParseOnboarding reads onboarding texts: sections that each start with a
// line "# name", for the names mentor, mentee, confidentiality and ground
// rules. Text before the first section is a comment.
func ParseOnboarding(text string) (Onboarding, error) {
	sections := map[string]*strings.Builder{}
	var current *strings.Builder
	// Editors on Windows often start a file with a byte-order mark.
	text = strings.TrimPrefix(text, "\ufeff")
	for line := range strings.Lines(text) {
		if name, ok := strings.CutPrefix(line, "# "); ok {
			name = strings.ToLower(strings.Join(strings.Fields(name), " "))
			if sections[name] != nil {
				return Onboarding{}, fmt.Errorf("section %q appears twice", name)
			}
			current = &strings.Builder{}
			sections[name] = current
			continue
		}
		if current != nil {
			current.WriteString(line)
		}
	}
	var o Onboarding
	for _, s := range []struct {
		name string
		dst  *string
	}{
		{"mentor", &o.Mentor}, {"mentee", &o.Mentee},
		{"confidentiality", &o.Confidentiality}, {"ground rules", &o.GroundRules},
	} {
		b := sections[s.name]
		if b == nil || strings.TrimSpace(b.String()) == "" {
			return Onboarding{}, fmt.Errorf("section \"# %s\" is missing or empty", s.name)
		}
		*s.dst = strings.TrimSpace(b.String())
		if n := utf8.RuneCountInString(*s.dst); n > maxOnboardingSection {
			return Onboarding{}, fmt.Errorf("section %q has %d characters; Slack shows at most %d", s.name, n, maxOnboardingSection)
		}
		delete(sections, s.name)
	}
	for name := range sections {
		return Onboarding{}, fmt.Errorf("unknown section %q: the sections are mentor, mentee, confidentiality and ground rules", name)
	}
	if n := utf8.RuneCountInString(o.GroundRules); n > MaxGroundRulesChars {
		return Onboarding{}, fmt.Errorf("the ground rules have %d characters; a cycle holds at most %d", n, MaxGroundRulesChars)
	}
	return o, nil
}
