package render

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/aymerick/douceur/inliner"
)

// CSS is inlined by aymerick/douceur's inliner (the CSS parser bluemonday
// already depends on, with goquery and cascadia for selectors). It moves the
// rules of the <style> block into style attributes, keeping specificity and
// !important, and copies text-align, background-color and vertical-align
// into the align, bgcolor and valign attributes old clients read.
// vanng822/go-premailer, the better-known inliner, and its CSS parser could
// not be had from the module proxy (403) when this was written. The inliner only ever sees the inlinable half of the
// stylesheet (see splitCSS); the layout keeps the other half in <style>.
//
// Outlook's conditional comments are set aside while the inliner parses and
// prints the document: golang.org/x/net/html decodes character references in
// comments when it parses and does not encode them again when it prints, so
// an escaped "&lt;" inside <!--[if mso]> would come out as "<" for Outlook
// to read as markup. Set aside, they come back byte for byte.

// inlineCSS inlines doc's stylesheet into its elements and removes it.
func inlineCSS(doc string) (out string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("inlining CSS: %v", p)
		}
	}()
	doc, set := protectComments(doc)
	out, err = inliner.Inline(doc)
	if err != nil {
		return "", err
	}
	if len(set) > 0 {
		out = strings.NewReplacer(set...).Replace(out)
	}
	return out, nil
}

// ccOpenRe matches the start of a conditional comment that hides its
// content from every client but Outlook; its revealed variant,
// <!--[if !mso]><!-->, is a whole comment by itself.
var ccOpenRe = regexp.MustCompile(`^<!--\[if [^\]]*\]>`)

// protectComments replaces each conditional comment of doc by a marker
// comment the inliner cannot alter. It returns the pairs to put them back
// with a strings.Replacer. Every "<!--" in a rendered layout comes from the
// layout.
func protectComments(doc string) (string, []string) {
	var b strings.Builder
	var pairs []string
	last := 0
	for i := 0; ; {
		j := strings.Index(doc[i:], "<!--")
		if j < 0 {
			break
		}
		start := i + j
		end := -1
		if m := ccOpenRe.FindString(doc[start:]); m != "" && !strings.HasPrefix(doc[start+len(m):], "<!-->") {
			if k := strings.Index(doc[start:], "<![endif]-->"); k >= 0 {
				end = start + k + len("<![endif]-->")
			}
		}
		if end < 0 {
			if k := strings.Index(doc[start+4:], "-->"); k >= 0 {
				i = start + 4 + k + 3
				continue
			}
			break
		}
		if b.Len() == 0 {
			b.Grow(len(doc))
		}
		marker := "<!--outpost:cc:" + strconv.Itoa(len(pairs)/2) + "-->"
		b.WriteString(doc[last:start])
		b.WriteString(marker)
		pairs = append(pairs, marker, doc[start:end])
		last, i = end, end
	}
	if len(pairs) == 0 {
		return doc, nil
	}
	b.WriteString(doc[last:])
	return b.String(), pairs
}
