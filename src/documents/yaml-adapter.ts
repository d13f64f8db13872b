// Turns a document parsed by the `yaml` package into the inventory's tree, applying what kubectl's
// YAML-to-JSON conversion applies: aliases resolved (to the anchored node itself, so positions point
// at the anchor), merge keys (`<<`) merged with explicit keys winning, duplicate keys resolved to
// the last value (with a problem reported). The work is bounded: an alias bomb is measured by the
// size its expansion WOULD have, without expanding it, and refused past a limit.
import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Document, type Node as AstNode, type Scalar } from 'yaml'
import type { DiagnosticCode, Severity } from '../model.js'
import { knownScalar, type MapNode, type ScalarNode, type ScalarStyle, type SeqNode, type YamlNode } from './nodes.js'

/** Something wrong with (part of) a document, at an offset of the file. */
export interface DocumentProblem {
  code: DiagnosticCode
  severity: Severity
  offset: number
  message: string
}

/** Limits that keep hostile documents from costing unbounded time or memory. */
export interface AdapterLimits {
  /** Deepest nesting accepted (kubectl's decoder refuses absurd depths too). */
  maxDepth: number
  /** Largest number of nodes the document may have once every alias is expanded. */
  maxExpandedNodes: number
}

export const DEFAULT_LIMITS: AdapterLimits = { maxDepth: 200, maxExpandedNodes: 1_000_000 }

/** The tree of one parsed document, or the problem that prevents using it. */
export interface AdaptedDocument {
  root: YamlNode | null
  problems: DocumentProblem[]
}

class Refusal {
  constructor(readonly problem: DocumentProblem) {}
}

const STYLES: Readonly<Record<string, ScalarStyle>> = {
  PLAIN: 'plain',
  QUOTE_DOUBLE: 'double-quoted',
  QUOTE_SINGLE: 'single-quoted',
  BLOCK_LITERAL: 'literal',
  BLOCK_FOLDED: 'folded'
}

/**
 * Converts a parsed `yaml` document whose source starts at offset `base` of the file. A document
 * with parse errors yields its first error as a problem and no tree.
 */
export function adaptYamlDocument(
  document: Document.Parsed,
  text: string,
  base: number,
  limits: AdapterLimits = DEFAULT_LIMITS
): AdaptedDocument {
  const firstError = document.errors[0]
  if (firstError !== undefined) return { root: null, problems: [syntaxProblem(document, firstError, text, base)] }
  const converter = new Converter(text, base, limits)
  try {
    const root = document.contents === null ? null : converter.convert(document.contents as AstNode, 0)
    if (root !== null) converter.checkExpansion(root)
    return { root, problems: converter.problems }
  } catch (error) {
    if (error instanceof Refusal) return { root: null, problems: [error.problem] }
    throw error
  }
}

function syntaxProblem(
  document: Document.Parsed,
  error: { code: string; message: string; pos: [number, number] },
  text: string,
  base: number
): DocumentProblem {
  const offset = base + error.pos[0]
  if (error.code === 'RESOURCE_EXHAUSTION') {
    return {
      code: 'too-deep',
      severity: 'error',
      offset,
      message: 'the document is nested too deeply to read; no Kubernetes object is nested like this'
    }
  }
  const [start, , end] = document.range
  const templateAt = text.slice(base + start, base + end).indexOf('{{')
  if (templateAt !== -1) {
    const template = base + start + templateAt
    return {
      code: 'unrendered-template',
      severity: 'error',
      offset: template,
      message:
        'this is an unrendered Helm/Go template (`{{ … }}`), not YAML; scan the rendered output instead (`helm template …`)'
    }
  }
  const reason = error.message.split('\n')[0] ?? error.message
  return { code: 'yaml-syntax', severity: 'error', offset: base + unclosedQuoteStart(document, error), message: `YAML syntax error: ${reason}` }
}

/**
 * `yaml` reports an unclosed quote where the text ends, often lines (or a document) later; the
 * quote that opened the scalar is where the mistake is.
 */
function unclosedQuoteStart(document: Document.Parsed, error: { code: string; message: string; pos: [number, number] }): number {
  if (error.code !== 'MISSING_CHAR' || !error.message.includes('quote')) return error.pos[0]
  let start = error.pos[0]
  visit(document, {
    Scalar(_key, node) {
      const range = node.range
      if (range !== undefined && range !== null && range[1] === error.pos[0] && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')) {
        start = range[0]
        return visit.BREAK
      }
      return undefined
    }
  })
  return start
}

const IN_PROGRESS = Symbol('anchor being built')

class Converter {
  readonly problems: DocumentProblem[] = []
  private readonly anchors = new Map<string, YamlNode | typeof IN_PROGRESS>()
  /** Node count of each subtree with aliases expanded; shared subtrees are counted once per use. */
  private readonly expandedSize = new Map<YamlNode, number>()
  private writtenNodes = 0

  constructor(
    private readonly text: string,
    private readonly base: number,
    private readonly limits: AdapterLimits
  ) {}

  convert(node: AstNode, depth: number): YamlNode {
    if (depth > this.limits.maxDepth) {
      this.refuse('too-deep', node, `the document is nested more than ${this.limits.maxDepth} levels deep`)
    }
    if (isAlias(node)) {
      const target = this.anchors.get(node.source)
      if (target === undefined) this.refuse('yaml-syntax', node, `YAML syntax error: the alias *${node.source} has no anchor`)
      if (target === IN_PROGRESS) {
        this.refuse('alias-limit', node, `the alias *${node.source} refers to a node that contains it (a cycle)`)
      }
      return target
    }
    const anchor = (node as { anchor?: string }).anchor
    if (anchor !== undefined) this.anchors.set(anchor, IN_PROGRESS)
    this.writtenNodes++
    let result: YamlNode
    if (isScalar(node)) result = this.scalar(node)
    else if (isMap(node)) result = this.mapping(node.items, node.range, depth)
    else if (isSeq(node)) result = this.sequence(node.items as AstNode[], node.range, depth)
    else this.refuse('yaml-syntax', node, 'YAML syntax error: unsupported node')
    if (anchor !== undefined) this.anchors.set(anchor, result)
    return result
  }

  private scalar(node: Scalar): ScalarNode {
    const [start, end] = node.range ?? [0, 0]
    const style = STYLES[node.type ?? 'PLAIN'] ?? 'plain'
    const source = (node as { source?: unknown }).source
    const text = typeof source === 'string' ? source : String(node.value)
    const scalar = knownScalar(style, text, node.value, this.base + start, this.base + end)
    this.expandedSize.set(scalar, 1)
    return scalar
  }

  private mapping(items: unknown[], range: AstNode['range'], depth: number): MapNode {
    const [start, end] = range ?? [0, 0]
    const map: MapNode = { type: 'map', entries: new Map(), start: this.base + start, end: this.base + end }
    const explicit = new Set<string>()
    const mergeSources: YamlNode[] = []
    let size = 1
    for (const item of items) {
      if (!isPair(item)) continue
      const keyNode = item.key as AstNode | null
      const valueNode = item.value as AstNode | null
      if (keyNode !== null && isScalar(keyNode) && keyNode.type === 'PLAIN' && (keyNode as { source?: string }).source === '<<') {
        if (valueNode !== null) mergeSources.push(...this.mergeSources(this.convert(valueNode, depth + 1)))
        continue
      }
      // An anchor on a key can be aliased later like any other.
      if (keyNode !== null && (keyNode as { anchor?: string }).anchor !== undefined) this.convert(keyNode, depth + 1)
      const name = keyNode === null ? 'null' : this.keyName(keyNode)
      const value = valueNode === null ? this.emptyValue(keyNode) : this.convert(valueNode, depth + 1)
      if (explicit.has(name) && keyNode !== null) {
        this.problems.push({
          code: 'duplicate-key',
          severity: 'warning',
          offset: this.base + (keyNode.range?.[0] ?? 0),
          message: `duplicate key "${name}": this later value is the one kubectl uses, the earlier one is ignored`
        })
        size -= (this.expandedSize.get(map.entries.get(name) as YamlNode) ?? 0) + 1
        map.entries.delete(name)
      }
      explicit.add(name)
      map.entries.set(name, value)
      size += (this.expandedSize.get(value) ?? 1) + 1
    }
    // YAML merge keys: explicit keys win, and earlier sources win over later ones.
    for (const source of mergeSources) {
      if (source.type !== 'map') continue
      for (const [name, value] of source.entries) {
        if (map.entries.has(name)) continue
        map.entries.set(name, value)
        size += (this.expandedSize.get(value) ?? 1) + 1
      }
    }
    this.expandedSize.set(map, size)
    this.guardExpansion(size, start)
    return map
  }

  private mergeSources(value: YamlNode): YamlNode[] {
    if (value.type === 'map') return [value]
    if (value.type === 'seq') return value.items.filter((item) => item.type === 'map')
    return []
  }

  private sequence(items: AstNode[], range: AstNode['range'], depth: number): SeqNode {
    const [start, end] = range ?? [0, 0]
    const seq: SeqNode = { type: 'seq', items: [], start: this.base + start, end: this.base + end }
    let size = 1
    for (const item of items) {
      const converted = item === null ? knownScalar('plain', '', null, seq.start, seq.start) : this.convert(item, depth + 1)
      seq.items.push(converted)
      size += this.expandedSize.get(converted) ?? 1
    }
    this.expandedSize.set(seq, size)
    this.guardExpansion(size, start)
    return seq
  }

  /** A key with nothing after its colon: null at the colon's end, where `yaml` puts it. */
  private emptyValue(keyNode: AstNode | null): ScalarNode {
    const keyEnd = this.base + (keyNode?.range?.[1] ?? 0)
    const colon = this.text.indexOf(':', keyEnd)
    const at = colon === -1 ? keyEnd : colon + 1
    return knownScalar('plain', '', null, at, at)
  }

  /** Keys as kubectl's JSON conversion writes them: strings as they are, other scalars printed. */
  private keyName(key: AstNode): string {
    if (isScalar(key)) {
      const value = key.value
      if (typeof value === 'string') return value
      if (value === null) return 'null'
      if (value instanceof Date) return value.toISOString()
      return String(value)
    }
    const [start, end] = key.range ?? [0, 0]
    return this.text.slice(this.base + start, this.base + end)
  }

  private guardExpansion(size: number, relativeOffset: number): void {
    if (size > this.limits.maxExpandedNodes && size > 10 * this.writtenNodes) {
      throw new Refusal({
        code: 'alias-limit',
        severity: 'error',
        offset: this.base + relativeOffset,
        message: `aliases in this document expand to more than ${this.limits.maxExpandedNodes.toLocaleString('en-US')} nodes (an alias bomb); it was not read`
      })
    }
  }

  /** Final check once the whole tree is known. */
  checkExpansion(root: YamlNode): void {
    this.guardExpansion(this.expandedSize.get(root) ?? 1, root.start - this.base)
  }

  private refuse(code: DiagnosticCode, node: AstNode, message: string): never {
    throw new Refusal({ code, severity: 'error', offset: this.base + (node.range?.[0] ?? 0), message })
  }
}
