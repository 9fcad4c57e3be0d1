// Library text in the UI's language. HQ's values are objects keyed by locale
// ("fr", "en", "fr-CH", or "*" for every locale); a missing locale falls back
// to the library's default (its first locale), then to any other.

export type Localized = Record<string, string>

/** A value picked for display, with the locale it is in ("" for "*" or none). */
export interface Picked {
  text: string
  lang: string
}

function base(tag: string): string {
  return tag.toLowerCase().split(/[-_]/)[0] ?? ''
}

/**
 * The locales to try, best first: the UI locale itself, the same language
 * in another variant (library locales first), "*", the library's default
 * and its other locales, then whatever else the value holds, sorted.
 */
export function fallbackChain(value: Localized, uiLocale: string, libraryLocales: readonly string[]): string[] {
  const keys = Object.keys(value)
  const out: string[] = []
  const add = (k: string | undefined) => {
    if (k !== undefined && !out.includes(k) && keys.includes(k)) out.push(k)
  }
  const lower = uiLocale.toLowerCase()
  add(keys.find((k) => k.toLowerCase() === lower))
  const lang = base(uiLocale)
  if (lang) {
    for (const k of libraryLocales) if (base(k) === lang) add(keys.find((x) => x.toLowerCase() === k.toLowerCase()))
    for (const k of [...keys].sort()) if (k !== '*' && base(k) === lang) add(k)
  }
  add('*')
  for (const k of libraryLocales) add(keys.find((x) => x.toLowerCase() === k.toLowerCase()))
  for (const k of [...keys].sort()) add(k)
  return out
}

/** The best non-empty text of value for the UI, with its locale. */
export function pick(value: Localized | null | undefined, uiLocale: string, libraryLocales: readonly string[]): Picked {
  if (!value) return { text: '', lang: '' }
  for (const k of fallbackChain(value, uiLocale, libraryLocales)) {
    const text = value[k]
    if (typeof text === 'string' && text.trim() !== '') return { text, lang: k === '*' ? '' : k }
  }
  return { text: '', lang: '' }
}

/** The best non-empty text of value for the UI; "" when it has none. */
export function localize(value: Localized | null | undefined, uiLocale: string, libraryLocales: readonly string[]): string {
  return pick(value, uiLocale, libraryLocales).text
}

/**
 * The locales the values are written in, for locale tabs: the library's
 * locales in its order, then any other, sorted; "*" is not a locale.
 */
export function localesOf(values: readonly (Localized | null | undefined)[], libraryLocales: readonly string[]): string[] {
  const present = new Set<string>()
  for (const v of values) {
    if (!v) continue
    for (const [k, text] of Object.entries(v)) if (k !== '*' && text.trim() !== '') present.add(k)
  }
  const ordered = libraryLocales.filter((l) => present.has(l))
  const rest = [...present].filter((l) => !ordered.includes(l)).sort()
  return [...ordered, ...rest]
}

/** The text of value in exactly this locale (or "*"), "" when it has none. */
export function exactly(value: Localized | null | undefined, locale: string): string {
  if (!value) return ''
  return value[locale] ?? value['*'] ?? ''
}

/** A locale's name in the UI language, e.g. "French" or "français"; the code when unknown. */
export function localeName(code: string, uiLocale: string): string {
  try {
    const name = new Intl.DisplayNames([uiLocale], { type: 'language' }).of(code)
    if (name && name !== code) return name.charAt(0).toLocaleUpperCase(uiLocale) + name.slice(1)
  } catch {
    // Not a valid tag: show it as it is.
  }
  return code
}
