// End-to-end: the built dist/index.js run as the Actions runner runs it, under Node 20 and 24, on a
// git repository made from fixtures/action/chart-repo (a chart and its committed `helm template`
// output), against a real registry on 127.0.0.1 (behind a recording proxy) and the local GitHub API
// stand-in. The new-user scenario: a PR breaking one tag in values.yaml gets one error on that line,
// a summary with every other image fine and a failed check; with the tag fixed it passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { nodeRuntimes, repoRoot } from '../support/node-binaries.js'
import { startFakeGitHubApi, type FakeGitHubApi, type PullRequestFileFixture } from '../support/github-api.js'
import { startFaultProxy, type FaultProxy } from '../support/registry/fault-proxy.js'
import { pushImage } from '../support/registry/push.js'
import { startRegistry, type TestRegistry } from '../support/registry/registry.js'
import { assertMatchesSchema } from '../support/schemas.js'
import { runBuiltAction, type ActionRun, type WorkflowCommand } from './run-action.js'

const TOKEN = 'ghs_e2e_token_5b8d0c'
const CANARY_PASSWORD = 'canary-pass-4f1e9a'
const BROKEN_PR = 7
const FIXED_PR = 8
const MANY_PR = 9
const MANY_IMAGES = 60
const FORK_PR = 10
const TOUCH_PR = 11

let registry: TestRegistry
let privateRegistry: TestRegistry
let proxy: FaultProxy
let apiWithChecks: FakeGitHubApi
let apiReadOnly: FakeGitHubApi
let workspace: string
let host: string
const commits: Record<string, string> = {}
const runnerTemps: string[] = []

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=pullcheck-test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: workspace,
    encoding: 'utf8'
  }).trim()
}

async function replaceInFile(file: string, from: string, to: string): Promise<void> {
  const full = path.join(workspace, file)
  const text = await readFile(full, 'utf8')
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`)
  await writeFile(full, text.replaceAll(from, to))
}

async function substituteRegistry(directory: string): Promise<void> {
  for (const entry of await readdir(directory, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    const text = await readFile(file, 'utf8')
    if (text.includes('registry.pullcheck.test')) await writeFile(file, text.replaceAll('registry.pullcheck.test', host))
  }
}

/** What `pulls.listFiles` returns for the branch: each changed file with its patch, from git itself. */
function pullRequestFiles(head: string): PullRequestFileFixture[] {
  return git('diff', '--name-only', `${commits['base']}...${head}`)
    .split('\n')
    .filter((file) => file !== '')
    .map((filename) => {
      const diff = git('diff', `${commits['base']}...${head}`, '--', filename)
      return { filename, status: 'modified' as const, patch: diff.slice(diff.indexOf('@@')) }
    })
}

/** A pull_request payload shaped like GitHub's, for a branch of the workspace. */
async function pullRequestPayload(number: number, head: string, title: string): Promise<Record<string, unknown>> {
  const payload = JSON.parse(await readFile(path.join(repoRoot, 'fixtures', 'action', 'events', 'pull_request.json'), 'utf8')) as {
    number: number
    pull_request: { number: number; title: string; head: { sha: string }; base: { sha: string }; changed_files: number }
  }
  payload.number = number
  payload.pull_request.number = number
  payload.pull_request.title = title
  payload.pull_request.head.sha = head
  payload.pull_request.base.sha = commits['base']!
  payload.pull_request.changed_files = pullRequestFiles(head).length
  return payload as unknown as Record<string, unknown>
}

/** Checks out the merge of the branch into the base, as actions/checkout does on pull_request; returns GITHUB_SHA. */
function checkoutMerge(head: string): string {
  git('checkout', '-q', '--detach', commits['base']!)
  git('merge', '-q', '--no-ff', '--no-edit', head)
  return git('rev-parse', 'HEAD')
}

async function run(
  node: string,
  number: number,
  branch: string,
  options: { inputs?: Record<string, string>; api?: FakeGitHubApi; token?: string; fork?: boolean } = {}
): Promise<ActionRun> {
  const head = commits[branch]!
  const sha = checkoutMerge(head)
  const payload = await pullRequestPayload(number, head, `PR ${branch}`)
  if (options.fork === true) {
    const fork = JSON.parse(await readFile(path.join(repoRoot, 'fixtures', 'action', 'events', 'pull_request_fork.json'), 'utf8')) as { pull_request: { head: { repo: unknown } } }
    ;(payload['pull_request'] as { head: { repo: unknown } }).head.repo = fork.pull_request.head.repo
  }
  const result = await runBuiltAction({
    node,
    workspace,
    eventName: 'pull_request',
    payload,
    sha,
    githubToken: options.token ?? TOKEN,
    apiUrl: (options.api ?? apiWithChecks).url,
    inputs: { rendered: 'rendered/*.yaml', ...options.inputs }
  })
  runnerTemps.push(result.runnerTemp)
  return result
}

function annotations(result: ActionRun): WorkflowCommand[] {
  return result.commands.filter((command) => ['error', 'warning', 'notice'].includes(command.command) && command.properties['file'] !== undefined)
}

beforeAll(async () => {
  registry = await startRegistry()
  proxy = await startFaultProxy({ upstream: registry.url })
  host = proxy.host
  const index = { kind: 'oci-index' as const, platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }] }
  await pushImage(registry, 'acme/web', '1.4.2', { ...index, seed: 'web-1.4.2' })
  await pushImage(registry, 'acme/web', '1.5.0', { ...index, seed: 'web-1.5.0' })
  await pushImage(registry, 'acme/migrate', '1.4.0', { kind: 'docker-schema2', seed: 'migrate' })
  await pushImage(registry, 'acme/log-shipper', '2.0.1', { kind: 'docker-schema2', seed: 'log-shipper' })
  await pushImage(registry, 'acme/cache', '7.2.4', { kind: 'docker-schema2', seed: 'cache' })
  await pushImage(registry, 'acme/worker', '3.1.0', { kind: 'docker-schema2', seed: 'worker' })
  privateRegistry = await startRegistry({ auth: { kind: 'htpasswd' } })
  await pushImage(privateRegistry, 'acme/private', '1.0.0', { kind: 'docker-schema2', seed: 'private' })

  workspace = await mkdtemp(path.join(tmpdir(), 'pullcheck-e2e-repo-'))
  await cp(path.join(repoRoot, 'fixtures', 'action', 'chart-repo'), workspace, { recursive: true })
  await substituteRegistry(workspace)
  git('init', '-q', '-b', 'main')
  git('add', '-A')
  git('commit', '-q', '-m', 'Chart and rendered output')
  commits['base'] = git('rev-parse', 'HEAD')

  git('checkout', '-q', '-b', 'broken')
  await replaceInFile('charts/web/values.yaml', 'tag: "1.4.2"', 'tag: "1.4.3"')
  await replaceInFile('rendered/web.yaml', 'acme/web:1.4.2', 'acme/web:1.4.3')
  git('commit', '-q', '-am', 'Bump web to 1.4.3')
  commits['broken'] = git('rev-parse', 'HEAD')

  git('checkout', '-q', '-b', 'fixed', commits['base'])
  await replaceInFile('charts/web/values.yaml', 'tag: "1.4.2"', 'tag: "1.5.0"')
  await replaceInFile('rendered/web.yaml', 'acme/web:1.4.2', 'acme/web:1.5.0')
  git('commit', '-q', '-am', 'Bump web to 1.5.0')
  commits['fixed'] = git('rev-parse', 'HEAD')

  git('checkout', '-q', '-b', 'many', commits['base'])
  const containers = Array.from({ length: MANY_IMAGES }, (_, i) => `        - name: c${i}\n          image: ${host}/acme/web:9.0.${i}`)
  containers.push(`        - name: hostile\n          image: "${host}/acme/web:1\\n::warning::injected"`)
  await writeFile(
    path.join(workspace, 'deploy', 'many.yaml'),
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: many\nspec:\n  selector:\n    matchLabels:\n      app: many\n  template:\n    metadata:\n      labels:\n        app: many\n    spec:\n      containers:\n${containers.join('\n')}\n`
  )
  git('add', '-A')
  git('commit', '-q', '-m', 'Add many broken images')
  commits['many'] = git('rev-parse', 'HEAD')

  git('checkout', '-q', '-b', 'private', commits['base'])
  await writeFile(
    path.join(workspace, 'deploy', 'private.yaml'),
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: private\nspec:\n  containers:\n    - name: app\n      image: ${privateRegistry.host}/acme/private:1.0.0\n`
  )
  git('add', '-A')
  git('commit', '-q', '-m', 'Add a pod with a private image')
  commits['private'] = git('rev-parse', 'HEAD')

  // deploy/jobs/cleanup.yaml names acme/migrate:1.3.0, a tag that no longer exists (deleted upstream);
  // the pull request only moves the other container from the missing cache:7.2.3 to 7.2.4.
  git('checkout', '-q', '-b', 'touch', commits['base'])
  await replaceInFile('deploy/jobs/cleanup.yaml', 'acme/cache:7.2.3', 'acme/cache:7.2.4')
  git('commit', '-q', '-am', 'Fix the cache warmer tag')
  commits['touch'] = git('rev-parse', 'HEAD')

  const pulls = { [TOUCH_PR]: pullRequestFiles(commits['touch']), [FORK_PR]: pullRequestFiles(commits['private']), [BROKEN_PR]: pullRequestFiles(commits['broken']), [FIXED_PR]: pullRequestFiles(commits['fixed']), [MANY_PR]: pullRequestFiles(commits['many']) }
  apiWithChecks = await startFakeGitHubApi({ owner: 'acme', repo: 'shop', token: TOKEN, checks: 'write', pulls })
  apiReadOnly = await startFakeGitHubApi({ owner: 'acme', repo: 'shop', token: TOKEN, checks: 'forbidden', pulls })
}, 120_000)

afterAll(async () => {
  await apiWithChecks?.stop()
  await apiReadOnly?.stop()
  await proxy?.stop()
  await registry?.stop()
  await privateRegistry?.stop()
  if (workspace !== undefined) await rm(workspace, { recursive: true, force: true })
  for (const dir of runnerTemps) await rm(dir, { recursive: true, force: true })
})

describe.each(nodeRuntimes)('the built action under $label', ({ binary }) => {
  it('a pull request that breaks a tag in values.yaml: one error on the values.yaml line it changed, everything else fine, failed check', async () => {
    const requestsBefore = apiWithChecks.requests.length
    const result = await run(binary, BROKEN_PR, 'broken', {
      inputs: {
        'sarif-file': 'pullcheck.sarif',
        'registry-auth': `- registry: registry.example.invalid\n  username: canary-user\n  password: ${CANARY_PASSWORD}\n`
      }
    })
    expect(result.code, result.stderr).toBe(1)

    // Credentials are masked before anything else, and appear nowhere but in the mask commands.
    expect(result.commands.slice(0, 3).map((c) => [c.command, c.message])).toEqual([
      ['add-mask', 'canary-user'],
      ['add-mask', CANARY_PASSWORD],
      ['add-mask', Buffer.from(`canary-user:${CANARY_PASSWORD}`).toString('base64')]
    ])
    expect(result.stdout.split('\n').filter((line) => line.includes(CANARY_PASSWORD))).toEqual([`::add-mask::${CANARY_PASSWORD}`])

    expect(annotations(result).map((c) => [c.command, c.properties])).toEqual([
      ['error', { title: `tag-not-found: ${host}/acme/web:1.4.3`, file: 'charts/web/values.yaml', line: '7', endLine: '7', col: '8', endColumn: '15' }]
    ])
    const message = annotations(result)[0]!.message.split('\n')
    expect(message).toContain('Rendered at rendered/web.yaml:37:18 from web/templates/deployment.yaml.')
    expect(message.some((line) => line.startsWith('Fix: '))).toBe(true)
    expect(result.commands.filter((c) => c.command === 'error' && c.properties['file'] === undefined).map((c) => c.message)).toEqual([
      'pullcheck found 1 error (tag-not-found); fail-on is error.'
    ])

    const summary = result.summary
    expect(summary.startsWith('## pullcheck: ❌ 1 image will not pull\n')).toBe(true)
    expect(summary).toContain('**Check failed:** pullcheck found 1 error (tag-not-found); fail-on is error.')
    const rows = summary.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Line'))
    expect(rows.map((row) => row.split(' | ')[0] + ' | ' + row.split(' | ')[1])).toEqual([
      '| 34 | <code>' + `${host}/acme/migrate:1.4.0` + '</code>',
      '| 37 | <code>' + `${host}/acme/web:1.4.3` + '</code>',
      '| 42 | <code>' + `${host}/acme/log-shipper:2.0.1` + '</code>',
      '| 61 | <code>' + `${host}/acme/cache:7.2.4` + '</code>',
      '| 16 | <code>' + `${host}/acme/worker:3.1.0` + '</code>'
    ])
    expect(rows.filter((row) => row.endsWith('✅ will pull |'))).toHaveLength(4)
    expect(rows[1]).toContain('❌ **tag-not-found**')
    expect(rows[1]).toContain('(set at <code>charts/web/values.yaml:7</code>)')
    expect(rows[0]).toContain('linux/amd64')

    expect(result.outputs).toMatchObject({ errors: '1', warnings: '0', images: '5', 'unique-images': '5', 'sarif-file': path.join(workspace, 'pullcheck.sarif') })
    expect(result.outputs['findings-json']!.startsWith(result.runnerTemp + path.sep)).toBe(true)
    const json = JSON.parse(await readFile(result.outputs['findings-json']!, 'utf8')) as { findings: Array<{ file: string; line: number; related: Array<{ file: string; line: number }> }> }
    assertMatchesSchema('scan.schema.json', json)
    expect(json.findings.map((f) => [f.file, f.line, f.related.map((r) => `${r.file}:${r.line}`)])).toEqual([
      ['rendered/web.yaml', 37, ['charts/web/values.yaml:5', 'charts/web/values.yaml:6', 'charts/web/values.yaml:7']]
    ])
    const sarif = JSON.parse(await readFile(path.join(workspace, 'pullcheck.sarif'), 'utf8')) as {
      runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }> }> }>
    }
    assertMatchesSchema('sarif-github.schema.json', sarif)
    expect(sarif.runs[0]!.results.map((r) => [r.ruleId, r.locations[0]!.physicalLocation.artifactLocation.uri, r.locations[0]!.physicalLocation.region.startLine, r.locations[0]!.physicalLocation.region.startColumn])).toEqual([
      ['tag-not-found', 'charts/web/values.yaml', 7, 8]
    ])

    // The changed files came from the API, paginated, with the token; no check run for one annotation.
    const apiRequests = apiWithChecks.requests.slice(requestsBefore)
    expect(apiRequests.map((r) => [r.method, r.path, r.query['per_page'], r.authorization])).toEqual([['GET', `/repos/acme/shop/pulls/${BROKEN_PR}/files`, '100', `token ${TOKEN}`]])
    // The GitHub token and the other registry's credentials never reach this registry.
    for (const request of proxy.requests) {
      expect(request.authorization ?? '').not.toContain(TOKEN)
      expect(request.authorization ?? '').not.toContain(Buffer.from(`canary-user:${CANARY_PASSWORD}`).toString('base64'))
    }
  })

  it('the same pull request with the tag fixed passes (changed files from git, no token)', async () => {
    const requestsBefore = apiWithChecks.requests.length
    const result = await run(binary, FIXED_PR, 'fixed', { token: '' })
    expect(result.code, result.stderr).toBe(0)
    expect(annotations(result)).toEqual([])
    expect(result.commands.filter((c) => c.command === 'error')).toEqual([])
    expect(result.summary.startsWith('## pullcheck: ✅ All 5 images will pull\n')).toBe(true)
    expect(result.summary).toContain('| 37 | <code>' + `${host}/acme/web:1.5.0` + '</code>')
    expect(result.outputs).toMatchObject({ errors: '0', warnings: '0', images: '5', 'unique-images': '5' })
    expect(result.outputs['sarif-file']).toBeUndefined()
    expect(apiWithChecks.requests.length).toBe(requestsBefore)
  })

  it('more findings than GitHub shows: all of them on a check run on the head SHA, in batches of 50', async () => {
    const requestsBefore = apiWithChecks.requests.length
    const result = await run(binary, MANY_PR, 'many')
    expect(result.code, result.stderr).toBe(1)
    expect(annotations(result)).toEqual([])
    const requests = apiWithChecks.requests.slice(requestsBefore)
    const checkRequests = requests.filter((r) => r.path.includes('/check-runs'))
    const bodies = checkRequests.map((r) => r.body as { head_sha?: string; status?: string; conclusion?: string; output: { annotations: unknown[] } })
    expect(checkRequests.map((r, i) => [r.method, bodies[i]!.status ?? null, bodies[i]!.conclusion ?? null, bodies[i]!.output.annotations.length])).toEqual([
      ['POST', 'in_progress', null, 50],
      ['PATCH', 'completed', 'failure', MANY_IMAGES + 1 - 50]
    ])
    expect(bodies[0]!.head_sha).toBe(commits['many'])
    const checkRun = apiWithChecks.checkRuns.at(-1)!
    expect(checkRun.annotations).toHaveLength(MANY_IMAGES + 1)
    expect(checkRun.annotations[0]).toMatchObject({ path: 'deploy/many.yaml', start_line: 16, start_column: 18, annotation_level: 'failure', title: `tag-not-found: ${host}/acme/web:9.0.0` })
    expect(result.summary).toContain(`All ${MANY_IMAGES + 1} annotations are on [the pullcheck check run](https://github.com/acme/shop/runs/${checkRun.id}).`)
    expect(result.outputs['errors']).toBe(String(MANY_IMAGES + 1))
    // An image string with a newline and `::` cannot inject a workflow command.
    expect(result.stdout.split('\n').filter((line) => line.includes('::warning::injected'))).toEqual([])
  })

  it('without checks: write, the ten most important errors as workflow commands and the rest in the summary', async () => {
    const result = await run(binary, MANY_PR, 'many', { api: apiReadOnly })
    expect(result.code, result.stderr).toBe(1)
    const shown = annotations(result)
    expect(shown).toHaveLength(10)
    expect(shown.every((c) => c.command === 'error' && c.properties['file'] === 'deploy/many.yaml')).toBe(true)
    expect(shown.map((c) => Number(c.properties['line']))).toEqual(Array.from({ length: 10 }, (_, i) => 16 + 2 * i))
    expect(result.summary).toContain(`GitHub shows at most 10 annotations of each level per step; ${MANY_IMAGES + 1 - 10} more findings are listed here`)
    expect(result.stdout.split('\n').filter((line) => /^\s*::warning::injected/.test(line))).toEqual([])
    expect(apiReadOnly.checkRuns).toEqual([])
  })

  it('a pull request from a fork: the private image it cannot verify is named in the summary and does not fail the check', async () => {
    const result = await run(binary, FORK_PR, 'private', { fork: true })
    expect(result.code, result.stderr).toBe(0)
    expect(result.summary.startsWith('## pullcheck: ⚠️ 1 of 6 images could not be verified; the others will pull\n')).toBe(true)
    expect(result.summary).toContain(`| 8 | <code>${privateRegistry.host}/acme/private:1.0.0</code> |  |  |  | ❔ could not verify without the repository's secrets<br>❔ **auth-required**`)
    expect(annotations(result)).toEqual([])
    expect(result.summary).toContain(`### Pull request from a fork`)
    expect(result.summary).toContain(`- <code>${privateRegistry.host}/acme/private:1.0.0</code>`)
    expect(result.outputs['errors']).toBe('0')
  })

  it('scope changed: only the image line the pull request changed costs registry requests; check-touched-workloads rechecks the rest', async () => {
    const migrateManifest = '/v2/acme/migrate/manifests/1.3.0'
    const before = proxy.requests.length
    const result = await run(binary, TOUCH_PR, 'touch')
    expect(result.code, result.stderr).toBe(0)
    expect(annotations(result)).toEqual([])
    expect(proxy.requests.slice(before).filter((request) => request.path === migrateManifest)).toEqual([])
    expect(proxy.requests.slice(before).filter((request) => request.path === '/v2/acme/cache/manifests/7.2.4')).toHaveLength(1)
    expect(result.summary.split('\n')[0]).toBe('## pullcheck: ✅ 5 of 6 images will pull; the others were not checked')
    const rows = result.summary.split('\n').filter((line) => line.startsWith('| 14 | ') || line.startsWith('| 16 | <code>' + `${host}/acme/cache`))
    expect(rows).toEqual([
      `| 14 | <code>${host}/acme/migrate:1.3.0</code> |  |  |  | ➖ not checked: the pull request did not change it (check-touched-workloads: true checks every image of the changed files) |`,
      expect.stringMatching(new RegExp(`^\\| 16 \\| <code>${host.replaceAll('.', '\\.')}/acme/cache:7\\.2\\.4</code> .*✅ will pull \\|$`))
    ])

    const touched = await run(binary, TOUCH_PR, 'touch', { inputs: { 'check-touched-workloads': 'true' } })
    expect(touched.code, touched.stderr).toBe(1)
    expect(annotations(touched).map((c) => [c.command, c.properties['file'], c.properties['line'], c.properties['title']])).toEqual([
      ['error', 'deploy/jobs/cleanup.yaml', '14', `tag-not-found: ${host}/acme/migrate:1.3.0`]
    ])
  })

  it('workflow_dispatch: a full scan of everything under paths, traced to values.yaml all the same', async () => {
    git('checkout', '-q', '--detach', commits['broken']!)
    const payload = JSON.parse(await readFile(path.join(repoRoot, 'fixtures', 'action', 'events', 'workflow_dispatch.json'), 'utf8')) as Record<string, unknown>
    const requestsBefore = apiWithChecks.requests.length
    const result = await runBuiltAction({ node: binary, workspace, eventName: 'workflow_dispatch', payload, sha: commits['broken']!, githubToken: TOKEN, apiUrl: apiWithChecks.url, inputs: { paths: 'rendered' } })
    runnerTemps.push(result.runnerTemp)
    expect(result.code, result.stderr).toBe(1)
    expect(annotations(result).map((c) => [c.command, c.properties['file'], c.properties['line']])).toEqual([['error', 'charts/web/values.yaml', '7']])
    expect(result.summary).toContain('Full scan (workflow\\_dispatch): everything under rendered · 5 images (5 unique) · 1 error, 0 warnings · fail-on: error')
    expect(apiWithChecks.requests.length).toBe(requestsBefore)
  })

  it('rendered output outside the workspace (helm template > "$RUNNER_TEMP/web.yaml") is traced to values.yaml too', async () => {
    git('checkout', '-q', '--detach', commits['broken']!)
    const outside = await mkdtemp(path.join(tmpdir(), 'pullcheck-rendered-'))
    runnerTemps.push(outside)
    await cp(path.join(workspace, 'rendered', 'web.yaml'), path.join(outside, 'web.yaml'))
    const payload = JSON.parse(await readFile(path.join(repoRoot, 'fixtures', 'action', 'events', 'workflow_dispatch.json'), 'utf8')) as Record<string, unknown>
    const result = await runBuiltAction({ node: binary, workspace, eventName: 'workflow_dispatch', payload, sha: commits['broken']!, githubToken: TOKEN, apiUrl: apiWithChecks.url, inputs: { paths: 'deploy/overlays', rendered: path.join(outside, '*.yaml') } })
    runnerTemps.push(result.runnerTemp)
    expect(result.code, result.stderr).toBe(1)
    const [error] = annotations(result)
    expect([error?.properties['file'], error?.properties['line'], error?.properties['col']]).toEqual(['charts/web/values.yaml', '7', '8'])
    expect(error!.message).toContain(`Rendered at ${path.join(outside, 'web.yaml')}:37:18 from web/templates/deployment.yaml.`)
    expect(result.summary).toContain(`### <code>${path.join(outside, 'web.yaml')}</code> (rendered)`)
  })

  it('a wrong input fails the check with one line naming it, without a stack trace', async () => {
    const result = await run(binary, FIXED_PR, 'fixed', { inputs: { 'fail-on': 'fatal' } })
    expect(result.code).toBe(1)
    expect(result.commands.filter((c) => c.command === 'error').map((c) => c.message)).toEqual(['pullcheck: input fail-on: expected one of error, warning, never; got "fatal"'])
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /)
    expect(existsSync(path.join(result.runnerTemp, 'output')) && readFileSync(path.join(result.runnerTemp, 'output'), 'utf8')).toBe('')
  })
})
