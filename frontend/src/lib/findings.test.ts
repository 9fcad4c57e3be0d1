import { describe, expect, it } from 'vitest'
import { toCheckReport, type Finding } from '../api/campaigns'
import { campaignOf, formSlot } from '../components/campaigns/testing'
import { groupFindings, shortHash } from './findings'

const f = (locale: string, slot: string, severity: Finding['severity'] = 'error'): Finding => ({ rule: 'r', severity, locale, slot, code: 'brandcheck.x', hint: '', params: {} })

describe('toCheckReport', () => {
  it('reads Go’s report, defaulting what is missing', () => {
    const r = toCheckReport({
      findings: [{ rule: 'w', severity: 'warning', locale: 'fr', slot: 'headline', code: 'brandcheck.emoji', hint: 'brandcheck.emoji_hint', params: { count: '3' } }, { code: '' }, null],
      errors: 0,
      warnings: 1,
      ready: true,
      receipt: { rulesSha256: 'ab', campaignSha256: 'cd', findingsSha256: 'ef', today: '2026-11-22', version: 1 },
    })
    expect(r.findings).toEqual([{ rule: 'w', severity: 'warning', locale: 'fr', slot: 'headline', code: 'brandcheck.emoji', hint: 'brandcheck.emoji_hint', params: { count: '3' } }])
    expect(r.ready).toBe(true)
    expect(r.receipt.today).toBe('2026-11-22')
    const empty = toCheckReport({ findings: [{ code: 'brandcheck.x', severity: 'odd' }] })
    expect(empty.findings[0]?.severity).toBe('error')
    expect(empty.errors).toBe(1)
    expect(empty.ready).toBe(false)
  })
})

describe('groupFindings', () => {
  it('groups by locale (whole campaign first, then the campaign’s order), then by slot in the form’s order', () => {
    const c = campaignOf([formSlot('subject'), formSlot('headline')], {})
    const groups = groupFindings([f('en', 'headline'), f('fr', 'footer'), f('fr', 'headline', 'warning'), f('', 'audience'), f('fr', 'subject'), f('fr', 'headline')], c)
    expect(groups.map((g) => g.key)).toEqual(['', 'fr', 'en'])
    expect(groups[1]!.items.map((g) => g.key)).toEqual(['subject', 'headline', 'footer'])
    expect(groups[1]!.items[1]!.items.map((x) => x.severity)).toEqual(['error', 'warning'])
  })

  it('shortens hashes', () => {
    expect(shortHash('0123456789abcdef')).toBe('0123456789ab')
  })
})
