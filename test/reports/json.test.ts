// The JSON report: published schema, exact fields, order, and no credentials.
import { describe, expect, it } from 'vitest'
import { buildJsonReport, renderJson } from '../../src/reports/json.js'
import { assertMatchesSchema } from '../support/schemas.js'
import { LEAKED_PASSWORD, sampleResult } from './scan-result.js'

describe('renderJson', () => {
  it('matches schemas/scan.schema.json', () => {
    const report: unknown = JSON.parse(renderJson(sampleResult()))
    assertMatchesSchema('scan.schema.json', report)
  })

  it('lists findings in file order with every field', () => {
    const report = buildJsonReport(sampleResult())
    expect(report.findings.map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.rule}`)).toEqual([
      'deploy/batch.yaml:9:16 credentials-in-reference',
      'deploy/broken.yaml:7:3 unparseable-file',
      'deploy/web.yaml:18:18 tag-not-found',
      'deploy/web.yaml:24:18 latest-tag',
      'rendered/api.yaml:31:20 registry-unreachable'
    ])
    expect(report.findings[2]).toEqual({
      rule: 'tag-not-found',
      severity: 'error',
      file: 'deploy/web.yaml',
      line: 18,
      column: 18,
      endColumn: 41,
      image: 'ghcr.io/acme/web:v2.0.1',
      canonical: 'ghcr.io/acme/web:v2.0.1',
      message: 'manifest for ghcr.io/acme/web:v2.0.1 not found: manifest unknown; did you mean v2.0.0?',
      fix: 'Use a tag that exists: v2.0.0.',
      source: null,
      related: [{ file: 'deploy/web.yaml', line: 14, column: 17, message: 'pull secret ghcr-pull is referenced here' }]
    })
    expect(report.findings[4]!.source).toBe('charts/api/templates/deployment.yaml')
  })

  it('carries the inventory with status and registry facts', () => {
    const report = buildJsonReport(sampleResult())
    expect(report.images.map((image) => [image.image, image.status])).toEqual([
      ['ghcr.io/acme/web:v2.0.1', 'problem'],
      ['nginx', 'ok'],
      ['registry.internal.example.com/team/api:1.4.0', 'unverified'],
      ['{{ .Values.image }}', 'skipped'],
      ['***@registry.example.com/jobs/nightly:3', 'skipped']
    ])
    expect(report.images[1]).toMatchObject({
      reference: { canonical: 'docker.io/library/nginx:latest', registry: 'docker.io', repository: 'library/nginx', tag: null, digest: null, implied: ['registry', 'library', 'tag'] },
      facts: {
        isIndex: true,
        platforms: [
          { os: 'linux', architecture: 'amd64', variant: null, size: 72_351_144 },
          { os: 'linux', architecture: 'arm64', variant: 'v8', size: 68_042_880 }
        ]
      },
      failure: null
    })
    expect(report.images[0]!.pod.imagePullSecrets).toEqual([{ name: 'ghcr-pull', file: 'deploy/web.yaml', line: 14, column: 17 }])
    expect(report.images[2]!.failure).toEqual({ status: 'unreachable', detail: 'dial tcp: lookup registry.internal.example.com: no such host', cause: 'dns' })
    expect(report.summary).toEqual({ files: 4, images: 5, uniqueImages: 5, errors: 3, warnings: 2, notices: 0, durationMs: 2140 })
    expect(report.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['helm-chart-template', 'yaml-syntax'])
    expect(report.diagnostics[0]!.column).toBeNull()
  })

  it('never contains a credential from an image string', () => {
    expect(renderJson(sampleResult())).not.toContain(LEAKED_PASSWORD)
  })

  it('copies fields by name, so extra data on the scan objects stays out', () => {
    const result = sampleResult()
    Object.assign(result.images[0]!, { credentials: { password: LEAKED_PASSWORD } })
    Object.assign(result.findings[0]!, { identity: { kind: 'basic', password: LEAKED_PASSWORD } })
    expect(renderJson(result)).not.toContain(LEAKED_PASSWORD)
  })

  it('is rejected by the schema when a field it does not define appears', () => {
    const report = JSON.parse(renderJson(sampleResult())) as { findings: Array<Record<string, unknown>> }
    report.findings[0]!.password = 'x'
    expect(() => assertMatchesSchema('scan.schema.json', report)).toThrowError(/must NOT have additional properties/)
  })

  it('ends with a newline and is indented', () => {
    const text = renderJson(sampleResult())
    expect(text.endsWith('}\n')).toBe(true)
    expect(text.startsWith('{\n  "findings": [\n')).toBe(true)
  })
})
