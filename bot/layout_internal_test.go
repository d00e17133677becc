package bot

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// vocabularyFiles hold the builders every feature shares (see the package
// doc): the only files outside the _messages ones that may build messages.
var vocabularyFiles = map[string]bool{"blocks.go": true, "text.go": true}

// builderResults are the result types that make a function a builder.
var builderResults = map[string]bool{"message": true, "slack.ModalViewRequest": true, "[]slack.Block": true}

// builderSuffixes are the names a builder goes by.
var builderSuffixes = []string{"Modal", "Message", "Text", "Blocks"}

// isBuilder tells whether a declaration builds something a person reads:
// a plain function named as a builder or returning one's result.
func isBuilder(fn *ast.FuncDecl) bool {
	if fn.Recv != nil {
		return false // a method on the bot is a handler
	}
	for _, suffix := range builderSuffixes {
		if strings.HasSuffix(fn.Name.Name, suffix) {
			return true
		}
	}
	if fn.Type.Results == nil || len(fn.Type.Results.List) != 1 {
		return false
	}
	return builderResults[typeString(fn.Type.Results.List[0].Type)]
}

func typeString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return typeString(e.X) + "." + e.Sel.Name
	case *ast.ArrayType:
		if e.Len == nil {
			return "[]" + typeString(e.Elt)
		}
	case *ast.StarExpr:
		return "*" + typeString(e.X)
	}
	return ""
}

// TestFeatureLayout holds the package to its layout: a feature's handlers
// in <feature>.go, its builders in <feature>_messages.go beside it.
func TestFeatureLayout(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	present := map[string]bool{}
	for _, name := range files {
		present[name] = true
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		feature, isMessages := strings.CutSuffix(name, "_messages.go")
		if isMessages && !present[feature+".go"] {
			t.Errorf("%s has no %s.go beside it to hold the feature's handlers", name, feature)
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		if isMessages || vocabularyFiles[name] {
			continue
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && isBuilder(fn) {
				t.Errorf("%s: builder %s belongs in %s_messages.go, or in blocks.go or text.go when features share it",
					fset.Position(fn.Pos()), fn.Name.Name, strings.TrimSuffix(name, ".go"))
			}
		}
	}
}

// TestIsBuilder keeps the layout test's notion of a builder honest.
func TestIsBuilder(t *testing.T) {
	tests := []struct {
		decl string
		want bool
	}{
		{"func pauseModal() slack.ModalViewRequest", true},
		{"func leftMessage() message", true},
		{"func pausedText(p mentorbot.Participant) string", true},
		{"func goalsBlocks(s mentorbot.Status) []slack.Block", true},
		{"func stepBlocks(s mentorbot.Status) slack.Block", true},
		{"func leaveOffer() message", true},
		{"func formOf(p mentorbot.Participant) mentorbot.ProfileForm", false},
		{"func (b *Bot) preparePause(ctx context.Context) (slack.ModalViewRequest, error)", false},
		{"func (b *Bot) leaveCommand() message", false},
		{"func doneView(title, text string) *slack.ViewSubmissionResponse", false},
	}
	for _, tt := range tests {
		f, err := parser.ParseFile(token.NewFileSet(), "", "package bot\n"+tt.decl+" { panic(0) }", 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := isBuilder(f.Decls[0].(*ast.FuncDecl)); got != tt.want {
			t.Errorf("isBuilder(%s) = %v, want %v", tt.decl, got, tt.want)
		}
	}
}
