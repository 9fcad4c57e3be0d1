// How many filter chips fit on one line before a "+N more" button.

/**
 * The number of leading chips (of the given widths, gap apart) that fit in
 * available px, leaving room for a "more" button of moreWidth when some do
 * not fit. At least one chip is shown when there is any.
 */
export function fitCount(widths: readonly number[], available: number, gap: number, moreWidth: number): number {
  if (widths.length === 0) return 0
  const total = widths.reduce((sum, w, i) => sum + w + (i > 0 ? gap : 0), 0)
  if (total <= available) return widths.length
  const room = available - moreWidth - gap
  let used = 0
  let n = 0
  for (const w of widths) {
    const next = used + (n > 0 ? gap : 0) + w
    if (next > room) break
    used = next
    n++
  }
  return Math.max(1, n)
}
