import { decodeError } from './errors'

/**
 * Runs a bound Go call and rejects with a decoded AppError. Wails' generated
 * functions throw synchronously when the bridge is missing (e.g. the UI runs
 * in a plain browser), so the call itself sits inside the try.
 */
export async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    throw decodeError(e)
  }
}
