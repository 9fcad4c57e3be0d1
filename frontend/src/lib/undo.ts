// Undo and redo within a session: a stack of saved edits, each one slot in
// one locale with the value before and after. Undoing applies `before`
// through the same save as any edit; a new edit forgets what could be redone.

/** One saved edit of a slot in a locale. */
export interface Edit {
  locale: string
  slot: string
  /** The stored value before the edit ("" when the slot fell back). */
  before: string
  after: string
}

/** How many edits are remembered. */
export const UNDO_LIMIT = 200

export class UndoStack {
  private done: Edit[] = []
  private undone: Edit[] = []

  constructor(private readonly limit = UNDO_LIMIT) {}

  get canUndo(): boolean {
    return this.done.length > 0
  }

  get canRedo(): boolean {
    return this.undone.length > 0
  }

  /** The edit undo would revert. */
  peekUndo(): Edit | undefined {
    return this.done[this.done.length - 1]
  }

  /** The edit redo would apply again. */
  peekRedo(): Edit | undefined {
    return this.undone[this.undone.length - 1]
  }

  /** Records a saved edit; an edit that changed nothing is not recorded. */
  push(e: Edit): void {
    if (e.before === e.after) return
    this.done.push({ ...e })
    if (this.done.length > this.limit) this.done.splice(0, this.done.length - this.limit)
    this.undone = []
  }

  /** Takes the last edit off the stack; the caller applies its `before`. */
  undo(): Edit | undefined {
    const e = this.done.pop()
    if (e) this.undone.push(e)
    return e
  }

  /** Takes the last undone edit back; the caller applies its `after`. */
  redo(): Edit | undefined {
    const e = this.undone.pop()
    if (e) this.done.push(e)
    return e
  }

  /** Puts an undo back when applying it failed. */
  cancelUndo(): void {
    const e = this.undone.pop()
    if (e) this.done.push(e)
  }

  /** Puts a redo back when applying it failed. */
  cancelRedo(): void {
    const e = this.done.pop()
    if (e) this.undone.push(e)
  }

  clear(): void {
    this.done = []
    this.undone = []
  }
}

/** The parts of a KeyboardEvent the undo shortcuts look at. */
export type UndoKeyInput = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>

/**
 * What a key press asks for: Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z and
 * Ctrl+Y redo. The letter as typed counts (Z sits elsewhere on AZERTY);
 * the physical key only when the layout types no Latin letter there.
 */
export function undoKey(e: UndoKeyInput): 'undo' | 'redo' | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null
  const typed = e.key.length === 1 && /[a-z]/i.test(e.key) ? e.key.toLowerCase() : ''
  const letter = typed || (/^Key([A-Z])$/.exec(e.code ?? '')?.[1]?.toLowerCase() ?? '')
  if (letter === 'z') return e.shiftKey ? 'redo' : 'undo'
  if (letter === 'y' && e.ctrlKey && !e.shiftKey) return 'redo'
  return null
}
