import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as events from '../api/events'
import * as hubApi from '../api/hub'
import type { HubStatus } from '../api/hub'
import type { LibraryInfo } from '../api/library'
import * as libraryApi from '../api/library'
import * as outboxApi from '../api/outbox'
import type { OutboxItem } from '../api/outbox'
import type { OnlineStatus, Status } from '../api/system'
import * as settingsApi from '../api/settings'
import * as systemApi from '../api/system'
import type { TaskUpdate } from '../api/tasks'
import * as tasksApi from '../api/tasks'
import { i18n } from '../i18n'
import { useHubStore } from '../stores/hub'
import { useLibraryStore } from '../stores/library'
import { useOutboxStore } from '../stores/outbox'
import { useStatusStore } from '../stores/status'
import { useTasksStore } from '../stores/tasks'
import { startSession } from './bootstrap'
import { outboxItem } from '../api/testing'

vi.mock('../api/events', () => ({ onTask: vi.fn(), onOnline: vi.fn(), onLibrary: vi.fn(), onHub: vi.fn(), onOutbox: vi.fn(), onCampaign: vi.fn(() => () => {}) }))
vi.mock('../api/outbox', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/outbox')>()),
  listOutbox: vi.fn(),
}))
vi.mock('../api/hub', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/hub')>()),
  getHubStatus: vi.fn(),
}))
vi.mock('../api/library', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/library')>()),
  getLibraryInfo: vi.fn(),
  searchAssets: vi.fn(),
}))
vi.mock('../api/settings', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/settings')>()),
  getSettings: vi.fn(),
  languages: vi.fn(),
}))
vi.mock('../api/system', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/system')>()),
  getStatus: vi.fn(),
}))
vi.mock('../api/tasks', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/tasks')>()),
  activeTasks: vi.fn(),
}))

const baseStatus: Status = {
  version: '0.1.0',
  library: null,
  online: { state: 'no_hub', hubUrl: '', checkedAt: '', seq: 0 },
  settingsPath: '/s.json',
  dataDir: '/d',
  defaultDataDir: '/d',
  storage: { dir: '/d/db', lsmBytes: 10, vlogBytes: 20 },
  warnings: [],
}

let taskHandler: (u: TaskUpdate) => void = () => {}
let onlineHandler: (s: OnlineStatus) => void = () => {}
let libraryHandler: (info: LibraryInfo | null) => void = () => {}
let hubHandler: (s: HubStatus) => void = () => {}
let outboxHandler: (it: OutboxItem) => void = () => {}
const offOutbox = vi.fn()
const offHub = vi.fn()
const offTask = vi.fn()
const offOnline = vi.fn()
const offLibrary = vi.fn()

const sample: LibraryInfo = {
  id: 'cairn-sample',
  name: 'Cairn Outdoor (sample)',
  version: 1,
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

beforeEach(() => {
  setActivePinia(createPinia())
  i18n.global.locale.value = 'en'
  vi.mocked(events.onTask).mockImplementation((fn) => {
    taskHandler = fn
    return offTask
  })
  vi.mocked(events.onOnline).mockImplementation((fn) => {
    onlineHandler = fn
    return offOnline
  })
  vi.mocked(events.onLibrary).mockImplementation((fn) => {
    libraryHandler = fn
    return offLibrary
  })
  vi.mocked(events.onHub).mockImplementation((fn) => {
    hubHandler = fn
    return offHub
  })
  vi.mocked(events.onOutbox).mockImplementation((fn) => {
    outboxHandler = fn
    return offOutbox
  })
  vi.mocked(outboxApi.listOutbox).mockResolvedValue([])
  vi.mocked(hubApi.getHubStatus).mockResolvedValue(hubApi.emptyHubStatus())
  vi.mocked(libraryApi.getLibraryInfo).mockResolvedValue(null)
  vi.mocked(settingsApi.getSettings).mockResolvedValue({ hubUrl: '', displayName: '', language: 'fr', dataDir: '', region: '' })
  vi.mocked(settingsApi.languages).mockResolvedValue(['en', 'fr'])
  vi.mocked(systemApi.getStatus).mockResolvedValue(baseStatus)
  vi.mocked(tasksApi.activeTasks).mockResolvedValue([])
})

describe('startSession', () => {
  it('loads settings, applies their language, loads status and tasks', async () => {
    vi.mocked(tasksApi.activeTasks).mockResolvedValue([
      { id: 'compact-1', kind: 'compact', state: 'running', progress: { phase: 'gc', done: 2, total: 3, unit: 'steps' }, seq: 4 },
    ])
    const session = startSession()
    await session.ready
    expect(i18n.global.locale.value).toBe('fr')
    expect(document.documentElement.lang).toBe('fr')
    expect(useStatusStore().version).toBe('0.1.0')
    expect(useTasksStore().running.map((t) => t.id)).toEqual(['compact-1'])
  })

  it('follows the system language when the setting is empty', async () => {
    vi.mocked(settingsApi.getSettings).mockResolvedValue({ hubUrl: '', displayName: '', language: '', dataDir: '', region: '' })
    const spy = vi.spyOn(navigator, 'language', 'get').mockReturnValue('fr-CA')
    await startSession().ready
    expect(i18n.global.locale.value).toBe('fr')
    spy.mockReturnValue('de-DE')
    await startSession().ready
    expect(i18n.global.locale.value).toBe('en')
  })

  it('is ready even when the backend is missing', async () => {
    vi.mocked(settingsApi.getSettings).mockRejectedValue(new TypeError("Cannot read properties of undefined (reading 'app')"))
    vi.mocked(systemApi.getStatus).mockRejectedValue(new TypeError('x'))
    vi.mocked(tasksApi.activeTasks).mockRejectedValue(new TypeError('x'))
    await startSession().ready
    expect(useStatusStore().loadError?.code).toBe('internal')
  })

  it('routes online events to the status store', async () => {
    const session = startSession()
    await session.ready
    onlineHandler({ state: 'checking', hubUrl: 'https://hub.example.com', checkedAt: '', seq: 1 })
    expect(useStatusStore().online.state).toBe('checking')
  })

  it('routes task events to the tasks store and refreshes the status when one ends', async () => {
    await startSession().ready
    vi.mocked(systemApi.getStatus).mockClear()
    taskHandler({ id: 'compact-2', kind: 'compact', state: 'running', progress: { phase: 'flush', done: 0, total: 3, unit: 'steps' }, seq: 1 })
    expect(useTasksStore().running).toHaveLength(1)
    expect(systemApi.getStatus).not.toHaveBeenCalled()
    taskHandler({ id: 'compact-2', kind: 'compact', state: 'done', progress: { phase: 'done', done: 3, total: 3, unit: 'steps' }, seq: 2 })
    expect(systemApi.getStatus).toHaveBeenCalledTimes(1)
    taskHandler({ id: 'compact-2', kind: 'compact', state: 'done', progress: { phase: 'done', done: 3, total: 3, unit: 'steps' }, seq: 2 })
    expect(systemApi.getStatus).toHaveBeenCalledTimes(1)
  })

  it('loads the active library', async () => {
    vi.mocked(libraryApi.getLibraryInfo).mockResolvedValue(sample)
    await startSession().ready
    expect(useLibraryStore().info).toEqual(sample)
    expect(useLibraryStore().infoLoaded).toBe(true)
  })

  it('routes library events to the library and the status bar', async () => {
    await startSession().ready
    expect(useLibraryStore().info).toBeNull()
    libraryHandler(sample)
    expect(useLibraryStore().info?.name).toBe('Cairn Outdoor (sample)')
    expect(useStatusStore().library?.version).toBe(1)
  })

  it('refreshes the library when an import task ends', async () => {
    await startSession().ready
    vi.mocked(libraryApi.getLibraryInfo).mockResolvedValue(sample)
    taskHandler({ id: 'import-1', kind: 'import', state: 'running', progress: { phase: 'verify', done: 3, total: 40, unit: 'files' }, seq: 1 })
    expect(libraryApi.getLibraryInfo).toHaveBeenCalledTimes(1)
    taskHandler({ id: 'import-1', kind: 'import', state: 'done', progress: { phase: 'switch', done: 1, total: 1, unit: 'steps' }, seq: 2 })
    await vi.waitFor(() => expect(useLibraryStore().info?.id).toBe('cairn-sample'))
  })

  it('loads the hub account and routes hub events to it', async () => {
    vi.mocked(hubApi.getHubStatus).mockResolvedValue({ ...hubApi.emptyHubStatus(), hubUrl: 'http://127.0.0.1:8787', seq: 2 })
    await startSession().ready
    expect(useHubStore().status.hubUrl).toBe('http://127.0.0.1:8787')
    hubHandler({ ...hubApi.emptyHubStatus(), hubUrl: 'http://127.0.0.1:8787', signedIn: true, seq: 3 })
    expect(useHubStore().signedIn).toBe(true)
  })

  it('stop unsubscribes from every event', () => {
    startSession().stop()
    expect(offTask).toHaveBeenCalledTimes(1)
    expect(offOnline).toHaveBeenCalledTimes(1)
    expect(offLibrary).toHaveBeenCalledTimes(1)
    expect(offHub).toHaveBeenCalledTimes(1)
    expect(offOutbox).toHaveBeenCalledTimes(1)
  })

  it('loads the outbox and routes its events, newest seq kept', async () => {
    const it = outboxItem({ updatedAt: '' })
    vi.mocked(outboxApi.listOutbox).mockResolvedValue([it])
    await startSession().ready
    expect(useOutboxStore().items).toHaveLength(1)
    outboxHandler({ ...it, delivery: 'delivered', hubState: 'submitted', seq: 3 })
    outboxHandler({ ...it, delivery: 'sending', seq: 2 })
    expect(useOutboxStore().byId.sub_a?.delivery).toBe('delivered')
  })
})
