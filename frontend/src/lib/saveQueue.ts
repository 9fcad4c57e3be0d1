// Saves edits in the background: each field's save waits until typing has
// paused (or runs at once on flush: blur, locale switch, undo), saves run
// one at a time in the order they became due, and a field edited again
// before its save ran is saved once, with its newest value.

/** Where the queue is, for the "Saving…/Saved" line; saving wins over pending, pending over error. */
export type QueueState = 'idle' | 'pending' | 'saving' | 'saved' | 'error'

export interface SaveQueueOptions<V> {
  /** How long typing must pause before a field saves, in ms. */
  delay: number
  /** Saves one field; rejects when the value was refused. */
  save: (key: string, value: V) => Promise<void>
  /** Called whenever state, pending keys or failures change. */
  onChange?: () => void
}

export class SaveQueue<V> {
  /** Edited values not yet sent, by key. */
  private waiting = new Map<string, V>()
  private timers = new Map<string, ReturnType<typeof setTimeout>>()
  /** Keys due to save, in order. */
  private due: string[] = []
  private inFlight: string | null = null
  private failed = new Set<string>()
  private savedOnce = false
  private idleWaiters: (() => void)[] = []

  constructor(private readonly opts: SaveQueueOptions<V>) {}

  /** Records a new value for key; it saves once typing has paused. */
  edit(key: string, value: V): void {
    this.waiting.set(key, value)
    this.clearTimer(key)
    if (!this.due.includes(key)) {
      this.timers.set(
        key,
        setTimeout(() => {
          this.timers.delete(key)
          this.markDue(key)
        }, this.opts.delay),
      )
    }
    this.changed()
  }

  /** Saves key (or every edited field) now; resolves once nothing due is left. */
  flush(key?: string): Promise<void> {
    const keys = key === undefined ? [...this.waiting.keys()] : this.waiting.has(key) ? [key] : []
    for (const k of keys) {
      this.clearTimer(k)
      this.markDue(k, false)
    }
    void this.pump()
    return this.idle()
  }

  /** Drops key's unsaved value and its failure. */
  forget(key: string): void {
    this.clearTimer(key)
    this.waiting.delete(key)
    this.due = this.due.filter((k) => k !== key)
    this.failed.delete(key)
    this.changed()
  }

  /** Drops everything not yet sent (another campaign opens). */
  reset(): void {
    for (const k of [...this.timers.keys()]) this.clearTimer(k)
    this.waiting.clear()
    this.due = []
    this.failed.clear()
    this.savedOnce = false
    this.changed()
  }

  /** Whether key has a value not yet saved, or a save under way. */
  pending(key: string): boolean {
    return this.waiting.has(key) || this.inFlight === key
  }

  /** Whether key's last save was refused (and nothing newer saved). */
  hasFailed(key: string): boolean {
    return this.failed.has(key)
  }

  get failures(): number {
    return this.failed.size
  }

  get state(): QueueState {
    if (this.inFlight !== null) return 'saving'
    if (this.waiting.size > 0) return 'pending'
    if (this.failed.size > 0) return 'error'
    return this.savedOnce ? 'saved' : 'idle'
  }

  /** Resolves once no save runs and none is due (fields still waiting for a pause are not awaited). */
  idle(): Promise<void> {
    if (this.inFlight === null && this.due.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  private clearTimer(key: string) {
    const t = this.timers.get(key)
    if (t !== undefined) clearTimeout(t)
    this.timers.delete(key)
  }

  private markDue(key: string, run = true) {
    if (!this.due.includes(key)) this.due.push(key)
    if (run) void this.pump()
  }

  private async pump(): Promise<void> {
    if (this.inFlight !== null) return
    while (this.due.length > 0) {
      const key = this.due.shift()!
      if (!this.waiting.has(key)) continue
      const value = this.waiting.get(key) as V
      this.waiting.delete(key)
      this.inFlight = key
      this.changed()
      try {
        await this.opts.save(key, value)
        // A newer value typed meanwhile will say for itself.
        this.failed.delete(key)
        this.savedOnce = true
      } catch {
        this.failed.add(key)
      }
      this.inFlight = null
    }
    this.changed()
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const w of waiters) w()
  }

  private changed() {
    this.opts.onChange?.()
  }
}
