import { describe, expect, it } from 'vitest'
import type { SlotLimits } from '../api/library'
import { editableCount, limitChips, normalizeAspect } from './slots'

const none: SlotLimits = { required: false, maxLength: 0, minWidth: 0, minHeight: 0, aspect: '', locales: [] }

describe('limitChips', () => {
  it('reads an editable text slot', () => {
    expect(limitChips({ lock: 'editable', kind: 'text', limits: { ...none, required: true, maxLength: 60 } })).toEqual([
      { key: 'required', params: {} },
      { key: 'maxLength', params: { n: 60 } },
    ])
  })

  it('reads an image slot’s size and aspect', () => {
    expect(
      limitChips({ lock: 'editable', kind: 'image', limits: { ...none, required: true, minWidth: 1200, minHeight: 400, aspect: '3:1' } }),
    ).toEqual([
      { key: 'required', params: {} },
      { key: 'minSize', params: { width: 1200, height: 400 } },
      { key: 'aspect', params: { ratio: '3:1' } },
    ])
    expect(limitChips({ lock: 'editable', kind: 'image', limits: { ...none, minWidth: 600 } }).map((c) => c.key)).toEqual(['optional', 'minWidth'])
    expect(limitChips({ lock: 'editable', kind: 'image', limits: { ...none, minHeight: 300 } })[1]).toEqual({ key: 'minHeight', params: { height: 300 } })
  })

  it('lists the allowed languages', () => {
    expect(limitChips({ lock: 'editable', kind: 'text', limits: { ...none, locales: ['fr', 'de-CH'] } })[1]).toEqual({
      key: 'locales',
      params: { list: 'FR, DE-CH' },
    })
  })

  it('says nothing of optionality for locked and choice slots', () => {
    expect(limitChips({ lock: 'locked', kind: 'image', limits: none })).toEqual([])
    expect(limitChips({ lock: 'choice', kind: 'choice', limits: { ...none, required: true } })).toEqual([{ key: 'required', params: {} }])
  })

  it('drops an aspect it cannot read', () => {
    expect(limitChips({ lock: 'editable', kind: 'image', limits: { ...none, aspect: 'wide' } })).toEqual([{ key: 'optional', params: {} }])
  })
})

describe('normalizeAspect', () => {
  it('accepts W:H and common variants', () => {
    expect(normalizeAspect('3:1')).toBe('3:1')
    expect(normalizeAspect(' 16 : 9 ')).toBe('16:9')
    expect(normalizeAspect('1.91x1')).toBe('1.91:1')
    expect(normalizeAspect('4/5')).toBe('4:5')
  })

  it('refuses the rest', () => {
    for (const s of ['', '3', '0:1', 'a:b', '3:1:2']) expect(normalizeAspect(s), s).toBe('')
  })
})

describe('editableCount', () => {
  it('counts the slots an office writes in', () => {
    expect(editableCount([{ lock: 'locked' }, { lock: 'editable' }, { lock: 'choice' }, { lock: 'editable' }])).toBe(2)
  })
})
