// Helpers for specs that write a campaign in the composer: its fields, the
// save state, a delivery HQ's rules accept, and the brand check's findings.
import type { Locator, Page } from '@playwright/test'
import { expect } from './fixtures'

/** A campaign name no earlier run has used. */
export function uniqueName(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`
}

export function field(page: Page, slot: string): Locator {
  return page.locator(`[data-testid="slot-field"][data-slot="${slot}"]`)
}

export function input(page: Page, slot: string): Locator {
  return field(page, slot).getByTestId('slot-input')
}

/** Waits until the last edit is saved. */
export async function saved(page: Page) {
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved')
}

/** Next year's first Tuesday, as "YYYY-MM-DD" (a weekday HQ sends on). */
export function nextYearFirstTuesday(): string {
  const d = new Date(Date.UTC(new Date().getFullYear() + 1, 0, 1))
  while (d.getUTCDay() !== 2) d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

export function plusDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** The findings panel's findings as text, to say what is left when a test fails. */
export async function findingsText(page: Page): Promise<string> {
  return (await page.getByTestId('finding').evaluateAll((els) =>
    els.map((e) => `${(e as HTMLElement).dataset.severity} ${(e as HTMLElement).dataset.locale}/${(e as HTMLElement).dataset.slot} ${(e as HTMLElement).dataset.code}: ${e.textContent?.replace(/\s+/g, ' ').trim()}`),
  )).join('\n')
}

/**
 * Creates a campaign from the Campaigns page and opens it in the composer;
 * returns its id.
 */
export async function createCampaign(page: Page, opts: { template: string; region: string; name: string }): Promise<string> {
  await page.getByTestId('new-campaign').first().click()
  const dialog = page.getByTestId('new-campaign-dialog')
  await dialog.locator(`[data-testid="template-option"][data-id="${opts.template}"]`).click()
  await dialog.getByTestId('new-campaign-region').selectOption(opts.region)
  await dialog.getByTestId('new-campaign-name').fill(opts.name)
  await dialog.getByTestId('new-campaign-submit').click()
  await expect(page).toHaveURL(/#\/campaigns\/[0-9a-f]{24}$/)
  await expect(page.getByTestId('view-title')).toHaveText(opts.name)
  return /#\/campaigns\/([0-9a-f]{24})$/.exec(page.url())![1]!
}

/**
 * Fills what a fresh promo leaves for the office: the audience, a send
 * date HQ allows, the offer's end a week later, and a choice for every
 * choice slot still without one.
 */
export async function fillDelivery(page: Page) {
  const day = nextYearFirstTuesday()
  await page.locator('[data-testid="audience-option"][data-id="club-members"]').click()
  await page.getByTestId('send-at').fill(`${day}T09:30`)
  await saved(page)
  await input(page, 'offer_end').fill(plusDays(day, 7))
  await input(page, 'offer_end').blur()
  await saved(page)
  for (const slot of ['season', 'hero', 'cta']) {
    const f = field(page, slot)
    if ((await f.count()) === 0) continue
    const choices = f.getByTestId('slot-option')
    if ((await choices.count()) > 0 && (await f.locator('input[type="radio"]:checked').count()) === 0) {
      await choices.first().click()
      await saved(page)
    }
  }
}

/** Expects the findings panel (open) to list no error; prints what is left if it does. */
export async function expectNoErrors(page: Page) {
  const errors = page.getByTestId('findings-panel').locator('[data-testid="finding"][data-severity="error"]')
  try {
    await expect(errors).toHaveCount(0)
  } catch (e) {
    console.log(`Findings left:\n${await findingsText(page)}`)
    throw e
  }
}
