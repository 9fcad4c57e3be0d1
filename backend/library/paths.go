package library

import (
	"path"
	"strings"
	"unicode/utf8"

	"github.com/outpost-studio/outpost/backend/fault"
)

// CheckPath reports whether p may name a file in a release: relative,
// slash-separated, clean, and the same file on every desktop file system.
func CheckPath(p string) error {
	bad := func(why string) error {
		return fault.New(fault.Corrupt, CodeUnsafePath, "library.CheckPath").With("path", printable(p)).With("reason", why)
	}
	switch {
	case p == "":
		return bad("empty")
	case len(p) > MaxPathLen:
		return bad("too_long")
	case !utf8.ValidString(p):
		return bad("not_utf8")
	case strings.ContainsAny(p, "\\"):
		return bad("backslash")
	case strings.HasPrefix(p, "/"):
		return bad("absolute")
	case strings.Contains(p, ":"):
		return bad("colon") // drive letters (C:) and NTFS streams
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f {
			return bad("control_character")
		}
	}
	for _, el := range strings.Split(p, "/") {
		if el == ".." || el == "." {
			return bad("dot_element")
		}
		if strings.HasSuffix(el, " ") || strings.HasSuffix(el, ".") {
			return bad("trailing_dot_or_space") // Windows drops them: two names, one file
		}
	}
	if path.Clean(p) != p {
		return bad("not_clean")
	}
	return nil
}

// printable keeps a hostile path readable in an error message.
func printable(p string) string {
	if len(p) > 120 {
		p = p[:120] + "…"
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return '�'
		}
		return r
	}, p)
}

// foldPath is the key under which two paths collide on a case-insensitive
// file system.
func foldPath(p string) string { return strings.ToLower(p) }
