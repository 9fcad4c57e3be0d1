// The UI's language, platform details and passing notices (toasts).
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { setLocale } from '../i18n'
import { DEFAULT_LOCALE, navigatorLanguage, resolveLocale, systemLocale, type Locale } from '../lib/locale'
import { isMac } from '../lib/shortcuts'

/** How long a toast stays on screen. */
export const TOAST_MS = 6000

/** A passing notice: an i18n key and its params, so it follows the language. */
export interface Toast {
  id: number
  key: string
  params: Record<string, string | number>
  tone: 'success' | 'info'
}

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

  const toasts = ref<Toast[]>([])
  let nextToast = 1

  function dismissToast(id: number) {
    toasts.value = toasts.value.filter((t) => t.id !== id)
  }

  /** Shows a toast for a while; returns its id. */
  function notify(key: string, params: Toast['params'] = {}, tone: Toast['tone'] = 'success'): number {
    const id = nextToast++
    toasts.value = [...toasts.value.slice(-2), { id, key, params, tone }]
    setTimeout(() => dismissToast(id), TOAST_MS)
    return id
  }

  return { locale, systemDefault, mac, applyLanguage, toasts, notify, dismissToast }
})
