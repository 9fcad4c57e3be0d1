package campaign

import (
	"fmt"
	"strings"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/render"
)

// Picture is an image slot's picture as an email shows it: which file, the
// size the rendition is cut to (twice the layout's size, for high-density
// screens) and how.
type Picture struct {
	Slot   string         `json:"slot"`
	Asset  string         `json:"asset"` // asset or logo id
	SHA256 string         `json:"sha256"`
	Path   string         `json:"path"`
	Width  int            `json:"width"`  // of the rendition; 0 keeps the file's size
	Height int            `json:"height"` // of the rendition; 0 keeps the file's size
	Focal  *library.Point `json:"focal,omitempty"`
	Crop   *Crop          `json:"crop,omitempty"`
	Alt    string         `json:"alt"`
	Vector bool           `json:"vector"` // an SVG logo, used as it is
}

// Key names the rendition: the same picture at the same size and crop has
// the same key in every locale.
func (p Picture) Key() string {
	k := fmt.Sprintf("%s-%dx%d", p.SHA256, p.Width, p.Height)
	if p.Crop != nil {
		k += fmt.Sprintf("-c%.4f,%.4f,%.4f,%.4f", p.Crop.X, p.Crop.Y, p.Crop.W, p.Crop.H)
	}
	return k
}

// EmailPreset is the preset id a campaign's crop overrides use for its
// email renditions.
const EmailPreset = "email"

// emailWidth is the width an image slot without size limits is cut to: a
// 600 px email at 2×.
const emailWidth = 1200

// Email builds what the renderer needs for one locale of a campaign whose
// template's layout is layout (see Store.Layout); sizes are the sizes the
// layout shows its pictures at (render.Renderer.ImageSizes; nil falls back
// to the slots' limits). url turns each picture into the address the email shows; pictures that
// are not in the release come back with Missing set.
func Email(c *Campaign, ix *library.Index, layout string, sizes map[string]render.Size, locale string, url func(Picture) string) (render.Email, []Picture, error) {
	t, ok := TemplateOf(ix.Content, c.Template)
	if !ok {
		return render.Email{}, nil, fault.New(fault.NotFound, CodeTemplateNotFound, "campaign.Email").With("template", c.Template)
	}
	libDefault := ix.Content.Locales[0]
	e := render.Email{Layout: layout, Locale: locale, Fields: map[string]render.Field{}}
	var pics []Picture
	for _, r := range Resolve(c, t, locale, libDefault) {
		s, _ := SlotOf(t, r.Slot)
		f := render.Field{Kind: s.Kind, Value: r.Text}
		if s.Kind == library.SlotImage {
			pic, ok := picture(c, ix, s, sizes[s.ID], r.Text, locale, libDefault)
			img := &render.Image{Missing: !ok, Alt: pic.Alt, Width: pic.Width / 2, Height: pic.Height / 2}
			if ok {
				img.URL = url(pic)
				pics = append(pics, pic)
			}
			f.Image = img
		}
		e.Fields[r.Slot] = f
	}
	if r, ok := RegionOf(ix.Content, c.Region); ok && len(r.Countries) > 0 {
		for _, ft := range ix.Content.Footers {
			if ft.Country == r.Countries[0] {
				e.Footer = ft.Text.In(locale, libDefault)
			}
		}
	}
	e.Unsubscribe = strings.ReplaceAll(ix.Content.Email.Unsubscribe, "{locale}", locale)
	return e, pics, nil
}

// picture finds an image slot's file: a library asset or a brand logo.
func picture(c *Campaign, ix *library.Index, s library.Slot, shown render.Size, id, locale, libDefault string) (Picture, bool) {
	p := Picture{Slot: s.ID, Asset: id}
	if a, ok := ix.Asset(id); ok {
		p.SHA256, p.Path, p.Focal = ix.SHA(a.Path), a.Path, a.Focal
		p.Alt = a.Alt.In(locale, libDefault)
		p.Width, p.Height = slotSize(s, shown, a.Width, a.Height)
		if cr, ok := c.Crops[s.ID][EmailPreset]; ok {
			p.Crop = &cr
		}
		return p, p.SHA256 != ""
	}
	for _, l := range ix.Content.Brand.Logos {
		if l.ID == id {
			p.SHA256, p.Path = ix.SHA(l.Path), l.Path
			p.Alt = ix.Content.Brand.Name
			p.Vector = strings.HasSuffix(strings.ToLower(l.Path), ".svg")
			return p, p.SHA256 != ""
		}
	}
	return p, false
}

// slotSize is the rendition size of an image slot: twice the size the
// layout shows it at (high-density screens), else its minimum size when HQ
// gives one, else 1200 px wide; at the shown, slot's or picture's aspect.
func slotSize(s library.Slot, shown render.Size, w, h int) (int, int) {
	if shown.Width > 0 && shown.Height > 0 {
		return 2 * shown.Width, 2 * shown.Height
	}
	if s.Limits.MinWidth > 0 && s.Limits.MinHeight > 0 {
		return s.Limits.MinWidth, s.Limits.MinHeight
	}
	aw, ah := w, h
	var x, y int
	if _, err := fmt.Sscanf(s.Limits.Aspect, "%d:%d", &x, &y); err == nil && x > 0 && y > 0 {
		aw, ah = x, y
	}
	if aw <= 0 || ah <= 0 {
		return 0, 0
	}
	return emailWidth, emailWidth * ah / aw
}
