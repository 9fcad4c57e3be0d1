package library

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"golang.org/x/mod/sumdb/note"

	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/fault"
)

var (
	t0      = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	now     = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	expires = time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC)
)

const testContent = `{
  "locales": ["fr", "en"],
  "regions": [{"id": "fr", "name": {"fr": "France", "en": "France"}, "countries": ["FR"], "locales": ["fr"]}],
  "brand": {"name": "Test", "palette": [], "fonts": [], "logos": [], "tone": []},
  "templates": [{"id": "news", "kind": "email", "name": {"en": "News"}, "description": {}, "layout": "templates/news.html",
    "slots": [{"id": "headline", "kind": "text", "lock": "editable", "label": {"en": "Headline"}, "limits": {"maxLength": 60}}]}],
  "assets": [{"id": "lake", "kind": "image", "path": "images/lake.jpg", "width": 4, "height": 3,
    "title": {"en": "Lake"}, "alt": {"en": "A lake"}, "tags": ["lake"], "credit": {"author": "A", "source": "S", "licence": "CC0"}}],
  "snippets": [], "footers": [], "presets": [], "rules": {"version": 1, "rules": []}, "scopes": []
}`

// keys holds test signing keys by name.
type keys map[string][2]string // name -> {signer, verifier}

func newKeys(t testing.TB, names ...string) keys {
	t.Helper()
	k := keys{}
	for _, n := range names {
		s, v, err := GenerateKey(n)
		if err != nil {
			t.Fatal(err)
		}
		k[n] = [2]string{s, v}
	}
	return k
}

func (k keys) signers(names ...string) []string {
	var out []string
	for _, n := range names {
		out = append(out, k[n][0])
	}
	return out
}

func (k keys) verifiers(names ...string) []string {
	var out []string
	for _, n := range names {
		out = append(out, k[n][1])
	}
	return out
}

// release writes a release folder with files and returns it.
func release(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, body := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func baseFiles(extra map[string]string) map[string]string {
	f := map[string]string{
		ContentFile:           testContent,
		"templates/news.html": "<html>{{headline}}</html>",
		"images/lake.jpg":     lakeJPEG,
	}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

func info(version uint64) ReleaseInfo {
	return ReleaseInfo{Library: "cairn", Name: "Cairn", Regions: []string{"fr", "be"}, Version: version, Created: t0, Expires: expires}
}

// signDir builds and signs the release in dir.
func signDir(t *testing.T, dir string, inf ReleaseInfo, signerKeys ...string) *Manifest {
	t.Helper()
	m, err := BuildManifest(dir, inf)
	if err != nil {
		t.Fatal(err)
	}
	writeNote(t, dir, m, signerKeys...)
	return m
}

func writeNote(t *testing.T, dir string, m *Manifest, signerKeys ...string) {
	t.Helper()
	signed, err := Sign(m, signerKeys...)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ManifestFile), signed, 0o644); err != nil {
		t.Fatal(err)
	}
}

func fileEntry(path, body string) File {
	sum := sha256.Sum256([]byte(body))
	return File{Path: path, Size: int64(len(body)), SHA256: hex.EncodeToString(sum[:])}
}

func openStore(t *testing.T) *Store {
	t.Helper()
	c, err := cache.Open(cache.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return NewStore(c)
}

func applyDir(t *testing.T, st *Store, dir string, pol Policy) (*Record, error) {
	t.Helper()
	src, err := OpenSource(dir)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return st.Apply(src, pol, nil)
}

// TestVerificationMatrix: every way a release can be refused, each with its
// own code, and the release the desktop already trusts left as it was.
func TestVerificationMatrix(t *testing.T) {
	k := newKeys(t, "hq-a", "hq-b", "hq-c", "stranger", "other-lib")
	trustAB := []Trust{
		{Library: "cairn", Keys: k.verifiers("hq-a", "hq-b", "hq-c"), Threshold: 1},
		{Library: "other", Keys: k.verifiers("other-lib"), Threshold: 1},
	}
	pol := Policy{Trust: trustAB, Region: "fr", Now: now}

	tests := []struct {
		name string
		make func(t *testing.T) string // returns the release folder (or zip path)
		pol  func(Policy) Policy
		want fault.Code // "" = accepted
	}{
		{"a newer valid release is accepted", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			signDir(t, d, info(6), k.signers("hq-a")...)
			return d
		}, nil, ""},
		{"unsigned", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			m, _ := BuildManifest(d, info(6))
			b, _ := json.Marshal(m)
			os.WriteFile(filepath.Join(d, ManifestFile), append(b, '\n'), 0o644)
			return d
		}, nil, CodeUnsigned},
		{"signed by an unknown key", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			signDir(t, d, info(6), k.signers("stranger")...)
			return d
		}, nil, CodeUnknownKey},
		{"signed by another library's key", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			signDir(t, d, info(6), k.signers("other-lib")...)
			return d
		}, nil, CodeUnknownKey},
		{"too few distinct signatures", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			signDir(t, d, info(6), k.signers("hq-a", "stranger")...)
			return d
		}, func(p Policy) Policy {
			p.Trust = []Trust{{Library: "cairn", Keys: k.verifiers("hq-a", "hq-b"), Threshold: 2}}
			return p
		}, CodeTooFewSignatures},
		{"one key pinned under two names counts once", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			signDir(t, d, info(6), k.signers("hq-a")...)
			// A second, valid signature line by the same private key under
			// the alias name.
			p := filepath.Join(d, ManifestFile)
			signed, _ := os.ReadFile(p)
			text := signed[:bytes.LastIndex(signed, []byte("\n\n— "))+1]
			seed, _ := base64.StdEncoding.DecodeString(strings.SplitN(k["hq-a"][0], "+", 5)[4])
			v, _ := note.NewVerifier(aliasOf(t, k["hq-a"][1]))
			sig := ed25519.Sign(ed25519.NewKeyFromSeed(seed[1:]), text)
			line := append([]byte{byte(v.KeyHash() >> 24), byte(v.KeyHash() >> 16), byte(v.KeyHash() >> 8), byte(v.KeyHash())}, sig...)
			signed = append(signed, []byte("— hq-a-again "+base64.StdEncoding.EncodeToString(line)+"\n")...)
			os.WriteFile(p, signed, 0o644)
			return d
		}, func(p Policy) Policy {
			p.Trust = []Trust{{Library: "cairn", Keys: []string{k["hq-a"][1], aliasOf(t, k["hq-a"][1])}, Threshold: 2}}
			return p
		}, CodeTooFewSignatures},
		{"two of three distinct keys meet a threshold of two", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			signDir(t, d, info(6), k.signers("hq-a", "hq-c")...)
			return d
		}, func(p Policy) Policy {
			p.Trust = []Trust{{Library: "cairn", Keys: k.verifiers("hq-a", "hq-b", "hq-c"), Threshold: 2}}
			return p
		}, ""},
		{"altered manifest body", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			signDir(t, d, info(6), k.signers("hq-a")...)
			p := filepath.Join(d, ManifestFile)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Replace(b, []byte(`"version": 6`), []byte(`"version": 9`), 1), 0o644)
			return d
		}, nil, CodeSignatureInvalid},
		{"malformed note", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			os.WriteFile(filepath.Join(d, ManifestFile), []byte("{}\n\n— hq-a not-base64!!\n"), 0o644)
			return d
		}, nil, CodeNoteMalformed},
		{"rollback to an older version", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			signDir(t, d, info(4), k.signers("hq-a")...)
			return d
		}, nil, CodeRollback},
		{"equivocation: same version, other bytes", func(t *testing.T) string {
			d := release(t, baseFiles(map[string]string{"images/lake.jpg": tinyJPEG(2)}))
			signDir(t, d, info(5), k.signers("hq-a")...)
			return d
		}, nil, CodeEquivocation},
		{"expired new release", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			inf := info(6)
			inf.Expires = now.Add(-time.Hour)
			signDir(t, d, inf, k.signers("hq-a")...)
			return d
		}, nil, CodeExpired},
		{"wrong region", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			inf := info(6)
			inf.Regions = []string{"ch"}
			signDir(t, d, inf, k.signers("hq-a")...)
			return d
		}, nil, CodeWrongRegion},
		{"untrusted library id", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			inf := info(6)
			inf.Library = "unknown-lib"
			signDir(t, d, inf, k.signers("hq-a")...)
			return d
		}, nil, CodeUntrustedLibrary},
		{"unknown manifest field", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			m, _ := BuildManifest(d, info(6))
			text, _ := json.MarshalIndent(m, "", "  ")
			text = bytes.Replace(text, []byte(`"format": 1,`), []byte(`"format": 1, "trustMe": true,`), 1)
			writeRawNote(t, d, text, k.signers("hq-a")...)
			return d
		}, nil, CodeManifestInvalid},
		{"manifest over the size limit", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			os.WriteFile(filepath.Join(d, ManifestFile), bytes.Repeat([]byte("x"), MaxManifestBytes+1), 0o644)
			return d
		}, nil, CodeManifestTooLarge},
		{"no manifest", func(t *testing.T) string { return release(t, baseFiles(nil)) }, nil, CodeManifestMissing},
		{"a file grew", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			signDir(t, d, info(6), k.signers("hq-a")...)
			os.WriteFile(filepath.Join(d, "images/lake.jpg"), []byte(lakeJPEG+"and more"), 0o644)
			return d
		}, nil, CodeFileSize},
		{"a file shrank", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			signDir(t, d, info(6), k.signers("hq-a")...)
			os.WriteFile(filepath.Join(d, "images/lake.jpg"), []byte("jpeg"), 0o644)
			return d
		}, nil, CodeFileSize},
		{"a file changed, same size", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			signDir(t, d, info(6), k.signers("hq-a")...)
			b := []byte(lakeJPEG)
			b[len(b)/2] ^= 1
			os.WriteFile(filepath.Join(d, "images/lake.jpg"), b, 0o644)
			return d
		}, nil, CodeFileHash},
		{"a listed file is missing", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			signDir(t, d, info(6), k.signers("hq-a")...)
			os.Remove(filepath.Join(d, "images/lake.jpg"))
			return d
		}, nil, CodeFileMissing},
		{"library.json names an unlisted file", func(t *testing.T) string {
			d := release(t, baseFiles(map[string]string{ContentFile: strings.Replace(testContent, "images/lake.jpg", "images/ghost.jpg", 1)}))
			m := &Manifest{Format: 1, Library: "cairn", Name: "Cairn", Regions: []string{"fr"}, Version: 6, Created: t0, Expires: expires,
				Files: sortedFiles([]File{
					fileEntry("images/lake.jpg", lakeJPEG),
					fileEntry(ContentFile, strings.Replace(testContent, "images/lake.jpg", "images/ghost.jpg", 1)),
					fileEntry("templates/news.html", "<html>{{headline}}</html>"),
				})}
			writeNote(t, d, m, k.signers("hq-a")...)
			return d
		}, nil, CodeContentInvalid},
		{"a symlink that leaves the release folder", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			signDir(t, d, info(6), k.signers("hq-a")...)
			outside := filepath.Join(t.TempDir(), "secret")
			os.WriteFile(outside, []byte(lakeJPEG), 0o644)
			os.Remove(filepath.Join(d, "images/lake.jpg"))
			os.Symlink(outside, filepath.Join(d, "images/lake.jpg"))
			return d
		}, nil, CodeFileMissing},
		{"zip entry with path traversal", func(t *testing.T) string {
			return zipOf(t, map[string]string{"../../evil.sh": "boom", ManifestFile: "x"})
		}, nil, CodeUnsafePath},
		{"zip bomb stops at the listed size", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			signDir(t, d, info(6), k.signers("hq-a")...)
			files := map[string]string{}
			for _, p := range []string{ManifestFile, ContentFile, "templates/news.html"} {
				b, _ := os.ReadFile(filepath.Join(d, p))
				files[p] = string(b)
			}
			files["images/lake.jpg"] = strings.Repeat("\x00", 64<<20) // 64 MiB of zeros: a few KB zipped
			return zipOf(t, files)
		}, nil, CodeFileSize},
		{"a pixel-bomb image", func(t *testing.T) string {
			// outpost-library sign refuses it; this manifest is made by hand.
			files := baseFiles(map[string]string{"images/bomb.png": pngHeader(100000, 100000)})
			d := release(t, files)
			m := &Manifest{Format: 1, Library: "cairn", Name: "Cairn", Regions: []string{"fr"}, Version: 6, Created: t0, Expires: expires}
			for p, body := range files {
				m.Files = append(m.Files, fileEntry(p, body))
			}
			sortedFiles(m.Files)
			writeNote(t, d, m, k.signers("hq-a")...)
			return d
		}, nil, CodeImageInvalid},
		{"a valid zip release", func(t *testing.T) string {
			d := release(t, baseFiles(nil))
			m := signDir(t, d, info(6), k.signers("hq-a")...)
			signed, _ := os.ReadFile(filepath.Join(d, ManifestFile))
			out := filepath.Join(t.TempDir(), "release.zip")
			var buf bytes.Buffer
			if err := WriteZip(&buf, d, m, signed); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(out, buf.Bytes(), 0o644)
			return out
		}, nil, ""},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			// The desktop already trusts version 5.
			v5 := release(t, baseFiles(nil))
			signDir(t, v5, info(5), k.signers("hq-a")...)
			before, err := applyDir(t, st, v5, pol)
			if err != nil {
				t.Fatalf("setup: %v", err)
			}

			p := pol
			if tt.pol != nil {
				p = tt.pol(pol)
			}
			rec, err := applyDir(t, st, tt.make(t), p)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused a good release: %v", err)
				}
				if rec.Version != 6 {
					t.Fatalf("applied version %d", rec.Version)
				}
				return
			}
			if got := fault.CodeOf(err); got != tt.want {
				t.Fatalf("error = %v (code %s), want %s", err, got, tt.want)
			}
			after, err := st.Record("cairn")
			if err != nil || after == nil || after.ManifestSHA != before.ManifestSHA || after.Version != 5 {
				t.Fatalf("trusted release changed: %+v, %v", after, err)
			}
			if c, err := st.Content(after); err != nil || c.Assets[0].ID != "lake" {
				t.Fatalf("trusted content unreadable after a refusal: %v", err)
			}
			blob, err := st.Blob(fileEntry("images/lake.jpg", lakeJPEG).SHA256)
			if err != nil || string(blob) != lakeJPEG {
				t.Fatalf("trusted blob damaged: %q, %v", blob, err)
			}
		})
	}
}

// writeRawNote signs arbitrary manifest text, bypassing the builder's checks.
func writeRawNote(t *testing.T, dir string, text []byte, signerKeys ...string) {
	t.Helper()
	signed, err := signText(string(text)+"\n", signerKeys...)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, ManifestFile), signed, 0o644)
}

func zipOf(t *testing.T, files map[string]string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "release.zip")
	f, _ := os.Create(out)
	zw := zip.NewWriter(f)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	zw.Close()
	f.Close()
	return out
}

func TestUnsafeManifestPathsAreRefused(t *testing.T) {
	k := newKeys(t, "hq-a")
	pol := Policy{Trust: []Trust{{Library: "cairn", Keys: k.verifiers("hq-a"), Threshold: 1}}, Now: now}
	for _, tt := range []struct {
		path string
		want fault.Code
	}{
		{"../escape.jpg", CodeUnsafePath},
		{"images/../../escape.jpg", CodeUnsafePath},
		{"/etc/passwd", CodeUnsafePath},
		{`images\lake.jpg`, CodeUnsafePath},
		{"C:/Windows/win.ini", CodeUnsafePath},
		{"c:evil", CodeUnsafePath},
		{"images/nul\x00.jpg", CodeUnsafePath},
		{"images/./lake.jpg", CodeUnsafePath},
		{"images//lake.jpg", CodeUnsafePath},
		{"images/lake.jpg.", CodeUnsafePath},
		{"", CodeUnsafePath},
		{strings.Repeat("a", MaxPathLen+1), CodeUnsafePath},
		{"IMAGES/LAKE.JPG", CodeDuplicatePath}, // collides with images/lake.jpg ignoring case
		{"images/lake.jpg", CodeDuplicatePath},
	} {
		t.Run(printable(tt.path), func(t *testing.T) {
			files := sortedFiles([]File{
				fileEntry("images/lake.jpg", "a"),
				fileEntry(ContentFile, testContent),
				{Path: tt.path, Size: 1, SHA256: strings.Repeat("0", 64)},
			})
			m := &Manifest{Format: 1, Library: "cairn", Name: "C", Regions: []string{"fr"}, Version: 1, Created: t0, Expires: expires, Files: files}
			text, _ := json.MarshalIndent(m, "", "  ")
			signed, err := signText(string(text)+"\n", k.signers("hq-a")...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = VerifyManifest(signed, pol)
			if got := fault.CodeOf(err); got != tt.want {
				t.Fatalf("path %q: %v, want %s", tt.path, err, tt.want)
			}
		})
	}
}

func TestSharedBlobsAreStoredOnceAndSweepDropsOrphans(t *testing.T) {
	k := newKeys(t, "hq-a")
	pol := Policy{Trust: []Trust{{Library: "cairn", Keys: k.verifiers("hq-a"), Threshold: 1}}, Now: now, Region: "fr"}
	st := openStore(t)
	v1 := release(t, baseFiles(map[string]string{"images/old.jpg": oldJPEG}))
	signDir(t, v1, info(1), k.signers("hq-a")...)
	if _, err := applyDir(t, st, v1, pol); err != nil {
		t.Fatal(err)
	}
	v2 := release(t, baseFiles(map[string]string{"images/new.jpg": newJPEG}))
	signDir(t, v2, info(2), k.signers("hq-a")...)
	src, _ := OpenSource(v2)
	defer src.Close()
	before := blobCount(t, st)
	if _, err := st.Apply(src, pol, nil); err != nil {
		t.Fatal(err)
	}
	// Only the new photo and nothing else was added (library.json is unchanged).
	if got := blobCount(t, st) - before; got != 1 {
		t.Fatalf("applying v2 stored %d new blobs, want 1", got)
	}
	n, err := st.Sweep()
	if err != nil || n != 2 {
		t.Fatalf("Sweep removed %d, %v; want the retired photo and v1's record", n, err)
	}
	if _, err := st.Blob(fileEntry("images/old.jpg", oldJPEG).SHA256); fault.CodeOf(err) != CodeNotFound {
		t.Fatalf("retired blob still there: %v", err)
	}
	if b, err := st.Blob(fileEntry("images/new.jpg", newJPEG).SHA256); err != nil || string(b) != newJPEG {
		t.Fatalf("new blob: %q %v", b, err)
	}
	// The same release again is accepted and changes nothing.
	src2, _ := OpenSource(v2)
	defer src2.Close()
	rec, err := st.Apply(src2, pol, nil)
	if err != nil || rec.Version != 2 {
		t.Fatalf("re-applying the trusted release: %+v, %v", rec, err)
	}
}

func blobCount(t *testing.T, st *Store) int {
	t.Helper()
	n := 0
	err := st.c.DB().View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: cache.PrefixBlob})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// aliasOf pins the same public key under the name "hq-a-again".
func aliasOf(t *testing.T, vkey string) string {
	t.Helper()
	raw, _ := base64.StdEncoding.DecodeString(strings.SplitN(vkey, "+", 3)[2])
	again, err := note.NewEd25519VerifierKey("hq-a-again", ed25519.PublicKey(raw[1:]))
	if err != nil {
		t.Fatal(err)
	}
	return again
}

// pngHeader is a PNG that declares w×h pixels and holds none.
func pngHeader(w, h uint32) string {
	ihdr := []byte{byte(w >> 24), byte(w >> 16), byte(w >> 8), byte(w), byte(h >> 24), byte(h >> 16), byte(h >> 8), byte(h), 8, 2, 0, 0, 0}
	chunk := append([]byte("IHDR"), ihdr...)
	crc := crc32.ChecksumIEEE(chunk)
	out := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d")
	out = append(out, chunk...)
	out = append(out, byte(crc>>24), byte(crc>>16), byte(crc>>8), byte(crc))
	return string(out)
}

var (
	lakeJPEG = tinyJPEG(1)
	oldJPEG  = tinyJPEG(3)
	newJPEG  = tinyJPEG(4)
)

// tinyJPEG is a real 8×6 JPEG whose pixels depend on seed.
func tinyJPEG(seed int) string {
	img := image.NewRGBA(image.Rect(0, 0, 8, 6))
	for i := range img.Pix {
		img.Pix[i] = byte(i*seed + seed)
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, nil)
	return buf.String()
}

func TestSigningRefusesABrokenImage(t *testing.T) {
	d := release(t, baseFiles(map[string]string{"images/bomb.png": pngHeader(100000, 100000)}))
	if _, err := BuildManifest(d, info(1)); fault.CodeOf(err) != CodeImageInvalid {
		t.Fatalf("BuildManifest with a pixel bomb = %v", err)
	}
}
