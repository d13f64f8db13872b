// Faults between the client and a real registry, injected by the tests' proxy: 5xx, 429 with and
// without Retry-After, resets, truncated and corrupted bodies, wrong Content-Type, stalls; and hosts
// that refuse, hang or do not resolve. Asserts what is retried (by counting requests) and that the
// answer is "could not verify" — never a false *-not-found — once the budget or deadline is spent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VERIFIED_ABSENT, type LookupResult } from '../../src/model.js'
import { emptyCredentialStore, RegistryClient, type RegistryClientOptions } from '../../src/registry/index.js'
import { findClosedPort, startFaultProxy, startSilentListener, type FaultProxy, type FaultRule } from '../support/registry/fault-proxy.js'
import { pushImage, type PushedImage } from '../support/registry/push.js'
import { startRegistry, type TestRegistry } from '../support/registry/registry.js'
import { FAST_RETRY, ref } from './helpers.js'

const TOOL = { kind: 'tool' } as const
const HEAD_MANIFEST = { method: 'HEAD', path: /\/manifests\// }
const GET_MANIFEST = { method: 'GET', path: /\/manifests\// }

let registry: TestRegistry
let tokenRegistry: TestRegistry
let image: PushedImage
let index: PushedImage

beforeAll(async () => {
  ;[registry, tokenRegistry] = await Promise.all([startRegistry(), startRegistry({ auth: { kind: 'token' } })])
  image = await pushImage(registry, 'team/app', '1.0', { kind: 'docker-schema2' })
  index = await pushImage(registry, 'team/multi', '1.0', { kind: 'oci-index', platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }] })
  for (let i = 0; i < 12; i += 1) await pushImage(registry, 'team/many', `v${i}`, { kind: 'docker-schema2', seed: `many-${i}` })
  await pushImage(tokenRegistry, 'public/app', '1.0', { kind: 'docker-schema2' })
})

afterAll(async () => {
  await Promise.all([registry?.stop(), tokenRegistry?.stop()])
})

/** Runs `body` with a client looking through a fresh fault proxy in front of the open registry. */
async function throughProxy(
  faults: FaultRule[],
  body: (context: { proxy: FaultProxy; client: RegistryClient }) => Promise<void>,
  options: Partial<RegistryClientOptions> = {},
  upstream = registry.url
): Promise<void> {
  const proxy = await startFaultProxy({ upstream, faults })
  const client = new RegistryClient({ credentials: emptyCredentialStore, retry: FAST_RETRY, ...options })
  try {
    await body({ proxy, client })
  } finally {
    await client.close()
    await proxy.stop()
  }
}

function count(proxy: FaultProxy, method: string, path: RegExp): number {
  return proxy.requests.filter((request) => request.method === method && path.test(request.path)).length
}

describe('server errors and resets', () => {
  it.each([500, 502, 503])('retries a %i and then finds the image', async (status) => {
    await throughProxy([{ match: HEAD_MANIFEST, fault: { kind: 'status', status }, times: 2 }], async ({ proxy, client }) => {
      expect(await client.lookup(ref(`${proxy.host}/team/app:1.0`), TOOL)).toMatchObject({ status: 'found', digest: image.digest })
      expect(count(proxy, 'HEAD', /manifests\/1\.0/)).toBe(3)
      expect(client.stats().retries).toBe(2)
    })
  })

  it('gives up after the retry budget with unreachable: server-error, never not-found', async () => {
    await throughProxy([{ match: HEAD_MANIFEST, fault: { kind: 'status', status: 503 } }], async ({ proxy, client }) => {
      expect(await client.lookup(ref(`${proxy.host}/team/app:1.0`), TOOL)).toEqual({
        status: 'unreachable',
        cause: 'server-error',
        detail: `HEAD manifest from ${proxy.host}: 503 Service Unavailable, 4 attempts`
      })
      expect(count(proxy, 'HEAD', /manifests/)).toBe(4)
    })
  })

  it('retries reset connections and truncated bodies', async () => {
    await throughProxy(
      [
        { match: HEAD_MANIFEST, fault: { kind: 'reset' }, times: 2 },
        { match: GET_MANIFEST, fault: { kind: 'truncate' }, times: 1 }
      ],
      async ({ proxy, client }) => {
        const facts = await client.lookup(ref(`${proxy.host}/team/multi:1.0`), TOOL)
        expect(facts).toMatchObject({ status: 'found', digest: index.digest })
        expect(facts.status === 'found' && facts.platforms.map((platform) => platform.size)).toEqual(index.platforms.map((platform) => platform.size))
        expect(proxy.requests.filter((request) => request.fault === 'reset' || request.fault === 'truncate')).toHaveLength(3)
      }
    )
  })

  it('says unreachable: connection-reset when every attempt is reset', async () => {
    await throughProxy([{ match: HEAD_MANIFEST, fault: { kind: 'reset' } }], async ({ proxy, client }) => {
      const answer = await client.lookup(ref(`${proxy.host}/team/app:1.0`), TOOL)
      expect(answer).toMatchObject({ status: 'unreachable', cause: 'connection-reset' })
      expect(count(proxy, 'HEAD', /manifests/)).toBe(4)
    })
  })
})

describe('bodies that are wrong', () => {
  it('fetches again a manifest whose bytes do not match its digest, and says so when they never do', async () => {
    await throughProxy([{ match: GET_MANIFEST, fault: { kind: 'corrupt-body' }, times: 1 }], async ({ proxy, client }) => {
      expect(await client.lookup(ref(`${proxy.host}/team/app:1.0`), TOOL)).toMatchObject({ status: 'found', digest: image.digest })
      expect(count(proxy, 'GET', /manifests\/sha256/)).toBe(2)
    })
    await throughProxy([{ match: GET_MANIFEST, fault: { kind: 'corrupt-body' } }], async ({ proxy, client }) => {
      expect(await client.lookup(ref(`${proxy.host}/team/app:1.0`), TOOL)).toEqual({
        status: 'unreachable',
        cause: 'protocol',
        detail: `the manifest ${image.digest} of ${proxy.host}/team/app:1.0 did not match its digest in 2 attempts`
      })
    })
  })

  it('treats an invalid JSON body as a protocol failure', async () => {
    await throughProxy([{ match: GET_MANIFEST, fault: { kind: 'replace-body', body: '{"schemaVersion": 2, "mediaType": ' } }], async ({ proxy, client }) => {
      expect(await client.lookup(ref(`${proxy.host}/team/app:1.0`), TOOL)).toMatchObject({ status: 'unreachable', cause: 'protocol' })
    })
  })

  it('reads the manifest type from the body when the Content-Type is wrong', async () => {
    await throughProxy([{ match: { path: /\/manifests\// }, fault: { kind: 'content-type', contentType: 'text/html; charset=utf-8' } }], async ({ proxy, client }) => {
      expect(await client.lookup(ref(`${proxy.host}/team/multi:1.0`), TOOL)).toMatchObject({
        status: 'found',
        digest: index.digest,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        isIndex: true
      })
    })
  })
})

describe('rate limits', () => {
  it('waits for Retry-After and then finds the image', async () => {
    await throughProxy([{ match: HEAD_MANIFEST, fault: { kind: 'status', status: 429, retryAfter: '1' }, times: 1 }], async ({ proxy, client }) => {
      const started = Date.now()
      expect(await client.lookup(ref(`${proxy.host}/team/app:1.0`), TOOL)).toMatchObject({ status: 'found' })
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
      expect(count(proxy, 'HEAD', /manifests/)).toBe(2)
    })
  })

  it('answers rate-limited at once when Retry-After is beyond what it waits for, keeping the facts', async () => {
    const headers = { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600' }
    await throughProxy([{ match: HEAD_MANIFEST, fault: { kind: 'status', status: 429, retryAfter: '3600', headers } }], async ({ proxy, client }) => {
      const started = Date.now()
      expect(await client.lookup(ref(`${proxy.host}/team/app:1.0`), TOOL)).toEqual({
        status: 'rate-limited',
        detail: `429 Too Many Requests from ${proxy.host} (Retry-After: 3600 s)`,
        rateLimit: { limit: 100, remaining: 0, windowSeconds: 21600, retryAfterSeconds: 3600 }
      })
      expect(Date.now() - started).toBeLessThan(1000)
      expect(count(proxy, 'HEAD', /manifests/)).toBe(1)
    })
  })

  it('backs off on 429 without Retry-After, then answers rate-limited', async () => {
    await throughProxy([{ match: HEAD_MANIFEST, fault: { kind: 'status', status: 429 } }], async ({ proxy, client }) => {
      const answer = await client.lookup(ref(`${proxy.host}/team/app:1.0`), TOOL)
      expect(answer).toMatchObject({ status: 'rate-limited', rateLimit: { limit: null, remaining: null, windowSeconds: null, retryAfterSeconds: null } })
      expect(count(proxy, 'HEAD', /manifests/)).toBe(3)
    })
  })
})

describe('hosts that do not answer', () => {
  it('says connection refused for a closed port', async () => {
    const port = await findClosedPort()
    const client = new RegistryClient({ credentials: emptyCredentialStore, retry: FAST_RETRY })
    try {
      expect(await client.lookup(ref(`127.0.0.1:${port}/team/app:1.0`), TOOL)).toEqual({
        status: 'unreachable',
        cause: 'connection-refused',
        detail: `dial tcp 127.0.0.1:${port}: connect: connection refused`
      })
    } finally {
      await client.close()
    }
  })

  it('says no such host for a name that does not resolve', async () => {
    const client = new RegistryClient({ credentials: emptyCredentialStore, retry: FAST_RETRY })
    try {
      expect(await client.lookup(ref('registry.pullcheck.invalid/team/app:1.0'), TOOL)).toEqual({
        status: 'unreachable',
        cause: 'dns',
        detail: 'dial tcp: lookup registry.pullcheck.invalid: no such host'
      })
    } finally {
      await client.close()
    }
  })

  it('does not hang on a listener that accepts TCP and never answers', async () => {
    const silent = await startSilentListener()
    const client = new RegistryClient({ credentials: emptyCredentialStore, retry: FAST_RETRY, timeoutMs: 300 })
    try {
      const started = Date.now()
      const answer = await client.lookup(ref(`${silent.host}/team/app:1.0`), TOOL)
      // The TCP connection is accepted; the TLS handshake then never gets an answer.
      expect(answer).toEqual({ status: 'unreachable', cause: 'timeout', detail: `${silent.host}: i/o timeout (no answer within 0.3 s)` })
      // Two attempts of 0.3 s each, plus backoff.
      expect(Date.now() - started).toBeLessThan(2000)
      expect(silent.connections()).toBe(2)
    } finally {
      await client.close()
      await silent.stop()
    }
  })

  it('times out a response that stalls after the connection is made', async () => {
    await throughProxy(
      [{ match: HEAD_MANIFEST, fault: { kind: 'stall' } }],
      async ({ proxy, client }) => {
        const started = Date.now()
        expect(await client.lookup(ref(`${proxy.host}/team/app:1.0`), TOOL)).toEqual({
          status: 'unreachable',
          cause: 'timeout',
          detail: `${proxy.host}: i/o timeout (no answer within 0.3 s)`
        })
        expect(Date.now() - started).toBeLessThan(2000)
        expect(count(proxy, 'HEAD', /manifests/)).toBe(2)
      },
      { timeoutMs: 300 }
    )
  })

  it('ends pending lookups at the overall deadline as unreachable: timeout', async () => {
    await throughProxy(
      [{ match: HEAD_MANIFEST, fault: { kind: 'stall' } }],
      async ({ proxy, client }) => {
        const started = Date.now()
        const answers = await Promise.all(['v1', 'v2', 'v3'].map((tag) => client.lookup(ref(`${proxy.host}/team/many:${tag}`), TOOL)))
        expect(answers).toEqual(
          Array(3).fill({ status: 'unreachable', cause: 'timeout', detail: `${proxy.host}: the overall deadline passed before the registry answered` })
        )
        expect(Date.now() - started).toBeLessThan(1500)
      },
      { timeoutMs: 30_000, deadline: Date.now() + 700 }
    )
  })
})

describe('token server faults', () => {
  it('retries a failing token server, then says which server failed', async () => {
    const tokenServer = tokenRegistry.tokenServer!
    const client = new RegistryClient({ credentials: emptyCredentialStore, retry: FAST_RETRY })
    try {
      tokenServer.failNext(2, 503)
      expect(await client.lookup(ref(`${tokenRegistry.host}/public/app:1.0`), { kind: 'anonymous' })).toMatchObject({ status: 'found' })
      tokenServer.failNext(100, 503)
      const answer = await client.lookup(ref(`${tokenRegistry.host}/public/other:1.0`), { kind: 'anonymous' })
      tokenServer.failNext(0, 503)
      expect(answer).toEqual({
        status: 'unreachable',
        cause: 'server-error',
        detail: `token server ${new URL(tokenServer.realm).origin} for ${tokenRegistry.host}: GET token from ${tokenServer.host}: 503 Service Unavailable (unavailable: scripted failure), 4 attempts`
      })
    } finally {
      await client.close()
    }
  })
})

describe('no false verdicts under random faults', () => {
  const isVerifiedAbsent = (answer: LookupResult): boolean => answer.status !== 'found' && VERIFIED_ABSENT.has(answer.status)

  it.each([0.3, 1])('at a %s fault rate: existing images are found or unverified, missing ones never found', async (rate) => {
    const faults: FaultRule[] = [
      { fault: { kind: 'status', status: 503 }, rate: rate / 4 },
      { fault: { kind: 'reset' }, rate: rate / 3 },
      { match: { method: 'GET' }, fault: { kind: 'truncate' }, rate: rate / 2 },
      { fault: { kind: 'status', status: 502 }, rate: 1 }
    ]
    // The last rule catches what the others let through, so `rate` is the share of faulted requests only at 1.
    const effective = rate === 1 ? faults : faults.slice(0, 3)
    await throughProxy(effective, async ({ proxy, client }) => {
      const existing = Array.from({ length: 12 }, (_, i) => client.lookup(ref(`${proxy.host}/team/many:v${i}`), TOOL))
      const missing = ['v90', 'v91', 'v92'].map((tag) => client.lookup(ref(`${proxy.host}/team/many:${tag}`), TOOL))
      const found = await Promise.all(existing)
      const absent = await Promise.all(missing)
      for (const answer of found) {
        expect(isVerifiedAbsent(answer)).toBe(false)
        expect(['found', 'unreachable', 'rate-limited']).toContain(answer.status)
      }
      for (const answer of absent) {
        expect(answer.status).not.toBe('found')
        expect(['tag-not-found', 'unreachable', 'rate-limited']).toContain(answer.status)
      }
      if (rate === 1) {
        expect(found.every((answer) => answer.status === 'unreachable')).toBe(true)
      } else {
        // Retries should keep most images verified at 30 % faults.
        expect(found.filter((answer) => answer.status === 'found').length).toBeGreaterThanOrEqual(9)
      }
    })
  })
})
