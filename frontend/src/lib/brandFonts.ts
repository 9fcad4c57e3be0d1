// Brand fonts rendered from the library's own files: each font is
// registered with the FontFace API under an alias of its own, so a font of
// the same name installed on this computer is never used by mistake.
import type { Font } from '../api/library'

/** A short, stable hash of a string (FNV-1a, 32 bits) in base 36. */
export function shortHash(s: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(36)
}

/** The family name a brand font is registered under: only [a-z0-9-], so it needs no quoting. */
export function fontAlias(font: Pick<Font, 'family' | 'files'>, files: Record<string, string>): string {
  const slug = font.family.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 32) || 'font'
  const urls = font.files.map((f) => files[f.path] ?? f.path).join('|')
  return `outpost-brand-${slug}-${shortHash(urls)}`
}

/** The CSS font-family of a sample: the alias, then HQ's fallback stack. */
export function fontStack(alias: string, fallback: string): string {
  const safe = fallback.replace(/[;{}<>\\]/g, '').trim()
  return safe ? `${alias}, ${safe}` : `${alias}, sans-serif`
}

const loaded = new Map<string, Promise<boolean>>()

/**
 * Registers every file of font under its alias and waits for them; true
 * when at least one face loaded. Repeated calls share the work.
 */
export function loadBrandFont(font: Font, files: Record<string, string>): Promise<boolean> {
  const alias = fontAlias(font, files)
  const known = loaded.get(alias)
  if (known) return known
  const work = (async () => {
    if (typeof FontFace === 'undefined' || typeof document === 'undefined' || !document.fonts) return false
    const faces = font.files
      .filter((f) => files[f.path])
      .map((f) => new FontFace(alias, `url("${encodeURI(files[f.path]!)}")`, { weight: String(f.weight), style: f.style === 'italic' ? 'italic' : 'normal' }))
    const results = await Promise.allSettled(
      faces.map(async (face) => {
        document.fonts.add(face)
        await face.load()
      }),
    )
    return results.some((r) => r.status === 'fulfilled')
  })()
  loaded.set(alias, work)
  return work
}
