package app

import (
	"archive/zip"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/outpost-studio/outpost/backend/adapt"
	"github.com/outpost-studio/outpost/backend/brandcheck"
	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/pack"
	"github.com/outpost-studio/outpost/backend/task"
)

// PackService exports brand-checked asset packs: renditions per channel
// preset in a reproducible zip with manifest.json and report.html.
type PackService struct{ a *App }

// PackRequest is what to export: assets (or a campaign's pictures) to
// presets, into dest.
type PackRequest struct {
	Assets   []string `json:"assets"`   // asset ids; empty with Campaign "" means every image
	Presets  []string `json:"presets"`  // preset ids; empty means all
	Dest     string   `json:"dest"`     // the zip to write (absolute)
	Campaign string   `json:"campaign"` // a campaign id: its pictures with its crops
	// Crops are manual crops for assets: asset id → preset id → crop.
	Crops map[string]map[string]campaign.Crop `json:"crops"`
}

// PackSummary describes the last pack written.
type PackSummary struct {
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	Files  int    `json:"files"`
	Failed int    `json:"failed"`
	Report string `json:"report"` // URL of its report.html, served by the app
}

// EnvPackDest, when set, is where ChooseDestination answers without a
// dialog: end-to-end tests cannot drive the native one.
const EnvPackDest = "OUTPOST_E2E_PACK_DEST"

// Presets lists the library's channel presets.
func (s *PackService) Presets() ([]library.Preset, error) {
	ix, err := s.a.index()
	if err != nil {
		return []library.Preset{}, err
	}
	return ix.Content.Presets, nil
}

// ChooseDestination asks where to save a pack; "" when cancelled.
func (s *PackService) ChooseDestination(suggested string) (string, error) {
	if p := os.Getenv(EnvPackDest); p != "" {
		return p, nil
	}
	ctx := s.a.wailsCtx()
	if ctx == nil {
		return "", nil
	}
	if filepath.Ext(suggested) != ".zip" {
		suggested += ".zip"
	}
	return runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{
		Title: "Outpost", DefaultFilename: filepath.Base(suggested),
		Filters: []runtime.FileFilter{{DisplayName: "Zip (*.zip)", Pattern: "*.zip"}},
	})
}

// Export writes the pack as a task (progress and cancel through the task
// events). A cancelled or failed export leaves no file behind.
func (s *PackService) Export(req PackRequest) (string, error) {
	a := s.a
	const op = "app.ExportPack"
	a.mu.Lock()
	store, c := a.store, a.cache
	a.mu.Unlock()
	if store == nil || c == nil {
		return "", fault.New(fault.Unavailable, CodeCacheUnavailable, op)
	}
	if !filepath.IsAbs(req.Dest) {
		return "", fault.New(fault.Invalid, pack.CodePathUnsafe, op).With("path", req.Dest)
	}
	in := pack.Input{
		Blobs: store, Cache: pack.NewStoreCache(c), Presets: req.Presets,
		Region: a.settings.Get().Region, Date: time.Now().Format(time.DateOnly),
	}
	if req.Campaign != "" {
		st, err := a.campaignStore()
		if err != nil {
			return "", err
		}
		cp, err := st.Get(req.Campaign)
		if err != nil {
			return "", err
		}
		ix, err := st.Release(cp)
		if err != nil {
			return "", err
		}
		in.Release, in.Region, in.Items = ix, cp.Region, campaignItems(cp, ix)
		if len(in.Items) == 0 {
			return "", fault.New(fault.Invalid, pack.CodeNothingToPack, op)
		}
		rep, err := a.previews.check(a.wailsCtxOr(), st, cp, in.Date)
		if err != nil {
			return "", err
		}
		if err := brandcheck.Blocked(rep.Findings, op); err != nil {
			return "", err
		}
		in.Findings = brandcheck.ToPack(rep.Findings)
	} else {
		ix, err := a.index()
		if err != nil {
			return "", err
		}
		in.Release = ix
		for _, id := range req.Assets {
			it := pack.Item{Asset: id}
			for preset, cr := range req.Crops[id] {
				if it.Crops == nil {
					it.Crops = map[string]adapt.Rect{}
				}
				it.Crops[preset] = adapt.Rect{X0: cr.X, Y0: cr.Y, X1: cr.X + cr.W, Y1: cr.Y + cr.H}
			}
			in.Items = append(in.Items, it)
		}
		fs := brandcheck.CheckPack(brandcheck.PackInput{
			Release: ix, Assets: req.Assets, Region: in.Region, Date: in.Date,
		})
		if err := brandcheck.Blocked(fs, op); err != nil {
			return "", err
		}
		in.Findings = brandcheck.ToPack(fs)
	}
	return a.tasks.Start("pack", func(ctx context.Context, report task.Reporter) error {
		res, err := pack.Export(ctx, in, req.Dest, report)
		if err != nil {
			return err
		}
		sum := &PackSummary{Path: res.Path, Bytes: res.Bytes, Files: len(res.Manifest.Files), Failed: len(res.Manifest.Failed), Report: "/pack/report?t=" + time.Now().Format("150405.000")}
		a.mu.Lock()
		a.lastPack = sum
		a.mu.Unlock()
		return nil
	}), nil
}

// campaignItems are a campaign's pictures in every locale, with its crops.
func campaignItems(c *campaign.Campaign, ix *library.Index) []pack.Item {
	t, ok := campaign.TemplateOf(ix.Content, c.Template)
	if !ok {
		return nil
	}
	crops := map[string]map[string]adapt.Rect{}
	var ids []string
	for _, l := range c.Locales {
		for _, r := range campaign.Resolve(c, t, l, ix.Content.Locales[0]) {
			if r.Kind != library.SlotImage || r.Text == "" {
				continue
			}
			if _, ok := ix.Asset(r.Text); !ok {
				continue // a logo: not a picture to adapt
			}
			if _, seen := crops[r.Text]; !seen {
				ids = append(ids, r.Text)
				crops[r.Text] = map[string]adapt.Rect{}
			}
			for preset, cr := range c.Crops[r.Slot] {
				if _, set := crops[r.Text][preset]; !set {
					crops[r.Text][preset] = adapt.Rect{X0: cr.X, Y0: cr.Y, X1: cr.X + cr.W, Y1: cr.Y + cr.H}
				}
			}
		}
	}
	sort.Strings(ids)
	out := make([]pack.Item, len(ids))
	for i, id := range ids {
		out[i] = pack.Item{Asset: id}
		if len(crops[id]) > 0 {
			out[i].Crops = crops[id]
		}
	}
	return out
}

// Last describes the last pack written in this session, nil if none.
func (s *PackService) Last() (*PackSummary, error) {
	s.a.mu.Lock()
	defer s.a.mu.Unlock()
	return s.a.lastPack, nil
}

// serveReport answers /pack/report: the last pack's report.html, read from
// the zip, shown in a sandboxed frame.
func (a *App) serveReport(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	last := a.lastPack
	a.mu.Unlock()
	if last == nil || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	zr, err := zip.OpenReader(last.Path)
	if err != nil {
		http.Error(w, "the pack is no longer where it was saved", http.StatusNotFound)
		return
	}
	defer zr.Close()
	f, err := zr.Open(pack.ReportFile)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; sandbox")
	io.Copy(w, io.LimitReader(f, 16<<20))
}
