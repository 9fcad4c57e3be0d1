// How a task update reads: title, phase, amount and bar, for any kind of
// task (compact now; sync and export later) with a generic fallback.
import { errorMessage, type Translator } from '../api/errors'
import type { TaskProgress, TaskUpdate } from '../api/tasks'
import { formatBytes, formatCount, formatPercent } from './format'

export interface TaskView {
  title: string
  /** What it is doing now; "" when there is no phase to name. */
  phase: string
  /** "2 of 3 steps", "12 MB of 40 MB · 3 of 9 files"; "" when the total is unknown. */
  amount: string
  /** 0..1 for a determinate bar; null for an indeterminate one. */
  ratio: number | null
  /** "42%"; "" when indeterminate. */
  percent: string
  /** For a finished task: the localized outcome. */
  result: string
}

/** 0..1 when the total is known, else null (indeterminate). */
export function progressRatio(p: TaskProgress): number | null {
  if (!(p.total > 0)) return null
  return Math.min(1, Math.max(0, p.done / p.total))
}

/**
 * "12 MB of 40 MB", "2 of 3 steps"; with a file count beside the bytes,
 * "12.4 MB of 480 MB · 31 of 1,000 files". "" when no total is known.
 */
export function formatAmount(p: TaskProgress, tr: Translator, locale: string): string {
  const parts: string[] = []
  if (p.total > 0) {
    const fmt = p.unit === 'bytes' ? (n: number) => formatBytes(n, locale) : (n: number) => formatCount(n, locale)
    parts.push(tr.t(`tasks.amount.${p.unit}`, { done: fmt(p.done), total: fmt(p.total) }))
  }
  if (p.unit !== 'files' && (p.filesTotal ?? 0) > 0) {
    parts.push(tr.t('tasks.amount.files', { done: formatCount(p.files ?? 0, locale), total: formatCount(p.filesTotal ?? 0, locale) }))
  }
  return parts.join(' · ')
}

function kindKey(kind: string, rest: string, tr: Translator): string {
  const own = `tasks.${kind}.${rest}`
  return kind && tr.te(own) ? own : `tasks.generic.${rest}`
}

export function describeTask(u: TaskUpdate, tr: Translator, locale: string): TaskView {
  const title = tr.t(kindKey(u.kind, 'title', tr), {})
  const phaseKey = `tasks.${u.kind}.phase.${u.progress.phase}`
  let phase = ''
  if (u.state === 'running') {
    if (u.progress.phase && tr.te(phaseKey)) phase = tr.t(phaseKey, {})
    else if (!u.progress.phase) phase = tr.t('tasks.starting', {})
  }
  const ratio = u.state === 'done' ? 1 : progressRatio(u.progress)
  let result = ''
  if (u.state !== 'running') {
    const error = u.error ? errorMessage(u.error, tr) : ''
    result = tr.t(kindKey(u.kind, `result.${u.state}`, tr), { error })
  }
  return {
    title,
    phase,
    amount: u.state === 'running' ? formatAmount(u.progress, tr, locale) : '',
    ratio,
    percent: ratio === null ? '' : formatPercent(ratio, locale),
    result,
  }
}
