package app

import (
	"context"
	"io/fs"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/task"
)

// EventLibrary tells the UI the active library changed (payload: LibraryInfo or null).
const EventLibrary = "outpost:library"

// Sample is the built-in library: its release files and the key that may
// sign it, trusted for that library only.
type Sample struct {
	Files fs.FS
	Trust library.Trust
}

// ThumbSide is the size of the thumbnails the grid shows.
const ThumbSide = 320

// LibraryService browses the active library and imports releases.
type LibraryService struct{ a *App }

// LibraryInfo describes the active library release.
type LibraryInfo struct {
	ID            string           `json:"id"`
	Name          string           `json:"name"`
	Version       uint64           `json:"version"`
	Sample        bool             `json:"sample"`
	Expires       string           `json:"expires"`       // RFC 3339
	OutdatedSince string           `json:"outdatedSince"` // the expiry, once past; "" while current
	AppliedAt     string           `json:"appliedAt"`
	Signers       []string         `json:"signers"`
	Locales       []string         `json:"locales"`
	Regions       []library.Region `json:"regions"`
	Assets        int              `json:"assets"`
	Templates     int              `json:"templates"`
	Snippets      int              `json:"snippets"`
}

// AssetCard is an asset as the grid shows it.
type AssetCard struct {
	ID      string            `json:"id"`
	Kind    string            `json:"kind"`
	Title   library.Localized `json:"title"`
	Alt     library.Localized `json:"alt"`
	Tags    []string          `json:"tags"`
	Width   int               `json:"width"`
	Height  int               `json:"height"`
	Regions []string          `json:"regions"`
	Expires string            `json:"expires"`
	Expiry  string            `json:"expiry"` // "", "valid", "soon", "expired"
	Thumb   string            `json:"thumb"`  // URL
	// Local photos: imported by the office, not part of HQ's release.
	Local      bool   `json:"local"`
	ImportedBy string `json:"importedBy"`
	ImportedAt string `json:"importedAt"` // RFC 3339
}

// AssetPage is one page of a search.
type AssetPage struct {
	Total int                `json:"total"`
	Items []AssetCard        `json:"items"`
	Tags  []library.TagCount `json:"tags"` // every tag of the library, for filters
}

// AssetDetail is everything about one asset.
type AssetDetail struct {
	AssetCard
	Description library.Localized `json:"description"`
	Focal       *library.Point    `json:"focal"`
	Credit      library.Credit    `json:"credit"`
	Image       string            `json:"image"` // URL of the full image
	SHA256      string            `json:"sha256"`
	Path        string            `json:"path"`
}

// BrandView is the brand kit with URLs for its files. Its fields are
// spelled out: Wails' TypeScript generator drops embedded structs' types.
type BrandView struct {
	Name    string             `json:"name"`
	Palette []library.Colour   `json:"palette"`
	Fonts   []library.Font     `json:"fonts"`
	Logos   []library.Logo     `json:"logos"`
	Tone    []library.ToneRule `json:"tone"`
	Files   map[string]string  `json:"files"` // release path -> URL
}

// TemplateView is a template with its preview URL (fields spelled out, as
// for BrandView).
type TemplateView struct {
	ID          string            `json:"id"`
	Kind        string            `json:"kind"`
	Name        library.Localized `json:"name"`
	Description library.Localized `json:"description"`
	Layout      string            `json:"layout"`
	Preview     string            `json:"preview"`
	PreviewURL  string            `json:"previewUrl"`
	Slots       []library.Slot    `json:"slots"`
}

func fileURL(sha string) string { return "/library/file/" + sha }
func thumbURL(sha string) string {
	return "/library/thumb/" + sha + "?side=" + strconv.Itoa(ThumbSide)
}

func (a *App) index() (*library.Index, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.lib == nil {
		return nil, fault.New(fault.NotFound, library.CodeNoCurrentRelease, "app.Library")
	}
	return a.lib, nil
}

func (a *App) libraryInfo() *LibraryInfo {
	a.mu.Lock()
	ix, sample := a.lib, a.sample
	a.mu.Unlock()
	if ix == nil {
		return nil
	}
	r := ix.Record
	info := &LibraryInfo{
		ID: r.Library, Name: r.Name, Version: r.Version,
		Sample:    r.Library == sample.Trust.Library,
		Expires:   r.Expires.UTC().Format(time.RFC3339),
		AppliedAt: r.AppliedAt.UTC().Format(time.RFC3339),
		Signers:   r.Signers,
		Locales:   ix.Content.Locales,
		Regions:   ix.Content.Regions,
		Assets:    len(ix.Content.Assets), Templates: len(ix.Content.Templates), Snippets: len(ix.Content.Snippets),
	}
	if !time.Now().Before(r.Expires) {
		info.OutdatedSince = info.Expires
	}
	return info
}

func card(ix *library.Index, as *library.Asset, now time.Time) AssetCard {
	c := AssetCard{
		ID: as.ID, Kind: as.Kind, Title: as.Title, Alt: as.Alt, Tags: as.Tags, Width: as.Width, Height: as.Height,
		Regions: as.Regions, Expires: as.Expires, Expiry: library.ExpiryOf(as, now),
	}
	if c.Tags == nil {
		c.Tags = []string{}
	}
	if l := as.Local; l != nil {
		c.Local, c.ImportedBy, c.ImportedAt = true, l.By, l.At.Format(time.RFC3339)
	}
	if sha := ix.SHA(as.Path); sha != "" {
		c.Thumb = thumbURL(sha)
	}
	return c
}

// Info describes the active library, nil when there is none.
func (s *LibraryService) Info() (*LibraryInfo, error) { return s.a.libraryInfo(), nil }

// Search returns a page of assets.
func (s *LibraryService) Search(q library.Query) (AssetPage, error) {
	ix, err := s.a.index()
	if err != nil {
		return AssetPage{Items: []AssetCard{}, Tags: []library.TagCount{}}, err
	}
	if q.Limit > 500 {
		q.Limit = 500
	}
	now := time.Now()
	res := ix.Search(q, now)
	page := AssetPage{Total: res.Total, Items: make([]AssetCard, len(res.Assets)), Tags: ix.Tags()}
	for i, as := range res.Assets {
		page.Items[i] = card(ix, as, now)
	}
	return page, nil
}

// Asset returns one asset in full.
func (s *LibraryService) Asset(id string) (AssetDetail, error) {
	ix, err := s.a.index()
	if err != nil {
		return AssetDetail{}, err
	}
	as, ok := ix.Asset(id)
	if !ok {
		return AssetDetail{}, fault.New(fault.NotFound, library.CodeAssetNotFound, "app.Asset").With("id", id)
	}
	sha := ix.SHA(as.Path)
	return AssetDetail{
		AssetCard: card(ix, as, time.Now()), Description: as.Description, Focal: as.Focal, Credit: as.Credit,
		Image: fileURL(sha), SHA256: sha, Path: as.Path,
	}, nil
}

// Brand returns the brand kit.
func (s *LibraryService) Brand() (BrandView, error) {
	ix, err := s.a.index()
	if err != nil {
		return BrandView{Files: map[string]string{}}, err
	}
	b := ix.Content.Brand
	v := BrandView{Name: b.Name, Palette: b.Palette, Fonts: b.Fonts, Logos: b.Logos, Tone: b.Tone, Files: map[string]string{}}
	for _, l := range v.Logos {
		v.Files[l.Path] = fileURL(ix.SHA(l.Path))
	}
	for _, f := range v.Fonts {
		for _, ff := range f.Files {
			v.Files[ff.Path] = fileURL(ix.SHA(ff.Path))
		}
	}
	return v, nil
}

// Templates lists the library's templates.
func (s *LibraryService) Templates() ([]TemplateView, error) {
	ix, err := s.a.index()
	if err != nil {
		return []TemplateView{}, err
	}
	out := make([]TemplateView, len(ix.Content.Templates))
	for i, t := range ix.Content.Templates {
		out[i] = TemplateView{ID: t.ID, Kind: t.Kind, Name: t.Name, Description: t.Description, Layout: t.Layout, Preview: t.Preview, Slots: t.Slots}
		if t.Preview != "" {
			out[i].PreviewURL = fileURL(ix.SHA(t.Preview))
		}
	}
	return out, nil
}

// ChooseReleaseFile asks for a release zip; "" when cancelled.
func (s *LibraryService) ChooseReleaseFile() (string, error) {
	ctx := s.a.wailsCtx()
	if ctx == nil {
		return "", nil
	}
	return runtime.OpenFileDialog(ctx, runtime.OpenDialogOptions{
		Title:   "Outpost",
		Filters: []runtime.FileFilter{{DisplayName: "Library release (*.zip)", Pattern: "*.zip"}},
	})
}

// ChooseReleaseFolder asks for a release folder; "" when cancelled.
func (s *LibraryService) ChooseReleaseFolder() (string, error) {
	ctx := s.a.wailsCtx()
	if ctx == nil {
		return "", nil
	}
	return runtime.OpenDirectoryDialog(ctx, runtime.OpenDialogOptions{Title: "Outpost"})
}

// Import verifies the release at path (a zip or folder) and, if it passes,
// makes it the active library. It runs as a task; the current library stays
// as it is unless the new release is fully verified.
func (s *LibraryService) Import(path string) (string, error) {
	a := s.a
	a.mu.Lock()
	store := a.store
	a.mu.Unlock()
	if store == nil {
		return "", fault.New(fault.Unavailable, CodeCacheUnavailable, "app.Import")
	}
	if !filepath.IsAbs(path) {
		return "", fault.New(fault.Invalid, library.CodeNotARelease, "app.Import").With("path", path)
	}
	return a.tasks.Start("import", func(ctx context.Context, report task.Reporter) error {
		src, err := library.OpenSource(path)
		if err != nil {
			return err
		}
		defer src.Close()
		return a.apply(ctx, src, report)
	}), nil
}

// apply verifies and stores a release, then makes it the active library.
func (a *App) apply(ctx context.Context, src library.Source, report task.Reporter) error {
	a.mu.Lock()
	store := a.store
	a.mu.Unlock()
	pol := library.Policy{Trust: a.trust(), Region: a.settings.Get().Region, Now: time.Now()}
	rec, err := store.Apply(library.WithContext(ctx, src), pol, report)
	if err != nil {
		return err
	}
	return a.settle(rec.Library)
}

// settle follows a release applied by an import or a sync: blobs no release
// or draft still needs are swept, then lib becomes the library the UI shows.
func (a *App) settle(lib string) error {
	a.mu.Lock()
	store := a.store
	a.mu.Unlock()
	var pins []library.Pin
	if st, err := a.campaignStore(); err == nil {
		if pins, err = st.Pins(); err != nil {
			a.log.Warn("library: campaign pins", "err", err)
			return a.activate(lib) // never sweep what a draft may pin
		}
	}
	if n, err := store.Sweep(pins...); err != nil {
		a.log.Warn("library: sweep", "err", err)
	} else if n > 0 {
		a.log.Info("library: swept unreferenced blobs", "count", n)
	}
	return a.activate(lib)
}

// trust is every pinned key: the sample's and trust.json's.
func (a *App) trust() []library.Trust {
	out := []library.Trust{a.sample.Trust}
	path := filepath.Join(filepath.Dir(a.settings.Path()), library.TrustFileName)
	extra, err := library.LoadTrustFile(path)
	if err != nil {
		a.log.Warn("library: trust file", "err", err)
	}
	return append(out, extra...)
}

// activate loads a library's trusted release as the one the UI browses.
func (a *App) activate(lib string) error {
	a.mu.Lock()
	store := a.store
	a.mu.Unlock()
	ix, err := store.Open(lib)
	if err != nil {
		return err
	}
	a.mu.Lock()
	a.lib = ix
	a.mu.Unlock()
	a.emit(EventLibrary, a.libraryInfo())
	return nil
}

// openLibrary picks the library to show at startup: the most recently
// applied one, else the built-in sample when no hub is configured.
func (a *App) openLibrary() {
	a.mu.Lock()
	store := a.store
	a.mu.Unlock()
	if store == nil {
		return
	}
	recs, err := store.Records()
	if err != nil {
		a.warn(err)
		return
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].AppliedAt.After(recs[j].AppliedAt) })
	for _, r := range recs {
		if err := a.activate(r.Library); err != nil {
			a.warn(err)
			continue
		}
		return
	}
	if a.sample.Files != nil && a.settings.Get().HubURL == "" {
		a.tasks.Start("import", func(ctx context.Context, report task.Reporter) error {
			return a.apply(ctx, library.FSSource(a.sample.Files), report)
		})
	}
}

// libraryFiles serves release files and thumbnails to the UI by content
// hash: /library/file/{sha256} and /library/thumb/{sha256}?side=N.
func (a *App) libraryFiles(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/pack/report" {
			a.serveReport(w, r)
			return
		}
		if rest, ok := strings.CutPrefix(r.URL.Path, "/campaign/preview/"); ok {
			a.servePreview(w, r, rest)
			return
		}
		rest, ok := strings.CutPrefix(r.URL.Path, "/library/")
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		a.mu.Lock()
		store := a.store
		a.mu.Unlock()
		if store == nil || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		kind, sha, _ := strings.Cut(rest, "/")
		if len(sha) != 64 {
			http.NotFound(w, r)
			return
		}
		var b []byte
		var err error
		switch kind {
		case "file":
			b, err = store.Blob(sha)
		case "thumb":
			side, _ := strconv.Atoi(r.URL.Query().Get("side"))
			if side < 32 || side > 2048 {
				side = ThumbSide
			}
			b, err = store.Thumbnail(sha, side)
		default:
			http.NotFound(w, r)
			return
		}
		if err != nil {
			if fault.KindOf(err) == fault.NotFound {
				http.NotFound(w, r)
				return
			}
			a.log.Warn("library file", "path", r.URL.Path, "err", err)
			http.Error(w, string(fault.CodeOf(err)), http.StatusUnprocessableEntity)
			return
		}
		w.Header().Set("Content-Type", contentType(b))
		w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		// Release files are data. Should one ever be opened as a document
		// (an SVG with a script, say), it runs sandboxed in an opaque origin,
		// far from the app's bindings.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; font-src 'self'; sandbox")
		w.Write(b)
	})
}

// contentType names what a blob holds; SVG and fonts are told apart by
// their first bytes since http.DetectContentType does not know them.
func contentType(b []byte) string {
	head := b[:min(len(b), 512)]
	switch {
	case len(b) >= 4 && (string(b[:4]) == "\x00\x01\x00\x00" || string(b[:4]) == "true"):
		return "font/ttf"
	case len(b) >= 4 && string(b[:4]) == "OTTO":
		return "font/otf"
	case len(b) >= 4 && string(b[:4]) == "wOF2":
		return "font/woff2"
	case len(b) >= 4 && string(b[:4]) == "wOFF":
		return "font/woff"
	case strings.Contains(string(head), "<svg"):
		// Shown in <img> only, where SVG scripts never run.
		return "image/svg+xml"
	}
	return http.DetectContentType(b)
}
