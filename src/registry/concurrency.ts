// Two small concurrency tools the client is built on: a counting semaphore (the per-host request
// limit, abortable so that a passed deadline frees the waiters) and single-flight memoisation
// (identical questions asked concurrently share one answer and one request chain).

/** A counting semaphore whose waiters can be abandoned through an AbortSignal. */
export class Semaphore {
  private available: number
  private readonly waiters: Array<{ grant: () => void }> = []

  constructor(readonly limit: number) {
    this.available = limit
  }

  /** Waits for a permit; rejects with the signal's reason when it aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason)
    if (this.available > 0) {
      this.available -= 1
      return Promise.resolve()
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }
      }
      const onAbort = (): void => {
        const index = this.waiters.indexOf(waiter)
        if (index !== -1) this.waiters.splice(index, 1)
        reject(signal?.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(waiter)
    })
  }

  release(): void {
    const next = this.waiters.shift()
    if (next !== undefined) next.grant()
    else this.available += 1
  }

  /** Runs `task` holding a permit. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal)
    try {
      return await task()
    } finally {
      this.release()
    }
  }
}

/**
 * Memoises async results by key: the first caller starts the work, later callers (concurrent or not)
 * get the same promise. `forgetFailures` drops rejected entries so a later call can try again.
 */
export class SingleFlight<T> {
  private readonly entries = new Map<string, Promise<T>>()

  constructor(private readonly options: { forgetFailures?: boolean } = {}) {}

  get size(): number {
    return this.entries.size
  }

  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.entries.get(key)
    if (existing !== undefined) return existing
    const started = work()
    this.entries.set(key, started)
    if (this.options.forgetFailures === true) {
      started.catch(() => {
        if (this.entries.get(key) === started) this.entries.delete(key)
      })
    }
    return started
  }

  delete(key: string): void {
    this.entries.delete(key)
  }
}
