// The manifest and config media types the client reads, and the Accept header it always sends:
// leaving a type out makes registries answer 404 for images of that type, or silently serve a
// different manifest (distribution serves the linux/amd64 child of a list it thinks you cannot read).

export const MEDIATYPE_OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
export const MEDIATYPE_OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
export const MEDIATYPE_OCI_CONFIG = 'application/vnd.oci.image.config.v1+json'
export const MEDIATYPE_DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
export const MEDIATYPE_DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
export const MEDIATYPE_DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json'
export const MEDIATYPE_DOCKER_SCHEMA1 = 'application/vnd.docker.distribution.manifest.v1+json'
export const MEDIATYPE_DOCKER_SCHEMA1_SIGNED = 'application/vnd.docker.distribution.manifest.v1+prettyjws'

/** Sent on every manifest HEAD and GET, so that the digest seen does not depend on the request. */
export const MANIFEST_ACCEPT = [MEDIATYPE_OCI_INDEX, MEDIATYPE_DOCKER_LIST, MEDIATYPE_OCI_MANIFEST, MEDIATYPE_DOCKER_MANIFEST].join(', ')

/** True for an OCI index or a Docker manifest list. */
export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === MEDIATYPE_OCI_INDEX || mediaType === MEDIATYPE_DOCKER_LIST
}

/** True for an OCI image manifest or a Docker schema2 manifest. */
export function isImageManifestMediaType(mediaType: string): boolean {
  return mediaType === MEDIATYPE_OCI_MANIFEST || mediaType === MEDIATYPE_DOCKER_MANIFEST
}

/** True for Docker's deprecated schema1 manifests, which containerd 2.x no longer pulls. */
export function isSchema1MediaType(mediaType: string): boolean {
  return mediaType === MEDIATYPE_DOCKER_SCHEMA1 || mediaType === MEDIATYPE_DOCKER_SCHEMA1_SIGNED
}

/** True for the config media types of runnable container images (not artifacts such as Helm charts). */
export function isImageConfigMediaType(mediaType: string): boolean {
  return mediaType === MEDIATYPE_OCI_CONFIG || mediaType === MEDIATYPE_DOCKER_CONFIG
}

/** A Content-Type without its parameters, lower-cased; the spec tells clients to ignore parameters. */
export function stripMediaTypeParameters(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase()
}
