// Background tasks as the UI follows them: the latest update of each, keyed
// by id, kept a little while after they end so the user sees how they ended.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { decodeError, type AppError } from '../api/errors'
import * as api from '../api/tasks'
import type { TaskUpdate } from '../api/tasks'

/** How long a finished task stays in the status bar. */
export const KEEP_FINISHED_MS = 6000

export const useTasksStore = defineStore('tasks', () => {
  const byId = ref<Record<string, TaskUpdate>>({})
  /** The last finished update of each kind, e.g. for Settings' "compacted" line. */
  const lastResult = ref<Record<string, TaskUpdate>>({})
  /** Why a task of a kind could not start. */
  const startError = ref<Record<string, AppError>>({})
  const canceling = ref<Record<string, boolean>>({})

  /** Highest seq seen per id, also for tasks no longer shown. */
  const seen = new Map<string, number>()
  const timers = new Map<string, ReturnType<typeof setTimeout>>()

  const list = computed(() => Object.values(byId.value))
  const running = computed(() => list.value.filter((t) => t.state === 'running'))

  function forget(id: string) {
    const next = { ...byId.value }
    delete next[id]
    byId.value = next
    timers.delete(id)
  }

  /**
   * Takes an update. Returns false when it is stale (a seq not newer than one
   * already seen for that task) and so was ignored.
   */
  function apply(u: TaskUpdate): boolean {
    const last = seen.get(u.id)
    if (last !== undefined && u.seq <= last) return false
    seen.set(u.id, u.seq)
    byId.value = { ...byId.value, [u.id]: u }
    if (u.state !== 'running') {
      lastResult.value = { ...lastResult.value, [u.kind]: u }
      if (canceling.value[u.id]) {
        const next = { ...canceling.value }
        delete next[u.id]
        canceling.value = next
      }
      clearTimeout(timers.get(u.id))
      timers.set(
        u.id,
        setTimeout(() => forget(u.id), KEEP_FINISHED_MS),
      )
    }
    return true
  }

  /** The task of a kind to show: a running one, else the last result. */
  function current(kind: string): TaskUpdate | null {
    return running.value.find((t) => t.kind === kind) ?? lastResult.value[kind] ?? null
  }

  async function loadActive(): Promise<void> {
    try {
      for (const u of await api.activeTasks()) apply(u)
    } catch {
      // Nothing to show then; events still arrive.
    }
  }

  function clearKind(kind: string) {
    const results = { ...lastResult.value }
    delete results[kind]
    lastResult.value = results
    const errors = { ...startError.value }
    delete errors[kind]
    startError.value = errors
  }

  /**
   * Shows a task that was just started as "starting" until its first event
   * arrives; seq 0 gives way to any real update.
   */
  function track(id: string, kind: string) {
    if (seen.has(id)) return
    byId.value = {
      ...byId.value,
      [id]: { id, kind, state: 'running', progress: { phase: '', done: 0, total: 0, unit: 'steps' }, seq: 0 },
    }
  }

  /** Starts compacting the local data; returns the task id, or null if it could not start. */
  async function startCompact(): Promise<string | null> {
    clearKind('compact')
    try {
      const id = await api.startCompact()
      track(id, 'compact')
      return id
    } catch (e) {
      startError.value = { ...startError.value, compact: decodeError(e) }
      return null
    }
  }

  /** Asks a task to stop; its final update arrives as an event. */
  async function cancel(id: string): Promise<void> {
    canceling.value = { ...canceling.value, [id]: true }
    try {
      await api.cancelTask(id)
    } catch (e) {
      // task.unknown: it ended meanwhile, and its last event says how.
      if (decodeError(e).code !== 'task.unknown') {
        const next = { ...canceling.value }
        delete next[id]
        canceling.value = next
      }
    }
  }

  return {
    byId,
    list,
    running,
    lastResult,
    startError,
    canceling,
    apply,
    current,
    loadActive,
    track,
    clearKind,
    startCompact,
    cancel,
  }
})
