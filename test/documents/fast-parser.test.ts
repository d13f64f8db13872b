// The fast parser may give up on anything, but whenever it accepts a document its tree must be
// exactly the `yaml` package's: same values, same offsets. Checked on hand-picked cases, on
// generated block YAML (which it must accept), and on random mutations of manifests (where most
// results are invalid YAML, which it must never accept).
import fc from 'fast-check'
import { parseDocument } from 'yaml'
import { describe, expect, it } from 'vitest'
import { adaptYamlDocument, parseSimpleDocument, scalarValue, splitYamlStream, type YamlNode } from '../../src/documents/index.js'
import { isPlainStringKey, YAML_OPTIONS } from '../../src/documents/scalar-resolution.js'

/** A comparable picture of a tree: values and start offsets (end offsets where the token has one). */
function picture(node: YamlNode | null): unknown {
  if (node === null) return null
  if (node.type === 'scalar') {
    const value = scalarValue(node)
    const block = node.style === 'literal' || node.style === 'folded'
    return { at: node.start, ...(block ? {} : { end: node.end }), style: node.style, value: value instanceof Date ? `date:${value.toISOString()}` : value }
  }
  if (node.type === 'seq') return { at: node.start, items: node.items.map(picture) }
  return { at: node.start, entries: [...node.entries].map(([key, value]) => [key, picture(value)]) }
}

/** The reference reading of a document slice: the `yaml` package through the adapter. */
function referenceOf(text: string, start: number, end: number): { ok: boolean; tree: unknown } {
  const adapted = adaptYamlDocument(parseDocument(text.slice(start, end), YAML_OPTIONS), text, start)
  return { ok: adapted.problems.length === 0, tree: picture(adapted.root) }
}

/** Checks every document of `text` the fast parser accepts; returns how many it accepted. */
function checkAgreement(text: string): number {
  let accepted = 0
  for (const chunk of splitYamlStream(text)) {
    if (/[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ufeff]|\r(?!\n)/.test(text.slice(chunk.start, chunk.end))) continue
    const fast = parseSimpleDocument(text, chunk.start, chunk.end)
    if (!fast.ok) continue
    accepted++
    const reference = referenceOf(text, chunk.start, chunk.end)
    expect({ text: text.slice(chunk.start, chunk.end), ok: reference.ok }).toEqual({ text: text.slice(chunk.start, chunk.end), ok: true })
    expect(picture(fast.root)).toEqual(reference.tree)
  }
  return accepted
}

describe('fast parser: accepted documents', () => {
  it.each([
    ['mappings and sequences', 'a: 1\nb:\n  c: d\n  e:\n    - f\n    - g: h\n      i: j\n'],
    ['an indentless sequence', 'containers:\n- name: a\n  image: x\n- name: b\n'],
    ['compact nested sequences (Argo steps)', 'steps:\n  - - name: build\n      template: b\n    - name: test\n  - - name: deploy\n'],
    ['quoted scalars with escapes', `a: "tab\\there \\u00e9 \\x41 \\"q\\""\nb: 'it''s'\n"c d": x\n`],
    ['block scalars', 'a: |\n  one\n\n  two\nb: |-\n  x\nc: >\n  folded\n  line\n\n  para\nd: >-\n  x\ne: |\nf: 1\n'],
    ['one-line flow collections', 'a: [1, "two", three, {x: y}, []]\nb: {"k": "v", num: 2, e: {}}\nc: [ ]\n'],
    ['comments everywhere', '# head\na: b # tail\n  # indented\nc:   # after key\n  d: e\n'],
    ['empty values', 'a:\nb:   \nc: # comment\nd: ~\n'],
    ['YAML 1.1 scalars', 'a: yes\nb: off\nc: 010\nd: 0x1F\ne: 1_000\nf: 1.10\ng: .inf\nh: 2001-12-14\ni: null\nj: 190:20:30\n'],
    ['CRLF', 'a: 1\r\nb:\r\n  - "x"\r\n  - |\r\n    y\r\n'],
    ['a document end marker', 'a: 1\n...\n# trailing comment\n']
  ])('%s', (_name, text) => {
    expect(parseSimpleDocument(text, 0, text.length).ok).toBe(true)
    expect(checkAgreement(text)).toBe(1)
  })

  it('keeps offsets absolute within a stream', () => {
    const text = 'a: 1\n---\n# Source: x\nb:\n  c: "d"\n'
    const chunk = splitYamlStream(text)[1]
    if (chunk === undefined) throw new Error('no second document')
    const result = parseSimpleDocument(text, chunk.start, chunk.end)
    if (!result.ok || result.root?.type !== 'map') throw new Error('not parsed')
    const c = result.root.entries.get('b')
    expect(c?.type === 'map' ? c.entries.get('c')?.start : -1).toBe(text.indexOf('"d"'))
  })
})

describe('fast parser: gives up on what it does not read', () => {
  it.each([
    ['anchors', 'a: &x 1\nb: *x\n'],
    ['tags', 'a: !!str 1\n'],
    ['merge keys', 'a: {x: 1}\nb:\n  <<: {y: 2}\n'],
    ['duplicate keys', 'a: 1\na: 2\n'],
    ['multi-line plain scalars', 'a: one\n  two\n'],
    ['multi-line quoted scalars', 'a: "one\n  two"\n'],
    ['multi-line flow collections', 'a: [1,\n  2]\n'],
    ['non-string keys', 'yes: 1\n'],
    ['explicit indentation indicators', 'a: |2\n   x\n'],
    ['keep chomping', 'a: |+\n  x\n\n'],
    ['more-indented folded lines', 'a: >\n  x\n    y\n'],
    ['a nested mapping on a value line', 'a: b: c\n'],
    ['content after the document end', 'a: 1\n...\nb: 2\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    // `yaml` reads the dash as a block sequence indicator, which a flow collection may not hold.
    ['a lone dash in a flow sequence', 'a: [-]\n']
  ])('%s', (_name, text) => {
    expect(parseSimpleDocument(text, 0, text.length).ok).toBe(false)
  })
})

/** Renders generated values as block YAML, in the styles rendered manifests use. */
type Value = string | number | boolean | null | Value[] | { [key: string]: Value }

function renderBlock(value: Value, indent: number): string {
  const pad = ' '.repeat(indent)
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []\n'
    return `\n${value.map((item) => `${pad}-${renderItem(item, indent + 2)}`).join('')}`
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
    if (entries.length === 0) return ' {}\n'
    return `\n${entries.map(([key, item]) => `${pad}${key}:${renderBlock(item, indent + 2)}`).join('')}`
  }
  return ` ${renderScalar(value)}\n`
}

function renderItem(value: Value, indent: number): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    // Compact mapping: the first key on the dash's line.
    const [first, ...rest] = Object.entries(value)
    const pad = ' '.repeat(indent)
    return ` ${first?.[0]}:${renderBlock(first?.[1] ?? null, indent + 2)}${rest.map(([key, item]) => `${pad}${key}:${renderBlock(item, indent + 2)}`).join('')}`
  }
  return renderBlock(value, indent)
}

function renderScalar(value: string | number | boolean | null): string {
  if (typeof value === 'string') return JSON.stringify(value)
  return String(value)
}

// Keys YAML 1.1 reads as strings (not `yes`, `n`, or `e0`, which is a float there).
const keyArbitrary = fc.stringMatching(/^[a-z][a-zA-Z0-9.\/-]{0,12}$/).filter(isPlainStringKey)
const scalarArbitrary = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null))
const valueArbitrary: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarArbitrary,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(keyArbitrary, tie('value'), { maxKeys: 4 })
  )
})).value

describe('fast parser: generated block YAML', () => {
  it('accepts every generated document and reads it exactly as yaml does', () => {
    fc.assert(
      fc.property(fc.dictionary(keyArbitrary, valueArbitrary, { minKeys: 1, maxKeys: 5 }), (root) => {
        const text = renderBlock(root, 0).slice(1)
        expect(parseSimpleDocument(text, 0, text.length).ok).toBe(true)
        expect(checkAgreement(text)).toBe(1)
      }),
      { numRuns: 400, seed: 20261121 }
    )
  })
})

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, "tier": 'front'}
spec:
  template:
    spec:
      containers:
      - name: app
        image: "nginx:1.25" # pinned
        args: ["--port", '8080', x]
        command:
          - sh
          - |
            exec app
        env:
        - name: A
          value: >-
            folded text
            more
      - name: b
        image: busybox
steps:
  - - name: build
    - name: test
`
const PIECES = [' ', ':', '-', '#', '"', "'", '|', '>', '[', ']', '{', '}', ',', '\n', 'a', '&', '*', '!', '?', '\\', '  ', '- ', ': ', '\n  ', '1', '.', 'yes', '<<: ', '%', '@', '...', '---\n', '\r\n', '\t', 'é']

describe('fast parser: mutated manifests', () => {
  it('never accepts a document yaml rejects, and agrees on every document it accepts', () => {
    let accepted = 0
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), fc.constantFrom(...PIECES)), { minLength: 1, maxLength: 3 }),
        (mutations) => {
          let text = MANIFEST
          for (const [position, kind, piece] of mutations) {
            const at = position % (text.length + 1)
            if (kind === 0) text = text.slice(0, at) + piece + text.slice(at)
            else if (kind === 1) text = text.slice(0, at) + text.slice(at + 1 + (position % 3))
            else {
              const lines = text.split('\n')
              lines.splice(position % lines.length, 0, lines[(position * 7) % lines.length] ?? '')
              text = lines.join('\n')
            }
          }
          accepted += checkAgreement(text)
        }
      ),
      { numRuns: 3000, seed: 4242 }
    )
    // Not vacuous: a good share of the mutants are still simple enough for the fast parser.
    expect(accepted).toBeGreaterThan(300)
  })
})
