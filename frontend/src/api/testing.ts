// Test helpers for the API's shapes: an Outbox item with every field, so
// tests state only what they are about.
import type { OutboxItem } from './outbox'

/** A queued submission of campaign c1 ("Spring", fr), overridden by over. */
export function outboxItem(over: Partial<OutboxItem> = {}): OutboxItem {
  return {
    id: 'sub_a',
    campaignId: 'c1',
    campaignName: 'Spring',
    region: 'fr',
    delivery: 'queued',
    attempts: 0,
    error: null,
    hubState: '',
    history: [],
    comments: [],
    submittedAt: '2026-05-01T09:00:00Z',
    updatedAt: '2026-05-01T09:00:00Z',
    seq: 1,
    withdrawAsked: false,
    ...over,
  }
}
