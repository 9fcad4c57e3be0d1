package brandcheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sort"
	"strings"

	"github.com/outpost-studio/outpost/backend/library"
)

// Rule kinds. The first group comes from HQ's rule pack; the built-in
// kinds run with the rule ids below unless the pack declares a rule of
// the same kind, which then replaces the built-in one (to change its
// severity or locales).
const (
	KindRestrictedWords = "restricted_words"
	KindRestrictedRegex = "restricted_regex"
	KindRequiredBlock   = "required_block"
	KindLinkDomains     = "link_domains"
	KindImageQuality    = "image_quality"
	KindLength          = "length"
	KindTone            = "tone"
	KindPalette         = "palette"
	KindPlaceholders    = "placeholders"
	KindUntranslated    = "untranslated"
	KindAudience        = "audience"
	KindSendWindow      = "send_window"
	KindHTMLWeight      = "html_weight"
	KindAssetExpiry     = "asset_expiry"

	KindRequiredSlots = "required_slots" // built in: required slots filled, pictures found
	KindImageRegion   = "image_region"   // built in: pictures allowed in the region
	KindImageImport   = "image_import"   // built in: local photos approved
	KindRender        = "render"         // built in: what the renderer had to drop
)

// builtins run unless the pack has a rule of their kind.
var builtins = []library.Rule{
	{ID: "outpost:required-slots", Kind: KindRequiredSlots, Severity: SeverityError},
	{ID: "outpost:image-region", Kind: KindImageRegion, Severity: SeverityError},
	{ID: "outpost:image-import", Kind: KindImageImport, Severity: SeverityWarning},
	{ID: "outpost:render", Kind: KindRender, Severity: SeverityWarning},
}

// rule is a rule of the pack, its params decoded.
type rule struct {
	library.Rule
	locales map[string]bool // nil: every locale
	params  any
	run     func(ck *checker, r *rule, ls []*localeView)
	bad     *Finding // the rule cannot run: rule_unknown or rule_invalid
}

// applies reports whether the rule checks locale.
func (r *rule) applies(locale string) bool { return r.locales == nil || r.locales[locale] }

// kindSpec decodes one kind's params and runs it.
type kindSpec struct {
	params func() any                 // a pointer to the zero params
	check  func(p any) (string, bool) // the field in error, if any
	run    func(ck *checker, r *rule, ls []*localeView)
}

var kinds = map[string]kindSpec{
	KindRestrictedWords: {func() any { return new(wordsParams) }, checkWords, runWords},
	KindRestrictedRegex: {func() any { return new(regexParams) }, checkRegex, runRegex},
	KindRequiredBlock:   {func() any { return new(blockParams) }, checkBlock, runBlock},
	KindLinkDomains:     {func() any { return new(linkParams) }, checkLinks, runLinks},
	KindImageQuality:    {func() any { return new(imageParams) }, checkImage, runImageQuality},
	KindLength:          {func() any { return new(lengthParams) }, checkLength, runLength},
	KindTone:            {func() any { return new(toneParams) }, checkTone, runTone},
	KindPalette:         {func() any { return new(paletteParams) }, checkPalette, runPalette},
	KindPlaceholders:    {func() any { return new(placeholderParams) }, checkPlaceholders, runPlaceholders},
	KindUntranslated:    {func() any { return new(noParams) }, nil, runUntranslated},
	KindAudience:        {func() any { return new(audienceParams) }, nil, runAudience},
	KindSendWindow:      {func() any { return new(windowParams) }, checkWindow, runWindow},
	KindHTMLWeight:      {func() any { return new(weightParams) }, checkWeight, runWeight},
	KindAssetExpiry:     {func() any { return new(noParams) }, nil, runExpiry},
	KindRequiredSlots:   {func() any { return new(noParams) }, nil, runRequired},
	KindImageRegion:     {func() any { return new(noParams) }, nil, runImageRegion},
	KindImageImport:     {func() any { return new(noParams) }, nil, runImageImport},
	KindRender:          {func() any { return new(noParams) }, nil, runRender},
}

type noParams struct{}

// compile decodes every rule of the pack, plus the built-in rules the
// pack does not replace, in a stable order (by id, then kind): the order
// of the pack does not change the findings.
func compile(pack library.RulePack) []*rule {
	declared := map[string]bool{}
	for _, r := range pack.Rules {
		declared[r.Kind] = true
	}
	all := append([]library.Rule(nil), pack.Rules...)
	for _, b := range builtins {
		if !declared[b.Kind] {
			all = append(all, b)
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].ID != all[j].ID {
			return all[i].ID < all[j].ID
		}
		if all[i].Kind != all[j].Kind {
			return all[i].Kind < all[j].Kind
		}
		return bytes.Compare(all[i].Params, all[j].Params) < 0
	})
	ids := map[string]int{}
	for _, r := range all {
		ids[r.ID]++
	}
	out := make([]*rule, 0, len(all))
	for _, lr := range all {
		r := &rule{Rule: lr}
		out = append(out, r)
		invalid := func(field string) {
			f := finding(lr.ID, SeverityError, "", "", CodeRuleInvalid, "kind", lr.Kind, "field", field)
			r.bad = &f
		}
		spec, ok := kinds[lr.Kind]
		switch {
		case !ok:
			f := finding(lr.ID, SeverityWarning, "", "", CodeRuleUnknown, "kind", lr.Kind)
			r.bad = &f
			continue
		case lr.ID == "":
			invalid("id")
			continue
		case ids[lr.ID] > 1:
			invalid("id") // two rules share the id: findings could not say which
			continue
		case lr.Severity != SeverityError && lr.Severity != SeverityWarning:
			invalid("severity")
			continue
		}
		p := spec.params()
		if err := decodeParams(lr.Params, p); err != nil {
			invalid("params")
			continue
		}
		if spec.check != nil {
			if field, bad := spec.check(p); bad {
				invalid(field)
				continue
			}
		}
		if len(lr.Locales) > 0 {
			r.locales = map[string]bool{}
			for _, l := range lr.Locales {
				r.locales[l] = true
			}
		}
		r.params, r.run = p, spec.run
	}
	return out
}

// decodeParams reads a rule's params strictly: an unknown field is a typo
// that would silently disable a check, so it is refused.
func decodeParams(raw json.RawMessage, into any) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data")
	}
	return nil
}

// nonEmpty trims the entries of a list and drops the empty ones.
func nonEmpty(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
