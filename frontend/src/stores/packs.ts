// Asset packs: the images chosen for the next pack (from the packs view or
// "Add to pack" on an image), the channel presets, manual crops from the
// crop editor, and the export: save dialog, background task, outcome.
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { decodeError, type AppError } from '../api/errors'
import type { AssetCard } from '../api/library'
import * as api from '../api/packs'
import type { PackRequest, PackSummary, Preset } from '../api/packs'
import type { Crop } from '../api/photos'
import type { TaskUpdate } from '../api/tasks'
import { suggestedPackName } from '../lib/presets'
import { useLibraryStore } from './library'
import { useTasksStore } from './tasks'

/** Where an export is: idle, the save dialog, starting, running, or how it ended. */
export type ExportStage = 'idle' | 'choosing' | 'starting' | 'running' | 'done' | 'failed' | 'canceled'

/** The task kind Go's PackService.Export runs as. */
export const PACK_TASK = 'pack'

export const usePacksStore = defineStore('packs', () => {
  const library = useLibraryStore()
  const tasks = useTasksStore()

  const presets = ref<Preset[] | null>(null)
  const presetsError = ref<AppError | null>(null)
  let presetsLoading: Promise<void> | null = null

  /** Chosen asset ids, in the order they were added. */
  const selection = ref<string[]>([])
  /** What the selection shows of each asset. */
  const cards = ref<Record<string, AssetCard>>({})
  /** Manual crops per asset id, then preset id. */
  const crops = ref<Record<string, Record<string, Crop>>>({})
  /** Preset ids left out of the pack (every other preset is in). */
  const excluded = ref<string[]>([])

  const stage = ref<ExportStage>('idle')
  const taskId = ref<string | null>(null)
  const summary = ref<PackSummary | null>(null)
  const error = ref<AppError | null>(null)

  const chosenPresets = computed(() => (presets.value ?? []).filter((p) => !excluded.value.includes(p.id)).map((p) => p.id))
  const busy = computed(() => stage.value === 'choosing' || stage.value === 'starting' || stage.value === 'running')
  const task = computed<TaskUpdate | null>(() => (taskId.value ? (tasks.byId[taskId.value] ?? null) : null))
  const cropCount = computed(() => Object.values(crops.value).reduce((n, m) => n + Object.keys(m).length, 0))

  /** Loads the library's presets once per release. */
  function loadPresets(force = false): Promise<void> {
    if (!force && presets.value) return Promise.resolve()
    if (presetsLoading) return presetsLoading
    presetsError.value = null
    presetsLoading = api
      .getPresets()
      .then((list) => {
        presets.value = list
      })
      .catch((e) => {
        presetsError.value = decodeError(e)
      })
      .finally(() => {
        presetsLoading = null
      })
    return presetsLoading
  }

  function has(id: string): boolean {
    return selection.value.includes(id)
  }

  /** Adds an asset (with manual crops per preset, replacing earlier ones). */
  function add(card: AssetCard, withCrops?: Record<string, Crop>) {
    if (!has(card.id)) selection.value = [...selection.value, card.id]
    cards.value = { ...cards.value, [card.id]: card }
    if (withCrops) {
      const next = { ...crops.value }
      if (Object.keys(withCrops).length > 0) next[card.id] = { ...withCrops }
      else delete next[card.id]
      crops.value = next
    }
  }

  function remove(id: string) {
    selection.value = selection.value.filter((x) => x !== id)
    const c = { ...crops.value }
    delete c[id]
    crops.value = c
  }

  function toggle(card: AssetCard) {
    if (has(card.id)) remove(card.id)
    else add(card)
  }

  function clear() {
    selection.value = []
    crops.value = {}
  }

  function setPreset(id: string, on: boolean) {
    excluded.value = on ? excluded.value.filter((x) => x !== id) : [...new Set([...excluded.value, id])]
  }

  function setPresets(ids: readonly string[], on: boolean) {
    for (const id of ids) setPreset(id, on)
  }

  function finish(u: TaskUpdate) {
    if (u.id !== taskId.value || u.state === 'running') return
    if (u.state === 'done') {
      void api
        .lastPack()
        .then((s) => {
          summary.value = s
          stage.value = 'done'
        })
        .catch((e) => {
          error.value = decodeError(e)
          stage.value = 'failed'
        })
    } else if (u.state === 'canceled') {
      stage.value = 'canceled'
    } else {
      error.value = u.error ?? { kind: 'internal', code: 'internal', params: {}, detail: '' }
      stage.value = 'failed'
    }
  }

  // The export's task ends: read its outcome.
  watch(task, (u) => {
    if (u) finish(u)
  })

  /**
   * Asks where to save the pack, then starts the export as a task; its
   * progress is `task`, its outcome `stage`, `summary` and `error`.
   */
  async function startExport(): Promise<void> {
    const assets = [...selection.value]
    const packCrops: Record<string, Record<string, Crop>> = {}
    for (const id of assets) if (crops.value[id]) packCrops[id] = crops.value[id]!
    await run(library.info?.name ?? '', (dest) => ({ assets, presets: [...chosenPresets.value], dest, campaign: '', crops: packCrops }))
  }

  /**
   * Exports a campaign's pictures, with its crops, to every preset (Go
   * refuses while its brand check finds errors); the outcome shows on the
   * Asset packs page like any export.
   */
  async function exportCampaign(id: string, name: string): Promise<void> {
    await run(name, (dest) => ({ assets: [], presets: [], dest, campaign: id, crops: {} }))
  }

  async function run(name: string, request: (dest: string) => PackRequest): Promise<void> {
    if (busy.value) return
    error.value = null
    summary.value = null
    stage.value = 'choosing'
    let dest: string
    try {
      dest = await api.chooseDestination(suggestedPackName(name, new Date()))
    } catch (e) {
      error.value = decodeError(e)
      stage.value = 'failed'
      return
    }
    if (!dest) {
      stage.value = 'idle'
      return
    }
    stage.value = 'starting'
    let id: string
    try {
      id = await api.exportPack(request(dest))
    } catch (e) {
      error.value = decodeError(e)
      stage.value = 'failed'
      return
    }
    tasks.clearKind(PACK_TASK)
    tasks.track(id, PACK_TASK)
    taskId.value = id
    stage.value = 'running'
    // Its last event may have come before Export() answered.
    const seen = tasks.byId[id]
    if (seen && seen.state !== 'running') finish(seen)
  }

  async function cancelExport(): Promise<void> {
    if (taskId.value && stage.value === 'running') await tasks.cancel(taskId.value)
  }

  /** Back to choosing: the outcome panel goes, the selection stays. */
  function dismissResult() {
    if (busy.value) return
    stage.value = 'idle'
    error.value = null
    summary.value = null
    taskId.value = null
  }

  // Another library: its presets and assets are others.
  watch(
    () => [library.info?.id ?? '', library.info?.version ?? 0, library.info?.appliedAt ?? ''] as const,
    ([id], [oldId]) => {
      presets.value = null
      if (id !== oldId) {
        clear()
        cards.value = {}
        excluded.value = []
      }
    },
  )

  return {
    presets,
    presetsError,
    selection,
    cards,
    crops,
    cropCount,
    excluded,
    chosenPresets,
    stage,
    taskId,
    task,
    summary,
    error,
    busy,
    loadPresets,
    has,
    add,
    remove,
    toggle,
    clear,
    setPreset,
    setPresets,
    startExport,
    exportCampaign,
    cancelExport,
    dismissResult,
  }
})
