// Typed wrappers of the office's own photos in Go's LibraryService
// (app/photos.go): choosing and importing them, editing and deleting one,
// and where every channel preset crops a picture (the crop editor).
import * as LibraryService from '../wailsjs/go/app/LibraryService'
import type { campaign, library } from '../wailsjs/go/models'
import { call } from './call'
import { list, localized, num, rec, str, strings, type Localized } from './convert'
import { decodeError, type AppError } from './errors'
import { toAssetCard, toAssetDetail, type AssetCard, type AssetDetail, type Point } from './library'

/** A region of a picture in fractions of it (Go: campaign.Crop). */
export interface Crop {
  x: number
  y: number
  w: number
  h: number
}

/** A file that could not be imported (Go: app.PhotoFailed). */
export interface PhotoFailed {
  name: string
  /** Usually library.local_invalid, with params {name, reason}. */
  error: AppError
}

/** What importing photos did (Go: app.PhotoImport). */
export interface PhotoImport {
  imported: AssetCard[]
  /** Already in the library: the same bytes were imported before. */
  existing: AssetCard[]
  failed: PhotoFailed[]
  /** Per imported photo, the preset ids it would have to be enlarged for. */
  tooSmall: { id: string; presets: string[] }[]
}

/** What the office may change of its photo (Go: library.LocalEdit). */
export interface PhotoEdit {
  title: string
  tags: string[]
  /** null: none, crops keep the centre. */
  focal: Point | null
}

/** Where a preset's rendition of a picture comes from (Go: app.PresetCrop). */
export interface PresetCrop extends Crop {
  preset: string
  name: Localized
  channel: string
  width: number
  height: number
  /** "fill" (around the focal point), "fit" (letterboxed) or "exact". */
  fit: string
  /** The picture is smaller than the preset: it would be enlarged. */
  upscaled: boolean
  /** A manual crop was given for it. */
  manual: boolean
}

export function toPhotoImport(v: unknown): PhotoImport {
  const r = rec(v)
  return {
    imported: list(r?.imported, toAssetCard),
    existing: list(r?.existing, toAssetCard),
    failed: list(r?.failed, (x) => {
      const f = rec(x)
      return f ? { name: str(f.name), error: decodeError(f.error) } : null
    }),
    tooSmall: list(r?.tooSmall, (x) => {
      const s = rec(x)
      return s && str(s.id) ? { id: str(s.id), presets: strings(s.presets) } : null
    }),
  }
}

export function toPresetCrop(v: unknown): PresetCrop | null {
  const r = rec(v)
  if (!r || !str(r.preset)) return null
  return {
    preset: str(r.preset),
    name: localized(r.name),
    channel: str(r.channel),
    width: num(r.width),
    height: num(r.height),
    fit: str(r.fit) || 'fill',
    x: num(r.x),
    y: num(r.y),
    w: num(r.w),
    h: num(r.h),
    upscaled: r.upscaled === true,
    manual: r.manual === true,
  }
}

/** Opens the native dialog for photos; [] when the user cancels. */
export function choosePhotos(): Promise<string[]> {
  return call(async () => strings(await LibraryService.ChoosePhotos()))
}

/** Imports photos by absolute path; a bad file is listed in failed, not thrown. */
export function importPhotos(paths: string[]): Promise<PhotoImport> {
  return call(async () => toPhotoImport(await LibraryService.ImportPhotos([...paths])))
}

/** Changes a local photo's title, tags and focal point; resolves to the photo as it is now. */
export function editPhoto(id: string, edit: PhotoEdit): Promise<AssetDetail> {
  const e = { title: edit.title, tags: [...edit.tags], focal: edit.focal ? { x: edit.focal.x, y: edit.focal.y } : null }
  return call(async () => toAssetDetail(await LibraryService.EditPhoto(id, e as library.LocalEdit)))
}

/** Removes a local photo from this computer. */
export function deletePhoto(id: string): Promise<void> {
  return call(() => LibraryService.DeletePhoto(id))
}

/**
 * Every preset's crop of an asset around focal (null: the asset's own
 * focal point), with manual crops per preset id. Cheap: geometry only.
 */
export function getCrops(id: string, focal: Point | null, manual: Record<string, Crop>): Promise<PresetCrop[]> {
  const m: Record<string, Crop> = {}
  for (const [k, c] of Object.entries(manual)) m[k] = { x: c.x, y: c.y, w: c.w, h: c.h }
  const f = focal ? { x: focal.x, y: focal.y } : null
  return call(async () =>
    list(await LibraryService.Crops(id, f as library.Point, m as Record<string, campaign.Crop>), toPresetCrop),
  )
}
