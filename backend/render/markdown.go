package render

import (
	"bytes"
	"container/list"
	"context"
	"fmt"
	"html/template"
	"regexp"
	"sync"
	"time"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// maxMarkdownDepth bounds the nesting of a Markdown field (quotes in lists in
// quotes...). Real copy nests a few levels; thousands would make every later
// step, down to CSS selector matching, pay for each level.
const maxMarkdownDepth = 32

// newMarkdown is goldmark in its safe mode: raw HTML is not rendered (the
// AST walk in clean removes it first and reports it), there is no attribute
// syntax, links are checked by clean. Hard wraps keep the line breaks
// designers type (sign-offs, addresses); linkify makes bare web addresses
// and email addresses links.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.NewLinkify(extension.WithLinkifyAllowedProtocols([]string{"http:", "https:"})),
			extension.Strikethrough,
		),
		goldmark.WithRendererOptions(gmhtml.WithHardWraps()),
	)
}

// markdownElement lists the elements a Markdown field may produce.
var markdownElement = map[string]bool{
	"p": true, "br": true, "em": true, "strong": true, "del": true, "a": true,
	"ul": true, "ol": true, "li": true, "blockquote": true, "pre": true, "code": true, "hr": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
}

// newPolicy is the allow-list goldmark's output is sanitized with, built
// from an empty policy: the Markdown subset's elements, href on links and
// start on ordered lists. No images, no class, style or id. URLs must parse
// and have one of the three schemes (an empty policy allows none, and
// AllowURLSchemes adds to that set); relative URLs mean nothing in an email.
// Links to other sites open in a new window with rel="noopener".
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	for el := range markdownElement {
		if el != "a" && el != "ol" {
			p.AllowElements(el)
		}
	}
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,9}$`)).OnElements("ol")
	p.AllowAttrs("href").OnElements("a")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(false)
	p.AllowURLSchemes("https", "http", "mailto")
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
}

// mdResult is one converted Markdown field.
type mdResult struct {
	html     template.HTML
	text     string    // plain text on one line, for attributes and <title>
	problems []Problem // without a slot
}

func (m mdResult) size() int { return len(m.html) + len(m.text) + 64 }

// conversion is a Markdown conversion under way; done closes when res is
// set. One source converts once at a time, however many renders wait on it.
type conversion struct {
	done chan struct{}
	res  mdResult
}

// markdownAll converts srcs, from the memo where it can, and waits at most
// r.timeout in all for the rest: a conversion still running then reports
// render.too_complex. The conversions run concurrently. Under Complete it
// waits for every conversion (or ctx).
func (r *Renderer) markdownAll(ctx context.Context, srcs []string) ([]mdResult, error) {
	out := make([]mdResult, len(srcs))
	var pending []int
	var convs []*conversion
	for i, src := range srcs {
		if len(src) > MaxFieldBytes {
			out[i] = tooLarge(len(src))
			continue
		}
		if res, ok := r.memo.get(src); ok {
			out[i] = res
			continue
		}
		pending = append(pending, i)
		convs = append(convs, r.start(src))
	}
	if len(pending) == 0 {
		return out, nil
	}
	if isComplete(ctx) {
		for k, i := range pending {
			select {
			case <-convs[k].done:
				out[i] = convs[k].res
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		return out, nil
	}
	timer := time.NewTimer(r.timeout)
	defer timer.Stop()
	expired := false
	for k, i := range pending {
		c := convs[k]
		if expired {
			select {
			case <-c.done:
				out[i] = c.res
			default:
				out[i] = tooComplex()
			}
			continue
		}
		select {
		case <-c.done:
			out[i] = c.res
		case <-timer.C:
			expired = true
			out[i] = tooComplex()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return out, nil
}

// start converts src in a goroutine, or joins the conversion of src already
// under way. goldmark cannot be interrupted, so a conversion nobody waits
// for any more still runs to its end, on its own: MaxFieldBytes bounds it
// (a fraction of a second for the worst inputs measured), and its result
// goes to the memo, so the next render of the same text has it at once.
func (r *Renderer) start(src string) *conversion {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.conv[src]; ok {
		return c
	}
	c := &conversion{done: make(chan struct{})}
	r.conv[src] = c
	go func() {
		c.res = r.convert(src)
		r.memo.put(src, c.res)
		r.mu.Lock()
		delete(r.conv, src)
		r.mu.Unlock()
		close(c.done)
	}()
	return c
}

// convert parses src, removes and reports what an email must not carry,
// renders and sanitizes.
func (r *Renderer) convert(src string) (res mdResult) {
	defer func() {
		if recover() != nil { // a parser bug on crafted input must not end the app
			res = tooComplex()
		}
	}()
	source := []byte(src)
	doc := r.md.Parser().Parse(text.NewReader(source))
	problems, ok := clean(doc, source)
	if !ok {
		return tooComplex()
	}
	var buf bytes.Buffer
	buf.Grow(len(source) + len(source)/2)
	if err := r.md.Renderer().Render(&buf, source, doc); err != nil {
		return tooComplex()
	}
	if bytes.Contains(buf.Bytes(), []byte("<!-- raw HTML omitted -->")) { // clean missed some
		problems = append(problems, Problem{Code: CodeRawHTMLDropped})
	}
	safe := string(bytes.TrimSpace(r.policy.SanitizeBytes(buf.Bytes())))
	return mdResult{html: template.HTML(safe), text: fragmentText(safe), problems: problems}
}

// clean walks the document: raw HTML and images are removed, links whose
// URL is not http, https or mailto lose their link and keep their text; each
// is reported. It reports false when the document nests too deep.
func clean(doc ast.Node, source []byte) (problems []Problem, ok bool) {
	var drop, unwrap []ast.Node
	var replace [][2]ast.Node
	depth := 0
	ok = true
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			depth--
			return ast.WalkContinue, nil
		}
		depth++
		if depth > maxMarkdownDepth {
			ok = false
			return ast.WalkStop, nil
		}
		switch n := n.(type) {
		case *ast.HTMLBlock, *ast.RawHTML:
			problems = append(problems, Problem{Code: CodeRawHTMLDropped})
			drop = append(drop, n)
		case *ast.Image:
			problems = append(problems, Problem{Code: CodeImageDropped,
				Params: map[string]string{"url": clip(string(n.Destination))}})
			drop = append(drop, n)
		case *ast.Link:
			if scheme, safe := safeLink(string(n.Destination)); !safe {
				problems = append(problems, unsafeLink(string(n.Destination), scheme))
				unwrap = append(unwrap, n)
			}
		case *ast.AutoLink:
			url := string(n.URL(source))
			if n.AutoLinkType == ast.AutoLinkEmail {
				url = "mailto:" + url
			}
			if scheme, safe := safeLink(url); !safe {
				problems = append(problems, unsafeLink(url, scheme))
				replace = append(replace, [2]ast.Node{n, ast.NewString(n.Label(source))})
			}
		}
		return ast.WalkContinue, nil
	})
	if !ok {
		return nil, false
	}
	// Dropped nodes go first: an image inside an unsafe link goes too. A
	// paragraph, link or emphasis left empty goes with them.
	for _, n := range drop {
		for p := n.Parent(); p != nil; n, p = p, p.Parent() {
			p.RemoveChild(p, n)
			if p.HasChildren() || !emptyRemovable(p) {
				break
			}
		}
	}
	for _, n := range unwrap {
		p := n.Parent()
		if p == nil {
			continue
		}
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			p.InsertBefore(p, n, c)
			c = next
		}
		p.RemoveChild(p, n)
	}
	for _, pair := range replace {
		if p := pair[0].Parent(); p != nil {
			p.ReplaceChild(p, pair[0], pair[1])
		}
	}
	return problems, true
}

func emptyRemovable(n ast.Node) bool {
	switch n.Kind() {
	case ast.KindParagraph, ast.KindLink, ast.KindEmphasis, ast.KindAutoLink:
		return true
	}
	return false
}

func unsafeLink(url, scheme string) Problem {
	return Problem{Code: CodeUnsafeLinkDropped, Params: map[string]string{"url": clip(url), "scheme": scheme}}
}

// clip shortens a value quoted in a problem's message.
func clip(s string) string {
	const max = 100
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max]) + "…"
}

func tooLarge(n int) mdResult {
	return mdResult{
		html: placeholderHTML("Too large to render"),
		text: "",
		problems: []Problem{{Code: CodeFieldTooLarge, Params: map[string]string{
			"bytes": fmt.Sprint(n), "max": fmt.Sprint(MaxFieldBytes)}}},
	}
}

func tooComplex() mdResult {
	return mdResult{
		html:     placeholderHTML("Too complex to preview"),
		problems: []Problem{{Code: CodeTooComplex}},
	}
}

// placeholderHTML is the visible stand-in for a field that could not be
// rendered. It is never blank, so a designer sees where the field is.
func placeholderHTML(msg string) template.HTML {
	return template.HTML(`<span data-outpost-placeholder="" style="display: inline-block; padding: 6px 10px; ` +
		`border: 1px dashed #D9622B; color: #8C8577; font-family: Arial, Helvetica, sans-serif; ` +
		`font-size: 13px; line-height: 18px;">` + template.HTMLEscapeString(msg) + `</span>`)
}

// memo keeps recent Markdown conversions, least recently used first out.
type memo struct {
	mu    sync.Mutex
	items map[string]*list.Element
	lru   *list.List // of *memoItem, most recent at the front
	bytes int
}

type memoItem struct {
	src string
	res mdResult
}

// memoBytes bounds the memo: a few campaigns' fields in three locales and
// the last versions of the field being typed.
const memoBytes = 4 << 20

func newMemo() memo {
	return memo{items: make(map[string]*list.Element), lru: list.New()}
}

func (m *memo) get(src string) (mdResult, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.items[src]
	if !ok {
		return mdResult{}, false
	}
	m.lru.MoveToFront(e)
	return e.Value.(*memoItem).res, true
}

func (m *memo) put(src string, res mdResult) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.items[src]; ok {
		return
	}
	m.items[src] = m.lru.PushFront(&memoItem{src: src, res: res})
	m.bytes += len(src) + res.size()
	for m.bytes > memoBytes && m.lru.Len() > 1 {
		e := m.lru.Back()
		it := e.Value.(*memoItem)
		m.lru.Remove(e)
		delete(m.items, it.src)
		m.bytes -= len(it.src) + it.res.size()
	}
}
