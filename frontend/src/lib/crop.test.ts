import { describe, expect, it } from 'vitest'
import {
  clampPoint,
  cropView,
  EMAIL_WIDTH,
  emailFrameSize,
  fillRegion,
  focalAfterKey,
  fracAspect,
  isUpscaled,
  keepInside,
  MIN_CROP,
  parseAspect,
  regionImageStyle,
  moveRect,
  pointIn,
  rectAfterKey,
  rectStyle,
  resizeRect,
  sameRect,
  slotRegion,
  scaleRect,
  thumbAt,
  type Rect,
} from './crop'

/** Where the region's corners land in the box, in fractions of the box, for a cropView. */
function shown(r: Rect) {
  const v = cropView(r, 'fill', { width: 1000, height: 500 }, { width: 1, height: 1 })
  const [sw, sh] = v.backgroundSize.split(' ').map((s) => parseFloat(s) / 100) as [number, number]
  const [px, py] = v.backgroundPosition.split(' ').map((s) => parseFloat(s) / 100) as [number, number]
  // CSS: offset = (box - image) * p, box = 1.
  const ox = (1 - sw) * px
  const oy = (1 - sh) * py
  return { left: ox + r.x * sw, top: oy + r.y * sh, right: ox + (r.x + r.w) * sw, bottom: oy + (r.y + r.h) * sh }
}

describe('cropView', () => {
  it('maps a region to a background that shows exactly that region', () => {
    for (const r of [
      { x: 0.25, y: 0, w: 0.5, h: 1 },
      { x: 0, y: 0.1, w: 0.3, h: 0.6 },
      { x: 0.7, y: 0.4, w: 0.3, h: 0.6 },
      { x: 0.1234, y: 0.2, w: 0.4, h: 0.35 },
    ]) {
      const s = shown(r)
      expect(s.left).toBeCloseTo(0, 3)
      expect(s.top).toBeCloseTo(0, 3)
      expect(s.right).toBeCloseTo(1, 3)
      expect(s.bottom).toBeCloseTo(1, 3)
    }
  })

  it('writes CSS percentages', () => {
    const v = cropView({ x: 0.25, y: 0, w: 0.5, h: 1 }, 'fill', { width: 2000, height: 1000 }, { width: 1, height: 1 })
    expect(v.backgroundSize).toBe('200% 100%')
    expect(v.backgroundPosition).toBe('50% 0%')
    expect(v.inner).toEqual({ left: '0%', top: '0%', width: '100%', height: '100%' })
  })

  it('shows the whole picture for a full region', () => {
    const v = cropView({ x: 0, y: 0, w: 1, h: 1 }, 'exact', { width: 10, height: 10 }, { width: 3, height: 1 })
    expect(v.backgroundSize).toBe('100% 100%')
    expect(v.backgroundPosition).toBe('0% 0%')
  })

  it('letterboxes a "fit" preset: a wide picture in a square box leaves bands above and below', () => {
    const v = cropView({ x: 0, y: 0, w: 1, h: 1 }, 'fit', { width: 2000, height: 1000 }, { width: 1200, height: 1200 })
    expect(v.inner).toEqual({ left: '0%', top: '25%', width: '100%', height: '50%' })
    const tall = cropView({ x: 0, y: 0, w: 1, h: 1 }, 'fit', { width: 1000, height: 2000 }, { width: 1200, height: 1200 })
    expect(tall.inner).toEqual({ left: '25%', top: '0%', width: '50%', height: '100%' })
  })

  it('moves the background as the region moves', () => {
    const a = cropView({ x: 0.1, y: 0, w: 0.5, h: 1 }, 'fill', { width: 2, height: 1 }, { width: 1, height: 1 })
    const b = cropView({ x: 0.4, y: 0, w: 0.5, h: 1 }, 'fill', { width: 2, height: 1 }, { width: 1, height: 1 })
    expect(a.backgroundPosition).not.toBe(b.backgroundPosition)
    expect(a.backgroundSize).toBe(b.backgroundSize)
  })
})

describe('focal point', () => {
  it('is clamped into the picture and rounded', () => {
    expect(clampPoint({ x: -0.2, y: 1.4 })).toEqual({ x: 0, y: 1 })
    expect(clampPoint({ x: 0.123456, y: 0.5 })).toEqual({ x: 0.1235, y: 0.5 })
    expect(clampPoint({ x: Number.NaN, y: 0.5 })).toEqual({ x: 0.5, y: 0.5 })
  })

  it('follows the pointer in fractions of the picture box', () => {
    const box = { left: 100, top: 50, width: 400, height: 200 }
    expect(pointIn(200, 100, box)).toEqual({ x: 0.25, y: 0.25 })
    expect(pointIn(0, 900, box)).toEqual({ x: 0, y: 1 })
    expect(pointIn(10, 10, { left: 0, top: 0, width: 0, height: 0 })).toEqual({ x: 0.5, y: 0.5 })
  })

  it('moves 1% per arrow key, 10% with Shift, and stops at the edges', () => {
    const p = { x: 0.5, y: 0.5 }
    expect(focalAfterKey(p, 'ArrowRight', false)).toEqual({ x: 0.51, y: 0.5 })
    expect(focalAfterKey(p, 'ArrowLeft', true)).toEqual({ x: 0.4, y: 0.5 })
    expect(focalAfterKey(p, 'ArrowUp', false)).toEqual({ x: 0.5, y: 0.49 })
    expect(focalAfterKey(p, 'ArrowDown', true)).toEqual({ x: 0.5, y: 0.6 })
    expect(focalAfterKey({ x: 0.95, y: 0.02 }, 'ArrowRight', true)).toEqual({ x: 1, y: 0.02 })
    expect(focalAfterKey({ x: 0.95, y: 0.02 }, 'ArrowUp', true)).toEqual({ x: 0.95, y: 0 })
  })

  it('starts from the centre when there is none, and knows Home, End and c', () => {
    expect(focalAfterKey(null, 'ArrowRight', false)).toEqual({ x: 0.51, y: 0.5 })
    expect(focalAfterKey({ x: 0.3, y: 0.2 }, 'Home', false)).toEqual({ x: 0, y: 0.2 })
    expect(focalAfterKey({ x: 0.3, y: 0.2 }, 'End', false)).toEqual({ x: 1, y: 0.2 })
    expect(focalAfterKey({ x: 0.3, y: 0.2 }, 'c', false)).toEqual({ x: 0.5, y: 0.5 })
    expect(focalAfterKey({ x: 0.3, y: 0.2 }, 'Enter', false)).toBeNull()
  })
})

describe('crop shapes', () => {
  it('turns a preset aspect into a shape in fractions of the picture', () => {
    // A square preset on a 2:1 picture: half as wide (in fractions) as tall.
    expect(fracAspect(1080, 1080, 2000, 1000)).toBeCloseTo(0.5)
    expect(fracAspect(600, 200, 1000, 1000)).toBeCloseTo(3)
    expect(fracAspect(0, 200, 1000, 1000)).toBe(1)
  })

  it('fills around the focal point as far as the edges allow', () => {
    expect(fillRegion(0.5, { x: 0.5, y: 0.5 })).toEqual({ x: 0.25, y: 0, w: 0.5, h: 1 })
    expect(fillRegion(0.5, { x: 0.1, y: 0.5 })).toEqual({ x: 0, y: 0, w: 0.5, h: 1 })
    expect(fillRegion(0.5, { x: 0.9, y: 0.5 })).toEqual({ x: 0.5, y: 0, w: 0.5, h: 1 })
    expect(fillRegion(2, null)).toEqual({ x: 0, y: 0.25, w: 1, h: 0.5 })
  })

  it('says when a crop has fewer pixels than the preset', () => {
    expect(isUpscaled({ x: 0, y: 0, w: 0.5, h: 1 }, 2000, 1000, 1080, 1080)).toBe(true)
    expect(isUpscaled({ x: 0, y: 0, w: 0.5, h: 1 }, 4000, 2000, 1080, 1080)).toBe(false)
  })

  it('keeps a moved crop inside the picture', () => {
    const r = { x: 0.2, y: 0.2, w: 0.5, h: 0.5 }
    expect(moveRect(r, 0.1, 0)).toEqual({ x: 0.3, y: 0.2, w: 0.5, h: 0.5 })
    expect(moveRect(r, 0.9, -0.9)).toEqual({ x: 0.5, y: 0, w: 0.5, h: 0.5 })
    expect(keepInside({ x: -1, y: 2, w: 1.5, h: 0.2 })).toEqual({ x: 0, y: 0.8, w: 1, h: 0.2 })
  })

  it('resizes from a corner with the opposite corner fixed and the shape kept', () => {
    const r = { x: 0.2, y: 0.2, w: 0.4, h: 0.4 }
    const se = resizeRect(r, 'se', { x: 0.8, y: 0.7 }, 1)
    expect(se).toEqual({ x: 0.2, y: 0.2, w: 0.6, h: 0.6 })
    const nw = resizeRect(r, 'nw', { x: 0.5, y: 0.45 }, 1)
    expect(nw.x + nw.w).toBeCloseTo(0.6)
    expect(nw.y + nw.h).toBeCloseTo(0.6)
    expect(nw.w).toBeCloseTo(nw.h)
    // Limited by the picture's edge, and never below the minimum.
    const big = resizeRect(r, 'se', { x: 2, y: 2 }, 1)
    expect(big).toEqual({ x: 0.2, y: 0.2, w: 0.8, h: 0.8 })
    const tiny = resizeRect(r, 'se', { x: 0.2, y: 0.2 }, 1)
    expect(tiny.w).toBeCloseTo(MIN_CROP)
    // A wide shape (3:1 in fractions) stays wide.
    const wide = resizeRect({ x: 0, y: 0, w: 0.6, h: 0.2 }, 'se', { x: 0.9, y: 0.1 }, 3)
    expect(wide.w / wide.h).toBeCloseTo(3, 2)
    expect(wide.w).toBeCloseTo(0.9)
  })

  it('grows and shrinks around the centre with + and -, moves with arrows', () => {
    const r = { x: 0.3, y: 0.3, w: 0.4, h: 0.4 }
    const grown = rectAfterKey(r, '+', false, 1)!
    expect(grown.w).toBeCloseTo(0.41)
    expect(grown.x + grown.w / 2).toBeCloseTo(0.5)
    const shrunk = rectAfterKey(r, '-', true, 1)!
    expect(shrunk.w).toBeCloseTo(0.3)
    expect(rectAfterKey(r, 'ArrowLeft', true, 1)).toEqual({ x: 0.2, y: 0.3, w: 0.4, h: 0.4 })
    expect(rectAfterKey(r, 'x', false, 1)).toBeNull()
    expect(scaleRect(r, 5, 1)).toEqual({ x: 0, y: 0, w: 1, h: 1 })
  })

  it('compares crops and writes them as CSS boxes', () => {
    expect(sameRect({ x: 0.1, y: 0.2, w: 0.3, h: 0.4 }, { x: 0.10001, y: 0.2, w: 0.3, h: 0.4 })).toBe(true)
    expect(sameRect(null, undefined)).toBe(true)
    expect(sameRect({ x: 0.1, y: 0.2, w: 0.3, h: 0.4 }, null)).toBe(false)
    expect(rectStyle({ x: 0.1, y: 0.2, w: 0.3, h: 0.4 })).toEqual({ left: '10%', top: '20%', width: '30%', height: '40%' })
  })
})

describe('thumbAt', () => {
  it('asks for another thumbnail size, within what the server serves', () => {
    expect(thumbAt('/library/thumb/abc?side=320', 1024)).toBe('/library/thumb/abc?side=1024')
    expect(thumbAt('/library/thumb/abc', 4096)).toBe('/library/thumb/abc?side=2048')
    expect(thumbAt('/library/thumb/abc?x=1', 10)).toBe('/library/thumb/abc?x=1&side=32')
    expect(thumbAt('', 100)).toBe('')
  })
})

describe('campaign image slots', () => {
  it('reads a slot’s aspect, refusing what is not W:H', () => {
    expect(parseAspect('2:1')).toBe(2)
    expect(parseAspect(' 16 / 9 ')).toBeCloseTo(16 / 9)
    expect(parseAspect('')).toBe(0)
    expect(parseAspect('0:1')).toBe(0)
    expect(parseAspect('wide')).toBe(0)
  })

  it('sizes the email frame from the aspect, else the minimum size, else the picture', () => {
    const pic = { width: 4000, height: 3000 }
    expect(emailFrameSize({ aspect: '2:1', minWidth: 0, minHeight: 0 }, pic)).toEqual({ width: EMAIL_WIDTH, height: 600 })
    expect(emailFrameSize({ aspect: '2:1', minWidth: 1400, minHeight: 700 }, pic)).toEqual({ width: 1400, height: 700 })
    expect(emailFrameSize({ aspect: '', minWidth: 1000, minHeight: 250 }, pic)).toEqual({ width: 1000, height: 250 })
    expect(emailFrameSize({ aspect: '', minWidth: 0, minHeight: 0 }, pic)).toEqual({ width: EMAIL_WIDTH, height: 900 })
    expect(emailFrameSize({ aspect: '', minWidth: 0, minHeight: 0 }, { width: 0, height: 0 })).toBeNull()
  })

  it('shows the manual crop when there is one, else the frame’s shape around the focal point', () => {
    const pic = { width: 2000, height: 1000, focal: { x: 0.9, y: 0.5 } }
    const manual = { x: 0.1, y: 0.2, w: 0.5, h: 0.5 }
    expect(slotRegion(manual, { width: 1200, height: 600 }, pic)).toEqual(manual)
    // A 1:1 frame on a 2:1 picture: half its width, pushed against the right edge.
    expect(slotRegion(null, { width: 600, height: 600 }, pic)).toEqual({ x: 0.5, y: 0, w: 0.5, h: 1 })
    // No focal point: centred.
    expect(slotRegion(undefined, { width: 600, height: 600 }, { ...pic, focal: null })).toEqual({ x: 0.25, y: 0, w: 0.5, h: 1 })
    expect(slotRegion(null, null, pic)).toEqual({ x: 0, y: 0, w: 1, h: 1 })
  })

  it('places the whole picture so just the region fills the box', () => {
    expect(regionImageStyle({ x: 0.5, y: 0, w: 0.5, h: 1 })).toEqual({ left: '-100%', top: '0%', width: '200%', height: '100%' })
    expect(regionImageStyle({ x: 0, y: 0, w: 1, h: 1 })).toEqual({ left: '0%', top: '0%', width: '100%', height: '100%' })
  })
})
