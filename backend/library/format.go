// Package library defines HQ's content-library releases (docs/library-format.md),
// signs and verifies them, and keeps the trusted release in the local store.
package library

import (
	"encoding/json"
	"time"
)

// Names of the two files every release holds at its root.
const (
	ManifestFile = "release.note" // the signed manifest
	ContentFile  = "library.json" // the content index, listed in the manifest
)

// FormatVersion is the manifest format this build reads and writes.
const FormatVersion = 1

// Size limits applied before anything in a release is parsed.
const (
	MaxManifestBytes = 4 << 20  // the signed manifest
	MaxContentBytes  = 64 << 20 // library.json
	MaxFileBytes     = 48 << 20 // any one file; stays below the store's 64 MiB value-log files
	MaxReleaseBytes  = 8 << 30  // all files together
	MaxFiles         = 100_000
	MaxPathLen       = 240
)

// Manifest is the signed part of a release: what it is, for whom, until when,
// and every file by path, size and SHA-256.
type Manifest struct {
	Format  int       `json:"format"`
	Library string    `json:"library"` // stable id, e.g. "cairn-outdoor"
	Name    string    `json:"name"`    // shown to people
	Regions []string  `json:"regions"` // the regions this release serves
	Version uint64    `json:"version"` // strictly increasing per library
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"` // a new release past this time is refused
	Files   []File    `json:"files"`   // sorted by path
}

// File is one entry of the manifest.
type File struct {
	Path   string `json:"path"` // slash-separated, relative, see CheckPath
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // lowercase hex
}

// Localized is text per BCP 47 locale, e.g. {"fr": "Bonjour", "en": "Hello"}.
// The key "*" holds a value for every locale.
type Localized map[string]string

// In returns the value for locale, else the value for every locale ("*"),
// else the value in fallback (the library's first locale).
func (l Localized) In(locale, fallback string) string {
	if v, ok := l[locale]; ok {
		return v
	}
	if v, ok := l["*"]; ok {
		return v
	}
	return l[fallback]
}

// Has reports whether l has a value of its own for locale or for every locale.
func (l Localized) Has(locale string) bool {
	_, ok := l[locale]
	_, all := l["*"]
	return ok || all
}

// Content is library.json: everything HQ publishes, by reference to the
// release's other files.
type Content struct {
	Locales   []string   `json:"locales"` // the library's languages; the first is the default
	Regions   []Region   `json:"regions"`
	Brand     BrandKit   `json:"brand"`
	Templates []Template `json:"templates"`
	Assets    []Asset    `json:"assets"`
	Snippets  []Snippet  `json:"snippets"`
	Footers   []Footer   `json:"footers"`
	Presets   []Preset   `json:"presets"`
	Rules     RulePack   `json:"rules"`
	Scopes    []Scope    `json:"scopes"`
	Email     Email      `json:"email"`
}

// Email is how the brand's emails are sent.
type Email struct {
	Sender Localized `json:"sender"` // the From name inboxes show
	From   string    `json:"from"`   // the From address
	// Unsubscribe is the link {{unsubscribe}} becomes, usually the sending
	// platform's merge tag or a preference-centre URL; {locale} is replaced.
	Unsubscribe string `json:"unsubscribe"`
}

// Region is an office territory: its countries and languages.
type Region struct {
	ID        string    `json:"id"`
	Name      Localized `json:"name"`
	Countries []string  `json:"countries"` // ISO 3166-1 alpha-2
	Locales   []string  `json:"locales"`
}

// BrandKit is the brand's fixed vocabulary.
type BrandKit struct {
	Name    string     `json:"name"`
	Palette []Colour   `json:"palette"`
	Fonts   []Font     `json:"fonts"`
	Logos   []Logo     `json:"logos"`
	Tone    []ToneRule `json:"tone"`
}

// Colour is a named palette colour.
type Colour struct {
	ID    string    `json:"id"`
	Name  Localized `json:"name"`
	Hex   string    `json:"hex"`   // "#RRGGBB"
	Usage Localized `json:"usage"` // when to use it
}

// Font is a family with its files and the weights HQ allows.
type Font struct {
	Family  string     `json:"family"`
	Role    string     `json:"role"` // "heading", "body", ...
	Weights []int      `json:"weights"`
	Files   []FontFile `json:"files"`
	// Fallback is the CSS stack used where the font cannot be embedded (email).
	Fallback string `json:"fallback"`
}

// FontFile is one face of a font.
type FontFile struct {
	Path   string `json:"path"`
	Weight int    `json:"weight"`
	Style  string `json:"style"` // "normal" or "italic"
}

// Logo is a logo variant with its usage rules.
type Logo struct {
	ID         string    `json:"id"`
	Name       Localized `json:"name"`
	Variant    string    `json:"variant"` // "primary", "mono", "reversed", ...
	Path       string    `json:"path"`
	MinWidthPx int       `json:"minWidthPx"`
	ClearSpace float64   `json:"clearSpace"` // free margin around it, as a fraction of its height
	Background string    `json:"background"` // "light" or "dark": what it may sit on
}

// ToneRule is one tone-of-voice guideline.
type ToneRule struct {
	ID   string    `json:"id"`
	Text Localized `json:"text"`
}

// Template kinds.
const (
	TemplateEmail  = "email"
	TemplateSocial = "social"
	TemplatePrint  = "print"
)

// Template is a layout with slots.
type Template struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	Name        Localized `json:"name"`
	Description Localized `json:"description"`
	Layout      string    `json:"layout"`  // path of the layout file (HTML for email)
	Preview     string    `json:"preview"` // path of a preview image, optional
	Slots       []Slot    `json:"slots"`
}

// Slot kinds.
const (
	SlotText     = "text"
	SlotMarkdown = "markdown"
	SlotImage    = "image"
	SlotLink     = "link"
	SlotDate     = "date"
	SlotChoice   = "choice"
)

// Lock levels: what a regional office may do with a slot.
const (
	LockLocked   = "locked"   // HQ's value, fixed
	LockChoice   = "choice"   // one of HQ's options
	LockEditable = "editable" // free within Limits
)

// Slot is one part of a template a campaign fills.
type Slot struct {
	ID      string    `json:"id"`
	Kind    string    `json:"kind"`
	Lock    string    `json:"lock"`
	Label   Localized `json:"label"`
	Help    Localized `json:"help,omitempty"`
	Default Localized `json:"default,omitempty"` // per locale; for images an asset id
	Options []Option  `json:"options,omitempty"` // for LockChoice
	Limits  Limits    `json:"limits"`
}

// Option is one of HQ's choices for a slot.
type Option struct {
	ID    string    `json:"id"`
	Label Localized `json:"label"`
	Value Localized `json:"value"` // per locale; for images an asset id
}

// Limits bound what an editable slot accepts.
type Limits struct {
	Required  bool     `json:"required,omitempty"`
	MaxLength int      `json:"maxLength,omitempty"` // characters
	MinWidth  int      `json:"minWidth,omitempty"`  // image pixels
	MinHeight int      `json:"minHeight,omitempty"`
	Aspect    string   `json:"aspect,omitempty"`  // "W:H", e.g. "3:1"
	Locales   []string `json:"locales,omitempty"` // locales the slot may be filled in; empty = all
}

// Asset kinds.
const (
	AssetImage = "image"
	AssetLogo  = "logo"
)

// Asset is a picture HQ publishes.
type Asset struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	Path        string    `json:"path"`
	Width       int       `json:"width"`
	Height      int       `json:"height"`
	Title       Localized `json:"title"`
	Description Localized `json:"description,omitempty"`
	Alt         Localized `json:"alt"`
	Tags        []string  `json:"tags"`
	Regions     []string  `json:"regions,omitempty"` // where it may be used; empty = everywhere
	Expires     string    `json:"expires,omitempty"` // "YYYY-MM-DD", last day of use
	Focal       *Point    `json:"focal,omitempty"`
	Credit      Credit    `json:"credit"`
	// Local is set on the office's own photos (see Store.ImportLocal); a
	// release never carries it.
	Local *LocalMeta `json:"-"`
}

// LocalMeta says who imported a local photo, when, and from what file.
type LocalMeta struct {
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Name   string    `json:"name"`
	Format string    `json:"format"`
}

// Point is a position in an image, as fractions of its width and height.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Credit says where an asset comes from and under which licence.
type Credit struct {
	Author  string `json:"author"`
	Source  string `json:"source"`
	Licence string `json:"licence"`
}

// Snippet is approved copy.
type Snippet struct {
	ID   string    `json:"id"`
	Kind string    `json:"kind"` // "headline", "cta", "body", "subject", ...
	Text Localized `json:"text"`
	Tags []string  `json:"tags,omitempty"`
}

// Footer is the legal footer of one country, per locale (Markdown).
type Footer struct {
	Country string    `json:"country"`
	Text    Localized `json:"text"`
}

// Preset is a rendition a pack exports.
type Preset struct {
	ID      string    `json:"id"`
	Name    Localized `json:"name"`
	Channel string    `json:"channel"` // "social", "email", "web", "print"
	Width   int       `json:"width"`
	Height  int       `json:"height"`
	Format  string    `json:"format"` // "jpeg" or "png"
	Quality int       `json:"quality,omitempty"`
	Fit     string    `json:"fit"` // "fill" (around the focal point), "fit" or "exact"
}

// RulePack holds the brand checks. Each rule's params are decoded by the
// brand check for its kind.
type RulePack struct {
	Version int    `json:"version"`
	Rules   []Rule `json:"rules"`
}

// Rule is one brand check.
type Rule struct {
	ID       string          `json:"id"`
	Kind     string          `json:"kind"`     // e.g. "restricted_words", "required_block", "link_domains"
	Severity string          `json:"severity"` // "error" or "warning"
	Locales  []string        `json:"locales,omitempty"`
	Params   json.RawMessage `json:"params,omitempty"`
}

// Scope is an audience a region may target.
type Scope struct {
	ID          string    `json:"id"`
	Name        Localized `json:"name"`
	Description Localized `json:"description,omitempty"`
	Regions     []string  `json:"regions"`
}
