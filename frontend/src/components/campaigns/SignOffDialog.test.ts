import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp, nextTick, type App } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import * as api from '../../api/campaigns'
import * as outboxApi from '../../api/outbox'
import { createAppI18n } from '../../i18n'
import { routes } from '../../router'
import { useCampaignsStore } from '../../stores/campaigns'
import ComposerView from '../../views/campaigns/ComposerView.vue'
import { campaignOf, formSlot, resolved } from './testing'
import { outboxItem } from '../../api/testing'

vi.mock('../../api/campaigns', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/campaigns')>()),
  getCampaign: vi.fn(),
  getPreview: vi.fn(),
  planRebase: vi.fn(),
  setValue: vi.fn(),
  checkCampaign: vi.fn(),
}))

vi.mock('../../api/outbox', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/outbox')>()),
  signOff: vi.fn(),
  submit: vi.fn(),
  listOutbox: vi.fn(),
}))

vi.mock('../../api/library', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/library')>()),
  getBrand: vi.fn().mockResolvedValue({ name: '', palette: [], fonts: [], logos: [], tone: [], files: {} }),
  getAsset: vi.fn(),
}))

const slots = [formSlot('headline', { label: { en: 'Headline' } }), formSlot('intro', { label: { en: 'Intro' } })]
const values = {
  fr: { headline: resolved('headline', 'own', 'Bonjour'), intro: resolved('intro', 'own', 'Salut') },
  en: { headline: resolved('headline', 'fallback', 'Bonjour'), intro: resolved('intro', 'fallback', 'Salut') },
}
const draft = campaignOf(slots, values, { region: 'fr', regionName: { en: 'France' } })
const signed = campaignOf(slots, values, {
  region: 'fr',
  regionName: { en: 'France' },
  rev: 1,
  signOff: { by: 'approver.fr', byName: 'Approver France', at: '2026-05-01T09:30:00Z' },
})

const clean: api.CheckReport = {
  findings: [],
  errors: 0,
  warnings: 0,
  ready: true,
  receipt: { rulesSha256: '', campaignSha256: '', findingsSha256: '', today: '2026-05-01', version: 1 },
}

const queued = outboxItem({ campaignId: 'c1', submittedAt: '2026-05-01T10:00:00Z', updatedAt: '2026-05-01T10:00:00Z' })

let app: App | null = null
let root: HTMLElement

async function mount() {
  root = document.createElement('div')
  document.body.append(root)
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/campaigns/c1')
  app = createApp(ComposerView, { id: 'c1' })
  app.use(pinia).use(router).use(createAppI18n('en'))
  app.mount(root)
  await vi.waitFor(() => expect(root.querySelector('[data-testid="composer-form"]')).not.toBeNull())
}

const q = <T extends HTMLElement = HTMLElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`)

async function type(id: string, value: string) {
  const input = q<HTMLInputElement>(id)!
  input.value = value
  input.dispatchEvent(new Event('input'))
  await nextTick()
}

beforeEach(() => {
  vi.mocked(api.getCampaign).mockResolvedValue(draft)
  vi.mocked(api.getPreview).mockResolvedValue({
    url: '/campaign/preview/c1/fr?rev=1', rev: 1, locale: 'fr', sender: 'Cairn', from: '', subject: 'S', preheader: '', text: '', bytes: 1, clipped: false, problems: [],
  })
  vi.mocked(api.checkCampaign).mockResolvedValue(clean)
  vi.mocked(outboxApi.signOff).mockReset()
  vi.mocked(outboxApi.submit).mockReset()
})

afterEach(() => {
  app?.unmount()
  app = null
  root.remove()
})

describe('sign-off and submission in the composer', () => {
  it('keeps Sign off disabled while the brand check finds errors', async () => {
    vi.mocked(api.checkCampaign).mockResolvedValue({ ...clean, errors: 2, ready: false })
    await mount()
    await vi.waitFor(() => expect(q('check-badge')?.dataset.ready).toBe('false'))
    expect(q<HTMLButtonElement>('sign-off')!.disabled).toBe(true)
    expect(q<HTMLButtonElement>('submit')!.disabled).toBe(true)
  })

  it('signs off with the approver’s account, says why not in words, then shows who signed off', async () => {
    await mount()
    await vi.waitFor(() => expect(q<HTMLButtonElement>('sign-off')!.disabled).toBe(false))
    q('sign-off')!.click()
    await vi.waitFor(() => expect(q('sign-off-dialog')).not.toBeNull())
    expect(q('sign-off-dialog')!.textContent).toContain('local approver of France')

    vi.mocked(outboxApi.signOff).mockRejectedValueOnce(new Error(JSON.stringify({ kind: 'permission', code: 'submission.signoff_own' })))
    await type('sign-off-user', 'designer.fr')
    await type('sign-off-password', 'outpost-demo')
    q('sign-off-submit')!.click()
    await vi.waitFor(() => expect(q('sign-off-error')?.textContent).toContain('You wrote this campaign'))
    expect(outboxApi.signOff).toHaveBeenCalledWith('c1', 'designer.fr', 'outpost-demo')
    expect(q<HTMLInputElement>('sign-off-password')!.value).toBe('')

    vi.mocked(outboxApi.signOff).mockResolvedValueOnce(signed)
    await type('sign-off-user', 'approver.fr')
    await type('sign-off-password', 'outpost-demo')
    q('sign-off-submit')!.click()
    await vi.waitFor(() => expect(q('sign-off-dialog')).toBeNull())
    expect(q('signed-off')?.textContent).toContain('Signed off by Approver France on')
    expect(q('sign-off')).toBeNull()
    expect(q<HTMLButtonElement>('submit')!.disabled).toBe(false)
  })

  it('says an edit voided the sign-off, naming who gave it', async () => {
    vi.mocked(api.getCampaign).mockResolvedValue(signed)
    await mount()
    const store = useCampaignsStore()
    expect(q('signed-off')).not.toBeNull()
    vi.mocked(api.setValue).mockResolvedValueOnce({ ...signed, rev: 2, signOff: null, signOffVoided: true })
    store.edit('fr', 'headline', 'Bonsoir')
    await store.flush()
    await vi.waitFor(() => expect(q('sign-off-voided')?.textContent).toContain('An edit voided Approver France’s sign-off — sign off again.'.replace('’', "'")))
    expect(q('signed-off')).toBeNull()
    expect(q<HTMLButtonElement>('submit')!.disabled).toBe(true)
  })

  it('submits: a queued notice, then the campaign is read-only with its status', async () => {
    vi.mocked(api.getCampaign).mockResolvedValue(signed)
    await mount()
    vi.mocked(outboxApi.submit).mockResolvedValueOnce(queued)
    vi.mocked(api.getCampaign).mockResolvedValue({ ...signed, status: 'submitted', submission: 'sub_a' })
    q('submit')!.click()
    await vi.waitFor(() => expect(q('submitted-notice')).not.toBeNull())
    expect(outboxApi.submit).toHaveBeenCalledWith('c1')
    expect(q('campaign-status')?.dataset.status).toBe('submitted')
    expect(q('submitted-delivery')?.textContent).toContain('Queued: it will be sent when the hub is reachable.')
    expect(q('submit')).toBeNull()
    expect(root.querySelector<HTMLFieldSetElement>('#locale-panel')!.disabled).toBe(true)
  })

  it('shows HQ’s comments beside their fields, and the others in a banner', async () => {
    vi.mocked(api.getCampaign).mockResolvedValue({
      ...draft,
      status: 'changes_requested',
      hqComments: [
        { id: 1, byName: 'HQ Reviewer', at: '2026-05-02T08:00:00Z', text: 'Shorter, please', slot: 'headline', locale: 'fr' },
        { id: 2, byName: 'HQ Reviewer', at: '2026-05-02T08:00:00Z', text: 'Send it a week later', slot: '', locale: '' },
      ],
    })
    await mount()
    const field = root.querySelector('[data-field-key="fr/headline"]')!.closest('.slot-wrap')!
    expect(field.querySelector('[data-testid="hq-comment"]')?.textContent).toContain('Shorter, please')
    expect(q('hq-banner')?.textContent).toContain('Send it a week later')
    expect(q('hq-banner')?.textContent).toContain('HQ commented on 1 field')
  })
})
