import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../api/campaigns'
import type { Campaign, CheckReport, Finding, FormSlot, Preview, Resolved } from '../api/campaigns'
import { SAVE_DELAY_MS, useCampaignsStore } from './campaigns'

vi.mock('../api/campaigns', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/campaigns')>()),
  listCampaigns: vi.fn(),
  createCampaign: vi.fn(),
  getCampaign: vi.fn(),
  setValue: vi.fn(),
  setAudience: vi.fn(),
  setSendAt: vi.fn(),
  renameCampaign: vi.fn(),
  duplicateCampaign: vi.fn(),
  deleteCampaign: vi.fn(),
  planRebase: vi.fn(),
  rebaseCampaign: vi.fn(),
  getPreview: vi.fn(),
  checkCampaign: vi.fn(),
}))

const slot = (id: string, extra: Partial<FormSlot> = {}): FormSlot => ({
  id,
  kind: 'text',
  lock: 'editable',
  label: { en: id },
  help: {},
  options: [],
  limits: { required: false, maxLength: 60, minWidth: 0, minHeight: 0, aspect: '', locales: [] },
  ...extra,
})

const hq: Record<string, string> = { headline: 'New season', subject: 'Hello' }

/**
 * A fake CampaignService over one campaign in fr and en: values typed per
 * locale, HQ's defaults, fr as the fallback, and a rev per saved edit.
 */
function fakeBackend() {
  const stored: Record<string, Record<string, string>> = { fr: {}, en: {} }
  let rev = 1
  let audience = ''
  const resolve = (locale: string, id: string): Resolved => {
    const own = stored[locale]?.[id]
    const base = { slot: id, kind: 'text' as const, lock: 'editable' as const, option: '' }
    if (own) return { ...base, value: own, text: own, source: 'own' }
    if (locale !== 'fr' && stored.fr?.[id]) return { ...base, value: stored.fr[id]!, text: stored.fr[id]!, source: 'fallback' }
    return hq[id] ? { ...base, value: hq[id]!, text: hq[id]!, source: 'default' } : { ...base, value: '', text: '', source: 'empty' }
  }
  const view = (): Campaign => ({
    id: 'c1',
    name: 'Spring',
    library: 'cairn',
    release: 1,
    latest: 1,
    template: 'newsletter',
    templateName: { en: 'Newsletter' },
    region: 'be',
    regionName: {},
    locales: ['fr', 'en'],
    audience,
    sendAt: '',
    status: 'draft',
    author: '',
    created: '',
    updated: '',
    rev,
    crops: {},
    slots: [slot('subject'), slot('headline')],
    scopes: [{ id: 'club', name: {}, description: {} }],
    translation: ['fr', 'en'].map((l) => ({
      locale: l,
      untranslated: ['subject', 'headline'].filter((id) => resolve(l, id).source === 'fallback'),
    })),
    sender: {},
    values: Object.fromEntries(['fr', 'en'].map((l) => [l, { subject: resolve(l, 'subject'), headline: resolve(l, 'headline') }])),
    signOff: null,
    signOffVoided: false,
    submission: '',
    hqComments: [],
  })
  vi.mocked(api.getCampaign).mockImplementation(async () => view())
  vi.mocked(api.setValue).mockImplementation(async (_id, locale, id, value) => {
    if (value.length > 60) throw new Error(JSON.stringify({ kind: 'invalid', code: 'campaign.too_long', params: { slot: id, length: String(value.length), max: '60' } }))
    if (value) stored[locale]![id] = value
    else delete stored[locale]![id]
    rev++
    return view()
  })
  vi.mocked(api.setAudience).mockImplementation(async (_id, scope) => {
    if (scope !== 'club' && scope !== '') throw new Error(JSON.stringify({ kind: 'invalid', code: 'campaign.audience_invalid', params: {} }))
    audience = scope
    rev++
    return view()
  })
  vi.mocked(api.getPreview).mockImplementation(
    async (_id, locale): Promise<Preview> => ({
      url: `/campaign/preview/c1/${locale}?rev=${rev}`,
      rev,
      locale,
      sender: 'Cairn',
      from: 'news@example.com',
      subject: resolve(locale, 'subject').text,
      preheader: '',
      text: resolve(locale, 'headline').text,
      bytes: 1000,
      clipped: false,
      problems: [],
    }),
  )
  // HQ's rules: "gratuit" is not to be used in French; an audience is needed.
  vi.mocked(api.checkCampaign).mockImplementation(async () => report(checkFindings()))
  function checkFindings(): Finding[] {
    const out: Finding[] = []
    if (/gratuit/i.test(resolve('fr', 'headline').text)) out.push(finding({ locale: 'fr', slot: 'headline', code: 'brandcheck.word_restricted' }))
    if (!audience) out.push(finding({ slot: 'audience', code: 'brandcheck.audience_missing' }))
    return out
  }
  return { stored, checkFindings }
}

function finding(extra: Partial<Finding> = {}): Finding {
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

async function openStore() {
  const store = useCampaignsStore()
  await store.open('c1')
  await vi.waitFor(() => expect(store.preview).not.toBeNull())
  return store
}

beforeEach(() => {
  setActivePinia(createPinia())
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
})

afterEach(() => vi.useRealTimers())

describe('the campaign list', () => {
  it('loads with the query and drops answers of older searches', async () => {
    const store = useCampaignsStore()
    let answerFirst: (v: api.CampaignList) => void = () => {}
    vi.mocked(api.listCampaigns)
      .mockImplementationOnce(() => new Promise((r) => (answerFirst = r)))
      .mockResolvedValueOnce({ items: [], total: 3, damaged: [] })
    const first = store.loadList()
    store.setText('spring')
    await vi.waitFor(() => expect(store.total).toBe(3))
    answerFirst({ items: [], total: 99, damaged: [] })
    await first
    expect(store.total).toBe(3)
    expect(vi.mocked(api.listCampaigns).mock.calls[1]![0]).toEqual({ text: 'spring', status: '' })
    expect(store.hasFilters).toBe(true)
  })

  it('keeps the reason a load failed', async () => {
    const store = useCampaignsStore()
    vi.mocked(api.listCampaigns).mockRejectedValue(new Error(JSON.stringify({ kind: 'unavailable', code: 'cache.unavailable' })))
    await store.loadList()
    expect(store.listError?.code).toBe('cache.unavailable')
  })

  it('removes a deleted campaign at once', async () => {
    const store = useCampaignsStore()
    const row = { id: 'c1', name: 'A', template: 't', templateName: {}, status: 'draft', region: 'fr', locales: ['fr'], release: 1, rebase: false, author: '', updated: '', sendAt: '' }
    vi.mocked(api.listCampaigns).mockResolvedValue({ items: [row], total: 1, damaged: [] })
    await store.loadList()
    vi.mocked(api.deleteCampaign).mockResolvedValue()
    vi.mocked(api.listCampaigns).mockResolvedValue({ items: [], total: 0, damaged: [] })
    await store.remove('c1')
    expect(store.items).toEqual([])
    expect(store.total).toBe(0)
  })
})

describe('the composer', () => {
  it('opens a campaign on its default locale with its preview', async () => {
    fakeBackend()
    const store = await openStore()
    expect(store.current?.id).toBe('c1')
    expect(store.activeLocale).toBe('fr')
    expect(store.preview?.url).toBe('/campaign/preview/c1/fr?rev=1')
    expect(store.saveState).toBe('idle')
  })

  it('saves once typing pauses, then refreshes the preview', async () => {
    fakeBackend()
    const store = await openStore()
    store.edit('fr', 'headline', 'Prin')
    store.edit('fr', 'headline', 'Printemps')
    expect(store.drafts['fr/headline']).toBe('Printemps')
    expect(store.saveState).toBe('pending')
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS - 1)
    expect(api.setValue).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    await vi.waitFor(() => expect(store.saveState).toBe('saved'))
    expect(api.setValue).toHaveBeenCalledTimes(1)
    expect(api.setValue).toHaveBeenCalledWith('c1', 'fr', 'headline', 'Printemps')
    expect(store.current?.values.fr?.headline?.source).toBe('own')
    await vi.waitFor(() => expect(store.preview?.rev).toBe(2))
    expect(store.preview?.text).toBe('Printemps')
  })

  it('saves at once when a field loses focus', async () => {
    fakeBackend()
    const store = await openStore()
    store.edit('fr', 'subject', 'Bonjour')
    await store.commit('fr', 'subject')
    expect(api.setValue).toHaveBeenCalledWith('c1', 'fr', 'subject', 'Bonjour')
  })

  it('keeps refused text in the field with Go’s reason until it is fixed', async () => {
    fakeBackend()
    const store = await openStore()
    const long = 'x'.repeat(61)
    store.edit('fr', 'subject', long)
    await store.flush()
    expect(store.fieldErrors['fr/subject']?.code).toBe('campaign.too_long')
    expect(store.drafts['fr/subject']).toBe(long)
    expect(store.saveState).toBe('error')
    expect(store.errorCount).toBe(1)
    expect(store.canUndo).toBe(false)

    store.edit('fr', 'subject', 'Short')
    await store.flush()
    expect(store.fieldErrors['fr/subject']).toBeUndefined()
    expect(store.saveState).toBe('saved')
  })

  it('saves what was typed before switching locale', async () => {
    fakeBackend()
    const store = await openStore()
    store.edit('fr', 'headline', 'Bonjour')
    await store.setActiveLocale('en')
    expect(api.setValue).toHaveBeenCalledWith('c1', 'fr', 'headline', 'Bonjour')
    expect(store.activeLocale).toBe('en')
    await vi.waitFor(() => expect(store.current?.values.en?.headline?.source).toBe('fallback'))
    expect(store.current?.translation.find((t) => t.locale === 'en')?.untranslated).toEqual(['headline'])
    await vi.waitFor(() => expect(store.preview?.locale).toBe('en'))
  })

  it('undoes and redoes saved edits through SetValue', async () => {
    fakeBackend()
    const store = await openStore()
    store.edit('fr', 'headline', 'One')
    await store.flush()
    store.edit('fr', 'headline', 'Two')
    await store.flush()
    expect(store.canUndo).toBe(true)

    await store.undo()
    expect(api.setValue).toHaveBeenLastCalledWith('c1', 'fr', 'headline', 'One')
    expect(store.current?.values.fr?.headline?.value).toBe('One')
    expect(store.drafts['fr/headline']).toBeUndefined()
    expect(store.focusRequest?.key).toBe('fr/headline')

    await store.undo()
    // Back to nothing of its own: HQ's text again.
    expect(api.setValue).toHaveBeenLastCalledWith('c1', 'fr', 'headline', '')
    expect(store.current?.values.fr?.headline?.source).toBe('default')
    expect(store.canUndo).toBe(false)
    expect(store.canRedo).toBe(true)

    await store.redo()
    await store.redo()
    expect(store.current?.values.fr?.headline?.value).toBe('Two')
    expect(store.canRedo).toBe(false)
  })

  it('undo saves what is still being typed first, then undoes it', async () => {
    fakeBackend()
    const store = await openStore()
    store.edit('fr', 'headline', 'Typed')
    await store.undo()
    expect(vi.mocked(api.setValue).mock.calls.map((c) => c[3])).toEqual(['Typed', ''])
    expect(store.current?.values.fr?.headline?.source).toBe('default')
  })

  it('undo goes to the locale of the edit it reverts', async () => {
    fakeBackend()
    const store = await openStore()
    store.edit('fr', 'headline', 'Bonjour')
    await store.flush()
    await store.setActiveLocale('en')
    await store.undo()
    expect(store.activeLocale).toBe('fr')
  })

  it('a failed undo stays undoable and says why', async () => {
    fakeBackend()
    const store = await openStore()
    store.edit('fr', 'headline', 'One')
    await store.flush()
    vi.mocked(api.setValue).mockRejectedValueOnce(new Error(JSON.stringify({ kind: 'invalid', code: 'campaign.not_editable', params: { status: 'submitted' } })))
    await store.undo()
    expect(store.historyError?.code).toBe('campaign.not_editable')
    expect(store.canUndo).toBe(true)
    expect(store.canRedo).toBe(false)
  })

  it('saves the audience at once and keeps a refusal on its field', async () => {
    fakeBackend()
    const store = await openStore()
    expect(store.saveState).toBe('idle')
    expect(await store.chooseAudience('club')).toBe(true)
    expect(store.current?.audience).toBe('club')
    // A first edit that is the audience still says "Saved".
    expect(store.saveState).toBe('saved')
    expect(await store.chooseAudience('nope')).toBe(false)
    expect(store.fieldErrors.audience?.code).toBe('campaign.audience_invalid')
    expect(store.saveState).toBe('error')
  })

  it('never lets an older answer roll the form back', async () => {
    fakeBackend()
    const store = await openStore()
    const stale = { ...store.current!, rev: 0, name: 'Old' }
    vi.mocked(api.renameCampaign).mockResolvedValue(stale)
    vi.mocked(api.listCampaigns).mockResolvedValue({ items: [], total: 1, damaged: [] })
    await store.rename('c1', 'Old')
    expect(store.current?.name).toBe('Spring')
  })

  it('offers a rebase with its plan, and applies it', async () => {
    fakeBackend()
    const base = await api.getCampaign('c1')
    vi.mocked(api.getCampaign).mockResolvedValue({ ...base, latest: 2 })
    vi.mocked(api.planRebase).mockResolvedValue({ from: 1, to: 2, changes: [{ kind: 'slot_added', slot: 'ps', locale: '', value: '', code: '' }] })
    vi.mocked(api.rebaseCampaign).mockResolvedValue({ ...base, release: 2, latest: 2, rev: 9 })
    vi.mocked(api.listCampaigns).mockResolvedValue({ items: [], total: 1, damaged: [] })
    const store = await openStore()
    expect(store.rebaseAvailable).toBe(true)
    await vi.waitFor(() => expect(store.plan?.changes).toHaveLength(1))
    store.edit('fr', 'headline', 'Kept')
    expect(await store.rebase()).toBe(true)
    // What was typed was saved before the move.
    expect(api.setValue).toHaveBeenCalledWith('c1', 'fr', 'headline', 'Kept')
    expect(store.rebaseAvailable).toBe(false)
    expect(store.plan).toBeNull()
    expect(store.canUndo).toBe(false)
  })

  it('opening another campaign saves the first and starts clean', async () => {
    fakeBackend()
    const store = await openStore()
    store.edit('fr', 'headline', 'Unsaved')
    const other = { ...(await api.getCampaign('c1')), id: 'c2', name: 'Other' }
    vi.mocked(api.getCampaign).mockResolvedValueOnce(other)
    await store.open('c2')
    expect(api.setValue).toHaveBeenCalledWith('c1', 'fr', 'headline', 'Unsaved')
    expect(store.current?.id).toBe('c2')
    expect(store.drafts).toEqual({})
    expect(store.canUndo).toBe(false)
  })
})

describe('the brand check', () => {
  it('checks the campaign when it opens', async () => {
    fakeBackend()
    const store = await openStore()
    await vi.waitFor(() => expect(store.check).not.toBeNull())
    expect(api.checkCampaign).toHaveBeenCalledWith('c1')
    expect(store.check?.errors).toBe(1)
    expect(store.check?.findings[0]?.slot).toBe('audience')
  })

  it('checks again after every saved edit and setting', async () => {
    fakeBackend()
    const store = await openStore()
    await vi.waitFor(() => expect(store.check?.errors).toBe(1))
    store.edit('fr', 'headline', 'Un sac gratuit')
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS)
    await vi.waitFor(() => expect(store.check?.errors).toBe(2))
    expect(store.check?.findings.some((f) => f.slot === 'headline' && f.locale === 'fr')).toBe(true)
    await store.chooseAudience('club')
    await vi.waitFor(() => expect(store.check?.errors).toBe(1))
    store.edit('fr', 'headline', 'Un sac offert')
    await store.commit('fr', 'headline')
    await vi.waitFor(() => expect(store.check?.ready).toBe(true))
    expect(store.check?.findings).toEqual([])
  })

  it('keeps only the newest answer when checks overlap', async () => {
    fakeBackend()
    const store = await openStore()
    await vi.waitFor(() => expect(store.check).not.toBeNull())
    let answerOld: (r: CheckReport) => void = () => {}
    let answerNew: (r: CheckReport) => void = () => {}
    vi.mocked(api.checkCampaign)
      .mockImplementationOnce(() => new Promise((r) => (answerOld = r)))
      .mockImplementationOnce(() => new Promise((r) => (answerNew = r)))
    const older = store.refreshCheck()
    const newer = store.refreshCheck()
    expect(store.checking).toBe(true)
    answerNew(report([]))
    await newer
    expect(store.check?.ready).toBe(true)
    expect(store.checking).toBe(false)
    answerOld(report([finding(), finding()]))
    await older
    expect(store.check?.errors).toBe(0)
  })

  it('keeps why a check failed, and forgets it with the campaign', async () => {
    fakeBackend()
    const store = await openStore()
    await vi.waitFor(() => expect(store.check).not.toBeNull())
    vi.mocked(api.checkCampaign).mockRejectedValueOnce(new Error(JSON.stringify({ kind: 'internal', code: 'internal.unexpected', params: {} })))
    await store.refreshCheck()
    expect(store.checkError?.code).toBe('internal.unexpected')
    await store.refreshCheck()
    expect(store.checkError).toBeNull()
  })

  it('reveals a finding: its locale, then its field', async () => {
    fakeBackend()
    const store = await openStore()
    store.revealFinding(finding({ locale: 'en', slot: 'headline' }))
    expect(store.activeLocale).toBe('en')
    expect(store.focusRequest?.key).toBe('en/headline')
    const n = store.focusRequest!.n
    store.revealFinding(finding({ locale: 'en', slot: 'headline' }))
    expect(store.focusRequest?.n).toBe(n + 1)
    // A campaign-wide finding on a slot stays in the locale shown.
    store.revealFinding(finding({ locale: '', slot: 'subject' }))
    expect(store.focusRequest?.key).toBe('en/subject')
    store.revealFinding(finding({ slot: 'audience', code: 'brandcheck.audience_missing' }))
    expect(store.focusRequest?.key).toBe('audience')
    store.revealFinding(finding({ slot: 'sendAt', code: 'brandcheck.send_at_missing' }))
    expect(store.focusRequest?.key).toBe('sendAt')
    // The legal footer has no field: only the locale changes.
    store.revealFinding(finding({ locale: 'fr', slot: 'footer', code: 'brandcheck.footer_missing' }))
    expect(store.activeLocale).toBe('fr')
    expect(store.focusRequest?.key).toBe('sendAt')
  })
})
