// The fast validator checks the syntax of documents whose tree nobody needs. It may hand any
// document to the `yaml` package, but when it accepts one, `yaml` (through the adapter, as the
// reference parse reads it) must accept it too without a single problem. Checked on hand-picked
// cases, on generated documents in every style it reads (which it must accept itself), and on
// random mutations of realistic manifests (most of them broken, which it must never accept).
import fc from 'fast-check'
import { parseDocument } from 'yaml'
import { describe, expect, it } from 'vitest'
import { adaptYamlDocument, parseSimpleDocument, splitYamlStream, validateSimpleDocument } from '../../src/documents/index.js'
import { isPlainStringKey, YAML_OPTIONS } from '../../src/documents/scalar-resolution.js'

/** What the fast path hands to `yaml` without asking the validator (see parse.ts). */
const UNUSUAL_CHARACTER = /[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ufeff]|\r(?!\n)/

/** The reference verdict on a document slice: the problems the reference parse reports (errors and warnings). */
function referenceProblems(text: string, start: number, end: number): string[] {
  const adapted = adaptYamlDocument(parseDocument(text.slice(start, end), YAML_OPTIONS), text, start)
  return adapted.problems.map((problem) => `${problem.code}@${problem.offset}: ${problem.message}`)
}

interface Tally {
  /** Documents the validator accepted (each checked against the reference). */
  accepted: number
  /** Documents the reference finds a problem in (each checked to be refused by the validator). */
  broken: number
  /** Documents the reference reads cleanly but the validator handed over. */
  handedOver: number
}

/** Checks every document of `text` the caller's fast path would ask the validator about. */
function checkDocuments(text: string, tally: Tally = { accepted: 0, broken: 0, handedOver: 0 }): Tally {
  for (const chunk of splitYamlStream(text)) {
    const slice = text.slice(chunk.start, chunk.end)
    if (UNUSUAL_CHARACTER.test(slice)) continue
    const verdict = validateSimpleDocument(text, chunk.start, chunk.end)
    const problems = referenceProblems(text, chunk.start, chunk.end)
    if (verdict.ok) {
      tally.accepted++
      expect({ document: slice, problems }).toEqual({ document: slice, problems: [] })
    } else if (problems.length > 0) {
      tally.broken++
    } else {
      tally.handedOver++
    }
    // Validation reads a superset of what the parser reads.
    if (parseSimpleDocument(text, chunk.start, chunk.end).ok) expect({ document: slice, validated: verdict.ok }).toEqual({ document: slice, validated: true })
  }
  return tally
}

/** Asserts that the validator decides `text` (one document) itself, and that `yaml` agrees it is clean. */
function expectAccepted(text: string): void {
  expect(validateSimpleDocument(text, 0, text.length)).toEqual({ ok: true })
  expect(referenceProblems(text, 0, text.length)).toEqual([])
}

describe('fast validator: accepts what yaml reads cleanly, in the styles manifests use', () => {
  it.each([
    ['multi-line plain scalars in a mapping', 'a: one\n  two\n\n  three\nb: x\n'],
    ['a multi-line plain scalar with a comment after it', 'a: one\n  two # note\nb: x\n'],
    ['multi-line plain scalars in sequences and compact mappings', 'a:\n- one\n  two\n- key: one\n    two\n  other: z\n'],
    ['a plain scalar on the line after its key', 'description:\n  A long text that a\n  generator wrapped.\nnext: 1\n'],
    ['continuation lines with indicators inside', 'a: b\n  c:d e,f [g] {h} -i ?j\n'],
    ['multi-line double-quoted scalars', 'a: "one\n  two \\\n  three\n\n  \\u00e9 \\" end"\nb: "x\n \n y" # c\n'],
    ['multi-line single-quoted scalars', "a: 'it''s\n  multi-line\n\n  text'\n"],
    ['a quoted scalar on the line after its key', 'a:\n  "one\n  two"\nb: 1\n'],
    ['block scalar indicators', 'a: |2\n    two more\n  base\nb: |+\n  keep\n\nc: >-1\n   x\nd: |2-\n   y\ne: >\n  folded\n    more indented\n  back\n'],
    ['block scalars with whitespace-only lines after the content', 'a: |\n  x\n       \n  y\n     \nb: 1\n'],
    ['block scalar indicators in sequences', 'a:\n  - |1\n     x\n  - k: >2\n        y\n'],
    ['multi-line flow collections with comments', 'rules:\n  - verbs: [get,\n      list, # read\n      watch]\n    map: {a: 1,\n      "b": [x, y],\n      c: "multi\n       line"\n      }\n'],
    ['empty sequence entries', 'a:\n  -\n  - # nothing\n  - x\n'],
    ['CRLF line breaks', 'a: one\r\n  two\r\nb: "x\r\n  y"\r\nc: |2\r\n    z\r\n'],
    ['a document end marker after a multi-line value', 'a: one\n  two\n...\n# trailing comment\n']
  ])('%s', (_name, text) => {
    expectAccepted(text)
  })
})

describe('fast validator: never accepts what yaml rejects', () => {
  it.each([
    ['a continuation line after a comment', 'a: b # c\n  d\n'],
    ['a comment line inside a plain scalar', 'a: b\n  # c\n  d\n'],
    ['a mapping inside a multi-line plain scalar', 'a: b\n  c: d\n'],
    ['a key indented one space too far', 'data:\n  A: x\n   B: y\n'],
    ['an unclosed double quote', 'a: "b\nc: d\n'],
    ['an unclosed single quote', "a: 'b\n  c\n"],
    ['a quoted scalar line not indented enough', 'x:\n  a: "b\n  c"\n'],
    ['text after a multi-line quoted scalar', 'a: "b\n c" d\n'],
    ['a bad escape on a later line', 'a: "b\n \\q"\n'],
    ['a flow line not indented enough', 'x:\n  a: [b,\n  c]\n'],
    ['a comment not separated by a space in a flow collection', 'a: [b,# c\n d]\n'],
    ['a lone dash in a flow collection', 'a: [b, -]\n'],
    ['an unclosed flow collection', 'a: [b,\n  c\n'],
    ['more-indented leading blank lines in a block scalar', 'a: |\n     \n  x\n'],
    ['a block scalar indicator 0', 'a: |0\n x\n'],
    ['a block scalar line less indented than its indicator says', 'x:\n  a: |3\n    y\n   z\n'],
    ['a sequence entry indented less than the one before', 'a:\n  - b\n - c\n'],
    ['a plain line after a sequence, at its indentation', 'a:\n  - b\n  c\n']
  ])('%s', (_name, text) => {
    expect(referenceProblems(text, 0, text.length)).not.toEqual([])
    expect(validateSimpleDocument(text, 0, text.length).ok).toBe(false)
  })
})

describe('fast validator: hands over what it does not decide', () => {
  it.each([
    // Duplicate keys are read with a warning, which only `yaml` (through the adapter) gives.
    ['duplicate keys', 'a: 1\na: 2\n', ['duplicate-key']],
    ['anchors and aliases', 'a: &x 1\nb: *x\n', []],
    ['tags', 'a: !!str 1\n', []],
    ['merge keys', 'a: {x: 1}\nb:\n  <<: {y: 2}\n', []],
    ['a multi-line scalar at the top level', 'one\ntwo\n', []],
    ['a plain scalar continued by a line starting with an indicator', 'a: b\n  - c\n', []],
    // `yaml` accepts a closing bracket at the owner's indentation; the validator asks for more.
    ['a flow collection closed at its owner\'s indentation', 'a: [b,\n  c\n]\n', []]
  ])('%s', (_name, text, codes) => {
    expect(validateSimpleDocument(text, 0, text.length).ok).toBe(false)
    const adapted = adaptYamlDocument(parseDocument(text, YAML_OPTIONS), text, 0)
    expect(adapted.problems.map((problem) => problem.code)).toEqual(codes)
  })
})

// ---- generated documents --------------------------------------------------------------------------

/** A word of plain text: never an indicator, never `: ` or ` #`. */
const wordArbitrary = fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9.,\/()=+_@-]{0,10}$/)
/** A word that is also a plain scalar inside a flow collection (no `,`). */
const flowWordArbitrary = fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9.\/()=+_@-]{0,10}$/)
const keyArbitrary = fc.stringMatching(/^[a-z][a-zA-Z0-9.\/-]{0,12}$/).filter(isPlainStringKey)
/** Text for quoted scalars, with the characters that need care inside quotes. */
const quotedTextArbitrary = fc.array(fc.oneof(wordArbitrary, fc.constantFrom('#', ': ', '"', "'", '\\', '- ', '[', '}', '{{ x }}')), { minLength: 1, maxLength: 6 })

type Scalar =
  | { style: 'plain'; lines: string[][] }
  | { style: 'double' | 'single'; lines: string[][] }
  | { style: 'block'; header: string; explicit: number; lines: string[]; trailingBlanks: number }
  | { style: 'flow'; items: string[]; breakAfter: boolean[]; comment: boolean }
type Node = { scalar: Scalar } | { map: Array<[string, Node]> } | { seq: Node[] }

/** Lines of a multi-line scalar: each line a list of words, an empty list for a blank line. */
const linesArbitrary = (words: fc.Arbitrary<string[]>) =>
  fc.tuple(words, fc.array(fc.oneof({ weight: 4, arbitrary: words }, { weight: 1, arbitrary: fc.constant([] as string[]) }), { maxLength: 3 })).map(([first, rest]) => {
    // A blank line may not be the last one of a plain scalar (it would end it).
    const lines = [first, ...rest]
    while (lines.length > 1 && (lines.at(-1) ?? []).length === 0) lines.pop()
    return lines
  })

const scalarArbitrary: fc.Arbitrary<Scalar> = fc.oneof(
  linesArbitrary(fc.array(wordArbitrary, { minLength: 1, maxLength: 4 })).map((lines) => ({ style: 'plain' as const, lines })),
  fc.tuple(fc.constantFrom('double' as const, 'single' as const), linesArbitrary(quotedTextArbitrary)).map(([style, lines]) => ({ style, lines })),
  fc
    .record({
      indicator: fc.constantFrom('|', '>'),
      chomping: fc.constantFrom('', '-', '+'),
      explicit: fc.constantFrom(0, 0, 1, 2, 3),
      lines: fc.array(fc.tuple(fc.nat({ max: 3 }), fc.array(fc.oneof(wordArbitrary, fc.constantFrom('#', ': ', '"', '- ', '{{ x }}')), { maxLength: 4 })), { minLength: 1, maxLength: 4 }),
      trailingBlanks: fc.nat({ max: 2 }),
      chompingFirst: fc.boolean()
    })
    .map(({ indicator, chomping, explicit, lines, trailingBlanks, chompingFirst }) => {
      const digit = explicit === 0 ? '' : String(explicit)
      const header = indicator + (chompingFirst ? chomping + digit : digit + chomping)
      // The first line sets the indentation unless it is explicit: never more indented then.
      const rendered = lines.map(([extra, words], index) => (words.length === 0 ? '' : ' '.repeat(index === 0 && explicit === 0 ? 0 : extra) + words.join(' ')))
      if (explicit === 0 && rendered[0] === '') rendered[0] = 'x'
      return { style: 'block' as const, header, explicit, lines: rendered, trailingBlanks }
    }),
  fc
    .record({ items: fc.array(fc.oneof(flowWordArbitrary, fc.constant('"q, uoted"')), { maxLength: 5 }), breaks: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), comment: fc.boolean() })
    .map(({ items, breaks, comment }) => ({ style: 'flow' as const, items, breakAfter: breaks, comment }))
)

const nodeArbitrary: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarArbitrary.map((scalar) => ({ scalar })),
    fc.uniqueArray(fc.tuple(keyArbitrary, tie('node')), { minLength: 1, maxLength: 4, selector: ([key]) => key }).map((map) => ({ map })),
    fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((seq) => ({ seq }))
  )
})).node

/** Renders a scalar as the value of a collection whose entries sit at `ownerIndent`; the text follows `key:` or `- `. */
function renderScalar(scalar: Scalar, ownerIndent: number): string {
  const pad = ' '.repeat(ownerIndent + 2)
  switch (scalar.style) {
    case 'plain':
      return ` ${scalar.lines.map((words) => words.join(' ')).join(`\n${pad}`).replace(/\n +\n/g, '\n\n')}\n`
    case 'double':
    case 'single': {
      const quote = scalar.style === 'double' ? '"' : "'"
      const escape = (word: string) => (scalar.style === 'double' ? word.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : word.replace(/'/g, "''"))
      const body = scalar.lines.map((words) => words.map(escape).join(' ')).join(`\n${pad}`)
      return ` ${quote}${body.replace(/\n +\n/g, '\n\n')}${quote}\n`
    }
    case 'block': {
      const contentPad = scalar.explicit === 0 ? pad : ' '.repeat(ownerIndent + scalar.explicit)
      const body = scalar.lines.map((line) => (line === '' ? '' : `${contentPad}${line}`)).join('\n')
      return ` ${scalar.header}\n${body}\n${'\n'.repeat(scalar.trailingBlanks)}`
    }
    case 'flow': {
      let text = ' ['
      scalar.items.forEach((item, index) => {
        text += item + (index < scalar.items.length - 1 ? ',' : '')
        if (scalar.breakAfter[index] === true) text += `${scalar.comment ? ' # note' : ''}\n${pad}`
        else text += ' '
      })
      return `${text}]\n`
    }
  }
}

/** Renders a node as the value after `key:` (or after `- `) in a collection at `ownerIndent`. */
function renderValue(node: Node, ownerIndent: number): string {
  if ('scalar' in node) return renderScalar(node.scalar, ownerIndent)
  const indent = ownerIndent + 2
  return `\n${renderCollection(node, indent)}`
}

function renderCollection(node: { map: Array<[string, Node]> } | { seq: Node[] }, indent: number): string {
  const pad = ' '.repeat(indent)
  if ('map' in node) return node.map.map(([key, value]) => `${pad}${key}:${renderValue(value, indent)}`).join('')
  return node.seq
    .map((item) => {
      if (!('map' in item)) return `${pad}-${renderValue(item, indent)}`
      // A compact mapping: its first key on the dash's line, the others lined up with it.
      const [[firstKey, firstValue], ...rest] = item.map as [[string, Node], ...Array<[string, Node]>]
      const rendered = renderCollection({ map: rest }, indent + 2)
      return `${pad}- ${firstKey}:${renderValue(firstValue, indent + 2)}${rendered}`
    })
    .join('')
}

describe('fast validator: generated documents', () => {
  it('accepts every generated document itself, and yaml reads each without a problem', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(keyArbitrary, nodeArbitrary), { minLength: 1, maxLength: 5, selector: ([key]) => key }), (entries) => {
        const text = renderCollection({ map: entries }, 0)
        expect(referenceProblems(text, 0, text.length)).toEqual([])
        expect({ text, verdict: validateSimpleDocument(text, 0, text.length) }).toEqual({ text, verdict: { ok: true } })
      }),
      { numRuns: 500, seed: 20261121 }
    )
  })
})

// ---- mutated manifests ----------------------------------------------------------------------------

/** Documents of the kinds the inventory only validates, in the styles their generators write. */
const SEEDS = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: backups.storage.acme.dev
spec:
  versions:
    - name: v1
      schema:
        openAPIV3Schema:
          properties:
            schedule:
              description: Cron schedule of the backup; when unset
                the operator's default applies.
              type: string
            retention:
              description: "How many backups to keep, \\
                counted per schedule."
              enum: [daily,
                weekly] # more later
              x-kubernetes-validations:
                - rule: 'self.size() > 0 &&
                    self != ''none'''
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: storefront-config
data:
  LOG_LEVEL: info
  nginx.conf: |2
      server {
        listen 8080;
      }
  motd: >-
    Welcome
      to the shop

  empty: |+

---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: backup-operator,
  labels: {app: backup}}
rules:
  - apiGroups: ["storage.acme.dev"]
    resources: [backups, "backups/status"]
    verbs:
    - get
    -
    - watch
`
const PIECES = [' ', ':', '-', '#', '"', "'", '|', '>', '[', ']', '{', '}', ',', '\n', 'a', '&', '*', '!', '?', '\\', '  ', '- ', ': ', '\n  ', '1', '2', '+', '.', 'yes', '<<: ', '%', '@', '...', '---\n', '\r\n', 'é', '{{ x }}']

describe('fast validator: mutated manifests', () => {
  it('never accepts a document the reference parse finds a problem in', () => {
    const tally: Tally = { accepted: 0, broken: 0, handedOver: 0 }
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom(...PIECES)), { minLength: 1, maxLength: 3 }),
        (mutations) => {
          let text = SEEDS
          for (const [position, kind, piece] of mutations) {
            const at = position % (text.length + 1)
            if (kind === 0) text = text.slice(0, at) + piece + text.slice(at)
            else if (kind === 1) text = text.slice(0, at) + text.slice(at + 1 + (position % 3))
            else if (kind === 2) {
              const lines = text.split('\n')
              lines.splice(position % lines.length, 0, lines[(position * 7) % lines.length] ?? '')
              text = lines.join('\n')
            } else {
              // Indent or outdent a line by one space: the commonest way a hand edit breaks YAML.
              const lines = text.split('\n')
              const line = position % lines.length
              lines[line] = position % 2 === 0 ? ` ${lines[line] ?? ''}` : (lines[line] ?? '').replace(/^ /, '')
              text = lines.join('\n')
            }
          }
          checkDocuments(text, tally)
        }
      ),
      { numRuns: 2500, seed: 4242 }
    )
    console.info(`[fast validator] mutants: ${JSON.stringify(tally)}`)
    // Not vacuous: many mutants are broken (and refused), many are fine and decided without `yaml`.
    expect(tally.broken).toBeGreaterThan(1000)
    expect(tally.accepted).toBeGreaterThan(2000)
    // It decides most clean documents itself; the rest is what it hands over by design (anchors, tags…).
    expect(tally.accepted / (tally.accepted + tally.handedOver)).toBeGreaterThan(0.8)
  })

  it('decides the unmutated seeds itself', () => {
    expect(checkDocuments(SEEDS)).toEqual({ accepted: 3, broken: 0, handedOver: 0 })
  })
})
