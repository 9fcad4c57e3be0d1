// vue-i18n set-up: the composition API, English and French messages.
import { createI18n } from 'vue-i18n'
import en from './locales/en.json'
import fr from './locales/fr.json'
import { DEFAULT_LOCALE, type Locale } from '../lib/locale'
import type { Translator } from '../api/errors'

/** The message schema: every locale has exactly English's keys. */
export type MessageSchema = typeof en

export const messages: Record<Locale, MessageSchema> = { en, fr }

/** A fresh i18n instance; the app makes one, tests make their own. */
export function createAppI18n(locale: Locale = DEFAULT_LOCALE) {
  return createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: DEFAULT_LOCALE,
    messages,
  })
}

export type AppI18n = ReturnType<typeof createAppI18n>

/** The app's i18n instance. */
export const i18n = createAppI18n()

/** The translator errorMessage uses, bound to a composer. */
export function translatorOf(composer: {
  t: (key: string, named: Record<string, unknown>) => string
  te: (key: string) => boolean
  locale?: { value: string }
}): Translator {
  return {
    t: (key, named) => composer.t(key, named),
    te: (key) => composer.te(key),
    locale: () => composer.locale?.value ?? DEFAULT_LOCALE,
  }
}

/** Sets the UI language and <html lang>. */
export function setLocale(locale: Locale, target: AppI18n = i18n): void {
  target.global.locale.value = locale
  if (typeof document !== 'undefined') document.documentElement.lang = locale
}
