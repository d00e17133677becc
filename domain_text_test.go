package mentorbot_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestTheDomainWritesNoChatSyntax: the domain names people with Person and
// commands with Command, and the edge writes them in its chat's syntax, so
// no string in the root package holds a Slack mention or a slash command.
func TestTheDomainWritesNoChatSyntax(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			checked++
			for _, syntax := range []string{"<@", "/mentor "} {
				if strings.Contains(lit.Value, syntax) {
					t.Errorf("%s: %s holds %q; name people with Person and commands with Command", fset.Position(lit.Pos()), lit.Value, syntax)
				}
			}
			return true
		})
	}
	if checked == 0 {
		t.Fatal("no strings found to check")
	}
}
