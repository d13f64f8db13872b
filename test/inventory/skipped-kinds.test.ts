// A pull request that breaks only a ConfigMap, a CRD, an RBAC rule or a Service must not pass: the
// pre-screen skips the tree of kinds that hold no image, but their syntax is still checked, and a
// broken one gets exactly the diagnostic the reference parse (every document through `yaml`) gives.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseManifestText } from '../../src/documents/index.js'
import { buildInventory, inventoryFromText, kindCanMatter } from '../../src/inventory/index.js'
import { repoRoot } from '../support/node-binaries.js'
import { inventoryOf } from './support.js'

const FIXTURE = 'fixtures/bad/syntax-errors-in-skipped-kinds.yaml'
const wanted = { wanted: (header: { apiVersion: string; kind: string }) => kindCanMatter(header.apiVersion, header.kind) }

describe('syntax errors in documents the pre-screen skips', () => {
  it.each([
    ['a ConfigMap key indented one space too far', 0, 'ConfigMap', 20, 1, 'yaml-syntax', 'YAML syntax error: All mapping items must start at the same column', '   FEATURE_FLAGS'],
    ['an unclosed quote in a CRD description', 2, 'CustomResourceDefinition', 62, 32, 'yaml-syntax', 'YAML syntax error: Missing closing "quote', '"Cron schedule'],
    ['a tab-indented RBAC rule', 3, 'ClusterRole', 80, 5, 'yaml-syntax', 'YAML syntax error: Tabs are not allowed as indentation', '\t- list'],
    [
      'an unrendered Helm template in a Service',
      4,
      'Service',
      88,
      5,
      'unrendered-template',
      'this is an unrendered Helm/Go template (`{{ … }}`), not YAML; scan the rendered output instead (`helm template …`)',
      '{{- include'
    ]
  ])('reports %s at its line and column', async (_name, documentIndex, kind, line, column, code, message, written) => {
    const inventory = await inventoryOf(FIXTURE)
    expect(inventory.diagnostics.filter((diagnostic) => diagnostic.line === line)).toEqual([
      { file: FIXTURE, line, column, code, severity: 'error', message }
    ])
    // The position holds what is wrong (read from the file, independently of the parser).
    const text = readFileSync(path.join(repoRoot, FIXTURE), 'utf8')
    expect((text.split('\n')[line - 1] ?? '').slice(column - 1).startsWith(written)).toBe(true)
    // The document really is one the pre-screen skips: only its syntax was checked.
    const document = parseManifestText(text, wanted)[documentIndex]
    expect({ skipped: document?.skipped?.kind, root: document?.root, problems: document?.problems.length }).toEqual({ skipped: kind, root: null, problems: 1 })
  })

  it('gives exactly the diagnostics of the reference parse, and still reads the workloads around them', async () => {
    const fast = await buildInventory({ paths: [FIXTURE], cwd: repoRoot })
    const reference = await buildInventory({ paths: [FIXTURE], cwd: repoRoot, strategy: 'reference' })
    expect(fast.diagnostics).toEqual(reference.diagnostics)
    expect(fast.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.line])).toEqual([
      ['yaml-syntax', 20],
      ['yaml-syntax', 62],
      ['yaml-syntax', 80],
      ['unrendered-template', 88]
    ])
    expect(fast.images).toEqual(reference.images)
    expect(fast.images.map((use) => [use.document, use.name, use.image, use.line])).toEqual([
      [1, 'storefront-web', 'ghcr.io/acme/storefront-web:3.2.1', 38],
      [5, 'nightly-backup', 'ghcr.io/acme/backup-runner:1.4.0', 112]
    ])
  })
})

describe('documents the pre-screen skips, when nothing is wrong', () => {
  it('checks the skipped documents of the fixtures with the fast validator alone, and finds nothing', () => {
    for (const file of ['fixtures/manifests/not-images/configmap.yaml', 'fixtures/manifests/not-images/crd-schema.yaml']) {
      const documents = parseManifestText(readFileSync(path.join(repoRoot, file), 'utf8'), wanted)
      const skipped = documents.filter((document) => document.skipped !== null)
      expect(skipped.length).toBeGreaterThan(0)
      expect(skipped.map((document) => [document.fast, document.problems])).toEqual(skipped.map(() => [true, []]))
    }
  })

  it.each([
    // A tab inside a block scalar (a Makefile, an nginx.conf) is text, not indentation.
    ['a tab inside a ConfigMap block scalar', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: build\ndata:\n  Makefile: |\n    all:\n    \tgo build ./...\n', []],
    ['an anchor in a ConfigMap', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n  a: &value one\n  b: *value\n', []],
    // Duplicate keys are no syntax error, but kubectl keeps only the last one: the same warning as for any kind.
    ['a duplicate key in a ConfigMap', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: twice\ndata:\n  LOG_LEVEL: info\n  LOG_LEVEL: debug\n', [['duplicate-key', 'warning', 7, 3]]]
  ])('hands %s to the full parser, which reads it as the reference parse does', (_name, text, expected) => {
    const [document] = parseManifestText(text, wanted)
    expect({ skipped: document?.skipped?.kind, fast: document?.fast }).toEqual({ skipped: 'ConfigMap', fast: false })
    const fast = inventoryFromText(text, 'x.yaml')
    expect(fast.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.line, diagnostic.column])).toEqual(expected)
    expect(fast.diagnostics).toEqual(inventoryFromText(text, 'x.yaml', { strategy: 'reference' }).diagnostics)
  })
})

/** A rendered stream mixing skipped kinds (in the styles their generators write) with workloads. */
const STREAM = `---
# Source: shop/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-config
data:
  LOG_LEVEL: info
  nginx.conf: |
    server {
      listen 8080;
    }
  motd: >-
    Welcome to
    the shop
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/shop:1.2.3
          args: ["--port", "8080"]
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: carts.shop.acme.dev
spec:
  versions:
    - name: v1
      schema:
        openAPIV3Schema:
          properties:
            items:
              description: The items in the cart; each names
                a product and a quantity.
              type: array
            owner:
              description: "Who the cart belongs to, \\
                by user id."
              enum: [user,
                guest]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: shop, namespace: shop}
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs:
      - get
      - list
---
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  ports:
    - port: 80
      targetPort: 8080
`
const EDITS = [' ', '\n', ':', ': ', '- ', '#', '"', "'", '|', '>-', '[', ']', '{', '}', ',', '\t', '&a ', '*a', '{{ .Values.x }}', '\n  ', '  ', '...\n', '---\n']

describe('fast path and reference parse agree on broken streams', () => {
  it('gives the same diagnostics and image uses on mutated streams of skipped kinds and workloads', () => {
    let broken = 0
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), fc.constantFrom(...EDITS)), { minLength: 1, maxLength: 3 }), (edits) => {
        let text = STREAM
        for (const [position, kind, piece] of edits) {
          const at = position % (text.length + 1)
          if (kind === 0) text = text.slice(0, at) + piece + text.slice(at)
          else if (kind === 1) text = text.slice(0, at) + text.slice(at + 1 + (position % 4))
          else {
            const lines = text.split('\n')
            const line = position % lines.length
            lines[line] = position % 2 === 0 ? ` ${lines[line] ?? ''}` : (lines[line] ?? '').replace(/^ /, '')
            text = lines.join('\n')
          }
        }
        const fast = inventoryFromText(text, 'stream.yaml')
        const reference = inventoryFromText(text, 'stream.yaml', { strategy: 'reference' })
        expect({ text, diagnostics: fast.diagnostics }).toEqual({ text, diagnostics: reference.diagnostics })
        expect(fast.images).toEqual(reference.images)
        if (fast.diagnostics.some((diagnostic) => diagnostic.severity === 'error')) broken++
      }),
      { numRuns: 600, seed: 8080 }
    )
    // Not vacuous: a good share of the mutants are broken somewhere.
    expect(broken).toBeGreaterThan(200)
  })
})
