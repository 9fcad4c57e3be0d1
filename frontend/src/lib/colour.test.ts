import { describe, expect, it } from 'vitest'
import { contrastRatio, formatRatio, INK_DARK, INK_LIGHT, inkFor, luminance, normalizeHex, parseHex } from './colour'

describe('parseHex', () => {
  it('reads long and short forms, with or without #', () => {
    expect(parseHex('#1F4E79')).toEqual({ r: 0x1f, g: 0x4e, b: 0x79 })
    expect(parseHex('1f4e79')).toEqual({ r: 0x1f, g: 0x4e, b: 0x79 })
    expect(parseHex('#fff')).toEqual({ r: 255, g: 255, b: 255 })
  })

  it('refuses anything else', () => {
    for (const s of ['', '#12', '#12345', 'red', '#gggggg', 'url(x)']) expect(parseHex(s), s).toBeNull()
  })

  it('normalizes for display', () => {
    expect(normalizeHex('#1f4e79')).toBe('#1F4E79')
    expect(normalizeHex('#abc')).toBe('#AABBCC')
    expect(normalizeHex('nope')).toBe('')
  })
})

describe('contrast', () => {
  it('follows WCAG 2', () => {
    expect(luminance({ r: 0, g: 0, b: 0 })).toBe(0)
    expect(luminance({ r: 255, g: 255, b: 255 })).toBeCloseTo(1)
    expect(contrastRatio({ r: 0, g: 0, b: 0 }, { r: 255, g: 255, b: 255 })).toBeCloseTo(21)
    expect(contrastRatio(parseHex('#777777')!, parseHex('#ffffff')!)).toBeCloseTo(4.48, 2)
  })

  it('picks white ink on dark swatches and dark ink on light ones', () => {
    expect(inkFor('#1F4E79').ink).toBe(INK_LIGHT)
    expect(inkFor('#F2C14E').ink).toBe(INK_DARK)
    expect(inkFor('#ffffff')).toEqual({ ink: INK_DARK, ratio: expect.closeTo(17.03, 1) })
    expect(inkFor('#1F4E79').ratio).toBeGreaterThan(4.5)
    expect(inkFor('nope')).toEqual({ ink: INK_DARK, ratio: 1 })
  })

  it('formats a ratio without rounding up past a threshold', () => {
    expect(formatRatio(4.499, 'en')).toBe('4.4')
    expect(formatRatio(21, 'fr')).toBe('21,0')
  })
})
