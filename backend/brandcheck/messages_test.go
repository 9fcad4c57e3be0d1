package brandcheck

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/outpost-studio/outpost/backend/render"
)

// findingCodes lists the FindingCode constants declared in this package's source
// and the renderer's problem codes the render rule passes on.
func findingCodes(t *testing.T) []FindingCode {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []FindingCode
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "FindingCode" {
				return true
			}
			for _, v := range vs.Values {
				if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					out = append(out, FindingCode(s))
				}
			}
			return true
		})
	}
	if len(out) < 40 {
		t.Fatalf("found only %d codes", len(out))
	}
	for _, c := range []string{
		string(render.CodeFieldTooLarge), string(render.CodeTooComplex), string(render.CodeRawHTMLDropped),
		string(render.CodeUnsafeLinkDropped), string(render.CodeImageDropped), string(render.CodeImageMissing),
		string(render.CodeDateInvalid), string(render.CodePlaceholderUnknown),
	} {
		out = append(out, FindingCode(c))
	}
	return out
}

func locale(t *testing.T, lang string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "frontend", "src", "i18n", "locales", lang+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
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

// TestEveryFindingHasWords: every finding code has a message and a hint
// in English and French under "findings", naming only params the finding
// has; the English words here are en.json's.
func TestEveryFindingHasWords(t *testing.T) {
	codes := findingCodes(t)
	for _, lang := range []string{"en", "fr"} {
		m := locale(t, lang)
		for _, c := range codes {
			for _, key := range []string{string(c), string(c) + "_hint"} {
				s, ok := lookup(m, "findings."+key)
				if !ok {
					t.Errorf("%s.json has no findings.%s", lang, key)
					continue
				}
				if strings.ContainsAny(s, "@|") {
					t.Errorf("%s.json findings.%s: @ and | are vue-i18n syntax", lang, key)
				}
			}
		}
	}
	en := locale(t, "en")
	for _, c := range codes {
		words, ok := english[c]
		if !ok {
			t.Errorf("no English words in messages.go for %s", c)
			continue
		}
		msg, _ := lookup(en, "findings."+string(c))
		hint, _ := lookup(en, "findings."+string(c)+"_hint")
		if words[0] != msg || words[1] != hint {
			t.Errorf("messages.go and en.json differ for %s", c)
		}
	}
	if len(english) != len(codes) {
		t.Errorf("messages.go has %d codes, the package %d", len(english), len(codes))
	}
}
