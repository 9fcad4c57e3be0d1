import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../api/hub'
import { emptyHubStatus, toHubStatus, type HubStatus } from '../api/hub'
import { useHubStore } from './hub'
import { useTasksStore } from './tasks'

vi.mock('../api/hub', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/hub')>()),
  getHubStatus: vi.fn(),
  login: vi.fn(),
  logout: vi.fn(),
  startSync: vi.fn(),
}))

function hubStatus(over: Partial<HubStatus> = {}): HubStatus {
  return { ...emptyHubStatus(), hubUrl: 'http://127.0.0.1:8787', ...over }
}

const signedIn = hubStatus({
  signedIn: true,
  user: { name: 'designer.fr', displayName: 'Designer (France)', role: 'designer', region: 'fr' },
  keychain: 'ok',
  seq: 4,
})

const loginFailed = JSON.stringify({ kind: 'permission', code: 'hub.login_failed', detail: 'hub: hub.login_failed' })

beforeEach(() => {
  setActivePinia(createPinia())
  vi.mocked(api.getHubStatus).mockResolvedValue(hubStatus({ seq: 1 }))
})

describe('toHubStatus', () => {
  it('reads what Go sends, and survives what it does not', () => {
    const s = toHubStatus({
      hubUrl: 'https://hub.example.com',
      signedIn: true,
      user: { name: 'approver.be', displayName: 'Approver', role: 'local_approver', region: 'be' },
      keychain: 'unavailable',
      updates: [{ library: 'cairn-sample', name: 'Cairn Outdoor', local: 1, remote: 2 }, { name: 'no id' }],
      lastSync: '2026-11-02T09:00:00Z',
      lastCheck: '',
      error: { kind: 'permission', code: 'hub.unauthenticated' },
      seq: 9,
    })
    expect(s.updates).toEqual([{ library: 'cairn-sample', name: 'Cairn Outdoor', local: 1, remote: 2 }])
    expect(s.keychain).toBe('unavailable')
    expect(s.error?.code).toBe('hub.unauthenticated')
    expect(s.user.region).toBe('be')
    expect(toHubStatus(null)).toEqual(emptyHubStatus())
    expect(toHubStatus({ keychain: 'file', error: null }).keychain).toBe('unknown')
  })
})

describe('hub store', () => {
  it('keeps the newest status, whatever order events arrive in', async () => {
    const hub = useHubStore()
    await hub.load()
    expect(hub.status.seq).toBe(1)
    hub.apply(signedIn)
    hub.apply(hubStatus({ seq: 3 }))
    expect(hub.signedIn).toBe(true)
    expect(hub.user.name).toBe('designer.fr')
  })

  it('signs in, and says why not in the error it keeps', async () => {
    const hub = useHubStore()
    vi.mocked(api.login).mockRejectedValueOnce(new Error(loginFailed))
    expect(await hub.signIn('designer.fr', 'wrong')).toBe(false)
    expect(hub.loginError?.code).toBe('hub.login_failed')
    expect(hub.signedIn).toBe(false)

    vi.mocked(api.login).mockResolvedValueOnce(signedIn)
    expect(await hub.signIn('  designer.fr ', 'outpost-demo')).toBe(true)
    expect(api.login).toHaveBeenLastCalledWith('designer.fr', 'outpost-demo')
    expect(hub.loginError).toBeNull()
    expect(hub.signedIn).toBe(true)
  })

  it('signs out', async () => {
    const hub = useHubStore()
    hub.apply(signedIn)
    vi.mocked(api.logout).mockResolvedValueOnce(hubStatus({ seq: 5, user: { name: 'designer.fr', displayName: '', role: '', region: '' } }))
    expect(await hub.signOut()).toBe(true)
    expect(hub.signedIn).toBe(false)
    expect(hub.user.name).toBe('designer.fr') // kept to fill in the form
  })

  it('offers the first update only while signed in', () => {
    const hub = useHubStore()
    const updates = [{ library: 'cairn-sample', name: 'Cairn Outdoor (sample)', local: 1, remote: 2 }]
    hub.apply(hubStatus({ updates, seq: 2 }))
    expect(hub.firstUpdate).toBeNull()
    hub.apply({ ...signedIn, updates, seq: 6 })
    expect(hub.firstUpdate?.remote).toBe(2)
    expect(hub.keychainUnavailable).toBe(false)
    hub.apply({ ...signedIn, keychain: 'unavailable', seq: 7 })
    expect(hub.keychainUnavailable).toBe(true)
  })

  it('starts a sync as a task, joins a running one, and keeps why one could not start', async () => {
    const hub = useHubStore()
    const tasks = useTasksStore()
    vi.mocked(api.startSync).mockResolvedValueOnce('sync-1')
    expect(await hub.sync()).toBe('sync-1')
    expect(hub.syncing).toBe(true)
    expect(hub.syncTask?.id).toBe('sync-1')
    expect(await hub.sync()).toBe('sync-1')
    expect(api.startSync).toHaveBeenCalledTimes(1)

    tasks.apply({
      id: 'sync-1',
      kind: 'sync',
      state: 'done',
      progress: { phase: 'switch', done: 1, total: 1, unit: 'steps' },
      seq: 3,
    })
    expect(hub.syncing).toBe(false)
    vi.mocked(api.startSync).mockRejectedValueOnce(new Error(JSON.stringify({ kind: 'permission', code: 'app.hub_signed_out' })))
    expect(await hub.sync()).toBeNull()
    expect(tasks.startError.sync?.code).toBe('app.hub_signed_out')
    expect(hub.syncTask).toBeNull() // the last result was cleared for the new attempt
  })
})
