package adapt

import (
	"encoding/binary"
	"image"

	"github.com/disintegration/imaging"
)

// jpegOrientation returns the EXIF orientation of a JPEG, 1 to 8, or 1 when
// it has none or the EXIF data is damaged. It walks the marker segments
// before the image data and reads only the Orientation tag of the first
// EXIF APP1 segment; every offset is checked against the data.
func jpegOrientation(b []byte) int {
	if len(b) < 4 || b[0] != 0xff || b[1] != 0xd8 {
		return 1
	}
	for p := 2; p+4 <= len(b); {
		if b[p] != 0xff {
			return 1
		}
		marker := b[p+1]
		switch {
		case marker == 0xff: // fill byte
			p++
			continue
		case marker == 0x01 || marker >= 0xd0 && marker <= 0xd8: // no length
			p += 2
			continue
		case marker == 0xda || marker == 0xd9: // start of scan, end of image
			return 1
		}
		n := int(binary.BigEndian.Uint16(b[p+2:])) // counts itself
		if n < 2 || n > len(b)-p-2 {
			return 1
		}
		seg := b[p+4 : p+2+n]
		if marker == 0xe1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			return exifOrientation(seg[6:])
		}
		p += 2 + n
	}
	return 1
}

// exifOrientation reads the Orientation tag (0x0112) from IFD0 of a TIFF
// structure, the body of an EXIF segment.
func exifOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		order = binary.LittleEndian
	case "MM\x00*":
		order = binary.BigEndian
	default:
		return 1
	}
	ifd := uint64(order.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > uint64(len(t)) {
		return 1
	}
	count := int(order.Uint16(t[ifd:]))
	for i, p := 0, int(ifd)+2; i < count && p+12 <= len(t); i, p = i+1, p+12 {
		if order.Uint16(t[p:]) != 0x0112 {
			continue
		}
		typ, n := order.Uint16(t[p+2:]), order.Uint32(t[p+4:])
		var v uint32
		switch {
		case typ == 3 && n == 1: // SHORT, the type the standard names
			v = uint32(order.Uint16(t[p+8:]))
		case typ == 4 && n == 1: // LONG, written by a few tools
			v = order.Uint32(t[p+8:])
		default:
			return 1
		}
		if v < 1 || v > 8 {
			return 1
		}
		return int(v)
	}
	return 1
}

// orient turns img, stored with the given EXIF orientation, upright.
func orient(img image.Image, orientation int) image.Image {
	switch orientation {
	case 2:
		return imaging.FlipH(img)
	case 3:
		return imaging.Rotate180(img)
	case 4:
		return imaging.FlipV(img)
	case 5:
		return imaging.Transpose(img)
	case 6:
		return imaging.Rotate270(img) // a quarter turn clockwise
	case 7:
		return imaging.Transverse(img)
	case 8:
		return imaging.Rotate90(img) // a quarter turn counter-clockwise
	}
	return img
}
