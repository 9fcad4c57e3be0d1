package brandcheck

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/render"
)

// picture is an image slot's picture in one locale.
type picture struct {
	slot  string
	id    string // the asset or logo id the slot resolves to, "" if empty
	pic   campaign.Picture
	found bool           // the release (or the office's photos) has it
	asset *library.Asset // nil for a brand logo
}

// pictures lists the image slots of a locale in the template's order, as
// campaign.Email resolves them (the check does not trust a caller's list).
func (ck *checker) pictures(v *localeView) []picture {
	if v.pics != nil {
		return v.pics
	}
	_, pics, _ := campaign.Email(ck.c, ck.ix, "", nil, v.locale, func(campaign.Picture) string { return "" })
	bySlot := map[string]campaign.Picture{}
	for _, p := range pics {
		bySlot[p.Slot] = p
	}
	// The rendition size comes from the layout, which only the caller
	// rendered: take it from the caller's picture of the same slot and file.
	var given []campaign.Picture
	if v.lr != nil {
		given = v.lr.Pictures
	}
	for _, p := range given {
		if q, ok := bySlot[p.Slot]; ok && q.Asset == p.Asset && q.SHA256 == p.SHA256 {
			q.Width, q.Height = p.Width, p.Height
			bySlot[p.Slot] = q
		}
	}
	out := []picture{}
	for _, r := range v.resolved {
		if r.Kind != library.SlotImage {
			continue
		}
		p, found := bySlot[r.Slot]
		pc := picture{slot: r.Slot, id: r.Text, pic: p, found: found}
		if found {
			if a, ok := ck.ix.Asset(p.Asset); ok {
				pc.asset = a
			}
		}
		out = append(out, pc)
	}
	v.pics = out
	return out
}

// runRequired reports required slots that resolve to nothing (the
// office never filled them and HQ gave no default) and pictures the
// release does not have.
func runRequired(ck *checker, r *rule, ls []*localeView) {
	for _, v := range ls {
		if !r.applies(v.locale) {
			continue
		}
		for _, res := range v.resolved {
			s := v.slots[res.Slot]
			if len(s.Limits.Locales) > 0 && !contains(s.Limits.Locales, v.locale) {
				continue // the slot is not filled in this locale
			}
			if s.Limits.Required && res.Source == campaign.SourceEmpty {
				ck.add(r, v.locale, res.Slot, CodeSlotRequired)
			}
		}
		for _, p := range ck.pictures(v) {
			if p.id != "" && !p.found {
				ck.add(r, v.locale, p.slot, CodeImageUnknown, "asset", p.id)
			}
		}
	}
}

func runImageRegion(ck *checker, r *rule, ls []*localeView) {
	if ck.region == nil {
		return
	}
	for _, v := range ls {
		if !r.applies(v.locale) {
			continue
		}
		for _, p := range ck.pictures(v) {
			if p.asset != nil && len(p.asset.Regions) > 0 && !contains(p.asset.Regions, ck.region.ID) {
				ck.add(r, v.locale, p.slot, CodeImageRegion, "asset", p.asset.ID, "region", ck.region.ID)
			}
		}
	}
}

// runImageImport reports the office's own photos (library.Asset.Local)
// that no local approver has accepted: they are not HQ's, so nobody
// checked their rights or their look.
func runImageImport(ck *checker, r *rule, ls []*localeView) {
	approved := map[string]bool{}
	for _, id := range ck.in.ApprovedImports {
		approved[id] = true
	}
	for _, v := range ls {
		if !r.applies(v.locale) {
			continue
		}
		for _, p := range ck.pictures(v) {
			if p.asset != nil && p.asset.Local != nil && !approved[p.asset.ID] {
				ck.add(r, v.locale, p.slot, CodeImageImport, "asset", p.asset.ID, "name", p.asset.Local.Name)
			}
		}
	}
}

type imageParams struct {
	MinDensity      float64 `json:"min_density"`      // rendition pixels per layout pixel; 0 means 2
	AspectTolerance float64 `json:"aspect_tolerance"` // a manual crop's aspect vs the slot's; 0 means 0.02
	RequireAlt      *bool   `json:"require_alt"`      // default true
}

func checkImage(p any) (string, bool) {
	ip := p.(*imageParams)
	if ip.MinDensity == 0 {
		ip.MinDensity = 2
	}
	if !(ip.MinDensity > 0 && ip.MinDensity <= 8) {
		return "min_density", true
	}
	if ip.AspectTolerance == 0 {
		ip.AspectTolerance = 0.02
	}
	if !(ip.AspectTolerance > 0 && ip.AspectTolerance < 1) {
		return "aspect_tolerance", true
	}
	return "", false
}

// runImageQuality checks each picture from the release against the place
// the layout gives it: enough source pixels, once cropped (the manual
// crop, or the largest box of the slot's shape, as renditions are cut),
// for the width the layout shows it at times the density; a manual crop
// of the slot's shape; alt text in the locale.
func runImageQuality(ck *checker, r *rule, ls []*localeView) {
	p := r.params.(*imageParams)
	for _, v := range ls {
		if !r.applies(v.locale) {
			continue
		}
		for _, pc := range ck.pictures(v) {
			a := pc.asset
			if a == nil || pc.pic.Vector || a.Width <= 0 || a.Height <= 0 {
				continue
			}
			aw, ah := float64(a.Width), float64(a.Height)
			target := aw / ah
			if pc.pic.Width > 0 && pc.pic.Height > 0 {
				target = float64(pc.pic.Width) / float64(pc.pic.Height)
			}
			cw, ch := aw, ah
			if c := pc.pic.Crop; c != nil {
				cw, ch = c.W*aw, c.H*ah
			} else if aw/ah > target {
				cw = ah * target
			} else {
				ch = aw / target
			}
			if shown := v.shownWidth(pc); shown > 0 {
				needW := float64(shown) * p.MinDensity
				needH := needW / target
				if cw+0.5 < needW || ch+0.5 < needH {
					ck.add(r, v.locale, pc.slot, CodeImageDensity, "asset", a.ID,
						"width", itoa(cw), "height", itoa(ch), "needWidth", itoa(needW), "needHeight", itoa(needH),
						"density", strconv.FormatFloat(p.MinDensity, 'f', -1, 64))
				}
			}
			if pc.pic.Crop != nil && ch > 0 && math.Abs((cw/ch)/target-1) > p.AspectTolerance {
				ck.add(r, v.locale, pc.slot, CodeImageAspect, "asset", a.ID,
					"aspect", strconv.FormatFloat(cw/ch, 'f', 2, 64), "expected", strconv.FormatFloat(target, 'f', 2, 64))
			}
			if on(p.RequireAlt) && (!a.Alt.Has(v.locale) || strings.TrimSpace(pc.pic.Alt) == "") {
				ck.add(r, v.locale, pc.slot, CodeImageAlt, "asset", a.ID)
			}
		}
	}
}

// itoa writes a pixel count; out of range (a crop no edit would accept),
// it writes the float, as converting it to int differs between machines.
func itoa(f float64) string {
	if math.IsNaN(f) || math.Abs(f) > 1<<50 {
		return strconv.FormatFloat(f, 'g', 6, 64)
	}
	return strconv.Itoa(int(math.Round(f)))
}

// shownWidth is the width, in CSS pixels, the email shows a picture at:
// the layout's width attribute on the picture's <img>, else half the
// rendition (renditions are cut at 2×).
func (v *localeView) shownWidth(pc picture) int {
	w := 0
	if d := v.document(); d != nil {
		if f, ok := v.lr.Email.Fields[pc.slot]; ok && f.Image != nil && f.Image.URL != "" {
			for _, im := range d.images {
				if im.src == f.Image.URL && im.width > w {
					w = im.width
				}
			}
		}
	}
	if w == 0 {
		w = pc.pic.Width / 2
	}
	return w
}

// runExpiry reports pictures past their last day of use on the send date
// (or today, when the send date is not chosen or already past).
func runExpiry(ck *checker, r *rule, ls []*localeView) {
	day := ck.day()
	if day.IsZero() {
		return
	}
	for _, v := range ls {
		if !r.applies(v.locale) {
			continue
		}
		for _, pc := range ck.pictures(v) {
			if pc.asset == nil || pc.asset.Expires == "" {
				continue
			}
			last, err := time.Parse(time.DateOnly, pc.asset.Expires)
			if err != nil {
				continue
			}
			if day.After(last) {
				ck.add(r, v.locale, pc.slot, CodeAssetExpired, "asset", pc.asset.ID, "expires", pc.asset.Expires, "date", day.Format(time.DateOnly))
			}
		}
	}
}

type weightParams struct {
	MaxBytes      int `json:"max_bytes"`       // the email's HTML; 0 means Gmail's clipping size
	MaxImageBytes int `json:"max_image_bytes"` // its pictures together; 0: not checked
}

func checkWeight(p any) (string, bool) {
	wp := p.(*weightParams)
	switch {
	case wp.MaxBytes < 0:
		return "max_bytes", true
	case wp.MaxImageBytes < 0:
		return "max_image_bytes", true
	}
	if wp.MaxBytes == 0 {
		wp.MaxBytes = render.GmailClipBytes
	}
	return "", false
}

// runWeight weighs each locale's HTML and its pictures (each rendition
// once, by Input.ImageBytes).
func runWeight(ck *checker, r *rule, ls []*localeView) {
	p := r.params.(*weightParams)
	for _, v := range ls {
		if !r.applies(v.locale) || v.lr == nil {
			continue
		}
		if n := v.lr.Result.Bytes; n > p.MaxBytes {
			ck.add(r, v.locale, SlotLayout, CodeHTMLTooHeavy, "bytes", strconv.Itoa(n), "max", strconv.Itoa(p.MaxBytes))
		}
		if p.MaxImageBytes <= 0 || ck.in.ImageBytes == nil {
			continue
		}
		seen := map[string]bool{}
		total := 0
		for _, pc := range ck.pictures(v) {
			if !pc.found {
				continue
			}
			k := pc.pic.Key()
			if !seen[k] {
				seen[k] = true
				total += ck.in.ImageBytes[k]
			}
		}
		if total > p.MaxImageBytes {
			ck.add(r, v.locale, SlotLayout, CodeImagesTooHeavy, "bytes", strconv.Itoa(total), "max", strconv.Itoa(p.MaxImageBytes))
		}
	}
}

// runRender reports what the renderer dropped or stood in for, with the
// renderer's own codes. A missing picture the required-slot check already
// explains (a required slot left empty, an unknown asset) is not repeated.
func runRender(ck *checker, r *rule, ls []*localeView) {
	for _, v := range ls {
		if !r.applies(v.locale) || v.lr == nil {
			continue
		}
		explained := map[string]bool{}
		for _, pc := range ck.pictures(v) {
			if (pc.id != "" && !pc.found) || (pc.id == "" && v.slots[pc.slot].Limits.Required) {
				explained[pc.slot] = true
			}
		}
		for _, pr := range v.lr.Result.Problems {
			if pr.Code == render.CodeImageMissing && explained[pr.Slot] {
				continue
			}
			params := make([]string, 0, 2*len(pr.Params))
			for k, val := range pr.Params {
				params = append(params, k, val)
			}
			ck.add(r, v.locale, pr.Slot, FindingCode(pr.Code), params...)
		}
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
