package brandcheck

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/outpost-studio/outpost/backend/library"
)

// Text rules read each slot's text (a Markdown slot's as the reader sees
// it, once sanitized) and then the email's text version, which also
// carries the template's own words: a match there that no slot explains
// is reported on the whole email (slot "").

type wordsParams struct {
	Words   []string `json:"words"`
	Phrases []string `json:"phrases"`
}

func checkWords(p any) (string, bool) {
	w := p.(*wordsParams)
	w.Words, w.Phrases = nonEmpty(w.Words), nonEmpty(w.Phrases)
	return "", false
}

type term struct {
	orig   string
	folded []string
}

func runWords(ck *checker, r *rule, ls []*localeView) {
	p := r.params.(*wordsParams)
	var terms []term
	for _, s := range append(append([]string(nil), p.Words...), p.Phrases...) {
		if f := ck.fold.foldedWords(s); len(f) > 0 {
			terms = append(terms, term{orig: s, folded: f})
		}
	}
	if len(terms) == 0 {
		return
	}
	for _, v := range ls {
		if !r.applies(v.locale) {
			continue
		}
		found := map[string]bool{}
		for i, seg := range v.segments() {
			ws := v.segWords(ck, i)
			for _, t := range terms {
				if at := matchWords(ws, t.folded); at >= 0 {
					ck.add(r, v.locale, seg.slot, CodeWordRestricted, "term", t.orig, "found", joinOrig(ws[at:at+len(t.folded)]))
					found[t.orig] = true
				}
			}
		}
		ws := v.textWords(ck)
		for _, t := range terms {
			if at := matchWords(ws, t.folded); at >= 0 && !found[t.orig] {
				ck.add(r, v.locale, SlotLayout, CodeWordRestricted, "term", t.orig, "found", joinOrig(ws[at:at+len(t.folded)]))
			}
		}
	}
}

// matchWords finds the words of a term, one after the other, in ws.
func matchWords(ws []word, t []string) int {
	for i := 0; i+len(t) <= len(ws); i++ {
		ok := true
		for j := range t {
			if ws[i+j].folded != t[j] {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}

func joinOrig(ws []word) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.orig
	}
	return strings.Join(parts, " ")
}

// segWords returns the words of segment i, split once per locale.
func (v *localeView) segWords(ck *checker, i int) []word {
	if v.words == nil {
		segs := v.segments()
		v.words = make([][]word, len(segs))
		for j, s := range segs {
			v.words[j] = ck.fold.words(s.text)
		}
	}
	return v.words[i]
}

// textVersion is the email's text version without the link addresses it
// writes after each link's text, "" if the locale was not rendered.
func (v *localeView) textVersion() string {
	if v.lr == nil || v.lr.Result == nil {
		return ""
	}
	if v.tv == nil {
		s := withoutLinks(v.lr.Result.Text)
		v.tv = &s
	}
	return *v.tv
}

// withoutLinks drops the addresses a text version writes after each
// link's text, "text (https://…)", and bare addresses.
func withoutLinks(s string) string {
	s = linkAfterText.ReplaceAllString(s, "")
	return bareLink.ReplaceAllString(s, " ")
}

var (
	linkAfterText = regexp.MustCompile(`[ \t]?\((?:(?:https?|mailto):[^\s()]*|[^\s()@]+@[^\s()]+)\)`)
	bareLink      = regexp.MustCompile(`(?:https?|mailto):[^\s()]+`)
)

func (v *localeView) textWords(ck *checker) []word {
	if v.tvWords == nil {
		v.tvWords = ck.fold.words(v.textVersion())
	}
	return v.tvWords
}

type regexParams struct {
	Pattern  string   `json:"pattern"`
	Patterns []string `json:"patterns"`

	compiled []*regexp.Regexp
}

// maxPattern bounds a pattern's size; RE2 runs in linear time, but a huge
// program costs memory.
const maxPattern = 4096

func checkRegex(p any) (string, bool) {
	rp := p.(*regexParams)
	all := nonEmpty(append([]string{rp.Pattern}, rp.Patterns...))
	if len(all) == 0 {
		return "pattern", true
	}
	f := newFolder()
	for _, s := range all {
		if len(s) > maxPattern {
			return "pattern", true
		}
		// Diacritics are stripped from the pattern as from the text; case
		// is the pattern's own business ((?i)): lowercasing a pattern would
		// change its meaning (\S, \P{Lu}).
		re, err := regexp.Compile(f.unaccent(s))
		if err != nil {
			return "pattern", true
		}
		rp.compiled = append(rp.compiled, re)
	}
	return "", false
}

func runRegex(ck *checker, r *rule, ls []*localeView) {
	p := r.params.(*regexParams)
	for _, v := range ls {
		if !r.applies(v.locale) {
			continue
		}
		found := map[string]bool{}
		for _, seg := range v.segments() {
			if seg.kind == library.SlotLink {
				continue
			}
			s := ck.regexText(seg.text)
			for _, re := range p.compiled {
				if loc := re.FindStringIndex(s); loc != nil && loc[1] > loc[0] {
					m := s[loc[0]:loc[1]]
					ck.add(r, v.locale, seg.slot, CodePatternRestricted, "found", strings.TrimSpace(asTyped(seg.text, s, loc)))
					found[m] = true
				}
			}
		}
		s := ck.regexText(v.textVersion())
		for _, re := range p.compiled {
			for _, loc := range re.FindAllStringIndex(s, -1) {
				if m := s[loc[0]:loc[1]]; m != "" && !found[m] {
					ck.add(r, v.locale, SlotLayout, CodePatternRestricted, "found", strings.TrimSpace(asTyped(v.textVersion(), s, loc)))
					break
				}
			}
		}
	}
}

// asTyped returns the part of orig that matched at loc in its regexText
// form, accents and all, when stripping kept one character per character
// (precomposed letters, as campaign values are in NFC); else the match.
func asTyped(orig, stripped string, loc []int) string {
	if utf8.RuneCountInString(orig) != utf8.RuneCountInString(stripped) {
		return stripped[loc[0]:loc[1]]
	}
	from := utf8.RuneCountInString(stripped[:loc[0]])
	n := utf8.RuneCountInString(stripped[loc[0]:loc[1]])
	var b strings.Builder
	i := 0
	for _, r := range orig {
		if i >= from && i < from+n {
			b.WriteRune(r)
		}
		i++
	}
	return b.String()
}

// regexText is text as patterns read it: diacritics stripped and every
// space a plain space ("-60 %" typed with a no-break space still matches
// `-60\s?%`).
func (ck *checker) regexText(s string) string {
	s = ck.fold.unaccent(s)
	return strings.Map(func(r rune) rune {
		if r != ' ' && unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s)
}

type placeholderParams struct {
	Patterns []string `json:"patterns"`
}

func checkPlaceholders(p any) (string, bool) {
	pp := p.(*placeholderParams)
	pp.Patterns = nonEmpty(pp.Patterns)
	return "", false
}

func runPlaceholders(ck *checker, r *rule, ls []*localeView) {
	p := r.params.(*placeholderParams)
	folded := make([]string, len(p.Patterns))
	for i, s := range p.Patterns {
		folded[i] = ck.fold.fold(s)
	}
	for _, v := range ls {
		if !r.applies(v.locale) {
			continue
		}
		found := map[string]bool{}
		for _, seg := range v.segments() {
			// A Markdown slot's source also holds its links' addresses.
			s := seg.text
			switch seg.kind {
			case library.SlotLink:
				s = seg.raw
			case library.SlotMarkdown:
				s += "\n" + seg.raw
			}
			s = ck.fold.fold(s)
			for i, f := range folded {
				if containsTerm(s, f) >= 0 {
					ck.add(r, v.locale, seg.slot, CodePlaceholderLeft, "placeholder", p.Patterns[i])
					found[f] = true
				}
			}
		}
		s := ck.fold.fold(v.textVersion())
		for i, f := range folded {
			if !found[f] && containsTerm(s, f) >= 0 {
				ck.add(r, v.locale, SlotLayout, CodePlaceholderLeft, "placeholder", p.Patterns[i])
			}
		}
	}
}
