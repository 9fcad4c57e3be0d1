// The one decoder of backend errors. Go's app.errorJSON sends every failed
// call's fault.Payload as a JSON string in the rejected Error's message; this
// file turns whatever arrives into an AppError and an AppError into words.
import { readableParams } from '../lib/errorParams'

/** What the caller can do about an error (Go: fault.Kind). */
export type ErrorKind =
  | 'internal'
  | 'invalid'
  | 'not_found'
  | 'permission'
  | 'conflict'
  | 'transient'
  | 'corrupt'
  | 'unavailable'
  | 'canceled'

export const ERROR_KINDS: readonly ErrorKind[] = [
  'internal',
  'invalid',
  'not_found',
  'permission',
  'conflict',
  'transient',
  'corrupt',
  'unavailable',
  'canceled',
]

/** A decoded backend error (Go: fault.Payload). */
export interface AppError {
  kind: ErrorKind
  /** Stable dotted code, e.g. "settings.hub_url_invalid"; an i18n key under errors. */
  code: string
  /** The Go operation that failed, for developers. */
  op?: string
  /** Values the localized message names, e.g. {url: "..."}; "field" names a settings field. */
  params: Record<string, string>
  /** Developer text, shown only in a details disclosure. */
  detail: string
}

/** The code of an error that carries no code of its own. */
export const CODE_INTERNAL = 'internal'

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function isKind(v: unknown): v is ErrorKind {
  return typeof v === 'string' && (ERROR_KINDS as readonly string[]).includes(v)
}

function internal(detail: string): AppError {
  return { kind: 'internal', code: CODE_INTERNAL, params: {}, detail }
}

function stringParams(v: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!isRecord(v)) return out
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string') out[k] = val
    else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val)
  }
  return out
}

/**
 * Reads a fault.Payload-shaped object. Returns null when it is not one (no
 * string code), so the caller can fall back to treating the input as text.
 */
export function fromPayload(v: unknown): AppError | null {
  if (!isRecord(v) || typeof v.code !== 'string' || v.code === '') return null
  const err: AppError = {
    kind: isKind(v.kind) ? v.kind : 'internal',
    code: v.code,
    params: stringParams(v.params),
    detail: typeof v.detail === 'string' ? v.detail : '',
  }
  if (typeof v.op === 'string' && v.op !== '') err.op = v.op
  return err
}

function fromText(text: string): AppError {
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) {
    try {
      const decoded = fromPayload(JSON.parse(trimmed))
      if (decoded) return decoded
    } catch {
      // Not JSON after all: fall through to plain text.
    }
  }
  return internal(text)
}

function isAppError(v: unknown): v is AppError {
  return (
    isRecord(v) &&
    isKind(v.kind) &&
    typeof v.code === 'string' &&
    isRecord(v.params) &&
    typeof v.detail === 'string'
  )
}

/**
 * Turns anything a rejected backend call (or a task event) can carry into an
 * AppError: an Error whose message is a JSON payload, a payload object, a
 * plain string (e.g. Wails' "Call to X timed out"), or any other value.
 */
export function decodeError(e: unknown): AppError {
  if (isAppError(e)) return { ...e, params: { ...e.params } }
  if (e instanceof Error) return fromText(e.message)
  if (typeof e === 'string') return fromText(e)
  const payload = fromPayload(e)
  if (payload) return payload
  if (isRecord(e) && typeof e.message === 'string') return fromText(e.message)
  if (e === undefined || e === null) return internal('')
  try {
    return internal(typeof e === 'object' ? JSON.stringify(e) : String(e))
  } catch {
    return internal(String(e))
  }
}

/** The settings field an error is about, if any (Go adds params.field). */
export function errorField(err: AppError): string | undefined {
  return err.params.field || undefined
}

/** The functions of a vue-i18n composer that errorMessage needs. */
export interface Translator {
  t: (key: string, named: Record<string, unknown>) => string
  te: (key: string) => boolean
  /** The UI language, to format sizes and dates in params; English when absent. */
  locale?: () => string
}

/**
 * The localized message for err: errors.<code> with its params (reasons in
 * words, sizes and dates formatted), else the fallback of its kind
 * (errorKinds.<kind>), else errors.internal.
 */
export function errorMessage(err: AppError, tr: Translator): string {
  const params = readableParams(err, tr)
  const byCode = `errors.${err.code}`
  if (err.code && tr.te(byCode)) return tr.t(byCode, params)
  const byKind = `errorKinds.${err.kind}`
  if (tr.te(byKind)) return tr.t(byKind, params)
  return tr.t(`errors.${CODE_INTERNAL}`, params)
}
