package render

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// Case files in testdata/markdown follow goldmark's own: a title line, then
// the input, the expected HTML and, optionally, the expected problems (one
// "code key=value ..." a line), separated by caseSep; caseEnd closes a case.
const (
	caseSep = "//- - - - - - - - -//"
	caseEnd = "//= = = = = = = = = = = = = = = = = = = = = = = =//"
)

type mdCase struct {
	file, title, input, want string
	problems                 []string
}

func readCases(t *testing.T) []mdCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "markdown", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files: %v", err)
	}
	var out []mdCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, block := range strings.Split(string(b), caseEnd+"\n") {
			if strings.TrimSpace(block) == "" {
				continue
			}
			parts := strings.Split(block, "\n"+caseSep+"\n")
			if len(parts) < 3 || len(parts) > 4 {
				t.Fatalf("%s: malformed case %q", f, block)
			}
			c := mdCase{file: filepath.Base(f), title: strings.TrimSpace(parts[0]), input: parts[1],
				want: strings.TrimSuffix(parts[2], "\n")}
			if len(parts) == 4 {
				for _, l := range strings.Split(strings.TrimSpace(parts[3]), "\n") {
					c.problems = append(c.problems, strings.TrimSpace(l))
				}
			}
			out = append(out, c)
		}
	}
	return out
}

func problemLines(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		keys := make([]string, 0, len(p.Params))
		for k := range p.Params {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		l := string(p.Code)
		for _, k := range keys {
			l += " " + k + "=" + p.Params[k]
		}
		out = append(out, l)
	}
	return out
}

func TestMarkdownCases(t *testing.T) {
	r := New()
	r.timeout = 5 * time.Second // a loaded machine must not turn a case into too_complex
	for _, c := range readCases(t) {
		t.Run(c.file+"/"+c.title, func(t *testing.T) {
			got, probs, err := r.Markdown(context.Background(), c.input)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Errorf("input:\n%s\ngot:\n%s\nwant:\n%s", c.input, got, c.want)
			}
			if g, w := strings.Join(problemLines(probs), "\n"), strings.Join(c.problems, "\n"); g != w {
				t.Errorf("problems:\n%s\nwant:\n%s", g, w)
			}
		})
	}
}

// TestPolicyAllowsOnlyThreeSchemes checks the sanitizer alone, behind
// goldmark: an empty policy plus AllowURLSchemes must not let the defaults of
// other policies in.
func TestPolicyAllowsOnlyThreeSchemes(t *testing.T) {
	p := newPolicy()
	for _, tc := range []struct{ in, want string }{
		{`<a href="https://a.example/">x</a>`, `<a href="https://a.example/" target="_blank" rel="noopener">x</a>`},
		{`<a href="http://a.example/">x</a>`, `<a href="http://a.example/" target="_blank" rel="noopener">x</a>`},
		{`<a href="mailto:a@b.example">x</a>`, `<a href="mailto:a@b.example">x</a>`},
		{`<a href="javascript:alert(1)">x</a>`, `x`},
		{`<a href="JAVASCRIPT:alert(1)">x</a>`, `x`},
		{`<a href="data:text/html,x">x</a>`, `x`},
		{`<a href="vbscript:x">x</a>`, `x`},
		{`<a href="ftp://a.example/">x</a>`, `x`},
		{`<a href="tel:+331">x</a>`, `x`},
		{`<a href="/relative">x</a>`, `x`},
		{`<a href="https://a.example/" onclick="x()" style="color:red" class="c" id="i">x</a>`, `<a href="https://a.example/" target="_blank" rel="noopener">x</a>`},
		{`<img src="https://t.example/p.gif">`, ``},
		{`<p style="color:red">x</p><script>alert(1)</script>`, `<p>x</p>`},
		{`<ol start="3"><li>x</li></ol><ol start="x"><li>y</li></ol>`, `<ol start="3"><li>x</li></ol><ol><li>y</li></ol>`},
		{`<!-- raw HTML omitted --><p>x</p>`, `<p>x</p>`},
	} {
		if got := p.Sanitize(tc.in); got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

// TestMarkdownMemoServesRepeats: the second conversion of a text comes from
// the memo, with its problems.
func TestMarkdownMemoServesRepeats(t *testing.T) {
	r := New()
	src := "[x](javascript:1) **bold**"
	h1, p1, _ := r.Markdown(context.Background(), src)
	if _, ok := r.memo.get(src); !ok {
		t.Fatal("not memoized")
	}
	h2, p2, _ := r.Markdown(context.Background(), src)
	if h1 != h2 || len(p1) != 1 || len(p2) != 1 || p1[0].Code != p2[0].Code {
		t.Errorf("memo differs: %s %v / %s %v", h1, p1, h2, p2)
	}
}

func TestMemoStaysWithinItsBudget(t *testing.T) {
	m := newMemo()
	res := mdResult{html: "x"}
	for i := 0; i < 400; i++ {
		m.put(strings.Repeat("a", 16<<10)+string(rune('A'+i%26))+strings.Repeat("b", i), res)
	}
	if m.bytes > memoBytes || m.lru.Len() != len(m.items) || m.lru.Len() == 0 {
		t.Errorf("memo holds %d bytes in %d entries (%d in map)", m.bytes, m.lru.Len(), len(m.items))
	}
}
