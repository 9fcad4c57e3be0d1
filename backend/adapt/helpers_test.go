package adapt

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"testing"

	"github.com/outpost-studio/outpost/backend/fault"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wantFault checks err's kind, code and the given params.
func wantFault(t *testing.T, err error, kind fault.Kind, code fault.Code, params map[string]string) {
	t.Helper()
	e, ok := fault.As(err)
	if !ok {
		t.Fatalf("err = %v, want a *fault.Error with code %s", err, code)
	}
	if e.Code != code || e.Kind != kind {
		t.Fatalf("err = %v (kind %s), want code %s kind %s", err, e.Kind, code, kind)
	}
	for k, v := range params {
		if e.Params[k] != v {
			t.Errorf("param %s = %q, want %q (err %v)", k, e.Params[k], v, err)
		}
	}
}

// near reports whether c is within tol of want on each of R, G and B.
func near(c color.Color, want color.NRGBA, tol int) bool {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	d := func(a, b uint8) bool { return int(a)-int(b) <= tol && int(b)-int(a) <= tol }
	return d(n.R, want.R) && d(n.G, want.G) && d(n.B, want.B)
}

func rgb(c color.Color) color.NRGBA { return color.NRGBAModel.Convert(c).(color.NRGBA) }

var (
	red    = color.NRGBA{0xff, 0, 0, 0xff}
	lime   = color.NRGBA{0, 0xff, 0, 0xff}
	blue   = color.NRGBA{0, 0, 0xff, 0xff}
	yellow = color.NRGBA{0xff, 0xff, 0, 0xff}
	white  = color.NRGBA{0xff, 0xff, 0xff, 0xff}
)

// checkQuadrants checks the upright test picture: red top-left, lime
// top-right, blue bottom-left, yellow bottom-right.
func checkQuadrants(t *testing.T, img image.Image) {
	t.Helper()
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	for _, q := range []struct {
		name string
		x, y int
		want color.NRGBA
	}{
		{"top-left", w / 4, h / 4, red},
		{"top-right", 3 * w / 4, h / 4, lime},
		{"bottom-left", w / 4, 3 * h / 4, blue},
		{"bottom-right", 3 * w / 4, 3 * h / 4, yellow},
	} {
		if c := img.At(r.Min.X+q.x, r.Min.Y+q.y); !near(c, q.want, 40) {
			t.Errorf("%s quadrant is %v, want %v", q.name, rgb(c), q.want)
		}
	}
}

// quadrants draws the upright test picture, w×h.
func quadrants(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := [2][2]color.NRGBA{{red, lime}, {blue, yellow}}[2*y/h][2*x/w]
			m.SetNRGBA(x, y, c)
		}
	}
	return m
}

// pngChunk appends one PNG chunk with its CRC.
func pngChunk(b *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	b.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	b.WriteString(typ)
	b.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	b.Write(n[:])
}

// pngHeaderOnly is a well-formed PNG signature and IHDR declaring w×h RGBA
// pixels, followed by a few bytes of image data and the end chunk.
func pngHeaderOnly(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	pngChunk(&b, "IHDR", ihdr)
	pngChunk(&b, "IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	pngChunk(&b, "IEND", nil)
	return b.Bytes()
}

// withAPNGControl inserts an acTL chunk declaring frames after a PNG's IHDR.
func withAPNGControl(png []byte, frames uint32) []byte {
	const ihdrEnd = 8 + 8 + 13 + 4
	var b bytes.Buffer
	b.Write(png[:ihdrEnd])
	actl := make([]byte, 8)
	binary.BigEndian.PutUint32(actl, frames)
	pngChunk(&b, "acTL", actl)
	b.Write(png[ihdrEnd:])
	return b.Bytes()
}

// riffChunk returns one RIFF chunk, padded to an even length.
func riffChunk(id string, data []byte) []byte {
	var b bytes.Buffer
	writeChunk(&b, id, data)
	return b.Bytes()
}

// webpFile wraps chunks in a RIFF WEBP container.
func webpFile(chunks ...[]byte) []byte {
	body := bytes.Join(chunks, nil)
	out := []byte("RIFF\x00\x00\x00\x00WEBP")
	binary.LittleEndian.PutUint32(out[4:], uint32(len(body)+4))
	return append(out, body...)
}

func put24(b []byte, v int) { b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16) }

// vp8x is the extended-format header chunk: flags and canvas size.
func vp8x(flags byte, w, h int) []byte {
	d := make([]byte, 10)
	d[0] = flags
	put24(d[4:], w-1)
	put24(d[7:], h-1)
	return riffChunk("VP8X", d)
}

// anmf is an animation frame chunk at (x, y), x and y even, of w×h pixels.
func anmf(x, y, w, h int, frameData ...[]byte) []byte {
	d := make([]byte, 16)
	put24(d[0:], x/2)
	put24(d[3:], y/2)
	put24(d[6:], w-1)
	put24(d[9:], h-1)
	put24(d[12:], 100) // duration, ms
	return riffChunk("ANMF", append(d, bytes.Join(frameData, nil)...))
}

// firstChunk returns the data of the first top-level chunk id of a WebP.
func firstChunk(t *testing.T, webpData []byte, id string) []byte {
	t.Helper()
	var found []byte
	webpChunks(webpData, func(cid string, data []byte) bool {
		if cid == id {
			found = data
			return false
		}
		return true
	})
	if found == nil {
		t.Fatalf("no %q chunk", id)
	}
	return found
}
