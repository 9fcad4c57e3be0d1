package adapt

import (
	"image"
	"math"
)

// PSNR is the peak signal-to-noise ratio of a against b in dB, over R, G
// and B at 8 bits: about 30 dB is a visible difference, 40 dB and above
// hard to see. Images of different sizes compare as 0; equal ones as +Inf.
func PSNR(a, b image.Image) float64 {
	ra, rb := a.Bounds(), b.Bounds()
	if ra.Size() != rb.Size() || ra.Empty() {
		return 0
	}
	w, h := ra.Dx(), ra.Dy()
	rowA, rowB := make([]uint8, 3*w), make([]uint8, 3*w)
	readA, readB := rowReader(a), rowReader(b)
	var sum float64
	for y := 0; y < h; y++ {
		readA(ra.Min.Y+y, rowA)
		readB(rb.Min.Y+y, rowB)
		for i := range rowA {
			d := float64(rowA[i]) - float64(rowB[i])
			sum += d * d
		}
	}
	mse := sum / float64(3*w*h)
	if mse == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/mse)
}
