// The document tree the inventory walks: mappings, sequences and scalars with the file offset of
// each value. Both parsers (the fast one for plain block YAML and the adapter over the `yaml`
// package) produce exactly this shape, so the extraction cannot tell which one read a document.
// Aliases are already resolved here: an aliased node IS the anchored node (same object, same offset).
import { resolvePlainScalar } from './scalar-resolution.js'

/** How a scalar was written; decides how its text becomes a value and where its token ends. */
export type ScalarStyle = 'plain' | 'single-quoted' | 'double-quoted' | 'literal' | 'folded'

export interface ScalarNode {
  type: 'scalar'
  style: ScalarStyle
  /** The scalar's text after unquoting/unfolding (for plain scalars, as written). */
  text: string
  /** Offset of the first character of the token (the quote, the `|`/`>` indicator); for an empty value, just past the `:`. */
  start: number
  /** Offset just past the token (after the closing quote; for block scalars, after the content). */
  end: number
  /**
   * The value as the YAML 1.1 schema (what kubectl's YAML-to-JSON uses) reads it. Filled lazily for
   * plain scalars by {@link scalarValue}; set directly when the value is already known.
   */
  value?: unknown
  /** True once `value` holds the resolved value (it may legitimately be undefined-free null). */
  resolved: boolean
}

export interface MapNode {
  type: 'map'
  /** Entries by key (keys as strings, as JSON has them); the last of duplicate keys wins. */
  entries: Map<string, YamlNode>
  /** Offset of the first key (block style) or of the `{` (flow style). */
  start: number
  /** Offset just past a flow mapping's `}`; for block mappings, the end of the last value. */
  end: number
}

export interface SeqNode {
  type: 'seq'
  items: YamlNode[]
  /** Offset of the first `-` (block style) or of the `[` (flow style). */
  start: number
  end: number
}

export type YamlNode = ScalarNode | MapNode | SeqNode

/** A scalar whose value is already known (quoted and block scalars are always strings). */
export function knownScalar(style: ScalarStyle, text: string, value: unknown, start: number, end: number): ScalarNode {
  return { type: 'scalar', style, text, start, end, value, resolved: true }
}

/**
 * A plain scalar read straight from the file: its text is cut out and resolved only when asked
 * for, because most plain values of a manifest (env values, ports, labels) are never looked at.
 */
class SourcePlainScalar implements ScalarNode {
  readonly type = 'scalar'
  readonly style = 'plain'
  value?: unknown
  resolved = false

  constructor(
    private readonly source: string,
    readonly start: number,
    readonly end: number
  ) {}

  get text(): string {
    return this.source.slice(this.start, this.end)
  }
}

/** A plain scalar whose text is `source[start, end)`. */
export function plainScalar(source: string, start: number, end: number): ScalarNode {
  return new SourcePlainScalar(source, start, end)
}

/** The value of a scalar as kubectl would read it (string, number, boolean, null, Date). */
export function scalarValue(node: ScalarNode): unknown {
  if (!node.resolved) {
    node.value = resolvePlainScalar(node.text)
    node.resolved = true
  }
  return node.value
}

/** `node[key]` when node is a mapping, else undefined. */
export function child(node: YamlNode | undefined, key: string): YamlNode | undefined {
  return node?.type === 'map' ? node.entries.get(key) : undefined
}

/** Follows a path of keys through nested mappings. */
export function childAt(node: YamlNode | undefined, ...keys: string[]): YamlNode | undefined {
  let current = node
  for (const key of keys) {
    current = child(current, key)
    if (current === undefined) return undefined
  }
  return current
}

/** The string value of a scalar, or undefined when the node is absent or not a string. */
export function stringValue(node: YamlNode | undefined): string | undefined {
  if (node?.type !== 'scalar') return undefined
  const value = scalarValue(node)
  return typeof value === 'string' ? value : undefined
}

/** The items of a sequence; empty for anything else. */
export function seqItems(node: YamlNode | undefined): YamlNode[] {
  return node?.type === 'seq' ? node.items : []
}

/** True when the node is a scalar whose value is null (`~`, `null`, or nothing at all). */
export function isNullScalar(node: YamlNode | undefined): boolean {
  return node?.type === 'scalar' && scalarValue(node) === null
}
