// An image size that could not be read, on constructed registry answers: the could-not-verify rule of
// the cause reports it for the platform a node would pull, image-too-large never guesses, and a size
// that was not asked for (a platform no node of the pod runs) is passed over in silence.
import { describe, expect, it } from 'vitest'
import { defaultScanConfig } from '../../src/config/defaults.js'
import type { ScanConfig } from '../../src/config/types.js'
import { parsePlatform } from '../../src/kube/platform.js'
import type { ImageFacts, ImageUse, LookupFailure, PlatformImage } from '../../src/model.js'
import { allRules } from '../../src/rules/index.js'
import type { ImageCheck, RuleContext } from '../../src/rules/types.js'
import { decidingFailure, evaluateImage, imageStatus } from '../../src/scan/evaluate.js'
import type { RegistryView } from '../../src/scan/verdict.js'

const MIB = 1024 * 1024
const GIB = 1024 * MIB
const IMAGE = 'registry.example.com/team/api:2.1.0'
const AMD64_DIGEST = `sha256:${'a'.repeat(64)}`
const ARM64_DIGEST = `sha256:${'b'.repeat(64)}`

const serverError: LookupFailure = { status: 'unreachable', cause: 'server-error', detail: 'received unexpected HTTP status: 503 Service Unavailable' }
const rateLimited: LookupFailure = { status: 'rate-limited', detail: 'toomanyrequests: too many requests to registry.example.com', rateLimit: null }
const denied: LookupFailure = { status: 'auth-required', detail: 'pull access denied' }

const use: ImageUse = {
  file: 'deploy/api.yaml',
  line: 17,
  column: 18,
  document: 0,
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'default',
  name: 'api',
  containerType: 'container',
  container: 'api',
  image: IMAGE,
  templated: false,
  reference: { input: IMAGE, registry: 'registry.example.com', repository: 'team/api', tag: '2.1.0', digest: null, canonical: IMAGE, implied: [] },
  referenceError: null,
  source: null,
  imagePullPolicy: null,
  pod: { namespace: 'default', serviceAccountName: 'default', imagePullSecrets: null, nodeSelector: {}, placement: { architectures: null, operatingSystems: null } }
}

function platformImage(architecture: string, digest: string, size: Pick<PlatformImage, 'size' | 'sizeFailure'>): PlatformImage {
  return { os: 'linux', architecture, variant: null, digest, ...size }
}

/** An index of amd64 and arm64 images, as the client reports it after fetching the sizes it wanted. */
function indexFacts(amd64: Pick<PlatformImage, 'size' | 'sizeFailure'>, arm64: Pick<PlatformImage, 'size' | 'sizeFailure'>): ImageFacts {
  return {
    status: 'found',
    digest: `sha256:${'c'.repeat(64)}`,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    isIndex: true,
    platforms: [platformImage('amd64', AMD64_DIGEST, amd64), platformImage('arm64', ARM64_DIGEST, arm64)],
    mirror: null,
    rateLimit: null
  }
}

function check(facts: ImageFacts, platforms: string[]): ImageCheck {
  const registry: RegistryView = {
    reference: use.reference!,
    tool: facts,
    anonymous: facts,
    credentials: [],
    existence: { kind: 'found', facts, by: 'pullcheck' },
    access: { kind: 'granted', via: 'anonymous', refused: [] },
    tags: null,
    tagNow: null,
    platforms: platforms.map((text) => parsePlatform(text)),
    platformsFromPod: false,
    nodeCredentials: false
  }
  return { use, secrets: null, registry }
}

function evaluate(image: ImageCheck, config: Partial<ScanConfig> = {}) {
  const context: RuleContext = { config: { ...defaultScanConfig(), ...config }, picture: { repositories: new Map(), registries: new Map() } }
  const findings = evaluateImage(image, allRules, context)
  return { findings, status: imageStatus(image, findings, false) }
}

describe('an image size that could not be read', () => {
  it('is reported by the could-not-verify rule of the cause, for the platform a node would pull', () => {
    const image = check(indexFacts({ size: 20 * MIB }, { size: null, sizeFailure: serverError }), ['linux/arm64'])
    const { findings, status } = evaluate(image)
    expect(findings.map(({ rule, severity, line, column }) => ({ rule, severity, line, column }))).toEqual([
      { rule: 'registry-unreachable', severity: 'warning', line: 17, column: 18 }
    ])
    expect(findings[0]!.message).toBe(
      'Could not verify the size of the linux/arm64 image a node would pull, so image-too-large was not checked ' +
        '(the image itself exists): received unexpected HTTP status: 503 Service Unavailable. This is not a verdict on the image'
    )
    expect(findings[0]!.fix).toBe('Check that registry.example.com is up and reachable from where pullcheck runs, then run the check again.')
    expect(status).toBe('unverified')
    expect(decidingFailure(image)).toBe(serverError)
  })

  it('names a rate limit as such', () => {
    const { findings } = evaluate(check(indexFacts({ size: null, sizeFailure: rateLimited }, { size: null }), ['linux/amd64']))
    expect(findings.map((finding) => finding.rule)).toEqual(['rate-limited'])
    expect(findings[0]!.message).toContain('Could not verify the size of the linux/amd64 image a node would pull')
  })

  it('never turns into image-too-large, even when another platform of the pod is over the limit', () => {
    const image = check(indexFacts({ size: 2 * GIB }, { size: null, sizeFailure: serverError }), ['linux/amd64', 'linux/arm64'])
    const { findings, status } = evaluate(image)
    expect(findings.map((finding) => [finding.rule, finding.message])).toEqual([
      [
        'image-too-large',
        'The linux/amd64 image of "registry.example.com/team/api:2.1.0" is 2.0 GiB compressed, over the limit of 1.0 GiB: slow cold starts and full node disks'
      ],
      [
        'registry-unreachable',
        'Could not verify the size of the linux/arm64 image a node would pull, so image-too-large was not checked ' +
          '(the image itself exists): received unexpected HTTP status: 503 Service Unavailable. This is not a verdict on the image'
      ]
    ])
    // A verdict on the amd64 image stands; the unknown arm64 size is not mistaken for "fine".
    expect(status).toBe('unverified')
  })

  it('says nothing of a platform the pod cannot land on, whose size was not fetched on purpose', () => {
    const image = check(indexFacts({ size: 20 * MIB }, { size: null }), ['linux/amd64'])
    expect(evaluate(image)).toEqual({ findings: [], status: 'ok' })
    expect(decidingFailure(image)).toBeNull()
  })

  it('says nothing of a failed size read for a platform the pod cannot land on', () => {
    const image = check(indexFacts({ size: 20 * MIB }, { size: null, sizeFailure: serverError }), ['linux/amd64'])
    expect(evaluate(image)).toEqual({ findings: [], status: 'ok' })
  })

  it('is no could-not-verify finding when the registry answered with a refusal rather than failing', () => {
    // Only "could not ask" failures are reported as such; a refusal is an answer, not a flake.
    const image = check(indexFacts({ size: null, sizeFailure: denied }, { size: null }), ['linux/amd64'])
    expect(evaluate(image).findings).toEqual([])
  })

  it('does not matter when image-too-large is off', () => {
    const image = check(indexFacts({ size: 20 * MIB }, { size: null, sizeFailure: serverError }), ['linux/arm64'])
    expect(evaluate(image, { rules: { 'image-too-large': 'off' } })).toEqual({ findings: [], status: 'ok' })
    expect(decidingFailure(image, false)).toBeNull()
  })
})
