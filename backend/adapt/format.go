package adapt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/draw"

	"golang.org/x/image/webp"
)

// sniff names b's format from its magic bytes and reports whether Decode
// accepts it. Decoders are called by name, never through image.Decode: the
// image registry is global, and imaging registers TIFF and BMP in it.
func sniff(b []byte) (format string, ok bool) {
	has := func(off int, magic string) bool {
		return len(b) >= off+len(magic) && string(b[off:off+len(magic)]) == magic
	}
	switch {
	case has(0, "\xff\xd8\xff"):
		return FormatJPEG, true
	case has(0, "\x89PNG\r\n\x1a\n"):
		return FormatPNG, true
	case has(0, "GIF87a"), has(0, "GIF89a"):
		return FormatGIF, true
	case has(0, "RIFF") && has(8, "WEBP"):
		return FormatWebP, true
	}
	// Formats we refuse, named so that the message can say which.
	switch {
	case has(0, "BM"):
		return "bmp", false
	case has(0, "II*\x00"), has(0, "MM\x00*"):
		return "tiff", false
	case has(4, "ftypavif"), has(4, "ftypavis"):
		return "avif", false
	case has(4, "ftyphei"), has(4, "ftyphev"):
		return "heic", false
	case has(4, "ftypmif1"), has(4, "ftypmsf1"):
		return "heif", false
	case has(0, "\xff\x0a"), has(0, "\x00\x00\x00\x0cJXL \r\n\x87\n"):
		return "jxl", false
	case has(0, "\x00\x00\x00\x0cjP  \r\n\x87\n"), has(0, "\xff\x4f\xff\x51"):
		return "jp2", false
	case has(0, "8BPS"):
		return "psd", false
	case has(0, "%PDF"):
		return "pdf", false
	case has(0, "\x00\x00\x01\x00"):
		return "ico", false
	}
	if t := bytes.TrimLeft(b[:min(len(b), 512)], "\xef\xbb\xbf \t\r\n"); bytes.HasPrefix(t, []byte("<svg")) || bytes.HasPrefix(t, []byte("<?xml")) {
		return "svg", false
	}
	return "unknown", false
}

// gifAnimated reports whether a GIF holds more than one frame, walking its
// blocks without decompressing them.
func gifAnimated(b []byte) bool {
	if len(b) < 13 {
		return false
	}
	p := 13
	if b[10]&0x80 != 0 { // global colour table
		p += 3 << (b[10]&7 + 1)
	}
	frames := 0
	for p < len(b) {
		switch b[p] {
		case 0x21: // extension: introducer, label, sub-blocks
			p = skipSubBlocks(b, p+2)
		case 0x2c: // image descriptor
			if frames++; frames > 1 {
				return true
			}
			if p+10 > len(b) {
				return false
			}
			flags := b[p+9]
			p += 10
			if flags&0x80 != 0 { // local colour table
				p += 3 << (flags&7 + 1)
			}
			p = skipSubBlocks(b, p+1) // after the LZW minimum code size
		default: // the trailer, or damage
			return false
		}
	}
	return false
}

// skipSubBlocks returns the offset just past the data sub-blocks at p.
func skipSubBlocks(b []byte, p int) int {
	for p < len(b) {
		n := int(b[p])
		p++
		if n == 0 {
			return p
		}
		p += n
	}
	return p
}

// apngAnimated reports whether a PNG is an APNG with more than one frame.
// Go's decoder returns an APNG's default image, its first frame.
func apngAnimated(b []byte) bool {
	p := 8
	for p+12 <= len(b) {
		n := int(binary.BigEndian.Uint32(b[p:]) & 0x7fffffff)
		switch string(b[p+4 : p+8]) {
		case "acTL":
			return n >= 8 && p+16 <= len(b) && binary.BigEndian.Uint32(b[p+8:]) > 1
		case "IDAT", "IEND":
			return false // acTL must come before the image data
		}
		if n > len(b)-p-12 {
			return false
		}
		p += 12 + n
	}
	return false
}

// riffChunks calls fn for each chunk in b, a run of RIFF chunks, until fn
// returns false or the data ends.
func riffChunks(b []byte, fn func(id string, data []byte) bool) {
	for p := 0; p+8 <= len(b); {
		n := int(binary.LittleEndian.Uint32(b[p+4:]) & 0x7fffffff)
		if n > len(b)-p-8 {
			return
		}
		if !fn(string(b[p:p+4]), b[p+8:p+8+n]) {
			return
		}
		p += 8 + n + n&1
	}
}

func webpChunks(b []byte, fn func(id string, data []byte) bool) {
	if len(b) > 12 {
		riffChunks(b[12:], fn)
	}
}

// webpAnimated reports whether an extended WebP declares an animation.
func webpAnimated(b []byte) bool {
	animated := false
	webpChunks(b, func(id string, data []byte) bool {
		animated = id == "VP8X" && len(data) >= 10 && data[0]&0x02 != 0
		return false // VP8X, when present, is the first chunk
	})
	return animated
}

func le24(b []byte) int { return int(b[0]) | int(b[1])<<8 | int(b[2])<<16 }

// webpFirstFrame decodes the first frame of an animated WebP, which
// x/image/webp does not read, by rebuilding it as a still WebP, and returns
// it on the canvas. The rebuilt file declares the frame's size in a VP8X
// chunk, so the decoder refuses a bitstream larger than the header said.
func webpFirstFrame(b []byte) (image.Image, error) {
	var canvas image.Point
	var frame []byte
	webpChunks(b, func(id string, data []byte) bool {
		switch id {
		case "VP8X":
			if len(data) >= 10 {
				canvas = image.Pt(le24(data[4:])+1, le24(data[7:])+1)
			}
		case "ANMF":
			frame = data
			return false
		}
		return true
	})
	if canvas == (image.Point{}) || len(frame) < 16 {
		return nil, errors.New("webp: animation without a frame")
	}
	at := image.Pt(2*le24(frame[0:]), 2*le24(frame[3:]))
	size := image.Pt(le24(frame[6:])+1, le24(frame[9:])+1)
	where := image.Rectangle{Min: at, Max: at.Add(size)}
	if !where.In(image.Rectangle{Max: canvas}) {
		return nil, errors.New("webp: frame outside the canvas")
	}

	var alpha, bits []byte
	var kind string
	riffChunks(frame[16:], func(id string, data []byte) bool {
		switch id {
		case "ALPH":
			alpha = data
		case "VP8 ", "VP8L":
			kind, bits = id, data
			return false
		}
		return true
	})
	if bits == nil {
		return nil, errors.New("webp: frame without image data")
	}

	var still bytes.Buffer
	still.WriteString("RIFF\x00\x00\x00\x00WEBP")
	vp8x := make([]byte, 10)
	if alpha != nil && kind == "VP8 " {
		vp8x[0] = 0x10 // alpha
	}
	vp8x[4], vp8x[5], vp8x[6] = byte(size.X-1), byte((size.X-1)>>8), byte((size.X-1)>>16)
	vp8x[7], vp8x[8], vp8x[9] = byte(size.Y-1), byte((size.Y-1)>>8), byte((size.Y-1)>>16)
	writeChunk(&still, "VP8X", vp8x)
	if vp8x[0] != 0 {
		writeChunk(&still, "ALPH", alpha)
	}
	writeChunk(&still, kind, bits)
	out := still.Bytes()
	binary.LittleEndian.PutUint32(out[4:], uint32(len(out)-8))

	img, err := webp.Decode(bytes.NewReader(out))
	if err != nil {
		return nil, err
	}
	if img.Bounds() != (image.Rectangle{Max: size}) {
		return nil, errors.New("webp: frame size differs from its header")
	}
	if where == (image.Rectangle{Max: canvas}) {
		return img, nil
	}
	c := image.NewNRGBA(image.Rectangle{Max: canvas})
	draw.Draw(c, where, img, image.Point{}, draw.Src)
	return c, nil
}

func writeChunk(w *bytes.Buffer, id string, data []byte) {
	var n [4]byte
	binary.LittleEndian.PutUint32(n[:], uint32(len(data)))
	w.WriteString(id)
	w.Write(n[:])
	w.Write(data)
	if len(data)%2 == 1 {
		w.WriteByte(0)
	}
}
