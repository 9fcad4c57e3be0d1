package pack

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/disintegration/imaging"

	"github.com/outpost-studio/outpost/backend/adapt"
	"github.com/outpost-studio/outpost/backend/library"
)

// The benchmarks below run on real photographs that .ci/bench-pack.sh
// (make bench-pack) gathers into the folder OUTPOST_BENCH_PHOTOS; without
// it they are skipped.

// benchPresets are five channel presets of the sample library.
var benchPresets = []library.Preset{
	{ID: "social-square", Width: 1080, Height: 1080, Format: "jpeg", Quality: 85, Fit: "fill"},
	{ID: "social-link", Width: 1200, Height: 628, Format: "jpeg", Quality: 85, Fit: "fill"},
	{ID: "social-story", Width: 1080, Height: 1920, Format: "jpeg", Quality: 85, Fit: "fill"},
	{ID: "email-header", Width: 600, Height: 200, Format: "jpeg", Quality: 80, Fit: "fill"},
	{ID: "web-banner", Width: 1920, Height: 640, Format: "jpeg", Quality: 82, Fit: "fill"},
}

// benchRelease makes a release of every JPEG in OUTPOST_BENCH_PHOTOS, one
// asset each, without a focal point: the smart crop frames them.
func benchRelease(tb testing.TB) (*library.Index, Blobs, []string) {
	dir := os.Getenv("OUTPOST_BENCH_PHOTOS")
	if dir == "" {
		tb.Skip("OUTPOST_BENCH_PHOTOS is not set; run make bench-pack")
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.jpg"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no JPEG in %s: %v", dir, err)
	}
	sort.Strings(paths)
	images := map[string][]byte{}
	var assets []library.Asset
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		name := "images/" + filepath.Base(p)
		images[name] = b
		assets = append(assets, asset(strings.TrimSuffix(filepath.Base(p), ".jpg"), name))
	}
	ix, _ := release(tb, images, assets, benchPresets)
	// Read each photo from disk when it is needed, as the store reads
	// Badger: holding all of them would add ~90 MB to the peak RSS.
	files := fileBlobs{}
	for _, p := range paths {
		files[ix.SHA("images/"+filepath.Base(p))] = p
	}
	return ix, files, paths
}

// fileBlobs reads blobs from files, by SHA-256.
type fileBlobs map[string]string

func (f fileBlobs) Blob(sha string) ([]byte, error) { return os.ReadFile(f[sha]) }

// BenchmarkPackPhotos is the Outpost side of make bench-pack: every photo
// to the five presets, two sources at a time, from cold (a fresh memory
// cache), zip included.
func BenchmarkPackPhotos(b *testing.B) {
	ix, bl, paths := benchRelease(b)
	out := filepath.Join(b.TempDir(), "pack.zip")
	for b.Loop() {
		start := time.Now()
		res, err := Export(context.Background(), Input{Release: ix, Blobs: bl, Date: "2026-11-22", Workers: 2}, out, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Manifest.Failed) > 0 {
			b.Fatalf("%d sources failed: %+v", len(res.Manifest.Failed), res.Manifest.Failed[0])
		}
		fmt.Printf("outpost: %d photos × %d presets in %.2f s (2 workers)\n", len(paths), len(benchPresets), time.Since(start).Seconds())
	}
}

// TestBenchPlan writes, for the libvips side of make bench-pack, the
// region of each photo each preset shows (after the smart crop), one line
// per rendition: photo, preset, left, top, width, height, output width,
// height and quality.
func TestBenchPlan(t *testing.T) {
	out := os.Getenv("OUTPOST_BENCH_PLAN")
	if out == "" {
		t.Skip("OUTPOST_BENCH_PLAN is not set; run make bench-pack")
	}
	_, _, paths := benchRelease(t)
	var lines []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		src, err := adapt.NewSource(b, adapt.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range benchPresets {
			plan, _ := src.Plan(benchSpec(pr))
			r := plan.Region
			lines = append(lines, fmt.Sprintf("%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d",
				p, pr.ID, r.Min.X, r.Min.Y, r.Dx(), r.Dy(), pr.Width, pr.Height, pr.Quality))
		}
	}
	if err := os.WriteFile(out, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func benchSpec(pr library.Preset) adapt.Spec {
	return adapt.Spec{Width: pr.Width, Height: pr.Height, Fit: pr.Fit, Format: pr.Format, Quality: pr.Quality}
}

// TestBenchQuality compares Outpost's renditions and libvips' (from the
// folder OUTPOST_BENCH_VIPS, named photo.preset.jpg) with a Lanczos resize
// of the same region of the full-size photo, in PSNR, for the first
// OUTPOST_BENCH_QUALITY_PHOTOS photos (default 10).
func TestBenchQuality(t *testing.T) {
	vipsDir := os.Getenv("OUTPOST_BENCH_VIPS")
	if vipsDir == "" {
		t.Skip("OUTPOST_BENCH_VIPS is not set; run make bench-pack")
	}
	_, _, paths := benchRelease(t)
	n := 10
	fmt.Sscan(os.Getenv("OUTPOST_BENCH_QUALITY_PHOTOS"), &n)
	paths = paths[:min(n, len(paths))]
	var ours, theirs []float64
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		full, _, err := adapt.Decode(b, adapt.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		src, err := adapt.NewSource(b, adapt.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range benchPresets {
			r, err := src.Render(benchSpec(pr))
			if err != nil {
				t.Fatal(err)
			}
			ref := imaging.Resize(imaging.Crop(full, r.Plan.Region), pr.Width, pr.Height, imaging.Lanczos)
			got, err := jpeg.Decode(bytes.NewReader(r.Bytes))
			if err != nil {
				t.Fatal(err)
			}
			ours = append(ours, adapt.PSNR(got, ref))
			vb, err := os.ReadFile(filepath.Join(vipsDir, filepath.Base(p)+"."+pr.ID+".jpg"))
			if err != nil {
				t.Fatal(err)
			}
			vimg, _, err := image.Decode(bytes.NewReader(vb))
			if err != nil {
				t.Fatal(err)
			}
			theirs = append(theirs, adapt.PSNR(vimg, ref))
		}
	}
	fmt.Printf("psnr vs lanczos (%d renditions of %d photos): outpost mean %.1f dB min %.1f dB; libvips mean %.1f dB min %.1f dB\n",
		len(ours), len(paths), mean(ours), minOf(ours), mean(theirs), minOf(theirs))
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func minOf(v []float64) float64 {
	m := math.Inf(1)
	for _, x := range v {
		m = math.Min(m, x)
	}
	return m
}
