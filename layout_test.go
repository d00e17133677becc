package mentorbot_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/mentorbot/mentorbot"

// listed is what go list tells of one of the module's packages.
type listed struct {
	ImportPath   string
	Imports      []string // of its code
	Deps         []string // of its code, all the way down
	TestImports  []string // of its in-package tests
	XTestImports []string // of its _test package
}

// rel is the package's path inside the module: "" for the domain, "/bot"
// and so on.
func (p listed) rel() string { return strings.TrimPrefix(p.ImportPath, module) }

// border keeps one dependency in the packages that own it.
type border struct {
	name string
	// lib tells whether an import path is the dependency.
	lib func(path string) bool
	// deep rules count what a package's code depends on through others,
	// not only what it imports itself.
	deep bool
	// code and tests say which packages' code, and which packages' tests,
	// may import it (tests are checked for direct imports only).
	code, tests func(pkg string) bool
	why         string
}

// under matches root and the packages inside it.
func under(root string) func(string) bool {
	return func(path string) bool { return path == root || strings.HasPrefix(path, root+"/") }
}

// in allows the packages named (as paths in the module) and those inside
// them.
func in(pkgs ...string) func(string) bool {
	return func(pkg string) bool {
		return slices.ContainsFunc(pkgs, func(p string) bool { return under(p)(pkg) })
	}
}

func nowhere(string) bool { return false }

// borders are the rules TestPackageBorders holds the module to.
var borders = []border{
	{
		name: "slack-go", lib: under("github.com/slack-go/slack"), deep: true,
		code: in("/bot", "/app", "/cmd"), tests: in("/bot", "/cmd"),
		why: "only bot/ reaches Slack; app/ wires it in, and cmd/ starts the app",
	},
	{
		name: "prometheus", lib: under("github.com/prometheus"), deep: true,
		code: in("/ops", "/app", "/cmd"), tests: in("/ops", "/cmd"),
		why: "bot/ and scheduler/ tell ops what they do through their own interfaces",
	},
	{
		name: "database/sql", lib: under("database/sql"),
		code: in("/store"), tests: in("/store", "/bot"),
		why: "only store/ writes SQL; bot/'s tests look at what was stored behind the bot's back",
	},
	{
		name: "cron", lib: under("github.com/robfig/cron"),
		code: in("/scheduler"), tests: in("/scheduler"),
		why: "only scheduler/ times work",
	},
	{
		name: "golang-ical", lib: under("github.com/arran4/golang-ical"),
		code: in("/scheduler"), tests: in("/scheduler", "/bot"),
		why: "only scheduler/ writes calendar invites; bot/'s tests read the invites a person is sent",
	},
	{
		name: "Google's Calendar API and OAuth", lib: func(path string) bool {
			return under("google.golang.org/api")(path) || under("golang.org/x/oauth2")(path)
		},
		code: in("/calendar"), tests: in("/calendar"),
		why: "only calendar/ talks to Google and Microsoft, so their credentials and wire formats stay there",
	},
	{
		name: "go-analyze/charts", lib: under("github.com/go-analyze/charts"),
		code: in("/chart"), tests: in("/chart"),
		why: "only chart/ draws, so changing the charting library touches nothing else",
	},
	{
		name: "rrule-go", lib: under("github.com/teambition/rrule-go"),
		code: nowhere, tests: in("/scheduler"),
		why: "it checks scheduler/'s invites from outside; nothing runs on it",
	},
	{
		name: "gorilla/websocket", lib: under("github.com/gorilla/websocket"),
		code: in("/bot/fakeslack"), tests: in("/bot/fakeslack"),
		why: "only the fake Slack serves a socket; the real one comes through slack-go",
	},
	{
		name: "the domain's imports",
		lib: func(path string) bool {
			return strings.Contains(strings.Split(path, "/")[0], ".") && path != module+"/match"
		},
		code:  func(pkg string) bool { return pkg != "" && pkg != "/match" },
		tests: func(string) bool { return true },
		why:   "the domain and match use the standard library and match only",
	},
}

// TestPackageBorders keeps each dependency in the one package that owns
// it (see borders). A rule whose library nothing imports fails too: it
// would pass whatever happened, as when a library is renamed or replaced.
func TestPackageBorders(t *testing.T) {
	pkgs := listPackages(t)
	for _, b := range borders {
		t.Run(b.name, func(t *testing.T) {
			for _, err := range crossings(b, pkgs) {
				t.Error(err)
			}
			if !used(b, pkgs) {
				t.Errorf("no package imports %s: the rule checks nothing", b.name)
			}
		})
	}
}

// crossings lists each package that reaches b's library where b does not
// allow it.
func crossings(b border, pkgs []listed) []error {
	var errs []error
	for _, p := range pkgs {
		code, verb := p.Imports, " imports "
		if b.deep {
			code, verb = p.Deps, " depends on "
		}
		if i := slices.IndexFunc(code, b.lib); i >= 0 && !b.code(p.rel()) {
			errs = append(errs, errors.New(p.ImportPath+verb+code[i]+": "+b.why))
		}
		tests := slices.Concat(p.TestImports, p.XTestImports)
		if i := slices.IndexFunc(tests, b.lib); i >= 0 && !b.code(p.rel()) && !b.tests(p.rel()) {
			errs = append(errs, errors.New(p.ImportPath+"'s tests import "+tests[i]+": "+b.why))
		}
	}
	return errs
}

// used tells whether any package's code or tests import b's library.
func used(b border, pkgs []listed) bool {
	return slices.ContainsFunc(pkgs, func(p listed) bool {
		return slices.ContainsFunc(slices.Concat(p.Imports, p.TestImports, p.XTestImports), b.lib)
	})
}

func listPackages(t *testing.T) []listed {
	t.Helper()
	out, err := exec.Command("go", "list", "-json=ImportPath,Imports,Deps,TestImports,XTestImports", "./...").Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			t.Fatalf("go list: %v\n%s", err, exit.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	var pkgs []listed
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) == 0 {
		t.Fatal("go list found no packages")
	}
	return pkgs
}
