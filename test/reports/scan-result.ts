// A hand-built ScanResult covering what the reports must handle: a missing tag, an unpinned image,
// an unreachable registry, a templated value, a credential in an image string, a Helm-rendered
// document, a pull-secret reference, and input diagnostics with and without a finding.
import type { Finding, ImageUse, ScannedImage, ScanResult } from '../../src/model.js'
import type { RuleMeta } from '../../src/rules/rule.js'

export const LEAKED_PASSWORD = 's3cretPassw0rd'

function use(overrides: Partial<ImageUse> & Pick<ImageUse, 'file' | 'line' | 'column' | 'image'>): ImageUse {
  return {
    document: 0,
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'web',
    containerType: 'container',
    container: 'app',
    templated: false,
    reference: null,
    referenceError: null,
    source: null,
    imagePullPolicy: null,
    pod: {
      namespace: 'shop',
      serviceAccountName: 'default',
      imagePullSecrets: null,
      nodeSelector: {},
      placement: { architectures: null, operatingSystems: null }
    },
    ...overrides
  }
}

/** The images of the sample scan. */
export function sampleImages(): ScannedImage[] {
  return [
    {
      ...use({
        file: 'deploy/web.yaml',
        line: 18,
        column: 18,
        endColumn: 41,
        image: 'ghcr.io/acme/web:v2.0.1',
        reference: {
          input: 'ghcr.io/acme/web:v2.0.1',
          registry: 'ghcr.io',
          repository: 'acme/web',
          tag: 'v2.0.1',
          digest: null,
          canonical: 'ghcr.io/acme/web:v2.0.1',
          implied: []
        },
        pod: {
          namespace: 'shop',
          serviceAccountName: 'web',
          imagePullSecrets: [{ name: 'ghcr-pull', file: 'deploy/web.yaml', line: 14, column: 17 }],
          nodeSelector: { 'kubernetes.io/arch': 'arm64' },
          placement: { architectures: ['arm64'], operatingSystems: null }
        }
      }),
      status: 'problem',
      facts: null,
      failure: { status: 'tag-not-found', detail: 'manifest unknown' }
    },
    {
      ...use({
        file: 'deploy/web.yaml',
        line: 24,
        column: 18,
        image: 'nginx',
        container: 'proxy',
        reference: {
          input: 'nginx',
          registry: 'docker.io',
          repository: 'library/nginx',
          tag: null,
          digest: null,
          canonical: 'docker.io/library/nginx:latest',
          implied: ['registry', 'library', 'tag']
        }
      }),
      status: 'ok',
      facts: {
        status: 'found',
        digest: 'sha256:0f8fa3b5e5e1b0c6d5d0f1a9b6c4e3d2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6',
        mediaType: 'application/vnd.oci.image.index.v1+json',
        isIndex: true,
        platforms: [
          { os: 'linux', architecture: 'amd64', variant: null, digest: 'sha256:' + 'a'.repeat(64), size: 72_351_144 },
          { os: 'linux', architecture: 'arm64', variant: 'v8', digest: 'sha256:' + 'b'.repeat(64), size: 68_042_880 }
        ],
        mirror: null,
        rateLimit: { limit: 100, remaining: 76, windowSeconds: 21600, retryAfterSeconds: null }
      },
      failure: null
    },
    {
      ...use({
        file: 'rendered/api.yaml',
        line: 31,
        column: 20,
        document: 2,
        name: 'api',
        container: 'api',
        image: 'registry.internal.example.com/team/api:1.4.0',
        source: 'charts/api/templates/deployment.yaml',
        reference: {
          input: 'registry.internal.example.com/team/api:1.4.0',
          registry: 'registry.internal.example.com',
          repository: 'team/api',
          tag: '1.4.0',
          digest: null,
          canonical: 'registry.internal.example.com/team/api:1.4.0',
          implied: []
        }
      }),
      status: 'unverified',
      facts: null,
      failure: { status: 'unreachable', detail: 'dial tcp: lookup registry.internal.example.com: no such host', cause: 'dns' }
    },
    {
      ...use({ file: 'rendered/api.yaml', line: 52, column: 20, document: 3, name: 'worker', container: 'worker', image: '{{ .Values.image }}', templated: true }),
      status: 'skipped',
      facts: null,
      failure: null
    },
    {
      ...use({
        file: 'deploy/batch.yaml',
        line: 9,
        column: 16,
        kind: 'CronJob',
        apiVersion: 'batch/v1',
        name: 'nightly',
        container: 'job',
        image: `robot:${LEAKED_PASSWORD}@registry.example.com/jobs/nightly:3`,
        referenceError: 'invalid reference format'
      }),
      status: 'skipped',
      facts: null,
      failure: null
    }
  ]
}

/** The findings of the sample scan, deliberately not in file order. */
export function sampleFindings(): Finding[] {
  return [
    {
      rule: 'registry-unreachable',
      severity: 'warning',
      file: 'rendered/api.yaml',
      line: 31,
      column: 20,
      image: 'registry.internal.example.com/team/api:1.4.0',
      canonical: 'registry.internal.example.com/team/api:1.4.0',
      message: 'could not verify: lookup registry.internal.example.com: no such host',
      fix: 'Check the registry host name, or run where the registry is reachable.',
      source: 'charts/api/templates/deployment.yaml'
    },
    {
      rule: 'tag-not-found',
      severity: 'error',
      file: 'deploy/web.yaml',
      line: 18,
      column: 18,
      endColumn: 41,
      image: 'ghcr.io/acme/web:v2.0.1',
      canonical: 'ghcr.io/acme/web:v2.0.1',
      message: 'manifest for ghcr.io/acme/web:v2.0.1 not found: manifest unknown; did you mean v2.0.0?',
      fix: 'Use a tag that exists: v2.0.0.',
      source: null,
      related: [{ file: 'deploy/web.yaml', line: 14, column: 17, message: 'pull secret ghcr-pull is referenced here' }]
    },
    {
      rule: 'latest-tag',
      severity: 'warning',
      file: 'deploy/web.yaml',
      line: 24,
      column: 18,
      image: 'nginx',
      canonical: 'docker.io/library/nginx:latest',
      message: 'nginx has no tag: it resolves to docker.io/library/nginx:latest, which changes under you',
      fix: 'Pin a version tag or a digest, e.g. nginx:1.27.',
      source: null
    },
    {
      rule: 'credentials-in-reference',
      severity: 'error',
      file: 'deploy/batch.yaml',
      line: 9,
      column: 16,
      image: `robot:${LEAKED_PASSWORD}@registry.example.com/jobs/nightly:3`,
      canonical: null,
      message: `image robot:${LEAKED_PASSWORD}@registry.example.com/jobs/nightly:3 carries credentials`,
      fix: 'Remove the credentials from the image and use an imagePullSecret.',
      source: null
    },
    {
      rule: 'unparseable-file',
      severity: 'error',
      file: 'deploy/broken.yaml',
      line: 7,
      column: 3,
      image: null,
      canonical: null,
      message: 'YAML syntax error: Nested mappings are not allowed in compact mappings',
      fix: 'Fix the YAML so that the file parses.',
      source: null
    }
  ]
}

/** The complete sample scan result. */
export function sampleResult(): ScanResult {
  return {
    findings: sampleFindings(),
    diagnostics: [
      { file: 'deploy/broken.yaml', line: 7, column: 3, code: 'yaml-syntax', severity: 'error', message: 'Nested mappings are not allowed in compact mappings' },
      { file: 'charts/api/templates/deployment.yaml', line: 1, code: 'helm-chart-template', severity: 'notice', message: 'Helm chart template: scan the output of helm template instead' }
    ],
    images: sampleImages(),
    summary: { files: 4, images: 5, uniqueImages: 5, errors: 3, warnings: 2, notices: 0, durationMs: 2140 },
    rateLimit: { limit: 100, remaining: 76, windowSeconds: 21600, retryAfterSeconds: null }
  }
}

/** A stand-in rule list for the SARIF tests (the real one is src/rules/index.ts). */
export const sampleRules: RuleMeta[] = [
  {
    id: 'tag-not-found',
    defaultSeverity: 'error',
    summary: 'The tag does not exist in the repository.',
    description: 'The repository exists but has no manifest under this tag, so the kubelet fails with ErrImagePull.',
    fix: 'Use a tag that exists; the finding lists the closest ones.',
    requires: 'registry'
  },
  {
    id: 'latest-tag',
    defaultSeverity: 'warning',
    summary: 'The image has no tag or uses :latest.',
    description: 'Without a tag or digest the image resolves to :latest, which moves.',
    fix: 'Pin a version tag or a digest.',
    requires: 'offline'
  },
  {
    id: 'registry-unreachable',
    defaultSeverity: 'warning',
    summary: 'The registry could not be reached.',
    description: 'The check could not be made: the registry did not answer.',
    fix: 'Make the registry reachable from where pullcheck runs.',
    requires: 'registry'
  },
  {
    id: 'credentials-in-reference',
    defaultSeverity: 'error',
    summary: 'The image string contains credentials.',
    description: 'Credentials written into the image string leak into logs and are not used by the kubelet.',
    fix: 'Move the credentials into an imagePullSecret.',
    requires: 'offline'
  },
  {
    id: 'unparseable-file',
    defaultSeverity: 'error',
    summary: 'A manifest file does not parse.',
    description: 'A file that should be a manifest is not valid YAML or JSON.',
    fix: 'Fix the syntax error.',
    requires: 'offline'
  }
]
