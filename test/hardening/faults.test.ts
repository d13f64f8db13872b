// Whole scans through registries that fail: 60 image uses of 30 unique references (existing images,
// tags, digests and repositories that do not exist, a host that does not resolve) checked through
// fault-injecting proxies at 10 %, 30 % and 100 % of requests, each run compared use by use with a
// fault-free baseline. A fault may make an image "could not verify", never give it another verdict.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFaultProxy, type FaultProxy } from '../support/registry/fault-proxy.js'
import { pushImage } from '../support/registry/push.js'
import { startRegistry, type TestRegistry } from '../support/registry/registry.js'
import { runCli } from '../support/run-cli.js'
import {
  compareWithBaseline,
  describeFigures,
  runCampaignScan,
  scanWorkspace,
  startCampaignEnvironment,
  UNRESOLVABLE_REGISTRY,
  type CampaignEnvironment,
  type CampaignRun
} from './support/fault-campaign.js'
import { ensureBuilt, expectNoStackTrace } from './support/process.js'

const DEADLINE_SECONDS = 20
const TIMEOUT_SECONDS = 2
/** Time past the deadline a run may take to wind down (closing connections, rendering). */
const DEADLINE_MARGIN_MS = 3000

describe('scans through faulty registries', () => {
  let environment: CampaignEnvironment
  let baseline: CampaignRun

  beforeAll(async () => {
    environment = await startCampaignEnvironment(20240611)
    baseline = await runCampaignScan(environment, { rate: 0, deadlineSeconds: DEADLINE_SECONDS, timeoutSeconds: TIMEOUT_SECONDS })
  })
  afterAll(async () => environment?.stop())

  it('has a baseline with every kind of verdict to compare against', () => {
    expect(environment.uses).toBe(60)
    expect(environment.uniqueReferences).toBe(30)
    expect(baseline.faultedRequests).toBe(0)
    const statuses: Record<string, number> = {}
    for (const image of baseline.result.images) statuses[image.status] = (statuses[image.status] ?? 0) + 1
    expect(statuses).toEqual({ ok: 30, problem: 26, unverified: 4 })
    const rules: Record<string, number> = {}
    for (const finding of baseline.result.findings) rules[finding.rule] = (rules[finding.rule] ?? 0) + 1
    expect(rules).toEqual({
      'tag-not-found': 16,
      'digest-not-found': 2,
      'repository-not-found': 6,
      'platform-mismatch': 1,
      'image-too-large': 2,
      'tag-digest-mismatch': 2,
      'pull-secret-not-attached': 1,
      'latest-tag': 2,
      'registry-unreachable': 4
    })
    // The host that does not resolve is "could not verify" in every run, with the kubelet's words.
    const unresolvable = baseline.result.findings.filter((finding) => finding.rule === 'registry-unreachable')
    for (const finding of unresolvable) {
      expect(finding.image).toMatch(new RegExp(`^${UNRESOLVABLE_REGISTRY.replace(/\./g, '\\.')}/`))
      expect(finding.message).toContain(`dial tcp: lookup ${UNRESOLVABLE_REGISTRY}: no such host`)
    }
  })

  const runs = [
    { name: '10 % of requests', rate: 0.1, spareProbe: false },
    { name: '30 % of requests', rate: 0.3, spareProbe: false },
    { name: '100 % of requests', rate: 1, spareProbe: false },
    { name: "100 % of the requests after each registry's /v2/ probe", rate: 1, spareProbe: true }
  ]
  for (const { name, rate, spareProbe } of runs) {
    it(`gives no wrong verdict with ${name} faulted, and ends within the deadline`, async () => {
      const run = await runCampaignScan(environment, { rate, spareProbe, deadlineSeconds: DEADLINE_SECONDS, timeoutSeconds: TIMEOUT_SECONDS })
      const figures = compareWithBaseline(baseline, run)
      console.info(`[hardening] ${name}: ${describeFigures(figures)}; faults: ${JSON.stringify(run.faultsByKind)}; token server faults: ${run.tokenServerFaults}`)

      expect(figures.checkable).toBe(56)
      expect(figures.wrongVerdicts).toEqual([])
      expect(figures.lostVerdicts).toEqual([])
      // Every image that could not be verified says so with a could-not-verify finding at its line.
      expect(figures.honestlyUnverified).toBe(figures.unverified)
      expect(figures.verified + figures.unverified).toBe(figures.checkable)
      expect(run.wallMs).toBeLessThan(DEADLINE_SECONDS * 1000 + DEADLINE_MARGIN_MS)
      if (!spareProbe) expect(figures.faultedRequests / figures.requests).toBeGreaterThanOrEqual(rate * 0.6)
      if (rate === 0.1) expect(figures.verified / figures.checkable).toBeGreaterThanOrEqual(0.9)
      if (rate === 0.3) expect(figures.verified / figures.checkable).toBeGreaterThanOrEqual(0.75)
      // Every request got a fault (a wrong Content-Type is one a client can live with, so some may still verify).
      if (rate === 1 && !spareProbe) expect(figures.faultedRequests).toBe(figures.requests)
      if (spareProbe) {
        // Each image request got a fault, of every kind.
        const probes = [environment.proxies.open, environment.proxies.token].flatMap((proxy) => proxy.requests).filter((request) => request.path === '/v2/')
        expect(figures.faultedRequests).toBe(figures.requests - probes.length)
        // (Digest mismatches need a manifest GET to get through first, so they are rare here; the
        // reliability script runs every class alone as well.)
        for (const kind of ['status', 'reset', 'truncate', 'replace-body', 'content-type', 'stall']) expect(run.faultsByKind[kind] ?? 0).toBeGreaterThan(0)
        expect(run.tokenServerFaults).toBeGreaterThan(0)
      }
    })
  }

  it('says so when the tag of name:tag@digest could not be checked, instead of passing it in silence', async () => {
    // Every request for the tag 1.1 fails; the pinned digest itself is fetched by digest and found.
    environment.proxies.open.setFaults([{ match: { path: /\/team\/web\/manifests\/1\.1$/ }, fault: { kind: 'status', status: 503 } }])
    let result
    try {
      ;({ result } = await scanWorkspace(environment, { deadlineSeconds: DEADLINE_SECONDS, timeoutSeconds: TIMEOUT_SECONDS }))
    } finally {
      environment.proxies.open.setFaults([])
    }
    const pinned = result.findings.filter((finding) => finding.image?.includes('/team/web:1.1@sha256:'))
    expect(pinned.map((finding) => [finding.rule, finding.severity])).toEqual([
      ['registry-unreachable', 'warning'],
      ['registry-unreachable', 'warning']
    ])
    expect(pinned[0]!.message).toMatch(/^Could not verify whether the tag "1\.1" still points to the pinned digest \(the digest itself exists\): .*503 Service Unavailable.*This is not a verdict on the image$/)
    expect(result.images.filter((image) => image.image.includes('/team/web:1.1@sha256:')).map((image) => image.status)).toEqual(['unverified', 'unverified'])
  })

  it('still tells a missing repository from a missing tag when the request that tells them apart fails', async () => {
    // The client asks tags/list?n=1 after a manifest 404; fail that probe for every retry, so only the
    // scan's full tag listing can show that the repository itself is missing.
    environment.proxies.open.setFaults([{ match: { path: /\/tags\/list\?n=1(&|$)/ }, fault: { kind: 'status', status: 503 } }])
    const { result } = await scanWorkspace(environment, { deadlineSeconds: DEADLINE_SECONDS, timeoutSeconds: TIMEOUT_SECONDS })
    environment.proxies.open.setFaults([])
    const ghost = result.findings.filter((finding) => finding.image?.endsWith('/ghost/app:1.0'))
    expect(ghost.map((finding) => finding.rule)).toEqual(['repository-not-found', 'repository-not-found'])
  })
})

describe('a registry whose error messages are hostile', () => {
  let registry: TestRegistry
  let hostile: FaultProxy
  let workspace: string
  // A registry named in a pull request controls its error text: long, with line breaks, a workflow
  // command and a terminal escape in it.
  const message = `${'x'.repeat(20_000)}\n::error file=a.yaml,line=1::from-the-registry ##[warning]legacy \u001b[31mred`

  beforeAll(async () => {
    await ensureBuilt()
    registry = await startRegistry()
    hostile = await startFaultProxy({
      upstream: registry.url,
      faults: [{ fault: { kind: 'status', status: 500, body: JSON.stringify({ errors: [{ code: 'UNKNOWN', message }, { code: 'DENIED', message }] }) } }]
    })
    workspace = await mkdtemp(path.join(tmpdir(), 'pullcheck-hostile-'))
    await writeFile(path.join(workspace, 'pod.yaml'), `apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: a\n      image: ${hostile.host}/team/web:1.0\n`)
  })
  afterAll(async () => {
    await hostile?.stop()
    await registry?.stop()
    if (workspace !== undefined) await rm(workspace, { recursive: true, force: true })
  })

  it('quotes them short, on one line, and inert', async () => {
    const run = await runCli(['scan', '.'], { cwd: workspace, env: { HOME: workspace } })
    expectNoStackTrace(run.stderr)
    expect(run.code).toBe(0)
    const finding = run.stdout.split('\n').find((line) => line.startsWith('pod.yaml:8:14'))
    expect(finding).toMatch(/ warning +registry-unreachable +Could not verify whether .*500 Internal Server Error \(unknown: x+…/)
    expect(finding!.length).toBeLessThan(2000)
    for (const line of run.stdout.split(/\r\n|\r|\n/)) {
      expect(line.trimStart().startsWith('::')).toBe(false)
      expect(line.includes('##[')).toBe(false)
      expect(/[\u0000-\u0008\u000b-\u001f\u007f]/.test(line)).toBe(false)
    }
  })
})

describe('a registry that answers slowly for minutes', () => {
  let registry: TestRegistry
  let slow: FaultProxy
  let workspace: string

  beforeAll(async () => {
    await ensureBuilt()
    registry = await startRegistry()
    await pushImage(registry, 'team/web', '1.0', { kind: 'docker-schema2' })
    // Every answer is held back ten minutes: the run must end at its own deadline, not the registry's pace.
    slow = await startFaultProxy({ upstream: registry.url, faults: [{ fault: { kind: 'delay', ms: 600_000 } }] })
    workspace = await mkdtemp(path.join(tmpdir(), 'pullcheck-slow-'))
    await writeFile(path.join(workspace, '.pullcheck.yaml'), 'deadline: 5\n')
    // Twelve images: more requests wait on the deadline than Node's default listener limit of ten.
    const pods = Array.from({ length: 12 }, (_, index) => `app-${index}:1.0`).map(
      (image, index) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-${index}\nspec:\n  containers:\n    - name: app\n      image: ${slow.host}/team/${image}\n`
    )
    await writeFile(path.join(workspace, 'pods.yaml'), pods.join('---\n'))
  })
  afterAll(async () => {
    await slow?.stop()
    await registry?.stop()
    if (workspace !== undefined) await rm(workspace, { recursive: true, force: true })
  })

  it('ends the scan at the 5 s deadline with every image reported as not verified, and nothing else on stderr', async () => {
    const started = Date.now()
    const run = await runCli(['scan', '--format', 'json', '.'], { cwd: workspace, env: { HOME: workspace }, timeoutMs: 60_000 })
    const wallMs = Date.now() - started
    console.info(`[hardening] slow registry: scan ended after ${(wallMs / 1000).toFixed(1)} s with a 5 s deadline`)
    expectNoStackTrace(run.stderr)
    // Nothing on stderr but pullcheck's own lines: no runtime warning about listeners on the deadline.
    for (const line of run.stderr.split('\n').filter((text) => text !== '')) expect(line).toMatch(/^pullcheck: /)
    expect(run.code).toBe(0)
    expect(wallMs).toBeLessThan(5000 + DEADLINE_MARGIN_MS)
    const report = JSON.parse(run.stdout) as { findings: Array<{ rule: string; line: number; message: string }>; images: Array<{ status: string }> }
    expect(report.images.map((image) => image.status)).toEqual(Array(12).fill('unverified'))
    expect(report.findings.map((finding) => [finding.rule, finding.line])).toEqual(Array.from({ length: 12 }, (_, index) => ['registry-timeout', 8 + 9 * index]))
    for (const finding of report.findings) expect(finding.message).toContain('This is not a verdict on the image')
  })
})
