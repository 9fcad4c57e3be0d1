import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createApp, nextTick, type App } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { AssetCard } from '../../api/library'
import * as packsApi from '../../api/packs'
import { createAppI18n } from '../../i18n'
import { routes } from '../../router'
import { useLibraryStore } from '../../stores/library'
import { usePacksStore } from '../../stores/packs'
import { usePhotosStore } from '../../stores/photos'
import PhotoImportResult from './PhotoImportResult.vue'

vi.mock('../../api/packs', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/packs')>()),
  getPresets: vi.fn(),
}))
vi.mock('../../api/library', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/library')>()),
  searchAssets: vi.fn().mockResolvedValue({ total: 0, items: [], tags: [] }),
}))

function card(id: string, title: string): AssetCard {
  return { id, kind: 'image', title: { '*': title }, alt: {}, tags: ['local'], width: 96, height: 64, regions: [], expires: '', expiry: '', thumb: '', local: true, importedBy: '', importedAt: '' }
}

let app: App | null = null
let root: HTMLElement

async function mount(locale: 'en' | 'fr', setup: () => void) {
  root = document.createElement('div')
  document.body.append(root)
  const pinia = createPinia()
  setActivePinia(pinia)
  setup()
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/library')
  app = createApp(PhotoImportResult)
  app.use(pinia).use(router).use(createAppI18n(locale))
  app.mount(root)
  await nextTick()
}

afterEach(() => {
  app?.unmount()
  app = null
  root.remove()
})

function setup() {
  vi.mocked(packsApi.getPresets).mockResolvedValue([])
  usePacksStore().presets = [
    { id: 'social-square', name: { en: 'Square post', fr: 'Publication carrée' }, channel: 'social', width: 1080, height: 1080, format: 'jpeg', fit: 'fill' },
    { id: 'print-a4', name: { en: 'A4 poster', fr: 'Affiche A4' }, channel: 'print', width: 2480, height: 3508, format: 'jpeg', fit: 'fill' },
  ]
  usePhotosStore().lastImport = {
    imported: [card('local-1', 'harbour')],
    existing: [],
    failed: [
      { name: 'broken.jpg', error: { kind: 'corrupt', code: 'library.local_invalid', params: { name: 'broken.jpg', reason: 'image.corrupt' }, detail: '' } },
      { name: 'scan.tiff', error: { kind: 'invalid', code: 'library.local_invalid', params: { name: 'scan.tiff', reason: 'image.unsupported_format' }, detail: '' } },
    ],
    tooSmall: [{ id: 'local-1', presets: ['print-a4', 'social-square'] }],
  }
}

describe('PhotoImportResult', () => {
  it('counts, names each refused file with the reason in words, and the presets a photo is too small for', async () => {
    await mount('en', setup)
    const panel = root.querySelector('[data-testid="photo-import-result"]')!
    expect(panel.getAttribute('data-tone')).toBe('warning')
    expect(root.querySelector('[data-testid="photo-import-counts"]')?.textContent).toBe("1 photo imported · 2 files couldn't be imported")
    const failures = [...root.querySelectorAll('[data-testid="photo-import-failure"]')].map((e) => e.textContent?.trim())
    expect(failures).toEqual([
      "“broken.jpg” can't be imported: it is damaged or incomplete.",
      "“scan.tiff” can't be imported: it isn't a JPEG, PNG, GIF or WebP image.",
    ])
    const small = root.querySelector('[data-testid="photo-import-too-small"]')!
    expect(small.textContent).toContain('harbour')
    expect([...small.querySelectorAll('.pill')].map((e) => e.textContent)).toEqual(['Square post', 'A4 poster'])
  })

  it('speaks French', async () => {
    await mount('fr', setup)
    const failure = root.querySelector('[data-testid="photo-import-failure"]')?.textContent?.trim()
    expect(failure).toBe('«\u00a0broken.jpg\u00a0» ne peut pas être importé\u00a0: le fichier est endommagé ou incomplet.')
    expect(root.querySelector('[data-testid="photo-import-too-small"] .pill')?.textContent).toBe('Publication carrée')
  })

  it('shows the local photos and goes when asked', async () => {
    await mount('en', setup)
    ;(root.querySelector('[data-testid="photo-import-show"]') as HTMLElement).click()
    await nextTick()
    expect(useLibraryStore().filters.tags).toEqual(['local'])
    expect(root.querySelector('[data-testid="photo-import-result"]')).toBeNull()
  })
})
