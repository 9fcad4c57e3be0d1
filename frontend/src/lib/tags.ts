// Tags of a local photo as Go keeps them (library.cleanTags): lower case,
// inner spaces folded, no duplicates, at most MAX_TAGS of MAX_TAG_LENGTH.

export const MAX_TAGS = 30
export const MAX_TAG_LENGTH = 40
/** The tag Go gives every local photo; it is not the user's to edit. */
export const LOCAL_TAG = 'local'

/** One tag as Go stores it; "" when nothing is left. */
export function normalizeTag(raw: string): string {
  const t = raw.trim().split(/\s+/).join(' ').toLowerCase()
  return [...t].slice(0, MAX_TAG_LENGTH).join('')
}

/**
 * Adds the tags typed in raw (separated by commas or semicolons) to tags:
 * normalised, without duplicates or the "local" tag, up to MAX_TAGS.
 */
export function addTags(tags: readonly string[], raw: string): string[] {
  const out = [...tags]
  for (const part of raw.split(/[,;\n]/)) {
    const t = normalizeTag(part)
    if (!t || t === LOCAL_TAG || out.includes(t)) continue
    if (out.length >= MAX_TAGS) break
    out.push(t)
  }
  return out
}

/** A local photo's own tags: what Search shows less Go's "local". */
export function ownTags(tags: readonly string[]): string[] {
  return tags.filter((t) => t !== LOCAL_TAG)
}

export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  const x = [...a].sort()
  const y = [...b].sort()
  return x.length === y.length && x.every((t, i) => t === y[i])
}
