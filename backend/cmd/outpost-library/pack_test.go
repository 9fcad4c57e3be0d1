package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outpost-studio/outpost/backend/pack"
)

// packRelease writes and signs a release with two photos, a truncated
// one and two presets; it returns the release folder and the public key.
func packRelease(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	if _, err := cli(t, "keygen", "-name", "hq", "-out", keys); err != nil {
		t.Fatal(err)
	}
	rel := filepath.Join(dir, "release")
	if err := os.MkdirAll(filepath.Join(rel, "images"), 0o755); err != nil {
		t.Fatal(err)
	}
	photo, err := os.ReadFile(filepath.Join("..", "..", "..", "assets", "sample", "library", "images", "misty-pier.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	m := image.NewRGBA(image.Rect(0, 0, 800, 500))
	for y := 0; y < 500; y++ {
		for x := 0; x < 800; x++ {
			m.Set(x, y, color.RGBA{uint8(x / 4), uint8(y / 2), 120, 0xff})
		}
	}
	var field bytes.Buffer
	if err := jpeg.Encode(&field, m, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"images/pier.jpg":   photo,
		"images/field.jpg":  field.Bytes(),
		"images/broken.jpg": field.Bytes()[:field.Len()/3], // its header is whole: the import accepts it
	}
	for p, b := range files {
		if err := os.WriteFile(filepath.Join(rel, p), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	assetJSON := func(id, path string, extra string) string {
		return `{"id":"` + id + `","kind":"image","path":"` + path + `","width":1,"height":1,"title":{"fr":"` + id + `"},"alt":{"fr":"` + id + `"},"tags":[],` + extra + `"credit":{"author":"a","source":"s","licence":"CC0"}}`
	}
	content := `{"locales":["fr"],"regions":[],"brand":{"name":"B","palette":[{"id":"summit","name":{"fr":"Bleu"},"hex":"#1F4E79","usage":{"fr":"x"}}],"fonts":[],"logos":[],"tone":[]},
		"templates":[],"assets":[` +
		assetJSON("pier", "images/pier.jpg", `"focal":{"x":0.3,"y":0.6},"expires":"2028-01-31",`) + `,` +
		assetJSON("field", "images/field.jpg", `"regions":["be"],`) + `,` +
		assetJSON("broken", "images/broken.jpg", "") + `],
		"snippets":[],"footers":[],
		"presets":[{"id":"social-square","name":{"fr":"Carré"},"channel":"social","width":400,"height":400,"format":"jpeg","quality":85,"fit":"fill"},
		           {"id":"email-header","name":{"fr":"Bandeau"},"channel":"email","width":600,"height":200,"format":"jpeg","quality":80,"fit":"fill"},
		           {"id":"square-fit","name":{"fr":"Carré entier"},"channel":"social","width":300,"height":300,"format":"png","fit":"fit"}],
		"rules":{"version":1,"rules":[]},"scopes":[]}`
	if err := os.WriteFile(filepath.Join(rel, "library.json"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := cli(t, "sign", "-key", filepath.Join(keys, "hq.key"), "-library", "cairn", "-name", "Cairn",
		"-regions", "fr,be", "-version", "4", "-created", "2026-11-01T00:00:00Z", "-expires", "2099-01-01", rel); err != nil {
		t.Fatalf("sign: %s %v", out, err)
	}
	return rel, filepath.Join(keys, "hq.pub")
}

func zipEntries(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = b
	}
	return out
}

func TestPackExportsAVerifiedRelease(t *testing.T) {
	rel, pub := packRelease(t)
	out := filepath.Join(t.TempDir(), "pack.zip")
	args := []string{"pack", "--release", rel, "--pub", pub, "--region", "fr", "--presets", "social-square,email-header",
		"--date", "2026-11-22", "--out", out}
	text, err := cli(t, args...)
	if err != nil {
		t.Fatalf("pack: %s %v", text, err)
	}
	for _, want := range []string{"ok: cairn", "4 files from 3 assets × 2 presets, 1 failed", "failed: broken (images/broken.jpg): image.corrupt"} {
		if !strings.Contains(text, want) {
			t.Errorf("output %q lacks %q", text, want)
		}
	}
	files := zipEntries(t, out)
	var m pack.Manifest
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range m.Files {
		names = append(names, f.Path)
		if f.Library != "cairn" || f.Version != 4 || len(f.SourceSHA256) != 64 {
			t.Errorf("%s: provenance %+v", f.Path, f)
		}
	}
	if got := strings.Join(names, " "); got != "email-header/field.jpg email-header/pier.jpg social-square/field.jpg social-square/pier.jpg" {
		t.Errorf("files %s", got)
	}
	if len(m.Failed) != 1 || m.Failed[0].Asset != "broken" {
		t.Errorf("failed %+v", m.Failed)
	}
	if !strings.Contains(string(files["report.html"]), "not for fr: only for be") {
		t.Error("the report does not flag the asset licensed for another region")
	}

	// The same command again gives the same bytes; so does a kept cache.
	first, _ := os.ReadFile(out)
	cacheDir := filepath.Join(t.TempDir(), "cache")
	for i := 0; i < 2; i++ {
		if text, err := cli(t, append(args, "--cache", cacheDir)...); err != nil {
			t.Fatalf("pack with -cache: %s %v", text, err)
		}
		if again, _ := os.ReadFile(out); !bytes.Equal(first, again) {
			t.Fatalf("run %d with a cache gave a different pack", i+1)
		}
	}

	// Strict mode refuses the broken photo and writes nothing.
	strictOut := filepath.Join(t.TempDir(), "strict.zip")
	if _, err := cli(t, "pack", "-release", rel, "-pub", pub, "-region", "fr", "-date", "2026-11-22", "-out", strictOut, "-strict"); err == nil || !strings.Contains(err.Error(), "pack.asset_failed") {
		t.Fatalf("strict: %v", err)
	}
	if _, err := os.Stat(strictOut); !os.IsNotExist(err) {
		t.Error("a failed strict export left a file")
	}
}

func TestPackRefusesWhatVerifyRefuses(t *testing.T) {
	rel, pub := packRelease(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "pack.zip")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"wrong region", []string{"-region", "ch"}, "library.wrong_region"},
		{"unknown preset", []string{"-region", "fr", "-presets", "billboard"}, "pack.preset_unknown"},
		{"unknown asset", []string{"-region", "fr", "-assets", "pier,nope"}, "pack.asset_unknown"},
		{"bad date", []string{"-region", "fr", "-date", "tomorrow"}, "pack.date_invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"pack", "-release", rel, "-pub", pub, "-out", out}, tc.args...)
			if _, err := cli(t, args...); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %s", err, tc.want)
			}
		})
	}
	// A tampered photo fails verification before anything is exported.
	if err := os.WriteFile(filepath.Join(rel, "images", "field.jpg"), []byte("\xff\xd8\xff tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := cli(t, "pack", "-release", rel, "-pub", pub, "-region", "fr", "-date", "2026-11-22", "-out", out); err == nil || !strings.Contains(err.Error(), "library.file_") {
		t.Fatalf("tampered release: %v", err)
	}
	if _, err := cli(t, "pack", "-pub", pub); err == nil {
		t.Error("pack without -release and -out accepted")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 0 {
		t.Errorf("refused packs left %d files", len(ents))
	}
}
