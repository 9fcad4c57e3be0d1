// Typed wrappers of Go's OutboxService (app/outbox.go): a local approver's
// sign-off, submitting to HQ through the outbox, and what HQ answers
// (states, comments) with the office's replies and withdrawals.
import * as OutboxService from '../wailsjs/go/app/OutboxService'
import { call } from './call'
import { toCampaign, type Campaign } from './campaigns'
import { list, num, rec, str } from './convert'
import { fromPayload, type AppError } from './errors'

/** Where a submission is on its way to the hub (Go: outbox.Delivery). */
export type Delivery = 'queued' | 'sending' | 'delivered' | 'failed'
export const DELIVERIES: readonly Delivery[] = ['queued', 'sending', 'delivered', 'failed']

/** What HQ last said of a submission (Go: submission.State); "" until the hub has answered. */
export type HubState = '' | 'submitted' | 'approved' | 'changes_requested' | 'scheduled' | 'sent' | 'withdrawn' | (string & {})

/** One step of a submission's life on the hub. */
export interface StateChange {
  state: string
  /** RFC 3339. */
  at: string
  /** Hub user name. */
  by: string
}

/** One message of a submission's thread, HQ's or the office's. */
export interface Comment {
  id: number
  by: string
  byName: string
  /** RFC 3339. */
  at: string
  text: string
  /** The slot it is about, "" for the whole campaign. */
  slot: string
  locale: string
  /** The action it came with ("request_changes", …), "" for a plain reply. */
  action: string
}

/** A submission as the Outbox page shows it (Go: app.OutboxItem). */
export interface OutboxItem {
  /** The permanent submission id. */
  id: string
  campaignId: string
  campaignName: string
  region: string
  delivery: Delivery
  attempts: number
  /** Why the last attempt failed (or why the hub refused it). */
  error: AppError | null
  hubState: HubState
  history: StateChange[]
  comments: Comment[]
  /** RFC 3339. */
  submittedAt: string
  updatedAt: string
  /** Grows with every change; events may arrive out of order, keep the highest. */
  seq: number
  /** Withdrawn on this computer before it reached the hub; withdrawn there on arrival. */
  withdrawAsked: boolean
}

function toStateChange(v: unknown): StateChange | null {
  const r = rec(v)
  return r && str(r.state) ? { state: str(r.state), at: str(r.at), by: str(r.by) } : null
}

export function toComment(v: unknown): Comment | null {
  const r = rec(v)
  if (!r || (!str(r.text) && !str(r.action))) return null
  return {
    id: num(r.id),
    by: str(r.by),
    byName: str(r.byName),
    at: str(r.at),
    text: str(r.text),
    slot: str(r.slot),
    locale: str(r.locale),
    action: str(r.action),
  }
}

/** Reads an OutboxItem from a binding's answer or an outpost:outbox event; null without an id. */
export function toOutboxItem(v: unknown): OutboxItem | null {
  const r = rec(v)
  if (!r || !str(r.id)) return null
  const delivery = str(r.delivery)
  return {
    id: str(r.id),
    campaignId: str(r.campaignId),
    campaignName: str(r.campaignName),
    region: str(r.region),
    delivery: (DELIVERIES as readonly string[]).includes(delivery) ? (delivery as Delivery) : 'queued',
    attempts: num(r.attempts),
    error: fromPayload(r.error),
    hubState: str(r.hubState),
    history: list(r.history, toStateChange),
    comments: list(r.comments, toComment),
    submittedAt: str(r.submittedAt),
    updatedAt: str(r.updatedAt),
    seq: num(r.seq),
    withdrawAsked: r.withdrawAsked === true,
  }
}

function item(v: unknown): OutboxItem {
  const it = toOutboxItem(v)
  if (!it) throw new Error('outbox: an answer without a submission id')
  return it
}

/**
 * Signs a campaign off as a local approver, with their own hub account
 * (checked by the hub, not kept); resolves to the campaign with its sign-off.
 */
export function signOff(campaignID: string, user: string, password: string): Promise<Campaign> {
  return call(async () => toCampaign(await OutboxService.SignOff(campaignID, user, password)))
}

/** Queues a signed-off campaign for HQ; works offline. */
export function submit(campaignID: string): Promise<OutboxItem> {
  return call(async () => item(await OutboxService.Submit(campaignID)))
}

/** Every submission of this computer, newest first. */
export function listOutbox(): Promise<OutboxItem[]> {
  return call(async () => list(await OutboxService.Items(), toOutboxItem))
}

/**
 * "Check now": Go asks whether the hub answers, wakes the sender and asks
 * the hub what became of the submissions, then lists the outbox (offline,
 * as this computer knows it).
 */
export function refreshOutbox(): Promise<OutboxItem[]> {
  return call(async () => list(await OutboxService.Refresh(), toOutboxItem))
}

/** Adds the office's reply to a submission's thread. */
export function reply(submissionID: string, text: string): Promise<OutboxItem> {
  return call(async () => item(await OutboxService.Reply(submissionID, text)))
}

/** Takes a submission back before HQ reviewed it. */
export function withdraw(submissionID: string): Promise<OutboxItem> {
  return call(async () => item(await OutboxService.Withdraw(submissionID)))
}

/** Sends a submission the hub refused again. */
export function retry(submissionID: string): Promise<OutboxItem> {
  return call(async () => item(await OutboxService.Retry(submissionID)))
}
