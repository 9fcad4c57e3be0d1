// How the composer's form reads a campaign: which value a field shows (the
// office's own, HQ's, or another locale's greyed as a placeholder), where a
// fallback comes from, which locales a slot may be written in, and what a
// rebase changes, as i18n keys.
import type { Campaign, FormSlot, RebaseChange, Resolved } from '../api/campaigns'

/** The key of one field: a slot in a locale. */
export function fieldKey(locale: string, slot: string): string {
  return `${locale}/${slot}`
}

/** The locale and slot of a field key. */
export function parseFieldKey(key: string): { locale: string; slot: string } {
  const i = key.indexOf('/')
  return i < 0 ? { locale: '', slot: key } : { locale: key.slice(0, i), slot: key.slice(i + 1) }
}

/**
 * What a field's input holds: what the person typed and has not seen saved
 * (draft), else the office's own value or HQ's default (editable in place);
 * a value shown from another locale is not in the input but its placeholder.
 */
export function inputValue(r: Resolved | undefined, draft: string | undefined): string {
  if (draft !== undefined) return draft
  if (!r) return ''
  return r.source === 'own' || r.source === 'default' ? r.value : ''
}

/** The grey text an empty input shows: what the email will use instead. */
export function placeholderValue(r: Resolved | undefined): string {
  if (!r) return ''
  return r.source === 'fallback' || r.source === 'default' ? r.text : ''
}

/** Whether a field shows words of another locale: not translated yet. */
export function isUntranslated(r: Resolved | undefined, draft: string | undefined): boolean {
  if (!r || r.source !== 'fallback' || (r.kind !== 'text' && r.kind !== 'markdown')) return false
  return draft === undefined || draft.trim() === ''
}

/**
 * The locale a fallback value is shown from: the campaign's default locale
 * when the office wrote it there, else the library's default, where HQ's
 * own text is.
 */
export function fallbackLocale(c: Campaign, slot: string, libraryDefault: string): string {
  const def = c.locales[0] ?? ''
  if (def && c.values[def]?.[slot]?.source === 'own') return def
  return libraryDefault || def
}

/** The value stored for a field: "" when it falls back (what undo restores). */
export function storedValue(c: Campaign, locale: string, slot: string): string {
  const r = c.values[locale]?.[slot]
  return r && r.source === 'own' ? r.value : ''
}

/** Whether HQ lets the office write this slot in this locale. */
export function slotAllowedIn(slot: FormSlot, locale: string): boolean {
  return slot.limits.locales.length === 0 || slot.limits.locales.includes(locale)
}

/** How many text slots of a locale still show another locale's words. */
export function untranslatedCount(c: Campaign, locale: string): number {
  return c.translation.find((t) => t.locale === locale)?.untranslated.length ?? 0
}

/** A rebase change as an i18n key under campaigns.rebase.changes and its params. */
export interface ChangeWords {
  key: string
  params: Record<string, string>
}

const CHANGE_KINDS = ['slot_added', 'slot_removed', 'default_changed', 'value_dropped', 'asset_changed', 'audience_cleared', 'crop_dropped']

/** The words of a rebase change; label names a slot, locale a language. */
export function describeChange(ch: RebaseChange, label: (slot: string) => string, locale: (code: string) => string): ChangeWords {
  const kind = CHANGE_KINDS.includes(ch.kind) ? ch.kind : 'other'
  return {
    key: `campaigns.rebase.changes.${kind}`,
    params: {
      slot: ch.slot ? label(ch.slot) : '',
      locale: ch.locale ? locale(ch.locale) : '',
      value: ch.value,
    },
  }
}

/** The next rev is newer: answers that arrive out of order never roll the form back. */
export function isNewer(next: Campaign, current: Campaign | null): boolean {
  return !current || current.id !== next.id || next.rev >= current.rev
}
