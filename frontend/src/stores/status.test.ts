import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../api/system'
import type { OnlineStatus, Status } from '../api/system'
import { RECHECK_POLL_MS, RECHECK_TIMEOUT_MS, useStatusStore } from './status'

vi.mock('../api/system', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/system')>()),
  getStatus: vi.fn(),
  recheck: vi.fn(),
}))

function status(over: Partial<Status> = {}): Status {
  return {
    version: '0.1.0',
    library: null,
    online: { state: 'no_hub', hubUrl: '', checkedAt: '', seq: 0 },
    settingsPath: '/home/c/.config/Outpost/settings.json',
    dataDir: '/home/c/.cache/Outpost',
    defaultDataDir: '/home/c/.cache/Outpost',
    storage: { dir: '/home/c/.cache/Outpost/db', lsmBytes: 1000, vlogBytes: 2500 },
    warnings: [],
    ...over,
  }
}

const offline: OnlineStatus = { state: 'offline', hubUrl: 'https://hub.example.com', checkedAt: '2026-01-01T10:00:00Z', reason: 'unreachable', seq: 3 }

beforeEach(() => {
  setActivePinia(createPinia())
  vi.mocked(api.getStatus).mockResolvedValue(status())
  vi.mocked(api.recheck).mockResolvedValue()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('status store', () => {
  it('keeps the newest connection status when events arrive out of order', () => {
    const s = useStatusStore()
    s.applyOnline(offline) // seq 3
    s.applyOnline({ state: 'checking', hubUrl: offline.hubUrl, checkedAt: '', seq: 2 })
    expect(s.online.state).toBe('offline')
    s.applyOnline({ ...offline, state: 'online', seq: 5 })
    expect(s.online.state).toBe('online')
  })

  it('loads the status', async () => {
    const s = useStatusStore()
    expect(await s.load()).toBe(true)
    expect(s.version).toBe('0.1.0')
    expect(s.library).toBeNull()
    expect(s.online.state).toBe('no_hub')
    expect(s.storageBytes).toBe(3500)
  })

  it('shows the library release once there is one', async () => {
    const library = {
      id: 'hq',
      name: 'Spring 2026',
      version: 7,
      sample: false,
      expires: '2031-12-31T00:00:00Z',
      outdatedSince: '',
      appliedAt: '2026-11-01T10:00:00Z',
      signers: [],
      locales: ['en'],
      regions: [],
      assets: 3,
      templates: 1,
      snippets: 0,
    }
    vi.mocked(api.getStatus).mockResolvedValue(status({ library }))
    const s = useStatusStore()
    await s.load()
    expect(s.library).toEqual(library)
    s.applyLibrary({ ...library, version: 8 })
    expect(s.library?.version).toBe(8)
    s.applyLibrary(null)
    expect(s.library).toBeNull()
  })

  it('has no storage size when the cache is closed', async () => {
    vi.mocked(api.getStatus).mockResolvedValue(status({ storage: null, dataDir: '' }))
    const s = useStatusStore()
    await s.load()
    expect(s.storageBytes).toBeNull()
  })

  it('reports a failed load', async () => {
    vi.mocked(api.getStatus).mockRejectedValue(new Error('nope'))
    const s = useStatusStore()
    expect(await s.load()).toBe(false)
    expect(s.loadError?.code).toBe('internal')
  })

  it('takes online events', async () => {
    const s = useStatusStore()
    await s.load()
    s.applyOnline(offline)
    expect(s.online).toEqual(offline)
    expect(s.status?.online).toEqual(offline)
  })

  it('does not let an older Status() answer undo a newer event', async () => {
    let resolve: (v: Status) => void = () => {}
    vi.mocked(api.getStatus).mockReturnValue(new Promise((r) => (resolve = r)))
    const s = useStatusStore()
    const loading = s.load()
    s.applyOnline(offline)
    resolve(status({ online: { state: 'checking', hubUrl: offline.hubUrl, checkedAt: '', seq: 2 } }))
    await loading
    expect(s.online).toEqual(offline)
    expect(s.version).toBe('0.1.0')
  })

  it('lists warnings and lets the user dismiss them', async () => {
    vi.mocked(api.getStatus).mockResolvedValue(
      status({
        warnings: [
          { kind: 'corrupt', code: 'settings.corrupt', params: { path: 'a', kept: 'b' }, detail: '' },
          { kind: 'conflict', code: 'cache.locked', params: { path: 'c' }, detail: '' },
        ],
      }),
    )
    const s = useStatusStore()
    await s.load()
    expect(s.warnings.map((w) => w.error.code)).toEqual(['settings.corrupt', 'cache.locked'])
    s.dismiss(s.warnings[0]!.key)
    expect(s.warnings.map((w) => w.error.code)).toEqual(['cache.locked'])
    await s.load()
    expect(s.warnings.map((w) => w.error.code)).toEqual(['cache.locked'])
  })

  it('rechecks: asks the backend, then polls until the check is recorded', async () => {
    vi.useFakeTimers()
    vi.mocked(api.getStatus).mockResolvedValue(status({ online: offline }))
    const s = useStatusStore()
    await s.load()
    const later = { ...offline, checkedAt: '2026-01-01T10:05:00Z', seq: 4 }
    vi.mocked(api.getStatus).mockResolvedValueOnce(status({ online: offline })).mockResolvedValue(status({ online: later }))
    const done = s.recheck()
    expect(s.rechecking).toBe(true)
    expect(api.recheck).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(RECHECK_POLL_MS)
    expect(s.rechecking).toBe(true)
    await vi.advanceTimersByTimeAsync(RECHECK_POLL_MS)
    await done
    expect(s.rechecking).toBe(false)
    expect(s.online.checkedAt).toBe(later.checkedAt)
  })

  it('stops rechecking when an event arrives', async () => {
    vi.useFakeTimers()
    const s = useStatusStore()
    await s.load()
    const done = s.recheck()
    s.applyOnline(offline)
    await vi.advanceTimersByTimeAsync(RECHECK_POLL_MS)
    await done
    expect(s.rechecking).toBe(false)
    expect(s.online).toEqual(offline)
  })

  it('gives up rechecking after a while', async () => {
    vi.useFakeTimers()
    const s = useStatusStore()
    await s.load()
    const done = s.recheck()
    await vi.advanceTimersByTimeAsync(RECHECK_TIMEOUT_MS + RECHECK_POLL_MS)
    await done
    expect(s.rechecking).toBe(false)
  })

  it('ignores a second recheck while one runs', async () => {
    vi.useFakeTimers()
    const s = useStatusStore()
    await s.load()
    const first = s.recheck()
    void s.recheck()
    expect(api.recheck).toHaveBeenCalledTimes(1)
    s.applyOnline(offline)
    await vi.advanceTimersByTimeAsync(RECHECK_POLL_MS)
    await first
  })
})
