import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as library from '../api/library'
import type { AssetCard, AssetDetail, LibraryInfo } from '../api/library'
import * as packsApi from '../api/packs'
import * as api from '../api/photos'
import { useLibraryStore } from './library'
import { usePacksStore } from './packs'
import { usePhotosStore } from './photos'
import { useUiStore } from './ui'

vi.mock('../api/photos', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/photos')>()),
  choosePhotos: vi.fn(),
  importPhotos: vi.fn(),
  editPhoto: vi.fn(),
  deletePhoto: vi.fn(),
}))
vi.mock('../api/library', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/library')>()),
  searchAssets: vi.fn(),
}))
vi.mock('../api/packs', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/packs')>()),
  getPresets: vi.fn(),
}))

function card(id: string): AssetCard {
  return { id, kind: 'image', title: { '*': id }, alt: {}, tags: ['local'], width: 800, height: 600, regions: [], expires: '', expiry: '', thumb: '', local: true, importedBy: 'Ana', importedAt: '2026-11-22T10:00:00Z' }
}

function detail(id: string, extra: Partial<AssetDetail> = {}): AssetDetail {
  return { ...card(id), description: {}, focal: null, credit: { author: '', source: '', licence: '' }, image: '', sha256: 'x', path: 'local/x', ...extra }
}

const info = { id: 'cairn', name: 'Cairn', version: 1, sample: false, expires: '', outdatedSince: '', appliedAt: '', signers: [], locales: ['en'], regions: [], assets: 1, templates: 0, snippets: 0 } satisfies LibraryInfo

beforeEach(() => {
  setActivePinia(createPinia())
  useLibraryStore().applyInfo(info)
  vi.mocked(library.searchAssets).mockResolvedValue({ total: 0, items: [], tags: [] })
  vi.mocked(packsApi.getPresets).mockResolvedValue([])
})

describe('photos store: importing', () => {
  it('imports the chosen files, searches again and says so in a toast when all went well', async () => {
    const s = usePhotosStore()
    vi.mocked(api.choosePhotos).mockResolvedValue(['/a.jpg', '/b.jpg'])
    vi.mocked(api.importPhotos).mockResolvedValue({ imported: [card('local-a'), card('local-b')], existing: [], failed: [], tooSmall: [] })
    await s.chooseAndImport()
    expect(api.importPhotos).toHaveBeenCalledWith(['/a.jpg', '/b.jpg'])
    expect(library.searchAssets).toHaveBeenCalled()
    expect(s.lastImport?.imported).toHaveLength(2)
    expect(useUiStore().toasts.map((t) => [t.key, t.params])).toEqual([['library.photos.toast.many', { count: 2 }]])
    expect(s.importing).toBe(false)
  })

  it('does nothing when the dialog is cancelled', async () => {
    const s = usePhotosStore()
    vi.mocked(api.choosePhotos).mockResolvedValue([])
    await s.chooseAndImport()
    expect(api.importPhotos).not.toHaveBeenCalled()
    expect(s.lastImport).toBeNull()
  })

  it('keeps failures and warnings for the panel, without a toast, and loads preset names', async () => {
    const s = usePhotosStore()
    const error = { kind: 'invalid' as const, code: 'library.local_invalid', params: { name: 'bad.jpg', reason: 'image.corrupt' }, detail: '' }
    vi.mocked(api.importPhotos).mockResolvedValue({ imported: [card('local-a')], existing: [], failed: [{ name: 'bad.jpg', error }], tooSmall: [{ id: 'local-a', presets: ['print-a4'] }] })
    await s.importPaths(['/a.jpg', '/bad.jpg'])
    expect(s.lastImport?.failed).toEqual([{ name: 'bad.jpg', error }])
    expect(useUiStore().toasts).toEqual([])
    expect(packsApi.getPresets).toHaveBeenCalled()
  })

  it('says why the import could not run', async () => {
    const s = usePhotosStore()
    vi.mocked(api.importPhotos).mockRejectedValue(new Error(JSON.stringify({ kind: 'unavailable', code: 'app.cache_unavailable', params: {} })))
    await s.importPaths(['/a.jpg'])
    expect(s.importFailure).toMatchObject({ stage: 'import', error: { code: 'app.cache_unavailable' } })
    s.dismiss()
    expect(s.importFailure).toBeNull()
  })
})

describe('photos store: editing', () => {
  it('saves a photo and keeps the library’s copy of it up to date', async () => {
    const s = usePhotosStore()
    const saved = detail('local-a', { title: { '*': 'Lake' }, tags: ['local', 'lake'], focal: { x: 0.3, y: 0.4 } })
    vi.mocked(api.editPhoto).mockResolvedValue(saved)
    const out = await s.save('local-a', { title: 'Lake', tags: ['lake'], focal: { x: 0.3, y: 0.4 } })
    expect(api.editPhoto).toHaveBeenCalledWith('local-a', { title: 'Lake', tags: ['lake'], focal: { x: 0.3, y: 0.4 } })
    expect(out).toBe(saved)
    expect(useLibraryStore().assets.get('local-a')).toBe(saved)
  })

  it('deletes a photo: gone from the cache and from the pack selection', async () => {
    const s = usePhotosStore()
    const lib = useLibraryStore()
    lib.assets = new Map([['local-a', detail('local-a')]])
    usePacksStore().add(card('local-a'))
    vi.mocked(api.deletePhoto).mockResolvedValue()
    await s.remove('local-a')
    expect(lib.assets.has('local-a')).toBe(false)
    expect(usePacksStore().selection).toEqual([])
  })
})
