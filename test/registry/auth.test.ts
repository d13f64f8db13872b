// Authentication against real registries: htpasswd Basic auth, and token auth with the tests' own
// token server (anonymous pulls allowed on `public/`, credentials required on `private/`). Every
// failure class an identity can run into, the OAuth2 refresh-token flow and its GET fallback,
// registry tokens, and the token cache (one token request per realm, service, scope and identity).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Identity } from '../../src/model.js'
import { emptyCredentialStore, RegistryClient, type CredentialStore, type RegistryCredential } from '../../src/registry/index.js'
import { pushImage, type PushedImage } from '../support/registry/push.js'
import { startRegistry, type TestRegistry } from '../support/registry/registry.js'
import { recordingLogger, ref } from './helpers.js'

const ALICE = { username: 'alice', password: 'alice-secret-CANARY-41d9' }
const BOB = { username: 'bob', password: 'bob-secret-CANARY-92ce' }
const REFRESH_TOKEN = 'refresh-token-CANARY-5b07'
const CANARIES = [ALICE.password, BOB.password, REFRESH_TOKEN, 'wrong-password-CANARY-0e1d']

function store(entries: Record<string, RegistryCredential>): CredentialStore {
  return { get: async (registry) => entries[registry] ?? null }
}

function basic(credentials: { username: string; password: string }, label = credentials.username): Identity {
  return { kind: 'basic', label, ...credentials }
}

function expectNoCanary(text: string): void {
  for (const canary of CANARIES) expect(text).not.toContain(canary)
}

describe('htpasswd Basic auth', () => {
  let registry: TestRegistry
  let image: PushedImage

  beforeAll(async () => {
    registry = await startRegistry({ auth: { kind: 'htpasswd', users: { [ALICE.username]: ALICE.password } } })
    image = await pushImage(registry, 'team/app', '1.0', { kind: 'docker-schema2' })
  })
  afterAll(async () => registry?.stop())

  it('finds the image with the tool credentials for the host, or with explicit credentials', async () => {
    const client = new RegistryClient({ credentials: store({ [registry.host]: { kind: 'basic', ...ALICE } }) })
    try {
      expect(await client.lookup(ref(`${registry.host}/team/app:1.0`), { kind: 'tool' })).toMatchObject({ status: 'found', digest: image.digest })
      expect(await client.lookup(ref(`${registry.host}/team/app:1.0`), basic(ALICE, 'pull-secret default/regcred'))).toMatchObject({ status: 'found', digest: image.digest })
      expect(await client.lookup(ref(`${registry.host}/team/app:2.0`), { kind: 'tool' })).toMatchObject({ status: 'tag-not-found' })
      expect(await client.listTags(ref(`${registry.host}/team/app:1.0`), { kind: 'tool' })).toEqual({ status: 'found', tags: ['1.0'] })
    } finally {
      await client.close()
    }
  })

  it('says auth-required without credentials, and auth-rejected for a wrong password, without leaking it', async () => {
    const logger = recordingLogger()
    // Credentials for another host must not be used here.
    const client = new RegistryClient({ credentials: store({ 'other.example:5000': { kind: 'basic', ...BOB } }), logger })
    try {
      const anonymous = await client.lookup(ref(`${registry.host}/team/app:1.0`), { kind: 'tool' })
      expect(anonymous).toEqual({
        status: 'auth-required',
        detail: 'pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials (the repository does not exist or needs credentials)'
      })
      const wrong = await client.lookup(ref(`${registry.host}/team/app:1.0`), basic({ username: 'alice', password: 'wrong-password-CANARY-0e1d' }))
      expect(wrong).toEqual({
        status: 'auth-rejected',
        // A HEAD answer has no body, so there is no server message to quote.
        detail: `401 Unauthorized: ${registry.host} refused the credentials`
      })
      expectNoCanary(JSON.stringify([anonymous, wrong]) + logger.lines.join('\n'))
    } finally {
      await client.close()
    }
  })
})

describe('token auth', () => {
  let registry: TestRegistry
  let publicImage: PushedImage
  let privateImage: PushedImage

  beforeAll(async () => {
    registry = await startRegistry({
      auth: {
        kind: 'token',
        tokenServerOptions: {
          users: { [ALICE.username]: { password: ALICE.password }, [BOB.username]: { password: BOB.password, pullPrefixes: ['team-b/'] } },
          refreshTokens: { [REFRESH_TOKEN]: ALICE.username },
          anonymousPullPrefixes: ['public/']
        }
      }
    })
    publicImage = await pushImage(registry, 'public/app', '1.0', { kind: 'docker-schema2' })
    privateImage = await pushImage(registry, 'private/app', '1.0', { kind: 'oci-index', platforms: [{ os: 'linux', architecture: 'amd64' }] })
  })
  afterAll(async () => registry?.stop())

  it('pulls a public repository with an anonymous token, and calls a private one auth-required', async () => {
    const client = new RegistryClient({ credentials: emptyCredentialStore })
    try {
      expect(await client.lookup(ref(`${registry.host}/public/app:1.0`), { kind: 'anonymous' })).toMatchObject({ status: 'found', digest: publicImage.digest })
      expect(await client.lookup(ref(`${registry.host}/public/missing:1.0`), { kind: 'anonymous' })).toMatchObject({ status: 'repository-not-found' })
      expect(await client.lookup(ref(`${registry.host}/private/app:1.0`), { kind: 'anonymous' })).toEqual({
        status: 'auth-required',
        detail: 'pull access denied, repository does not exist or may require authorization: insufficient_scope: authorization failed (the repository does not exist or needs credentials)'
      })
    } finally {
      await client.close()
    }
  })

  it('gets in with credentials, and tells rejected credentials from credentials without access', async () => {
    const logger = recordingLogger()
    const client = new RegistryClient({ credentials: store({ [registry.host]: { kind: 'basic', ...ALICE } }), logger })
    try {
      expect(await client.lookup(ref(`${registry.host}/private/app:1.0`), { kind: 'tool' })).toMatchObject({ status: 'found', digest: privateImage.digest, isIndex: true })
      expect(await client.lookup(ref(`${registry.host}/private/app:0.9`), { kind: 'tool' })).toMatchObject({ status: 'tag-not-found' })
      expect(await client.lookup(ref(`${registry.host}/private/never:1.0`), { kind: 'tool' })).toMatchObject({ status: 'repository-not-found' })

      const wrong = await client.lookup(ref(`${registry.host}/private/app:1.0`), basic({ username: 'alice', password: 'wrong-password-CANARY-0e1d' }))
      expect(wrong.status).toBe('auth-rejected')
      expect(wrong.status !== 'found' && wrong.detail).toBe(
        `failed to fetch oauth token: unexpected status from GET request to ${registry.tokenServer!.realm}?service=pullcheck-test-registry&scope=repository%3Aprivate%2Fapp%3Apull: 401 Unauthorized: the token server refused the credentials for ${registry.host}`
      )
      const noAccess = await client.lookup(ref(`${registry.host}/private/app:1.0`), basic(BOB))
      expect(noAccess.status).toBe('forbidden')
      expect(noAccess.status !== 'found' && noAccess.detail).toContain(`the token server accepted the credentials for ${registry.host} but they do not grant pull access to private/app`)
      expectNoCanary(JSON.stringify([wrong, noAccess]) + logger.lines.join('\n'))
    } finally {
      await client.close()
    }
  })

  it('exchanges an identity token with the OAuth2 refresh-token grant', async () => {
    const client = new RegistryClient({ credentials: store({ [registry.host]: { kind: 'identity-token', username: null, token: REFRESH_TOKEN } }) })
    const before = registry.tokenServer!.requests.length
    try {
      expect(await client.lookup(ref(`${registry.host}/private/app:1.0`), { kind: 'tool' })).toMatchObject({ status: 'found', digest: privateImage.digest })
      const sent = registry.tokenServer!.requests.slice(before)
      expect(sent.map((request) => [request.method, request.grantType, request.username, request.scopes])).toEqual([
        ['POST', 'refresh_token', 'alice', ['repository:private/app:pull']]
      ])
      expect(sent[0]!.authorization).toBeNull()
    } finally {
      await client.close()
    }
  })

  it('falls back to GET when the token server has no OAuth2 endpoint (404 on POST)', async () => {
    const fallback = await startRegistry({
      auth: { kind: 'token', tokenServerOptions: { users: { [ALICE.username]: { password: ALICE.password } }, refreshTokens: { [REFRESH_TOKEN]: 'alice' }, oauthPost: 'not-found' } }
    })
    const image = await pushImage(fallback, 'private/app', '1.0', { kind: 'docker-schema2' })
    const client = new RegistryClient({ credentials: store({ [fallback.host]: { kind: 'identity-token', username: 'alice', token: REFRESH_TOKEN } }) })
    try {
      expect(await client.lookup(ref(`${fallback.host}/private/app:1.0`), { kind: 'tool' })).toMatchObject({ status: 'found', digest: image.digest })
      const pulls = fallback.tokenServer!.requests.filter((request) => request.scopes.join() === 'repository:private/app:pull')
      expect(pulls.map((request) => [request.method, request.status, request.username])).toEqual([
        ['POST', 404, null],
        ['GET', 200, 'alice']
      ])
    } finally {
      await client.close()
      await fallback.stop()
    }
  })

  it('sends a registry token as the bearer token itself, and reports one the registry refuses', async () => {
    // A token obtained out of band, as a registrytoken in config.json would be.
    const basicAuth = `Basic ${Buffer.from(`${ALICE.username}:${ALICE.password}`).toString('base64')}`
    const response = await fetch(`${registry.tokenServer!.realm}?service=pullcheck-test-registry&scope=repository:private/app:pull`, { headers: { authorization: basicAuth } })
    const { token } = (await response.json()) as { token: string }
    const before = registry.tokenServer!.requests.length
    const client = new RegistryClient({ credentials: store({ [registry.host]: { kind: 'registry-token', token } }) })
    try {
      expect(await client.lookup(ref(`${registry.host}/private/app:1.0`), { kind: 'tool' })).toMatchObject({ status: 'found', digest: privateImage.digest })
      expect(registry.tokenServer!.requests.length).toBe(before)
      const refused = await client.lookup(ref(`${registry.host}/private/app:1.0`), { kind: 'token', label: 'bogus', token: 'not-a-jwt-CANARY' })
      expect(refused).toMatchObject({ status: 'auth-rejected' })
      expect(refused.status !== 'found' && refused.detail).not.toContain('not-a-jwt-CANARY')
    } finally {
      await client.close()
    }
  })

  it('fetches one token per repository and identity, however many lookups need it at once', async () => {
    for (const tag of ['2.0', '3.0']) await pushImage(registry, 'public/app', tag, { kind: 'docker-schema2', seed: tag })
    const client = new RegistryClient({ credentials: store({ [registry.host]: { kind: 'basic', ...ALICE } }) })
    const before = registry.tokenServer!.requests.length
    try {
      const answers = await Promise.all([
        ...['1.0', '2.0', '3.0', '1.0', '2.0'].map((tag) => client.lookup(ref(`${registry.host}/public/app:${tag}`), { kind: 'tool' })),
        ...['1.0', '2.0', '3.0'].map((tag) => client.lookup(ref(`${registry.host}/public/app:${tag}`), { kind: 'anonymous' })),
        client.lookup(ref(`${registry.host}/private/app:1.0`), { kind: 'tool' })
      ])
      expect(answers.map((answer) => answer.status)).toEqual(Array(9).fill('found'))
      const sent = registry.tokenServer!.requests.slice(before).map((request) => `${request.username ?? 'anonymous'} ${request.scopes.join(' ')}`)
      expect(sent.sort()).toEqual(['alice repository:private/app:pull', 'alice repository:public/app:pull', 'anonymous repository:public/app:pull'])
      expect(client.stats().tokenRequests).toBe(3)
    } finally {
      await client.close()
    }
  })
})
