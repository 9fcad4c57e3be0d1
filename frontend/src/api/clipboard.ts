// Copying text: the web clipboard where the webview allows it, else Wails'.
import { ClipboardSetText } from '../wailsjs/runtime/runtime'

/** Puts text on the clipboard; false when neither way worked. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // Not allowed here: try the native clipboard.
  }
  try {
    return await ClipboardSetText(text)
  } catch {
    return false
  }
}
