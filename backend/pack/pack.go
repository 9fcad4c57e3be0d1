// Package pack exports asset packs: a reproducible zip of renditions, one
// folder per channel preset, with a manifest and a readable check report.
package pack

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/outpost-studio/outpost/backend/adapt"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/task"
)

// Error codes raised by this package.
const (
	CodePresetUnknown  fault.Code = "pack.preset_unknown"  // {id}
	CodeAssetUnknown   fault.Code = "pack.asset_unknown"   // {id}
	CodeAssetDuplicate fault.Code = "pack.asset_duplicate" // {id}
	CodeNothingToPack  fault.Code = "pack.nothing_to_pack"
	CodeDateInvalid    fault.Code = "pack.date_invalid"   // {date}
	CodeColourInvalid  fault.Code = "pack.colour_invalid" // {colour}
	CodePathUnsafe     fault.Code = "pack.path_unsafe"    // {path}
	CodeWriteFailed    fault.Code = "pack.write_failed"   // {path}
	CodeAssetFailed    fault.Code = "pack.asset_failed"   // {id, code}: strict mode
	CodeCacheFailed    fault.Code = "pack.cache_failed"
)

// Blobs reads a release's files by SHA-256, checked; *library.Store is one.
type Blobs interface {
	Blob(sha256 string) ([]byte, error)
}

// Item is one asset to export, with the designer's manual crops for it.
type Item struct {
	Asset string `json:"asset"` // asset id
	// Crops overrides the framing per preset id: the region of the source
	// (fractions) that the preset shows. A campaign passes its own here.
	Crops map[string]adapt.Rect `json:"crops,omitempty"`
}

// Severities of a check or a finding.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// Finding is one result of a check that ran before the export, such as the
// brand check; the report lists them as given, in order.
type Finding struct {
	RuleID   string            `json:"ruleId"`
	Severity string            `json:"severity"` // SeverityError, SeverityWarning or SeverityInfo
	Code     string            `json:"code"`     // stable, an i18n key
	Params   map[string]string `json:"params,omitempty"`
	Locale   string            `json:"locale,omitempty"`
	Slot     string            `json:"slot,omitempty"`
	Message  string            `json:"message"` // in words, for the report
}

// Input is everything an export depends on: the same Input gives the same
// zip, byte for byte.
type Input struct {
	Release *library.Index // the trusted release the assets come from
	Blobs   Blobs          // its files
	// Cache keeps renditions across exports; nil keeps them in memory for
	// this export only.
	Cache RenditionCache
	// Items are the assets; empty means every image asset of the release.
	Items []Item
	// Presets are the preset ids to export; empty means all of them.
	Presets []string
	// Region is the office's region id; "" skips the usage-region check.
	Region string
	// Date is the export day, "YYYY-MM-DD": the expiry check's today and
	// the zip entries' time. Exports never read the clock.
	Date string
	// Background is the letterbox colour of fit presets, "#RRGGBB"; ""
	// takes the brand palette's first colour (white without a palette).
	Background string
	// Findings are the brand check's, listed in the report.
	Findings []Finding
	// Strict fails the whole export on the first asset that cannot be
	// rendered; otherwise such an asset is listed as failed and the rest
	// is exported.
	Strict  bool
	Workers int          // sources decoded at a time; 0 means GOMAXPROCS
	Limits  adapt.Limits // for every source; zero means adapt.DefaultLimits
}

// Result describes a written pack.
type Result struct {
	Path     string    `json:"path"`
	Bytes    int64     `json:"bytes"`
	Manifest *Manifest `json:"manifest"`
}

// job is one asset with its renditions to make.
type job struct {
	asset *library.Asset
	sha   string
	specs []adapt.Spec // by preset, in plan.presets order
	hashs []string
}

// plan is a validated Input.
type plan struct {
	in      Input
	day     time.Time
	presets []library.Preset
	jobs    []job
}

// prepare checks in and lays out every rendition, before any work.
func prepare(in Input) (*plan, error) {
	const op = "pack.Export"
	day, err := time.Parse(time.DateOnly, in.Date)
	if err != nil {
		return nil, fault.New(fault.Invalid, CodeDateInvalid, op).With("date", in.Date).Wrap(err)
	}
	c := in.Release.Content
	p := &plan{in: in, day: day}
	byID := map[string]library.Preset{}
	for _, pr := range c.Presets {
		byID[pr.ID] = pr
	}
	ids := in.Presets
	if len(ids) == 0 {
		for _, pr := range c.Presets {
			ids = append(ids, pr.ID)
		}
	}
	seen := map[string]bool{}
	for _, id := range ids {
		pr, ok := byID[id]
		if !ok {
			return nil, fault.New(fault.Invalid, CodePresetUnknown, op).With("id", id)
		}
		if !seen[id] {
			seen[id] = true
			p.presets = append(p.presets, pr)
		}
	}
	sort.Slice(p.presets, func(i, j int) bool { return p.presets[i].ID < p.presets[j].ID })

	bg := in.Background
	if bg == "" {
		bg = "#ffffff"
		if len(c.Brand.Palette) > 0 {
			bg = c.Brand.Palette[0].Hex
		}
	}
	if (adapt.Spec{Width: 1, Height: 1, Fit: adapt.FitFit, Format: adapt.FormatPNG, Background: bg}).Validate() != nil {
		return nil, fault.New(fault.Invalid, CodeColourInvalid, op).With("colour", bg)
	}

	items := in.Items
	if len(items) == 0 {
		for _, a := range c.Assets {
			if a.Kind == library.AssetImage {
				items = append(items, Item{Asset: a.ID})
			}
		}
	}
	got := map[string]bool{}
	for _, it := range items {
		a, ok := in.Release.Asset(it.Asset)
		if !ok {
			return nil, fault.New(fault.Invalid, CodeAssetUnknown, op).With("id", it.Asset)
		}
		if got[it.Asset] {
			return nil, fault.New(fault.Invalid, CodeAssetDuplicate, op).With("id", it.Asset)
		}
		got[it.Asset] = true
		for id := range it.Crops {
			if !seen[id] {
				return nil, fault.New(fault.Invalid, CodePresetUnknown, op).With("id", id)
			}
		}
		j := job{asset: a, sha: in.Release.SHA(a.Path)}
		for _, pr := range p.presets {
			s := adapt.Spec{Width: pr.Width, Height: pr.Height, Fit: pr.Fit, Format: pr.Format, Quality: pr.Quality, Background: bg}
			if a.Focal != nil {
				s.Focal = &adapt.Point{X: a.Focal.X, Y: a.Focal.Y}
			}
			if r, ok := it.Crops[pr.ID]; ok {
				s.Crop = &r
			}
			if err := s.Validate(); err != nil {
				return nil, err
			}
			if name := filePath(pr, a, s); library.CheckPath(name) != nil {
				return nil, fault.New(fault.Invalid, CodePathUnsafe, op).With("path", name)
			}
			j.specs = append(j.specs, s)
			j.hashs = append(j.hashs, s.Hash())
		}
		p.jobs = append(p.jobs, j)
	}
	if len(p.jobs) == 0 || len(p.presets) == 0 {
		return nil, fault.New(fault.Invalid, CodeNothingToPack, op)
	}
	sort.Slice(p.jobs, func(i, j int) bool { return p.jobs[i].asset.ID < p.jobs[j].asset.ID })
	return p, nil
}

// filePath is where a rendition goes in the zip.
func filePath(pr library.Preset, a *library.Asset, s adapt.Spec) string {
	return pr.ID + "/" + a.ID + s.Ext()
}

// outcome is what rendering one asset gave.
type outcome struct {
	info  adapt.Info
	err   error // the source could not be rendered
	notes []string
}

// Export renders every asset of in to every preset and writes the pack to
// dest atomically: a temporary file in dest's folder, synced, then renamed.
// A canceled or failed export leaves no file behind. report receives the
// "render" phase (assets) then the "write" phase (zip entries).
//
// A source that cannot be rendered (damaged, truncated, empty, a pixel
// bomb, TIFF, BMP, SVG...) does not stop the export: it is listed as failed,
// with its error code, in manifest.json and report.html, and the rest is
// exported; in.Strict makes it the export's error instead. An animated
// image gives its first frame, a file whose extension lies is read by its
// content; both are noted. Expired assets and assets outside the office's
// region are exported and flagged as errors in the report: the brand check
// and the sign-off decide, the pack tells.
func Export(ctx context.Context, in Input, dest string, report task.Reporter) (*Result, error) {
	if report == nil {
		report = func(task.Progress) {}
	}
	p, err := prepare(in)
	if err != nil {
		return nil, err
	}
	out, err := createTemp(dest)
	if err != nil {
		return nil, err
	}
	defer out.discard()

	if p.in.Cache == nil {
		p.in.Cache = NewMemoryCache()
	}
	outcomes, err := p.render(ctx, report)
	if err != nil {
		return nil, err
	}
	m := p.manifest(outcomes)
	if err := p.write(ctx, out, m, report); err != nil {
		return nil, err
	}
	size, err := out.commit()
	if err != nil {
		return nil, err
	}
	return &Result{Path: dest, Bytes: size, Manifest: m}, nil
}

// render makes every missing rendition, a bounded number of sources at a
// time, each decoded once for all its presets.
func (p *plan) render(parent context.Context, report task.Reporter) ([]outcome, error) {
	workers := p.in.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(p.jobs))
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	outcomes := make([]outcome, len(p.jobs))
	next := make(chan int)
	done := make(chan error, len(p.jobs))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				o, err := p.renderOne(ctx, &p.jobs[i])
				outcomes[i] = o
				done <- err
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range p.jobs {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(done)
	}()
	total := int64(len(p.jobs))
	report(task.Progress{Phase: "render", Done: 0, Total: total, Unit: task.UnitFiles})
	var first error
	var n int64
	for err := range done {
		n++
		if err != nil && first == nil {
			first = err
			cancel()
		}
		report(task.Progress{Phase: "render", Done: n, Total: total, Unit: task.UnitFiles})
	}
	if first == nil {
		first = parent.Err()
	}
	if first != nil {
		return nil, canceled(first)
	}
	return outcomes, nil
}

// canceled turns a context's error into the task's canceled fault.
func canceled(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fault.New(fault.Canceled, task.CodeCanceled, "pack.Export").Wrap(err)
	}
	return err
}

// renderOne makes an asset's missing renditions. A source that cannot be
// rendered is the outcome's err; the returned error stops the export
// (cancellation, a failing cache, any failure in strict mode).
func (p *plan) renderOne(ctx context.Context, j *job) (outcome, error) {
	const op = "pack.Export"
	if err := ctx.Err(); err != nil {
		return outcome{}, err
	}
	fail := func(err error) (outcome, error) {
		if p.in.Strict {
			return outcome{err: err}, fault.New(fault.Invalid, CodeAssetFailed, op).
				With("id", j.asset.ID).With("code", string(fault.CodeOf(err))).Wrap(err)
		}
		return outcome{err: err}, nil
	}
	if j.sha == "" {
		return fail(fault.New(fault.NotFound, library.CodeFileMissing, op).With("path", j.asset.Path))
	}
	b, err := p.in.Blobs.Blob(j.sha)
	if err != nil {
		return fail(err)
	}
	info, err := adapt.DecodeConfig(b, p.in.Limits)
	if err != nil {
		return fail(err)
	}
	o := outcome{info: info, notes: notes(j.asset, info, b)}
	var missing []int
	for i, h := range j.hashs {
		if _, ok, err := p.in.Cache.Rendition(j.sha, h); err != nil {
			return o, err
		} else if !ok {
			missing = append(missing, i)
		}
	}
	if len(missing) == 0 {
		return o, nil
	}
	src, err := adapt.NewSource(b, p.in.Limits)
	if err != nil {
		return fail(err)
	}
	b = nil // the encoded source is no longer needed; let it go
	for _, i := range missing {
		if err := ctx.Err(); err != nil {
			return o, err
		}
		r, err := src.Render(j.specs[i])
		if err != nil {
			return fail(err)
		}
		if err := p.in.Cache.PutRendition(j.sha, j.hashs[i], r.Bytes); err != nil {
			return o, err
		}
	}
	return o, nil
}

// Note codes, listed with a file or an asset in the manifest and report.
const (
	NoteAnimated      = "animated_first_frame"   // an animation: its first frame was used
	NoteExtension     = "extension_mismatch"     // the file's extension names another format
	NoteSmartCrop     = "smart_crop"             // no focal point: a smart crop placed the fill
	NoteManualCrop    = "manual_crop"            // the designer's crop for this preset
	NoteColourProfile = "colour_profile_ignored" // a profile other than sRGB: colours taken as sRGB
)

// notes are what the export tells about a source beyond the checks.
func notes(a *library.Asset, info adapt.Info, b []byte) []string {
	var n []string
	if present, srgb := adapt.ColourProfile(b); present && !srgb {
		n = append(n, NoteColourProfile)
	}
	if info.Animated {
		n = append(n, NoteAnimated)
	}
	ext := strings.ToLower(a.Path[strings.LastIndexByte(a.Path, '.')+1:])
	want := map[string]string{"jpg": adapt.FormatJPEG, "jpeg": adapt.FormatJPEG, "png": adapt.FormatPNG, "gif": adapt.FormatGIF, "webp": adapt.FormatWebP}[ext]
	if want != info.Format {
		n = append(n, NoteExtension)
	}
	return n
}

// describe is a short English text for the codes an export meets, for the
// report; the UI has its own words for every code.
func describe(err error) string {
	e, ok := fault.As(err)
	if !ok {
		return err.Error()
	}
	words := map[fault.Code]string{
		adapt.CodeImageEmpty:             "the file is empty",
		adapt.CodeImageTooLarge:          "the file is larger than Outpost accepts",
		adapt.CodeImageUnsupportedFormat: "the format is not supported (%s); use JPEG, PNG, GIF or WebP",
		adapt.CodeImageTooManyPixels:     "the image has more pixels than Outpost accepts (%s)",
		adapt.CodeImageCorrupt:           "the image is damaged or incomplete",
		library.CodeNotFound:             "the file is missing from the local library",
		library.CodeBlobCorrupt:          "the local copy of the file is damaged",
		library.CodeFileMissing:          "the release does not list the file",
	}
	w, ok := words[e.Code]
	if !ok {
		return string(e.Code)
	}
	switch e.Code {
	case adapt.CodeImageUnsupportedFormat:
		return fmt.Sprintf(w, e.Params["format"])
	case adapt.CodeImageTooManyPixels:
		return fmt.Sprintf(w, e.Params["width"]+"×"+e.Params["height"])
	}
	return w
}
