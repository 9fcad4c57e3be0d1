package app

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/assets"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/task"
)

func sampleConfig() Sample {
	return Sample{Files: assets.Sample(), Trust: library.Trust{Library: assets.SampleLibrary, Keys: []string{assets.SampleKey()}, Threshold: 1}}
}

func newLibraryApp(t *testing.T) *App {
	t.Helper()
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "cache"))
	a := New(Config{Version: "test", Logger: slog.New(slog.DiscardHandler), Sample: sampleConfig()})
	t.Cleanup(func() { a.shutdown(nil) })
	a.openCache()
	return a
}

func waitIdle(t *testing.T, a *App) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for len(a.tasks.Active()) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("tasks still running")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestFirstStartOpensTheSampleLibrary(t *testing.T) {
	a := newLibraryApp(t)
	svc := &LibraryService{a}
	if info, _ := svc.Info(); info != nil {
		t.Fatalf("a library before startup: %+v", info)
	}
	a.openLibrary()
	waitIdle(t, a)
	info, _ := svc.Info()
	if info == nil || !info.Sample || info.ID != assets.SampleLibrary || info.Assets < 30 || info.OutdatedSince != "" {
		t.Fatalf("Info = %+v", info)
	}
	if st, _ := (&SystemService{a}).Status(); st.Library == nil || st.Library.Version != info.Version {
		t.Fatalf("status bar library = %+v", st.Library)
	}
	page, err := svc.Search(library.Query{Limit: 10})
	if err != nil || page.Total != info.Assets || len(page.Items) != 10 || len(page.Tags) == 0 {
		t.Fatalf("Search = %d/%d, %v", len(page.Items), page.Total, err)
	}
	first := page.Items[0]
	d, err := svc.Asset(first.ID)
	if err != nil || d.Image == "" || d.Credit.Licence == "" || d.SHA256 == "" {
		t.Fatalf("Asset = %+v, %v", d, err)
	}
	if _, err := svc.Asset("no-such-asset"); err == nil {
		t.Fatal("unknown asset found")
	}
	brand, _ := svc.Brand()
	if len(brand.Palette) == 0 || len(brand.Logos) == 0 || len(brand.Files) == 0 {
		t.Fatalf("Brand = %+v", brand)
	}
	if tpls, _ := svc.Templates(); len(tpls) < 3 {
		t.Fatalf("%d templates", len(tpls))
	}

	// The UI loads thumbnails and files by URL through the middleware.
	h := a.libraryFiles(http.NotFoundHandler())
	for _, u := range []string{first.Thumb, d.Image, brand.Files[brand.Logos[0].Path]} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", u, nil))
		if rec.Code != 200 || rec.Body.Len() == 0 || rec.Header().Get("Cache-Control") == "" {
			t.Fatalf("GET %s = %d (%d bytes)", u, rec.Code, rec.Body.Len())
		}
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") {
			t.Fatalf("GET %s: release files must be served sandboxed, CSP %q", u, csp)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/library/file/"+strings.Repeat("0", 64), nil))
	if rec.Code != 404 {
		t.Fatalf("unknown blob = %d", rec.Code)
	}
}

// sampleZip zips the sample release, changing one file's bytes if tamper.
func sampleZip(t *testing.T, tamper bool) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	files := assets.Sample()
	changed := false
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		if tamper && !changed && strings.HasPrefix(p, "images/") {
			b = append([]byte{}, b...)
			b[len(b)/2] ^= 0xff
			changed = true
		}
		w, err := zw.Create(p)
		if err != nil {
			return err
		}
		_, err = io.Copy(w, bytes.NewReader(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	zw.Close()
	out := filepath.Join(t.TempDir(), "release.zip")
	os.WriteFile(out, buf.Bytes(), 0o644)
	return out
}

func TestATamperedImportIsRefusedAndTheLibraryStays(t *testing.T) {
	a := newLibraryApp(t)
	var updates []task.Update
	a.tasks = task.NewRunner(func(u task.Update) { updates = append(updates, u) })
	a.openLibrary()
	waitIdle(t, a)
	before, _ := (&LibraryService{a}).Info()

	id, err := (&LibraryService{a}).Import(sampleZip(t, true))
	if err != nil {
		t.Fatal(err)
	}
	waitIdle(t, a)
	last := updates[len(updates)-1]
	if last.ID != id || last.State != task.Failed || last.Error == nil || last.Error.Code != library.CodeFileHash {
		t.Fatalf("tampered import ended as %+v", last)
	}
	after, _ := (&LibraryService{a}).Info()
	if after == nil || after.Version != before.Version || after.AppliedAt != before.AppliedAt {
		t.Fatalf("library changed: %+v -> %+v", before, after)
	}
	if page, err := (&LibraryService{a}).Search(library.Query{}); err != nil || page.Total != before.Assets {
		t.Fatalf("library not browsable after a refusal: %v", err)
	}

	// The untampered zip of the same version is the same release: accepted, unchanged.
	id, _ = (&LibraryService{a}).Import(sampleZip(t, false))
	waitIdle(t, a)
	if last := updates[len(updates)-1]; last.ID != id || last.State != task.Done {
		t.Fatalf("re-import of the trusted release: %+v", last)
	}
	if _, err := (&LibraryService{a}).Import("relative/path.zip"); err == nil {
		t.Fatal("relative import path accepted")
	}
}

// TestAnExpiredLibraryStaysUsableAndSaysSo: a release that expires while on
// the desktop keeps working offline, marked outdated since its expiry.
func TestAnExpiredLibraryStaysUsableAndSaysSo(t *testing.T) {
	a := newLibraryApp(t)
	a.openLibrary()
	waitIdle(t, a)
	a.mu.Lock()
	a.lib.Record.Expires = time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)
	a.mu.Unlock()
	info, _ := (&LibraryService{a}).Info()
	if info == nil || info.OutdatedSince != "2026-01-31T00:00:00Z" {
		t.Fatalf("Info = %+v", info)
	}
	if page, err := (&LibraryService{a}).Search(library.Query{}); err != nil || page.Total != info.Assets {
		t.Fatalf("an outdated library must stay browsable: %v", err)
	}
}
