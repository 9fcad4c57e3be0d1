package brandcheck

import (
	"strings"
)

// Blocks a required_block rule can require.
const (
	BlockLegalFooter = "legal_footer" // the region's country's legal footer, in the locale
	BlockUnsubscribe = "unsubscribe"  // a working unsubscribe link
)

type blockParams struct {
	Block string `json:"block"`
}

func checkBlock(p any) (string, bool) {
	switch p.(*blockParams).Block {
	case BlockLegalFooter, BlockUnsubscribe:
		return "", false
	}
	return "block", true
}

func runBlock(ck *checker, r *rule, ls []*localeView) {
	p := r.params.(*blockParams)
	for _, v := range ls {
		if !r.applies(v.locale) {
			continue
		}
		switch p.Block {
		case BlockLegalFooter:
			ck.legalFooter(r, v)
		case BlockUnsubscribe:
			ck.unsubscribe(r, v)
		}
	}
}

// legalFooter: the region's (first) country has a footer, written in the
// locale, and its text is in the rendered email and in its text version.
func (ck *checker) legalFooter(r *rule, v *localeView) {
	if ck.region == nil {
		return // reported as an unknown region
	}
	country := ""
	if len(ck.region.Countries) > 0 {
		country = ck.region.Countries[0]
	}
	var text string
	found := false
	for _, f := range ck.ix.Content.Footers {
		if f.Country == country && country != "" {
			found = true
			if !f.Text.Has(v.locale) {
				ck.add(r, v.locale, SlotFooter, CodeFooterLanguage, "country", country, "locale", v.locale)
			}
			text = f.Text.In(v.locale, ck.libDefault())
		}
	}
	if !found || strings.TrimSpace(text) == "" {
		ck.add(r, v.locale, SlotFooter, CodeFooterMissing, "country", country)
		return
	}
	d := v.document()
	frag := v.fragment(SlotFooter)
	if d == nil || frag == nil {
		return // not rendered: reported as such
	}
	want := frag.text
	if want == "" || !strings.Contains(d.text, want) || !strings.Contains(collapse(v.textVersion()), want) {
		ck.add(r, v.locale, SlotFooter, CodeFooterMissing, "country", country)
	}
}

// unsubscribe: the library gives an unsubscribe link and the rendered
// email has a link to it.
func (ck *checker) unsubscribe(r *rule, v *localeView) {
	if v.lr == nil {
		return
	}
	u := strings.TrimSpace(v.lr.Email.Unsubscribe)
	if u == "" {
		ck.add(r, v.locale, SlotUnsubscribe, CodeUnsubscribeMissing)
		return
	}
	d := v.document()
	if d == nil {
		return
	}
	key := linkKey(u)
	for _, a := range d.anchors {
		if linkKey(a.href) == key {
			return
		}
	}
	ck.add(r, v.locale, SlotUnsubscribe, CodeUnsubscribeMissing)
}
