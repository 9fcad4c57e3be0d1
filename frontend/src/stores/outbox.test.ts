import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../api/outbox'
import { outboxItem } from '../api/testing'
import { toOutboxItem } from '../api/outbox'
import { canWithdraw, useOutboxStore } from './outbox'

vi.mock('../api/outbox', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/outbox')>()),
  listOutbox: vi.fn(),
  reply: vi.fn(),
  withdraw: vi.fn(),
  retry: vi.fn(),
}))


beforeEach(() => {
  setActivePinia(createPinia())
  vi.mocked(api.listOutbox).mockReset()
  vi.mocked(api.reply).mockReset()
  vi.mocked(api.withdraw).mockReset()
  vi.mocked(api.retry).mockReset()
})

describe('toOutboxItem', () => {
  it('reads what Go sends, and survives what it does not', () => {
    const it = toOutboxItem({
      id: 'sub_x',
      campaignId: 'c9',
      campaignName: 'Été',
      region: 'fr',
      delivery: 'failed',
      attempts: 3,
      error: { kind: 'invalid', code: 'submission.findings_differ', params: { rule: 'words' } },
      hubState: '',
      history: [{ state: 'submitted', at: '2026-05-01T10:00:00Z', by: 'designer.fr' }, { at: 'no state' }],
      comments: [{ id: 1, by: 'reviewer', byName: 'HQ Reviewer', at: '2026-05-02T08:00:00Z', text: 'Shorter title', slot: 'headline', locale: 'fr', action: 'request_changes' }, {}],
      submittedAt: '2026-05-01T09:00:00Z',
      seq: 7,
    })!
    expect(it.delivery).toBe('failed')
    expect(it.error?.code).toBe('submission.findings_differ')
    expect(it.history).toHaveLength(1)
    expect(it.comments).toEqual([
      { id: 1, by: 'reviewer', byName: 'HQ Reviewer', at: '2026-05-02T08:00:00Z', text: 'Shorter title', slot: 'headline', locale: 'fr', action: 'request_changes' },
    ])
    expect(toOutboxItem({ id: 'sub_y', delivery: 'lost' })?.delivery).toBe('queued')
    expect(toOutboxItem({ delivery: 'queued' })).toBeNull()
    expect(toOutboxItem(null)).toBeNull()
  })
})

describe('outbox store', () => {
  it('keeps the highest seq of each submission, whatever order events arrive in', () => {
    const store = useOutboxStore()
    expect(store.apply(outboxItem({ seq: 3, delivery: 'sending', attempts: 1 }))).toBe(true)
    expect(store.apply(outboxItem({ seq: 5, delivery: 'delivered', hubState: 'submitted' }))).toBe(true)
    // An older event, late: ignored.
    expect(store.apply(outboxItem({ seq: 4, delivery: 'sending', attempts: 2 }))).toBe(false)
    expect(store.byId.sub_a?.delivery).toBe('delivered')
    expect(store.byId.sub_a?.hubState).toBe('submitted')
    // The same seq again (a reload) is taken.
    expect(store.apply(outboxItem({ seq: 5, delivery: 'delivered', hubState: 'submitted', comments: [] }))).toBe(true)
    expect(store.items).toHaveLength(1)
  })

  it('lists newest first and counts what is pending and what needs the office', async () => {
    const store = useOutboxStore()
    vi.mocked(api.listOutbox).mockResolvedValueOnce([
      outboxItem({ id: 'sub_new', submittedAt: '2026-05-03T09:00:00Z', delivery: 'queued' }),
      outboxItem({ id: 'sub_old', campaignId: 'c2', submittedAt: '2026-05-01T09:00:00Z', delivery: 'delivered', hubState: 'changes_requested' }),
    ])
    expect(await store.load()).toBe(true)
    store.apply(outboxItem({ id: 'sub_mid', campaignId: 'c3', submittedAt: '2026-05-02T09:00:00Z', delivery: 'failed', seq: 2 }))
    expect(store.items.map((x) => x.id)).toEqual(['sub_new', 'sub_mid', 'sub_old'])
    expect(store.pendingCount).toBe(1)
    expect(store.attentionCount).toBe(2)
    expect(store.forCampaign('c1')?.id).toBe('sub_new')
    expect(store.loaded).toBe(true)
    // c2 sent again after HQ's changes: its old submission waits for nobody.
    store.apply(outboxItem({ id: 'sub_again', campaignId: 'c2', submittedAt: '2026-05-04T09:00:00Z', delivery: 'queued', seq: 3 }))
    expect(store.superseded(store.byId.sub_old!)).toBe(true)
    expect(store.superseded(store.byId.sub_again!)).toBe(false)
    expect(store.pendingCount).toBe(2)
    expect(store.attentionCount).toBe(1)
    expect(store.forCampaign('c2')?.id).toBe('sub_again')
  })

  it('a load does not bring back an older state than an event already gave', async () => {
    const store = useOutboxStore()
    store.apply(outboxItem({ seq: 9, delivery: 'delivered' }))
    vi.mocked(api.listOutbox).mockResolvedValueOnce([outboxItem({ seq: 8, delivery: 'sending' })])
    await store.load()
    expect(store.byId.sub_a?.delivery).toBe('delivered')
  })

  it('replies, withdraws and retries through Go, and keeps why it failed', async () => {
    const store = useOutboxStore()
    store.apply(outboxItem({ delivery: 'delivered', hubState: 'submitted', seq: 2 }))
    expect(canWithdraw(store.byId.sub_a!)).toBe(true)

    expect(await store.reply('sub_a', '   ')).toBe(false)
    expect(api.reply).not.toHaveBeenCalled()

    const comment = { id: 2, by: 'designer.fr', byName: 'Designer', at: '2026-05-02T09:00:00Z', text: 'Done', slot: '', locale: '', action: '' }
    vi.mocked(api.reply).mockResolvedValueOnce(outboxItem({ delivery: 'delivered', hubState: 'submitted', seq: 3, comments: [comment] }))
    expect(await store.reply('sub_a', ' Done ')).toBe(true)
    expect(api.reply).toHaveBeenCalledWith('sub_a', 'Done')
    expect(store.byId.sub_a?.comments).toHaveLength(1)

    vi.mocked(api.withdraw).mockRejectedValueOnce(new Error(JSON.stringify({ kind: 'conflict', code: 'submission.transition_invalid', params: { state: 'approved', action: 'withdraw' } })))
    expect(await store.withdraw('sub_a')).toBe(false)
    expect(store.actionError.sub_a?.code).toBe('submission.transition_invalid')
    expect(store.isBusy('withdraw', 'sub_a')).toBe(false)

    vi.mocked(api.withdraw).mockResolvedValueOnce(outboxItem({ delivery: 'delivered', hubState: 'withdrawn', seq: 4 }))
    expect(await store.withdraw('sub_a')).toBe(true)
    expect(store.actionError.sub_a).toBeUndefined()
    expect(canWithdraw(store.byId.sub_a!)).toBe(false)

    vi.mocked(api.retry).mockResolvedValueOnce(outboxItem({ id: 'sub_a', delivery: 'queued', seq: 5 }))
    expect(await store.retry('sub_a')).toBe(true)
    expect(store.byId.sub_a?.delivery).toBe('queued')
  })
})
