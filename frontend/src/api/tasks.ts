// Typed wrappers of Go's TaskService: background work and its progress.
import * as TaskService from '../wailsjs/go/app/TaskService'
import { decodeError, type AppError } from './errors'
import { call } from './call'

export type TaskState = 'running' | 'done' | 'failed' | 'canceled'
export type TaskUnit = 'steps' | 'bytes' | 'files'

/** How far a task is in its current phase (Go: task.Progress). Total 0: unknown. */
export interface TaskProgress {
  /** An i18n key suffix: tasks.<kind>.phase.<phase>. */
  phase: string
  done: number
  total: number
  unit: TaskUnit
  /** Files beside a byte amount (a sync: "31 of 1,000 files"); absent when not counted. */
  files?: number
  filesTotal?: number
}

/** One event about a task (Go: task.Update). */
export interface TaskUpdate {
  id: string
  /** What runs: "compact", later "sync", "export". */
  kind: string
  state: TaskState
  progress: TaskProgress
  error?: AppError
  /** Orders the updates of one task. */
  seq: number
}

const STATES: readonly TaskState[] = ['running', 'done', 'failed', 'canceled']
const UNITS: readonly TaskUnit[] = ['steps', 'bytes', 'files']

function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {}
}

function n(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0
}

/** Reads a task.Update (from TaskService.Active or an event); null if it has no id. */
export function toTaskUpdate(raw: unknown): TaskUpdate | null {
  const u = rec(raw)
  if (typeof u.id !== 'string' || u.id === '') return null
  const p = rec(u.progress)
  const state = typeof u.state === 'string' ? u.state : ''
  const unit = typeof p.unit === 'string' ? p.unit : ''
  const out: TaskUpdate = {
    id: u.id,
    kind: typeof u.kind === 'string' ? u.kind : '',
    state: (STATES as readonly string[]).includes(state) ? (state as TaskState) : 'running',
    progress: {
      phase: typeof p.phase === 'string' ? p.phase : '',
      done: n(p.done),
      total: n(p.total),
      unit: (UNITS as readonly string[]).includes(unit) ? (unit as TaskUnit) : 'steps',
    },
    seq: n(u.seq),
  }
  if (n(p.filesTotal) > 0) {
    out.progress.files = n(p.files)
    out.progress.filesTotal = n(p.filesTotal)
  }
  if (u.error !== undefined && u.error !== null) out.error = decodeError(u.error)
  return out
}

/** Starts compacting the local data; resolves to the task id. */
export function startCompact(): Promise<string> {
  return call(() => TaskService.Compact())
}

/** Asks a running task to stop; rejects with task.unknown if it already ended. */
export function cancelTask(id: string): Promise<void> {
  return call(() => TaskService.Cancel(id))
}

/** The running tasks' latest updates, oldest first. */
export function activeTasks(): Promise<TaskUpdate[]> {
  return call(async () => {
    const list = await TaskService.Active()
    return (Array.isArray(list) ? list : []).map(toTaskUpdate).filter((u): u is TaskUpdate => u !== null)
  })
}
