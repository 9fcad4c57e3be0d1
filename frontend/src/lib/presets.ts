// Channel presets as the packs view and the crop editor list them: grouped
// by channel in a fixed order, with what a selection adds up to.

/** What grouping reads of a preset (Go: library.Preset, app.PresetCrop). */
export interface PresetLike {
  channel: string
}

/** Channels in the order they are listed; others follow, sorted. */
export const CHANNEL_ORDER = ['social', 'email', 'web', 'print'] as const

export interface ChannelGroup<P extends PresetLike> {
  channel: string
  presets: P[]
}

/** Presets by channel, channels in CHANNEL_ORDER then the rest sorted; presets keep their order. */
export function groupByChannel<P extends PresetLike>(presets: readonly P[]): ChannelGroup<P>[] {
  const groups = new Map<string, P[]>()
  for (const p of presets) {
    const list = groups.get(p.channel) ?? []
    list.push(p)
    groups.set(p.channel, list)
  }
  const known = CHANNEL_ORDER as readonly string[]
  const rank = (c: string) => (known.includes(c) ? known.indexOf(c) : known.length)
  return [...groups.keys()]
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((channel) => ({ channel, presets: groups.get(channel)! }))
}

/** How many files a pack of these assets and presets holds (renditions only). */
export function renditionCount(assets: number, presets: number): number {
  return Math.max(0, assets) * Math.max(0, presets)
}

/** "1080 × 1080" */
export function presetSize(p: { width: number; height: number }): string {
  return `${p.width} × ${p.height}`
}

/** A file-name-safe pack name: "cairn-pack-2026-11-22". */
export function suggestedPackName(library: string, day: Date): string {
  const slug = library
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
  const y = day.getFullYear()
  const m = String(day.getMonth() + 1).padStart(2, '0')
  const d = String(day.getDate()).padStart(2, '0')
  return `${slug || 'outpost'}-pack-${y}-${m}-${d}.zip`
}
