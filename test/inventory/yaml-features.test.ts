// YAML and JSON as people and tools write them: anchors and merge keys, CRLF, byte-order marks,
// every scalar style, duplicate keys, JSON objects and streams, Helm's `# Source:` comments.
import { describe, expect, it } from 'vitest'
import { expectPlace, inventoryOf, textAt, useOf } from './support.js'

describe('anchors, aliases and merge keys', () => {
  it('reports an image reached through an alias or a merge key at the anchored value', async () => {
    const inventory = await inventoryOf('fixtures/manifests/yaml-features/anchors.yaml')
    expect(inventory.images.map((use) => [use.container, use.image, use.line, use.column])).toEqual([
      ['gateway', 'envoyproxy/envoy:v1.31.0', 14, 33],
      ['gateway-admin', 'envoyproxy/envoy:v1.31.0', 14, 33],
      ['gateway-canary', 'envoyproxy/envoy:v1.31.0', 14, 33],
      ['gateway-next', 'envoyproxy/envoy:v1.32.0', 24, 18]
    ])
    // Line 14 is `image: &gateway-image envoyproxy/envoy:v1.31.0`: the column is the value's, after the anchor.
    expect(textAt('fixtures/manifests/yaml-features/anchors.yaml', 14, 33)).toBe('envoyproxy/envoy:v1.31.0')
    expect(inventory.diagnostics).toEqual([])
  })
})

describe('line endings and encodings', () => {
  it('reads CRLF files with the same columns as LF files (a trailing space and CR are not part of the value)', async () => {
    const inventory = await inventoryOf('fixtures/manifests/yaml-features/windows-crlf.yaml')
    expectPlace(useOf(inventory, 'portal'), 12, 18, 'mcr.microsoft.com/dotnet/aspnet:8.0')
    const proxy = useOf(inventory, 'proxy')
    expectPlace(proxy, 14, 18, '"nginx:1.27-alpine"')
    expect(proxy.image).toBe('nginx:1.27-alpine')
  })

  it('drops a UTF-8 byte-order mark: line 1 column 1 is the first real character', async () => {
    const inventory = await inventoryOf('fixtures/manifests/yaml-features/bom.yaml')
    expectPlace(useOf(inventory, 'app'), 8, 14, 'redis:7.4')
    expect(inventory.images[0]?.kind).toBe('Pod')
  })
})

describe('scalar styles', () => {
  it('reports quoted and block scalars at their first token, with the value unquoted', async () => {
    const inventory = await inventoryOf('fixtures/manifests/yaml-features/quoted-folded.yaml')
    const expected: Array<[string, number, number, string, string]> = [
      ['double', 8, 14, '"ghcr.io/acme/double:1.0"', 'ghcr.io/acme/double:1.0'],
      ['single', 10, 14, "'ghcr.io/acme/single:1.0'", 'ghcr.io/acme/single:1.0'],
      ['escaped', 12, 14, '"ghcr.io/acme/\\x65scaped:1.0"', 'ghcr.io/acme/escaped:1.0'],
      ['folded', 14, 14, '>-', 'ghcr.io/acme/folded:1.0'],
      ['literal', 17, 14, '|', 'ghcr.io/acme/literal:1.0\n'],
      ['tagged', 20, 20, '1.10', '1.10']
    ]
    for (const [container, line, column, written, image] of expected) {
      const use = useOf(inventory, container)
      expectPlace(use, line, column, written)
      expect(use.image).toBe(image)
    }
    // A literal block keeps its final line break, which the kubelet rejects.
    expect(useOf(inventory, 'literal')).toMatchObject({ reference: null, templated: false })
    expect(useOf(inventory, 'literal').referenceError).toMatch(/whitespace/)
    expect(useOf(inventory, 'folded').reference?.canonical).toBe('ghcr.io/acme/folded:1.0')
  })
})

describe('duplicate keys', () => {
  it('keeps the last value, as kubectl does, with a warning at the duplicate', async () => {
    const inventory = await inventoryOf('fixtures/manifests/yaml-features/duplicate-keys.yaml')
    expect(inventory.images).toHaveLength(1)
    expectPlace(useOf(inventory, 'reports'), 13, 18, 'ghcr.io/acme/reports:1.1.0')
    expect(inventory.diagnostics).toEqual([
      {
        file: 'fixtures/manifests/yaml-features/duplicate-keys.yaml',
        line: 13,
        column: 11,
        code: 'duplicate-key',
        severity: 'warning',
        message: 'duplicate key "image": this later value is the one kubectl uses, the earlier one is ignored'
      }
    ])
  })
})

describe('JSON', () => {
  it('reads a JSON object with positions', async () => {
    const inventory = await inventoryOf('fixtures/manifests/json/deployment.json')
    const use = useOf(inventory, 'inventory')
    expectPlace(use, 14, 22, '"ghcr.io/acme/inventory:1.8.0"')
    expect(use).toMatchObject({ kind: 'Deployment', namespace: 'shop', imagePullPolicy: 'Always', document: 0 })
  })

  it('reads a JSON stream: concatenated objects, one per line or two on a line', async () => {
    const inventory = await inventoryOf('fixtures/manifests/json/stream.json')
    expect(inventory.images.map((use) => [use.document, use.name, use.image, use.line, use.column])).toEqual([
      [0, 'a', 'busybox:1.36', 1, 132],
      [1, 'b', 'alpine:3.20', 2, 132]
    ])
    expect(inventory.serviceAccounts).toEqual([
      {
        file: 'fixtures/manifests/json/stream.json',
        line: 2,
        column: 217,
        endColumn: 225,
        document: 2,
        name: 'runner',
        namespace: 'jobs',
        imagePullSecrets: [{ name: 'jobs-pull', file: 'fixtures/manifests/json/stream.json', line: 2, column: 279 }]
      }
    ])
    expect(textAt('fixtures/manifests/json/stream.json', 2, 279)).toMatch(/^"jobs-pull"/)
  })
})

describe('Helm output', () => {
  it('takes the template path from the `# Source:` comment above each document', async () => {
    const inventory = await inventoryOf('fixtures/helm/rendered/shop/manifests.yaml')
    expect(inventory.images.map((use) => [use.document, use.kind, use.source, use.line, use.column])).toEqual([
      [3, 'Deployment', 'shop/templates/deployment.yaml', 55, 18],
      [4, 'StatefulSet', 'shop/charts/redis/templates/statefulset.yaml', 79, 18],
      [5, 'Pod', 'shop/templates/tests/test-connection.yaml', 91, 14]
    ])
    expect(inventory.serviceAccounts.map((account) => [account.name, account.line, account.column])).toEqual([['shop', 6, 9]])
  })

  it('skips a chart source directory with one notice for the chart, and still reads the rest', async () => {
    const inventory = await inventoryOf('fixtures/helm')
    expect(inventory.files).toEqual(['fixtures/helm/chart/Chart.yaml', 'fixtures/helm/chart/values.yaml', 'fixtures/helm/rendered/shop/manifests.yaml'])
    expect(inventory.diagnostics).toEqual([
      {
        file: 'fixtures/helm/chart/Chart.yaml',
        line: 1,
        code: 'helm-chart-template',
        severity: 'notice',
        message:
          '3 files under fixtures/helm/chart/templates/ not scanned: Helm chart templates are not manifests. ' +
          'Scan the rendered chart instead: helm template RELEASE fixtures/helm/chart | pullcheck images -'
      }
    ])
    expect(inventory.images).toHaveLength(3)
  })

  it('says so when a file named on its own holds no Kubernetes object', async () => {
    const inventory = await inventoryOf('fixtures/helm/chart/values.yaml')
    expect(inventory.diagnostics).toEqual([
      {
        file: 'fixtures/helm/chart/values.yaml',
        line: 1,
        code: 'not-a-manifest',
        severity: 'notice',
        message: 'no Kubernetes object (a document with apiVersion and kind) in this file; nothing to check'
      }
    ])
  })
})
