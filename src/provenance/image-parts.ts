// Comparing an image string from rendered output with the pieces a values.yaml or kustomization.yaml
// wrote: the name, tag and digest as written, and whether two names mean the same repository once
// Docker Hub's implied parts are filled in (`nginx` = `docker.io/library/nginx`).
import { parseReference, referenceName } from '../reference/index.js'

/** An image string split as written: `name[:tag][@digest]`. */
export interface ImageParts {
  name: string
  tag: string | null
  digest: string | null
}

/** Splits `registry:5000/repo:tag@sha256:…` into name, tag and digest without normalising anything. */
export function splitImage(raw: string): ImageParts {
  const text = raw.trim()
  const at = text.indexOf('@')
  const withoutDigest = at === -1 ? text : text.slice(0, at)
  const digest = at === -1 ? null : text.slice(at + 1)
  const lastSlash = withoutDigest.lastIndexOf('/')
  const colon = withoutDigest.indexOf(':', lastSlash + 1)
  return {
    name: colon === -1 ? withoutDigest : withoutDigest.slice(0, colon),
    tag: colon === -1 ? null : withoutDigest.slice(colon + 1),
    digest: digest === '' ? null : digest
  }
}

/** `registry/repository` as the kubelet resolves a bare name, or null when it is not a valid name. */
export function canonicalName(name: string): string | null {
  const parsed = parseReference(name)
  return parsed.ok ? referenceName(parsed.reference) : null
}

/**
 * How a rendered image name relates to a name written in a values file:
 * - `exact`: the same repository (after Docker Hub normalisation);
 * - `suffix`: the rendered name ends with the written one on a path boundary, i.e. the template
 *   put a registry or prefix in front (`{{ .Values.global.registry }}/{{ .Values.image.repository }}`);
 * - null: unrelated.
 */
export function compareNames(rendered: string, written: string): 'exact' | 'suffix' | null {
  if (written === '') return null
  if (rendered === written) return 'exact'
  const renderedCanonical = canonicalName(rendered)
  if (renderedCanonical !== null && renderedCanonical === canonicalName(written)) return 'exact'
  if (rendered.endsWith(`/${written}`)) return 'suffix'
  return null
}
