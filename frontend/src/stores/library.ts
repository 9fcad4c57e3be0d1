// The library browser's state: the active release, the search and its pages
// of results (fetched as the grid needs them, cached by offset), the asset,
// brand kit and template views, and release imports.
import { defineStore } from 'pinia'
import { computed, reactive, ref, shallowRef, triggerRef } from 'vue'
import { decodeError, type AppError } from '../api/errors'
import * as api from '../api/library'
import type { AssetCard, AssetDetail, Brand, Expiry, LibraryInfo, TagCount, Template } from '../api/library'
import type { TaskUpdate } from '../api/tasks'
import { pagesFor } from '../lib/gridLayout'
import { useStatusStore } from './status'
import { useTasksStore } from './tasks'
import { useUiStore } from './ui'

/** How many assets one Search call fetches. */
export const PAGE_SIZE = 120

export interface Filters {
  text: string
  tags: string[]
  region: string
  expiry: Expiry
}

/** An import that failed, and the library that stayed in place. */
export interface ImportFailure {
  error: AppError
  /** Where it failed: choosing the release, starting the task, or the task itself. */
  stage: 'choose' | 'start' | 'task'
  before: LibraryInfo | null
}

function sameRelease(a: LibraryInfo | null, b: LibraryInfo | null): boolean {
  return a?.id === b?.id && a?.version === b?.version && a?.appliedAt === b?.appliedAt
}

export const useLibraryStore = defineStore('library', () => {
  const info = ref<LibraryInfo | null>(null)
  /** Info() has answered (or an event arrived) at least once. */
  const infoLoaded = ref(false)

  const filters = reactive<Filters>({ text: '', tags: [], region: '', expiry: '' })
  /** Matching assets; null before the first answer of the current search. */
  const total = ref<number | null>(null)
  /** Pages of results by offset. Shallow: replaced pages trigger by hand. */
  const pages = shallowRef(new Map<number, AssetCard[]>())
  const tagCounts = ref<TagCount[]>([])
  const searching = ref(false)
  const searchError = ref<AppError | null>(null)
  /** Bumped by every new search; answers of older ones are dropped. */
  let generation = 0
  const pending = new Set<number>()

  /** Where the grid was, to come back to it from an asset. */
  const gridScrollTop = ref(0)
  /** The card that had focus, and the asset opened from it. */
  const gridActive = ref(0)
  const lastOpened = ref<string | null>(null)

  const assets = shallowRef(new Map<string, AssetDetail>())
  const brand = ref<Brand | null>(null)
  const brandError = ref<AppError | null>(null)
  const templates = ref<Template[] | null>(null)
  const templatesError = ref<AppError | null>(null)

  const importTaskId = ref<string | null>(null)
  const importFailure = ref<ImportFailure | null>(null)
  let importBefore: LibraryInfo | null = null

  const hasFilters = computed(
    () => filters.text.trim() !== '' || filters.tags.length > 0 || filters.region !== '' || filters.expiry !== '',
  )
  const locales = computed(() => info.value?.locales ?? [])
  const regions = computed(() => info.value?.regions ?? [])
  const importing = computed(() => importTaskId.value !== null)

  /** The card at a result index, if its page has arrived. */
  function itemAt(index: number): AssetCard | undefined {
    const offset = Math.floor(index / PAGE_SIZE) * PAGE_SIZE
    return pages.value.get(offset)?.[index - offset]
  }

  function query(offset: number): api.AssetQuery {
    return {
      text: filters.text.trim(),
      tags: [...filters.tags],
      kind: '',
      region: filters.region,
      expiry: filters.expiry,
      offset,
      limit: PAGE_SIZE,
    }
  }

  async function fetchPage(offset: number, gen: number): Promise<void> {
    pending.add(offset)
    try {
      const page = await api.searchAssets(query(offset))
      if (gen !== generation) return
      pages.value.set(offset, page.items)
      triggerRef(pages)
      total.value = page.total
      tagCounts.value = page.tags
      searchError.value = null
    } catch (e) {
      if (gen === generation) searchError.value = decodeError(e)
    } finally {
      if (gen === generation) pending.delete(offset)
    }
  }

  /** Runs the search again from its first page: the filters changed, or the library did. */
  async function search(): Promise<void> {
    const gen = ++generation
    pending.clear()
    pages.value = new Map()
    total.value = null
    gridScrollTop.value = 0
    gridActive.value = 0
    searching.value = true
    try {
      await fetchPage(0, gen)
    } finally {
      if (gen === generation) searching.value = false
    }
  }

  /** Searches once, unless results (or a search) are already there. */
  function ensureSearch(): void {
    if (total.value === null && !searching.value && info.value) void search()
  }

  /** Fetches the pages that hold results first..last that are not there yet. */
  function ensureRange(first: number, last: number): void {
    if (total.value === null) return
    for (const offset of pagesFor(first, last, PAGE_SIZE, total.value)) {
      if (!pages.value.has(offset) && !pending.has(offset)) void fetchPage(offset, generation)
    }
  }

  function setText(text: string) {
    if (text === filters.text) return
    filters.text = text
    void search()
  }

  function toggleTag(tag: string) {
    filters.tags = filters.tags.includes(tag) ? filters.tags.filter((t) => t !== tag) : [...filters.tags, tag]
    void search()
  }

  function setRegion(region: string) {
    if (region === filters.region) return
    filters.region = region
    void search()
  }

  function setExpiry(expiry: Expiry) {
    if (expiry === filters.expiry) return
    filters.expiry = expiry
    void search()
  }

  function clearFilters() {
    Object.assign(filters, { text: '', tags: [], region: '', expiry: '' })
    void search()
  }

  /** One asset in full, from the cache when it was opened before. */
  async function loadAsset(id: string): Promise<AssetDetail> {
    const known = assets.value.get(id)
    if (known) return known
    const detail = await api.getAsset(id)
    assets.value.set(id, detail)
    triggerRef(assets)
    return detail
  }

  async function loadBrand(): Promise<void> {
    if (brand.value) return
    brandError.value = null
    try {
      brand.value = await api.getBrand()
    } catch (e) {
      brandError.value = decodeError(e)
    }
  }

  async function loadTemplates(): Promise<void> {
    if (templates.value) return
    templatesError.value = null
    try {
      templates.value = await api.getTemplates()
    } catch (e) {
      templatesError.value = decodeError(e)
    }
  }

  function forgetContent() {
    assets.value = new Map()
    brand.value = null
    brandError.value = null
    templates.value = null
    templatesError.value = null
    lastOpened.value = null
  }

  /**
   * Takes the active library (Info(), Status() or an outpost:library event).
   * A different release drops what was cached of the old one and searches
   * again if the grid had results.
   */
  function applyInfo(next: LibraryInfo | null) {
    const prev = info.value
    info.value = next
    infoLoaded.value = true
    if (sameRelease(prev, next)) return
    forgetContent()
    if (!next) {
      generation++
      pages.value = new Map()
      total.value = null
      tagCounts.value = []
      return
    }
    if (prev && total.value !== null) void search()
    else {
      total.value = null
      pages.value = new Map()
    }
  }

  async function loadInfo(): Promise<boolean> {
    try {
      applyInfo(await api.getLibraryInfo())
      return true
    } catch {
      infoLoaded.value = true
      return false
    }
  }

  function finishImport(u: TaskUpdate) {
    importTaskId.value = null
    const before = importBefore
    importBefore = null
    const ui = useUiStore()
    if (u.state === 'done') {
      void loadInfo().then(() => {
        const now = info.value
        if (!now) return
        const key = before && before.id === now.id && before.version === now.version ? 'library.import.sameVersion' : 'library.import.updated'
        ui.notify(key, { version: now.version })
        useStatusStore().applyLibrary(now)
      })
    } else if (u.state === 'canceled') {
      ui.notify('library.import.canceled', {}, 'info')
    } else {
      importFailure.value = {
        error: u.error ?? { kind: 'internal', code: 'internal', params: {}, detail: '' },
        stage: 'task',
        before,
      }
    }
  }

  /** Takes an update of an import task; only the import this store started gets an outcome. */
  function onImportUpdate(u: TaskUpdate) {
    if (u.id !== importTaskId.value || u.state === 'running') return
    finishImport(u)
  }

  /**
   * Asks for a release (a zip file or a folder) with the native dialog, then
   * imports it as a task. The current library stays in place unless the new
   * release is fully verified.
   */
  async function startImport(from: 'file' | 'folder'): Promise<string | null> {
    if (importing.value) return null
    importFailure.value = null
    let path: string
    try {
      path = from === 'file' ? await api.chooseReleaseFile() : await api.chooseReleaseFolder()
    } catch (e) {
      importFailure.value = { error: decodeError(e), stage: 'choose', before: info.value }
      return null
    }
    if (!path) return null
    const tasks = useTasksStore()
    tasks.clearKind('import')
    importBefore = info.value
    let id: string
    try {
      id = await api.importRelease(path)
    } catch (e) {
      importFailure.value = { error: decodeError(e), stage: 'start', before: importBefore }
      importBefore = null
      return null
    }
    importTaskId.value = id
    tasks.track(id, 'import')
    // Its last event may have come before Import() answered.
    const seen = tasks.byId[id]
    if (seen && seen.state !== 'running') finishImport(seen)
    return id
  }

  function dismissImportFailure() {
    importFailure.value = null
  }

  return {
    info,
    infoLoaded,
    locales,
    regions,
    filters,
    hasFilters,
    total,
    pages,
    tagCounts,
    searching,
    searchError,
    gridScrollTop,
    gridActive,
    lastOpened,
    assets,
    brand,
    brandError,
    templates,
    templatesError,
    importTaskId,
    importing,
    importFailure,
    itemAt,
    search,
    ensureSearch,
    ensureRange,
    setText,
    toggleTag,
    setRegion,
    setExpiry,
    clearFilters,
    loadAsset,
    loadBrand,
    loadTemplates,
    applyInfo,
    loadInfo,
    onImportUpdate,
    startImport,
    dismissImportFailure,
  }
})
