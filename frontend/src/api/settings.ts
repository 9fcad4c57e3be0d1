// Typed wrappers of Go's SettingsService (app/services.go).
import * as SettingsService from '../wailsjs/go/app/SettingsService'
import { settings as models } from '../wailsjs/go/models'
import { call } from './call'

/** The user's preferences (Go: settings.Settings). */
export interface Settings {
  /** HQ hub address; "" when working from this computer only. */
  hubUrl: string
  /** Shown on sign-offs and submissions. */
  displayName: string
  /** UI language: "" follows the system, else "en" or "fr". */
  language: string
  /** Data folder; "" uses the default one. */
  dataDir: string
  /** The office's region id in the library, e.g. "fr"; "" until chosen. */
  region: string
}

export type SettingsField = keyof Settings

export const SETTINGS_FIELDS: readonly SettingsField[] = ['hubUrl', 'displayName', 'language', 'dataDir', 'region']

export interface SaveResult {
  settings: Settings
  /** The data folder changed: it is used from the next start. */
  restartNeeded: boolean
}

function toSettings(s: Partial<Settings> | null | undefined): Settings {
  return {
    hubUrl: s?.hubUrl ?? '',
    displayName: s?.displayName ?? '',
    language: s?.language ?? '',
    dataDir: s?.dataDir ?? '',
    region: s?.region ?? '',
  }
}

export function getSettings(): Promise<Settings> {
  return call(async () => toSettings(await SettingsService.Get()))
}

/** Validates and stores s; rejects with an AppError whose params.field names the bad field. */
export function saveSettings(s: Settings): Promise<SaveResult> {
  return call(async () => {
    // Go keeps the hub account (hubUser, lastSync) itself: the form never sends it.
    const res = await SettingsService.Save(models.Settings.createFrom({ ...s }))
    return { settings: toSettings(res?.settings), restartNeeded: res?.restartNeeded === true }
  })
}

/** The UI languages Outpost ships, e.g. ["en", "fr"]. */
export function languages(): Promise<string[]> {
  return call(async () => {
    const list = await SettingsService.Languages()
    return Array.isArray(list) ? list.filter((l): l is string => typeof l === 'string') : []
  })
}

/** Opens the native folder dialog; "" when the user cancels. */
export function chooseDataDir(): Promise<string> {
  return call(async () => (await SettingsService.ChooseDataDir()) ?? '')
}
