// The text report: exact layout, grouping, the summary line, colour only on request, no credentials.
import { describe, expect, it } from 'vitest'
import { renderText, summaryLine } from '../../src/reports/text.js'
import type { ScanResult } from '../../src/model.js'
import { LEAKED_PASSWORD, sampleResult } from './scan-result.js'

const ANSI_ESCAPE = /\u001b\[\d+m/g

function emptyResult(overrides: Partial<ScanResult['summary']> = {}): ScanResult {
  return {
    findings: [],
    diagnostics: [],
    images: [],
    summary: { files: 1, images: 3, uniqueImages: 2, errors: 0, warnings: 0, notices: 0, durationMs: 850, ...overrides },
    rateLimit: null
  }
}

describe('renderText', () => {
  it('groups by file, puts the fix under each finding and ends with the summary', () => {
    expect(renderText(sampleResult())).toBe(
      [
        'charts/api/templates/deployment.yaml:1  notice   helm-chart-template  Helm chart template: scan the output of helm template instead',
        '',
        'deploy/batch.yaml:9:16  error    credentials-in-reference  image ***@registry.example.com/jobs/nightly:3 carries credentials',
        '    fix: Remove the credentials from the image and use an imagePullSecret.',
        '',
        'deploy/broken.yaml:7:3  error    unparseable-file  YAML syntax error: Nested mappings are not allowed in compact mappings',
        '    fix: Fix the YAML so that the file parses.',
        '',
        'deploy/web.yaml:18:18  error    tag-not-found  manifest for ghcr.io/acme/web:v2.0.1 not found: manifest unknown; did you mean v2.0.0?',
        '    fix: Use a tag that exists: v2.0.0.',
        '    see: deploy/web.yaml:14:17  pull secret ghcr-pull is referenced here',
        'deploy/web.yaml:24:18  warning  latest-tag  nginx has no tag: it resolves to docker.io/library/nginx:latest, which changes under you',
        '    fix: Pin a version tag or a digest, e.g. nginx:1.27.',
        '',
        'rendered/api.yaml:31:20  warning  registry-unreachable  could not verify: lookup registry.internal.example.com: no such host',
        '    fix: Check the registry host name, or run where the registry is reachable.',
        '    from: charts/api/templates/deployment.yaml',
        '',
        '3 errors, 2 warnings in 5 images (5 unique, 1 not verified) across 4 files — 2.1s',
        ''
      ].join('\n')
    )
  })

  it('never prints a credential written into an image', () => {
    expect(renderText(sampleResult())).not.toContain(LEAKED_PASSWORD)
    expect(renderText(sampleResult(), { color: true })).not.toContain(LEAKED_PASSWORD)
  })

  it('adds colour only when asked, and the text under it is the same', () => {
    const plain = renderText(sampleResult())
    const coloured = renderText(sampleResult(), { color: true })
    expect(plain).not.toMatch(ANSI_ESCAPE)
    expect(coloured).toContain('\u001b[31merror  \u001b[39m')
    expect(coloured).toContain('\u001b[33mwarning\u001b[39m')
    expect(coloured.replace(ANSI_ESCAPE, '')).toBe(plain)
  })

  it('prints only the summary when there is nothing to report', () => {
    expect(renderText(emptyResult())).toBe('no problems in 3 images (2 unique) across 1 file — 850ms\n')
  })

  it('indents the continuation lines of a multi-line message', () => {
    const result = emptyResult({ errors: 1 })
    result.findings.push({
      rule: 'platform-mismatch',
      severity: 'error',
      file: 'a.yaml',
      line: 3,
      column: 9,
      image: 'app:1',
      canonical: 'docker.io/library/app:1',
      message: 'no match for platform in manifest\nthe image has: linux/amd64',
      fix: '',
      source: null
    })
    expect(renderText(result)).toBe(
      [
        'a.yaml:3:9  error    platform-mismatch  no match for platform in manifest',
        '    the image has: linux/amd64',
        '',
        '1 error in 3 images (2 unique) across 1 file — 850ms',
        ''
      ].join('\n')
    )
  })
})

describe('summaryLine', () => {
  it.each([
    [{ errors: 3, warnings: 1, notices: 0, images: 12, uniqueImages: 9, files: 4, durationMs: 2100 }, '3 errors, 1 warning in 12 images (9 unique) across 4 files — 2.1s'],
    [{ errors: 1, warnings: 0, notices: 2, images: 1, uniqueImages: 1, files: 1, durationMs: 61_500 }, '1 error, 2 notices in 1 image (1 unique) across 1 file — 1m 01s'],
    [{ errors: 0, warnings: 0, notices: 1, images: 0, uniqueImages: 0, files: 0, durationMs: 3 }, '1 notice in 0 images (0 unique) across 0 files — 3ms']
  ])('%j reads "%s"', (summary, expected) => {
    expect(summaryLine({ ...emptyResult(), summary })).toBe(expected)
  })
})
