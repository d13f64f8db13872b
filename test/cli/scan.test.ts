// `pullcheck scan` end to end: the built dist/cli.js, under Node 20 and Node 24, against the real
// local registries. Text, JSON (validated against schemas/scan.schema.json) and SARIF (against
// schemas/sarif-github.schema.json), exit codes for --fail-on, usage errors, stdin, --output, and
// no credential in any output.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Readable } from 'node:stream'
import { main } from '../../src/cli/main.js'
import { nodeRuntimes } from '../support/node-binaries.js'
import { runCli } from '../support/run-cli.js'
import { assertMatchesSchema } from '../support/schemas.js'
import { CI_USER, POD_USER, startRuleEnvironment, substitutePlaceholders, type RuleEnvironment } from '../rules/environment.js'

const PASSWORD_IN_IMAGE = 'hunter2-canary'

const MANIFESTS: Record<string, string> = {
  'deploy/web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      imagePullSecrets:
        - name: regcred
      containers:
        - name: web
          image: REGISTRY_OPEN/team/web:v2.0.1
        - name: app
          image: REGISTRY_BASIC/private/app:1.0
        - name: sidecar
          image: REGISTRY_OPEN/team/web:latest
---
apiVersion: v1
kind: Secret
metadata:
  name: regcred
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{"auths":{"REGISTRY_BASIC":{"username":"${POD_USER.username}","password":"${POD_USER.password}"}}}'
`,
  'deploy/leak.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: leak
spec:
  containers:
    - name: leak
      image: "deploy:${PASSWORD_IN_IMAGE}@REGISTRY_OPEN/team/api:1.4.2"
`,
  'clean/api.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: REGISTRY_OPEN/team/api:1.4.2
`,
  'slow/search.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: search
spec:
  containers:
    - name: search
      image: REGISTRY_SILENT/team/search:5.1
`,
  'warnings/latest.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: latest
spec:
  containers:
    - name: web
      image: REGISTRY_OPEN/team/web:latest
`
}

let environment: RuleEnvironment
let workDir: string
let registryAuth: string

beforeAll(async () => {
  environment = await startRuleEnvironment()
  workDir = await mkdtemp(path.join(tmpdir(), 'pullcheck-cli-scan-'))
  for (const [file, text] of Object.entries(MANIFESTS)) {
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(path.join(workDir, file)), { recursive: true }))
    await writeFile(path.join(workDir, file), substitutePlaceholders(text, environment.placeholders))
  }
  registryAuth = path.join(workDir, 'auth.json')
  await writeFile(registryAuth, environment.registryAuth)
}, 120_000)

afterAll(async () => {
  await environment?.stop()
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true })
})

function scan(args: string[], node?: string, stdin?: string): ReturnType<typeof runCli> {
  return runCli(['scan', ...args], { node, cwd: workDir, stdin, env: { DOCKER_CONFIG: workDir, PULLCHECK_REGISTRY_AUTH: '' } })
}

function expectNoCredentials(...outputs: string[]): void {
  for (const output of outputs) {
    for (const secret of [PASSWORD_IN_IMAGE, POD_USER.password, CI_USER.password]) expect(output).not.toContain(secret)
  }
}

describe.each(nodeRuntimes)('pullcheck scan ($label)', ({ binary }) => {
  it('reports each finding at its line, grouped by file, with the fix, and exits 1', async () => {
    const run = await scan(['deploy', '--registry-auth', 'auth.json'], binary)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(1)
    const lines = run.stdout.split('\n')
    const at = (place: string): string | undefined => lines.find((line) => line.startsWith(`${place}  `))
    expect(at('deploy/leak.yaml:8:14')).toMatch(/^deploy\/leak\.yaml:8:14 {2}error {4}credentials-in-reference {2}/)
    expect(at('deploy/web.yaml:18:18')).toMatch(/ {2}error {4}tag-not-found {2}.*did you mean v2\.0\.0\?/)
    expect(at('deploy/web.yaml:22:18')).toMatch(/ {2}warning {2}latest-tag {2}/)
    // The pod's own secret gets in: no finding for the private image.
    expect(lines.some((line) => line.startsWith('deploy/web.yaml:20:'))).toBe(false)
    const fixLine = lines[lines.indexOf(at('deploy/web.yaml:18:18')!) + 1]
    expect(fixLine).toMatch(/^ {4}fix: Use an existing tag such as v2\.0\.0/)
    expect(lines.at(-2)).toMatch(/^2 errors, 1 warning in 4 images \(4 unique\) across 2 files — /)
    expectNoCredentials(run.stdout, run.stderr)
  })

  it('writes JSON that matches schemas/scan.schema.json', async () => {
    const run = await scan(['deploy', '--format', 'json', '--registry-auth', 'auth.json'], binary)
    expect(run.code).toBe(1)
    const report = JSON.parse(run.stdout) as { findings: Array<{ rule: string; line: number; column: number; file: string }>; summary: { errors: number } }
    assertMatchesSchema('scan.schema.json', report)
    expect(report.findings.map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.rule}`)).toEqual([
      'deploy/leak.yaml:8:14 credentials-in-reference',
      'deploy/web.yaml:18:18 tag-not-found',
      'deploy/web.yaml:22:18 latest-tag'
    ])
    expectNoCredentials(run.stdout, run.stderr)
  })

  it('writes SARIF that GitHub code scanning accepts', async () => {
    const run = await scan(['deploy', '--format', 'sarif', '--registry-auth', 'auth.json'], binary)
    expect(run.code).toBe(1)
    const sarif = JSON.parse(run.stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }> }> }
    assertMatchesSchema('sarif-github.schema.json', sarif)
    expect(sarif.runs[0]!.results.map((result) => `${result.ruleId}@${result.locations[0]!.physicalLocation.region.startLine}`)).toEqual([
      'credentials-in-reference@8',
      'tag-not-found@18',
      'latest-tag@22'
    ])
    expectNoCredentials(run.stdout, run.stderr)
  })
})

describe('pullcheck scan exit codes and options', () => {
  it('exits 0 on a clean scan and prints the summary', async () => {
    const run = await scan(['clean'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^no problems in 1 image \(1 unique\) across 1 file — /)
  })

  it('fails on warnings only with --fail-on warning, never with --fail-on never', async () => {
    expect((await scan(['warnings'])).code).toBe(0)
    expect((await scan(['warnings', '--fail-on', 'warning'])).code).toBe(1)
    expect((await scan(['deploy', '--fail-on', 'never'])).code).toBe(0)
  })

  it('reads stdin for "-" and reports it as <stdin>', async () => {
    const text = await readFile(path.join(workDir, 'warnings/latest.yaml'), 'utf8')
    const run = await scan(['-', '--format', 'json'], undefined, text)
    const report = JSON.parse(run.stdout) as { findings: Array<{ file: string; line: number; rule: string }> }
    expect(report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.rule}`)).toEqual(['<stdin>:8 latest-tag'])
  })

  it('says in JSON why an image was not checked, and lists image volumes within the schema', async () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: tools',
      'spec:',
      '  containers:',
      '    - name: app',
      '      image: "{{ .Values.image }}"',
      '  volumes:',
      '    - name: tools',
      '      image:',
      `        reference: ${environment.placeholders.get('REGISTRY_OPEN')}/team/api:1.4.2`
    ].join('\n')
    const run = await scan(['-', '--format', 'json'], undefined, text)
    const report = JSON.parse(run.stdout) as { images: Array<{ line: number; containerType: string; status: string; skipReason: string | null }> }
    assertMatchesSchema('scan.schema.json', report)
    expect(report.images.map((image) => [image.line, image.containerType, image.status, image.skipReason])).toEqual([
      [8, 'container', 'skipped', 'a template, not an image: check the rendered output'],
      [12, 'imageVolume', 'ok', null]
    ])
  })

  it('writes the report to --output and nothing to stdout', async () => {
    const run = await scan(['clean', '--format', 'json', '--output', 'report.json'])
    expect(run.code).toBe(0)
    expect(run.stdout).toBe('')
    assertMatchesSchema('scan.schema.json', JSON.parse(await readFile(path.join(workDir, 'report.json'), 'utf8')))
  })

  it.each([
    [['--fail-on', 'sometimes'], '--fail-on'],
    [['--max-image-size', 'huge'], '--max-image-size'],
    [['--timeout', '-3'], '--timeout'],
    [['--concurrency', '0'], '--concurrency'],
    [['--platform', 'linux'], '--platform'],
    [['--format', 'xml'], '--format'],
    [['--config', 'missing.yaml'], '--config'],
    [['--registry-auth', 'missing.json'], '--registry-auth'],
    [['--bogus'], "unknown option '--bogus'"]
  ])('rejects %j with exit 2 naming %s', async (args, named) => {
    const run = await scan(['clean', ...args])
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain(named)
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })
})

describe('pullcheck scan progress', () => {
  it('shows a progress line on a terminal when the run takes more than a second, and clears it', async () => {
    let stdout = ''
    let stderr = ''
    const code = await main(['scan', 'slow', '--timeout', '1'], {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      stdin: Readable.from([]),
      stderrIsTTY: true,
      cwd: workDir,
      env: { DOCKER_CONFIG: workDir }
    })
    expect(code).toBe(0)
    // One update or more (a loaded machine may take a second before the question is even asked),
    // the last one with the answer in, then the line is cleared.
    expect(stderr).toMatch(/^(\r\u001b\[2Kchecking images: [01]\/1 registry requests answered)*\r\u001b\[2Kchecking images: 1\/1 registry requests answered\r\u001b\[2K$/)
    expect(stdout).toContain('registry-timeout')
  })

  it('stays silent when stderr is not a terminal', async () => {
    const run = await scan(['slow', '--timeout', '1'])
    expect(run.stderr).toBe('')
  })
})
