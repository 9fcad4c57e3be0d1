import { describe, expect, it } from 'vitest'
import { errorMessage, type AppError } from '../api/errors'
import { createAppI18n, translatorOf } from '../i18n'
import { humanize, readableParams, reasonWords } from './errorParams'

const tr = (l: 'en' | 'fr') => translatorOf(createAppI18n(l).global)
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ')

function err(code: string, params: Record<string, string>): AppError {
  return { kind: 'corrupt', code, params, detail: '' }
}

const UNSAFE_PATH_REASONS = [
  'empty',
  'too_long',
  'not_utf8',
  'backslash',
  'absolute',
  'colon',
  'control_character',
  'dot_element',
  'trailing_dot_or_space',
  'not_clean',
  'not_a_regular_file',
]

describe('reasonWords', () => {
  it('has English and French words for every unsafe-path reason Go sends', () => {
    for (const reason of UNSAFE_PATH_REASONS) {
      for (const l of ['en', 'fr'] as const) {
        const words = reasonWords('library.unsafe_path', reason, tr(l))
        expect(words, `${l}:${reason}`).not.toBe(humanize(reason))
        expect(words, `${l}:${reason}`).not.toContain('_')
      }
    }
    expect(reasonWords('library.unsafe_path', 'backslash', tr('en'))).toContain('backslash')
    expect(reasonWords('library.unsafe_path', 'dot_element', tr('fr'))).toContain('sortir de la version')
  })

  it('knows the manifest, content and zip reasons', () => {
    expect(reasonWords('library.manifest_invalid', 'unsorted', tr('en'))).toBe("its files aren't sorted by path")
    expect(reasonWords('library.content_invalid', 'duplicate_id', tr('fr'))).toBe('un identifiant est utilisé deux fois')
    expect(reasonWords('library.zip_invalid', 'too_many_entries', tr('en'))).toContain('more entries')
  })

  it('words the image problems Go names by their own codes', () => {
    expect(reasonWords('library.image_invalid', 'image.corrupt', tr('en'))).toBe('it is damaged or incomplete')
    expect(reasonWords('library.image_invalid', 'image.too_many_pixels', tr('fr'))).toBe('elle compte plus de pixels qu’Outpost n’en accepte')
    expect(reasonWords('library.image_invalid', 'image.brand_new', tr('en'))).toBe('brand new')
    const e = err('library.image_invalid', { path: 'images/bomb.png', reason: 'image.too_many_pixels' })
    expect(errorMessage(e, tr('en'))).toBe(
      "The picture “images/bomb.png” in the release can't be used: it has more pixels than Outpost accepts. The release was refused.",
    )
  })

  it('falls back to the reason made readable', () => {
    expect(reasonWords('library.unsafe_path', 'brand_new_reason', tr('en'))).toBe('brand new reason')
    expect(reasonWords('some.code', 'x-y', tr('en'))).toBe('x y')
    expect(reasonWords('library.unsafe_path', '', tr('en'))).toBe('')
  })

  it('never looks up keys built from odd input', () => {
    expect(reasonWords('library.unsafe_path', 'a.b', tr('en'))).toBe('b')
    expect(reasonWords('library.unsafe_path', 'a..b', tr('en'))).toBe('b')
    expect(reasonWords('library.unsafe_path', '{x}', tr('en'))).toBe('{x}')
  })
})

describe('readableParams', () => {
  it('formats sizes, counts and dates for the codes that carry them', () => {
    expect(readableParams(err('library.manifest_too_large', { max: '4194304' }), tr('en')).max).toBe('4.2 MB')
    expect(readableParams(err('library.file_size', { path: 'a.jpg', want: '812345', got: '9' }), tr('en'))).toEqual({
      path: 'a.jpg',
      want: '812,345',
      got: '9',
    })
    expect(readableParams(err('library.expired', { expires: '2026-05-01T00:00:00Z' }), tr('en')).expires).toBe('May 1, 2026')
    expect(plain(readableParams(err('library.file_size', { want: '812345', got: '1' }), tr('fr')).want ?? '')).toBe('812 345')
  })

  it('leaves other codes’ numbers alone', () => {
    expect(readableParams(err('settings.display_name_too_long', { max: '80' }), tr('en')).max).toBe('80')
  })

  it('keeps values it cannot format', () => {
    expect(readableParams(err('library.expired', { expires: 'soon' }), tr('en')).expires).toBe('soon')
    expect(readableParams(err('library.file_size', { want: 'lots' }), tr('en')).want).toBe('lots')
  })
})

describe('library error messages', () => {
  it('says which file was changed after signing', () => {
    const e = err('library.file_hash', { path: 'images/lake.jpg' })
    expect(errorMessage(e, tr('en'))).toBe(
      "“images/lake.jpg” was changed after HQ signed the release: its content doesn't match the signed checksum. The release was refused.",
    )
    expect(plain(errorMessage(e, tr('fr')))).toContain('« images/lake.jpg » a été modifié après la signature')
  })

  it('says a file whose size changed was changed after signing, with readable sizes', () => {
    const e = err('library.file_size', { path: 'images/lake.jpg', want: '622659', got: '622108' })
    expect(errorMessage(e, tr('en'))).toBe(
      '“images/lake.jpg” was changed after HQ signed the release: it is 622,108 bytes, but HQ signed it at 622,659 bytes. The release was refused.',
    )
    expect(plain(errorMessage(e, tr('fr')))).toContain('il fait 622 108 octets')
  })

  it('puts the reason in words into the message', () => {
    const e = err('library.unsafe_path', { path: '../etc/passwd', reason: 'dot_element' })
    expect(errorMessage(e, tr('en'))).toBe(
      'The release lists a file with an unsafe name, “../etc/passwd”: it contains a “.” or “..” folder, which could reach outside the release. It was refused to protect this computer.',
    )
  })

  it('names versions, regions and signatures', () => {
    expect(errorMessage(err('library.rollback', { version: '3', trusted: '7' }), tr('en'))).toContain('version 3, older than version 7')
    expect(errorMessage(err('library.wrong_region', { region: 'de', regions: 'fr, be, ch' }), tr('en'))).toContain('regions fr, be, ch, not for your office')
    expect(errorMessage(err('library.too_few_signatures', { have: '1', need: '2' }), tr('en'))).toContain('1 valid signature(s)')
    expect(errorMessage(err('library.expired', { expires: '2026-05-01T00:00:00Z' }), tr('en'))).toContain('expired on May 1, 2026')
  })
})
