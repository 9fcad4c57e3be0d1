// Shared set-up for the end-to-end tests: every test starts from default
// settings (saved through the real Go binding) in English, and fails if the
// page logs an error.
import { test as base, expect, type Page } from '@playwright/test'

export interface SettingsValue {
  hubUrl: string
  displayName: string
  language: string
  dataDir: string
  region: string
}

/** The part of Wails' bridge the tests call directly. */
interface Bridge {
  go: {
    app: {
      SettingsService: {
        Get(): Promise<SettingsValue>
        Save(s: SettingsValue): Promise<unknown>
      }
    }
  }
}

export const DEFAULTS: SettingsValue = { hubUrl: '', displayName: '', language: 'en', dataDir: '', region: '' }

/** The built-in sample library's name, as the status bar shows it. */
export const SAMPLE_NAME = 'Cairn Outdoor (sample)'

/**
 * Waits for the active library: at first start the app imports its
 * built-in sample as a task, and the status bar names it once it is in.
 */
export async function waitForLibrary(page: Page) {
  await expect(page.getByTestId('status-library-name')).toContainText(SAMPLE_NAME, { timeout: 60_000 })
}

async function waitForBridge(page: Page) {
  await page.waitForFunction(() => typeof (window as unknown as Partial<Bridge>).go?.app?.SettingsService?.Save === 'function')
}

/** Saves settings through the real binding. */
export async function saveSettings(page: Page, s: SettingsValue) {
  await waitForBridge(page)
  await page.evaluate((value) => (window as unknown as Bridge).go.app.SettingsService.Save(value), s)
}

/** Reads the settings Go has stored. */
export async function storedSettings(page: Page): Promise<SettingsValue> {
  await waitForBridge(page)
  return page.evaluate(() => (window as unknown as Bridge).go.app.SettingsService.Get())
}

/**
 * An error the Wails dev server's own overlay script (/wails/ipc.js) throws
 * in a plain browser; it is not the app's.
 */
function isWailsDevNoise(text: string): boolean {
  return text.includes('/wails/ipc.js')
}

/**
 * Playwright injects its helpers into every frame; in the email preview's
 * frame, sandboxed without allow-scripts, Chromium blocks them and says so
 * (microsoft/playwright#33343). The same goes for a pack's report. The
 * preview is checked for scripts by its DOM instead (campaigns.spec.ts).
 */
function isSandboxedFrameNoise(text: string): boolean {
  return /^Blocked script execution in '[^']*\/(campaign\/preview\/|pack\/report)[^']*' because the document's frame is sandboxed/.test(text)
}

/**
 * The test fixture. Two automatic fixtures (fixtures, not hooks, so they
 * apply in every spec file that imports this one):
 *  - `consoleErrors` collects the page's errors and fails the test on any;
 *  - `freshState` resets the settings to the defaults through the real
 *    binding and opens the Library in English.
 */
export const test = base.extend<{ consoleErrors: string[]; freshState: void }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = []
      page.on('console', (msg) => {
        if (msg.type() === 'error' && !isSandboxedFrameNoise(msg.text())) errors.push(`console: ${msg.text()} (${msg.location().url})`)
      })
      page.on('pageerror', (err) => {
        const text = `${err.message}\n${err.stack ?? ''}`
        if (!isWailsDevNoise(text)) errors.push(`pageerror: ${text}`)
      })
      await use(errors)
      expect(errors, 'errors logged by the page').toEqual([])
    },
    { auto: true },
  ],
  freshState: [
    async ({ page, consoleErrors }, use) => {
      void consoleErrors // listen from the first load on
      await page.goto('/')
      await saveSettings(page, DEFAULTS)
      await page.goto('/#/library')
      await page.reload()
      await expect(page.getByTestId('nav-library')).toHaveText(/Library/)
      await expect(page.getByTestId('status-online')).toHaveText('No hub configured')
      await use()
    },
    { auto: true },
  ],
})

export { expect }
