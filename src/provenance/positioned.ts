// A YAML document as a plain tree whose leaves remember where they were written, and Helm's way of
// layering such trees (parent chart values over sub-chart values, `null` deleting a key). Provenance
// works on these trees so that, after merging, every value still knows its file and line.
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml'
import type { Position } from '../model.js'

/** A scalar value with its position; `text` is the value as written (a YAML `1.10` stays "1.10"). */
export interface PositionedScalar {
  kind: 'scalar'
  /** null for YAML null / empty values. */
  text: string | null
  position: Position
}

export interface PositionedMap {
  kind: 'map'
  entries: Map<string, PositionedNode>
  position: Position
}

export interface PositionedSeq {
  kind: 'seq'
  items: PositionedNode[]
  position: Position
}

export type PositionedNode = PositionedScalar | PositionedMap | PositionedSeq

/** Nesting (aliases included) is followed this deep at most; anything deeper is treated as absent. */
const MAX_DEPTH = 64
/** Nodes converted per document at most: aliases can expand a small file exponentially (alias bombs). */
const MAX_NODES = 200_000

interface Budget {
  nodes: number
}

function positionOf(file: string, text: string, lineCounter: LineCounter, range: readonly number[] | null | undefined): Position {
  const start = range?.[0] ?? 0
  const valueEnd = range?.[1] ?? start
  const begin = lineCounter.linePos(start)
  const end = lineCounter.linePos(valueEnd)
  const position: Position = { file, line: begin.line, column: begin.col }
  // GitHub only accepts an end column on a single-line range.
  if (end.line === begin.line && valueEnd > start && !text.slice(start, valueEnd).includes('\n')) position.endColumn = end.col
  return position
}

function scalarText(node: Node, source: string): string | null {
  if (!isScalar(node)) return null
  if (node.value === null || node.value === undefined) return null
  if (typeof node.value === 'string') return node.value
  // Numbers, booleans and dates: the characters as written (a tag `1.10` must not become "1.1").
  const range = node.range
  if (range !== undefined && range !== null && node.type === 'PLAIN') return source.slice(range[0], range[1]).trim()
  return String(node.value)
}

interface ConvertContext {
  doc: Document
  file: string
  source: string
  lineCounter: LineCounter
  budget: Budget
}

function convert(node: Node | null | undefined, context: ConvertContext, depth: number): PositionedNode | null {
  if (node === null || node === undefined || depth > MAX_DEPTH) return null
  context.budget.nodes += 1
  if (context.budget.nodes > MAX_NODES) return null
  const { doc, file, source, lineCounter } = context
  if (isAlias(node)) {
    const target = node.resolve(doc)
    return target === undefined ? null : convert(target as Node, context, depth + 1)
  }
  const position = positionOf(file, source, lineCounter, node.range)
  if (isMap(node)) {
    const entries = new Map<string, PositionedNode>()
    for (const pair of node.items) {
      const key = pair.key
      if (isScalar(key) && key.value === '<<') {
        // Merge keys: the referenced map's entries, without overriding explicit ones.
        const merged = convert(pair.value as Node, context, depth + 1)
        const sources = merged?.kind === 'seq' ? merged.items : merged === null ? [] : [merged]
        for (const item of sources) {
          if (item.kind !== 'map') continue
          for (const [mergedKey, mergedValue] of item.entries) if (!entries.has(mergedKey)) entries.set(mergedKey, mergedValue)
        }
        continue
      }
      const keyText = isScalar(key) ? scalarText(key, source) : null
      if (keyText === null) continue
      const value = convert(pair.value as Node | null, context, depth + 1)
      // A key with no value (`tag:`) is a null scalar at the key's position.
      entries.set(keyText, value ?? { kind: 'scalar', text: null, position: positionOf(file, source, lineCounter, (key as Node).range) })
    }
    return { kind: 'map', entries, position }
  }
  if (isSeq(node)) {
    const items: PositionedNode[] = []
    for (const item of node.items) {
      const converted = convert(item as Node, context, depth + 1)
      if (converted !== null) items.push(converted)
    }
    return { kind: 'seq', items, position }
  }
  return { kind: 'scalar', text: scalarText(node, source), position }
}

/**
 * Parses every document of a YAML text into positioned trees. Documents that do not parse are left
 * out (a broken values.yaml simply traces nothing); never throws for bad input.
 */
export function parsePositionedYaml(source: string, file: string): PositionedNode[] {
  const lineCounter = new LineCounter()
  let documents: ReturnType<typeof parseAllDocuments>
  try {
    documents = parseAllDocuments(source, { lineCounter, uniqueKeys: false })
  } catch {
    return []
  }
  const docs = Array.isArray(documents) ? documents : []
  const trees: PositionedNode[] = []
  for (const doc of docs) {
    if (doc.errors.length > 0) continue
    try {
      const tree = convert(doc.contents as Node | null, { doc, file, source, lineCounter, budget: { nodes: 0 } }, 0)
      if (tree !== null) trees.push(tree)
    } catch {
      // a pathological document (e.g. an alias cycle) traces nothing
    }
  }
  return trees
}

/** The node at `path` (map keys) below `node`, or null. */
export function nodeAt(node: PositionedNode | null, path: readonly string[]): PositionedNode | null {
  let current = node
  for (const key of path) {
    if (current === null || current.kind !== 'map') return null
    current = current.entries.get(key) ?? null
  }
  return current
}

/**
 * Layers `override` over `base` as Helm coalesces values: maps merge key by key, anything else in
 * the override replaces the base, and an explicit null in the override deletes the key.
 */
export function overlay(base: PositionedNode | null, override: PositionedNode | null): PositionedNode | null {
  if (override === null) return base
  if (base === null || base.kind !== 'map' || override.kind !== 'map') return override
  const entries = new Map(base.entries)
  for (const [key, value] of override.entries) {
    if (value.kind === 'scalar' && value.text === null) {
      entries.delete(key)
      continue
    }
    const merged = overlay(entries.get(key) ?? null, value)
    if (merged === null) entries.delete(key)
    else entries.set(key, merged)
  }
  return { kind: 'map', entries, position: override.position }
}
