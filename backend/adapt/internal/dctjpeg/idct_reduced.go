// Copyright 2026 The Outpost authors. Use of this source code is governed
// by the BSD-style license in the LICENSE file.

package dctjpeg

import "math"

// reducedScale is the fixed-point scale of the reduced IDCT's cosines.
const reducedScale = 13

// reducedCos[n][i][k] is C(k)/2 · cos((2i+1)kπ/2n) << reducedScale, with
// C(0) = 1/√2 and C(k) = 1 otherwise: the n-point basis the 8-point IDCT
// takes at the centres of n equal parts of a block, when only its lowest n
// frequencies are kept.
var reducedCos = func() (t [9][8][8]int64) {
	for _, n := range []int{1, 2, 4} {
		for i := 0; i < n; i++ {
			for k := 0; k < n; k++ {
				c := 1.0
				if k == 0 {
					c = 1 / math.Sqrt2
				}
				v := c / 2 * math.Cos(float64(2*i+1)*float64(k)*math.Pi/float64(2*n))
				t[n][i][k] = int64(math.Round(v * (1 << reducedScale)))
			}
		}
	}
	return t
}()

// zigOf is the inverse of unzig: the zig-zag index of a natural position.
var zigOf = func() (z [blockSize]int) {
	for i, n := range unzig {
		z[n] = i
	}
	return z
}()

// idctReduced replaces the top-left n×n samples of b, a block of quantized
// coefficients in natural order, with the n×n inverse DCT of its lowest
// n×n frequencies dequantized by qt (in zig-zag order), level shift not yet
// added, as idct does for n = 8. Integer arithmetic keeps the output the
// same on every platform.
func idctReduced(b *block, n int, qt *block) {
	if n == 1 {
		b[0] = (b[0]*qt[0] + 4) >> 3
		return
	}
	t := &reducedCos[n]
	var f [4][4]int64
	for v := 0; v < n; v++ {
		for u := 0; u < n; u++ {
			f[v][u] = int64(b[v*8+u]) * int64(qt[zigOf[v*8+u]])
		}
	}
	var tmp [4][4]int64
	for v := 0; v < n; v++ {
		for j := 0; j < n; j++ {
			var s int64
			for u := 0; u < n; u++ {
				s += f[v][u] * t[j][u]
			}
			tmp[v][j] = s
		}
	}
	const round = 1 << (2*reducedScale - 1)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			var s int64
			for v := 0; v < n; v++ {
				s += t[i][v] * tmp[v][j]
			}
			b[i*8+j] = int32((s + round) >> (2 * reducedScale))
		}
	}
}
