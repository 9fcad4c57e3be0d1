import { describe, expect, it } from 'vitest'
import type { TaskUpdate } from '../api/tasks'
import { createAppI18n, translatorOf } from '../i18n'
import { describeTask, progressRatio } from './taskView'

const tr = (l: 'en' | 'fr') => translatorOf(createAppI18n(l).global)

function task(over: Partial<TaskUpdate> = {}): TaskUpdate {
  return {
    id: 'compact-1',
    kind: 'compact',
    state: 'running',
    progress: { phase: 'flatten', done: 1, total: 3, unit: 'steps' },
    seq: 2,
    ...over,
  }
}

describe('progressRatio', () => {
  it('is null (indeterminate) without a total', () => {
    expect(progressRatio({ phase: '', done: 5, total: 0, unit: 'bytes' })).toBeNull()
  })

  it('clamps to 0..1', () => {
    expect(progressRatio({ phase: '', done: 1, total: 4, unit: 'steps' })).toBe(0.25)
    expect(progressRatio({ phase: '', done: 9, total: 4, unit: 'steps' })).toBe(1)
  })
})

describe('describeTask', () => {
  it('names the kind, the phase and the steps', () => {
    const v = describeTask(task(), tr('en'), 'en')
    expect(v).toMatchObject({
      title: 'Compacting local data',
      phase: 'Merging storage tables',
      amount: '1 of 3 steps',
      percent: '33%',
      result: '',
    })
    expect(v.ratio).toBeCloseTo(1 / 3)
  })

  it('speaks French', () => {
    const v = describeTask(task(), tr('fr'), 'fr')
    expect(v.title).toBe('Compactage des données locales')
    expect(v.phase).toBe('Fusion des tables de stockage')
    expect(v.amount).toBe('1 sur 3 étapes')
    expect(v.percent.replace(/[\u00a0\u202f]/g, ' ')).toBe('33 %')
  })

  it('formats bytes and files', () => {
    const bytes = describeTask(task({ kind: 'sync', progress: { phase: 'download', done: 1_500_000, total: 40_000_000, unit: 'bytes' } }), tr('en'), 'en')
    expect(bytes.amount).toBe('1.5 MB of 40 MB')
    const files = describeTask(task({ kind: 'export', progress: { phase: 'render', done: 1200, total: 4000, unit: 'files' } }), tr('en'), 'en')
    expect(files.amount).toBe('1,200 of 4,000 files')
  })

  it('shows bytes and files side by side when a task counts both', () => {
    const sync = (done: number, files: number) =>
      task({
        kind: 'sync',
        progress: { phase: 'download', done, total: 480_000_000, unit: 'bytes', files, filesTotal: 1000 },
      })
    expect(describeTask(sync(12_400_000, 31), tr('en'), 'en').amount).toBe('12.4 MB of 480 MB · 31 of 1,000 files')
    expect(describeTask(sync(12_400_000, 31), tr('fr'), 'fr').amount.replace(/[\u00a0\u202f]/g, ' ')).toBe(
      '12,4 Mo sur 480 Mo · 31 sur 1 000 fichiers',
    )
    // Files known before the byte total: the files alone.
    const early = task({ kind: 'sync', progress: { phase: 'download', done: 0, total: 0, unit: 'bytes', files: 0, filesTotal: 12 } })
    expect(describeTask(early, tr('en'), 'en').amount).toBe('0 of 12 files')
    // Without a file total, nothing is added.
    expect(describeTask(sync(5_000_000, 0), tr('en'), 'en').amount).toContain('of 1,000 files')
    const noFiles = task({ kind: 'sync', progress: { phase: 'download', done: 5_000_000, total: 40_000_000, unit: 'bytes' } })
    expect(describeTask(noFiles, tr('en'), 'en').amount).toBe('5 MB of 40 MB')
  })

  it('is indeterminate and "starting" before the first phase', () => {
    const v = describeTask(task({ progress: { phase: '', done: 0, total: 0, unit: 'steps' } }), tr('en'), 'en')
    expect(v).toMatchObject({ phase: 'Starting…', amount: '', ratio: null, percent: '' })
  })

  it('falls back to a generic title for kinds it has no words for', () => {
    const v = describeTask(task({ kind: 'reindex', progress: { phase: 'download', done: 0, total: 0, unit: 'bytes' } }), tr('en'), 'en')
    expect(v.title).toBe('Background task')
    expect(v.phase).toBe('')
  })

  it('tells how a task ended', () => {
    expect(describeTask(task({ state: 'done' }), tr('en'), 'en')).toMatchObject({ result: 'Local data compacted.', ratio: 1 })
    expect(describeTask(task({ state: 'canceled' }), tr('fr'), 'fr').result).toBe('Compactage annulé. Rien n’a été perdu.')
    const failed = describeTask(
      task({ state: 'failed', error: { kind: 'internal', code: 'cache.compact_failed', params: { phase: 'gc' }, detail: '' } }),
      tr('en'),
      'en',
    )
    expect(failed.result).toBe('Compaction failed. Compacting local data stopped at the “gc” step.')
    expect(describeTask(task({ kind: 'export', state: 'done' }), tr('en'), 'en').result).toBe('Finished.')
  })
})
