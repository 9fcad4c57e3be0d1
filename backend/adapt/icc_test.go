package adapt

import (
	"bytes"
	"testing"
)

func TestColourProfile(t *testing.T) {
	jpg := fixture(t, "photo.jpg")
	app2 := func(desc string) []byte {
		body := append([]byte("ICC_PROFILE\x00\x01\x01"), make([]byte, 128)...)
		body = append(body, desc...)
		seg := []byte{0xff, 0xe2, byte((len(body) + 2) >> 8), byte(len(body) + 2)}
		return append(seg, body...)
	}
	withAPP2 := func(desc string) []byte {
		return append(append(append([]byte{}, jpg[:2]...), app2(desc)...), jpg[2:]...)
	}
	png := fixture(t, "photo.png")
	withChunk := func(typ string, data []byte) []byte {
		var b bytes.Buffer
		b.Write(png[:33]) // signature and IHDR
		pngChunk(&b, typ, data)
		b.Write(png[33:])
		return b.Bytes()
	}
	for _, tc := range []struct {
		name          string
		b             []byte
		present, srgb bool
	}{
		{"JPEG without a profile", jpg, false, false},
		{"JPEG with an sRGB profile", withAPP2("desc\x00\x00\x00\x00sRGB IEC61966-2.1"), true, true},
		{"JPEG with a v4 sRGB profile", withAPP2("mluc\x00s\x00R\x00G\x00B"), true, true},
		{"JPEG with Adobe RGB", withAPP2("desc\x00\x00\x00\x00Adobe RGB (1998)"), true, false},
		{"PNG without a profile", png, false, false},
		{"PNG marked sRGB", withChunk("sRGB", []byte{0}), true, true},
		{"PNG with a Display P3 profile", withChunk("iCCP", []byte("Display P3\x00\x00\x78\x9c")), true, false},
		{"GIF", fixture(t, "photo.gif"), false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			present, srgb := ColourProfile(tc.b)
			if present != tc.present || srgb != tc.srgb {
				t.Errorf("ColourProfile = %v, %v; want %v, %v", present, srgb, tc.present, tc.srgb)
			}
			if _, _, err := Decode(tc.b, Limits{}); err != nil {
				t.Errorf("the fixture does not decode: %v", err)
			}
		})
	}
}
