// A campaign's way to HQ across real processes: the spec runs a hub of its
// own (`hub serve --demo`, built by .ci/e2e.sh) so that it can stop and
// start it. The designer signs in, drafts a French promo and fixes its
// findings, the local approver signs it off on the same desktop, the
// designer submits while the hub is down (queued), the hub comes back (the
// submission is delivered), HQ requests changes on the hub's review pages
// with a comment about the headline, the designer sees it beside the field,
// fixes it, gets a new sign-off and resubmits, HQ approves, and the desktop
// shows the campaign approved.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { createCampaign, expectNoErrors, field, fillDelivery, input, saved, uniqueName } from './composer'
import { DEFAULTS, expect, saveSettings, test, waitForLibrary } from './fixtures'

const HUB_BIN = process.env.OUTPOST_E2E_HUB_BIN ?? ''
const RELEASE = process.env.OUTPOST_E2E_RELEASE_OK ?? ''
const PASSWORD = 'outpost-demo'

/** Saves a screenshot when OUTPOST_E2E_SHOTS names a folder (to look at, not compared). */
async function shot(p: Page, name: string) {
  const dir = process.env.OUTPOST_E2E_SHOTS
  if (dir) await p.screenshot({ path: join(dir, `${name}.png`) })
}

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

/** A hub of the test's own, on one address and data folder, stopped and started at will. */
class Hub {
  proc: ChildProcess | null = null
  log = ''
  constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`
  }

  async start() {
    const proc = spawn(HUB_BIN, ['serve', '--data', this.dir, '--addr', `127.0.0.1:${this.port}`, '--demo'], { stdio: ['ignore', 'pipe', 'pipe'] })
    proc.stdout!.on('data', (b: Buffer) => (this.log += b.toString()))
    proc.stderr!.on('data', (b: Buffer) => (this.log += b.toString()))
    this.proc = proc
    const deadline = Date.now() + 20_000
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`the hub exited (${proc.exitCode}):\n${this.log}`)
      try {
        if ((await fetch(`${this.url}/v1/health`)).ok) return
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`the hub did not answer in 20 s:\n${this.log}`)
  }

  async stop() {
    const proc = this.proc
    this.proc = null
    if (!proc || proc.exitCode !== null) return
    const exited = new Promise((r) => proc.once('exit', r))
    proc.kill('SIGTERM')
    await exited
  }

  /** Publishes a release zip as HQ's admin, through the API. */
  async publish(zip: string) {
    const login = await fetch(`${this.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: 'admin', password: PASSWORD }),
    })
    expect(login.status).toBe(201)
    const { token } = (await login.json()) as { token: string }
    const res = await fetch(`${this.url}/v1/releases`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/zip' },
      body: readFileSync(zip),
    })
    expect([200, 201]).toContain(res.status)
  }
}

let hub: Hub

test.beforeAll(async () => {
  if (!HUB_BIN) return
  hub = new Hub(mkdtempSync(join(tmpdir(), 'outpost-e2e-hub-')), await freePort())
  await hub.start()
  // The desktop may already be on version 2 of the sample (campaigns.spec
  // moves it there): the hub re-checks a submission on its own release.
  if (RELEASE) await hub.publish(RELEASE)
})

test.afterAll(async () => {
  if (!hub) return
  await hub.stop()
  rmSync(hub.dir, { recursive: true, force: true })
})

test.beforeEach(() => {
  test.skip(!HUB_BIN, 'set OUTPOST_E2E_HUB_BIN to a built `hub` (.ci/e2e.sh does)')
})

/** Signs the desktop in to the test's hub as user, through Settings. */
async function signIn(page: Page, user: string) {
  await saveSettings(page, { ...DEFAULTS, region: 'fr', hubUrl: hub.url })
  await page.evaluate(() =>
    (window as unknown as { go: { app: { HubService: { Logout(): Promise<unknown> } } } }).go.app.HubService.Logout(),
  )
  await page.goto('/#/settings')
  await page.reload()
  await expect(page.getByTestId('status-online')).toHaveText('Online', { timeout: 20_000 })
  await page.getByTestId('hub-user').fill(user)
  await page.getByTestId('hub-password').fill(PASSWORD)
  await page.getByTestId('hub-sign-in').click()
  await expect(page.getByTestId('hub-signed-in')).toContainText('Signed in as')
}

/** The local approver signs the open campaign off in the composer's dialog (opened by button). */
async function signOff(page: Page, button = 'sign-off') {
  await page.getByTestId(button).click()
  const dialog = page.getByTestId('sign-off-dialog')
  await dialog.getByTestId('sign-off-user').fill('approver.fr')
  await dialog.getByTestId('sign-off-password').fill(PASSWORD)
  await dialog.getByTestId('sign-off-submit').click()
  await expect(dialog).toHaveCount(0)
  await expect(page.getByTestId('signed-off')).toContainText('Local approver (fr)')
}

/** Clicks the Outbox's Refresh until the campaign's newest item is in the wanted state. */
async function outboxShows(page: Page, name: string, want: { delivery?: string; hubState?: string }) {
  const row = page.getByTestId('outbox-item').filter({ hasText: name }).first()
  await expect(async () => {
    await page.getByTestId('outbox-refresh').click()
    if (want.delivery) await expect(row).toHaveAttribute('data-delivery', want.delivery, { timeout: 1_000 })
    if (want.hubState) await expect(row).toHaveAttribute('data-hub-state', want.hubState, { timeout: 1_000 })
  }).toPass({ timeout: 45_000, intervals: [500, 1_000, 2_000] })
  return row
}

/** HQ's reviewer, in a browser page of their own, on the hub's review pages. */
async function hqReviewer(page: Page): Promise<Page> {
  const hq = await page.context().newPage()
  await hq.goto(`${hub.url}/review/`)
  await hq.locator('input[name="user"]').fill('reviewer')
  await hq.locator('input[name="password"]').fill(PASSWORD)
  await hq.getByRole('button', { name: 'Sign in' }).click()
  await expect(hq.getByRole('heading', { level: 1 })).toHaveText('Submissions')
  return hq
}

test('sign-off, submit offline, HQ asks for changes on the review page, resubmit, approved', async ({ page }) => {
  test.setTimeout(240_000)
  await waitForLibrary(page)
  await signIn(page, 'designer.fr')

  // The designer drafts a French promo and fixes what the check finds.
  await page.goto('/#/campaigns')
  await expect(page.getByTestId('view-title')).toHaveText('Campaigns')
  const name = uniqueName('Winter outing')
  await createCampaign(page, { template: 'promo', region: 'fr', name })
  await page.getByTestId('preview-tab-check').click()
  await page.getByTestId('locale-tab-fr').click()
  await input(page, 'headline').fill('Un sac gratuit pour vos sorties')
  await saved(page)
  const restricted = page.locator('[data-testid="finding"][data-slot="headline"][data-code="brandcheck.word_restricted"]')
  await expect(restricted).toHaveCount(1)
  await expect(page.getByTestId('sign-off')).toBeDisabled()
  await input(page, 'headline').fill('Un sac offert pour vos sorties')
  await saved(page)
  await expect(restricted).toHaveCount(0)
  await fillDelivery(page)
  await expectNoErrors(page)
  await expect(page.getByTestId('check-badge')).toHaveText('Ready for sign-off')
  await expect(page.getByTestId('submit')).toBeDisabled()

  // The local approver signs it off on this desktop.
  await signOff(page)
  await expect(page.getByTestId('submit')).toBeEnabled()

  // Any edit voids the sign-off, visibly, until the approver signs again.
  await input(page, 'headline').fill('Un sac offert pour vos randonnées')
  await saved(page)
  await expect(page.getByTestId('sign-off-voided')).toContainText('An edit voided Local approver (fr)')
  await expect(page.getByTestId('signed-off')).toHaveCount(0)
  await expect(page.getByTestId('submit')).toBeDisabled()
  await expectNoErrors(page)
  await signOff(page, 'sign-off-again')
  await expect(page.getByTestId('sign-off-voided')).toHaveCount(0)

  // The hub goes down; the submission is queued on this computer.
  await hub.stop()
  await page.getByTestId('submit').click()
  const notice = page.getByTestId('submitted-notice')
  await expect(notice).toHaveAttribute('data-status', 'submitted')
  await expect(page.getByTestId('submitted-delivery')).toHaveAttribute('data-delivery', /^(queued|sending)$/)
  // Submitted, the campaign is read-only.
  await expect(page.locator('#locale-panel')).toHaveAttribute('data-readonly', 'true')
  await expect(input(page, 'headline')).toBeDisabled()
  await page.getByTestId('open-outbox').click()
  await expect(page).toHaveURL(/#\/outbox/)
  const row = page.getByTestId('outbox-item').filter({ hasText: name }).first()
  await expect(row).toHaveAttribute('data-delivery', /^(queued|sending)$/)
  await expect(row).toHaveAttribute('data-hub-state', '')
  // Still down after a refresh: nothing is lost, nothing is delivered.
  await page.getByTestId('outbox-refresh').click()
  await expect(row).toHaveAttribute('data-delivery', /^(queued|sending)$/)

  // The hub comes back: delivered, and HQ has it.
  await hub.start()
  await outboxShows(page, name, { delivery: 'delivered', hubState: 'submitted' })

  // HQ requests changes on the review page, about the headline.
  const hq = await hqReviewer(page)
  await hq.getByRole('link', { name }).click()
  await expect(hq.getByRole('heading', { level: 1 })).toHaveText(name)
  await expect(hq.locator('.badge.big')).toHaveText('Submitted')
  await expect(hq.locator('iframe[title="The email in fr"]')).toHaveCount(1)
  await hq.locator('#decision-comment').fill('Le titre est trop long pour le mobile : raccourcissez-le.')
  await hq.locator('#decision-field').selectOption('fr/headline')
  await shot(hq, 'outbox-0-review-page')
  await hq.locator('button[value="request_changes"]').click()
  await expect(hq.locator('.badge.big')).toHaveText('Changes requested')

  // The designer sees HQ's answer in the Outbox and beside the headline.
  await page.bringToFront()
  await outboxShows(page, name, { hubState: 'changes_requested' })
  await row.click()
  await expect(page.getByTestId('outbox-comment').filter({ hasText: 'Le titre est trop long' })).toHaveCount(1)
  await page.getByTestId('outbox-open-campaign').click()
  await expect(page.getByTestId('view-title')).toHaveText(name)
  await expect(page.getByTestId('hq-banner')).toBeVisible()
  await page.getByTestId('locale-tab-fr').click()
  const comment = page.locator('.slot-wrap', { has: field(page, 'headline') }).getByTestId('hq-comment')
  await expect(comment).toContainText('Le titre est trop long')
  await expect(comment).toHaveAttribute('data-slot', 'headline')
  await comment.scrollIntoViewIfNeeded()
  await shot(page, 'outbox-1-changes-requested')

  // Fixed, signed off again, resubmitted with the hub up: delivered at once
  // or within a refresh.
  await input(page, 'headline').fill('Un sac offert')
  await saved(page)
  await page.getByTestId('preview-tab-check').click()
  await expectNoErrors(page)
  await signOff(page)
  await page.getByTestId('submit').click()
  await expect(page.getByTestId('submitted-notice')).toHaveAttribute('data-status', 'submitted')
  await page.getByTestId('open-outbox').click()
  const second = await outboxShows(page, name, { delivery: 'delivered', hubState: 'submitted' })
  const secondId = await second.getAttribute('data-id')
  const both = page.getByTestId('outbox-item').filter({ hasText: name })
  await expect(both).toHaveCount(2)
  // The first one, HQ's "changes requested", is marked as sent again.
  await expect(both.nth(1)).toHaveAttribute('data-superseded', 'true')
  await expect(both.nth(1)).toHaveAttribute('data-hub-state', 'changes_requested')

  // HQ approves the new submission (the list's newest of this campaign).
  await hq.bringToFront()
  await hq.goto(`${hub.url}/review/submissions/${secondId}`)
  await expect(hq.locator('.badge.big')).toHaveText('Submitted')
  await expect(hq.locator('.changes')).toContainText('Un sac offert')
  await hq.locator('button[value="approve"]').click()
  await expect(hq.locator('.badge.big')).toHaveText('Approved')
  await hq.close()

  // The desktop shows it approved, in the Outbox and on the campaign.
  await outboxShows(page, name, { hubState: 'approved' })
  await page.getByTestId('outbox-item').filter({ hasText: name }).first().click()
  await shot(page, 'outbox-2-approved')
  await page.getByTestId('outbox-open-campaign').click()
  await expect(page.getByTestId('submitted-notice')).toHaveAttribute('data-status', 'approved')
  await page.getByTestId('nav-campaigns').click()
  const listed = page.locator('[data-testid="campaign-row"]', { hasText: name }).getByTestId('campaign-status')
  await expect(listed).toHaveAttribute('data-status', 'approved')
})

test('a submission withdrawn before it reached the hub is withdrawn there on arrival', async ({ page }) => {
  test.setTimeout(180_000)
  await waitForLibrary(page)
  await signIn(page, 'designer.fr')
  await page.goto('/#/campaigns')
  await expect(page.getByTestId('view-title')).toHaveText('Campaigns')
  const name = uniqueName('Sent by mistake')
  await createCampaign(page, { template: 'promo', region: 'fr', name })
  await page.getByTestId('preview-tab-check').click()
  await page.getByTestId('locale-tab-fr').click()
  await fillDelivery(page)
  await expectNoErrors(page)
  await signOff(page)

  // Submitted with the hub down, then withdrawn from the Outbox at once.
  await hub.stop()
  await page.getByTestId('submit').click()
  await expect(page.getByTestId('submitted-notice')).toHaveAttribute('data-status', 'submitted')
  await page.getByTestId('open-outbox').click()
  const row = page.getByTestId('outbox-item').filter({ hasText: name }).first()
  await row.click()
  await expect(row).toHaveAttribute('data-delivery', /^(queued|sending)$/)
  await page.getByTestId('outbox-withdraw').click()
  const dialog = page.getByTestId('withdraw-dialog')
  await dialog.locator('.btn-danger, .btn-primary').click()
  await expect(page.getByTestId('outbox-withdraw-asked')).toContainText('Withdrawn on this computer')
  await expect(page.getByTestId('outbox-withdraw')).toHaveCount(0)
  await expect(row.getByTestId('campaign-status')).toHaveAttribute('data-status', 'withdrawn')

  // The campaign is open again while its submission waits for the hub.
  await page.getByTestId('outbox-open-campaign').click()
  await expect(page.getByTestId('view-title')).toHaveText(name)
  await page.getByTestId('locale-tab-fr').click()
  await expect(input(page, 'headline')).toBeEnabled()

  // The hub comes back: the submission arrives and is withdrawn there.
  await hub.start()
  await page.getByTestId('nav-outbox').click()
  await outboxShows(page, name, { delivery: 'delivered', hubState: 'withdrawn' })
  await row.click()
  await expect(page.getByTestId('outbox-withdraw-asked')).toHaveCount(0)
  await expect(page.getByTestId('outbox-history-step').last()).toHaveAttribute('data-state', 'withdrawn')
})
