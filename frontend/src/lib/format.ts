// Numbers, sizes and dates as a person reads them, in the UI's language.

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const

/** A byte count in decimal units, e.g. "1.5 MB" (en) or "1,5 Mo" (fr). */
export function formatBytes(bytes: number, locale: string): string {
  let value = Number.isFinite(bytes) && bytes > 0 ? bytes : 0
  let unit = 0
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000
    unit++
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: BYTE_UNITS[unit],
    unitDisplay: unit === 0 ? 'long' : 'short', // "512 bytes", "1.5 MB"
    maximumFractionDigits: digits,
  }).format(value)
}

/** A whole count with the locale's grouping, e.g. "12,400" or "12 400". */
export function formatCount(n: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(Number.isFinite(n) ? n : 0)
}

/** A ratio in [0, 1] as a percentage, e.g. "42%" or "42 %". */
export function formatPercent(ratio: number, locale: string): string {
  const r = Math.min(1, Math.max(0, Number.isFinite(ratio) ? ratio : 0))
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(r)
}

/** The app version for display: "v0.1.0" for a release, as-is for "dev". */
export function formatVersion(v: string): string {
  const s = v.trim()
  return /^\d+\.\d+/.test(s) ? `v${s}` : s
}

/** An RFC 3339 time as a short local date and time; "" if there is none. */
export function formatDateTime(iso: string, locale: string): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d)
}

/** An RFC 3339 time as a date, e.g. "31 Dec 2031"; "" if there is none. */
export function formatDate(iso: string, locale: string): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(d)
}

/**
 * A calendar day "YYYY-MM-DD" as a person reads it: "15 Dec" (short) or
 * "15 Dec 2026" (withYear). The day is a date, not an instant, so it is
 * formatted in UTC and never shifts with the time zone. "" when invalid.
 */
export function formatDay(ymd: string, locale: string, withYear = true): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd)
  if (!m) return ''
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  if (Number.isNaN(d.getTime()) || d.getUTCDate() !== Number(m[3])) return ''
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    ...(withYear ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  }).format(d)
}

/**
 * How long ago an RFC 3339 time was, as a person says it: "now", "5
 * minutes ago", "3 hours ago", "yesterday", "il y a 3 jours"; a week or
 * more ago (or in the future, a clock being off) the date itself. "" if
 * there is none. Days count by the calendar: last night is "yesterday".
 */
export function formatRelative(iso: string, now: number, locale: string): string {
  if (!iso) return ''
  const t = new Date(iso).getTime()
  if (Number.isNaN(t)) return ''
  const ago = Math.round((now - t) / 1000)
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  if (ago < -60) return formatDate(iso, locale)
  if (ago < 45) return rtf.format(0, 'second')
  if (ago < 60 * 60) return rtf.format(-Math.max(1, Math.round(ago / 60)), 'minute')
  const days = calendarDays(t, now)
  if (days === 0 || ago < 6 * 60 * 60) return rtf.format(-Math.floor(ago / 3600), 'hour')
  if (days < 7) return rtf.format(-days, 'day')
  return formatDate(iso, locale)
}

/** Local calendar days from one instant to a later one. */
function calendarDays(from: number, to: number): number {
  const a = new Date(from)
  const b = new Date(to)
  const da = Date.UTC(a.getFullYear(), a.getMonth(), a.getDate())
  const db = Date.UTC(b.getFullYear(), b.getMonth(), b.getDate())
  return Math.round((db - da) / 86_400_000)
}
