// Typed wrappers of Go's HubService (app/hub.go): signing in to HQ's hub,
// the updates it has, and the library sync.
import * as HubService from '../wailsjs/go/app/HubService'
import { call } from './call'
import { fromPayload, type AppError } from './errors'
import { list, num, rec, str } from './convert'

/** Roles of hub accounts (Go: hubapi.Role). */
export type HubRole = 'designer' | 'local_approver' | 'hq_reviewer' | 'hq_admin' | (string & {})

/** The region of HQ roles: every region. */
export const ALL_REGIONS = '*'

/** The signed-in account (Go: app.HubUser). Role and region are "" until the hub has answered. */
export interface HubUser {
  name: string
  displayName: string
  role: HubRole
  region: string
}

/** A library whose hub release is newer than the one here (Go: app.HubUpdate). */
export interface HubUpdate {
  library: string
  name: string
  /** The version here; 0 when the library isn't on this computer yet. */
  local: number
  remote: number
}

/** Where the session token is kept: the system keychain, memory for this run, or not used yet. */
export type KeychainState = 'ok' | 'unavailable' | 'unknown'

/** The hub account (Go: app.HubStatus). */
export interface HubStatus {
  hubUrl: string
  signedIn: boolean
  /** Signed in: the account. Signed out: only the last user's name, to fill in the form. */
  user: HubUser
  keychain: KeychainState
  updates: HubUpdate[]
  /** RFC 3339; "" when never synced. */
  lastSync: string
  /** RFC 3339; "" when not checked since Outpost started. */
  lastCheck: string
  /** Why the last check failed, or why the session ended. */
  error: AppError | null
  /** Grows with every change; events may arrive out of order, keep the highest. */
  seq: number
}

const KEYCHAIN: readonly string[] = ['ok', 'unavailable', 'unknown']

export function emptyHubStatus(): HubStatus {
  return {
    hubUrl: '',
    signedIn: false,
    user: { name: '', displayName: '', role: '', region: '' },
    keychain: 'unknown',
    updates: [],
    lastSync: '',
    lastCheck: '',
    error: null,
    seq: 0,
  }
}

/** Reads a HubStatus from a binding's answer or an outpost:hub event. */
export function toHubStatus(v: unknown): HubStatus {
  const r = rec(v) ?? {}
  const u = rec(r.user) ?? {}
  const keychain = str(r.keychain)
  return {
    hubUrl: str(r.hubUrl),
    signedIn: r.signedIn === true,
    user: { name: str(u.name), displayName: str(u.displayName), role: str(u.role), region: str(u.region) },
    keychain: (KEYCHAIN.includes(keychain) ? keychain : 'unknown') as KeychainState,
    updates: list(r.updates, (x) => {
      const o = rec(x)
      return o && str(o.library)
        ? { library: str(o.library), name: str(o.name), local: num(o.local), remote: num(o.remote) }
        : null
    }),
    lastSync: str(r.lastSync),
    lastCheck: str(r.lastCheck),
    error: fromPayload(r.error),
    seq: num(r.seq),
  }
}

export function getHubStatus(): Promise<HubStatus> {
  return call(async () => toHubStatus(await HubService.Status()))
}

/** Signs in to the configured hub; rejects with hub.login_failed on a wrong user or password. */
export function login(user: string, password: string): Promise<HubStatus> {
  return call(async () => toHubStatus(await HubService.Login(user, password)))
}

/** Signs out: the token leaves the keychain. */
export function logout(): Promise<HubStatus> {
  return call(async () => toHubStatus(await HubService.Logout()))
}

/** Starts a library sync; resolves to the task id (kind "sync"). */
export function startSync(): Promise<string> {
  return call(() => HubService.Sync())
}
