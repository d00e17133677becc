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
	for _, want := range []string{
		"=== Ada Osei",
		`"after" isn't a day`,          // Ada's mistake, shown next to the field
		"Welcome to reverse mentoring", // her DM once fixed
		"Your application to mentor is with HR",
		"=== Grace Lindqvist",
		"read the short onboarding for mentees",
		"I don't know `/mentor schedule`",
		"=== Ravi Menon",
		"Data visualisation (expert)",
		"Your profile is updated", // Ada's edit
		"No-code tools (comfortable)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the demo output does not show %q", want)
		}
	}
	if strings.Contains(out, "Slack would have refused") {
		t.Errorf("the demo broke Slack's rules:\n%s", out)
	}
}
