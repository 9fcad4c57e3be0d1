import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import type { AssetCard, LibraryInfo } from '../api/library'
import * as api from '../api/packs'
import type { TaskUpdate } from '../api/tasks'
import { useLibraryStore } from './library'
import { usePacksStore } from './packs'
import { useTasksStore } from './tasks'

vi.mock('../api/packs', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/packs')>()),
  getPresets: vi.fn(),
  chooseDestination: vi.fn(),
  exportPack: vi.fn(),
  lastPack: vi.fn(),
}))

function card(id: string): AssetCard {
  return { id, kind: 'image', title: { en: id }, alt: {}, tags: [], width: 800, height: 600, regions: [], expires: '', expiry: '', thumb: '', local: false, importedBy: '', importedAt: '' }
}

const info: LibraryInfo = {
  id: 'cairn',
  name: 'Cairn Outdoor',
  version: 2,
  sample: false,
  expires: '2031-12-31T00:00:00Z',
  outdatedSince: '',
  appliedAt: '2026-11-22T10:00:00Z',
  signers: [],
  locales: ['en'],
  regions: [],
  assets: 3,
  templates: 0,
  snippets: 0,
}

const presets: api.Preset[] = [
  { id: 'social-square', name: { en: 'Square post' }, channel: 'social', width: 1080, height: 1080, format: 'jpeg', fit: 'fill' },
  { id: 'email-header', name: { en: 'Email header' }, channel: 'email', width: 600, height: 200, format: 'jpeg', fit: 'fill' },
  { id: 'print-a4', name: { en: 'A4' }, channel: 'print', width: 2480, height: 3508, format: 'jpeg', fit: 'fill' },
]

function update(id: string, state: TaskUpdate['state'], seq: number, extra: Partial<TaskUpdate> = {}): TaskUpdate {
  return { id, kind: 'pack', state, progress: { phase: 'render', done: 1, total: 4, unit: 'files' }, seq, ...extra }
}

async function settle() {
  for (let i = 0; i < 5; i++) await nextTick()
  await new Promise((r) => setTimeout(r, 0))
}

beforeEach(() => {
  setActivePinia(createPinia())
  useLibraryStore().applyInfo(info)
  vi.mocked(api.getPresets).mockResolvedValue(presets)
})

describe('packs store: the selection', () => {
  it('adds, toggles and removes images, keeping manual crops per image', () => {
    const s = usePacksStore()
    s.add(card('a'))
    s.add(card('b'), { 'social-square': { x: 0.1, y: 0, w: 0.5, h: 1 } })
    s.add(card('a'))
    expect(s.selection).toEqual(['a', 'b'])
    expect(s.cropCount).toBe(1)
    s.toggle(card('b'))
    expect(s.selection).toEqual(['a'])
    expect(s.crops).toEqual({})
    s.toggle(card('c'))
    expect(s.has('c')).toBe(true)
    s.clear()
    expect(s.selection).toEqual([])
  })

  it('has every preset chosen until some are left out, one by one or by channel', async () => {
    const s = usePacksStore()
    await s.loadPresets()
    expect(s.chosenPresets).toEqual(['social-square', 'email-header', 'print-a4'])
    s.setPreset('print-a4', false)
    expect(s.chosenPresets).toEqual(['social-square', 'email-header'])
    s.setPresets(['social-square', 'email-header'], false)
    expect(s.chosenPresets).toEqual([])
    s.setPresets(['print-a4'], true)
    expect(s.chosenPresets).toEqual(['print-a4'])
  })

  it('forgets the selection when another library opens', async () => {
    const s = usePacksStore()
    s.add(card('a'))
    useLibraryStore().applyInfo({ ...info, id: 'other' })
    await nextTick()
    expect(s.selection).toEqual([])
  })
})

describe('packs store: exporting', () => {
  it('asks where to save, exports the selection as a task, then reads the pack it wrote', async () => {
    const s = usePacksStore()
    const tasks = useTasksStore()
    await s.loadPresets()
    s.add(card('a'), { 'email-header': { x: 0, y: 0.2, w: 1, h: 0.3 } })
    s.add(card('b'))
    s.setPreset('print-a4', false)
    vi.mocked(api.chooseDestination).mockResolvedValue('/tmp/pack.zip')
    vi.mocked(api.exportPack).mockResolvedValue('pack-1')
    vi.mocked(api.lastPack).mockResolvedValue({ path: '/tmp/pack.zip', bytes: 1200, files: 6, failed: 0, report: '/pack/report?t=1' })

    await s.startExport()
    expect(api.chooseDestination).toHaveBeenCalledWith(expect.stringMatching(/^cairn-outdoor-pack-\d{4}-\d\d-\d\d\.zip$/))
    expect(api.exportPack).toHaveBeenCalledWith({
      assets: ['a', 'b'],
      presets: ['social-square', 'email-header'],
      dest: '/tmp/pack.zip',
      campaign: '',
      crops: { a: { 'email-header': { x: 0, y: 0.2, w: 1, h: 0.3 } } },
    })
    expect(s.stage).toBe('running')
    expect(s.task?.id).toBe('pack-1')
    expect(s.busy).toBe(true)

    tasks.apply(update('pack-1', 'running', 1))
    await settle()
    expect(s.stage).toBe('running')
    tasks.apply(update('pack-1', 'done', 2))
    await settle()
    expect(s.stage).toBe('done')
    expect(s.summary).toEqual({ path: '/tmp/pack.zip', bytes: 1200, files: 6, failed: 0, report: '/pack/report?t=1' })
    s.dismissResult()
    expect(s.stage).toBe('idle')
    expect(s.selection).toEqual(['a', 'b'])
  })

  it('does nothing when the save dialog is cancelled', async () => {
    const s = usePacksStore()
    s.add(card('a'))
    vi.mocked(api.chooseDestination).mockResolvedValue('')
    await s.startExport()
    expect(s.stage).toBe('idle')
    expect(api.exportPack).not.toHaveBeenCalled()
  })

  it('says why an export failed, and when it was canceled', async () => {
    const s = usePacksStore()
    const tasks = useTasksStore()
    s.add(card('a'))
    vi.mocked(api.chooseDestination).mockResolvedValue('/tmp/p.zip')
    vi.mocked(api.exportPack).mockResolvedValue('pack-2')
    await s.startExport()
    const error = { kind: 'unavailable' as const, code: 'pack.write_failed', params: { path: '/tmp/p.zip' }, detail: '' }
    tasks.apply(update('pack-2', 'failed', 3, { error }))
    await settle()
    expect(s.stage).toBe('failed')
    expect(s.error).toEqual(error)

    s.dismissResult()
    vi.mocked(api.exportPack).mockResolvedValue('pack-3')
    await s.startExport()
    tasks.apply(update('pack-3', 'canceled', 1))
    await settle()
    expect(s.stage).toBe('canceled')
  })

  it('reports an export that could not start', async () => {
    const s = usePacksStore()
    s.add(card('a'))
    vi.mocked(api.chooseDestination).mockResolvedValue('/tmp/p.zip')
    vi.mocked(api.exportPack).mockRejectedValue(new Error(JSON.stringify({ kind: 'invalid', code: 'pack.nothing_to_pack', op: 'app.ExportPack', params: {} })))
    await s.startExport()
    expect(s.stage).toBe('failed')
    expect(s.error?.code).toBe('pack.nothing_to_pack')
  })

  it("exports a campaign's pictures to every preset, named after the campaign, and says when its errors block it", async () => {
    const s = usePacksStore()
    s.add(card('a'))
    vi.mocked(api.chooseDestination).mockResolvedValue('/tmp/c.zip')
    vi.mocked(api.exportPack).mockResolvedValue('pack-4')
    await s.exportCampaign('c1', 'Soldes d’hiver')
    expect(api.chooseDestination).toHaveBeenCalledWith(expect.stringMatching(/^soldes-d-hiver-pack-\d{4}-\d\d-\d\d\.zip$/))
    expect(api.exportPack).toHaveBeenCalledWith({ assets: [], presets: [], dest: '/tmp/c.zip', campaign: 'c1', crops: {} })
    expect(s.stage).toBe('running')
    expect(s.selection).toEqual(['a'])

    const tasks = useTasksStore()
    tasks.apply(update('pack-4', 'canceled', 1))
    await settle()
    vi.mocked(api.exportPack).mockRejectedValue(new Error(JSON.stringify({ kind: 'conflict', code: 'brandcheck.blocked', op: 'app.ExportPack', params: { errors: '2' } })))
    await s.exportCampaign('c1', 'Soldes')
    expect(s.stage).toBe('failed')
    expect(s.error?.code).toBe('brandcheck.blocked')
    expect(s.error?.params.errors).toBe('2')
  })

  it('takes an outcome that arrived before Export answered', async () => {
    const s = usePacksStore()
    const tasks = useTasksStore()
    s.add(card('a'))
    vi.mocked(api.chooseDestination).mockResolvedValue('/tmp/p.zip')
    vi.mocked(api.exportPack).mockImplementation(async () => {
      tasks.apply(update('pack-4', 'done', 5))
      return 'pack-4'
    })
    vi.mocked(api.lastPack).mockResolvedValue({ path: '/tmp/p.zip', bytes: 1, files: 1, failed: 0, report: '' })
    await s.startExport()
    await settle()
    expect(s.stage).toBe('done')
  })
})
