// Small constructors for the pipeline types the action's report tests need: a finding, a scanned
// image with or without registry facts, and a ScanResult around them.
import type { Finding, ImageFacts, LookupFailure, ScannedImage, ScanResult } from '../../src/model.js'

export function aFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    rule: 'tag-not-found',
    severity: 'error',
    file: 'deploy/app.yaml',
    line: 10,
    column: 18,
    image: 'ghcr.io/acme/web:1.4.3',
    canonical: 'ghcr.io/acme/web:1.4.3',
    message: 'manifest unknown: tag 1.4.3 does not exist in ghcr.io/acme/web',
    fix: 'Use an existing tag: did you mean 1.4.2?',
    source: null,
    ...overrides
  }
}

export function facts(overrides: Partial<ImageFacts> = {}): ImageFacts {
  return {
    status: 'found',
    digest: `sha256:${'ab12'.repeat(16)}`,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    isIndex: true,
    platforms: [
      { os: 'linux', architecture: 'amd64', variant: null, digest: `sha256:${'1'.repeat(64)}`, size: 31_457_280 },
      { os: 'linux', architecture: 'arm64', variant: null, digest: `sha256:${'2'.repeat(64)}`, size: 29_360_128 }
    ],
    mirror: null,
    rateLimit: null,
    ...overrides
  }
}

export function anImage(overrides: Partial<ScannedImage> = {}): ScannedImage {
  const image = overrides.image ?? 'ghcr.io/acme/web:1.4.2'
  return {
    file: 'deploy/app.yaml',
    line: 10,
    column: 18,
    document: 0,
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: null,
    name: 'web',
    containerType: 'container',
    container: 'web',
    image,
    templated: false,
    reference: { input: image, registry: 'ghcr.io', repository: 'acme/web', tag: '1.4.2', digest: null, canonical: image, implied: [] },
    referenceError: null,
    source: null,
    imagePullPolicy: null,
    pod: { namespace: null, serviceAccountName: 'default', imagePullSecrets: null, nodeSelector: {}, placement: { architectures: null, operatingSystems: null } },
    status: 'ok',
    facts: facts(),
    failure: null,
    ...overrides
  }
}

export function unverified(failure: LookupFailure, overrides: Partial<ScannedImage> = {}): ScannedImage {
  return anImage({ status: 'unverified', facts: null, failure, ...overrides })
}

export function aResult(images: ScannedImage[], findings: Finding[], overrides: Partial<ScanResult> = {}): ScanResult {
  const unique = new Set(images.map((image) => image.reference?.canonical ?? image.image))
  return {
    findings,
    diagnostics: [],
    images,
    summary: {
      files: new Set(images.map((image) => image.file)).size,
      images: images.length,
      uniqueImages: unique.size,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      notices: findings.filter((f) => f.severity === 'notice').length,
      durationMs: 1234
    },
    rateLimit: null,
    ...overrides
  }
}
