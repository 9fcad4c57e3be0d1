package app

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/outpost-studio/outpost/backend/fault"
)

// errorCodes finds every constant of type fault.Code declared in the Go
// source under roots.
func errorCodes(t *testing.T, roots ...string) map[string]string {
	t.Helper()
	codes := map[string]string{}
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				vs, ok := n.(*ast.ValueSpec)
				if !ok || !isCodeType(vs.Type, f.Name.Name) {
					return true
				}
				for i, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, _ := strconv.Unquote(lit.Value)
						codes[s] = path + ": " + vs.Names[i].Name
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return codes
}

func isCodeType(e ast.Expr, pkg string) bool {
	switch x := e.(type) {
	case *ast.SelectorExpr:
		id, ok := x.X.(*ast.Ident)
		return ok && id.Name == "fault" && x.Sel.Name == "Code"
	case *ast.Ident:
		return x.Name == "Code" && pkg == "fault"
	}
	return false
}

func lookup(m map[string]any, dotted string) (string, bool) {
	var cur any = m
	for _, part := range strings.Split(dotted, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return "", false
		}
		cur = obj[part]
	}
	s, ok := cur.(string)
	return s, ok && strings.TrimSpace(s) != ""
}

// TestEveryErrorCodeHasEnglishAndFrenchWords: Go speaks codes, the UI speaks
// words. A code without a message would show the user a raw identifier.
func TestEveryErrorCodeHasEnglishAndFrenchWords(t *testing.T) {
	codes := errorCodes(t, "../backend", ".")
	if len(codes) < 15 {
		t.Fatalf("found only %d codes; is the parser still finding them?", len(codes))
	}
	for _, lang := range []string{"en", "fr"} {
		b, err := os.ReadFile(filepath.Join("..", "frontend", "src", "i18n", "locales", lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", lang, err)
		}
		for code, where := range codes {
			if _, ok := lookup(m, "errors."+code); !ok {
				t.Errorf("%s.json has no message errors.%s (declared at %s)", lang, code, where)
			}
		}
		for k := fault.Internal; k <= fault.Canceled; k++ {
			if _, ok := lookup(m, "errorKinds."+k.String()); !ok {
				t.Errorf("%s.json has no fallback errorKinds.%s", lang, k)
			}
		}
	}
}
