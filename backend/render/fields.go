package render

import (
	"context"
	"fmt"
	"html/template"
	"regexp"
	"strings"
	"time"

	"github.com/outpost-studio/outpost/backend/library"
)

// value is one placeholder's value, ready for each context it stands in.
type value struct {
	html     template.HTML // element content
	text     string        // plain text on one line
	href     template.URL  // a checked link, "#" if it failed the check
	src      template.URL  // a checked image URL
	alt      string
	missing  bool // no picture to show: the box instead
	w, h     int  // the image's size, for the box when the layout declares none
	markdown bool // html is a Markdown fragment, to inline where it stands
}

// box is the visible stand-in for a missing picture, at the size the layout
// declares for it.
func (v *value) box(w, h int) template.HTML {
	if w <= 0 {
		w = v.w
	}
	if h <= 0 {
		h = v.h
	}
	if w <= 0 {
		w = 600
	}
	if h <= 0 {
		h = w / 2
	}
	return template.HTML(fmt.Sprintf(`<span data-outpost-missing="" style="display: inline-block; `+
		`width: %dpx; max-width: 100%%; height: %dpx; line-height: %dpx; background-color: #D9D9D9; `+
		`color: #555555; text-align: center; vertical-align: middle; font-family: Arial, Helvetica, sans-serif; `+
		`font-size: 14px;">Missing image</span>`, w, h, h))
}

// state is what one render executes the layout with.
type state struct {
	vals     map[string]*value
	frags    []template.HTML // inlined Markdown by placeholder number
	problems []Problem
}

// html is the element content of placeholder k, name: its inlined Markdown
// when there is some.
func (s *state) html(name string, k int) template.HTML {
	if k >= 0 && k < len(s.frags) && s.frags[k] != "" {
		return s.frags[k]
	}
	return s.get(name).html
}

var noValue = &value{missing: true}

func (s *state) get(name string) *value {
	if v, ok := s.vals[name]; ok {
		return v
	}
	return noValue
}

func (s *state) problem(slot string, code Problem) {
	code.Slot = slot
	s.problems = append(s.problems, code)
}

// field returns the value of a placeholder: the legal footer and the
// unsubscribe link come from the email, the rest from its fields.
func field(e *Email, name string) (Field, bool) {
	switch name {
	case "footer":
		if e.Footer != "" {
			return Field{Kind: library.SlotMarkdown, Value: e.Footer}, true
		}
		if f, ok := e.Fields[name]; ok {
			return f, true
		}
		return Field{Kind: library.SlotMarkdown}, true
	case "unsubscribe":
		if e.Unsubscribe != "" {
			return Field{Kind: library.SlotLink, Value: e.Unsubscribe}, true
		}
		if f, ok := e.Fields[name]; ok {
			return f, true
		}
		return Field{Kind: library.SlotLink}, true
	}
	f, ok := e.Fields[name]
	return f, ok
}

// resolve prepares the value of every placeholder of l, converting the
// Markdown fields together under one deadline.
func (r *Renderer) resolve(ctx context.Context, l *layout, e *Email) (*state, error) {
	s := &state{vals: make(map[string]*value, len(l.names))}
	var mdNames, mdSrcs []string
	unsub := ""
	for _, name := range l.names {
		f, ok := field(e, name)
		if !ok {
			s.problem(name, Problem{Code: CodePlaceholderUnknown})
			s.vals[name] = &value{missing: true}
			continue
		}
		if len(f.Value) > MaxFieldBytes {
			res := tooLarge(len(f.Value))
			s.problem(name, res.problems[0])
			s.vals[name] = &value{html: res.html, href: "#", missing: true}
			continue
		}
		uses := l.uses[name]
		v := &value{}
		s.vals[name] = v
		switch f.Kind {
		case library.SlotMarkdown:
			src := f.Value
			if name == "footer" {
				src, unsub = s.footer(src, e)
			}
			mdNames = append(mdNames, name)
			mdSrcs = append(mdSrcs, src)
		case library.SlotImage:
			s.image(name, v, f)
		case library.SlotLink:
			v.html = textHTML(f.Value)
			v.text = oneLine(f.Value)
			v.alt = v.text
		case library.SlotDate:
			d := s.date(name, f.Value, e.Locale)
			v.html, v.text, v.alt = textHTML(d), d, d
		default: // text, choice
			v.html = textHTML(f.Value)
			v.text = oneLine(f.Value)
			v.alt = v.text
		}
		if f.Kind != library.SlotImage && has(uses, ctxSrc) {
			s.imageURL(name, v, f.Value)
		}
		if f.Kind == library.SlotLink || has(uses, ctxHref) {
			v.href = s.link(name, f.Value)
		}
	}
	if len(mdSrcs) == 0 {
		return s, nil
	}
	out, err := r.markdownAll(ctx, mdSrcs)
	if err != nil {
		return nil, err
	}
	for i, name := range mdNames {
		v := s.vals[name]
		v.html, v.text, v.alt, v.markdown = out[i].html, out[i].text, out[i].text, true
		for _, p := range out[i].problems {
			if name == "footer" && unsub != "" && p.Code == CodeUnsafeLinkDropped && p.Params["url"] == unsub {
				continue // reported once, on the unsubscribe link
			}
			s.problem(name, p)
		}
	}
	return s, nil
}

// footer puts the unsubscribe link into the legal footer's Markdown, as a
// link destination in "[text]({{unsubscribe}})" and as an autolink
// elsewhere. An unsafe link is reported on "unsubscribe": the link becomes
// "#", which the footer then drops without reporting it again (the second
// result), and a bare placeholder becomes nothing.
func (s *state) footer(src string, e *Email) (string, string) {
	if !placeholderRe.MatchString(src) {
		return src, ""
	}
	dest, bare, stand := "#", "", "#"
	if scheme, ok := safeLink(e.Unsubscribe); ok {
		dest = markdownURL(strings.TrimSpace(e.Unsubscribe))
		bare, stand = dest, ""
	} else if strings.TrimSpace(e.Unsubscribe) != "" {
		s.problem("unsubscribe", unsafeLink(e.Unsubscribe, scheme))
	}
	src = unsubscribeDestRe.ReplaceAllLiteralString(src, "]("+dest)
	return placeholderRe.ReplaceAllStringFunc(src, func(m string) string {
		if placeholderRe.FindStringSubmatch(m)[1] != "unsubscribe" {
			return m
		}
		return bare
	}), stand
}

// unsubscribeDestRe is the unsubscribe placeholder as a link destination.
var unsubscribeDestRe = regexp.MustCompile(`\]\(\s*\{\{\s*unsubscribe\s*\}\}`)

func (s *state) link(name, raw string) template.URL {
	if strings.TrimSpace(raw) == "" {
		return "#"
	}
	scheme, ok := safeLink(raw)
	if !ok {
		s.problem(name, unsafeLink(raw, scheme))
		return "#"
	}
	return template.URL(strings.TrimSpace(raw))
}

func (s *state) image(name string, v *value, f Field) {
	img := f.Image
	if img == nil || img.Missing {
		s.problem(name, Problem{Code: CodeImageMissing})
		v.missing = true
		if img != nil {
			v.w, v.h = img.Width, img.Height
			v.alt, v.text = oneLine(img.Alt), oneLine(img.Alt)
		}
		return
	}
	v.w, v.h = img.Width, img.Height
	v.alt, v.text = oneLine(img.Alt), oneLine(img.Alt)
	v.html = textHTML(img.Alt)
	s.imageURL(name, v, img.URL)
}

func (s *state) imageURL(name string, v *value, raw string) {
	scheme, ok := safeImage(raw)
	if !ok {
		if strings.TrimSpace(raw) == "" {
			s.problem(name, Problem{Code: CodeImageMissing})
		} else {
			s.problem(name, unsafeLink(raw, scheme))
		}
		v.missing = true
		return
	}
	v.src = template.URL(strings.TrimSpace(raw))
}

// date writes a "YYYY-MM-DD" value for the locale; anything else is shown
// as typed and reported.
func (s *state) date(name, raw, locale string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	t, err := time.Parse(time.DateOnly, raw)
	if err != nil {
		s.problem(name, Problem{Code: CodeDateInvalid, Params: map[string]string{"value": clip(raw)}})
		return raw
	}
	return formatDate(t, locale)
}

// textHTML escapes text for element content; its line breaks become <br>.
func textHTML(s string) template.HTML {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = template.HTMLEscapeString(l)
	}
	return template.HTML(strings.Join(lines, "<br>"))
}

// oneLine is text for an attribute or <title>: its line breaks become spaces.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }), " ")
}

func has(xs []ctx, x ctx) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
