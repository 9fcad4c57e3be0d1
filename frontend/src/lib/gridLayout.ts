// The thumbnail grid's geometry: how many columns fit a width, how tall a
// row is, which rows and pages a scroll position needs, and where the arrow
// keys move focus. Plain numbers, so the virtualized grid stays predictable.

export interface GridOptions {
  /** The narrowest a card may be, in px. */
  minCardWidth: number
  /** Space between cards, in px. */
  gap: number
  /** Thumbnail height / width. */
  thumbRatio: number
  /** Height of the caption under the thumbnail, in px. */
  captionHeight: number
  maxColumns: number
}

export const GRID: GridOptions = {
  minCardWidth: 176,
  gap: 16,
  thumbRatio: 3 / 4,
  captionHeight: 56,
  maxColumns: 12,
}

export interface GridLayout {
  columns: number
  /** Width of one card, in px. */
  cardWidth: number
  thumbHeight: number
  /** Height of a card: thumbnail and caption. */
  cardHeight: number
  /** Distance from one row's top to the next's: card and gap. */
  rowStride: number
}

/** The layout of a grid width px wide. */
export function gridLayout(width: number, o: GridOptions = GRID): GridLayout {
  const w = Number.isFinite(width) && width > 0 ? width : 0
  const fit = Math.floor((w + o.gap) / (o.minCardWidth + o.gap))
  const columns = Math.max(1, Math.min(o.maxColumns, fit))
  const cardWidth = Math.max(0, (w - o.gap * (columns - 1)) / columns)
  const thumbHeight = Math.round(cardWidth * o.thumbRatio)
  const cardHeight = thumbHeight + o.captionHeight
  return { columns, cardWidth, thumbHeight, cardHeight, rowStride: cardHeight + o.gap }
}

/** How many rows total items fill. */
export function rowCount(total: number, columns: number): number {
  if (!(total > 0) || !(columns > 0)) return 0
  return Math.ceil(total / columns)
}

/** The item indices of a row: [start, end). */
export function rowItems(row: number, columns: number, total: number): [number, number] {
  const start = Math.max(0, row * columns)
  return [Math.min(start, total), Math.min(start + columns, total)]
}

/** The offsets of the pages (of pageSize items) that hold items first..last. */
export function pagesFor(first: number, last: number, pageSize: number, total: number): number[] {
  if (!(total > 0) || !(pageSize > 0) || last < first) return []
  const lo = Math.max(0, Math.min(first, total - 1))
  const hi = Math.max(0, Math.min(last, total - 1))
  const out: number[] = []
  for (let p = Math.floor(lo / pageSize); p <= Math.floor(hi / pageSize); p++) out.push(p * pageSize)
  return out
}

/**
 * Where focus goes from item index on a key, or null when the key is not a
 * grid key. Left/Right move along the reading order (wrapping rows),
 * Up/Down by a row, Home/End to the first/last item (of the row, or of the
 * grid with Ctrl), PageUp/PageDown by pageRows rows. Stays in [0, total).
 */
export function moveFocus(
  index: number,
  key: string,
  columns: number,
  total: number,
  pageRows: number,
  ctrl = false,
): number | null {
  if (total <= 0) return null
  const cols = Math.max(1, columns)
  const clamp = (i: number) => Math.max(0, Math.min(total - 1, i))
  switch (key) {
    case 'ArrowRight':
      return clamp(index + 1)
    case 'ArrowLeft':
      return clamp(index - 1)
    case 'ArrowDown':
      // From the last full row into a shorter last row: its last item.
      return index + cols < total ? index + cols : Math.floor(index / cols) < Math.floor((total - 1) / cols) ? total - 1 : index
    case 'ArrowUp':
      return index - cols >= 0 ? index - cols : index
    case 'Home':
      return ctrl ? 0 : index - (index % cols)
    case 'End':
      return ctrl ? total - 1 : clamp(index - (index % cols) + cols - 1)
    case 'PageDown': {
      const target = index + cols * Math.max(1, pageRows)
      return target < total ? target : clamp(Math.floor((total - 1) / cols) * cols + (index % cols))
    }
    case 'PageUp': {
      const target = index - cols * Math.max(1, pageRows)
      return target >= 0 ? target : index % cols
    }
  }
  return null
}
