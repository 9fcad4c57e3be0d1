// What an import of photos did, as the library shows it: counts, each
// failure with its file name, and each new photo too small for presets.
import type { AppError } from '../api/errors'
import type { AssetCard } from '../api/library'
import type { PhotoImport } from '../api/photos'

export interface TooSmall {
  id: string
  title: string
  /** Preset names, in the library's preset order. */
  presets: string[]
}

export interface ImportSummary {
  imported: number
  existing: number
  failed: { name: string; error: AppError }[]
  tooSmall: TooSmall[]
  /** How it went: all new ("success"), nothing new ("info"), some problems ("warning"), nothing in ("error"). */
  tone: 'success' | 'info' | 'warning' | 'error'
  /** The new photos' ids, and those already there. */
  ids: string[]
}

/**
 * Summarises an import. presetName gives a preset's name in the UI
 * language (the id when unknown); titleOf a photo's title. Presets are
 * listed in the order of presetOrder when given (the library's order).
 */
export function summarizeImport(
  r: PhotoImport,
  presetName: (id: string) => string,
  titleOf: (card: AssetCard) => string,
  presetOrder: readonly string[] = [],
): ImportSummary {
  const byId = new Map(r.imported.map((c) => [c.id, c]))
  const rank = (id: string) => {
    const i = presetOrder.indexOf(id)
    return i < 0 ? presetOrder.length : i
  }
  const tooSmall = r.tooSmall
    .filter((s) => s.presets.length > 0)
    .map((s) => {
      const card = byId.get(s.id)
      const ids = [...new Set(s.presets)].sort((a, b) => rank(a) - rank(b))
      return { id: s.id, title: card ? titleOf(card) : s.id, presets: ids.map(presetName) }
    })
  const imported = r.imported.length
  const existing = r.existing.length
  const failed = r.failed.map((f) => ({ name: f.name, error: f.error }))
  let tone: ImportSummary['tone'] = 'success'
  if (failed.length > 0 && imported + existing === 0) tone = 'error'
  else if (failed.length > 0 || tooSmall.length > 0) tone = 'warning'
  else if (imported === 0) tone = 'info'
  return { imported, existing, failed, tooSmall, tone, ids: [...r.imported, ...r.existing].map((c) => c.id) }
}

/** Whether a summary needs more than a passing notice: failures or warnings to read. */
export function needsPanel(s: ImportSummary): boolean {
  return s.failed.length > 0 || s.tooSmall.length > 0
}
