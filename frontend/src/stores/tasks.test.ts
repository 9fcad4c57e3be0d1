import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { decodeError } from '../api/errors'
import * as api from '../api/tasks'
import type { TaskUpdate } from '../api/tasks'
import { KEEP_FINISHED_MS, useTasksStore } from './tasks'

vi.mock('../api/tasks', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/tasks')>()),
  startCompact: vi.fn(),
  cancelTask: vi.fn(),
  activeTasks: vi.fn(),
}))

function update(over: Partial<TaskUpdate> = {}): TaskUpdate {
  return {
    id: 'compact-1',
    kind: 'compact',
    state: 'running',
    progress: { phase: 'flush', done: 0, total: 3, unit: 'steps' },
    seq: 1,
    ...over,
  }
}

beforeEach(() => {
  setActivePinia(createPinia())
  vi.useFakeTimers()
  vi.mocked(api.activeTasks).mockResolvedValue([])
  vi.mocked(api.cancelTask).mockResolvedValue()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('tasks store', () => {
  it('keys updates by id and keeps the newest', () => {
    const s = useTasksStore()
    expect(s.apply(update())).toBe(true)
    expect(s.apply(update({ seq: 2, progress: { phase: 'flatten', done: 1, total: 3, unit: 'steps' } }))).toBe(true)
    expect(s.byId['compact-1']?.progress.phase).toBe('flatten')
    expect(s.running.map((t) => t.id)).toEqual(['compact-1'])
  })

  it('ignores stale and repeated updates', () => {
    const s = useTasksStore()
    s.apply(update({ seq: 3, progress: { phase: 'gc', done: 2, total: 3, unit: 'steps' } }))
    expect(s.apply(update({ seq: 2, progress: { phase: 'flatten', done: 1, total: 3, unit: 'steps' } }))).toBe(false)
    expect(s.apply(update({ seq: 3 }))).toBe(false)
    expect(s.byId['compact-1']?.progress.phase).toBe('gc')
  })

  it('keeps a finished task briefly, then only its result', () => {
    const s = useTasksStore()
    s.apply(update())
    s.apply(update({ seq: 2, state: 'done', progress: { phase: 'done', done: 3, total: 3, unit: 'steps' } }))
    expect(s.running).toEqual([])
    expect(s.list.map((t) => t.state)).toEqual(['done'])
    expect(s.current('compact')?.state).toBe('done')
    vi.advanceTimersByTime(KEEP_FINISHED_MS - 1)
    expect(s.list).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(s.list).toHaveLength(0)
    expect(s.lastResult.compact?.state).toBe('done')
    expect(s.current('compact')?.state).toBe('done')
  })

  it('ignores a late update of a task already gone', () => {
    const s = useTasksStore()
    s.apply(update({ seq: 4, state: 'canceled' }))
    vi.advanceTimersByTime(KEEP_FINISHED_MS)
    expect(s.apply(update({ seq: 3 }))).toBe(false)
    expect(s.list).toHaveLength(0)
  })

  it('tracks several tasks at once', () => {
    const s = useTasksStore()
    s.apply(update())
    s.apply(update({ id: 'sync-2', kind: 'sync', progress: { phase: 'download', done: 10, total: 100, unit: 'bytes' } }))
    expect(s.running.map((t) => t.id)).toEqual(['compact-1', 'sync-2'])
    expect(s.current('sync')?.id).toBe('sync-2')
    expect(s.current('export')).toBeNull()
  })

  it('starts a compaction and shows it as starting until its first event', async () => {
    vi.mocked(api.startCompact).mockResolvedValue('compact-7')
    const s = useTasksStore()
    expect(await s.startCompact()).toBe('compact-7')
    expect(s.byId['compact-7']).toMatchObject({ state: 'running', seq: 0, progress: { phase: '', total: 0 } })
    expect(s.apply(update({ id: 'compact-7', seq: 1 }))).toBe(true)
    expect(s.byId['compact-7']?.progress.phase).toBe('flush')
  })

  it('does not overwrite events that beat Compact()’s answer', async () => {
    vi.mocked(api.startCompact).mockImplementation(async () => {
      s.apply(update({ id: 'compact-8', seq: 2, progress: { phase: 'flatten', done: 1, total: 3, unit: 'steps' } }))
      return 'compact-8'
    })
    const s = useTasksStore()
    await s.startCompact()
    expect(s.byId['compact-8']?.seq).toBe(2)
  })

  it('clears the previous result when a new compaction starts', async () => {
    const s = useTasksStore()
    s.apply(update({ state: 'done', seq: 9 }))
    vi.mocked(api.startCompact).mockResolvedValue('compact-2')
    await s.startCompact()
    expect(s.lastResult.compact).toBeUndefined()
    expect(s.current('compact')?.id).toBe('compact-2')
  })

  it('records why a compaction could not start', async () => {
    vi.mocked(api.startCompact).mockRejectedValue(
      decodeError(new Error('{"kind":"unavailable","code":"app.cache_unavailable","op":"app.Compact","detail":""}')),
    )
    const s = useTasksStore()
    expect(await s.startCompact()).toBeNull()
    expect(s.startError.compact?.code).toBe('app.cache_unavailable')
    expect(s.list).toHaveLength(0)
  })

  it('cancels: marks the task canceling until its final update', async () => {
    const s = useTasksStore()
    s.apply(update())
    await s.cancel('compact-1')
    expect(api.cancelTask).toHaveBeenCalledWith('compact-1')
    expect(s.canceling['compact-1']).toBe(true)
    s.apply(update({ seq: 2, state: 'canceled' }))
    expect(s.canceling['compact-1']).toBeUndefined()
    expect(s.lastResult.compact?.state).toBe('canceled')
  })

  it('treats task.unknown on cancel as "already ending"', async () => {
    vi.mocked(api.cancelTask).mockRejectedValue(decodeError({ kind: 'not_found', code: 'task.unknown', params: { id: 'compact-1' } }))
    const s = useTasksStore()
    s.apply(update())
    await s.cancel('compact-1')
    expect(s.canceling['compact-1']).toBe(true)
  })

  it('re-enables Cancel when cancelling failed otherwise', async () => {
    vi.mocked(api.cancelTask).mockRejectedValue(new Error('Call to TaskService.Cancel timed out'))
    const s = useTasksStore()
    s.apply(update())
    await s.cancel('compact-1')
    expect(s.canceling['compact-1']).toBeUndefined()
  })

  it('picks up tasks already running', async () => {
    vi.mocked(api.activeTasks).mockResolvedValue([update({ id: 'compact-3', seq: 5 })])
    const s = useTasksStore()
    await s.loadActive()
    expect(s.running.map((t) => t.id)).toEqual(['compact-3'])
  })

  it('survives a failing Active()', async () => {
    vi.mocked(api.activeTasks).mockRejectedValue(new Error('x'))
    const s = useTasksStore()
    await s.loadActive()
    expect(s.list).toEqual([])
  })
})
