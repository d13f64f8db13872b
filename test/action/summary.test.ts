// The job summary: verdict line, per-file tables, the sections for what annotations could not show,
// unverified images, forks, the pull budget and unreadable files, escaping, and the 1 MiB cut.
import { describe, expect, it } from 'vitest'
import type { ReportedFinding } from '../../src/reports/annotations.js'
import { renderSummary, verdict, type SummaryInput } from '../../src/reports/summary.js'
import type { ScanResult } from '../../src/model.js'
import { aFinding, aResult, anImage, unverified } from './builders.js'

function reportedOf(result: ScanResult, overrides: Partial<ReportedFinding> = {}): ReportedFinding[] {
  return result.findings.map((finding) => ({ finding, trace: null, location: { file: finding.file, line: finding.line, column: finding.column }, inChange: true, notCounted: null, ...overrides }))
}

function input(result: ScanResult, overrides: Partial<SummaryInput> = {}): SummaryInput {
  return {
    result,
    reported: reportedOf(result),
    scope: '2 changed manifest files of pull request #7',
    renderedFiles: new Set(),
    failOn: 'error',
    failure: null,
    annotations: { disabled: false, shown: 0, overflow: [], checkRun: null },
    forkPullRequest: false,
    notes: [],
    version: '0.1.0',
    ...overrides
  }
}

describe('verdict', () => {
  it('counts distinct images', () => {
    const ok = anImage()
    const again = anImage({ line: 30 })
    const broken = anImage({ line: 40, image: 'ghcr.io/acme/api:9', reference: null, status: 'problem', facts: null })
    const lost = unverified({ status: 'unreachable', detail: 'dial tcp: connection refused', cause: 'connection-refused' }, { line: 50, image: 'registry.local/x:1', reference: null })
    expect(verdict(aResult([ok, again], []))).toEqual({ icon: '✅', text: 'All 1 image will pull' })
    expect(verdict(aResult([ok, broken, lost], []))).toEqual({ icon: '❌', text: '1 image will not pull, 1 could not be verified' })
    expect(verdict(aResult([ok, lost], []))).toEqual({ icon: '⚠️', text: '1 of 2 images could not be verified; the others will pull' })
    expect(verdict(aResult([], []))).toEqual({ icon: '✅', text: 'No container images in the scanned files' })
    expect(verdict(aResult([], [aFinding({ rule: 'unparseable-file', image: null, canonical: null })]))).toEqual({ icon: '❌', text: 'No images checked, 1 file problem' })
  })

  it('counts an image that only a run with secrets could settle as unverified', () => {
    const privateUse = aFinding({ rule: 'auth-required', line: 40 })
    const broken = anImage({ line: 40, image: 'ghcr.io/acme/api:9', reference: null, status: 'problem', facts: null })
    const result = aResult([anImage(), broken], [privateUse])
    const fork: ReportedFinding[] = [{ finding: privateUse, trace: null, location: privateUse, inChange: true, notCounted: 'fork' }]
    expect(verdict(result, fork)).toEqual({ icon: '⚠️', text: '1 of 2 images could not be verified; the others will pull' })
    expect(verdict(result, [{ ...fork[0]!, notCounted: null }])).toEqual({ icon: '❌', text: '1 image will not pull' })
  })
})

describe('renderSummary', () => {
  it('renders the verdict, a table per file and the failure', () => {
    const ok = anImage({ image: 'ghcr.io/acme/web:1.4.2' })
    const brokenUse = aFinding({ line: 20, column: 18 })
    const broken = anImage({ line: 20, image: 'ghcr.io/acme/web:1.4.3', reference: null, status: 'problem', facts: null })
    const result = aResult([ok, broken], [brokenUse])
    const markdown = renderSummary(input(result, { failure: 'pullcheck found 1 error (tag-not-found); fail-on is error.' }))
    expect(markdown.split('\n')).toEqual([
      '## pullcheck: ❌ 1 image will not pull',
      '',
      '2 changed manifest files of pull request #7 · 2 images (2 unique) · 1 error, 0 warnings · fail-on: error',
      '',
      '**Check failed:** pullcheck found 1 error (tag-not-found); fail-on is error.',
      '',
      '### <code>deploy/app.yaml</code>',
      '',
      '| Line | Image | Digest | Platforms | Size | Verdict |',
      '|---:|---|---|---|---|---|',
      '| 10 | <code>ghcr.io/acme/web:1.4.2</code> | <code>sha256:ab12ab12ab12</code> | linux/amd64, linux/arm64 | 28.0 MiB–30.0 MiB | ✅ will pull |',
      '| 20 | <code>ghcr.io/acme/web:1.4.3</code> |  |  |  | ❌ **tag-not-found**: manifest unknown: tag 1.4.3 does not exist in ghcr.io/acme/web Fix: Use an existing tag: did you mean 1.4.2? |',
      '',
      '<sub>pullcheck 0.1.0 · 1 file · 1.2 s</sub>',
      ''
    ])
  })

  it('lists findings beyond the annotation cap, or points at the check run', () => {
    const result = aResult([anImage()], [aFinding()])
    const overflow = [{ level: 'error' as const, file: 'charts/web/values.yaml', startLine: 7, title: 'tag-not-found: acme/web:2', message: 'first line\nsecond', inChange: true }]
    const listed = renderSummary(input(result, { annotations: { disabled: false, shown: 10, overflow, checkRun: null } }))
    expect(listed).toContain('### Findings not annotated\n\nGitHub shows at most 10 annotations of each level per step; 1 more finding is listed here (and in the `findings-json` report):\n\n- ❌ <code>charts/web/values.yaml:7</code> **tag-not-found: acme/web:2**: first line\n')
    const onCheckRun = renderSummary(input(result, { annotations: { disabled: false, shown: 0, overflow: [], checkRun: { url: 'https://github.com/o/r/runs/5', annotations: 61 } } }))
    expect(onCheckRun).toContain('All 61 annotations are on [the pullcheck check run](https://github.com/o/r/runs/5).')
    expect(onCheckRun).not.toContain('Findings not annotated')
  })

  it('says what could not be verified and why, the pull budget, unreadable files and notes', () => {
    const lost = unverified({ status: 'rate-limited', detail: 'toomanyrequests: pull rate limit reached' }, { image: 'nginx:1.27', reference: null })
    const result = aResult([lost, anImage({ line: 30, image: 'nginx:1.27', reference: null, status: 'unverified', facts: null, failure: lost.failure })], [], {
      rateLimit: { limit: 100, remaining: 3, windowSeconds: 21600, retryAfterSeconds: null },
      diagnostics: [
        { file: 'deploy/broken.yaml', line: 4, code: 'yaml-syntax', severity: 'error', message: 'YAML syntax error: unexpected end of map' },
        { file: 'deploy/broken.yaml', line: 4, code: 'yaml-syntax', severity: 'error', message: 'YAML syntax error: unexpected end of map' },
        { file: 'charts/web/templates/deployment.yaml', line: 1, code: 'helm-chart-template', severity: 'notice', message: 'Helm chart template: scan the rendered output' }
      ]
    })
    const markdown = renderSummary(input(result, { notes: ['The changed files came from git.'] }))
    expect(markdown).toContain('### Could not verify\n\nThe registry could not be asked, so these are not verdicts:\n\n- <code>nginx:1.27</code> (<code>deploy/app.yaml:10</code>, 2 uses): rate-limited: toomanyrequests: pull rate limit reached\n')
    expect(markdown).toContain('**Docker Hub pull budget:** 3 of 100 pulls left per 6 hours (lowest seen during this run).')
    expect(markdown).toContain('### Files that could not be read\n\n- <code>deploy/broken.yaml:4</code>: YAML syntax error: unexpected end of map\n\n')
    expect(markdown).toContain('<details><summary>Notes from reading the files</summary>\n\n- <code>charts/web/templates/deployment.yaml:1</code>: Helm chart template: scan the rendered output')
    expect(markdown).toContain('> The changed files came from git.')
  })

  it('on a fork, names the private images that could not be verified; outside-change problems get their own list', () => {
    const authRequired = aFinding({ rule: 'auth-required', image: 'ghcr.io/acme/private:1', message: 'pull access denied', fix: 'Add a pull secret.' })
    const old = aFinding({ line: 40, message: 'old problem' })
    const result = aResult([anImage({ status: 'unverified', image: 'ghcr.io/acme/private:1', reference: null, facts: null })], [authRequired, old])
    const reported: ReportedFinding[] = [
      { finding: authRequired, trace: null, location: authRequired, inChange: true, notCounted: 'fork' },
      { finding: old, trace: null, location: old, inChange: false, notCounted: 'outside-change' }
    ]
    const markdown = renderSummary(input(result, { reported, forkPullRequest: true }))
    expect(markdown).toContain('2 changed manifest files of pull request #7 · 1 image (1 unique) · 0 errors, 0 warnings · fail-on: error')
    expect(markdown).toContain('### Pull request from a fork\n\nWorkflows triggered by a fork get no secrets, so these private images could not be verified. They do not fail this check; they are checked again after the merge:\n\n- <code>ghcr.io/acme/private:1</code>\n')
    expect(markdown).toContain("### Outside this pull request's changes\n\n1 problem on lines this pull request did not change.")
    expect(markdown).toContain('- <code>deploy/app.yaml:40</code> ❌ **tag-not-found** <code>ghcr.io/acme/web:1.4.3</code>: old problem')
  })

  it('escapes what would break the Markdown and never shows credentials', () => {
    const nasty = anImage({ image: 'evil.example/a|b:<script>`x`', reference: null, status: 'problem', facts: null })
    const finding = aFinding({ image: nasty.image, message: 'bad | <b>bold</b>\nnext', fix: 'use u:p@host/x instead? no: bob:hunter2@registry.example.com/app' })
    const markdown = renderSummary(input(aResult([nasty], [finding])))
    const row = markdown.split('\n').find((line) => line.startsWith('| 10 |'))!
    expect(row).toBe(
      '| 10 | <code>evil.example/a&#124;b:&lt;script&gt;`x`</code> |  |  |  | ❌ **tag-not-found**: bad &#124; &lt;b&gt;bold&lt;/b&gt; next Fix: use \\*\\*\\*@host/x instead? no: \\*\\*\\*@registry.example.com/app |'
    )
    expect(markdown).not.toContain('hunter2')
  })

  it('stays under the byte limit and says it was cut', () => {
    const images = Array.from({ length: 5000 }, (_, i) => anImage({ line: i + 1, image: `ghcr.io/acme/service-${i}:1.0.${i}`, reference: null }))
    const full = renderSummary(input(aResult(images, [])))
    expect(Buffer.byteLength(full)).toBeGreaterThan(200_000)
    expect(full).not.toContain('This summary was cut')
    const cut = renderSummary(input(aResult(images, []), { limitBytes: 100_000 }))
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(100_000)
    expect(cut.startsWith('## pullcheck: ✅ All 5000 images will pull\n')).toBe(true)
    expect(cut).toMatch(/> \*\*This summary was cut\*\* to stay under GitHub's 1 MiB limit per step: \d+ lines not shown\. Every finding is in the `findings-json` report\./)
    expect(cut.trimEnd().endsWith('</sub>')).toBe(true)
  })
})
