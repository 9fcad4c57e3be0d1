import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp, nextTick, type App } from 'vue'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import * as api from '../api/campaigns'
import type { CampaignSummary } from '../api/campaigns'
import * as libraryApi from '../api/library'
import type { LibraryInfo } from '../api/library'
import { createAppI18n } from '../i18n'
import { routes } from '../router'
import { useLibraryStore } from '../stores/library'
import { useSettingsStore } from '../stores/settings'
import CampaignsView from './CampaignsView.vue'

vi.mock('../api/campaigns', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/campaigns')>()),
  listCampaigns: vi.fn(),
  createCampaign: vi.fn(),
  deleteCampaign: vi.fn(),
  renameCampaign: vi.fn(),
  duplicateCampaign: vi.fn(),
  getCampaign: vi.fn(),
  getPreview: vi.fn(),
}))

vi.mock('../api/library', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../api/library')>()),
  getTemplates: vi.fn(),
}))

const info: LibraryInfo = {
  id: 'cairn',
  name: 'Cairn Outdoor (sample)',
  version: 2,
  sample: true,
  expires: '',
  outdatedSince: '',
  appliedAt: '',
  signers: [],
  locales: ['fr', 'en', 'de'],
  regions: [
    { id: 'fr', name: { en: 'France' }, countries: ['FR'], locales: ['fr'] },
    { id: 'be', name: { en: 'Belgium' }, countries: ['BE'], locales: ['fr', 'en'] },
  ],
  assets: 10,
  templates: 2,
  snippets: 0,
}

function row(id: string, extra: Partial<CampaignSummary> = {}): CampaignSummary {
  return {
    id,
    name: `Campaign ${id}`,
    template: 'newsletter',
    templateName: { en: 'Monthly newsletter', fr: 'Newsletter mensuelle' },
    status: 'draft',
    region: 'be',
    locales: ['fr', 'en'],
    release: 1,
    rebase: false,
    author: '',
    updated: new Date().toISOString(),
    sendAt: '',
    ...extra,
  }
}

let app: App | null = null
let root: HTMLElement
let router: Router

async function mount(withLibrary = true) {
  root = document.createElement('div')
  document.body.append(root)
  const pinia = createPinia()
  setActivePinia(pinia)
  useLibraryStore().applyInfo(withLibrary ? info : null)
  router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/campaigns')
  app = createApp(CampaignsView)
  app.use(pinia).use(router).use(createAppI18n('en'))
  app.mount(root)
  await vi.waitFor(() => expect(api.listCampaigns).toHaveBeenCalled())
  await new Promise((r) => setTimeout(r, 0))
  await nextTick()
}

const q = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)
const text = (id: string) => q(id)?.textContent?.replace(/\s+/g, ' ').trim()

beforeEach(() => {
  vi.mocked(libraryApi.getTemplates).mockResolvedValue([
    {
      id: 'newsletter', kind: 'email', name: { en: 'Monthly newsletter' }, description: { en: 'News' }, layout: '', preview: '', previewUrl: '/library/file/abc', slots: [],
    },
    {
      id: 'flyer', kind: 'print', name: { en: 'Flyer' }, description: {}, layout: '', preview: '', previewUrl: '', slots: [],
    },
  ])
})

afterEach(() => {
  app?.unmount()
  app = null
  root.remove()
  document.body.innerHTML = ''
})

describe('CampaignsView', () => {
  it('says what campaigns are when there are none, and offers to start one', async () => {
    vi.mocked(api.listCampaigns).mockResolvedValue({ items: [], total: 0, damaged: [] })
    await mount()
    expect(text('empty-state')).toContain('No campaigns yet')
    expect(text('view-title')).toBe('Campaigns')
    expect((q('new-campaign') as HTMLButtonElement).disabled).toBe(false)
  })

  it('cannot start a campaign before a library release is here', async () => {
    vi.mocked(api.listCampaigns).mockResolvedValue({ items: [], total: 0, damaged: [] })
    await mount(false)
    expect((q('new-campaign') as HTMLButtonElement).disabled).toBe(true)
    expect(text('empty-state')).toContain('as soon as a library release is on this computer')
  })

  it('lists campaigns with their template, languages, status, last edit and a new-release badge', async () => {
    vi.mocked(api.listCampaigns).mockResolvedValue({
      items: [row('a', { rebase: true }), row('b', { status: 'changes_requested', updated: new Date(Date.now() - 5 * 60_000).toISOString() })],
      total: 2,
      damaged: ['zz'],
    })
    await mount()
    const rows = document.querySelectorAll<HTMLElement>('[data-testid="campaign-row"]')
    expect(rows).toHaveLength(2)
    const first = rows[0]!
    expect(first.querySelector('[data-testid="campaign-template"]')?.textContent).toBe('Monthly newsletter')
    expect(first.querySelector('[data-testid="campaign-locales"]')?.textContent?.replace(/\s+/g, '')).toBe('FREN')
    expect(first.querySelector('[data-testid="campaign-edited"]')?.textContent?.trim()).toBe('Edited just now')
    expect(first.querySelector('[data-testid="campaign-rebase"]')?.textContent?.trim()).toBe('New release')
    expect(first.querySelector('[data-testid="campaign-status"]')?.textContent?.trim()).toBe('Draft')
    expect(rows[1]!.querySelector('[data-testid="campaign-status"]')?.textContent?.trim()).toBe('Changes requested')
    expect(rows[1]!.querySelector('[data-testid="campaign-edited"]')?.textContent?.trim()).toBe('Edited 5 minutes ago')
    expect(rows[1]!.querySelector('[data-testid="campaign-rebase"]')).toBeNull()
    expect(text('campaigns-damaged')).toBe('1 campaign can\'t be read and isn\'t listed.')
    expect(text('campaign-count')).toBe('2 campaigns')
    expect(first.querySelector('a')?.getAttribute('href')).toBe('/campaigns/a')
  })

  it('filters by status', async () => {
    vi.mocked(api.listCampaigns).mockResolvedValue({ items: [row('a')], total: 1, damaged: [] })
    await mount()
    q('status-filter-changes_requested')!.click()
    await vi.waitFor(() => expect(api.listCampaigns).toHaveBeenLastCalledWith({ text: '', status: 'changes_requested' }))
  })

  it('creates a campaign from an email template in the Settings region and opens it', async () => {
    vi.mocked(api.listCampaigns).mockResolvedValue({ items: [row('a')], total: 1, damaged: [] })
    await mount()
    useSettingsStore().saved = { hubUrl: '', displayName: '', language: 'en', dataDir: '', region: 'be' }
    q('new-campaign')!.click()
    await vi.waitFor(() => expect(document.querySelectorAll('[data-testid="template-option"]')).toHaveLength(1))
    expect((q('new-campaign-region') as HTMLSelectElement).value).toBe('be')
    expect(text('new-campaign-dialog')).toContain('Written in French and English.')
    const name = q('new-campaign-name') as HTMLInputElement
    expect(name.value).toMatch(/^Monthly newsletter – \w+ \d{4}$/)
    expect(document.activeElement?.closest('[data-testid="new-campaign-dialog"]')).not.toBeNull()

    vi.mocked(api.createCampaign).mockResolvedValue({ id: 'new1' } as api.Campaign)
    name.value = 'Spring'
    name.dispatchEvent(new Event('input'))
    ;(q('new-campaign-submit') as HTMLButtonElement).click()
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/campaigns/new1'))
    expect(api.createCampaign).toHaveBeenCalledWith('newsletter', 'Spring', 'be')
  })

  it('shows a name Go refuses under the name field', async () => {
    vi.mocked(api.listCampaigns).mockResolvedValue({ items: [row('a')], total: 1, damaged: [] })
    await mount()
    q('new-campaign')!.click()
    await vi.waitFor(() => expect(q('template-option')).not.toBeNull())
    ;(q('new-campaign-region') as HTMLSelectElement).value = 'fr'
    q('new-campaign-region')!.dispatchEvent(new Event('change'))
    vi.mocked(api.createCampaign).mockRejectedValue(new Error(JSON.stringify({ kind: 'invalid', code: 'campaign.name_invalid', params: { max: '120' } })))
    ;(q('new-campaign-submit') as HTMLButtonElement).click()
    await vi.waitFor(() => expect(text('new-campaign-name-error')).toBe('Give the campaign a name of at most 120 characters.'))
    expect(router.currentRoute.value.fullPath).toBe('/campaigns')
  })

  it('deletes only after confirming, and Cancel keeps it', async () => {
    vi.mocked(api.listCampaigns).mockResolvedValue({ items: [row('a')], total: 1, damaged: [] })
    await mount()
    q('row-menu')!.click()
    await nextTick()
    q('row-delete')!.click()
    await nextTick()
    expect(text('delete-dialog')).toContain('Delete “Campaign a”?')
    await vi.waitFor(() => expect(document.activeElement).toBe(q('confirm-cancel')))
    q('confirm-cancel')!.click()
    await nextTick()
    expect(q('delete-dialog')).toBeNull()
    expect(api.deleteCampaign).not.toHaveBeenCalled()

    q('row-menu')!.click()
    await nextTick()
    q('row-delete')!.click()
    await nextTick()
    vi.mocked(api.deleteCampaign).mockResolvedValue()
    vi.mocked(api.listCampaigns).mockResolvedValue({ items: [], total: 0, damaged: [] })
    q('confirm-ok')!.click()
    await vi.waitFor(() => expect(q('delete-dialog')).toBeNull())
    expect(api.deleteCampaign).toHaveBeenCalledWith('a')
  })
})
