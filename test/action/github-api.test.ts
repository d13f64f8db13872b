// The action's GitHub REST calls against the local stand-in (test/support/github-api.ts), which
// reproduces GitHub's documented pagination (Link headers, 3000-file cap) and the Checks API's
// 50-annotations-per-request limit and 403 for read-only tokens.
import { afterEach, describe, expect, it } from 'vitest'
import { createGitHubClient, listPullRequestFiles, publishCheckRun } from '../../src/action/github-api.js'
import type { Annotation } from '../../src/reports/annotations.js'
import { startFakeGitHubApi, type FakeGitHubApi } from '../support/github-api.js'

const TOKEN = 'ghs_test_token_91f2'
let api: FakeGitHubApi | undefined

afterEach(async () => {
  await api?.stop()
  api = undefined
})

function annotations(count: number): Annotation[] {
  return Array.from({ length: count }, (_, i) => ({
    level: i % 2 === 0 ? 'error' : 'warning',
    file: `deploy/f${i}.yaml`,
    startLine: i + 1,
    startColumn: 3,
    endColumn: 9,
    title: `tag-not-found: img:${i}`,
    message: `message ${i}`,
    inChange: false
  }))
}

describe('listPullRequestFiles', () => {
  it('follows every page by the Link header and keeps status and patch', async () => {
    const files = Array.from({ length: 230 }, (_, i) => ({ filename: `deploy/f${i}.yaml`, patch: `@@ -0,0 +1 @@\n+line ${i}` }))
    files[5] = { filename: 'deploy/gone.yaml', status: 'removed' } as never
    api = await startFakeGitHubApi({ owner: 'acme', repo: 'shop', token: TOKEN, pulls: { 7: files } })
    const client = createGitHubClient(TOKEN, api.url)
    const listed = await listPullRequestFiles(client, { owner: 'acme', repo: 'shop', pullNumber: 7 })
    expect(listed.truncated).toBe(false)
    expect(listed.files).toHaveLength(230)
    expect(listed.files[5]).toEqual({ filename: 'deploy/gone.yaml', status: 'removed' })
    expect(listed.files[229]).toEqual({ filename: 'deploy/f229.yaml', status: 'modified', patch: '@@ -0,0 +1 @@\n+line 229' })
    expect(api.requests.map((r) => [r.method, r.path, r.query['page'] ?? null, r.query['per_page']])).toEqual([
      ['GET', '/repos/acme/shop/pulls/7/files', null, '100'],
      ['GET', '/repositories/1296269/pulls/7/files', '2', '100'],
      ['GET', '/repositories/1296269/pulls/7/files', '3', '100']
    ])
    expect(new Set(api.requests.map((r) => r.authorization))).toEqual(new Set([`token ${TOKEN}`]))
  })

  it('reports GitHub\'s 3000-file cap', async () => {
    const files = Array.from({ length: 3200 }, (_, i) => ({ filename: `f${i}.yaml` }))
    api = await startFakeGitHubApi({ owner: 'acme', repo: 'shop', token: TOKEN, pulls: { 9: files } })
    const listed = await listPullRequestFiles(createGitHubClient(TOKEN, api.url), { owner: 'acme', repo: 'shop', pullNumber: 9 })
    expect(listed.files).toHaveLength(3000)
    expect(listed.truncated).toBe(true)
    expect(api.requests).toHaveLength(30)
  })
})

describe('publishCheckRun', () => {
  it('creates the check run on the head SHA with 50 annotations, then appends the rest in batches of 50', async () => {
    api = await startFakeGitHubApi({ owner: 'acme', repo: 'shop', token: TOKEN, checks: 'write' })
    const all = annotations(123)
    const outcome = await publishCheckRun(createGitHubClient(TOKEN, api.url), {
      owner: 'acme',
      repo: 'shop',
      headSha: 'a'.repeat(40),
      name: 'pullcheck',
      conclusion: 'failure',
      title: '3 images will not pull',
      summary: 'details',
      annotations: all
    })
    expect(outcome).toEqual({ ok: true, id: 4000, url: 'https://github.com/acme/shop/runs/4000', annotations: 123 })
    const bodies = api.requests.map((r) => [r.method, r.path, (r.body as { status?: string }).status ?? null, (r.body as { output: { annotations: unknown[] } }).output.annotations.length])
    expect(bodies).toEqual([
      ['POST', '/repos/acme/shop/check-runs', 'in_progress', 50],
      ['PATCH', '/repos/acme/shop/check-runs/4000', null, 50],
      ['PATCH', '/repos/acme/shop/check-runs/4000', 'completed', 23]
    ])
    expect(api.checkRuns).toHaveLength(1)
    const run = api.checkRuns[0]!
    expect([run.headSha, run.name, run.status, run.conclusion, run.title, run.annotations.length]).toEqual(['a'.repeat(40), 'pullcheck', 'completed', 'failure', '3 images will not pull', 123])
    expect(run.annotations[1]).toEqual({
      path: 'deploy/f1.yaml',
      start_line: 2,
      end_line: 2,
      start_column: 3,
      end_column: 9,
      annotation_level: 'warning',
      message: 'message 1',
      title: 'tag-not-found: img:1'
    })
    expect((run.annotations[0] as { annotation_level: string }).annotation_level).toBe('failure')
  })

  it('creates a completed run in one request when 50 or fewer annotations', async () => {
    api = await startFakeGitHubApi({ owner: 'acme', repo: 'shop', token: TOKEN, checks: 'write' })
    const outcome = await publishCheckRun(createGitHubClient(TOKEN, api.url), { owner: 'acme', repo: 'shop', headSha: 'b'.repeat(40), name: 'pullcheck', conclusion: 'success', title: 't', summary: 's', annotations: annotations(50) })
    expect(outcome.ok).toBe(true)
    expect(api.requests.map((r) => [r.method, (r.body as { status: string; conclusion: string }).status, (r.body as { conclusion: string }).conclusion])).toEqual([['POST', 'completed', 'success']])
  })

  it('returns the 403 of a read-only token instead of throwing', async () => {
    api = await startFakeGitHubApi({ owner: 'acme', repo: 'shop', token: TOKEN, checks: 'forbidden' })
    const outcome = await publishCheckRun(createGitHubClient(TOKEN, api.url), { owner: 'acme', repo: 'shop', headSha: 'c'.repeat(40), name: 'pullcheck', conclusion: 'failure', title: 't', summary: 's', annotations: annotations(60) })
    expect(outcome).toMatchObject({ ok: false, status: 403 })
    expect(api.checkRuns).toHaveLength(0)
  })
})
