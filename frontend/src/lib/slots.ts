// How a template slot reads: its limits as short chips ("Required",
// "Max 60 characters", "Min 1200×400 px", "Aspect 3:1", "Languages: FR, EN").
import type { Slot, SlotLimits } from '../api/library'

/** One chip: an i18n key under library.templates.limits and its params. */
export interface LimitChip {
  key: 'required' | 'optional' | 'maxLength' | 'minSize' | 'minWidth' | 'minHeight' | 'aspect' | 'locales'
  params: Record<string, string | number>
}

/** "3:1", "16 : 9" → "3:1", "16:9"; "" when it is not W:H with positive numbers. */
export function normalizeAspect(aspect: string): string {
  const m = /^\s*(\d+(?:\.\d+)?)\s*[:/x×]\s*(\d+(?:\.\d+)?)\s*$/i.exec(aspect)
  if (!m || !(Number(m[1]) > 0) || !(Number(m[2]) > 0)) return ''
  return `${m[1]}:${m[2]}`
}

/** The chips of a slot's limits, in reading order. Locked and choice slots show only what applies. */
export function limitChips(slot: Pick<Slot, 'lock' | 'kind'> & { limits: SlotLimits }): LimitChip[] {
  const l = slot.limits
  const out: LimitChip[] = []
  if (slot.lock === 'editable') out.push({ key: l.required ? 'required' : 'optional', params: {} })
  else if (l.required) out.push({ key: 'required', params: {} })
  if (l.maxLength > 0) out.push({ key: 'maxLength', params: { n: l.maxLength } })
  if (l.minWidth > 0 && l.minHeight > 0) out.push({ key: 'minSize', params: { width: l.minWidth, height: l.minHeight } })
  else if (l.minWidth > 0) out.push({ key: 'minWidth', params: { width: l.minWidth } })
  else if (l.minHeight > 0) out.push({ key: 'minHeight', params: { height: l.minHeight } })
  const aspect = normalizeAspect(l.aspect)
  if (aspect) out.push({ key: 'aspect', params: { ratio: aspect } })
  if (l.locales.length > 0) out.push({ key: 'locales', params: { list: l.locales.map((x) => x.toUpperCase()).join(', ') } })
  return out
}

/** How many of the slots a regional office may write in. */
export function editableCount(slots: readonly Pick<Slot, 'lock'>[]): number {
  return slots.filter((s) => s.lock === 'editable').length
}
