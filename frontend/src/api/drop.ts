// Files dropped on the window (Wails' OnFileDrop). Wails registers one
// callback for the whole window, only for drops on an element whose CSS has
// `--wails-drop-target: drop`, and adds the class wails-drop-target-active
// to it while files are dragged over it; this keeps one registration and
// hands each drop to whoever listens now.
import { OnFileDrop, OnFileDropOff } from '../wailsjs/runtime/runtime'

/** The class Wails puts on a drop target while files are dragged over it. */
export const DROP_ACTIVE_CLASS = 'wails-drop-target-active'

export type DropHandler = (paths: string[], at: { x: number; y: number }) => void

const handlers = new Set<DropHandler>()
let registered = false

function register(): boolean {
  if (registered) return true
  try {
    OnFileDrop((x, y, paths) => {
      const list = Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string' && p !== '') : []
      if (list.length === 0) return
      for (const h of [...handlers]) h(list, { x, y })
    }, true)
    registered = true
  } catch {
    // No Wails runtime (a plain browser): nothing can be dropped.
  }
  return registered
}

/**
 * Calls fn with the paths of files dropped on a drop target; returns the
 * function that stops it. Without a Wails runtime nothing ever arrives.
 */
export function onFileDrop(fn: DropHandler): () => void {
  handlers.add(fn)
  register()
  return () => {
    handlers.delete(fn)
    if (handlers.size === 0 && registered) {
      try {
        OnFileDropOff()
      } catch {
        // The runtime went away: nothing to undo.
      }
      registered = false
    }
  }
}
