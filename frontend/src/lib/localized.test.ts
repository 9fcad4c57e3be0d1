import { describe, expect, it } from 'vitest'
import { exactly, fallbackChain, localeName, localesOf, localize, pick } from './localized'

const lib = ['fr', 'en', 'de']

describe('localize', () => {
  it('uses the UI language when the value has it', () => {
    expect(localize({ fr: 'Lac à l’aube', en: 'Lake at dawn' }, 'en', lib)).toBe('Lake at dawn')
    expect(localize({ fr: 'Lac à l’aube', en: 'Lake at dawn' }, 'fr', lib)).toBe('Lac à l’aube')
  })

  it('falls back to the library’s default locale (its first)', () => {
    expect(localize({ de: 'See', fr: 'Lac' }, 'en', lib)).toBe('Lac')
    expect(localize({ de: 'See', en: 'Lake' }, 'it', ['de', 'en'])).toBe('See')
  })

  it('then to the library’s other locales in order, then to anything', () => {
    expect(localize({ de: 'See', en: 'Lake' }, 'it', lib)).toBe('Lake')
    expect(localize({ it: 'Lago' }, 'en', lib)).toBe('Lago')
    expect(localize({ pt: 'Lago', it: 'Lago (it)' }, 'en', lib)).toBe('Lago (it)')
  })

  it('matches a regional variant of the UI language before falling back', () => {
    expect(localize({ 'fr-CH': 'Lac (CH)', en: 'Lake' }, 'fr', lib)).toBe('Lac (CH)')
    expect(localize({ fr: 'Lac', en: 'Lake' }, 'fr-CA', lib)).toBe('Lac')
    expect(localize({ 'FR': 'Lac', en: 'Lake' }, 'fr', lib)).toBe('Lac')
    expect(localize({ 'fr-BE': 'Lac (BE)', 'fr-CH': 'Lac (CH)', en: 'Lake' }, 'fr', ['fr-CH', 'fr-BE'])).toBe('Lac (CH)')
  })

  it('uses "*" (every locale) before another language', () => {
    expect(localize({ '*': 'logo-primary', en: 'x' }, 'fr', lib)).toBe('logo-primary')
    expect(localize({ '*': 'logo-primary', fr: 'logo-fr' }, 'fr', lib)).toBe('logo-fr')
  })

  it('skips empty and blank texts', () => {
    expect(localize({ en: '', fr: 'Lac' }, 'en', lib)).toBe('Lac')
    expect(localize({ en: '  ', fr: 'Lac' }, 'en', lib)).toBe('Lac')
  })

  it('is "" for nothing', () => {
    expect(localize(undefined, 'en', lib)).toBe('')
    expect(localize(null, 'en', lib)).toBe('')
    expect(localize({}, 'en', lib)).toBe('')
    expect(localize({ en: '' }, 'en', [])).toBe('')
  })
})

describe('pick', () => {
  it('tells the locale the text is in, for lang attributes', () => {
    expect(pick({ fr: 'Lac', en: 'Lake' }, 'en', lib)).toEqual({ text: 'Lake', lang: 'en' })
    expect(pick({ fr: 'Lac' }, 'en', lib)).toEqual({ text: 'Lac', lang: 'fr' })
    expect(pick({ '*': 'all' }, 'en', lib)).toEqual({ text: 'all', lang: '' })
    expect(pick(undefined, 'en', lib)).toEqual({ text: '', lang: '' })
  })
})

describe('fallbackChain', () => {
  it('lists each present locale once, best first', () => {
    expect(fallbackChain({ zz: '1', de: '2', '*': '3', en: '4', fr: '5' }, 'en', lib)).toEqual(['en', '*', 'fr', 'de', 'zz'])
  })
})

describe('localesOf', () => {
  it('orders by the library’s locales, then the rest sorted, without "*" and empty texts', () => {
    expect(localesOf([{ en: 'a', it: 'b', '*': 'c' }, { fr: 'd', de: '' }, undefined], lib)).toEqual(['fr', 'en', 'it'])
    expect(localesOf([], lib)).toEqual([])
  })
})

describe('exactly', () => {
  it('gives the text in one locale, "*" standing for all', () => {
    expect(exactly({ fr: 'Lac', en: 'Lake' }, 'fr')).toBe('Lac')
    expect(exactly({ fr: 'Lac' }, 'en')).toBe('')
    expect(exactly({ '*': 'id' }, 'en')).toBe('id')
    expect(exactly(null, 'en')).toBe('')
  })
})

describe('localeName', () => {
  it('names a locale in the UI language', () => {
    expect(localeName('fr', 'en')).toBe('French')
    expect(localeName('de', 'fr')).toBe('Allemand')
    expect(localeName('not a tag!', 'en')).toBe('not a tag!')
  })
})
