// The client against a real, open (plain HTTP) distribution registry: exact facts for every image
// kind, the three not-found classes, and the request economy (HEAD first, digest cache, single
// flight, tag pagination), counted by a recording proxy in front of the registry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emptyCredentialStore, RegistryClient } from '../../src/registry/index.js'
import { maxConcurrentRequests, startFaultProxy, type FaultProxy } from '../support/registry/fault-proxy.js'
import { MEDIA_TYPES, pushImage, tagImage, type PushedImage } from '../support/registry/push.js'
import { startRegistry, type TestRegistry } from '../support/registry/registry.js'
import { fakeResolver, recordingLogger, ref } from './helpers.js'

const TOOL = { kind: 'tool' } as const
const GiB = 1024 ** 3

let registry: TestRegistry
let proxy: FaultProxy
let schema2: PushedImage
let ociArm64: PushedImage
let ociIndex: PushedImage
let dockerList: PushedImage
let huge: PushedImage

beforeAll(async () => {
  registry = await startRegistry()
  proxy = await startFaultProxy({ upstream: registry.url })
  schema2 = await pushImage(registry, 'team/schema2', '1.0', { kind: 'docker-schema2', layerSizes: [3000, 1200] })
  ociArm64 = await pushImage(registry, 'team/oci', 'arm64-only', { kind: 'oci-manifest', layerSizes: [2500] })
  ociIndex = await pushImage(registry, 'team/multi', 'v2', {
    kind: 'oci-index',
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
      { os: 'linux', architecture: 'arm', variant: 'v7' }
    ],
    attestations: true,
    artifact: true
  })
  dockerList = await pushImage(registry, 'team/list', 'stable', {
    kind: 'docker-list',
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' }
    ]
  })
  huge = await pushImage(registry, 'team/huge', 'v1', { kind: 'declared-size', declaredLayerSizes: [3 * GiB, 2 * GiB] })
  await tagImage(registry, 'team/schema2', schema2.digest, MEDIA_TYPES.dockerManifest, 'also-1.0')
})

afterAll(async () => {
  await proxy?.stop()
  await registry?.stop()
})

function newClient(options: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {}): RegistryClient {
  return new RegistryClient({ credentials: emptyCredentialStore, ...options })
}

describe('facts from an open registry', () => {
  it('reads a single-arch Docker schema2 image: digest, media type, platform from the config blob, size', async () => {
    const client = newClient()
    try {
      expect(await client.lookup(ref(`${registry.host}/team/schema2:1.0`), TOOL)).toEqual({
        status: 'found',
        digest: schema2.digest,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        isIndex: false,
        platforms: [{ os: 'linux', architecture: 'amd64', variant: null, digest: schema2.digest, size: 4200 }],
        mirror: null,
        rateLimit: null
      })
    } finally {
      await client.close()
    }
  })

  it('reads an arm64-only OCI manifest, variant included', async () => {
    const client = newClient()
    try {
      const facts = await client.lookup(ref(`${registry.host}/team/oci:arm64-only`), TOOL)
      expect(facts).toMatchObject({ status: 'found', digest: ociArm64.digest, mediaType: MEDIA_TYPES.ociManifest, isIndex: false })
      expect(facts.status === 'found' && facts.platforms).toEqual([{ os: 'linux', architecture: 'arm64', variant: 'v8', digest: ociArm64.digest, size: 2500 }])
    } finally {
      await client.close()
    }
  })

  it('reads an OCI index: runnable platforms only (attestations and the artifact left out), each with its size', async () => {
    const client = newClient()
    try {
      const facts = await client.lookup(ref(`${registry.host}/team/multi:v2`), TOOL)
      expect(ociIndex.nonRunnableDigests).toHaveLength(4)
      expect(facts).toMatchObject({ status: 'found', digest: ociIndex.digest, mediaType: MEDIA_TYPES.ociIndex, isIndex: true })
      expect(facts.status === 'found' && facts.platforms).toEqual([
        { os: 'linux', architecture: 'amd64', variant: null, digest: ociIndex.platforms[0]!.digest, size: 4201 },
        { os: 'linux', architecture: 'arm64', variant: null, digest: ociIndex.platforms[1]!.digest, size: 4215 },
        { os: 'linux', architecture: 'arm', variant: 'v7', digest: ociIndex.platforms[2]!.digest, size: 4229 }
      ])
      expect(ociIndex.platforms.map((platform) => platform.size)).toEqual([4201, 4215, 4229])
    } finally {
      await client.close()
    }
  })

  it('reads a Docker manifest list', async () => {
    const client = newClient()
    try {
      const facts = await client.lookup(ref(`${registry.host}/team/list:stable`), TOOL)
      expect(facts).toMatchObject({ status: 'found', digest: dockerList.digest, mediaType: MEDIA_TYPES.dockerList, isIndex: true })
      expect(facts.status === 'found' && facts.platforms).toEqual([
        { os: 'linux', architecture: 'amd64', variant: null, digest: dockerList.platforms[0]!.digest, size: dockerList.platforms[0]!.size },
        { os: 'linux', architecture: 'arm64', variant: 'v8', digest: dockerList.platforms[1]!.digest, size: dockerList.platforms[1]!.size }
      ])
    } finally {
      await client.close()
    }
  })

  it('reports the sizes the layer descriptors declare (5 GiB here), not the size of the blobs behind them', async () => {
    const client = newClient()
    try {
      const facts = await client.lookup(ref(`${registry.host}/team/huge:v1`), TOOL)
      expect(facts.status === 'found' && facts.platforms).toEqual([{ os: 'linux', architecture: 'amd64', variant: null, digest: huge.digest, size: 5 * GiB }])
      expect(5 * GiB).toBe(5368709120)
    } finally {
      await client.close()
    }
  })

  it('finds an image by digest, and a platform child by its own digest', async () => {
    const client = newClient()
    try {
      const byDigest = await client.lookup(ref(`${registry.host}/team/multi@${ociIndex.digest}`), TOOL)
      expect(byDigest).toMatchObject({ status: 'found', digest: ociIndex.digest, isIndex: true })
      const child = ociIndex.platforms[1]!
      const byChildDigest = await client.lookup(ref(`${registry.host}/team/multi:ignored@${child.digest}`), TOOL)
      expect(byChildDigest).toMatchObject({ status: 'found', digest: child.digest, isIndex: false })
      expect(byChildDigest.status === 'found' && byChildDigest.platforms).toEqual([{ os: 'linux', architecture: 'arm64', variant: null, digest: child.digest, size: 4215 }])
    } finally {
      await client.close()
    }
  })
})

describe('not found, classified', () => {
  it('tells a missing tag (the repository exists) from a missing repository and a missing digest', async () => {
    const client = newClient()
    try {
      const tag = await client.lookup(ref(`${registry.host}/team/schema2:9.9`), TOOL)
      expect(tag).toEqual({
        status: 'tag-not-found',
        detail: `${registry.host}/team/schema2:9.9: not found: manifest unknown (no tag 9.9 in team/schema2; the repository exists)`
      })
      const repository = await client.lookup(ref(`${registry.host}/team/nothing-here:1.0`), TOOL)
      expect(repository).toEqual({
        status: 'repository-not-found',
        detail: `${registry.host}/team/nothing-here:1.0: not found: repository team/nothing-here does not exist on ${registry.host} (name unknown)`
      })
      const missingDigest = `sha256:${'0'.repeat(64)}`
      const digest = await client.lookup(ref(`${registry.host}/team/schema2@${missingDigest}`), TOOL)
      expect(digest.status).toBe('digest-not-found')
      expect(digest.status !== 'found' && digest.detail).toContain('no manifest with this digest in team/schema2; the repository exists')
      const digestInMissingRepository = await client.lookup(ref(`${registry.host}/team/nothing-here@${missingDigest}`), TOOL)
      expect(digestInMissingRepository.status).toBe('repository-not-found')
    } finally {
      await client.close()
    }
  })
})

describe('request economy', () => {
  it('sends HEAD first with the full Accept list, then GETs the manifest by digest and the config once', async () => {
    const client = newClient()
    proxy.requests.length = 0
    try {
      await client.lookup(ref(`${proxy.host}/team/schema2:1.0`), TOOL)
      const sent = proxy.requests.map((request) => `${request.method} ${request.path}`)
      expect(sent).toEqual([
        'GET /v2/',
        'HEAD /v2/team/schema2/manifests/1.0',
        `GET /v2/team/schema2/manifests/${schema2.digest}`,
        `GET /v2/team/schema2/blobs/${schema2.configDigest}`
      ])
      const accept = proxy.requests[1]!.headers.accept
      expect(String(accept).split(/,\s*/).sort()).toEqual([MEDIA_TYPES.dockerList, MEDIA_TYPES.dockerManifest, MEDIA_TYPES.ociIndex, MEDIA_TYPES.ociManifest].sort())
      expect(proxy.requests[2]!.headers.accept).toBe(accept)
    } finally {
      await client.close()
    }
  })

  it('costs one HEAD for a tag whose digest is already known', async () => {
    const client = newClient()
    try {
      await client.lookup(ref(`${proxy.host}/team/schema2:1.0`), TOOL)
      proxy.requests.length = 0
      const facts = await client.lookup(ref(`${proxy.host}/team/schema2:also-1.0`), TOOL)
      expect(facts).toMatchObject({ status: 'found', digest: schema2.digest })
      expect(proxy.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['HEAD /v2/team/schema2/manifests/also-1.0'])
    } finally {
      await client.close()
    }
  })

  it('asks once for identical concurrent lookups, and once per identity whose credentials are the same', async () => {
    const client = newClient()
    try {
      proxy.requests.length = 0
      const answers = await Promise.all([
        ...Array.from({ length: 5 }, () => client.lookup(ref(`${proxy.host}/team/list:stable`), TOOL)),
        // The tool has no credentials here, so it and the anonymous identity are the same question.
        client.lookup(ref(`${proxy.host}/team/list:stable`), { kind: 'anonymous' })
      ])
      expect(new Set(answers.map((answer) => answer.status === 'found' && answer.digest))).toEqual(new Set([dockerList.digest]))
      expect(proxy.requests.filter((request) => request.method === 'HEAD')).toHaveLength(1)
      // Index + two platform manifests, no config blobs (the index names the platforms).
      expect(proxy.requests.filter((request) => request.method === 'GET' && request.path.includes('/manifests/'))).toHaveLength(3)
      expect(proxy.requests.filter((request) => request.path.includes('/blobs/'))).toHaveLength(0)
    } finally {
      await client.close()
    }
  })

  it('fetches only the platform manifests whose sizes are wanted', async () => {
    const client = newClient({ sizePlatforms: [{ os: 'linux', architecture: 'arm64', variant: 'v8' }] })
    proxy.requests.length = 0
    try {
      const facts = await client.lookup(ref(`${proxy.host}/team/multi:v2`), TOOL)
      expect(facts.status === 'found' && facts.platforms.map((platform) => [platform.architecture, platform.size])).toEqual([
        ['amd64', null],
        ['arm64', 4215],
        ['arm', null]
      ])
      expect(proxy.requests.filter((request) => request.method === 'GET' && request.path.includes('/manifests/')).map((request) => request.path)).toEqual([
        `/v2/team/multi/manifests/${ociIndex.digest}`,
        `/v2/team/multi/manifests/${ociIndex.platforms[1]!.digest}`
      ])
    } finally {
      await client.close()
    }
  })

  it('keeps to the per-host concurrency limit and reuses its keep-alive connections', async () => {
    const tags = Array.from({ length: 12 }, (_, i) => `c${i}`)
    for (const tag of tags) await tagImage(registry, 'team/schema2', schema2.digest, MEDIA_TYPES.dockerManifest, tag)
    const slow = await startFaultProxy({ upstream: registry.url, faults: [{ match: { method: 'HEAD' }, fault: { kind: 'delay', ms: 40 } }] })
    const client = newClient({ concurrencyPerHost: 3 })
    try {
      const answers = await Promise.all(tags.map((tag) => client.lookup(ref(`${slow.host}/team/schema2:${tag}`), TOOL)))
      expect(answers.every((answer) => answer.status === 'found' && answer.digest === schema2.digest)).toBe(true)
      expect(slow.requests.filter((request) => request.method === 'HEAD')).toHaveLength(12)
      expect(maxConcurrentRequests(slow.requests)).toBe(3)
      expect(new Set(slow.requests.map((request) => request.clientPort)).size).toBeLessThanOrEqual(3)
    } finally {
      await client.close()
      await slow.stop()
    }
  })

  // distribution 2.8 answers tags/list in one page whatever `n` is (pagination of tags came in 3.0);
  // following Link headers is tested against the documented answers in docker-hub-quirks.test.ts.
  it('lists the tags of a repository, and says when the repository does not exist', async () => {
    const paged = await pushImage(registry, 'team/paged', 'a1', { kind: 'docker-schema2', layerSizes: [3000, 1200] })
    for (const tag of ['b2', 'a2', 'b1']) await tagImage(registry, 'team/paged', paged.digest, MEDIA_TYPES.dockerManifest, tag)
    const client = newClient({ tagsPageSize: 2 })
    try {
      proxy.requests.length = 0
      const listed = await client.listTags(ref(`${proxy.host}/team/paged:a1`), TOOL)
      expect(listed.status === 'found' && [...listed.tags].sort()).toEqual(['a1', 'a2', 'b1', 'b2'])
      const pages = proxy.requests.filter((request) => request.path.startsWith('/v2/team/paged/tags/list'))
      expect(pages.map((request) => request.path)).toEqual(['/v2/team/paged/tags/list?n=2'])
      expect(await client.listTags(ref(`${registry.host}/team/absent:x`), TOOL)).toEqual({
        status: 'repository-not-found',
        detail: `repository team/absent does not exist on ${registry.host} (name unknown)`
      })
    } finally {
      await client.close()
    }
  })
})

describe('plain HTTP', () => {
  it('falls back to HTTP for a loopback registry that does not speak TLS, after trying HTTPS', async () => {
    const logger = recordingLogger()
    const client = newClient({ logger })
    try {
      expect(await client.lookup(ref(`${registry.host}/team/schema2:1.0`), TOOL)).toMatchObject({ status: 'found' })
      expect(logger.lines[0]).toBe(
        `debug: GET https://${registry.host}/v2/ failed: tls: first record does not look like a TLS handshake: ${registry.host} does not speak TLS (it looks like plain HTTP)`
      )
      expect(logger.lines[1]).toMatch(new RegExp(`^debug: GET http://${registry.host.replace(/\./g, '\\.')}/v2/ → 200`))
    } finally {
      await client.close()
    }
  })

  it('never uses plain HTTP for a non-loopback host unless it is listed as insecure', async () => {
    const port = registry.host.split(':')[1]
    const lookupHostname = fakeResolver({ 'registry.pullcheck.test': '127.0.0.1' })
    const strict = newClient({ lookupHostname })
    const allowed = newClient({ lookupHostname, insecureRegistries: [`registry.pullcheck.test:${port}`] })
    try {
      const refused = await strict.lookup(ref(`registry.pullcheck.test:${port}/team/schema2:1.0`), TOOL)
      expect(refused).toEqual({
        status: 'unreachable',
        cause: 'tls',
        detail: `tls: first record does not look like a TLS handshake: registry.pullcheck.test:${port} does not speak TLS (it looks like plain HTTP)`
      })
      expect(await allowed.lookup(ref(`registry.pullcheck.test:${port}/team/schema2:1.0`), TOOL)).toMatchObject({ status: 'found', digest: schema2.digest })
    } finally {
      await strict.close()
      await allowed.close()
    }
  })
})
