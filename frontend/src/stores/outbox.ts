// The Outbox: every submission of this computer with its delivery to the
// hub and HQ's answer (states, comments), kept up to date by outpost:outbox
// events, and the office's side of the conversation: reply, withdraw, send
// a refused submission again.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { decodeError, type AppError } from '../api/errors'
import * as api from '../api/outbox'
import type { OutboxItem } from '../api/outbox'

/** The office's actions on a submission. */
export type OutboxAction = 'reply' | 'withdraw' | 'retry'

/** Newest first: by submission time, then by id so the order is stable. */
function newestFirst(a: OutboxItem, b: OutboxItem): number {
  if (a.submittedAt !== b.submittedAt) return a.submittedAt < b.submittedAt ? 1 : -1
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0
}

/**
 * Whether the office may still take a submission back: HQ has not reviewed
 * it, or it has not even reached the hub (it is then withdrawn there on
 * arrival).
 */
export function canWithdraw(it: OutboxItem): boolean {
  if (it.withdrawAsked) return false
  return it.hubState === 'submitted' || (it.hubState === '' && (it.delivery === 'queued' || it.delivery === 'sending'))
}

/** Whether a submission waits for the office's reply: HQ asked for changes. */
export function needsAttention(it: OutboxItem): boolean {
  return it.delivery === 'failed' || it.hubState === 'changes_requested'
}

export const useOutboxStore = defineStore('outbox', () => {
  const byId = ref<Record<string, OutboxItem>>({})
  /** False until the first answer (or event). */
  const loaded = ref(false)
  const loading = ref(false)
  const loadError = ref<AppError | null>(null)
  const selectedId = ref('')
  /** Actions under way: "<action>:<id>". */
  const busy = ref<Record<string, boolean>>({})
  /** Why an action failed, per submission, until the next try. */
  const actionError = ref<Record<string, AppError>>({})

  const items = computed(() => Object.values(byId.value).sort(newestFirst))
  const selected = computed(() => byId.value[selectedId.value] ?? null)
  /** Submissions still on their way (queued or being sent). */
  const pendingCount = computed(() => items.value.filter((x) => x.delivery === 'queued' || x.delivery === 'sending').length)
  /** Each campaign's newest submission: an older one was sent again after changes. */
  const newestOf = computed(() => {
    const out: Record<string, string> = {}
    for (const it of items.value) out[it.campaignId] ??= it.id
    return out
  })
  /** Whether a newer submission of the same campaign replaces this one. */
  function superseded(it: OutboxItem): boolean {
    return newestOf.value[it.campaignId] !== it.id
  }
  /** Submissions that wait for the office: a resubmitted one no longer does. */
  const attentionCount = computed(() => items.value.filter((x) => needsAttention(x) && !superseded(x)).length)

  /** Takes an item unless a newer one (higher seq) of the same submission is already here. */
  function apply(it: OutboxItem): boolean {
    const have = byId.value[it.id]
    if (have && it.seq < have.seq) return false
    byId.value = { ...byId.value, [it.id]: it }
    return true
  }

  /** Lists the outbox; with fromHub, asks the hub first (the Refresh button). */
  async function load(fromHub = false): Promise<boolean> {
    loading.value = true
    try {
      const list = await (fromHub ? api.refreshOutbox() : api.listOutbox())
      for (const it of list) apply(it)
      loadError.value = null
      loaded.value = true
      return true
    } catch (e) {
      loadError.value = decodeError(e)
      return false
    } finally {
      loading.value = false
    }
  }

  function select(id: string) {
    selectedId.value = id
  }

  /** The newest submission of a campaign, if any. */
  function forCampaign(campaignId: string): OutboxItem | null {
    return items.value.find((x) => x.campaignId === campaignId) ?? null
  }

  function isBusy(action: OutboxAction, id: string): boolean {
    return busy.value[`${action}:${id}`] === true
  }

  async function run(action: OutboxAction, id: string, fn: () => Promise<OutboxItem>): Promise<boolean> {
    const key = `${action}:${id}`
    if (busy.value[key]) return false
    busy.value = { ...busy.value, [key]: true }
    const errs = { ...actionError.value }
    delete errs[id]
    actionError.value = errs
    try {
      apply(await fn())
      return true
    } catch (e) {
      actionError.value = { ...actionError.value, [id]: decodeError(e) }
      return false
    } finally {
      const rest = { ...busy.value }
      delete rest[key]
      busy.value = rest
    }
  }

  /** Adds the office's reply to the thread; false with actionError set when it fails. */
  function reply(id: string, text: string): Promise<boolean> {
    const body = text.trim()
    if (!body) return Promise.resolve(false)
    return run('reply', id, () => api.reply(id, body))
  }

  function withdraw(id: string): Promise<boolean> {
    return run('withdraw', id, () => api.withdraw(id))
  }

  function retry(id: string): Promise<boolean> {
    return run('retry', id, () => api.retry(id))
  }

  function clearError(id: string) {
    if (!actionError.value[id]) return
    const errs = { ...actionError.value }
    delete errs[id]
    actionError.value = errs
  }

  return {
    byId,
    items,
    loaded,
    loading,
    loadError,
    selectedId,
    selected,
    pendingCount,
    attentionCount,
    superseded,
    busy,
    actionError,
    apply,
    load,
    select,
    forCampaign,
    isBusy,
    reply,
    withdraw,
    retry,
    clearError,
  }
})
