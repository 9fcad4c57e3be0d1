package render

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The plain-text alternative is a walk of the rendered email rather than a
// general converter: the walk knows what an email layout holds. It skips
// the head, hidden elements (the preheader, which the inbox already shows
// before the message), pictures and Outlook-only markup (comments); it
// writes links as "text (url)", list items with "- " or "1. ", and separates
// blocks with line breaks. Lines are not wrapped: the MIME encoder does that.

// plainText returns the plain-text alternative of a rendered email. It reads
// tokens rather than building a tree: a rendered email is well formed (the
// layout is printed by the HTML parser when it is compiled, values are
// escaped, fragments sanitized), and this runs after every keystroke.
func plainText(doc string) string {
	w := &textWriter{links: true}
	w.tokens(doc)
	return w.String()
}

// fragmentText returns the text of an HTML fragment on one line, for an
// attribute or <title>.
func fragmentText(frag string) string {
	w := &textWriter{}
	w.tokens(frag)
	return strings.Join(asciiFields(w.String()), " ")
}

type textWriter struct {
	b      strings.Builder
	links  bool   // write link URLs
	nl     int    // line breaks owed before the next word
	space  bool   // a space owed before the next word
	prefix string // a list item's marker, owed before its first word
	pre    int
	lists  []int // open lists: -1 for unordered, else the next number
}

func (w *textWriter) String() string {
	lines := strings.Split(w.b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	s := strings.Trim(strings.Join(lines, "\n"), "\n")
	if s == "" {
		return ""
	}
	return s + "\n"
}

// block asks for n line breaks (2: a blank line) before what follows.
func (w *textWriter) block(n int) {
	if n > w.nl {
		w.nl = n
	}
	w.space = false
}

func (w *textWriter) word(s string) {
	if w.b.Len() > 0 {
		switch {
		case w.nl > 0:
			w.b.WriteString(strings.Repeat("\n", min(w.nl, 2)))
		case w.space:
			w.b.WriteByte(' ')
		}
	}
	if w.prefix != "" {
		w.b.WriteString(w.prefix)
		w.prefix = ""
	}
	w.nl, w.space = 0, false
	w.b.WriteString(s)
}

func (w *textWriter) text(s string) {
	if w.pre > 0 {
		for i, line := range strings.Split(s, "\n") {
			if i > 0 {
				w.nl++
			}
			if line != "" {
				w.word(line)
			}
		}
		return
	}
	if s != "" && isASCIISpace(s[0]) {
		w.space = true
	}
	for i, f := range asciiFields(s) {
		if i > 0 {
			w.space = true
		}
		w.word(f)
	}
	if s != "" && isASCIISpace(s[len(s)-1]) {
		w.space = true
	}
}

// frame is an open element and what its end tag must do.
type frame struct {
	a     atom.Atom
	name  string
	start int    // for a link: where its text starts
	href  string // for a link
}

func (w *textWriter) tokens(doc string) {
	z := html.NewTokenizer(strings.NewReader(doc))
	var open []frame
	skip := 0 // > 0 inside an element left out, counting its open descendants
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return
		case html.TextToken:
			if skip == 0 {
				w.text(string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			tag := string(name)
			a := atom.Lookup(name)
			void := tt == html.SelfClosingTagToken || isVoid(tag)
			if skip > 0 {
				if !void {
					skip++
				}
				continue
			}
			var attrs map[string]string
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch key := string(k); key {
				case "style", "class", "hidden", "data-outpost-missing", "href", "start":
					if attrs == nil {
						attrs = make(map[string]string, 2)
					}
					attrs[key] = string(v)
				}
			}
			if hidden(attrs) || leftOut(a) {
				if !void {
					skip = 1
				}
				continue
			}
			f := w.open(a, attrs)
			f.name = tag
			if !void {
				open = append(open, f)
			} else {
				w.close(f)
			}
		case html.EndTagToken:
			if skip > 0 {
				skip--
				continue
			}
			name, _ := z.TagName()
			for i := len(open) - 1; i >= 0; i-- {
				if open[i].name == string(name) {
					for k := len(open) - 1; k >= i; k-- {
						w.close(open[k])
					}
					open = open[:i]
					break
				}
			}
		}
	}
}

// leftOut are elements whose content is no text for a reader.
func leftOut(a atom.Atom) bool {
	switch a {
	case atom.Head, atom.Style, atom.Script, atom.Title, atom.Template, atom.Noscript, atom.Img:
		return true
	}
	return false
}

// open writes what comes before an element's content.
func (w *textWriter) open(a atom.Atom, attrs map[string]string) frame {
	f := frame{a: a}
	switch a {
	case atom.Br:
		w.nl = min(w.nl+1, 2)
		if w.b.Len() == 0 {
			w.nl = 0
		}
	case atom.Hr:
		w.block(2)
		w.word("----")
		w.block(2)
	case atom.A:
		f.start, f.href = w.b.Len(), attrs["href"]
	case atom.Ul, atom.Ol:
		next := -1
		if a == atom.Ol {
			next = 1
			if s, err := strconv.Atoi(attrs["start"]); err == nil {
				next = s
			}
		}
		w.lists = append(w.lists, next)
		w.block(blockBreaks(len(w.lists)))
	case atom.Li:
		w.block(1)
		marker := "- "
		if k := len(w.lists); k > 0 {
			if w.lists[k-1] >= 0 {
				marker = strconv.Itoa(w.lists[k-1]) + ". "
				w.lists[k-1]++
			}
			marker = strings.Repeat("  ", k-1) + marker
		}
		w.prefix = marker
	case atom.Pre:
		w.block(2)
		w.pre++
	default:
		if n := breaks(a); n > 0 {
			w.block(n)
		}
	}
	return f
}

// close writes what comes after an element's content.
func (w *textWriter) close(f frame) {
	switch f.a {
	case atom.A:
		w.link(f)
	case atom.Ul, atom.Ol:
		if len(w.lists) > 0 {
			w.lists = w.lists[:len(w.lists)-1]
		}
		w.block(blockBreaks(len(w.lists) + 1))
	case atom.Li:
		w.prefix = ""
		w.block(1)
	case atom.Pre:
		w.pre--
		w.block(2)
	default:
		if n := breaks(f.a); n > 0 {
			w.block(n)
		}
	}
}

// breaks is the line breaks around a block: a blank line around
// paragraphs, headings, quotes and tables, one line break around cells and
// divisions, none around inline elements.
func breaks(a atom.Atom) int {
	switch a {
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Table:
		return 2
	case atom.Div, atom.Tr, atom.Td, atom.Th, atom.Center, atom.Section, atom.Header, atom.Footer,
		atom.Article, atom.Address, atom.Dl, atom.Dt, atom.Dd, atom.Figure, atom.Body, atom.Html:
		return 1
	}
	return 0
}

// blockBreaks is the spacing of a list at depth: a blank line around a top
// list, a line break around a nested one.
func blockBreaks(depth int) int {
	if depth <= 1 {
		return 2
	}
	return 1
}

// link writes, after a link's text, its URL in parentheses when it is a
// web or email address the text does not already show. A link without text
// (a picture) is left out.
func (w *textWriter) link(f frame) {
	if !w.links {
		return
	}
	shown := strings.TrimSpace(w.b.String()[f.start:])
	if shown == "" {
		return
	}
	href := strings.TrimSpace(f.href)
	scheme, ok := safeLink(href)
	if !ok {
		return
	}
	if scheme == "mailto" {
		href = strings.TrimPrefix(href[len("mailto:"):], "//")
	}
	if strings.HasSuffix(strings.TrimSuffix(shown, "/"), strings.TrimSuffix(href, "/")) {
		return
	}
	w.space = true
	w.word("(" + href + ")")
}

// hidden reports elements a reader never sees: display:none, the preheader,
// and the missing-picture box.
func hidden(attrs map[string]string) bool {
	if attrs == nil {
		return false
	}
	if st, ok := attrs["style"]; ok && strings.Contains(strings.ToLower(strings.Join(strings.Fields(st), "")), "display:none") {
		return true
	}
	for _, c := range strings.Fields(attrs["class"]) {
		if c == "preheader" {
			return true
		}
	}
	_, h := attrs["hidden"]
	_, m := attrs["data-outpost-missing"]
	return h || m
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// asciiFields splits s around ASCII white space only: no-break and narrow
// spaces ("18 h 30", "30 %") hold words together.
func asciiFields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r < 0x80 && isASCIISpace(byte(r)) })
}
