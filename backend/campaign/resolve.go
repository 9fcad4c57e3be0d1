package campaign

import (
	"github.com/outpost-studio/outpost/backend/library"
)

// Where a resolved value comes from.
const (
	SourceOwn      = "own"      // typed or chosen in this locale
	SourceFallback = "fallback" // taken from another locale: not translated yet
	SourceDefault  = "default"  // HQ's default for this locale
	SourceLocked   = "locked"   // HQ's fixed value
	SourceEmpty    = "empty"    // nothing at all
)

// Resolved is a slot's value in one locale, as the email will show it.
type Resolved struct {
	Slot   string `json:"slot"`
	Kind   string `json:"kind"`
	Lock   string `json:"lock"`
	Value  string `json:"value"`  // what is stored: text, Markdown, URL, date, option id or asset id
	Text   string `json:"text"`   // what renders: for choices the option's value in this locale
	Option string `json:"option"` // for choices, the chosen option id
	Source string `json:"source"`
}

// Untranslated reports whether the value is text in another language. A
// choice inherited from the default locale is a fallback but shows the
// option's own words in each locale, so it is never untranslated.
func (r Resolved) Untranslated() bool {
	return r.Source == SourceFallback && (r.Kind == library.SlotText || r.Kind == library.SlotMarkdown)
}

// Resolve returns every slot of the campaign's template in one locale, in
// the template's order. libDefault is the library's first locale, where
// HQ's own values fall back to.
func Resolve(c *Campaign, t *library.Template, locale, libDefault string) []Resolved {
	slots := Slots(t)
	out := make([]Resolved, len(slots))
	for i, s := range slots {
		out[i] = resolveSlot(c, s, locale, libDefault)
	}
	return out
}

func resolveSlot(c *Campaign, s library.Slot, locale, libDefault string) Resolved {
	r := Resolved{Slot: s.ID, Kind: s.Kind, Lock: s.Lock}
	hq := func() {
		if !s.Default.Has(locale) && s.Default.Has(libDefault) && isText(s.Kind) {
			r.Source = SourceFallback // HQ did not translate it into this locale
		}
		r.Value = s.Default.In(locale, libDefault)
	}
	switch {
	case s.Lock == library.LockLocked:
		r.Source = SourceLocked
		hq()
		if r.Source != SourceFallback {
			r.Source = SourceLocked
		}
	case c.Values[locale][s.ID] != "":
		r.Value, r.Source = c.Values[locale][s.ID], SourceOwn
	case locale != c.DefaultLocale() && c.Values[c.DefaultLocale()][s.ID] != "":
		r.Value, r.Source = c.Values[c.DefaultLocale()][s.ID], SourceFallback
	default:
		r.Source = SourceDefault
		hq()
		if r.Value == "" && s.Lock == library.LockChoice && len(s.Options) > 0 && s.Limits.Required {
			r.Value = s.Options[0].ID
		}
	}
	if r.Value == "" {
		r.Source = SourceEmpty
	}
	r.Text = r.Value
	if s.Lock == library.LockChoice {
		r.Option = r.Value
		r.Text = ""
		for _, o := range s.Options {
			if o.ID == r.Value {
				r.Text = o.Value.In(locale, libDefault)
			}
		}
	}
	return r
}

func isText(kind string) bool { return kind == library.SlotText || kind == library.SlotMarkdown }
