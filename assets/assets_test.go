package assets

import (
	"io/fs"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/adapt"
	"github.com/outpost-studio/outpost/backend/library"
)

// TestSampleReleaseVerifies: the embedded sample is a valid release signed
// by the sample key. Edited a sample file? Run `go generate ./assets`.
func TestSampleReleaseVerifies(t *testing.T) {
	pol := library.Policy{
		Trust: []library.Trust{{Library: SampleLibrary, Keys: []string{SampleKey()}, Threshold: 1}},
		Now:   time.Now(),
	}
	var images int
	rel, err := library.Verify(library.FSSource(Sample()), pol, func(i, n int, f library.File, b []byte) error {
		return nil
	})
	if err != nil {
		t.Fatalf("the sample release does not verify (edited without re-signing? run go generate ./assets): %v", err)
	}
	if left := time.Until(rel.Manifest.Expires); left < 365*24*time.Hour {
		t.Errorf("the sample release expires in %s; re-sign it with a later -expires", left.Round(time.Hour))
	}
	c := rel.Content
	if len(c.Regions) < 3 || len(c.Locales) < 2 {
		t.Errorf("%d regions, %d locales; want at least 3 and 2", len(c.Regions), len(c.Locales))
	}
	kinds, locks := map[string]bool{}, map[string]bool{}
	emails := 0
	for _, tpl := range c.Templates {
		if tpl.Kind == library.TemplateEmail {
			emails++
		}
		for _, s := range tpl.Slots {
			kinds[s.Kind], locks[s.Lock] = true, true
		}
	}
	if emails < 3 || len(kinds) < 6 || len(locks) < 3 {
		t.Errorf("%d email templates, slot kinds %v, locks %v; want 3, all 6 kinds and all 3 locks", emails, kinds, locks)
	}
	files := Sample()
	for _, a := range c.Assets {
		if a.Kind != library.AssetImage {
			continue
		}
		images++
		b, err := fs.ReadFile(files, a.Path)
		if err != nil {
			t.Fatal(err)
		}
		info, err := adapt.DecodeConfig(b, adapt.DefaultLimits())
		if err != nil {
			t.Errorf("%s: %v", a.ID, err)
			continue
		}
		if info.Width != a.Width || info.Height != a.Height || max(info.Width, info.Height) > 2560 {
			t.Errorf("%s: file is %dx%d, library.json says %dx%d (max side 2560)", a.ID, info.Width, info.Height, a.Width, a.Height)
		}
		if a.Credit.Author == "" || a.Credit.Source == "" || a.Credit.Licence == "" {
			t.Errorf("%s: credit incomplete: %+v", a.ID, a.Credit)
		}
		if a.Title["fr"] == "" || a.Title["en"] == "" || a.Alt["fr"] == "" || a.Alt["en"] == "" {
			t.Errorf("%s: title and alt need fr and en", a.ID)
		}
	}
	if images < 30 {
		t.Errorf("%d photographs, want at least 30", images)
	}
}
