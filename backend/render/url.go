package render

import (
	"html"
	"net/url"
	"strings"
)

// linkScheme returns the scheme a browser would read in raw, lowercased, or
// "" if raw has none. It reads raw as a browser does: character references
// decoded (&#106;avascript:) and the tabs, line breaks and control
// characters it ignores removed (java\tscript:).
func linkScheme(raw string) string {
	s := html.UnescapeString(raw)
	s = strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, s)
	i := strings.IndexAny(s, ":/?#\\")
	if i <= 0 || s[i] != ':' {
		return ""
	}
	return strings.ToLower(s[:i])
}

// safeLink reports whether raw may be a link in an email: an absolute http or
// https URL with a host, or a mailto URL. It also returns the scheme, for
// the problem when it may not.
func safeLink(raw string) (scheme string, ok bool) {
	raw = strings.TrimSpace(raw)
	scheme = linkScheme(raw)
	switch scheme {
	case "http", "https":
		u, err := url.Parse(raw)
		return scheme, err == nil && strings.EqualFold(u.Scheme, scheme) && u.Host != ""
	case "mailto":
		u, err := url.Parse(raw)
		return scheme, err == nil && strings.EqualFold(u.Scheme, scheme) && len(raw) > len("mailto:")
	}
	return scheme, false
}

// safeImage reports whether raw may be an image's src: http, https, a cid:
// reference to a MIME part, or a path on the app's origin (the app serves
// previews from its own paths). Never data:, javascript: or anything else a
// browser would run or that could smuggle content.
func safeImage(raw string) (scheme string, ok bool) {
	raw = strings.TrimSpace(raw)
	scheme = linkScheme(raw)
	switch scheme {
	case "http", "https":
		return safeLink(raw)
	case "cid":
		return scheme, len(raw) > len("cid:") && !strings.ContainsAny(raw, " \t\r\n")
	case "":
		// Only a path on the app's own origin: "/library/file/…". Not
		// "//host" (another site) nor a backslash, which browsers read as
		// a slash.
		if !strings.HasPrefix(raw, "/") || strings.HasPrefix(raw, "//") || strings.ContainsAny(raw, "\\\t\r\n ") {
			return "", false
		}
		_, err := url.Parse(raw)
		return "", err == nil
	}
	return scheme, false
}

// markdownURL writes a checked URL so that it can stand in a Markdown link
// destination between angle brackets, or alone as an autolink.
func markdownURL(u string) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		switch c := u[i]; c {
		case '<', '>', '\\', ' ', '\t', '\r', '\n', '(', ')':
			b.WriteString("%")
			b.WriteByte("0123456789ABCDEF"[c>>4])
			b.WriteByte("0123456789ABCDEF"[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return "<" + b.String() + ">"
}
