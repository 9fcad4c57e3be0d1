// Typed wrappers of Go's CampaignService (app/campaign.go): the campaign
// list, the form a template generates, every edit (checked and saved in Go)
// and the email preview. Every answer is read through a converter.
import * as CampaignService from '../wailsjs/go/app/CampaignService'
import { call } from './call'
import { list, localized, num, rec, str, stringMap, strings, type Localized } from './convert'
import { toLimits, toSlotKind, toSlotLock, type SlotKind, type SlotLimits, type SlotLock } from './library'

/** Where a campaign is in its life; the composer edits the first two. */
export type CampaignStatus =
  | 'draft'
  | 'changes_requested'
  | 'submitted'
  | 'approved'
  | 'scheduled'
  | 'sent'
  | 'withdrawn'
  | (string & {})

/** The statuses in which the office may edit a campaign. */
export const EDITABLE_STATUSES: readonly string[] = ['draft', 'changes_requested', 'withdrawn']

/** Whether the office may still edit (and so sign off and submit) a campaign. */
export function isEditable(status: string): boolean {
  return EDITABLE_STATUSES.includes(status)
}

/** A local approver's sign-off of a campaign's current revision (Go: app.SignOffView). */
export interface SignOff {
  /** Hub user name. */
  by: string
  byName: string
  /** RFC 3339. */
  at: string
}

/** A comment HQ left on a submission, beside its slot when it names one. */
export interface HqComment {
  id: number
  byName: string
  /** RFC 3339. */
  at: string
  text: string
  /** "" for the whole campaign. */
  slot: string
  /** "" for every locale. */
  locale: string
}

/** The statuses the list can filter on, in order. */
export const STATUS_FILTERS = ['', 'draft', 'changes_requested'] as const

/** What the list selects (Go: app.CampaignQuery). */
export interface CampaignQuery {
  text: string
  /** "" for every status. */
  status: string
}

/** A row of the campaign list (Go: app.CampaignSummary). */
export interface CampaignSummary {
  id: string
  name: string
  template: string
  templateName: Localized
  status: CampaignStatus
  region: string
  /** The campaign's languages; the first is its default. */
  locales: string[]
  /** The library version the campaign is pinned to. */
  release: number
  /** A newer library release is available. */
  rebase: boolean
  author: string
  /** RFC 3339. */
  updated: string
  /** "YYYY-MM-DDTHH:MM" or "". */
  sendAt: string
}

/** The list with what could not be read (Go: app.CampaignList). */
export interface CampaignList {
  items: CampaignSummary[]
  /** Campaigns on this computer, before filtering. */
  total: number
  /** Ids of campaigns whose record is unreadable. */
  damaged: string[]
}

/** One of HQ's choices; thumb shows a picture option. */
export interface SlotOption {
  id: string
  label: Localized
  value: Localized
  /** Thumbnail URL, for picture options; "" otherwise. */
  thumb: string
}

/** One field of the composer's form (Go: app.SlotView). */
export interface FormSlot {
  id: string
  kind: SlotKind
  lock: SlotLock
  label: Localized
  help: Localized
  options: SlotOption[]
  limits: SlotLimits
}

/** An audience the campaign's region may target. */
export interface Scope {
  id: string
  name: Localized
  description: Localized
}

/** The text slots of a locale that still show another locale's words. */
export interface LocaleStatus {
  locale: string
  untranslated: string[]
}

/** Where a resolved value comes from. */
export type ValueSource = 'own' | 'fallback' | 'default' | 'locked' | 'empty'

/** A slot's value in one locale, as the email shows it (Go: campaign.Resolved). */
export interface Resolved {
  slot: string
  kind: SlotKind
  lock: SlotLock
  /** What is stored: text, Markdown, URL, date, option id or asset id. */
  value: string
  /** What renders: for choices, the option's value in this locale. */
  text: string
  /** For choices, the chosen option id. */
  option: string
  source: ValueSource
}

export interface Crop {
  x: number
  y: number
  w: number
  h: number
}

/** A campaign with its form (Go: app.CampaignView). */
export interface Campaign {
  id: string
  name: string
  library: string
  release: number
  /** The library's current version: a rebase is offered when it is newer. */
  latest: number
  template: string
  templateName: Localized
  region: string
  regionName: Localized
  /** The first is the default locale the others fall back to. */
  locales: string[]
  audience: string
  sendAt: string
  status: CampaignStatus
  author: string
  created: string
  updated: string
  /** Counts saved edits. */
  rev: number
  /** slot → preset → crop. */
  crops: Record<string, Record<string, Crop>>
  slots: FormSlot[]
  scopes: Scope[]
  translation: LocaleStatus[]
  sender: Localized
  /** locale → slot → value. */
  values: Record<string, Record<string, Resolved>>
  /** The sign-off of the current revision; null when there is none. */
  signOff: SignOff | null
  /** An edit voided the last sign-off (shown until the next one). */
  signOffVoided: boolean
  /** The id of its latest submission, "" before the first. */
  submission: string
  /** What HQ said when it asked for changes. */
  hqComments: HqComment[]
}

/** One difference a rebase brings (Go: campaign.Change). */
export interface RebaseChange {
  kind: 'slot_added' | 'slot_removed' | 'default_changed' | 'value_dropped' | 'asset_changed' | 'audience_cleared' | 'crop_dropped' | (string & {})
  slot: string
  locale: string
  value: string
  /** Why a value was dropped: an error code. */
  code: string
}

export interface RebasePlan {
  from: number
  to: number
  changes: RebaseChange[]
}

/** Something the render dropped or could not render (Go: render.Problem). */
export interface PreviewProblem {
  code: string
  /** The slot id; "footer" for the legal footer. */
  slot: string
  params: Record<string, string>
}

/** One locale of a campaign rendered (Go: app.PreviewView). */
export interface Preview {
  /** Where the sandboxed frame loads the email; add &scheme=dark|inverted. */
  url: string
  rev: number
  locale: string
  sender: string
  from: string
  subject: string
  preheader: string
  /** The plain-text alternative. */
  text: string
  /** Size of the HTML. */
  bytes: number
  /** Gmail clips messages this large. */
  clipped: boolean
  problems: PreviewProblem[]
}

const SOURCES: readonly string[] = ['own', 'fallback', 'default', 'locked', 'empty']

export function toSummary(v: unknown): CampaignSummary | null {
  const r = rec(v)
  if (!r || !str(r.id)) return null
  return {
    id: str(r.id),
    name: str(r.name),
    template: str(r.template),
    templateName: localized(r.templateName),
    status: str(r.status) || 'draft',
    region: str(r.region),
    locales: strings(r.locales),
    release: num(r.release),
    rebase: r.rebase === true,
    author: str(r.author),
    updated: str(r.updated),
    sendAt: str(r.sendAt),
  }
}

export function toCampaignList(v: unknown): CampaignList {
  const r = rec(v)
  return { items: list(r?.items, toSummary), total: num(r?.total), damaged: strings(r?.damaged) }
}

function toOption(v: unknown): SlotOption | null {
  const o = rec(v)
  return o && str(o.id) ? { id: str(o.id), label: localized(o.label), value: localized(o.value), thumb: str(o.thumb) } : null
}

function toFormSlot(v: unknown): FormSlot | null {
  const s = rec(v)
  if (!s || !str(s.id)) return null
  return {
    id: str(s.id),
    kind: toSlotKind(s.kind),
    lock: toSlotLock(s.lock),
    label: localized(s.label),
    help: localized(s.help),
    options: list(s.options, toOption),
    limits: toLimits(s.limits),
  }
}

export function toResolved(v: unknown): Resolved | null {
  const r = rec(v)
  if (!r || !str(r.slot)) return null
  const source = str(r.source)
  return {
    slot: str(r.slot),
    kind: toSlotKind(r.kind),
    lock: toSlotLock(r.lock),
    value: str(r.value),
    text: str(r.text),
    option: str(r.option),
    source: (SOURCES.includes(source) ? source : 'empty') as ValueSource,
  }
}

function toCrops(v: unknown): Record<string, Record<string, Crop>> {
  const out: Record<string, Record<string, Crop>> = {}
  for (const [slot, presets] of Object.entries(rec(v) ?? {})) {
    const m: Record<string, Crop> = {}
    for (const [preset, c] of Object.entries(rec(presets) ?? {})) {
      const cr = rec(c)
      if (cr) m[preset] = { x: num(cr.x), y: num(cr.y), w: num(cr.w), h: num(cr.h) }
    }
    out[slot] = m
  }
  return out
}

function toValues(v: unknown): Record<string, Record<string, Resolved>> {
  const out: Record<string, Record<string, Resolved>> = {}
  for (const [locale, slots] of Object.entries(rec(v) ?? {})) {
    const m: Record<string, Resolved> = {}
    for (const [id, x] of Object.entries(rec(slots) ?? {})) {
      const res = toResolved(x)
      if (res) m[id] = res
    }
    out[locale] = m
  }
  return out
}

export function toCampaign(v: unknown): Campaign {
  const r = rec(v) ?? {}
  return {
    id: str(r.id),
    name: str(r.name),
    library: str(r.library),
    release: num(r.release),
    latest: num(r.latest) || num(r.release),
    template: str(r.template),
    templateName: localized(r.templateName),
    region: str(r.region),
    regionName: localized(r.regionName),
    locales: strings(r.locales),
    audience: str(r.audience),
    sendAt: str(r.sendAt),
    status: str(r.status) || 'draft',
    author: str(r.author),
    created: str(r.created),
    updated: str(r.updated),
    rev: num(r.rev),
    crops: toCrops(r.crops),
    slots: list(r.slots, toFormSlot),
    scopes: list(r.scopes, (x) => {
      const s = rec(x)
      return s && str(s.id) ? { id: str(s.id), name: localized(s.name), description: localized(s.description) } : null
    }),
    translation: list(r.translation, (x) => {
      const s = rec(x)
      return s && str(s.locale) ? { locale: str(s.locale), untranslated: strings(s.untranslated) } : null
    }),
    sender: localized(r.sender),
    values: toValues(r.values),
    signOff: toSignOff(r.signOff),
    signOffVoided: r.signOffVoided === true,
    submission: str(r.submission),
    hqComments: list(r.hqComments, (x) => {
      const h = rec(x)
      return h && str(h.text)
        ? { id: num(h.id), byName: str(h.byName), at: str(h.at), text: str(h.text), slot: str(h.slot), locale: str(h.locale) }
        : null
    }),
  }
}

function toSignOff(v: unknown): SignOff | null {
  const r = rec(v)
  return r && (str(r.by) || str(r.byName)) ? { by: str(r.by), byName: str(r.byName), at: str(r.at) } : null
}

export function toRebasePlan(v: unknown): RebasePlan {
  const r = rec(v)
  return {
    from: num(r?.from),
    to: num(r?.to),
    changes: list(r?.changes, (x) => {
      const c = rec(x)
      return c && str(c.kind)
        ? { kind: str(c.kind), slot: str(c.slot), locale: str(c.locale), value: str(c.value), code: str(c.code) }
        : null
    }),
  }
}

export function toPreview(v: unknown): Preview {
  const r = rec(v) ?? {}
  return {
    url: str(r.url),
    rev: num(r.rev),
    locale: str(r.locale),
    sender: str(r.sender),
    from: str(r.from),
    subject: str(r.subject),
    preheader: str(r.preheader),
    text: str(r.text),
    bytes: num(r.bytes),
    clipped: r.clipped === true,
    problems: list(r.problems, (x) => {
      const p = rec(x)
      return p && str(p.code) ? { code: str(p.code), slot: str(p.slot), params: stringMap(p.params) } : null
    }),
  }
}

/** The campaigns matching q, most recently edited first. */
export function listCampaigns(q: CampaignQuery): Promise<CampaignList> {
  return call(async () => toCampaignList(await CampaignService.List({ text: q.text, status: q.status })))
}

/** Starts a draft from a template of the current library. */
export function createCampaign(template: string, name: string, region: string): Promise<Campaign> {
  return call(async () => toCampaign(await CampaignService.Create(template, name, region)))
}

export function getCampaign(id: string): Promise<Campaign> {
  return call(async () => toCampaign(await CampaignService.Get(id)))
}

/** Sets one slot in one locale ("" clears it, so it falls back); resolves to the campaign as saved. */
export function setValue(id: string, locale: string, slot: string, value: string): Promise<Campaign> {
  return call(async () => toCampaign(await CampaignService.SetValue(id, locale, slot, value)))
}

/** Chooses the audience ("" clears it). */
export function setAudience(id: string, scope: string): Promise<Campaign> {
  return call(async () => toCampaign(await CampaignService.SetAudience(id, scope)))
}

/** Sets the send date and time, "YYYY-MM-DDTHH:MM" ("" clears it). */
export function setSendAt(id: string, at: string): Promise<Campaign> {
  return call(async () => toCampaign(await CampaignService.SetSendAt(id, at)))
}

/** Overrides an image slot's crop for a preset; null restores the crop around the focal point. */
export function setCrop(id: string, slot: string, preset: string, crop: Crop | null): Promise<Campaign> {
  // Go takes a pointer: null is how "no override" travels.
  return call(async () => toCampaign(await CampaignService.SetCrop(id, slot, preset, crop as Crop)))
}

export function renameCampaign(id: string, name: string): Promise<Campaign> {
  return call(async () => toCampaign(await CampaignService.Rename(id, name)))
}

/** Copies a campaign into a new draft. */
export function duplicateCampaign(id: string, name: string): Promise<Campaign> {
  return call(async () => toCampaign(await CampaignService.Duplicate(id, name)))
}

/** Removes a campaign for good. */
export function deleteCampaign(id: string): Promise<void> {
  return call(() => CampaignService.Delete(id))
}

/** What moving the campaign to the current library release would change. */
export function planRebase(id: string): Promise<RebasePlan> {
  return call(async () => toRebasePlan(await CampaignService.PlanRebase(id)))
}

/** Moves the campaign to the current library release. */
export function rebaseCampaign(id: string): Promise<Campaign> {
  return call(async () => toCampaign(await CampaignService.Rebase(id)))
}

/** Renders one locale of a campaign. */
export function getPreview(id: string, locale: string): Promise<Preview> {
  return call(async () => toPreview(await CampaignService.Preview(id, locale)))
}

/** How serious a brand-check finding is: errors block sign-off. */
export type Severity = 'error' | 'warning'

/** Slots of a finding that are no field of the form (Go: brandcheck pseudo-slots). */
export const PSEUDO_SLOTS = ['footer', 'unsubscribe', 'audience', 'sendAt'] as const

/** One thing HQ's rules found (Go: brandcheck.Finding). */
export interface Finding {
  rule: string
  severity: Severity
  /** "" for the whole campaign. */
  locale: string
  /** A slot id, a pseudo-slot ("footer", "unsubscribe", "audience", "sendAt") or "" for the whole email. */
  slot: string
  /** An i18n key under "findings", e.g. "brandcheck.word_restricted". */
  code: string
  /** An i18n key under "findings": how to fix it. */
  hint: string
  params: Record<string, string>
}

/** What was checked, by hash (Go: brandcheck.Receipt). */
export interface CheckReceipt {
  rulesSha256: string
  campaignSha256: string
  findingsSha256: string
  /** The check's date, "YYYY-MM-DD". */
  today: string
  version: number
}

/** A campaign's brand check (Go: brandcheck.Report). */
export interface CheckReport {
  findings: Finding[]
  errors: number
  warnings: number
  /** No error: the campaign may go to sign-off. */
  ready: boolean
  receipt: CheckReceipt
}

export function toFinding(v: unknown): Finding | null {
  const f = rec(v)
  if (!f || !str(f.code)) return null
  return {
    rule: str(f.rule),
    severity: str(f.severity) === 'warning' ? 'warning' : 'error',
    locale: str(f.locale),
    slot: str(f.slot),
    code: str(f.code),
    hint: str(f.hint),
    params: stringMap(f.params),
  }
}

export function toCheckReport(v: unknown): CheckReport {
  const r = rec(v) ?? {}
  const findings = list(r.findings, toFinding)
  const rc = rec(r.receipt) ?? {}
  // Counted from the findings when Go's counts are missing.
  const errors = typeof r.errors === 'number' ? r.errors : findings.filter((f) => f.severity === 'error').length
  const warnings = typeof r.warnings === 'number' ? r.warnings : findings.filter((f) => f.severity === 'warning').length
  return {
    findings,
    errors,
    warnings,
    ready: typeof r.ready === 'boolean' ? r.ready : errors === 0,
    receipt: {
      rulesSha256: str(rc.rulesSha256),
      campaignSha256: str(rc.campaignSha256),
      findingsSha256: str(rc.findingsSha256),
      today: str(rc.today),
      version: num(rc.version),
    },
  }
}

/** Runs HQ's brand rules on a campaign as saved. */
export function checkCampaign(id: string): Promise<CheckReport> {
  return call(async () => toCheckReport(await CampaignService.Check(id)))
}
