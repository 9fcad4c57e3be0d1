package adapt

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/disintegration/imaging"
)

// benchPhotos reads the JPEGs that .ci/bench-pack.sh (make bench-pack)
// gathers into OUTPOST_BENCH_PHOTOS, or skips.
func benchPhotos(b *testing.B) (names []string, files [][]byte) {
	dir := os.Getenv("OUTPOST_BENCH_PHOTOS")
	if dir == "" {
		b.Skip("OUTPOST_BENCH_PHOTOS is not set; run make bench-pack")
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "*.jpg"))
	sort.Strings(paths)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		names, files = append(names, filepath.Base(p)), append(files, data)
	}
	if len(files) == 0 {
		b.Fatalf("no JPEG in %s", dir)
	}
	return names, files
}

var benchSpecs = []Spec{
	{Width: 1080, Height: 1080, Fit: FitFill, Format: FormatJPEG, Quality: 85},
	{Width: 1200, Height: 628, Fit: FitFill, Format: FormatJPEG, Quality: 85},
	{Width: 1080, Height: 1920, Fit: FitFill, Format: FormatJPEG, Quality: 85},
	{Width: 600, Height: 200, Fit: FitFill, Format: FormatJPEG, Quality: 80},
	{Width: 1920, Height: 640, Fit: FitFill, Format: FormatJPEG, Quality: 82},
}

// BenchmarkRenditionFilters measures the final resampling step, Catmull-Rom
// against linear, on the real photos (one thread, decode excluded), and
// their PSNR against a Lanczos resize of the full-size region for the first
// ten photos.
func BenchmarkRenditionFilters(b *testing.B) {
	names, files := benchPhotos(b)
	var decode time.Duration
	type filterRun struct {
		name   string
		filter imaging.ResampleFilter
		took   time.Duration
		psnr   []float64
	}
	runs := []*filterRun{{name: "catmull-rom", filter: imaging.CatmullRom}, {name: "linear", filter: imaging.Linear}}
	for b.Loop() {
		decode = 0
		for _, r := range runs {
			r.took, r.psnr = 0, nil
		}
		for i, data := range files {
			start := time.Now()
			base, err := NewSource(data, Limits{})
			if err != nil {
				b.Fatalf("%s: %v", names[i], err)
			}
			decode += time.Since(start)
			for _, r := range runs {
				src := *base
				src.levels, src.smart, src.filter = nil, map[[2]int]Point{}, r.filter
				start := time.Now()
				var outs []*Rendition
				for _, s := range benchSpecs {
					out, err := src.Render(s)
					if err != nil {
						b.Fatal(err)
					}
					outs = append(outs, out)
				}
				r.took += time.Since(start)
				if i < 10 {
					full := orient(base.stored, base.info.Orientation)
					for k, out := range outs {
						ref := imaging.Resize(imaging.Crop(full, out.Plan.Region), benchSpecs[k].Width, benchSpecs[k].Height, imaging.Lanczos)
						img, err := jpeg.Decode(bytes.NewReader(out.Bytes))
						if err != nil {
							b.Fatal(err)
						}
						r.psnr = append(r.psnr, PSNR(img, ref))
					}
				}
			}
		}
	}
	fmt.Printf("filters: decode of %d photos %.2f s (one thread)\n", len(files), decode.Seconds())
	for _, r := range runs {
		var s float64
		lo := 1e9
		for _, v := range r.psnr {
			s += v
			lo = min(lo, v)
		}
		fmt.Printf("filters: %-11s renditions (pyramid, final step, encode) %.2f s; PSNR vs Lanczos mean %.1f dB, min %.1f dB over %d\n",
			r.name, r.took.Seconds(), s/float64(len(r.psnr)), lo, len(r.psnr))
	}
}

// BenchmarkThumbnailLargest times a 320-pixel thumbnail of the photo with
// the most pixels and of the largest file, best of five.
func BenchmarkThumbnailLargest(b *testing.B) {
	names, files := benchPhotos(b)
	most, biggest := 0, 0
	for i, data := range files {
		info, err := DecodeConfig(data, Limits{})
		if err != nil {
			b.Fatal(err)
		}
		mi, _ := DecodeConfig(files[most], Limits{})
		if info.Width*info.Height > mi.Width*mi.Height {
			most = i
		}
		if len(data) > len(files[biggest]) {
			biggest = i
		}
	}
	for b.Loop() {
		for _, i := range []int{most, biggest} {
			info, _ := DecodeConfig(files[i], Limits{})
			best := time.Hour
			for range 5 {
				start := time.Now()
				if _, _, err := EncodeThumbnail(files[i], 320, Limits{}); err != nil {
					b.Fatal(err)
				}
				best = min(best, time.Since(start))
			}
			fmt.Printf("thumbnail: 320 px of %s (%dx%d, %.1f MP, %d KB): %d ms\n", names[i], info.Width, info.Height,
				float64(info.Width*info.Height)/1e6, len(files[i])>>10, best.Milliseconds())
		}
	}
}
