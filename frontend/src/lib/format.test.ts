import { describe, expect, it } from 'vitest'
import { formatBytes, formatCount, formatDateTime, formatPercent, formatRelative, formatVersion } from './format'

/** ICU's French spacing (no-break or narrow no-break) differs between versions. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ')

describe('formatBytes', () => {
  it('uses decimal units, one decimal below 100', () => {
    expect(formatBytes(0, 'en')).toBe('0 bytes')
    expect(formatBytes(512, 'en')).toBe('512 bytes')
    expect(formatBytes(1500, 'en')).toBe('1.5 kB')
    expect(formatBytes(134_217_728, 'en')).toBe('134 MB')
    expect(formatBytes(2_500_000_000, 'en')).toBe('2.5 GB')
  })

  it('speaks French units and decimal commas', () => {
    expect(plain(formatBytes(1500, 'fr'))).toBe('1,5 ko')
    expect(plain(formatBytes(3_200_000, 'fr'))).toBe('3,2 Mo')
    expect(plain(formatBytes(512, 'fr'))).toBe('512 octets')
  })

  it('treats nonsense as zero', () => {
    expect(formatBytes(-5, 'en')).toBe('0 bytes')
    expect(formatBytes(Number.NaN, 'en')).toBe('0 bytes')
  })
})

describe('formatCount and formatPercent', () => {
  it('groups digits per locale', () => {
    expect(formatCount(12400, 'en')).toBe('12,400')
    expect(plain(formatCount(12400, 'fr'))).toBe('12 400')
  })

  it('clamps percentages', () => {
    expect(formatPercent(0.421, 'en')).toBe('42%')
    expect(formatPercent(2, 'en')).toBe('100%')
    expect(plain(formatPercent(-1, 'fr'))).toBe('0 %')
  })
})

describe('formatVersion', () => {
  it('prefixes releases with v and leaves dev builds alone', () => {
    expect(formatVersion('0.1.0')).toBe('v0.1.0')
    expect(formatVersion('dev')).toBe('dev')
    expect(formatVersion('f47c6b1-dirty')).toBe('f47c6b1-dirty')
    expect(formatVersion('')).toBe('')
  })
})

describe('formatDateTime', () => {
  it('is empty without a valid time', () => {
    expect(formatDateTime('', 'en')).toBe('')
    expect(formatDateTime('yesterday', 'en')).toBe('')
  })

  it('formats RFC 3339', () => {
    expect(formatDateTime('2026-11-22T11:25:28Z', 'en')).toMatch(/2026/)
  })
})

describe('formatRelative', () => {
  // Local noon, so calendar days are what they read whatever the time zone.
  const now = new Date(2026, 10, 22, 12, 0, 0).getTime()
  const before = (secs: number) => new Date(now - secs * 1000).toISOString()

  it('says now, minutes and hours ago', () => {
    expect(formatRelative(before(10), now, 'en')).toBe('now')
    expect(formatRelative(before(5 * 60), now, 'en')).toBe('5 minutes ago')
    expect(formatRelative(before(60), now, 'en')).toBe('1 minute ago')
    expect(formatRelative(before(3 * 3600), now, 'en')).toBe('3 hours ago')
    expect(plain(formatRelative(before(5 * 60), now, 'fr'))).toBe('il y a 5 minutes')
    expect(formatRelative(before(10), now, 'fr')).toBe('maintenant')
  })

  it('counts days by the calendar', () => {
    expect(formatRelative(new Date(2026, 10, 21, 9, 0).toISOString(), now, 'en')).toBe('yesterday')
    expect(formatRelative(new Date(2026, 10, 21, 9, 0).toISOString(), now, 'fr')).toBe('hier')
    expect(formatRelative(new Date(2026, 10, 19, 18, 0).toISOString(), now, 'en')).toBe('3 days ago')
  })

  it('gives the date from a week ago, in the future, and nothing for no time', () => {
    expect(formatRelative(new Date(2026, 10, 10, 9, 0).toISOString(), now, 'en')).toBe('Nov 10, 2026')
    expect(formatRelative(new Date(2026, 11, 10, 9, 0).toISOString(), now, 'en')).toBe('Dec 10, 2026')
    expect(formatRelative('', now, 'en')).toBe('')
    expect(formatRelative('not a date', now, 'en')).toBe('')
  })
})
