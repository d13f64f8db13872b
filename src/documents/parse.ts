// Reads one file's text into its documents, each parsed on its own so that a broken document
// cannot take its neighbours down. The default ('fast') strategy lets the caller skip the tree of
// documents whose header says they cannot matter (their syntax is still checked, by the fast
// validator or, when it cannot decide, the `yaml` package) and reads plain block YAML with the fast
// parser, everything else with the `yaml` package. The 'reference' strategy parses every document
// with the `yaml` package: slower, and the yardstick the fast strategy is tested against.
import { parseDocument } from 'yaml'
import { parseSimpleDocument, validateSimpleDocument } from './fast-parser.js'
import { readDocumentHeader, type DocumentHeader } from './header.js'
import type { YamlNode } from './nodes.js'
import { YAML_OPTIONS } from './scalar-resolution.js'
import { helmSourceAbove, splitJsonStream, splitYamlStream, type DocumentChunk } from './stream.js'
import { adaptYamlDocument, DEFAULT_LIMITS, type AdapterLimits, type DocumentProblem } from './yaml-adapter.js'

export type ParseStrategy = 'fast' | 'reference'

export interface ParseTextOptions {
  /** Read the text as JSON: one value, or a stream of concatenated values. */
  json?: boolean
  /** 'fast' (default) or 'reference' (every document through the `yaml` package, none skipped). */
  strategy?: ParseStrategy
  /**
   * Pre-screen (fast strategy only): called with the header of each document whose apiVersion and
   * kind can be read without parsing; returning false skips the document's tree. Its syntax is
   * still checked, so a broken document has the same problems as under the 'reference' strategy.
   */
  wanted?: (header: DocumentHeader) => boolean
  limits?: AdapterLimits
}

/** One document of a file, parsed (or deliberately not). */
export interface ParsedDocument {
  /** 0-based index of the document within its file. */
  index: number
  /** Offset of the document's slice of the file. */
  start: number
  /** The document's tree; null when it is empty, was skipped, or could not be read (see problems). */
  root: YamlNode | null
  /** What the pre-screen read when it skipped the document's tree (only its syntax was checked); null when parsed. */
  skipped: DocumentHeader | null
  /** True when the fast parser read (or the fast validator checked) the document; false when the `yaml` package did. */
  fast: boolean
  problems: DocumentProblem[]
  /** Template path from Helm's `# Source:` comment above the document, or null. */
  source: string | null
}

/**
 * Characters after which lines no longer read the simple way (tabs, control characters, Unicode
 * line breaks that YAML 1.1 honours, stray byte-order marks), and a CR that is not part of a CRLF.
 * A document containing any of them goes to the `yaml` package. The CR rule (the slow part of the
 * pattern) is used only for files that have a CR at all.
 */
const UNUSUAL_CHARACTER = /[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ufeff]/g
const UNUSUAL_CHARACTER_OR_LONE_CR = /[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ufeff]|\r(?!\n)/g

/**
 * Tells, document after document (in file order), whether a document holds an unusual character.
 * Every document is asked about, so the text is searched once from start to end, not per document.
 */
function unusualCharacterFinder(text: string): (start: number, end: number) => boolean {
  const pattern = text.includes('\r') ? UNUSUAL_CHARACTER_OR_LONE_CR : UNUSUAL_CHARACTER
  // Offset of the first unusual character at or after the last document asked about; -1: none left.
  let next = -2
  return (start, end) => {
    if (next !== -1 && next < start) {
      pattern.lastIndex = start
      next = pattern.exec(text)?.index ?? -1
    }
    return next !== -1 && next < end
  }
}

/** Parses every document of a file's text (already decoded, without a byte-order mark). */
export function parseManifestText(text: string, options: ParseTextOptions = {}): ParsedDocument[] {
  return [...parseManifestDocuments(text, options)]
}

/**
 * The documents of a file's text one at a time, so that a caller that is done with a document's
 * tree lets it go before the next is built (a large bundle's trees then never pile up in memory).
 */
export function* parseManifestDocuments(text: string, options: ParseTextOptions = {}): Generator<ParsedDocument> {
  const limits = options.limits ?? DEFAULT_LIMITS
  if (options.json === true) {
    for (const chunk of splitJsonStream(text)) yield parseWithYaml(text, chunk, limits)
    return
  }
  if (options.strategy === 'reference') {
    for (const chunk of splitYamlStream(text)) yield parseWithYaml(text, chunk, limits)
    return
  }
  const hasUnusualCharacter = unusualCharacterFinder(text)
  for (const chunk of splitYamlStream(text)) {
    const simple = !hasUnusualCharacter(chunk.start, chunk.end)
    if (options.wanted !== undefined) {
      const header = readDocumentHeader(text, chunk.start, chunk.end)
      if (header !== null && !options.wanted(header)) {
        yield checkSkippedDocument(text, chunk, header, simple, limits)
        continue
      }
    }
    if (simple) {
      const fast = parseSimpleDocument(text, chunk.start, chunk.end)
      if (fast.ok) {
        yield {
          index: chunk.index,
          start: chunk.start,
          root: fast.root,
          skipped: null,
          fast: true,
          problems: [],
          source: fast.root === null ? null : helmSourceAbove(text, fast.root.start)
        }
        continue
      }
    }
    yield parseWithYaml(text, chunk, limits)
  }
}

/**
 * A document whose tree nobody needs, checked for what the reference parse would report: the fast
 * validator vouches for most documents; the ones it cannot decide on are parsed by the `yaml`
 * package (one document at a time, so one odd document does not slow the rest) and the tree dropped.
 */
function checkSkippedDocument(text: string, chunk: DocumentChunk, header: DocumentHeader, simple: boolean, limits: AdapterLimits): ParsedDocument {
  if (simple && validateSimpleDocument(text, chunk.start, chunk.end).ok) {
    return { index: chunk.index, start: chunk.start, root: null, skipped: header, fast: true, problems: [], source: null }
  }
  const { problems } = parseWithYaml(text, chunk, limits)
  return { index: chunk.index, start: chunk.start, root: null, skipped: header, fast: false, problems, source: null }
}

/**
 * Where a document nests deeper than `limit` (flow brackets outside quotes, or block indentation
 * levels), or -1. Checked before the `yaml` package sees the document, so that absurd nesting is
 * refused at a fixed place instead of wherever the call stack happens to run out.
 */
export function excessiveNestingAt(text: string, start: number, end: number, limit: number): number {
  const indents: number[] = []
  let flowDepth = 0
  let quote = ''
  let lineStart = true
  let indent = 0
  for (let at = start; at < end; at++) {
    const char = text[at]
    if (char === '\n') {
      lineStart = true
      indent = 0
      continue
    }
    if (lineStart) {
      if (char === ' ') {
        indent++
        continue
      }
      lineStart = false
      if (flowDepth === 0 && char !== '#' && char !== '\r') {
        while (indents.length > 0 && (indents.at(-1) ?? 0) >= indent) indents.pop()
        indents.push(indent)
        // Compact sequences (`- - - a`) nest on one line.
        let compact = 0
        while (text[at + 2 * compact] === '-' && text[at + 2 * compact + 1] === ' ') compact++
        if (indents.length + compact > limit) return at
      }
    }
    if (quote !== '') {
      if (char === '\\' && quote === '"') at++
      else if (char === quote) quote = ''
    } else if (char === '"' || char === "'") {
      // Only a quote that starts a scalar opens one (`it's` in a plain scalar does not).
      const before = at > start ? text[at - 1] : ' '
      if (before === ' ' || before === '[' || before === '{' || before === ',' || before === ':' || before === '\n') quote = char
    } else if (char === '[' || char === '{') {
      if (++flowDepth > limit) return at
    } else if ((char === ']' || char === '}') && flowDepth > 0) {
      flowDepth--
    } else if (char === '#' && (at === start || text[at - 1] === ' ')) {
      const lineEnd = text.indexOf('\n', at)
      at = (lineEnd === -1 || lineEnd > end ? end : lineEnd) - 1
    }
  }
  return -1
}

function parseWithYaml(text: string, chunk: DocumentChunk, limits: AdapterLimits): ParsedDocument {
  const tooDeep = excessiveNestingAt(text, chunk.start, chunk.end, limits.maxDepth)
  if (tooDeep !== -1) {
    const message = `the document is nested more than ${limits.maxDepth} levels deep; no Kubernetes object is nested like this`
    return {
      index: chunk.index,
      start: chunk.start,
      root: null,
      skipped: null,
      fast: false,
      problems: [{ code: 'too-deep', severity: 'error', offset: tooDeep, message }],
      source: null
    }
  }
  const document = parseDocument(text.slice(chunk.start, chunk.end), YAML_OPTIONS)
  const { root, problems } = adaptYamlDocument(document, text, chunk.start, limits)
  return {
    index: chunk.index,
    start: chunk.start,
    root,
    skipped: null,
    fast: false,
    problems,
    source: root === null ? null : helmSourceAbove(text, root.start)
  }
}
