import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp, nextTick, type App } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import * as api from '../api/outbox'
import type { OutboxItem } from '../api/outbox'
import { createAppI18n } from '../i18n'
import { routes } from '../router'
import { useOutboxStore } from '../stores/outbox'
import OutboxView from './OutboxView.vue'
import { outboxItem } from '../api/testing'

vi.mock('../api/outbox', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/outbox')>()),
  listOutbox: vi.fn(),
  refreshOutbox: vi.fn(),
  reply: vi.fn(),
  withdraw: vi.fn(),
  retry: vi.fn(),
}))

function item(over: Partial<OutboxItem> = {}): OutboxItem {
  return outboxItem({
    campaignName: 'Spring sale',
    delivery: 'delivered',
    attempts: 1,
    hubState: 'submitted',
    history: [{ state: 'submitted', at: '2026-05-01T10:00:00Z', by: 'designer.fr' }],
    updatedAt: '2026-05-01T10:00:00Z',
    seq: 2,
    ...over,
  })
}

const failed = item({
  id: 'sub_b',
  campaignName: 'Autumn',
  delivery: 'failed',
  attempts: 3,
  hubState: '',
  history: [],
  error: { kind: 'invalid', code: 'submission.signoff_own', params: {}, detail: '' },
  submittedAt: '2026-05-02T09:00:00Z',
})

let app: App | null = null
let root: HTMLElement

async function mount(locale: 'en' | 'fr' = 'en') {
  root = document.createElement('div')
  document.body.append(root)
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/outbox')
  app = createApp(OutboxView)
  app.use(pinia).use(router).use(createAppI18n(locale))
  app.mount(root)
  await nextTick()
}

const q = <T extends HTMLElement = HTMLElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`)
const all = (id: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)]

beforeEach(() => {
  vi.mocked(api.listOutbox).mockReset()
  vi.mocked(api.refreshOutbox).mockReset()
  vi.mocked(api.reply).mockReset()
  vi.mocked(api.withdraw).mockReset()
  vi.mocked(api.retry).mockReset()
})

afterEach(() => {
  app?.unmount()
  app = null
  root.remove()
})

describe('OutboxView', () => {
  it('says when nothing was submitted', async () => {
    vi.mocked(api.listOutbox).mockResolvedValue([])
    await mount()
    await vi.waitFor(() => expect(q('empty-state')?.textContent).toContain('Nothing waiting to be sent'))
  })

  it('lists submissions newest first with their delivery and HQ state; a failed one says why and retries', async () => {
    vi.mocked(api.listOutbox).mockResolvedValue([item(), failed])
    await mount()
    await vi.waitFor(() => expect(all('outbox-item')).toHaveLength(2))
    const rows = all('outbox-item')
    expect(rows.map((r) => r.dataset.id)).toEqual(['sub_b', 'sub_a'])
    expect(rows[0]!.querySelector('[data-testid="delivery-chip"]')?.textContent).toContain('Failed')
    expect(rows[0]!.querySelector('[data-testid="delivery-chip"]')?.textContent).toContain('3 attempts')
    expect(rows[1]!.querySelector('[data-testid="campaign-status"]')?.textContent).toContain('Submitted')
    // The newest is selected: its error in words and Retry.
    expect(q('outbox-detail')?.dataset.id).toBe('sub_b')
    expect(q('outbox-error')?.textContent).toContain('You wrote this campaign')
    vi.mocked(api.retry).mockResolvedValueOnce({ ...failed, delivery: 'queued', error: null, seq: 3 })
    q('outbox-retry')!.click()
    await vi.waitFor(() => expect(q('outbox-item')?.dataset.delivery).toBe('queued'))
    expect(api.retry).toHaveBeenCalledWith('sub_b')
  })

  it('Refresh asks the hub (through Go) and shows its answer', async () => {
    vi.mocked(api.listOutbox).mockResolvedValue([item()])
    await mount()
    await vi.waitFor(() => expect(q('outbox-item')?.dataset.hubState).toBe('submitted'))
    expect(api.refreshOutbox).not.toHaveBeenCalled()
    vi.mocked(api.refreshOutbox).mockResolvedValueOnce([item({ hubState: 'approved', seq: 3 })])
    q('outbox-refresh')!.click()
    await vi.waitFor(() => expect(q('outbox-item')?.dataset.hubState).toBe('approved'))
    expect(api.refreshOutbox).toHaveBeenCalledTimes(1)
  })

  it('withdraws a submission still on its way: it says it is withdrawn here and will be at HQ', async () => {
    const queued = item({ delivery: 'queued', hubState: '', history: [], seq: 1 })
    vi.mocked(api.listOutbox).mockResolvedValue([queued])
    await mount()
    await vi.waitFor(() => expect(q('outbox-withdraw')).not.toBeNull())
    expect(q('outbox-withdraw-asked')).toBeNull()
    q('outbox-withdraw')!.click()
    await vi.waitFor(() => expect(q('withdraw-dialog')).not.toBeNull())
    vi.mocked(api.withdraw).mockResolvedValueOnce({ ...queued, withdrawAsked: true, seq: 2 })
    q('withdraw-dialog')!.querySelector<HTMLButtonElement>('.btn-danger, .btn-primary')!.click()
    await vi.waitFor(() => expect(q('outbox-withdraw-asked')?.textContent).toContain('Withdrawn on this computer'))
    expect(api.withdraw).toHaveBeenCalledWith('sub_a')
    expect(q('outbox-withdraw')).toBeNull()
    expect(q('outbox-item')!.querySelector('[data-testid="campaign-status"]')?.getAttribute('data-status')).toBe('withdrawn')
  })

  it('an item sent again after changes is marked and no longer waits for the office', async () => {
    const old = item({ hubState: 'changes_requested', seq: 4 })
    const again = item({ id: 'sub_c', submittedAt: '2026-05-03T09:00:00Z', seq: 5 })
    vi.mocked(api.listOutbox).mockResolvedValue([old])
    await mount()
    await vi.waitFor(() => expect(q('outbox-item')?.dataset.hubState).toBe('changes_requested'))
    const store = useOutboxStore()
    expect(q('outbox-item')!.classList.contains('attention')).toBe(true)
    expect(store.attentionCount).toBe(1)
    expect(q('outbox-superseded')).toBeNull()
    store.apply(again)
    await nextTick()
    const rows = all('outbox-item')
    expect(rows.map((r) => r.dataset.id)).toEqual(['sub_c', 'sub_a'])
    expect(rows[1]!.dataset.superseded).toBe('true')
    expect(rows[1]!.classList.contains('attention')).toBe(false)
    expect(rows[1]!.querySelector('[data-testid="outbox-superseded"]')?.textContent?.trim()).toBe('Sent again')
    expect(rows[0]!.dataset.superseded).toBeUndefined()
    expect(store.attentionCount).toBe(0)
  })

  it('shows the history and the thread, replies, and withdraws while HQ has not reviewed it', async () => {
    vi.mocked(api.listOutbox).mockResolvedValue([item()])
    await mount()
    await vi.waitFor(() => expect(q('outbox-detail')).not.toBeNull())
    expect(all('outbox-history-step').map((s) => s.dataset.state)).toEqual(['submitted'])
    expect(q('outbox-thread-empty')).not.toBeNull()

    const text = q<HTMLTextAreaElement>('outbox-reply-text')!
    text.value = 'Logo fixed'
    text.dispatchEvent(new Event('input'))
    await nextTick()
    const comment = { id: 1, by: 'designer.fr', byName: 'Designer', at: '2026-05-02T09:00:00Z', text: 'Logo fixed', slot: '', locale: '', action: '' }
    vi.mocked(api.reply).mockResolvedValueOnce(item({ comments: [comment], seq: 3 }))
    q('outbox-reply')!.click()
    await vi.waitFor(() => expect(q('outbox-comment')?.textContent).toContain('Logo fixed'))
    expect(api.reply).toHaveBeenCalledWith('sub_a', 'Logo fixed')
    expect(q<HTMLTextAreaElement>('outbox-reply-text')!.value).toBe('')

    q('outbox-withdraw')!.click()
    await vi.waitFor(() => expect(q('withdraw-dialog')).not.toBeNull())
    vi.mocked(api.withdraw).mockResolvedValueOnce(item({ hubState: 'withdrawn', seq: 4 }))
    q('withdraw-dialog')!.querySelector<HTMLButtonElement>('.btn-danger, .btn-primary')!.click()
    await vi.waitFor(() => expect(q('outbox-withdraw')).toBeNull())
    expect(q('outbox-item')?.dataset.hubState).toBe('withdrawn')
  })

  it('follows live updates, keeping the newest of each submission', async () => {
    vi.mocked(api.listOutbox).mockResolvedValue([item({ delivery: 'queued', hubState: '', history: [], seq: 1 })])
    await mount('fr')
    await vi.waitFor(() => expect(q('outbox-item')).not.toBeNull())
    expect(q('delivery-chip')?.textContent).toContain('En attente')
    const store = useOutboxStore()
    store.apply(item({ hubState: 'changes_requested', seq: 5, comments: [{ id: 1, by: 'reviewer', byName: 'HQ Reviewer', at: '2026-05-02T08:00:00Z', text: 'Titre plus court', slot: 'headline', locale: 'fr', action: 'request_changes' }] }))
    store.apply(item({ delivery: 'sending', seq: 2 }))
    await nextTick()
    expect(q('outbox-item')?.dataset.hubState).toBe('changes_requested')
    expect(q('outbox-comment')?.textContent).toContain('Titre plus court')
    expect(q('outbox-comment')?.textContent).toContain('Modifications demandées')
  })
})
