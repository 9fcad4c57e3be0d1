package app

import (
	"github.com/outpost-studio/outpost/backend/adapt"
	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/pack"
)

// renditions makes the pictures an email preview shows. Each is made once
// and kept in the rendition cache (rend/ in Badger, shared with asset
// packs): typing re-renders the email, not its pictures.
type renditions struct{ a *App }

func (r *renditions) picture(pic campaign.Picture) ([]byte, string, error) {
	r.a.mu.Lock()
	store, c := r.a.store, r.a.cache
	r.a.mu.Unlock()
	if store == nil || c == nil {
		return nil, "", errNoStore()
	}
	b, err := store.Blob(pic.SHA256)
	if err != nil {
		return nil, "", err
	}
	if pic.Vector {
		return b, "image/svg+xml", nil
	}
	spec := pictureSpec(pic, b)
	cached := pack.NewStoreCache(c)
	hash := spec.Hash()
	if out, ok, err := cached.Rendition(pic.SHA256, hash); err == nil && ok {
		return out, "image/jpeg", nil
	}
	out, err := adapt.Render(b, spec, adapt.DefaultLimits())
	if err != nil {
		return nil, "", err
	}
	if err := cached.PutRendition(pic.SHA256, hash, out.Bytes); err != nil {
		r.a.log.Warn("rendition cache", "err", err)
	}
	return out.Bytes, "image/jpeg", nil
}

// pictureSpec is the rendition an email shows of a picture: cut to the
// slot's size around the focal point (or the designer's crop), or, for a
// slot without a size, the picture 1200 px wide.
func pictureSpec(pic campaign.Picture, b []byte) adapt.Spec {
	spec := adapt.Spec{Width: pic.Width, Height: pic.Height, Fit: adapt.FitFill, Format: adapt.FormatJPEG, Quality: 80}
	if pic.Focal != nil {
		spec.Focal = &adapt.Point{X: pic.Focal.X, Y: pic.Focal.Y}
	}
	if c := pic.Crop; c != nil {
		spec.Crop = &adapt.Rect{X0: c.X, Y0: c.Y, X1: c.X + c.W, Y1: c.Y + c.H}
	}
	if spec.Width == 0 || spec.Height == 0 {
		info, err := adapt.DecodeConfig(b, adapt.DefaultLimits())
		w := 1200
		if err == nil && info.Width > 0 {
			w = min(w, info.Width)
			spec.Width, spec.Height = w, max(1, info.Height*w/info.Width)
		} else {
			spec.Width, spec.Height = w, w*2/3
		}
	}
	return spec
}
