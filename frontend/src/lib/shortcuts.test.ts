import { describe, expect, it } from 'vitest'
import { ariaShortcut, isMac, sectionForKey, shortcutLabel, type KeyInput } from './shortcuts'

function key(over: Partial<KeyInput>): KeyInput {
  return { key: '', code: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...over }
}

describe('sectionForKey', () => {
  it('maps Ctrl or Cmd + 1..5 to the sections in order', () => {
    const names = ['1', '2', '3', '4', '5'].map((d) => sectionForKey(key({ key: d, code: `Digit${d}`, ctrlKey: true }))?.name)
    expect(names).toEqual(['library', 'campaigns', 'outbox', 'packs', 'settings'])
    expect(sectionForKey(key({ key: '5', code: 'Digit5', metaKey: true }))?.path).toBe('/settings')
  })

  it('uses the physical key, so AZERTY’s unshifted digits work', () => {
    expect(sectionForKey(key({ key: '&', code: 'Digit1', ctrlKey: true }))?.name).toBe('library')
    expect(sectionForKey(key({ key: '(', code: 'Digit5', ctrlKey: true }))?.name).toBe('settings')
    expect(sectionForKey(key({ key: '3', code: 'Numpad3', ctrlKey: true }))?.name).toBe('outbox')
  })

  it('falls back to the key when there is no code', () => {
    expect(sectionForKey(key({ key: '2', ctrlKey: true }))?.name).toBe('campaigns')
  })

  it('ignores other keys and modifiers', () => {
    expect(sectionForKey(key({ key: '1', code: 'Digit1' }))).toBeNull()
    expect(sectionForKey(key({ key: '1', code: 'Digit1', ctrlKey: true, altKey: true }))).toBeNull()
    expect(sectionForKey(key({ key: '6', code: 'Digit6', ctrlKey: true }))).toBeNull()
    expect(sectionForKey(key({ key: 's', code: 'KeyS', ctrlKey: true }))).toBeNull()
  })
})

describe('shortcut labels', () => {
  it('reads Ctrl elsewhere and Cmd on a Mac', () => {
    expect(shortcutLabel('1', false)).toBe('Ctrl+1')
    expect(shortcutLabel('1', true)).toBe('⌘1')
    expect(ariaShortcut('5', false)).toBe('Control+5')
    expect(ariaShortcut('5', true)).toBe('Meta+5')
  })

  it('detects a Mac', () => {
    expect(isMac({ platform: 'MacIntel' })).toBe(true)
    expect(isMac({ platform: 'Linux x86_64' })).toBe(false)
    expect(isMac({ platform: '', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)' })).toBe(true)
    expect(isMac(undefined)).toBe(false)
  })
})
