// Package render turns a template's email layout and one locale's slot values
// into the email itself: Markdown to sanitized HTML, the layout filled with
// contextual escaping, CSS inlined, and a plain-text alternative.
package render

import (
	"bytes"
	"context"
	"html/template"
	"sort"
	"sync"
	"time"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"

	"github.com/outpost-studio/outpost/backend/fault"
)

// Codes of the error Render returns and of the problems it reports. A
// problem is not an error: the email still renders, with the part named by
// the problem dropped or replaced by a visible placeholder.
const (
	CodeLayoutInvalid      fault.Code = "render.layout_invalid"
	CodeCanceled           fault.Code = "render.canceled"
	CodeFieldTooLarge      fault.Code = "render.field_too_large"
	CodeTooComplex         fault.Code = "render.too_complex"
	CodeRawHTMLDropped     fault.Code = "render.raw_html_dropped"
	CodeUnsafeLinkDropped  fault.Code = "render.unsafe_link_dropped"
	CodeImageDropped       fault.Code = "render.image_dropped"
	CodeImageMissing       fault.Code = "render.image_missing"
	CodeDateInvalid        fault.Code = "render.date_invalid"
	CodePlaceholderUnknown fault.Code = "render.placeholder_unknown"
)

// Limits.
const (
	// MaxFieldBytes caps one field's value. A larger value is not rendered:
	// it also bounds how long a Markdown conversion left running after its
	// deadline can take.
	MaxFieldBytes = 32 << 10
	// GmailClipBytes is the HTML size past which Gmail clips a message.
	GmailClipBytes = 102 * 1024
	// MarkdownTimeout is how long one render waits for its Markdown fields.
	// Crafted input makes goldmark take a fraction of a second even under
	// MaxFieldBytes; the preview must not wait for it.
	MarkdownTimeout = 150 * time.Millisecond
)

// completeKey marks a context whose renders must be whole.
type completeKey struct{}

// Complete returns ctx marked for renders that must not depend on the
// machine's load: Markdown fields are waited for to their end (MaxFieldBytes
// bounds that), never replaced by render.too_complex after MarkdownTimeout.
// The live preview keeps the deadline; the brand check, a submission and
// the hub's re-check render with Complete, so that the same campaign gives
// the same HTML, and so the same findings and receipt, on a busy laptop as
// on an idle hub.
func Complete(ctx context.Context) context.Context {
	return context.WithValue(ctx, completeKey{}, true)
}

func isComplete(ctx context.Context) bool {
	v, _ := ctx.Value(completeKey{}).(bool)
	return v
}

// Field is one resolved slot value for one locale. Choice slots arrive
// already resolved to their text.
type Field struct {
	Kind  string // library.SlotText, SlotMarkdown, SlotImage, SlotLink, SlotDate, SlotChoice
	Value string // text, Markdown source, URL or date "YYYY-MM-DD"
	Image *Image // for image slots
}

// Image is the rendition an image slot shows.
type Image struct {
	URL     string
	Alt     string
	Width   int
	Height  int
	Missing bool // the asset was not found: a visible placeholder and a problem
}

// Email is everything one locale's email is made of.
type Email struct {
	Layout      string           // the template's HTML
	Locale      string           // BCP 47, e.g. "fr", "en", "de"
	Fields      map[string]Field // by slot id, including "preheader" and "subject"
	Footer      string           // the country's legal footer, Markdown, may contain {{unsubscribe}}
	Unsubscribe string           // URL for {{unsubscribe}}
}

// Problem is something the render dropped or could not render. Slot is the
// slot id ("footer" for the legal footer); Params are named in the
// localized message of Code.
type Problem struct {
	Code   fault.Code        `json:"code"`
	Slot   string            `json:"slot"`
	Params map[string]string `json:"params,omitempty"`
}

// Result is a rendered email.
type Result struct {
	HTML     string    // the complete email, CSS inlined
	Text     string    // the plain-text alternative
	Bytes    int       // len(HTML)
	Clipped  bool      // Bytes > GmailClipBytes: Gmail will clip it
	Problems []Problem // sorted by slot, then code; empty, not nil, when there are none
}

// Renderer renders emails. It caches what does not depend on field values
// (each layout's parsed template and split stylesheet) and recent Markdown
// conversions, so a re-render after a keystroke redoes little. It is safe
// for concurrent use.
type Renderer struct {
	md      goldmark.Markdown
	policy  *bluemonday.Policy
	timeout time.Duration

	mu        sync.Mutex
	layouts   map[string]*layout // by layout text
	order     []string           // layouts' keys, oldest first
	layoutSeq int
	conv      map[string]*conversion
	memo      memo // Markdown conversions by source
	frags     memo // inlined Markdown fragments by layout, place and HTML
}

// layoutCacheSize bounds the parsed layouts kept: a campaign uses one, the
// library a handful.
const layoutCacheSize = 16

// New returns a Renderer.
func New() *Renderer {
	return &Renderer{
		md:      newMarkdown(),
		policy:  newPolicy(),
		timeout: MarkdownTimeout,
		layouts: make(map[string]*layout),
		conv:    make(map[string]*conversion),
		memo:    newMemo(),
		frags:   newMemo(),
	}
}

// shared serves the package-level Render and Markdown.
var shared = sync.OnceValue(New)

// Render renders e with a Renderer shared by the process. Code that renders
// often should keep its own from New.
func Render(ctx context.Context, e Email) (*Result, error) { return shared().Render(ctx, e) }

// Markdown renders one Markdown field with a Renderer shared by the process.
func Markdown(ctx context.Context, src string) (template.HTML, []Problem, error) {
	return shared().Markdown(ctx, src)
}

// Render renders e. The error is only for a layout that cannot be used
// (code render.layout_invalid) or a done ctx; everything wrong with the
// field values is a problem in the result, and the email still renders.
func (r *Renderer) Render(ctx context.Context, e Email) (*Result, error) {
	const op = "render.Render"
	if err := ctx.Err(); err != nil {
		return nil, canceled(op, err)
	}
	l, err := r.layout(e.Layout)
	if err != nil {
		return nil, err
	}
	s, err := r.resolve(ctx, l, &e)
	if err != nil {
		return nil, canceled(op, err)
	}
	if err := r.inlineFragments(l, s); err != nil {
		return nil, fault.New(fault.Invalid, CodeLayoutInvalid, op).Wrap(err)
	}
	var buf bytes.Buffer
	buf.Grow(len(e.Layout) * 2)
	if err := l.tmpl.Execute(&buf, s); err != nil {
		return nil, fault.New(fault.Invalid, CodeLayoutInvalid, op).Wrap(err)
	}
	out := buf.String()
	return &Result{
		HTML:     out,
		Text:     plainText(out),
		Bytes:    len(out),
		Clipped:  len(out) > GmailClipBytes,
		Problems: sortProblems(s.problems),
	}, nil
}

// Markdown renders one Markdown field to sanitized HTML. The problems have
// no slot; the error is only for a done ctx.
func (r *Renderer) Markdown(ctx context.Context, src string) (template.HTML, []Problem, error) {
	if err := ctx.Err(); err != nil {
		return "", nil, canceled("render.Markdown", err)
	}
	out, err := r.markdownAll(ctx, []string{src})
	if err != nil {
		return "", nil, canceled("render.Markdown", err)
	}
	return out[0].html, sortProblems(out[0].problems), nil
}

func canceled(op string, err error) error {
	return fault.New(fault.Canceled, CodeCanceled, op).Wrap(err)
}

// sortProblems orders problems by slot, code and parameters, and drops
// duplicates: a placeholder used twice reports once.
func sortProblems(ps []Problem) []Problem {
	if len(ps) == 0 {
		return []Problem{} // [] in JSON, not null
	}
	keys := make([]string, len(ps))
	for i, p := range ps {
		keys[i] = problemKey(p)
	}
	idx := make([]int, len(ps))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		pa, pb := ps[idx[a]], ps[idx[b]]
		if pa.Slot != pb.Slot {
			return pa.Slot < pb.Slot
		}
		if pa.Code != pb.Code {
			return pa.Code < pb.Code
		}
		return keys[idx[a]] < keys[idx[b]]
	})
	out := make([]Problem, 0, len(ps))
	last := ""
	for n, i := range idx {
		if n > 0 && keys[i] == last {
			continue
		}
		last = keys[i]
		out = append(out, ps[i])
	}
	return out
}

func problemKey(p Problem) string {
	var b bytes.Buffer
	b.WriteString(p.Slot)
	b.WriteByte(0)
	b.WriteString(string(p.Code))
	names := make([]string, 0, len(p.Params))
	for k := range p.Params {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		b.WriteByte(0)
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(p.Params[k])
	}
	return b.String()
}
