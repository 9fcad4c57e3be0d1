package brandcheck

import (
	"regexp"
	"strings"

	"github.com/outpost-studio/outpost/backend/library"
)

// Colours: a campaign has no colour fields today, so the palette rule
// looks where a locally chosen colour could appear: a hex colour typed
// into a slot's value ("#FF5A5F"), and any colour of the rendered email's
// inline styles, colour attributes and style sheets that neither the
// brand palette nor the template's own HTML has (the template is HQ's:
// its colours are HQ's choice). The renderer's stand-in for a missing
// picture is left out (it is a finding of its own).

type paletteParams struct {
	OnlyPalette *bool    `json:"only_palette"` // default true
	Extra       []string `json:"extra"`        // more allowed colours, "#RRGGBB"

	allowed map[string]bool
}

func checkPalette(p any) (string, bool) {
	pp := p.(*paletteParams)
	pp.allowed = map[string]bool{}
	for _, c := range nonEmpty(pp.Extra) {
		n := normColour(c)
		if n == "" {
			return "extra", true
		}
		pp.allowed[n] = true
	}
	return "", false
}

// hexInCSS is a hex colour in CSS or an attribute: #RGB, #RGBA, #RRGGBB,
// #RRGGBBAA.
var hexInCSS = regexp.MustCompile(`#(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3,4})\b`)

// hexInText is a hex colour in typed text: only the six- and eight-digit
// forms, as "#123" is more often a number.
var hexInText = regexp.MustCompile(`#(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{6})\b`)

func colours(s string) []string {
	if !strings.Contains(s, "#") {
		return nil
	}
	var out []string
	for _, m := range hexInCSS.FindAllString(s, -1) {
		if n := normColour(m); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// normColour writes a colour as "#RRGGBB" in capitals, alpha dropped; ""
// if it is not one.
func normColour(c string) string {
	c = strings.ToUpper(strings.TrimPrefix(strings.TrimSpace(c), "#"))
	for _, r := range c {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'F') {
			return ""
		}
	}
	switch len(c) {
	case 3, 4:
		return "#" + string([]byte{c[0], c[0], c[1], c[1], c[2], c[2]})
	case 6, 8:
		return "#" + c[:6]
	}
	return ""
}

func runPalette(ck *checker, r *rule, ls []*localeView) {
	p := r.params.(*paletteParams)
	if !on(p.OnlyPalette) {
		return
	}
	allowed := map[string]bool{}
	for c := range p.allowed {
		allowed[c] = true
	}
	for _, c := range ck.ix.Content.Brand.Palette {
		if n := normColour(c.Hex); n != "" {
			allowed[n] = true
		}
	}
	for _, v := range ls {
		if !r.applies(v.locale) {
			continue
		}
		typed := map[string]bool{}
		for _, res := range v.resolved {
			if res.Kind != library.SlotText && res.Kind != library.SlotMarkdown && res.Kind != library.SlotChoice {
				continue
			}
			for _, m := range hexInText.FindAllString(res.Text, -1) {
				n := normColour(m)
				typed[n] = true
				if !allowed[n] {
					ck.add(r, v.locale, res.Slot, CodeColourOffPalette, "colour", n)
				}
			}
		}
		d := v.document()
		if d == nil {
			continue
		}
		own := map[string]bool{}
		for _, c := range colours(v.lr.Email.Layout) {
			own[c] = true
		}
		for _, c := range d.colours {
			if !allowed[c] && !own[c] && !typed[c] {
				ck.add(r, v.locale, SlotLayout, CodeColourOffPalette, "colour", c)
			}
		}
	}
}
