// Document boundaries: the splitter must cut a stream where the `yaml` package does (so document
// indexes agree), and JSON streams at the end of each value.
import { parseAllDocuments } from 'yaml'
import { describe, expect, it } from 'vitest'
import { helmSourceAbove, splitJsonStream, splitYamlStream } from '../../src/documents/index.js'
import { YAML_OPTIONS } from '../../src/documents/scalar-resolution.js'

describe('splitYamlStream', () => {
  it.each([
    ['an empty text', ''],
    ['only comments', '# one\n# two\n'],
    ['one bare document', 'a: 1\n'],
    ['a leading marker', '---\na: 1\n'],
    ['comments before the first marker', '# c\n---\na: 1\n'],
    ['a trailing marker (an empty last document)', 'a: 1\n---\n'],
    ['empty documents between markers', 'a: 1\n---\n---\nb: 2\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['content after a document end', 'a: 1\n...\nb: 2\n'],
    ['a lone document end (an empty document)', '...\n'],
    ['two document ends', 'a: 1\n...\n...\n'],
    ['comments after a document end', 'a: 1\n...\n# c\n'],
    ['a directive', '%YAML 1.1\n---\na: 1\n'],
    ['content on the marker line', '--- a\n--- |\n  text\n'],
    ['marker-like text that is not a marker', '---a: 1\n ---\n....: 2\n'],
    ['a commented marker', 'a: 1\n--- # next\nb: 2\n'],
    ['CRLF', 'a: 1\r\n---\r\nb: 2\r\n'],
    ['Helm output', '---\n# Source: a/templates/x.yaml\napiVersion: v1\nkind: A\n---\n# Source: a/templates/y.yaml\napiVersion: v1\nkind: B\n'],
    ['a block scalar before a marker', 'a: |\n  x\n---\nb: 1\n']
  ])('cuts %s where yaml does', (_name, text) => {
    const chunks = splitYamlStream(text)
    const documents = parseAllDocuments(text, YAML_OPTIONS)
    expect(chunks.length).toBe(documents.length)
    chunks.forEach((chunk, index) => {
      expect(chunk.index).toBe(index)
      const [start, , end] = (documents[index] as { range: [number, number, number] }).range
      // Each yaml document lies within its chunk, and the chunks tile the text in order.
      expect(chunk.start).toBeLessThanOrEqual(start)
      expect(chunk.end).toBeGreaterThanOrEqual(end)
      if (index > 0) expect(chunk.start).toBe(chunks[index - 1]?.end)
    })
  })

  it('keeps a broken document to itself: a marker ends it even inside an unclosed quote', () => {
    const text = 'a: "open\n---\nb: 2\n'
    expect(splitYamlStream(text).map((chunk) => text.slice(chunk.start, chunk.end))).toEqual(['a: "open\n', '---\nb: 2\n'])
  })
})

describe('splitJsonStream', () => {
  it('finds each top-level value of a stream, braces inside strings included', () => {
    const text = '{"a": "}{"}\n{"b": [1, {"c": "\\"}"}]}{"d": 2}\n'
    expect(splitJsonStream(text).map((chunk) => text.slice(chunk.start, chunk.end))).toEqual(['{"a": "}{"}', '{"b": [1, {"c": "\\"}"}]}', '{"d": 2}'])
  })

  it('leaves an unbalanced rest as one chunk for the parser to report', () => {
    const text = '{"a": 1} {"b": [\n'
    expect(splitJsonStream(text).map((chunk) => [chunk.index, text.slice(chunk.start, chunk.end)])).toEqual([
      [0, '{"a": 1}'],
      [1, '{"b": [\n']
    ])
  })
})

describe('helmSourceAbove', () => {
  it('reads the # Source: comment between the marker and the content', () => {
    const text = 'a: 1\n---\n# Source: shop/templates/deployment.yaml\n# another comment\n\napiVersion: v1\n'
    expect(helmSourceAbove(text, text.indexOf('apiVersion'))).toBe('shop/templates/deployment.yaml')
  })

  it('does not take a comment from the previous document', () => {
    const text = '# Source: x/templates/a.yaml\na: 1\n---\nb: 2\n'
    expect(helmSourceAbove(text, text.indexOf('b: 2'))).toBeNull()
  })
})
