import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as events from '../api/events'
import type { OnlineStatus, Status } from '../api/system'
import * as settingsApi from '../api/settings'
import * as systemApi from '../api/system'
import type { TaskUpdate } from '../api/tasks'
import * as tasksApi from '../api/tasks'
import { i18n } from '../i18n'
import { useStatusStore } from '../stores/status'
import { useTasksStore } from '../stores/tasks'
import { startSession } from './bootstrap'

vi.mock('../api/events', () => ({ onTask: vi.fn(), onOnline: vi.fn() }))
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
  online: { state: 'no_hub', hubUrl: '', checkedAt: '' },
  settingsPath: '/s.json',
  dataDir: '/d',
  defaultDataDir: '/d',
  storage: { dir: '/d/db', lsmBytes: 10, vlogBytes: 20 },
  warnings: [],
}

let taskHandler: (u: TaskUpdate) => void = () => {}
let onlineHandler: (s: OnlineStatus) => void = () => {}
const offTask = vi.fn()
const offOnline = vi.fn()

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
  vi.mocked(settingsApi.getSettings).mockResolvedValue({ hubUrl: '', displayName: '', language: 'fr', dataDir: '' })
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
    vi.mocked(settingsApi.getSettings).mockResolvedValue({ hubUrl: '', displayName: '', language: '', dataDir: '' })
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
    onlineHandler({ state: 'checking', hubUrl: 'https://hub.example.com', checkedAt: '' })
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

  it('stop unsubscribes from both events', () => {
    startSession().stop()
    expect(offTask).toHaveBeenCalledTimes(1)
    expect(offOnline).toHaveBeenCalledTimes(1)
  })
})
