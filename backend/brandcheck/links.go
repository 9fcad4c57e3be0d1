package brandcheck

import (
	"html"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"

	"github.com/outpost-studio/outpost/backend/library"
)

// Links are read from the rendered email with the HTML tokenizer and
// mapped back to the slot that brought them: a link slot's value, the
// links of a Markdown slot's sanitized fragment, the legal footer's, the
// unsubscribe link. A link of the email that no slot brought is the
// template's own, HQ's choice, and is not checked (as its colours). Each
// address is checked once per slot; the text of each link of the email is
// checked against its address.

type linkParams struct {
	HTTPSOnly      bool     `json:"https_only"`
	Allow          []string `json:"allow"`           // hosts; "*.example.com" allows its subdomains
	Subdomains     bool     `json:"subdomains"`      // every allowed host also allows its subdomains
	DenyShorteners *bool    `json:"deny_shorteners"` // default true
	Shorteners     []string `json:"shorteners"`      // more shortener hosts
	DenyIP         *bool    `json:"deny_ip"`         // default true
	CheckText      *bool    `json:"check_text"`      // link text naming another site; default true

	allow      []string
	shorteners map[string]bool
}

// shorteners are the URL shorteners links may not go through: they hide
// where a link leads, and spam filters distrust them.
var shorteners = []string{
	"bit.ly", "bitly.com", "t.co", "tinyurl.com", "goo.gl", "ow.ly", "is.gd", "buff.ly", "rebrand.ly",
	"cutt.ly", "shorturl.at", "t.ly", "tiny.cc", "rb.gy", "bl.ink", "s.id", "v.gd", "lnkd.in",
	"trib.al", "soo.gd", "qrco.de", "shorte.st", "adf.ly", "clck.ru", "urlz.fr", "x.co", "po.st",
	"tiny.one", "short.gy", "surl.li", "kutt.it", "did.li", "u.to",
}

func checkLinks(p any) (string, bool) {
	lp := p.(*linkParams)
	for _, a := range nonEmpty(lp.Allow) {
		wild := strings.HasPrefix(a, "*.")
		h := hostName(strings.TrimPrefix(a, "*."))
		if h == "" || strings.ContainsAny(h, "/:@ *") {
			return "allow", true
		}
		if wild {
			h = "*." + h
		}
		lp.allow = append(lp.allow, h)
	}
	lp.shorteners = map[string]bool{}
	for _, s := range append(append([]string(nil), shorteners...), nonEmpty(lp.Shorteners)...) {
		h := hostName(s)
		if h == "" || strings.ContainsAny(h, "/:@ *") {
			return "shorteners", true
		}
		lp.shorteners[h] = true
	}
	return "", false
}

func on(b *bool) bool { return b == nil || *b }

// slotLink is an address a slot brings.
type slotLink struct {
	slot, href string
}

// links lists the addresses each slot brings, in the template's order,
// then the footer's and the unsubscribe link.
func (v *localeView) links() []slotLink {
	var out []slotLink
	for _, r := range v.resolved {
		switch r.Kind {
		case library.SlotLink:
			if h := strings.TrimSpace(r.Text); h != "" {
				out = append(out, slotLink{r.Slot, h})
			}
		case library.SlotMarkdown:
			if d := v.fragment(r.Slot); d != nil {
				for _, a := range d.anchors {
					if usable(a.href) {
						out = append(out, slotLink{r.Slot, strings.TrimSpace(a.href)})
					}
				}
			}
		}
	}
	if d := v.fragment(SlotFooter); d != nil {
		for _, a := range d.anchors {
			if usable(a.href) {
				out = append(out, slotLink{SlotFooter, strings.TrimSpace(a.href)})
			}
		}
	}
	if v.lr != nil {
		if u := strings.TrimSpace(v.lr.Email.Unsubscribe); u != "" {
			out = append(out, slotLink{SlotUnsubscribe, u})
		}
	}
	return out
}

// usable: "#" is what the renderer leaves of a link it dropped.
func usable(href string) bool {
	h := strings.TrimSpace(href)
	return h != "" && h != "#"
}

// linkKey compares addresses whatever escaping the HTML and the URL
// normalizer applied.
func linkKey(href string) string {
	s := strings.TrimSpace(html.UnescapeString(href))
	if u, err := url.PathUnescape(s); err == nil {
		s = u
	}
	return strings.ToLower(s)
}

func runLinks(ck *checker, r *rule, ls []*localeView) {
	p := r.params.(*linkParams)
	for _, v := range ls {
		if !r.applies(v.locale) {
			continue
		}
		links := v.links()
		slotOf := map[string]string{}
		for _, l := range links {
			if _, ok := slotOf[linkKey(l.href)]; !ok {
				slotOf[linkKey(l.href)] = l.slot
			}
		}
		type anchorAt struct {
			slot string
			a    anchor
		}
		var anchors []anchorAt
		if d := v.document(); d != nil {
			for _, a := range d.anchors {
				// A link no slot brought is the template's own: HQ's, like
				// its colours.
				if slot, ok := slotOf[linkKey(a.href)]; ok && usable(a.href) {
					anchors = append(anchors, anchorAt{slot, a})
				}
			}
		}
		done := map[slotLink]bool{}
		for _, l := range links {
			if done[l] {
				continue
			}
			done[l] = true
			for _, f := range p.check(l.href) {
				ck.add(r, v.locale, l.slot, f.code, f.params...)
			}
		}
		if !on(p.CheckText) {
			continue
		}
		for _, at := range anchors {
			if claimed, host, ok := claimsOther(at.a); ok {
				ck.add(r, v.locale, at.slot, CodeLinkTextDomain, "text", claimed, "host", host, "url", clipURL(at.a.href))
			}
		}
	}
}

type linkFinding struct {
	code   FindingCode
	params []string
}

// check returns what is wrong with one address.
func (p *linkParams) check(raw string) []linkFinding {
	raw = strings.TrimSpace(raw)
	shown := clipURL(raw)
	bad := func(code FindingCode, params ...string) []linkFinding {
		return []linkFinding{{code, append([]string{"url", shown}, params...)}}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return bad(CodeLinkInvalid)
	}
	scheme := strings.ToLower(u.Scheme)
	switch scheme {
	case "mailto":
		if !validMailto(u) {
			return bad(CodeMailtoInvalid)
		}
		return nil
	case "http", "https":
	default:
		return bad(CodeLinkScheme, "scheme", scheme)
	}
	host := hostName(u.Hostname())
	if host == "" {
		return bad(CodeLinkInvalid)
	}
	var out []linkFinding
	if scheme == "http" && p.HTTPSOnly {
		out = append(out, bad(CodeLinkNotHTTPS)...)
	}
	switch {
	case ipLike(host):
		if on(p.DenyIP) {
			out = append(out, bad(CodeLinkIP, "host", host)...)
		}
	case on(p.DenyShorteners) && p.shortener(host):
		out = append(out, bad(CodeLinkShortener, "host", host)...)
	case len(p.allow) > 0 && !p.allowed(host):
		out = append(out, bad(CodeLinkDomain, "host", host)...)
	}
	return out
}

func clipURL(s string) string {
	if len(s) <= 200 {
		return s
	}
	cut := 200
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// hostName lowercases a host and writes an internationalized name in its
// ASCII form, so a look-alike ("cаirn", with a Cyrillic а) is another host.
func hostName(h string) string {
	h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
	if a, err := idna.Lookup.ToASCII(h); err == nil {
		return a
	}
	return h
}

// ipLike reports a host written as an address rather than a name: IPv4 or
// IPv6, or the integer and hexadecimal forms browsers also accept.
func ipLike(h string) bool {
	if net.ParseIP(strings.Trim(h, "[]")) != nil {
		return true
	}
	for _, part := range strings.Split(h, ".") {
		p := strings.TrimPrefix(part, "0x")
		if p == "" {
			return false
		}
		hex := p != part
		for _, c := range p {
			if !(c >= '0' && c <= '9') && !(hex && (c >= 'a' && c <= 'f')) {
				return false
			}
		}
	}
	return true
}

func (p *linkParams) shortener(h string) bool {
	h = strings.TrimPrefix(h, "www.")
	for {
		if p.shorteners[h] {
			return true
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			return false
		}
		h = h[i+1:]
	}
}

// allowed: a host of the list, its subdomains when the list says so
// ("*.host", or subdomains: true); "www." is the host itself.
func (p *linkParams) allowed(h string) bool {
	h = strings.TrimPrefix(h, "www.")
	for _, a := range p.allow {
		if base, ok := strings.CutPrefix(a, "*."); ok {
			if strings.HasSuffix(h, "."+strings.TrimPrefix(base, "www.")) {
				return true
			}
			continue
		}
		a = strings.TrimPrefix(a, "www.")
		if h == a || (p.Subdomains && strings.HasSuffix(h, "."+a)) {
			return true
		}
	}
	return false
}

func validMailto(u *url.URL) bool {
	addrs := u.Opaque
	if addrs == "" {
		return false
	}
	if s, err := url.PathUnescape(addrs); err == nil {
		addrs = s
	}
	for _, addr := range strings.Split(addrs, ",") {
		a, err := mail.ParseAddress(addr)
		if err != nil || a.Name != "" || a.Address != addr {
			return false
		}
	}
	return true
}

// domainRe is a host name as link text shows it.
var domainRe = regexp.MustCompile(`^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,63}$`)

// claimsOther reports link text that names a site other than the one the
// link leads to: "cairn-outdoor.example" leading to evil.example.
func claimsOther(a anchor) (claimed, host string, ok bool) {
	host = hrefHost(a.href)
	if host == "" {
		return "", "", false
	}
	for _, tok := range strings.Fields(a.text) {
		d := textDomain(tok)
		if d == "" {
			continue
		}
		if site(d) != site(host) {
			return d, host, true
		}
	}
	return "", "", false
}

func hrefHost(href string) string {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return hostName(u.Hostname())
	case "mailto":
		addr := strings.Split(u.Opaque, ",")[0]
		if i := strings.LastIndexByte(addr, '@'); i >= 0 {
			return hostName(addr[i+1:])
		}
	}
	return ""
}

// textDomain reads a host name in one word of link text, "" if there is
// none.
func textDomain(tok string) string {
	tok = strings.Trim(tok, "()[]{}<>\"'«»“”‘’,;:!?.")
	low := strings.ToLower(tok)
	for _, p := range []string{"https://", "http://", "mailto:"} {
		if strings.HasPrefix(low, p) {
			tok = tok[len(p):]
			break
		}
	}
	if i := strings.LastIndexByte(tok, '@'); i >= 0 {
		tok = tok[i+1:]
	}
	if i := strings.IndexAny(tok, "/?#:"); i >= 0 {
		tok = tok[:i]
	}
	if !domainRe.MatchString(tok) {
		return ""
	}
	return hostName(tok)
}

// site is the registrable part of a host: shop.cairn-outdoor.example and
// cairn-outdoor.example are one site.
func site(h string) string {
	h = strings.TrimPrefix(h, "www.")
	if s, err := publicsuffix.EffectiveTLDPlusOne(h); err == nil {
		return s
	}
	return h
}
