// The brand check against the real backend and the sample library's rules:
// a restricted word in a French promo shows as an error on its field,
// clicking it focuses the field, fixing it clears it, and once the
// delivery and the required fields are filled the campaign is ready for
// sign-off, with a full report and its receipt, whose findings lead back to
// their fields, and its asset pack exports (it could not while errors were
// left).
import { createCampaign, expectNoErrors, fillDelivery, findingsText, input, saved, uniqueName } from './composer'
import { DEFAULTS, expect, saveSettings, test, waitForLibrary } from './fixtures'

test('a restricted word shows on its field, is fixed, and the campaign becomes ready for sign-off', async ({ page }) => {
  test.setTimeout(90_000)
  await waitForLibrary(page)
  await saveSettings(page, { ...DEFAULTS, region: 'fr' })
  await page.goto('/#/campaigns')
  await page.reload()
  await expect(page.getByTestId('view-title')).toHaveText('Campaigns')

  const name = uniqueName('Summer sale')
  const id = await createCampaign(page, { template: 'promo', region: 'fr', name })

  // A fresh campaign has errors: the badge says how many.
  const badge = page.getByTestId('check-badge')
  await expect(badge).toHaveAttribute('data-ready', 'false')
  await expect(badge).toHaveText(/\d+ errors? to fix/)

  await page.getByTestId('preview-tab-check').click()
  const panel = page.getByTestId('findings-panel')
  await expect(panel.getByTestId('findings-counts')).toBeVisible()

  // A word HQ doesn't allow in French.
  await page.getByTestId('locale-tab-fr').click()
  await input(page, 'headline').fill('Un sac gratuit')
  await saved(page)
  const headline = panel.locator('[data-testid="finding"][data-slot="headline"][data-severity="error"][data-code="brandcheck.word_restricted"]')
  await expect(headline).toHaveCount(1)
  await expect(headline.getByTestId('finding-slot')).toHaveText('Headline')
  await expect(headline.getByTestId('finding-message')).toContainText('gratuit')
  await expect(headline.getByTestId('finding-hint')).not.toBeEmpty()

  // Clicking it leads to the field.
  await input(page, 'subject').focus()
  await headline.click()
  await expect(input(page, 'headline')).toBeFocused()

  await input(page, 'headline').fill('Un sac offert')
  await saved(page)
  await expect(panel.locator('[data-testid="finding"][data-slot="headline"][data-code="brandcheck.word_restricted"]')).toHaveCount(0)

  // The full report leads back to each finding's field, and its errors
  // block the campaign's asset pack.
  await panel.getByTestId('findings-report').click()
  await expect(page).toHaveURL(new RegExp(`#/campaigns/${id}/check$`))
  await expect(page.getByTestId('check-report-export')).toBeDisabled()
  const offerEnd = page.locator('[data-testid="check-report-slot"][data-slot="offer_end"]')
  await offerEnd.getByTestId('check-report-reveal').first().click()
  await expect(page).toHaveURL(new RegExp(`#/campaigns/${id}$`))
  await expect(input(page, 'offer_end')).toBeFocused()
  await page.getByTestId('preview-tab-check').click()

  // Delivery and the required fields left empty.
  await fillDelivery(page)
  await expectNoErrors(page)
  await expect(badge).toHaveText('Ready for sign-off')
  await expect(badge).toHaveAttribute('data-ready', 'true')
  const warnings = await findingsText(page)
  if (warnings) console.log(`Warnings left:\n${warnings}`)

  // The full report, with its receipt.
  await panel.getByTestId('findings-report').click()
  await expect(page).toHaveURL(new RegExp(`#/campaigns/${id}/check$`))
  await expect(page.getByTestId('check-report-verdict')).toHaveText('Ready for sign-off')
  await expect(page.getByTestId('check-receipt-rules')).toHaveText(/^[0-9a-f]{12}$/)
  await expect(page.getByTestId('check-receipt-campaign')).toHaveText(/^[0-9a-f]{12}$/)
  await expect(page.getByTestId('check-receipt-date')).not.toBeEmpty()

  // Clean, the campaign's pictures export as an asset pack.
  await page.getByTestId('check-report-export').click()
  await expect(page).toHaveURL(/#\/packs$/)
  await expect(page.getByTestId('pack-done')).toBeVisible({ timeout: 90_000 })
  await expect(page.getByTestId('pack-failed')).toHaveText('None')
})
