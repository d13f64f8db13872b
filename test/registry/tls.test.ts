// TLS against real registries serving certificates from a CA made at test time: trusted through
// caCertificates (--ca-file) or NODE_EXTRA_CA_CERTS, untrusted, expired, and issued for another host
// name — each failure in the kubelet's x509 words, and never a fallback to plain HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emptyCredentialStore, loadCaCertificates, RegistryClient } from '../../src/registry/index.js'
import { createTestCertificateAuthority, type TestCertificateAuthority } from '../support/registry/certificates.js'
import { pushImage, type PushedImage } from '../support/registry/push.js'
import { startRegistry, type TestRegistry } from '../support/registry/registry.js'
import { recordingLogger, ref } from './helpers.js'

const TOOL = { kind: 'tool' } as const

let ca: TestCertificateAuthority
let valid: TestRegistry
let expired: TestRegistry
let wrongHost: TestRegistry
let image: PushedImage

beforeAll(async () => {
  ca = await createTestCertificateAuthority()
  ;[valid, expired, wrongHost] = await Promise.all([
    startRegistry({ tls: { certificate: 'valid', ca } }),
    startRegistry({ tls: { certificate: 'expired', ca } }),
    startRegistry({ tls: { certificate: 'wrong-host', ca } })
  ])
  image = await pushImage(valid, 'team/app', '1.0', { kind: 'docker-schema2' })
  await pushImage(expired, 'team/app', '1.0', { kind: 'docker-schema2' })
})

afterAll(async () => {
  await Promise.all([valid?.stop(), expired?.stop(), wrongHost?.stop()])
  await ca?.dispose()
})

describe('TLS', () => {
  it('finds the image when the registry certificate chains to a CA given with --ca-file', async () => {
    const caCertificates = await loadCaCertificates([ca.caFile], {})
    expect(caCertificates).toEqual([ca.caPem.trim()])
    const client = new RegistryClient({ credentials: emptyCredentialStore, caCertificates })
    try {
      expect(await client.lookup(ref(`${valid.host}/team/app:1.0`), TOOL)).toMatchObject({ status: 'found', digest: image.digest })
    } finally {
      await client.close()
    }
  })

  it('reads NODE_EXTRA_CA_CERTS as well', async () => {
    const client = new RegistryClient({ credentials: emptyCredentialStore, caCertificates: await loadCaCertificates([], { NODE_EXTRA_CA_CERTS: ca.caFile }) })
    try {
      expect(await client.lookup(ref(`${valid.host}/team/app:1.0`), TOOL)).toMatchObject({ status: 'found', digest: image.digest })
    } finally {
      await client.close()
    }
  })

  it('reports an unknown authority in the kubelet words, and does not fall back to HTTP on a loopback registry', async () => {
    const logger = recordingLogger()
    const client = new RegistryClient({ credentials: emptyCredentialStore, logger })
    try {
      expect(await client.lookup(ref(`${valid.host}/team/app:1.0`), TOOL)).toEqual({
        status: 'unreachable',
        cause: 'tls',
        detail: `tls: failed to verify certificate: x509: certificate signed by unknown authority (${valid.host})`
      })
      expect(logger.lines.filter((line) => line.includes('http://'))).toEqual([])
    } finally {
      await client.close()
    }
  })

  it('reports an expired certificate and a certificate for another host name', async () => {
    const client = new RegistryClient({ credentials: emptyCredentialStore, caCertificates: [ca.caPem] })
    try {
      expect(await client.lookup(ref(`${expired.host}/team/app:1.0`), TOOL)).toEqual({
        status: 'unreachable',
        cause: 'tls',
        detail: `tls: failed to verify certificate: x509: certificate has expired or is not yet valid (${expired.host})`
      })
      expect(await client.lookup(ref(`${wrongHost.host}/team/app:1.0`), TOOL)).toEqual({
        status: 'unreachable',
        cause: 'tls',
        detail: 'tls: failed to verify certificate: x509: certificate is valid for registry.pullcheck.test, not 127.0.0.1'
      })
    } finally {
      await client.close()
    }
  })

  it('skips verification only for hosts given with --insecure-registry', async () => {
    const client = new RegistryClient({ credentials: emptyCredentialStore, insecureRegistries: [valid.host, expired.host] })
    try {
      expect(await client.lookup(ref(`${valid.host}/team/app:1.0`), TOOL)).toMatchObject({ status: 'found', digest: image.digest })
      expect(await client.lookup(ref(`${expired.host}/team/app:1.0`), TOOL)).toMatchObject({ status: 'found' })
      expect(await client.lookup(ref(`${wrongHost.host}/team/app:1.0`), TOOL)).toMatchObject({ status: 'unreachable', cause: 'tls' })
    } finally {
      await client.close()
    }
  })

  it('names the file when --ca-file holds no certificate', async () => {
    await expect(loadCaCertificates([`${ca.caFile}.missing`], {})).rejects.toThrow(`--ca-file: cannot read ${ca.caFile}.missing`)
  })
})
