import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { decodeError } from '../api/errors'
import * as api from '../api/settings'
import { i18n } from '../i18n'
import { useSettingsStore } from './settings'
import { useUiStore } from './ui'

vi.mock('../api/settings', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/settings')>()),
  getSettings: vi.fn(),
  saveSettings: vi.fn(),
  languages: vi.fn(),
  chooseDataDir: vi.fn(),
}))

const stored = { hubUrl: 'https://hub.example.com', displayName: 'Camille', language: 'en', dataDir: '', region: '' }

function rejection(payload: object) {
  return decodeError(new Error(JSON.stringify(payload)))
}

beforeEach(() => {
  setActivePinia(createPinia())
  vi.mocked(api.getSettings).mockResolvedValue({ ...stored })
  vi.mocked(api.languages).mockResolvedValue(['en', 'fr'])
  i18n.global.locale.value = 'en'
})

describe('settings store', () => {
  it('loads the saved settings into the form, unchanged', async () => {
    const s = useSettingsStore()
    expect(await s.load()).toBe(true)
    expect(s.saved).toEqual(stored)
    expect(s.draft).toEqual(stored)
    expect(s.languages).toEqual(['en', 'fr'])
    expect(s.dirty).toBe(false)
    expect(s.canSave).toBe(false)
  })

  it('keeps the built-in languages when Languages() fails', async () => {
    vi.mocked(api.languages).mockRejectedValue(new Error('boom'))
    const s = useSettingsStore()
    expect(await s.load()).toBe(true)
    expect(s.languages).toEqual(['en', 'fr'])
  })

  it('reports a failed load', async () => {
    vi.mocked(api.getSettings).mockRejectedValue(new Error('Call to SettingsService.Get timed out'))
    const s = useSettingsStore()
    expect(await s.load()).toBe(false)
    expect(s.loadError).toMatchObject({ kind: 'internal', code: 'internal' })
    expect(s.saved).toBeNull()
    expect(s.canSave).toBe(false)
  })

  it('is dirty after an edit and clean again after revert', async () => {
    const s = useSettingsStore()
    await s.load()
    s.setField('displayName', 'Camille M.')
    expect(s.dirty).toBe(true)
    expect(s.canSave).toBe(true)
    s.setField('displayName', 'Camille')
    expect(s.dirty).toBe(false)
    s.setField('hubUrl', 'https://other.example.com')
    s.revert()
    expect(s.draft).toEqual(stored)
    expect(s.dirty).toBe(false)
  })

  it('saves, takes the normalized values back and reports success', async () => {
    vi.mocked(api.saveSettings).mockResolvedValue({
      settings: { ...stored, displayName: 'Camille M.' },
      restartNeeded: false,
    })
    const s = useSettingsStore()
    await s.load()
    s.setField('displayName', '  Camille M.  ')
    expect(await s.save()).toBe(true)
    expect(api.saveSettings).toHaveBeenCalledWith({ ...stored, displayName: '  Camille M.  ' })
    expect(s.saved?.displayName).toBe('Camille M.')
    expect(s.draft.displayName).toBe('Camille M.')
    expect(s.lastSave).toEqual({ settings: { ...stored, displayName: 'Camille M.' }, restartNeeded: false })
    expect(s.dirty).toBe(false)
    expect(s.saving).toBe(false)
  })

  it('passes restartNeeded on', async () => {
    vi.mocked(api.saveSettings).mockResolvedValue({ settings: { ...stored, dataDir: '/data/outpost' }, restartNeeded: true })
    const s = useSettingsStore()
    await s.load()
    s.setField('dataDir', '/data/outpost')
    await s.save()
    expect(s.lastSave?.restartNeeded).toBe(true)
  })

  it('does not save when nothing changed', async () => {
    const s = useSettingsStore()
    await s.load()
    expect(await s.save()).toBe(false)
    expect(api.saveSettings).not.toHaveBeenCalled()
  })

  it('puts a rejected field’s error on that field and keeps the draft', async () => {
    vi.mocked(api.saveSettings).mockRejectedValue(
      rejection({ kind: 'invalid', code: 'settings.hub_url_invalid', params: { field: 'hubUrl', url: 'ftp://x' }, detail: '' }),
    )
    const s = useSettingsStore()
    await s.load()
    s.setField('hubUrl', 'ftp://x')
    expect(await s.save()).toBe(false)
    expect(Object.keys(s.fieldErrors)).toEqual(['hubUrl'])
    expect(s.fieldErrors.hubUrl?.code).toBe('settings.hub_url_invalid')
    expect(s.saveError).toBeNull()
    expect(s.lastSave).toBeNull()
    expect(s.draft.hubUrl).toBe('ftp://x')
    expect(s.saved?.hubUrl).toBe(stored.hubUrl)
    expect(s.dirty).toBe(true)
  })

  it('decodes raw rejections too (an Error with JSON)', async () => {
    vi.mocked(api.saveSettings).mockRejectedValue(
      new Error(JSON.stringify({ kind: 'invalid', code: 'settings.display_name_too_long', params: { field: 'displayName', max: '80' } })),
    )
    const s = useSettingsStore()
    await s.load()
    s.setField('displayName', 'x'.repeat(81))
    await s.save()
    expect(s.fieldErrors.displayName?.params.max).toBe('80')
  })

  it('forgets a field’s error once the field is edited', async () => {
    vi.mocked(api.saveSettings).mockRejectedValue(
      rejection({ kind: 'invalid', code: 'settings.data_dir_relative', params: { field: 'dataDir', path: 'rel' } }),
    )
    const s = useSettingsStore()
    await s.load()
    s.setField('dataDir', 'rel')
    await s.save()
    expect(s.fieldErrors.dataDir).toBeDefined()
    s.setField('displayName', 'other')
    expect(s.fieldErrors.dataDir).toBeDefined()
    s.setField('dataDir', '/abs')
    expect(s.fieldErrors.dataDir).toBeUndefined()
  })

  it('puts an error without a known field on the form', async () => {
    vi.mocked(api.saveSettings).mockRejectedValue(
      rejection({ kind: 'unavailable', code: 'settings.write_failed', params: { path: '/ro/settings.json' } }),
    )
    const s = useSettingsStore()
    await s.load()
    s.setField('displayName', 'x')
    await s.save()
    expect(s.fieldErrors).toEqual({})
    expect(s.saveError?.code).toBe('settings.write_failed')

    vi.mocked(api.saveSettings).mockRejectedValue(rejection({ kind: 'invalid', code: 'x', params: { field: 'nope' } }))
    s.setField('displayName', 'y')
    await s.save()
    expect(s.fieldErrors).toEqual({})
    expect(s.saveError?.code).toBe('x')
  })

  it('switches the UI language and <html lang> when a new language is saved', async () => {
    vi.mocked(api.saveSettings).mockResolvedValue({ settings: { ...stored, language: 'fr' }, restartNeeded: false })
    const s = useSettingsStore()
    await s.load()
    s.setField('language', 'fr')
    await s.save()
    expect(useUiStore().locale).toBe('fr')
    expect(i18n.global.locale.value).toBe('fr')
    expect(document.documentElement.lang).toBe('fr')
  })

  it('does not switch the language on a rejected save', async () => {
    vi.mocked(api.saveSettings).mockRejectedValue(rejection({ kind: 'invalid', code: 'settings.language_unknown', params: { field: 'language', language: 'fr' } }))
    const s = useSettingsStore()
    await s.load()
    s.setField('language', 'fr')
    await s.save()
    expect(i18n.global.locale.value).toBe('en')
    expect(s.fieldErrors.language).toBeDefined()
  })

  it('takes a chosen folder and ignores a cancelled dialog', async () => {
    const s = useSettingsStore()
    await s.load()
    vi.mocked(api.chooseDataDir).mockResolvedValueOnce('')
    await s.chooseDataDir()
    expect(s.draft.dataDir).toBe('')
    vi.mocked(api.chooseDataDir).mockResolvedValueOnce('/home/c/Outpost data')
    await s.chooseDataDir()
    expect(s.draft.dataDir).toBe('/home/c/Outpost data')
    expect(s.dirty).toBe(true)
    vi.mocked(api.chooseDataDir).mockRejectedValueOnce(new Error('no display'))
    await s.chooseDataDir()
    expect(s.chooseError?.code).toBe('internal')
  })
})

describe('settings store notices', () => {
  it('forgets the saved notice on request and on the next edit', async () => {
    vi.mocked(api.saveSettings).mockResolvedValue({ settings: { ...stored, displayName: 'C' }, restartNeeded: false })
    const s = useSettingsStore()
    await s.load()
    s.setField('displayName', 'C')
    await s.save()
    expect(s.lastSave).not.toBeNull()
    s.clearNotice()
    expect(s.lastSave).toBeNull()
    s.setField('displayName', 'D')
    await s.save()
    s.setField('displayName', 'E')
    expect(s.lastSave).toBeNull()
  })
})
