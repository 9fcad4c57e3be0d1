import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp, h, nextTick, type App } from 'vue'
import type { TaskUpdate } from '../api/tasks'
import * as api from '../api/tasks'
import { createAppI18n } from '../i18n'
import TaskProgress from './TaskProgress.vue'

vi.mock('../api/tasks', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/tasks')>()),
  cancelTask: vi.fn(),
}))

let app: App | null = null
let root: HTMLElement

function mount(task: TaskUpdate, opts: { compact?: boolean; locale?: 'en' | 'fr' } = {}) {
  root = document.createElement('div')
  document.body.append(root)
  const pinia = createPinia()
  setActivePinia(pinia)
  app = createApp({ render: () => h(TaskProgress, { task, compact: opts.compact ?? false }) })
  app.use(pinia).use(createAppI18n(opts.locale ?? 'en'))
  app.mount(root)
  return root
}

const running: TaskUpdate = {
  id: 'compact-1',
  kind: 'compact',
  state: 'running',
  progress: { phase: 'flatten', done: 1, total: 4, unit: 'steps' },
  seq: 2,
}

beforeEach(() => {
  vi.mocked(api.cancelTask).mockResolvedValue()
})

afterEach(() => {
  app?.unmount()
  root.remove()
  app = null
})

describe('TaskProgress', () => {
  it('shows title, phase, amount and a determinate bar', () => {
    const el = mount(running)
    const box = el.querySelector('[data-testid="task-progress"]')!
    expect(box.getAttribute('data-state')).toBe('running')
    expect(box.textContent).toContain('Compacting local data')
    expect(box.textContent).toContain('Merging storage tables')
    expect(box.textContent).toContain('1 of 4 steps')
    const bar = el.querySelector('[role="progressbar"]')!
    expect(bar.getAttribute('aria-valuenow')).toBe('25')
    expect(bar.classList.contains('indeterminate')).toBe(false)
    expect((el.querySelector('.bar-fill') as HTMLElement).style.width).toBe('25%')
  })

  it('is indeterminate without a total', () => {
    const el = mount({ ...running, progress: { phase: '', done: 0, total: 0, unit: 'steps' } })
    const bar = el.querySelector('[role="progressbar"]')!
    expect(bar.hasAttribute('aria-valuenow')).toBe(false)
    expect(bar.classList.contains('indeterminate')).toBe(true)
    expect(el.textContent).toContain('Starting…')
  })

  it('speaks French', () => {
    const el = mount(running, { locale: 'fr' })
    expect(el.textContent).toContain('Compactage des données locales')
    expect(el.querySelector('button')!.textContent).toContain('Annuler')
  })

  it('cancels the task and disables the button meanwhile', async () => {
    const el = mount(running)
    const button = el.querySelector('button')!
    button.click()
    expect(api.cancelTask).toHaveBeenCalledWith('compact-1')
    await nextTick()
    expect(button.disabled).toBe(true)
    expect(button.textContent).toContain('Canceling…')
  })

  it('labels the compact cancel button for screen readers', () => {
    const el = mount(running, { compact: true })
    expect(el.querySelector('button')!.getAttribute('aria-label')).toBe('Cancel — Compacting local data')
  })

  it('shows how a task ended, with the decoded error', () => {
    const el = mount({
      ...running,
      state: 'failed',
      error: { kind: 'internal', code: 'cache.compact_failed', params: { phase: 'flatten' }, detail: '' },
    })
    expect(el.querySelector('[role="progressbar"]')).toBeNull()
    expect(el.querySelector('button')).toBeNull()
    expect(el.textContent).toContain('Compaction failed. Compacting local data stopped at the “flatten” step.')
  })
})
