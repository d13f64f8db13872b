// Response headers the client acts on: Docker Hub's ratelimit-* and Retry-After, and the Link
// header of paginated tag lists (relative, as the reference registry sends it; never another origin).
import { describe, expect, it } from 'vitest'
import { nextPagePath } from '../../src/registry/index.js'
import { parseRateLimit, parseRetryAfter } from '../../src/registry/rate-limit.js'

describe('parseRateLimit', () => {
  it('reads Docker Hub pull-limit headers (value before ";", window after "w=")', () => {
    expect(parseRateLimit({ 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '76;w=21600', 'docker-ratelimit-source': '203.0.113.9' })).toEqual({
      limit: 100,
      remaining: 76,
      windowSeconds: 21600,
      retryAfterSeconds: null
    })
  })

  it('takes the first policy of a list, and Retry-After with it', () => {
    expect(parseRateLimit({ 'ratelimit-remaining': '0;w=3600, 10;w=60', 'retry-after': '120' })).toEqual({
      limit: null,
      remaining: 0,
      windowSeconds: 3600,
      retryAfterSeconds: 120
    })
  })

  it('returns null when there is nothing about limits', () => {
    expect(parseRateLimit({ 'content-type': 'application/json' })).toBeNull()
    expect(parseRateLimit({ 'ratelimit-limit': 'lots' })).toBeNull()
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter('30', now)).toBe(30)
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:30 GMT', now)).toBe(90)
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter(['5', '9'], now)).toBe(5)
    expect(parseRetryAfter('soon', now)).toBeNull()
    expect(parseRetryAfter(undefined, now)).toBeNull()
  })
})

describe('nextPagePath', () => {
  const current = 'https://r.example/v2/team/app/tags/list?n=2'

  it('resolves the relative link the reference registry sends', () => {
    expect(nextPagePath('</v2/team/app/tags/list?last=b&n=2>; rel="next"', current)).toBe('/v2/team/app/tags/list?last=b&n=2')
  })

  it('accepts an absolute link to the same origin, and finds rel=next among several links', () => {
    expect(nextPagePath('<https://r.example/v2/x?last=c>; rel="prev", <https://r.example/v2/team/app/tags/list?last=c&n=2>; rel=next', current)).toBe(
      '/v2/team/app/tags/list?last=c&n=2'
    )
  })

  it('refuses a link to another origin and stops without a link', () => {
    expect(nextPagePath('<https://evil.example/v2/team/app/tags/list?last=b>; rel="next"', current)).toBeNull()
    expect(nextPagePath('<http://r.example/v2/team/app/tags/list?last=b>; rel="next"', current)).toBeNull()
    expect(nextPagePath(undefined, current)).toBeNull()
  })
})
