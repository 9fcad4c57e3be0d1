// Palette colours: parsing, WCAG contrast, and the readable ink for a swatch.

export interface RGB {
  r: number
  g: number
  b: number
}

/** Reads "#RGB" or "#RRGGBB" (case-insensitive); null for anything else. */
export function parseHex(hex: string): RGB | null {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim())
  if (!m || !m[1]) return null
  let h = m[1]
  if (h.length === 3) h = [...h].map((c) => c + c).join('')
  const n = parseInt(h, 16)
  return { r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255 }
}

/** "#1f4e79" → "#1F4E79"; "" when not a colour. */
export function normalizeHex(hex: string): string {
  const c = parseHex(hex)
  if (!c) return ''
  return `#${[c.r, c.g, c.b].map((v) => v.toString(16).padStart(2, '0')).join('').toUpperCase()}`
}

/** WCAG 2 relative luminance, 0 (black) to 1 (white). */
export function luminance(c: RGB): number {
  const lin = (v: number) => {
    const s = v / 255
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b)
}

/** WCAG 2 contrast ratio between two colours, 1 to 21. */
export function contrastRatio(a: RGB, b: RGB): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

export const INK_DARK = '#1d1c1a'
export const INK_LIGHT = '#ffffff'

/** The ink (near-black or white) that reads best on a colour, and its contrast. */
export function inkFor(hex: string): { ink: string; ratio: number } {
  const bg = parseHex(hex)
  if (!bg) return { ink: INK_DARK, ratio: 1 }
  const dark = contrastRatio(bg, parseHex(INK_DARK)!)
  const light = contrastRatio(bg, parseHex(INK_LIGHT)!)
  return light >= dark ? { ink: INK_LIGHT, ratio: light } : { ink: INK_DARK, ratio: dark }
}

/** A contrast ratio to one decimal, in the UI's language: "4.5" or "4,5". */
export function formatRatio(ratio: number, locale: string): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
    Math.floor(ratio * 10) / 10,
  )
}
