// What the action scans for each event: the event context from real-shaped payloads, path specs,
// the changed files from git (no token) and from the pull request files API, and the fallbacks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eventContext } from '../../src/action/event.js'
import { createGitHubClient } from '../../src/action/github-api.js'
import { readActionInputs } from '../../src/action/inputs.js'
import { matchesPathSpecs, planScan, registrySelection, UNCHANGED_IMAGE_REASON, type ScanPlan } from '../../src/action/scope.js'
import { silentLogger } from '../../src/logger.js'
import { startFakeGitHubApi } from '../support/github-api.js'
import { anImage } from './builders.js'
import { repoRoot } from '../support/node-binaries.js'

async function payload(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(repoRoot, 'fixtures', 'action', 'events', `${name}.json`), 'utf8')) as Record<string, unknown>
}

const env = (eventName: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  GITHUB_EVENT_NAME: eventName,
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_SHA: 'e5bd3914e2e596debea16f433f57875b5b90bcd6',
  GITHUB_WORKSPACE: '/home/runner/work/shop/shop',
  ...extra
})

describe('eventContext', () => {
  it('reads a pull_request event: head SHA, not the merge commit', async () => {
    const context = eventContext(env('pull_request'), await payload('pull_request'), '/cwd')
    expect(context).toEqual({
      eventName: 'pull_request',
      repository: { owner: 'acme', repo: 'shop' },
      pullRequest: { number: 7, baseSha: '9c2f1b9d0d0e5a8b5b1f7a1c3e4d5f60718293a4', headSha: '5d41402abc4b2a76b9719d911017c592aa0f1d2e', fromFork: false, changedFiles: 2 },
      mergeGroup: null,
      headSha: '5d41402abc4b2a76b9719d911017c592aa0f1d2e',
      sha: 'e5bd3914e2e596debea16f433f57875b5b90bcd6',
      withoutSecrets: false,
      workspace: '/home/runner/work/shop/shop'
    })
  })

  it('knows a fork pull request has no secrets, but pull_request_target does', async () => {
    const fork = await payload('pull_request_fork')
    expect(eventContext(env('pull_request'), fork, '/cwd')).toMatchObject({ withoutSecrets: true, pullRequest: { fromFork: true } })
    expect(eventContext(env('pull_request_target'), fork, '/cwd')).toMatchObject({ withoutSecrets: false, pullRequest: { fromFork: true } })
  })

  it('reads merge_group and workflow_dispatch events', async () => {
    const group = eventContext(env('merge_group'), await payload('merge_group'), '/cwd')
    expect([group.mergeGroup, group.headSha, group.pullRequest]).toEqual([
      { baseSha: '9c2f1b9d0d0e5a8b5b1f7a1c3e4d5f60718293a4', headSha: '8f14e45fceea167a5a36dedd4bea2543aa1f2f6c' },
      '8f14e45fceea167a5a36dedd4bea2543aa1f2f6c',
      null
    ])
    const dispatch = eventContext(env('workflow_dispatch'), await payload('workflow_dispatch'), '/cwd')
    expect([dispatch.pullRequest, dispatch.mergeGroup, dispatch.headSha]).toEqual([null, null, 'e5bd3914e2e596debea16f433f57875b5b90bcd6'])
    expect(eventContext({}, {}, '/cwd')).toMatchObject({ eventName: '', repository: null, headSha: null, workspace: '/cwd' })
  })
})

describe('matchesPathSpecs', () => {
  it.each([
    ['deploy/app.yaml', ['.'], true],
    ['deploy/app.yaml', ['./deploy/'], true],
    ['deploy-old/app.yaml', ['deploy'], false],
    ['deploy/app.yaml', ['deploy/app.yaml'], true],
    ['deploy/nested/app.yml', ['deploy/**/*.yml'], true],
    ['charts/web/.hidden/app.yaml', ['charts/**/*.yaml'], true],
    ['other/app.yaml', ['deploy', 'charts/**'], false]
  ])('%s in %j: %s', (file, specs, expected) => {
    expect(matchesPathSpecs(file, specs)).toBe(expected)
  })
})

describe('planScan', () => {
  let repo: string
  let base: string
  let head: string
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' }).trim()
  const inputs = (values: Record<string, string> = {}): ReturnType<typeof readActionInputs> => readActionInputs((name) => values[name] ?? '')
  const prContext = (): ReturnType<typeof eventContext> => ({
    eventName: 'pull_request',
    repository: { owner: 'acme', repo: 'shop' },
    pullRequest: { number: 7, baseSha: base, headSha: head, fromFork: false, changedFiles: 4 },
    mergeGroup: null,
    headSha: head,
    sha: null,
    withoutSecrets: false,
    workspace: repo
  })

  beforeAll(async () => {
    repo = await mkdtemp(path.join(tmpdir(), 'pullcheck-scope-'))
    git('init', '-q', '-b', 'main')
    for (const dir of ['deploy', 'docs', 'charts/web', 'out']) await mkdir(path.join(repo, dir), { recursive: true })
    await writeFile(path.join(repo, 'deploy', 'app.yaml'), 'a: 1\n')
    await writeFile(path.join(repo, 'deploy', 'untouched.yaml'), 'a: 1\n')
    await writeFile(path.join(repo, 'charts', 'web', 'values.yaml'), 'image:\n  tag: "1"\n')
    await writeFile(path.join(repo, 'charts', 'web', 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 1.0.0\n')
    await mkdir(path.join(repo, 'charts', 'web', 'templates'))
    await writeFile(path.join(repo, 'charts', 'web', 'templates', 'deploy.yaml'), 'kind: Deployment\n')
    git('add', '-A')
    git('commit', '-q', '-m', 'base')
    base = git('rev-parse', 'HEAD')
    await writeFile(path.join(repo, 'deploy', 'app.yaml'), 'a: 2\n')
    await writeFile(path.join(repo, 'docs', 'notes.md'), 'x\n')
    await writeFile(path.join(repo, 'docs', 'example.yaml'), 'x: 1\n')
    await writeFile(path.join(repo, 'charts', 'web', 'values.yaml'), 'image:\n  tag: "2"\n')
    await writeFile(path.join(repo, 'charts', 'web', 'templates', 'deploy.yaml'), 'kind: Deployment\nmetadata: {}\n')
    await writeFile(path.join(repo, 'out', 'rendered.yaml'), 'kind: Deployment\n')
    git('add', '-A')
    git('commit', '-q', '-m', 'head')
    head = git('rev-parse', 'HEAD')
  })

  afterAll(async () => {
    await rm(repo, { recursive: true, force: true })
  })

  it('without a token, lists the changed manifests inside paths with git (chart values are not manifests; rendered files come through their globs)', async () => {
    const plan = await planScan(inputs({ paths: 'deploy, charts, out', rendered: 'out/*.yaml' }), prContext(), null, silentLogger)
    expect(plan.paths).toEqual(['charts/web/templates/deploy.yaml', 'deploy/app.yaml', 'out/*.yaml'])
    expect(plan.onlyChangedLines).toBe(true)
    expect(plan.changes?.source).toBe('git')
    expect([...plan.changes!.lines.get('charts/web/values.yaml')!]).toEqual([2])
    expect(plan.description).toBe('2 changed manifest files of pull request #7, plus the rendered files (out/*.yaml)')
    expect(plan.notes).toEqual([])
  })

  it('with check-touched-workloads and scope all', async () => {
    expect((await planScan(inputs({ 'check-touched-workloads': 'true' }), prContext(), null, silentLogger)).onlyChangedLines).toBe(false)
    const all = await planScan(inputs({ scope: 'all' }), prContext(), null, silentLogger)
    expect([all.paths, all.onlyChangedLines, all.description]).toEqual([['.'], false, 'Full scan of pull request #7 (scope: all): everything under .'])
    expect(all.changes?.files).toEqual(['charts/web/templates/deploy.yaml', 'charts/web/values.yaml', 'deploy/app.yaml', 'docs/example.yaml', 'docs/notes.md', 'out/rendered.yaml'])
  })

  it('scans everything on push and workflow_dispatch', async () => {
    const plan = await planScan(inputs({ rendered: 'out/*.yaml' }), { ...prContext(), eventName: 'workflow_dispatch', pullRequest: null }, null, silentLogger)
    expect([plan.paths, plan.changes, plan.description]).toEqual([['.', 'out/*.yaml'], null, 'Full scan (workflow_dispatch): everything under ., plus the rendered files (out/*.yaml)'])
  })

  it('falls back to a full scan, with a note, when the base commit is not in the checkout', async () => {
    const context = prContext()
    context.pullRequest!.baseSha = 'f'.repeat(40)
    const plan = await planScan(inputs(), context, null, silentLogger)
    expect(plan.paths).toEqual(['.'])
    expect(plan.notes).toEqual([
      'The base commit ffffffffffff is not in the checkout, so the changed files could not be listed with git; use actions/checkout with fetch-depth: 0, or give the action a github-token.',
      'The changed files could not be listed, so everything under `paths` was scanned.'
    ])
  })

  it('with a token, lists the files through the API and reads the added lines from each patch', async () => {
    const api = await startFakeGitHubApi({
      owner: 'acme',
      repo: 'shop',
      token: 'tok',
      pulls: {
        7: [
          { filename: 'deploy/app.yaml', patch: '@@ -1 +1 @@\n-a: 1\n+a: 2' },
          { filename: 'deploy/removed.yaml', status: 'removed' },
          { filename: 'charts/web/values.yaml', patch: '@@ -1,2 +1,2 @@\n image:\n-  tag: "1"\n+  tag: "2"' },
          { filename: 'deploy/missing-on-disk.yaml' }
        ]
      }
    })
    try {
      const plan = await planScan(inputs(), prContext(), createGitHubClient('tok', api.url), silentLogger)
      expect(plan.changes?.source).toBe('api')
      expect(plan.paths).toEqual(['deploy/app.yaml'])
      expect([...plan.changes!.lines.get('charts/web/values.yaml')!]).toEqual([2])
      expect(plan.changes!.lines.get('deploy/missing-on-disk.yaml')).toBeNull()
    } finally {
      await api.stop()
    }
  })

  it('falls back to git when the API refuses', async () => {
    const api = await startFakeGitHubApi({ owner: 'acme', repo: 'shop', token: 'other' })
    try {
      const plan = await planScan(inputs(), prContext(), createGitHubClient('wrong', api.url), silentLogger)
      expect(plan.changes?.source).toBe('git')
      expect(plan.notes).toHaveLength(1)
      expect(plan.notes[0]).toMatch(/^The GitHub API did not list the changed files \(Bad credentials.*\); they came from git\.$/)
    } finally {
      await api.stop()
    }
  })
})

describe('registrySelection', () => {
  const changedPlan = (onlyChangedLines: boolean): ScanPlan => ({
    paths: ['deploy/app.yaml', 'out/*.yaml'],
    changes: { files: ['deploy/app.yaml', 'deploy/sa.yaml'], lines: new Map([['deploy/app.yaml', new Set([10])], ['deploy/sa.yaml', new Set([7])], ['deploy/big.yaml', null]]), source: 'git' },
    onlyChangedLines,
    description: '',
    notes: []
  })
  const ref = (file: string, line: number) => ({ name: 'regcred', file, line, column: 9 })

  it('without check-touched-workloads: the images whose line or pull-secret reference the change touched, and every rendered image', () => {
    const selection = registrySelection(changedPlan(true), ['out/*.yaml'])!
    expect(selection.reason).toBe(UNCHANGED_IMAGE_REASON)
    expect(selection.select(anImage({ file: 'deploy/app.yaml', line: 10 }), [])).toBe(true)
    expect(selection.select(anImage({ file: 'deploy/app.yaml', line: 12 }), [])).toBe(false)
    expect(selection.select(anImage({ file: 'deploy/app.yaml', line: 12 }), [ref('deploy/sa.yaml', 7)])).toBe(true)
    expect(selection.select(anImage({ file: 'deploy/app.yaml', line: 12 }), [ref('deploy/sa.yaml', 8)])).toBe(false)
    expect(selection.select(anImage({ file: 'out/web.yaml', line: 40 }), [])).toBe(true)
    // A file whose patch GitHub did not send counts as changed throughout.
    expect(selection.select(anImage({ file: 'deploy/big.yaml', line: 3 }), [])).toBe(true)
  })

  it('selects everything with check-touched-workloads, with scope all, and when the changes are unknown', () => {
    expect(registrySelection(changedPlan(false), [])).toBeUndefined()
    expect(registrySelection({ ...changedPlan(false), changes: null }, [])).toBeUndefined()
  })
})
