// Character counts as Go counts them against a slot's maxLength: the value
// as it will be stored (NFC; a text slot on one line; trimmed links and
// dates), in Unicode code points, so "é" typed as e + accent counts once.
import type { SlotKind } from '../api/library'

/** The value as Go stores it (campaign.normalize). */
export function storedForm(kind: SlotKind, value: string): string {
  const v = value.normalize('NFC')
  switch (kind) {
    case 'markdown': {
      const md = v.replace(/\r\n/g, '\n')
      return md.trim() === '' ? '' : md
    }
    case 'text': {
      const line = v
        .split(/[\r\n]+/)
        .filter((part) => part !== '')
        .join(' ')
      return line.trim() === '' ? '' : line
    }
    default:
      return v.trim()
  }
}

/** Code points in the stored form of value. */
export function charCount(kind: SlotKind, value: string): number {
  let n = 0
  for (const ch of storedForm(kind, value)) {
    void ch
    n++
  }
  return n
}

/** How close a count is to its limit: near from 90 %, over past it. */
export type CountLevel = 'ok' | 'near' | 'over'

export interface Counter {
  count: number
  max: number
  /** Characters left; negative when over. */
  left: number
  level: CountLevel
}

/** The counter of a field with a maxLength; null when the slot has none. */
export function counter(kind: SlotKind, value: string, max: number): Counter | null {
  if (!(max > 0)) return null
  const count = charCount(kind, value)
  const left = max - count
  const level: CountLevel = left < 0 ? 'over' : count >= Math.ceil(max * 0.9) ? 'near' : 'ok'
  return { count, max, left, level }
}
