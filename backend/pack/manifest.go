package pack

import (
	"fmt"
	"sort"
	"strings"

	"github.com/outpost-studio/outpost/backend/adapt"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
)

// ManifestFormat is the version of manifest.json's layout.
const ManifestFormat = 1

// Names of the files every pack holds beside the preset folders.
const (
	ManifestFile = "manifest.json"
	ReportFile   = "report.html"
)

// Manifest is manifest.json: every rendition with its provenance and the
// checks it passed, every asset that failed, and the findings given.
type Manifest struct {
	Format           int           `json:"format"`
	Library          string        `json:"library"`
	LibraryName      string        `json:"libraryName"`
	Version          uint64        `json:"version"` // the release's
	Date             string        `json:"date"`    // the export day
	Region           string        `json:"region,omitempty"`
	RenditionVersion int           `json:"renditionVersion"`
	Presets          []PresetEntry `json:"presets"`
	Files            []FileEntry   `json:"files"`
	Failed           []Failure     `json:"failed"`
	Findings         []Finding     `json:"findings"`
}

// PresetEntry is one exported preset.
type PresetEntry struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Channel string `json:"channel"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	Format  string `json:"format"`
	Quality int    `json:"quality,omitempty"`
	Fit     string `json:"fit"`
}

// FileEntry is one rendition in the pack.
type FileEntry struct {
	Path         string   `json:"path"`
	SHA256       string   `json:"sha256"`
	Bytes        int64    `json:"bytes"`
	Width        int      `json:"width"`
	Height       int      `json:"height"`
	Preset       string   `json:"preset"`
	Asset        string   `json:"asset"`
	SourcePath   string   `json:"sourcePath"`
	SourceSHA256 string   `json:"sourceSha256"`
	SourceWidth  int      `json:"sourceWidth"`
	SourceHeight int      `json:"sourceHeight"`
	Library      string   `json:"library"`
	Version      uint64   `json:"version"`
	SpecSHA256   string   `json:"specSha256"`
	Checks       []Check  `json:"checks"`
	Notes        []string `json:"notes,omitempty"`

	srcSHA, spec string // where the bytes are cached
}

// Check ids and statuses.
const (
	CheckResolution = "resolution" // the source has the pixels the preset asks for
	CheckExpiry     = "expiry"     // the asset may still be used on the export day
	CheckRegion     = "region"     // the asset may be used in the office's region

	StatusOK      = "ok"
	StatusWarning = "warning"
	StatusError   = "error"
	StatusSkipped = "skipped"
)

// Check is one verification of one file.
type Check struct {
	ID     string            `json:"id"`
	Status string            `json:"status"`
	Code   string            `json:"code"` // e.g. "upscaled", "expired"
	Params map[string]string `json:"params,omitempty"`
	Detail string            `json:"detail"` // in words, for the report
}

// Failure is an asset none of whose renditions could be made.
type Failure struct {
	Asset        string            `json:"asset"`
	SourcePath   string            `json:"sourcePath"`
	SourceSHA256 string            `json:"sourceSha256"`
	Presets      []string          `json:"presets"`
	Code         string            `json:"code"`
	Params       map[string]string `json:"params,omitempty"`
	Message      string            `json:"message"`
}

// manifest lays out the pack from the render outcomes; sizes and hashes
// of the files are filled in when they are read back.
func (p *plan) manifest(outcomes []outcome) *Manifest {
	rel := p.in.Release
	m := &Manifest{
		Format:           ManifestFormat,
		Library:          rel.Record.Library,
		LibraryName:      rel.Record.Name,
		Version:          rel.Record.Version,
		Date:             p.in.Date,
		Region:           p.in.Region,
		RenditionVersion: adapt.RenditionVersion,
		Files:            []FileEntry{},
		Failed:           []Failure{},
		Findings:         p.in.Findings,
	}
	if m.Findings == nil {
		m.Findings = []Finding{}
	}
	var presetIDs []string
	for _, pr := range p.presets {
		m.Presets = append(m.Presets, PresetEntry{ID: pr.ID, Name: localized(pr.Name), Channel: pr.Channel,
			Width: pr.Width, Height: pr.Height, Format: pr.Format, Quality: pr.Quality, Fit: pr.Fit})
		presetIDs = append(presetIDs, pr.ID)
	}
	for i, j := range p.jobs {
		o := outcomes[i]
		if o.err != nil {
			f := Failure{Asset: j.asset.ID, SourcePath: j.asset.Path, SourceSHA256: j.sha, Presets: presetIDs,
				Code: string(fault.CodeOf(o.err)), Message: describe(o.err)}
			if e, ok := fault.As(o.err); ok && len(e.Params) > 0 {
				f.Params = e.Params
			}
			m.Failed = append(m.Failed, f)
			continue
		}
		for k, pr := range p.presets {
			s := j.specs[k]
			e := FileEntry{
				Path: filePath(pr, j.asset, s), Width: s.Width, Height: s.Height, Preset: pr.ID,
				Asset: j.asset.ID, SourcePath: j.asset.Path, SourceSHA256: j.sha,
				SourceWidth: o.info.Width, SourceHeight: o.info.Height,
				Library: m.Library, Version: m.Version, SpecSHA256: j.hashs[k],
				srcSHA: j.sha, spec: j.hashs[k],
			}
			e.Checks = p.checks(j.asset, o.info, s)
			e.Notes = append(e.Notes, o.notes...)
			switch {
			case s.Crop != nil:
				e.Notes = append(e.Notes, NoteManualCrop)
			case s.Fit == adapt.FitFill && s.Focal == nil:
				e.Notes = append(e.Notes, NoteSmartCrop)
			}
			m.Files = append(m.Files, e)
		}
	}
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
	return m
}

// checks verifies one rendition from what is known without its pixels, so
// a warm cache reports exactly what a cold one does.
func (p *plan) checks(a *library.Asset, info adapt.Info, s adapt.Spec) []Check {
	var out []Check
	plan := adapt.PlanFor(info.Width, info.Height, s, adapt.Point{X: 0.5, Y: 0.5})
	size := map[string]string{
		"region": fmt.Sprintf("%d×%d", plan.Region.Dx(), plan.Region.Dy()),
		"frame":  fmt.Sprintf("%d×%d", plan.Content.Dx(), plan.Content.Dy()),
	}
	if plan.Upscaled() {
		size["factor"] = fmt.Sprintf("%.2f", plan.Upscale)
		out = append(out, Check{ID: CheckResolution, Status: StatusWarning, Code: "upscaled", Params: size,
			Detail: fmt.Sprintf("upscaled ×%s: %s source pixels fill %s", size["factor"], size["region"], size["frame"])})
	} else {
		out = append(out, Check{ID: CheckResolution, Status: StatusOK, Code: "enough_pixels", Params: size,
			Detail: fmt.Sprintf("%s source pixels for %s", size["region"], size["frame"])})
	}

	switch library.ExpiryOf(a, p.day) {
	case library.ExpiryNone:
		out = append(out, Check{ID: CheckExpiry, Status: StatusOK, Code: "no_expiry", Detail: "no expiry date"})
	case library.ExpiryValid:
		out = append(out, Check{ID: CheckExpiry, Status: StatusOK, Code: "valid", Params: map[string]string{"expires": a.Expires},
			Detail: "usable until " + a.Expires})
	case library.ExpirySoon:
		out = append(out, Check{ID: CheckExpiry, Status: StatusWarning, Code: "expires_soon", Params: map[string]string{"expires": a.Expires},
			Detail: "expires soon: last day of use " + a.Expires})
	case library.ExpiryExpired:
		out = append(out, Check{ID: CheckExpiry, Status: StatusError, Code: "expired", Params: map[string]string{"expires": a.Expires},
			Detail: "expired: the last day of use was " + a.Expires + ", before the export date " + p.in.Date})
	}

	switch {
	case p.in.Region == "":
		out = append(out, Check{ID: CheckRegion, Status: StatusSkipped, Code: "no_region", Detail: "no office region given"})
	case len(a.Regions) == 0:
		out = append(out, Check{ID: CheckRegion, Status: StatusOK, Code: "everywhere", Detail: "usable in every region"})
	case contains(a.Regions, p.in.Region):
		out = append(out, Check{ID: CheckRegion, Status: StatusOK, Code: "allowed", Params: map[string]string{"region": p.in.Region},
			Detail: "usable in " + p.in.Region})
	default:
		regions := strings.Join(a.Regions, ", ")
		out = append(out, Check{ID: CheckRegion, Status: StatusError, Code: "wrong_region",
			Params: map[string]string{"region": p.in.Region, "regions": regions},
			Detail: "not for " + p.in.Region + ": only for " + regions})
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// localized picks English, then any language in a stable order.
func localized(l library.Localized) string {
	if s, ok := l["en"]; ok {
		return s
	}
	best := ""
	for k := range l {
		if best == "" || k < best {
			best = k
		}
	}
	return l[best]
}
