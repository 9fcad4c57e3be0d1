import { describe, expect, it } from 'vitest'
import { fitCount } from './chipsFit'

describe('fitCount', () => {
  it('shows every chip when they all fit, with no room kept for "more"', () => {
    expect(fitCount([50, 50, 50], 170, 6, 80)).toBe(3)
  })

  it('keeps room for the "more" button when some do not fit', () => {
    // 50 + 6 + 50 = 106; + 6 + 80 = 192 ≤ 200; a third chip would need 248.
    expect(fitCount([50, 50, 50, 50], 200, 6, 80)).toBe(2)
  })

  it('shows at least one chip, and none when there are none', () => {
    expect(fitCount([300, 50], 200, 6, 80)).toBe(1)
    expect(fitCount([], 200, 6, 80)).toBe(0)
  })
})
