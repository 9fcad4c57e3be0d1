package main

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func cli(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(args, &out, &errOut)
	return out.String() + errOut.String(), err
}

// TestKeygenSignVerify runs HQ's workflow end to end, then tampers.
func TestKeygenSignVerify(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	if _, err := cli(t, "keygen", "-name", "hq-2026", "-out", keys); err != nil {
		t.Fatal(err)
	}
	if _, err := cli(t, "keygen", "-name", "hq-2026", "-out", keys); err == nil {
		t.Fatal("keygen overwrote an existing key")
	}
	if info, _ := os.Stat(filepath.Join(keys, "hq-2026.key")); info.Mode().Perm() != 0o600 {
		t.Fatalf("secret key mode %v", info.Mode().Perm())
	}

	rel := filepath.Join(dir, "release")
	os.MkdirAll(filepath.Join(rel, "images"), 0o755)
	var img bytes.Buffer
	png.Encode(&img, image.NewGray(image.Rect(0, 0, 4, 3)))
	os.WriteFile(filepath.Join(rel, "images", "dot.png"), img.Bytes(), 0o644)
	os.WriteFile(filepath.Join(rel, "library.json"), []byte(`{"locales":["fr"],"regions":[],"brand":{"name":"B","palette":[],"fonts":[],"logos":[],"tone":[]},
		"templates":[],"assets":[{"id":"dot","kind":"image","path":"images/dot.png","width":4,"height":3,"title":{"fr":"Point"},"alt":{"fr":"Point"},"tags":[],"credit":{"author":"a","source":"s","licence":"CC0"}}],
		"snippets":[],"footers":[],"presets":[],"rules":{"version":1,"rules":[]},"scopes":[]}`), 0o644)
	zipPath := filepath.Join(dir, "release.zip")
	out, err := cli(t, "sign", "-key", filepath.Join(keys, "hq-2026.key"), "-library", "cairn-outdoor", "-name", "Cairn",
		"-regions", "fr,be", "-version", "3", "-created", "2026-11-01T00:00:00Z", "-expires", "2099-01-01", "-zip", zipPath, rel)
	if err != nil || !strings.Contains(out, "signed cairn-outdoor version 3: 2 files") {
		t.Fatalf("sign: %q %v", out, err)
	}
	pub := filepath.Join(keys, "hq-2026.pub")
	for _, target := range []string{rel, zipPath} {
		out, err = cli(t, "verify", "-pub", pub, "-region", "fr", target)
		if err != nil || !strings.HasPrefix(out, "ok: cairn-outdoor") {
			t.Fatalf("verify %s: %q %v", target, out, err)
		}
	}
	// The same folder signed again (same -created) zips to the same bytes.
	first, _ := os.ReadFile(zipPath)
	cli(t, "sign", "-key", filepath.Join(keys, "hq-2026.key"), "-library", "cairn-outdoor", "-name", "Cairn",
		"-regions", "fr,be", "-version", "3", "-created", "2026-11-01T00:00:00Z", "-expires", "2099-01-01", "-zip", zipPath, rel)
	if again, _ := os.ReadFile(zipPath); !bytes.Equal(first, again) {
		t.Fatal("signing the same release twice gave different zips")
	}

	if _, err := cli(t, "verify", "-pub", pub, "-region", "ch", rel); err == nil || !strings.Contains(err.Error(), "wrong_region") {
		t.Fatalf("wrong region: %v", err)
	}
	os.WriteFile(filepath.Join(rel, "images", "dot.png"), append(img.Bytes(), 0), 0o644)
	if _, err := cli(t, "verify", "-pub", pub, rel); err == nil || !strings.Contains(err.Error(), "file_size") {
		t.Fatalf("tampered release: %v", err)
	}
	if _, err := cli(t, "frobnicate"); err == nil {
		t.Fatal("unknown command accepted")
	}
}
