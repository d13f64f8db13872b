// Helm provenance against the sample chart repository in fixtures/action/chart-repo: every image of
// its rendered output is traced to the exact values.yaml / Chart.yaml / template positions.
import { describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { HelmProvenance, RepositoryFileCache, parseHelmSource } from '../../src/provenance/index.js'
import { repoRoot } from '../support/node-binaries.js'

const chartRepo = path.join(repoRoot, 'fixtures', 'action', 'chart-repo')

async function load(root = chartRepo): Promise<HelmProvenance> {
  return HelmProvenance.load(root, new RepositoryFileCache(root))
}

describe('parseHelmSource', () => {
  it.each([
    ['web/templates/deployment.yaml', ['web'], 'templates/deployment.yaml'],
    ['web/charts/cache/templates/statefulset.yaml', ['web', 'cache'], 'templates/statefulset.yaml'],
    ['a/charts/b/charts/c/templates/x/y.yaml', ['a', 'b', 'c'], 'templates/x/y.yaml'],
    ['web/crds/crd.yaml', ['web'], 'crds/crd.yaml']
  ])('%s', (source, charts, template) => {
    expect(parseHelmSource(source)).toEqual({ charts, template })
  })

  it('rejects a path that names no template', () => {
    expect(parseHelmSource('web')).toBeNull()
    expect(parseHelmSource('')).toBeNull()
  })
})

describe('HelmProvenance on the sample chart', () => {
  it('finds the chart and its sub-chart by Chart.yaml', async () => {
    const helm = await load()
    expect(helm.chartList.map((chart) => [chart.dir, chart.name, chart.appVersion?.text])).toEqual([
      ['charts/web', 'web', '1.4.0'],
      ['charts/web/charts/cache', 'cache', '7.2.0']
    ])
  })

  it('traces a structured image to its registry, repository and tag lines', async () => {
    const trace = await (await load()).trace('web/templates/deployment.yaml', 'registry.pullcheck.test/acme/web:1.4.2', 'web')
    expect(trace).toEqual({
      via: 'helm-values',
      lines: [
        { file: 'charts/web/values.yaml', line: 5, column: 13, endColumn: 36, role: 'registry', message: 'image.registry sets the registry "registry.pullcheck.test"' },
        { file: 'charts/web/values.yaml', line: 6, column: 15, endColumn: 23, role: 'repository', message: 'image.repository sets the repository "acme/web"' },
        { file: 'charts/web/values.yaml', line: 7, column: 8, endColumn: 15, role: 'tag', message: 'image.tag sets the tag "1.4.2"' }
      ]
    })
  })

  it('traces an inline image value', async () => {
    const trace = await (await load()).trace('web/templates/deployment.yaml', 'registry.pullcheck.test/acme/log-shipper:2.0.1', 'log-shipper')
    expect(trace?.lines).toEqual([
      { file: 'charts/web/values.yaml', line: 12, column: 10, endColumn: 56, role: 'image', message: 'sidecar.image sets the image "registry.pullcheck.test/acme/log-shipper:2.0.1"' }
    ])
  })

  it('traces a tag that defaults to appVersion to Chart.yaml', async () => {
    const trace = await (await load()).trace('web/templates/deployment.yaml', 'registry.pullcheck.test/acme/migrate:1.4.0', 'migrate')
    expect(trace?.lines).toEqual([
      { file: 'charts/web/values.yaml', line: 17, column: 17, endColumn: 29, role: 'repository', message: 'migrations.image.repository sets the repository "acme/migrate"' },
      { file: 'charts/web/Chart.yaml', line: 6, column: 13, endColumn: 20, role: 'app-version', message: 'appVersion in Chart.yaml sets the default tag "1.4.0"' }
    ])
  })

  it('traces a sub-chart image, with the tag the parent chart overrides', async () => {
    const trace = await (await load()).trace('web/charts/cache/templates/statefulset.yaml', 'registry.pullcheck.test/acme/cache:7.2.4', 'cache')
    expect(trace?.lines).toEqual([
      { file: 'charts/web/charts/cache/values.yaml', line: 2, column: 13, endColumn: 36, role: 'registry', message: 'image.registry sets the registry "registry.pullcheck.test"' },
      { file: 'charts/web/charts/cache/values.yaml', line: 3, column: 15, endColumn: 25, role: 'repository', message: 'image.repository sets the repository "acme/cache"' },
      { file: 'charts/web/values.yaml', line: 22, column: 10, endColumn: 17, role: 'tag', message: 'cache.image.tag sets the tag "7.2.4"' }
    ])
  })

  it('does not claim a values line whose value did not produce the image: falls back to the template line of the container', async () => {
    const trace = await (await load()).trace('web/templates/deployment.yaml', 'registry.pullcheck.test/acme/web:9.9.9', 'web')
    expect(trace).toEqual({
      via: 'helm-template',
      lines: [
        {
          file: 'charts/web/templates/deployment.yaml',
          line: 22,
          column: 18,
          endColumn: 131,
          role: 'template',
          message: 'the chart template writes the image here'
        }
      ]
    })
  })

  it('returns null for a chart that is not in the repository', async () => {
    expect(await (await load()).trace('postgresql/templates/primary.yaml', 'docker.io/bitnami/postgresql:16.2.0', 'postgresql')).toBeNull()
  })
})

describe('HelmProvenance on value shapes', () => {
  async function chartWith(values: string, extra: Record<string, string> = {}): Promise<{ helm: HelmProvenance; cleanup: () => Promise<void> }> {
    const root = await mkdtemp(path.join(tmpdir(), 'pullcheck-helm-'))
    await mkdir(path.join(root, 'app', 'templates'), { recursive: true })
    await writeFile(path.join(root, 'app', 'Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 1.0.0\nappVersion: "2.0"\n')
    await writeFile(path.join(root, 'app', 'values.yaml'), values)
    await writeFile(path.join(root, 'app', 'templates', 'deploy.yaml'), 'kind: Deployment\n')
    for (const [name, text] of Object.entries(extra)) await writeFile(path.join(root, 'app', name), text)
    return { helm: await load(root), cleanup: () => rm(root, { recursive: true, force: true }) }
  }

  it('keeps a numeric tag as written (1.10 is not 1.1) and finds images in lists and under *Image keys', async () => {
    const { helm, cleanup } = await chartWith(
      ['workers:', '  - coreImage:', '      repository: acme/core', '      tag: 1.10', 'proxyImage:', '  repository: nginx', '  version: 1.27.0', ''].join('\n')
    )
    try {
      const core = await helm.trace('app/templates/deploy.yaml', 'acme/core:1.10')
      expect(core?.lines.map((l) => [l.line, l.column, l.role])).toEqual([
        [3, 19, 'repository'],
        [4, 12, 'tag']
      ])
      const proxy = await helm.trace('app/templates/deploy.yaml', 'docker.io/library/nginx:1.27.0')
      expect(proxy?.lines.map((l) => [l.line, l.role, l.message])).toEqual([
        [6, 'repository', 'proxyImage.repository sets the repository "nginx"'],
        [7, 'tag', 'proxyImage.version sets the tag "1.27.0"']
      ])
    } finally {
      await cleanup()
    }
  })

  it('traces a digest, a tag pinned as tag@digest, and a global registry', async () => {
    const digest = 'sha256:' + 'a'.repeat(64)
    const { helm, cleanup } = await chartWith(
      [
        'global:',
        '  imageRegistry: mirror.example.com',
        'image:',
        '  repository: acme/api',
        '  tag: "3.0"',
        `  digest: ${digest}`,
        'pinned:',
        '  image:',
        '    repository: acme/pinned',
        `    tag: 1.0.0@${digest}`,
        ''
      ].join('\n')
    )
    try {
      const api = await helm.trace('app/templates/deploy.yaml', `mirror.example.com/acme/api:3.0@${digest}`)
      expect(api?.lines.map((l) => [l.line, l.role])).toEqual([
        [2, 'registry'],
        [4, 'repository'],
        [5, 'tag'],
        [6, 'digest']
      ])
      const pinned = await helm.trace('app/templates/deploy.yaml', `acme/pinned:1.0.0@${digest}`)
      expect(pinned?.lines.map((l) => [l.line, l.role])).toEqual([
        [9, 'repository'],
        [10, 'tag']
      ])
      expect(await helm.trace('app/templates/deploy.yaml', `acme/api:3.0@sha256:${'b'.repeat(64)}`)).toEqual({
        via: 'helm-template',
        lines: [{ file: 'app/templates/deploy.yaml', line: 1, column: 1, role: 'template', message: 'the chart template app/templates/deploy.yaml renders this document' }]
      })
    } finally {
      await cleanup()
    }
  })

  it('prefers the additional values file that produced the tag (helm template -f values-prod.yaml)', async () => {
    const { helm, cleanup } = await chartWith('image:\n  repository: acme/app\n  tag: "1.0"\n', { 'values-prod.yaml': '# production\nimage:\n  tag: "1.1"\n' })
    try {
      const trace = await helm.trace('app/templates/deploy.yaml', 'acme/app:1.1')
      expect(trace?.lines.map((l) => [l.file, l.line, l.role])).toEqual([
        ['app/values.yaml', 2, 'repository'],
        ['app/values-prod.yaml', 3, 'tag']
      ])
      const base = await helm.trace('app/templates/deploy.yaml', 'acme/app:1.0')
      expect(base?.lines.map((l) => [l.file, l.line, l.role])).toEqual([
        ['app/values.yaml', 2, 'repository'],
        ['app/values.yaml', 3, 'tag']
      ])
    } finally {
      await cleanup()
    }
  })

  it('survives a values.yaml that does not parse and an alias bomb', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`), 'image:', '  repository: acme/app', '  tag: "1"', ''].join('\n')
    const { helm, cleanup } = await chartWith(bomb)
    try {
      const started = Date.now()
      const trace = await helm.trace('app/templates/deploy.yaml', 'acme/app:1')
      expect(Date.now() - started).toBeLessThan(5000)
      // The node budget stops the expansion before `image:` is reached: nothing is claimed from values.yaml.
      expect(trace?.via).toBe('helm-template')
    } finally {
      await cleanup()
    }
    const broken = await chartWith('image:\n  repository: [unclosed\n')
    try {
      expect((await broken.helm.trace('app/templates/deploy.yaml', 'acme/app:1'))?.via).toBe('helm-template')
    } finally {
      await broken.cleanup()
    }
  })
})
