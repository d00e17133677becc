package bot

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"go.yaml.in/yaml/v3"
)

// TestManifestMatchesTheCode decodes manifest.yml strictly and checks it
// declares what the router answers and asks for exactly the scopes the
// Web API calls need: no fewer (calls would fail), no more (admins are
// right to refuse apps that ask for more than they use).
func TestManifestMatchesTheCode(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../manifest.yml")
	if err != nil {
		t.Fatal(err)
	}
	var m slack.Manifest
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("manifest.yml does not decode into slack.Manifest: %v", err)
	}

	if !m.Settings.SocketModeEnabled {
		t.Error("Socket Mode is off")
	}
	if m.Settings.Interactivity == nil || !m.Settings.Interactivity.IsEnabled {
		t.Error("interactivity is off, so buttons and modals would not reach the bot")
	}
	if !m.Features.AppHome.HomeTabEnabled {
		t.Error("the App Home tab is off")
	}
	if m.Features.BotUser.DisplayName == "" {
		t.Error("no bot user")
	}
	if n := len(m.Display.LongDescription); n != 0 && (n < 175 || n > 4000) {
		t.Errorf("long_description has %d characters; Slack wants 175 to 4000", n)
	}

	routes := (&Bot{}).routeTable()
	var declared []string
	for _, c := range m.Features.SlashCommands {
		declared = append(declared, c.Command)
		if _, ok := routes.commands[c.Command]; !ok {
			t.Errorf("manifest declares %s but no handler answers it", c.Command)
		}
	}
	for command := range routes.commands {
		if !slices.Contains(declared, command) {
			t.Errorf("the router answers %s but the manifest does not declare it", command)
		}
	}

	var events []string
	if m.Settings.EventSubscriptions != nil {
		events = m.Settings.EventSubscriptions.BotEvents
	}
	var routed []string
	for e := range routes.events {
		routed = append(routed, e)
	}
	if !sameSet(events, routed) {
		t.Errorf("manifest subscribes to %v, the router handles %v", events, routed)
	}

	want := []string{"commands"} // slash commands need it; no Web API method does
	for _, scope := range methodScopes {
		if scope != "" && !slices.Contains(want, scope) {
			want = append(want, scope)
		}
	}
	if !sameSet(m.OAuthConfig.Scopes.Bot, want) {
		t.Errorf("manifest asks for bot scopes %v; the code needs exactly %v", m.OAuthConfig.Scopes.Bot, want)
	}

	// The usage hint should name every subcommand a person can type.
	for _, sc := range (&Bot{}).subcommands() {
		if !strings.Contains(m.Features.SlashCommands[0].UsageHint, sc.name) {
			t.Errorf("usage hint %q does not mention %s", m.Features.SlashCommands[0].UsageHint, sc.name)
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}
