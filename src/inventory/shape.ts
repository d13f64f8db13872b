// The shape a pod spec's fields must have, and what to say when one has another: `containers` given
// as a map, a container written as a bare string, `spec: []` on a Deployment. Such a manifest is
// invalid, and every image under the misshapen field would otherwise vanish without a word.
// Null (`containers:` with nothing after it) counts as absent, as it does when kubectl decodes JSON.
import type { YamlNode } from '../documents/index.js'
import { child, scalarValue } from '../documents/index.js'
import { addDiagnostic, quoteValue, type ExtractionContext, type ObjectIdentity } from './context.js'

/** A field of a pod spec written in the wrong YAML shape; nothing under it can be read. */
export interface ShapeProblem {
  node: YamlNode
  /** The field as written, from the object or pod spec it was looked up in: `spec.template`, `containers[1]`. */
  field: string
  expected: 'mapping' | 'list' | 'container'
}

/** Shape problems found while locating pod specs; filled by the lookups below, reported by {@link reportShapeProblems}. */
export type ShapeProblems = ShapeProblem[]

function isAbsent(node: YamlNode | undefined): node is undefined {
  return node === undefined || (node.type === 'scalar' && scalarValue(node) === null)
}

/**
 * Follows `keys` through nested mappings like `childAt`, but a field present with another shape
 * than a mapping is recorded as a problem (and the walk stops there, as nothing under it exists).
 */
export function mappingAt(node: YamlNode | undefined, problems: ShapeProblems, ...keys: string[]): YamlNode | undefined {
  let current = node
  for (const [index, key] of keys.entries()) {
    const next = child(current, key)
    if (isAbsent(next)) return undefined
    if (next.type !== 'map') {
      problems.push({ node: next, field: keys.slice(0, index + 1).join('.'), expected: 'mapping' })
      return undefined
    }
    current = next
  }
  return current
}

/**
 * The mapping items of the list `parent[key]`: a field that is not a list, and items that are not
 * mappings, are recorded as problems (`expected` names what an item must be).
 */
export function mappingItemsAt(
  parent: YamlNode | undefined,
  key: string,
  problems: ShapeProblems,
  itemKind: 'mapping' | 'container' = 'mapping'
): YamlNode[] {
  const list = child(parent, key)
  if (isAbsent(list)) return []
  if (list.type !== 'seq') {
    problems.push({ node: list, field: key, expected: 'list' })
    return []
  }
  const items: YamlNode[] = []
  for (const [index, item] of list.items.entries()) {
    if (item.type === 'map') items.push(item)
    // A null item decodes to an empty object: a validation error, not a shape one.
    else if (!isAbsent(item)) problems.push({ node: item, field: `${key}[${index}]`, expected: itemKind })
  }
  return items
}

/** The value of a scalar described in words: `the number 42`, `binary data (5 bytes)`, `a date`. */
export function describeScalarValue(value: unknown): string {
  if (value === null) return 'empty (null)'
  if (typeof value === 'string') return `the string "${quoteValue(value)}"`
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${String(value)}`
  if (typeof value === 'boolean') return `the boolean ${String(value)}`
  if (value instanceof Date) return 'a date'
  if (value instanceof Uint8Array) return `binary data (${value.length} bytes)`
  return `a ${typeof value} value`
}

/** A node described in words: `a mapping`, `a list`, or its scalar value. */
export function describeNode(node: YamlNode): string {
  if (node.type === 'map') return 'a mapping'
  if (node.type === 'seq') return 'a list'
  return describeScalarValue(scalarValue(node))
}

const EXPECTED_WORDS: Record<ShapeProblem['expected'], string> = {
  mapping: 'a mapping (an object of fields)',
  list: 'a list (items written `- …`)',
  container: 'a container object such as `{name: app, image: nginx:1.27}`'
}

/** The owner named in a message: `Pod/web`, or just the kind. */
export function ownerOf(identity: ObjectIdentity): string {
  if (identity.kind === null) return 'the object'
  return `${quoteValue(identity.kind)}${identity.name !== null ? `/${quoteValue(identity.name)}` : ''}`
}

/** One error diagnostic per shape problem, at the misshapen value. */
export function reportShapeProblems(context: ExtractionContext, identity: ObjectIdentity, problems: ShapeProblems): void {
  for (const problem of problems) {
    addDiagnostic(
      context,
      problem.node,
      'invalid-pod-spec',
      'error',
      `\`${problem.field}\` of ${ownerOf(identity)} is ${describeNode(problem.node)}, not ${EXPECTED_WORDS[problem.expected]}: ` +
        'the manifest is invalid (kubectl rejects it for built-in kinds), and no image under it was checked'
    )
  }
}
