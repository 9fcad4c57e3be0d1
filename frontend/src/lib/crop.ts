// Crop geometry for the crop editor: every value is a fraction of the
// upright picture (0..1), as Go's LibraryService.Crops answers. A preset's
// crop is drawn as a box of the preset's aspect whose background is the
// picture scaled and moved so that only the crop's region shows.

export interface Point {
  x: number
  y: number
}

/** A region of the picture: its top-left corner, width and height, in fractions. */
export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

/** How a preset fills its frame (Go: adapt.Fit*). */
export type Fit = 'fill' | 'fit' | 'exact' | (string & {})

/** Keyboard steps of the focal point and a manual crop: 1%, 10% with Shift. */
export const STEP = 0.01
export const BIG_STEP = 0.1
/** The smallest manual crop, as a fraction of the picture's longer side of the crop. */
export const MIN_CROP = 0.05

const DIGITS = 1e4

/** Rounds to 4 decimals: enough for 10,000 px pictures, stable in CSS and JSON. */
export function round4(v: number): number {
  return Math.round(v * DIGITS) / DIGITS
}

export function clamp01(v: number): number {
  if (!Number.isFinite(v)) return 0.5
  return Math.min(1, Math.max(0, v))
}

/** A focal point inside the picture, rounded. */
export function clampPoint(p: Point): Point {
  return { x: round4(clamp01(p.x)), y: round4(clamp01(p.y)) }
}

/** The point under a pointer, in fractions of the element's box, clamped to it. */
export function pointIn(clientX: number, clientY: number, box: { left: number; top: number; width: number; height: number }): Point {
  if (!(box.width > 0 && box.height > 0)) return { x: 0.5, y: 0.5 }
  return clampPoint({ x: (clientX - box.left) / box.width, y: (clientY - box.top) / box.height })
}

/** The direction an arrow key moves by, or null for another key. */
export function arrowDelta(key: string): Point | null {
  switch (key) {
    case 'ArrowLeft':
      return { x: -1, y: 0 }
    case 'ArrowRight':
      return { x: 1, y: 0 }
    case 'ArrowUp':
      return { x: 0, y: -1 }
    case 'ArrowDown':
      return { x: 0, y: 1 }
  }
  return null
}

/**
 * The focal point after a key: arrows move it 1% (10% with Shift), Home and
 * End go to the left and right edges, and "c" to the centre. Null for any
 * other key (the caller lets the event through).
 */
export function focalAfterKey(p: Point | null, key: string, shift: boolean): Point | null {
  const from = p ?? { x: 0.5, y: 0.5 }
  const d = arrowDelta(key)
  if (d) {
    const step = shift ? BIG_STEP : STEP
    return clampPoint({ x: from.x + d.x * step, y: from.y + d.y * step })
  }
  if (key === 'Home') return clampPoint({ x: 0, y: from.y })
  if (key === 'End') return clampPoint({ x: 1, y: from.y })
  if (key === 'c' || key === 'C') return { x: 0.5, y: 0.5 }
  return null
}

export function samePoint(a: Point | null | undefined, b: Point | null | undefined): boolean {
  if (!a || !b) return !a && !b
  return Math.abs(a.x - b.x) < 1e-4 && Math.abs(a.y - b.y) < 1e-4
}

/**
 * The shape a preset needs, as a ratio of fractions: a crop of this w/h (in
 * fractions of the picture) has the preset's pixel aspect.
 */
export function fracAspect(presetWidth: number, presetHeight: number, pictureWidth: number, pictureHeight: number): number {
  if (!(presetWidth > 0 && presetHeight > 0 && pictureWidth > 0 && pictureHeight > 0)) return 1
  return presetWidth / presetHeight / (pictureWidth / pictureHeight)
}

/** Moves r to keep it inside the picture (it must fit: w, h ≤ 1). */
export function keepInside(r: Rect): Rect {
  const w = Math.min(1, Math.max(0, r.w))
  const h = Math.min(1, Math.max(0, r.h))
  return {
    x: round4(Math.min(1 - w, Math.max(0, r.x))),
    y: round4(Math.min(1 - h, Math.max(0, r.y))),
    w: round4(w),
    h: round4(h),
  }
}

/**
 * The largest crop of a shape (fracAspect) inside the picture, centred on
 * the focal point as far as the edges allow: what "fill" does around a
 * focal point. The crop editor draws frames Go has no preset for (e.g. a
 * campaign's email slot) with it.
 */
export function fillRegion(aspect: number, focal: Point | null): Rect {
  const a = aspect > 0 && Number.isFinite(aspect) ? aspect : 1
  let w = Math.min(1, a)
  let h = w / a
  if (h > 1) {
    h = 1
    w = a
  }
  const f = focal ?? { x: 0.5, y: 0.5 }
  return keepInside({ x: f.x - w / 2, y: f.y - h / 2, w, h })
}

/** Whether a crop has fewer pixels than the preset: the picture would be enlarged. */
export function isUpscaled(crop: Rect, pictureWidth: number, pictureHeight: number, presetWidth: number, presetHeight: number): boolean {
  return crop.w * pictureWidth < presetWidth - 0.5 || crop.h * pictureHeight < presetHeight - 0.5
}

/** Moves a crop by (dx, dy), kept inside the picture. */
export function moveRect(r: Rect, dx: number, dy: number): Rect {
  return keepInside({ ...r, x: r.x + dx, y: r.y + dy })
}

export type Corner = 'nw' | 'ne' | 'sw' | 'se'

/**
 * Resizes a crop by dragging one corner to p, the opposite corner staying
 * put and the shape (aspect, w/h in fractions) kept: the size follows the
 * pointer's farther axis, limited by the picture's edges and MIN_CROP.
 */
export function resizeRect(r: Rect, corner: Corner, p: Point, aspect: number): Rect {
  const a = aspect > 0 && Number.isFinite(aspect) ? aspect : 1
  const east = corner === 'ne' || corner === 'se'
  const south = corner === 'sw' || corner === 'se'
  const ax = east ? r.x : r.x + r.w
  const ay = south ? r.y : r.y + r.h
  const dx = east ? p.x - ax : ax - p.x
  const dy = south ? p.y - ay : ay - p.y
  const roomW = east ? 1 - ax : ax
  const roomH = south ? 1 - ay : ay
  let w = Math.max(dx, dy * a)
  w = Math.min(w, roomW, roomH * a)
  const minW = Math.min(MIN_CROP * Math.max(1, a), roomW, roomH * a)
  w = Math.max(w, minW)
  const h = w / a
  return keepInside({ x: east ? ax : ax - w, y: south ? ay : ay - h, w, h })
}

/** Grows (delta > 0) or shrinks a crop around its centre, keeping its shape. */
export function scaleRect(r: Rect, delta: number, aspect: number): Rect {
  const a = aspect > 0 && Number.isFinite(aspect) ? aspect : 1
  const cx = r.x + r.w / 2
  const cy = r.y + r.h / 2
  const maxW = Math.min(1, a)
  const minW = Math.min(MIN_CROP * Math.max(1, a), maxW)
  const w = Math.min(maxW, Math.max(minW, r.w + delta * Math.max(1, a)))
  const h = w / a
  return keepInside({ x: cx - w / 2, y: cy - h / 2, w, h })
}

/**
 * The crop after a key: arrows move it 1% (10% with Shift), "+" and "-"
 * grow and shrink it. Null for any other key.
 */
export function rectAfterKey(r: Rect, key: string, shift: boolean, aspect: number): Rect | null {
  const step = shift ? BIG_STEP : STEP
  const d = arrowDelta(key)
  if (d) return moveRect(r, d.x * step, d.y * step)
  if (key === '+' || key === '=') return scaleRect(r, step, aspect)
  if (key === '-' || key === '_') return scaleRect(r, -step, aspect)
  return null
}

export function sameRect(a: Rect | null | undefined, b: Rect | null | undefined): boolean {
  if (!a || !b) return !a && !b
  return Math.abs(a.x - b.x) < 1e-4 && Math.abs(a.y - b.y) < 1e-4 && Math.abs(a.w - b.w) < 1e-4 && Math.abs(a.h - b.h) < 1e-4
}

function pct(v: number): string {
  return `${round4(v * 100)}%`
}

/** Where a crop's picture sits in its box, and how the picture is laid out behind it. */
export interface CropView {
  /** The part of the box the picture covers (a letterbox leaves bands for "fit"). */
  inner: { left: string; top: string; width: string; height: string }
  /** CSS background-size of the picture on the inner box. */
  backgroundSize: string
  /** CSS background-position of the picture on the inner box. */
  backgroundPosition: string
}

/**
 * The CSS that shows crop r of a picture in a box of the preset's aspect:
 * the picture is scaled to 1/w × 1/h of the inner box and positioned so
 * the region's corner meets the box's. In percentages, a background at p%
 * aligns the picture's p% point with the box's, so the offset -x/w of the
 * box is p = x / (1 - w). "fill" and "exact" stretch the region to the
 * box (they match in shape for "fill"); "fit" letterboxes it.
 */
export function cropView(r: Rect, fit: Fit, picture: { width: number; height: number }, box: { width: number; height: number }): CropView {
  const w = r.w > 0 ? Math.min(1, r.w) : 1
  const h = r.h > 0 ? Math.min(1, r.h) : 1
  const position = (at: number, size: number) => (size >= 1 - 1e-6 ? 0 : clamp01(at / (1 - size)))
  let inner = { left: 0, top: 0, width: 1, height: 1 }
  if (fit === 'fit' && picture.width > 0 && picture.height > 0 && box.width > 0 && box.height > 0) {
    const region = (w * picture.width) / (h * picture.height)
    const frame = box.width / box.height
    if (region > frame) {
      const hh = frame / region
      inner = { left: 0, top: (1 - hh) / 2, width: 1, height: hh }
    } else {
      const ww = region / frame
      inner = { left: (1 - ww) / 2, top: 0, width: ww, height: 1 }
    }
  }
  return {
    inner: { left: pct(inner.left), top: pct(inner.top), width: pct(inner.width), height: pct(inner.height) },
    backgroundSize: `${pct(1 / w)} ${pct(1 / h)}`,
    backgroundPosition: `${pct(position(r.x, w))} ${pct(position(r.y, h))}`,
  }
}

/** A crop as CSS box percentages over the whole picture (the editor's rectangle). */
export function rectStyle(r: Rect): { left: string; top: string; width: string; height: string } {
  return { left: pct(r.x), top: pct(r.y), width: pct(r.w), height: pct(r.h) }
}

/** A thumbnail URL of another size: /library/thumb/{sha}?side=N (32..2048). */
export function thumbAt(url: string, side: number): string {
  if (!url) return ''
  const s = Math.min(2048, Math.max(32, Math.round(side)))
  return /[?&]side=\d+/.test(url) ? url.replace(/([?&]side=)\d+/, `$1${s}`) : `${url}${url.includes('?') ? '&' : '?'}side=${s}`
}

/** The width Go cuts an image slot without size limits to: a 600 px email at 2× (campaign.emailWidth). */
export const EMAIL_WIDTH = 1200

/** "2:1", "16 / 9" → their ratio (2, 1.777…); 0 when it is not W:H with positive numbers. */
export function parseAspect(aspect: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*[:/x×]\s*(\d+(?:\.\d+)?)\s*$/i.exec(aspect ?? '')
  if (!m) return 0
  const w = Number(m[1])
  const h = Number(m[2])
  return w > 0 && h > 0 ? w / h : 0
}

/**
 * The pixel size of a campaign image slot's email frame: the slot's aspect
 * (else its minimum size's, else the picture's), as wide as its minimum
 * width or EMAIL_WIDTH. Null when no shape is known.
 */
export function emailFrameSize(
  limits: { aspect: string; minWidth: number; minHeight: number },
  picture: { width: number; height: number },
): { width: number; height: number } | null {
  let a = parseAspect(limits.aspect)
  if (!a && limits.minWidth > 0 && limits.minHeight > 0) a = limits.minWidth / limits.minHeight
  if (!a && picture.width > 0 && picture.height > 0) a = picture.width / picture.height
  if (!(a > 0)) return null
  const width = limits.minWidth > 0 ? limits.minWidth : EMAIL_WIDTH
  return { width, height: Math.max(1, Math.round(width / a)) }
}

/**
 * What an image slot shows of its picture: the manual crop when there is
 * one, else the largest region of the frame's shape around the picture's
 * focal point (the centre without one), as Go cuts it.
 */
export function slotRegion(
  manual: Rect | null | undefined,
  frame: { width: number; height: number } | null,
  picture: { width: number; height: number; focal: Point | null },
): Rect {
  if (manual && manual.w > 0 && manual.h > 0) return keepInside(manual)
  if (!frame) return { x: 0, y: 0, w: 1, h: 1 }
  return fillRegion(fracAspect(frame.width, frame.height, picture.width, picture.height), picture.focal)
}

/**
 * Where a whole picture (an absolutely placed img) goes in a box of the
 * region's shape so that just region r fills the box: scaled to 1/w × 1/h
 * of the box and moved by -x/w, -y/h.
 */
export function regionImageStyle(r: Rect): { left: string; top: string; width: string; height: string } {
  const w = r.w > 0 ? Math.min(1, r.w) : 1
  const h = r.h > 0 ? Math.min(1, r.h) : 1
  return { left: pct(-r.x / w), top: pct(-r.y / h), width: pct(1 / w), height: pct(1 / h) }
}
