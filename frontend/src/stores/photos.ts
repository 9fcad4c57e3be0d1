// The office's own photos: importing them (file dialog or drop), the last
// import's outcome, and editing or deleting one. The library's grid and
// asset cache follow every change.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { decodeError, type AppError } from '../api/errors'
import type { AssetDetail } from '../api/library'
import * as api from '../api/photos'
import type { PhotoEdit, PhotoImport } from '../api/photos'
import { useLibraryStore } from './library'
import { usePacksStore } from './packs'
import { useUiStore } from './ui'

/** Why an import didn't happen: the dialog failed, or the import call did. */
export interface PhotoImportFailure {
  error: AppError
  stage: 'choose' | 'import'
}

export const usePhotosStore = defineStore('photos', () => {
  const library = useLibraryStore()

  const importing = ref(false)
  /** The last import's outcome, until dismissed. */
  const lastImport = ref<PhotoImport | null>(null)
  const importFailure = ref<PhotoImportFailure | null>(null)

  function dismiss() {
    lastImport.value = null
    importFailure.value = null
  }

  /** Imports files by absolute path; resolves to what happened, null if it could not run. */
  async function importPaths(paths: string[]): Promise<PhotoImport | null> {
    if (importing.value || paths.length === 0) return null
    importing.value = true
    dismiss()
    try {
      const r = await api.importPhotos(paths)
      lastImport.value = r
      if (r.imported.length > 0) {
        void library.search()
        // Too small for some presets: name them, so load them now.
        if (r.tooSmall.length > 0) void usePacksStore().loadPresets()
      }
      if (r.failed.length === 0 && r.tooSmall.length === 0) {
        const ui = useUiStore()
        if (r.imported.length === 1) ui.notify('library.photos.toast.one', {})
        else if (r.imported.length > 1) ui.notify('library.photos.toast.many', { count: r.imported.length })
        else ui.notify('library.photos.toast.existing', {}, 'info')
      }
      return r
    } catch (e) {
      importFailure.value = { error: decodeError(e), stage: 'import' }
      return null
    } finally {
      importing.value = false
    }
  }

  /** Asks for photos with the native dialog, then imports them. */
  async function chooseAndImport(): Promise<PhotoImport | null> {
    if (importing.value) return null
    let paths: string[]
    try {
      paths = await api.choosePhotos()
    } catch (e) {
      importFailure.value = { error: decodeError(e), stage: 'choose' }
      return null
    }
    return importPaths(paths)
  }

  /** The library's asset cache holds the photo as it is now. */
  function cache(detail: AssetDetail) {
    const next = new Map(library.assets)
    next.set(detail.id, detail)
    library.assets = next
  }

  /** Saves a local photo's title, tags and focal point; the grid refreshes. */
  async function save(id: string, edit: PhotoEdit): Promise<AssetDetail> {
    const detail = await api.editPhoto(id, edit)
    cache(detail)
    void library.search()
    return detail
  }

  /** Deletes a local photo; it leaves the grid and any pack selection. */
  async function remove(id: string): Promise<void> {
    await api.deletePhoto(id)
    const next = new Map(library.assets)
    next.delete(id)
    library.assets = next
    usePacksStore().remove(id)
    void library.search()
  }

  return { importing, lastImport, importFailure, dismiss, importPaths, chooseAndImport, save, remove }
})
