import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import * as libraryApi from '../../api/library'
import type { AssetDetail } from '../../api/library'
import * as photosApi from '../../api/photos'
import { useCampaignsStore } from '../../stores/campaigns'
import { useLibraryStore } from '../../stores/library'
import SlotField from './SlotField.vue'
import { campaignOf, formSlot, mountWith, resolved, type Mounted } from './testing'

vi.mock('../../api/library', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/library')>()),
  getBrand: vi.fn(),
  getAsset: vi.fn(),
}))

vi.mock('../../api/photos', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/photos')>()),
  getCrops: vi.fn(),
}))

const lake: AssetDetail = {
  id: 'lake', kind: 'image', title: { en: 'Lake' }, alt: {}, tags: [], width: 2000, height: 1000, regions: [], expires: '', expiry: '',
  thumb: '/library/thumb/abc?side=320', local: false, importedBy: '', importedAt: '', description: {}, focal: { x: 0.9, y: 0.5 },
  credit: { author: '', source: '', licence: '' }, image: '/library/file/abc', sha256: 'abc', path: 'images/lake.jpg',
}

let m: Mounted | null = null

beforeEach(() => {
  vi.mocked(libraryApi.getBrand).mockResolvedValue({ name: 'Cairn', palette: [], fonts: [], logos: [], tone: [], files: {} })
  vi.mocked(libraryApi.getAsset).mockRejectedValue(new Error('not here'))
})

afterEach(() => {
  m?.unmount()
  m = null
})

const q = (sel: string) => m!.root.querySelector<HTMLElement>(sel)
const text = (sel: string) => q(sel)?.textContent?.replace(/\s+/g, ' ').trim()

async function mountSlot(field: ReturnType<typeof formSlot>, values: Parameters<typeof campaignOf>[1], locale = 'fr', setup: () => void = () => {}) {
  m = await mountWith(SlotField, { field, locale }, () => {
    const store = useCampaignsStore()
    store.current = campaignOf([field], values)
    useLibraryStore().applyInfo({
      id: 'cairn', name: 'Cairn', version: 1, sample: true, expires: '', outdatedSince: '', appliedAt: '', signers: [],
      locales: ['fr', 'en', 'de'], regions: [], assets: 0, templates: 0, snippets: 0,
    })
    setup()
  })
  return useCampaignsStore()
}

describe('SlotField', () => {
  it('shows a locked slot as HQ’s value with a lock and no control at all', async () => {
    const field = formSlot('brand_line', { lock: 'locked' })
    await mountSlot(field, { fr: { brand_line: resolved('brand_line', 'locked', 'Plus loin, ensemble.', { lock: 'locked' }) } })
    expect(text('[data-testid="slot-locked"]')).toBe('Set by HQ')
    expect(text('[data-testid="slot-locked-value"]')).toBe('Plus loin, ensemble.')
    expect(m!.root.querySelectorAll('input, textarea, select, [contenteditable]')).toHaveLength(0)
    expect(q('[data-testid="slot-field"]')?.dataset.lock).toBe('locked')
  })

  it('greys another locale’s text as a placeholder and says it is not translated', async () => {
    const field = formSlot('headline', { limits: { required: true, maxLength: 60, minWidth: 0, minHeight: 0, aspect: '', locales: [] } })
    const store = await mountSlot(
      field,
      {
        fr: { headline: resolved('headline', 'own', 'Printemps') },
        en: { headline: resolved('headline', 'fallback', 'Printemps') },
      },
      'en',
    )
    const input = q('[data-testid="slot-input"]') as HTMLInputElement
    expect(input.value).toBe('')
    expect(input.placeholder).toBe('Printemps')
    expect(text('[data-testid="slot-fallback"]')).toContain('Not translated yet — showing French')
    // The note describes the input.
    expect(input.getAttribute('aria-describedby')).toContain(q('[data-testid="slot-fallback"]')!.id)

    const edit = vi.spyOn(store, 'edit')
    q('[data-testid="slot-copy-fallback"]')!.click()
    expect(edit).toHaveBeenCalledWith('en', 'headline', 'Printemps')
  })

  it('edits through the store and counts characters against the limit', async () => {
    const field = formSlot('subject', { limits: { required: true, maxLength: 10, minWidth: 0, minHeight: 0, aspect: '', locales: [] } })
    const store = await mountSlot(field, { fr: { subject: resolved('subject', 'default', 'Bonjour') } })
    const input = q('[data-testid="slot-input"]') as HTMLInputElement
    expect(input.value).toBe('Bonjour')
    expect(text('[data-testid="slot-default"]')).toBe('HQ\'s text')
    expect(text('[data-testid="slot-count"]')).toBe('7 / 10')

    const edit = vi.spyOn(store, 'edit').mockImplementation((l, s, v) => {
      store.drafts = { ...store.drafts, [`${l}/${s}`]: v }
    })
    input.value = 'Bonjour à tous'
    input.dispatchEvent(new Event('input'))
    await nextTick()
    expect(edit).toHaveBeenCalledWith('fr', 'subject', 'Bonjour à tous')
    expect(text('[data-testid="slot-count"]')).toBe('14 / 10')
    expect(q('[data-testid="slot-count"]')?.className).toContain('count-over')
    expect(q('[data-testid="slot-default"]')).toBeNull()
  })

  it('shows what Go refused under the field, with the field’s name, and keeps the typed text', async () => {
    const field = formSlot('subject', { label: { en: 'Email subject' } })
    await mountSlot(field, { fr: { subject: resolved('subject', 'own', 'Court') } }, 'fr', () => {
      const store = useCampaignsStore()
      store.drafts = { 'fr/subject': 'Beaucoup trop long' }
      store.fieldErrors = { 'fr/subject': { kind: 'invalid', code: 'campaign.too_long', params: { slot: 'subject', length: '18', max: '10' }, detail: '' } }
    })
    const input = q('[data-testid="slot-input"]') as HTMLInputElement
    expect(input.value).toBe('Beaucoup trop long')
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(text('[data-testid="slot-error"]')).toBe('“Email subject” is 18 characters long; HQ allows 10.')
    expect(input.getAttribute('aria-describedby')).toContain(q('[data-testid="slot-error"]')!.id)
  })

  it('offers HQ’s choices as a picker, with pictures when the options have them', async () => {
    const field = formSlot('hero', {
      kind: 'image',
      lock: 'choice',
      limits: { required: true, maxLength: 0, minWidth: 0, minHeight: 0, aspect: '', locales: [] },
      options: [
        { id: 'lake', label: { en: 'Lake at night' }, value: { '*': 'lake-night' }, thumb: '/library/thumb/aaa?side=320' },
        { id: 'boats', label: { en: 'Boats' }, value: { '*': 'boats' }, thumb: '/library/thumb/bbb?side=320' },
      ],
    })
    const store = await mountSlot(field, { fr: { hero: resolved('hero', 'default', 'lake', { kind: 'image', lock: 'choice', option: 'lake' }) } })
    const options = m!.root.querySelectorAll<HTMLElement>('[data-testid="slot-option"]')
    expect(options).toHaveLength(2)
    expect(options[0]!.querySelector('img')?.getAttribute('src')).toBe('/library/thumb/aaa?side=320')
    expect((options[0]!.querySelector('input') as HTMLInputElement).checked).toBe(true)
    expect(q('[role="radiogroup"]')?.getAttribute('aria-labelledby')).toBeTruthy()

    const edit = vi.spyOn(store, 'edit').mockImplementation(() => {})
    const commit = vi.spyOn(store, 'commit').mockResolvedValue()
    const boats = options[1]!.querySelector('input') as HTMLInputElement
    boats.checked = true
    boats.dispatchEvent(new Event('change'))
    expect(edit).toHaveBeenCalledWith('fr', 'hero', 'boats')
    expect(commit).toHaveBeenCalledWith('fr', 'hero')
  })

  it('says when HQ keeps a slot to other languages, with no control', async () => {
    const field = formSlot('editor_note', { kind: 'markdown', limits: { required: false, maxLength: 500, minWidth: 0, minHeight: 0, aspect: '', locales: ['fr', 'de'] } })
    await mountSlot(field, { en: { editor_note: resolved('editor_note', 'empty', '', { kind: 'markdown' }) } }, 'en')
    expect(text('[data-testid="slot-not-here"]')).toBe('HQ limits this field to French and German.')
    expect(m!.root.querySelectorAll('input, textarea')).toHaveLength(0)
  })

  it('formats Markdown from its toolbar, editing the text itself', async () => {
    const field = formSlot('intro', { kind: 'markdown' })
    const store = await mountSlot(field, { fr: { intro: resolved('intro', 'own', 'Go further today', { kind: 'markdown' }) } })
    const edit = vi.spyOn(store, 'edit').mockImplementation(() => {})
    const area = q('textarea') as HTMLTextAreaElement
    area.setSelectionRange(3, 10)
    q('[data-testid="md-bold"]')!.click()
    expect(edit).toHaveBeenCalledWith('fr', 'intro', 'Go **further** today')
    // Ctrl+K in the field makes a link.
    area.setSelectionRange(0, 2)
    area.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, bubbles: true }))
    expect(edit).toHaveBeenLastCalledWith('fr', 'intro', '[Go](https://) further today')
  })

  it('shows the picture cut as the email cuts it, and adjusts the campaign’s crop in a dialog', async () => {
    vi.mocked(libraryApi.getAsset).mockResolvedValue(lake)
    vi.mocked(photosApi.getCrops).mockResolvedValue([])
    const field = formSlot('hero', { kind: 'image', limits: { aspect: '1:1' } })
    const store = await mountSlot(field, { fr: { hero: resolved('hero', 'own', 'lake', { kind: 'image' }) } })
    await vi.waitFor(() => expect(q('[data-testid="picture"]')?.dataset.crop).toBe('0.5,0,0.5,1'))
    expect(q('[data-testid="image-crop-manual"]')).toBeNull()

    const setCrop = vi.spyOn(store, 'setCrop').mockResolvedValue(true)
    q('[data-testid="image-crop"]')!.click()
    const rect = await vi.waitFor(() => {
      const el = document.querySelector<HTMLElement>('[data-testid="crop-dialog"] [data-testid="crop-rect"]')
      expect(el).not.toBeNull()
      return el!
    })
    rect.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }))
    expect(setCrop).toHaveBeenCalledWith('hero', 'email', { x: 0.49, y: 0, w: 0.5, h: 1 })

    // Saved: the slot shows the manual crop.
    store.current = { ...store.current!, rev: 2, crops: { hero: { email: { x: 0.49, y: 0, w: 0.5, h: 1 } } } }
    await nextTick()
    expect(q('[data-testid="picture"]')?.dataset.crop).toBe('0.49,0,0.5,1')
    expect(text('[data-testid="image-crop-manual"]')).toBe('Manual crop')

    document.querySelector<HTMLElement>('[data-testid="crop-automatic"]')!.click()
    expect(setCrop).toHaveBeenLastCalledWith('hero', 'email', null)
    document.querySelector<HTMLElement>('[data-testid="crop-dialog-done"]')!.click()
    await nextTick()
    expect(document.querySelector('[data-testid="crop-dialog"]')).toBeNull()
  })
})
