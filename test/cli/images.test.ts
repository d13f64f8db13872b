// `pullcheck images`: the built CLI (dist/cli.js) under every Node runtime the project supports —
// text for a person, JSON validated against schemas/images.schema.json, stdin, bad input (exit 0
// with diagnostics), usage errors (exit 2) — and the renderers in-process for the finer cases.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderImagesText } from '../../src/cli/commands/images.js'
import { inventoryFromText } from '../../src/inventory/index.js'
import { nodeRuntimes } from '../support/node-binaries.js'
import { runCli } from '../support/run-cli.js'
import { assertMatchesSchema } from '../support/schemas.js'

interface ImagesJson {
  images: Array<Record<string, unknown> & { file: string; line: number; column: number; image: string }>
  diagnostics: Array<{ file: string; line: number; column?: number; code: string; severity: string; message: string }>
  files: string[]
  secrets: Array<Record<string, unknown>>
  serviceAccounts: Array<Record<string, unknown>>
}

function parseJson(stdout: string): ImagesJson {
  const data: unknown = JSON.parse(stdout)
  assertMatchesSchema('images.schema.json', data)
  return data as ImagesJson
}

/** The initial bad inputs (the hostile corpus in the same directory has its own tests). */
const BAD_FILES = [
  'alias-bomb.yaml',
  'binary.yaml',
  'broken-stream.json',
  'control-characters.yaml',
  'deep-nesting.yaml',
  'latin1.yaml',
  'long-reference.yaml',
  'syntax-error-in-third-document.yaml',
  'tabs.yaml',
  'unrendered-template.yaml',
  'utf16.yaml',
  'wrong-image-types.yaml'
].map((name) => `fixtures/bad/${name}`)

let scratch = ''
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'pullcheck-images-cli-'))
  writeFileSync(path.join(scratch, 'app.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: local\nspec:\n  containers:\n    - name: app\n      image: nginx\n')
})
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe.each(nodeRuntimes)('pullcheck images under $label', ({ binary }) => {
  it('prints the inventory of a file for a person, grouped by file', async () => {
    const run = await runCli(['images', 'fixtures/manifests/workloads/deployment.yaml'], { node: binary })
    expect(run).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'fixtures/manifests/workloads/deployment.yaml',
        '  29:18  Deployment/storefront-api  migrate (init)         ghcr.io/acme/storefront-migrations:2.14.0  →  ghcr.io/acme/storefront-migrations:2.14.0',
        '  32:18  Deployment/storefront-api  log-shipper (sidecar)  docker.io/fluent/fluent-bit:3.1.4  →  docker.io/fluent/fluent-bit:3.1.4',
        '  36:18  Deployment/storefront-api  api                    ghcr.io/acme/storefront-api:2.14.0  →  ghcr.io/acme/storefront-api:2.14.0',
        '  46:18  Deployment/storefront-api  metrics                prom/statsd-exporter  →  docker.io/prom/statsd-exporter:latest',
        '',
        '4 images in 1 file',
        ''
      ].join('\n')
    })
  })

  it('writes JSON that follows the schema and the contract, for every fixture', async () => {
    const run = await runCli(['images', 'fixtures/manifests', 'fixtures/helm', '--format', 'json'], { node: binary })
    expect(run.code).toBe(0)
    expect(run.stderr).toBe('')
    const output = parseJson(run.stdout)
    expect(output.images).toHaveLength(72)
    expect(output.images.find((image) => image.container === 'api')).toEqual({
      file: 'fixtures/manifests/workloads/deployment.yaml',
      line: 36,
      column: 18,
      endColumn: 52,
      document: 0,
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'storefront-api',
      containerType: 'container',
      container: 'api',
      image: 'ghcr.io/acme/storefront-api:2.14.0',
      templated: false,
      reference: {
        canonical: 'ghcr.io/acme/storefront-api:2.14.0',
        registry: 'ghcr.io',
        repository: 'acme/storefront-api',
        tag: '2.14.0',
        digest: null,
        implied: []
      },
      referenceError: null,
      source: null,
      imagePullPolicy: 'IfNotPresent',
      pod: {
        namespace: 'shop',
        serviceAccountName: 'storefront',
        imagePullSecrets: [
          { name: 'ghcr-pull', file: 'fixtures/manifests/workloads/deployment.yaml', line: 22, column: 17 },
          { name: 'harbor-pull', file: 'fixtures/manifests/workloads/deployment.yaml', line: 23, column: 17 }
        ],
        nodeSelector: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' },
        placement: { architectures: ['arm64'], operatingSystems: ['linux'] }
      }
    })
    const helm = output.images.find((image) => image.container === 'redis')
    expect(helm?.source).toBe('shop/charts/redis/templates/statefulset.yaml')
    expect(output.diagnostics.map((diagnostic) => diagnostic.code).sort()).toEqual([
      'duplicate-key',
      'helm-chart-template',
      ...Array(9).fill('templated-image')
    ])
  })

  it('never prints a secret value: secrets are listed by name, type and keys', async () => {
    const run = await runCli(['images', 'fixtures/manifests/secrets', '--format', 'json'], { node: binary })
    const output = parseJson(run.stdout)
    expect(output.secrets.find((secret) => secret.name === 'quay-pull')).toEqual({
      file: 'fixtures/manifests/secrets/pull-secrets.yaml',
      line: 24,
      column: 9,
      document: 2,
      kind: 'Secret',
      name: 'quay-pull',
      namespace: 'shop',
      type: 'kubernetes.io/dockerconfigjson',
      keys: ['.dockerconfigjson'],
      opaqueContents: false
    })
    for (const secretText of ['fixture-password', 'fixture-token-not-real', 'Y2ktYm90OmZpeHR1cmUtdG9rZW4tbm90LXJlYWw']) {
      expect(run.stdout).not.toContain(secretText)
    }
  })

  it('reads stdin with -, reported as <stdin>, JSON streams included', async () => {
    const yaml = await runCli(['images', '-', '--format', 'json'], {
      node: binary,
      stdin: '---\n# Source: app/templates/pod.yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: piped\nspec:\n  containers:\n    - name: app\n      image: "alpine:3.20"\n'
    })
    expect(parseJson(yaml.stdout).images.map((image) => [image.file, image.line, image.column, image.image, image.source])).toEqual([
      ['<stdin>', 10, 14, 'alpine:3.20', 'app/templates/pod.yaml']
    ])
    const json = await runCli(['images', '-', '--format', 'json'], {
      node: binary,
      stdin: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"spec":{"containers":[{"name":"a","image":"busybox"}]}}{"apiVersion":"v1","kind":"Pod","metadata":{"name":"b"},"spec":{"containers":[{"name":"b","image":"redis"}]}}'
    })
    expect(parseJson(json.stdout).images.map((image) => [image.document, image.line, image.column, image.image])).toEqual([
      [0, 1, 99, 'busybox'],
      [1, 1, 210, 'redis']
    ])
  })

  it('reads the bad inputs, exits 0 and lists a diagnostic for each problem', async () => {
    const run = await runCli(['images', ...BAD_FILES, '--format', 'json'], { node: binary })
    expect(run.code).toBe(0)
    expect(run.stderr).toBe('')
    const output = parseJson(run.stdout)
    expect(output.images.map((image) => image.image).filter((image) => image.length < 100)).toEqual([
      'redis:7.4',
      'busybox:1.36',
      'nginx:1.27\n::error file=x.yaml,line=1::injected',
      'nginx\u0007:1.27',
      'redis:7.4\r',
      'redis:7.4',
      'nginx:1.27',
      'redis:7.4',
      'memcached:1.6',
      'nginx:1.27'
    ])
    expect(output.diagnostics.map((diagnostic) => `${diagnostic.file}:${diagnostic.line} ${diagnostic.code}`)).toContain(
      'fixtures/bad/syntax-error-in-third-document.yaml:26 yaml-syntax'
    )
    expect(new Set(output.diagnostics.map((diagnostic) => diagnostic.code))).toEqual(
      new Set(['alias-limit', 'binary-file', 'yaml-syntax', 'too-deep', 'not-utf8', 'unrendered-template', 'invalid-image-value'])
    )
  })

  it('keeps each image on one line of text output, escaping line breaks and control characters', async () => {
    const run = await runCli(['images', 'fixtures/bad/control-characters.yaml'], { node: binary })
    expect(run.code).toBe(0)
    const imageLines = run.stdout.split('\n').filter((line) => line.startsWith('  '))
    expect(imageLines.map((line) => line.trim().split(/ {2,}/).slice(0, 4))).toEqual([
      ['9:14', 'Pod/control-characters', 'newline', '"nginx:1.27\\n::error file=x.yaml,line=1::injected"'],
      ['11:14', 'Pod/control-characters', 'bell', '"nginx\\u0007:1.27"'],
      ['13:14', 'Pod/control-characters', 'carriage-return', '"redis:7.4\\r"']
    ])
    expect(run.stdout).not.toMatch(/[\x07\r]/)
    expect(run.stdout.split('\n').some((line) => line.startsWith('::error'))).toBe(false)
  })

  it('refuses a file over --max-file-size with a diagnostic, not a failure', async () => {
    const run = await runCli(['images', 'app.yaml', '--max-file-size', '10', '--format', 'json'], { node: binary, cwd: scratch })
    expect(run.code).toBe(0)
    expect(parseJson(run.stdout).diagnostics).toEqual([
      {
        file: 'app.yaml',
        line: 1,
        code: 'too-large',
        severity: 'warning',
        message: 'not read: the file is 104 bytes, over the 10 bytes limit (--max-file-size, or maxFileSize in .pullcheck.yaml)'
      }
    ])
  })

  it('scans the current directory when no path is given', async () => {
    const run = await runCli(['images', '--format', 'json'], { node: binary, cwd: scratch })
    expect(parseJson(run.stdout).images.map((image) => [image.file, image.line, image.column])).toEqual([['app.yaml', 8, 14]])
  })

  it('exits 2 with the flag and what was expected on a usage error', async () => {
    expect(await runCli(['images', '--format', 'xml'], { node: binary })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'pullcheck images: --format: expected one of text, json, got "xml"\n'
    })
    const size = await runCli(['images', '--max-file-size', 'lots'], { node: binary })
    expect(size.code).toBe(2)
    expect(size.stderr).toMatch(/^pullcheck images: --max-file-size: /)
    const unknown = await runCli(['images', '--colour'], { node: binary })
    expect(unknown).toMatchObject({ code: 2, stdout: '' })
    expect(unknown.stderr).toContain("unknown option '--colour'")
  })
})

describe('renderImagesText', () => {
  it('lists diagnostics after the images, and a summary with templated, invalid and severity counts', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: $IMAGE\n    - name: b\n      image: Bad:1\n    - name: c\n      image: 1.0\n'
    expect(renderImagesText(inventoryFromText(text, 'pod.yaml'))).toBe(
      [
        'pod.yaml',
        '  8:14   Pod/p  a  $IMAGE  (template: not checked)',
        '  10:14  Pod/p  b  Bad:1  ✗  invalid reference format: repository name (library/Bad) must be lowercase',
        '',
        'Diagnostics',
        '  pod.yaml:8:14   notice  templated-image      the image of container "a" of Pod/p is a template ($IMAGE), not a reference: not checked; scan the rendered output to check it',
        '  pod.yaml:12:14  error   invalid-image-value  the image of container "c" of Pod/p is the number 1, not a string: YAML reads `1.0` that way. Quote it: image: "1.0"',
        '',
        '2 images (1 templated, 1 invalid) in 1 file; 2 diagnostics (1 error, 1 notice)',
        ''
      ].join('\n')
    )
  })

  it('names an empty run', () => {
    expect(renderImagesText({ files: [], images: [], secrets: [], serviceAccounts: [], diagnostics: [] })).toBe('0 images in 0 files\n')
  })
})
