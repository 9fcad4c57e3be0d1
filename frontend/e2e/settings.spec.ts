// Settings against the real backend: language, validation, persistence,
// storage compaction.
import { DEFAULTS, expect, saveSettings, storedSettings, test, waitForLibrary } from './fixtures'

test('switching the language to French applies at once and survives a reload', async ({ page }) => {
  await page.getByTestId('nav-settings').click()
  const save = page.getByTestId('settings-save')
  await expect(save).toBeDisabled()

  await page.getByTestId('settings-language').selectOption('fr')
  await expect(save).toBeEnabled()
  await save.click()

  await expect(page.getByTestId('nav-library')).toContainText('Bibliothèque')
  await expect(page.getByTestId('nav-campaigns')).toContainText('Campagnes')
  await expect(page.getByTestId('nav-settings')).toContainText('Réglages')
  await expect(page.getByTestId('view-title')).toHaveText('Réglages')
  await expect(page.getByTestId('settings-saved')).toHaveText('Réglages enregistrés.')
  await expect(page.getByTestId('status-online')).toHaveText('Aucun hub configuré')
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr')
  expect((await storedSettings(page)).language).toBe('fr')

  await page.reload()
  await expect(page.getByTestId('nav-library')).toContainText('Bibliothèque')
  await expect(page.getByTestId('settings-language')).toHaveValue('fr')
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr')

  await page.getByTestId('settings-language').selectOption('en')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('nav-library')).toContainText('Library')
  await expect(page.getByTestId('view-title')).toHaveText('Settings')
  await page.reload()
  await expect(page.getByTestId('nav-library')).toContainText('Library')
  await expect(page.locator('html')).toHaveAttribute('lang', 'en')
})

test('an invalid hub URL is refused with a localized field error; a valid one is saved', async ({ page }) => {
  await page.getByTestId('nav-settings').click()
  const hub = page.getByTestId('settings-hub-url')
  const save = page.getByTestId('settings-save')
  const error = page.getByTestId('field-error-hubUrl')

  await hub.fill('ftp://x')
  await save.click()
  await expect(error).toContainText('“ftp://x” isn\'t a hub address')
  await expect(hub).toHaveAttribute('aria-invalid', 'true')
  await expect(hub).toBeFocused()
  const describedBy = (await hub.getAttribute('aria-describedby')) ?? ''
  expect(describedBy.split(' ')).toContain(await error.getAttribute('id'))
  await expect(page.getByTestId('settings-saved')).toHaveCount(0)
  // Nothing was stored: the previous value stays.
  expect((await storedSettings(page)).hubUrl).toBe('')
  await expect(page.getByTestId('status-online')).toHaveText('No hub configured')
  await expect(hub).toHaveValue('ftp://x')

  // Editing the field clears its error.
  await hub.fill('http://example.com')
  await expect(error).toHaveCount(0)
  await save.click()
  await expect(error).toContainText('plain http')
  await expect(error).toContainText('Use https://')
  expect((await storedSettings(page)).hubUrl).toBe('')

  // A valid https address on this machine (nothing listens there).
  await hub.fill('https://127.0.0.1:9')
  await save.click()
  await expect(page.getByTestId('settings-saved')).toHaveText('Settings saved.')
  await expect(error).toHaveCount(0)
  expect((await storedSettings(page)).hubUrl).toBe('https://127.0.0.1:9')
  const online = page.getByTestId('status-online')
  await expect(online).not.toHaveText('No hub configured')
  await expect(online).toHaveText(/^(Checking…|Offline)$/)
  await expect(online).toHaveText('Offline')
  await expect(online).toHaveAttribute('title', /The hub can't be reached\./)
  await expect(online).toHaveAttribute('title', /https:\/\/127\.0\.0\.1:9/)

  // Offline with a hub, the library on this computer stays browsable.
  await page.getByTestId('nav-library').click()
  await expect(page.getByTestId('library-view')).toBeVisible()
  await expect(page.getByTestId('asset-card').first()).toBeVisible()
})

test('the French field error is in French', async ({ page }) => {
  await saveSettings(page, { ...DEFAULTS, language: 'fr' })
  await page.goto('/#/settings')
  await page.reload()
  await page.getByTestId('settings-hub-url').fill('ftp://x')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('field-error-hubUrl')).toContainText('n’est pas une adresse de hub')
})

test('the display name is saved and still there after a reload', async ({ page }) => {
  await page.getByTestId('nav-settings').click()
  const name = page.getByTestId('settings-display-name')
  await expect(name).toHaveValue('')
  await name.fill('Camille Martin')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-saved')).toBeVisible()
  await expect(page.getByTestId('settings-save')).toBeDisabled()

  await page.reload()
  await expect(page.getByTestId('view-title')).toHaveText('Settings')
  await expect(page.getByTestId('settings-display-name')).toHaveValue('Camille Martin')
  expect((await storedSettings(page)).displayName).toBe('Camille Martin')

  // Too long: refused on that field.
  await page.getByTestId('settings-display-name').fill('x'.repeat(81))
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('field-error-displayName')).toHaveText(/at most 80 characters/)
  expect((await storedSettings(page)).displayName).toBe('Camille Martin')
})

test('a relative data folder is refused on its field', async ({ page }) => {
  await page.getByTestId('nav-settings').click()
  await page.getByTestId('settings-data-dir').fill('relative/folder')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('field-error-dataDir')).toContainText('“relative/folder” isn\'t a full folder path')
  expect((await storedSettings(page)).dataDir).toBe('')
  await page.getByRole('button', { name: 'Discard changes' }).click()
  await expect(page.getByTestId('settings-data-dir')).toHaveValue('')
  await expect(page.getByTestId('field-error-dataDir')).toHaveCount(0)
})

test('compacting local data runs and reports that it is done', async ({ page }) => {
  await page.getByTestId('nav-settings').click()
  await expect(page.getByTestId('storage-size')).toHaveText(/\d/)
  const button = page.getByTestId('storage-compact')
  await button.click()
  const result = page.getByTestId('task-result')
  await expect(result).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  await expect(result).toHaveText('Local data compacted.')
  await expect(button).toBeEnabled()
  // The status bar shows the finished task for a moment.
  await expect(page.getByTestId('status-bar').getByTestId('task-progress')).toHaveAttribute('data-state', 'done')
})

test('the office region is chosen from the library’s regions and saved', async ({ page }) => {
  await waitForLibrary(page)
  await page.getByTestId('nav-settings').click()
  const region = page.getByTestId('settings-region')
  await expect(region).toHaveValue('')
  await expect(region.locator('option')).toHaveText(['Not set', 'Belgium', 'France', 'Switzerland'])
  await region.selectOption('be')
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-saved')).toBeVisible()
  expect((await storedSettings(page)).region).toBe('be')

  await page.reload()
  await expect(page.getByTestId('settings-region')).toHaveValue('be')
  // The region names follow the interface language.
  await saveSettings(page, { ...DEFAULTS, region: 'be', language: 'fr' })
  await page.reload()
  await expect(page.getByTestId('settings-region').locator('option:checked')).toHaveText('Belgique')
})
