// Starts a UI session: subscribes to the backend's events, then loads the
// settings (and so the language), the shell's status and the running tasks.
import { onOnline, onTask } from '../api/events'
import { useSettingsStore } from '../stores/settings'
import { useStatusStore } from '../stores/status'
import { useTasksStore } from '../stores/tasks'
import { useUiStore } from '../stores/ui'

export interface Session {
  /** Resolves once the first load is over, whatever its outcome. */
  ready: Promise<void>
  /** Stops listening to the backend. */
  stop: () => void
}

export function startSession(): Session {
  const ui = useUiStore()
  const settings = useSettingsStore()
  const status = useStatusStore()
  const tasks = useTasksStore()

  ui.applyLanguage('')
  const offs = [
    onOnline((s) => status.applyOnline(s)),
    onTask((u) => {
      // A finished task may have changed what the status shows (storage size).
      if (tasks.apply(u) && u.state !== 'running') void status.load()
    }),
  ]

  const ready = Promise.all([
    settings.load().then((ok) => {
      if (ok && settings.saved) ui.applyLanguage(settings.saved.language)
    }),
    status.load(),
    tasks.loadActive(),
  ]).then(() => undefined)

  return { ready, stop: () => offs.forEach((off) => off()) }
}
