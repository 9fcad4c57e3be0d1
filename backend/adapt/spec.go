package adapt

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/outpost-studio/outpost/backend/fault"
)

// RenditionVersion names the rendition algorithm. It is part of every
// Spec.Hash, so cached renditions made by another algorithm are never
// served: bump it whenever a change here (filters, pyramid, crop geometry,
// smart crop, encoders' settings, the pinned smartcrop or x/image versions)
// could change a single output byte.
const RenditionVersion = 1

// CodeSpecInvalid is the code of a rendition spec that cannot be made.
const CodeSpecInvalid fault.Code = "rendition.spec_invalid" // {field, value}

// Fit modes: how the source fills the rendition's frame.
const (
	FitFill  = "fill"  // cover the frame, cropping around the focal point
	FitFit   = "fit"   // the whole region inside the frame, letterboxed
	FitExact = "exact" // the whole region stretched to the frame
)

// DefaultQuality is the JPEG quality of a Spec whose Quality is 0.
const DefaultQuality = 85

// MaxRenditionSide bounds a rendition's width and height.
const MaxRenditionSide = 8192

// Point is a position in the upright source, as fractions of its width and
// height, (0, 0) the top-left corner.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Rect is a region of the upright source in fractions of its width and
// height: X0 < X1 and Y0 < Y1, all within [0, 1].
type Rect struct {
	X0 float64 `json:"x0"`
	Y0 float64 `json:"y0"`
	X1 float64 `json:"x1"`
	Y1 float64 `json:"y1"`
}

// Spec is everything that decides a rendition's bytes besides the source.
type Spec struct {
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	Fit     string `json:"fit"`     // FitFill, FitFit or FitExact
	Format  string `json:"format"`  // FormatJPEG or FormatPNG
	Quality int    `json:"quality"` // JPEG quality 1–100; 0 is DefaultQuality; PNG ignores it
	// Focal is the point a fill keeps in view; nil lets a smart crop choose.
	Focal *Point `json:"focal,omitempty"`
	// Crop, when set, is the only part of the source used: a designer's
	// manual framing for one preset. A fill then keeps the crop's centre.
	Crop *Rect `json:"crop,omitempty"`
	// Background is the letterbox colour of a fit, "#RRGGBB"; "" is white.
	// Transparent sources are laid over white in every mode.
	Background string `json:"background,omitempty"`
}

func specError(field string, value any) error {
	return fault.New(fault.Invalid, CodeSpecInvalid, "adapt.Spec.Validate").With("field", field).With("value", value)
}

// Validate reports the first field that makes s impossible to render.
func (s Spec) Validate() error {
	switch {
	case s.Width < 1 || s.Width > MaxRenditionSide:
		return specError("width", s.Width)
	case s.Height < 1 || s.Height > MaxRenditionSide:
		return specError("height", s.Height)
	case s.Fit != FitFill && s.Fit != FitFit && s.Fit != FitExact:
		return specError("fit", s.Fit)
	case s.Format != FormatJPEG && s.Format != FormatPNG:
		return specError("format", s.Format)
	case s.Quality < 0 || s.Quality > 100:
		return specError("quality", s.Quality)
	}
	if p := s.Focal; p != nil && !(p.X >= 0 && p.X <= 1 && p.Y >= 0 && p.Y <= 1) {
		return specError("focal", fmt.Sprintf("%g,%g", p.X, p.Y))
	}
	if c := s.Crop; c != nil && !(c.X0 >= 0 && c.Y0 >= 0 && c.X1 <= 1 && c.Y1 <= 1 && c.X0 < c.X1 && c.Y0 < c.Y1) {
		return specError("crop", fmt.Sprintf("%g,%g,%g,%g", c.X0, c.Y0, c.X1, c.Y1))
	}
	if _, ok := parseHex(s.Background); !ok {
		return specError("background", s.Background)
	}
	return nil
}

// parseHex reads "#RRGGBB" (either case); "" is white.
func parseHex(s string) (color.NRGBA, bool) {
	if s == "" {
		return color.NRGBA{0xff, 0xff, 0xff, 0xff}, true
	}
	if len(s) != 7 || s[0] != '#' {
		return color.NRGBA{}, false
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.NRGBA{}, false
	}
	return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}, true
}

// normal returns s with the fields that cannot change its output cleared
// and the defaults filled in, so equal renditions hash equal.
func (s Spec) normal() Spec {
	if s.Format == FormatPNG {
		s.Quality = 0
	} else if s.Quality == 0 {
		s.Quality = DefaultQuality
	}
	if c := s.Crop; c != nil && *c == (Rect{0, 0, 1, 1}) {
		s.Crop = nil
	}
	if s.Fit != FitFill || s.Crop != nil {
		s.Focal = nil // a fill inside a manual crop keeps the crop's centre
	}
	if s.Fit != FitFit {
		s.Background = ""
	} else {
		s.Background = strings.ToLower(s.Background)
		if s.Background == "#ffffff" {
			s.Background = ""
		}
	}
	return s
}

// Hash is the hex SHA-256 of a canonical text of every field that affects
// the output, after normal, and of RenditionVersion. Renditions are cached
// under the source's hash and this one.
func (s Spec) Hash() string {
	n := s.normal()
	f := func(v float64) string {
		if v == 0 {
			v = 0 // -0 writes as 0
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "outpost rendition\nversion %d\nsize %dx%d\nfit %s\nformat %s\nquality %d\n",
		RenditionVersion, n.Width, n.Height, n.Fit, n.Format, n.Quality)
	switch {
	case n.Focal != nil:
		fmt.Fprintf(&b, "focal %s %s\n", f(n.Focal.X), f(n.Focal.Y))
	case n.Fit == FitFill && n.Crop == nil:
		b.WriteString("focal smart\n")
	}
	if c := n.Crop; c != nil {
		fmt.Fprintf(&b, "crop %s %s %s %s\n", f(c.X0), f(c.Y0), f(c.X1), f(c.Y1))
	}
	if n.Background != "" {
		fmt.Fprintf(&b, "background %s\n", n.Background)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// Ext is the file extension of the rendition's format, with its dot.
func (s Spec) Ext() string {
	if s.Format == FormatPNG {
		return ".png"
	}
	return ".jpg"
}

// clampUnit keeps v within [0, 1]; NaN becomes 0.5.
func clampUnit(v float64) float64 {
	if math.IsNaN(v) {
		return 0.5
	}
	return math.Max(0, math.Min(1, v))
}
