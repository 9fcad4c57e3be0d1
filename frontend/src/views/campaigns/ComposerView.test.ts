import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp, nextTick, type App } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import * as api from '../../api/campaigns'
import * as libraryApi from '../../api/library'
import { campaignOf, formSlot, resolved } from '../../components/campaigns/testing'
import { createAppI18n } from '../../i18n'
import { routes } from '../../router'
import { useCampaignsStore } from '../../stores/campaigns'
import ComposerView from './ComposerView.vue'

vi.mock('../../api/campaigns', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/campaigns')>()),
  getCampaign: vi.fn(),
  getPreview: vi.fn(),
  planRebase: vi.fn(),
  setValue: vi.fn(),
}))

vi.mock('../../api/library', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/library')>()),
  getBrand: vi.fn(),
  getAsset: vi.fn(),
}))

const campaign = campaignOf(
  [formSlot('headline', { label: { en: 'Headline' } }), formSlot('brand_line', { lock: 'locked', label: { en: 'Brand line' } })],
  {
    fr: { headline: resolved('headline', 'own', 'Bonjour'), brand_line: resolved('brand_line', 'locked', 'Plus loin', { lock: 'locked' }) },
    en: { headline: resolved('headline', 'fallback', 'Bonjour'), brand_line: resolved('brand_line', 'locked', 'Further', { lock: 'locked' }) },
  },
  {
    translation: [
      { locale: 'fr', untranslated: [] },
      { locale: 'en', untranslated: ['headline'] },
    ],
    scopes: [{ id: 'club', name: { en: 'Club members' }, description: { en: 'Everyone with a card.' } }],
  },
)

let app: App | null = null
let root: HTMLElement

async function mount(ready = '[data-testid="composer-form"]') {
  root = document.createElement('div')
  document.body.append(root)
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/campaigns/c1')
  app = createApp(ComposerView, { id: 'c1' })
  app.use(pinia).use(router).use(createAppI18n('en'))
  app.mount(root)
  await vi.waitFor(() => expect(root.querySelector(ready)).not.toBeNull())
}

const q = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`)

beforeEach(() => {
  vi.mocked(api.getCampaign).mockResolvedValue(campaign)
  vi.mocked(api.getPreview).mockResolvedValue({
    url: '/campaign/preview/c1/fr?rev=1', rev: 1, locale: 'fr', sender: 'Cairn', from: '', subject: 'S', preheader: '', text: '', bytes: 1, clipped: false, problems: [],
  })
  vi.mocked(libraryApi.getBrand).mockResolvedValue({ name: '', palette: [], fonts: [], logos: [], tone: [], files: {} })
})

afterEach(() => {
  app?.unmount()
  app = null
  root.remove()
})

describe('ComposerView', () => {
  it('shows the campaign, its locale tabs with what is left to translate, and its delivery', async () => {
    await mount()
    expect(q('view-title')?.textContent).toBe('Spring')
    expect(q('locale-tab-fr')?.getAttribute('aria-selected')).toBe('true')
    expect(q('locale-tab-fr')?.querySelector('[data-testid="locale-badge"]')).toBeNull()
    expect(q('locale-tab-en')?.querySelector('[data-testid="locale-badge"]')?.textContent).toContain('1')
    expect(root.querySelectorAll('[data-testid="slot-field"]')).toHaveLength(2)
    expect(q('audience-option')?.textContent).toContain('Club members')
    expect(q('preview-pane')).not.toBeNull()
  })

  it('switches locale from the tabs, with the arrow keys too', async () => {
    await mount()
    const store = useCampaignsStore()
    q('locale-tab-fr')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }))
    await nextTick()
    expect(store.activeLocale).toBe('en')
    await nextTick()
    expect(root.querySelector('[data-testid="slot-fallback"]')?.textContent).toContain('Not translated yet — showing French')
  })

  it('undoes with Ctrl+Z and redoes with Ctrl+Shift+Z or Ctrl+Y', async () => {
    await mount()
    const store = useCampaignsStore()
    const undo = vi.spyOn(store, 'undo').mockResolvedValue()
    const redo = vi.spyOn(store, 'redo').mockResolvedValue()
    const input = root.querySelector('[data-testid="slot-input"]') as HTMLInputElement
    const z = new KeyboardEvent('keydown', { key: 'z', code: 'KeyZ', ctrlKey: true, bubbles: true, cancelable: true })
    input.dispatchEvent(z)
    expect(undo).toHaveBeenCalledTimes(1)
    // The browser's own undo of the field does not run as well.
    expect(z.defaultPrevented).toBe(true)
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Z', code: 'KeyZ', ctrlKey: true, shiftKey: true }))
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'y', code: 'KeyY', ctrlKey: true }))
    expect(redo).toHaveBeenCalledTimes(2)
  })

  it('says when the campaign cannot be opened', async () => {
    vi.mocked(api.getCampaign).mockRejectedValue(new Error(JSON.stringify({ kind: 'not_found', code: 'campaign.not_found', params: { id: 'c1' } })))
    await mount('[data-testid="composer-error"]')
    await vi.waitFor(() => expect(q('composer-error')?.textContent).toContain('no longer exists'))
  })
})
