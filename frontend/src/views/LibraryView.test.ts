import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp, nextTick, type App } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import * as api from '../api/library'
import type { LibraryInfo } from '../api/library'
import { createAppI18n } from '../i18n'
import { routes } from '../router'
import { useLibraryStore } from '../stores/library'
import { useTasksStore } from '../stores/tasks'
import LibraryView from './LibraryView.vue'

vi.mock('../api/library', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/library')>()),
  getLibraryInfo: vi.fn(),
  searchAssets: vi.fn(),
  chooseReleaseFile: vi.fn(),
  importRelease: vi.fn(),
}))

const info: LibraryInfo = {
  id: 'cairn-sample',
  name: 'Cairn Outdoor (sample)',
  version: 3,
  sample: true,
  expires: '2031-12-31T00:00:00Z',
  outdatedSince: '',
  appliedAt: '2026-11-22T10:00:00Z',
  signers: ['outpost-sample'],
  locales: ['fr', 'en'],
  regions: [],
  assets: 35,
  templates: 4,
  snippets: 6,
}

let app: App | null = null
let root: HTMLElement

async function mount(setup: () => void = () => {}, locale: 'en' | 'fr' = 'en') {
  root = document.createElement('div')
  document.body.append(root)
  const pinia = createPinia()
  setActivePinia(pinia)
  setup()
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/library')
  app = createApp(LibraryView)
  app.use(pinia).use(router).use(createAppI18n(locale))
  app.mount(root)
  await nextTick()
  return router
}

const q = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`)
const text = (id: string) => q(id)?.textContent?.replace(/\s+/g, ' ').trim()

beforeEach(() => {
  vi.mocked(api.searchAssets).mockResolvedValue({ total: 0, items: [], tags: [] })
})

afterEach(() => {
  app?.unmount()
  app = null
  root.remove()
})

describe('LibraryView without a library', () => {
  it('says what will appear, points to Settings and offers an import', async () => {
    await mount(() => useLibraryStore().applyInfo(null))
    expect(text('empty-state')).toContain('No library release yet')
    expect(text('empty-state')).toContain('connect to your hub in Settings')
    expect(root.querySelector('a[href="#hub"], a[href$="settings#hub"]')).not.toBeNull()
    expect(q('import-button')).not.toBeNull()
  })

  it('shows the sample library being set up while its import runs', async () => {
    await mount(() => {
      useLibraryStore().applyInfo(null)
      useTasksStore().apply({ id: 'import-1', kind: 'import', state: 'running', progress: { phase: 'verify', done: 3, total: 54, unit: 'files' }, seq: 1 })
    })
    expect(text('empty-state')).toContain('Setting up the sample library…')
    expect(q('task-progress')?.dataset.kind).toBe('import')
    expect(text('task-progress')).toContain('Checking signatures and files')
  })

  it('shows nothing before the first answer', async () => {
    await mount()
    expect(q('empty-state')).toBeNull()
    expect(q('library-view')).toBeNull()
  })
})

describe('LibraryView with a library', () => {
  it('names the release, its version, the sample badge and its expiry', async () => {
    await mount(() => useLibraryStore().applyInfo(info))
    expect(text('view-title')).toBe('Library')
    expect(text('library-name')).toBe('Cairn Outdoor (sample)')
    expect(text('library-sample-badge')).toBe('Sample')
    expect(text('library-version')).toBe('Release 3')
    expect(text('library-expires')).toBe('Valid until Dec 31, 2031')
    expect(q('library-outdated')).toBeNull()
    expect(q('library-tab-images')?.getAttribute('aria-current')).toBe('page')
    expect(q('library-tab-brand')?.getAttribute('aria-current')).toBeNull()
  })

  it('says since when an outdated release is outdated, in French too', async () => {
    await mount(() => useLibraryStore().applyInfo({ ...info, sample: false, outdatedSince: '2026-05-01T00:00:00Z' }), 'fr')
    expect(text('library-outdated')).toBe('Périmée depuis le 1 mai 2026')
    expect(q('library-outdated')?.title).toContain('hors connexion')
    expect(q('library-sample-badge')).toBeNull()
  })

  it('shows why an import failed and that the library is unchanged', async () => {
    await mount(() => {
      const library = useLibraryStore()
      library.applyInfo(info)
      library.importFailure = {
        error: { kind: 'corrupt', code: 'library.file_hash', params: { path: 'images/lake.jpg' }, detail: 'library.Verify: …' },
        stage: 'task',
        before: info,
      }
    })
    expect(q('import-error')?.getAttribute('role')).toBe('alert')
    expect(text('import-error-message')).toBe(
      "“images/lake.jpg” was changed after HQ signed the release: its content doesn't match the signed checksum. The release was refused.",
    )
    expect(text('import-error-unchanged')).toBe('Your current library is unchanged: Cairn Outdoor (sample), release 3.')
    q('import-error')!.querySelector<HTMLButtonElement>('button')!.click()
    await nextTick()
    expect(q('import-error')).toBeNull()
  })

  it('opens the import menu and imports from a zip', async () => {
    vi.mocked(api.chooseReleaseFile).mockResolvedValue('/tmp/ok.zip')
    vi.mocked(api.importRelease).mockResolvedValue('import-9')
    await mount(() => useLibraryStore().applyInfo(info))
    q('import-button')!.click()
    await nextTick()
    expect(q('import-button')!.getAttribute('aria-expanded')).toBe('true')
    expect(document.activeElement).toBe(q('import-from-zip'))
    q('import-from-zip')!.click()
    await vi.waitFor(() => expect(api.importRelease).toHaveBeenCalledWith('/tmp/ok.zip'))
    expect(useLibraryStore().importing).toBe(true)
  })
})
