import { describe, expect, it } from 'vitest'
import { charCount, counter, storedForm } from './chars'

describe('storedForm', () => {
  it('puts a text slot on one line, as Go does', () => {
    expect(storedForm('text', 'Hello\nworld')).toBe('Hello world')
    expect(storedForm('text', 'a\r\n\r\nb\n')).toBe('a b')
    expect(storedForm('text', '  \n ')).toBe('')
    expect(storedForm('text', ' keeps spaces ')).toBe(' keeps spaces ')
  })

  it('keeps Markdown line breaks, in Unix form', () => {
    expect(storedForm('markdown', 'a\r\n\r\n- b')).toBe('a\n\n- b')
    expect(storedForm('markdown', '\n \n')).toBe('')
  })

  it('trims links and dates', () => {
    expect(storedForm('link', ' https://x.example/ ')).toBe('https://x.example/')
    expect(storedForm('date', '2026-05-01 ')).toBe('2026-05-01')
  })
})

describe('charCount', () => {
  it('counts code points of the NFC form', () => {
    expect(charCount('text', 'e\u0301te\u0301')).toBe(3) // "été" typed with combining accents
    expect(charCount('text', 'été')).toBe(3)
    expect(charCount('text', '🏔️ go')).toBe(5) // mountain + variation selector, space, g, o
    expect(charCount('text', '⛰')).toBe(1)
  })

  it('counts a text slot as it will be stored', () => {
    expect(charCount('text', 'a\n\nb')).toBe(3)
    expect(charCount('markdown', 'a\n\nb')).toBe(4)
  })
})

describe('counter', () => {
  it('is null without a limit', () => {
    expect(counter('text', 'abc', 0)).toBeNull()
  })

  it('says how many are left and how close to the limit', () => {
    expect(counter('text', 'abc', 10)).toEqual({ count: 3, max: 10, left: 7, level: 'ok' })
    expect(counter('text', 'x'.repeat(9), 10)?.level).toBe('near')
    expect(counter('text', 'x'.repeat(10), 10)).toEqual({ count: 10, max: 10, left: 0, level: 'near' })
    expect(counter('text', 'x'.repeat(12), 10)).toEqual({ count: 12, max: 10, left: -2, level: 'over' })
    expect(counter('text', 'x'.repeat(62), 70)?.level).toBe('ok')
    expect(counter('text', 'x'.repeat(63), 70)?.level).toBe('near')
  })
})
