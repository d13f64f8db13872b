// The pre-screen: reads a YAML document's top-level `apiVersion` and `kind` from its lines without
// parsing it, so documents that cannot hold an image (a CRD's schema, a ConfigMap) need not be
// parsed at all. It answers only when the answer is certain; anything unusual (quoted or merged
// keys, flow style, duplicates, multi-line values) returns null and the document is parsed.

/** What a document says it is. */
export interface DocumentHeader {
  apiVersion: string
  kind: string
}

const enum Char {
  LineFeed = 10,
  CarriageReturn = 13,
  Space = 32,
  Hash = 35,
  Percent = 37,
  Dash = 45,
  Dot = 46
}

/** A top-level value the pre-screen trusts: a plain or fully quoted identifier, then maybe a comment. */
const HEADER_VALUE = /^:[ ]+(?:([A-Za-z0-9][A-Za-z0-9._/-]*)|"([A-Za-z0-9][A-Za-z0-9._/-]*)"|'([A-Za-z0-9][A-Za-z0-9._/-]*)')(?:[ ]+#.*|[ ]*)$/

function isKeyStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 95
}

/**
 * The document's apiVersion and kind when they can be read with certainty from its top-level lines,
 * else null. `start`/`end` delimit the document in `text`.
 */
export function readDocumentHeader(text: string, start: number, end: number): DocumentHeader | null {
  let apiVersion: string | null = null
  let kind: string | null = null
  let sawApiVersion = 0
  let sawKind = 0
  let sawContent = false
  // After a kind/apiVersion line, the next non-blank line must start a new top-level entry; an
  // indented one would continue the value (`kind: Config\n  Map`).
  let mustBeTopLevel = false
  let lineStart = start
  while (lineStart < end) {
    let lineEnd = text.indexOf('\n', lineStart)
    const next = lineEnd === -1 || lineEnd >= end ? end : lineEnd + 1
    if (lineEnd === -1 || lineEnd > end) lineEnd = end
    if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === Char.CarriageReturn) lineEnd--
    const first = text.charCodeAt(lineStart)
    if (lineEnd === lineStart) {
      lineStart = next
      continue
    }
    if (first === Char.Space) {
      if (!sawContent) {
        // Indented content before any top-level key: not a block mapping at column 0.
        if (!/^\s*(#.*)?$/.test(text.slice(lineStart, lineEnd))) return null
      } else if (mustBeTopLevel && !/^\s*$/.test(text.slice(lineStart, lineEnd))) {
        return null
      }
      lineStart = next
      continue
    }
    mustBeTopLevel = false
    if (first === Char.Hash) {
      lineStart = next
      continue
    }
    if ((first === Char.Dash || first === Char.Dot) && text.startsWith(first === Char.Dash ? '---' : '...', lineStart)) {
      const rest = text.slice(lineStart + 3, lineEnd)
      if (rest !== '' && !/^[ \t]+(#.*)?$/.test(rest) && !/^[ \t]*$/.test(rest)) return null
      lineStart = next
      continue
    }
    if (first === Char.Percent && !sawContent) {
      lineStart = next
      continue
    }
    if (!isKeyStart(first)) return null
    sawContent = true
    if (text.startsWith('kind', lineStart) || text.startsWith('apiVersion', lineStart)) {
      const line = text.slice(lineStart, lineEnd)
      const colon = line.indexOf(':')
      const key = colon === -1 ? line : line.slice(0, colon).trimEnd()
      if (key === 'kind' || key === 'apiVersion') {
        const match = HEADER_VALUE.exec(line.slice(key.length).trimStart())
        if (match === null) return null
        const value = match[1] ?? match[2] ?? match[3] ?? ''
        if (key === 'kind') {
          kind = value
          sawKind++
        } else {
          apiVersion = value
          sawApiVersion++
        }
        mustBeTopLevel = true
      }
    }
    lineStart = next
  }
  if (sawKind !== 1 || sawApiVersion !== 1 || kind === null || apiVersion === null) return null
  return { apiVersion, kind }
}
