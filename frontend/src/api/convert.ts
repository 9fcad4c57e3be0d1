// Readers of what the Go bindings answer: each takes unknown and returns a
// well-formed value, so a missing or odd field never reaches a view.

export type Rec = Record<string, unknown>

/** Text per locale, e.g. {"fr": "Lac", "en": "Lake"}; "*" stands for every locale. */
export type Localized = Record<string, string>

export function rec(v: unknown): Rec | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : null
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : ''
}

export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0
}

export function list<T>(v: unknown, each: (x: unknown) => T | null): T[] {
  if (!Array.isArray(v)) return []
  const out: T[] = []
  for (const x of v) {
    const t = each(x)
    if (t !== null) out.push(t)
  }
  return out
}

export function strings(v: unknown): string[] {
  return list(v, (x) => (typeof x === 'string' ? x : null))
}

export function localized(v: unknown): Localized {
  const out: Localized = {}
  const r = rec(v)
  if (!r) return out
  for (const [k, val] of Object.entries(r)) if (typeof val === 'string') out[k] = val
  return out
}

/** A string-valued map, e.g. a problem's params. */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, val] of Object.entries(rec(v) ?? {})) {
    if (typeof val === 'string') out[k] = val
    else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val)
  }
  return out
}
