// Credentials, end to end: canary markers given through every channel (registry-auth, Docker config
// `auths`, a credential helper, pull secrets in the manifests, a password inside an image string,
// GITHUB_TOKEN) must appear in no output of the built CLI (text, JSON, SARIF, debug logs on stderr)
// or the built action (workflow commands, debug log, outputs, job summary, JSON and SARIF files) —
// including the error messages of refused credentials — and each credential reaches only the host
// it is for: recording proxies log every Authorization header, also at a token realm on another
// host and at the other origin a blob download is redirected to.
import { readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runBuiltAction, type ActionRun } from '../action/run-action.js'
import { nodeRuntimes, repoRoot } from '../support/node-binaries.js'
import { runCli, type CliRun } from '../support/run-cli.js'
import { basicCredential, fileStates, findLeaks, startCanaryEnvironment, USERS, writtenFiles, type CanaryEnvironment, type Canaries } from './support/canary.js'
import { ensureBuilt, expectNoStackTrace } from './support/process.js'

let environment: CanaryEnvironment

beforeAll(async () => {
  await ensureBuilt()
  environment = await startCanaryEnvironment()
}, 120_000)
afterAll(async () => environment?.stop())

/** Which canaries each recorded host may receive (in a Basic header); all others none. */
function allowedAt(canaries: Canaries): Record<keyof CanaryEnvironment['proxies'], Array<{ user: string; password: string }>> {
  return {
    a: [
      { user: USERS.input, password: canaries.input },
      { user: USERS.pod, password: canaries.pullSecretWrong },
      { user: USERS.pod, password: canaries.pullSecretRight }
    ],
    // A token-auth registry gets bearer tokens only; the credentials go to its realm.
    b: [],
    realm: [{ user: USERS.dockerConfig, password: canaries.dockerConfig }],
    c: [{ user: USERS.helper, password: canaries.helper }],
    // The other origin a blob download was redirected to gets no Authorization at all.
    blobs: []
  }
}

/** Every credential that reached a host it is not for, and every channel that was never exercised. */
function scopeProblems(): string[] {
  const { canaries } = environment
  const allowed = allowedAt(canaries)
  const problems: string[] = []
  const seen = new Set<string>()
  for (const [name, requests] of Object.entries(environment.recorded()) as Array<[keyof typeof allowed, ReturnType<CanaryEnvironment['recorded']>['a']]>) {
    for (const request of requests) {
      if (request.authorization === null) continue
      if (name === 'blobs') problems.push(`${request.method} ${request.path} at the redirect target carried Authorization`)
      const basic = basicCredential(request.authorization)
      if (basic !== null) {
        const ok = allowed[name].some((credential) => credential.user === basic.user && credential.password === basic.password)
        if (!ok) problems.push(`${name} received Basic credentials of ${basic.user} that are not for it`)
        else seen.add(`${name}:${basic.password}`)
      } else if (!/^Bearer\s/.test(request.authorization)) {
        problems.push(`${name} received an unexpected Authorization scheme`)
      }
      // Whatever the scheme, no other channel's canary may ride along.
      const foreign = findLeaks(canaries, request.authorization, name).filter((leak) => !allowed[name].some((credential) => leak.startsWith(channelOf(canaries, credential.password))))
      problems.push(...foreign)
    }
  }
  // Each channel was really used, so its absence from the outputs means something.
  for (const [name, credentials] of Object.entries(allowed)) {
    for (const credential of credentials) if (!seen.has(`${name}:${credential.password}`)) problems.push(`${channelOf(canaries, credential.password)} was never sent to ${name}`)
  }
  if (!environment.recorded().blobs.some((request) => request.path.includes('/blobs/'))) problems.push('no blob download was redirected')
  return problems
}

function channelOf(canaries: Canaries, secret: string): string {
  return Object.entries(canaries).find(([, value]) => value === secret)?.[0] ?? 'unknown'
}

/** The CLI's environment: a runner home with the helper on PATH, the Docker config, GITHUB_TOKEN inside Actions, debug on. */
function cliEnv(): NodeJS.ProcessEnv {
  const { runner, canaries } = environment
  return {
    HOME: runner.home,
    PATH: `${runner.binDir}:${process.env.PATH ?? ''}`,
    DOCKER_CONFIG: runner.dockerConfigDir,
    GITHUB_ACTIONS: 'true',
    GITHUB_TOKEN: canaries.githubToken,
    PULLCHECK_DEBUG: '1',
    RUNNER_DEBUG: '1'
  }
}

describe('the leak detector', () => {
  it('finds every canary plain, URL-encoded, in a Basic header and inside base64 at any offset', async () => {
    const { canaries, workspace } = environment
    for (const [channel, secret] of Object.entries(canaries)) {
      const basic = `Basic ${Buffer.from(`someone:${secret}`).toString('base64')}`
      const nested = Buffer.from(JSON.stringify({ auths: { host: { auth: Buffer.from(`u:${secret}`).toString('base64') } } })).toString('base64')
      for (const text of [secret, encodeURIComponent(`x ${secret}`), basic, nested, Buffer.from(`ab${secret}`).toString('base64')]) {
        expect(findLeaks(canaries, text, 'probe'), `${channel} in ${text}`).not.toEqual([])
      }
    }
    // The pull-secret canaries sit in the scanned files, base64-encoded twice over: found there too.
    expect(findLeaks(canaries, await readFile(path.join(workspace, 'deploy', 'secrets.yaml'), 'utf8'), 'secrets.yaml').sort()).toEqual([
      'opaqueSecret (plain) in secrets.yaml',
      'pullSecretRight (encoded) in secrets.yaml',
      'pullSecretWrong (encoded) in secrets.yaml'
    ])
  })
})

for (const runtime of nodeRuntimes) {
  describe(`canary credentials through the built CLI (${runtime.label})`, () => {
    for (const format of ['text', 'json', 'sarif'] as const) {
      it(`leaks no credential in ${format} output, debug log or written files, and sends each only where it belongs`, async () => {
        const { workspace, runner, canaries } = environment
        environment.clearRecords()
        await rm(runner.helperLog, { force: true })
        const before = new Map([...(await fileStates(workspace)), ...(await fileStates(runner.home))])
        const output = format === 'sarif' ? path.join(workspace, 'report.sarif') : undefined
        const run: CliRun = await runCli(
          ['scan', '--format', format, '--registry-auth', runner.registryAuthFile, ...(output === undefined ? [] : ['--output', output]), '.'],
          { node: runtime.binary, cwd: workspace, env: cliEnv() }
        )
        expectNoStackTrace(run.stderr)
        expect(run.code, run.stderr).toBe(1)
        const written = await writtenFiles([workspace, runner.home], before)
        if (output !== undefined) expect(written.map((file) => file.file)).toContain(output)
        // The debug log is on: it must have said something for its silence about secrets to count.
        expect(run.stderr).toMatch(/^pullcheck: (GET|HEAD) /m)
        const leaks = [
          ...findLeaks(canaries, run.stdout, 'stdout'),
          ...findLeaks(canaries, run.stderr, 'stderr'),
          ...written.filter((file) => file.file !== runner.helperLog).flatMap((file) => findLeaks(canaries, file.text, path.relative(workspace, file.file)))
        ]
        expect(leaks).toEqual([])
        expect(scopeProblems()).toEqual([])
        // The helper ran for registry C only (lazily, for the host contacted), never for the others.
        expect((await readFile(runner.helperLog, 'utf8')).trim().split('\n')).toEqual([environment.proxies.c.host])
        if (output !== undefined) await rm(output)
        if (format === 'json') {
          const report = JSON.parse(run.stdout) as { findings: Array<{ rule: string; file: string; message: string }> }
          const rules = (file: string): string[] => report.findings.filter((finding) => finding.file === file).map((finding) => finding.rule)
          expect(rules('deploy/rejected.yaml')).toEqual(['pull-secret-rejected'])
          expect(rules('deploy/accepted.yaml')).toEqual([])
          expect(rules('deploy/missing.yaml')).toEqual(['tag-not-found'])
          expect(rules('deploy/redirected.yaml')).toEqual([])
          // Found with the helper's credentials; the pod has none, so the kubelet would be refused.
          expect(rules('deploy/helper.yaml')).toEqual(['auth-required'])
          expect(rules('deploy/in-image.yaml')).toEqual(['credentials-in-reference'])
          // The token server refused the Docker config's credentials: said in words, without them.
          const token = report.findings.find((finding) => finding.file === 'deploy/token.yaml')
          expect(token?.rule).toBe('auth-required')
          expect(token?.message).toContain(`pullcheck's own credentials for ${environment.proxies.b.host} were refused too`)
          expect(run.stderr).toContain('failed to fetch oauth token: unexpected status from GET request to')
        }
      })
    }
  })

  describe(`canary credentials through the built action (${runtime.label})`, () => {
    let run: ActionRun
    let written: Array<{ file: string; text: string }>

    beforeAll(async () => {
      const { workspace, runner, canaries, registryAuth } = environment
      environment.clearRecords()
      await rm(runner.helperLog, { force: true })
      const before = new Map([...(await fileStates(workspace)), ...(await fileStates(runner.home))])
      const payload = JSON.parse(await readFile(path.join(repoRoot, 'fixtures', 'action', 'events', 'workflow_dispatch.json'), 'utf8')) as Record<string, unknown>
      run = await runBuiltAction({
        node: runtime.binary,
        workspace,
        eventName: 'workflow_dispatch',
        payload,
        sha: 'a'.repeat(40),
        githubToken: canaries.githubToken,
        inputs: { 'registry-auth': registryAuth, 'docker-config': runner.dockerConfigDir, 'sarif-file': 'reports/pullcheck.sarif' },
        env: { PATH: `${runner.binDir}:${process.env.PATH ?? ''}`, RUNNER_DEBUG: '1' }
      })
      written = [...(await writtenFiles([workspace, runner.home], before)), ...(await writtenFiles([run.runnerTemp], new Map()))]
    }, 120_000)
    afterAll(async () => {
      if (run !== undefined) await rm(run.runnerTemp, { recursive: true, force: true })
      await rm(path.join(environment.workspace, 'reports'), { recursive: true, force: true })
    })

    it('fails on the findings and writes every report', () => {
      expectNoStackTrace(run.stderr)
      expect(run.code, run.stderr).toBe(1)
      expect(run.commands.some((command) => command.command === 'debug')).toBe(true)
      expect(run.commands.filter((command) => command.command === 'error').length).toBeGreaterThan(0)
      expect(run.summary).toContain('pull-secret-rejected')
      expect(Object.keys(run.outputs).sort()).toEqual(['errors', 'findings-json', 'images', 'sarif-file', 'unique-images', 'warnings'])
      expect(written.map((file) => path.basename(file.file))).toEqual(expect.arrayContaining(['pullcheck.sarif', 'findings.json', 'step_summary', 'output']))
    })

    it('masks the credentials it was given before anything else, and shows no canary anywhere else', () => {
      const { canaries } = environment
      const lines = run.stdout.split('\n')
      const masks = lines.filter((line) => line.startsWith('::add-mask::')).map((line) => line.slice('::add-mask::'.length))
      // The runner hides masked values in every later line; the masks themselves are for the runner only.
      expect(masks).toEqual(expect.arrayContaining([canaries.input, canaries.githubToken]))
      const firstOther = lines.findIndex((line) => line !== '' && !line.startsWith('::add-mask::'))
      expect(lines.slice(firstOther).some((line) => line.startsWith('::add-mask::'))).toBe(false)
      const leaks = [
        ...findLeaks(canaries, lines.slice(firstOther).join('\n'), 'stdout'),
        ...findLeaks(canaries, run.stderr, 'stderr'),
        ...findLeaks(canaries, JSON.stringify(run.outputs), 'outputs'),
        ...findLeaks(canaries, run.summary, 'job summary'),
        ...written.filter((file) => file.file !== environment.runner.helperLog).flatMap((file) => findLeaks(canaries, file.text, path.basename(file.file)))
      ]
      expect(leaks).toEqual([])
    })

    it('sends each credential only to the host it is for', async () => {
      expect(scopeProblems()).toEqual([])
      expect((await readFile(environment.runner.helperLog, 'utf8')).trim().split('\n')).toEqual([environment.proxies.c.host])
    })
  })
}
