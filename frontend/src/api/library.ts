// Typed wrappers of Go's LibraryService (app/library.go): the active library,
// asset search, the brand kit, templates, and release import. Every answer is
// read through a converter, so a missing or odd field never reaches a view.
import type { library } from '../wailsjs/go/models'
import * as LibraryService from '../wailsjs/go/app/LibraryService'
import { call } from './call'
import { list, localized, num, rec, str, strings, type Localized, type Rec } from './convert'

export type { Localized }

/** An office territory (Go: library.Region). */
export interface Region {
  id: string
  name: Localized
  /** ISO 3166-1 alpha-2 codes. */
  countries: string[]
  locales: string[]
}

/** The active library release (Go: app.LibraryInfo). */
export interface LibraryInfo {
  id: string
  name: string
  version: number
  /** The built-in sample library. */
  sample: boolean
  /** RFC 3339. */
  expires: string
  /** The expiry once past, else "": the release stays usable offline. */
  outdatedSince: string
  appliedAt: string
  signers: string[]
  /** The library's languages; the first is its default. */
  locales: string[]
  regions: Region[]
  assets: number
  templates: number
  snippets: number
}

export type Expiry = '' | 'valid' | 'soon' | 'expired'
export const EXPIRY_FILTERS = ['', 'soon', 'expired', 'valid'] as const satisfies readonly Expiry[]

/** An asset as the grid shows it (Go: app.AssetCard). */
export interface AssetCard {
  id: string
  kind: string
  title: Localized
  alt: Localized
  tags: string[]
  width: number
  height: number
  /** Where it may be used; empty = everywhere. */
  regions: string[]
  /** "YYYY-MM-DD", the last day of use, or "". */
  expires: string
  expiry: Expiry
  /** Thumbnail URL served by Go; "" when the file is missing. */
  thumb: string
  /** A photo the office imported itself (id "local-…", tag "local"), not HQ's. */
  local: boolean
  /** Local photos: who imported it (the display name then) and when (RFC 3339). */
  importedBy: string
  importedAt: string
}

export interface TagCount {
  tag: string
  count: number
}

/** One page of a search (Go: app.AssetPage). */
export interface AssetPage {
  total: number
  items: AssetCard[]
  /** Every tag of the library, most used first. */
  tags: TagCount[]
}

/** What Search selects (Go: library.Query). */
export interface AssetQuery {
  text: string
  tags: string[]
  kind: string
  region: string
  expiry: Expiry
  offset: number
  limit: number
}

export interface Point {
  x: number
  y: number
}

export interface Credit {
  author: string
  source: string
  licence: string
}

/** Everything about one asset (Go: app.AssetDetail). */
export interface AssetDetail extends AssetCard {
  description: Localized
  /** Where crops centre, as fractions of width and height. */
  focal: Point | null
  credit: Credit
  /** URL of the full file. */
  image: string
  sha256: string
  path: string
}

export interface Colour {
  id: string
  name: Localized
  hex: string
  usage: Localized
}

export interface FontFile {
  path: string
  weight: number
  style: string
}

export interface Font {
  family: string
  role: string
  weights: number[]
  files: FontFile[]
  fallback: string
}

export interface Logo {
  id: string
  name: Localized
  variant: string
  path: string
  minWidthPx: number
  /** Free margin around the logo, as a fraction of its height. */
  clearSpace: number
  background: 'light' | 'dark'
}

export interface ToneRule {
  id: string
  text: Localized
}

/** The brand kit (Go: app.BrandView). */
export interface Brand {
  name: string
  palette: Colour[]
  fonts: Font[]
  logos: Logo[]
  tone: ToneRule[]
  /** Release path → URL. */
  files: Record<string, string>
}

export type SlotKind = 'text' | 'markdown' | 'image' | 'link' | 'date' | 'choice'
export type SlotLock = 'locked' | 'choice' | 'editable'

export interface SlotOption {
  id: string
  label: Localized
  value: Localized
}

export interface SlotLimits {
  required: boolean
  maxLength: number
  minWidth: number
  minHeight: number
  /** "W:H" or "". */
  aspect: string
  /** Locales the slot may be filled in; empty = all. */
  locales: string[]
}

export interface Slot {
  id: string
  kind: SlotKind
  lock: SlotLock
  label: Localized
  help: Localized
  default: Localized
  options: SlotOption[]
  limits: SlotLimits
}

/** A template (Go: app.TemplateView). */
export interface Template {
  id: string
  kind: string
  name: Localized
  description: Localized
  layout: string
  preview: string
  previewUrl: string
  slots: Slot[]
}

const EXPIRIES: readonly string[] = ['', 'valid', 'soon', 'expired']
const KINDS: readonly string[] = ['text', 'markdown', 'image', 'link', 'date', 'choice']
const LOCKS: readonly string[] = ['locked', 'choice', 'editable']

export function toSlotKind(v: unknown): SlotKind {
  const kind = str(v)
  return (KINDS.includes(kind) ? kind : 'text') as SlotKind
}

export function toSlotLock(v: unknown): SlotLock {
  const lock = str(v)
  return (LOCKS.includes(lock) ? lock : 'editable') as SlotLock
}

export function toRegion(v: unknown): Region | null {
  const r = rec(v)
  if (!r || !str(r.id)) return null
  return { id: str(r.id), name: localized(r.name), countries: strings(r.countries), locales: strings(r.locales) }
}

/** Reads a LibraryInfo (Info(), Status().library or an outpost:library event); null when there is none. */
export function toLibraryInfo(v: unknown): LibraryInfo | null {
  const r = rec(v)
  if (!r || !str(r.id)) return null
  return {
    id: str(r.id),
    name: str(r.name),
    version: num(r.version),
    sample: r.sample === true,
    expires: str(r.expires),
    outdatedSince: str(r.outdatedSince),
    appliedAt: str(r.appliedAt),
    signers: strings(r.signers),
    locales: strings(r.locales),
    regions: list(r.regions, toRegion),
    assets: num(r.assets),
    templates: num(r.templates),
    snippets: num(r.snippets),
  }
}

function cardFields(r: Rec): AssetCard {
  const expiry = str(r.expiry)
  return {
    id: str(r.id),
    kind: str(r.kind),
    title: localized(r.title),
    alt: localized(r.alt),
    tags: strings(r.tags),
    width: num(r.width),
    height: num(r.height),
    regions: strings(r.regions),
    expires: str(r.expires),
    expiry: (EXPIRIES.includes(expiry) ? expiry : '') as Expiry,
    thumb: str(r.thumb),
    local: r.local === true,
    importedBy: str(r.importedBy),
    importedAt: str(r.importedAt),
  }
}

export function toAssetCard(v: unknown): AssetCard | null {
  const r = rec(v)
  return r && str(r.id) ? cardFields(r) : null
}

export function toAssetPage(v: unknown): AssetPage {
  const r = rec(v)
  return {
    total: num(r?.total),
    items: list(r?.items, toAssetCard),
    tags: list(r?.tags, (x) => {
      const t = rec(x)
      return t && str(t.tag) ? { tag: str(t.tag), count: num(t.count) } : null
    }),
  }
}

export function toAssetDetail(v: unknown): AssetDetail {
  const r = rec(v) ?? {}
  const focal = rec(r.focal)
  const credit = rec(r.credit)
  return {
    ...cardFields(r),
    description: localized(r.description),
    focal: focal ? { x: num(focal.x), y: num(focal.y) } : null,
    credit: { author: str(credit?.author), source: str(credit?.source), licence: str(credit?.licence) },
    image: str(r.image),
    sha256: str(r.sha256),
    path: str(r.path),
  }
}

export function toBrand(v: unknown): Brand {
  const r = rec(v) ?? {}
  const files: Record<string, string> = {}
  for (const [k, val] of Object.entries(rec(r.files) ?? {})) if (typeof val === 'string') files[k] = val
  return {
    name: str(r.name),
    palette: list(r.palette, (x) => {
      const c = rec(x)
      return c ? { id: str(c.id), name: localized(c.name), hex: str(c.hex), usage: localized(c.usage) } : null
    }),
    fonts: list(r.fonts, (x) => {
      const f = rec(x)
      if (!f) return null
      return {
        family: str(f.family),
        role: str(f.role),
        weights: list(f.weights, (w) => (typeof w === 'number' ? w : null)),
        files: list(f.files, (y) => {
          const ff = rec(y)
          return ff && str(ff.path) ? { path: str(ff.path), weight: num(ff.weight) || 400, style: str(ff.style) || 'normal' } : null
        }),
        fallback: str(f.fallback),
      }
    }),
    logos: list(r.logos, (x) => {
      const l = rec(x)
      if (!l) return null
      return {
        id: str(l.id),
        name: localized(l.name),
        variant: str(l.variant),
        path: str(l.path),
        minWidthPx: num(l.minWidthPx),
        clearSpace: num(l.clearSpace),
        background: l.background === 'dark' ? 'dark' : 'light',
      }
    }),
    tone: list(r.tone, (x) => {
      const t = rec(x)
      return t ? { id: str(t.id), text: localized(t.text) } : null
    }),
    files,
  }
}

function toSlot(v: unknown): Slot | null {
  const s = rec(v)
  if (!s || !str(s.id)) return null
  return {
    id: str(s.id),
    kind: toSlotKind(s.kind),
    lock: toSlotLock(s.lock),
    label: localized(s.label),
    help: localized(s.help),
    default: localized(s.default),
    options: list(s.options, (x) => {
      const o = rec(x)
      return o ? { id: str(o.id), label: localized(o.label), value: localized(o.value) } : null
    }),
    limits: toLimits(s.limits),
  }
}

/** Reads a slot's limits (Go: library.Limits). */
export function toLimits(v: unknown): SlotLimits {
  const limits = rec(v)
  return {
    required: limits?.required === true,
    maxLength: num(limits?.maxLength),
    minWidth: num(limits?.minWidth),
    minHeight: num(limits?.minHeight),
    aspect: str(limits?.aspect),
    locales: strings(limits?.locales),
  }
}

export function toTemplate(v: unknown): Template | null {
  const t = rec(v)
  if (!t || !str(t.id)) return null
  return {
    id: str(t.id),
    kind: str(t.kind),
    name: localized(t.name),
    description: localized(t.description),
    layout: str(t.layout),
    preview: str(t.preview),
    previewUrl: str(t.previewUrl),
    slots: list(t.slots, toSlot),
  }
}

/** The active library; null when there is none yet. */
export function getLibraryInfo(): Promise<LibraryInfo | null> {
  return call(async () => toLibraryInfo(await LibraryService.Info()))
}

/** One page of the assets matching q, in library order. */
export function searchAssets(q: AssetQuery): Promise<AssetPage> {
  return call(async () => toAssetPage(await LibraryService.Search({ ...q, tags: [...q.tags] } as library.Query)))
}

/** One asset in full; rejects with library.asset_not_found for an unknown id. */
export function getAsset(id: string): Promise<AssetDetail> {
  return call(async () => toAssetDetail(await LibraryService.Asset(id)))
}

export function getBrand(): Promise<Brand> {
  return call(async () => toBrand(await LibraryService.Brand()))
}

export function getTemplates(): Promise<Template[]> {
  return call(async () => list(await LibraryService.Templates(), toTemplate))
}

/** Opens the native dialog for a release zip; "" when the user cancels. */
export function chooseReleaseFile(): Promise<string> {
  return call(async () => (await LibraryService.ChooseReleaseFile()) ?? '')
}

/** Opens the native dialog for a release folder; "" when the user cancels. */
export function chooseReleaseFolder(): Promise<string> {
  return call(async () => (await LibraryService.ChooseReleaseFolder()) ?? '')
}

/** Starts importing the release at path (zip or folder); resolves to the task id. */
export function importRelease(path: string): Promise<string> {
  return call(() => LibraryService.Import(path))
}
