import { describe, expect, it } from 'vitest'
import { fontAlias, fontStack, shortHash } from './brandFonts'

const font = { family: 'Cairn Sans', files: [{ path: 'brand/fonts/cairn-400.woff2', weight: 400, style: 'normal' }] }

describe('brand font names', () => {
  it('gives each font file set an alias of its own, safe to use unquoted', () => {
    const a = fontAlias(font, { 'brand/fonts/cairn-400.woff2': '/library/file/aaa' })
    const b = fontAlias(font, { 'brand/fonts/cairn-400.woff2': '/library/file/bbb' })
    expect(a).toMatch(/^outpost-brand-cairn-sans-[0-9a-z]+$/)
    expect(a).not.toBe(b)
    expect(fontAlias({ family: '¡¡!!', files: [] }, {})).toMatch(/^outpost-brand-font-/)
  })

  it('hashes stably', () => {
    expect(shortHash('abc')).toBe(shortHash('abc'))
    expect(shortHash('abc')).not.toBe(shortHash('abd'))
  })

  it('puts HQ’s fallback after the alias and keeps CSS out of it', () => {
    expect(fontStack('outpost-brand-x', 'Arial, sans-serif')).toBe('outpost-brand-x, Arial, sans-serif')
    expect(fontStack('outpost-brand-x', '')).toBe('outpost-brand-x, sans-serif')
    expect(fontStack('outpost-brand-x', 'Arial; } body { color: red')).toBe('outpost-brand-x, Arial  body  color: red')
  })
})
