// Cuts a file into its documents without parsing them: YAML streams at `---` / `...` markers
// (the same boundaries the `yaml` package finds, so document indexes agree), JSON streams at the
// end of each top-level value. Parsing each piece on its own keeps a broken document from taking
// its neighbours down with it, and lets the pre-screen skip pieces that cannot matter.

/** One document's slice of the file: [start, end) offsets. */
export interface DocumentChunk {
  /** 0-based index of the document in its file. */
  index: number
  start: number
  end: number
}

const enum Char {
  Tab = 9,
  LineFeed = 10,
  CarriageReturn = 13,
  Space = 32,
  Hash = 35,
  Percent = 37,
  Dash = 45,
  Dot = 46
}

/** `---` or `...` at the start of a line, followed by a separator or the end of the text. */
function markerAt(text: string, lineStart: number): '---' | '...' | null {
  const first = text.charCodeAt(lineStart)
  if (first !== Char.Dash && first !== Char.Dot) return null
  if (text.charCodeAt(lineStart + 1) !== first || text.charCodeAt(lineStart + 2) !== first) return null
  const after = text.charCodeAt(lineStart + 3)
  if (
    Number.isNaN(after) ||
    after === Char.Space ||
    after === Char.Tab ||
    after === Char.LineFeed ||
    after === Char.CarriageReturn
  ) {
    return first === Char.Dash ? '---' : '...'
  }
  return null
}

/** True for a line that holds nothing (only spaces/tabs) or only a comment. */
function isBlankOrComment(text: string, lineStart: number, lineEnd: number): boolean {
  for (let at = lineStart; at < lineEnd; at++) {
    const code = text.charCodeAt(at)
    if (code === Char.Space || code === Char.Tab || code === Char.CarriageReturn) continue
    return code === Char.Hash
  }
  return true
}

/**
 * Splits a YAML stream into documents. Lines between documents (comments, `%` directives) belong to
 * the document that follows them; a `...` with no open document is an empty document, as in YAML.
 */
export function splitYamlStream(text: string): DocumentChunk[] {
  const chunks: DocumentChunk[] = []
  const length = text.length
  let regionStart = 0
  let inDocument = false
  let lineStart = 0
  // Inside a document only lines starting with `---` or `...` matter; these find them natively.
  let nextDashes = -2
  let nextDots = -2
  while (lineStart < length) {
    if (inDocument) {
      if (nextDashes !== -1 && nextDashes < lineStart) nextDashes = nextLineStartingWith(text, '---', lineStart)
      if (nextDots !== -1 && nextDots < lineStart) nextDots = nextLineStartingWith(text, '...', lineStart)
      const candidate = nextDashes === -1 ? nextDots : nextDots === -1 ? nextDashes : Math.min(nextDashes, nextDots)
      if (candidate === -1) break
      lineStart = candidate
    }
    let lineEnd = text.indexOf('\n', lineStart)
    const next = lineEnd === -1 ? length : lineEnd + 1
    if (lineEnd === -1) lineEnd = length
    const marker = markerAt(text, lineStart)
    if (marker === '---') {
      if (inDocument) {
        chunks.push({ index: chunks.length, start: regionStart, end: lineStart })
        regionStart = lineStart
      }
      inDocument = true
    } else if (marker === '...') {
      chunks.push({ index: chunks.length, start: regionStart, end: next })
      regionStart = next
      inDocument = false
    } else if (!inDocument) {
      const directive = text.charCodeAt(lineStart) === Char.Percent
      if (!directive && !isBlankOrComment(text, lineStart, lineEnd)) inDocument = true
    }
    lineStart = next
  }
  if (inDocument) chunks.push({ index: chunks.length, start: regionStart, end: length })
  return chunks
}

/** The start of the first line at or after `from` (a line start) that begins with `prefix`, or -1. */
function nextLineStartingWith(text: string, prefix: string, from: number): number {
  if (from === 0 && text.startsWith(prefix)) return 0
  const found = text.indexOf(`\n${prefix}`, from - 1)
  return found === -1 ? -1 : found + 1
}

/**
 * Splits a JSON text into its top-level values: one object, or a stream of them (concatenated or
 * one per line, as `kubectl get -o json` loops and log shippers write them). Text that does not
 * look like JSON values stays one chunk, so the parser reports what is wrong with it.
 */
export function splitJsonStream(text: string): DocumentChunk[] {
  const chunks: DocumentChunk[] = []
  let at = 0
  const length = text.length
  while (at < length) {
    while (at < length && /\s/.test(text[at] ?? '')) at++
    if (at >= length) break
    const open = text[at]
    if (open !== '{' && open !== '[') {
      chunks.push({ index: chunks.length, start: at, end: length })
      break
    }
    let depth = 0
    let inString = false
    let end = -1
    for (let i = at; i < length; i++) {
      const char = text[i]
      if (inString) {
        if (char === '\\') i++
        else if (char === '"') inString = false
      } else if (char === '"') inString = true
      else if (char === '{' || char === '[') depth++
      else if (char === '}' || char === ']') {
        depth--
        if (depth === 0) {
          end = i + 1
          break
        }
      }
    }
    if (end === -1) {
      chunks.push({ index: chunks.length, start: at, end: length })
      break
    }
    chunks.push({ index: chunks.length, start: at, end })
    at = end
  }
  return chunks
}

const SOURCE_COMMENT = /^#\s*Source:\s*(\S(?:.*\S)?)\s*$/

/**
 * The Helm template path from the `# Source: chart/templates/x.yaml` comment that `helm template`
 * writes above each document: searched in the comment lines just above `contentStart`, up to the
 * document's `---`.
 */
export function helmSourceAbove(text: string, contentStart: number): string | null {
  let lineEnd = text.lastIndexOf('\n', contentStart - 1)
  while (lineEnd >= 0) {
    // lastIndexOf treats a negative position as 0: the first line must not find its own line break.
    const lineStart = lineEnd === 0 ? 0 : text.lastIndexOf('\n', lineEnd - 1) + 1
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, '')
    const trimmed = line.trim()
    if (trimmed.startsWith('#')) {
      const match = SOURCE_COMMENT.exec(trimmed)
      if (match !== null) return match[1] ?? null
    } else if (trimmed !== '') {
      return null
    }
    if (markerAt(text, lineStart) !== null) return null
    lineEnd = lineStart - 1
  }
  return null
}
