// The shell's state: version, library release, hub connection, storage and
// the problems found at startup.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { decodeError, type AppError } from '../api/errors'
import * as api from '../api/system'
import type { LibraryInfo, OnlineStatus, Status } from '../api/system'

/** How long a recheck waits for the probe's answer. */
export const RECHECK_TIMEOUT_MS = 6000
/** How often a recheck asks for the status meanwhile. */
export const RECHECK_POLL_MS = 400

export interface Warning {
  key: string
  error: AppError
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export const useStatusStore = defineStore('status', () => {
  const status = ref<Status | null>(null)
  const online = ref<OnlineStatus>({ state: 'no_hub', hubUrl: '', checkedAt: '', seq: 0 })
  const loadError = ref<AppError | null>(null)
  const rechecking = ref(false)
  const dismissed = ref<string[]>([])
  /** Counts online events, so an older Status() answer can't undo a newer event. */
  let onlineEvents = 0

  const library = computed(() => status.value?.library ?? null)
  const version = computed(() => status.value?.version ?? '')
  const storageBytes = computed(() => {
    const s = status.value?.storage
    return s ? s.lsmBytes + s.vlogBytes : null
  })
  const warnings = computed<Warning[]>(() =>
    (status.value?.warnings ?? [])
      .map((error, i) => ({ key: `${i}:${error.code}`, error }))
      .filter((w) => !dismissed.value.includes(w.key)),
  )

  /** Takes a connection status unless a newer one (higher seq) is known. */
  function newer(s: OnlineStatus): boolean {
    return s.seq >= online.value.seq
  }

  function take(s: Status, eventsBefore: number) {
    if (onlineEvents !== eventsBefore || !newer(s.online)) s = { ...s, online: online.value }
    status.value = s
    online.value = s.online
    loadError.value = null
  }

  async function load(): Promise<boolean> {
    const before = onlineEvents
    try {
      take(await api.getStatus(), before)
      return true
    } catch (e) {
      loadError.value = decodeError(e)
      return false
    }
  }

  /** Takes an outpost:online event. */
  function applyOnline(s: OnlineStatus) {
    // Wails' dev server may deliver events out of order: keep the newest.
    if (!newer(s)) return
    onlineEvents++
    online.value = s
    if (status.value) status.value = { ...status.value, online: s }
  }

  /**
   * Probes the hub now. The backend only sends an event when the state
   * changes, so this also asks for the status until the check is recorded.
   */
  async function recheck(): Promise<void> {
    if (rechecking.value) return
    rechecking.value = true
    const before = online.value.checkedAt
    const events = onlineEvents
    try {
      await api.recheck()
      const deadline = Date.now() + RECHECK_TIMEOUT_MS
      while (Date.now() < deadline) {
        await sleep(RECHECK_POLL_MS)
        if (onlineEvents !== events) break
        const seen = onlineEvents
        const s = await api.getStatus()
        take(s, seen)
        if (s.online.checkedAt !== before) break
      }
    } catch (e) {
      loadError.value = decodeError(e)
    } finally {
      rechecking.value = false
    }
  }

  /** Takes an outpost:library event: the active library changed. */
  function applyLibrary(info: LibraryInfo | null) {
    if (status.value) status.value = { ...status.value, library: info }
  }

  function dismiss(key: string) {
    if (!dismissed.value.includes(key)) dismissed.value = [...dismissed.value, key]
  }

  return {
    status,
    online,
    loadError,
    rechecking,
    library,
    version,
    storageBytes,
    warnings,
    load,
    applyOnline,
    applyLibrary,
    recheck,
    dismiss,
  }
})
