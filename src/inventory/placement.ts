// Which operating systems and architectures a pod can land on, from its nodeSelector and its
// REQUIRED node affinity (the scheduler's hard constraints; preferred affinity is a wish). Terms of
// nodeSelectorTerms are ORed, expressions within a term ANDed, and all of it ANDed with nodeSelector.
import type { PlacementConstraints } from '../model.js'
import { child, childAt, scalarValue, seqItems, stringValue, type YamlNode } from '../documents/index.js'

/** An allowed set of label values; null = unconstrained. */
type Allowed = ReadonlySet<string> | null

interface PlatformLabel {
  /** Node labels that carry the value (the current one and its deprecated beta twin). */
  keys: readonly string[]
  /**
   * Values nodes can have. `NotIn` is computed against this list: a node with a value outside it
   * (an architecture no cluster runs) is ignored, which is the documented approximation.
   */
  universe: readonly string[]
}

const ARCHITECTURE: PlatformLabel = {
  keys: ['kubernetes.io/arch', 'beta.kubernetes.io/arch'],
  universe: ['386', 'amd64', 'arm', 'arm64', 'loong64', 'mips64le', 'ppc64le', 'riscv64', 's390x']
}
const OPERATING_SYSTEM: PlatformLabel = {
  keys: ['kubernetes.io/os', 'beta.kubernetes.io/os'],
  universe: ['linux', 'windows']
}

function intersect(a: Allowed, b: Allowed): Allowed {
  if (a === null) return b
  if (b === null) return a
  return new Set([...a].filter((value) => b.has(value)))
}

function union(a: Allowed, b: Allowed): Allowed {
  if (a === null || b === null) return null
  return new Set([...a, ...b])
}

function scalarStrings(node: YamlNode | undefined): string[] {
  return seqItems(node).flatMap((item) => {
    if (item.type !== 'scalar') return []
    const value = scalarValue(item)
    return value === null || typeof value === 'object' ? [] : [String(value)]
  })
}

/** What one match expression allows for a label, or null when it says nothing about it. */
function expressionAllows(expression: YamlNode, label: PlatformLabel): Allowed {
  const key = stringValue(child(expression, 'key'))
  if (key === undefined || !label.keys.includes(key)) return null
  const values = scalarStrings(child(expression, 'values'))
  switch (stringValue(child(expression, 'operator'))) {
    case 'In':
      return new Set(values)
    case 'NotIn':
      return new Set(label.universe.filter((value) => !values.includes(value)))
    case 'Exists':
      // Every node carries these labels, so Exists constrains nothing...
      return null
    case 'DoesNotExist':
      // ...and DoesNotExist matches no node at all.
      return new Set()
    case 'Gt':
    case 'Lt':
      // Integer comparisons never match a non-numeric architecture or OS name.
      return new Set()
    default:
      return null
  }
}

function requiredAffinityAllows(affinity: YamlNode | undefined, label: PlatformLabel): Allowed {
  const terms = seqItems(childAt(affinity, 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms'))
  if (terms.length === 0) return null
  let allowed: Allowed = new Set()
  for (const term of terms) {
    let termAllows: Allowed = null
    for (const expression of seqItems(child(term, 'matchExpressions'))) {
      termAllows = intersect(termAllows, expressionAllows(expression, label))
    }
    allowed = union(allowed, termAllows)
  }
  return allowed
}

function nodeSelectorAllows(nodeSelector: Record<string, string>, label: PlatformLabel): Allowed {
  let allowed: Allowed = null
  for (const key of label.keys) {
    const value = nodeSelector[key]
    if (value !== undefined) allowed = intersect(allowed, new Set([value]))
  }
  return allowed
}

function toList(allowed: Allowed): string[] | null {
  return allowed === null ? null : [...allowed].sort()
}

/** The placement constraints of a pod from its nodeSelector (already read) and affinity node. */
export function placementOf(nodeSelector: Record<string, string>, affinity: YamlNode | undefined): PlacementConstraints {
  const allowed = (label: PlatformLabel): string[] | null =>
    toList(intersect(nodeSelectorAllows(nodeSelector, label), requiredAffinityAllows(affinity, label)))
  return { architectures: allowed(ARCHITECTURE), operatingSystems: allowed(OPERATING_SYSTEM) }
}
