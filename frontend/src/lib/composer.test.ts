import { describe, expect, it } from 'vitest'
import type { Campaign, FormSlot, Resolved } from '../api/campaigns'
import {
  describeChange,
  fallbackLocale,
  fieldKey,
  inputValue,
  isNewer,
  isUntranslated,
  parseFieldKey,
  placeholderValue,
  slotAllowedIn,
  storedValue,
  untranslatedCount,
} from './composer'

const res = (source: Resolved['source'], value = 'v', kind: Resolved['kind'] = 'text'): Resolved => ({
  slot: 'headline',
  kind,
  lock: 'editable',
  value,
  text: value,
  option: '',
  source,
})

function campaign(values: Campaign['values'], extra: Partial<Campaign> = {}): Campaign {
  return {
    id: 'c1',
    name: 'Spring',
    library: 'cairn',
    release: 1,
    latest: 1,
    template: 'newsletter',
    templateName: {},
    region: 'be',
    regionName: {},
    locales: ['fr', 'en'],
    audience: '',
    sendAt: '',
    status: 'draft',
    author: '',
    created: '',
    updated: '',
    rev: 3,
    crops: {},
    slots: [],
    scopes: [],
    translation: [
      { locale: 'fr', untranslated: [] },
      { locale: 'en', untranslated: ['headline', 'intro'] },
    ],
    sender: {},
    values,
    signOff: null,
    signOffVoided: false,
    submission: '',
    hqComments: [],
    ...extra,
  }
}

describe('field keys', () => {
  it('round-trip', () => {
    expect(fieldKey('fr', 'headline')).toBe('fr/headline')
    expect(parseFieldKey('fr/headline')).toEqual({ locale: 'fr', slot: 'headline' })
    expect(parseFieldKey('x')).toEqual({ locale: '', slot: 'x' })
  })
})

describe('inputValue and placeholderValue', () => {
  it('show what was typed first', () => {
    expect(inputValue(res('own', 'saved'), 'typing')).toBe('typing')
    expect(inputValue(res('fallback', 'fr text'), '')).toBe('')
  })

  it('put own and HQ values in the input, another locale’s in the placeholder', () => {
    expect(inputValue(res('own', 'mine'), undefined)).toBe('mine')
    expect(inputValue(res('default', 'HQ'), undefined)).toBe('HQ')
    expect(inputValue(res('fallback', 'fr text'), undefined)).toBe('')
    expect(placeholderValue(res('fallback', 'fr text'))).toBe('fr text')
    expect(placeholderValue(res('default', 'HQ'))).toBe('HQ')
    expect(placeholderValue(res('own', 'mine'))).toBe('')
    expect(inputValue(undefined, undefined)).toBe('')
  })
})

describe('isUntranslated', () => {
  it('is true for text shown from another locale until something is typed', () => {
    expect(isUntranslated(res('fallback'), undefined)).toBe(true)
    expect(isUntranslated(res('fallback'), '  ')).toBe(true)
    expect(isUntranslated(res('fallback'), 'Hallo')).toBe(false)
    expect(isUntranslated(res('fallback', 'x', 'markdown'), undefined)).toBe(true)
    expect(isUntranslated(res('fallback', 'pic', 'image'), undefined)).toBe(false)
    expect(isUntranslated(res('own'), undefined)).toBe(false)
  })
})

describe('fallbackLocale', () => {
  it('is the campaign’s default locale when the office wrote there', () => {
    const c = campaign({ fr: { headline: res('own', 'Bonjour') }, en: { headline: res('fallback', 'Bonjour') } })
    expect(fallbackLocale(c, 'headline', 'de')).toBe('fr')
  })

  it('is the library’s default for HQ’s untranslated text', () => {
    const c = campaign({ fr: { headline: res('default', 'HQ') }, en: { headline: res('fallback', 'HQ') } })
    expect(fallbackLocale(c, 'headline', 'de')).toBe('de')
    expect(fallbackLocale(c, 'headline', '')).toBe('fr')
  })
})

describe('storedValue', () => {
  it('is the own value, else empty', () => {
    const c = campaign({ fr: { headline: res('own', 'Bonjour'), intro: res('default', 'HQ') } })
    expect(storedValue(c, 'fr', 'headline')).toBe('Bonjour')
    expect(storedValue(c, 'fr', 'intro')).toBe('')
    expect(storedValue(c, 'en', 'headline')).toBe('')
  })
})

describe('slotAllowedIn', () => {
  const slot = (locales: string[]): FormSlot => ({
    id: 'note',
    kind: 'markdown',
    lock: 'editable',
    label: {},
    help: {},
    options: [],
    limits: { required: false, maxLength: 0, minWidth: 0, minHeight: 0, aspect: '', locales },
  })
  it('follows HQ’s locale limit', () => {
    expect(slotAllowedIn(slot([]), 'en')).toBe(true)
    expect(slotAllowedIn(slot(['fr', 'de']), 'fr')).toBe(true)
    expect(slotAllowedIn(slot(['fr', 'de']), 'en')).toBe(false)
  })
})

describe('untranslatedCount', () => {
  it('counts a locale’s untranslated slots', () => {
    const c = campaign({})
    expect(untranslatedCount(c, 'en')).toBe(2)
    expect(untranslatedCount(c, 'fr')).toBe(0)
    expect(untranslatedCount(c, 'de')).toBe(0)
  })
})

describe('describeChange', () => {
  const label = (s: string) => `«${s}»`
  const loc = (l: string) => l.toUpperCase()
  it('names the slot and the locale', () => {
    expect(describeChange({ kind: 'value_dropped', slot: 'subject', locale: 'en', value: 'x', code: 'campaign.too_long' }, label, loc)).toEqual({
      key: 'campaigns.rebase.changes.value_dropped',
      params: { slot: '«subject»', locale: 'EN', value: 'x' },
    })
  })

  it('has words for a kind it does not know', () => {
    expect(describeChange({ kind: 'brand_new', slot: '', locale: '', value: '', code: '' }, label, loc).key).toBe('campaigns.rebase.changes.other')
  })
})

describe('isNewer', () => {
  it('drops an older revision of the same campaign', () => {
    const cur = campaign({}, { rev: 5 })
    expect(isNewer(campaign({}, { rev: 4 }), cur)).toBe(false)
    expect(isNewer(campaign({}, { rev: 5 }), cur)).toBe(true)
    expect(isNewer(campaign({}, { rev: 1, id: 'other' }), cur)).toBe(true)
    expect(isNewer(cur, null)).toBe(true)
  })
})
