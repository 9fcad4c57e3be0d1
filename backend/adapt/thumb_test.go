package adapt

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/outpost-studio/outpost/backend/fault"
)

func TestThumbnailSize(t *testing.T) {
	for _, tc := range []struct {
		w, h, side int
		tw, th     int
	}{
		{6000, 4000, 256, 256, 171},
		{4000, 6000, 256, 171, 256},
		{3000, 3000, 256, 256, 256},
		{100, 50, 256, 100, 50}, // never enlarged
		{256, 100, 256, 256, 100},
		{257, 100, 256, 256, 100},
		{1000, 1, 100, 100, 1}, // at least one pixel
		{1, 1000, 100, 1, 100},
		{3, 2, 1, 1, 1},
		{30, 20, 0, 1, 1}, // a side below 1 counts as 1
		{30, 20, -5, 1, 1},
	} {
		t.Run(fmt.Sprintf("%dx%d in %d", tc.w, tc.h, tc.side), func(t *testing.T) {
			img := Thumbnail(image.NewGray(image.Rect(0, 0, tc.w, tc.h)), tc.side)
			if got := img.Rect; got != image.Rect(0, 0, tc.tw, tc.th) {
				t.Errorf("thumbnail is %v, want %dx%d", got.Size(), tc.tw, tc.th)
			}
		})
	}
}

// photo draws a photo-like picture: smooth colour fields with some fine
// detail, as a JPEG decodes it.
func photo(t testing.TB, w, h int) []byte {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			r := 128 + 100*math.Sin(6*fx+2*fy)
			g := 128 + 100*math.Sin(5*fy-3*fx+1)
			b := 128 + 60*math.Cos(9*fx*fy) + 20*math.Sin(float64(x+y)/3)
			m.SetNRGBA(x, y, color.NRGBA{uint8(r), uint8(g), uint8(b), 0xff})
		}
	}
	return encodeJPEG(t, m, 90)
}

// TestThumbnailIsCloseToADirectResize: the box pre-shrink must not shift,
// tint or blur the picture noticeably against one careful resize.
func TestThumbnailIsCloseToADirectResize(t *testing.T) {
	img, _, err := Decode(photo(t, 2400, 1600), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	got := Thumbnail(img, 200)
	want := imaging.Resize(img, 200, 133, imaging.Lanczos)
	if got.Rect != want.Rect {
		t.Fatalf("size %v, want %v", got.Rect, want.Rect)
	}
	var sum, worst int
	for i := range got.Pix {
		d := int(got.Pix[i]) - int(want.Pix[i])
		d = max(d, -d)
		sum += d
		worst = max(worst, d)
	}
	mean := float64(sum) / float64(len(got.Pix))
	t.Logf("mean difference %.2f, worst %d", mean, worst)
	if mean > 1.5 || worst > 24 {
		t.Errorf("thumbnail differs from a direct resize: mean %.2f, worst %d", mean, worst)
	}
}

// hidden hides an image's concrete type, so shrink reads it through At.
type hidden struct{ image.Image }

// TestShrinkReadsEveryPixelTypeLikeAt compares each direct pixel reader,
// and the YCbCr plane averaging, with the generic At path.
func TestShrinkReadsEveryPixelTypeLikeAt(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	r := image.Rect(3, 5, 3+61, 5+43) // odd sizes, not at the origin
	fill := func(pix []uint8) {
		for i := range pix {
			pix[i] = byte(rng.Uint32())
		}
	}
	premultiplied := func(pix []uint8, bytesPerChannel int) {
		px := 4 * bytesPerChannel
		for i := 0; i+px <= len(pix); i += px {
			for c := 0; c < 3*bytesPerChannel; c++ {
				pix[i+c] = min(pix[i+c], pix[i+3*bytesPerChannel+c%bytesPerChannel])
			}
		}
	}
	var images []image.Image
	{
		m := image.NewRGBA(r)
		fill(m.Pix)
		premultiplied(m.Pix, 1)
		images = append(images, m)
	}
	{
		m := image.NewNRGBA(r)
		fill(m.Pix)
		images = append(images, m)
	}
	{
		m := image.NewGray(r)
		fill(m.Pix)
		images = append(images, m)
	}
	{
		m := image.NewCMYK(r)
		fill(m.Pix)
		images = append(images, m)
	}
	{
		m := image.NewPaletted(r, color.Palette{red, color.NRGBA{10, 20, 30, 40}, color.Transparent, blue})
		fill(m.Pix)
		for i := range m.Pix {
			m.Pix[i] %= 4
		}
		images = append(images, m)
	}
	{
		m := image.NewGray16(r)
		fill(m.Pix)
		images = append(images, m)
	}
	{
		m := image.NewRGBA64(r)
		fill(m.Pix)
		for i := 0; i < len(m.Pix); i += 8 { // keep colour ≤ alpha, as 16-bit values
			for c := 0; c < 6; c += 2 {
				if m.Pix[i+c] > m.Pix[i+6] || m.Pix[i+c] == m.Pix[i+6] && m.Pix[i+c+1] > m.Pix[i+7] {
					m.Pix[i+c], m.Pix[i+c+1] = m.Pix[i+6], m.Pix[i+7]
				}
			}
		}
		images = append(images, m)
	}
	{
		m := image.NewNRGBA64(r)
		fill(m.Pix)
		images = append(images, m)
	}
	// YCbCr in every subsampling, with smooth in-gamut content: averaging
	// the planes then converting equals converting then averaging there.
	for _, ratio := range []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	} {
		m := image.NewYCbCr(r, ratio)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				m.Y[m.YOffset(x, y)] = uint8(60 + 2*x + y)
				m.Cb[m.COffset(x, y)] = uint8(110 + x/2)
				m.Cr[m.COffset(x, y)] = uint8(150 - y/2)
			}
		}
		images = append(images, m)
		a := image.NewNYCbCrA(r, ratio)
		a.YCbCr = *m
		fill(a.A)
		images = append(images, a)
	}

	for _, img := range images {
		name := fmt.Sprintf("%T", img)
		if m, ok := img.(*image.YCbCr); ok {
			name += "/" + m.SubsampleRatio.String()
		}
		if m, ok := img.(*image.NYCbCrA); ok {
			name += "/" + m.SubsampleRatio.String()
		}
		for _, k := range []int{1, 2, 3, 7} {
			t.Run(fmt.Sprintf("%s/k=%d", name, k), func(t *testing.T) {
				got, want := shrink(img, k), shrink(hidden{img}, k)
				if got.Rect != want.Rect {
					t.Fatalf("size %v, want %v", got.Rect, want.Rect)
				}
				// YCbCr planes are averaged, rounded, then converted, and
				// At's 16-bit colour is truncated to 8: two roundings apart.
				tol := 1
				if _, ok := img.(*image.YCbCr); ok && k > 1 {
					tol = 2
				}
				for i := range got.Pix {
					if d := int(got.Pix[i]) - int(want.Pix[i]); d > tol || d < -tol {
						t.Fatalf("pixel byte %d = %d, the At path gives %d", i, got.Pix[i], want.Pix[i])
					}
				}
			})
		}
	}
}

func TestThumbnailLaysTransparencyOverWhite(t *testing.T) {
	for _, file := range []string{"alpha.png", "alpha.webp"} {
		t.Run(file, func(t *testing.T) {
			img, _, err := Decode(fixture(t, file), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			for _, side := range []int{80, 40} { // as is, and shrunk
				th := Thumbnail(img, side)
				w, h := th.Rect.Dx(), th.Rect.Dy()
				if c := th.At(0, 0); !near(c, white, 0) {
					t.Errorf("side %d: corner = %v, want white", side, rgb(c))
				}
				if c := th.At(w/2, h/2); !near(c, red, 2) {
					t.Errorf("side %d: centre = %v, want red", side, rgb(c))
				}
				for i := 3; i < len(th.Pix); i += 4 {
					if th.Pix[i] != 0xff {
						t.Fatalf("side %d: alpha %d at byte %d, want opaque", side, th.Pix[i], i)
					}
				}
			}
		})
	}
}

func TestThumbnailOfCMYKJPEGKeepsItsColours(t *testing.T) {
	b := fixture(t, "cmyk.jpg")
	img, _, err := Decode(b, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := img.(*image.CMYK); !ok {
		t.Fatalf("decoded %T, want *image.CMYK", img)
	}
	if c := img.At(32, 32); !near(c, red, 8) {
		t.Errorf("decoded pixel = %v, want red", rgb(c))
	}
	if c := Thumbnail(img, 16).At(8, 8); !near(c, red, 8) {
		t.Errorf("thumbnail pixel = %v, want red", rgb(c))
	}
	th, _, err := EncodeThumbnail(b, 16, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	timg, err := jpeg.Decode(bytes.NewReader(th))
	if err != nil {
		t.Fatal(err)
	}
	if c := timg.At(8, 8); !near(c, red, 12) {
		t.Errorf("encoded thumbnail pixel = %v, want red", rgb(c))
	}
}

func TestEncodeThumbnailOfEveryFormat(t *testing.T) {
	for _, name := range fixtureNames(t) {
		b := fixture(t, name)
		src, _, err := Decode(b, DefaultLimits())
		if fault.CodeOf(err) == CodeImageUnsupportedFormat {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, side := range []int{1000, 32} {
			t.Run(fmt.Sprintf("%s/%d", name, side), func(t *testing.T) {
				out, info, err := EncodeThumbnail(b, side, DefaultLimits())
				if err != nil {
					t.Fatal(err)
				}
				if want, _ := DecodeConfig(b, DefaultLimits()); info != want {
					t.Errorf("info = %+v, want the source's %+v", info, want)
				}
				cfg, format, err := image.DecodeConfig(bytes.NewReader(out))
				if err != nil || format != "jpeg" {
					t.Fatalf("output is %q, %v; want a JPEG", format, err)
				}
				tw, th := fit(src.Bounds().Dx(), src.Bounds().Dy(), side)
				if cfg.Width != tw || cfg.Height != th {
					t.Errorf("thumbnail is %dx%d, want %dx%d", cfg.Width, cfg.Height, tw, th)
				}
				if max(cfg.Width, cfg.Height) > side {
					t.Errorf("thumbnail %dx%d exceeds %d", cfg.Width, cfg.Height, side)
				}
				// Aspect within rounding: one pixel on the short side.
				ratio := float64(info.Width) / float64(info.Height)
				if d := math.Abs(float64(cfg.Width)/ratio - float64(cfg.Height)); d > 1 {
					t.Errorf("aspect %dx%d drifts from %dx%d", cfg.Width, cfg.Height, info.Width, info.Height)
				}
			})
		}
	}
}

func TestEncodeThumbnailIsDeterministic(t *testing.T) {
	b := photo(t, 1500, 1000)
	first, _, err := EncodeThumbnail(b, 256, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	again, _, _ := EncodeThumbnail(b, 256, DefaultLimits())
	procs := runtime.GOMAXPROCS(1)
	single, _, _ := EncodeThumbnail(b, 256, DefaultLimits())
	runtime.GOMAXPROCS(procs)
	if !bytes.Equal(first, again) || !bytes.Equal(first, single) {
		t.Error("the same input gave different bytes")
	}
}

func TestEncodeThumbnailReportsDecodeErrors(t *testing.T) {
	_, _, err := EncodeThumbnail(fixture(t, "photo.bmp"), 64, DefaultLimits())
	wantFault(t, err, fault.Invalid, CodeImageUnsupportedFormat, map[string]string{"format": "bmp"})
	if e, _ := fault.As(err); e.Op != "adapt.EncodeThumbnail" {
		t.Errorf("op = %q, want adapt.EncodeThumbnail", e.Op)
	}
	jpg := fixture(t, "photo.jpg")
	_, _, err = EncodeThumbnail(jpg[:len(jpg)/2], 64, Limits{})
	wantFault(t, err, fault.Corrupt, CodeImageCorrupt, map[string]string{"format": "jpeg"})
}

// BenchmarkThumbnail makes a 256-pixel thumbnail of a 6000x4000 (24 MP)
// JPEG that ImageMagick draws, with the steps measured apart.
func BenchmarkThumbnail(b *testing.B) {
	convert, err := exec.LookPath("convert")
	if err != nil {
		b.Skip("ImageMagick's convert is not installed")
	}
	path := filepath.Join(b.TempDir(), "photo.jpg")
	if out, err := exec.Command(convert, "-seed", "1", "-size", "6000x4000", "plasma:fractal", "-quality", "90", path).CombinedOutput(); err != nil {
		b.Skipf("convert: %v: %s", err, out)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	img, _, err := Decode(src, DefaultLimits())
	if err != nil {
		b.Fatal(err)
	}

	b.Run("EncodeThumbnail", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			if _, _, err := EncodeThumbnail(src, 256, DefaultLimits()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Decode", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := Decode(src, DefaultLimits()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Thumbnail", func(b *testing.B) {
		for b.Loop() {
			Thumbnail(img, 256)
		}
	})
	b.Run("imaging.Resize-direct", func(b *testing.B) { // what the box pre-shrink saves
		for b.Loop() {
			imaging.Resize(img, 256, 171, imaging.CatmullRom)
		}
	})
}
