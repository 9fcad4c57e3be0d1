import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SaveQueue } from './saveQueue'

interface Call {
  key: string
  value: string
  resolve: () => void
  reject: (e: unknown) => void
}

/** A queue whose saves wait for the test to settle them. */
function setup(delay = 400) {
  const calls: Call[] = []
  const q = new SaveQueue<string>({
    delay,
    save: (key, value) => new Promise<void>((resolve, reject) => calls.push({ key, value, resolve, reject })),
  })
  return { q, calls }
}

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }))
afterEach(() => vi.useRealTimers())

describe('SaveQueue', () => {
  it('saves once typing has paused, with the newest value', async () => {
    const { q, calls } = setup()
    q.edit('fr/subject', 'H')
    vi.advanceTimersByTime(300)
    q.edit('fr/subject', 'He')
    vi.advanceTimersByTime(300)
    q.edit('fr/subject', 'Hey')
    expect(q.state).toBe('pending')
    expect(calls).toHaveLength(0)
    vi.advanceTimersByTime(399)
    expect(calls).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(calls.map((c) => c.value)).toEqual(['Hey'])
    expect(q.state).toBe('saving')
    expect(q.pending('fr/subject')).toBe(true)
    calls[0]!.resolve()
    await vi.waitFor(() => expect(q.state).toBe('saved'))
    expect(q.pending('fr/subject')).toBe(false)
  })

  it('flush saves at once and resolves when done', async () => {
    const { q, calls } = setup()
    q.edit('fr/a', '1')
    q.edit('fr/b', '2')
    const done = q.flush()
    let resolved = false
    void done.then(() => (resolved = true))
    await vi.advanceTimersByTimeAsync(0)
    expect(calls.map((c) => c.key)).toEqual(['fr/a'])
    calls[0]!.resolve()
    await vi.advanceTimersByTimeAsync(0)
    expect(calls.map((c) => c.key)).toEqual(['fr/a', 'fr/b'])
    expect(resolved).toBe(false)
    calls[1]!.resolve()
    await done
    expect(resolved).toBe(true)
    // The timers of the flushed fields are gone: nothing saves twice.
    vi.advanceTimersByTime(1000)
    expect(calls).toHaveLength(2)
  })

  it('flushes one field only when asked', async () => {
    const { q, calls } = setup()
    q.edit('fr/a', '1')
    q.edit('fr/b', '2')
    void q.flush('fr/b')
    expect(calls.map((c) => c.key)).toEqual(['fr/b'])
    calls[0]!.resolve()
    await vi.advanceTimersByTimeAsync(0)
    vi.advanceTimersByTime(400)
    expect(calls.map((c) => c.key)).toEqual(['fr/b', 'fr/a'])
  })

  it('runs one save at a time; a field edited during its save saves again after', async () => {
    const { q, calls } = setup(100)
    q.edit('k', 'one')
    vi.advanceTimersByTime(100)
    expect(calls).toHaveLength(1)
    q.edit('k', 'two')
    vi.advanceTimersByTime(100)
    expect(calls).toHaveLength(1)
    expect(q.state).toBe('saving')
    calls[0]!.resolve()
    await vi.advanceTimersByTimeAsync(0)
    expect(calls.map((c) => c.value)).toEqual(['one', 'two'])
    calls[1]!.resolve()
    await vi.advanceTimersByTimeAsync(0)
    expect(q.state).toBe('saved')
  })

  it('reports a refused save until a newer value of that field saves', async () => {
    const { q, calls } = setup(100)
    q.edit('k', 'bad')
    const flushed = q.flush()
    calls[0]!.reject(new Error('too long'))
    await flushed
    expect(q.state).toBe('error')
    expect(q.hasFailed('k')).toBe(true)
    expect(q.failures).toBe(1)
    q.edit('k', 'good')
    expect(q.state).toBe('pending')
    void q.flush()
    calls[1]!.resolve()
    await vi.advanceTimersByTimeAsync(0)
    expect(q.hasFailed('k')).toBe(false)
    expect(q.state).toBe('saved')
  })

  it('forget drops an unsaved value and its failure', async () => {
    const { q, calls } = setup(100)
    q.edit('k', 'x')
    q.forget('k')
    vi.advanceTimersByTime(200)
    expect(calls).toHaveLength(0)
    expect(q.state).toBe('idle')
  })

  it('reset drops everything not yet sent', () => {
    const { q, calls } = setup(100)
    q.edit('a', '1')
    q.edit('b', '2')
    q.reset()
    vi.advanceTimersByTime(200)
    expect(calls).toHaveLength(0)
    expect(q.state).toBe('idle')
  })

  it('idle resolves at once when nothing is due', async () => {
    const { q } = setup()
    q.edit('a', '1')
    await expect(q.idle()).resolves.toBeUndefined()
  })

  it('calls onChange as its state moves', async () => {
    const states: string[] = []
    let release: () => void = () => {}
    const q: SaveQueue<string> = new SaveQueue<string>({
      delay: 10,
      save: () => new Promise<void>((r) => (release = r)),
      onChange: () => states.push(q.state),
    })
    q.edit('a', '1')
    vi.advanceTimersByTime(10)
    release()
    await vi.advanceTimersByTimeAsync(0)
    expect(states[0]).toBe('pending')
    expect(states).toContain('saving')
    expect(states[states.length - 1]).toBe('saved')
  })
})
