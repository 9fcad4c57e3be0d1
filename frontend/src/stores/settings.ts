// The Settings form: the saved settings, the draft being edited, and what
// went wrong with the last save, per field.
import { defineStore } from 'pinia'
import { computed, reactive, ref } from 'vue'
import { decodeError, errorField, type AppError } from '../api/errors'
import * as api from '../api/settings'
import { SETTINGS_FIELDS, type SaveResult, type Settings, type SettingsField } from '../api/settings'
import { LOCALES } from '../lib/locale'
import { useUiStore } from './ui'

function blank(): Settings {
  return { hubUrl: '', displayName: '', language: '', dataDir: '', region: '' }
}

function isField(f: string | undefined): f is SettingsField {
  return f !== undefined && (SETTINGS_FIELDS as readonly string[]).includes(f)
}

export const useSettingsStore = defineStore('settings', () => {
  /** What Go has stored; null until loaded. */
  const saved = ref<Settings | null>(null)
  /** What the form shows. */
  const draft = reactive<Settings>(blank())
  const languages = ref<string[]>([...LOCALES])

  const loading = ref(false)
  const loadError = ref<AppError | null>(null)
  const saving = ref(false)
  /** The field a rejected save blamed (Go reports the first problem only). */
  const fieldErrors = ref<Partial<Record<SettingsField, AppError>>>({})
  /** A rejected save that names no field. */
  const saveError = ref<AppError | null>(null)
  /** A failure of the native folder picker. */
  const chooseError = ref<AppError | null>(null)
  /** The outcome of the last successful save, until the form changes again. */
  const lastSave = ref<SaveResult | null>(null)

  const dirty = computed(() => {
    const s = saved.value
    return s !== null && SETTINGS_FIELDS.some((f) => draft[f] !== s[f])
  })
  const canSave = computed(() => dirty.value && !saving.value && !loading.value)

  function clearErrors() {
    fieldErrors.value = {}
    saveError.value = null
    chooseError.value = null
  }

  async function load(): Promise<boolean> {
    loading.value = true
    loadError.value = null
    try {
      const [s, langs] = await Promise.all([api.getSettings(), api.languages().catch(() => null)])
      saved.value = s
      Object.assign(draft, s)
      if (langs && langs.length > 0) languages.value = langs
      clearErrors()
      return true
    } catch (e) {
      loadError.value = decodeError(e)
      return false
    } finally {
      loading.value = false
    }
  }

  /** Changes one field of the draft and forgets what was said about it. */
  function setField(field: SettingsField, value: string) {
    draft[field] = value
    if (fieldErrors.value[field]) {
      const next = { ...fieldErrors.value }
      delete next[field]
      fieldErrors.value = next
    }
    saveError.value = null
    lastSave.value = null
  }

  async function save(): Promise<boolean> {
    if (!canSave.value) return false
    saving.value = true
    clearErrors()
    lastSave.value = null
    try {
      const res = await api.saveSettings({ ...draft })
      saved.value = res.settings
      Object.assign(draft, res.settings)
      lastSave.value = res
      useUiStore().applyLanguage(res.settings.language)
      return true
    } catch (e) {
      const err = decodeError(e)
      const field = errorField(err)
      if (isField(field)) fieldErrors.value = { [field]: err }
      else saveError.value = err
      return false
    } finally {
      saving.value = false
    }
  }

  /** Forgets the "saved" notice (the form was left). */
  function clearNotice() {
    lastSave.value = null
  }

  /** Puts the saved values back into the form. */
  function revert() {
    if (saved.value) Object.assign(draft, saved.value)
    clearErrors()
  }

  /** Asks for a folder with the native dialog; keeps the draft when cancelled. */
  async function chooseDataDir(): Promise<void> {
    chooseError.value = null
    try {
      const dir = await api.chooseDataDir()
      if (dir) setField('dataDir', dir)
    } catch (e) {
      chooseError.value = decodeError(e)
    }
  }

  return {
    saved,
    draft,
    languages,
    loading,
    loadError,
    saving,
    fieldErrors,
    saveError,
    chooseError,
    lastSave,
    dirty,
    canSave,
    load,
    setField,
    save,
    revert,
    clearNotice,
    chooseDataDir,
  }
})
