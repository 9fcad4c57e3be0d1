package render

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/outpost-studio/outpost/backend/library"
)

type xssVector struct {
	line     int
	problems []string // the codes a Markdown field reports, without "render."
	text     string
}

func readXSS(t *testing.T) []xssVector {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "xss.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []xssVector
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		codes, vec, ok := strings.Cut(l, "\t")
		if !ok {
			t.Fatalf("xss.txt:%d: no tab", n)
		}
		v := xssVector{line: n, text: strings.ReplaceAll(vec, `\n`, "\n")}
		if codes != "-" {
			v.problems = strings.Split(codes, ",")
			sort.Strings(v.problems)
		}
		out = append(out, v)
	}
	if len(out) < 60 {
		t.Fatalf("only %d vectors", len(out))
	}
	return out
}

// TestXSSCorpusIsNeutralizedInEveryField puts every vector of
// testdata/xss.txt into every field of the promo template at once (text,
// choice, Markdown, link, date, image URL and alt, preheader, subject, the
// legal footer and the unsubscribe link), then parses the output, and what
// Outlook reads inside conditional comments, for anything that could run.
func TestXSSCorpusIsNeutralizedInEveryField(t *testing.T) {
	s := loadSample(t)
	r := New()
	r.timeout = 5 * time.Second
	for _, v := range readXSS(t) {
		e := s.email(t, "promo", "en")
		for id, f := range e.Fields {
			f.Value = v.text
			if f.Kind == library.SlotImage {
				f.Image = &Image{URL: v.text, Alt: v.text, Width: 600, Height: 300}
			}
			e.Fields[id] = f
		}
		e.Footer, e.Unsubscribe = v.text, v.text
		res, err := r.Render(context.Background(), e)
		if err != nil {
			t.Fatalf("xss.txt:%d: %v", v.line, err)
		}
		for _, bad := range unsafeMarkup(t, res.HTML) {
			t.Errorf("xss.txt:%d %q: %s", v.line, v.text, bad)
		}

		for _, slot := range []string{"body", "terms"} {
			var got []string
			for _, p := range res.Problems {
				if p.Slot == slot {
					got = append(got, strings.TrimPrefix(string(p.Code), "render."))
				}
			}
			sort.Strings(got)
			if strings.Join(got, ",") != strings.Join(v.problems, ",") {
				t.Errorf("xss.txt:%d %q: %s reports %v, want %v", v.line, v.text, slot, got, v.problems)
			}
		}
		for _, slot := range []string{"cta_url", "pick_1_url", "pick_2_url", "unsubscribe"} {
			if !hasProblem(res.Problems, slot, string(CodeUnsafeLinkDropped)) {
				t.Errorf("xss.txt:%d: link %s not reported", v.line, slot)
			}
		}
		if !hasProblem(res.Problems, "offer_end", string(CodeDateInvalid)) {
			t.Errorf("xss.txt:%d: date not reported", v.line)
		}
		if !hasProblem(res.Problems, "hero", string(CodeUnsafeLinkDropped)) && !hasProblem(res.Problems, "hero", string(CodeImageMissing)) {
			t.Errorf("xss.txt:%d: image URL not reported", v.line)
		}

		// Text fields show the vector as typed, as text.
		doc := parse(t, res.HTML)
		each(doc, func(n *html.Node) {
			if n.DataAtom == atom.H1 && hasClass(n, "headline") {
				if got, want := textOf(n), strings.ReplaceAll(v.text, "\n", ""); got != want {
					t.Errorf("xss.txt:%d: headline shows %q, want %q", v.line, got, want)
				}
			}
			if n.DataAtom == atom.Title {
				if got, want := textOf(n), oneLine(v.text); got != want {
					t.Errorf("xss.txt:%d: title shows %q, want %q", v.line, got, want)
				}
			}
		})
	}
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// forbidden are elements no field may bring into an email.
var forbidden = map[atom.Atom]bool{
	atom.Script: true, atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Frame: true,
	atom.Frameset: true, atom.Applet: true, atom.Form: true, atom.Input: true, atom.Button: true,
	atom.Base: true, atom.Link: true, atom.Svg: true, atom.Math: true, atom.Video: true,
	atom.Audio: true, atom.Source: true, atom.Details: true, atom.Textarea: true, atom.Select: true,
}

// unsafeMarkup lists what could run in doc, including the markup Outlook
// reads inside conditional comments.
func unsafeMarkup(t *testing.T, doc string) []string {
	t.Helper()
	var bad []string
	styles := 0
	var check func(n *html.Node, inComment bool)
	check = func(n *html.Node, inComment bool) {
		switch n.Type {
		case html.ElementNode:
			if forbidden[n.DataAtom] || strings.HasPrefix(n.Data, "svg") {
				bad = append(bad, "<"+n.Data+"> element")
			}
			if n.DataAtom == atom.Style {
				if !inComment {
					styles++
				}
				css := strings.ToLower(textOf(n))
				for _, w := range []string{"@import", "javascript", "expression(", "url("} {
					if strings.Contains(css, w) {
						bad = append(bad, "stylesheet with "+w)
					}
				}
			}
			if n.DataAtom == atom.Meta {
				for _, a := range n.Attr {
					if a.Key == "http-equiv" && strings.EqualFold(a.Val, "refresh") {
						bad = append(bad, "meta refresh")
					}
				}
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				val := a.Val
				switch {
				case strings.HasPrefix(key, "on"):
					bad = append(bad, "event handler "+key+" on <"+n.Data+">")
				case key == "href":
					if val != "#" && val != "" {
						if _, ok := safeLink(val); !ok {
							bad = append(bad, "href "+val)
						}
					}
				case key == "src":
					if _, ok := safeImage(val); !ok {
						bad = append(bad, "src "+val)
					}
				case key == "srcdoc", key == "action", key == "formaction", key == "background",
					key == "poster", key == "data", key == "xlink:href", key == "lowsrc", key == "dynsrc":
					bad = append(bad, "attribute "+key)
				case key == "style":
					low := strings.ToLower(val)
					for _, w := range []string{"javascript", "expression(", "url(", "behavior"} {
						if strings.Contains(low, w) {
							bad = append(bad, "style attribute with "+w)
						}
					}
				}
				for _, scheme := range []string{"javascript:", "vbscript:", "data:"} {
					if key != "alt" && key != "title" && strings.HasPrefix(linkSchemeText(val), scheme) {
						bad = append(bad, key+" with "+scheme)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			check(c, inComment)
		}
	}
	check(parse(t, doc), false)
	// What Outlook reads: the bytes inside conditional comments. (The parser
	// decodes character references in comments, so read them raw.)
	z := html.NewTokenizer(strings.NewReader(doc))
	for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
		if tt != html.CommentToken {
			continue
		}
		raw := string(z.Raw())
		inner, ok := strings.CutPrefix(raw, "<!--[if ")
		if !ok {
			continue
		}
		_, body, ok := strings.Cut(inner, "]>")
		if !ok {
			continue
		}
		body = strings.TrimSuffix(strings.TrimSuffix(body, "-->"), "<![endif]")
		ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
		nodes, err := html.ParseFragment(strings.NewReader(body), ctx)
		if err != nil {
			bad = append(bad, "conditional comment does not parse: "+err.Error())
		}
		for _, c := range nodes {
			check(c, true)
		}
	}
	if styles != 1 {
		bad = append(bad, "stylesheets outside comments: want the layout's one")
	}
	return bad
}

// linkSchemeText is a value as a browser reads it before a scheme.
func linkSchemeText(v string) string {
	s := linkScheme(v)
	if s == "" {
		return ""
	}
	return s + ":"
}

// TestXSSVectorsInMarkdownAlone checks Markdown's output by itself: nothing
// but the allow-listed elements and attributes.
func TestXSSVectorsInMarkdownAlone(t *testing.T) {
	r := New()
	r.timeout = 5 * time.Second
	allowed := map[string]bool{"p": true, "br": true, "em": true, "strong": true, "del": true, "ul": true,
		"ol": true, "li": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
		"blockquote": true, "pre": true, "code": true, "hr": true, "a": true}
	for _, v := range readXSS(t) {
		out, _, err := r.Markdown(context.Background(), v.text)
		if err != nil {
			t.Fatal(err)
		}
		ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
		nodes, err := html.ParseFragment(strings.NewReader(string(out)), ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range nodes {
			each(n, func(n *html.Node) {
				if !allowed[n.Data] {
					t.Errorf("xss.txt:%d: <%s> in %s", v.line, n.Data, out)
				}
				for _, a := range n.Attr {
					ok := (n.Data == "a" && (a.Key == "href" || a.Key == "target" || a.Key == "rel")) ||
						(n.Data == "ol" && a.Key == "start")
					if !ok {
						t.Errorf("xss.txt:%d: attribute %s on <%s>", v.line, a.Key, n.Data)
					}
					if a.Key == "href" {
						if _, safe := safeLink(a.Val); !safe {
							t.Errorf("xss.txt:%d: href %q", v.line, a.Val)
						}
					}
				}
			})
			if n.Type == html.CommentNode {
				t.Errorf("xss.txt:%d: comment in Markdown output", v.line)
			}
		}
	}
}
