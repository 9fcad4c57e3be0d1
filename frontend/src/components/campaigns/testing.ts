// Test helpers for the campaign components: a campaign in two locales and a
// way to mount a component with Pinia and i18n.
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createApp, nextTick, type App, type Component } from 'vue'
import type { Campaign, FormSlot, Resolved } from '../../api/campaigns'
import type { SlotLimits } from '../../api/library'
import { createAppI18n } from '../../i18n'

export function formSlot(id: string, extra: Partial<Omit<FormSlot, 'limits'>> & { limits?: Partial<SlotLimits> } = {}): FormSlot {
  const { limits, ...rest } = extra
  return {
    id,
    kind: 'text',
    lock: 'editable',
    label: { en: id.charAt(0).toUpperCase() + id.slice(1), fr: id },
    help: {},
    options: [],
    ...rest,
    limits: { required: false, maxLength: 0, minWidth: 0, minHeight: 0, aspect: '', locales: [], ...limits },
  }
}

export function resolved(slot: string, source: Resolved['source'], value: string, extra: Partial<Resolved> = {}): Resolved {
  return { slot, kind: 'text', lock: 'editable', value, text: value, option: '', source, ...extra }
}

export function campaignOf(slots: FormSlot[], values: Campaign['values'], extra: Partial<Campaign> = {}): Campaign {
  return {
    id: 'c1',
    name: 'Spring',
    library: 'cairn',
    release: 1,
    latest: 1,
    template: 'newsletter',
    templateName: { en: 'Monthly newsletter' },
    region: 'be',
    regionName: { en: 'Belgium' },
    locales: ['fr', 'en'],
    audience: '',
    sendAt: '',
    status: 'draft',
    author: '',
    created: '',
    updated: '',
    rev: 1,
    crops: {},
    slots,
    scopes: [],
    translation: [],
    sender: { '*': 'Cairn Outdoor' },
    values,
    signOff: null,
    signOffVoided: false,
    submission: '',
    hqComments: [],
    ...extra,
  }
}

export interface Mounted {
  app: App
  root: HTMLElement
  pinia: Pinia
  unmount: () => void
}

/** Mounts a component with a fresh Pinia (set up by setup) and English i18n. */
export async function mountWith(component: Component, props: Record<string, unknown>, setup: () => void = () => {}): Promise<Mounted> {
  const root = document.createElement('div')
  document.body.append(root)
  const pinia = createPinia()
  setActivePinia(pinia)
  setup()
  const app = createApp(component, props)
  app.use(pinia).use(createAppI18n('en'))
  app.mount(root)
  await nextTick()
  return {
    app,
    root,
    pinia,
    unmount: () => {
      app.unmount()
      root.remove()
    },
  }
}
