// Bearer tokens by (realm, service, scope, identity): reused until shortly before they expire, and
// fetched at most once at a time per key, however many lookups need the token concurrently.

/** A token as the token server issued it. */
export interface IssuedToken {
  token: string
  /** Lifetime in seconds; the spec's default (and minimum) is 60. */
  expiresInSeconds: number | null
}

interface CachedToken {
  token: string
  expiresAt: number
}

/** Caches tokens and deduplicates token requests. */
export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>()
  private readonly pending = new Map<string, Promise<CachedToken>>()
  /** Token requests actually started. */
  fetches = 0

  /** The token for `key`, from the cache or from `fetch` (run once for all concurrent callers). */
  async get(key: string, fetch: () => Promise<IssuedToken>): Promise<string> {
    const cached = this.tokens.get(key)
    if (cached !== undefined && cached.expiresAt > Date.now()) return cached.token
    let pending = this.pending.get(key)
    if (pending === undefined) {
      this.fetches += 1
      pending = fetch().then((issued) => {
        const lifetimeMs = Math.max(60, issued.expiresInSeconds ?? 60) * 1000
        // Stop using a token a little before it expires, so that it does not expire in flight.
        const entry = { token: issued.token, expiresAt: Date.now() + lifetimeMs - Math.min(10_000, lifetimeMs / 10) }
        this.tokens.set(key, entry)
        return entry
      })
      this.pending.set(key, pending)
      const settled = (): void => {
        if (this.pending.get(key) === pending) this.pending.delete(key)
      }
      pending.then(settled, settled)
    }
    return (await pending).token
  }

  /** Forgets a token the registry no longer accepts. */
  invalidate(key: string): void {
    this.tokens.delete(key)
  }
}
