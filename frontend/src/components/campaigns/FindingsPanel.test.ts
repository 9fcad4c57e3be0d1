import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import type { CheckReport, Finding } from '../../api/campaigns'
import { useCampaignsStore } from '../../stores/campaigns'
import FindingsPanel from './FindingsPanel.vue'
import { campaignOf, formSlot, mountWith, type Mounted } from './testing'

let m: Mounted | null = null

afterEach(() => {
  m?.unmount()
  m = null
})

const q = (sel: string) => m!.root.querySelector<HTMLElement>(sel)
const all = (sel: string) => [...m!.root.querySelectorAll<HTMLElement>(sel)]
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim()

function finding(extra: Partial<Finding>): Finding {
  const code = extra.code ?? 'brandcheck.word_restricted'
  return { rule: 'r', severity: 'error', locale: '', slot: '', code, hint: `${code}_hint`, params: {}, ...extra }
}

function report(findings: Finding[]): CheckReport {
  const errors = findings.filter((f) => f.severity === 'error').length
  return {
    findings,
    errors,
    warnings: findings.length - errors,
    ready: errors === 0,
    receipt: { rulesSha256: 'a'.repeat(64), campaignSha256: 'b'.repeat(64), findingsSha256: 'c'.repeat(64), today: '2026-11-22', version: 1 },
  }
}

async function mountPanel(r: CheckReport | null) {
  m = await mountWith(FindingsPanel, {}, () => {
    const store = useCampaignsStore()
    store.current = campaignOf([formSlot('headline', { label: { en: 'Headline', fr: 'Titre' } }), formSlot('intro')], {})
    store.activeLocale = 'fr'
    store.check = r
  })
  return useCampaignsStore()
}

describe('FindingsPanel', () => {
  it('counts errors and warnings', async () => {
    await mountPanel(
      report([
        finding({ severity: 'warning', code: 'brandcheck.emoji', params: { count: '4', max: '2' } }),
        finding({ locale: 'fr', slot: 'headline', params: { found: 'gratuit', term: 'gratuit' } }),
        finding({ slot: 'audience', code: 'brandcheck.audience_missing' }),
      ]),
    )
    expect(text(q('[data-testid="findings-errors"]'))).toBe('2 errors')
    expect(text(q('[data-testid="findings-warnings"]'))).toBe('1 warning')
    // Errors first.
    expect(all('[data-testid="finding"]').map((x) => x.dataset.severity)).toEqual(['error', 'error', 'warning'])
  })

  it('shows each finding’s locale, field, message and hint', async () => {
    await mountPanel(report([finding({ locale: 'fr', slot: 'headline', params: { found: 'gratuit', term: 'gratuit' } })]))
    const f = q('[data-testid="finding"]')!
    expect(text(f.querySelector('[data-testid="finding-locale"]'))).toBe('FR')
    expect(text(f.querySelector('[data-testid="finding-slot"]'))).toBe('Headline')
    expect(text(f.querySelector('[data-testid="finding-message"]'))).toBe('“gratuit” is on HQ\'s list of words not to use (“gratuit”).')
    expect(text(f.querySelector('[data-testid="finding-hint"]'))).toBe('Rephrase without “gratuit”; HQ\'s tone of voice has approved wording.')
    expect(text(f.querySelector('.sr-only'))).toBe('Error')
  })

  it('names pseudo-slots and campaign-wide findings in words', async () => {
    await mountPanel(
      report([
        finding({ slot: 'audience', code: 'brandcheck.audience_missing' }),
        finding({ slot: 'sendAt', code: 'brandcheck.send_at_missing' }),
        finding({ locale: 'fr', slot: 'footer', code: 'brandcheck.footer_missing', params: { country: 'FR' } }),
        finding({ locale: 'fr', slot: 'unsubscribe', code: 'brandcheck.unsubscribe_missing' }),
        finding({ locale: 'fr', slot: '', code: 'brandcheck.html_too_heavy', params: { bytes: '1', max: '2' } }),
      ]),
    )
    expect(all('[data-testid="finding-slot"]').map(text)).toEqual(['Audience', 'Send date', 'Legal footer', 'Unsubscribe link', 'Whole email'])
    expect(text(all('[data-testid="finding-locale"]')[0])).toBe('All languages')
  })

  it('says so when a code has no words, instead of showing a key', async () => {
    await mountPanel(report([finding({ code: 'brandcheck.something_new', hint: 'brandcheck.something_new_hint' })]))
    expect(text(q('[data-testid="finding-message"]'))).toContain('brandcheck.something_new')
    expect(q('[data-testid="finding-hint"]')).toBeNull()
  })

  it('clicking a finding reveals it in the form', async () => {
    const store = await mountPanel(report([finding({ locale: 'en', slot: 'headline' })]))
    const reveal = vi.spyOn(store, 'revealFinding')
    q('[data-testid="finding"]')!.click()
    await nextTick()
    expect(reveal).toHaveBeenCalledWith(expect.objectContaining({ locale: 'en', slot: 'headline' }))
    expect(store.activeLocale).toBe('en')
    expect(store.focusRequest?.key).toBe('en/headline')
  })

  it('links to the full report, and says when nothing is left to fix', async () => {
    await mountPanel(report([]))
    expect(q('[data-testid="findings-report"]')!.getAttribute('href')).toBe('#/campaigns/c1/check')
    expect(q('[data-testid="findings-empty"]')).not.toBeNull()
    expect(text(q('[data-testid="findings-errors"]'))).toBe('0 errors')
  })

  it('waits for the first check', async () => {
    await mountPanel(null)
    expect(text(q('[data-testid="findings-panel"]'))).toBe('Checking…')
  })
})
