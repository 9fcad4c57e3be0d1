package brandcheck

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/outpost-studio/outpost/backend/library"
)

// Copy rules: how long each slot is, how it sounds, whether it is in the
// email's language.

type lengthParams struct {
	Slot  string   `json:"slot"`
	Slots []string `json:"slots"`
	Max   int      `json:"max"`
	Min   int      `json:"min"`
}

func checkLength(p any) (string, bool) {
	lp := p.(*lengthParams)
	lp.Slots = nonEmpty(append([]string{lp.Slot}, lp.Slots...))
	switch {
	case len(lp.Slots) == 0:
		return "slot", true
	case lp.Max < 0 || lp.Min < 0 || (lp.Max == 0 && lp.Min == 0) || (lp.Max > 0 && lp.Min > lp.Max):
		return "max", true
	}
	return "", false
}

// runLength counts characters as the reader sees them: a choice's words,
// a Markdown slot's text. An empty slot is the required-slot check's.
func runLength(ck *checker, r *rule, ls []*localeView) {
	p := r.params.(*lengthParams)
	for _, v := range ls {
		if !r.applies(v.locale) {
			continue
		}
		for _, slot := range p.Slots {
			text, ok := v.textOf(slot)
			if !ok || text == "" {
				continue
			}
			n := utf8.RuneCountInString(text)
			if p.Max > 0 && n > p.Max {
				ck.add(r, v.locale, slot, CodeTooLong, "length", strconv.Itoa(n), "max", strconv.Itoa(p.Max))
			}
			if p.Min > 0 && n < p.Min {
				ck.add(r, v.locale, slot, CodeTooShort, "length", strconv.Itoa(n), "min", strconv.Itoa(p.Min))
			}
		}
	}
}

// textOf is a text, choice or Markdown slot's text as the reader sees it.
func (v *localeView) textOf(slot string) (string, bool) {
	for _, seg := range v.segments() {
		if seg.slot == slot && seg.kind != library.SlotLink {
			return strings.TrimSpace(seg.text), true
		}
	}
	return "", false
}

type toneParams struct {
	MaxExclamations *int     `json:"max_exclamations"`
	MaxCapsWords    *int     `json:"max_caps_words"`
	MaxEmoji        *int     `json:"max_emoji"`
	MinCapsLetters  int      `json:"min_caps_letters"` // a word in capitals has at least this many letters; 0 means 3
	AllowCaps       []string `json:"allow_caps"`       // acronyms that do not count
}

func checkTone(p any) (string, bool) {
	tp := p.(*toneParams)
	for name, n := range map[string]*int{"max_exclamations": tp.MaxExclamations, "max_caps_words": tp.MaxCapsWords, "max_emoji": tp.MaxEmoji} {
		if n != nil && *n < 0 {
			return name, true
		}
	}
	if tp.MinCapsLetters < 0 {
		return "min_caps_letters", true
	}
	if tp.MinCapsLetters == 0 {
		tp.MinCapsLetters = 3
	}
	return "", false
}

// runTone counts, per slot the office writes (not the legal footer), the
// exclamation marks, the words in capitals and the emoji.
func runTone(ck *checker, r *rule, ls []*localeView) {
	p := r.params.(*toneParams)
	allowed := map[string]bool{}
	for _, a := range p.AllowCaps {
		allowed[strings.ToUpper(strings.TrimSpace(a))] = true
	}
	for _, v := range ls {
		if !r.applies(v.locale) {
			continue
		}
		for i, seg := range v.segments() {
			if seg.slot == SlotFooter || seg.kind == library.SlotLink {
				continue
			}
			if p.MaxExclamations != nil {
				if n := strings.Count(seg.text, "!") + strings.Count(seg.text, "¡") + strings.Count(seg.text, "！"); n > *p.MaxExclamations {
					ck.add(r, v.locale, seg.slot, CodeExclamations, "count", strconv.Itoa(n), "max", strconv.Itoa(*p.MaxExclamations))
				}
			}
			if p.MaxCapsWords != nil {
				var caps []string
				for _, w := range v.segWords(ck, i) {
					if capsWord(w.orig, p.MinCapsLetters) && !allowed[w.orig] {
						caps = append(caps, w.orig)
					}
				}
				if len(caps) > *p.MaxCapsWords {
					ck.add(r, v.locale, seg.slot, CodeCapsWords, "count", strconv.Itoa(len(caps)), "max", strconv.Itoa(*p.MaxCapsWords),
						"words", strings.Join(firstN(caps, 5), ", "))
				}
			}
			if p.MaxEmoji != nil {
				if n := countEmoji(seg.text); n > *p.MaxEmoji {
					ck.add(r, v.locale, seg.slot, CodeEmoji, "count", strconv.Itoa(n), "max", strconv.Itoa(*p.MaxEmoji))
				}
			}
		}
	}
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// capsWord reports a word written in capitals: at least min letters, every
// letter with a case in upper case.
func capsWord(w string, min int) bool {
	letters := 0
	for _, r := range w {
		if !unicode.IsLetter(r) {
			continue
		}
		if unicode.IsLower(r) || unicode.IsTitle(r) {
			return false
		}
		if unicode.IsUpper(r) {
			letters++
		}
	}
	return letters >= min
}

// countEmoji counts pictographs: a sequence joined by U+200D, a flag (two
// regional indicators), a keycap or a pictograph with its modifiers counts
// once.
func countEmoji(s string) int {
	n := 0
	prev := rune(0)
	regional := false
	for _, r := range s {
		switch {
		case r == 0x200D, r == 0xFE0F, r == 0x20E3, r >= 0x1F3FB && r <= 0x1F3FF, r >= 0xE0020 && r <= 0xE007F:
			// joiner, presentation selector, keycap, skin tone, tag: part of the previous one
		case r >= 0x1F1E6 && r <= 0x1F1FF:
			if regional {
				regional = false // the second half of a flag
			} else {
				regional = true
				n++
			}
		case emojiRune(r):
			if prev != 0x200D {
				n++
			}
			regional = false
		default:
			regional = false
		}
		prev = r
	}
	return n
}

func emojiRune(r rune) bool {
	switch {
	case r >= 0x1F000 && r <= 0x1FAFF: // mahjong to symbols and pictographs extended-A
		return r < 0x1F1E6 || r > 0x1F1FF
	case r >= 0x2600 && r <= 0x27BF: // miscellaneous symbols, dingbats
		return true
	case r >= 0x2B05 && r <= 0x2B55: // arrows, stars and circles drawn as emoji
		return true
	case r == 0x203C, r == 0x2049, r == 0x231A, r == 0x231B, r == 0x2328, r == 0x23CF,
		r >= 0x23E9 && r <= 0x23FA, r == 0x24C2, r == 0x3030, r == 0x303D, r == 0x3297, r == 0x3299:
		return true
	}
	return false
}

// runUntranslated reports text and Markdown slots that show another
// locale's words (campaign.Resolved.Untranslated).
func runUntranslated(ck *checker, r *rule, ls []*localeView) {
	for _, v := range ls {
		if !r.applies(v.locale) {
			continue
		}
		for _, res := range v.resolved {
			if res.Untranslated() {
				from := ck.c.DefaultLocale() // the campaign's own words...
				if res.Lock == library.LockLocked || ck.c.Values[from][res.Slot] == "" {
					from = ck.libDefault() // ...or HQ's
				}
				ck.add(r, v.locale, res.Slot, CodeUntranslated, "from", from)
			}
		}
	}
}
