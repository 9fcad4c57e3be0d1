package brandcheck

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// document is what the checks read in a rendered email or fragment.
type document struct {
	anchors []anchor
	images  []image
	colours []string // hex colours in attributes and <style>, normalized, in order
	text    string   // the visible text, whitespace collapsed
}

type anchor struct {
	href string
	text string // whitespace collapsed
}

type image struct {
	src   string
	width int // the layout's width attribute, 0 if none
}

// inline elements do not separate words: "<b>gra</b>tuit" reads "gratuit".
var inline = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Code: true, atom.Del: true, atom.Em: true,
	atom.Font: true, atom.I: true, atom.Mark: true, atom.S: true, atom.Small: true, atom.Span: true,
	atom.Strong: true, atom.Sub: true, atom.Sup: true, atom.U: true,
}

// parse reads an email or a fragment with the HTML tokenizer. Comments
// (Outlook-only markup) are skipped: they repeat the links and colours of
// the markup every client shows.
func parse(src string) *document {
	d := &document{}
	z := html.NewTokenizer(strings.NewReader(src))
	var text strings.Builder
	skip := 0 // inside head, title, script
	inStyle := false
	var a *anchor
	var atext strings.Builder
	space := func() {
		text.WriteByte(' ')
		if a != nil {
			atext.WriteByte(' ')
		}
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if a != nil {
				d.closeAnchor(a, &atext)
			}
			d.text = collapse(text.String())
			return d
		case html.TextToken:
			if inStyle {
				d.colours = append(d.colours, colours(string(z.Text()))...)
				continue
			}
			if skip > 0 {
				continue
			}
			t := string(z.Text())
			text.WriteString(t)
			if a != nil {
				atext.WriteString(t)
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			tok := z.Token()
			switch tok.DataAtom {
			case atom.Head, atom.Title, atom.Script:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			case atom.Style:
				inStyle = tt == html.StartTagToken
				continue
			}
			if !inline[tok.DataAtom] {
				space()
			}
			if tt == html.EndTagToken {
				if tok.DataAtom == atom.A && a != nil {
					d.closeAnchor(a, &atext)
					a = nil
				}
				continue
			}
			d.element(tok)
			switch tok.DataAtom {
			case atom.A:
				if a != nil {
					d.closeAnchor(a, &atext)
				}
				a = &anchor{href: attr(tok, "href")}
				atext.Reset()
			case atom.Img:
				w, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(attr(tok, "width"), "px")))
				d.images = append(d.images, image{src: attr(tok, "src"), width: w})
			}
		}
	}
}

func (d *document) closeAnchor(a *anchor, text *strings.Builder) {
	a.text = collapse(text.String())
	d.anchors = append(d.anchors, *a)
	text.Reset()
}

// element collects the colours of an element's attributes, except on the
// renderer's own stand-in for a missing picture.
func (d *document) element(tok html.Token) {
	for _, at := range tok.Attr {
		if at.Key == "data-outpost-missing" {
			return
		}
	}
	for _, at := range tok.Attr {
		switch at.Key {
		case "style", "bgcolor", "color", "fillcolor", "fill", "background":
			d.colours = append(d.colours, colours(at.Val)...)
		}
	}
}

func attr(tok html.Token, key string) string {
	for _, at := range tok.Attr {
		if at.Key == key {
			return at.Val
		}
	}
	return ""
}

// collapse joins s's words with single spaces.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
