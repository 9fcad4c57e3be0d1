// Which language the UI speaks.

export const LOCALES = ['en', 'fr'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'en'

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v)
}

/** The UI language for a system language tag: French for fr*, else English. */
export function systemLocale(tag: string | undefined): Locale {
  return tag && /^fr\b/i.test(tag.trim()) ? 'fr' : DEFAULT_LOCALE
}

/**
 * The UI language for the saved setting: the setting if it names a shipped
 * language, else the system's.
 */
export function resolveLocale(setting: string, systemTag: string | undefined): Locale {
  return isLocale(setting) ? setting : systemLocale(systemTag)
}

/** The browser's (the webview's) language tag. */
export function navigatorLanguage(): string | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.language
}
