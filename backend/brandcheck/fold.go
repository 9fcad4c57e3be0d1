package brandcheck

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// folder folds text as library.Fold does (diacritics stripped, lowercase),
// with its own transformer: a transform.Chain keeps state, so each check
// has its own and checks may run concurrently.
type folder struct {
	strip transform.Transformer
}

func newFolder() *folder {
	return &folder{strip: transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)}
}

// unaccent strips diacritics, keeping case: "Été" → "Ete".
func (f *folder) unaccent(s string) string {
	if isASCII(s) {
		return s
	}
	out, _, err := transform.String(f.strip, s)
	if err != nil {
		return s
	}
	return out
}

// fold strips diacritics and lowercases: "Été" → "ete".
func (f *folder) fold(s string) string { return strings.ToLower(f.unaccent(s)) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// wordRune reports whether r belongs to a word: letters, digits and the
// marks that go with them.
func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

// word is one word of a text, as typed and folded.
type word struct {
	orig, folded string
}

// words splits s into words; anything but letters, digits and marks
// separates them ("l'offre" is "l" and "offre").
func (f *folder) words(s string) []word {
	var out []word
	start := -1
	for i, r := range s {
		if wordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, word{orig: s[start:i], folded: f.fold(s[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word{orig: s[start:], folded: f.fold(s[start:])})
	}
	return out
}

// foldedWords folds each of a phrase's words.
func (f *folder) foldedWords(s string) []string {
	ws := f.words(s)
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.folded
	}
	return out
}

// containsTerm finds a term (folded) in a text (folded) where it stands
// alone: a term that starts or ends with a letter or digit must not be
// glued to another one there. It returns where, or -1.
func containsTerm(text, term string) int {
	if term == "" {
		return -1
	}
	first, _ := utf8.DecodeRuneInString(term)
	last, _ := utf8.DecodeLastRuneInString(term)
	from := 0
	for from <= len(text) {
		i := strings.Index(text[from:], term)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(term)
		ok := true
		if wordRune(first) && i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(text[:i])
			ok = !wordRune(prev)
		}
		if ok && wordRune(last) && end < len(text) {
			next, _ := utf8.DecodeRuneInString(text[end:])
			ok = !wordRune(next)
		}
		if ok {
			return i
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		from = i + size
	}
	return -1
}
