// What the extraction of one document writes into and reads positions from: the file, its line
// index, the document's index and Helm source, and the lists being filled. Also the small helpers
// that turn tree nodes into reported places (line, column, end column) and pull-secret references.
import type { Diagnostic, DiagnosticCode, ImageUse, SecretManifest, SecretRef, ServiceAccountManifest, Severity } from '../model.js'
import { child, seqItems, stringValue, type LineIndex, type YamlNode } from '../documents/index.js'

/** The lists one text's extraction fills. */
export interface InventoryParts {
  images: ImageUse[]
  secrets: SecretManifest[]
  serviceAccounts: ServiceAccountManifest[]
  diagnostics: Diagnostic[]
}

export interface ExtractionContext extends InventoryParts {
  file: string
  text: string
  lines: LineIndex
  /** 0-based document index within the file. */
  document: number
  source: string | null
}

/** What an object says about itself (a List item speaks for itself, not for its List). */
export interface ObjectIdentity {
  apiVersion: string | null
  kind: string | null
  namespace: string | null
  name: string | null
}

export interface Place {
  line: number
  column: number
  endColumn: number
}

/** Where a node's value is, with the end column of its token on its first line. */
export function placeOf(context: ExtractionContext, node: YamlNode): Place {
  const { line, column } = context.lines.position(node.start)
  const lineEnd = context.lines.lineEnd(node.start)
  let end = node.end
  if (node.type === 'scalar' && (node.style === 'literal' || node.style === 'folded')) {
    // A block scalar's token on its first line is its header: `|`, `>-`, `|2+`.
    const header = /^[|>][0-9+-]*/.exec(context.text.slice(node.start, Math.min(lineEnd, node.start + 4)))
    end = node.start + (header?.[0].length ?? 1)
  }
  end = Math.max(node.start, Math.min(end, lineEnd))
  return { line, column, endColumn: column + (end - node.start) }
}

/** Adds a diagnostic at a node (or at an offset) of the current file. */
export function addDiagnostic(
  context: ExtractionContext,
  at: YamlNode | number,
  code: DiagnosticCode,
  severity: Severity,
  message: string
): void {
  const offset = typeof at === 'number' ? at : at.start
  const { line, column } = context.lines.position(offset)
  context.diagnostics.push({ file: context.file, line, column, code, severity, message })
}

/** `imagePullSecrets: [{name: …}]` as references with the position of each name. */
export function secretRefsOf(context: ExtractionContext, list: YamlNode | undefined): SecretRef[] {
  const refs: SecretRef[] = []
  for (const item of seqItems(list)) {
    const nameNode = child(item, 'name')
    const name = stringValue(nameNode)
    if (nameNode === undefined || name === undefined || name === '') continue
    const { line, column } = context.lines.position(nameNode.start)
    refs.push({ name, file: context.file, line, column })
  }
  return refs
}

/** The identity fields of an object mapping. */
export function identityOf(object: YamlNode): ObjectIdentity {
  const metadata = child(object, 'metadata')
  return {
    apiVersion: stringValue(child(object, 'apiVersion')) ?? null,
    kind: stringValue(child(object, 'kind')) ?? null,
    namespace: stringValue(child(metadata, 'namespace')) ?? null,
    name: stringValue(child(metadata, 'name')) ?? null
  }
}

/** Longest user-written value quoted in a message. */
const QUOTED_VALUE_LENGTH = 120

/**
 * Text from a manifest with control characters and line breaks escaped (`\n`, `\u001b`): it must not
 * break a log line or a workflow command. JSON.stringify leaves U+2028 and U+2029 raw (JSON allows
 * them), so those are escaped on top.
 */
export function escapeControlCharacters(text: string): string {
  if (!/[\x00-\x1f\x7f\u2028\u2029]/.test(text)) return text
  return JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

/** A value written in a manifest, safe to put in a message: control characters escaped, very long values cut. */
export function quoteValue(value: string): string {
  const escaped = escapeControlCharacters(value)
  return escaped.length > QUOTED_VALUE_LENGTH ? `${escaped.slice(0, QUOTED_VALUE_LENGTH)}…` : escaped
}

/** The API group of an apiVersion (`apps/v1` → `apps`; `v1` and unknown → the core group ''). */
export function groupOf(apiVersion: string | null): string {
  if (apiVersion === null) return ''
  const slash = apiVersion.indexOf('/')
  return slash === -1 ? '' : apiVersion.slice(0, slash)
}
