package adapt

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/outpost-studio/outpost/backend/fault"
)

var update = flag.Bool("update", false, "rewrite the golden renditions in testdata/golden")

// synthetic draws a distinctive picture, w×h: a red–green gradient over a
// blue base, a dark grid every 40 pixels, a coloured square near each
// corner (red top-left, lime top-right, blue bottom-left, yellow
// bottom-right) and a white disc in the middle. Every region of it looks
// different, so a misplaced crop shows.
func synthetic(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	s := min(w, h) / 6
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{uint8(255 * x / w), uint8(255 * y / h), 96, 0xff}
			if x%40 < 2 || y%40 < 2 {
				c = color.NRGBA{30, 30, 40, 0xff}
			}
			dx, dy := float64(x-w/2), float64(y-h/2)
			switch {
			case dx*dx+dy*dy < float64(s*s)/4:
				c = white
			case x >= s/2 && x < s/2+s && y >= s/2 && y < s/2+s:
				c = red
			case x >= w-s/2-s && x < w-s/2 && y >= s/2 && y < s/2+s:
				c = lime
			case x >= s/2 && x < s/2+s && y >= h-s/2-s && y < h-s/2:
				c = blue
			case x >= w-s/2-s && x < w-s/2 && y >= h-s/2-s && y < h-s/2:
				c = yellow
			}
			m.SetNRGBA(x, y, c)
		}
	}
	return m
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEGQ(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// decodeOutput decodes a rendition's bytes with the standard decoders.
func decodeOutput(t testing.TB, b []byte) image.Image {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// compareGolden checks img against testdata/golden/name.png, ±1 per
// channel, or rewrites it with -update.
func compareGolden(t *testing.T, name string, img image.Image) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".png")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, encodePNG(t, img), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./backend/adapt -run Golden -update)", err)
	}
	want, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got, w := img.Bounds().Size(), want.Bounds().Size(); got != w {
		t.Fatalf("size %v, golden %v", got, w)
	}
	g, wb := img.Bounds(), want.Bounds()
	for y := 0; y < g.Dy(); y++ {
		for x := 0; x < g.Dx(); x++ {
			a, b := rgb(img.At(g.Min.X+x, g.Min.Y+y)), rgb(want.At(wb.Min.X+x, wb.Min.Y+y))
			if !near(a, b, 1) {
				t.Fatalf("pixel (%d,%d) = %v, golden %v", x, y, a, b)
			}
		}
	}
}

func TestRenditionGoldens(t *testing.T) {
	src := encodePNG(t, synthetic(640, 400))
	square := func(fx, fy float64) Spec {
		return Spec{Width: 40, Height: 40, Fit: FitFill, Format: FormatPNG, Focal: &Point{fx, fy}}
	}
	wide := func(fx, fy float64) Spec {
		return Spec{Width: 96, Height: 32, Fit: FitFill, Format: FormatPNG, Focal: &Point{fx, fy}}
	}
	edges := []struct {
		name   string
		fx, fy float64
	}{
		{"centre", 0.5, 0.5},
		{"top", 0.5, 0}, {"bottom", 0.5, 1}, {"left", 0, 0.5}, {"right", 1, 0.5},
		{"top-left", 0, 0}, {"top-right", 1, 0}, {"bottom-left", 0, 1}, {"bottom-right", 1, 1},
	}
	cases := []struct {
		name string
		src  []byte
		spec Spec
	}{}
	for _, e := range edges {
		cases = append(cases,
			struct {
				name string
				src  []byte
				spec Spec
			}{"fill-square-" + e.name, src, square(e.fx, e.fy)},
			struct {
				name string
				src  []byte
				spec Spec
			}{"fill-wide-" + e.name, src, wide(e.fx, e.fy)})
	}
	photo, err := os.ReadFile(filepath.Join("..", "..", "assets", "sample", "library", "images", "picos-de-europa-trail.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	more := []struct {
		name string
		src  []byte
		spec Spec
	}{
		{"fit-wide-letterbox", src, Spec{Width: 64, Height: 64, Fit: FitFit, Format: FormatPNG, Background: "#1F4E79"}},
		{"fit-tall-pillarbox", src, Spec{Width: 90, Height: 30, Fit: FitFit, Format: FormatPNG}},
		{"exact", src, Spec{Width: 50, Height: 50, Fit: FitExact, Format: FormatPNG}},
		{"fill-smart", src, Spec{Width: 40, Height: 40, Fit: FitFill, Format: FormatPNG}},
		{"fill-manual-crop", src, Spec{Width: 40, Height: 40, Fit: FitFill, Format: FormatPNG, Crop: &Rect{0.7, 0.55, 1, 1}}},
		{"fit-manual-crop", src, Spec{Width: 40, Height: 40, Fit: FitFit, Format: FormatPNG, Crop: &Rect{0, 0, 0.5, 0.25}}},
		{"fill-jpeg", src, Spec{Width: 64, Height: 48, Fit: FitFill, Format: FormatJPEG, Quality: 90, Focal: &Point{0.2, 0.3}}},
		{"photo-fill", photo, Spec{Width: 72, Height: 72, Fit: FitFill, Format: FormatPNG, Focal: &Point{0.55, 0.45}}},
		{"photo-fit", photo, Spec{Width: 72, Height: 40, Fit: FitFit, Format: FormatPNG, Background: "#DCE8F0"}},
		{"photo-exact", photo, Spec{Width: 60, Height: 60, Fit: FitExact, Format: FormatPNG}},
	}
	cases = append(cases, more...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Render(tc.src, tc.spec, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			img := decodeOutput(t, r.Bytes)
			if img.Bounds().Dx() != tc.spec.Width || img.Bounds().Dy() != tc.spec.Height {
				t.Fatalf("rendition is %v, want %dx%d", img.Bounds().Size(), tc.spec.Width, tc.spec.Height)
			}
			compareGolden(t, tc.name, img)
		})
	}
}

// TestFillKeepsTheFocalPointInView checks the goldens' meaning, not their
// pixels: the square nearest a focal corner is what the fill shows there.
func TestFillKeepsTheFocalPointInView(t *testing.T) {
	src := encodePNG(t, synthetic(640, 400))
	for _, tc := range []struct {
		name   string
		spec   Spec
		x, y   int // where to look in the 80×80 output, or 160×40
		want   color.NRGBA
		region image.Rectangle
	}{
		{"left edge shows the red square", Spec{Width: 80, Height: 80, Focal: &Point{0, 0.2}}, 15, 15, red, image.Rect(0, 0, 400, 400)},
		{"right edge shows the lime square", Spec{Width: 80, Height: 80, Focal: &Point{1, 0.2}}, 65, 15, lime, image.Rect(240, 0, 640, 400)},
		{"top edge shows the red square", Spec{Width: 160, Height: 40, Focal: &Point{0.1, 0}}, 10, 15, red, image.Rect(0, 0, 640, 160)},
		{"bottom edge shows the blue square", Spec{Width: 160, Height: 40, Focal: &Point{0.1, 1}}, 10, 25, blue, image.Rect(0, 240, 640, 400)},
		{"centre shows the white disc", Spec{Width: 80, Height: 80, Focal: &Point{0.5, 0.5}}, 40, 40, white, image.Rect(120, 0, 520, 400)},
		{"a manual crop overrides the focal point", Spec{Width: 80, Height: 80, Focal: &Point{0, 0}, Crop: &Rect{0.75, 0.6, 1, 1}}, 40, 40, yellow, image.Rect(480, 240, 640, 400)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.spec.Fit, tc.spec.Format = FitFill, FormatPNG
			r, err := Render(src, tc.spec, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Plan.Region != tc.region {
				t.Errorf("region %v, want %v", r.Plan.Region, tc.region)
			}
			if c := decodeOutput(t, r.Bytes).At(tc.x, tc.y); !near(c, tc.want, 12) {
				t.Errorf("pixel (%d,%d) = %v, want %v", tc.x, tc.y, rgb(c), tc.want)
			}
		})
	}
}

func TestFitLetterboxesInTheBackground(t *testing.T) {
	src := encodePNG(t, synthetic(640, 400))
	r, err := Render(src, Spec{Width: 100, Height: 100, Fit: FitFit, Format: FormatPNG, Background: "#1f4e79"}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if want := image.Rect(0, 18, 100, 81); r.Plan.Content != want {
		t.Errorf("content %v, want %v", r.Plan.Content, want)
	}
	img := decodeOutput(t, r.Bytes)
	brand := color.NRGBA{0x1f, 0x4e, 0x79, 0xff}
	for _, p := range []image.Point{{50, 5}, {50, 95}, {0, 0}, {99, 99}} {
		if c := img.At(p.X, p.Y); !near(c, brand, 0) {
			t.Errorf("border pixel %v = %v, want the brand colour", p, rgb(c))
		}
	}
	if c := img.At(50, 50); !near(c, white, 12) {
		t.Errorf("centre = %v, want the white disc", rgb(c))
	}
}

// TestRenditionOrientation: a picture stored turned, with an EXIF
// orientation, renders as the upright picture does, for all eight.
func TestRenditionOrientation(t *testing.T) {
	upright := synthetic(300, 200)
	stored := map[int]image.Image{ // what a camera writes for each orientation
		1: upright, 2: imaging.FlipH(upright), 3: imaging.Rotate180(upright), 4: imaging.FlipV(upright),
		5: imaging.Transpose(upright), 6: imaging.Rotate90(upright), 7: imaging.Transverse(upright), 8: imaging.Rotate270(upright),
	}
	specs := []Spec{
		{Width: 60, Height: 40, Fit: FitFill, Format: FormatPNG, Focal: &Point{0.2, 0.9}},
		{Width: 30, Height: 50, Fit: FitFill, Format: FormatPNG, Focal: &Point{0.9, 0.1}},
		{Width: 40, Height: 40, Fit: FitFit, Format: FormatPNG, Crop: &Rect{0.1, 0.2, 0.6, 0.9}},
		{Width: 33, Height: 21, Fit: FitExact, Format: FormatPNG},
	}
	for o := 1; o <= 8; o++ {
		img := stored[o]
		for i, spec := range specs {
			t.Run(fmt.Sprintf("orientation %d/spec %d", o, i), func(t *testing.T) {
				src := &Source{info: Info{Format: FormatPNG, Width: 300, Height: 200, Orientation: o},
					stored: img, size: img.Bounds().Size(), smart: map[[2]int]Point{}, filter: imaging.CatmullRom}
				ref := &Source{info: Info{Format: FormatPNG, Width: 300, Height: 200, Orientation: 1},
					stored: upright, size: upright.Bounds().Size(), smart: map[[2]int]Point{}, filter: imaging.CatmullRom}
				got, _, _ := src.draw(spec.normal())
				want, _, _ := ref.draw(spec.normal())
				if got.Rect != want.Rect {
					t.Fatalf("size %v, want %v", got.Rect, want.Rect)
				}
				// A quarter turn swaps the order of the resize's two passes,
				// each rounded to 8 bits: a few levels apart at sharp edges.
				var worst int
				for k := range got.Pix {
					d := int(got.Pix[k]) - int(want.Pix[k])
					worst = max(worst, d, -d)
				}
				if psnr := PSNR(got, want); worst > 12 || psnr < 40 {
					t.Errorf("differs from the upright rendition by up to %d, PSNR %.1f dB", worst, psnr)
				}
			})
		}
	}
	// And end to end from a JPEG's EXIF: orient6.jpg is quadrants, red
	// top-left once upright.
	r, err := Render(fixture(t, "orient6.jpg"), Spec{Width: 24, Height: 16, Fit: FitExact, Format: FormatPNG}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	checkQuadrants(t, decodeOutput(t, r.Bytes))
}

// meanColour is the mean R, G and B of an image.
func meanColour(img image.Image) [3]float64 {
	b := img.Bounds()
	var s [3]float64
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := rgb(img.At(x, y))
			s[0] += float64(c.R)
			s[1] += float64(c.G)
			s[2] += float64(c.B)
		}
	}
	n := float64(b.Dx() * b.Dy())
	return [3]float64{s[0] / n, s[1] / n, s[2] / n}
}

func closeMeans(a, b [3]float64, tol float64) bool {
	for i := range a {
		if math.Abs(a[i]-b[i]) > tol {
			return false
		}
	}
	return true
}

// TestRenditionOfAwkwardInputs: every input gives the right picture or a
// specific error, never a panic.
func TestRenditionOfAwkwardInputs(t *testing.T) {
	spec := Spec{Width: 16, Height: 11, Fit: FitExact, Format: FormatPNG}
	render := func(b []byte) (image.Image, error) {
		r, err := Render(b, spec, Limits{})
		if err != nil {
			return nil, err
		}
		return decodeOutput(t, r.Bytes), nil
	}
	t.Run("CMYK JPEG keeps its colours", func(t *testing.T) {
		got, err := render(fixture(t, "cmyk.jpg"))
		if err != nil {
			t.Fatal(err)
		}
		want, err := render(encodePNG(t, &image.NRGBA{Pix: bytes.Repeat([]byte{0xff, 0, 0, 0xff}, 64*64), Stride: 256, Rect: image.Rect(0, 0, 64, 64)}))
		if err != nil {
			t.Fatal(err)
		}
		if g, w := meanColour(got), meanColour(want); !closeMeans(g, w, 8) {
			t.Errorf("mean colour %v, the RGB version's %v", g, w)
		}
	})
	t.Run("16-bit PNG matches the 8-bit picture", func(t *testing.T) {
		got, err := render(fixture(t, "photo16.png"))
		if err != nil {
			t.Fatal(err)
		}
		want, err := render(fixture(t, "photo.png"))
		if err != nil {
			t.Fatal(err)
		}
		if g, w := meanColour(got), meanColour(want); !closeMeans(g, w, 4) {
			t.Errorf("mean colour %v, the 8-bit version's %v", g, w)
		}
	})
	t.Run("animated GIF gives its first frame", func(t *testing.T) {
		got, err := render(fixture(t, "animated.gif"))
		if err != nil {
			t.Fatal(err)
		}
		if c := got.At(8, 5); !near(c, red, 2) {
			t.Errorf("pixel %v, want the red first frame", rgb(c))
		}
	})
	t.Run("transparency lies over white", func(t *testing.T) {
		got, err := render(fixture(t, "alpha.png"))
		if err != nil {
			t.Fatal(err)
		}
		if c := got.At(0, 0); !near(c, white, 0) {
			t.Errorf("corner %v, want white", rgb(c))
		}
	})
	jpg := fixture(t, "photo.jpg")
	for _, tc := range []struct {
		name string
		b    []byte
		kind fault.Kind
		code fault.Code
		want map[string]string
	}{
		{"zero bytes", nil, fault.Invalid, CodeImageEmpty, nil},
		{"corrupt", append([]byte{0xff, 0xd8, 0xff, 0xe0}, bytes.Repeat([]byte{0x5a}, 300)...), fault.Corrupt, CodeImageCorrupt, map[string]string{"format": "jpeg"}},
		{"truncated", jpg[:len(jpg)*2/3], fault.Corrupt, CodeImageCorrupt, map[string]string{"format": "jpeg"}},
		{"pixel bomb", pngHeaderOnly(100000, 100000), fault.Invalid, CodeImageTooManyPixels, map[string]string{"width": "100000"}},
		{"TIFF", fixture(t, "photo.tiff"), fault.Invalid, CodeImageUnsupportedFormat, map[string]string{"format": "tiff"}},
		{"BMP", fixture(t, "photo.bmp"), fault.Invalid, CodeImageUnsupportedFormat, map[string]string{"format": "bmp"}},
		{"SVG", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`), fault.Invalid, CodeImageUnsupportedFormat, map[string]string{"format": "svg"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := render(tc.b)
			wantFault(t, err, tc.kind, tc.code, tc.want)
		})
	}
	t.Run("truncated JPEG decoded at a reduced scale", func(t *testing.T) {
		big := encodeJPEGQ(t, synthetic(800, 600), 85)
		_, err := Render(big[:len(big)/2], Spec{Width: 40, Height: 30, Fit: FitExact, Format: FormatJPEG}, Limits{})
		wantFault(t, err, fault.Corrupt, CodeImageCorrupt, map[string]string{"format": "jpeg"})
	})
}

func TestSpecValidate(t *testing.T) {
	ok := Spec{Width: 10, Height: 10, Fit: FitFill, Format: FormatJPEG}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		field string
		edit  func(*Spec)
	}{
		{"width", func(s *Spec) { s.Width = 0 }},
		{"width", func(s *Spec) { s.Width = MaxRenditionSide + 1 }},
		{"height", func(s *Spec) { s.Height = -1 }},
		{"fit", func(s *Spec) { s.Fit = "cover" }},
		{"format", func(s *Spec) { s.Format = "webp" }},
		{"quality", func(s *Spec) { s.Quality = 101 }},
		{"focal", func(s *Spec) { s.Focal = &Point{1.2, 0} }},
		{"focal", func(s *Spec) { s.Focal = &Point{math.NaN(), 0} }},
		{"crop", func(s *Spec) { s.Crop = &Rect{0.5, 0, 0.5, 1} }},
		{"crop", func(s *Spec) { s.Crop = &Rect{0, 0, 1.5, 1} }},
		{"background", func(s *Spec) { s.Background = "red" }},
		{"background", func(s *Spec) { s.Background = "#12345g" }},
	} {
		s := ok
		tc.edit(&s)
		err := s.Validate()
		wantFault(t, err, fault.Invalid, CodeSpecInvalid, map[string]string{"field": tc.field})
		if _, err := Render(fixture(t, "photo.jpg"), s, Limits{}); fault.CodeOf(err) != CodeSpecInvalid {
			t.Errorf("Render accepted an invalid %s: %v", tc.field, err)
		}
	}
}

func TestSpecHash(t *testing.T) {
	base := Spec{Width: 1080, Height: 1080, Fit: FitFill, Format: FormatJPEG, Quality: 85, Focal: &Point{0.55, 0.45}}
	// A fixed value: a change here changes every cache key, which must come
	// with a RenditionVersion bump or a good reason.
	if got, want := base.Hash(), "fe27e6e0a9c148a581d56fa3669109aff25be511336916f61bf81f9ff7e6e32c"; got != want {
		t.Errorf("Spec.Hash of the reference spec is %s, was %s", got, want)
	}
	same := []Spec{
		{Width: 1080, Height: 1080, Fit: FitFill, Format: FormatJPEG, Quality: 0, Focal: &Point{0.55, 0.45}},                         // default quality
		{Width: 1080, Height: 1080, Fit: FitFill, Format: FormatJPEG, Quality: 85, Focal: &Point{0.55, 0.45}, Background: "#000000"}, // no letterbox in a fill
		{Width: 1080, Height: 1080, Fit: FitFill, Format: FormatJPEG, Quality: 85, Focal: &Point{0.55, 0.45}, Crop: &Rect{0, 0, 1, 1}},
	}
	for i, s := range same {
		if s.Hash() != base.Hash() {
			t.Errorf("same[%d] hashes differently from the equivalent spec", i)
		}
	}
	if a, b := (Spec{Width: 9, Height: 9, Fit: FitFit, Format: FormatPNG, Quality: 20, Focal: &Point{0, 0}}).Hash(),
		(Spec{Width: 9, Height: 9, Fit: FitFit, Format: FormatPNG, Background: "#FFFFFF"}).Hash(); a != b {
		t.Error("quality, focal point or white background changed a PNG fit's hash")
	}
	differ := []Spec{base}
	for _, edit := range []func(*Spec){
		func(s *Spec) { s.Width = 1081 },
		func(s *Spec) { s.Height = 1079 },
		func(s *Spec) { s.Fit = FitExact },
		func(s *Spec) { s.Format = FormatPNG },
		func(s *Spec) { s.Quality = 84 },
		func(s *Spec) { s.Focal = &Point{0.55, 0.46} },
		func(s *Spec) { s.Focal = nil },
		func(s *Spec) { s.Crop = &Rect{0, 0, 0.5, 0.5} },
		func(s *Spec) { s.Fit, s.Background = FitFit, "#1f4e79" },
	} {
		s := base
		edit(&s)
		differ = append(differ, s)
	}
	seen := map[string]int{}
	for i, s := range differ {
		if j, dup := seen[s.Hash()]; dup {
			t.Errorf("specs %d and %d differ in output but share a hash", j, i)
		}
		seen[s.Hash()] = i
	}
}

func TestPlanFor(t *testing.T) {
	for _, tc := range []struct {
		name          string
		w, h          int
		spec          Spec
		focal         Point
		region, frame image.Rectangle
		upscaled      bool
	}{
		{"fill clamps at the left", 4000, 3000, Spec{Width: 100, Height: 100, Fit: FitFill}, Point{0, 0.5}, image.Rect(0, 0, 3000, 3000), image.Rect(0, 0, 100, 100), false},
		{"fill clamps at the bottom", 4000, 3000, Spec{Width: 400, Height: 100, Fit: FitFill}, Point{0.5, 1}, image.Rect(0, 2000, 4000, 3000), image.Rect(0, 0, 400, 100), false},
		{"fill centres on the focal point", 4000, 3000, Spec{Width: 100, Height: 100, Fit: FitFill}, Point{0.5, 0.5}, image.Rect(500, 0, 3500, 3000), image.Rect(0, 0, 100, 100), false},
		{"fit centres the content", 400, 300, Spec{Width: 100, Height: 100, Fit: FitFit}, Point{}, image.Rect(0, 0, 400, 300), image.Rect(0, 12, 100, 87), false},
		{"exact uses everything", 400, 300, Spec{Width: 100, Height: 100, Fit: FitExact}, Point{}, image.Rect(0, 0, 400, 300), image.Rect(0, 0, 100, 100), false},
		{"small source is upscaled", 300, 200, Spec{Width: 1080, Height: 1080, Fit: FitFill}, Point{0.5, 0.5}, image.Rect(50, 0, 250, 200), image.Rect(0, 0, 1080, 1080), true},
		{"crop then fill", 1000, 1000, Spec{Width: 100, Height: 50, Fit: FitFill, Crop: &Rect{0.1, 0.1, 0.5, 0.9}}, Point{}, image.Rect(100, 400, 500, 600), image.Rect(0, 0, 100, 50), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := PlanFor(tc.w, tc.h, tc.spec, tc.focal)
			if p.Region != tc.region || p.Content != tc.frame || p.Upscaled() != tc.upscaled {
				t.Errorf("plan %+v, want region %v content %v upscaled %v", p, tc.region, tc.frame, tc.upscaled)
			}
		})
	}
}

// TestSmartCropFindsTheSubject: without a focal point, a fill frames the
// busy, saturated part of a plain picture.
func TestSmartCropFindsTheSubject(t *testing.T) {
	m := image.NewNRGBA(image.Rect(0, 0, 900, 300))
	for y := 0; y < 300; y++ {
		for x := 0; x < 900; x++ {
			c := color.NRGBA{200, 200, 205, 0xff}
			if x > 650 && x < 850 && y > 60 && y < 240 && (x/10+y/10)%2 == 0 {
				c = color.NRGBA{220, 30, 40, 0xff}
			}
			m.SetNRGBA(x, y, c)
		}
	}
	r, err := Render(encodePNG(t, m), Spec{Width: 100, Height: 100, Fit: FitFill, Format: FormatPNG}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Smart {
		t.Error("Smart = false without a focal point")
	}
	if r.Plan.Region.Min.X < 450 {
		t.Errorf("smart crop framed %v; the subject is at x 650–850", r.Plan.Region)
	}
}

// TestRenditionIsCloseToALanczosReference: the pyramid and the final
// filter, after a scaled JPEG decode, stay visually equal to one careful
// resize of the full image.
func TestRenditionIsCloseToALanczosReference(t *testing.T) {
	b := photo(t, 2400, 1600)
	full, _, err := Decode(b, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, spec := range []Spec{
		{Width: 600, Height: 200, Fit: FitFill, Format: FormatPNG, Focal: &Point{0.3, 0.6}},
		{Width: 300, Height: 300, Fit: FitFill, Format: FormatPNG, Focal: &Point{0.5, 0.5}},
		{Width: 1000, Height: 700, Fit: FitExact, Format: FormatPNG},
	} {
		t.Run(fmt.Sprintf("%dx%d", spec.Width, spec.Height), func(t *testing.T) {
			src, err := NewSource(b, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			r, err := src.Render(spec)
			if err != nil {
				t.Fatal(err)
			}
			ref := imaging.Resize(imaging.Crop(full, r.Plan.Region), spec.Width, spec.Height, imaging.Lanczos)
			psnr := PSNR(decodeOutput(t, r.Bytes), ref)
			t.Logf("PSNR %.1f dB against Lanczos", psnr)
			if psnr < 40 {
				t.Errorf("PSNR %.1f dB against a Lanczos resize, want ≥ 40", psnr)
			}
		})
	}
}

func TestRenditionIsDeterministic(t *testing.T) {
	b := photo(t, 1500, 1000)
	spec := Spec{Width: 320, Height: 320, Fit: FitFill, Format: FormatJPEG}
	first, err := Render(b, spec, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Render(b, spec, Limits{})
	if !bytes.Equal(first.Bytes, again.Bytes) {
		t.Error("the same source and spec gave different bytes")
	}
	// Other renditions of the same Source, made before, change nothing.
	src, err := NewSource(b, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, other := range []Spec{
		{Width: 90, Height: 30, Fit: FitFill, Format: FormatPNG},
		{Width: 1400, Height: 900, Fit: FitExact, Format: FormatJPEG},
		{Width: 320, Height: 200, Fit: FitFill, Format: FormatJPEG},
	} {
		if _, err := src.Render(other); err != nil {
			t.Fatal(err)
		}
	}
	shared, err := src.Render(spec)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes, shared.Bytes) {
		t.Error("a rendition's bytes depend on the renditions made before it from the same source")
	}
}

// FuzzRendition: guarded decode and every resize path never panic; a
// rendition has the spec's size, an error is one of ours. Seeds live in
// testdata/fuzz/FuzzRendition and run with every go test.
func FuzzRendition(f *testing.F) {
	f.Add(fixture(f, "photo.jpg"), uint8(20), uint8(10), uint8(0), uint8(128), uint8(128))
	f.Fuzz(func(t *testing.T, b []byte, w, h, mode, fx, fy uint8) {
		spec := Spec{
			Width: int(w%64) + 1, Height: int(h%64) + 1,
			Fit:    []string{FitFill, FitFit, FitExact}[mode%3],
			Format: []string{FormatPNG, FormatJPEG}[mode/3%2],
		}
		switch mode / 6 % 3 {
		case 1:
			spec.Focal = &Point{float64(fx) / 255, float64(fy) / 255}
		case 2:
			x0, y0 := float64(fx%128)/255, float64(fy%128)/255
			spec.Crop = &Rect{x0, y0, x0 + 0.5, y0 + 0.4}
		}
		r, err := Render(b, spec, Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20, MaxSide: 4096})
		if err != nil {
			if e, ok := fault.As(err); !ok || !strings.HasPrefix(string(e.Code), "image.") {
				t.Fatalf("Render = %v, want an image.* error", err)
			}
			return
		}
		cfg, _, err := image.DecodeConfig(bytes.NewReader(r.Bytes))
		if err != nil || cfg.Width != spec.Width || cfg.Height != spec.Height {
			t.Fatalf("rendition %dx%d (%v), want %dx%d", cfg.Width, cfg.Height, err, spec.Width, spec.Height)
		}
	})
}
