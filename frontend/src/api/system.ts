// Typed wrappers of Go's SystemService: what the status bar and banners show.
import * as SystemService from '../wailsjs/go/app/SystemService'
import { decodeError, type AppError } from './errors'
import { call } from './call'
import { toLibraryInfo, type LibraryInfo } from './library'

export type { LibraryInfo } from './library'

export type OnlineState = 'no_hub' | 'checking' | 'online' | 'offline'
export type OfflineReason = 'unreachable' | 'not_a_hub' | 'bad_url'

/** The link to the hub (Go: online.Status). */
export interface OnlineStatus {
  state: OnlineState
  hubUrl: string
  /** RFC 3339, or "" before the first check. */
  checkedAt: string
  reason?: OfflineReason
  /** Grows with every change; events may arrive out of order, keep the highest. */
  seq: number
}

/** Size of the local store (Go: cache.Stats). */
export interface StorageStats {
  dir: string
  lsmBytes: number
  vlogBytes: number
}

/** The shell's state (Go: app.Status). */
export interface Status {
  version: string
  library: LibraryInfo | null
  online: OnlineStatus
  settingsPath: string
  /** The data folder in use; "" if none could be opened. */
  dataDir: string
  defaultDataDir: string
  storage: StorageStats | null
  /** Problems found at startup. */
  warnings: AppError[]
}

const STATES: readonly OnlineState[] = ['no_hub', 'checking', 'online', 'offline']
const REASONS: readonly OfflineReason[] = ['unreachable', 'not_a_hub', 'bad_url']

type Loose = Record<string, unknown> | null | undefined

function str(v: unknown): string {
  return typeof v === 'string' ? v : ''
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0
}

function asRecord(v: unknown): Loose {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null
}

/** Reads an online.Status from the backend (a Status field or an event payload). */
export function toOnlineStatus(raw: unknown): OnlineStatus {
  const o = asRecord(raw)
  const state = str(o?.state)
  const reason = str(o?.reason)
  const out: OnlineStatus = {
    state: (STATES as readonly string[]).includes(state) ? (state as OnlineState) : 'no_hub',
    hubUrl: str(o?.hubUrl),
    checkedAt: str(o?.checkedAt),
    seq: typeof o?.seq === 'number' && Number.isFinite(o.seq) ? o.seq : 0,
  }
  if ((REASONS as readonly string[]).includes(reason)) out.reason = reason as OfflineReason
  return out
}

export function toStatus(raw: unknown): Status {
  const s = asRecord(raw)
  const storage = asRecord(s?.storage)
  const warnings = Array.isArray(s?.warnings) ? (s.warnings as unknown[]) : []
  return {
    version: str(s?.version),
    library: toLibraryInfo(s?.library),
    online: toOnlineStatus(s?.online),
    settingsPath: str(s?.settingsPath),
    dataDir: str(s?.dataDir),
    defaultDataDir: str(s?.defaultDataDir),
    storage: storage
      ? { dir: str(storage.dir), lsmBytes: num(storage.lsmBytes), vlogBytes: num(storage.vlogBytes) }
      : null,
    warnings: warnings.map(decodeError),
  }
}

export function getStatus(): Promise<Status> {
  return call(async () => toStatus(await SystemService.Status()))
}

/** Asks the backend to probe the hub now; a change arrives as an online event. */
export function recheck(): Promise<void> {
  return call(() => SystemService.Recheck())
}
