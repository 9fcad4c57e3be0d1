package adapt

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"

	"github.com/disintegration/imaging"

	"github.com/outpost-studio/outpost/backend/adapt/internal/dctjpeg"
	"github.com/outpost-studio/outpost/backend/fault"
)

// Plan is the geometry of one rendition of a w×h upright source: which
// region of the source it shows and where that lands in the frame.
type Plan struct {
	Region  image.Rectangle // upright source pixels
	Content image.Rectangle // output pixels the region fills: the frame, but for a fit
	// Upscale is output pixels per source pixel along the more enlarged
	// axis; above 1 the rendition has less detail than its size promises.
	Upscale float64
}

// Upscaled reports whether the rendition enlarges its source.
func (p Plan) Upscaled() bool { return p.Upscale > 1.0001 }

// PlanFor lays spec out on a w×h upright source whose fill keeps focal in
// view (fractions; ignored unless spec is a fill without a manual crop).
// The region's size never depends on focal, only its position does.
func PlanFor(w, h int, spec Spec, focal Point) Plan {
	W, H := float64(w), float64(h)
	bx0, by0, bx1, by1 := 0.0, 0.0, W, H
	if c := spec.Crop; c != nil {
		bx0, by0, bx1, by1 = c.X0*W, c.Y0*H, c.X1*W, c.Y1*H
		focal = Point{(c.X0 + c.X1) / 2, (c.Y0 + c.Y1) / 2}
	}
	bw, bh := bx1-bx0, by1-by0
	frame := image.Rect(0, 0, spec.Width, spec.Height)
	p := Plan{Content: frame}
	rx0, ry0, rw, rh := bx0, by0, bw, bh
	switch spec.Fit {
	case FitFill:
		a := float64(spec.Width) / float64(spec.Height)
		if bw/bh > a {
			rw = bh * a
		} else {
			rh = bw / a
		}
		rx0 = math.Max(bx0, math.Min(bx1-rw, clampUnit(focal.X)*W-rw/2))
		ry0 = math.Max(by0, math.Min(by1-rh, clampUnit(focal.Y)*H-rh/2))
	case FitFit:
		k := math.Min(float64(spec.Width)/bw, float64(spec.Height)/bh)
		cw := min(spec.Width, max(1, int(math.Round(bw*k))))
		ch := min(spec.Height, max(1, int(math.Round(bh*k))))
		x0, y0 := (spec.Width-cw)/2, (spec.Height-ch)/2
		p.Content = image.Rect(x0, y0, x0+cw, y0+ch)
	}
	x0, y0 := int(math.Round(rx0)), int(math.Round(ry0))
	x1, y1 := int(math.Round(rx0+rw)), int(math.Round(ry0+rh))
	x0, y0 = min(max(x0, 0), w-1), min(max(y0, 0), h-1)
	x1, y1 = min(max(x1, x0+1), w), min(max(y1, y0+1), h)
	p.Region = image.Rect(x0, y0, x1, y1)
	p.Upscale = math.Max(float64(p.Content.Dx())/float64(p.Region.Dx()), float64(p.Content.Dy())/float64(p.Region.Dy()))
	return p
}

// Rendition is one encoded rendition and how it was made.
type Rendition struct {
	Bytes  []byte
	Width  int
	Height int
	Plan   Plan
	Smart  bool // a smart crop chose the fill's position (no focal point, no crop)
}

// Source is one image decoded once, from which any number of renditions
// are derived. It keeps the decoded pixels as stored (orientation applied
// to each small output, not to the big source) and a pyramid of 2× box
// reductions built on demand. It is not safe for concurrent use: run one
// Source per goroutine.
type Source struct {
	info   Info
	stored image.Image      // as stored
	size   image.Point      // stored size
	levels []*image.NRGBA   // levels[i] is stored shrunk 2^(i+1) times
	smart  map[[2]int]Point // smart-crop focal points by reduced aspect
	// smallCopy is what the smart crop looks at, made once.
	smallCopy *image.NRGBA
	// filter makes the last, non-integer step of every rendition, from a
	// pyramid level between two and four times the output size (or from
	// the decoded pixels when the source is not that large). Catmull-Rom
	// keeps the detail a designer expects; BenchmarkRenditionFilters
	// measures it against linear.
	filter imaging.ResampleFilter
}

// NewSource decodes b within lim, once, for any number of renditions.
//
// Unlike EncodeThumbnail it always decodes at full scale: a rendition's
// bytes must depend on its source and its own spec only, never on which
// other renditions share the decode or are already cached. (A DCT-scaled
// decode chosen for the set of specs would make a preset's bytes change
// when another preset is added; per-spec scaled decodes would cost a decode
// per scale, and at 1/2 Go's decoder saves little: entropy decoding
// dominates.)
func NewSource(b []byte, lim Limits) (*Source, error) {
	const op = "adapt.NewSource"
	img, h, err := decodeStored(b, lim.orDefault(), op)
	if err != nil {
		return nil, err
	}
	return &Source{info: h.Info, stored: img, size: h.stored, smart: map[[2]int]Point{}, filter: imaging.CatmullRom}, nil
}

// Info describes the source as DecodeConfig does.
func (s *Source) Info() Info { return s.info }

// Plan lays spec out on this source, placing a fill as Render does (which
// may run the smart crop).
func (s *Source) Plan(spec Spec) (Plan, bool) {
	spec = spec.normal()
	focal, smart := Point{0.5, 0.5}, false
	if spec.Focal != nil {
		focal = *spec.Focal
	} else if spec.Fit == FitFill && spec.Crop == nil {
		focal, smart = s.smartFocal(spec.Width, spec.Height), true
	}
	return PlanFor(s.info.Width, s.info.Height, spec, focal), smart
}

// Render makes and encodes one rendition. Its bytes depend only on the
// source's bytes and spec.Hash().
func (s *Source) Render(spec Spec) (*Rendition, error) {
	const op = "adapt.Source.Render"
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	spec = spec.normal()
	img, plan, smart := s.draw(spec)
	var out bytes.Buffer
	// img is opaque, so its bytes read the same as an RGBA image's, the
	// type both encoders convert fastest. Neither writes an ICC profile or
	// EXIF: the output is plain sRGB, as browsers and mail clients assume.
	// PNG at BestSpeed: twice as fast as the default on photos, for files
	// about 5% larger.
	opaque := &image.RGBA{Pix: img.Pix, Stride: img.Stride, Rect: img.Rect}
	var err error
	if spec.Format == FormatPNG {
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&out, opaque)
	} else {
		err = jpeg.Encode(&out, opaque, &jpeg.Options{Quality: spec.Quality})
	}
	if err != nil {
		return nil, fault.New(fault.Internal, fault.CodeInternal, op).Wrap(err)
	}
	return &Rendition{Bytes: out.Bytes(), Width: spec.Width, Height: spec.Height, Plan: plan, Smart: smart}, nil
}

// Render decodes b and makes one rendition of it; to make several of one
// source, decode it once with NewSource.
func Render(b []byte, spec Spec, lim Limits) (*Rendition, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	src, err := NewSource(b, lim)
	if err != nil {
		return nil, err
	}
	return src.Render(spec)
}

// draw makes the rendition's opaque pixels for a normal, valid spec.
func (s *Source) draw(spec Spec) (*image.NRGBA, Plan, bool) {
	plan, smart := s.Plan(spec)
	o := s.info.Orientation
	// Work in stored orientation and turn only the small result upright.
	region := storedRect(plan.Region, o, s.size)
	cw, ch := plan.Content.Dx(), plan.Content.Dy()
	if o >= 5 {
		cw, ch = ch, cw
	}
	part := s.cut(region, cw, ch)
	var img *image.NRGBA
	if m, ok := part.(*image.NRGBA); ok && m.Rect.Dx() == cw && m.Rect.Dy() == ch {
		img = m
	} else {
		img = imaging.Resize(part, cw, ch, s.filter)
	}
	if o != 1 {
		img = orient(img, o).(*image.NRGBA)
	}
	if plan.Content == image.Rect(0, 0, spec.Width, spec.Height) {
		return img, plan, smart
	}
	bg, _ := parseHex(spec.Background)
	canvas := image.NewNRGBA(image.Rect(0, 0, spec.Width, spec.Height))
	draw.Draw(canvas, canvas.Rect, image.NewUniform(bg), image.Point{}, draw.Src)
	draw.Draw(canvas, plan.Content, img, img.Rect.Min, draw.Src)
	return canvas, plan, smart
}

// cut returns region (stored pixels) as opaque pixels from the smallest
// pyramid level that still has twice w×h pixels, or from the decoded image
// when none has. A JPEG's or a grey image's own pixels are returned as they
// are, for the resize to convert row by row: a copy of a big region would
// cost a pass and up to 100 MB.
func (s *Source) cut(region image.Rectangle, w, h int) image.Image {
	level, f := 0, 1.0
	for {
		next := f * 2
		if float64(region.Dx())/next < float64(2*w) || float64(region.Dy())/next < float64(2*h) {
			break
		}
		lb := s.levelBounds(level + 1)
		if lb.Dx() < 2 || lb.Dy() < 2 {
			break
		}
		level, f = level+1, next
	}
	img := s.level(level)
	b := img.Bounds()
	r := image.Rect(
		int(math.Floor(float64(region.Min.X)/f+0.5)), int(math.Floor(float64(region.Min.Y)/f+0.5)),
		int(math.Floor(float64(region.Max.X)/f+0.5)), int(math.Floor(float64(region.Max.Y)/f+0.5)),
	).Add(b.Min)
	r = r.Intersect(b)
	if r.Dx() < 1 || r.Dy() < 1 {
		x, y := min(max(r.Min.X, b.Min.X), b.Max.X-1), min(max(r.Min.Y, b.Min.Y), b.Max.Y-1)
		r = image.Rect(x, y, x+1, y+1)
	}
	switch m := img.(type) {
	case *image.NRGBA:
		if level > 0 { // the pyramid's levels are opaque
			return m.SubImage(r)
		}
	case *image.YCbCr, *image.Gray:
		return subImage(m, r)
	}
	return shrink(subImage(img, r), 1)
}

func (s *Source) levelBounds(l int) image.Rectangle {
	b := s.stored.Bounds()
	w, h := b.Dx(), b.Dy()
	for range l {
		w, h = (w+1)/2, (h+1)/2
	}
	return image.Rect(0, 0, w, h)
}

// level returns pyramid level l: 0 is the decoded image, each next one a
// 2× box reduction of the one before.
func (s *Source) level(l int) image.Image {
	if l == 0 {
		return s.stored
	}
	for len(s.levels) < l {
		if len(s.levels) == 0 {
			s.levels = append(s.levels, shrink(s.stored, 2))
		} else {
			s.levels = append(s.levels, half(s.levels[len(s.levels)-1]))
		}
	}
	return s.levels[l-1]
}

// subImage is img.SubImage for the decoders' image types.
func subImage(img image.Image, r image.Rectangle) image.Image {
	if m, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return m.SubImage(r)
	}
	return img
}

// half is shrink(m, 2) for an opaque NRGBA image, without the row reader.
func half(m *image.NRGBA) *image.NRGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	ow, oh := (w+1)/2, (h+1)/2
	dst := image.NewNRGBA(image.Rect(0, 0, ow, oh))
	for oy := 0; oy < oh; oy++ {
		r0 := m.Pix[(2*oy)*m.Stride:]
		r1 := r0
		if 2*oy+1 < h {
			r1 = m.Pix[(2*oy+1)*m.Stride:]
		}
		out := dst.Pix[oy*dst.Stride:]
		for ox := 0; ox < ow; ox++ {
			i, j := 8*ox, 8*ox+4
			if 2*ox+1 >= w {
				j = i
			}
			for c := 0; c < 3; c++ {
				out[4*ox+c] = uint8((uint32(r0[i+c]) + uint32(r0[j+c]) + uint32(r1[i+c]) + uint32(r1[j+c]) + 2) >> 2)
			}
			out[4*ox+3] = 0xff
		}
	}
	return dst
}

// storedRect maps a rectangle of the upright image to the stored image
// whose EXIF orientation is o; size is the stored size.
func storedRect(r image.Rectangle, o int, size image.Point) image.Rectangle {
	W, H := size.X, size.Y // stored
	switch o {
	case 2:
		return image.Rect(W-r.Max.X, r.Min.Y, W-r.Min.X, r.Max.Y)
	case 3:
		return image.Rect(W-r.Max.X, H-r.Max.Y, W-r.Min.X, H-r.Min.Y)
	case 4:
		return image.Rect(r.Min.X, H-r.Max.Y, r.Max.X, H-r.Min.Y)
	case 5:
		return image.Rect(r.Min.Y, r.Min.X, r.Max.Y, r.Max.X)
	case 6:
		return image.Rect(r.Min.Y, H-r.Max.X, r.Max.Y, H-r.Min.X)
	case 7:
		return image.Rect(W-r.Max.Y, H-r.Max.X, W-r.Min.Y, H-r.Min.X)
	case 8:
		return image.Rect(W-r.Max.Y, r.Min.X, W-r.Min.Y, r.Max.X)
	}
	return r
}

// decodeScaled decodes b as stored; a JPEG at 1/scale of its size when
// scale is 2, 4 or 8. It returns the scale it used.
func decodeScaled(b []byte, lim Limits, op string, scale int) (image.Image, header, int, error) {
	if scale <= 1 {
		img, h, err := decodeStored(b, lim, op)
		return img, h, 1, err
	}
	h, err := inspect(b, lim, op)
	if err != nil {
		return nil, header{}, 0, err
	}
	if h.Format != FormatJPEG {
		img, h, err := decodeStored(b, lim, op)
		return img, h, 1, err
	}
	var img image.Image
	err = guard(func() (err error) {
		img, err = dctjpeg.DecodeScaled(bytes.NewReader(b), scale)
		return err
	})
	if err != nil {
		return nil, header{}, 0, decodeError(err, h.Format, op)
	}
	want := image.Rect(0, 0, (h.stored.X+scale-1)/scale, (h.stored.Y+scale-1)/scale)
	if img.Bounds() != want {
		return nil, header{}, 0, fault.New(fault.Corrupt, CodeImageCorrupt, op).With("format", h.Format).
			Wrap(fmt.Errorf("decoded %v at 1/%d, header declares %v", img.Bounds().Size(), scale, h.stored))
	}
	return img, h, scale, nil
}
