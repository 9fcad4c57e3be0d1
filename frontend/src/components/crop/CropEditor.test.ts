import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp, defineComponent, h, nextTick, ref, type App } from 'vue'
import type { AssetDetail, Point } from '../../api/library'
import * as api from '../../api/photos'
import type { Crop, PresetCrop } from '../../api/photos'
import { createAppI18n } from '../../i18n'
import { fillRegion, fracAspect } from '../../lib/crop'
import CropEditor, { type CropFrame } from './CropEditor.vue'

vi.mock('../../api/photos', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../api/photos')>()),
  getCrops: vi.fn(),
}))

const asset: AssetDetail = {
  id: 'lake',
  kind: 'image',
  title: { en: 'Lake' },
  alt: {},
  tags: [],
  width: 2000,
  height: 1000,
  regions: [],
  expires: '',
  expiry: '',
  thumb: '/library/thumb/abc?side=320',
  local: false,
  importedBy: '',
  importedAt: '',
  description: {},
  focal: { x: 0.5, y: 0.5 },
  credit: { author: '', source: '', licence: '' },
  image: '/library/file/abc',
  sha256: 'abc',
  path: 'images/lake.jpg',
}

/** A stand-in for Go's Crops: fill around the focal point, manual crops as given. */
function fakeCrops(_id: string, focal: Point | null, manual: Record<string, Crop>): Promise<PresetCrop[]> {
  const f = focal ?? asset.focal
  const presets = [
    { preset: 'social-square', name: { en: 'Square post' }, channel: 'social', width: 1080, height: 1080, fit: 'fill' },
    { preset: 'print-a4', name: { en: 'A4 poster' }, channel: 'print', width: 2480, height: 3508, fit: 'fill' },
    { preset: 'square-fit', name: { en: 'Square, uncropped' }, channel: 'social', width: 1200, height: 1200, fit: 'fit' },
  ]
  return Promise.resolve(
    presets.map((p) => {
      const r = p.fit === 'fit' ? { x: 0, y: 0, w: 1, h: 1 } : (manual[p.preset] ?? fillRegion(fracAspect(p.width, p.height, 2000, 1000), f))
      return { ...p, ...r, upscaled: p.preset === 'print-a4', manual: !!manual[p.preset] }
    }),
  )
}

let app: App | null = null
let root: HTMLElement
const focal = ref<Point | null>(null)
const manual = ref<Record<string, Crop>>({})
const commits = ref(0)

async function flush() {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => requestAnimationFrame(() => r(null)))
    await nextTick()
    await new Promise((r) => setTimeout(r, 0))
  }
}

async function mount(frames: CropFrame[] = []) {
  root = document.createElement('div')
  document.body.append(root)
  setActivePinia(createPinia())
  const Host = defineComponent({
    setup() {
      return () =>
        h(CropEditor, {
          asset,
          focal: focal.value,
          manual: manual.value,
          frames,
          'onUpdate:focal': (p: Point) => (focal.value = p),
          onCrop: (preset: string, c: Crop | null) => {
            const next = { ...manual.value }
            if (c) next[preset] = c
            else delete next[preset]
            manual.value = next
          },
          onCommit: () => commits.value++,
        })
    },
  })
  app = createApp(Host)
  app.use(createPinia()).use(createAppI18n('en'))
  app.mount(root)
  await flush()
}

/** jsdom has no PointerEvent: a MouseEvent of that type carries what the editor reads. */
function pointer(type: string, init: MouseEventInit): MouseEvent {
  return new MouseEvent(type, { bubbles: true, ...init })
}

const box = (preset: string) => root.querySelector<HTMLElement>(`[data-preset="${preset}"] [data-testid="crop-box"]`)!

beforeEach(() => {
  focal.value = { x: 0.5, y: 0.5 }
  manual.value = {}
  commits.value = 0
  vi.mocked(api.getCrops).mockImplementation(fakeCrops)
})

afterEach(() => {
  app?.unmount()
  app = null
  root.remove()
})

describe('CropEditor', () => {
  it('shows every preset, grouped by channel, as the thumbnail cut to its crop', async () => {
    await mount()
    // By channel: social first, then print, each in the library's order.
    expect([...root.querySelectorAll<HTMLElement>('[data-testid="crop-preset"]')].map((e) => e.dataset.preset)).toEqual(['social-square', 'square-fit', 'print-a4'])
    expect([...root.querySelectorAll('.card-channel')].map((e) => e.textContent?.trim())).toEqual(['Social media', 'Social media', 'Print'])
    const square = box('social-square')
    // A square of a 2:1 picture around the centre: half its width, from 25%.
    expect(square.style.backgroundSize).toBe('200% 100%')
    expect(square.style.backgroundPosition).toBe('50% 0%')
    expect(square.style.backgroundImage).toContain('/library/thumb/abc?side=1024')
    // The uncropped preset is letterboxed: a band above and below.
    expect(box('square-fit').style.top).toBe('25%')
    expect(box('square-fit').style.height).toBe('50%')
  })

  it('flags presets the picture is too small for, and offers no crop for uncropped ones', async () => {
    await mount()
    expect(root.querySelector('[data-preset="print-a4"] [data-testid="crop-upscaled"]')).not.toBeNull()
    expect(root.querySelector('[data-preset="social-square"] [data-testid="crop-upscaled"]')).toBeNull()
    expect(root.querySelector('[data-preset="square-fit"] [data-testid="crop-adjust"]')).toBeNull()
  })

  it('moves the focal point with the arrow keys (Shift: 10%) and the crops follow', async () => {
    await mount()
    const handle = root.querySelector<HTMLElement>('[data-testid="crop-focal"]')!
    expect(handle.getAttribute('tabindex')).toBe('0')
    expect(handle.getAttribute('aria-valuetext')).toBe('Focal point: 50% across, 50% down')
    handle.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }))
    await flush()
    expect(focal.value).toEqual({ x: 0.51, y: 0.5 })
    handle.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', shiftKey: true, bubbles: true }))
    await flush()
    expect(focal.value).toEqual({ x: 0.41, y: 0.5 })
    expect(commits.value).toBe(2)
    expect(api.getCrops).toHaveBeenLastCalledWith('lake', { x: 0.41, y: 0.5 }, {})
    expect(box('social-square').style.backgroundPosition).not.toBe('50% 0%')
    expect(handle.style.left).toBe('41%')
  })

  it('drags the focal point with the pointer', async () => {
    await mount()
    const picture = root.querySelector<HTMLElement>('[data-testid="crop-picture"]')!
    picture.getBoundingClientRect = () => ({ left: 0, top: 0, width: 400, height: 200, right: 400, bottom: 200, x: 0, y: 0, toJSON: () => ({}) })
    picture.dispatchEvent(pointer('pointerdown', { clientX: 100, clientY: 50, button: 0, bubbles: true }))
    expect(focal.value).toEqual({ x: 0.25, y: 0.25 })
    window.dispatchEvent(pointer('pointermove', { clientX: 300, clientY: 150 }))
    expect(focal.value).toEqual({ x: 0.75, y: 0.75 })
    window.dispatchEvent(pointer('pointerup', {}))
    expect(commits.value).toBe(1)
    await flush()
    expect(box('social-square').style.backgroundPosition).toBe('100% 0%')
  })

  it('adjusts one preset’s crop with the keyboard, and goes back to automatic', async () => {
    await mount()
    root.querySelector<HTMLElement>('[data-preset="social-square"] [data-testid="crop-adjust"]')!.click()
    await flush()
    const rect = root.querySelector<HTMLElement>('[data-testid="crop-rect"]')!
    expect(rect).not.toBeNull()
    expect(root.querySelector('[data-testid="crop-focal"]')).toBeNull()
    rect.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', shiftKey: true, bubbles: true }))
    await flush()
    expect(manual.value['social-square']).toEqual({ x: 0.15, y: 0, w: 0.5, h: 1 })
    expect(root.querySelector('[data-preset="social-square"] [data-testid="crop-manual"]')).not.toBeNull()
    expect(api.getCrops).toHaveBeenLastCalledWith('lake', { x: 0.5, y: 0.5 }, { 'social-square': { x: 0.15, y: 0, w: 0.5, h: 1 } })
    root.querySelector<HTMLElement>('[data-testid="crop-reset"]')!.click()
    await flush()
    expect(manual.value).toEqual({})
    rect.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await flush()
    expect(root.querySelector('[data-testid="crop-rect"]')).toBeNull()
  })

  it('draws frames Go has no preset for around the focal point', async () => {
    await mount([{ preset: 'email', name: { en: 'Email picture' }, channel: 'email', width: 600, height: 300 }])
    const email = box('email')
    expect(email).not.toBeNull()
    expect(email.style.backgroundSize).toBe('100% 100%')
    expect(root.querySelector('[data-preset="email"] [data-testid="crop-upscaled"]')).toBeNull()
  })
})
