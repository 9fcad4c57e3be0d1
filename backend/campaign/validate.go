package campaign

import (
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
)

// Pinned is what an edit is checked against: the content of the release a
// campaign is pinned to.
type Pinned struct {
	Content *library.Content
	Assets  func(id string) (*library.Asset, bool)
}

// PinnedOf wraps a release index.
func PinnedOf(ix *library.Index) Pinned { return Pinned{Content: ix.Content, Assets: ix.Asset} }

func (p Pinned) libDefault() string {
	if len(p.Content.Locales) == 0 {
		return ""
	}
	return p.Content.Locales[0]
}

// setValue checks value for one slot in one locale and stores it in c.
// An empty value clears the slot, so it falls back again; a required slot
// may be cleared only when something remains to fall back to.
func setValue(c *Campaign, p Pinned, locale, slotID, value string) error {
	const op = "campaign.SetValue"
	t, ok := TemplateOf(p.Content, c.Template)
	if !ok {
		return fault.New(fault.NotFound, CodeTemplateNotFound, op).With("template", c.Template)
	}
	if !slices.Contains(c.Locales, locale) {
		return fault.New(fault.Invalid, CodeLocaleUnknown, op).With("locale", locale)
	}
	s, ok := SlotOf(t, slotID)
	if !ok {
		return fault.New(fault.Invalid, CodeSlotUnknown, op).With("slot", slotID)
	}
	if s.Lock == library.LockLocked {
		return fault.New(fault.Invalid, CodeSlotLocked, op).With("slot", slotID)
	}
	if len(s.Limits.Locales) > 0 && !slices.Contains(s.Limits.Locales, locale) {
		return fault.New(fault.Invalid, CodeSlotLocale, op).With("slot", slotID).With("locale", locale)
	}
	value, err := normalize(s, value)
	if err != nil {
		return err
	}
	if value == "" {
		if s.Limits.Required {
			probe := c.clone()
			delete(probe.Values[locale], slotID)
			if r := resolveSlot(probe, s, locale, p.libDefault()); r.Source == SourceEmpty {
				return fault.New(fault.Invalid, CodeSlotRequired, op).With("slot", slotID)
			}
		}
		delete(c.Values[locale], slotID)
		return nil
	}
	if err := check(c, p, s, value); err != nil {
		return err
	}
	if c.Values == nil {
		c.Values = map[string]map[string]string{}
	}
	if c.Values[locale] == nil {
		c.Values[locale] = map[string]string{}
	}
	if s.Kind == library.SlotImage && c.Values[locale][slotID] != value {
		delete(c.Crops, slotID) // a crop frames one picture, not the next
	}
	c.Values[locale][slotID] = value
	return nil
}

// normalize puts text in NFC and trims what a slot of its kind cannot hold.
func normalize(s library.Slot, v string) (string, error) {
	if !utf8.ValidString(v) {
		v = strings.ToValidUTF8(v, "\uFFFD")
	}
	if len(v) > MaxFieldBytes {
		return "", fault.New(fault.Invalid, CodeTooLarge, "campaign.SetValue").
			With("slot", s.ID).With("bytes", len(v)).With("max", MaxFieldBytes)
	}
	v = norm.NFC.String(v)
	switch s.Kind {
	case library.SlotMarkdown:
		v = strings.ReplaceAll(v, "\r\n", "\n")
		if strings.TrimSpace(v) == "" {
			return "", nil
		}
		return v, nil
	case library.SlotText:
		// One line: a line break typed or pasted into a subject becomes a space.
		v = strings.Join(strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == '\r' }), " ")
		if strings.TrimSpace(v) == "" {
			return "", nil
		}
		return v, nil
	default:
		return strings.TrimSpace(v), nil
	}
}

func check(c *Campaign, p Pinned, s library.Slot, v string) error {
	const op = "campaign.SetValue"
	bad := func(code fault.Code) *fault.Error {
		return fault.New(fault.Invalid, code, op).With("slot", s.ID)
	}
	if s.Lock == library.LockChoice {
		for _, o := range s.Options {
			if o.ID == v {
				return nil
			}
		}
		return bad(CodeOptionInvalid).With("value", v)
	}
	if n := utf8.RuneCountInString(v); s.Limits.MaxLength > 0 && n > s.Limits.MaxLength {
		return bad(CodeTooLong).With("length", n).With("max", s.Limits.MaxLength)
	}
	switch s.Kind {
	case library.SlotLink:
		if !validLink(v) {
			return bad(CodeLinkInvalid).With("value", v)
		}
	case library.SlotDate:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return bad(CodeDateInvalid).With("value", v)
		}
	case library.SlotImage:
		a, ok := p.Assets(v)
		if !ok || (a.Kind != library.AssetImage && a.Kind != library.AssetLogo) {
			return bad(CodeImageUnknown).With("asset", v)
		}
		if a.Width < s.Limits.MinWidth || a.Height < s.Limits.MinHeight {
			return bad(CodeImageTooSmall).With("asset", v).With("width", a.Width).With("height", a.Height).
				With("minWidth", s.Limits.MinWidth).With("minHeight", s.Limits.MinHeight)
		}
		if len(a.Regions) > 0 && !slices.Contains(a.Regions, c.Region) {
			return bad(CodeImageRegion).With("asset", v).With("region", c.Region)
		}
	}
	return nil
}

// validLink accepts the links an email can carry: an absolute http(s) URL
// with a host, or a mailto with a well-formed address. The brand check
// narrows this further (https only, allowed domains).
func validLink(v string) bool {
	if len(v) > MaxLinkLength || strings.ContainsAny(v, " \t\n\r<>\"") {
		return false
	}
	u, err := url.Parse(v)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "https", "http":
		return u.Host != "" && u.Hostname() != ""
	case "mailto":
		addr := u.Opaque
		if i := strings.IndexByte(addr, '?'); i >= 0 {
			addr = addr[:i]
		}
		a, err := mail.ParseAddress(addr)
		return err == nil && a.Name == "" && a.Address == addr
	}
	return false
}

// checkSendAt accepts "" (not chosen yet) or a local date and time.
func checkSendAt(v string) error {
	if v == "" {
		return nil
	}
	if _, err := time.Parse("2006-01-02T15:04", v); err != nil {
		return fault.New(fault.Invalid, CodeSendAtInvalid, "campaign.SetSendAt").With("value", v)
	}
	return nil
}

// checkAudience accepts "" or a scope the campaign's region may target.
func checkAudience(c *Campaign, p Pinned, id string) error {
	if id == "" {
		return nil
	}
	for _, s := range p.Content.Scopes {
		if s.ID == id && slices.Contains(s.Regions, c.Region) {
			return nil
		}
	}
	return fault.New(fault.Invalid, CodeAudienceInvalid, "campaign.SetAudience").With("audience", id).With("region", c.Region)
}

// checkCrop accepts a rectangle inside the image, for an image slot and a
// preset of the release.
func checkCrop(c *Campaign, p Pinned, slotID, preset string, r *Crop) error {
	const op = "campaign.SetCrop"
	t, ok := TemplateOf(p.Content, c.Template)
	if !ok {
		return fault.New(fault.NotFound, CodeTemplateNotFound, op).With("template", c.Template)
	}
	s, ok := SlotOf(t, slotID)
	if !ok {
		return fault.New(fault.Invalid, CodeSlotUnknown, op).With("slot", slotID)
	}
	known := preset == EmailPreset
	for _, ps := range p.Content.Presets {
		known = known || ps.ID == preset
	}
	if s.Kind != library.SlotImage || s.Lock == library.LockLocked || !known {
		return fault.New(fault.Invalid, CodeCropInvalid, op).With("slot", slotID).With("preset", preset)
	}
	if r == nil {
		return nil
	}
	const eps = 1e-9
	if !(r.X >= 0 && r.Y >= 0 && r.W > 0.01 && r.H > 0.01 && r.X+r.W <= 1+eps && r.Y+r.H <= 1+eps) {
		return fault.New(fault.Invalid, CodeCropInvalid, op).With("slot", slotID).With("preset", preset)
	}
	return nil
}
