package render

import (
	"html/template"
	"strconv"
	"strings"
)

// A Markdown fragment is inlined by itself, inside the chain of elements
// that surround its placeholder in the inlined layout, with the rules of the
// layout that can reach it (layout.fragCSS): ".content p" styles the
// paragraphs of the body, ".footer a" the links of the legal footer. The
// result is memoized by layout, place and fragment, so a keystroke inlines
// one small fragment rather than the whole email. Selectors that depend on
// the siblings of the surrounding elements are the one thing this cannot
// see; email stylesheets style by class and descent.

const (
	fragOpen  = "<!--outpost:fragment-->"
	fragClose = "<!--/outpost:fragment-->"
)

// inlineFragments sets the inlined HTML of each Markdown placeholder of l.
func (r *Renderer) inlineFragments(l *layout, s *state) error {
	if l.fragCSS == "" {
		return nil
	}
	s.frags = make([]template.HTML, len(l.slots))
	for k, u := range l.slots {
		v := s.get(u.name)
		if !v.markdown || v.html == "" || !u.flow {
			continue
		}
		key := l.id + "\x00" + strconv.Itoa(k) + "\x00" + string(v.html)
		if res, ok := r.frags.get(key); ok {
			s.frags[k] = res.html
			continue
		}
		out, err := inlineFragment(u.chain, l.fragCSS, string(v.html))
		if err != nil {
			return err
		}
		r.frags.put(key, mdResult{html: template.HTML(out)})
		s.frags[k] = template.HTML(out)
	}
	return nil
}

func inlineFragment(chain []string, css, frag string) (string, error) {
	var b strings.Builder
	b.Grow(len(frag) + len(css) + 512)
	b.WriteString("<!DOCTYPE html><html><head><style>\n")
	b.WriteString(css)
	b.WriteString("</style></head>")
	var names []string
	for _, raw := range chain {
		name := tagName(raw)
		if name == "html" || name == "head" {
			continue
		}
		b.WriteString(raw)
		names = append(names, name)
	}
	b.WriteString(fragOpen)
	b.WriteString(frag)
	b.WriteString(fragClose)
	for i := len(names) - 1; i >= 0; i-- {
		b.WriteString("</" + names[i] + ">")
	}
	out, err := inlineCSS(b.String())
	if err != nil {
		return "", err
	}
	i := strings.Index(out, fragOpen)
	j := strings.LastIndex(out, fragClose)
	if i < 0 || j < i {
		return frag, nil // the parser moved the markers: keep the fragment as it was
	}
	return out[i+len(fragOpen) : j], nil
}

// tagName is the lowercased name of a raw start tag.
func tagName(raw string) string {
	i := 1
	for i < len(raw) && !strings.ContainsRune(" \t\n\r\f/>", rune(raw[i])) {
		i++
	}
	return strings.ToLower(raw[1:i])
}
