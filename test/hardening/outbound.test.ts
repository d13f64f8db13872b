// What a pull request can make pullcheck contact or run, through the built CLI: link-local and
// cloud-metadata addresses are refused as registries, token realms and redirect targets with a
// `registry-blocked` warning that says why; `allowedRegistries` keeps every other host uncontacted;
// and no file in the scanned tree — a manifest's pull secret, a repository `.docker/config.json` —
// can make a credential helper run (only the runner's own Docker config can).
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFaultProxy, type FaultProxy } from '../support/registry/fault-proxy.js'
import { pushImage } from '../support/registry/push.js'
import { startRegistry, type TestRegistry } from '../support/registry/registry.js'
import { runCli } from '../support/run-cli.js'
import { ensureBuilt, expectNoStackTrace } from './support/process.js'

interface JsonFinding {
  rule: string
  severity: string
  file: string
  line: number
  message: string
}

function pod(name: string, image: string, pullSecret?: string): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    ...(pullSecret === undefined ? [] : ['  imagePullSecrets:', `    - name: ${pullSecret}`]),
    '  containers:',
    '    - name: app',
    `      image: ${image}`
  ].join('\n') + '\n'
}

const stops: Array<() => Promise<void>> = []
beforeAll(async () => ensureBuilt())
afterAll(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined)
})

async function tempDir(purpose: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `pullcheck-${purpose}-`))
  stops.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}

describe('the outbound guard in whole scans', () => {
  let open: TestRegistry
  let openProxy: FaultProxy
  let other: FaultProxy
  let metadataRealm: TestRegistry
  let workspace: string

  beforeAll(async () => {
    open = await startRegistry()
    stops.push(() => open.stop())
    await pushImage(open, 'team/web', '1.0', { kind: 'docker-schema2' })
    await pushImage(open, 'team/api', '2.0', { kind: 'docker-schema2', seed: 'api' })
    openProxy = await startFaultProxy({ upstream: open.url })
    stops.push(() => openProxy.stop())
    // Blob downloads of team/api are redirected to the cloud metadata address.
    openProxy.setFaults([{ match: { method: 'GET', path: /^\/v2\/team\/api\/blobs\// }, fault: { kind: 'redirect', location: () => 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' } }])
    other = await startFaultProxy({ upstream: open.url })
    stops.push(() => other.stop())
    // A token-auth registry whose challenge names the metadata address as its realm.
    metadataRealm = await startRegistry({ auth: { kind: 'token', tokenServerOptions: { anonymousPullPrefixes: ['public/'] }, realm: 'http://169.254.169.254/token' } })
    stops.push(() => metadataRealm.stop())

    workspace = await tempDir('outbound')
    await writeFile(
      path.join(workspace, 'pods.yaml'),
      [
        pod('metadata-v4', '169.254.169.254/latest/meta-data:1'),
        pod('metadata-v4-port', '169.254.169.254:80/iam:1'),
        pod('metadata-v6', '"[fd00:ec2::254]:80/latest/meta-data:1"'),
        pod('link-local-v6', '"[fe80::1]:5000/app:1"'),
        pod('realm', `${metadataRealm.host}/public/app:1.0`),
        pod('redirect', `${openProxy.host}/team/api:2.0`),
        pod('fine', `${openProxy.host}/team/web:1.0`),
        pod('not-allowed', `${other.host}/team/web:1.0`)
      ].join('---\n')
    )
  })

  it('refuses link-local and metadata targets with a registry-blocked warning that says why, and honours allowedRegistries', async () => {
    await writeFile(path.join(workspace, '.pullcheck.yaml'), `allowedRegistries:\n  - "${openProxy.host}"\n  - "${metadataRealm.host}"\n  - "169.254.*"\n  - "*:80"\n  - "[fe80::1]:5000"\n`)
    other.requests.length = 0
    const run = await runCli(['scan', '--format', 'json', '.'], { cwd: workspace, env: { HOME: workspace } })
    expectNoStackTrace(run.stderr)
    // Warnings only: a refused target is not a verdict on the image.
    expect(run.code, run.stderr).toBe(0)
    const report = JSON.parse(run.stdout) as { findings: JsonFinding[]; images: Array<{ line: number; status: string }> }
    const byLine = (line: number): Array<[string, string]> => report.findings.filter((finding) => finding.line === line).map((finding) => [finding.rule, finding.severity])
    const blocked = (line: number): string => report.findings.find((finding) => finding.line === line && finding.rule === 'registry-blocked')?.message ?? ''
    expect(byLine(8)).toEqual([['registry-blocked', 'warning']])
    expect(blocked(8)).toContain('169.254.169.254 is a link-local or cloud-metadata address; pullcheck never sends requests there')
    expect(blocked(17)).toContain('169.254.169.254 is a link-local or cloud-metadata address')
    expect(blocked(26)).toContain('fd00:ec2::254 is a link-local or cloud-metadata address')
    expect(blocked(35)).toContain('fe80::1 is a link-local or cloud-metadata address')
    // The realm named by the registry's challenge is refused the same way.
    expect(blocked(44)).toContain('token realm http://169.254.169.254 of')
    // So is the target of a redirect.
    expect(blocked(53)).toContain('169.254.169.254')
    expect(byLine(62)).toEqual([])
    // A host outside allowedRegistries is never contacted.
    expect(blocked(71)).toContain(`${other.host} is not in the allowed registries (allowedRegistries)`)
    expect(other.requests).toEqual([])
    expect(report.images.map((image) => [image.line, image.status])).toEqual([
      [8, 'unverified'],
      [17, 'unverified'],
      [26, 'unverified'],
      [35, 'unverified'],
      [44, 'unverified'],
      [53, 'unverified'],
      [62, 'ok'],
      [71, 'unverified']
    ])
  })

  it('refuses metadata targets even when allowedRegistries is not set, and then contacts any other registry', async () => {
    await rm(path.join(workspace, '.pullcheck.yaml'), { force: true })
    other.requests.length = 0
    const run = await runCli(['scan', '--format', 'json', '.'], { cwd: workspace, env: { HOME: workspace } })
    expectNoStackTrace(run.stderr)
    const report = JSON.parse(run.stdout) as { findings: JsonFinding[] }
    expect(report.findings.filter((finding) => finding.rule === 'registry-blocked').map((finding) => finding.line)).toEqual([8, 17, 26, 35, 44, 53])
    expect(other.requests.length).toBeGreaterThan(0)
  })
})

describe('credential helpers named by files in the scanned tree', () => {
  let registry: TestRegistry
  let workspace: string
  let home: string
  let binDir: string
  let ranFile: string

  beforeAll(async () => {
    registry = await startRegistry({ auth: { kind: 'htpasswd', users: { helper: 'helper-password' } } })
    stops.push(() => registry.stop())
    await pushImage(registry, 'team/web', '1.0', { kind: 'docker-schema2' })
    const root = await tempDir('helpers')
    workspace = path.join(root, 'repo')
    home = path.join(root, 'home')
    binDir = path.join(root, 'bin')
    ranFile = path.join(root, 'the-helper-ran')
    for (const dir of [workspace, home, binDir, path.join(workspace, '.docker')]) await mkdir(dir, { recursive: true })
    // A helper that would hand out working credentials, and leaves a mark whenever it runs.
    await writeFile(path.join(binDir, 'docker-credential-evil'), `#!/bin/sh\nread server\necho "$server" >> '${ranFile}'\nprintf '{"Username":"helper","Secret":"helper-password"}'\n`)
    await chmod(path.join(binDir, 'docker-credential-evil'), 0o755)
    const namingHelpers = { credsStore: 'evil', credHelpers: { [registry.host]: 'evil' }, auths: {} }
    // A repository .docker/config.json, as a pull request could add one.
    await writeFile(path.join(workspace, '.docker', 'config.json'), JSON.stringify(namingHelpers))
    // A pull secret whose Docker config names the helper.
    const secret = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: regcred', 'type: kubernetes.io/dockerconfigjson', 'stringData:', `  .dockerconfigjson: '${JSON.stringify(namingHelpers)}'`].join('\n') + '\n'
    await writeFile(path.join(workspace, 'app.yaml'), `${secret}---\n${pod('app', `${registry.host}/team/web:1.0`, 'regcred')}---\n${pod('plain', `${registry.host}/team/web:1.0`)}`)
  })

  it('never runs a helper that only the scanned files name', async () => {
    const run = await runCli(['scan', '--format', 'json', '.'], { cwd: workspace, env: { HOME: home, PATH: `${binDir}:${process.env.PATH ?? ''}`, DOCKER_CONFIG: '' } })
    expectNoStackTrace(run.stderr)
    expect(existsSync(ranFile)).toBe(false)
    const report = JSON.parse(run.stdout) as { findings: JsonFinding[] }
    // The kubelet ignores credHelpers in a pull secret, and so does pullcheck: the secret has no usable entry.
    expect(report.findings.map((finding) => [finding.line, finding.rule])).toEqual([
      [18, 'pull-secret-wrong-host'],
      [27, 'auth-required']
    ])
  })

  it('runs it when the runner’s own Docker config names it (so the check above can fail)', async () => {
    const runnerConfig = path.join(home, 'docker')
    await mkdir(runnerConfig, { recursive: true })
    await writeFile(path.join(runnerConfig, 'config.json'), JSON.stringify({ credHelpers: { [registry.host]: 'evil' } }))
    const run = await runCli(['scan', '--format', 'json', '.'], { cwd: workspace, env: { HOME: home, PATH: `${binDir}:${process.env.PATH ?? ''}`, DOCKER_CONFIG: runnerConfig } })
    expectNoStackTrace(run.stderr)
    expect((await readFile(ranFile, 'utf8')).trim().split('\n')).toEqual([registry.host])
  })
})
