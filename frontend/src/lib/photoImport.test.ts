import { describe, expect, it } from 'vitest'
import type { AssetCard } from '../api/library'
import type { PhotoImport } from '../api/photos'
import { needsPanel, summarizeImport } from './photoImport'

function card(id: string, title: string): AssetCard {
  return {
    id,
    kind: 'image',
    title: { '*': title },
    alt: {},
    tags: ['local'],
    width: 800,
    height: 600,
    regions: [],
    expires: '',
    expiry: '',
    thumb: '',
    local: true,
    importedBy: 'Ana',
    importedAt: '2026-11-22T10:00:00Z',
  }
}

const names: Record<string, string> = { 'social-square': 'Square post', 'web-banner': 'Website banner', 'print-a4': 'A4 poster' }
const presetName = (id: string) => names[id] ?? id
const titleOf = (c: AssetCard) => c.title['*'] ?? c.id
const invalid = (name: string, reason: string) => ({
  name,
  error: { kind: 'invalid' as const, code: 'library.local_invalid', params: { name, reason }, detail: '' },
})

describe('summarizeImport', () => {
  it('counts new and known photos; all new is a success', () => {
    const r: PhotoImport = { imported: [card('local-1', 'Lake'), card('local-2', 'Hut')], existing: [], failed: [], tooSmall: [] }
    const s = summarizeImport(r, presetName, titleOf)
    expect(s).toMatchObject({ imported: 2, existing: 0, failed: [], tooSmall: [], tone: 'success', ids: ['local-1', 'local-2'] })
    expect(needsPanel(s)).toBe(false)
  })

  it('is informative when everything was already there', () => {
    const r: PhotoImport = { imported: [], existing: [card('local-1', 'Lake')], failed: [], tooSmall: [] }
    expect(summarizeImport(r, presetName, titleOf).tone).toBe('info')
  })

  it('lists each failure with its file name, and warns when some failed', () => {
    const r: PhotoImport = {
      imported: [card('local-1', 'Lake')],
      existing: [],
      failed: [invalid('broken.jpg', 'image.corrupt'), invalid('scan.tiff', 'image.unsupported_format')],
      tooSmall: [],
    }
    const s = summarizeImport(r, presetName, titleOf)
    expect(s.tone).toBe('warning')
    expect(s.failed.map((f) => [f.name, f.error.params.reason])).toEqual([
      ['broken.jpg', 'image.corrupt'],
      ['scan.tiff', 'image.unsupported_format'],
    ])
    expect(needsPanel(s)).toBe(true)
  })

  it('is an error when nothing could be imported', () => {
    const r: PhotoImport = { imported: [], existing: [], failed: [invalid('a.jpg', 'image.empty')], tooSmall: [] }
    expect(summarizeImport(r, presetName, titleOf).tone).toBe('error')
  })

  it('names the presets each new photo is too small for, in the library order, once each', () => {
    const r: PhotoImport = {
      imported: [card('local-1', 'Lake'), card('local-2', 'Hut')],
      existing: [],
      failed: [],
      tooSmall: [
        { id: 'local-1', presets: ['print-a4', 'social-square', 'print-a4'] },
        { id: 'local-2', presets: [] },
        { id: 'local-9', presets: ['custom'] },
      ],
    }
    const s = summarizeImport(r, presetName, titleOf, ['social-square', 'web-banner', 'print-a4'])
    expect(s.tooSmall).toEqual([
      { id: 'local-1', title: 'Lake', presets: ['Square post', 'A4 poster'] },
      { id: 'local-9', title: 'local-9', presets: ['custom'] },
    ])
    expect(s.tone).toBe('warning')
  })
})
