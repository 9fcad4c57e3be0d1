// Package testrel builds signed library releases for the hub client's tests
// and benchmarks, the way HQ's outpost-library tool does.
package testrel

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/outpost-studio/outpost/backend/library"
)

// Dates every test release uses.
var (
	Created = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	Now     = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	Expires = time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC)
)

// Key is an HQ signing key pair.
type Key struct {
	Signer, Verifier string
}

// NewKey makes a key pair.
func NewKey(name string) (Key, error) {
	s, v, err := library.GenerateKey(name)
	return Key{s, v}, err
}

// Trust pins key for lib.
func (k Key) Trust(lib string) library.Trust {
	return library.Trust{Library: lib, Keys: []string{k.Verifier}, Threshold: 1}
}

// Spec says what a release holds. Files are by path; library.json is added
// when absent.
type Spec struct {
	Library string
	Version uint64
	Regions []string // default {"fr"}
	Files   map[string][]byte
}

// Release is a signed release folder.
type Release struct {
	Dir      string
	Note     []byte
	Manifest *library.Manifest
	Bytes    int64 // all listed files together
}

// Content is a minimal library.json that names no files.
const Content = `{"locales": ["fr", "en"], "rules": {"version": 1, "rules": []}}`

// Build writes and signs a release in dir, which must be empty or absent.
func Build(dir string, key Key, s Spec) (*Release, error) {
	if s.Regions == nil {
		s.Regions = []string{"fr"}
	}
	files := s.Files
	if _, ok := files[library.ContentFile]; !ok {
		files = make(map[string][]byte, len(s.Files)+1)
		for p, b := range s.Files {
			files[p] = b
		}
		files[library.ContentFile] = []byte(Content)
	}
	for p, b := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(full, b, 0o644); err != nil {
			return nil, err
		}
	}
	m, err := library.BuildManifest(dir, library.ReleaseInfo{
		Library: s.Library, Name: "Library " + s.Library, Regions: s.Regions,
		Version: s.Version, Created: Created, Expires: Expires,
	})
	if err != nil {
		return nil, err
	}
	note, err := library.Sign(m, key.Signer)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, library.ManifestFile), note, 0o644); err != nil {
		return nil, err
	}
	r := &Release{Dir: dir, Note: note, Manifest: m}
	for _, f := range m.Files {
		r.Bytes += f.Size
	}
	return r, nil
}

// PNG is a real w×h PNG whose pixels depend on seed.
func PNG(w, h int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.NRGBA{uint8(rng.Uint32()), uint8(x), uint8(y), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// Random is n incompressible bytes drawn from seed.
func Random(n int, seed uint64) []byte {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	key[31] = 1
	b := make([]byte, n)
	rand.NewChaCha8(key).Read(b)
	return b
}

// Mixed is a release's files: n random documents of about size bytes each
// (paths "docs/dNNNN.bin", no image decode on apply) and a few real images.
func Mixed(n, size int, images int, seed uint64) map[string][]byte {
	files := make(map[string][]byte, n+images)
	for i := 0; i < n; i++ {
		sz := size/2 + int((seed+uint64(i)*7919)%uint64(size+1))
		files[fmt.Sprintf("docs/d%04d.bin", i)] = Random(sz, seed*100_003+uint64(i))
	}
	for i := 0; i < images; i++ {
		files[fmt.Sprintf("images/i%02d.png", i)] = PNG(24, 16, seed*31+uint64(i))
	}
	return files
}

// ContentWithAssets is a library.json listing every image of files as an
// asset, so a synced store has something to browse.
func ContentWithAssets(files map[string][]byte) []byte {
	c := library.Content{Locales: []string{"fr", "en"}, Rules: library.RulePack{Version: 1}}
	var paths []string
	for p := range files {
		if filepath.Ext(p) == ".png" {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		c.Assets = append(c.Assets, library.Asset{ID: filepath.Base(p[:len(p)-4]), Kind: library.AssetImage, Path: p,
			Width: 24, Height: 16, Title: library.Localized{"fr": p}, Alt: library.Localized{"fr": p}, Tags: []string{"test"}})
	}
	b, _ := json.Marshal(c)
	return b
}

// Libraries of the sync benchmarks.
const (
	BenchLibrary      = "bench"       // BenchFiles files of about BenchFileSize bytes
	BenchSmallLibrary = "bench-small" // as many files of 1 KB, for the no-op sync
	BenchFiles        = 1000
	BenchFileSize     = 500_000
)

// BenchReleases builds the two benchmark releases under dir, each signed by
// its own key (a pinned key belongs to one library).
func BenchReleases(dir string, bigKey, smallKey Key) (big, small *Release, err error) {
	big, err = Build(filepath.Join(dir, BenchLibrary), bigKey, Spec{Library: BenchLibrary, Version: 1,
		Files: Mixed(BenchFiles, BenchFileSize, 0, 42)})
	if err != nil {
		return nil, nil, err
	}
	small, err = Build(filepath.Join(dir, BenchSmallLibrary), smallKey, Spec{Library: BenchSmallLibrary, Version: 1,
		Files: Mixed(BenchFiles, 1000, 0, 43)})
	return big, small, err
}

// BenchTrust pins the benchmark keys, given by their verifier keys.
func BenchTrust(bigVerifier, smallVerifier string) []library.Trust {
	return []library.Trust{
		Key{Verifier: bigVerifier}.Trust(BenchLibrary),
		Key{Verifier: smallVerifier}.Trust(BenchSmallLibrary),
	}
}
