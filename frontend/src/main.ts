// Outpost's UI entry: Pinia, i18n, router, then the session with the backend.
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { i18n } from './i18n'
import { startSession } from './lib/bootstrap'
import { createAppRouter } from './router'
import './styles/tokens.css'
import './styles/base.css'

/** How long the first paint waits for the settings (and so the language). */
const FIRST_PAINT_WAIT_MS = 1500

const app = createApp(App)
app.use(createPinia())
app.use(i18n)
app.use(createAppRouter())

const session = startSession()
const waited = new Promise<void>((resolve) => setTimeout(resolve, FIRST_PAINT_WAIT_MS))
void Promise.race([session.ready, waited]).then(() => app.mount('#app'))

if (import.meta.hot) import.meta.hot.dispose(() => session.stop())
