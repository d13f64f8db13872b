// Kustomize provenance and the finding-level entry point (traceFindings, primaryTracedLine) on the
// sample repository in fixtures/action/chart-repo.
import { describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { KustomizeProvenance, RepositoryFileCache, primaryTracedLine, traceFindings, type ProvenanceTrace } from '../../src/provenance/index.js'
import type { Finding } from '../../src/model.js'
import { repoRoot } from '../support/node-binaries.js'

const chartRepo = path.join(repoRoot, 'fixtures', 'action', 'chart-repo')

function finding(overrides: Partial<Finding>): Finding {
  return {
    rule: 'tag-not-found',
    severity: 'error',
    file: 'rendered/web.yaml',
    line: 1,
    column: 1,
    image: null,
    canonical: null,
    message: 'm',
    fix: 'f',
    source: null,
    ...overrides
  }
}

describe('KustomizeProvenance', () => {
  it('reads the images entries of every kustomization', async () => {
    const kustomize = await KustomizeProvenance.load(chartRepo, new RepositoryFileCache(chartRepo))
    expect(kustomize.imageEntries.map((entry) => [entry.file, entry.name.text, entry.newName?.text, entry.newTag?.text, entry.digest])).toEqual([
      ['deploy/overlays/prod/kustomization.yaml', 'acme/worker', 'registry.pullcheck.test/acme/worker', '3.1.0', undefined]
    ])
  })

  it('traces a rendered image to newName and newTag', async () => {
    const kustomize = await KustomizeProvenance.load(chartRepo, new RepositoryFileCache(chartRepo))
    expect(kustomize.trace('registry.pullcheck.test/acme/worker:3.1.0')).toEqual({
      via: 'kustomize',
      lines: [
        { file: 'deploy/overlays/prod/kustomization.yaml', line: 8, column: 14, endColumn: 49, role: 'repository', message: 'newName of the images entry "acme/worker" sets "registry.pullcheck.test/acme/worker"' },
        { file: 'deploy/overlays/prod/kustomization.yaml', line: 9, column: 13, endColumn: 20, role: 'tag', message: 'newTag of the images entry "acme/worker" sets "3.1.0"' }
      ]
    })
    expect(kustomize.trace('registry.pullcheck.test/acme/worker:3.2.0')).toBeNull()
    expect(kustomize.trace('acme/worker:3.1.0')).toBeNull()
  })

  it('with a digest, matches name@digest and ignores newTag', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'pullcheck-kustomize-'))
    const digest = `sha256:${'c'.repeat(64)}`
    try {
      await mkdir(path.join(root, 'overlay'))
      await writeFile(
        path.join(root, 'overlay', 'kustomization.yml'),
        ['images:', '  - name: nginx', '    newTag: "1.27"', `    digest: ${digest}`, '  - name: redis', '    newTag: 7.2', ''].join('\n')
      )
      const kustomize = await KustomizeProvenance.load(root, new RepositoryFileCache(root))
      expect(kustomize.trace(`docker.io/library/nginx@${digest}`)?.lines.map((l) => [l.line, l.role])).toEqual([
        [2, 'repository'],
        [4, 'digest']
      ])
      expect(kustomize.trace('redis:7.2')?.lines.map((l) => [l.line, l.role, l.message])).toEqual([
        [5, 'repository', 'the images entry "redis" rewrites this image'],
        [6, 'tag', 'newTag of the images entry "redis" sets "7.2"']
      ])
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })
})

describe('traceFindings', () => {
  it('traces Helm findings by # Source:, kustomize output by value, and leaves plain manifests alone', async () => {
    const findings = [
      finding({ file: 'rendered/web.yaml', line: 33, column: 18, image: 'registry.pullcheck.test/acme/web:1.4.2', source: 'web/templates/deployment.yaml' }),
      finding({ file: 'rendered/worker-prod.yaml', line: 15, column: 16, image: 'registry.pullcheck.test/acme/worker:3.1.0' }),
      finding({ file: 'deploy/base/worker.yaml', line: 15, column: 18, image: 'acme/worker' }),
      finding({ file: 'rendered/web.yaml', line: 1, column: 1, image: null, rule: 'unparseable-file' })
    ]
    const traces = await traceFindings(findings, { repoRoot: chartRepo, renderedFiles: new Set(['rendered/web.yaml', 'rendered/worker-prod.yaml']) })
    expect(traces.map((trace) => trace?.via ?? null)).toEqual(['helm-values', 'kustomize', null, null])
    expect(traces[0]!.lines.map((l) => `${l.file}:${l.line}`)).toEqual(['charts/web/values.yaml:5', 'charts/web/values.yaml:6', 'charts/web/values.yaml:7'])
  })
})

describe('primaryTracedLine', () => {
  const trace: ProvenanceTrace = {
    via: 'helm-values',
    lines: [
      { file: 'v.yaml', line: 5, column: 13, role: 'registry', message: '' },
      { file: 'v.yaml', line: 6, column: 15, role: 'repository', message: '' },
      { file: 'v.yaml', line: 7, column: 8, role: 'tag', message: '' }
    ]
  }
  const nothingChanged = (): boolean => false

  it.each([
    ['tag-not-found', 7],
    ['repository-not-found', 6],
    ['platform-mismatch', 7],
    ['digest-not-found', 7]
  ])('%s points at line %i when the change touched none of them', (rule, line) => {
    expect(primaryTracedLine(trace, rule, nothingChanged).line).toBe(line)
  })

  it('prefers the line the change touched', () => {
    expect(primaryTracedLine(trace, 'tag-not-found', (file, line) => file === 'v.yaml' && line === 5).line).toBe(5)
  })
})
