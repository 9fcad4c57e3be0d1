package adapt

import (
	"bytes"
	"encoding/binary"
)

// ColourProfile reports whether a JPEG or PNG embeds an ICC colour profile
// and, if so, whether it names itself sRGB. Outpost ignores profiles and
// takes every pixel as sRGB: a profile of another space (Adobe RGB,
// Display P3, a CMYK press profile) means the renditions' colours differ
// somewhat from what the designer saw, which the pack report notes.
func ColourProfile(b []byte) (present, srgb bool) {
	format, _ := sniff(b)
	switch format {
	case FormatJPEG:
		return jpegProfile(b)
	case FormatPNG:
		return pngProfile(b)
	}
	return false, false
}

// namesSRGB looks for "sRGB" in a profile's description, stored as ASCII
// (version 2 'desc') or UTF-16BE (version 4 'mluc').
func namesSRGB(p []byte) bool {
	return bytes.Contains(p, []byte("sRGB")) || bytes.Contains(p, []byte("\x00s\x00R\x00G\x00B"))
}

// jpegProfile reads the APP2 ICC_PROFILE segments before the image data.
func jpegProfile(b []byte) (present, srgb bool) {
	for p := 2; p+4 <= len(b) && b[p] == 0xff; {
		marker := b[p+1]
		if marker == 0xda || marker == 0xd9 {
			break
		}
		if marker == 0xff || marker == 0x01 || marker >= 0xd0 && marker <= 0xd8 {
			p += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(b[p+2:]))
		if n < 2 || n > len(b)-p-2 {
			break
		}
		seg := b[p+4 : p+2+n]
		if marker == 0xe2 && bytes.HasPrefix(seg, []byte("ICC_PROFILE\x00")) {
			present = true
			srgb = srgb || namesSRGB(seg)
		}
		p += 2 + n
	}
	return present, srgb
}

// pngProfile reads the sRGB and iCCP chunks before the image data; an
// iCCP's name comes first, uncompressed.
func pngProfile(b []byte) (present, srgb bool) {
	for p := 8; p+12 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[p:]) & 0x7fffffff)
		if n > len(b)-p-12 {
			break
		}
		data := b[p+8 : p+8+n]
		switch string(b[p+4 : p+8]) {
		case "sRGB":
			return true, true
		case "iCCP":
			name, _, _ := bytes.Cut(data, []byte{0})
			return true, namesSRGB(name)
		case "IDAT":
			return false, false
		}
		p += 12 + n
	}
	return false, false
}
