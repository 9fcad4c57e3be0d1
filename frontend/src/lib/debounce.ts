// Calls fn once things have been quiet for ms (typing in a search box).

export interface Debounced<A extends unknown[]> {
  (...args: A): void
  /** Runs a pending call now. */
  flush: () => void
  /** Drops a pending call. */
  cancel: () => void
}

export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined
  let last: A | undefined
  const run = () => {
    timer = undefined
    if (last) {
      const args = last
      last = undefined
      fn(...args)
    }
  }
  const d = ((...args: A) => {
    last = args
    clearTimeout(timer)
    timer = setTimeout(run, ms)
  }) as Debounced<A>
  d.flush = () => {
    clearTimeout(timer)
    run()
  }
  d.cancel = () => {
    clearTimeout(timer)
    timer = undefined
    last = undefined
  }
  return d
}
