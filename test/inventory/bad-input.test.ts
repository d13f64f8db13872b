// Bad input never stops the run: each case becomes one clear diagnostic with file and line, and
// everything else — other files, other documents of the same file — is still read.
import { describe, expect, it } from 'vitest'
import { buildInventory, inventoryFromText } from '../../src/inventory/index.js'
import type { Diagnostic } from '../../src/model.js'
import { repoRoot } from '../support/node-binaries.js'
import { inventoryOf } from './support.js'

const codesAndPlaces = (diagnostics: Diagnostic[]) =>
  diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.line, diagnostic.column ?? null])

describe('bad documents do not take their neighbours down', () => {
  it('reads documents 1, 2 and 4 around a syntax error in document 3, and points at the unclosed quote', async () => {
    const inventory = await inventoryOf('fixtures/bad/syntax-error-in-third-document.yaml')
    expect(inventory.images.map((use) => [use.document, use.name, use.image, use.line])).toEqual([
      [0, 'first', 'nginx:1.27', 8],
      [1, 'second', 'redis:7.4', 17],
      [3, 'fourth', 'memcached:1.6', 36]
    ])
    expect(inventory.diagnostics).toEqual([
      {
        file: 'fixtures/bad/syntax-error-in-third-document.yaml',
        line: 26,
        column: 14,
        code: 'yaml-syntax',
        severity: 'error',
        message: 'YAML syntax error: Missing closing "quote'
      }
    ])
  })

  it('refuses an alias bomb with bounded work, and reads the next document', async () => {
    const started = performance.now()
    const inventory = await inventoryOf('fixtures/bad/alias-bomb.yaml')
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(codesAndPlaces(inventory.diagnostics)).toEqual([['alias-limit', 'error', 13, 9]])
    expect(inventory.images.map((use) => [use.name, use.image])).toEqual([['after-the-bomb', 'redis:7.4']])
  })

  it('refuses absurd nesting, and reads the next document', async () => {
    const inventory = await inventoryOf('fixtures/bad/deep-nesting.yaml')
    // Line 6 is `  nested: [[[…`: the 201st bracket, at column 211, is one level too many.
    expect(codesAndPlaces(inventory.diagnostics)).toEqual([['too-deep', 'error', 6, 211]])
    expect(inventory.diagnostics[0]?.message).toBe('the document is nested more than 200 levels deep; no Kubernetes object is nested like this')
    expect(inventory.images.map((use) => use.name)).toEqual(['shallow'])
  })

  it('names an unrendered template as such, at its first {{', async () => {
    const inventory = await inventoryOf('fixtures/bad/unrendered-template.yaml')
    expect(inventory.images).toEqual([])
    expect(inventory.diagnostics).toEqual([
      {
        file: 'fixtures/bad/unrendered-template.yaml',
        line: 5,
        column: 9,
        code: 'unrendered-template',
        severity: 'error',
        message: 'this is an unrendered Helm/Go template (`{{ … }}`), not YAML; scan the rendered output instead (`helm template …`)'
      }
    ])
  })

  it('reports tabs used as indentation as a syntax error on their line', async () => {
    const inventory = await inventoryOf('fixtures/bad/tabs.yaml')
    expect(codesAndPlaces(inventory.diagnostics)).toEqual([['yaml-syntax', 'error', 4, 1]])
  })

  it('reads the good objects of a broken JSON stream', async () => {
    const inventory = await inventoryOf('fixtures/bad/broken-stream.json')
    expect(inventory.images.map((use) => [use.name, use.image])).toEqual([['ok', 'busybox:1.36']])
    expect(inventory.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.file])).toEqual([['yaml-syntax', 'fixtures/bad/broken-stream.json']])
  })
})

describe('files that are not text manifests', () => {
  it.each([
    ['binary.yaml', 'binary-file', 3, undefined, 'not read: a binary file (NUL byte at line 3), not a manifest'],
    ['latin1.yaml', 'not-utf8', 3, 6, 'not read: the file is not UTF-8 text (byte 0xE9 at line 3, column 6); manifests must be UTF-8'],
    ['utf16.yaml', 'not-utf8', 1, undefined, 'not read: the file is UTF-16 text; manifests must be UTF-8 (save it as UTF-8)']
  ])('refuses %s with one diagnostic', async (name, code, line, column, message) => {
    const file = `fixtures/bad/${name}`
    const inventory = await inventoryOf(file)
    expect(inventory.diagnostics).toEqual([{ file, line, ...(column !== undefined ? { column } : {}), code, severity: 'error', message }])
    expect(inventory.files).toEqual([])
  })
})

describe('image values of the wrong type', () => {
  it('gives each a diagnostic at the value, and keeps the good container', async () => {
    const inventory = await inventoryOf('fixtures/bad/wrong-image-types.yaml')
    expect(inventory.images.map((use) => use.container)).toEqual(['fine'])
    expect(codesAndPlaces(inventory.diagnostics)).toEqual([
      ['invalid-image-value', 'error', 9, 14],
      ['invalid-image-value', 'error', 11, 14],
      ['invalid-image-value', 'error', 13, 14],
      ['invalid-image-value', 'error', 15, 13],
      ['invalid-image-value', 'error', 17, 14],
      ['invalid-image-value', 'error', 20, 9],
      ['invalid-image-value', 'error', 23, 14],
      ['invalid-image-value', 'error', 25, 14]
    ])
    expect(inventory.diagnostics.map((diagnostic) => diagnostic.message)).toEqual([
      'the image of container "float" of Pod/wrong-types is the number 1.1, not a string: YAML reads `1.10` that way. Quote it: image: "1.10"',
      'the image of container "integer" of Pod/wrong-types is the number 42, not a string: YAML reads `42` that way. Quote it: image: "42"',
      'the image of container "boolean" of Pod/wrong-types is the boolean true, not a string: YAML reads `yes` that way. Quote it: image: "yes"',
      'the image of container "empty" of Pod/wrong-types is empty (null); set it to the image reference to pull',
      'the image of container "explicit-null" of Pod/wrong-types is empty (null); set it to the image reference to pull',
      'the image of container "mapping" of Pod/wrong-types is a mapping, not a string; it must be an image reference such as registry.example.com/app:1.0',
      'the image of container "list" of Pod/wrong-types is a sequence, not a string; it must be an image reference such as registry.example.com/app:1.0',
      'the image of container "date" of Pod/wrong-types is a date, not a string: YAML reads `2024-06-01` that way. Quote it: image: "2024-06-01"'
    ])
  })

  it('keeps control characters and line breaks in image strings, escaped in every message', async () => {
    const inventory = await inventoryOf('fixtures/bad/control-characters.yaml')
    expect(inventory.images.map((use) => use.image)).toEqual(['nginx:1.27\n::error file=x.yaml,line=1::injected', 'nginx\u0007:1.27', 'redis:7.4\r'])
    expect(inventory.images.map((use) => [use.line, use.column, use.reference])).toEqual([
      [9, 14, null],
      [11, 14, null],
      [13, 14, null]
    ])
    for (const use of inventory.images) expect(use.referenceError).not.toBeNull()
  })

  it('does not let a very long reference slow anything down or flood a message', async () => {
    const inventory = await inventoryOf('fixtures/bad/long-reference.yaml')
    expect(inventory.images[0]?.image).toHaveLength(5025)
    expect(inventory.images[0]?.reference).toBeNull()
  })
})

describe('the whole bad corpus', () => {
  it('is read in one run without an exception, every file accounted for', async () => {
    const inventory = await buildInventory({ paths: ['fixtures/bad'], cwd: repoRoot })
    const named = new Set([...inventory.files, ...inventory.diagnostics.map((diagnostic) => diagnostic.file)])
    for (const name of ['alias-bomb', 'binary', 'broken-stream', 'control-characters', 'deep-nesting', 'latin1', 'long-reference', 'syntax-error-in-third-document', 'tabs', 'unrendered-template', 'utf16', 'wrong-image-types']) {
      expect([...named].some((file) => file.startsWith(`fixtures/bad/${name}.`))).toBe(true)
    }
  })

  it('never throws for text that is not YAML at all', () => {
    for (const text of ['', '\n', '---', '...', '- - -', '{', ']', 'a: b: c', '&a *a', '%YAML 9.9\n---\nx', '\u0000', '? ? ?', '!!binary x']) {
      expect(() => inventoryFromText(text, 'x.yaml')).not.toThrow()
    }
  })
})
