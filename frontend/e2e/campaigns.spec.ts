// Campaigns against the real backend and the built-in sample library:
// creating a campaign, writing it in two languages, the live preview (widths,
// dark modes, plain text), HQ's locks, hostile Markdown, refused edits, undo,
// the list's rename, duplicate and delete, and how long a keystroke takes to
// reach the preview.
import type { Locator, Page } from '@playwright/test'
import { DEFAULTS, expect, saveSettings, test, waitForLibrary } from './fixtures'

/** A campaign name no other test (or earlier run) uses. */
function uniqueName(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`
}

/** Opens Campaigns with the office's region set in Settings. */
async function openCampaigns(page: Page, region = 'be') {
  await waitForLibrary(page)
  await saveSettings(page, { ...DEFAULTS, region })
  await page.goto('/#/campaigns')
  await page.reload()
  await expect(page.getByTestId('view-title')).toHaveText('Campaigns')
}

/** Creates a campaign through the dialog; resolves to its id once the composer shows it. */
async function createCampaign(page: Page, opts: { template?: string; name: string; region?: string }): Promise<string> {
  await page.getByTestId('new-campaign').first().click()
  const dialog = page.getByTestId('new-campaign-dialog')
  await expect(dialog).toBeVisible()
  await dialog.locator(`[data-testid="template-option"][data-id="${opts.template ?? 'newsletter'}"]`).click()
  if (opts.region) await dialog.getByTestId('new-campaign-region').selectOption(opts.region)
  await dialog.getByTestId('new-campaign-name').fill(opts.name)
  await dialog.getByTestId('new-campaign-submit').click()
  await expect(page).toHaveURL(/#\/campaigns\/[0-9a-f]{24}$/)
  await expect(page.getByTestId('view-title')).toHaveText(opts.name)
  await expect(page.getByTestId('preview-frame')).toBeAttached()
  return /#\/campaigns\/([0-9a-f]{24})$/.exec(page.url())![1]!
}

function field(page: Page, slot: string): Locator {
  return page.locator(`[data-testid="slot-field"][data-slot="${slot}"]`)
}

function input(page: Page, slot: string): Locator {
  return field(page, slot).getByTestId('slot-input')
}

/** The email as the preview frame shows it (sandboxed, cross-origin to the page). */
function email(page: Page) {
  return page.frameLocator('[data-testid="preview-frame"]')
}

async function saved(page: Page) {
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved')
}

test('a campaign written in two languages is found as it was after a reload', async ({ page }) => {
  await openCampaigns(page, 'be')
  const name = uniqueName('Spring walks')
  await page.getByTestId('new-campaign').first().click()
  // The region comes from Settings; its languages are said.
  await expect(page.getByTestId('new-campaign-region')).toHaveValue('be')
  await expect(page.getByTestId('new-campaign-dialog')).toContainText('Written in French and English.')
  await page.getByTestId('new-campaign-dialog').getByRole('button', { name: 'Cancel' }).click()
  const id = await createCampaign(page, { name })

  await expect(page.getByTestId('locale-tab-fr')).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('locale-tab-en')).toBeVisible()

  // French first: the default locale.
  await input(page, 'headline').fill('Printemps sur les crêtes')
  await input(page, 'intro').fill('Nos **trois** boucles préférées du mois.')
  await saved(page)
  await expect(email(page).locator('body')).toContainText('Printemps sur les crêtes')
  await expect(email(page).locator('strong', { hasText: 'trois' })).toHaveCount(1)

  // English falls back to the French text, greyed, and the tab counts it.
  await page.getByTestId('locale-tab-en').click()
  await expect(page.getByTestId('locale-tab-en').getByTestId('locale-badge')).toHaveText(/2/)
  await expect(field(page, 'headline').getByTestId('slot-fallback')).toHaveText(/Not translated yet — showing French/)
  await expect(input(page, 'headline')).toHaveValue('')
  await expect(input(page, 'headline')).toHaveAttribute('placeholder', 'Printemps sur les crêtes')
  await expect(email(page).locator('body')).toContainText('Printemps sur les crêtes')

  await input(page, 'headline').fill('Spring on the ridges')
  await input(page, 'intro').fill('Our *three* favourite loops this month.')
  await input(page, 'intro').blur()
  await saved(page)
  await expect(page.getByTestId('locale-tab-en').getByTestId('locale-badge')).toHaveCount(0)
  await expect(field(page, 'headline').getByTestId('slot-fallback')).toHaveCount(0)
  await expect(email(page).locator('body')).toContainText('Spring on the ridges')
  await expect(email(page).locator('em', { hasText: 'three' })).toHaveCount(1)
  await expect(page.getByTestId('preview-subject')).not.toHaveText('')
  await expect(page.getByTestId('preview-sender')).toHaveText('Cairn Outdoor')

  // Delivery: an audience and a send date, saved at once.
  await page.locator('[data-testid="audience-option"][data-id="club-members"]').click()
  await page.getByTestId('send-at').fill('2026-12-03T09:30')
  await page.getByTestId('send-at').blur()
  await saved(page)

  // A reload (the app's state gone, the data kept): everything is there.
  await page.reload()
  await expect(page.getByTestId('view-title')).toHaveText(name)
  await expect(input(page, 'headline')).toHaveValue('Printemps sur les crêtes')
  await expect(input(page, 'intro')).toHaveValue('Nos **trois** boucles préférées du mois.')
  await expect(page.locator('[data-testid="audience-option"][data-id="club-members"] input')).toBeChecked()
  await expect(page.getByTestId('send-at')).toHaveValue('2026-12-03T09:30')
  await page.getByTestId('locale-tab-en').click()
  await expect(input(page, 'headline')).toHaveValue('Spring on the ridges')
  await expect(input(page, 'intro')).toHaveValue('Our *three* favourite loops this month.')
  await expect(email(page).locator('body')).toContainText('Spring on the ridges')

  // The list shows it with its template, languages and when it was edited.
  await page.getByTestId('composer-back').click()
  const row = page.locator(`[data-testid="campaign-row"][data-id="${id}"]`)
  await expect(row.getByTestId('campaign-open')).toHaveText(name)
  await expect(row.getByTestId('campaign-template')).toHaveText('Monthly newsletter')
  await expect(row.getByTestId('campaign-locales')).toHaveText(/FR\s*EN/)
  await expect(row.getByTestId('campaign-status')).toHaveText('Draft')
  await expect(row.getByTestId('campaign-edited')).toHaveText(/^Edited (just now|\d+ minutes? ago)$/)
})

test('the preview switches widths and colour schemes, and shows the plain text', async ({ page }) => {
  await openCampaigns(page, 'ch')
  await createCampaign(page, { name: uniqueName('Preview modes') })
  const frame = page.getByTestId('preview-frame')
  await expect(frame).toHaveAttribute('sandbox', '')
  await expect(frame).toHaveAttribute('data-device', 'desktop')
  expect(await frame.evaluate((el) => (el as HTMLElement).offsetWidth)).toBe(680)
  expect(await frame.getAttribute('src')).not.toContain('scheme=')

  await page.getByTestId('preview-device-mobile').click()
  await expect(frame).toHaveAttribute('data-device', 'mobile')
  await expect.poll(() => frame.evaluate((el) => (el as HTMLElement).offsetWidth)).toBe(375)
  await page.getByTestId('preview-device-desktop').click()
  await expect.poll(() => frame.evaluate((el) => (el as HTMLElement).offsetWidth)).toBe(680)

  await page.getByTestId('preview-scheme-dark').click()
  await expect(page.getByTestId('preview-frame')).toHaveAttribute('src', /[?&]scheme=dark$/)
  await expect(email(page).locator('meta[name="color-scheme"][content="dark"]')).toHaveCount(1)

  await page.getByTestId('preview-scheme-inverted').click()
  await expect(page.getByTestId('preview-frame')).toHaveAttribute('src', /[?&]scheme=inverted$/)
  await expect.poll(() => email(page).locator('style').allTextContents().then((s) => s.join(' '))).toContain('invert(1)')

  await page.getByTestId('preview-scheme-light').click()
  await expect(page.getByTestId('preview-frame')).not.toHaveAttribute('src', /scheme=/)

  // Dark mode and width stay while editing; the frame follows each edit.
  await page.getByTestId('preview-device-mobile').click()
  await input(page, 'headline').fill('Sentiers d’automne')
  await expect(email(page).locator('body')).toContainText('Sentiers d’automne')
  await expect(page.getByTestId('preview-frame')).toHaveAttribute('data-device', 'mobile')

  await page.getByTestId('preview-tab-text').click()
  await expect(page.getByTestId('preview-text')).toContainText('Sentiers d’automne')
  await page.getByTestId('preview-tab-email').click()
  await expect(page.getByTestId('preview-size')).toHaveText(/HTML \d/)
  await expect(page.getByTestId('preview-clipped')).toHaveCount(0)
})

test('a locked slot has no input: HQ’s value shows with a lock, and Go refuses it too', async ({ page }) => {
  await openCampaigns(page, 'fr')
  const id = await createCampaign(page, { name: uniqueName('Locks') })
  for (const slot of ['brand_line', 'logo', 'preferences_label']) {
    const f = field(page, slot)
    await expect(f).toHaveAttribute('data-lock', 'locked')
    await expect(f.getByTestId('slot-locked')).toHaveText('Set by HQ')
    await expect(f.locator('input, textarea, select, [contenteditable]')).toHaveCount(0)
  }
  await expect(field(page, 'brand_line').getByTestId('slot-locked-value')).toHaveText('Plus loin, ensemble.')
  // Going around the UI does not help.
  const code = await page.evaluate(async (campaign) => {
    const go = (window as unknown as { go: { app: { CampaignService: { SetValue: (...a: string[]) => Promise<unknown> } } } }).go
    try {
      await go.app.CampaignService.SetValue(campaign, 'fr', 'brand_line', 'Moins loin')
      return 'accepted'
    } catch (e) {
      return JSON.parse((e as Error).message ?? String(e)).code as string
    }
  }, id)
  expect(code).toBe('campaign.slot_locked')
})

test('hostile Markdown never reaches the preview, and the drops are reported', async ({ page }) => {
  const dialogs: string[] = []
  page.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
  await openCampaigns(page, 'fr')
  await createCampaign(page, { name: uniqueName('Hostile') })
  const hostile = '<script>alert(1)</script>\n\nHello [x](javascript:alert(1)) <img src=x onerror=alert(1)>'
  await input(page, 'intro').fill(hostile)
  await saved(page)

  const problems = page.getByTestId('preview-problems')
  await expect(problems.locator('[data-code="render.raw_html_dropped"][data-slot="intro"]')).toHaveCount(1)
  await expect(problems.locator('[data-code="render.unsafe_link_dropped"][data-slot="intro"]')).toHaveCount(1)
  await expect(problems).toContainText('Intro')
  await expect(problems).toContainText('javascript:alert(1)')

  const frame = email(page)
  await expect(frame.locator('body')).toContainText('Hello')
  await expect(frame.locator('script')).toHaveCount(0)
  await expect(frame.locator('[onerror], [onload], [onclick]')).toHaveCount(0)
  await expect(frame.locator('a[href^="javascript"]')).toHaveCount(0)
  // What was typed stays in the field, as typed.
  await expect(input(page, 'intro')).toHaveValue(hostile)
  expect(dialogs).toEqual([])
})

test('an edit Go refuses shows its reason under the field and keeps the text until fixed', async ({ page }) => {
  await openCampaigns(page, 'fr')
  await createCampaign(page, { name: uniqueName('Too long') })
  const subject = input(page, 'subject')
  const long = 'Un objet beaucoup trop long pour une boîte de réception, vraiment beaucoup trop'
  await subject.fill(long)
  await expect(field(page, 'subject').getByTestId('slot-count')).toHaveText(`${[...long].length} / 70`)
  const error = field(page, 'subject').getByTestId('slot-error')
  await expect(error).toContainText(`HQ allows 70`)
  await expect(error).toHaveAttribute('data-code', 'campaign.too_long')
  await expect(subject).toHaveAttribute('aria-invalid', 'true')
  await expect(subject).toHaveValue(long)
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'error')
  // The email keeps the last subject Go accepted.
  await expect(page.getByTestId('preview-subject')).not.toHaveText(long)

  await subject.fill('Un objet court')
  await saved(page)
  await expect(error).toHaveCount(0)
  await expect(page.getByTestId('preview-subject')).toHaveText('Un objet court')
})

test('undo and redo walk back and forth through saved edits', async ({ page }) => {
  await openCampaigns(page, 'fr')
  await createCampaign(page, { name: uniqueName('Undo') })
  const headline = input(page, 'headline')
  await headline.fill('Première version')
  await saved(page)
  await headline.fill('Deuxième version')
  await saved(page)
  await expect(email(page).locator('body')).toContainText('Deuxième version')

  await page.keyboard.press('Control+z')
  await expect(headline).toHaveValue('Première version')
  await expect(email(page).locator('body')).toContainText('Première version')
  await expect(headline).toBeFocused()
  await page.keyboard.press('Control+Shift+z')
  await expect(headline).toHaveValue('Deuxième version')

  await page.getByTestId('undo').click()
  await expect(headline).toHaveValue('Première version')
  await page.getByTestId('undo').click()
  // Back to HQ's text, which the field offers again.
  await expect(field(page, 'headline')).toHaveAttribute('data-source', 'default')
  await expect(headline).toHaveValue('Nouvelle saison, nouveaux sentiers')
  await expect(page.getByTestId('undo')).toBeDisabled()
  await page.getByTestId('redo').click()
  await expect(headline).toHaveValue('Première version')
})

test('an image slot’s email crop is adjusted with the keyboard and kept for the campaign', async ({ page }) => {
  await openCampaigns(page, 'be')
  const name = uniqueName('Crop picks')
  await createCampaign(page, { template: 'promo', name })
  const slot = field(page, 'pick_1_image')
  const thumb = slot.getByTestId('picture')
  // Cut as the email cuts it: the slot's square around the focal point.
  await expect(thumb).toHaveAttribute('data-crop', /^[\d.]+,[\d.]+,[\d.]+,[\d.]+$/)
  const automatic = await thumb.getAttribute('data-crop')
  await expect(slot.getByTestId('image-crop-manual')).toHaveCount(0)

  await slot.getByTestId('image-crop').click()
  const dialog = page.getByTestId('crop-dialog')
  await expect(dialog).toBeVisible()
  const rect = dialog.getByTestId('crop-rect')
  await expect(rect).toBeFocused()
  await rect.press('-')
  await rect.press('ArrowDown')
  await expect(dialog.locator('[data-testid="crop-preset"][data-preset="email"]')).toHaveAttribute('data-manual', 'true')
  await expect(slot.getByTestId('image-crop-manual')).toBeAttached()
  await expect(page.getByTestId('save-status')).not.toHaveAttribute('data-state', /saving|error/)
  await dialog.getByTestId('crop-dialog-done').click()
  await expect(dialog).toHaveCount(0)

  // Saved with the campaign: there after a reload.
  await page.reload()
  await expect(field(page, 'pick_1_image').getByTestId('image-crop-manual')).toHaveText('Manual crop')
  await expect(field(page, 'pick_1_image').getByTestId('picture')).not.toHaveAttribute('data-crop', automatic!)

  // Back to automatic.
  await field(page, 'pick_1_image').getByTestId('image-crop').click()
  await page.getByTestId('crop-automatic').click()
  await expect(field(page, 'pick_1_image').getByTestId('image-crop-manual')).toHaveCount(0)
  await page.getByTestId('crop-dialog-done').click()
  await expect(field(page, 'pick_1_image').getByTestId('picture')).toHaveAttribute('data-crop', automatic!)
})

test('campaigns are renamed, duplicated and deleted from the list, with a confirmation', async ({ page }) => {
  await openCampaigns(page, 'fr')
  const name = uniqueName('Listed')
  const id = await createCampaign(page, { name, template: 'event' })
  await page.getByTestId('composer-back').click()
  await page.getByTestId('campaign-search').fill(name)
  await expect(page.getByTestId('campaign-row')).toHaveCount(1)
  const row = page.locator(`[data-testid="campaign-row"][data-id="${id}"]`)
  await expect(row.getByTestId('campaign-template')).toHaveText('Store event invitation')

  // Rename: Go refuses an empty name, in words.
  await row.getByTestId('row-menu').click()
  await page.getByTestId('row-rename').click()
  const renameDialog = page.getByTestId('rename-dialog')
  await expect(renameDialog.getByTestId('name-input')).toBeFocused()
  await renameDialog.getByTestId('name-input').fill('   ')
  await renameDialog.getByTestId('name-submit').click()
  await expect(renameDialog.getByTestId('name-error')).toContainText('at most 120 characters')
  await renameDialog.getByTestId('name-input').fill(`${name} (renamed)`)
  await renameDialog.getByTestId('name-submit').click()
  await expect(renameDialog).toHaveCount(0)
  await expect(row.getByTestId('row-menu')).toBeFocused()
  await page.getByTestId('campaign-search').fill(name)
  await expect(row.getByTestId('campaign-open')).toHaveText(`${name} (renamed)`)

  // Duplicate: a second draft.
  await row.getByTestId('row-menu').click()
  await page.getByTestId('row-duplicate').click()
  await expect(page.getByTestId('duplicate-dialog').getByTestId('name-input')).toHaveValue(`Copy of ${name} (renamed)`)
  await page.getByTestId('duplicate-dialog').getByTestId('name-submit').click()
  await expect(page.getByTestId('toast').filter({ hasText: 'Duplicated as' })).toContainText(`Duplicated as “Copy of ${name} (renamed)”`)
  await expect(page.getByTestId('campaign-row')).toHaveCount(2)

  // Delete asks first; Esc and Cancel keep it.
  await row.getByTestId('row-menu').click()
  await page.getByTestId('row-delete').click()
  const confirm = page.getByTestId('delete-dialog')
  await expect(confirm).toContainText(`Delete “${name} (renamed)”?`)
  await expect(confirm.getByTestId('confirm-cancel')).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(confirm).toHaveCount(0)
  await expect(page.getByTestId('campaign-row')).toHaveCount(2)
  await row.getByTestId('row-menu').click()
  await page.getByTestId('row-delete').click()
  await confirm.getByTestId('confirm-ok').click()
  await expect(row).toHaveCount(0)
  await expect(page.getByTestId('campaign-row')).toHaveCount(1)
  await page.goto(`/#/campaigns/${id}`)
  await expect(page.getByTestId('composer-error')).toContainText('no longer exists')

  // The status filter.
  await page.getByTestId('composer-back').click()
  await page.getByTestId('status-filter-changes_requested').click()
  await expect(page.getByTestId('campaigns-no-match')).toBeVisible()
  await page.getByTestId('status-filter-draft').click()
  await expect(page.getByTestId('campaign-row').first()).toBeVisible()
})

/** The composer's save delay (stores/campaigns.ts SAVE_DELAY_MS). */
const SAVE_DELAY = 400

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}

test('a keystroke reaches the preview quickly (reports p50/p95)', async ({ page }, info) => {
  test.setTimeout(120_000)
  await openCampaigns(page, 'fr')
  await createCampaign(page, { name: uniqueName('Latency') })
  const headline = input(page, 'headline')
  await headline.fill('Warm-up')
  await saved(page)
  await expect(email(page).locator('body')).toContainText('Warm-up')
  await page.evaluate(() => {
    const w = window as unknown as { lastKey: number }
    window.addEventListener('input', () => (w.lastKey = performance.now()), true)
  })
  /** The in-page marks of the last edit (User Timing, set by the store and the preview pane). */
  const marks = () =>
    page.evaluate(() => {
      const at = (n: string) => performance.getEntriesByName(n).pop()?.startTime ?? NaN
      return {
        key: (window as unknown as { lastKey: number }).lastKey,
        start: at('outpost:save-start'),
        saved: at('outpost:saved'),
        preview: at('outpost:preview'),
        frame: at('outpost:frame-load'),
      }
    })

  type Sample = { total: number; afterSave: number; save: number; preview: number; frame: number; debounce: number }
  const toSample = (m: Awaited<ReturnType<typeof marks>>): Sample => ({
    total: m.frame - m.key,
    debounce: m.start - m.key,
    save: m.saved - m.start,
    preview: m.preview - m.saved,
    frame: m.frame - m.preview,
    afterSave: m.frame - m.start,
  })
  const token = (i: number) => `Mesure ${i} ${Math.random().toString(36).slice(2, 8)}`

  // 1. In-page marks only: nothing touches the frame while it loads.
  const quiet: Sample[] = []
  for (let i = 0; i < 10; i++) {
    const text = token(i)
    await headline.fill(text.slice(0, -1))
    await headline.press(text.slice(-1))
    await page.waitForFunction(() => {
      const key = (window as unknown as { lastKey: number }).lastKey
      return (performance.getEntriesByName('outpost:frame-load').pop()?.startTime ?? 0) > key
    })
    quiet.push(toSample(await marks()))
    await expect(email(page).locator('body')).toContainText(text)
  }

  // 2. Polling the sandboxed frame's DOM from the test, as a person would see it.
  const polled: number[] = []
  const body = email(page).locator('body')
  for (let i = 0; i < 10; i++) {
    const text = token(i)
    await headline.fill(text.slice(0, -1))
    const t0 = Date.now()
    await headline.press(text.slice(-1))
    for (;;) {
      const seen = await body.textContent({ timeout: 5000 }).catch(() => '')
      if (seen?.includes(text)) break
      if (Date.now() - t0 > 10_000) throw new Error(`the preview never showed “${text}”`)
    }
    polled.push(Date.now() - t0)
  }

  const stat = (values: number[]) => {
    const s = [...values].sort((a, b) => a - b)
    return `p50 ${percentile(s, 50).toFixed(1)} ms, p95 ${percentile(s, 95).toFixed(1)} ms`
  }
  const of = (k: keyof Sample) => stat(quiet.map((x) => x[k]))
  const lines = [
    `keystroke → new frame loaded (in-page marks, incl. the ${SAVE_DELAY} ms debounce): ${of('total')}`,
    `  debounce (keystroke → save starts): ${of('debounce')}`,
    `  after the debounced save fires → new frame loaded: ${of('afterSave')}`,
    `    SetValue round trip: ${of('save')}`,
    `    Preview round trip: ${of('preview')}`,
    `    frame load (src set → load event): ${of('frame')}`,
    `keystroke → frame shows the text, polled from the test (incl. debounce and polling): ${stat(polled)}`,
  ]
  console.log(`Preview latency over ${quiet.length} + ${polled.length} edits:\n${lines.join('\n')}`)
  info.annotations.push({ type: 'preview latency', description: lines.join(' | ') })
  // A generous bound for a shared 2-core machine; the figures themselves are reported above.
  expect(percentile([...quiet.map((x) => x.afterSave)].sort((a, b) => a - b), 50)).toBeLessThan(500)
})

test('a newer library release is offered to a campaign, with what it changes, and the campaign moves to it', async ({ page }) => {
  const release = process.env.OUTPOST_E2E_RELEASE_OK
  test.skip(!release, 'set OUTPOST_E2E_RELEASE_OK to a release zip signed with the sample key, version 2')
  test.setTimeout(120_000)
  await openCampaigns(page, 'fr')
  const status = (await page.getByTestId('status-library-name').textContent()) ?? ''
  test.skip(!/release 1$/.test(status), 'needs the library at release 1 to make a campaign older than release 2')
  const id = await createCampaign(page, { name: uniqueName('Rebase') })
  await expect(page.getByTestId('composer-release')).toHaveText('Library release 1')
  await expect(page.getByTestId('rebase-banner')).toHaveCount(0)

  // HQ's release 2 arrives (the native file picker replaced, the real import runs).
  await page.evaluate((p) => {
    const bridge = window as unknown as { go: { app: { LibraryService: { ChooseReleaseFile: () => Promise<string> } } } }
    bridge.go.app.LibraryService.ChooseReleaseFile = () => Promise.resolve(p)
  }, release!)
  await page.getByTestId('nav-library').click()
  await page.getByTestId('import-button').click()
  await page.getByTestId('import-from-zip').click()
  await expect(page.getByTestId('status-library-name')).toContainText('release 2', { timeout: 60_000 })

  await page.getByTestId('nav-campaigns').click()
  const row = page.locator(`[data-testid="campaign-row"][data-id="${id}"]`)
  await expect(row.getByTestId('campaign-rebase')).toHaveText('New release')
  await row.getByTestId('campaign-open').click()
  const banner = page.getByTestId('rebase-banner')
  await expect(banner).toContainText('Library release 2 is available. This campaign uses release 1.')
  await expect(banner).toContainText(/Nothing you wrote changes\.|Moving to it changes \d+ things?\./)
  await banner.getByTestId('rebase-button').click()
  await expect(page.getByTestId('toast').filter({ hasText: 'now uses library release 2' })).toBeVisible()
  await expect(banner).toHaveCount(0)
  await expect(page.getByTestId('composer-release')).toHaveText('Library release 2')
})
