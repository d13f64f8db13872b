// Manifest reading without a registry: type detection (body, Content-Type, shape), which index
// entries are runnable, layer sums, and platforms from config blobs.
import { describe, expect, it } from 'vitest'
import { isRunnableEntry, layersSize, parseManifest, platformFromConfig, type Descriptor } from '../../src/registry/manifest.js'

const digest = (char: string): string => `sha256:${char.repeat(64)}`
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value))

describe('parseManifest', () => {
  const image = {
    schemaVersion: 2,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digest('c'), size: 10 },
    layers: [
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digest('1'), size: 1000 },
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digest('2'), size: 234 }
    ]
  }

  it('takes the type from the body, then from Content-Type (parameters ignored), then from the shape', () => {
    const withType = parseManifest(json({ ...image, mediaType: 'application/vnd.docker.distribution.manifest.v2+json' }), 'text/plain')
    expect(withType.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json')
    expect(parseManifest(json(image), 'application/vnd.oci.image.manifest.v1+json; charset=utf-8').mediaType).toBe('application/vnd.oci.image.manifest.v1+json')
    // OCI manifests pushed before image-spec 1.0.2 may omit mediaType; a proxy may mangle Content-Type.
    const byShape = parseManifest(json(image), 'application/octet-stream')
    expect(byShape.kind).toBe('image')
    expect(byShape.kind === 'image' && layersSize(byShape)).toBe(1234)
    expect(parseManifest(json({ schemaVersion: 2, manifests: [] }), undefined)).toEqual({ kind: 'index', mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] })
  })

  it('reads schema1 as such, and refuses what is not a manifest', () => {
    expect(parseManifest(json({ schemaVersion: 1, architecture: 'amd64', fsLayers: [] }), 'application/vnd.docker.distribution.manifest.v1+prettyjws')).toEqual({
      kind: 'schema1',
      mediaType: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
      architecture: 'amd64'
    })
    expect(() => parseManifest(Buffer.from('<html>'), 'text/html')).toThrow('the manifest is not valid JSON')
    expect(() => parseManifest(json({ hello: 'world' }), 'application/json')).toThrow('unsupported manifest media type "application/json"')
    expect(() => parseManifest(json({ ...image, layers: [{ digest: 'nope', size: 1 }] }), undefined)).toThrow('layers[0] has no valid digest')
    expect(() => parseManifest(json({ ...image, layers: [{ digest: digest('1'), size: -1 }] }), undefined)).toThrow('layers[0] has no valid size')
  })
})

describe('isRunnableEntry', () => {
  const entry = (extra: Partial<Descriptor>): Descriptor => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digest('a'), size: 500, ...extra })

  it.each([
    ['a linux/amd64 image', entry({ platform: { os: 'linux', architecture: 'amd64' } }), true],
    ['an entry without platform (matches any node)', entry({}), true],
    ['a nested index', entry({ mediaType: 'application/vnd.oci.image.index.v1+json' }), true],
    ['a BuildKit attestation (unknown/unknown)', entry({ platform: { os: 'unknown', architecture: 'unknown' } }), false],
    ['an entry annotated vnd.docker.reference.type', entry({ platform: { os: 'linux', architecture: 'amd64' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } }), false],
    ['an artifact (artifactType)', entry({ artifactType: 'application/spdx+json' }), false],
    ['an unknown media type', entry({ mediaType: 'application/vnd.example.thing' }), false]
  ])('%s → %s', (_name, descriptor, runnable) => {
    expect(isRunnableEntry(descriptor)).toBe(runnable)
  })
})

describe('platformFromConfig', () => {
  it('reads os, architecture and variant, and null when they are missing', () => {
    expect(platformFromConfig(json({ os: 'linux', architecture: 'arm', variant: 'v7', rootfs: {} }))).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' })
    expect(platformFromConfig(json({ os: 'linux', architecture: 'amd64' }))).toEqual({ os: 'linux', architecture: 'amd64', variant: null })
    expect(platformFromConfig(json({ config: {} }))).toBeNull()
    expect(platformFromConfig(Buffer.from('{}x'))).toBeNull()
  })
})
