// The app's sections and their keyboard shortcuts (Ctrl/Cmd + 1..5).

export type SectionName = 'library' | 'campaigns' | 'outbox' | 'packs' | 'settings'

export interface Section {
  name: SectionName
  path: string
  /** The digit of its shortcut. */
  digit: string
}

export const SECTIONS: readonly Section[] = [
  { name: 'library', path: '/library', digit: '1' },
  { name: 'campaigns', path: '/campaigns', digit: '2' },
  { name: 'outbox', path: '/outbox', digit: '3' },
  { name: 'packs', path: '/packs', digit: '4' },
  { name: 'settings', path: '/settings', digit: '5' },
]

/** The parts of a KeyboardEvent the shortcuts look at. */
export type KeyInput = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>

/**
 * The section a key press opens, or null. Ctrl or Cmd plus a digit; the
 * physical key counts, so it works on layouts (like French AZERTY) where the
 * digits need Shift.
 */
export function sectionForKey(e: KeyInput): Section | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null
  const m = /^(?:Digit|Numpad)([0-9])$/.exec(e.code ?? '')
  const digit = m ? m[1] : e.shiftKey ? undefined : e.key
  return SECTIONS.find((s) => s.digit === digit) ?? null
}

/** Whether the UI runs on a Mac, where shortcuts use Cmd. */
export function isMac(nav: { platform?: string; userAgent?: string } | undefined = globalThis.navigator): boolean {
  if (!nav) return false
  return /mac|iphone|ipad/i.test(nav.platform || nav.userAgent || '')
}

/** The shortcut as a person reads it: "Ctrl+1", or "⌘1" on a Mac. */
export function shortcutLabel(digit: string, mac: boolean): string {
  return mac ? `⌘${digit}` : `Ctrl+${digit}`
}

/** The shortcut for aria-keyshortcuts: "Control+1", or "Meta+1" on a Mac. */
export function ariaShortcut(digit: string, mac: boolean): string {
  return mac ? `Meta+${digit}` : `Control+${digit}`
}
