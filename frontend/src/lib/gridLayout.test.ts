import { describe, expect, it } from 'vitest'
import { GRID, gridLayout, moveFocus, pagesFor, rowCount, rowItems } from './gridLayout'

describe('gridLayout', () => {
  it('fits as many columns as the minimum card width allows', () => {
    // 5 × 176 + 4 × 16 = 944
    expect(gridLayout(944).columns).toBe(5)
    expect(gridLayout(943).columns).toBe(4)
    expect(gridLayout(1000).columns).toBe(5)
  })

  it('shares the width between the cards', () => {
    const l = gridLayout(1000)
    expect(l.cardWidth).toBeCloseTo((1000 - 4 * 16) / 5)
    expect(l.thumbHeight).toBe(Math.round(l.cardWidth * 0.75))
    expect(l.cardHeight).toBe(l.thumbHeight + GRID.captionHeight)
    expect(l.rowStride).toBe(l.cardHeight + GRID.gap)
  })

  it('keeps one column when narrow or unmeasured, and caps the column count', () => {
    expect(gridLayout(100).columns).toBe(1)
    expect(gridLayout(100).cardWidth).toBe(100)
    expect(gridLayout(0)).toMatchObject({ columns: 1, cardWidth: 0, thumbHeight: 0 })
    expect(gridLayout(Number.NaN).columns).toBe(1)
    expect(gridLayout(10_000).columns).toBe(GRID.maxColumns)
  })

  it('takes other options', () => {
    const l = gridLayout(500, { minCardWidth: 100, gap: 0, thumbRatio: 1, captionHeight: 10, maxColumns: 3 })
    expect(l).toEqual({ columns: 3, cardWidth: 500 / 3, thumbHeight: 167, cardHeight: 177, rowStride: 177 })
  })
})

describe('rows', () => {
  it('counts rows, the last one possibly short', () => {
    expect(rowCount(10_000, 5)).toBe(2000)
    expect(rowCount(11, 5)).toBe(3)
    expect(rowCount(0, 5)).toBe(0)
    expect(rowCount(3, 0)).toBe(0)
  })

  it('names the items of a row', () => {
    expect(rowItems(0, 5, 11)).toEqual([0, 5])
    expect(rowItems(2, 5, 11)).toEqual([10, 11])
    expect(rowItems(3, 5, 11)).toEqual([11, 11])
  })
})

describe('pagesFor', () => {
  it('lists the pages that hold a range of items', () => {
    expect(pagesFor(0, 39, 120, 10_000)).toEqual([0])
    expect(pagesFor(100, 130, 120, 10_000)).toEqual([0, 120])
    expect(pagesFor(240, 600, 120, 10_000)).toEqual([240, 360, 480, 600])
  })

  it('stays inside the results', () => {
    expect(pagesFor(0, 500, 120, 130)).toEqual([0, 120])
    expect(pagesFor(0, 10, 120, 0)).toEqual([])
    expect(pagesFor(10, 5, 120, 100)).toEqual([])
  })
})

describe('moveFocus', () => {
  // 11 items in 4 columns:
  //  0  1  2  3
  //  4  5  6  7
  //  8  9 10
  const move = (i: number, key: string, ctrl = false) => moveFocus(i, key, 4, 11, 2, ctrl)

  it('moves left and right in reading order, across rows, within the grid', () => {
    expect(move(1, 'ArrowRight')).toBe(2)
    expect(move(3, 'ArrowRight')).toBe(4)
    expect(move(4, 'ArrowLeft')).toBe(3)
    expect(move(0, 'ArrowLeft')).toBe(0)
    expect(move(10, 'ArrowRight')).toBe(10)
  })

  it('moves up and down by a row', () => {
    expect(move(1, 'ArrowDown')).toBe(5)
    expect(move(5, 'ArrowUp')).toBe(1)
    expect(move(1, 'ArrowUp')).toBe(1)
    expect(move(9, 'ArrowDown')).toBe(9)
  })

  it('goes down into a shorter last row to its last item', () => {
    expect(move(7, 'ArrowDown')).toBe(10)
    expect(move(6, 'ArrowDown')).toBe(10)
  })

  it('goes to the row’s ends with Home/End and the grid’s with Ctrl', () => {
    expect(move(6, 'Home')).toBe(4)
    expect(move(5, 'End')).toBe(7)
    expect(move(9, 'End')).toBe(10)
    expect(move(6, 'Home', true)).toBe(0)
    expect(move(2, 'End', true)).toBe(10)
  })

  it('pages by pageRows rows, keeping the column', () => {
    expect(move(1, 'PageDown')).toBe(9)
    expect(move(5, 'PageDown')).toBe(9)
    expect(move(7, 'PageDown')).toBe(10)
    expect(move(9, 'PageUp')).toBe(1)
    expect(move(6, 'PageUp')).toBe(2)
  })

  it('ignores other keys and empty grids', () => {
    expect(move(1, 'Enter')).toBeNull()
    expect(moveFocus(0, 'ArrowRight', 4, 0, 2)).toBeNull()
  })
})
