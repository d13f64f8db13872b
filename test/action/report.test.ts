// Which findings count, where they are shown, the copies of the result for JSON and SARIF, and the
// one-line failure reason.
import { describe, expect, it } from 'vitest'
import { failureReason, reportFindings, resultAtTracedLines, resultWithTraces } from '../../src/action/report.js'
import type { ProvenanceTrace } from '../../src/provenance/index.js'
import { aFinding, aResult } from './builders.js'

const valuesTrace: ProvenanceTrace = {
  via: 'helm-values',
  lines: [
    { file: 'charts/web/values.yaml', line: 6, column: 15, role: 'repository', message: 'image.repository sets the repository "acme/web"' },
    { file: 'charts/web/values.yaml', line: 7, column: 8, endColumn: 15, role: 'tag', message: 'image.tag sets the tag "1.4.3"' }
  ]
}

describe('reportFindings', () => {
  const rendered = aFinding({ file: 'rendered/web.yaml', line: 33, column: 18, endColumn: 56, source: 'web/templates/deployment.yaml' })
  const changedLine = aFinding({ file: 'deploy/app.yaml', line: 12 })
  const untouchedLine = aFinding({ file: 'deploy/app.yaml', line: 40, severity: 'warning', rule: 'latest-tag' })
  const secretRefChanged = aFinding({ file: 'deploy/app.yaml', line: 50, rule: 'pull-secret-not-found', related: [{ file: 'deploy/app.yaml', line: 60, column: 9, message: 'the secret reference' }] })
  const wholeFile = aFinding({ file: 'deploy/broken.yaml', line: 3, rule: 'unparseable-file', image: null, canonical: null })
  const authRequired = aFinding({ file: 'deploy/app.yaml', line: 12, rule: 'auth-required' })
  const result = aResult([], [rendered, changedLine, untouchedLine, secretRefChanged, wholeFile, authRequired])
  const changedLines = new Map<string, ReadonlySet<number> | null>([
    ['deploy/app.yaml', new Set([12, 60])],
    ['deploy/broken.yaml', new Set([1])],
    ['charts/web/values.yaml', new Set([7])]
  ])
  const traces = [valuesTrace, null, null, null, null, null]

  it('on a pull request, counts what the change touched, rendered output and whole-file problems', () => {
    const reported = reportFindings(result, traces, { changedLines, onlyChangedLines: true, renderedFiles: new Set(['rendered/web.yaml']), withoutSecrets: false })
    expect(reported.map((r) => [r.finding.rule, r.location.file, r.location.line, r.inChange, r.notCounted])).toEqual([
      ['tag-not-found', 'charts/web/values.yaml', 7, true, null],
      ['tag-not-found', 'deploy/app.yaml', 12, true, null],
      ['latest-tag', 'deploy/app.yaml', 40, false, 'outside-change'],
      ['pull-secret-not-found', 'deploy/app.yaml', 50, false, null],
      ['unparseable-file', 'deploy/broken.yaml', 3, false, null],
      ['auth-required', 'deploy/app.yaml', 12, true, null]
    ])
    expect(reported[0]!.location).toEqual({ file: 'charts/web/values.yaml', line: 7, column: 8, endColumn: 15 })
  })

  it('counts everything with check-touched-workloads; on a fork, auth-required does not count', () => {
    const touched = reportFindings(result, traces, { changedLines, onlyChangedLines: false, renderedFiles: new Set(), withoutSecrets: true })
    expect(touched.map((r) => r.notCounted)).toEqual([null, null, null, null, null, 'fork'])
  })

  it('without a change (push), nothing is in the change and everything counts', () => {
    const full = reportFindings(result, traces, { changedLines: null, onlyChangedLines: false, renderedFiles: new Set(), withoutSecrets: false })
    expect(full.map((r) => [r.inChange, r.notCounted])).toEqual(Array.from({ length: 6 }, () => [false, null]))
    // The traced finding goes on the tag line (tag-not-found) when no line is known to be changed.
    expect(full[0]!.location.line).toBe(7)
  })

  it('keeps the JSON at the scanned position with the traced lines as related, and moves SARIF to the traced line', () => {
    const reported = reportFindings(aResult([], [rendered]), [valuesTrace], { changedLines: null, onlyChangedLines: false, renderedFiles: new Set(), withoutSecrets: false })
    const forJson = resultWithTraces(aResult([], [rendered]), reported).findings[0]!
    expect([forJson.file, forJson.line, forJson.related]).toEqual([
      'rendered/web.yaml',
      33,
      [
        { file: 'charts/web/values.yaml', line: 6, column: 15, message: 'image.repository sets the repository "acme/web"' },
        { file: 'charts/web/values.yaml', line: 7, column: 8, endColumn: 15, message: 'image.tag sets the tag "1.4.3"' }
      ]
    ])
    const forSarif = resultAtTracedLines(aResult([], [rendered]), reported).findings[0]!
    expect([forSarif.file, forSarif.line, forSarif.column, forSarif.endColumn, forSarif.related]).toEqual([
      'charts/web/values.yaml',
      7,
      8,
      15,
      [
        { file: 'rendered/web.yaml', line: 33, column: 18, message: 'rendered here from web/templates/deployment.yaml' },
        { file: 'charts/web/values.yaml', line: 6, column: 15, message: 'image.repository sets the repository "acme/web"' }
      ]
    ])
  })
})

describe('failureReason', () => {
  const findings = [aFinding(), aFinding({ line: 20 }), aFinding({ rule: 'platform-mismatch' }), aFinding({ severity: 'warning', rule: 'latest-tag' }), aFinding({ rule: 'auth-required' })]
  const reported = reportFindings(aResult([], findings), [], { changedLines: null, onlyChangedLines: false, renderedFiles: new Set(), withoutSecrets: true })

  it('names the counts and rules at the fail level', () => {
    expect(failureReason(reported, 'error')).toBe('pullcheck found 3 errors (tag-not-found ×2, platform-mismatch); fail-on is error.')
    expect(failureReason(reported, 'warning')).toBe('pullcheck found 3 errors and 1 warning (tag-not-found ×2, platform-mismatch, latest-tag); fail-on is warning.')
    expect(failureReason(reported, 'never')).toBeNull()
    expect(failureReason(reported.filter((r) => r.finding.severity === 'warning'), 'error')).toBeNull()
  })
})
