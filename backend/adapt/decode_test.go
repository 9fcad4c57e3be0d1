package adapt

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/webp"

	"github.com/outpost-studio/outpost/backend/fault"
)

func TestDecodeReadsEveryAcceptedFormat(t *testing.T) {
	for _, tc := range []struct {
		file     string
		format   string
		w, h     int
		animated bool
		model    color.Model // of the decoded image
	}{
		{"photo.jpg", FormatJPEG, 96, 64, false, color.YCbCrModel},
		{"progressive.jpg", FormatJPEG, 96, 64, false, color.YCbCrModel},
		{"gray.jpg", FormatJPEG, 96, 64, false, color.GrayModel},
		{"cmyk.jpg", FormatJPEG, 64, 64, false, color.CMYKModel},
		{"photo.png", FormatPNG, 96, 64, false, color.RGBAModel},
		{"alpha.png", FormatPNG, 80, 60, false, color.NRGBAModel},
		{"photo16.png", FormatPNG, 32, 21, false, color.RGBA64Model},
		{"photo.gif", FormatGIF, 96, 64, false, nil},
		{"animated.gif", FormatGIF, 40, 30, true, nil},
		{"photo.webp", FormatWebP, 96, 64, false, color.YCbCrModel},
		{"alpha.webp", FormatWebP, 80, 60, false, color.NRGBAModel},
		{"animated.webp", FormatWebP, 40, 30, true, color.NRGBAModel},
	} {
		t.Run(tc.file, func(t *testing.T) {
			b := fixture(t, tc.file)
			want := Info{Format: tc.format, Width: tc.w, Height: tc.h, Animated: tc.animated, Orientation: 1}

			info, err := DecodeConfig(b, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if info != want {
				t.Errorf("DecodeConfig = %+v, want %+v", info, want)
			}

			img, info, err := Decode(b, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if info != want {
				t.Errorf("Decode info = %+v, want %+v", info, want)
			}
			if got := img.Bounds(); got != image.Rect(0, 0, tc.w, tc.h) {
				t.Errorf("bounds = %v, want %dx%d", got, tc.w, tc.h)
			}
			if tc.model != nil && img.ColorModel() != tc.model {
				t.Errorf("colour model = %T, want %T", img.ColorModel(), tc.model)
			}
		})
	}
}

// TestDecodeRefusesFormatsTheRegistryKnows: imaging registers BMP and TIFF
// decoders with the image package, so image.Decode would read them; Decode
// must not.
func TestDecodeRefusesFormatsTheRegistryKnows(t *testing.T) {
	for _, tc := range []struct{ file, format string }{
		{"photo.bmp", "bmp"},
		{"photo.tiff", "tiff"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			b := fixture(t, tc.file)
			if _, name, err := image.DecodeConfig(bytes.NewReader(b)); err != nil || name != tc.format {
				t.Fatalf("precondition: image.DecodeConfig = %q, %v; is imaging still registering %s?", name, err, tc.format)
			}
			_, _, err := Decode(b, DefaultLimits())
			wantFault(t, err, fault.Invalid, CodeImageUnsupportedFormat, map[string]string{"format": tc.format})
			_, err = DecodeConfig(b, DefaultLimits())
			wantFault(t, err, fault.Invalid, CodeImageUnsupportedFormat, map[string]string{"format": tc.format})
		})
	}
}

func TestDecodeRefusesBadInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(rng.Uint32())
	}
	garbage[0] = 0 // no magic by chance
	jpg, png, gifData, webpData := fixture(t, "photo.jpg"), fixture(t, "photo.png"), fixture(t, "photo.gif"), fixture(t, "photo.webp")
	sof := bytes.Index(jpg, []byte{0xff, 0xc0})
	arithmetic := bytes.Clone(jpg)
	arithmetic[sof+1] = 0xc9 // SOF9: arithmetic coding, which Go does not decode
	twelveBit := bytes.Clone(jpg)
	twelveBit[sof+4] = 12

	for _, tc := range []struct {
		name   string
		b      []byte
		lim    Limits
		kind   fault.Kind
		code   fault.Code
		params map[string]string
	}{
		{"zero bytes", nil, Limits{}, fault.Invalid, CodeImageEmpty, nil},
		{"empty slice", []byte{}, Limits{}, fault.Invalid, CodeImageEmpty, nil},
		{"more bytes than allowed", jpg, Limits{MaxBytes: 1000}, fault.Invalid, CodeImageTooLarge,
			map[string]string{"bytes": strconv.Itoa(len(jpg)), "max": "1000"}},
		{"random garbage", garbage, Limits{}, fault.Invalid, CodeImageUnsupportedFormat, map[string]string{"format": "unknown"}},
		{"text", []byte("hello, world"), Limits{}, fault.Invalid, CodeImageUnsupportedFormat, map[string]string{"format": "unknown"}},
		{"HEIC", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), Limits{}, fault.Invalid, CodeImageUnsupportedFormat, map[string]string{"format": "heic"}},
		{"AVIF", []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf"), Limits{}, fault.Invalid, CodeImageUnsupportedFormat, map[string]string{"format": "avif"}},
		{"SVG", []byte("\xef\xbb\xbf<?xml version=\"1.0\"?><svg/>"), Limits{}, fault.Invalid, CodeImageUnsupportedFormat, map[string]string{"format": "svg"}},
		{"JPEG magic only", []byte{0xff, 0xd8, 0xff}, Limits{}, fault.Corrupt, CodeImageCorrupt, map[string]string{"format": "jpeg"}},
		{"JPEG cut in half", jpg[:len(jpg)/2], Limits{}, fault.Corrupt, CodeImageCorrupt, map[string]string{"format": "jpeg"}},
		{"JPEG cut before the last bytes", jpg[:len(jpg)-10], Limits{}, fault.Corrupt, CodeImageCorrupt, map[string]string{"format": "jpeg"}},
		{"arithmetic-coded JPEG", arithmetic, Limits{}, fault.Invalid, CodeImageUnsupportedFormat, map[string]string{"format": "jpeg"}},
		{"12-bit JPEG", twelveBit, Limits{}, fault.Invalid, CodeImageUnsupportedFormat, map[string]string{"format": "jpeg"}},
		{"PNG signature only", png[:8], Limits{}, fault.Corrupt, CodeImageCorrupt, map[string]string{"format": "png"}},
		{"PNG cut in half", png[:len(png)/2], Limits{}, fault.Corrupt, CodeImageCorrupt, map[string]string{"format": "png"}},
		{"PNG without pixel data", pngHeaderOnly(64, 64), Limits{}, fault.Corrupt, CodeImageCorrupt, map[string]string{"format": "png"}},
		{"PNG of zero width", pngHeaderOnly(0, 64), Limits{}, fault.Corrupt, CodeImageCorrupt, map[string]string{"format": "png"}},
		{"GIF cut in half", gifData[:len(gifData)/2], Limits{}, fault.Corrupt, CodeImageCorrupt, map[string]string{"format": "gif"}},
		{"WebP cut in half", webpData[:len(webpData)/2], Limits{}, fault.Corrupt, CodeImageCorrupt, map[string]string{"format": "webp"}},
		{"JPEG wider than MaxSide", jpg, Limits{MaxSide: 50}, fault.Invalid, CodeImageTooManyPixels,
			map[string]string{"width": "96", "height": "64", "side": "50", "max": "100000000"}},
		{"JPEG with more pixels than MaxPixels", jpg, Limits{MaxPixels: 96*64 - 1}, fault.Invalid, CodeImageTooManyPixels,
			map[string]string{"width": "96", "height": "64", "max": "6143", "side": "16384"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Decode(tc.b, tc.lim)
			wantFault(t, err, tc.kind, tc.code, tc.params)
			if e, _ := fault.As(err); e.Op != "adapt.Decode" {
				t.Errorf("op = %q, want adapt.Decode", e.Op)
			}
		})
	}
}

// bombs are small files whose headers declare far more pixels than
// DefaultLimits allow, one per accepted format.
func bombs(t testing.TB) []struct {
	name   string
	b      []byte
	format string
	w, h   string
} {
	jpg := bytes.Clone(fixture(t, "photo.jpg"))
	sof := bytes.Index(jpg, []byte{0xff, 0xc0})
	if sof < 0 {
		t.Fatal("photo.jpg has no baseline SOF0 marker")
	}
	binary.BigEndian.PutUint16(jpg[sof+5:], 60000) // height
	binary.BigEndian.PutUint16(jpg[sof+7:], 60000) // width

	gifData := bytes.Clone(fixture(t, "photo.gif"))
	binary.LittleEndian.PutUint16(gifData[6:], 65535)
	binary.LittleEndian.PutUint16(gifData[8:], 65535)

	return []struct {
		name   string
		b      []byte
		format string
		w, h   string
	}{
		{"PNG declaring 100000x100000", pngHeaderOnly(100000, 100000), "png", "100000", "100000"},
		{"PNG declaring 1x2000000000", pngHeaderOnly(1, 2000000000), "png", "1", "2000000000"},
		{"JPEG declaring 60000x60000", jpg, "jpeg", "60000", "60000"},
		{"GIF declaring 65535x65535", gifData, "gif", "65535", "65535"},
		{"WebP declaring 16384x16384", webpFile(vp8x(0, 16384, 16384), riffChunk("VP8L", []byte{0x2f, 0xff, 0xff, 0xff, 0x0f})), "webp", "16384", "16384"},
	}
}

// TestDecodeRefusesPixelBombsFromTheHeader: the refusal names the size only
// the header declares, and costs a few kilobytes, not gigabytes.
func TestDecodeRefusesPixelBombsFromTheHeader(t *testing.T) {
	for _, tc := range bombs(t) {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, _, err := Decode(tc.b, DefaultLimits())
			if d := time.Since(start); d > time.Second {
				t.Errorf("refusal took %v", d)
			}
			wantFault(t, err, fault.Invalid, CodeImageTooManyPixels, map[string]string{"width": tc.w, "height": tc.h})

			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			allocs := testing.AllocsPerRun(20, func() { _, _, _ = Decode(tc.b, DefaultLimits()) })
			runtime.ReadMemStats(&after)
			perCall := (after.TotalAlloc - before.TotalAlloc) / 21
			if allocs > 300 || perCall > 64<<10 { // a GIF's palette is 256 small allocations
				t.Errorf("refusing costs %.0f allocations and %d bytes per call; the header alone should decide", allocs, perCall)
			}
			_, _, err = EncodeThumbnail(tc.b, 64, DefaultLimits())
			wantFault(t, err, fault.Invalid, CodeImageTooManyPixels, nil)
		})
	}
}

func TestDecodeAnimatedGIFGivesTheFirstFrame(t *testing.T) {
	img, info, err := Decode(fixture(t, "animated.gif"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if !info.Animated {
		t.Error("Animated = false")
	}
	if c := img.At(20, 15); !near(c, red, 0) {
		t.Errorf("first frame's pixel = %v, want red", rgb(c))
	}
}

// TestDecodeGIFFrameSmallerThanTheScreen: a first frame that covers part
// of the logical screen is shown in place, the rest transparent.
func TestDecodeGIFFrameSmallerThanTheScreen(t *testing.T) {
	frame := image.NewPaletted(image.Rect(6, 4, 16, 12), color.Palette{red, blue})
	var b bytes.Buffer
	err := gif.EncodeAll(&b, &gif.GIF{
		Image:  []*image.Paletted{frame},
		Delay:  []int{0},
		Config: image.Config{Width: 20, Height: 16, ColorModel: frame.Palette},
	})
	if err != nil {
		t.Fatal(err)
	}
	img, info, err := Decode(b.Bytes(), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds() != image.Rect(0, 0, 20, 16) || info.Width != 20 || info.Height != 16 {
		t.Fatalf("bounds %v, info %+v; want the 20x16 screen", img.Bounds(), info)
	}
	if _, _, _, a := img.At(1, 1).RGBA(); a != 0 {
		t.Errorf("outside the frame alpha = %d, want transparent", a)
	}
	if c := img.At(10, 8); !near(c, red, 0) {
		t.Errorf("inside the frame = %v, want red", rgb(c))
	}
}

func TestDecodeAPNGIsMarkedAnimated(t *testing.T) {
	png := fixture(t, "photo.png")
	for _, tc := range []struct {
		frames uint32
		want   bool
	}{{2, true}, {1, false}} {
		img, info, err := Decode(withAPNGControl(png, tc.frames), DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if info.Animated != tc.want || img.Bounds().Dx() != 96 {
			t.Errorf("acTL with %d frames: Animated = %v, bounds %v", tc.frames, info.Animated, img.Bounds())
		}
	}
}

func TestDecodeAnimatedWebPGivesTheFirstFrame(t *testing.T) {
	img, info, err := Decode(fixture(t, "animated.webp"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if !info.Animated {
		t.Error("Animated = false")
	}
	if c := img.At(20, 15); !near(c, red, 0) {
		t.Errorf("first frame's pixel = %v, want red", rgb(c))
	}
}

// TestDecodeAnimatedWebPFrames covers frames the fixture does not: a lossy
// frame placed inside a larger canvas, and frames that lie about their size.
func TestDecodeAnimatedWebPFrames(t *testing.T) {
	still := fixture(t, "photo.webp")
	vp8 := riffChunk("VP8 ", firstChunk(t, still, "VP8 "))
	want, err := webp.Decode(bytes.NewReader(still))
	if err != nil {
		t.Fatal(err)
	}
	anim := riffChunk("ANIM", make([]byte, 6))

	t.Run("frame inside the canvas", func(t *testing.T) {
		b := webpFile(vp8x(0x02, 200, 100), anim, anmf(20, 10, 96, 64, vp8))
		img, info, err := Decode(b, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if !info.Animated || img.Bounds() != image.Rect(0, 0, 200, 100) {
			t.Fatalf("info %+v, bounds %v", info, img.Bounds())
		}
		if _, _, _, a := img.At(5, 5).RGBA(); a != 0 {
			t.Errorf("outside the frame alpha = %d, want transparent", a)
		}
		if got, w := img.At(20+48, 10+32), rgb(want.At(48, 32)); !near(got, w, 2) {
			t.Errorf("inside the frame = %v, want %v", rgb(got), w)
		}
	})

	huge := riffChunk("VP8L", []byte{0x2f, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0, 0, 0, 0, 0}) // 16384x16384
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"frame outside the canvas", webpFile(vp8x(0x02, 100, 100), anim, anmf(20, 10, 96, 64, vp8))},
		{"frame bitstream larger than the frame", webpFile(vp8x(0x02, 100, 100), anim, anmf(0, 0, 10, 10, huge))},
		{"frame bitstream of another size", webpFile(vp8x(0x02, 100, 100), anim, anmf(0, 0, 90, 60, vp8))},
		{"no frame", webpFile(vp8x(0x02, 100, 100), anim)},
		{"frame without image data", webpFile(vp8x(0x02, 100, 100), anim, anmf(0, 0, 10, 10))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, _, err := Decode(tc.b, DefaultLimits())
			runtime.ReadMemStats(&after)
			wantFault(t, err, fault.Corrupt, CodeImageCorrupt, map[string]string{"format": "webp"})
			if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
				t.Errorf("refusing allocated %d bytes", n)
			}
		})
	}
}

// TestDecodeNeverPanicsOnTruncatedFiles cuts every fixture at many lengths:
// each cut decodes or fails with one of our errors.
func TestDecodeNeverPanicsOnTruncatedFiles(t *testing.T) {
	for _, name := range fixtureNames(t) {
		b := fixture(t, name)
		step := max(1, len(b)/150)
		for n := 0; n < len(b); n += step {
			checkDecode(t, b[:n], DefaultLimits())
		}
	}
}

func fixtureNames(t testing.TB) []string {
	var names []string
	for _, pattern := range []string{"*.jpg", "*.png", "*.gif", "*.webp", "*.bmp", "*.tiff"} {
		m, err := filepath.Glob(filepath.Join("testdata", pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range m {
			names = append(names, filepath.Base(p))
		}
	}
	if len(names) < 15 {
		t.Fatalf("found %d fixtures; run testdata/make-fixtures.sh", len(names))
	}
	return names
}

// checkDecode decodes b and checks the invariants: an error is one of ours;
// a success agrees with DecodeConfig and with its own size.
func checkDecode(t *testing.T, b []byte, lim Limits) {
	t.Helper()
	img, info, err := Decode(b, lim)
	if err != nil {
		e, ok := fault.As(err)
		if !ok || !strings.HasPrefix(string(e.Code), "image.") {
			t.Fatalf("Decode(%d bytes) = %v, want one of the image.* errors", len(b), err)
		}
		return
	}
	if img.Bounds().Dx() != info.Width || img.Bounds().Dy() != info.Height {
		t.Fatalf("bounds %v, info %+v", img.Bounds(), info)
	}
	if cfg, err := DecodeConfig(b, lim); err != nil || cfg != info {
		t.Fatalf("DecodeConfig = %+v, %v; Decode said %+v", cfg, err, info)
	}
	if th := Thumbnail(img, 16); th.Rect.Dx() > 16 || th.Rect.Dy() > 16 || th.Rect.Empty() {
		t.Fatalf("thumbnail %v", th.Rect)
	}
}

// FuzzDecode: no input panics, and every answer keeps the invariants of
// checkDecode. The limits are small so that the fuzzer cannot spend its
// time allocating big canvases.
func FuzzDecode(f *testing.F) {
	for _, name := range fixtureNames(f) {
		f.Add(fixture(f, name))
	}
	for _, b := range bombs(f) {
		f.Add(b.b)
	}
	jpg := fixture(f, "photo.jpg")
	f.Add(withSegment(jpg, exifAPP1(binary.BigEndian, 6)))
	f.Add(withSegment(jpg, exifAPP1(binary.LittleEndian, 8)))
	f.Add(withAPNGControl(fixture(f, "photo.png"), 3))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkDecode(t, b, Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20, MaxSide: 4096})
	})
}

func TestGuardTurnsAPanicIntoAnError(t *testing.T) {
	err := guard(func() error {
		var s []byte
		_ = s[1]
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "index out of range") {
		t.Fatalf("guard = %v, want the panic as an error", err)
	}
}
