package pack

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"

	"github.com/outpost-studio/outpost/backend/fault"
)

//go:embed report.html.tmpl
var reportTemplate string

// noteText explains a note code in the report.
func noteText(code string) string {
	switch code {
	case NoteAnimated:
		return "animated image: its first frame was used"
	case NoteExtension:
		return "the file's extension names another format than its content"
	case NoteSmartCrop:
		return "no focal point: a smart crop chose the framing"
	case NoteManualCrop:
		return "framed by the designer's crop for this preset"
	case NoteColourProfile:
		return "its embedded colour profile was ignored: colours are taken as sRGB"
	}
	return code
}

// reportAsset groups an asset's files in the report.
type reportAsset struct {
	ID, SourcePath, SourceSHA string
	SourceWidth, SourceHeight int
	Files                     []FileEntry
}

type reportData struct {
	M                  *Manifest
	Assets             []reportAsset
	Errors, Warnings   int
	Files              int
	ErrorFindings      int
	WarningFindings    int
	FailedAssets       int
	AssetsWithProblems int
}

// renderReport writes report.html: one self-contained page, styles inline,
// no script, no external resource, the same bytes for the same manifest.
func renderReport(m *Manifest) ([]byte, error) {
	funcs := template.FuncMap{
		"note": noteText,
		"short": func(sha string) string {
			if len(sha) > 12 {
				return sha[:12]
			}
			return sha
		},
		"kb": func(n int64) string {
			if n < 1024 {
				return fmt.Sprintf("%d B", n)
			}
			return fmt.Sprintf("%.1f KB", float64(n)/1024)
		},
	}
	t, err := template.New("report").Funcs(funcs).Parse(reportTemplate)
	if err != nil {
		return nil, fault.New(fault.Internal, fault.CodeInternal, "pack.renderReport").Wrap(err)
	}
	d := reportData{M: m, Files: len(m.Files), FailedAssets: len(m.Failed)}
	d.Errors = len(m.Failed)
	byAsset := map[string]int{}
	problem := map[string]bool{}
	for _, f := range m.Files {
		i, ok := byAsset[f.Asset]
		if !ok {
			i = len(d.Assets)
			byAsset[f.Asset] = i
			d.Assets = append(d.Assets, reportAsset{ID: f.Asset, SourcePath: f.SourcePath, SourceSHA: f.SourceSHA256,
				SourceWidth: f.SourceWidth, SourceHeight: f.SourceHeight})
		}
		d.Assets[i].Files = append(d.Assets[i].Files, f)
		for _, c := range f.Checks {
			switch c.Status {
			case StatusError:
				d.Errors++
				problem[f.Asset] = true
			case StatusWarning:
				d.Warnings++
				problem[f.Asset] = true
			}
		}
	}
	d.AssetsWithProblems = len(problem)
	for _, f := range m.Findings {
		switch f.Severity {
		case SeverityError:
			d.ErrorFindings++
		case SeverityWarning:
			d.WarningFindings++
		}
	}
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		return nil, fault.New(fault.Internal, fault.CodeInternal, "pack.renderReport").Wrap(err)
	}
	return b.Bytes(), nil
}
