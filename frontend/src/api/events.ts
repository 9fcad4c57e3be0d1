// Typed subscriptions to the events Go emits (app/events.go).
import { EventsOn } from '../wailsjs/runtime/runtime'
import { toHubStatus, type HubStatus } from './hub'
import { toLibraryInfo, type LibraryInfo } from './library'
import { toOutboxItem, type OutboxItem } from './outbox'
import { toOnlineStatus, type OnlineStatus } from './system'
import { toTaskUpdate, type TaskUpdate } from './tasks'

export const EVENT_TASK = 'outpost:task'
export const EVENT_ONLINE = 'outpost:online'
export const EVENT_LIBRARY = 'outpost:library'
export const EVENT_HUB = 'outpost:hub'
export const EVENT_OUTBOX = 'outpost:outbox'
export const EVENT_CAMPAIGN = 'outpost:campaign'

export type Unsubscribe = () => void

function subscribe(name: string, handler: (payload: unknown) => void): Unsubscribe {
  try {
    return EventsOn(name, (payload: unknown) => handler(payload))
  } catch {
    // No Wails runtime (the UI opened in a plain browser): nothing will arrive.
    return () => {}
  }
}

/** Calls fn with every task update; returns the function that stops it. */
export function onTask(fn: (u: TaskUpdate) => void): Unsubscribe {
  return subscribe(EVENT_TASK, (payload) => {
    const u = toTaskUpdate(payload)
    if (u) fn(u)
  })
}

/** Calls fn whenever the hub connection changes; returns the function that stops it. */
export function onOnline(fn: (s: OnlineStatus) => void): Unsubscribe {
  return subscribe(EVENT_ONLINE, (payload) => fn(toOnlineStatus(payload)))
}

/** Calls fn whenever the active library changes (an import, the sample at first start); null: none. */
export function onLibrary(fn: (info: LibraryInfo | null) => void): Unsubscribe {
  return subscribe(EVENT_LIBRARY, (payload) => fn(toLibraryInfo(payload)))
}

/** Calls fn whenever the hub account or its updates change; returns the function that stops it. */
export function onHub(fn: (s: HubStatus) => void): Unsubscribe {
  return subscribe(EVENT_HUB, (payload) => fn(toHubStatus(payload)))
}

/** Calls fn with every change of a submission (delivery, HQ's state, a comment); returns the function that stops it. */
export function onOutbox(fn: (it: OutboxItem) => void): Unsubscribe {
  return subscribe(EVENT_OUTBOX, (payload) => {
    const it = toOutboxItem(payload)
    if (it) fn(it)
  })
}

/** What the hub changed of a campaign (Go: app.CampaignChange). */
export interface CampaignChange {
  id: string
  status: string
  submission: string
}

/** Calls fn whenever the hub changes a campaign's status; returns the function that stops it. */
export function onCampaign(fn: (c: CampaignChange) => void): Unsubscribe {
  return subscribe(EVENT_CAMPAIGN, (payload) => {
    const r = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {}
    if (typeof r.id === 'string' && r.id)
      fn({ id: r.id, status: typeof r.status === 'string' ? r.status : '', submission: typeof r.submission === 'string' ? r.submission : '' })
  })
}
