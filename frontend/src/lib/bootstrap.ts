// Starts a UI session: subscribes to the backend's events, then loads the
// settings (and so the language), the shell's status, the active library
// and the running tasks.
import { onCampaign, onHub, onLibrary, onOnline, onOutbox, onTask } from '../api/events'
import { useCampaignsStore } from '../stores/campaigns'
import { useHubStore } from '../stores/hub'
import { useLibraryStore } from '../stores/library'
import { useOutboxStore } from '../stores/outbox'
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
  const library = useLibraryStore()
  const hub = useHubStore()
  const outbox = useOutboxStore()
  const campaigns = useCampaignsStore()

  ui.applyLanguage('')
  const offs = [
    onOnline((s) => status.applyOnline(s)),
    onTask((u) => {
      if (!tasks.apply(u)) return
      if (u.kind === 'import') library.onImportUpdate(u)
      if (u.state === 'running') return
      // A finished task may have changed what the status shows (storage
      // size, the library release).
      void status.load()
      if (u.kind === 'import') void library.loadInfo()
    }),
    onLibrary((info) => {
      library.applyInfo(info)
      status.applyLibrary(info)
    }),
    onHub((s) => hub.apply(s)),
    onOutbox((it) => {
      const prev = outbox.byId[it.id]
      if (!outbox.apply(it)) return
      // HQ's answer changes the campaign (its status, HQ's comments).
      if (prev?.hubState !== it.hubState || prev?.comments.length !== it.comments.length) campaigns.onSubmissionChanged(it.campaignId)
    }),
    onCampaign((c) => campaigns.onSubmissionChanged(c.id)),
  ]

  const ready = Promise.all([
    settings.load().then((ok) => {
      if (ok && settings.saved) ui.applyLanguage(settings.saved.language)
    }),
    status.load(),
    library.loadInfo(),
    tasks.loadActive(),
    hub.load(),
    outbox.load(),
  ]).then(() => undefined)

  return { ready, stop: () => offs.forEach((off) => off()) }
}
