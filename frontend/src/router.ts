// Hash routes (Wails serves one page): one per section, /library first; the
// library has tabs (images, brand kit, templates) and deep links to an asset
// or a template; campaigns have their list and a composer per campaign.
import { createRouter, createWebHashHistory, RouterView, type RouteRecordRaw } from 'vue-router'
import CheckReportView from './views/campaigns/CheckReportView.vue'
import ComposerView from './views/campaigns/ComposerView.vue'
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
  {
    path: '/campaigns',
    component: RouterView,
    children: [
      { path: '', name: 'campaigns', component: CampaignsView },
      { path: ':id', name: 'campaign', component: ComposerView, props: true },
      { path: ':id/check', name: 'campaign-check', component: CheckReportView, props: true },
    ],
  },
  { path: '/outbox', name: 'outbox', component: OutboxView },
  { path: '/packs', name: 'packs', component: PacksView },
  { path: '/settings', name: 'settings', component: SettingsView },
  { path: '/:rest(.*)*', redirect: '/library' },
]

export function createAppRouter() {
  return createRouter({ history: createWebHashHistory(), routes })
}
