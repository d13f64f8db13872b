// Pushes test images into a TestRegistry through the OCI distribution HTTP API (no Docker engine
// here): blobs by POST+PUT upload, manifests by PUT. The image kinds are the ones the client must
// read: Docker schema2, OCI manifest, OCI index with attestation (and artifact) entries, Docker
// manifest list, and an image whose layer descriptors declare sizes far larger than the small blobs
// behind them (distribution 2.8 checks that a layer blob exists, not that its size matches).
// The returned PushedImage holds the facts computed here, independently of the client under test.
import { createHash } from 'node:crypto'
import { Agent, request, type Dispatcher } from 'undici'
import type { TestRegistry } from './registry.js'

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  inToto: 'application/vnd.in-toto+json'
} as const

export interface TestPlatform {
  os: string
  architecture: string
  variant?: string
}

/** What to push. `seed` varies the content (and so the digests); equal specs give equal digests. */
export type ImageSpec =
  | { kind: 'docker-schema2'; platform?: TestPlatform; layerSizes?: number[]; seed?: string }
  | { kind: 'oci-manifest'; platform?: TestPlatform; layerSizes?: number[]; seed?: string }
  /** One OCI manifest per platform; `attestations` adds a BuildKit attestation manifest per platform; `artifact` adds an SBOM-like artifact entry. */
  | { kind: 'oci-index'; platforms: TestPlatform[]; attestations?: boolean; artifact?: boolean; layerSizes?: number[]; seed?: string }
  | { kind: 'docker-list'; platforms: TestPlatform[]; layerSizes?: number[]; seed?: string }
  /** Docker schema2 whose layer descriptors declare these sizes while the blobs are 1 KiB each. */
  | { kind: 'declared-size'; declaredLayerSizes: number[]; platform?: TestPlatform; seed?: string }

/** A runnable platform image as the harness pushed it. */
export interface PushedPlatform {
  os: string
  architecture: string
  variant: string | null
  /** Digest of the platform's image manifest. */
  digest: string
  /** Sum of the layer sizes its manifest declares. */
  size: number
}

export interface PushedImage {
  /** host/repository:tag */
  reference: string
  /** Digest of the top-level manifest (index or image manifest). */
  digest: string
  mediaType: string
  platforms: PushedPlatform[]
  /** Digests of index entries that are not runnable (attestations, artifacts). */
  nonRunnableDigests: string[]
  /** Digest of the config blob of a single-arch image. */
  configDigest: string | null
}

const DEFAULT_PLATFORM: TestPlatform = { os: 'linux', architecture: 'amd64' }
const DEFAULT_LAYER_SIZES = [3000, 1200]

interface Descriptor {
  mediaType: string
  digest: string
  size: number
  platform?: { os: string; architecture: string; variant?: string }
  annotations?: Record<string, string>
  artifactType?: string
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

/** Deterministic pseudo-random bytes: the same seed always gives the same blob. */
function blobBytes(seed: string, size: number): Buffer {
  const out = Buffer.alloc(size)
  let block = createHash('sha256').update(seed).digest()
  for (let offset = 0; offset < size; offset += block.length) {
    block.copy(out, offset, 0, Math.min(block.length, size - offset))
    block = createHash('sha256').update(block).digest()
  }
  return out
}

function platformText(platform: TestPlatform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/')
}

/** Talks to one registry with the harness's push credentials, answering challenges as they come. */
class Pusher {
  private readonly dispatcher: Dispatcher
  private readonly tokens = new Map<string, string>()
  private basic: string | null = null

  constructor(private readonly registry: TestRegistry) {
    // The harness seeds its own registries, including those whose certificates are wrong on purpose.
    this.dispatcher = new Agent({ connect: { rejectUnauthorized: false } })
  }

  async close(): Promise<void> {
    await this.dispatcher.close()
  }

  private async authorization(repository: string, challenge: string): Promise<string> {
    const credentials = this.registry.pushCredentials
    if (credentials === null) throw new Error(`registry ${this.registry.host} asked for credentials: ${challenge}`)
    const basic = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
    if (/^basic/i.test(challenge)) return basic
    const realm = /realm="([^"]+)"/.exec(challenge)?.[1]
    const service = /service="([^"]+)"/.exec(challenge)?.[1]
    if (realm === undefined) throw new Error(`unexpected challenge from ${this.registry.host}: ${challenge}`)
    const url = new URL(realm)
    if (service !== undefined) url.searchParams.set('service', service)
    url.searchParams.set('scope', `repository:${repository}:pull,push`)
    const response = await request(url, { headers: { authorization: basic }, dispatcher: this.dispatcher })
    const body = (await response.body.json()) as { token?: string }
    if (response.statusCode !== 200 || body.token === undefined) throw new Error(`token request for push failed: ${response.statusCode}`)
    return `Bearer ${body.token}`
  }

  /** Sends a request, authenticating on 401 once; returns status, headers and body. */
  async send(
    repository: string,
    method: Dispatcher.HttpMethod,
    urlOrPath: string,
    headers: Record<string, string> = {},
    body?: Buffer
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
    const url = urlOrPath.startsWith('http') ? urlOrPath : `${this.registry.url}${urlOrPath}`
    for (let attempt = 0; ; attempt += 1) {
      const auth = this.tokens.get(repository) ?? this.basic
      const response = await request(url, {
        method,
        headers: { ...headers, ...(auth === null ? {} : { authorization: auth }) },
        body,
        dispatcher: this.dispatcher
      })
      const bytes = Buffer.from(await response.body.arrayBuffer())
      if (response.statusCode === 401 && attempt === 0) {
        const challenge = String(response.headers['www-authenticate'] ?? '')
        const authorization = await this.authorization(repository, challenge)
        if (authorization.startsWith('Basic')) this.basic = authorization
        else this.tokens.set(repository, authorization)
        continue
      }
      return { status: response.statusCode, headers: response.headers, body: bytes }
    }
  }

  async pushBlob(repository: string, bytes: Buffer): Promise<string> {
    const digest = sha256(bytes)
    const exists = await this.send(repository, 'HEAD', `/v2/${repository}/blobs/${digest}`)
    if (exists.status === 200) return digest
    const started = await this.send(repository, 'POST', `/v2/${repository}/blobs/uploads/`)
    if (started.status !== 202) throw new Error(`blob upload did not start: ${started.status} ${started.body.toString()}`)
    const location = new URL(String(started.headers.location), this.registry.url)
    location.searchParams.set('digest', digest)
    const finished = await this.send(repository, 'PUT', location.toString(), { 'content-type': 'application/octet-stream' }, bytes)
    if (finished.status !== 201) throw new Error(`blob upload failed: ${finished.status} ${finished.body.toString()}`)
    return digest
  }

  async pushManifest(repository: string, reference: string, mediaType: string, bytes: Buffer): Promise<string> {
    const response = await this.send(repository, 'PUT', `/v2/${repository}/manifests/${reference}`, { 'content-type': mediaType }, bytes)
    if (response.status !== 201) throw new Error(`manifest push failed: ${response.status} ${response.body.toString()}`)
    return sha256(bytes)
  }
}

interface BuiltImage {
  descriptor: Descriptor
  bytes: Buffer
  layersSize: number
  configDigest: string
}

async function pushImageManifest(
  pusher: Pusher,
  repository: string,
  format: 'docker' | 'oci',
  platform: TestPlatform,
  seed: string,
  layers: Array<{ blobSize: number; declaredSize?: number }>
): Promise<BuiltImage> {
  const layerMediaType = format === 'docker' ? MEDIA_TYPES.dockerLayer : MEDIA_TYPES.ociLayer
  const layerDescriptors: Descriptor[] = []
  for (const [index, layer] of layers.entries()) {
    const bytes = blobBytes(`${seed}/layer/${index}`, layer.blobSize)
    const digest = await pusher.pushBlob(repository, bytes)
    layerDescriptors.push({ mediaType: layerMediaType, digest, size: layer.declaredSize ?? bytes.length })
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant === undefined ? {} : { variant: platform.variant }),
      config: { Env: [`PULLCHECK_TEST_SEED=${seed}`] },
      rootfs: { type: 'layers', diff_ids: layerDescriptors.map((layer) => layer.digest) }
    })
  )
  const configDigest = await pusher.pushBlob(repository, config)
  const mediaType = format === 'docker' ? MEDIA_TYPES.dockerManifest : MEDIA_TYPES.ociManifest
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: { mediaType: format === 'docker' ? MEDIA_TYPES.dockerConfig : MEDIA_TYPES.ociConfig, digest: configDigest, size: config.length },
      layers: layerDescriptors
    })
  )
  const digest = await pusher.pushManifest(repository, sha256(manifest), mediaType, manifest)
  return {
    descriptor: { mediaType, digest, size: manifest.length },
    bytes: manifest,
    layersSize: layerDescriptors.reduce((sum, layer) => sum + layer.size, 0),
    configDigest
  }
}

/** A BuildKit-style attestation manifest describing `subjectDigest`. */
async function pushAttestation(pusher: Pusher, repository: string, seed: string, subjectDigest: string): Promise<Descriptor> {
  const statement = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', predicateType: 'https://spdx.dev/Document', seed }))
  const statementDigest = await pusher.pushBlob(repository, statement)
  const config = Buffer.from(JSON.stringify({ architecture: 'unknown', os: 'unknown', config: {}, rootfs: { type: 'layers', diff_ids: [statementDigest] } }))
  const configDigest = await pusher.pushBlob(repository, config)
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: { mediaType: MEDIA_TYPES.ociConfig, digest: configDigest, size: config.length },
      layers: [{ mediaType: MEDIA_TYPES.inToto, digest: statementDigest, size: statement.length, annotations: { 'in-toto.io/predicate-type': 'https://spdx.dev/Document' } }]
    })
  )
  const digest = await pusher.pushManifest(repository, sha256(manifest), MEDIA_TYPES.ociManifest, manifest)
  return {
    mediaType: MEDIA_TYPES.ociManifest,
    digest,
    size: manifest.length,
    platform: { architecture: 'unknown', os: 'unknown' },
    annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': subjectDigest }
  }
}

/** An artifact manifest (an SBOM, say) listed in an index with `artifactType`: not runnable. */
async function pushArtifact(pusher: Pusher, repository: string, seed: string): Promise<Descriptor> {
  const empty = Buffer.from('{}')
  const emptyDigest = await pusher.pushBlob(repository, empty)
  const sbom = Buffer.from(JSON.stringify({ spdxVersion: 'SPDX-2.3', seed }))
  const sbomDigest = await pusher.pushBlob(repository, sbom)
  const artifactType = 'application/spdx+json'
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      artifactType,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: emptyDigest, size: empty.length },
      layers: [{ mediaType: artifactType, digest: sbomDigest, size: sbom.length }]
    })
  )
  const digest = await pusher.pushManifest(repository, sha256(manifest), MEDIA_TYPES.ociManifest, manifest)
  return { mediaType: MEDIA_TYPES.ociManifest, digest, size: manifest.length, artifactType }
}

/** Pushes `spec` as `repository:tag` and returns what was pushed. */
export async function pushImage(registry: TestRegistry, repository: string, tag: string, spec: ImageSpec): Promise<PushedImage> {
  const pusher = new Pusher(registry)
  const seed = spec.seed ?? JSON.stringify(spec)
  const reference = `${registry.host}/${repository}:${tag}`
  try {
    if (spec.kind === 'docker-schema2' || spec.kind === 'oci-manifest' || spec.kind === 'declared-size') {
      const platform = spec.platform ?? (spec.kind === 'oci-manifest' ? { os: 'linux', architecture: 'arm64', variant: 'v8' } : DEFAULT_PLATFORM)
      const layers =
        spec.kind === 'declared-size'
          ? spec.declaredLayerSizes.map((declaredSize) => ({ blobSize: 1024, declaredSize }))
          : (spec.layerSizes ?? DEFAULT_LAYER_SIZES).map((blobSize) => ({ blobSize }))
      const image = await pushImageManifest(pusher, repository, spec.kind === 'oci-manifest' ? 'oci' : 'docker', platform, seed, layers)
      await pusher.pushManifest(repository, tag, image.descriptor.mediaType, image.bytes)
      return {
        reference,
        digest: image.descriptor.digest,
        mediaType: image.descriptor.mediaType,
        platforms: [{ os: platform.os, architecture: platform.architecture, variant: platform.variant ?? null, digest: image.descriptor.digest, size: image.layersSize }],
        nonRunnableDigests: [],
        configDigest: image.configDigest
      }
    }

    const format = spec.kind === 'oci-index' ? 'oci' : 'docker'
    const entries: Descriptor[] = []
    const attestations: Descriptor[] = []
    const platforms: PushedPlatform[] = []
    for (const platform of spec.platforms) {
      const platformSeed = `${seed}/${platformText(platform)}`
      const layers = (spec.layerSizes ?? DEFAULT_LAYER_SIZES).map((size, index) => ({ blobSize: size + index + platforms.length * 7 }))
      const image = await pushImageManifest(pusher, repository, format, platform, platformSeed, layers)
      entries.push({
        ...image.descriptor,
        platform: { architecture: platform.architecture, os: platform.os, ...(platform.variant === undefined ? {} : { variant: platform.variant }) }
      })
      platforms.push({ os: platform.os, architecture: platform.architecture, variant: platform.variant ?? null, digest: image.descriptor.digest, size: image.layersSize })
      if (spec.kind === 'oci-index' && spec.attestations === true) {
        attestations.push(await pushAttestation(pusher, repository, platformSeed, image.descriptor.digest))
      }
    }
    // BuildKit puts attestation entries after the runnable ones.
    entries.push(...attestations)
    if (spec.kind === 'oci-index' && spec.artifact === true) entries.push(await pushArtifact(pusher, repository, seed))
    const mediaType = format === 'oci' ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.dockerList
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, manifests: entries }))
    const digest = await pusher.pushManifest(repository, tag, mediaType, index)
    return {
      reference,
      digest,
      mediaType,
      platforms,
      nonRunnableDigests: entries.slice(platforms.length).map((entry) => entry.digest),
      configDigest: null
    }
  } finally {
    await pusher.close()
  }
}

async function manifestBytesOf(pusher: Pusher, repository: string, descriptor: Descriptor): Promise<Buffer> {
  const response = await pusher.send(repository, 'GET', `/v2/${repository}/manifests/${descriptor.digest}`, { accept: descriptor.mediaType })
  if (response.status !== 200) throw new Error(`could not read back ${descriptor.digest}: ${response.status}`)
  return response.body
}

/** Tags an already pushed manifest (by digest) with another tag, without re-uploading anything. */
export async function tagImage(registry: TestRegistry, repository: string, digest: string, mediaType: string, tag: string): Promise<void> {
  const pusher = new Pusher(registry)
  try {
    const bytes = await manifestBytesOf(pusher, repository, { mediaType, digest, size: 0 })
    await pusher.pushManifest(repository, tag, mediaType, bytes)
  } finally {
    await pusher.close()
  }
}
