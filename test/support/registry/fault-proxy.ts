// A fault-injecting HTTP proxy the tests own, put in front of a real registry (or token server):
// it forwards requests unchanged unless a fault rule matches, and then answers 5xx/429, resets or
// truncates, stalls, delays, redirects or corrupts — once, N times, or at a seeded random rate. It
// records every request (method, path, the raw Authorization header), so scope tests can assert
// where credentials went. Also here: a listener that accepts TCP and never answers, and a closed port.
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { seededRandom } from '../seeded-random.js'

/** What the proxy does instead of (or to) the upstream answer. */
export type Fault =
  /** Answer with this status (e.g. 500, 502, 503, 429) and an OCI error body; `retryAfter` sets Retry-After. */
  | { kind: 'status'; status: number; retryAfter?: string; headers?: Record<string, string>; body?: string }
  /** Destroy the connection without answering. */
  | { kind: 'reset' }
  /** Forward the status and headers (Content-Length intact) and half of the body, then destroy the connection. */
  | { kind: 'truncate' }
  /** Answer normally, after `ms`. */
  | { kind: 'delay'; ms: number }
  /** Never answer (until the client gives up or the proxy stops). */
  | { kind: 'stall' }
  /** Answer 307 to `location(path)`, e.g. to another origin that serves the blob. */
  | { kind: 'redirect'; location: (path: string) => string; status?: number }
  /** Forward the answer with one byte of the body changed (headers unchanged). */
  | { kind: 'corrupt-body' }
  /** Forward the status and headers but replace the body (e.g. with invalid JSON). */
  | { kind: 'replace-body'; body: string }
  /** Forward the answer with another Content-Type. */
  | { kind: 'content-type'; contentType: string }

export interface FaultRule {
  /** Which requests the rule applies to; all when omitted. */
  match?: { method?: string; path?: RegExp }
  fault: Fault
  /** Apply to the first `times` matching requests only, then let them pass (a scripted sequence). */
  times?: number
  /** Apply to this share (0..1) of matching requests, drawn from the proxy's seeded random source. */
  rate?: number
}

/** One request the proxy received, and what it did with it. */
export interface RecordedRequest {
  method: string
  path: string
  /** The raw Authorization header, or null: the scope tests check which credential reached which host. */
  authorization: string | null
  headers: http.IncomingHttpHeaders
  /** The fault applied, or null when the request was forwarded untouched. */
  fault: Fault['kind'] | null
  /** The status sent to the client, or null when none was (reset, stall). */
  status: number | null
  /** The client's source port: requests on one kept-alive connection share it. */
  clientPort: number
  /** When the request arrived and when its answer was finished (ms since epoch; null while open). */
  startedAt: number
  finishedAt: number | null
}

export interface FaultProxyOptions {
  /** Base URL of what the proxy forwards to, e.g. a TestRegistry's url (plain HTTP). */
  upstream: string
  faults?: FaultRule[]
  /** Added before forwarding each request and again before answering: round-trip time = 2 × this. */
  latencyMs?: number
  /** Seed of the random source used by `rate` rules, so a failing run can be repeated. */
  seed?: number
}

export interface FaultProxy {
  /** http://127.0.0.1:PORT */
  url: string
  /** 127.0.0.1:PORT, for image references. */
  host: string
  requests: RecordedRequest[]
  /** Replaces the fault rules (counters of `times` start again). */
  setFaults(rules: FaultRule[]): void
  stop(): Promise<void>
}

/** The largest number of requests the proxy had open at the same time. */
export function maxConcurrentRequests(requests: RecordedRequest[]): number {
  const events = requests.flatMap((request) => [
    { at: request.startedAt, delta: 1 },
    { at: request.finishedAt ?? Number.POSITIVE_INFINITY, delta: -1 }
  ])
  // Ends before starts at the same millisecond: a request that finished does not overlap the next.
  events.sort((a, b) => a.at - b.at || a.delta - b.delta)
  let open = 0
  let max = 0
  for (const event of events) {
    open += event.delta
    max = Math.max(max, open)
  }
  return max
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function errorBody(status: number): string {
  const code = status === 429 ? 'TOOMANYREQUESTS' : 'UNAVAILABLE'
  const message = status === 429 ? 'too many requests (injected by the test proxy)' : `injected ${status} by the test proxy`
  return JSON.stringify({ errors: [{ code, message }] })
}

/** Starts a fault proxy on 127.0.0.1 with a free port. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.upstream)
  const latency = options.latencyMs ?? 0
  const random = seededRandom(options.seed ?? 1)
  const requests: RecordedRequest[] = []
  const upstreamAgent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  let rules: Array<FaultRule & { used: number }> = []
  const setFaults = (next: FaultRule[]): void => {
    rules = next.map((rule) => ({ ...rule, used: 0 }))
  }
  setFaults(options.faults ?? [])
  const stalled = new Set<http.ServerResponse>()

  function chooseFault(method: string, path: string): Fault | null {
    for (const rule of rules) {
      if (rule.match?.method !== undefined && rule.match.method !== method) continue
      if (rule.match?.path !== undefined && !rule.match.path.test(path)) continue
      if (rule.times !== undefined && rule.used >= rule.times) continue
      if (rule.rate !== undefined && random() >= rule.rate) continue
      rule.used += 1
      return rule.fault
    }
    return null
  }

  const server = http.createServer((request, response) => {
    void (async () => {
      const method = request.method ?? 'GET'
      const path = request.url ?? '/'
      const fault = chooseFault(method, path)
      const record: RecordedRequest = {
        method,
        path,
        authorization: request.headers.authorization ?? null,
        headers: request.headers,
        fault: fault?.kind ?? null,
        status: null,
        clientPort: request.socket.remotePort ?? 0,
        startedAt: Date.now(),
        finishedAt: null
      }
      requests.push(record)
      response.once('close', () => {
        record.finishedAt = Date.now()
      })
      const requestBody: Buffer[] = []
      for await (const chunk of request) requestBody.push(chunk as Buffer)
      if (latency > 0) await sleep(latency)

      if (fault?.kind === 'reset') return request.socket.destroy()
      if (fault?.kind === 'stall') {
        stalled.add(response)
        return
      }
      if (fault?.kind === 'status') {
        const body = fault.body ?? errorBody(fault.status)
        record.status = fault.status
        if (latency > 0) await sleep(latency)
        response.writeHead(fault.status, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter }),
          ...fault.headers
        })
        return response.end(method === 'HEAD' ? undefined : body)
      }
      if (fault?.kind === 'redirect') {
        record.status = fault.status ?? 307
        if (latency > 0) await sleep(latency)
        response.writeHead(record.status, { location: fault.location(path), 'content-length': 0 })
        return response.end()
      }
      if (fault?.kind === 'delay') await sleep(fault.ms)

      const headers = { ...request.headers, host: upstream.host }
      const upstreamResponse = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const forwarded = http.request(
          { protocol: upstream.protocol, hostname: upstream.hostname, port: upstream.port, method, path, headers, agent: upstreamAgent },
          resolve
        )
        forwarded.on('error', reject)
        forwarded.end(Buffer.concat(requestBody))
      })
      const chunks: Buffer[] = []
      for await (const chunk of upstreamResponse) chunks.push(chunk as Buffer)
      let body = Buffer.concat(chunks)
      const responseHeaders = { ...upstreamResponse.headers }
      if (fault?.kind === 'corrupt-body' && body.length > 0) {
        body = Buffer.from(body)
        const middle = Math.floor(body.length / 2)
        // Swap one character for another printable one, so the JSON usually still parses.
        body[middle] = body[middle] === 0x61 ? 0x62 : 0x61
      }
      if (fault?.kind === 'replace-body') {
        body = Buffer.from(fault.body)
        responseHeaders['content-length'] = String(body.length)
      }
      if (fault?.kind === 'content-type') responseHeaders['content-type'] = fault.contentType
      if (latency > 0) await sleep(latency)
      record.status = upstreamResponse.statusCode ?? 502
      response.writeHead(record.status, responseHeaders)
      if (fault?.kind === 'truncate' && method !== 'HEAD') {
        response.write(body.subarray(0, Math.floor(body.length / 2)))
        // Let the half body leave before the connection dies, so the client sees a short read.
        await sleep(5)
        return request.socket.destroy()
      }
      response.end(method === 'HEAD' ? undefined : body)
    })().catch(() => {
      request.socket.destroy()
    })
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    setFaults,
    async stop() {
      for (const response of stalled) response.destroy()
      server.closeAllConnections()
      upstreamAgent.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** A TCP listener on 127.0.0.1 that accepts connections and never sends a byte. */
export interface SilentListener {
  host: string
  port: number
  /** Connections accepted so far. */
  connections(): number
  stop(): Promise<void>
}

/** Starts a listener that accepts TCP and never answers: the "registry that hangs" case. */
export async function startSilentListener(): Promise<SilentListener> {
  const sockets = new Set<net.Socket>()
  let accepted = 0
  const server = net.createServer((socket) => {
    accepted += 1
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    host: `127.0.0.1:${port}`,
    port,
    connections: () => accepted,
    async stop() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** A 127.0.0.1 port that nothing listens on (bound, then released): connections are refused. */
export async function findClosedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
