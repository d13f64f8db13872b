// HTTP for the registry client: one undici Agent (a keep-alive pool per origin) whose connector
// enforces the outbound guard on every connection (redirect targets included) and picks the TLS
// trust per host; undici's redirect interceptor, which drops Authorization on cross-origin hops; a
// per-host concurrency limit; per-request timeouts and the overall deadline; and retries with
// exponential backoff and jitter on 5xx, resets and timeouts, and Retry-After on 429.
import { setMaxListeners } from 'node:events'
import tls from 'node:tls'
import { Agent, buildConnector, interceptors, request, type Dispatcher } from 'undici'
import type { Logger } from '../logger.js'
import { Semaphore } from './concurrency.js'
import { classifyNetworkError, describeRegistryErrors, LookupFailureError, lookupFailure, parseRegistryErrors, statusLine, unreachableError, type NetworkErrorClass } from './failures.js'
import { BlockedTargetError, hostnameOf, type OutboundGuard } from './outbound-guard.js'
import { parseRateLimit, parseRetryAfter } from './rate-limit.js'

/** How hard to try before an answer becomes "could not verify". */
export interface RetryPolicy {
  /** Attempts per request for 5xx, resets and temporary DNS failures (default 4). */
  attempts: number
  /** Attempts per request when the request timed out (default 2): each one can cost a full timeout. */
  timeoutAttempts: number
  /** Attempts per request on 429 (default 3). */
  rateLimitAttempts: number
  /** First backoff delay; doubles per attempt, ±50 % jitter (default 250 ms). */
  baseDelayMs: number
  /** Largest backoff delay (default 4 s). */
  maxDelayMs: number
  /** Longest Retry-After the client waits for (default 60 s); longer ones end as `rate-limited`. */
  maxRetryAfterMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 4,
  timeoutAttempts: 2,
  rateLimitAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4000,
  maxRetryAfterMs: 60_000
}

export interface TransportOptions {
  guard: OutboundGuard
  logger: Logger
  timeoutMs: number
  deadline?: number
  concurrencyPerHost: number
  insecureRegistries: string[]
  caCertificates: string[]
  retry: RetryPolicy
  /** Replaces the Agent (tests use undici's MockAgent to reproduce Docker Hub and GHCR answers). */
  dispatcher?: Dispatcher
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST'
  url: string
  headers?: Record<string, string>
  body?: string
  /** Largest body accepted; bigger answers are a protocol failure. */
  maxBodyBytes: number
  /** For messages: what is being fetched, e.g. `manifest`, `token`. */
  purpose: string
}

export interface HttpResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  url: string
}

/** Counters of what the transport sent, for tests and the benchmark. */
export interface TransportStats {
  requests: number
  byMethod: Record<string, number>
  byPurpose: Record<string, number>
  retries: number
  /** Sum of the durations of all attempts (from holding a permit to the end of the body), in ms. */
  busyMs: number
}

const RETRYABLE_STATUSES = new Set([500, 502, 503, 504])

/**
 * TLS options that trust `extra` CA certificates on top of the process's default store (the bundled
 * roots, NODE_EXTRA_CA_CERTS, and the system store when Node is told to use it) — a plain `ca` list
 * would replace that store instead of adding to it.
 */
function trustWith(extra: string[]): { secureContext: tls.SecureContext } | { ca: string[] } | Record<string, never> {
  if (extra.length === 0) return {}
  const secureContext = tls.createSecureContext()
  // addCACert copies the shared root store before changing it, so other connections are unaffected.
  const native = (secureContext as unknown as { context?: { addCACert?: (pem: string) => void } }).context
  if (typeof native?.addCACert === 'function') {
    for (const pem of extra) native.addCACert(pem)
    return { secureContext }
  }
  return { ca: [...tls.rootCertificates, ...extra] }
}

/** True for localhost, 127.0.0.0/8 and ::1 (with or without port). */
export function isLoopbackHost(host: string): boolean {
  const name = hostnameOf(host).toLowerCase()
  return name === 'localhost' || name === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
}

/** True when `host` (host[:port]) is named by an --insecure-registry entry: with its port, or without one. */
export function matchesInsecureList(host: string, insecureRegistries: string[]): boolean {
  const lower = host.toLowerCase()
  const name = hostnameOf(lower)
  return insecureRegistries.some((entry) => {
    const wanted = entry.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '')
    return wanted === lower || wanted === name
  })
}

class ResponseTooLargeError extends Error {}

/** The per-request timeout elapsed (classified like undici's own timeouts). */
class TimeoutElapsedError extends Error {
  override readonly name = 'TimeoutError'
}

async function readBody(body: Dispatcher.ResponseData['body'], limit: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of body) {
    total += (chunk as Buffer).length
    if (total > limit) {
      body.destroy()
      throw new ResponseTooLargeError(`answer larger than ${limit} bytes`)
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/**
 * Rejects with the signal's reason as soon as it aborts. undici honours an abort only once the
 * request is on a socket, so a connection that never completes would otherwise outlive the timeout.
 */
function settleOnAbort(pending: Promise<Dispatcher.ResponseData>, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
  if (signal.aborted) {
    pending.then((late) => late.body.destroy(), () => undefined)
    return Promise.reject(signal.reason)
  }
  return new Promise((resolve, reject) => {
    let settled = false
    const onAbort = (): void => {
      settled = true
      // Whatever arrives later is dropped, and its socket freed.
      pending.then((late) => late.body.destroy(), () => undefined)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    pending.then(
      (response) => {
        signal.removeEventListener('abort', onAbort)
        if (!settled) resolve(response)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        if (!settled) reject(error)
      }
    )
  })
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })

/** Sends registry requests; see the file header for what it takes care of. */
export class Transport {
  readonly stats: TransportStats = { requests: 0, byMethod: {}, byPurpose: {}, retries: 0, busyMs: 0 }
  private readonly agent: Dispatcher
  private readonly ownsAgent: boolean
  private readonly dispatcher: Dispatcher
  private readonly limits = new Map<string, Semaphore>()
  private readonly deadlineController = new AbortController()
  private readonly deadlineTimer: NodeJS.Timeout | undefined

  constructor(private readonly options: TransportOptions) {
    this.ownsAgent = options.dispatcher === undefined
    this.agent = options.dispatcher ?? this.createAgent()
    this.dispatcher = this.agent.compose(interceptors.redirect({ maxRedirections: 5 }))
    // Every request in flight (and every waiter) listens for the deadline: more than Node's default of
    // 10 is normal with several registries, and its leak warning would only alarm users on stderr.
    setMaxListeners(0, this.deadlineController.signal)
    if (options.deadline !== undefined) {
      const remaining = options.deadline - Date.now()
      if (remaining <= 0) this.deadlineController.abort(new Error('deadline'))
      else {
        this.deadlineTimer = setTimeout(() => this.deadlineController.abort(new Error('deadline')), remaining)
        this.deadlineTimer.unref()
      }
    }
  }

  private createAgent(): Agent {
    const { guard, timeoutMs, caCertificates } = this.options
    const base = { timeout: timeoutMs, lookup: guard.lookup }
    const verified = buildConnector({ ...base, ...trustWith(caCertificates) })
    const unverified = buildConnector({ ...base, rejectUnauthorized: false })
    const connect: buildConnector.connector = (connectOptions, callback) => {
      // net.connect skips the resolver for IP literals, so those are checked here.
      const reason = guard.hostBlockedReason(connectOptions.hostname)
      if (reason !== null) {
        callback(new BlockedTargetError(reason), null)
        return
      }
      const insecure = matchesInsecureList(connectOptions.host ?? connectOptions.hostname, this.options.insecureRegistries)
      return (insecure ? unverified : verified)(connectOptions, callback)
    }
    return new Agent({
      connect,
      connections: this.options.concurrencyPerHost,
      keepAliveTimeout: 30_000,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs
    })
  }

  /** True when a plain-HTTP fallback (or unverified TLS) is allowed for `host`. */
  isInsecure(host: string): boolean {
    return matchesInsecureList(host, this.options.insecureRegistries)
  }

  async close(): Promise<void> {
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer)
    if (this.ownsAgent) await this.agent.destroy()
  }

  private limitFor(host: string): Semaphore {
    let limit = this.limits.get(host)
    if (limit === undefined) {
      limit = new Semaphore(this.options.concurrencyPerHost)
      this.limits.set(host, limit)
    }
    return limit
  }

  private deadlineFailure(host: string): LookupFailureError {
    return unreachableError('timeout', `${host}: the overall deadline passed before the registry answered`)
  }

  /** One attempt: a response, or the classified network error. */
  async sendOnce(httpRequest: HttpRequest): Promise<{ response: HttpResponse } | { error: NetworkErrorClass }> {
    const url = new URL(httpRequest.url)
    const deadline = this.deadlineController.signal
    if (deadline.aborted) throw this.deadlineFailure(url.host)
    try {
      return await this.limitFor(url.host).run(async () => {
        // The timeout starts once a permit is held: waiting behind other requests to the same host is not slowness.
        // An own timer rather than AbortSignal.timeout(): a signal only AbortSignal.any() refers to can be collected before it fires.
        const timeout = new AbortController()
        const timer = setTimeout(() => timeout.abort(new TimeoutElapsedError()), this.options.timeoutMs)
        const signal = AbortSignal.any([deadline, timeout.signal])
        const started = Date.now()
        try {
          this.stats.requests += 1
          this.stats.byMethod[httpRequest.method] = (this.stats.byMethod[httpRequest.method] ?? 0) + 1
          this.stats.byPurpose[httpRequest.purpose] = (this.stats.byPurpose[httpRequest.purpose] ?? 0) + 1
          const response = await settleOnAbort(
            request(url, {
              method: httpRequest.method,
              headers: httpRequest.headers,
              body: httpRequest.body,
              signal,
              dispatcher: this.dispatcher,
              // undici closes the connection after every HEAD unless told otherwise (against servers that
              // send a body anyway); registries do not, and HEAD is most of what this client sends.
              reset: false
            }),
            signal
          )
          const body = await readBody(response.body, httpRequest.maxBodyBytes)
          this.options.logger.debug(`${httpRequest.method} ${url.origin}${url.pathname} → ${response.statusCode} (${Date.now() - started} ms)`)
          return { response: { status: response.statusCode, headers: response.headers, body, url: httpRequest.url } }
        } finally {
          clearTimeout(timer)
          this.stats.busyMs += Date.now() - started
        }
      }, deadline)
    } catch (error) {
      if (deadline.aborted) throw this.deadlineFailure(url.host)
      if (error instanceof ResponseTooLargeError) {
        throw unreachableError('protocol', `${httpRequest.purpose} from ${url.host}: ${error.message}`)
      }
      const classified = classifyNetworkError(error, url.host, this.options.timeoutMs)
      this.options.logger.debug(`${httpRequest.method} ${url.origin}${url.pathname} failed: ${classified.detail}`)
      return { error: classified }
    }
  }

  private backoff(attempt: number): number {
    const { baseDelayMs, maxDelayMs } = this.options.retry
    const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))
    return Math.round(exponential * (0.5 + Math.random()))
  }

  /** Waits `ms` unless the deadline would pass first; false when it would. */
  private async waitWithinDeadline(ms: number): Promise<boolean> {
    if (this.options.deadline !== undefined && Date.now() + ms >= this.options.deadline) return false
    try {
      await sleep(ms, this.deadlineController.signal)
      return true
    } catch {
      return false
    }
  }

  /**
   * Sends with retries. Returns any answer other than 5xx/429; throws a LookupFailureError for
   * network failures, 5xx and 429 that outlast the retry budget or the deadline. `firstAttempt` is
   * the outcome of an attempt the caller already made (and counts against the budget).
   */
  async send(httpRequest: HttpRequest, firstAttempt?: Awaited<ReturnType<Transport['sendOnce']>>): Promise<HttpResponse> {
    const { retry } = this.options
    const host = new URL(httpRequest.url).host
    let failures = 0
    let timeouts = 0
    let rateLimited = 0
    let pending = firstAttempt
    for (;;) {
      const outcome = pending ?? (await this.sendOnce(httpRequest))
      pending = undefined
      if ('error' in outcome) {
        const { error } = outcome
        if (error.cause === 'timeout') timeouts += 1
        else failures += 1
        const budgetLeft = error.cause === 'timeout' ? timeouts < retry.timeoutAttempts : failures < retry.attempts
        if (!error.retryable || !budgetLeft || !(await this.waitWithinDeadline(this.backoff(failures + timeouts)))) {
          throw unreachableError(error.cause, error.detail)
        }
        this.stats.retries += 1
        continue
      }
      const { response } = outcome
      if (RETRYABLE_STATUSES.has(response.status)) {
        failures += 1
        if (failures < retry.attempts && (await this.waitWithinDeadline(this.backoff(failures)))) {
          this.stats.retries += 1
          continue
        }
        const registryErrors = describeRegistryErrors(parseRegistryErrors(response.body))
        throw unreachableError(
          'server-error',
          `${httpRequest.method} ${httpRequest.purpose} from ${host}: ${statusLine(response.status)}${registryErrors === '' ? '' : ` (${registryErrors})`}, ${failures} attempt${failures === 1 ? '' : 's'}`
        )
      }
      if (response.status === 429) {
        rateLimited += 1
        const retryAfter = parseRetryAfter(response.headers['retry-after'])
        const waitMs = retryAfter === null ? this.backoff(rateLimited) * 4 : retryAfter * 1000
        if (rateLimited < retry.rateLimitAttempts && waitMs <= retry.maxRetryAfterMs && (await this.waitWithinDeadline(waitMs))) {
          this.stats.retries += 1
          continue
        }
        const registryErrors = describeRegistryErrors(parseRegistryErrors(response.body))
        throw new LookupFailureError(
          lookupFailure(
            'rate-limited',
            `${statusLine(429)} from ${host}${registryErrors === '' ? '' : `: ${registryErrors}`}${retryAfter === null ? '' : ` (Retry-After: ${retryAfter} s)`}`,
            { rateLimit: parseRateLimit(response.headers) ?? { limit: null, remaining: null, windowSeconds: null, retryAfterSeconds: retryAfter } }
          )
        )
      }
      return response
    }
  }
}
