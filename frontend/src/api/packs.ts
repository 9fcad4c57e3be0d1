// Typed wrappers of Go's PackService (app/packs.go): the channel presets,
// where to save a pack, the export (a background task) and its outcome.
import * as PackService from '../wailsjs/go/app/PackService'
import type { app } from '../wailsjs/go/models'
import { call } from './call'
import { list, localized, num, rec, str, type Localized } from './convert'
import type { Crop } from './photos'

/** A channel preset of the library (Go: library.Preset). */
export interface Preset {
  id: string
  name: Localized
  /** "social", "email", "web", "print", … */
  channel: string
  width: number
  height: number
  /** "jpeg" or "png". */
  format: string
  /** "fill" (cropped around the focal point), "fit" (letterboxed) or "exact". */
  fit: string
}

/** What to export (Go: app.PackRequest). */
export interface PackRequest {
  /** Asset ids. */
  assets: string[]
  /** Preset ids; empty means all. */
  presets: string[]
  /** The zip to write: an absolute path from chooseDestination. */
  dest: string
  /** A campaign id: its pictures with its crops; "" for assets. */
  campaign: string
  /**
   * Manual crops per asset id, then per preset id, from the crop editor.
   * Go's PackRequest has no such field yet: it ignores it until it does.
   */
  crops?: Record<string, Record<string, Crop>>
}

/** The last pack written (Go: app.PackSummary). */
export interface PackSummary {
  path: string
  bytes: number
  files: number
  /** Assets that couldn't be rendered, listed in the report. */
  failed: number
  /** URL of the pack's report.html, served by the app. */
  report: string
}

export function toPreset(v: unknown): Preset | null {
  const r = rec(v)
  if (!r || !str(r.id)) return null
  return {
    id: str(r.id),
    name: localized(r.name),
    channel: str(r.channel),
    width: num(r.width),
    height: num(r.height),
    format: str(r.format),
    fit: str(r.fit) || 'fill',
  }
}

export function toPackSummary(v: unknown): PackSummary | null {
  const r = rec(v)
  if (!r || !str(r.path)) return null
  return { path: str(r.path), bytes: num(r.bytes), files: num(r.files), failed: num(r.failed), report: str(r.report) }
}

/** The active library's channel presets, in its order. */
export function getPresets(): Promise<Preset[]> {
  return call(async () => list(await PackService.Presets(), toPreset))
}

/** Opens the native save dialog; "" when the user cancels. */
export function chooseDestination(suggestedName: string): Promise<string> {
  return call(async () => (await PackService.ChooseDestination(suggestedName)) ?? '')
}

/** Starts exporting a pack; resolves to the task id. */
export function exportPack(req: PackRequest): Promise<string> {
  const body: Record<string, unknown> = {
    assets: [...req.assets],
    presets: [...req.presets],
    dest: req.dest,
    campaign: req.campaign,
  }
  if (req.crops && Object.keys(req.crops).length > 0) body.crops = req.crops
  return call(() => PackService.Export(body as unknown as app.PackRequest))
}

/** The last pack written in this session; null when there is none. */
export function lastPack(): Promise<PackSummary | null> {
  return call(async () => toPackSummary(await PackService.Last()))
}
