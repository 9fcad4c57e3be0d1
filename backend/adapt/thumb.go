package adapt

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"

	"github.com/disintegration/imaging"

	"github.com/outpost-studio/outpost/backend/fault"
)

// ThumbnailQuality is the JPEG quality of EncodeThumbnail's output.
const ThumbnailQuality = 82

// Thumbnail returns img scaled down to fit maxSide × maxSide, aspect kept
// and never enlarged, with any transparency laid over white. A maxSide
// below 1 counts as 1.
//
// A large image is first shrunk by a whole factor with a box filter, which
// is cheap and averages every pixel, to no less than twice the target size;
// Catmull-Rom resampling makes the last step.
func Thumbnail(img image.Image, maxSide int) *image.NRGBA {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	if w <= 0 || h <= 0 {
		return image.NewNRGBA(image.Rectangle{})
	}
	tw, th := fit(w, h, maxSide)
	return thumbnailTo(img, tw, th)
}

// thumbnailTo is Thumbnail to an exact size.
func thumbnailTo(img image.Image, tw, th int) *image.NRGBA {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	k := max(1, min(w/(2*tw), h/(2*th)))
	small := shrink(img, k)
	if small.Rect.Dx() == tw && small.Rect.Dy() == th {
		return small
	}
	return imaging.Resize(small, tw, th, imaging.CatmullRom)
}

// EncodeThumbnail decodes b within lim, and returns an upright JPEG
// thumbnail that fits maxSide × maxSide (see Thumbnail) and the source's
// Info. The same input always gives the same bytes.
func EncodeThumbnail(b []byte, maxSide int, lim Limits) ([]byte, Info, error) {
	const op = "adapt.EncodeThumbnail"
	lim = lim.orDefault()
	hd, err := inspect(b, lim, op)
	if err != nil {
		return nil, Info{}, err
	}
	// A JPEG is decoded at the smallest DCT scale that leaves twice the
	// thumbnail's size, as the box pre-shrink below would.
	tw, th := fit(hd.stored.X, hd.stored.Y, maxSide)
	scale := 8
	for scale > 1 && (hd.stored.X/scale < 2*tw || hd.stored.Y/scale < 2*th) {
		scale /= 2
	}
	img, h, _, err := decodeScaled(b, lim, op, scale)
	if err != nil {
		return nil, Info{}, err
	}
	// Shrink before turning upright: the turn then moves few pixels.
	t := thumbnailTo(img, tw, th)
	if h.Orientation != 1 {
		t = orient(t, h.Orientation).(*image.NRGBA)
	}
	var out bytes.Buffer
	// t is opaque, so its bytes read the same as an RGBA image's, the type
	// the JPEG encoder converts fastest.
	opaque := &image.RGBA{Pix: t.Pix, Stride: t.Stride, Rect: t.Rect}
	if err := jpeg.Encode(&out, opaque, &jpeg.Options{Quality: ThumbnailQuality}); err != nil {
		return nil, Info{}, fault.New(fault.Internal, fault.CodeInternal, op).Wrap(err)
	}
	return out.Bytes(), h.Info, nil
}

// fit returns the size of a w×h image scaled to fit side×side, never
// enlarged, at least one pixel each way.
func fit(w, h, side int) (int, int) {
	side = max(side, 1)
	if w <= side && h <= side {
		return w, h
	}
	if w >= h {
		return side, max(1, int((int64(h)*int64(side)+int64(w)/2)/int64(w)))
	}
	return max(1, int((int64(w)*int64(side)+int64(h)/2)/int64(h))), side
}

// shrink box-filters img down by the whole factor k (1 only converts it)
// into an opaque NRGBA image, transparency laid over white. Blocks on the
// right and bottom edges that k does not divide average the pixels they have.
func shrink(img image.Image, k int) *image.NRGBA {
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	ow, oh := (w+k-1)/k, (h+k-1)/k
	dst := image.NewNRGBA(image.Rect(0, 0, ow, oh))
	if m, ok := img.(*image.YCbCr); ok {
		shrinkYCbCr(dst, m, k)
		return dst
	}
	read := rowReader(img)
	row := make([]uint8, 3*w)
	sums := make([]uint64, 3*ow)
	for oy := 0; oy < oh; oy++ {
		clear(sums)
		y0, y1 := r.Min.Y+oy*k, min(r.Min.Y+(oy+1)*k, r.Max.Y)
		for y := y0; y < y1; y++ {
			read(y, row)
			for ox := 0; ox < ow; ox++ {
				s := sums[3*ox : 3*ox+3 : 3*ox+3]
				for x := ox * k; x < min((ox+1)*k, w); x++ {
					s[0] += uint64(row[3*x])
					s[1] += uint64(row[3*x+1])
					s[2] += uint64(row[3*x+2])
				}
			}
		}
		out := dst.Pix[oy*dst.Stride:]
		for ox := 0; ox < ow; ox++ {
			n := uint64((y1 - y0) * (min((ox+1)*k, w) - ox*k))
			out[4*ox] = uint8((sums[3*ox] + n/2) / n)
			out[4*ox+1] = uint8((sums[3*ox+1] + n/2) / n)
			out[4*ox+2] = uint8((sums[3*ox+2] + n/2) / n)
			out[4*ox+3] = 0xff
		}
	}
	return dst
}

// shrinkYCbCr is shrink for a JPEG's or WebP's own pixels: it averages the
// luma and chroma planes, then converts each output pixel once, so the
// costly colour conversion runs on k² times fewer pixels.
func shrinkYCbCr(dst *image.NRGBA, m *image.YCbCr, k int) {
	r := m.Rect
	w := r.Dx()
	ow, oh := dst.Rect.Dx(), dst.Rect.Dy()
	// COffset(x, y) is a row term plus a column term, for every subsampling.
	base := m.COffset(r.Min.X, r.Min.Y)
	ccol := make([]int, w)
	for x := range ccol {
		ccol[x] = m.COffset(r.Min.X+x, r.Min.Y) - base
	}
	sums := make([]uint64, 3*ow)
	for oy := 0; oy < oh; oy++ {
		clear(sums)
		y0, y1 := r.Min.Y+oy*k, min(r.Min.Y+(oy+1)*k, r.Max.Y)
		for y := y0; y < y1; y++ {
			lum := m.Y[m.YOffset(r.Min.X, y):][:w]
			crow := m.COffset(r.Min.X, y)
			cb, cr := m.Cb[crow:], m.Cr[crow:]
			for ox := 0; ox < ow; ox++ {
				s := sums[3*ox : 3*ox+3 : 3*ox+3]
				for x := ox * k; x < min((ox+1)*k, w); x++ {
					s[0] += uint64(lum[x])
					s[1] += uint64(cb[ccol[x]])
					s[2] += uint64(cr[ccol[x]])
				}
			}
		}
		out := dst.Pix[oy*dst.Stride:]
		for ox := 0; ox < ow; ox++ {
			n := uint64((y1 - y0) * (min((ox+1)*k, w) - ox*k))
			out[4*ox], out[4*ox+1], out[4*ox+2] = color.YCbCrToRGB(
				uint8((sums[3*ox]+n/2)/n), uint8((sums[3*ox+1]+n/2)/n), uint8((sums[3*ox+2]+n/2)/n))
			out[4*ox+3] = 0xff
		}
	}
}

// rowReader returns a function that writes row y of img into rgb as opaque
// 8-bit RGB triples, transparency laid over white. The decoders' own pixel
// types are read directly; anything else goes through At.
func rowReader(img image.Image) func(y int, rgb []uint8) {
	r := img.Bounds()
	w := r.Dx()
	// over lays a premultiplied 16-bit colour over white, to 8 bits.
	over := func(c, a uint32) uint8 { return uint8((c + 0xffff - a) >> 8) }
	switch m := img.(type) {
	case *image.RGBA:
		return func(y int, rgb []uint8) {
			p := m.Pix[m.PixOffset(r.Min.X, y):]
			for x := 0; x < w; x++ {
				a := uint32(p[4*x+3])
				for c := 0; c < 3; c++ {
					rgb[3*x+c] = uint8(min(0xff, uint32(p[4*x+c])+0xff-a))
				}
			}
		}
	case *image.NRGBA:
		return func(y int, rgb []uint8) {
			p := m.Pix[m.PixOffset(r.Min.X, y):]
			for x := 0; x < w; x++ {
				a := uint32(p[4*x+3])
				for c := 0; c < 3; c++ {
					rgb[3*x+c] = uint8((uint32(p[4*x+c])*a + 0xff*(0xff-a) + 0x7f) / 0xff)
				}
			}
		}
	case *image.Gray:
		return func(y int, rgb []uint8) {
			p := m.Pix[m.PixOffset(r.Min.X, y):]
			for x := 0; x < w; x++ {
				rgb[3*x], rgb[3*x+1], rgb[3*x+2] = p[x], p[x], p[x]
			}
		}
	case *image.CMYK:
		return func(y int, rgb []uint8) {
			p := m.Pix[m.PixOffset(r.Min.X, y):]
			for x := 0; x < w; x++ {
				rgb[3*x], rgb[3*x+1], rgb[3*x+2] = color.CMYKToRGB(p[4*x], p[4*x+1], p[4*x+2], p[4*x+3])
			}
		}
	case *image.Paletted:
		var table [256][3]uint8 // indexes past the palette show black, as PNG's do
		for i, c := range m.Palette {
			if i == len(table) {
				break
			}
			cr, cg, cb, ca := c.RGBA()
			table[i] = [3]uint8{over(cr, ca), over(cg, ca), over(cb, ca)}
		}
		return func(y int, rgb []uint8) {
			p := m.Pix[m.PixOffset(r.Min.X, y):]
			for x := 0; x < w; x++ {
				t := &table[p[x]]
				rgb[3*x], rgb[3*x+1], rgb[3*x+2] = t[0], t[1], t[2]
			}
		}
	case *image.NYCbCrA:
		return func(y int, rgb []uint8) {
			for x := 0; x < w; x++ {
				yi, ci := m.YOffset(r.Min.X+x, y), m.COffset(r.Min.X+x, y)
				cr, cg, cb := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				a := uint32(m.A[m.AOffset(r.Min.X+x, y)])
				rgb[3*x] = uint8((uint32(cr)*a + 0xff*(0xff-a) + 0x7f) / 0xff)
				rgb[3*x+1] = uint8((uint32(cg)*a + 0xff*(0xff-a) + 0x7f) / 0xff)
				rgb[3*x+2] = uint8((uint32(cb)*a + 0xff*(0xff-a) + 0x7f) / 0xff)
			}
		}
	case *image.Gray16:
		return func(y int, rgb []uint8) {
			p := m.Pix[m.PixOffset(r.Min.X, y):]
			for x := 0; x < w; x++ {
				rgb[3*x], rgb[3*x+1], rgb[3*x+2] = p[2*x], p[2*x], p[2*x]
			}
		}
	case *image.RGBA64:
		return func(y int, rgb []uint8) {
			p := m.Pix[m.PixOffset(r.Min.X, y):]
			for x := 0; x < w; x++ {
				a := uint32(p[8*x+6])<<8 | uint32(p[8*x+7])
				for c := 0; c < 3; c++ {
					v := uint32(p[8*x+2*c])<<8 | uint32(p[8*x+2*c+1])
					rgb[3*x+c] = over(min(v, a), a)
				}
			}
		}
	case *image.NRGBA64:
		return func(y int, rgb []uint8) {
			p := m.Pix[m.PixOffset(r.Min.X, y):]
			for x := 0; x < w; x++ {
				a := uint32(p[8*x+6])<<8 | uint32(p[8*x+7])
				for c := 0; c < 3; c++ {
					v := uint32(p[8*x+2*c])<<8 | uint32(p[8*x+2*c+1])
					rgb[3*x+c] = over(v*a/0xffff, a)
				}
			}
		}
	}
	return func(y int, rgb []uint8) {
		for x := 0; x < w; x++ {
			cr, cg, cb, ca := img.At(r.Min.X+x, y).RGBA()
			rgb[3*x], rgb[3*x+1], rgb[3*x+2] = over(cr, ca), over(cg, ca), over(cb, ca)
		}
	}
}
