import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp, nextTick, type App } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { AssetCard, LibraryInfo } from '../api/library'
import * as api from '../api/packs'
import { createAppI18n } from '../i18n'
import { routes } from '../router'
import { useLibraryStore } from '../stores/library'
import { usePacksStore } from '../stores/packs'
import { useTasksStore } from '../stores/tasks'
import PacksView from './PacksView.vue'

vi.mock('../api/packs', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/packs')>()),
  getPresets: vi.fn(),
  chooseDestination: vi.fn(),
  exportPack: vi.fn(),
  lastPack: vi.fn(),
}))

const info: LibraryInfo = {
  id: 'cairn',
  name: 'Cairn Outdoor',
  version: 2,
  sample: false,
  expires: '',
  outdatedSince: '',
  appliedAt: '',
  signers: [],
  locales: ['en'],
  regions: [],
  assets: 2,
  templates: 0,
  snippets: 0,
}

const presets: api.Preset[] = [
  { id: 'social-square', name: { en: 'Square post' }, channel: 'social', width: 1080, height: 1080, format: 'jpeg', fit: 'fill' },
  { id: 'square-fit', name: { en: 'Square, uncropped' }, channel: 'social', width: 1200, height: 1200, format: 'png', fit: 'fit' },
  { id: 'email-header', name: { en: 'Email header' }, channel: 'email', width: 600, height: 200, format: 'jpeg', fit: 'fill' },
]

function card(id: string): AssetCard {
  return { id, kind: 'image', title: { en: id }, alt: {}, tags: [], width: 800, height: 600, regions: [], expires: '', expiry: '', thumb: '', local: false, importedBy: '', importedAt: '' }
}

let app: App | null = null
let root: HTMLElement

async function settle() {
  for (let i = 0; i < 4; i++) {
    await nextTick()
    await new Promise((r) => setTimeout(r, 0))
  }
}

async function mount(setup: () => void = () => {}) {
  root = document.createElement('div')
  document.body.append(root)
  const pinia = createPinia()
  setActivePinia(pinia)
  useLibraryStore().applyInfo(info)
  setup()
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/packs')
  app = createApp(PacksView)
  app.use(pinia).use(router).use(createAppI18n('en'))
  app.mount(root)
  await settle()
}

const q = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`)
const text = (id: string) => q(id)?.textContent?.replace(/\s+/g, ' ').trim()

beforeEach(() => {
  vi.mocked(api.getPresets).mockResolvedValue(presets)
})

afterEach(() => {
  app?.unmount()
  app = null
  root.remove()
})

describe('PacksView', () => {
  it('starts empty: export waits for images', async () => {
    await mount()
    expect(q('pack-images-empty')).not.toBeNull()
    expect(text('pack-plan')).toBe('0 images × 3 presets = 0 files')
    expect((q('pack-export-button') as HTMLButtonElement).disabled).toBe(true)
    expect(root.textContent).toContain('Add at least one image.')
  })

  it('lists presets by channel with sizes, and counts what the pack will hold', async () => {
    await mount(() => {
      usePacksStore().add(card('lake'))
      usePacksStore().add(card('hut'), { 'social-square': { x: 0, y: 0, w: 0.5, h: 1 } })
    })
    expect([...root.querySelectorAll('fieldset')].map((f) => f.getAttribute('data-channel'))).toEqual(['social', 'email'])
    expect(root.querySelector('fieldset[data-channel="social"]')?.textContent).toContain('1200 × 1200 px · PNG · uncropped, letterboxed')
    expect(root.querySelectorAll('[data-testid="pack-item"]')).toHaveLength(2)
    expect(root.querySelector('[data-testid="pack-item"][data-id="hut"]')?.textContent).toContain('1 crop')
    expect(text('pack-plan')).toBe('2 images × 3 presets = 6 files')

    // A whole channel off, with its group box.
    const social = q('preset-group-social') as HTMLInputElement
    social.click()
    await settle()
    expect(text('pack-plan')).toBe('2 images × 1 preset = 2 files')
    expect((q('pack-export-button') as HTMLButtonElement).disabled).toBe(false)
  })

  it('shows the export running with Cancel, then the pack it wrote with its report', async () => {
    await mount(() => usePacksStore().add(card('lake')))
    vi.mocked(api.chooseDestination).mockResolvedValue('/home/ana/pack.zip')
    vi.mocked(api.exportPack).mockResolvedValue('pack-1')
    vi.mocked(api.lastPack).mockResolvedValue({ path: '/home/ana/pack.zip', bytes: 2_400_000, files: 3, failed: 1, report: '/pack/report?t=1' })
    q('pack-export-button')!.click()
    await settle()
    expect(q('task-progress')?.getAttribute('data-kind')).toBe('pack')
    expect(root.querySelector('[data-testid="pack-export"] .task-cancel')).not.toBeNull()

    useTasksStore().apply({ id: 'pack-1', kind: 'pack', state: 'done', progress: { phase: 'write', done: 3, total: 3, unit: 'files' }, seq: 9 })
    await settle()
    expect(text('pack-path')).toBe('/home/ana/pack.zip')
    expect(text('pack-size')).toBe('2.4 MB')
    expect(text('pack-files')).toBe('3')
    expect(text('pack-failed')).toBe('1 image, listed in the report')

    q('pack-open-report')!.click()
    await settle()
    const frame = document.querySelector<HTMLIFrameElement>('[data-testid="pack-report-frame"]')!
    expect(frame.getAttribute('sandbox')).toBe('')
    expect(frame.getAttribute('src')).toBe('/pack/report?t=1')
  })

  it('says why an export failed', async () => {
    await mount(() => usePacksStore().add(card('lake')))
    vi.mocked(api.chooseDestination).mockResolvedValue('/x/pack.zip')
    vi.mocked(api.exportPack).mockRejectedValue(new Error(JSON.stringify({ kind: 'unavailable', code: 'pack.write_failed', params: { path: '/x/pack.zip' } })))
    q('pack-export-button')!.click()
    await settle()
    expect(q('pack-error')?.getAttribute('data-code')).toBe('pack.write_failed')
    expect(text('pack-error')).toContain("Outpost couldn't write the asset pack to /x/pack.zip")
  })
})
