// The hub account: signed in or not, as whom, the new releases the
// background check found, and the library sync.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { decodeError, type AppError } from '../api/errors'
import * as api from '../api/hub'
import { emptyHubStatus, type HubStatus, type HubUpdate } from '../api/hub'
import { useTasksStore } from './tasks'

/** The task kind of a library sync. */
export const SYNC_KIND = 'sync'

export const useHubStore = defineStore('hub', () => {
  const status = ref<HubStatus>(emptyHubStatus())
  const loadError = ref<AppError | null>(null)
  const signingIn = ref(false)
  const signingOut = ref(false)
  /** Why the last sign-in failed, until the form changes. */
  const loginError = ref<AppError | null>(null)
  const signOutError = ref<AppError | null>(null)

  const signedIn = computed(() => status.value.signedIn)
  const user = computed(() => status.value.user)
  const updates = computed(() => status.value.updates)
  /** The update the status bar offers: the first the hub listed. */
  const firstUpdate = computed<HubUpdate | null>(() => (status.value.signedIn ? (status.value.updates[0] ?? null) : null))
  const keychainUnavailable = computed(() => status.value.keychain === 'unavailable')
  /** The sync to show: a running one, else the last result. */
  const syncTask = computed(() => useTasksStore().current(SYNC_KIND))
  const syncing = computed(() => syncTask.value?.state === 'running')

  /** Takes a status unless a newer one (higher seq) is already known. */
  function apply(s: HubStatus) {
    if (s.seq >= status.value.seq) status.value = s
  }

  async function load(): Promise<boolean> {
    try {
      apply(await api.getHubStatus())
      loadError.value = null
      return true
    } catch (e) {
      loadError.value = decodeError(e)
      return false
    }
  }

  /** Signs in; false with loginError set when it fails. */
  async function signIn(name: string, password: string): Promise<boolean> {
    if (signingIn.value) return false
    signingIn.value = true
    loginError.value = null
    signOutError.value = null
    try {
      apply(await api.login(name.trim(), password))
      return true
    } catch (e) {
      loginError.value = decodeError(e)
      return false
    } finally {
      signingIn.value = false
    }
  }

  async function signOut(): Promise<boolean> {
    if (signingOut.value) return false
    signingOut.value = true
    signOutError.value = null
    try {
      apply(await api.logout())
      return true
    } catch (e) {
      signOutError.value = decodeError(e)
      return false
    } finally {
      signingOut.value = false
    }
  }

  /** Forgets the sign-in error (the user is typing again). */
  function clearLoginError() {
    loginError.value = null
  }

  /**
   * Starts a library sync (joins the running one); returns the task id, or
   * null with tasks.startError.sync set when it could not start.
   */
  async function sync(): Promise<string | null> {
    const tasks = useTasksStore()
    const running = tasks.running.find((t) => t.kind === SYNC_KIND)
    if (running) return running.id
    tasks.clearKind(SYNC_KIND)
    try {
      const id = await api.startSync()
      tasks.track(id, SYNC_KIND)
      return id
    } catch (e) {
      tasks.startError = { ...tasks.startError, [SYNC_KIND]: decodeError(e) }
      return null
    }
  }

  return {
    status,
    loadError,
    signingIn,
    signingOut,
    loginError,
    signOutError,
    signedIn,
    user,
    updates,
    firstUpdate,
    keychainUnavailable,
    syncTask,
    syncing,
    apply,
    load,
    signIn,
    signOut,
    clearLoginError,
    sync,
  }
})
