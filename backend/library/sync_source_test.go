package library

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/outpost-studio/outpost/backend/fault"
)

// spoolRelease signs a release folder and copies the files chosen by keep
// into a spool folder under their SHA-256, as a hub sync leaves them.
func spoolRelease(t *testing.T, files map[string]string, inf ReleaseInfo, signer []string, keep func(path string) bool) (note []byte, m *Manifest, spool string) {
	t.Helper()
	dir := release(t, files)
	m = signDir(t, dir, inf, signer...)
	note, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	spool = t.TempDir()
	for _, f := range m.Files {
		if keep != nil && !keep(f.Path) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(spool, f.SHA256), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return note, m, spool
}

func TestSyncSource(t *testing.T) {
	k := newKeys(t, "hq-a")
	pol := Policy{Trust: []Trust{{Library: "cairn", Keys: k.verifiers("hq-a"), Threshold: 1}}, Region: "fr", Now: now}
	all := func(string) bool { return true }

	t.Run("every file from the spool", func(t *testing.T) {
		st := openStore(t)
		note, m, spool := spoolRelease(t, baseFiles(nil), info(1), k.signers("hq-a"), all)
		rec, err := st.Apply(st.SyncSource(note, m.Files, spool), pol, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Version != 1 {
			t.Fatalf("version %d, want 1", rec.Version)
		}
		for _, f := range m.Files {
			if _, err := st.Blob(f.SHA256); err != nil {
				t.Errorf("blob of %s: %v", f.Path, err)
			}
		}
		if _, err := st.Open("cairn"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("files the store holds are read from the store", func(t *testing.T) {
		st := openStore(t)
		note, m, spool := spoolRelease(t, baseFiles(nil), info(1), k.signers("hq-a"), all)
		if _, err := st.Apply(st.SyncSource(note, m.Files, spool), pol, nil); err != nil {
			t.Fatal(err)
		}
		// Version 2 changes one image; only that one is spooled.
		files := baseFiles(map[string]string{"images/lake.jpg": newJPEG})
		changed := fileEntry("images/lake.jpg", newJPEG).SHA256
		note2, m2, spool2 := spoolRelease(t, files, info(2), k.signers("hq-a"), func(p string) bool { return p == "images/lake.jpg" })
		if n := countFiles(t, spool2); n != 1 {
			t.Fatalf("spool holds %d files, want 1", n)
		}
		rec, err := st.Apply(st.SyncSource(note2, m2.Files, spool2), pol, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Version != 2 {
			t.Fatalf("version %d, want 2", rec.Version)
		}
		if _, err := st.Blob(changed); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("a file neither spooled nor stored is missing", func(t *testing.T) {
		st := openStore(t)
		note, m, spool := spoolRelease(t, baseFiles(nil), info(1), k.signers("hq-a"), func(p string) bool { return p != "templates/news.html" })
		_, err := st.Apply(st.SyncSource(note, m.Files, spool), pol, nil)
		if fault.CodeOf(err) != CodeFileMissing {
			t.Fatalf("err = %v, want %s", err, CodeFileMissing)
		}
		if rec, _ := st.Record("cairn"); rec != nil {
			t.Fatalf("a release was trusted: %+v", rec)
		}
	})

	t.Run("a path the files do not list is not there", func(t *testing.T) {
		st := openStore(t)
		note, m, spool := spoolRelease(t, baseFiles(nil), info(1), k.signers("hq-a"), all)
		src := st.SyncSource(note, m.Files, spool)
		for _, p := range []string{"images/other.jpg", "../" + m.Files[0].SHA256, m.Files[0].SHA256} {
			if rc, err := src.open(p); !errors.Is(err, fs.ErrNotExist) {
				if rc != nil {
					rc.Close()
				}
				t.Errorf("open(%q) = %v, want not found", p, err)
			}
		}
		rc, err := src.open(ManifestFile)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if string(got) != string(note) {
			t.Fatal("release.note is not the note given")
		}
		// The manifest lists library.json but the files given do not:
		// the release is incomplete.
		var fewer []File
		for _, f := range m.Files {
			if f.Path != ContentFile {
				fewer = append(fewer, f)
			}
		}
		if _, err := st.Apply(st.SyncSource(note, fewer, spool), pol, nil); fault.CodeOf(err) != CodeFileMissing {
			t.Fatalf("err = %v, want %s", err, CodeFileMissing)
		}
	})

	t.Run("a tampered spool file is refused and the trusted release kept", func(t *testing.T) {
		st := openStore(t)
		note, m, spool := spoolRelease(t, baseFiles(nil), info(1), k.signers("hq-a"), all)
		if _, err := st.Apply(st.SyncSource(note, m.Files, spool), pol, nil); err != nil {
			t.Fatal(err)
		}
		files := baseFiles(map[string]string{"templates/news.html": "<html>v2 {{headline}}</html>"})
		note2, m2, spool2 := spoolRelease(t, files, info(2), k.signers("hq-a"), func(p string) bool { return p == "templates/news.html" })
		sha := fileEntry("templates/news.html", files["templates/news.html"]).SHA256
		// Same size, other bytes.
		if err := os.WriteFile(filepath.Join(spool2, sha), []byte("<html>v3 {{headline}}</html>"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := st.Apply(st.SyncSource(note2, m2.Files, spool2), pol, nil)
		if fault.CodeOf(err) != CodeFileHash {
			t.Fatalf("err = %v, want %s", err, CodeFileHash)
		}
		rec, err := st.Record("cairn")
		if err != nil || rec == nil || rec.Version != 1 {
			t.Fatalf("trusted release after refusal: %+v, %v", rec, err)
		}
		if _, err := st.Open("cairn"); err != nil {
			t.Fatal(err)
		}
	})
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	e, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return len(e)
}
