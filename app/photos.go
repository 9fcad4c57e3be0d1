package app

import (
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/outpost-studio/outpost/backend/adapt"
	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
)

// PhotoImport is what importing local photos did.
type PhotoImport struct {
	Imported []AssetCard   `json:"imported"` // new photos
	Existing []AssetCard   `json:"existing"` // already imported: the same bytes
	Failed   []PhotoFailed `json:"failed"`
	// TooSmall lists, per imported photo, the presets it is too small for.
	TooSmall []PhotoPresets `json:"tooSmall"`
}

// PhotoFailed is a file that could not be imported, and why.
type PhotoFailed struct {
	Name  string        `json:"name"`
	Error fault.Payload `json:"error"`
}

// PhotoPresets names the presets a photo cannot fill without enlarging.
type PhotoPresets struct {
	ID      string   `json:"id"`
	Presets []string `json:"presets"`
}

// PresetCrop is where a preset's rendition of an asset comes from, in
// fractions of the upright picture, as the crop editor draws it.
type PresetCrop struct {
	Preset   string            `json:"preset"`
	Name     library.Localized `json:"name"`
	Channel  string            `json:"channel"`
	Width    int               `json:"width"`
	Height   int               `json:"height"`
	Fit      string            `json:"fit"`
	X        float64           `json:"x"`
	Y        float64           `json:"y"`
	W        float64           `json:"w"`
	H        float64           `json:"h"`
	Upscaled bool              `json:"upscaled"` // the picture is smaller than the preset
	Manual   bool              `json:"manual"`   // a manual crop was given for it
}

// ChoosePhotos asks for photos to import; empty when cancelled.
func (s *LibraryService) ChoosePhotos() ([]string, error) {
	ctx := s.a.wailsCtx()
	if ctx == nil {
		return []string{}, nil
	}
	paths, err := runtime.OpenMultipleFilesDialog(ctx, runtime.OpenDialogOptions{
		Title:   "Outpost",
		Filters: []runtime.FileFilter{{DisplayName: "Photos (*.jpg, *.png, *.webp, *.gif)", Pattern: "*.jpg;*.jpeg;*.png;*.webp;*.gif;*.JPG;*.JPEG;*.PNG"}},
	})
	if paths == nil {
		paths = []string{}
	}
	return paths, err
}

// ImportPhotos imports the office's own photos (from the file dialog or
// dropped on the library). Each file is decoded in full first; one bad
// file is reported and the others are imported.
func (s *LibraryService) ImportPhotos(paths []string) (PhotoImport, error) {
	a := s.a
	a.mu.Lock()
	store := a.store
	a.mu.Unlock()
	out := PhotoImport{Imported: []AssetCard{}, Existing: []AssetCard{}, Failed: []PhotoFailed{}, TooSmall: []PhotoPresets{}}
	if store == nil {
		return out, fault.New(fault.Unavailable, CodeCacheUnavailable, "app.ImportPhotos")
	}
	by := a.settings.Get().DisplayName
	var added []*library.Local
	var existing []*library.Local
	for _, p := range paths {
		name := filepath.Base(p)
		b, err := readPhoto(p)
		if err == nil {
			var l *library.Local
			var isNew bool
			if l, isNew, err = store.ImportLocal(name, b, by, time.Now()); err == nil {
				if isNew {
					added = append(added, l)
				} else {
					existing = append(existing, l)
				}
				continue
			}
		}
		out.Failed = append(out.Failed, PhotoFailed{Name: name, Error: fault.ToPayload(err)})
	}
	if len(added) > 0 {
		if ix, err := a.index(); err == nil {
			if err := a.activate(ix.Record.Library); err != nil {
				return out, err
			}
		}
	}
	ix, err := a.index()
	if err != nil {
		return out, nil // stored; browsable once a library is open
	}
	now := time.Now()
	for _, l := range added {
		if as, ok := ix.Asset(l.ID); ok {
			out.Imported = append(out.Imported, card(ix, as, now))
			if small := tooSmall(ix, as); len(small) > 0 {
				out.TooSmall = append(out.TooSmall, PhotoPresets{ID: l.ID, Presets: small})
			}
		}
	}
	for _, l := range existing {
		if as, ok := ix.Asset(l.ID); ok {
			out.Existing = append(out.Existing, card(ix, as, now))
		}
	}
	return out, nil
}

// readPhoto reads a file no larger than a photo may be.
func readPhoto(p string) ([]byte, error) {
	const op = "app.ImportPhotos"
	name := filepath.Base(p)
	if !filepath.IsAbs(p) {
		return nil, fault.New(fault.Invalid, library.CodeLocalInvalid, op).With("name", name).With("reason", "path")
	}
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return nil, fault.New(fault.NotFound, library.CodeLocalInvalid, op).With("name", name).With("reason", "unreadable").Wrap(err)
	}
	if fi.Size() > adapt.DefaultLimits().MaxBytes {
		return nil, fault.New(fault.Invalid, library.CodeLocalInvalid, op).With("name", name).With("reason", string(adapt.CodeImageTooLarge))
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fault.New(fault.Unavailable, library.CodeLocalInvalid, op).With("name", name).With("reason", "unreadable").Wrap(err)
	}
	return b, nil
}

// tooSmall lists the presets a picture would have to be enlarged for.
func tooSmall(ix *library.Index, as *library.Asset) []string {
	out := []string{}
	for _, p := range ix.Content.Presets {
		if presetPlan(as, p, nil, nil).Upscaled() {
			out = append(out, p.ID)
		}
	}
	return out
}

func presetPlan(as *library.Asset, p library.Preset, focal *library.Point, crop *adapt.Rect) adapt.Plan {
	f := adapt.Point{X: 0.5, Y: 0.5}
	if focal != nil {
		f = adapt.Point{X: focal.X, Y: focal.Y}
	} else if as.Focal != nil {
		f = adapt.Point{X: as.Focal.X, Y: as.Focal.Y}
	}
	return adapt.PlanFor(as.Width, as.Height, adapt.Spec{Width: p.Width, Height: p.Height, Fit: p.Fit, Crop: crop}, f)
}

// EditPhoto changes a local photo's title, tags and focal point.
func (s *LibraryService) EditPhoto(id string, e library.LocalEdit) (AssetDetail, error) {
	a := s.a
	a.mu.Lock()
	store := a.store
	a.mu.Unlock()
	if store == nil {
		return AssetDetail{}, fault.New(fault.Unavailable, CodeCacheUnavailable, "app.EditPhoto")
	}
	if _, err := store.EditLocal(id, e); err != nil {
		return AssetDetail{}, err
	}
	if ix, err := a.index(); err == nil {
		if err := a.activate(ix.Record.Library); err != nil {
			return AssetDetail{}, err
		}
	}
	return s.Asset(id)
}

// DeletePhoto removes a local photo from this computer.
func (s *LibraryService) DeletePhoto(id string) error {
	a := s.a
	a.mu.Lock()
	store := a.store
	a.mu.Unlock()
	if store == nil {
		return fault.New(fault.Unavailable, CodeCacheUnavailable, "app.DeletePhoto")
	}
	if err := store.DeleteLocal(id); err != nil {
		return err
	}
	if ix, err := a.index(); err == nil {
		return a.activate(ix.Record.Library)
	}
	return nil
}

// Crops lays every preset of the library out on an asset around focal (nil:
// the asset's own focal point, else the centre), with manual crops per
// preset where given. The crop editor calls it while a point is dragged.
func (s *LibraryService) Crops(id string, focal *library.Point, manual map[string]campaign.Crop) ([]PresetCrop, error) {
	ix, err := s.a.index()
	if err != nil {
		return []PresetCrop{}, err
	}
	as, ok := ix.Asset(id)
	if !ok {
		return []PresetCrop{}, fault.New(fault.NotFound, library.CodeAssetNotFound, "app.Crops").With("id", id)
	}
	out := make([]PresetCrop, 0, len(ix.Content.Presets))
	for _, p := range ix.Content.Presets {
		var crop *adapt.Rect
		if m, ok := manual[p.ID]; ok {
			crop = &adapt.Rect{X0: m.X, Y0: m.Y, X1: m.X + m.W, Y1: m.Y + m.H}
		}
		pl := presetPlan(as, p, focal, crop)
		w, h := float64(as.Width), float64(as.Height)
		r := pl.Region
		out = append(out, PresetCrop{
			Preset: p.ID, Name: p.Name, Channel: p.Channel, Width: p.Width, Height: p.Height, Fit: p.Fit,
			X: float64(r.Min.X) / w, Y: float64(r.Min.Y) / h, W: float64(r.Dx()) / w, H: float64(r.Dy()) / h,
			Upscaled: pl.Upscaled(), Manual: crop != nil,
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Channel < out[j].Channel })
	return out, nil
}
