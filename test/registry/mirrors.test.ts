// Mirrors, containerd style: a real distribution pull-through cache (which needs credentials of its
// own) in front of a real registry. The mirror is asked first (with `?ns=` naming the upstream), the
// answering host is reported, a mirror that fails hands over to the upstream, and each host gets
// only its own credentials. (distribution 2.8's pull-through cache cannot log in to an upstream
// that needs credentials itself, so the upstream here is open.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RegistryClient, type CredentialStore, type RegistryCredential } from '../../src/registry/index.js'
import { findClosedPort, startFaultProxy, type FaultProxy } from '../support/registry/fault-proxy.js'
import { pushImage, type PushedImage } from '../support/registry/push.js'
import { startRegistry, type TestRegistry } from '../support/registry/registry.js'
import { FAST_RETRY, ref } from './helpers.js'

const ALICE = { username: 'alice', password: 'alice-upstream-CANARY-7d21' }
const MIRROR_USER = { username: 'mirror-user', password: 'mirror-password-CANARY-40aa' }

function store(entries: Record<string, RegistryCredential>): CredentialStore {
  return { get: async (registry) => entries[registry] ?? null }
}

let upstream: TestRegistry
let mirror: TestRegistry
let mirrorProxy: FaultProxy
let upstreamProxy: FaultProxy
let image: PushedImage

beforeAll(async () => {
  upstream = await startRegistry()
  image = await pushImage(upstream, 'team/app', '1.0', { kind: 'docker-schema2' })
  upstreamProxy = await startFaultProxy({ upstream: upstream.url })
  mirror = await startRegistry({ pullThroughCacheOf: { remoteUrl: upstream.url }, auth: { kind: 'htpasswd', users: { [MIRROR_USER.username]: MIRROR_USER.password } } })
  mirrorProxy = await startFaultProxy({ upstream: mirror.url })
})

afterAll(async () => {
  await Promise.all([mirrorProxy?.stop(), upstreamProxy?.stop()])
  await Promise.all([mirror?.stop(), upstream?.stop()])
})

describe('mirrors', () => {
  it('asks the mirror first with its own credentials, reports it, and never hands it the upstream credentials', async () => {
    const client = new RegistryClient({
      credentials: store({ [upstreamProxy.host]: { kind: 'basic', ...ALICE }, [mirrorProxy.host]: { kind: 'basic', ...MIRROR_USER } }),
      mirrors: { [upstreamProxy.host]: [mirrorProxy.host] }
    })
    upstreamProxy.requests.length = 0
    mirrorProxy.requests.length = 0
    try {
      const facts = await client.lookup(ref(`${upstreamProxy.host}/team/app:1.0`), { kind: 'tool' })
      expect(facts).toMatchObject({ status: 'found', digest: image.digest, mirror: mirrorProxy.host })
      expect(facts.status === 'found' && facts.platforms).toEqual(image.platforms)
      expect(mirrorProxy.requests.find((request) => request.method === 'HEAD')?.path).toBe(
        `/v2/team/app/manifests/1.0?ns=${encodeURIComponent(upstreamProxy.host)}`
      )
      const mirrorBasic = `Basic ${Buffer.from(`${MIRROR_USER.username}:${MIRROR_USER.password}`).toString('base64')}`
      expect(new Set(mirrorProxy.requests.map((request) => request.authorization))).toEqual(new Set([null, mirrorBasic]))
      expect(upstreamProxy.requests).toEqual([])
    } finally {
      await client.close()
    }
  })

  it('sends a pull secret only to the registry it is for, not to the mirror', async () => {
    const client = new RegistryClient({ credentials: store({}), mirrors: { [upstreamProxy.host]: [mirrorProxy.host] } })
    mirrorProxy.requests.length = 0
    upstreamProxy.requests.length = 0
    try {
      const facts = await client.lookup(ref(`${upstreamProxy.host}/team/app:1.0`), { kind: 'basic', label: 'pull secret', ...ALICE })
      // The mirror refuses an anonymous client, so the upstream answers.
      expect(facts).toMatchObject({ status: 'found', digest: image.digest, mirror: null })
      expect(mirrorProxy.requests.every((request) => request.authorization === null)).toBe(true)
      expect(mirrorProxy.requests.length).toBeGreaterThan(0)
    } finally {
      await client.close()
    }
  })

  it('falls back to the upstream when the mirror is down, and then reports no mirror', async () => {
    const closed = await findClosedPort()
    const client = new RegistryClient({
      credentials: store({ [upstreamProxy.host]: { kind: 'basic', ...ALICE } }),
      mirrors: { [upstreamProxy.host]: [`http://127.0.0.1:${closed}`] },
      retry: FAST_RETRY
    })
    try {
      expect(await client.lookup(ref(`${upstreamProxy.host}/team/app:1.0`), { kind: 'tool' })).toMatchObject({ status: 'found', digest: image.digest, mirror: null })
    } finally {
      await client.close()
    }
  })

  it('takes a not-found from the upstream, not from the mirror', async () => {
    const client = new RegistryClient({
      credentials: store({ [upstreamProxy.host]: { kind: 'basic', ...ALICE } }),
      mirrors: { [upstreamProxy.host]: [mirrorProxy.host] }
    })
    upstreamProxy.requests.length = 0
    try {
      expect(await client.lookup(ref(`${upstreamProxy.host}/team/app:9.9`), { kind: 'tool' })).toMatchObject({ status: 'tag-not-found' })
      expect(upstreamProxy.requests.some((request) => request.method === 'HEAD' && request.path === '/v2/team/app/manifests/9.9')).toBe(true)
    } finally {
      await client.close()
    }
  })
})
