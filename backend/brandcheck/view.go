package brandcheck

import (
	"strings"

	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/library"
)

// localeView is one locale of the campaign, prepared once for every rule:
// the resolved slots, the text each slot brings, the parsed email.
type localeView struct {
	locale   string
	lr       *LocaleRender // nil when the locale was not rendered
	resolved []campaign.Resolved
	slots    map[string]library.Slot

	// Computed when a rule first asks.
	segs    []segment
	words   [][]word // per segment
	tv      *string  // the text version without link addresses
	tvWords []word
	doc     *document
	frags   map[string]*document
	pics    []picture
}

// segment is the text one slot brings to the email.
type segment struct {
	slot string
	kind string // the slot's kind; SlotMarkdown for the footer
	text string // as the reader sees it
	raw  string // as typed: the URL of a link, the Markdown source
}

func (ck *checker) view(locale string, lr *LocaleRender) *localeView {
	v := &localeView{locale: locale, lr: lr, slots: map[string]library.Slot{}}
	for _, s := range campaign.Slots(ck.t) {
		v.slots[s.ID] = s
	}
	v.resolved = campaign.Resolve(ck.c, ck.t, locale, ck.libDefault())
	return v
}

// fragment returns the parsed sanitized HTML of a Markdown slot or the
// footer, nil if the render did not provide it.
func (v *localeView) fragment(slot string) *document {
	if v.lr == nil || v.lr.Fragments == nil {
		return nil
	}
	if d, ok := v.frags[slot]; ok {
		return d
	}
	src, ok := v.lr.Fragments[slot]
	var d *document
	if ok {
		d = parse(src)
	}
	if v.frags == nil {
		v.frags = map[string]*document{}
	}
	v.frags[slot] = d
	return d
}

// document returns the parsed rendered email, nil if not rendered.
func (v *localeView) document() *document {
	if v.lr == nil || v.lr.Result == nil {
		return nil
	}
	if v.doc == nil {
		v.doc = parse(v.lr.Result.HTML)
	}
	return v.doc
}

// segments lists the text of every text, choice, Markdown and link slot,
// in the template's order, then the legal footer.
func (v *localeView) segments() []segment {
	if v.segs != nil {
		return v.segs
	}
	segs := []segment{}
	for _, r := range v.resolved {
		switch r.Kind {
		case library.SlotText, library.SlotChoice:
			segs = append(segs, segment{slot: r.Slot, kind: r.Kind, text: r.Text, raw: r.Text})
		case library.SlotMarkdown:
			text := r.Text
			if d := v.fragment(r.Slot); d != nil {
				text = d.text
			}
			segs = append(segs, segment{slot: r.Slot, kind: r.Kind, text: text, raw: r.Text})
		case library.SlotLink:
			segs = append(segs, segment{slot: r.Slot, kind: r.Kind, raw: strings.TrimSpace(r.Text)})
		}
	}
	if d := v.fragment(SlotFooter); d != nil {
		segs = append(segs, segment{slot: SlotFooter, kind: library.SlotMarkdown, text: d.text})
	}
	v.segs = segs
	return segs
}

// resolvedOf returns a slot's resolved value.
func (v *localeView) resolvedOf(slot string) (campaign.Resolved, bool) {
	for _, r := range v.resolved {
		if r.Slot == slot {
			return r, true
		}
	}
	return campaign.Resolved{}, false
}
