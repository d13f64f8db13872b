// A fast reader for the plain block YAML that rendered manifests are made of: block mappings and
// sequences, single-line plain and quoted scalars, literal/folded block scalars and one-line flow
// collections. It builds the same tree as the `yaml` adapter at a fraction of the cost, and gives
// up (returns null) on anything else — anchors, tags, multi-line flow, tabs, duplicate keys,
// anything the full parser might reject — so that document goes to the `yaml` package instead.
// Giving up is always safe; accepting is only allowed when the result is exactly `yaml`'s.
import { knownScalar, plainScalar, type MapNode, type ScalarNode, type SeqNode, type YamlNode } from './nodes.js'
import { isPlainStringKey } from './scalar-resolution.js'

const enum Char {
  LineFeed = 10,
  CarriageReturn = 13,
  Space = 32,
  Bang = 33,
  DoubleQuote = 34,
  Hash = 35,
  Percent = 37,
  Ampersand = 38,
  SingleQuote = 39,
  Star = 42,
  Comma = 44,
  Dash = 45,
  Dot = 46,
  Colon = 58,
  GreaterThan = 62,
  Question = 63,
  At = 64,
  BracketOpen = 91,
  Backslash = 92,
  BracketClose = 93,
  Backtick = 96,
  BraceOpen = 123,
  Pipe = 124,
  BraceClose = 125
}

/** Nesting deeper than this is left to the full parser (and its limits). */
const MAX_DEPTH = 64
/** The `yaml` package refuses implicit keys longer than this. */
const MAX_IMPLICIT_KEY = 1024

/** Thrown to abandon the fast path; never escapes this module. */
class GiveUp {
  constructor(readonly reason: string) {}
}

function giveUp(reason: string): never {
  throw new GiveUp(reason)
}

/** The result of a fast parse: the tree, or why the document must go to the full parser. */
export type FastParseResult = { ok: true; root: YamlNode | null } | { ok: false; reason: string }

/**
 * Parses the YAML document in `text[start, end)` (as cut by splitYamlStream) when it uses only the
 * simple subset; offsets in the tree are offsets in `text`. The caller has already ruled out
 * characters that change how lines are read (tabs, control characters, odd line breaks).
 */
export function parseSimpleDocument(text: string, start: number, end: number): FastParseResult {
  try {
    return { ok: true, root: new SimpleYamlParser(text, start, end).parseDocument() }
  } catch (error) {
    if (error instanceof GiveUp) return { ok: false, reason: error.reason }
    throw error
  }
}

function isSeparatorOrEnd(text: string, at: number, lineEnd: number): boolean {
  return at >= lineEnd || text.charCodeAt(at) === Char.Space
}

class SimpleYamlParser {
  /** Start of the current line. */
  private lineStart = 0
  /** End of the current line's content (before `\r\n`). */
  private lineEnd = 0
  /** Start of the next line. */
  private nextLineStart = 0
  /** Indentation of the current line; a compact mapping in a sequence item moves it to its first key. */
  private indent = 0
  private atEnd = false
  private depth = 0

  constructor(
    private readonly text: string,
    private readonly start: number,
    private readonly end: number
  ) {}

  parseDocument(): YamlNode | null {
    this.loadLine(this.start)
    while (!this.atEnd && this.isBlankOrCommentLine()) this.loadLine(this.nextLineStart)
    if (!this.atEnd && this.isMarker('---')) {
      this.expectNothingAfter(this.lineStart + 3)
      this.loadLine(this.nextLineStart)
    }
    this.skipBlankAndComments()
    if (this.atEnd) return null
    const root = this.parseBlockNode(-1)
    this.skipBlankAndComments()
    if (!this.atEnd) giveUp('content after the top-level node')
    return root
  }

  // ---- lines ----------------------------------------------------------------------------------

  private loadLine(at: number): void {
    if (at >= this.end) {
      this.atEnd = true
      this.lineStart = this.lineEnd = this.nextLineStart = this.end
      this.indent = 0
      return
    }
    const text = this.text
    let lineEnd = text.indexOf('\n', at)
    if (lineEnd === -1 || lineEnd >= this.end) {
      lineEnd = this.end
      this.nextLineStart = this.end
    } else {
      this.nextLineStart = lineEnd + 1
    }
    if (lineEnd > at && text.charCodeAt(lineEnd - 1) === Char.CarriageReturn) lineEnd--
    this.lineStart = at
    this.lineEnd = lineEnd
    let indent = at
    while (indent < lineEnd && text.charCodeAt(indent) === Char.Space) indent++
    this.indent = indent - at
  }

  private get contentStart(): number {
    return this.lineStart + this.indent
  }

  private isMarker(marker: '---' | '...'): boolean {
    return (
      this.indent === 0 &&
      this.text.startsWith(marker, this.lineStart) &&
      isSeparatorOrEnd(this.text, this.lineStart + 3, this.lineEnd)
    )
  }

  private isBlankOrCommentLine(): boolean {
    const content = this.contentStart
    return content >= this.lineEnd || this.text.charCodeAt(content) === Char.Hash
  }

  /** Moves to the next line with content; a `...` document end ends the content. */
  private skipBlankAndComments(): void {
    while (!this.atEnd) {
      const content = this.contentStart
      if (content < this.lineEnd && this.text.charCodeAt(content) !== Char.Hash) {
        if (this.isMarker('...')) {
          this.expectNothingAfter(this.lineStart + 3)
          this.loadLine(this.nextLineStart)
          this.expectOnlyCommentsToEnd()
          return
        }
        if (this.isMarker('---')) giveUp('document marker inside a document')
        return
      }
      this.loadLine(this.nextLineStart)
    }
  }

  private expectOnlyCommentsToEnd(): void {
    while (!this.atEnd) {
      const content = this.contentStart
      if (content < this.lineEnd && this.text.charCodeAt(content) !== Char.Hash) giveUp('content after the document end')
      this.loadLine(this.nextLineStart)
    }
    this.atEnd = true
  }

  /** Only spaces and an optional comment may follow `at` on the current line. */
  private expectNothingAfter(at: number): void {
    const text = this.text
    let position = at
    while (position < this.lineEnd && text.charCodeAt(position) === Char.Space) position++
    if (position >= this.lineEnd) return
    if (text.charCodeAt(position) === Char.Hash && position > at) return
    giveUp('unexpected text after a value')
  }

  /** After a single-line value: go to the next content line, which must not be indented deeper. */
  private finishInlineValue(valueEnd: number, ownerIndent: number): void {
    this.expectNothingAfter(valueEnd)
    this.loadLine(this.nextLineStart)
    this.skipBlankAndComments()
    if (!this.atEnd && this.indent > ownerIndent) giveUp('a value continues on a more indented line')
  }

  private isSequenceEntry(at: number): boolean {
    return this.text.charCodeAt(at) === Char.Dash && isSeparatorOrEnd(this.text, at + 1, this.lineEnd)
  }

  // ---- block collections --------------------------------------------------------------------------

  /** The node starting at the current line's content, owned by a parent at `parentIndent`. */
  private parseBlockNode(parentIndent: number): YamlNode {
    if (++this.depth > MAX_DEPTH) giveUp('deep nesting')
    try {
      if (this.isSequenceEntry(this.contentStart)) return this.parseBlockSequence(this.indent)
      const key = this.readKey(this.contentStart)
      if (key !== null) return this.parseBlockMapping(this.indent, key)
      if (parentIndent >= 0) giveUp('a scalar on a line of its own')
      return this.parseInlineValue(this.contentStart, parentIndent)
    } finally {
      this.depth--
    }
  }

  private parseBlockMapping(indent: number, firstKey: KeyToken): MapNode {
    const map: MapNode = { type: 'map', entries: new Map(), start: firstKey.start, end: firstKey.start }
    let key: KeyToken | null = firstKey
    for (;;) {
      if (key === null) giveUp('not a mapping entry')
      if (map.entries.has(key.name)) giveUp('duplicate key')
      const value = this.parseValueAfterColon(key.colon, indent)
      map.entries.set(key.name, value)
      map.end = value.end
      if (this.atEnd || this.indent < indent) return map
      if (this.indent > indent) giveUp('unexpected indentation')
      key = this.readKey(this.contentStart)
    }
  }

  private parseBlockSequence(indent: number): SeqNode {
    const seq: SeqNode = { type: 'seq', items: [], start: this.contentStart, end: this.contentStart }
    for (;;) {
      const dash = this.contentStart
      let at = dash + 1
      while (at < this.lineEnd && this.text.charCodeAt(at) === Char.Space) at++
      let item: YamlNode
      if (at >= this.lineEnd || this.text.charCodeAt(at) === Char.Hash) {
        this.expectNothingAfter(dash + 1)
        this.loadLine(this.nextLineStart)
        this.skipBlankAndComments()
        if (!this.atEnd && this.indent > indent) item = this.parseBlockNode(indent)
        else giveUp('empty sequence entry')
      } else if (this.isSequenceEntry(at)) {
        // A compact nested sequence (`- - a`, as in Argo steps): its entries line up with its first dash.
        this.indent = at - this.lineStart
        if (++this.depth > MAX_DEPTH) giveUp('deep nesting')
        item = this.parseBlockSequence(this.indent)
        this.depth--
      } else {
        const key = this.readKey(at)
        if (key !== null) {
          // A compact mapping (`- name: x`): its entries line up with its first key.
          this.indent = at - this.lineStart
          if (++this.depth > MAX_DEPTH) giveUp('deep nesting')
          item = this.parseBlockMapping(this.indent, key)
          this.depth--
        } else {
          item = this.parseInlineValue(at, indent)
        }
      }
      seq.items.push(item)
      seq.end = item.end
      if (this.atEnd || this.indent < indent) return seq
      if (this.indent > indent) giveUp('unexpected indentation')
      if (!this.isSequenceEntry(this.contentStart)) return seq
    }
  }

  /** The value after `key:`; the mapping holding the key is at `ownerIndent`. */
  private parseValueAfterColon(colon: number, ownerIndent: number): YamlNode {
    const text = this.text
    let at = colon + 1
    while (at < this.lineEnd && text.charCodeAt(at) === Char.Space) at++
    if (at < this.lineEnd && text.charCodeAt(at) !== Char.Hash) return this.parseInlineValue(at, ownerIndent)
    this.expectNothingAfter(colon + 1)
    this.loadLine(this.nextLineStart)
    this.skipBlankAndComments()
    if (!this.atEnd) {
      if (this.indent > ownerIndent) return this.parseBlockNode(ownerIndent)
      // A sequence may sit at its key's own indentation.
      if (this.indent === ownerIndent && this.isSequenceEntry(this.contentStart)) {
        if (++this.depth > MAX_DEPTH) giveUp('deep nesting')
        const seq = this.parseBlockSequence(ownerIndent)
        this.depth--
        return seq
      }
    }
    // An empty value is a null where the value would have started (after the spaces), as in `yaml`.
    return knownScalar('plain', '', null, at, at)
  }

  // ---- keys -----------------------------------------------------------------------------------------

  /** A mapping key starting at `at` on the current line, or null when the line is not `key: …`. */
  private readKey(at: number): KeyToken | null {
    const text = this.text
    const first = text.charCodeAt(at)
    if (first === Char.DoubleQuote || first === Char.SingleQuote) {
      const quoted = this.readQuoted(at, first === Char.DoubleQuote)
      let after = quoted.end
      while (after < this.lineEnd && text.charCodeAt(after) === Char.Space) after++
      if (text.charCodeAt(after) !== Char.Colon || !isSeparatorOrEnd(text, after + 1, this.lineEnd)) return null
      if (quoted.end - at > MAX_IMPLICIT_KEY) giveUp('long key')
      return { name: quoted.text, start: at, colon: after }
    }
    if (!this.isPlainStart(at)) return null
    for (let position = at; position < this.lineEnd; position++) {
      const code = text.charCodeAt(position)
      if (code === Char.Colon && isSeparatorOrEnd(text, position + 1, this.lineEnd)) {
        let keyEnd = position
        while (keyEnd > at && text.charCodeAt(keyEnd - 1) === Char.Space) keyEnd--
        if (keyEnd - at > MAX_IMPLICIT_KEY) giveUp('long key')
        const name = text.slice(at, keyEnd)
        if (!isPlainStringKey(name)) giveUp('key that is not a plain string')
        return { name, start: at, colon: position }
      }
      if (code === Char.Hash && text.charCodeAt(position - 1) === Char.Space) return null
    }
    return null
  }

  /** True when a plain scalar may start at `at` (and the fast path knows how it reads). */
  private isPlainStart(at: number): boolean {
    switch (this.text.charCodeAt(at)) {
      case Char.Ampersand:
      case Char.Star:
      case Char.Bang:
      case Char.Pipe:
      case Char.GreaterThan:
      case Char.Percent:
      case Char.At:
      case Char.Backtick:
      case Char.Question:
      case Char.Colon:
      case Char.Hash:
      case Char.Comma:
      case Char.BracketOpen:
      case Char.BracketClose:
      case Char.BraceOpen:
      case Char.BraceClose:
      case Char.DoubleQuote:
      case Char.SingleQuote:
        return false
      case Char.Dash:
        return !isSeparatorOrEnd(this.text, at + 1, this.lineEnd)
      default:
        return at < this.lineEnd
    }
  }

  // ---- scalars --------------------------------------------------------------------------------------

  /** A value that starts on the current line at `at`, in a collection at `ownerIndent`. */
  private parseInlineValue(at: number, ownerIndent: number): YamlNode {
    const text = this.text
    const first = text.charCodeAt(at)
    if (first === Char.DoubleQuote || first === Char.SingleQuote) {
      const quoted = this.readQuoted(at, first === Char.DoubleQuote)
      const node = knownScalar(
        first === Char.DoubleQuote ? 'double-quoted' : 'single-quoted',
        quoted.text,
        quoted.text,
        at,
        quoted.end
      )
      this.finishInlineValue(quoted.end, ownerIndent)
      return node
    }
    if (first === Char.BracketOpen || first === Char.BraceOpen) {
      const flow = new FlowReader(text, this.lineEnd, this.depth).read(at)
      this.finishInlineValue(flow.end, ownerIndent)
      return flow
    }
    if (first === Char.Pipe || first === Char.GreaterThan) return this.parseBlockScalar(at, ownerIndent)
    if (!this.isPlainStart(at)) giveUp('value starting with an indicator')
    let valueEnd = this.lineEnd
    for (let position = at; position < this.lineEnd; position++) {
      const code = text.charCodeAt(position)
      if (code === Char.Hash && text.charCodeAt(position - 1) === Char.Space) {
        valueEnd = position
        break
      }
      if (code === Char.Colon && isSeparatorOrEnd(text, position + 1, this.lineEnd)) giveUp('mapping inside a plain value')
    }
    while (valueEnd > at && text.charCodeAt(valueEnd - 1) === Char.Space) valueEnd--
    const node = plainScalar(text, at, valueEnd)
    this.finishInlineValue(valueEnd, ownerIndent)
    return node
  }

  private readQuoted(at: number, double: boolean): { text: string; end: number } {
    return double ? readDoubleQuoted(this.text, at, this.lineEnd) : readSingleQuoted(this.text, at, this.lineEnd)
  }

  /** `|` / `>` with optional `-` chomping; the content lines are indented deeper than `ownerIndent`. */
  private parseBlockScalar(at: number, ownerIndent: number): ScalarNode {
    const text = this.text
    const folded = text.charCodeAt(at) === Char.GreaterThan
    let position = at + 1
    let strip = false
    if (text.charCodeAt(position) === Char.Dash) {
      strip = true
      position++
    }
    if (!isSeparatorOrEnd(text, position, this.lineEnd)) giveUp('block scalar indicator the fast path does not read')
    this.expectNothingAfter(position)

    const lines: string[] = []
    let contentIndent = -1
    let lastContent = -1
    let moreIndented = false
    let cursor = this.nextLineStart
    let blankLengths = 0
    while (cursor < this.end) {
      let lineEnd = text.indexOf('\n', cursor)
      const next = lineEnd === -1 || lineEnd >= this.end ? this.end : lineEnd + 1
      if (lineEnd === -1 || lineEnd > this.end) lineEnd = this.end
      if (lineEnd > cursor && text.charCodeAt(lineEnd - 1) === Char.CarriageReturn) lineEnd--
      let indentEnd = cursor
      while (indentEnd < lineEnd && text.charCodeAt(indentEnd) === Char.Space) indentEnd++
      if (indentEnd === lineEnd) {
        blankLengths = Math.max(blankLengths, lineEnd - cursor)
        lines.push('')
        cursor = next
        continue
      }
      const lineIndent = indentEnd - cursor
      if (lineIndent === 0 && (text.startsWith('---', cursor) || text.startsWith('...', cursor))) break
      if (contentIndent === -1) {
        if (lineIndent <= ownerIndent) break
        contentIndent = lineIndent
      } else if (lineIndent < contentIndent) {
        break
      }
      if (lineIndent > contentIndent) moreIndented = true
      lines.push(text.slice(cursor + contentIndent, lineEnd))
      lastContent = lines.length - 1
      cursor = next
    }
    // Whitespace-only lines longer than the indentation carry content (or are errors): full parser.
    if (contentIndent === -1 ? blankLengths > 0 : blankLengths > contentIndent) giveUp('whitespace-only block scalar line')
    let value = ''
    if (lastContent >= 0) {
      const body = lines.slice(0, lastContent + 1)
      if (folded) {
        if (moreIndented) giveUp('more-indented lines in a folded scalar')
        value = foldLines(body)
      } else {
        value = body.join('\n')
      }
      if (!strip) value += '\n'
    }
    const node = knownScalar(folded ? 'folded' : 'literal', value, value, at, cursor)
    this.loadLine(cursor)
    this.skipBlankAndComments()
    if (!this.atEnd && this.indent > ownerIndent) giveUp('indentation after a block scalar')
    return node
  }
}

interface KeyToken {
  name: string
  start: number
  /** Offset of the `:` that ends the key. */
  colon: number
}

/** Folded-scalar line folding: a single break becomes a space, n empty lines become n breaks. */
function foldLines(lines: string[]): string {
  let value = ''
  let emptyRun = 0
  let first = true
  for (const line of lines) {
    if (line === '') {
      emptyRun++
      continue
    }
    if (first) value += '\n'.repeat(emptyRun) + line
    else value += (emptyRun > 0 ? '\n'.repeat(emptyRun) : ' ') + line
    first = false
    emptyRun = 0
  }
  return value
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029'
}
const HEX_ESCAPE_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 }

/** A double-quoted scalar that closes on the same line. */
function readDoubleQuoted(text: string, at: number, lineEnd: number): { text: string; end: number } {
  let value = ''
  let segment = at + 1
  for (let position = at + 1; position < lineEnd; position++) {
    const code = text.charCodeAt(position)
    if (code === Char.DoubleQuote) return { text: value + text.slice(segment, position), end: position + 1 }
    if (code !== Char.Backslash) continue
    value += text.slice(segment, position)
    const escape = text[position + 1]
    if (escape === undefined || position + 1 >= lineEnd) giveUp('line continuation in a quoted scalar')
    const simple = SIMPLE_ESCAPES[escape]
    if (simple !== undefined) {
      value += simple
      position++
    } else {
      const length = HEX_ESCAPE_LENGTH[escape]
      if (length === undefined) giveUp('unknown escape')
      const hex = text.slice(position + 2, position + 2 + length)
      if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) giveUp('bad escape')
      const codePoint = Number.parseInt(hex, 16)
      if (codePoint > 0x10ffff) giveUp('bad escape')
      value += String.fromCodePoint(codePoint)
      position += 1 + length
    }
    segment = position + 1
  }
  giveUp('quoted scalar continues on the next line')
}

/** A single-quoted scalar that closes on the same line (`''` is a quote). */
function readSingleQuoted(text: string, at: number, lineEnd: number): { text: string; end: number } {
  let value = ''
  let segment = at + 1
  for (let position = at + 1; position < lineEnd; position++) {
    if (text.charCodeAt(position) !== Char.SingleQuote) continue
    if (text.charCodeAt(position + 1) === Char.SingleQuote && position + 1 < lineEnd) {
      value += text.slice(segment, position + 1)
      position++
      segment = position + 1
      continue
    }
    return { text: value + text.slice(segment, position), end: position + 1 }
  }
  giveUp('quoted scalar continues on the next line')
}

/** A flow collection (`[a, b]`, `{a: 1}`) that closes on the line it opens. */
class FlowReader {
  constructor(
    private readonly text: string,
    private readonly lineEnd: number,
    private depth: number
  ) {}

  read(at: number): MapNode | SeqNode {
    const node = this.readNode(at)
    if (node.type === 'scalar') giveUp('not a flow collection')
    return node
  }

  private skipSpaces(at: number): number {
    while (at < this.lineEnd && this.text.charCodeAt(at) === Char.Space) at++
    return at
  }

  private readNode(at: number): YamlNode {
    const code = this.text.charCodeAt(at)
    if (code === Char.BracketOpen) return this.readSequence(at)
    if (code === Char.BraceOpen) return this.readMapping(at)
    if (code === Char.DoubleQuote || code === Char.SingleQuote) {
      const quoted =
        code === Char.DoubleQuote ? readDoubleQuoted(this.text, at, this.lineEnd) : readSingleQuoted(this.text, at, this.lineEnd)
      return knownScalar(code === Char.DoubleQuote ? 'double-quoted' : 'single-quoted', quoted.text, quoted.text, at, quoted.end)
    }
    return this.readPlain(at)
  }

  private readPlain(at: number): ScalarNode {
    const text = this.text
    switch (text.charCodeAt(at)) {
      case Char.Ampersand:
      case Char.Star:
      case Char.Bang:
      case Char.Pipe:
      case Char.GreaterThan:
      case Char.Percent:
      case Char.At:
      case Char.Backtick:
      case Char.Question:
      case Char.Colon:
      case Char.Hash:
      case Char.Comma:
      case Char.BracketClose:
      case Char.BraceClose:
        giveUp('flow value starting with an indicator')
      case Char.Dash:
        if (isSeparatorOrEnd(text, at + 1, this.lineEnd)) giveUp('flow value starting with an indicator')
    }
    let position = at
    for (; position < this.lineEnd; position++) {
      const code = text.charCodeAt(position)
      if (
        code === Char.Comma ||
        code === Char.BracketOpen ||
        code === Char.BracketClose ||
        code === Char.BraceOpen ||
        code === Char.BraceClose
      ) {
        break
      }
      if (code === Char.Colon) {
        const after = text.charCodeAt(position + 1)
        if (after === Char.Space || after === Char.Comma || after === Char.BracketClose || after === Char.BraceClose) break
        if (position + 1 >= this.lineEnd) break
      }
      if (code === Char.Hash && text.charCodeAt(position - 1) === Char.Space) giveUp('comment inside a flow collection')
    }
    let valueEnd = position
    while (valueEnd > at && text.charCodeAt(valueEnd - 1) === Char.Space) valueEnd--
    if (valueEnd === at) giveUp('empty flow value')
    return plainScalar(text, at, valueEnd)
  }

  private readSequence(open: number): SeqNode {
    if (++this.depth > MAX_DEPTH) giveUp('deep nesting')
    const seq: SeqNode = { type: 'seq', items: [], start: open, end: open }
    let at = this.skipSpaces(open + 1)
    for (;;) {
      if (at >= this.lineEnd) giveUp('flow collection continues on the next line')
      if (this.text.charCodeAt(at) === Char.BracketClose) break
      const item = this.readNode(at)
      seq.items.push(item)
      at = this.skipSpaces(item.end)
      const code = this.text.charCodeAt(at)
      if (code === Char.Comma) {
        at = this.skipSpaces(at + 1)
        continue
      }
      if (code === Char.BracketClose) break
      giveUp('unexpected text in a flow sequence')
    }
    seq.end = at + 1
    this.depth--
    return seq
  }

  private readMapping(open: number): MapNode {
    if (++this.depth > MAX_DEPTH) giveUp('deep nesting')
    const map: MapNode = { type: 'map', entries: new Map(), start: open, end: open }
    const text = this.text
    let at = this.skipSpaces(open + 1)
    for (;;) {
      if (at >= this.lineEnd) giveUp('flow collection continues on the next line')
      if (text.charCodeAt(at) === Char.BraceClose) break
      const keyCode = text.charCodeAt(at)
      let name: string
      let colon: number
      if (keyCode === Char.DoubleQuote || keyCode === Char.SingleQuote) {
        const quoted =
          keyCode === Char.DoubleQuote ? readDoubleQuoted(text, at, this.lineEnd) : readSingleQuoted(text, at, this.lineEnd)
        name = quoted.text
        colon = this.skipSpaces(quoted.end)
        if (text.charCodeAt(colon) !== Char.Colon) giveUp('flow mapping key without a value')
      } else {
        const key = this.readPlain(at)
        name = key.text
        if (!isPlainStringKey(name)) giveUp('key that is not a plain string')
        colon = this.skipSpaces(key.end)
        if (text.charCodeAt(colon) !== Char.Colon || text.charCodeAt(colon + 1) !== Char.Space) giveUp('flow mapping key without a value')
      }
      if (map.entries.has(name)) giveUp('duplicate key')
      const valueStart = this.skipSpaces(colon + 1)
      const valueCode = text.charCodeAt(valueStart)
      if (valueStart >= this.lineEnd || valueCode === Char.Comma || valueCode === Char.BraceClose) giveUp('empty flow value')
      const value = this.readNode(valueStart)
      map.entries.set(name, value)
      at = this.skipSpaces(value.end)
      const code = text.charCodeAt(at)
      if (code === Char.Comma) {
        at = this.skipSpaces(at + 1)
        continue
      }
      if (code === Char.BraceClose) break
      giveUp('unexpected text in a flow mapping')
    }
    map.end = at + 1
    this.depth--
    return map
  }
}
