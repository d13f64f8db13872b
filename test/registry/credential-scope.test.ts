// Where credentials go. Recording proxies in front of real registries, and the token server's own
// record, show every Authorization header that arrived: a registry's credentials reach only that
// registry and the realm it names (never the credentials of the realm's host, never Basic to a
// token-auth registry), are dropped on cross-origin redirects, and are never sent to an http://
// realm on a host that is neither loopback nor allowed as insecure. Link-local and metadata
// addresses are refused as registries and realms, by address and by what a name resolves to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emptyCredentialStore, RegistryClient, type CredentialStore, type RegistryCredential } from '../../src/registry/index.js'
import { startFaultProxy, type FaultProxy } from '../support/registry/fault-proxy.js'
import { pushImage, type PushedImage } from '../support/registry/push.js'
import { startRegistry, type TestRegistry } from '../support/registry/registry.js'
import { startTokenServer, type TokenServer } from '../support/registry/token-server.js'
import { fakeResolver, recordingLogger, ref } from './helpers.js'

const ALICE = { username: 'alice', password: 'alice-password-CANARY-a11c' }
const BOB = { username: 'bob', password: 'bob-password-CANARY-b0b5' }
const REALM_HOST_SECRET = 'realm-host-password-CANARY-5e1f'
const TOOL = { kind: 'tool' } as const

function store(entries: Record<string, RegistryCredential>): CredentialStore {
  return { get: async (registry) => entries[registry] ?? null }
}

function basicHeader(credentials: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
}

describe('credential scope', () => {
  let tokenRegistry: TestRegistry
  let basicRegistry: TestRegistry
  let blobHost: TestRegistry
  let tokenProxy: FaultProxy
  let basicProxy: FaultProxy
  let blobProxy: FaultProxy
  let privateImage: PushedImage
  let basicImage: PushedImage

  beforeAll(async () => {
    ;[tokenRegistry, basicRegistry, blobHost] = await Promise.all([
      startRegistry({ auth: { kind: 'token', tokenServerOptions: { users: { alice: { password: ALICE.password } } } } }),
      startRegistry({ auth: { kind: 'htpasswd', users: { bob: BOB.password } } }),
      startRegistry()
    ])
    privateImage = await pushImage(tokenRegistry, 'private/app', '1.0', { kind: 'docker-schema2' })
    basicImage = await pushImage(basicRegistry, 'team/app', '1.0', { kind: 'docker-schema2', seed: 'redirected' })
    // The redirect target serves the same blobs without credentials, as a presigned storage URL does.
    await pushImage(blobHost, 'team/app', '1.0', { kind: 'docker-schema2', seed: 'redirected' })
    blobProxy = await startFaultProxy({ upstream: blobHost.url })
    tokenProxy = await startFaultProxy({ upstream: tokenRegistry.url })
    basicProxy = await startFaultProxy({
      upstream: basicRegistry.url,
      faults: [{ match: { path: /\/blobs\// }, fault: { kind: 'redirect', location: (path) => `${blobProxy.url}${path}` } }]
    })
  })

  afterAll(async () => {
    await Promise.all([tokenProxy?.stop(), basicProxy?.stop(), blobProxy?.stop()])
    await Promise.all([tokenRegistry?.stop(), basicRegistry?.stop(), blobHost?.stop()])
  })

  it('sends a registry’s credentials only to its token realm, and only tokens to the registry', async () => {
    const tokenServer = tokenRegistry.tokenServer!
    const credentials = store({
      [tokenProxy.host]: { kind: 'basic', ...ALICE },
      [basicProxy.host]: { kind: 'basic', ...BOB },
      // Credentials for the realm's own host: the realm must never receive them on the registry's behalf.
      [tokenServer.host]: { kind: 'basic', username: 'realm-host-user', password: REALM_HOST_SECRET }
    })
    const client = new RegistryClient({ credentials })
    const tokenRequestsBefore = tokenServer.requests.length
    try {
      expect(await client.lookup(ref(`${tokenProxy.host}/private/app:1.0`), TOOL)).toMatchObject({ status: 'found', digest: privateImage.digest })
      const tokenRequests = tokenServer.requests.slice(tokenRequestsBefore)
      expect(tokenRequests.map((request) => request.authorization)).toEqual([basicHeader(ALICE)])
      expect(tokenRequests.flatMap((request) => request.secretsSeen)).toEqual([ALICE.password])
      // The registry itself sees bearer tokens (and the anonymous probe), never a password.
      const toRegistry = tokenProxy.requests.map((request) => request.authorization)
      expect(toRegistry[0]).toBeNull()
      expect(toRegistry.slice(1).every((header) => header !== null && header.startsWith('Bearer '))).toBe(true)
      expect(toRegistry.slice(1)).toHaveLength(3)
      expect(basicProxy.requests).toEqual([])
    } finally {
      await client.close()
    }
  })

  it('drops Authorization when a blob download is redirected to another origin', async () => {
    const client = new RegistryClient({ credentials: store({ [basicProxy.host]: { kind: 'basic', ...BOB } }) })
    try {
      expect(await client.lookup(ref(`${basicProxy.host}/team/app:1.0`), TOOL)).toMatchObject({ status: 'found', digest: basicImage.digest })
      const redirected = basicProxy.requests.filter((request) => request.fault === 'redirect')
      expect(redirected.map((request) => [request.path, request.authorization])).toEqual([[`/v2/team/app/blobs/${basicImage.configDigest}`, basicHeader(BOB)]])
      expect(blobProxy.requests.map((request) => [request.method, request.path, request.authorization])).toEqual([
        ['GET', `/v2/team/app/blobs/${basicImage.configDigest}`, null]
      ])
      expect(basicProxy.requests.filter((request) => request.authorization !== null).every((request) => request.authorization === basicHeader(BOB))).toBe(true)
    } finally {
      await client.close()
    }
  })

  describe('a token realm over plain HTTP on another host', () => {
    let realmServer: TokenServer
    let registry: TestRegistry
    let realmHost: string

    beforeAll(async () => {
      realmServer = await startTokenServer({ users: { alice: { password: ALICE.password } } })
      realmHost = `realm.pullcheck.test:${realmServer.host.split(':')[1]}`
      registry = await startRegistry({ auth: { kind: 'token', tokenServer: realmServer, realm: `http://${realmHost}/token` } })
    })
    afterAll(async () => {
      await registry?.stop()
      await realmServer?.stop()
    })

    const lookupHostname = fakeResolver({ 'realm.pullcheck.test': '127.0.0.1' })

    it('is not given the credentials, and nothing is sent to it', async () => {
      const logger = recordingLogger()
      const client = new RegistryClient({ credentials: store({ [registry.host]: { kind: 'basic', ...ALICE } }), lookupHostname, logger })
      try {
        expect(await client.lookup(ref(`${registry.host}/private/app:1.0`), TOOL)).toEqual({
          status: 'unreachable',
          cause: 'blocked',
          detail: `not sending the credentials for ${registry.host} to its token realm http://${realmHost} over plain HTTP; allow it with --insecure-registry ${realmHost}`
        })
        expect(realmServer.requests).toEqual([])
        expect(logger.lines.join('\n')).not.toContain(ALICE.password)
      } finally {
        await client.close()
      }
    })

    it('may still be asked for an anonymous token, and gets the credentials once allowed as insecure', async () => {
      const anonymous = new RegistryClient({ credentials: emptyCredentialStore, lookupHostname })
      const allowed = new RegistryClient({ credentials: store({ [registry.host]: { kind: 'basic', ...ALICE } }), lookupHostname, insecureRegistries: [realmHost] })
      try {
        expect(await anonymous.lookup(ref(`${registry.host}/public/none:1.0`), TOOL)).toMatchObject({ status: 'repository-not-found' })
        expect(realmServer.requests.map((request) => request.authorization)).toEqual([null])
        expect(await allowed.lookup(ref(`${registry.host}/private/none:1.0`), TOOL)).toMatchObject({ status: 'repository-not-found' })
        expect(realmServer.requests.map((request) => request.username)).toEqual([null, 'alice'])
      } finally {
        await anonymous.close()
        await allowed.close()
      }
    })
  })
})

describe('outbound guard', () => {
  let realmServer: TokenServer
  const registries: TestRegistry[] = []

  beforeAll(async () => {
    realmServer = await startTokenServer()
  })
  afterAll(async () => {
    await Promise.all(registries.map((registry) => registry.stop()))
    await realmServer?.stop()
  })

  it.each([
    ['169.254.169.254', '169.254.169.254/latest/meta-data:1', '169.254.169.254 is a link-local or cloud-metadata address; pullcheck never sends requests there'],
    ['[fd00:ec2::254]:80', '[fd00:ec2::254]:80/x:1', 'fd00:ec2::254 is a link-local or cloud-metadata address; pullcheck never sends requests there'],
    ['[fe80::1]:5000', '[fe80::1]:5000/x:1', 'fe80::1 is a link-local or cloud-metadata address; pullcheck never sends requests there']
  ])('refuses the registry %s without sending anything', async (_host, reference, detail) => {
    const client = new RegistryClient({ credentials: emptyCredentialStore })
    try {
      expect(await client.lookup(ref(reference), TOOL)).toEqual({ status: 'unreachable', cause: 'blocked', detail })
      expect(client.stats().requests).toBe(0)
    } finally {
      await client.close()
    }
  })

  it('never turns a hand-built reference with path tricks into a request', async () => {
    const client = new RegistryClient({ credentials: emptyCredentialStore })
    const base = ref('registry.pullcheck.test/team/app:1.0')
    try {
      expect(await client.lookup({ ...base, repository: '../../admin' }, TOOL)).toEqual({
        status: 'unreachable',
        cause: 'protocol',
        detail: 'not asking the registry about "registry.pullcheck.test/team/app:1.0": "../../admin" is not a repository name'
      })
      expect(await client.lookup({ ...base, tag: '1.0?x=1' }, TOOL)).toMatchObject({ status: 'unreachable', cause: 'protocol' })
      expect(await client.listTags({ ...base, registry: 'evil.example/x@127.0.0.1' }, TOOL)).toMatchObject({ status: 'unreachable', cause: 'protocol' })
      expect(client.stats().requests).toBe(0)
    } finally {
      await client.close()
    }
  })

  it('answers "could not verify" when the credential store fails, without its secrets', async () => {
    const client = new RegistryClient({
      credentials: {
        get: async () => {
          throw new Error('keychain locked')
        }
      }
    })
    try {
      expect(await client.lookup(ref('registry.pullcheck.test/team/app:1.0'), TOOL)).toEqual({
        status: 'unreachable',
        cause: 'protocol',
        detail: "could not read pullcheck's credentials for registry.pullcheck.test: keychain locked"
      })
    } finally {
      await client.close()
    }
  })

  it('refuses a registry whose name resolves to a metadata address, at connect time', async () => {
    const client = new RegistryClient({ credentials: emptyCredentialStore, lookupHostname: fakeResolver({ 'metadata.pullcheck.test': '169.254.169.254' }) })
    try {
      expect(await client.lookup(ref('metadata.pullcheck.test/x:1'), TOOL)).toEqual({
        status: 'unreachable',
        cause: 'blocked',
        detail: 'metadata.pullcheck.test resolves to 169.254.169.254, a link-local or cloud-metadata address; pullcheck never sends requests there'
      })
    } finally {
      await client.close()
    }
  })

  it('refuses a token realm on a metadata address, named or resolved', async () => {
    const byAddress = await startRegistry({ auth: { kind: 'token', tokenServer: realmServer, realm: 'http://169.254.169.254/token' } })
    const byName = await startRegistry({ auth: { kind: 'token', tokenServer: realmServer, realm: 'http://metadata.pullcheck.test/token' } })
    registries.push(byAddress, byName)
    const client = new RegistryClient({ credentials: emptyCredentialStore, lookupHostname: fakeResolver({ 'metadata.pullcheck.test': '169.254.169.254' }) })
    try {
      expect(await client.lookup(ref(`${byAddress.host}/public/x:1`), TOOL)).toEqual({
        status: 'unreachable',
        cause: 'blocked',
        detail: `token realm http://169.254.169.254 of ${byAddress.host}: 169.254.169.254 is a link-local or cloud-metadata address; pullcheck never sends requests there`
      })
      expect(await client.lookup(ref(`${byName.host}/public/x:1`), TOOL)).toEqual({
        status: 'unreachable',
        cause: 'blocked',
        detail: `token server http://metadata.pullcheck.test for ${byName.host}: metadata.pullcheck.test resolves to 169.254.169.254, a link-local or cloud-metadata address; pullcheck never sends requests there`
      })
      expect(realmServer.requests).toEqual([])
    } finally {
      await client.close()
    }
  })

  it('contacts only the registries allowedRegistries matches', async () => {
    const open = await startRegistry()
    registries.push(open)
    const image = await pushImage(open, 'team/app', '1.0', { kind: 'docker-schema2' })
    const client = new RegistryClient({ credentials: emptyCredentialStore, allowedRegistries: ['127.0.0.1:*', 'ghcr.io'] })
    try {
      expect(await client.lookup(ref(`${open.host}/team/app:1.0`), TOOL)).toMatchObject({ status: 'found', digest: image.digest })
      const port = open.host.split(':')[1]
      expect(await client.lookup(ref(`localhost:${port}/team/app:1.0`), TOOL)).toEqual({
        status: 'unreachable',
        cause: 'blocked',
        detail: `localhost:${port} is not in the allowed registries (allowedRegistries)`
      })
      expect(await client.lookup(ref('nginx:1.27'), TOOL)).toEqual({
        status: 'unreachable',
        cause: 'blocked',
        detail: 'docker.io is not in the allowed registries (allowedRegistries)'
      })
      expect(await client.listTags(ref('nginx:1.27'), TOOL)).toMatchObject({ status: 'unreachable', cause: 'blocked' })
    } finally {
      await client.close()
    }
  })
})
