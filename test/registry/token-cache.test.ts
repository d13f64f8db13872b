// The token cache: one fetch per key however many callers wait, reuse until shortly before expiry,
// a fresh fetch after a failure or an invalidation.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TokenCache } from '../../src/registry/token-cache.js'

afterEach(() => {
  vi.useRealTimers()
})

describe('TokenCache', () => {
  it('fetches once for concurrent callers of one key, and once per key', async () => {
    const cache = new TokenCache()
    let fetched = 0
    const fetch = async (): Promise<{ token: string; expiresInSeconds: number }> => {
      const number = ++fetched
      await new Promise((resolve) => setTimeout(resolve, 10))
      return { token: `token-${number}`, expiresInSeconds: 300 }
    }
    const tokens = await Promise.all([cache.get('a', fetch), cache.get('a', fetch), cache.get('a', fetch), cache.get('b', fetch)])
    expect(tokens).toEqual(['token-1', 'token-1', 'token-1', 'token-2'])
    expect(cache.fetches).toBe(2)
    expect(await cache.get('a', fetch)).toBe('token-1')
  })

  it('fetches again once a token is about to expire (never sooner than 60 s, the spec minimum)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'))
    const cache = new TokenCache()
    let fetched = 0
    const fetch = async (): Promise<{ token: string; expiresInSeconds: number }> => ({ token: `token-${++fetched}`, expiresInSeconds: 30 })
    expect(await cache.get('k', fetch)).toBe('token-1')
    vi.setSystemTime(new Date('2026-01-01T00:00:50Z'))
    expect(await cache.get('k', fetch)).toBe('token-1')
    // 60 s lifetime, stops 6 s early.
    vi.setSystemTime(new Date('2026-01-01T00:00:55Z'))
    expect(await cache.get('k', fetch)).toBe('token-2')
  })

  it('does not keep a failure, and forgets an invalidated token', async () => {
    const cache = new TokenCache()
    await expect(cache.get('k', async () => Promise.reject(new Error('token server down')))).rejects.toThrow('token server down')
    expect(await cache.get('k', async () => ({ token: 'fresh', expiresInSeconds: null }))).toBe('fresh')
    cache.invalidate('k')
    expect(await cache.get('k', async () => ({ token: 'fresher', expiresInSeconds: null }))).toBe('fresher')
  })
})
