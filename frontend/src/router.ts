// Hash routes (Wails serves one page): one per section, /library first; the
// library has tabs (images, brand kit, templates) and deep links to an asset
// or a template.
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import CampaignsView from './views/CampaignsView.vue'
import AssetView from './views/library/AssetView.vue'
import BrandTab from './views/library/BrandTab.vue'
import ImagesTab from './views/library/ImagesTab.vue'
import TemplatesTab from './views/library/TemplatesTab.vue'
import TemplateView from './views/library/TemplateView.vue'
import LibraryView from './views/LibraryView.vue'
import OutboxView from './views/OutboxView.vue'
import PacksView from './views/PacksView.vue'
import SettingsView from './views/SettingsView.vue'

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/library' },
  {
    path: '/library',
    component: LibraryView,
    children: [
      { path: '', name: 'library', component: ImagesTab },
      { path: 'asset/:id', name: 'library-asset', component: AssetView, props: true },
      { path: 'brand', name: 'library-brand', component: BrandTab },
      { path: 'templates', name: 'library-templates', component: TemplatesTab },
      { path: 'templates/:id', name: 'library-template', component: TemplateView, props: true },
    ],
  },
  { path: '/campaigns', name: 'campaigns', component: CampaignsView },
  { path: '/outbox', name: 'outbox', component: OutboxView },
  { path: '/packs', name: 'packs', component: PacksView },
  { path: '/settings', name: 'settings', component: SettingsView },
  { path: '/:rest(.*)*', redirect: '/library' },
]

export function createAppRouter() {
  return createRouter({ history: createWebHashHistory(), routes })
}
