// The hub account against a real hub (.ci/e2e.sh starts `hub serve --demo`
// with version 2 of the sample published): signing in, the token in the
// system keychain (an unlocked gnome-keyring on the test's session bus),
// "Sync now" with its progress, the synced library, signing out.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { Page } from '@playwright/test'
import { DEFAULTS, expect, saveSettings, test, waitForLibrary } from './fixtures'

const HUB = process.env.OUTPOST_E2E_HUB_URL ?? ''
/** The keychain service Outpost keeps hub tokens under (Go: secrets.Service). */
const SERVICE = 'io.outpost.hub'
const PASSWORD = 'outpost-demo'

const run = promisify(execFile)

/** What the Secret Service holds for Outpost: secret-tool's listing, attributes and secrets. */
async function keychain(): Promise<string> {
  try {
    const { stdout, stderr } = await run('secret-tool', ['search', '--all', 'service', SERVICE], { timeout: 10_000 })
    return stdout + stderr
  } catch (e) {
    // Exit status 1: nothing matched.
    const err = e as { code?: number; stdout?: string; stderr?: string }
    if (err.code === 1) return `${err.stdout ?? ''}${err.stderr ?? ''}`
    throw e
  }
}

/** Starts signed out of the hub, whatever a failed earlier run left behind. */
async function signedOut(page: Page) {
  await page.evaluate(() =>
    (window as unknown as { go: { app: { HubService: { Logout(): Promise<unknown> } } } }).go.app.HubService.Logout(),
  )
}

test.beforeEach(() => {
  test.skip(!HUB, 'set OUTPOST_E2E_HUB_URL to a hub started with `hub serve --demo` (.ci/e2e.sh does)')
})

test('a wrong password is refused in the UI language', async ({ page }) => {
  await saveSettings(page, { ...DEFAULTS, language: 'fr', hubUrl: HUB })
  await signedOut(page)
  await page.goto('/#/settings')
  await page.reload()
  await expect(page.getByTestId('status-online')).toHaveText('En ligne', { timeout: 20_000 })

  await page.getByTestId('hub-user').fill('designer.fr')
  await page.getByTestId('hub-password').fill('not-the-password')
  await page.getByTestId('hub-password').press('Enter')
  await expect(page.getByTestId('hub-login-error')).toHaveText('Connexion impossible. Nom d’utilisateur ou mot de passe incorrect.')
  await expect(page.getByTestId('hub-signed-in')).toHaveCount(0)
  // Enter signed in and nothing else: the settings form was not submitted.
  await expect(page.getByTestId('settings-saved')).toHaveCount(0)
  expect(await keychain()).not.toContain('designer.fr@')
})

test('sign in, sync the library from the hub, sign out', async ({ page }) => {
  test.setTimeout(120_000)
  await waitForLibrary(page)
  const before = /release (\d+)/.exec((await page.getByTestId('status-library-name').textContent()) ?? '')?.[1] ?? ''
  expect(['1', '2']).toContain(before)

  // The hub URL, through the form.
  await page.getByTestId('nav-settings').click()
  await expect(page.getByTestId('hub-need-url')).toBeVisible()
  await page.getByTestId('settings-hub-url').fill(HUB)
  await page.getByTestId('settings-save').click()
  await expect(page.getByTestId('settings-saved')).toBeVisible()
  await expect(page.getByTestId('status-online')).toHaveText('Online', { timeout: 20_000 })
  await signedOut(page)

  // Sign in: the token goes to the keychain, never to a file.
  expect(await keychain()).not.toContain(`designer.fr@${HUB}`)
  await page.getByTestId('hub-user').fill('designer.fr')
  await page.getByTestId('hub-password').fill(PASSWORD)
  await page.getByTestId('hub-sign-in').click()
  await expect(page.getByTestId('hub-signed-in')).toHaveText('Signed in as Designer (fr)')
  await expect(page.getByTestId('hub-account-line')).toHaveText('designer.fr · Designer · Region: France')
  await expect(page.getByTestId('hub-keychain-ok')).toBeVisible()
  const stored = await keychain()
  expect(stored).toContain(`attribute.username = designer.fr@${HUB}`)
  expect(stored).toMatch(/secret = \S{20,}/)

  if (before === '1') {
    // The background check found version 2: the status bar offers it.
    await expect(page.getByTestId('status-hub-update')).toContainText('New release available: Cairn Outdoor (sample) v2')
    await expect(page.getByTestId('hub-update')).toHaveText('Cairn Outdoor (sample): release 2 is available (you have release 1).')
  } else {
    await expect(page.getByTestId('hub-up-to-date')).toHaveText('The library is up to date.')
  }

  // Sync now: record what the progress says while it runs (it may be quick).
  await page.evaluate(() => {
    const seen: string[] = []
    Object.assign(window, { syncSeen: seen })
    const account = document.querySelector('[data-testid="hub-account"]')!
    new MutationObserver(() => {
      for (const el of account.querySelectorAll('[data-testid="task-progress"] .task-detail')) {
        const text = el.textContent?.trim() ?? ''
        if (text && seen[seen.length - 1] !== text) seen.push(text)
      }
    }).observe(account, { subtree: true, childList: true, characterData: true })
  })
  await page.getByTestId('hub-sync-now').click()
  const result = page.getByTestId('hub-sync-result')
  await expect(result).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  await expect(result).toHaveText('Library synced.')
  const seen = await page.evaluate(() => (window as unknown as { syncSeen: string[] }).syncSeen)
  if (before === '1') {
    // Bytes and files side by side: "Downloading new files · 140 bytes of 140 bytes · 0 of 1 files"
    // (version 2 adds one file to version 1; .ci/e2e.sh).
    expect(seen.join('\n')).toMatch(/Downloading new files · [\d.,]+ (bytes|[kMG]B) of [\d.,]+ (bytes|[kMG]B) · \d of 1 files/)
  }
  await expect(page.getByTestId('hub-last-sync')).toHaveText(/^Last synced /)
  await expect(page.getByTestId('status-hub-update')).toHaveCount(0)
  await expect(page.getByTestId('status-last-sync')).toHaveText(/^Synced /)

  // The synced library is the one in use.
  await page.getByTestId('nav-library').click()
  await expect(page.getByTestId('library-version')).toHaveText('Release 2')
  await expect(page.getByTestId('status-library-name')).toContainText('release 2')

  // Sign out: the token leaves the keychain; the user name stays to sign in again.
  await page.getByTestId('nav-settings').click()
  await page.getByTestId('hub-sign-out').click()
  await expect(page.getByTestId('hub-user')).toHaveValue('designer.fr')
  await expect(page.getByTestId('hub-signed-in')).toHaveCount(0)
  await expect(page.getByTestId('status-last-sync')).toHaveCount(0)
  await expect.poll(keychain).not.toContain(`designer.fr@${HUB}`)
})
