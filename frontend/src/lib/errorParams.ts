// Error params as a person reads them. Go sends machine values (a reason
// code such as "backslash", byte counts, RFC 3339 times); the message needs
// words, sizes and dates in the UI's language.
import type { AppError, Translator } from '../api/errors'
import { formatBytes, formatCount, formatDate } from './format'

/** How each code's params read: a byte limit ("4.2 MB"), an exact count ("812,345"), a date. */
const FORMATS: Record<string, Record<string, 'size' | 'count' | 'date'>> = {
  'library.manifest_too_large': { max: 'size' },
  'library.release_too_large': { max: 'size' },
  'library.file_size': { want: 'count', got: 'count' },
  'library.too_few_signatures': { have: 'count', need: 'count' },
  'library.expired': { expires: 'date' },
  'hub.request_too_large': { limit: 'size' },
}

/**
 * "not_a_regular_file" → "not a regular file", "image.brand_new" → "brand
 * new": the last resort for a reason (or a kind, a role) without words.
 */
export function humanize(reason: string): string {
  const last = reason.split('.').filter(Boolean).pop() ?? reason
  return last.replace(/[_-]+/g, ' ').trim()
}

/**
 * The words for a reason code of an error, from errorReasons.<code>.<reason>
 * (e.g. errorReasons.library.unsafe_path.backslash), else the code made
 * readable.
 */
export function reasonWords(code: string, reason: string, tr: Translator): string {
  if (!reason) return ''
  const key = `errorReasons.${code}.${reason}`
  if (/^[a-z0-9_.]+$/i.test(code) && /^[a-z0-9_]+(\.[a-z0-9_]+)*$/i.test(reason) && tr.te(key)) return tr.t(key, {})
  return humanize(reason)
}

/** The params of err ready for its message: reasons in words, sizes and dates formatted. */
export function readableParams(err: AppError, tr: Translator): Record<string, string> {
  const out: Record<string, string> = { ...err.params }
  const locale = tr.locale?.() ?? 'en'
  if (out.reason !== undefined) out.reason = reasonWords(err.code, out.reason, tr)
  for (const [p, how] of Object.entries(FORMATS[err.code] ?? {})) {
    const v = out[p]
    if (v === undefined || v === '') continue
    const n = Number(v)
    if (how === 'date') out[p] = formatDate(v, locale) || v
    else if (Number.isFinite(n)) out[p] = how === 'size' ? formatBytes(n, locale) : formatCount(n, locale)
  }
  return out
}
