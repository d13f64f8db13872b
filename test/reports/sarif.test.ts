// SARIF for GitHub code scanning: validated against the properties GitHub documents, with exact
// locations, rule metadata, stable fingerprints and the 25,000-result limit.
import type * as Sarif from 'sarif'
import { describe, expect, it } from 'vitest'
import type { Finding, ScanResult } from '../../src/model.js'
import { buildSarifLog, renderSarif, SARIF_MAX_RESULTS } from '../../src/reports/sarif.js'
import { assertMatchesSchema } from '../support/schemas.js'
import { LEAKED_PASSWORD, sampleResult, sampleRules } from './scan-result.js'

const options = { toolVersion: '0.1.0' }

function fingerprints(log: Sarif.Log): string[] {
  return log.runs[0]!.results!.map((result) => result.partialFingerprints!.primaryLocationLineHash!)
}

/** The same scan with every position moved down by `lines`, as after an edit above the images. */
function shifted(result: ScanResult, lines: number): ScanResult {
  return {
    ...result,
    findings: result.findings.map((finding) => ({ ...finding, line: finding.line + lines })),
    images: result.images.map((image) => ({ ...image, line: image.line + lines }))
  }
}

describe('renderSarif', () => {
  it('matches the schema of what GitHub code scanning requires', () => {
    assertMatchesSchema('sarif-github.schema.json', JSON.parse(renderSarif(sampleResult(), sampleRules, options)))
  })

  it('describes the tool and every rule from its metadata', () => {
    const driver = buildSarifLog(sampleResult(), sampleRules, options).runs[0]!.tool.driver
    expect(driver.name).toBe('pullcheck')
    expect(driver.version).toBe('0.1.0')
    expect(driver.informationUri).toBe('https://github.com/pullcheck/pullcheck')
    expect(driver.rules!.map((rule) => [rule.id, rule.defaultConfiguration!.level])).toEqual([
      ['tag-not-found', 'error'],
      ['latest-tag', 'warning'],
      ['registry-unreachable', 'warning'],
      ['credentials-in-reference', 'error'],
      ['unparseable-file', 'error']
    ])
    expect(driver.rules![0]).toEqual({
      id: 'tag-not-found',
      name: 'TagNotFound',
      shortDescription: { text: 'The tag does not exist in the repository.' },
      fullDescription: { text: 'The repository exists but has no manifest under this tag, so the kubelet fails with ErrImagePull.' },
      helpUri: 'https://github.com/pullcheck/pullcheck/blob/main/docs/rules/tag-not-found.md',
      help: {
        text: 'The repository exists but has no manifest under this tag, so the kubelet fails with ErrImagePull.\n\nFix: Use a tag that exists; the finding lists the closest ones.\n\nDocumentation: https://github.com/pullcheck/pullcheck/blob/main/docs/rules/tag-not-found.md',
        markdown:
          'The repository exists but has no manifest under this tag, so the kubelet fails with ErrImagePull.\n\n**Fix:** Use a tag that exists; the finding lists the closest ones.\n\n[Rule documentation](https://github.com/pullcheck/pullcheck/blob/main/docs/rules/tag-not-found.md)'
      },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['kubernetes', 'container-image', 'registry'], precision: 'very-high', 'problem.severity': 'error' }
    })
  })

  it('gives one result per finding with rule, level, message and region', () => {
    const results = buildSarifLog(sampleResult(), sampleRules, options).runs[0]!.results!
    expect(results.map((result) => [result.ruleId, result.ruleIndex, result.level])).toEqual([
      ['credentials-in-reference', 3, 'error'],
      ['unparseable-file', 4, 'error'],
      ['tag-not-found', 0, 'error'],
      ['latest-tag', 1, 'warning'],
      ['registry-unreachable', 2, 'warning']
    ])
    const tagNotFound = results[2]!
    expect(tagNotFound.message.text).toBe(
      'manifest for ghcr.io/acme/web:v2.0.1 not found: manifest unknown; did you mean v2.0.0?\n\nFix: Use a tag that exists: v2.0.0.'
    )
    expect(tagNotFound.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'deploy/web.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 18, startColumn: 18, endLine: 18, endColumn: 41 }
        }
      }
    ])
    expect(tagNotFound.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: 'deploy/web.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 14, startColumn: 17, endLine: 14 } },
        message: { text: 'pull secret ghcr-pull is referenced here' }
      }
    ])
    expect(tagNotFound.properties).toEqual({ image: 'ghcr.io/acme/web:v2.0.1', canonical: 'ghcr.io/acme/web:v2.0.1' })
    expect(results[4]!.message.text).toBe(
      'could not verify: lookup registry.internal.example.com: no such host\n\nRendered from the Helm template charts/api/templates/deployment.yaml.\n\nFix: Check the registry host name, or run where the registry is reachable.'
    )
    expect(results[4]!.locations![0]!.physicalLocation!.region).toEqual({ startLine: 31, startColumn: 20, endLine: 31 })
  })

  it('lists input diagnostics as tool notifications', () => {
    const invocation = buildSarifLog(sampleResult(), sampleRules, options).runs[0]!.invocations![0]!
    expect(invocation.toolExecutionNotifications!.map((n) => [n.descriptor!.id, n.level, n.locations![0]!.physicalLocation!.artifactLocation!.uri])).toEqual([
      ['yaml-syntax', 'error', 'deploy/broken.yaml'],
      ['helm-chart-template', 'note', 'charts/api/templates/deployment.yaml']
    ])
  })

  it('makes URIs relative to the repository root with forward slashes and no ./', () => {
    const result = sampleResult()
    result.findings = [{ ...result.findings[2]!, file: './deploy/web.yaml' }]
    const fromSubdirectory = buildSarifLog(result, sampleRules, { toolVersion: '0.1.0', repoRoot: '/work/repo', cwd: '/work/repo/apps' })
    const location = fromSubdirectory.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!
    expect(location).toEqual({ uri: 'apps/deploy/web.yaml', uriBaseId: '%SRCROOT%' })
    expect(fromSubdirectory.runs[0]!.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/repo/' } })

    result.findings = [{ ...result.findings[0]!, file: 'deploy\\with space\\web.yaml' }]
    const windowsStyle = buildSarifLog(result, sampleRules, options)
    expect(windowsStyle.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('deploy/with%20space/web.yaml')
    assertMatchesSchema('sarif-github.schema.json', windowsStyle)
  })

  it('points outside the repository with an absolute file URI', () => {
    const result = sampleResult()
    result.findings = [{ ...result.findings[2]!, file: '../elsewhere/web.yaml' }]
    const log = buildSarifLog(result, sampleRules, { toolVersion: '0.1.0', repoRoot: '/work/repo' })
    expect(log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation).toEqual({ uri: 'file:///work/elsewhere/web.yaml' })
  })

  it('keeps fingerprints when lines above the findings change', () => {
    const before = fingerprints(buildSarifLog(sampleResult(), sampleRules, options))
    const after = fingerprints(buildSarifLog(shifted(sampleResult(), 7), sampleRules, options))
    expect(after).toEqual(before)
    expect(new Set(before).size).toBe(before.length)
    for (const fingerprint of before) expect(fingerprint).toMatch(/^[0-9a-f]{32}:1$/)
  })

  it('changes the fingerprint when the container, the image or the file changes', () => {
    const base = fingerprints(buildSarifLog(sampleResult(), sampleRules, options))[2]
    const renamedContainer = sampleResult()
    renamedContainer.images[0]!.container = 'frontend'
    const otherImage = sampleResult()
    otherImage.findings[1]!.image = 'ghcr.io/acme/web:v2.0.2'
    otherImage.images[0]!.image = 'ghcr.io/acme/web:v2.0.2'
    const otherFile = sampleResult()
    otherFile.findings[1]!.file = 'deploy/web-v2.yaml'
    for (const changed of [renamedContainer, otherImage, otherFile]) {
      expect(fingerprints(buildSarifLog(changed, sampleRules, options))).not.toContain(base)
    }
  })

  it('numbers identical twins instead of merging them', () => {
    const result = sampleResult()
    const twin: Finding = { ...result.findings[2]!, line: 40 }
    result.findings.push(twin)
    result.images.push({ ...result.images[1]!, line: 40 })
    const prints = fingerprints(buildSarifLog(result, sampleRules, options))
    expect(prints[3]!.replace(/:\d+$/, '')).toBe(prints[4]!.replace(/:\d+$/, ''))
    expect([prints[3]!.slice(-2), prints[4]!.slice(-2)]).toEqual([':1', ':2'])
  })

  it('never contains a credential from an image string', () => {
    expect(renderSarif(sampleResult(), sampleRules, options)).not.toContain(LEAKED_PASSWORD)
  })

  it('leaves out a rule index for a rule it has no metadata for, and stays valid', () => {
    const log = buildSarifLog(sampleResult(), sampleRules.slice(0, 2), options)
    const unknown = log.runs[0]!.results!.find((result) => result.ruleId === 'registry-unreachable')!
    expect(unknown.ruleIndex).toBeUndefined()
    assertMatchesSchema('sarif-github.schema.json', log)
  })

  it('keeps the most severe 25,000 results and says how many were left out', () => {
    const result = sampleResult()
    const [, error, warning] = result.findings as [Finding, Finding, Finding]
    const warnings: Finding[] = Array.from({ length: SARIF_MAX_RESULTS }, (_, i) => ({ ...warning, line: i + 1 }))
    result.findings = [...warnings, { ...error, file: 'zz/last.yaml', line: 5 }]
    const log = buildSarifLog(result, sampleRules, options)
    const run = log.runs[0]!
    expect(run.results!.length).toBe(SARIF_MAX_RESULTS)
    expect(run.results!.filter((r) => r.level === 'error').map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri)).toEqual(['zz/last.yaml'])
    expect(run.properties).toMatchObject({ truncated: true, totalResults: 25_001, includedResults: 25_000 })
    assertMatchesSchema('sarif-github.schema.json', log)
  })

  it('is not accepted by the GitHub schema without what GitHub requires', () => {
    const log = buildSarifLog(sampleResult(), sampleRules, options)
    const broken = structuredClone(log)
    broken.runs[0]!.results![0]!.locations![0]!.physicalLocation!.region!.startLine = 0
    expect(() => assertMatchesSchema('sarif-github.schema.json', broken)).toThrowError(/startLine must be >= 1/)
    const noMessage = structuredClone(log)
    noMessage.runs[0]!.results![1]!.message.text = ''
    expect(() => assertMatchesSchema('sarif-github.schema.json', noMessage)).toThrowError(/text must NOT have fewer than 1 characters/)
    const dotSlash = structuredClone(log)
    dotSlash.runs[0]!.results![1]!.locations![0]!.physicalLocation!.artifactLocation!.uri = './deploy/web.yaml'
    expect(() => assertMatchesSchema('sarif-github.schema.json', dotSlash)).toThrowError(/uri must NOT be valid/)
  })
})
