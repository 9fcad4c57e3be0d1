import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp, h, nextTick, type App } from 'vue'
import * as hubApi from '../api/hub'
import type { HubStatus } from '../api/hub'
import { createAppI18n } from '../i18n'
import { useHubStore } from '../stores/hub'
import { useSettingsStore } from '../stores/settings'
import HubAccount from './HubAccount.vue'

vi.mock('../api/hub', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/hub')>()),
  login: vi.fn(),
  logout: vi.fn(),
  startSync: vi.fn(),
}))

const HUB = 'https://hub.example.com'

let app: App | null = null
let root: HTMLElement

function mount(opts: { hubUrl?: string; locale?: 'en' | 'fr'; status?: Partial<HubStatus> } = {}) {
  root = document.createElement('div')
  document.body.append(root)
  const pinia = createPinia()
  setActivePinia(pinia)
  const settings = useSettingsStore()
  const s = { hubUrl: opts.hubUrl ?? HUB, displayName: '', language: '', dataDir: '', region: '' }
  settings.saved = { ...s }
  Object.assign(settings.draft, s)
  useHubStore().apply({ ...hubApi.emptyHubStatus(), hubUrl: opts.hubUrl ?? HUB, ...opts.status })
  app = createApp({ render: () => h(HubAccount) })
  app.use(pinia).use(createAppI18n(opts.locale ?? 'en'))
  app.mount(root)
  return root
}

const q = <T extends HTMLElement = HTMLElement>(id: string) => root.querySelector<T>(`[data-testid="${id}"]`)

async function type(id: string, value: string) {
  const input = q<HTMLInputElement>(id)!
  input.value = value
  input.dispatchEvent(new Event('input'))
  await nextTick()
}

const signedIn: Partial<HubStatus> = {
  signedIn: true,
  user: { name: 'reviewer', displayName: 'HQ reviewer', role: 'hq_reviewer', region: '*' },
  keychain: 'ok',
  seq: 3,
}

beforeEach(() => {
  vi.mocked(hubApi.login).mockReset()
})

afterEach(() => {
  app?.unmount()
  root.remove()
})

describe('HubAccount', () => {
  it('asks for a saved hub URL before signing in', async () => {
    mount({ hubUrl: '' })
    expect(q('hub-need-url')?.textContent).toBe('Save a hub URL first, then sign in.')
    expect(q('hub-user')).toBeNull()
  })

  it('signs in with Enter and says why it failed, in French', async () => {
    mount({ locale: 'fr', status: { user: { name: 'designer.fr', displayName: '', role: '', region: '' } } })
    await nextTick()
    expect(q<HTMLInputElement>('hub-user')!.value).toBe('designer.fr') // the last user, remembered
    vi.mocked(hubApi.login).mockRejectedValueOnce(new Error(JSON.stringify({ kind: 'permission', code: 'hub.login_failed' })))
    await type('hub-password', 'wrong')
    q('hub-password')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))
    await vi.waitFor(() => expect(q('hub-login-error')?.textContent?.trim()).toBe('Connexion impossible. Nom d’utilisateur ou mot de passe incorrect.'))
    expect(hubApi.login).toHaveBeenCalledWith('designer.fr', 'wrong')
    // Typing again clears the message.
    await type('hub-password', 'wrong2')
    expect(q('hub-login-error')).toBeNull()
  })

  it('shows who is signed in, and an HQ account serves every region', async () => {
    mount({ status: signedIn })
    await nextTick()
    expect(q('hub-signed-in')?.textContent?.trim()).toBe('Signed in as HQ reviewer')
    expect(q('hub-account-line')?.textContent?.trim()).toBe('reviewer · HQ reviewer · Region: All regions')
    expect(q('hub-keychain-ok')).not.toBeNull()
    expect(q('hub-last-sync')?.textContent?.trim()).toBe('Not synced yet on this computer.')
  })

  it('says when the sign-in lasts only until Outpost closes', async () => {
    mount({ status: { ...signedIn, keychain: 'unavailable' } })
    await nextTick()
    expect(q('hub-keychain-unavailable')?.textContent).toContain("You'll need to sign in again next time.")
    // Signed out at the next start, it says why the form is back.
    useHubStore().apply({ ...hubApi.emptyHubStatus(), hubUrl: HUB, keychain: 'unavailable', seq: 9 })
    await nextTick()
    expect(q('hub-user')).not.toBeNull()
    expect(q('hub-keychain-unavailable')).not.toBeNull()
  })

  it('lists the new releases and starts a sync', async () => {
    mount({ status: { ...signedIn, updates: [{ library: 'hq', name: 'Spring 2026', local: 7, remote: 8 }], lastCheck: '2026-11-02T09:00:00Z' } })
    await nextTick()
    expect(q('hub-update')?.textContent?.trim()).toBe('Spring 2026: release 8 is available (you have release 7).')
    vi.mocked(hubApi.startSync).mockResolvedValueOnce('sync-4')
    q('hub-sync-now')!.click()
    await vi.waitFor(() => expect(q('task-progress')?.dataset.kind).toBe('sync'))
    expect(q<HTMLButtonElement>('hub-sync-now')!.disabled).toBe(true)
  })

  it('says the session ended when the hub revoked it', async () => {
    mount({ status: { error: { kind: 'permission', code: 'hub.unauthenticated', params: {}, detail: '' } } })
    await nextTick()
    expect(q('hub-session-ended')?.textContent?.trim()).toBe('Your hub session has ended or was revoked. Sign in again.')
  })
})
