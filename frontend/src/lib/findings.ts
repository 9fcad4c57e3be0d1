// Words for the brand check's findings: the message and hint (i18n keys
// under "findings"), the slot a finding points at (a form slot's label, or
// words for the pseudo-slots), and the findings grouped by locale then slot.
import type { Campaign, Finding } from '../api/campaigns'
import { localize } from './localized'

export interface FindingWords {
  t: (key: string, named?: Record<string, unknown>) => string
  te: (key: string) => boolean
}

/** What a finding says; its code when this version has no words for it. */
export function findingMessage(f: Finding, w: FindingWords): string {
  const key = `findings.${f.code}`
  return w.te(key) ? w.t(key, f.params) : w.t('campaigns.check.unknown', { code: f.code })
}

/** How to fix it; "" when there are no words for it. */
export function findingHint(f: Finding, w: FindingWords): string {
  if (!f.hint) return ''
  const key = `findings.${f.hint}`
  return w.te(key) ? w.t(key, f.params) : ''
}

const PSEUDO: Record<string, string> = {
  footer: 'campaigns.check.slots.footer',
  unsubscribe: 'campaigns.check.slots.unsubscribe',
  audience: 'campaigns.check.slots.audience',
  sendAt: 'campaigns.check.slots.sendAt',
  '': 'campaigns.check.slots.email',
}

/** The name of what a finding points at. */
export function slotName(slot: string, c: Campaign | null, w: FindingWords, ui: string, libLocales: string[] = []): string {
  const s = c?.slots.find((x) => x.id === slot)
  if (s) return localize(s.label, ui, libLocales) || slot
  const key = PSEUDO[slot]
  return key ? w.t(key) : slot
}

export interface FindingGroup<T> {
  key: string
  items: T[]
}

/** Groups items in first-seen order of key. */
export function groupBy<T>(items: T[], keyOf: (x: T) => string): FindingGroup<T>[] {
  const out: FindingGroup<T>[] = []
  for (const x of items) {
    const key = keyOf(x)
    let g = out.find((y) => y.key === key)
    if (!g) out.push((g = { key, items: [] }))
    g.items.push(x)
  }
  return out
}

/**
 * Findings by locale (the whole campaign first, then the campaign's
 * locales in order), then by slot (in the form's order, pseudo-slots
 * after), errors before warnings.
 */
export function groupFindings(findings: Finding[], c: Campaign | null): FindingGroup<FindingGroup<Finding>>[] {
  const locales = c?.locales ?? []
  const slots = c?.slots.map((s) => s.id) ?? []
  const rank = (list: string[], x: string, first: boolean) => {
    const i = list.indexOf(x)
    return i >= 0 ? i + 1 : first && x === '' ? 0 : list.length + 1
  }
  const sorted = [...findings].sort(
    (a, b) =>
      rank(locales, a.locale, true) - rank(locales, b.locale, true) ||
      a.locale.localeCompare(b.locale) ||
      rank(slots, a.slot, false) - rank(slots, b.slot, false) ||
      a.slot.localeCompare(b.slot) ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1),
  )
  return groupBy(sorted, (f) => f.locale).map((g) => ({ key: g.key, items: groupBy(g.items, (f) => f.slot) }))
}

/** A hash cut to its first characters, as receipts show it. */
export function shortHash(h: string, n = 12): string {
  return h.slice(0, n)
}
