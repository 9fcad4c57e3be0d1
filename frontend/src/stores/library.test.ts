import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../api/library'
import type { AssetCard, AssetPage, AssetQuery, LibraryInfo } from '../api/library'
import type { TaskUpdate } from '../api/tasks'
import { PAGE_SIZE, useLibraryStore } from './library'
import { useTasksStore } from './tasks'
import { useUiStore } from './ui'

vi.mock('../api/library', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/library')>()),
  getLibraryInfo: vi.fn(),
  searchAssets: vi.fn(),
  getAsset: vi.fn(),
  getBrand: vi.fn(),
  getTemplates: vi.fn(),
  chooseReleaseFile: vi.fn(),
  chooseReleaseFolder: vi.fn(),
  importRelease: vi.fn(),
}))

const v1: LibraryInfo = {
  id: 'cairn-sample',
  name: 'Cairn Outdoor (sample)',
  version: 1,
  sample: true,
  expires: '2031-12-31T00:00:00Z',
  outdatedSince: '',
  appliedAt: '2026-11-22T10:00:00Z',
  signers: ['outpost-sample'],
  locales: ['fr', 'en'],
  regions: [{ id: 'fr', name: { fr: 'France', en: 'France' }, countries: ['FR'], locales: ['fr'] }],
  assets: 1000,
  templates: 4,
  snippets: 6,
}
const v2: LibraryInfo = { ...v1, version: 2, appliedAt: '2026-11-22T11:00:00Z' }

function card(i: number): AssetCard {
  return {
    id: `a${i}`,
    kind: 'image',
    title: { en: `Asset ${i}` },
    alt: {},
    tags: [],
    width: 100,
    height: 100,
    regions: [],
    expires: '',
    expiry: '',
    thumb: `/library/thumb/${i}`,
    local: false,
    importedBy: '',
    importedAt: '',
  }
}

/** A fake Search over `total` assets. */
function fakeSearch(total: number) {
  return async (q: AssetQuery): Promise<AssetPage> => {
    const n = Math.max(0, Math.min(q.limit, total - q.offset))
    return {
      total,
      items: Array.from({ length: n }, (_, k) => card(q.offset + k)),
      tags: [{ tag: 'lake', count: 12 }],
    }
  }
}

function deferred<T>() {
  let resolve: (v: T) => void = () => {}
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

function update(over: Partial<TaskUpdate>): TaskUpdate {
  return { id: 'import-1', kind: 'import', state: 'running', progress: { phase: 'verify', done: 1, total: 40, unit: 'files' }, seq: 1, ...over }
}

const flush = () => new Promise<void>((r) => setTimeout(r, 0))

beforeEach(() => {
  setActivePinia(createPinia())
  vi.mocked(api.getLibraryInfo).mockResolvedValue(v1)
  vi.mocked(api.searchAssets).mockImplementation(fakeSearch(1000))
})

afterEach(() => vi.useRealTimers())

describe('library store: the active library', () => {
  it('loads the library, or none', async () => {
    const s = useLibraryStore()
    expect(await s.loadInfo()).toBe(true)
    expect(s.info).toEqual(v1)
    expect(s.locales).toEqual(['fr', 'en'])
    expect(s.regions.map((r) => r.id)).toEqual(['fr'])
    vi.mocked(api.getLibraryInfo).mockResolvedValue(null)
    await s.loadInfo()
    expect(s.info).toBeNull()
    expect(s.infoLoaded).toBe(true)
  })

  it('survives a failing Info()', async () => {
    vi.mocked(api.getLibraryInfo).mockRejectedValue(new Error('boom'))
    const s = useLibraryStore()
    expect(await s.loadInfo()).toBe(false)
    expect(s.infoLoaded).toBe(true)
  })
})

describe('library store: search', () => {
  it('fetches the first page of a search with the filters', async () => {
    const s = useLibraryStore()
    s.applyInfo(v1)
    s.ensureSearch()
    await flush()
    expect(api.searchAssets).toHaveBeenCalledWith({ text: '', tags: [], kind: '', region: '', expiry: '', offset: 0, limit: PAGE_SIZE })
    expect(s.total).toBe(1000)
    expect(s.itemAt(0)?.id).toBe('a0')
    expect(s.itemAt(119)?.id).toBe('a119')
    expect(s.itemAt(120)).toBeUndefined()
    expect(s.tagCounts).toEqual([{ tag: 'lake', count: 12 }])
    s.ensureSearch()
    expect(api.searchAssets).toHaveBeenCalledTimes(1)
  })

  it('does not search without a library', () => {
    useLibraryStore().ensureSearch()
    expect(api.searchAssets).not.toHaveBeenCalled()
  })

  it('fetches the pages a range of rows needs, each once', async () => {
    const s = useLibraryStore()
    s.applyInfo(v1)
    await s.search()
    vi.mocked(api.searchAssets).mockClear()
    s.ensureRange(100, 300)
    s.ensureRange(110, 290) // already asked: nothing new
    expect(vi.mocked(api.searchAssets).mock.calls.map((c) => c[0].offset)).toEqual([120, 240])
    await flush()
    expect(s.itemAt(300)?.id).toBe('a300')
    s.ensureRange(950, 5000) // past the end: only the last page
    expect(vi.mocked(api.searchAssets).mock.calls.map((c) => c[0].offset)).toEqual([120, 240, 840, 960])
  })

  it('starts over when a filter changes, and drops answers of the old search', async () => {
    const s = useLibraryStore()
    s.applyInfo(v1)
    await s.search()
    const slow = deferred<AssetPage>()
    vi.mocked(api.searchAssets).mockReturnValueOnce(slow.promise)
    s.ensureRange(200, 250)
    vi.mocked(api.searchAssets).mockImplementation(fakeSearch(3))
    s.setText('lac aube')
    expect(s.total).toBeNull()
    await flush()
    slow.resolve(await fakeSearch(1000)({ text: '', tags: [], kind: '', region: '', expiry: '', offset: 120, limit: PAGE_SIZE }))
    await flush()
    expect(s.total).toBe(3)
    expect(s.itemAt(120)).toBeUndefined()
    expect(vi.mocked(api.searchAssets).mock.lastCall?.[0]).toMatchObject({ text: 'lac aube', offset: 0 })
  })

  it('sends tags, region and expiry, and clears them together', async () => {
    const s = useLibraryStore()
    s.applyInfo(v1)
    s.toggleTag('lake')
    s.toggleTag('winter')
    s.setRegion('fr')
    s.setExpiry('expired')
    await flush()
    expect(vi.mocked(api.searchAssets).mock.lastCall?.[0]).toMatchObject({ tags: ['lake', 'winter'], region: 'fr', expiry: 'expired' })
    expect(s.hasFilters).toBe(true)
    s.toggleTag('lake')
    expect(s.filters.tags).toEqual(['winter'])
    s.clearFilters()
    await flush()
    expect(s.hasFilters).toBe(false)
    expect(vi.mocked(api.searchAssets).mock.lastCall?.[0]).toMatchObject({ text: '', tags: [], region: '', expiry: '' })
  })

  it('does not search again for the same value', async () => {
    const s = useLibraryStore()
    s.applyInfo(v1)
    s.setRegion('')
    s.setExpiry('')
    s.setText('')
    expect(api.searchAssets).not.toHaveBeenCalled()
  })

  it('reports a failed search and recovers', async () => {
    const s = useLibraryStore()
    s.applyInfo(v1)
    vi.mocked(api.searchAssets).mockRejectedValueOnce(new Error(JSON.stringify({ kind: 'not_found', code: 'library.no_release' })))
    await s.search()
    expect(s.searchError?.code).toBe('library.no_release')
    expect(s.total).toBeNull()
    await s.search()
    expect(s.searchError).toBeNull()
    expect(s.total).toBe(1000)
  })

  it('forgets the grid position on a new search', async () => {
    const s = useLibraryStore()
    s.applyInfo(v1)
    s.gridScrollTop = 900
    s.gridActive = 40
    s.setExpiry('soon')
    expect(s.gridScrollTop).toBe(0)
    expect(s.gridActive).toBe(0)
  })
})

describe('library store: a new release', () => {
  it('drops what it cached of the old release and searches again', async () => {
    vi.mocked(api.getAsset).mockResolvedValue({ ...card(1), description: {}, focal: null, credit: { author: '', source: '', licence: '' }, image: '', sha256: 'x', path: 'p' })
    vi.mocked(api.getBrand).mockResolvedValue({ name: 'Cairn', palette: [], fonts: [], logos: [], tone: [], files: {} })
    vi.mocked(api.getTemplates).mockResolvedValue([])
    const s = useLibraryStore()
    s.applyInfo(v1)
    await s.search()
    await s.loadAsset('a1')
    await s.loadAsset('a1')
    expect(api.getAsset).toHaveBeenCalledTimes(1)
    await s.loadBrand()
    await s.loadTemplates()
    expect(s.brand?.name).toBe('Cairn')

    vi.mocked(api.searchAssets).mockClear()
    s.applyInfo({ ...v1 }) // the same release again: nothing to do
    expect(api.searchAssets).not.toHaveBeenCalled()
    expect(s.brand).not.toBeNull()

    s.applyInfo(v2)
    expect(s.brand).toBeNull()
    expect(s.templates).toBeNull()
    expect(s.assets.size).toBe(0)
    expect(api.searchAssets).toHaveBeenCalledTimes(1)
    await s.loadAsset('a1')
    expect(api.getAsset).toHaveBeenCalledTimes(2)
  })

  it('empties everything when the library goes away', async () => {
    const s = useLibraryStore()
    s.applyInfo(v1)
    await s.search()
    s.applyInfo(null)
    expect(s.total).toBeNull()
    expect(s.itemAt(0)).toBeUndefined()
    expect(s.tagCounts).toEqual([])
  })

  it('reports a brand kit or templates that fail to load', async () => {
    vi.mocked(api.getBrand).mockRejectedValue(new Error('nope'))
    vi.mocked(api.getTemplates).mockRejectedValue(new Error('nope'))
    const s = useLibraryStore()
    await s.loadBrand()
    await s.loadTemplates()
    expect(s.brandError?.code).toBe('internal')
    expect(s.templatesError?.code).toBe('internal')
  })
})

describe('library store: import', () => {
  beforeEach(() => {
    vi.mocked(api.chooseReleaseFile).mockResolvedValue('/tmp/ok.zip')
    vi.mocked(api.chooseReleaseFolder).mockResolvedValue('/tmp/release')
    vi.mocked(api.importRelease).mockResolvedValue('import-1')
  })

  it('does nothing when the dialog is cancelled', async () => {
    vi.mocked(api.chooseReleaseFile).mockResolvedValue('')
    const s = useLibraryStore()
    expect(await s.startImport('file')).toBeNull()
    expect(api.importRelease).not.toHaveBeenCalled()
    expect(s.importFailure).toBeNull()
  })

  it('imports the chosen zip or folder as a task, shown as starting', async () => {
    const s = useLibraryStore()
    s.applyInfo(v1)
    expect(await s.startImport('folder')).toBe('import-1')
    expect(api.importRelease).toHaveBeenCalledWith('/tmp/release')
    expect(s.importing).toBe(true)
    expect(useTasksStore().byId['import-1']).toMatchObject({ kind: 'import', state: 'running', seq: 0 })
    expect(await s.startImport('file')).toBeNull() // one at a time
  })

  it('says which version the library was updated to', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] })
    const s = useLibraryStore()
    s.applyInfo(v1)
    await s.startImport('file')
    vi.mocked(api.getLibraryInfo).mockResolvedValue(v2)
    s.onImportUpdate(update({ state: 'running', seq: 1 }))
    expect(s.importing).toBe(true)
    s.onImportUpdate(update({ state: 'done', seq: 2 }))
    expect(s.importing).toBe(false)
    await vi.waitFor(() => expect(useUiStore().toasts).toHaveLength(1))
    expect(useUiStore().toasts[0]).toMatchObject({ key: 'library.import.updated', params: { version: 2 }, tone: 'success' })
    expect(s.info?.version).toBe(2)
    vi.advanceTimersByTime(6000)
    expect(useUiStore().toasts).toHaveLength(0)
  })

  it('says when the release was already the one in use', async () => {
    const s = useLibraryStore()
    s.applyInfo(v1)
    await s.startImport('file')
    s.onImportUpdate(update({ state: 'done', seq: 2 }))
    await vi.waitFor(() => expect(useUiStore().toasts[0]?.key).toBe('library.import.sameVersion'))
  })

  it('keeps why it failed, and which library stayed in place', async () => {
    const s = useLibraryStore()
    s.applyInfo(v1)
    await s.startImport('file')
    const error = { kind: 'corrupt' as const, code: 'library.file_hash', params: { path: 'images/lake.jpg' }, detail: 'x' }
    s.onImportUpdate(update({ id: 'other-task', state: 'failed', error, seq: 5 }))
    expect(s.importFailure).toBeNull()
    s.onImportUpdate(update({ state: 'failed', error, seq: 3 }))
    expect(s.importFailure).toEqual({ error, stage: 'task', before: v1 })
    expect(s.importing).toBe(false)
    s.dismissImportFailure()
    expect(s.importFailure).toBeNull()
  })

  it('tells a cancelled import', async () => {
    const s = useLibraryStore()
    s.applyInfo(v1)
    await s.startImport('file')
    s.onImportUpdate(update({ state: 'canceled', seq: 3 }))
    expect(useUiStore().toasts[0]).toMatchObject({ key: 'library.import.canceled', tone: 'info' })
    expect(s.importFailure).toBeNull()
  })

  it('handles an import whose last event came before Import() answered', async () => {
    const tasks = useTasksStore()
    vi.mocked(api.importRelease).mockImplementation(async () => {
      tasks.apply(update({ state: 'failed', error: { kind: 'permission', code: 'library.wrong_region', params: {}, detail: '' }, seq: 2 }))
      return 'import-1'
    })
    const s = useLibraryStore()
    s.applyInfo(v1)
    await s.startImport('file')
    expect(s.importing).toBe(false)
    expect(s.importFailure?.error.code).toBe('library.wrong_region')
  })

  it('reports a dialog or a start that fails', async () => {
    const s = useLibraryStore()
    vi.mocked(api.chooseReleaseFile).mockRejectedValueOnce(new Error('no display'))
    await s.startImport('file')
    expect(s.importFailure).toMatchObject({ stage: 'choose', error: { code: 'internal' } })
    vi.mocked(api.importRelease).mockRejectedValueOnce(
      new Error(JSON.stringify({ kind: 'unavailable', code: 'app.cache_unavailable', params: {} })),
    )
    await s.startImport('file')
    expect(s.importFailure).toMatchObject({ stage: 'start', error: { code: 'app.cache_unavailable' } })
    expect(s.importing).toBe(false)
  })
})
