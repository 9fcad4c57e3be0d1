import { describe, expect, it } from 'vitest'
import { createAppI18n, translatorOf } from '../i18n'
import { decodeError, errorField, errorMessage, fromPayload, type AppError } from './errors'

const payload = {
  kind: 'invalid',
  code: 'settings.hub_url_invalid',
  op: 'settings.Validate',
  params: { field: 'hubUrl', url: 'ftp://x' },
  detail: 'settings.Validate: settings.hub_url_invalid (field="hubUrl", url="ftp://x")',
}

function translator(locale: 'en' | 'fr') {
  return translatorOf(createAppI18n(locale).global)
}

describe('decodeError', () => {
  it('reads the JSON payload in a rejected Error’s message (Wails ≥ 2.13)', () => {
    const err = decodeError(new Error(JSON.stringify(payload)))
    expect(err).toEqual({
      kind: 'invalid',
      code: 'settings.hub_url_invalid',
      op: 'settings.Validate',
      params: { field: 'hubUrl', url: 'ftp://x' },
      detail: payload.detail,
    })
    expect(errorField(err)).toBe('hubUrl')
  })

  it('reads a JSON payload passed as a plain string', () => {
    expect(decodeError(JSON.stringify(payload)).code).toBe('settings.hub_url_invalid')
  })

  it('reads a JSON payload with surrounding whitespace', () => {
    expect(decodeError(new Error(`  ${JSON.stringify(payload)}\n`)).kind).toBe('invalid')
  })

  it('reads a payload object (as task events carry it)', () => {
    const err = decodeError({ kind: 'internal', code: 'cache.compact_failed', params: { phase: 'gc' }, detail: 'x' })
    expect(err.code).toBe('cache.compact_failed')
    expect(err.params).toEqual({ phase: 'gc' })
    expect(err.op).toBeUndefined()
  })

  it('passes an already decoded AppError through as a copy', () => {
    const first = decodeError(new Error(JSON.stringify(payload)))
    const again = decodeError(first)
    expect(again).toEqual(first)
    expect(again).not.toBe(first)
    expect(again.params).not.toBe(first.params)
  })

  it('turns malformed JSON into internal with the message as detail', () => {
    const msg = '{"kind": "invalid", "code": '
    expect(decodeError(new Error(msg))).toEqual({ kind: 'internal', code: 'internal', params: {}, detail: msg })
  })

  it('turns Wails’ own plain-text failures into internal', () => {
    const msg = 'Call to SettingsService.Save timed out. Request might be still running'
    expect(decodeError(new Error(msg))).toEqual({ kind: 'internal', code: 'internal', params: {}, detail: msg })
    expect(decodeError(msg).detail).toBe(msg)
  })

  it('turns JSON that is not a payload into internal', () => {
    for (const text of ['{"hello": "world"}', '{"code": ""}', '{"code": 42}', '[1,2]', 'null', '"str"']) {
      const err = decodeError(new Error(text))
      expect(err.code, text).toBe('internal')
      expect(err.kind, text).toBe('internal')
      expect(err.detail, text).toBe(text)
    }
  })

  it('maps an unknown or missing kind to internal but keeps the code', () => {
    expect(decodeError(new Error('{"kind":"exploded","code":"x.y","detail":""}'))).toMatchObject({
      kind: 'internal',
      code: 'x.y',
    })
    expect(decodeError(new Error('{"kind":3,"code":"x.y"}')).kind).toBe('internal')
    expect(decodeError(new Error('{"code":"x.y"}')).kind).toBe('internal')
  })

  it('fills missing fields: no params, no detail, no op', () => {
    const err = decodeError(new Error('{"kind":"conflict","code":"cache.locked"}'))
    expect(err).toEqual({ kind: 'conflict', code: 'cache.locked', params: {}, detail: '' })
  })

  it('keeps only string-able params', () => {
    const err = fromPayload({ kind: 'invalid', code: 'c', params: { a: 'x', b: 80, c: true, d: { no: 1 }, e: null } })
    expect(err?.params).toEqual({ a: 'x', b: '80', c: 'true' })
    expect(fromPayload({ kind: 'invalid', code: 'c', params: ['no'] })?.params).toEqual({})
  })

  it('decodes non-Error values', () => {
    expect(decodeError(undefined)).toEqual({ kind: 'internal', code: 'internal', params: {}, detail: '' })
    expect(decodeError(null).code).toBe('internal')
    expect(decodeError(42).detail).toBe('42')
    expect(decodeError({ foo: 1 }).detail).toBe('{"foo":1}')
    expect(decodeError({ message: 'boom' }).detail).toBe('boom')
    expect(decodeError(new TypeError("Cannot read properties of undefined (reading 'app')"))).toMatchObject({
      kind: 'internal',
      code: 'internal',
    })
  })

  it('survives values JSON cannot encode', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(decodeError(cyclic).code).toBe('internal')
    expect(decodeError(10n).detail).toBe('10')
  })
})

describe('errorMessage', () => {
  const invalid: AppError = decodeError(new Error(JSON.stringify(payload)))

  it('speaks English with the params', () => {
    const msg = errorMessage(invalid, translator('en'))
    expect(msg).toContain('“ftp://x”')
    expect(msg).toContain("isn't a hub address")
  })

  it('speaks French with the params', () => {
    const msg = errorMessage(invalid, translator('fr'))
    expect(msg).toContain('ftp://x')
    expect(msg).toContain('n’est pas une adresse de hub')
  })

  it('names numeric params', () => {
    const err = decodeError({ kind: 'invalid', code: 'settings.display_name_too_long', params: { field: 'displayName', max: '80' } })
    expect(errorMessage(err, translator('en'))).toBe('The display name is too long: use at most 80 characters.')
    expect(errorMessage(err, translator('fr'))).toBe('Le nom affiché est trop long\u00a0: 80 caractères au maximum.')
  })

  it('falls back to the kind when the code has no message', () => {
    const err = decodeError({ kind: 'transient', code: 'hub.busy', params: {} })
    expect(errorMessage(err, translator('en'))).toBe('A temporary problem occurred. Try again in a moment.')
    expect(errorMessage(err, translator('fr'))).toBe('Un problème temporaire est survenu. Réessayez dans un instant.')
  })

  it('does not mistake a group of messages for a message', () => {
    const err = decodeError({ kind: 'conflict', code: 'settings', params: {} })
    expect(errorMessage(err, translator('en'))).toBe('That clashes with the current state. Try again.')
  })

  it('says internal for undecodable failures', () => {
    const err = decodeError(new Error('Call to X timed out'))
    expect(errorMessage(err, translator('en'))).toBe('Something unexpected went wrong inside Outpost.')
    expect(errorMessage(err, translator('fr'))).toBe('Une erreur inattendue s’est produite dans Outpost.')
  })

  it('never evaluates message syntax that arrives in params', () => {
    const err = decodeError({ kind: 'invalid', code: 'settings.hub_url_invalid', params: { url: "{evil} @:errors.internal | <b>x</b>" } })
    expect(errorMessage(err, translator('en'))).toContain("“{evil} @:errors.internal | <b>x</b>”")
  })
})
