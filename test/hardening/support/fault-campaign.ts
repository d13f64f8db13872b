// Whole `scan` runs against real local registries behind fault-injecting proxies: the environment
// (an open registry, a token-auth registry whose token realm is itself behind a proxy, and a host
// that does not resolve), a workspace of manifests with 60 image uses of 30 unique references, and
// one run per fault rate compared with a fault-free baseline of the same scan. The figures
// (verified share, wrong and lost verdicts, wall time against the deadline) feed the hardening
// tests and scripts/reliability.ts.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { defaultScanConfig } from '../../../src/config/defaults.js'
import type { ScanConfig } from '../../../src/config/types.js'
import type { Finding, ImageStatus, ScanResult } from '../../../src/model.js'
import { loadToolCredentials } from '../../../src/registry/index.js'
import { COULD_NOT_VERIFY_RULES } from '../../../src/rules/index.js'
import { runScan } from '../../../src/scan/index.js'
import { startFaultProxy, type Fault, type FaultProxy, type FaultRule } from '../../support/registry/fault-proxy.js'
import { pushImage, type PushedImage } from '../../support/registry/push.js'
import { startRegistry, type TestRegistry } from '../../support/registry/registry.js'
import { startTokenServer, type TokenServer } from '../../support/registry/token-server.js'

/** The fault classes a campaign run can inject, each a documented way registries fail. */
export const FAULT_CLASSES = [
  'status-500',
  'status-502',
  'status-503',
  'rate-limit-retry-after',
  'rate-limit-bare',
  'reset',
  'truncate',
  'invalid-json',
  'wrong-content-type',
  'digest-mismatch',
  'stall',
  'token-server'
] as const
export type FaultClass = (typeof FAULT_CLASSES)[number]

/** Every registry path but the `GET /v2/` probe. */
const NOT_THE_PROBE = /^\/v2\/./
const MANIFEST_GET = { method: 'GET', path: /\/manifests\// }

/** The proxy faults of one class; the token-server class applies to the realm's proxy only. */
function faultsOf(faultClass: FaultClass): Array<{ fault: Fault; match?: FaultRule['match'] }> {
  switch (faultClass) {
    case 'status-500':
      return [{ fault: { kind: 'status', status: 500 } }]
    case 'status-502':
      return [{ fault: { kind: 'status', status: 502 } }]
    case 'status-503':
      return [{ fault: { kind: 'status', status: 503 } }]
    case 'rate-limit-retry-after':
      return [{ fault: { kind: 'status', status: 429, retryAfter: '1' } }]
    case 'rate-limit-bare':
      return [{ fault: { kind: 'status', status: 429 } }]
    case 'reset':
      return [{ fault: { kind: 'reset' } }]
    case 'truncate':
      return [{ fault: { kind: 'truncate' } }]
    case 'invalid-json':
      return [{ fault: { kind: 'replace-body', body: '{"schemaVersion": 2, "manifests": [' } }]
    case 'wrong-content-type':
      return [{ fault: { kind: 'content-type', contentType: 'text/plain; charset=utf-8' } }]
    case 'digest-mismatch':
      // Changed bytes under an unchanged Docker-Content-Digest: only manifests carry a digest to check.
      return [{ fault: { kind: 'corrupt-body' }, match: MANIFEST_GET }]
    case 'stall':
      return [{ fault: { kind: 'stall' } }]
    case 'token-server':
      return []
  }
}

/** How a token server fails now and then: 5xx, resets, and an answer that is not JSON. */
const TOKEN_SERVER_FAULTS: Fault[] = [
  { kind: 'status', status: 503 },
  { kind: 'status', status: 500 },
  { kind: 'reset' },
  { kind: 'replace-body', body: '<html>gateway error</html>' }
]

/**
 * Rules whose first-match chain injects a fault into `rate` of the matching requests, spread evenly
 * over the faults: rule i fires with probability (rate/k) / (1 − i·rate/k) given that none before it did.
 */
export function spreadFaults(faults: Array<{ fault: Fault; match?: FaultRule['match'] }>, rate: number): FaultRule[] {
  if (rate <= 0 || faults.length === 0) return []
  const share = rate / faults.length
  return faults.map(({ fault, match }, index) => ({
    fault,
    ...(match === undefined ? {} : { match }),
    rate: Math.min(1, share / (1 - index * share))
  }))
}

/** The pod's pull-secret user and the CI's own user on the token-auth registry. */
const POD_USER = { username: 'campaign-pod', password: 'campaign-pod-pass-5e1f' }
const CI_USER = { username: 'campaign-ci', password: 'campaign-ci-pass-a07c' }
/** A registry host that never resolves (RFC 2606 reserves `.invalid`): the DNS-failure class, in every run. */
export const UNRESOLVABLE_REGISTRY = 'registry.pullcheck-campaign.invalid'

interface PodSettings {
  /** The pod runs on arm64 nodes (nodeSelector), instead of the default platform. */
  arm64?: boolean
  /** The pod hands over the `regcred` pull secret. */
  pullSecret?: boolean
}

interface ImagePlan extends PodSettings {
  /** The image string; `OPEN/` and `TOKEN/` are replaced by the proxies' hosts. */
  image: string
  /** The pod of the second use, when it differs from the first. */
  second?: PodSettings
}

export interface CampaignEnvironment {
  /** The scanned workspace (manifests only). */
  workspace: string
  /** Proxies in front of the open registry, the token-auth registry and its token server. */
  proxies: { open: FaultProxy; token: FaultProxy; realm: FaultProxy }
  /** Image uses and unique references in the workspace. */
  uses: number
  uniqueReferences: number
  stop(): Promise<void>
}

async function seedImages(open: TestRegistry, token: TestRegistry): Promise<Record<string, PushedImage>> {
  const pushed: Record<string, PushedImage> = {}
  const jobs: Array<[string, TestRegistry, string, string, Parameters<typeof pushImage>[3]]> = [
    ['web10', open, 'team/web', '1.0', { kind: 'docker-schema2', seed: 'web-1.0' }],
    ['web11', open, 'team/web', '1.1', { kind: 'oci-index', platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }, { os: 'linux', architecture: 'arm', variant: 'v7' }], attestations: true }],
    ['api', open, 'team/api', '2.0', { kind: 'docker-list', platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }] }],
    ['arm', open, 'team/arm', '1.0', { kind: 'oci-manifest' }],
    ['big', open, 'team/big', '1.0', { kind: 'declared-size', declaredLayerSizes: [3 * 1024 ** 3, 2 * 1024 ** 3] }],
    ['worker', open, 'team/worker', '3.2', { kind: 'docker-schema2', seed: 'worker-3.2' }],
    ['cache', open, 'team/cache', '7', { kind: 'oci-index', platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }] }],
    ['db', open, 'team/db', '15', { kind: 'docker-schema2', seed: 'db-15' }],
    ['publicApp', token, 'public/app', '1.0', { kind: 'docker-schema2', seed: 'public-app' }],
    ['publicTools', token, 'public/tools', '1', { kind: 'oci-index', platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }] }],
    ['privateApp', token, 'private/app', '1.0', { kind: 'docker-schema2', seed: 'private-app' }]
  ]
  // One registry at a time keeps the pushes light on a shared machine.
  for (const [name, registry, repository, tag, spec] of jobs) pushed[name] = await pushImage(registry, repository, tag, spec)
  return pushed
}

/** 30 unique references, each used twice (60 uses): once in a Deployment, once in a Pod. */
function imagePlans(pushed: Record<string, PushedImage>): ImagePlan[] {
  const missingDigest = `sha256:${'0'.repeat(63)}1`
  return [
    // Exist.
    { image: 'OPEN/team/web:1.0' },
    { image: 'OPEN/team/web:1.1', second: { arm64: true } },
    { image: 'OPEN/team/api:2.0', second: { arm64: true } },
    { image: 'OPEN/team/worker:3.2' },
    { image: 'OPEN/team/cache:7' },
    { image: 'OPEN/team/db:15' },
    { image: `OPEN/team/web@${pushed.web10!.digest}` },
    { image: `OPEN/team/web:1.0@${pushed.web10!.digest}` },
    { image: `OPEN/team/cache@${pushed.cache!.digest}` },
    { image: `OPEN/team/api@${pushed.api!.digest}` },
    { image: 'TOKEN/public/app:1.0' },
    { image: 'TOKEN/public/tools:1' },
    // Exist, with a verdict on one use or both: the wrong platform, too large, a moved tag, no pull secret.
    { image: 'OPEN/team/arm:1.0', arm64: true, second: {} },
    { image: 'OPEN/team/big:1.0' },
    { image: `OPEN/team/web:1.1@${pushed.web10!.digest}` },
    { image: 'TOKEN/private/app:1.0', pullSecret: true, second: {} },
    // Tags that do not exist.
    { image: 'OPEN/team/web:1.2' },
    { image: 'OPEN/team/api:2.1' },
    { image: 'OPEN/team/worker:3.3' },
    { image: 'OPEN/team/db:16' },
    { image: 'OPEN/team/db:latest' },
    { image: 'OPEN/team/cache:8' },
    { image: 'TOKEN/public/app:2.0' },
    { image: 'TOKEN/public/tools:2' },
    // A digest that does not exist, and repositories that do not.
    { image: `OPEN/team/web@${missingDigest}` },
    { image: 'OPEN/ghost/app:1.0' },
    { image: 'OPEN/team/webb:1.0' },
    { image: 'TOKEN/public/ghost:1' },
    // A registry that cannot be asked in any run.
    { image: `${UNRESOLVABLE_REGISTRY}/team/app:1.0` },
    { image: `${UNRESOLVABLE_REGISTRY}/team/api:2.0` }
  ]
}

function podManifest(kind: 'Deployment' | 'Pod', name: string, image: string, plan: PodSettings): string {
  const spec = [
    ...(plan.pullSecret === true ? ['imagePullSecrets:', '  - name: regcred'] : []),
    ...(plan.arm64 === true ? ['nodeSelector:', '  kubernetes.io/arch: arm64'] : []),
    'containers:',
    `  - name: ${name}`,
    `    image: ${image}`
  ]
  if (kind === 'Pod') {
    return ['apiVersion: v1', 'kind: Pod', 'metadata:', `  name: ${name}`, '  namespace: shop', 'spec:', ...spec.map((line) => `  ${line}`)].join('\n')
  }
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  namespace: shop',
    'spec:',
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${name}`,
    '    spec:',
    ...spec.map((line) => `      ${line}`)
  ].join('\n')
}

/** Starts the registries and proxies, seeds the images and writes the workspace. Always call stop(). */
export async function startCampaignEnvironment(seed = 1): Promise<CampaignEnvironment> {
  const stops: Array<() => Promise<void>> = []
  const stop = async (): Promise<void> => {
    for (const stopOne of stops.reverse()) await stopOne().catch(() => undefined)
  }
  try {
    const workspace = await mkdtemp(path.join(tmpdir(), 'pullcheck-campaign-'))
    stops.push(() => rm(workspace, { recursive: true, force: true }))
    const open = await startRegistry()
    stops.push(() => open.stop())
    const tokenServer: TokenServer = await startTokenServer({
      users: {
        [POD_USER.username]: { password: POD_USER.password, pullPrefixes: ['private/', 'public/'] },
        [CI_USER.username]: { password: CI_USER.password }
      },
      anonymousPullPrefixes: ['public/']
    })
    stops.push(() => tokenServer.stop())
    const realm = await startFaultProxy({ upstream: new URL(tokenServer.realm).origin, seed: seed + 2 })
    stops.push(() => realm.stop())
    const token = await startRegistry({ auth: { kind: 'token', tokenServer, realm: `${realm.url}${new URL(tokenServer.realm).pathname}` } })
    stops.push(() => token.stop())
    const openProxy = await startFaultProxy({ upstream: open.url, seed })
    stops.push(() => openProxy.stop())
    const tokenProxy = await startFaultProxy({ upstream: token.url, seed: seed + 1 })
    stops.push(() => tokenProxy.stop())

    const pushed = await seedImages(open, token)
    const plans = imagePlans(pushed)
    const hosts = (image: string): string => image.replace(/^OPEN\//, `${openProxy.host}/`).replace(/^TOKEN\//, `${tokenProxy.host}/`)
    const secret = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: regcred',
      '  namespace: shop',
      'type: kubernetes.io/dockerconfigjson',
      'stringData:',
      `  .dockerconfigjson: '${JSON.stringify({ auths: { [tokenProxy.host]: { username: POD_USER.username, password: POD_USER.password } } })}'`
    ].join('\n')
    // First uses: Deployments, several per file; second uses: one Pod per file.
    const deployments = plans.map((plan, index) => podManifest('Deployment', `app-${index}`, hosts(plan.image), plan))
    await mkdir(path.join(workspace, 'deploy'), { recursive: true })
    await mkdir(path.join(workspace, 'pods'), { recursive: true })
    for (let start = 0; start < deployments.length; start += 5) {
      await writeFile(path.join(workspace, 'deploy', `group-${start / 5}.yaml`), `${deployments.slice(start, start + 5).join('\n---\n')}\n`)
    }
    await writeFile(path.join(workspace, 'deploy', 'secret.yaml'), `${secret}\n`)
    for (const [index, plan] of plans.entries()) {
      await writeFile(path.join(workspace, 'pods', `pod-${index}.yaml`), `${podManifest('Pod', `pod-${index}`, hosts(plan.image), plan.second ?? plan)}\n`)
    }
    return {
      workspace,
      proxies: { open: openProxy, token: tokenProxy, realm },
      uses: plans.length * 2,
      uniqueReferences: new Set(plans.map((plan) => plan.image)).size,
      stop
    }
  } catch (error) {
    await stop()
    throw error
  }
}

export interface CampaignRunOptions {
  /** Share (0..1) of requests that get a fault. */
  rate: number
  /** Which classes to draw from (all by default). */
  classes?: readonly FaultClass[]
  /** Overall deadline of the registry stage, seconds. */
  deadlineSeconds: number
  /** Per-request timeout, seconds (stalls cost this much each). */
  timeoutSeconds: number
  /**
   * Leave each registry's `GET /v2/` probe alone: the registry is up, but its answers about images
   * fail. (A failed probe ends every lookup on that host at once; this reaches the deeper paths.)
   */
  spareProbe?: boolean
}

/** One scan run: its result, wall time and what the proxies did. */
export interface CampaignRun {
  options: CampaignRunOptions
  result: ScanResult
  wallMs: number
  requests: number
  faultedRequests: number
  faultsByKind: Record<string, number>
  /** Faults injected at the token realm's proxy (the token-server class). */
  tokenServerFaults: number
}

/** Installs the faults of `options` on the proxies (none for rate 0) and clears their request logs. */
function armProxies(environment: CampaignEnvironment, options: CampaignRunOptions): void {
  const classes = options.classes ?? FAULT_CLASSES
  const registryFaults = classes.flatMap(faultsOf).map((entry) =>
    options.spareProbe === true && entry.match === undefined ? { ...entry, match: { path: NOT_THE_PROBE } } : entry
  )
  const { open, token, realm } = environment.proxies
  open.setFaults(spreadFaults(registryFaults, options.rate))
  token.setFaults(spreadFaults(registryFaults, options.rate))
  realm.setFaults(classes.includes('token-server') ? spreadFaults(TOKEN_SERVER_FAULTS.map((fault) => ({ fault })), options.rate) : [])
  for (const proxy of [open, token, realm]) proxy.requests.length = 0
}

/** Scans the workspace once through the proxies as they are armed now. */
export async function scanWorkspace(
  environment: CampaignEnvironment,
  options: Pick<CampaignRunOptions, 'deadlineSeconds' | 'timeoutSeconds'>
): Promise<{ result: ScanResult; wallMs: number }> {
  const config: ScanConfig = { ...defaultScanConfig(), timeoutSeconds: options.timeoutSeconds, deadlineSeconds: options.deadlineSeconds }
  const registryAuth = JSON.stringify([{ registry: environment.proxies.token.host, ...CI_USER }])
  // An empty HOME: no Docker config of the machine takes part.
  const env = { HOME: environment.workspace }
  const credentials = await loadToolCredentials({ registryAuth, env })
  const started = Date.now()
  const result = await runScan({ paths: ['.'], cwd: environment.workspace, config, credentials, env })
  return { result, wallMs: Date.now() - started }
}

/** Runs one whole scan of the workspace with the faults of `options`, then disarms the proxies. */
export async function runCampaignScan(environment: CampaignEnvironment, options: CampaignRunOptions): Promise<CampaignRun> {
  armProxies(environment, options)
  let scanned: Awaited<ReturnType<typeof scanWorkspace>>
  try {
    scanned = await scanWorkspace(environment, options)
  } finally {
    for (const proxy of Object.values(environment.proxies)) proxy.setFaults([])
  }
  const recorded = Object.values(environment.proxies).flatMap((proxy) => proxy.requests)
  const faultsByKind: Record<string, number> = {}
  for (const request of recorded) if (request.fault !== null) faultsByKind[request.fault] = (faultsByKind[request.fault] ?? 0) + 1
  return {
    options,
    ...scanned,
    requests: recorded.length,
    faultedRequests: recorded.filter((request) => request.fault !== null).length,
    faultsByKind,
    tokenServerFaults: environment.proxies.realm.requests.filter((request) => request.fault !== null).length
  }
}

/** A verdict that a fault caused, or one that a fault made disappear. */
export interface VerdictDifference {
  place: string
  image: string
  baseline: { status: ImageStatus; rules: string[] }
  faulted: { status: ImageStatus; rules: string[] }
}

/** What one faulted run is worth next to the baseline. */
export interface CampaignFigures {
  rate: number
  classes: string
  requests: number
  faultedRequests: number
  /** Image uses the baseline could check (not skipped, not unverified there). */
  checkable: number
  verified: number
  /** Uses reported unverified that the baseline verified. */
  unverified: number
  /** Of those, how many carry a could-not-verify finding that says why. */
  honestlyUnverified: number
  /** A verdict the baseline does not have, or a status that is neither the baseline's nor `unverified`. */
  wrongVerdicts: VerdictDifference[]
  /** A baseline verdict missing while the use is reported as verified. */
  lostVerdicts: VerdictDifference[]
  /**
   * A reference that does not exist, reported with another not-found rule than in the baseline
   * (a missing repository as a missing tag, when the request that tells them apart failed): the
   * verdict "it does not exist" stands, only its precision was lost.
   */
  reclassified: VerdictDifference[]
  wallMs: number
  deadlineMs: number
}

/** The verdicts that say a reference does not exist. */
const NOT_FOUND_RULES: ReadonlySet<string> = new Set(['repository-not-found', 'tag-not-found', 'digest-not-found'])

const placeOf = (item: { file: string; line: number; column: number }): string => `${item.file}:${item.line}:${item.column}`

/** Rules that say something about the image itself (not "could not ask"), by place. */
function verdictRulesByPlace(findings: readonly Finding[]): Map<string, Set<string>> {
  const byPlace = new Map<string, Set<string>>()
  for (const finding of findings) {
    if (COULD_NOT_VERIFY_RULES.has(finding.rule)) continue
    const place = placeOf(finding)
    if (!byPlace.has(place)) byPlace.set(place, new Set())
    byPlace.get(place)!.add(finding.rule)
  }
  return byPlace
}

function couldNotVerifyPlaces(findings: readonly Finding[]): Set<string> {
  return new Set(findings.filter((finding) => COULD_NOT_VERIFY_RULES.has(finding.rule)).map(placeOf))
}

/** Compares a faulted run with the baseline, image use by image use. */
export function compareWithBaseline(baseline: CampaignRun, faulted: CampaignRun): CampaignFigures {
  const baselineStatus = new Map(baseline.result.images.map((image) => [placeOf(image), image.status]))
  const baselineRules = verdictRulesByPlace(baseline.result.findings)
  const faultedRules = verdictRulesByPlace(faulted.result.findings)
  const explained = couldNotVerifyPlaces(faulted.result.findings)
  const figures: CampaignFigures = {
    rate: faulted.options.rate,
    classes: (faulted.options.classes ?? FAULT_CLASSES).join(', '),
    requests: faulted.requests,
    faultedRequests: faulted.faultedRequests,
    checkable: 0,
    verified: 0,
    unverified: 0,
    honestlyUnverified: 0,
    wrongVerdicts: [],
    lostVerdicts: [],
    reclassified: [],
    wallMs: faulted.wallMs,
    deadlineMs: faulted.options.deadlineSeconds * 1000
  }
  for (const image of faulted.result.images) {
    const place = placeOf(image)
    const before = baselineStatus.get(place)
    if (before === undefined) throw new Error(`the faulted run found an image use the baseline did not: ${place}`)
    if (before === 'skipped' || before === 'unverified') continue
    figures.checkable += 1
    const rulesBefore = [...(baselineRules.get(place) ?? [])].sort()
    const rulesAfter = [...(faultedRules.get(place) ?? [])].sort()
    const difference: VerdictDifference = {
      place,
      image: image.image,
      baseline: { status: before, rules: rulesBefore },
      faulted: { status: image.status, rules: rulesAfter }
    }
    const invented = rulesAfter.filter((rule) => !rulesBefore.includes(rule))
    const missing = rulesBefore.filter((rule) => !rulesAfter.includes(rule))
    const absentBefore = rulesBefore.some((rule) => NOT_FOUND_RULES.has(rule))
    const reclassified = absentBefore && invented.length > 0 && [...invented, ...missing].every((rule) => NOT_FOUND_RULES.has(rule))
    if (reclassified) figures.reclassified.push(difference)
    else if (invented.length > 0 || (image.status !== before && image.status !== 'unverified')) figures.wrongVerdicts.push(difference)
    if (image.status === 'unverified') {
      figures.unverified += 1
      if (explained.has(place)) figures.honestlyUnverified += 1
      continue
    }
    figures.verified += 1
    if (missing.length > 0 && !reclassified) figures.lostVerdicts.push(difference)
  }
  return figures
}

/** One line of figures, for logs and RELIABILITY.md. */
export function describeFigures(figures: CampaignFigures): string {
  const share = figures.checkable === 0 ? 0 : (100 * figures.verified) / figures.checkable
  return (
    `rate ${Math.round(figures.rate * 100)} %: ${figures.faultedRequests}/${figures.requests} requests faulted; ` +
    `${figures.verified}/${figures.checkable} uses verified (${share.toFixed(1)} %), ${figures.unverified} unverified ` +
    `(${figures.honestlyUnverified} with a could-not-verify finding), ${figures.wrongVerdicts.length} wrong verdicts, ` +
    `${figures.lostVerdicts.length} lost verdicts, ${figures.reclassified.length} not-found verdicts reclassified, ${(figures.wallMs / 1000).toFixed(1)} s of a ${figures.deadlineMs / 1000} s deadline`
  )
}
