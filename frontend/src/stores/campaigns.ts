// Campaigns: the list (search, status filter), creating, renaming,
// duplicating and deleting, and the composer of one campaign: the form's
// values as typed (saved in the background, ~400 ms after typing pauses),
// what Go refused, undo and redo, the rebase plan, and the live preview.
import { defineStore } from 'pinia'
import { computed, reactive, ref, shallowRef } from 'vue'
import * as api from '../api/campaigns'
import type { Campaign, CampaignSummary, CheckReport, Finding, Preview, RebasePlan } from '../api/campaigns'
import { decodeError, type AppError } from '../api/errors'
import * as outboxApi from '../api/outbox'
import type { OutboxItem } from '../api/outbox'
import { fieldKey, isNewer, parseFieldKey, storedValue } from '../lib/composer'
import { SaveQueue, type QueueState } from '../lib/saveQueue'
import { UndoStack, type Edit } from '../lib/undo'
import { useOutboxStore } from './outbox'

/** How long typing must pause before a field saves. */
export const SAVE_DELAY_MS = 400

export type PreviewDevice = 'desktop' | 'mobile'
export type PreviewScheme = 'light' | 'dark' | 'inverted'
export const PREVIEW_DEVICES: readonly PreviewDevice[] = ['desktop', 'mobile']
export const PREVIEW_SCHEMES: readonly PreviewScheme[] = ['light', 'dark', 'inverted']
/** The preview pane's tabs: the email, its plain text, and the brand check. */
export type PreviewTab = 'email' | 'text' | 'check'
export const PREVIEW_TABS: readonly PreviewTab[] = ['email', 'text', 'check']
/** The preview frame's widths: a 600 px email with its margins, and a common phone. */
export const FRAME_WIDTHS: Record<PreviewDevice, number> = { desktop: 680, mobile: 375 }

/** Keys of the campaign-wide fields, beside the slots' "locale/slot". */
export const AUDIENCE_FIELD = 'audience'
export const SEND_AT_FIELD = 'sendAt'
/** The preset id of a campaign's email renditions (Go: campaign.EmailPreset). */
export const EMAIL_PRESET = 'email'

/** The key of an image slot's crop in fieldErrors. */
export function cropField(slot: string): string {
  return `crop:${slot}`
}

/** Marks the moment something happened, for the latency figures the e2e run reports. */
function mark(name: string) {
  try {
    performance.clearMarks(name)
    performance.mark(name)
  } catch {
    // No User Timing here (some test environments): nothing to measure.
  }
}

export const useCampaignsStore = defineStore('campaigns', () => {
  // ── The list ──────────────────────────────────────────────────────────
  const query = reactive<api.CampaignQuery>({ text: '', status: '' })
  const items = ref<CampaignSummary[]>([])
  /** Campaigns on this computer; null before the first answer. */
  const total = ref<number | null>(null)
  const damaged = ref<string[]>([])
  const listLoading = ref(false)
  const listError = ref<AppError | null>(null)
  let listGen = 0

  const hasFilters = computed(() => query.text.trim() !== '' || query.status !== '')

  async function loadList(): Promise<void> {
    const gen = ++listGen
    listLoading.value = true
    try {
      const res = await api.listCampaigns({ text: query.text.trim(), status: query.status })
      if (gen !== listGen) return
      items.value = res.items
      total.value = res.total
      damaged.value = res.damaged
      listError.value = null
    } catch (e) {
      if (gen === listGen) listError.value = decodeError(e)
    } finally {
      if (gen === listGen) listLoading.value = false
    }
  }

  function setText(text: string) {
    if (text === query.text) return
    query.text = text
    void loadList()
  }

  function setStatus(status: string) {
    if (status === query.status) return
    query.status = status
    void loadList()
  }

  function clearFilters() {
    query.text = ''
    query.status = ''
    void loadList()
  }

  /** Starts a draft; rejects with an AppError (e.g. campaign.name_invalid). */
  async function create(template: string, name: string, region: string): Promise<Campaign> {
    const c = await api.createCampaign(template, name, region)
    void loadList()
    return c
  }

  async function duplicate(id: string, name: string): Promise<Campaign> {
    const c = await api.duplicateCampaign(id, name)
    void loadList()
    return c
  }

  async function rename(id: string, name: string): Promise<Campaign> {
    const c = await api.renameCampaign(id, name)
    if (current.value?.id === id) applyView(c)
    void loadList()
    return c
  }

  async function remove(id: string): Promise<void> {
    await api.deleteCampaign(id)
    items.value = items.value.filter((x) => x.id !== id)
    if (total.value !== null) total.value = Math.max(0, total.value - 1)
    if (current.value?.id === id) forgetCurrent()
    void loadList()
  }

  // ── The composer ──────────────────────────────────────────────────────
  const current = shallowRef<Campaign | null>(null)
  const loading = ref(false)
  const loadError = ref<AppError | null>(null)
  const activeLocale = ref('')
  /** What was typed per field ("locale/slot"), shown instead of the saved value. */
  const drafts = ref<Record<string, string>>({})
  /** What Go refused, per field; the typed text stays in the field. */
  const fieldErrors = ref<Record<string, AppError>>({})
  const queueState = ref<QueueState>('idle')
  /** Audience and send-date saves under way (they save at once). */
  const settingSaves = ref(0)
  /** A setting (audience, send date, crop) was saved since the campaign opened. */
  const settingSaved = ref(false)
  const canUndo = ref(false)
  const canRedo = ref(false)
  /** A field to focus (after undo or redo), with a counter so the same field asks again. */
  const focusRequest = ref<{ key: string; n: number } | null>(null)
  const historyError = ref<AppError | null>(null)

  const preview = ref<Preview | null>(null)
  const previewError = ref<AppError | null>(null)
  const previewLoading = ref(false)
  const device = ref<PreviewDevice>('desktop')
  const scheme = ref<PreviewScheme>('light')
  let previewGen = 0
  const previewTab = ref<PreviewTab>('email')

  /** The newest brand check of the campaign as saved; null before the first answer. */
  const check = shallowRef<CheckReport | null>(null)
  const checkError = ref<AppError | null>(null)
  const checking = ref(false)
  let checkGen = 0

  const plan = ref<RebasePlan | null>(null)
  const planError = ref<AppError | null>(null)
  const rebasing = ref(false)

  /** Who signed off last, to name them when an edit voids their sign-off. */
  const lastSignOff = ref<{ id: string; name: string } | null>(null)
  const signingOff = ref(false)
  const submitting = ref(false)
  const submitError = ref<AppError | null>(null)
  /** Whether the office may edit the campaign open in the composer. */
  const editable = computed(() => !!current.value && api.isEditable(current.value.status))
  /** The name of whoever signed off the sign-off an edit voided; "" when unknown. */
  const voidedSignOffBy = computed(() =>
    current.value?.signOffVoided && lastSignOff.value?.id === current.value.id ? lastSignOff.value.name : '',
  )

  const stack = new UndoStack()
  /** Whether saves record on the undo stack (not while undoing). */
  let recording = true

  const saveState = computed<QueueState>(() => {
    if (settingSaves.value > 0) return 'saving'
    const q = queueState.value
    if (q === 'error' || q === 'saving' || q === 'pending') return q
    if (fieldErrors.value[AUDIENCE_FIELD] || fieldErrors.value[SEND_AT_FIELD]) return 'error'
    if (Object.keys(fieldErrors.value).some((k) => k.startsWith('crop:'))) return 'error'
    // The field queue is idle before a first field edit; a saved setting
    // still says "Saved".
    return q === 'idle' && settingSaved.value ? 'saved' : q
  })
  const errorCount = computed(() => Object.keys(fieldErrors.value).length)
  const rebaseAvailable = computed(() => !!current.value && current.value.latest > current.value.release)

  function syncStack() {
    canUndo.value = stack.canUndo
    canRedo.value = stack.canRedo
  }

  function setFieldError(key: string, err: AppError | null) {
    const next = { ...fieldErrors.value }
    if (err) next[key] = err
    else delete next[key]
    fieldErrors.value = next
  }

  /** Takes a campaign as Go saved it, unless a newer one is already here. */
  function applyView(next: Campaign) {
    if (!isNewer(next, current.value)) return
    if (next.signOff) lastSignOff.value = { id: next.id, name: next.signOff.byName || next.signOff.by }
    else if (lastSignOff.value?.id !== next.id) lastSignOff.value = null
    current.value = next
    const row = items.value.find((x) => x.id === next.id)
    if (row) {
      row.name = next.name
      row.updated = next.updated
    }
  }

  async function saveField(key: string, value: string): Promise<void> {
    const c = current.value
    if (!c) return
    const { locale, slot } = parseFieldKey(key)
    const before = storedValue(c, locale, slot)
    mark('outpost:save-start')
    try {
      const next = await api.setValue(c.id, locale, slot, value)
      if (current.value?.id !== c.id) return
      mark('outpost:saved')
      applyView(next)
      setFieldError(key, null)
      if (recording) {
        stack.push({ locale, slot, before, after: storedValue(next, locale, slot) })
        syncStack()
      }
      void refreshPreview()
      void refreshCheck()
    } catch (e) {
      if (current.value?.id === c.id) setFieldError(key, decodeError(e))
      throw e
    }
  }

  const queue = new SaveQueue<string>({
    delay: SAVE_DELAY_MS,
    save: saveField,
    onChange: () => (queueState.value = queue.state),
  })

  function forgetCurrent() {
    queue.reset()
    settingSaved.value = false
    stack.clear()
    syncStack()
    current.value = null
    drafts.value = {}
    fieldErrors.value = {}
    preview.value = null
    previewError.value = null
    plan.value = null
    planError.value = null
    historyError.value = null
    previewGen++
    check.value = null
    checkError.value = null
    checking.value = false
    checkGen++
    submitError.value = null
  }

  /** Opens a campaign in the composer; the same one again keeps what was typed. */
  async function open(id: string): Promise<void> {
    if (current.value && current.value.id !== id) {
      await queue.flush()
      forgetCurrent()
    }
    loading.value = true
    loadError.value = null
    try {
      const c = await api.getCampaign(id)
      const same = current.value?.id === c.id
      applyView(c)
      if (!same || !c.locales.includes(activeLocale.value)) activeLocale.value = c.locales[0] ?? ''
      void refreshPreview()
      void refreshCheck()
      if (c.latest > c.release) void loadPlan()
      else plan.value = null
    } catch (e) {
      if (!current.value || current.value.id === id) loadError.value = decodeError(e)
    } finally {
      loading.value = false
    }
  }

  /** Records what was typed in a field; it saves once typing pauses. */
  function edit(locale: string, slot: string, value: string) {
    const key = fieldKey(locale, slot)
    drafts.value = { ...drafts.value, [key]: value }
    queue.edit(key, value)
  }

  /** Saves a field now (it lost focus), or every field. */
  function commit(locale?: string, slot?: string): Promise<void> {
    return locale !== undefined && slot !== undefined ? queue.flush(fieldKey(locale, slot)) : queue.flush()
  }

  /** Saves everything typed; resolves when Go has answered. */
  function flush(): Promise<void> {
    return queue.flush()
  }

  /** Whether a field has a value not saved yet. */
  function pending(locale: string, slot: string): boolean {
    return queue.pending(fieldKey(locale, slot))
  }

  async function setActiveLocale(locale: string) {
    if (locale === activeLocale.value) return
    void queue.flush()
    activeLocale.value = locale
    await refreshPreview()
  }

  /** Renders the active locale again; an older answer never replaces a newer one. */
  async function refreshPreview(): Promise<void> {
    const c = current.value
    const locale = activeLocale.value
    if (!c || !locale) return
    const gen = ++previewGen
    previewLoading.value = true
    try {
      const p = await api.getPreview(c.id, locale)
      if (gen !== previewGen) return
      preview.value = p
      previewError.value = null
      mark('outpost:preview')
    } catch (e) {
      if (gen === previewGen) previewError.value = decodeError(e)
    } finally {
      if (gen === previewGen) previewLoading.value = false
    }
  }

  /**
   * Runs the brand check on the campaign as saved. Checks overlap when
   * edits do: only the answer to the newest one is kept.
   */
  async function refreshCheck(): Promise<void> {
    const c = current.value
    if (!c) return
    const gen = ++checkGen
    checking.value = true
    try {
      const r = await api.checkCampaign(c.id)
      if (gen !== checkGen || current.value?.id !== c.id) return
      check.value = r
      checkError.value = null
    } catch (e) {
      if (gen === checkGen && current.value?.id === c.id) checkError.value = decodeError(e)
    } finally {
      if (gen === checkGen) checking.value = false
    }
  }

  /** Shows where a finding is: its locale's tab, then its field (or the delivery setting). */
  function revealFinding(f: Finding): void {
    const c = current.value
    if (!c) return
    let key = ''
    if (f.slot === AUDIENCE_FIELD || f.slot === SEND_AT_FIELD) key = f.slot
    else if (c.slots.some((s) => s.id === f.slot)) {
      if (f.locale && c.locales.includes(f.locale)) void setActiveLocale(f.locale)
      key = fieldKey(activeLocale.value, f.slot)
    } else if (f.locale && c.locales.includes(f.locale)) void setActiveLocale(f.locale)
    if (key) focusRequest.value = { key, n: (focusRequest.value?.n ?? 0) + 1 }
  }

  /** Applies one side of an edit through SetValue, as any edit, without recording it. */
  async function applyHistory(e: Edit, value: string): Promise<boolean> {
    const c = current.value
    if (!c) return false
    const key = fieldKey(e.locale, e.slot)
    queue.forget(key)
    recording = false
    historyError.value = null
    try {
      const next = await api.setValue(c.id, e.locale, e.slot, value)
      applyView(next)
      const rest = { ...drafts.value }
      delete rest[key]
      drafts.value = rest
      setFieldError(key, null)
      if (activeLocale.value !== e.locale) activeLocale.value = e.locale
      focusRequest.value = { key, n: (focusRequest.value?.n ?? 0) + 1 }
      void refreshPreview()
      void refreshCheck()
      return true
    } catch (err) {
      historyError.value = decodeError(err)
      return false
    } finally {
      recording = true
    }
  }

  /** Undoes the last saved edit; what was typed and not saved yet is saved first. */
  async function undo(): Promise<void> {
    await queue.flush()
    const e = stack.undo()
    syncStack()
    if (!e) return
    if (!(await applyHistory(e, e.before))) stack.cancelUndo()
    syncStack()
  }

  async function redo(): Promise<void> {
    await queue.flush()
    const e = stack.redo()
    syncStack()
    if (!e) return
    if (!(await applyHistory(e, e.after))) stack.cancelRedo()
    syncStack()
  }

  async function saveSetting(field: string, call: (id: string) => Promise<Campaign>): Promise<boolean> {
    const c = current.value
    if (!c) return false
    settingSaves.value++
    try {
      applyView(await call(c.id))
      settingSaved.value = true
      setFieldError(field, null)
      void refreshPreview()
      void refreshCheck()
      return true
    } catch (e) {
      setFieldError(field, decodeError(e))
      return false
    } finally {
      settingSaves.value--
    }
  }

  function chooseAudience(scope: string): Promise<boolean> {
    return saveSetting(AUDIENCE_FIELD, (id) => api.setAudience(id, scope))
  }

  function setSendAt(at: string): Promise<boolean> {
    return saveSetting(SEND_AT_FIELD, (id) => api.setSendAt(id, at))
  }

  let cropChain: Promise<unknown> = Promise.resolve()

  /**
   * Overrides an image slot's crop for a preset (null: back to the crop
   * around the focal point), through SetCrop like any setting; saves run
   * one after the other so the last asked is the one kept.
   */
  function setCrop(slot: string, preset: string, crop: api.Crop | null): Promise<boolean> {
    const next = cropChain.then(() => saveSetting(cropField(slot), (id) => api.setCrop(id, slot, preset, crop)))
    cropChain = next
    return next
  }

  // ── Sign-off and submission ───────────────────────────────────────────

  /**
   * A local approver signs the open campaign off with their own hub
   * account; what was typed is saved first. Rejects with an AppError
   * (submission.signoff_own, hub.login_failed, …) for the dialog to show.
   */
  async function signOff(user: string, password: string): Promise<Campaign> {
    const c = current.value
    if (!c) throw decodeError('')
    signingOff.value = true
    try {
      await queue.flush()
      const next = await outboxApi.signOff(c.id, user.trim(), password)
      applyView(next)
      void loadList()
      return next
    } finally {
      signingOff.value = false
    }
  }

  /** Queues the open, signed-off campaign for HQ; null with submitError set when it fails. */
  async function submit(): Promise<OutboxItem | null> {
    const c = current.value
    if (!c || submitting.value) return null
    submitting.value = true
    submitError.value = null
    try {
      await queue.flush()
      const it = await outboxApi.submit(c.id)
      useOutboxStore().apply(it)
      // The campaign is now submitted: read-only, under its submission id.
      try {
        applyView(await api.getCampaign(c.id))
      } catch {
        // The submission is queued all the same; the composer catches up on the next open.
      }
      void loadList()
      return it
    } catch (e) {
      submitError.value = decodeError(e)
      return null
    } finally {
      submitting.value = false
    }
  }

  /** A submission changed on the hub: the open campaign (status, HQ's comments) and the list follow. */
  function onSubmissionChanged(campaignId: string): void {
    const c = current.value
    if (c && c.id === campaignId) {
      void api
        .getCampaign(campaignId)
        .then((next) => {
          if (current.value?.id !== campaignId) return
          const reopened = !api.isEditable(c.status) && api.isEditable(next.status)
          applyView(next)
          if (reopened) void refreshCheck()
        })
        .catch(() => {})
    }
    if (items.value.some((x) => x.id === campaignId)) void loadList()
  }

  async function loadPlan(): Promise<void> {
    const c = current.value
    if (!c) return
    planError.value = null
    try {
      const p = await api.planRebase(c.id)
      if (current.value?.id === c.id) plan.value = p
    } catch (e) {
      if (current.value?.id === c.id) planError.value = decodeError(e)
    }
  }

  /** Moves the campaign to the library's current release; what was typed is saved first. */
  async function rebase(): Promise<boolean> {
    const c = current.value
    if (!c || rebasing.value) return false
    rebasing.value = true
    planError.value = null
    try {
      await queue.flush()
      const next = await api.rebaseCampaign(c.id)
      applyView(next)
      // The form may have changed under every field: show what Go has.
      drafts.value = {}
      fieldErrors.value = {}
      stack.clear()
      syncStack()
      plan.value = null
      void refreshPreview()
      void refreshCheck()
      void loadList()
      return true
    } catch (e) {
      planError.value = decodeError(e)
      return false
    } finally {
      rebasing.value = false
    }
  }

  return {
    query,
    items,
    total,
    damaged,
    listLoading,
    listError,
    hasFilters,
    loadList,
    setText,
    setStatus,
    clearFilters,
    create,
    duplicate,
    rename,
    remove,
    current,
    loading,
    loadError,
    activeLocale,
    drafts,
    fieldErrors,
    saveState,
    errorCount,
    canUndo,
    canRedo,
    focusRequest,
    historyError,
    preview,
    previewError,
    previewLoading,
    device,
    scheme,
    previewTab,
    check,
    checkError,
    checking,
    plan,
    planError,
    rebasing,
    rebaseAvailable,
    open,
    edit,
    commit,
    flush,
    pending,
    setActiveLocale,
    refreshPreview,
    refreshCheck,
    revealFinding,
    undo,
    redo,
    chooseAudience,
    setSendAt,
    setCrop,
    loadPlan,
    rebase,
    editable,
    voidedSignOffBy,
    signingOff,
    submitting,
    submitError,
    signOff,
    submit,
    onSubmissionChanged,
  }
})
