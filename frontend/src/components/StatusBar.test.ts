import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp, h, nextTick, type App, type Component } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import * as hubApi from '../api/hub'
import * as api from '../api/system'
import type { LibraryInfo, Status } from '../api/system'
import { createAppI18n } from '../i18n'
import { routes } from '../router'
import { useHubStore } from '../stores/hub'
import { useStatusStore } from '../stores/status'
import { useTasksStore } from '../stores/tasks'
import StatusBar from './StatusBar.vue'
import WarningBanners from './WarningBanners.vue'

vi.mock('../api/hub', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/hub')>()),
  startSync: vi.fn(),
}))
vi.mock('../api/system', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/system')>()),
  getStatus: vi.fn(),
  recheck: vi.fn(),
}))

const base: Status = {
  version: '0.1.0',
  library: null,
  online: { state: 'no_hub', hubUrl: '', checkedAt: '', seq: 0 },
  settingsPath: '/c/settings.json',
  dataDir: '/d',
  defaultDataDir: '/d',
  storage: null,
  warnings: [],
}

function lib(over: Partial<LibraryInfo> = {}): LibraryInfo {
  return {
    id: 'hq',
    name: 'Spring 2026',
    version: 7,
    sample: false,
    expires: '2031-12-31T00:00:00Z',
    outdatedSince: '',
    appliedAt: '2026-11-01T10:00:00Z',
    signers: ['hq-2026'],
    locales: ['fr', 'en'],
    regions: [],
    assets: 10,
    templates: 2,
    snippets: 0,
    ...over,
  }
}

let app: App | null = null
let root: HTMLElement

async function mount(component: Component, status: Status, locale: 'en' | 'fr' = 'en') {
  vi.mocked(api.getStatus).mockResolvedValue(status)
  root = document.createElement('div')
  document.body.append(root)
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createRouter({ history: createMemoryHistory(), routes })
  app = createApp({ render: () => h(component) })
  app.use(pinia).use(router).use(createAppI18n(locale))
  app.mount(root)
  await useStatusStore().load()
  await nextTick()
  return { root, router }
}

const q = (sel: string) => root.querySelector<HTMLElement>(sel)!

beforeEach(() => {
  vi.mocked(api.recheck).mockResolvedValue()
})

afterEach(() => {
  app?.unmount()
  root.remove()
})

describe('StatusBar', () => {
  it('shows the empty library, no hub and the version', async () => {
    await mount(StatusBar, base)
    expect(q('[data-testid="status-library"]').textContent?.trim()).toBe('No library release yet')
    expect(q('[data-testid="status-online"]').textContent?.trim()).toBe('No hub configured')
    expect(q('[data-testid="status-version"]').textContent?.trim()).toBe('v0.1.0')
    expect(q('[role="status"]').textContent).toBe('Hub connection: No hub configured')
  })

  it('names the library release once there is one', async () => {
    await mount(StatusBar, { ...base, library: lib() }, 'fr')
    expect(q('[data-testid="status-library-name"]').textContent?.trim()).toBe('Spring 2026 · version 7')
    expect(q('[data-testid="status-library"]').dataset.state).toBe('active')
    expect(q('[data-testid="status-library"]').title).toContain('Valide jusqu’au')
    expect(root.querySelector('[data-testid="status-library-sample"]')).toBeNull()
    expect(root.querySelector('[data-testid="status-library-outdated"]')).toBeNull()
  })

  it('marks the sample library', async () => {
    await mount(StatusBar, { ...base, library: lib({ sample: true, name: 'Cairn Outdoor (sample)', version: 1 }) })
    expect(q('[data-testid="status-library-name"]').textContent?.trim()).toBe('Cairn Outdoor (sample) · release 1')
    expect(q('[data-testid="status-library-sample"]').textContent?.trim()).toBe('Sample')
  })

  it('warns when the release is outdated, and says it stays usable', async () => {
    await mount(StatusBar, { ...base, library: lib({ outdatedSince: '2026-05-01T00:00:00Z', expires: '2026-05-01T00:00:00Z' }) })
    const item = q('[data-testid="status-library"]')
    expect(item.dataset.state).toBe('outdated')
    expect(q('[data-testid="status-library-outdated"]').textContent?.trim()).toBe('Outdated since May 1, 2026')
    expect(item.title).toContain('stays usable offline')
  })

  it('says why it is offline in the tooltip, and rechecks on click', async () => {
    await mount(StatusBar, {
      ...base,
      online: { state: 'offline', hubUrl: 'https://hub.example.com', checkedAt: '2026-01-01T10:00:00Z', reason: 'not_a_hub', seq: 2 },
    })
    const button = q('[data-testid="status-online"]')
    expect(button.textContent?.trim()).toBe('Offline')
    expect(button.title).toContain("The address answered, but it isn't an Outpost hub.")
    expect(button.title).toContain('Hub: https://hub.example.com')
    button.click()
    expect(api.recheck).toHaveBeenCalledTimes(1)
    await nextTick()
    expect(button.textContent?.trim()).toBe('Checking…')
  })

  it('opens Settings instead of rechecking when no hub is configured', async () => {
    const { router } = await mount(StatusBar, base)
    q('[data-testid="status-online"]').click()
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/settings'))
    expect(api.recheck).not.toHaveBeenCalled()
  })
})

describe('StatusBar hub', () => {
  const signedIn = {
    ...hubApi.emptyHubStatus(),
    hubUrl: 'https://hub.example.com',
    signedIn: true,
    user: { name: 'designer.fr', displayName: 'Designer', role: 'designer', region: 'fr' },
    keychain: 'ok' as const,
    seq: 1,
  }

  it('offers a new release with a Sync button that starts the sync', async () => {
    await mount(StatusBar, base)
    useHubStore().apply({ ...signedIn, updates: [{ library: 'hq', name: 'Spring 2026', local: 7, remote: 8 }] })
    await nextTick()
    expect(q('[data-testid="status-hub-update"]').textContent).toContain('New release available: Spring 2026 v8')
    vi.mocked(hubApi.startSync).mockResolvedValue('sync-1')
    q('[data-testid="status-hub-sync"]').click()
    await vi.waitFor(() => expect(useTasksStore().running.map((t) => t.id)).toEqual(['sync-1']))
    await nextTick()
    // While it runs, the bar shows its progress instead of the offer.
    expect(root.querySelector('[data-testid="status-hub-update"]')).toBeNull()
    expect(q('[data-testid="task-progress"]').dataset.kind).toBe('sync')
  })

  it('says when the library was last synced, quietly, and only while signed in', async () => {
    const synced = new Date(Date.now() - 5 * 60_000).toISOString()
    await mount(StatusBar, base, 'fr')
    useHubStore().apply({ ...signedIn, lastSync: synced })
    await nextTick()
    const el = q('[data-testid="status-last-sync"]')
    expect(el.textContent?.trim()).toBe('Synchro il y a 5 minutes')
    expect(el.title).toContain('Dernière synchronisation de la bibliothèque avec le hub')
    useHubStore().apply({ ...signedIn, signedIn: false, lastSync: synced, seq: 2 })
    await nextTick()
    expect(root.querySelector('[data-testid="status-last-sync"]')).toBeNull()
  })
})

describe('WarningBanners', () => {
  const warned: Status = {
    ...base,
    warnings: [
      { kind: 'conflict', code: 'cache.locked', params: { path: '/d' }, detail: 'cache.Open: cache.locked' },
      { kind: 'unavailable', code: 'some.future_code', params: {}, detail: '' },
    ],
  }

  it('shows each startup problem in words, with details', async () => {
    await mount(WarningBanners, warned)
    const banners = root.querySelectorAll('[data-testid="warning-banner"]')
    expect(banners).toHaveLength(2)
    expect(banners[0]!.textContent).toContain('Another Outpost window is already using the data folder /d.')
    expect(banners[0]!.querySelector('details code')!.textContent).toBe('cache.Open: cache.locked')
    expect(banners[1]!.textContent).toContain('Something Outpost needs is unavailable.')
    expect(banners[1]!.querySelector('details')).toBeNull()
  })

  it('speaks French', async () => {
    await mount(WarningBanners, warned, 'fr')
    expect(q('[data-testid="warning-banner"]').textContent).toContain('Une autre fenêtre d’Outpost utilise déjà le dossier de données /d.')
  })

  it('dismisses a banner', async () => {
    await mount(WarningBanners, warned)
    q('[data-testid="warning-banner"] button').click()
    await nextTick()
    const left = root.querySelectorAll('[data-testid="warning-banner"]')
    expect(left).toHaveLength(1)
    expect(left[0]!.getAttribute('data-code')).toBe('some.future_code')
  })

  it('renders nothing without warnings', async () => {
    await mount(WarningBanners, base)
    expect(root.querySelector('section')).toBeNull()
  })
})
