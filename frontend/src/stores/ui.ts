// The UI's language and platform details.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { setLocale } from '../i18n'
import { DEFAULT_LOCALE, navigatorLanguage, resolveLocale, systemLocale, type Locale } from '../lib/locale'
import { isMac } from '../lib/shortcuts'

export const useUiStore = defineStore('ui', () => {
  const locale = ref<Locale>(DEFAULT_LOCALE)
  /** The language "System default" stands for. */
  const systemDefault = computed<Locale>(() => systemLocale(navigatorLanguage()))
  /** Shortcuts read Cmd on a Mac, Ctrl elsewhere. */
  const mac = isMac()

  /** Switches the UI to the saved language setting ("" follows the system). */
  function applyLanguage(setting: string): Locale {
    const next = resolveLocale(setting, navigatorLanguage())
    locale.value = next
    setLocale(next)
    return next
  }

  return { locale, systemDefault, mac, applyLanguage }
})
