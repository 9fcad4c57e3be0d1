package app

import (
	"archive/zip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outpost-studio/outpost/backend/brandcheck"
	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/pack"
)

// TestImportPhotosAndCrops: the office's photos come in beside HQ's, bad
// files are named with their reason, and the crop editor's geometry moves
// with the focal point.
func TestImportPhotosAndCrops(t *testing.T) {
	a, _ := newCampaignApp(t)
	lib := &LibraryService{a}
	dir := t.TempDir()
	good, _ := filepath.Abs("../backend/adapt/testdata/photo.jpg")
	lying := filepath.Join(dir, "lying.png")
	copyFile(t, good, lying)
	corrupt := filepath.Join(dir, "corrupt.jpg")
	os.WriteFile(corrupt, []byte("\xff\xd8\xff\xe0 not really a jpeg"), 0o644)
	svg := filepath.Join(dir, "logo.svg")
	os.WriteFile(svg, []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), 0o644)

	res, err := lib.ImportPhotos([]string{good, lying, corrupt, svg, filepath.Join(dir, "missing.jpg"), "relative.jpg"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Imported) != 1 || len(res.Existing) != 1 || len(res.Failed) != 4 {
		t.Fatalf("imported %d, existing %d, failed %+v", len(res.Imported), len(res.Existing), res.Failed)
	}
	for _, f := range res.Failed {
		if f.Error.Code != library.CodeLocalInvalid || f.Error.Params["name"] != f.Name || f.Error.Params["reason"] == "" {
			t.Errorf("failure %+v does not name the file and reason", f)
		}
	}
	card := res.Imported[0]
	if !card.Local || !strings.HasPrefix(card.ID, library.LocalPrefix) || card.Thumb == "" {
		t.Fatalf("imported card %+v", card)
	}
	// The test photo is small: every preset enlarges it.
	if len(res.TooSmall) != 1 || len(res.TooSmall[0].Presets) == 0 {
		t.Fatalf("too small: %+v", res.TooSmall)
	}
	page, err := lib.Search(library.Query{Tags: []string{"local"}})
	if err != nil || page.Total != 1 {
		t.Fatalf("search local: %d, %v", page.Total, err)
	}

	left, err := lib.Crops("misty-pier", &library.Point{X: 0, Y: 0.5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	right, _ := lib.Crops("misty-pier", &library.Point{X: 1, Y: 0.5}, map[string]campaign.Crop{"social-square": {X: 0.1, Y: 0.1, W: 0.3, H: 0.3}})
	moved := false
	for i := range left {
		if left[i].Fit == "fill" && left[i].W < 0.999 && right[i].X != left[i].X {
			moved = true
		}
		if left[i].X < 0 || left[i].X+left[i].W > 1.0001 || left[i].Y+left[i].H > 1.0001 {
			t.Fatalf("crop outside the picture: %+v", left[i])
		}
		if right[i].Preset == "social-square" && (!right[i].Manual || right[i].W > 0.31) {
			t.Fatalf("manual crop ignored: %+v", right[i])
		}
	}
	if !moved {
		t.Fatal("moving the focal point from left to right moved no crop")
	}

	edited, err := lib.EditPhoto(card.ID, library.LocalEdit{Title: "Market", Tags: []string{"town"}, Focal: &library.Point{X: 0.2, Y: 0.2}})
	if err != nil || edited.Focal == nil || edited.Focal.X != 0.2 {
		t.Fatalf("EditPhoto = %+v, %v", edited, err)
	}
	if err := lib.DeletePhoto(card.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Asset(card.ID); fault.CodeOf(err) != library.CodeAssetNotFound {
		t.Fatalf("deleted photo still there: %v", err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestExportACampaignPack exports a campaign's pictures with its crop
// through the bound service, then serves the report.
func TestExportACampaignPack(t *testing.T) {
	a, svc := newCampaignApp(t)
	packs := &PackService{a}
	c, err := svc.Create("promo", "Pack", "fr")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetCrop(c.ID, "pick_1_image", "social-square", &campaign.Crop{X: 0, Y: 0, W: 0.5, H: 0.5}); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "pack.zip")
	if _, err := packs.Export(PackRequest{Campaign: c.ID, Presets: []string{"social-square", "email-header"}, Dest: "relative.zip"}); fault.CodeOf(err) != pack.CodePathUnsafe {
		t.Fatalf("relative destination: %v", err)
	}
	// A fresh draft has errors (no audience, a required slot empty): they
	// block the export, and nothing is written.
	_, err = packs.Export(PackRequest{Campaign: c.ID, Presets: []string{"social-square", "email-header"}, Dest: dest})
	if fe, ok := fault.As(err); !ok || fe.Code != brandcheck.CodeBlocked || fe.Params["errors"] != "2" {
		t.Fatalf("export of a campaign with errors: %v", err)
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Fatalf("a blocked export wrote %s: %v", dest, err)
	}
	v, err := svc.Get(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetAudience(c.ID, v.Scopes[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetValue(c.ID, "fr", "offer_end", "2031-01-31"); err != nil {
		t.Fatal(err)
	}
	if _, err := packs.Export(PackRequest{Campaign: c.ID, Presets: []string{"social-square", "email-header"}, Dest: dest}); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, a)
	last, _ := packs.Last()
	if last == nil || last.Path != dest || last.Files == 0 || last.Failed != 0 {
		t.Fatalf("Last = %+v", last)
	}
	zr, err := zip.OpenReader(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var m pack.Manifest
	f, _ := zr.Open(pack.ManifestFile)
	json.NewDecoder(f).Decode(&m)
	f.Close()
	assets := map[string]bool{}
	for _, fe := range m.Files {
		assets[fe.Asset] = true
	}
	// promo: the hero (HQ's option) and the two picks, not the logo.
	if len(assets) != 3 || len(m.Files) != 6 {
		t.Fatalf("pack holds %d files of %v", len(m.Files), assets)
	}
	srv := httptest.NewServer(a.libraryFiles(http.NotFoundHandler()))
	defer srv.Close()
	res, err := http.Get(srv.URL + last.Report)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Security-Policy"), "sandbox") || !strings.Contains(string(body), "social-square") {
		t.Fatalf("report: %d %q", res.StatusCode, body[:min(200, len(body))])
	}
}
