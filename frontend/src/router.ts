// Hash routes (Wails serves one page): one per section, /library first.
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import CampaignsView from './views/CampaignsView.vue'
import LibraryView from './views/LibraryView.vue'
import OutboxView from './views/OutboxView.vue'
import PacksView from './views/PacksView.vue'
import SettingsView from './views/SettingsView.vue'

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/library' },
  { path: '/library', name: 'library', component: LibraryView },
  { path: '/campaigns', name: 'campaigns', component: CampaignsView },
  { path: '/outbox', name: 'outbox', component: OutboxView },
  { path: '/packs', name: 'packs', component: PacksView },
  { path: '/settings', name: 'settings', component: SettingsView },
  { path: '/:rest(.*)*', redirect: '/library' },
]

export function createAppRouter() {
  return createRouter({ history: createWebHashHistory(), routes })
}
