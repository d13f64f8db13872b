// Reads manifests as the registry sent them: decides the type (body mediaType, then Content-Type,
// then shape, since old OCI manifests omit mediaType and proxies mangle Content-Type), keeps index
// entries, layers and config, and tells runnable index entries from attestations and artifacts
// (`unknown/unknown`, `vnd.docker.reference.type`, `artifactType`), which no node would pull.
import {
  isImageManifestMediaType,
  isIndexMediaType,
  isSchema1MediaType,
  MEDIATYPE_DOCKER_SCHEMA1_SIGNED,
  MEDIATYPE_OCI_INDEX,
  MEDIATYPE_OCI_MANIFEST,
  stripMediaTypeParameters
} from './media-types.js'

/** A content descriptor from a manifest. */
export interface Descriptor {
  mediaType: string
  digest: string
  size: number
  platform?: { os: string; architecture: string; variant?: string }
  annotations?: Record<string, string>
  artifactType?: string
}

export type ParsedManifest =
  | { kind: 'index'; mediaType: string; manifests: Descriptor[] }
  | { kind: 'image'; mediaType: string; config: Descriptor; layers: Descriptor[]; artifactType: string | null }
  /** Docker schema1: deprecated, no config blob; its architecture is in the body. */
  | { kind: 'schema1'; mediaType: string; architecture: string | null }

/** The body is not a manifest this client can read. */
export class ManifestFormatError extends Error {
  override readonly name = 'ManifestFormatError'
}

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function readDescriptor(value: unknown, where: string): Descriptor {
  if (!isObject(value)) throw new ManifestFormatError(`${where} is not a descriptor object`)
  const { mediaType, digest, size, platform, annotations, artifactType } = value
  if (typeof digest !== 'string' || !DIGEST.test(digest)) throw new ManifestFormatError(`${where} has no valid digest`)
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new ManifestFormatError(`${where} has no valid size`)
  const descriptor: Descriptor = { mediaType: typeof mediaType === 'string' ? mediaType : '', digest, size }
  if (isObject(platform) && typeof platform.os === 'string' && typeof platform.architecture === 'string') {
    descriptor.platform = {
      os: platform.os,
      architecture: platform.architecture,
      ...(typeof platform.variant === 'string' && platform.variant !== '' ? { variant: platform.variant } : {})
    }
  }
  if (isObject(annotations)) {
    descriptor.annotations = Object.fromEntries(Object.entries(annotations).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
  }
  if (typeof artifactType === 'string' && artifactType !== '') descriptor.artifactType = artifactType
  return descriptor
}

/** Parses manifest bytes; `contentType` is the response's Content-Type (parameters allowed). */
export function parseManifest(bytes: Buffer, contentType: string | undefined): ParsedManifest {
  let body: unknown
  try {
    body = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new ManifestFormatError('the manifest is not valid JSON')
  }
  if (!isObject(body)) throw new ManifestFormatError('the manifest is not a JSON object')
  const declared = typeof body.mediaType === 'string' ? body.mediaType : ''
  const header = stripMediaTypeParameters(contentType)
  let mediaType = declared
  if (mediaType === '' && (isIndexMediaType(header) || isImageManifestMediaType(header) || isSchema1MediaType(header))) mediaType = header
  if (mediaType === '') {
    if (Array.isArray(body.manifests)) mediaType = MEDIATYPE_OCI_INDEX
    else if (isObject(body.config) && Array.isArray(body.layers)) mediaType = MEDIATYPE_OCI_MANIFEST
    else if (body.schemaVersion === 1) mediaType = MEDIATYPE_DOCKER_SCHEMA1_SIGNED
  }

  if (isIndexMediaType(mediaType)) {
    if (!Array.isArray(body.manifests)) throw new ManifestFormatError('the index has no manifests list')
    return { kind: 'index', mediaType, manifests: body.manifests.map((entry, index) => readDescriptor(entry, `manifests[${index}]`)) }
  }
  if (isImageManifestMediaType(mediaType)) {
    if (!Array.isArray(body.layers)) throw new ManifestFormatError('the manifest has no layers list')
    return {
      kind: 'image',
      mediaType,
      config: readDescriptor(body.config, 'config'),
      layers: body.layers.map((layer, index) => readDescriptor(layer, `layers[${index}]`)),
      artifactType: typeof body.artifactType === 'string' && body.artifactType !== '' ? body.artifactType : null
    }
  }
  if (isSchema1MediaType(mediaType) || body.schemaVersion === 1) {
    return { kind: 'schema1', mediaType: mediaType || MEDIATYPE_DOCKER_SCHEMA1_SIGNED, architecture: typeof body.architecture === 'string' ? body.architecture : null }
  }
  throw new ManifestFormatError(`unsupported manifest media type "${mediaType || header || 'none'}"`)
}

/**
 * True for index entries a node could pull: image manifests (or nested indexes) that are neither
 * attestations (`unknown/unknown`, `vnd.docker.reference.type`) nor artifacts (`artifactType`).
 * Entries of unknown media types are skipped, as the image spec requires.
 */
export function isRunnableEntry(entry: Descriptor): boolean {
  if (!isImageManifestMediaType(entry.mediaType) && !isIndexMediaType(entry.mediaType)) return false
  if (entry.artifactType !== undefined) return false
  if (entry.annotations?.['vnd.docker.reference.type'] !== undefined) return false
  if (entry.platform !== undefined && (entry.platform.os === 'unknown' || entry.platform.architecture === 'unknown')) return false
  return true
}

/** Compressed download size of an image: the sum of its layer descriptor sizes. */
export function layersSize(manifest: Extract<ParsedManifest, { kind: 'image' }>): number {
  return manifest.layers.reduce((sum, layer) => sum + layer.size, 0)
}

/** os/architecture/variant from an image config blob, or null when it names no platform. */
export function platformFromConfig(bytes: Buffer): { os: string; architecture: string; variant: string | null } | null {
  let config: unknown
  try {
    config = JSON.parse(bytes.toString('utf8'))
  } catch {
    return null
  }
  if (!isObject(config) || typeof config.os !== 'string' || typeof config.architecture !== 'string') return null
  if (config.os === '' || config.architecture === '') return null
  return { os: config.os, architecture: config.architecture, variant: typeof config.variant === 'string' && config.variant !== '' ? config.variant : null }
}
