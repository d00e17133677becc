package mentorbot_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestPackageBorders keeps each dependency in the one package that owns it:
// only bot/ (and cmd/, which wires it) reaches Slack, only store/ writes
// SQL, only scheduler/ uses cron, only ops/ (and cmd/) reaches Prometheus,
// and the domain imports nothing but the standard library and the pure
// match package.
func TestPackageBorders(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \",\"}}|{{join .Deps \",\"}}", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	const module = "github.com/mentorbot/mentorbot"
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.Split(line, "|")
		pkg, imports, deps := strings.TrimPrefix(parts[0], module), strings.Split(parts[1], ","), strings.Split(parts[2], ",")
		edge := strings.HasPrefix(pkg, "/bot") || strings.HasPrefix(pkg, "/cmd/")
		if !edge && slices.ContainsFunc(deps, func(d string) bool { return strings.HasPrefix(d, "github.com/slack-go/") }) {
			t.Errorf("%s depends on slack-go; only bot/ may", parts[0])
		}
		// bot/ and scheduler/ tell ops what they do through their own
		// interfaces, so the metrics library stays out of them.
		if pkg != "/ops" && !strings.HasPrefix(pkg, "/cmd/") && slices.ContainsFunc(deps, func(d string) bool { return strings.HasPrefix(d, "github.com/prometheus/") }) {
			t.Errorf("%s depends on prometheus; only ops/ may", parts[0])
		}
		if pkg != "/store" && slices.Contains(imports, "database/sql") {
			t.Errorf("%s imports database/sql; only store/ may", parts[0])
		}
		if pkg != "/scheduler" && slices.Contains(imports, "github.com/robfig/cron/v3") {
			t.Errorf("%s imports cron; only scheduler/ may", parts[0])
		}
		if pkg == "" || pkg == "/match" {
			for _, imp := range imports {
				if strings.Contains(strings.Split(imp, "/")[0], ".") && imp != module+"/match" {
					t.Errorf("%s imports %s; the domain may use the standard library and match only", parts[0], imp)
				}
			}
		}
	}
}
