import { afterEach, describe, expect, it, vi } from 'vitest'
import { debounce } from './debounce'

afterEach(() => vi.useRealTimers())

describe('debounce', () => {
  it('calls once with the last arguments after a quiet period', () => {
    vi.useFakeTimers()
    const fn = vi.fn()
    const d = debounce(fn, 120)
    d('l')
    vi.advanceTimersByTime(100)
    d('la')
    vi.advanceTimersByTime(100)
    d('lac')
    expect(fn).not.toHaveBeenCalled()
    vi.advanceTimersByTime(120)
    expect(fn).toHaveBeenCalledTimes(1)
    expect(fn).toHaveBeenCalledWith('lac')
  })

  it('flushes and cancels', () => {
    vi.useFakeTimers()
    const fn = vi.fn()
    const d = debounce(fn, 120)
    d('a')
    d.flush()
    expect(fn).toHaveBeenCalledWith('a')
    d('b')
    d.cancel()
    vi.advanceTimersByTime(500)
    expect(fn).toHaveBeenCalledTimes(1)
    d.flush()
    expect(fn).toHaveBeenCalledTimes(1)
  })
})
