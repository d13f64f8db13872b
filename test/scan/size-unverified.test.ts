// A whole scan against the real distribution registry behind the fault proxy, where the manifest of
// one platform image of an index keeps failing: the use is "could not verify" with the platform and
// the cause, never image-too-large and never silently fine, and the platform no pod runs is not asked.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultScanConfig } from '../../src/config/defaults.js'
import { loadToolCredentials } from '../../src/registry/index.js'
import { runScan } from '../../src/scan/index.js'
import { startFaultProxy, type FaultProxy } from '../support/registry/fault-proxy.js'
import { pushImage, type PushedImage } from '../support/registry/push.js'
import { startRegistry, type TestRegistry } from '../support/registry/registry.js'

describe('scan with a platform manifest that cannot be read', () => {
  let registry: TestRegistry
  let proxy: FaultProxy
  let pushed: PushedImage
  let workspace: string

  beforeAll(async () => {
    registry = await startRegistry()
    pushed = await pushImage(registry, 'team/api', '2.1.0', {
      kind: 'oci-index',
      platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }]
    })
    proxy = await startFaultProxy({ upstream: registry.url })
    workspace = await mkdtemp(path.join(tmpdir(), 'pullcheck-size-'))
    await writeFile(
      path.join(workspace, 'pod.yaml'),
      ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: api', 'spec:', '  containers:', '    - name: api', `      image: ${proxy.host}/team/api:2.1.0`, ''].join('\n')
    )
  })
  afterAll(async () => {
    await proxy?.stop()
    await registry?.stop()
    if (workspace !== undefined) await rm(workspace, { recursive: true, force: true })
  })

  async function scanFor(platform: string) {
    const arm64 = pushed.platforms.find((image) => image.architecture === 'arm64')!
    proxy.setFaults([{ match: { method: 'GET', path: new RegExp(`/manifests/${arm64.digest}$`) }, fault: { kind: 'status', status: 503 } }])
    proxy.requests.length = 0
    const env = { HOME: workspace }
    const credentials = await loadToolCredentials({ env })
    const config = { ...defaultScanConfig(), platforms: [platform], timeoutSeconds: 2, deadlineSeconds: 30 }
    return runScan({ paths: ['.'], cwd: workspace, config, credentials, env })
  }

  it('reports the unknown size of the arm64 image a node would pull as could-not-verify', async () => {
    const result = await scanFor('linux/arm64')
    expect(result.findings.map(({ rule, severity, file, line, column }) => ({ rule, severity, file, line, column }))).toEqual([
      { rule: 'registry-unreachable', severity: 'warning', file: 'pod.yaml', line: 8, column: 14 }
    ])
    expect(result.findings[0]!.message).toMatch(
      /^Could not verify the size of the linux\/arm64 image a node would pull, so image-too-large was not checked \(the image itself exists\): .*503.*\. This is not a verdict on the image$/
    )
    expect(result.images.map((image) => [image.status, image.failure?.status, image.failure?.cause])).toEqual([['unverified', 'unreachable', 'server-error']])
    const arm64Requests = proxy.requests.filter((request) => request.fault !== null)
    // Retried before giving up: the transport's 4 attempts.
    expect(arm64Requests.length).toBe(4)
  })

  it('says nothing when the pod runs on amd64, and never asks for the arm64 manifest', async () => {
    const result = await scanFor('linux/amd64')
    expect(result.findings).toEqual([])
    expect(result.images.map((image) => image.status)).toEqual(['ok'])
    expect(proxy.requests.filter((request) => request.fault !== null)).toEqual([])
    const amd64 = pushed.platforms.find((image) => image.architecture === 'amd64')!
    expect(result.images[0]!.facts!.platforms.map((platform) => [platform.architecture, platform.size])).toEqual([
      ['amd64', amd64.size],
      ['arm64', null]
    ])
  })
})
