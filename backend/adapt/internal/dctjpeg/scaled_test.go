package dctjpeg

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// picture draws smooth colour fields with some detail, w×h.
func picture(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			m.SetNRGBA(x, y, color.NRGBA{
				uint8(128 + 100*math.Sin(6*fx+2*fy)),
				uint8(128 + 100*math.Sin(5*fy-3*fx+1)),
				uint8(128 + 60*math.Cos(9*fx*fy) + 20*math.Sin(float64(x+y)/7)),
				0xff,
			})
		}
	}
	return m
}

// plane is one channel of a decoded image.
type plane struct {
	pix    []uint8
	stride int
	w, h   int
}

// planes returns the channels a decoder fills, at their own resolution.
func planes(img image.Image) []plane {
	switch m := img.(type) {
	case *image.YCbCr:
		last := m.COffset(m.Rect.Max.X-1, m.Rect.Max.Y-1)
		cx, cy := last%m.CStride+1, last/m.CStride+1
		return []plane{
			{m.Y, m.YStride, m.Rect.Dx(), m.Rect.Dy()},
			{m.Cb, m.CStride, cx, cy},
			{m.Cr, m.CStride, cx, cy},
		}
	case *image.Gray:
		return []plane{{m.Pix, m.Stride, m.Rect.Dx(), m.Rect.Dy()}}
	case *image.CMYK:
		var out []plane
		for c := 0; c < 4; c++ {
			p := plane{w: m.Rect.Dx(), h: m.Rect.Dy(), stride: m.Rect.Dx()}
			p.pix = make([]uint8, p.w*p.h)
			for y := 0; y < p.h; y++ {
				for x := 0; x < p.w; x++ {
					p.pix[y*p.w+x] = m.Pix[y*m.Stride+4*x+c]
				}
			}
			out = append(out, p)
		}
		return out
	}
	panic(fmt.Sprintf("unexpected %T", img))
}

// meanDiff is the mean absolute difference between a scaled plane and the
// full plane averaged over scale×scale blocks.
func meanDiff(got, full plane, scale int) float64 {
	var sum float64
	for oy := 0; oy < got.h; oy++ {
		for ox := 0; ox < got.w; ox++ {
			var s, n float64
			for y := oy * scale; y < min((oy+1)*scale, full.h); y++ {
				for x := ox * scale; x < min((ox+1)*scale, full.w); x++ {
					s += float64(full.pix[y*full.stride+x])
					n++
				}
			}
			if n > 0 {
				sum += math.Abs(float64(got.pix[oy*got.stride+ox]) - s/n)
			}
		}
	}
	return sum / float64(got.w*got.h)
}

func inputs(t *testing.T) map[string][]byte {
	t.Helper()
	in := map[string][]byte{}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, picture(203, 117), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	in["synthetic 4:2:0 203x117"] = buf.Bytes()
	for _, name := range []string{"photo.jpg", "progressive.jpg", "gray.jpg", "cmyk.jpg", "orient6.jpg"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		in[name] = b
	}
	return in
}

// TestDecodeScaledAtOneIsTheStandardDecoder: the fork changes nothing at
// full scale.
func TestDecodeScaledAtOneIsTheStandardDecoder(t *testing.T) {
	for name, b := range inputs(t) {
		want, err := jpeg.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeScaled(bytes.NewReader(b), 1)
		if err != nil {
			t.Fatal(err)
		}
		if got.Bounds() != want.Bounds() {
			t.Fatalf("%s: bounds %v, want %v", name, got.Bounds(), want.Bounds())
		}
		for y := 0; y < want.Bounds().Dy(); y++ {
			for x := 0; x < want.Bounds().Dx(); x++ {
				if got.At(x, y) != want.At(x, y) {
					t.Fatalf("%s: pixel (%d,%d) = %v, want %v", name, x, y, got.At(x, y), want.At(x, y))
				}
			}
		}
	}
}

// TestDecodeScaledApproximatesABoxMean: at 1/2, 1/4 and 1/8 every plane
// (luma, chroma at its own resolution, black) is close to the full
// decode's averaged over blocks; at 1/8 it is that mean, up to rounding.
func TestDecodeScaledApproximatesABoxMean(t *testing.T) {
	for name, b := range inputs(t) {
		full, err := jpeg.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		for _, scale := range []int{2, 4, 8} {
			t.Run(fmt.Sprintf("%s/1:%d", name, scale), func(t *testing.T) {
				got, err := DecodeScaled(bytes.NewReader(b), scale)
				if err != nil {
					t.Fatal(err)
				}
				fb := full.Bounds()
				want := image.Rect(0, 0, (fb.Dx()+scale-1)/scale, (fb.Dy()+scale-1)/scale)
				if got.Bounds() != want {
					t.Fatalf("bounds %v, want %v", got.Bounds(), want)
				}
				gp, fp := planes(got), planes(full)
				if len(gp) != len(fp) {
					t.Fatalf("%d planes, want %d", len(gp), len(fp))
				}
				for i := range gp {
					if d := meanDiff(gp[i], fp[i], scale); d > 1.5 {
						t.Errorf("plane %d: mean difference from the block mean %.2f, want ≤ 1.5", i, d)
					}
				}
			})
		}
	}
}

// TestDecodeScaledRefusesWhatDecodeRefuses: damage is reported, never a
// panic, at every scale.
func TestDecodeScaledRefusesWhatDecodeRefuses(t *testing.T) {
	for name, b := range inputs(t) {
		for n := 0; n < len(b); n += max(1, len(b)/97) {
			_, stdErr := jpeg.Decode(bytes.NewReader(b[:n]))
			for _, scale := range []int{1, 2, 8} {
				if _, err := DecodeScaled(bytes.NewReader(b[:n]), scale); (err == nil) != (stdErr == nil) {
					t.Fatalf("%s cut at %d, 1/%d: err %v, the standard decoder says %v", name, n, scale, err, stdErr)
				}
			}
		}
	}
}
