// Package adapt decodes images safely and derives renditions from them:
// thumbnails now, channel-preset renditions next.
package adapt

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strconv"

	"golang.org/x/image/webp"

	"github.com/outpost-studio/outpost/backend/adapt/internal/dctjpeg"
	"github.com/outpost-studio/outpost/backend/fault"
)

// Error codes raised by this package.
const (
	CodeImageEmpty             fault.Code = "image.empty"              // no bytes at all
	CodeImageTooLarge          fault.Code = "image.too_large"          // {bytes, max}
	CodeImageUnsupportedFormat fault.Code = "image.unsupported_format" // {format}
	CodeImageTooManyPixels     fault.Code = "image.too_many_pixels"    // {width, height, max, side}
	CodeImageCorrupt           fault.Code = "image.corrupt"            // {format}
)

// The formats Decode accepts, as Info.Format names them.
const (
	FormatJPEG = "jpeg"
	FormatPNG  = "png"
	FormatGIF  = "gif"
	FormatWebP = "webp"
)

// Limits bound what Decode accepts. A field that is zero or negative takes
// its value from DefaultLimits, so a zero Limits is safe.
type Limits struct {
	MaxBytes  int64 // size of the encoded file
	MaxPixels int64 // width × height, as the header declares them
	MaxSide   int   // the longer of width and height
}

// DefaultLimits accept what a marketing team meets in practice, up to a
// 100-megapixel camera file, and refuse pixel bombs.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 64 << 20, MaxPixels: 100_000_000, MaxSide: 16384}
}

func (l Limits) orDefault() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = d.MaxPixels
	}
	if l.MaxSide <= 0 {
		l.MaxSide = d.MaxSide
	}
	return l
}

// Info describes a decoded or inspected image.
type Info struct {
	Format      string `json:"format"`      // FormatJPEG, FormatPNG, FormatGIF or FormatWebP
	Width       int    `json:"width"`       // as shown, once Orientation is applied
	Height      int    `json:"height"`      // as shown, once Orientation is applied
	Animated    bool   `json:"animated"`    // more than one frame; Decode returns the first
	Orientation int    `json:"orientation"` // EXIF orientation, 1 (upright) to 8; JPEG only
}

// header is what inspect learns before any pixel is decoded.
type header struct {
	Info
	stored image.Point // width and height as stored, before orientation
}

// DecodeConfig reads only the header of an encoded image and checks it
// against lim, returning the errors Decode would return before decoding.
func DecodeConfig(b []byte, lim Limits) (Info, error) {
	h, err := inspect(b, lim.orDefault(), "adapt.DecodeConfig")
	if err != nil {
		return Info{}, err
	}
	return h.Info, nil
}

// Decode decodes a JPEG, PNG, GIF or WebP image, refusing from its header
// alone anything lim does not allow, and returns it upright (the EXIF
// orientation applied). An animated image yields its first frame. Errors are
// *fault.Error with one of this package's codes; no input makes it panic.
func Decode(b []byte, lim Limits) (image.Image, Info, error) {
	img, h, err := decodeStored(b, lim.orDefault(), "adapt.Decode")
	if err != nil {
		return nil, Info{}, err
	}
	return orient(img, h.Orientation), h.Info, nil
}

// inspect sniffs the format, reads the header and enforces lim.
func inspect(b []byte, lim Limits, op string) (header, error) {
	if len(b) == 0 {
		return header{}, fault.New(fault.Invalid, CodeImageEmpty, op)
	}
	if int64(len(b)) > lim.MaxBytes {
		return header{}, fault.New(fault.Invalid, CodeImageTooLarge, op).
			With("bytes", strconv.Itoa(len(b))).With("max", strconv.FormatInt(lim.MaxBytes, 10))
	}
	format, ok := sniff(b)
	if !ok {
		return header{}, fault.New(fault.Invalid, CodeImageUnsupportedFormat, op).With("format", format)
	}

	var cfg image.Config
	err := guard(func() (err error) {
		r := bytes.NewReader(b)
		switch format {
		case FormatJPEG:
			cfg, err = jpeg.DecodeConfig(r)
		case FormatPNG:
			cfg, err = png.DecodeConfig(r)
		case FormatGIF:
			cfg, err = gif.DecodeConfig(r)
		case FormatWebP:
			cfg, err = webp.DecodeConfig(r)
		}
		return err
	})
	if err != nil {
		return header{}, decodeError(err, format, op)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return header{}, fault.New(fault.Corrupt, CodeImageCorrupt, op).With("format", format).
			Wrap(fmt.Errorf("header declares %d×%d pixels", cfg.Width, cfg.Height))
	}
	if int64(cfg.Width)*int64(cfg.Height) > lim.MaxPixels || cfg.Width > lim.MaxSide || cfg.Height > lim.MaxSide {
		return header{}, fault.New(fault.Invalid, CodeImageTooManyPixels, op).
			With("width", strconv.Itoa(cfg.Width)).With("height", strconv.Itoa(cfg.Height)).
			With("max", strconv.FormatInt(lim.MaxPixels, 10)).With("side", strconv.Itoa(lim.MaxSide))
	}

	h := header{
		Info:   Info{Format: format, Width: cfg.Width, Height: cfg.Height, Orientation: 1},
		stored: image.Pt(cfg.Width, cfg.Height),
	}
	switch format {
	case FormatJPEG:
		h.Orientation = jpegOrientation(b)
		if h.Orientation >= 5 { // a quarter turn: width and height swap
			h.Width, h.Height = h.Height, h.Width
		}
	case FormatPNG:
		h.Animated = apngAnimated(b)
	case FormatGIF:
		h.Animated = gifAnimated(b)
	case FormatWebP:
		h.Animated = webpAnimated(b)
	}
	return h, nil
}

// decodeStored decodes b as stored, before orientation, after inspect has
// accepted its header.
func decodeStored(b []byte, lim Limits, op string) (image.Image, header, error) {
	h, err := inspect(b, lim, op)
	if err != nil {
		return nil, header{}, err
	}
	var img image.Image
	err = guard(func() (err error) {
		r := bytes.NewReader(b)
		switch h.Format {
		case FormatJPEG:
			img, err = jpeg.Decode(r)
		case FormatPNG:
			img, err = png.Decode(r) // an APNG's default image is its first frame
		case FormatGIF:
			img, err = gif.Decode(r) // the first frame only
		case FormatWebP:
			if h.Animated {
				img, err = webpFirstFrame(b)
			} else {
				img, err = webp.Decode(r)
			}
		}
		return err
	})
	if err != nil {
		return nil, header{}, decodeError(err, h.Format, op)
	}
	if img.Bounds() != image.Rect(0, 0, h.stored.X, h.stored.Y) {
		if h.Format != FormatGIF || !img.Bounds().In(image.Rect(0, 0, h.stored.X, h.stored.Y)) {
			return nil, header{}, fault.New(fault.Corrupt, CodeImageCorrupt, op).With("format", h.Format).
				Wrap(fmt.Errorf("decoded %v, header declares %v", img.Bounds().Size(), h.stored))
		}
		// A GIF's first frame may cover only part of the logical screen:
		// show it where it belongs, the rest transparent.
		canvas := image.NewNRGBA(image.Rect(0, 0, h.stored.X, h.stored.Y))
		draw.Draw(canvas, img.Bounds(), img, img.Bounds().Min, draw.Src)
		img = canvas
	}
	return img, h, nil
}

// guard runs a decoder, turning a panic into an error: the standard
// decoders are fuzzed, but a crafted file must never take the app down.
func guard(decode func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("decoder panicked: %v", r)
		}
	}()
	return decode()
}

// decodeError classifies a decoder's error: a feature the decoder lacks
// (arithmetic-coded or 12-bit JPEG, say) is an unsupported format; anything
// else is damaged data.
func decodeError(err error, format, op string) *fault.Error {
	var jpegUnsupported jpeg.UnsupportedError
	var scaledUnsupported dctjpeg.UnsupportedError
	var pngUnsupported png.UnsupportedError
	if errors.As(err, &jpegUnsupported) || errors.As(err, &scaledUnsupported) || errors.As(err, &pngUnsupported) {
		return fault.New(fault.Invalid, CodeImageUnsupportedFormat, op).With("format", format).Wrap(err)
	}
	return fault.New(fault.Corrupt, CodeImageCorrupt, op).With("format", format).Wrap(err)
}
