// A fast reader for the plain block YAML that rendered manifests are made of, in two modes.
// Parse: block mappings and sequences, single-line plain and quoted scalars, literal/folded block
// scalars and one-line flow collections, into the same tree as the `yaml` adapter at a fraction of
// the cost. Validate: the syntax check of a document whose tree nobody needs, which also reads
// multi-line plain, quoted and flow values and every block scalar header, since it computes no
// values. Either mode gives up on anything else (anchors, tags, duplicate keys, anything `yaml`
// might reject or warn about) so the document goes to the `yaml` package, which then decides.
// Giving up is always safe; accepting is only allowed when `yaml` would accept without a word.
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
  Plus = 43,
  Comma = 44,
  Dash = 45,
  Dot = 46,
  One = 49,
  Nine = 57,
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
 * The result of a fast syntax check: ok when the `yaml` package would read the document without
 * an error or a warning; otherwise the reason the check could not decide, and the document must go
 * to the `yaml` package (which reports what is wrong, if anything is).
 */
export type FastValidationResult = { ok: true } | { ok: false; reason: string }

/**
 * Parses the YAML document in `text[start, end)` (as cut by splitYamlStream) when it uses only the
 * simple subset; offsets in the tree are offsets in `text`. The caller has already ruled out
 * characters that change how lines are read (tabs, control characters, odd line breaks).
 */
export function parseSimpleDocument(text: string, start: number, end: number): FastParseResult {
  try {
    return { ok: true, root: new SimpleYamlParser(text, start, end, false).parseDocument() }
  } catch (error) {
    if (error instanceof GiveUp) return { ok: false, reason: error.reason }
    throw error
  }
}

/** Characters that may not start a plain scalar anywhere (YAML's c-indicator, less `-` and the brackets). */
function startsIndicator(code: number): boolean {
  switch (code) {
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
      return true
    default:
      return false
  }
}

/** `,[]{}`: the characters that end a plain scalar inside a flow collection. */
function isFlowIndicator(code: number): boolean {
  return code === Char.Comma || code === Char.BracketOpen || code === Char.BracketClose || code === Char.BraceOpen || code === Char.BraceClose
}

/**
 * Checks the syntax of the YAML document in `text[start, end)` without keeping its tree, for
 * documents that are read only to know that they are well formed. Same preconditions as
 * {@link parseSimpleDocument}; accepts a wider subset (see the file header).
 */
export function validateSimpleDocument(text: string, start: number, end: number): FastValidationResult {
  try {
    new SimpleYamlParser(text, start, end, true).parseDocument()
    return { ok: true }
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
  /**
   * While a flow collection is read: the indentation of the block collection that owns it, when
   * its lines may continue on the next line (validate mode), else -1 (it must close on its line).
   */
  private flowOwnerIndent = -1

  /**
   * @param validating validate mode: values are not computed (scalars in the tree are placeholders)
   *   and multi-line values are read.
   */
  constructor(
    private readonly text: string,
    private readonly start: number,
    private readonly end: number,
    private readonly validating: boolean
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

  /** True when the current line holds only spaces. */
  private get isBlankLine(): boolean {
    return this.lineStart + this.indent >= this.lineEnd
  }

  private isMarker(marker: '---' | '...'): boolean {
    return (
      this.indent === 0 &&
      this.text.startsWith(marker, this.lineStart) &&
      isSeparatorOrEnd(this.text, this.lineStart + 3, this.lineEnd)
    )
  }

  private isBlankOrCommentLine(): boolean {
    return this.isBlankLine || this.text.charCodeAt(this.contentStart) === Char.Hash
  }

  /** Moves to the next line with content; a `...` document end ends the content. */
  private skipBlankAndComments(): void {
    while (!this.atEnd) {
      if (!this.isBlankOrCommentLine()) {
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
      if (!this.isBlankOrCommentLine()) giveUp('content after the document end')
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

  /** After a value that ends on the current line: go to the next content line, which must not be indented deeper. */
  private finishInlineValue(valueEnd: number, ownerIndent: number): void {
    this.expectNothingAfter(valueEnd)
    this.loadLine(this.nextLineStart)
    this.expectNoDeeperContent(ownerIndent)
  }

  /** From the current line on: skip to the next content line, which must not be indented deeper than the owner. */
  private expectNoDeeperContent(ownerIndent: number): void {
    this.skipBlankAndComments()
    if (!this.atEnd && this.indent > ownerIndent) giveUp('a value continues on a more indented line')
  }

  /**
   * Validate mode: the next line of a multi-line quoted scalar or flow collection. Its content (if
   * any) must be indented deeper than the block collection that owns the value, as `yaml` requires.
   */
  private continueOnNextLine(ownerIndent: number, what: string): void {
    this.loadLine(this.nextLineStart)
    if (this.atEnd) giveUp(`unclosed ${what}`)
    if (!this.isBlankLine && this.indent <= ownerIndent) giveUp(`${what} continues on a line that is not indented enough`)
  }

  private isSequenceEntry(at: number): boolean {
    return this.text.charCodeAt(at) === Char.Dash && isSeparatorOrEnd(this.text, at + 1, this.lineEnd)
  }

  // ---- block collections --------------------------------------------------------------------------

  /** The node starting at the current line's content, owned by a parent at `parentIndent`. */
  private parseBlockNode(parentIndent: number): YamlNode {
    if (++this.depth > MAX_DEPTH) giveUp('deep nesting')
    try {
      const content = this.contentStart
      if (this.isSequenceEntry(content)) return this.parseBlockSequence(this.indent)
      const key = this.readKey(content)
      if (key !== null) return this.parseBlockMapping(this.indent, key)
      if (parentIndent >= 0) {
        // A scalar on a line of its own (`key:\n  value`); only the validator reads plain and quoted ones there.
        const first = this.text.charCodeAt(content)
        const scalar = first === Char.DoubleQuote || first === Char.SingleQuote || this.isPlainStart(content)
        if (!this.validating || !scalar) giveUp('a scalar on a line of its own')
      }
      return this.parseInlineValue(content, parentIndent)
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
        else if (this.validating) item = knownScalar('plain', '', null, dash + 1, dash + 1)
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
      // A quoted scalar that does not close on its line cannot be a key (keys are single-line).
      const quoted = this.readQuoted(at, first === Char.DoubleQuote)
      if (quoted === null) return null
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
    const first = this.text.charCodeAt(at)
    if (startsIndicator(first) || isFlowIndicator(first) || first === Char.DoubleQuote || first === Char.SingleQuote) return false
    switch (first) {
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
      const style = first === Char.DoubleQuote ? 'double-quoted' : 'single-quoted'
      const quoted = this.readQuoted(at, first === Char.DoubleQuote)
      if (quoted !== null) {
        const node = knownScalar(style, quoted.text, quoted.text, at, quoted.end)
        this.finishInlineValue(quoted.end, ownerIndent)
        return node
      }
      const end = this.skipMultiLineQuoted(at, ownerIndent)
      this.finishInlineValue(end, ownerIndent)
      return knownScalar(style, '', '', at, end)
    }
    if (first === Char.BracketOpen || first === Char.BraceOpen) {
      const flow = this.readFlowCollection(at, ownerIndent)
      this.finishInlineValue(flow.end, ownerIndent)
      return flow
    }
    if (first === Char.Pipe || first === Char.GreaterThan) return this.parseBlockScalar(at, ownerIndent)
    if (!this.isPlainStart(at)) giveUp('value starting with an indicator')
    const valueEnd = this.plainLineEnd(at)
    const node = plainScalar(text, at, valueEnd)
    if (this.validating && ownerIndent >= 0) this.skipPlainContinuation(valueEnd, ownerIndent)
    else this.finishInlineValue(valueEnd, ownerIndent)
    return node
  }

  /** Where the plain scalar text starting at `at` ends on the current line (before a comment and trailing spaces). */
  private plainLineEnd(at: number): number {
    const text = this.text
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
    return valueEnd
  }

  /**
   * Validate mode: the lines that continue a plain scalar whose first line ends at `valueEnd`. They
   * are the following lines indented deeper than the owner, up to a comment (after a comment, a
   * deeper line is an error); blank lines between them fold. Leaves the parser where the value ends.
   */
  private skipPlainContinuation(valueEnd: number, ownerIndent: number): void {
    const text = this.text
    let end = valueEnd
    for (;;) {
      this.expectNothingAfter(end)
      let rest = end
      while (rest < this.lineEnd && text.charCodeAt(rest) === Char.Space) rest++
      const commented = rest < this.lineEnd
      this.loadLine(this.nextLineStart)
      if (commented) break
      while (!this.atEnd && this.isBlankLine) this.loadLine(this.nextLineStart)
      if (this.atEnd || this.indent <= ownerIndent || text.charCodeAt(this.contentStart) === Char.Hash) break
      if (!this.isPlainStart(this.contentStart)) giveUp('a plain scalar continues with an indicator')
      end = this.plainLineEnd(this.contentStart)
    }
    this.expectNoDeeperContent(ownerIndent)
  }

  /** A quoted scalar that closes on the current line, or null when it does not. */
  private readQuoted(at: number, double: boolean): { text: string; end: number } | null {
    return double ? readDoubleQuoted(this.text, at, this.lineEnd) : readSingleQuoted(this.text, at, this.lineEnd)
  }

  /**
   * Validate mode: a quoted scalar that runs over several lines, each (unless blank) indented deeper
   * than `ownerIndent`. Leaves the parser on the line where it closes; returns the offset past the quote.
   */
  private skipMultiLineQuoted(open: number, ownerIndent: number): number {
    if (!this.validating || ownerIndent < 0) giveUp('quoted scalar continues on the next line')
    const text = this.text
    const quote = text.charCodeAt(open)
    let position = open + 1
    for (;;) {
      while (position < this.lineEnd) {
        const code = text.charCodeAt(position)
        if (code === quote) {
          if (quote === Char.DoubleQuote || text.charCodeAt(position + 1) !== Char.SingleQuote || position + 1 >= this.lineEnd) {
            return position + 1
          }
          position += 2
        } else if (code === Char.Backslash && quote === Char.DoubleQuote) {
          // A backslash that ends the line escapes the line break.
          position += position + 1 >= this.lineEnd ? 1 : readEscape(text, position).length
        } else {
          position++
        }
      }
      this.continueOnNextLine(ownerIndent, 'quoted scalar')
      position = this.contentStart
    }
  }

  /** `|` / `>` with optional chomping (and, in validate mode, indentation) indicators; the content lines are indented deeper than `ownerIndent`. */
  private parseBlockScalar(at: number, ownerIndent: number): ScalarNode {
    const text = this.text
    const folded = text.charCodeAt(at) === Char.GreaterThan
    let position = at + 1
    let chomping: 'clip' | 'strip' | 'keep' = 'clip'
    let indentation = 0
    // At most one chomping and one indentation indicator, in either order.
    for (let indicator = 0; indicator < 2; indicator++) {
      const code = text.charCodeAt(position)
      if ((code === Char.Dash || code === Char.Plus) && chomping === 'clip') {
        chomping = code === Char.Dash ? 'strip' : 'keep'
        position++
      } else if (code >= Char.One && code <= Char.Nine && indentation === 0) {
        indentation = code - Char.One + 1
        position++
      }
    }
    if (!isSeparatorOrEnd(text, position, this.lineEnd)) giveUp('block scalar indicator the fast path does not read')
    if (!this.validating && (chomping === 'keep' || indentation !== 0)) giveUp('block scalar indicator the fast path does not read')
    // An indentation indicator counts from the owner's indentation; a top-level one is left to `yaml`.
    if (indentation !== 0 && ownerIndent < 0) giveUp('indentation indicator on a top-level block scalar')
    this.expectNothingAfter(position)

    // Parse mode only: the lines of the value, without their indentation ('' for blank ones).
    const lines: string[] = []
    let contentIndent = indentation === 0 ? -1 : ownerIndent + indentation
    let lastContent = -1
    let sawContent = false
    let moreIndented = false
    let cursor = this.nextLineStart
    // Longest whitespace-only line before the first content line, and anywhere.
    let leadingBlankLength = 0
    let blankLength = 0
    while (cursor < this.end) {
      let lineEnd = text.indexOf('\n', cursor)
      const next = lineEnd === -1 || lineEnd >= this.end ? this.end : lineEnd + 1
      if (lineEnd === -1 || lineEnd > this.end) lineEnd = this.end
      if (lineEnd > cursor && text.charCodeAt(lineEnd - 1) === Char.CarriageReturn) lineEnd--
      let indentEnd = cursor
      while (indentEnd < lineEnd && text.charCodeAt(indentEnd) === Char.Space) indentEnd++
      if (indentEnd === lineEnd) {
        blankLength = Math.max(blankLength, lineEnd - cursor)
        if (!sawContent) leadingBlankLength = Math.max(leadingBlankLength, lineEnd - cursor)
        if (!this.validating) lines.push('')
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
      sawContent = true
      if (!this.validating) {
        lines.push(text.slice(cursor + contentIndent, lineEnd))
        lastContent = lines.length - 1
      }
      cursor = next
    }
    // Whitespace-only lines longer than the indentation carry content (or are errors): full parser.
    // The validator only needs the rule that makes them errors: more-indented leading blank lines
    // under an indentation detected from the first content line.
    if (contentIndent === -1 ? blankLength > 0 : indentation === 0 && leadingBlankLength > contentIndent) {
      giveUp('whitespace-only block scalar line')
    }
    if (!this.validating && contentIndent !== -1 && blankLength > contentIndent) giveUp('whitespace-only block scalar line')
    let value = ''
    if (!this.validating && lastContent >= 0) {
      const body = lines.slice(0, lastContent + 1)
      if (folded) {
        if (moreIndented) giveUp('more-indented lines in a folded scalar')
        value = foldLines(body)
      } else {
        value = body.join('\n')
      }
      if (chomping === 'clip') value += '\n'
    }
    const node = knownScalar(folded ? 'folded' : 'literal', value, value, at, cursor)
    this.loadLine(cursor)
    this.skipBlankAndComments()
    if (!this.atEnd && this.indent > ownerIndent) giveUp('indentation after a block scalar')
    return node
  }

  // ---- flow collections -----------------------------------------------------------------------------

  /** A flow collection (`[a, b]`, `{a: 1}`) as a value of a block collection at `ownerIndent`. */
  private readFlowCollection(at: number, ownerIndent: number): MapNode | SeqNode {
    this.flowOwnerIndent = this.validating && ownerIndent >= 0 ? ownerIndent : -1
    const node = this.readFlowNode(at)
    if (node.type === 'scalar') giveUp('not a flow collection')
    return node
  }

  /** Spaces within the current line. */
  private skipSpaces(at: number): number {
    while (at < this.lineEnd && this.text.charCodeAt(at) === Char.Space) at++
    return at
  }

  /**
   * Spaces between flow tokens; in validate mode also comments and line breaks, moving the parser
   * to the line where the next token is. Returns where that token starts (the line end when the
   * flow collection may not continue on the next line).
   */
  private skipFlowSeparation(at: number): number {
    const text = this.text
    for (;;) {
      at = this.skipSpaces(at)
      if (this.flowOwnerIndent < 0) return at
      if (at < this.lineEnd) {
        const before = text.charCodeAt(at - 1)
        const comment = text.charCodeAt(at) === Char.Hash && (before === Char.Space || before === Char.LineFeed)
        if (!comment) return at
      }
      this.continueOnNextLine(this.flowOwnerIndent, 'flow collection')
      at = this.contentStart
    }
  }

  private readFlowNode(at: number): YamlNode {
    const code = this.text.charCodeAt(at)
    if (code === Char.BracketOpen) return this.readFlowSequence(at)
    if (code === Char.BraceOpen) return this.readFlowMapping(at)
    if (code === Char.DoubleQuote || code === Char.SingleQuote) {
      const style = code === Char.DoubleQuote ? 'double-quoted' : 'single-quoted'
      const quoted = this.readQuoted(at, code === Char.DoubleQuote)
      if (quoted !== null) return knownScalar(style, quoted.text, quoted.text, at, quoted.end)
      if (this.flowOwnerIndent < 0) giveUp('quoted scalar continues on the next line')
      return knownScalar(style, '', '', at, this.skipMultiLineQuoted(at, this.flowOwnerIndent))
    }
    return this.readFlowPlain(at)
  }

  private readFlowPlain(at: number): ScalarNode {
    const text = this.text
    const first = text.charCodeAt(at)
    if (startsIndicator(first) || first === Char.BracketClose || first === Char.BraceClose) giveUp('flow value starting with an indicator')
    // `-` starts a plain scalar only before a character that could continue it (not `,]}` etc.).
    if (first === Char.Dash && (isFlowIndicator(text.charCodeAt(at + 1)) || isSeparatorOrEnd(text, at + 1, this.lineEnd))) {
      giveUp('flow value starting with an indicator')
    }
    let position = at
    for (; position < this.lineEnd; position++) {
      const code = text.charCodeAt(position)
      if (isFlowIndicator(code)) {
        break
      }
      if (code === Char.Colon) {
        const after = text.charCodeAt(position + 1)
        if (after === Char.Space || after === Char.Comma || after === Char.BracketClose || after === Char.BraceClose) break
        if (position + 1 >= this.lineEnd) break
      }
      if (code === Char.Hash && text.charCodeAt(position - 1) === Char.Space) {
        // A comment ends the value; only the validator reads flow collections with comments.
        if (this.flowOwnerIndent < 0) giveUp('comment inside a flow collection')
        break
      }
    }
    let valueEnd = position
    while (valueEnd > at && text.charCodeAt(valueEnd - 1) === Char.Space) valueEnd--
    if (valueEnd === at) giveUp('empty flow value')
    return plainScalar(text, at, valueEnd)
  }

  private readFlowSequence(open: number): SeqNode {
    if (++this.depth > MAX_DEPTH) giveUp('deep nesting')
    const seq: SeqNode = { type: 'seq', items: [], start: open, end: open }
    let at = this.skipFlowSeparation(open + 1)
    for (;;) {
      if (at >= this.lineEnd) giveUp('flow collection continues on the next line')
      if (this.text.charCodeAt(at) === Char.BracketClose) break
      const item = this.readFlowNode(at)
      seq.items.push(item)
      at = this.skipFlowSeparation(item.end)
      const code = this.text.charCodeAt(at)
      if (code === Char.Comma) {
        at = this.skipFlowSeparation(at + 1)
        continue
      }
      if (code === Char.BracketClose) break
      giveUp('unexpected text in a flow sequence')
    }
    seq.end = at + 1
    this.depth--
    return seq
  }

  private readFlowMapping(open: number): MapNode {
    if (++this.depth > MAX_DEPTH) giveUp('deep nesting')
    const map: MapNode = { type: 'map', entries: new Map(), start: open, end: open }
    const text = this.text
    let at = this.skipFlowSeparation(open + 1)
    for (;;) {
      if (at >= this.lineEnd) giveUp('flow collection continues on the next line')
      if (text.charCodeAt(at) === Char.BraceClose) break
      const keyCode = text.charCodeAt(at)
      let name: string
      let colon: number
      // Keys, their colon and the start of their value stay on one line.
      if (keyCode === Char.DoubleQuote || keyCode === Char.SingleQuote) {
        const quoted = this.readQuoted(at, keyCode === Char.DoubleQuote)
        if (quoted === null) giveUp('multi-line flow mapping key')
        name = quoted.text
        colon = this.skipSpaces(quoted.end)
        if (text.charCodeAt(colon) !== Char.Colon) giveUp('flow mapping key without a value')
      } else {
        const key = this.readFlowPlain(at)
        name = key.text
        if (!isPlainStringKey(name)) giveUp('key that is not a plain string')
        colon = this.skipSpaces(key.end)
        if (text.charCodeAt(colon) !== Char.Colon || text.charCodeAt(colon + 1) !== Char.Space) giveUp('flow mapping key without a value')
      }
      if (map.entries.has(name)) giveUp('duplicate key')
      const valueStart = this.skipSpaces(colon + 1)
      const valueCode = text.charCodeAt(valueStart)
      if (valueStart >= this.lineEnd || valueCode === Char.Comma || valueCode === Char.BraceClose || valueCode === Char.Hash) {
        giveUp('empty flow value')
      }
      const value = this.readFlowNode(valueStart)
      map.entries.set(name, value)
      at = this.skipFlowSeparation(value.end)
      const code = text.charCodeAt(at)
      if (code === Char.Comma) {
        at = this.skipFlowSeparation(at + 1)
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

/** The escape sequence at `at` (a backslash followed by at least one character on its line): its value and length. */
function readEscape(text: string, at: number): { value: string; length: number } {
  const escape = text[at + 1] ?? ''
  const simple = SIMPLE_ESCAPES[escape]
  if (simple !== undefined) return { value: simple, length: 2 }
  const length = HEX_ESCAPE_LENGTH[escape]
  if (length === undefined) giveUp('unknown escape')
  const hex = text.slice(at + 2, at + 2 + length)
  if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) giveUp('bad escape')
  const codePoint = Number.parseInt(hex, 16)
  if (codePoint > 0x10ffff) giveUp('bad escape')
  return { value: String.fromCodePoint(codePoint), length: 2 + length }
}

/** A double-quoted scalar that closes on the same line, or null when it does not. */
function readDoubleQuoted(text: string, at: number, lineEnd: number): { text: string; end: number } | null {
  let value = ''
  let segment = at + 1
  for (let position = at + 1; position < lineEnd; position++) {
    const code = text.charCodeAt(position)
    if (code === Char.DoubleQuote) return { text: value + text.slice(segment, position), end: position + 1 }
    if (code !== Char.Backslash) continue
    // A backslash at the end of the line escapes the line break: the scalar goes on.
    if (position + 1 >= lineEnd) return null
    value += text.slice(segment, position)
    const escape = readEscape(text, position)
    value += escape.value
    position += escape.length - 1
    segment = position + 1
  }
  return null
}

/** A single-quoted scalar that closes on the same line (`''` is a quote), or null when it does not. */
function readSingleQuoted(text: string, at: number, lineEnd: number): { text: string; end: number } | null {
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
  return null
}
