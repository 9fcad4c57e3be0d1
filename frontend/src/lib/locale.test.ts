import { describe, expect, it } from 'vitest'
import { isLocale, resolveLocale, systemLocale } from './locale'

describe('locale', () => {
  it('follows the system: fr* is French, anything else English', () => {
    expect(systemLocale('fr')).toBe('fr')
    expect(systemLocale('fr-CA')).toBe('fr')
    expect(systemLocale('FR-be')).toBe('fr')
    expect(systemLocale('en-GB')).toBe('en')
    expect(systemLocale('de-DE')).toBe('en')
    expect(systemLocale('fy')).toBe('en')
    expect(systemLocale(undefined)).toBe('en')
  })

  it('prefers the saved setting', () => {
    expect(resolveLocale('fr', 'en-US')).toBe('fr')
    expect(resolveLocale('en', 'fr-FR')).toBe('en')
    expect(resolveLocale('', 'fr-FR')).toBe('fr')
    expect(resolveLocale('de', 'fr-FR')).toBe('fr')
  })

  it('knows its locales', () => {
    expect(isLocale('en')).toBe(true)
    expect(isLocale('fr')).toBe(true)
    expect(isLocale('de')).toBe(false)
    expect(isLocale(undefined)).toBe(false)
  })
})
