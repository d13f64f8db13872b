// Answers the local distribution registry cannot give, reproduced with undici's MockAgent from the
// documented behaviour of the registries that give them (each test names its source; the
// citations are collected in ../shared/docs/registry-protocol.md §1.3–1.7, §3 and §4).
import { createHash } from 'node:crypto'
import { MockAgent } from 'undici'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { emptyCredentialStore, RegistryClient, type RegistryClientOptions } from '../../src/registry/index.js'
import { FAST_RETRY, ref } from './helpers.js'

const HUB = 'https://registry-1.docker.io'
const HUB_CHALLENGE = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io"'
const GHCR = 'https://ghcr.io'
const GHCR_CHALLENGE = 'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:user/image:pull"'

let agent: MockAgent
let client: RegistryClient | null = null

beforeEach(() => {
  agent = new MockAgent()
  agent.disableNetConnect()
})

afterEach(async () => {
  await client?.close()
  client = null
  await agent.close()
})

function newClient(options: Partial<RegistryClientOptions> = {}): RegistryClient {
  client = new RegistryClient({ credentials: emptyCredentialStore, dispatcher: agent, retry: FAST_RETRY, ...options })
  return client
}

function digestOf(bytes: string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

/** A single-arch image: manifest bytes, config bytes and their digests. */
function singleArchImage(architecture: string): { manifest: string; digest: string; config: string; configDigest: string } {
  const config = JSON.stringify({ architecture, os: 'linux', rootfs: { type: 'layers', diff_ids: [] } })
  const configDigest = digestOf(config)
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: configDigest, size: config.length },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: digestOf('layer'), size: 31_457_280 }]
  })
  return { manifest, digest: digestOf(manifest), config, configDigest }
}

function hubPing(): void {
  agent.get(HUB).intercept({ path: '/v2/', method: 'GET' }).reply(401, '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}', {
    headers: { 'www-authenticate': HUB_CHALLENGE, 'content-type': 'application/json' }
  })
}

function hubAnonymousToken(repository: string): void {
  agent
    .get('https://auth.docker.io')
    .intercept({ path: `/token?service=registry.docker.io&scope=${encodeURIComponent(`repository:${repository}:pull`)}`, method: 'GET' })
    .reply(200, { token: 'hub-anonymous-token', access_token: 'hub-anonymous-token', expires_in: 300, issued_at: '2026-01-01T00:00:00Z' })
}

describe('Docker Hub', () => {
  // Docker Hub answers 401 insufficient_scope, not 404, for a repository that does not exist, after
  // issuing a token for it anyway ("will always return 401 indiscriminately on both unauthorized access
  // to existing images, and non-existent images": hashicorp/terraform-provider-docker#140; tokens for
  // anything: docker/hub-feedback#1771).
  it('reports a missing repository as auth-required, "does not exist or needs credentials"', async () => {
    hubPing()
    hubAnonymousToken('library/nosuchimage')
    agent
      .get(HUB)
      .intercept({ path: '/v2/library/nosuchimage/manifests/latest', method: 'HEAD' })
      .reply(401, '', {
        headers: { 'www-authenticate': `${HUB_CHALLENGE},scope="repository:library/nosuchimage:pull",error="insufficient_scope"` }
      })
    expect(await newClient().lookup(ref('nosuchimage'), { kind: 'anonymous' })).toEqual({
      status: 'auth-required',
      detail: 'pull access denied, repository does not exist or may require authorization: insufficient_scope: authorization failed (the repository does not exist or needs credentials)'
    })
  })

  // The pull-limit headers come on HEAD and GET of manifests (docker/docs content/manuals/docker-hub/usage/pulls.md).
  it('keeps the ratelimit-limit / ratelimit-remaining facts of the HEAD answer', async () => {
    const image = singleArchImage('amd64')
    hubPing()
    hubAnonymousToken('library/nginx')
    const hub = agent.get(HUB)
    hub.intercept({ path: '/v2/library/nginx/manifests/1.27', method: 'HEAD' }).reply(200, '', {
      headers: {
        'content-type': 'application/vnd.docker.distribution.manifest.v2+json',
        'docker-content-digest': image.digest,
        'content-length': String(image.manifest.length),
        'ratelimit-limit': '100;w=21600',
        'ratelimit-remaining': '76;w=21600',
        'docker-ratelimit-source': '203.0.113.7'
      }
    })
    hub.intercept({ path: `/v2/library/nginx/manifests/${image.digest}`, method: 'GET' }).reply(200, image.manifest, {
      headers: { 'content-type': 'application/vnd.docker.distribution.manifest.v2+json', 'docker-content-digest': image.digest }
    })
    hub.intercept({ path: `/v2/library/nginx/blobs/${image.configDigest}`, method: 'GET' }).reply(200, image.config)
    const facts = await newClient().lookup(ref('nginx:1.27'), { kind: 'anonymous' })
    expect(facts).toMatchObject({
      status: 'found',
      digest: image.digest,
      platforms: [{ os: 'linux', architecture: 'amd64', variant: null, digest: image.digest, size: 31_457_280 }],
      rateLimit: { limit: 100, remaining: 76, windowSeconds: 21600, retryAfterSeconds: null }
    })
  })

  // Over the pull limit: 429 TOOMANYREQUESTS with the budget at 0 (pulls.md "Pull rate limit").
  it('answers rate-limited with the budget facts when the pull limit is reached', async () => {
    hubPing()
    hubAnonymousToken('library/nginx')
    agent
      .get(HUB)
      .intercept({ path: '/v2/library/nginx/manifests/1.27', method: 'HEAD' })
      .reply(429, '', { headers: { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600' } })
      .times(3)
    expect(await newClient().lookup(ref('nginx:1.27'), { kind: 'anonymous' })).toEqual({
      status: 'rate-limited',
      detail: '429 Too Many Requests from registry-1.docker.io',
      rateLimit: { limit: 100, remaining: 0, windowSeconds: 21600, retryAfterSeconds: null }
    })
  })
})

describe('GHCR', () => {
  // GHCR refuses an anonymous token for a private or missing package: the token endpoint itself
  // answers 401 (openai/tunnel-client#75: `GET https://ghcr.io/token?scope=…&service=ghcr.io: 401 Unauthorized`).
  it('reports a refused anonymous token as auth-required, in containerd’s words', async () => {
    const ghcr = agent.get(GHCR)
    ghcr.intercept({ path: '/v2/', method: 'GET' }).reply(401, '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}', {
      headers: { 'www-authenticate': GHCR_CHALLENGE }
    })
    ghcr
      .intercept({ path: `/token?service=ghcr.io&scope=${encodeURIComponent('repository:acme/private-app:pull')}`, method: 'GET' })
      .reply(401, '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}')
    expect(await newClient().lookup(ref('ghcr.io/acme/private-app:1.0'), { kind: 'anonymous' })).toEqual({
      status: 'auth-required',
      detail:
        'pull access denied, repository does not exist or may require authorization: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?service=ghcr.io&scope=repository%3Aacme%2Fprivate-app%3Apull: 401 Unauthorized'
    })
  })

  // With a token that lacks access, GHCR answers the manifest HEAD with 403 (LeoMartinDev/voy#3).
  it('reports a 403 with credentials as forbidden', async () => {
    const ghcr = agent.get(GHCR)
    ghcr.intercept({ path: '/v2/', method: 'GET' }).reply(401, '', { headers: { 'www-authenticate': GHCR_CHALLENGE } })
    ghcr.intercept({ path: (path) => path.startsWith('/token?'), method: 'GET' }).reply(200, { token: 'ghcr-token' })
    ghcr.intercept({ path: '/v2/acme/app/manifests/1.0', method: 'HEAD' }).reply(403, '')
    const credentials = { get: async (registry: string) => (registry === 'ghcr.io' ? { kind: 'basic' as const, username: 'me', password: 'ghp_CANARY' } : null) }
    expect(await newClient({ credentials }).lookup(ref('ghcr.io/acme/app:1.0'), { kind: 'tool' })).toEqual({
      status: 'forbidden',
      detail: '403 Forbidden from ghcr.io: the credentials do not allow pulling acme/app'
    })
  })
})

describe('protocol variations', () => {
  const REGISTRY = 'https://registry.example.com'

  function openRegistryPing(): void {
    agent.get(REGISTRY).intercept({ path: '/v2/', method: 'GET' }).reply(200, '{}')
  }

  // GitHub Enterprise's legacy package registry answered HEAD with 405 (containerd/containerd#5860);
  // containerd then GETs, as it does when a HEAD answer lacks Docker-Content-Digest.
  it('falls back to GET on a 405 HEAD, and computes the digest from the bytes when no header names it', async () => {
    const image = singleArchImage('arm64')
    openRegistryPing()
    const registry = agent.get(REGISTRY)
    registry.intercept({ path: '/v2/team/app/manifests/1.0', method: 'HEAD' }).reply(405, '')
    registry.intercept({ path: '/v2/team/app/manifests/1.0', method: 'GET' }).reply(200, image.manifest, {
      headers: { 'content-type': 'application/vnd.docker.distribution.manifest.v2+json' }
    })
    registry.intercept({ path: `/v2/team/app/blobs/${image.configDigest}`, method: 'GET' }).reply(200, image.config)
    expect(await newClient().lookup(ref('registry.example.com/team/app:1.0'), { kind: 'anonymous' })).toMatchObject({
      status: 'found',
      digest: image.digest,
      platforms: [{ os: 'linux', architecture: 'arm64', variant: null, digest: image.digest, size: 31_457_280 }]
    })
  })

  it('refuses manifest bytes that do not match the Docker-Content-Digest header', async () => {
    const image = singleArchImage('amd64')
    openRegistryPing()
    const registry = agent.get(REGISTRY)
    registry.intercept({ path: '/v2/team/app/manifests/1.0', method: 'HEAD' }).reply(200, '', { headers: { 'content-type': 'application/vnd.docker.distribution.manifest.v2+json' } })
    registry.intercept({ path: '/v2/team/app/manifests/1.0', method: 'GET' }).reply(200, image.manifest, {
      headers: { 'docker-content-digest': digestOf('something else') }
    })
    expect(await newClient().lookup(ref('registry.example.com/team/app:1.0'), { kind: 'anonymous' })).toEqual({
      status: 'unreachable',
      cause: 'protocol',
      detail: 'the manifest of registry.example.com/team/app:1.0 does not match its Docker-Content-Digest (corrupted in transit?)'
    })
  })

  // Tag lists are paginated with `Link: <…>; rel="next"`, relative in the reference registry
  // (distribution docs/spec/api.md "Pagination"; OCI distribution-spec v1.1.1 "Listing Tags").
  it('follows relative Link headers through every page, and no link to another origin', async () => {
    openRegistryPing()
    const registry = agent.get(REGISTRY)
    registry.intercept({ path: '/v2/team/app/tags/list?n=2', method: 'GET' }).reply(200, { name: 'team/app', tags: ['1.0', '1.1'] }, {
      headers: { link: '</v2/team/app/tags/list?last=1.1&n=2>; rel="next"' }
    })
    registry.intercept({ path: '/v2/team/app/tags/list?last=1.1&n=2', method: 'GET' }).reply(200, { name: 'team/app', tags: ['2.0', '2.1'] }, {
      headers: { link: '<https://elsewhere.example/v2/team/app/tags/list?last=2.1&n=2>; rel="next"' }
    })
    expect(await newClient({ tagsPageSize: 2 }).listTags(ref('registry.example.com/team/app:1.0'), { kind: 'anonymous' })).toEqual({
      status: 'found',
      tags: ['1.0', '1.1', '2.0', '2.1']
    })
  })

  // A host whose /v2/ answers 404 does not implement the registry API (distribution-spec "Determining Support"):
  // its 404s for manifests say nothing about the image.
  it('does not turn the 404s of a host without the registry API into not-found', async () => {
    agent.get(REGISTRY).intercept({ path: '/v2/', method: 'GET' }).reply(404, 'not here')
    expect(await newClient().lookup(ref('registry.example.com/team/app:1.0'), { kind: 'anonymous' })).toEqual({
      status: 'unreachable',
      cause: 'protocol',
      detail: 'registry.example.com does not serve the registry API (GET /v2/ answered 404 Not Found)'
    })
  })
})
