package adapt

import (
	"image"

	"github.com/disintegration/imaging"
	"github.com/muesli/smartcrop"
)

// smartSide is the longer side of the copy the smart crop looks at.
const smartSide = 384

// smartFocal returns the focal point a smart crop picks for a fill of
// w×h: the centre of the best w:h window that github.com/muesli/smartcrop
// (the analyser Hugo uses; edges, saturation and skin tones, with a
// rule-of-thirds bias) finds. It looks at a small upright copy taken from
// the pyramid, never at the full image: its per-pixel analysis and window
// search cost seconds and several full-size RGBA copies on a 24 MP photo,
// and milliseconds on 384 pixels, where a window's position is still known
// to within a percent of the side. Any failure falls back to the centre.
func (s *Source) smartFocal(w, h int) Point {
	g := gcd(w, h)
	key := [2]int{w / g, h / g}
	if p, ok := s.smart[key]; ok {
		return p
	}
	p := Point{0.5, 0.5}
	if s.smallCopy == nil {
		s.smallCopy = s.small()
	}
	small := s.smallCopy
	if r, err := findCrop(small, w, h); err == nil && !r.Empty() {
		b := small.Bounds()
		p = Point{
			X: clampUnit((float64(r.Min.X+r.Max.X)/2 - float64(b.Min.X)) / float64(b.Dx())),
			Y: clampUnit((float64(r.Min.Y+r.Max.Y)/2 - float64(b.Min.Y)) / float64(b.Dy())),
		}
	}
	s.smart[key] = p
	return p
}

// small returns an upright copy of the source no larger than smartSide,
// from the smallest pyramid level that is still larger.
func (s *Source) small() *image.NRGBA {
	l := 0
	for {
		b := s.levelBounds(l + 1)
		if max(b.Dx(), b.Dy()) < smartSide {
			break
		}
		l++
	}
	t := Thumbnail(s.level(l), smartSide)
	if o := s.info.Orientation; o != 1 {
		t = orient(t, o).(*image.NRGBA)
	}
	return t
}

// findCrop runs the analyser, turning a panic into an error.
func findCrop(img image.Image, w, h int) (r image.Rectangle, err error) {
	err = guard(func() error {
		var e error
		r, e = smartcrop.NewAnalyzer(linearResizer{}).FindBestCrop(img, w, h)
		return e
	})
	return r, err
}

// linearResizer is the smartcrop.Resizer: imaging's, deterministic, and
// without the unmaintained resize package smartcrop suggests.
type linearResizer struct{}

func (linearResizer) Resize(img image.Image, w, h uint) image.Image {
	return imaging.Resize(img, int(w), int(h), imaging.Linear)
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return max(a, 1)
}
