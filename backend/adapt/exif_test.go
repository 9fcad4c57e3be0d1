package adapt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/jpeg"
	"testing"
)

// exifAPP1 is a JPEG APP1 segment holding an EXIF IFD0 with one
// Orientation entry.
func exifAPP1(order binary.ByteOrder, orientation uint16) []byte {
	return exifAPP1Entry(order, 3, 1, uint32(orientation)<<orderShift(order))
}

// orderShift places a SHORT in the first two bytes of the 4-byte value
// field, where the TIFF layout keeps it whatever the byte order.
func orderShift(order binary.ByteOrder) int {
	if order == binary.BigEndian {
		return 16
	}
	return 0
}

func exifAPP1Entry(order binary.ByteOrder, typ uint16, count, value uint32) []byte {
	tiff := make([]byte, 8+2+12+4)
	if order == binary.LittleEndian {
		copy(tiff, "II*\x00")
	} else {
		copy(tiff, "MM\x00*")
	}
	order.PutUint32(tiff[4:], 8)
	order.PutUint16(tiff[8:], 1)
	order.PutUint16(tiff[10:], 0x0112)
	order.PutUint16(tiff[12:], typ)
	order.PutUint32(tiff[14:], count)
	order.PutUint32(tiff[18:], value)
	return segment(0xe1, append([]byte("Exif\x00\x00"), tiff...))
}

func segment(marker byte, data []byte) []byte {
	n := len(data) + 2
	return append([]byte{0xff, marker, byte(n >> 8), byte(n)}, data...)
}

// withSegment inserts segments right after a JPEG's SOI marker.
func withSegment(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// stored returns upright as a camera would store it with the given EXIF
// orientation. It follows the EXIF specification's wording (where the 0th
// row and 0th column go), independently of imaging's transforms: displayed
// pixel (dx, dy) comes from stored pixel (sx, sy).
func stored(upright *image.NRGBA, orientation int) *image.NRGBA {
	dw, dh := upright.Rect.Dx(), upright.Rect.Dy()
	sw, sh := dw, dh
	if orientation >= 5 {
		sw, sh = dh, dw
	}
	s := image.NewNRGBA(image.Rect(0, 0, sw, sh))
	for sy := 0; sy < sh; sy++ {
		for sx := 0; sx < sw; sx++ {
			var dx, dy int
			switch orientation {
			case 1: // 0th row at the top, 0th column on the left
				dx, dy = sx, sy
			case 2: // top, right
				dx, dy = sw-1-sx, sy
			case 3: // bottom, right
				dx, dy = sw-1-sx, sh-1-sy
			case 4: // bottom, left
				dx, dy = sx, sh-1-sy
			case 5: // left, top
				dx, dy = sy, sx
			case 6: // right, top
				dx, dy = sh-1-sy, sx
			case 7: // right, bottom
				dx, dy = sh-1-sy, sw-1-sx
			case 8: // left, bottom
				dx, dy = sy, sw-1-sx
			}
			s.SetNRGBA(sx, sy, upright.NRGBAAt(dx, dy))
		}
	}
	return s
}

func encodeJPEG(t testing.TB, img image.Image, quality int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestDecodeAppliesOrientationFromExiftool reads files whose orientation
// exiftool wrote (see testdata/make-fixtures.sh): upright they are 48x32.
func TestDecodeAppliesOrientationFromExiftool(t *testing.T) {
	for _, tc := range []struct {
		file        string
		orientation int
	}{{"orient6.jpg", 6}, {"orient8.jpg", 8}} {
		t.Run(tc.file, func(t *testing.T) {
			b := fixture(t, tc.file)
			want := Info{Format: FormatJPEG, Width: 48, Height: 32, Orientation: tc.orientation}
			info, err := DecodeConfig(b, DefaultLimits())
			if err != nil || info != want {
				t.Fatalf("DecodeConfig = %+v, %v; want %+v", info, err, want)
			}
			img, info, err := Decode(b, DefaultLimits())
			if err != nil || info != want {
				t.Fatalf("Decode = %+v, %v; want %+v", info, err, want)
			}
			if img.Bounds() != image.Rect(0, 0, 48, 32) {
				t.Fatalf("bounds = %v, want 48x32", img.Bounds())
			}
			checkQuadrants(t, img)

			th, _, err := EncodeThumbnail(b, 24, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			timg, err := jpeg.Decode(bytes.NewReader(th))
			if err != nil {
				t.Fatal(err)
			}
			if timg.Bounds() != image.Rect(0, 0, 24, 16) {
				t.Fatalf("thumbnail bounds = %v, want 24x16", timg.Bounds())
			}
			checkQuadrants(t, timg)
		})
	}
}

// TestDecodeAppliesEveryOrientation crafts the EXIF segment for each of the
// eight orientations, in both byte orders.
func TestDecodeAppliesEveryOrientation(t *testing.T) {
	upright := quadrants(48, 32)
	for o := 1; o <= 8; o++ {
		for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			t.Run(fmt.Sprintf("%d/%v", o, order), func(t *testing.T) {
				b := withSegment(encodeJPEG(t, stored(upright, o), 100), exifAPP1(order, uint16(o)))
				img, info, err := Decode(b, DefaultLimits())
				if err != nil {
					t.Fatal(err)
				}
				if info.Orientation != o || info.Width != 48 || info.Height != 32 || img.Bounds() != image.Rect(0, 0, 48, 32) {
					t.Fatalf("info %+v, bounds %v; want orientation %d, 48x32", info, img.Bounds(), o)
				}
				checkQuadrants(t, img)

				th, _, err := EncodeThumbnail(b, 12, DefaultLimits())
				if err != nil {
					t.Fatal(err)
				}
				timg, err := jpeg.Decode(bytes.NewReader(th))
				if err != nil {
					t.Fatal(err)
				}
				if timg.Bounds() != image.Rect(0, 0, 12, 8) {
					t.Fatalf("thumbnail bounds = %v, want 12x8", timg.Bounds())
				}
				checkQuadrants(t, timg)
			})
		}
	}
}

func TestJPEGOrientationReadsOnlyWellFormedEXIF(t *testing.T) {
	le, be := binary.LittleEndian, binary.BigEndian
	xmp := segment(0xe1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>"))
	jfif := segment(0xe0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"))
	sos := []byte{0xff, 0xda, 0x00, 0x02}
	soi := []byte{0xff, 0xd8}
	badOffset := exifAPP1(le, 6)
	binary.LittleEndian.PutUint32(badOffset[4+6+4:], 0xfffffff0)
	manyEntries := exifAPP1(be, 6)
	binary.BigEndian.PutUint16(manyEntries[4+6+8:], 0xffff) // more entries than there are bytes; the first is the tag
	truncatedTIFF := exifAPP1(le, 6)
	truncatedTIFF = segment(0xe1, truncatedTIFF[4:4+6+12])

	for _, tc := range []struct {
		name string
		b    []byte
		want int
	}{
		{"no EXIF", cat(soi, jfif, sos), 1},
		{"little-endian 6", cat(soi, exifAPP1(le, 6), sos), 6},
		{"big-endian 8", cat(soi, exifAPP1(be, 8), sos), 8},
		{"after JFIF and XMP", cat(soi, jfif, xmp, exifAPP1(le, 3), sos), 3},
		{"fill bytes before a marker", cat(soi, []byte{0xff, 0xff}, exifAPP1(le, 5), sos), 5},
		{"LONG value", cat(soi, exifAPP1Entry(be, 4, 1, 7), sos), 7},
		{"value 0", cat(soi, exifAPP1(le, 0), sos), 1},
		{"value 9", cat(soi, exifAPP1(le, 9), sos), 1},
		{"count 2", cat(soi, exifAPP1Entry(le, 3, 2, 6), sos), 1},
		{"ASCII type", cat(soi, exifAPP1Entry(le, 2, 1, 6), sos), 1},
		{"IFD offset past the end", cat(soi, badOffset, sos), 1},
		{"entry count past the end", cat(soi, manyEntries, sos), 6},
		{"TIFF cut short", cat(soi, truncatedTIFF, sos), 1},
		{"EXIF after the image data", cat(soi, sos, exifAPP1(le, 6)), 1},
		{"segment longer than the file", cat(soi, exifAPP1(le, 6)[:20]), 1},
		{"segment length below 2", cat(soi, []byte{0xff, 0xe1, 0x00, 0x01}, exifAPP1(le, 6)), 1},
		{"bad byte order", cat(soi, segment(0xe1, []byte("Exif\x00\x00XX*\x00\x08\x00\x00\x00")), sos), 1},
		{"not a JPEG", exifAPP1(le, 6), 1},
		{"empty", nil, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := jpegOrientation(tc.b); got != tc.want {
				t.Errorf("jpegOrientation = %d, want %d", got, tc.want)
			}
			for n := range tc.b { // no prefix panics
				jpegOrientation(tc.b[:n])
			}
		})
	}
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
