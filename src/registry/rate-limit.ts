// Reads the pull-budget headers Docker Hub sends on manifest HEAD and GET (`ratelimit-limit:
// 100;w=21600`, `ratelimit-remaining: 76;w=21600`) and the Retry-After of a 429, which may be
// seconds or an HTTP date.
import type { RateLimitInfo } from '../model.js'

type Headers = Record<string, string | string[] | undefined>

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/** `100;w=21600` (possibly a comma-separated list of policies: the first one counts) → { value, window }. */
function parsePolicy(text: string | undefined): { value: number | null; windowSeconds: number | null } {
  if (text === undefined) return { value: null, windowSeconds: null }
  const first = text.split(',')[0]!
  const [valuePart, ...parameters] = first.split(';')
  const value = Number.parseInt(valuePart!.trim(), 10)
  let windowSeconds: number | null = null
  for (const parameter of parameters) {
    const match = /^\s*w\s*=\s*(\d+)\s*$/.exec(parameter)
    if (match !== null) windowSeconds = Number.parseInt(match[1]!, 10)
  }
  return { value: Number.isFinite(value) ? value : null, windowSeconds }
}

/** Seconds from a Retry-After header (delta-seconds or HTTP-date), or null. */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | null {
  const text = firstValue(header)?.trim()
  if (text === undefined || text === '') return null
  if (/^\d+$/.test(text)) return Number.parseInt(text, 10)
  const date = Date.parse(text)
  if (Number.isNaN(date)) return null
  return Math.max(0, Math.ceil((date - now) / 1000))
}

/** The rate-limit facts of a response, or null when it carried none. */
export function parseRateLimit(headers: Headers, now = Date.now()): RateLimitInfo | null {
  const limit = parsePolicy(firstValue(headers['ratelimit-limit']))
  const remaining = parsePolicy(firstValue(headers['ratelimit-remaining']))
  const retryAfterSeconds = parseRetryAfter(headers['retry-after'], now)
  if (limit.value === null && remaining.value === null && retryAfterSeconds === null) return null
  return {
    limit: limit.value,
    remaining: remaining.value,
    windowSeconds: remaining.windowSeconds ?? limit.windowSeconds,
    retryAfterSeconds
  }
}
