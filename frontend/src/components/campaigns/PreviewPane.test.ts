import { afterEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import type { Preview } from '../../api/campaigns'
import { useCampaignsStore } from '../../stores/campaigns'
import PreviewPane from './PreviewPane.vue'
import { campaignOf, formSlot, mountWith, type Mounted } from './testing'

let m: Mounted | null = null

afterEach(() => {
  m?.unmount()
  m = null
})

const q = (sel: string) => m!.root.querySelector<HTMLElement>(sel)
const all = (sel: string) => [...m!.root.querySelectorAll<HTMLElement>(sel)]
const text = (sel: string) => q(sel)?.textContent?.replace(/\s+/g, ' ').trim()

function preview(extra: Partial<Preview> = {}): Preview {
  return {
    url: '/campaign/preview/c1/fr?rev=3',
    rev: 3,
    locale: 'fr',
    sender: 'Cairn Outdoor',
    from: 'news@cairn.example',
    subject: 'Vos sentiers du mois',
    preheader: 'Trois boucles testées',
    text: 'Vos sentiers\n\nBonjour',
    bytes: 24_000,
    clipped: false,
    problems: [],
    ...extra,
  }
}

async function mountPane(p: Preview) {
  m = await mountWith(PreviewPane, {}, () => {
    const store = useCampaignsStore()
    store.current = campaignOf([formSlot('intro', { label: { en: 'Introduction' } })], {})
    store.activeLocale = 'fr'
    store.preview = p
  })
  return useCampaignsStore()
}

/** Tells the frames they have loaded, as the browser would. */
async function loadFrames() {
  for (const f of all('iframe')) f.dispatchEvent(new Event('load'))
  await nextTick()
}

describe('PreviewPane', () => {
  it('loads the email in a frame sandboxed with no permission at all', async () => {
    await mountPane(preview())
    await loadFrames()
    const frame = q('[data-testid="preview-frame"]') as HTMLIFrameElement
    expect(frame.getAttribute('sandbox')).toBe('')
    expect(frame.getAttribute('src')).toBe('/campaign/preview/c1/fr?rev=3')
    expect(frame.dataset.device).toBe('desktop')
    expect(frame.title).toBe('Email preview, French')
  })

  it('shows the inbox line: sender, address, subject and preheader', async () => {
    await mountPane(preview())
    expect(text('[data-testid="preview-sender"]')).toBe('Cairn Outdoor')
    expect(text('[data-testid="preview-inbox"]')).toContain('<news@cairn.example>')
    expect(text('[data-testid="preview-subject"]')).toBe('Vos sentiers du mois')
    expect(text('[data-testid="preview-preheader"]')).toBe('— Trois boucles testées')
  })

  it('loads the next rendering behind the shown one and swaps once it has loaded', async () => {
    const store = await mountPane(preview())
    await loadFrames()
    store.preview = preview({ url: '/campaign/preview/c1/fr?rev=4', rev: 4 })
    await nextTick()
    const [shown, next] = [q('[data-testid="preview-frame"]')!, q('[data-testid="preview-frame-next"]')!]
    expect(shown.getAttribute('src')).toBe('/campaign/preview/c1/fr?rev=3')
    expect(next.getAttribute('src')).toBe('/campaign/preview/c1/fr?rev=4')
    expect(next.getAttribute('aria-hidden')).toBe('true')
    next.dispatchEvent(new Event('load'))
    await nextTick()
    expect(q('[data-testid="preview-frame"]')!.getAttribute('src')).toBe('/campaign/preview/c1/fr?rev=4')
    // The same two frames take turns: no new frame per edit.
    expect(all('iframe')).toHaveLength(2)
  })

  it('asks Go for dark and inverted renderings, and changes the frame width', async () => {
    const store = await mountPane(preview())
    await loadFrames()
    ;(q('[data-testid="preview-scheme-dark"]') as HTMLButtonElement).click()
    await nextTick()
    expect(store.scheme).toBe('dark')
    expect(q('[data-testid="preview-frame-next"]')!.getAttribute('src')).toBe('/campaign/preview/c1/fr?rev=3&scheme=dark')
    ;(q('[data-testid="preview-scheme-inverted"]') as HTMLButtonElement).click()
    await nextTick()
    expect(q('[data-testid="preview-frame-next"]')!.getAttribute('src')).toBe('/campaign/preview/c1/fr?rev=3&scheme=inverted')

    ;(q('[data-testid="preview-device-mobile"]') as HTMLButtonElement).click()
    await nextTick()
    expect(store.device).toBe('mobile')
    expect((q('.device') as HTMLElement).style.width).toBe('375px')
    expect(q('[data-testid="preview-device-mobile"]')?.getAttribute('aria-checked')).toBe('true')
  })

  it('warns when Gmail would clip the message', async () => {
    await mountPane(preview({ bytes: 120_000, clipped: true }))
    expect(text('[data-testid="preview-size"]')).toContain('HTML 120 kB')
    expect(text('[data-testid="preview-clipped"]')).toContain('Gmail clips messages over 102 KB')
  })

  it('lists what the render dropped, in words, with the slot’s name', async () => {
    await mountPane(
      preview({
        problems: [
          { code: 'render.raw_html_dropped', slot: 'intro', params: {} },
          { code: 'render.unsafe_link_dropped', slot: 'intro', params: { url: 'javascript:alert(1)' } },
          { code: 'render.brand_new', slot: 'footer', params: {} },
        ],
      }),
    )
    const items = all('[data-testid="preview-problem"]')
    expect(items).toHaveLength(3)
    expect(items[0]!.textContent).toContain('Introduction')
    expect(items[0]!.textContent).toContain('HTML typed into this field was removed')
    expect(items[1]!.textContent).toContain('“javascript:alert(1)” was removed')
    expect(items[2]!.textContent).toContain('Legal footer')
    expect(items[2]!.textContent).toContain('Something was left out of the email (render.brand_new).')
    expect(text('[data-testid="preview-problems"]')).toContain('3 things were left out of the email')
  })

  it('shows the plain-text version in its tab', async () => {
    await mountPane(preview())
    ;(q('[data-testid="preview-tab-text"]') as HTMLButtonElement).click()
    await nextTick()
    expect(q('[data-testid="preview-text"]')?.textContent).toBe('Vos sentiers\n\nBonjour')
    expect(q('[data-testid="preview-tab-text"]')?.getAttribute('aria-selected')).toBe('true')
  })
})
