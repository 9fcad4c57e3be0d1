package render

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/aymerick/douceur/css"
	"github.com/aymerick/douceur/inliner"
	"github.com/aymerick/douceur/parser"
	"golang.org/x/net/html"

	"github.com/outpost-studio/outpost/backend/fault"
)

// A layout is an HQ template's HTML with placeholders, slot ids in double
// curly braces. compileLayout turns it, once per layout text, into an
// html/template whose actions name the placeholder and the context it stands
// in, so that html/template escapes each value for that context:
//
//	<title>{{subject}}</title>          plain text
//	<td>{{body}}</td>                   HTML: Markdown sanitized, text escaped
//	<a href="{{cta_url}}">              a checked link, "#" if unsafe
//	<img src="{{hero}}" alt="{{hero}}"> the image's URL, its alt text
//
// Outlook's conditional comments (<!--[if mso]>...<![endif]-->) become
// template calls that print their markers, and what lies between them is
// compiled like the rest, so values inside are escaped too. Other comments
// are dropped (html/template would drop them anyway). Literal text is never
// read as template syntax: the actions use delimiters a layout cannot hold.
//
// CSS is inlined into the layout once, before it is compiled, placeholders
// and all: a render then only inlines what its values bring, the Markdown
// fragments, each with the rules that can reach it where it stands (see
// fragment.go). Text values need nothing: their styles come from their
// elements, which the layout owns.

// ctx is where a placeholder stands.
type ctx uint8

const (
	ctxHTML ctx = iota // element content
	ctxText            // <title>, other raw text, ordinary attributes
	ctxHref            // at the start of href
	ctxSrc             // at the start of src or background
	ctxAlt             // alt and title attributes
)

var ctxFunc = [...]string{ctxHTML: "fHTML", ctxText: "fText", ctxHref: "fHref", ctxSrc: "fSrc", ctxAlt: "fAlt"}

const (
	delimL = "\x00{"
	delimR = "}\x00"
	// styleMarker stands where the layout's stylesheet was; after inlining it
	// is replaced by the rules that must stay in a <style> block.
	styleMarker = "<!--outpost:style-->"
)

var (
	placeholderRe = regexp.MustCompile(`\{\{\s*([A-Za-z0-9_][A-Za-z0-9_.-]*)\s*\}\}`)
	ccHiddenRe    = regexp.MustCompile(`(?s)^(\[if [^\]]*\]>)(.*)(<!\[endif\])$`) // <!--[if mso]>...<![endif]-->
	ccRevealedRe  = regexp.MustCompile(`^\[if [^\]]*\]><!$`)                      // <!--[if !mso]><!-->
)

// layout is a compiled layout.
type layout struct {
	id      string // tells layouts apart in the fragment memo
	tmpl    *template.Template
	uses    map[string][]ctx // placeholder → the contexts it stands in
	names   []string         // the placeholders, sorted
	slots   []slotUse        // the element-content placeholders outside conditional comments
	fragCSS string           // the inlinable rules that can style a Markdown fragment
	boxes   map[string]Size  // image placeholder → the size the layout shows it at
}

// Size is a width and height in CSS pixels; 0 when the layout gives none.
type Size struct{ Width, Height int }

// ImageSizes returns, per image placeholder (an <img> whose src is one
// placeholder), the size the layout declares for it, so renditions can be
// cut at twice that for high-density screens.
func (r *Renderer) ImageSizes(src string) (map[string]Size, error) {
	l, err := r.layout(src)
	if err != nil {
		return nil, err
	}
	return l.boxes, nil
}

// slotUse is a placeholder standing in element content, and the elements
// around it, outermost first, as raw start tags of the inlined layout.
type slotUse struct {
	name  string
	chain []string
	flow  bool // the innermost element takes blocks: a fragment can be inlined in it
}

// layout returns the compiled layout of src, from the cache when it can.
func (r *Renderer) layout(src string) (*layout, error) {
	r.mu.Lock()
	l, ok := r.layouts[src]
	r.mu.Unlock()
	if ok {
		return l, nil
	}
	l, err := compileLayout(src)
	if err != nil {
		return nil, fault.New(fault.Invalid, CodeLayoutInvalid, "render.Render").Wrap(err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.layoutSeq++
	l.id = strconv.Itoa(r.layoutSeq)
	if _, ok := r.layouts[src]; !ok {
		if len(r.order) >= layoutCacheSize {
			delete(r.layouts, r.order[0])
			r.order = r.order[1:]
		}
		r.layouts[src] = l
		r.order = append(r.order, src)
	}
	return l, nil
}

type compiler struct {
	b     strings.Builder
	raws  []string // literal HTML printed by fRaw
	uses  map[string][]ctx
	slots []slotUse
	open  []openTag // the elements open at this point of the inlined layout
	boxes map[string]Size
}

type openTag struct{ name, raw string }

func compileLayout(src string) (*layout, error) {
	src = strings.ReplaceAll(src, "\x00", "")
	stripped, css, err := takeStyles(src)
	if err != nil {
		return nil, err
	}
	inline, kept, frag, err := splitCSS(css)
	if err != nil {
		return nil, err
	}
	// Inlining prints the layout through the HTML parser, even with no CSS
	// to inline: every element is then closed, which the element chains of
	// the placeholders and the plain-text walk rely on.
	pre := stripped
	if inline != "" {
		pre = strings.Replace(pre, styleMarker, styleMarker+"<style>\n"+inline+"</style>", 1)
	}
	if pre, err = inlineCSS(pre); err != nil {
		return nil, err
	}
	style := ""
	if kept != "" {
		style = "<style type=\"text/css\">\n" + kept + "</style>"
	}
	pre = strings.Replace(pre, styleMarker, style, 1)

	c := &compiler{uses: make(map[string][]ctx), boxes: map[string]Size{}}
	if err := c.walk(pre, true); err != nil {
		return nil, err
	}
	raws := c.raws
	funcs := template.FuncMap{
		"fRaw":     func(i int) template.HTML { return template.HTML(raws[i]) },
		"fHTML":    func(s *state, n string, k int) template.HTML { return s.html(n, k) },
		"fText":    func(s *state, n string) string { return s.get(n).text },
		"fHref":    func(s *state, n string) template.URL { return s.get(n).href },
		"fSrc":     func(s *state, n string) template.URL { return s.get(n).src },
		"fAlt":     func(s *state, n string) string { return s.get(n).alt },
		"fMissing": func(s *state, n string) bool { return s.get(n).missing },
		"fBox":     func(s *state, n string, w, h int) template.HTML { return s.get(n).box(w, h) },
	}
	t, err := template.New("layout").Delims(delimL, delimR).Funcs(funcs).Parse(c.b.String())
	if err != nil {
		return nil, err
	}
	// html/template escapes on the first execution: run it now, so that a
	// placeholder where no value can go safely fails here, once.
	if err := t.Execute(io.Discard, &state{}); err != nil {
		return nil, err
	}
	l := &layout{tmpl: t, uses: c.uses, slots: c.slots, fragCSS: frag, boxes: c.boxes}
	for n := range c.uses {
		l.names = append(l.names, n)
	}
	sort.Strings(l.names)
	return l, nil
}

// takeStyles removes the layout's top-level <style> elements, leaving
// styleMarker where the first was, and returns their CSS. Those inside
// conditional comments are Outlook's own and stay.
func takeStyles(src string) (string, string, error) {
	var out, css strings.Builder
	z := html.NewTokenizer(strings.NewReader(src))
	inStyle, marked := false, false
	for {
		tt := z.Next()
		raw := z.Raw()
		switch tt {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				return out.String(), css.String(), nil
			}
			return "", "", z.Err()
		case html.StartTagToken:
			if name, _ := z.TagName(); string(name) == "style" {
				inStyle = true
				if !marked {
					out.WriteString(styleMarker)
					marked = true
				}
				continue
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); inStyle && string(name) == "style" {
				inStyle = false
				continue
			}
		case html.TextToken:
			if inStyle {
				css.Write(raw)
				css.WriteByte('\n')
				continue
			}
		}
		out.Write(raw)
	}
}

// walk compiles src; top is false inside a conditional comment.
func (c *compiler) walk(src string, top bool) error {
	z := html.NewTokenizer(strings.NewReader(src))
	rawTag := "" // the raw-text element we are in: title, style, script...
	for {
		tt := z.Next()
		raw := string(z.Raw())
		switch tt {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				return nil
			}
			return z.Err()
		case html.TextToken:
			if rawTag != "" {
				c.text(raw, ctxText, top)
			} else {
				c.text(raw, ctxHTML, top)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if tt == html.StartTagToken && isRawText(tag) {
				rawTag = tag
			}
			if top && tt == html.StartTagToken && !isVoid(tag) {
				c.open = append(c.open, openTag{name: tag, raw: raw})
			}
			c.tag(raw, tag)
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if tag == rawTag {
				rawTag = ""
			}
			if top {
				for i := len(c.open) - 1; i >= 0; i-- {
					if c.open[i].name == tag {
						c.open = c.open[:i]
						break
					}
				}
			}
			c.b.WriteString(raw)
		case html.CommentToken:
			if err := c.comment(raw); err != nil {
				return err
			}
		case html.DoctypeToken:
			c.b.WriteString(raw)
		}
	}
}

func isVoid(tag string) bool {
	switch tag {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr":
		return true
	}
	return false
}

// isFlow reports elements whose content may be blocks (paragraphs, lists).
func isFlow(tag string) bool {
	switch tag {
	case "td", "th", "div", "li", "blockquote", "center", "body", "section", "article", "header",
		"footer", "main", "aside", "dd", "figure", "nav":
		return true
	}
	return false
}

func isRawText(tag string) bool {
	switch tag {
	case "title", "textarea", "style", "script", "xmp", "noscript", "noembed", "noframes", "iframe":
		return true
	}
	return false
}

// comment keeps Outlook's conditional comments and drops the others.
func (c *compiler) comment(raw string) error {
	if !strings.HasPrefix(raw, "<!--") || !strings.HasSuffix(raw, "-->") || len(raw) < 7 {
		return nil // a bogus comment such as <?xml ...?>
	}
	data := raw[4 : len(raw)-3]
	if m := ccHiddenRe.FindStringSubmatch(data); m != nil {
		c.action("fRaw " + strconv.Itoa(c.raw("<!--"+m[1])))
		if err := c.walk(m[2], false); err != nil {
			return err
		}
		c.action("fRaw " + strconv.Itoa(c.raw(m[3]+"-->")))
		return nil
	}
	if ccRevealedRe.MatchString(data) || data == "<![endif]" {
		c.action("fRaw " + strconv.Itoa(c.raw(raw)))
	}
	return nil
}

func (c *compiler) raw(s string) int {
	c.raws = append(c.raws, s)
	return len(c.raws) - 1
}

func (c *compiler) action(a string) {
	c.b.WriteString(delimL)
	c.b.WriteString(a)
	c.b.WriteString(delimR)
}

func (c *compiler) use(name string, x ctx) {
	for _, have := range c.uses[name] {
		if have == x {
			return
		}
	}
	c.uses[name] = append(c.uses[name], x)
}

func (c *compiler) placeholder(name string, x ctx) {
	c.use(name, x)
	c.action(ctxFunc[x] + " $ " + strconv.Quote(name))
}

// text compiles a run of text in which every placeholder stands in x. An
// element-content placeholder outside conditional comments is numbered, so
// that its Markdown can be inlined for where it stands.
func (c *compiler) text(raw string, x ctx, top bool) {
	last := 0
	for _, m := range placeholderRe.FindAllStringSubmatchIndex(raw, -1) {
		c.b.WriteString(raw[last:m[0]])
		name := raw[m[2]:m[3]]
		if x != ctxHTML {
			c.placeholder(name, x)
		} else {
			c.use(name, x)
			k := -1
			if top {
				k = len(c.slots)
				u := slotUse{name: name}
				for _, o := range c.open {
					u.chain = append(u.chain, o.raw)
				}
				u.flow = len(c.open) > 0 && isFlow(c.open[len(c.open)-1].name)
				c.slots = append(c.slots, u)
			}
			c.action(fmt.Sprintf("fHTML $ %q %d", name, k))
		}
		last = m[1]
	}
	c.b.WriteString(raw[last:])
}

// tag compiles a start tag, its placeholders in attribute values. An image
// whose src is one placeholder is wrapped so that a missing picture shows a
// box of the declared size instead.
func (c *compiler) tag(raw, name string) {
	ms := placeholderRe.FindAllStringSubmatchIndex(raw, -1)
	if ms == nil {
		c.b.WriteString(raw)
		return
	}
	attrs := scanAttrs(raw)
	boxed := ""
	if name == "img" {
		if a, ok := attrs.get("src"); ok {
			if m := placeholderRe.FindStringSubmatch(raw[a.start:a.end]); m != nil && m[0] == raw[a.start:a.end] {
				boxed = m[1]
			}
		}
	}
	if boxed != "" {
		w, h := attrs.int(raw, "width"), attrs.int(raw, "height")
		if old := c.boxes[boxed]; w > old.Width {
			c.boxes[boxed] = Size{w, h} // the largest use, if a picture shows twice
		}
		c.use(boxed, ctxSrc)
		c.action("if fMissing $ " + strconv.Quote(boxed))
		c.action(fmt.Sprintf("fBox $ %q %d %d", boxed, w, h))
		c.action("else")
	}
	last := 0
	for _, m := range ms {
		a, ok := attrs.at(m[0])
		if !ok { // not in a value: left as it is
			continue
		}
		c.b.WriteString(raw[last:m[0]])
		atStart := m[0] == a.start
		x := ctxText
		switch {
		case a.name == "href" && atStart:
			x = ctxHref
		case (a.name == "src" || a.name == "background") && atStart:
			x = ctxSrc
		case a.name == "alt" || a.name == "title":
			x = ctxAlt
		}
		c.placeholder(raw[m[2]:m[3]], x)
		last = m[1]
	}
	c.b.WriteString(raw[last:])
	if boxed != "" {
		c.action("end")
	}
}

// attr is an attribute of a raw start tag: its lowercased name and where its
// value lies.
type attr struct {
	name       string
	start, end int
}

type attrList []attr

func (l attrList) get(name string) (attr, bool) {
	for _, a := range l {
		if a.name == name {
			return a, true
		}
	}
	return attr{}, false
}

func (l attrList) at(i int) (attr, bool) {
	for _, a := range l {
		if i >= a.start && i < a.end {
			return a, true
		}
	}
	return attr{}, false
}

func (l attrList) int(raw, name string) int {
	a, ok := l.get(name)
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(raw[a.start:a.end]), "px"))
	if err != nil || n < 0 || n > 10000 {
		return 0
	}
	return n
}

// scanAttrs finds the attributes of a start tag as the HTML tokenizer does.
func scanAttrs(raw string) attrList {
	var out attrList
	space := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
	i := 1
	for i < len(raw) && !space(raw[i]) && raw[i] != '>' && raw[i] != '/' {
		i++
	}
	for i < len(raw) {
		for i < len(raw) && (space(raw[i]) || raw[i] == '/') {
			i++
		}
		if i >= len(raw) || raw[i] == '>' {
			break
		}
		ns := i
		i++ // a name may start with '='
		for i < len(raw) && !space(raw[i]) && raw[i] != '=' && raw[i] != '>' && raw[i] != '/' {
			i++
		}
		name := strings.ToLower(raw[ns:i])
		for i < len(raw) && space(raw[i]) {
			i++
		}
		if i >= len(raw) || raw[i] != '=' {
			continue
		}
		i++
		for i < len(raw) && space(raw[i]) {
			i++
		}
		if i >= len(raw) {
			break
		}
		if q := raw[i]; q == '"' || q == '\'' {
			end := strings.IndexByte(raw[i+1:], q)
			if end < 0 {
				end = len(raw) - i - 1
			}
			out = append(out, attr{name: name, start: i + 1, end: i + 1 + end})
			i += end + 2
			continue
		}
		vs := i
		for i < len(raw) && !space(raw[i]) && raw[i] != '>' {
			i++
		}
		out = append(out, attr{name: name, start: vs, end: i})
	}
	return out
}

// splitCSS splits the layout's stylesheet: the rules the inliner moves into
// style attributes, and the rules that must stay in a <style> block. These
// are at-rules (the responsive and dark-mode media queries), selectors the
// inliner cannot apply (pseudo-classes) and hooks on markup the mail client
// adds, which the inliner would drop as matching nothing: Outlook.com's
// [data-ogsc] dark mode, Gmail's u + .body, [x-apple-data-detectors].
//
// frag is the part of inline that can reach a Markdown fragment: rules whose
// last compound selector names one of the fragment's elements, or none,
// with no class, id or attribute (the sanitizer leaves none).
func splitCSS(src string) (inline, kept, frag string, err error) {
	if strings.TrimSpace(src) == "" {
		return "", "", "", nil
	}
	sheet, err := parser.Parse(src)
	if err != nil {
		return "", "", "", err
	}
	var in, keep, fr strings.Builder
	for _, rule := range sheet.Rules {
		if rule.Kind != css.QualifiedRule {
			keep.WriteString(rule.String())
			keep.WriteString("\n")
			continue
		}
		var inSel, keepSel, frSel []string
		for _, sel := range rule.Selectors {
			if clientHook(sel) || !inliner.Inlinable(sel) {
				keepSel = append(keepSel, sel)
				continue
			}
			inSel = append(inSel, sel)
			if reachesFragment(sel) {
				frSel = append(frSel, sel)
			}
		}
		for _, part := range []struct {
			sels []string
			to   *strings.Builder
		}{{inSel, &in}, {keepSel, &keep}, {frSel, &fr}} {
			if len(part.sels) == 0 {
				continue
			}
			r := *rule
			r.Selectors = part.sels
			part.to.WriteString(r.String())
			part.to.WriteString("\n")
		}
	}
	kept = keep.String()
	if strings.Contains(strings.ToLower(kept+in.String()), "</style") {
		return "", "", "", errors.New("stylesheet closes its own <style> element")
	}
	return in.String(), kept, fr.String(), nil
}

// reachesFragment reports whether sel can select an element of a sanitized
// Markdown fragment.
func reachesFragment(sel string) bool {
	sel = strings.TrimSpace(sel)
	last := sel
	if i := strings.LastIndexAny(sel, " \t\n>+~"); i >= 0 {
		last = sel[i+1:]
	}
	if i := strings.IndexByte(last, ':'); i >= 0 {
		last = last[:i]
	}
	if strings.ContainsAny(last, ".#[") {
		return false
	}
	return last == "" || last == "*" || markdownElement[strings.ToLower(last)]
}

func clientHook(sel string) bool {
	return strings.Contains(sel, "[") || strings.HasPrefix(sel, "u + ") ||
		strings.Contains(sel, "#MessageViewBody") || strings.Contains(sel, ".ExternalClass")
}
